"""The corroboration fit: a logistic regression whose penalty pulls toward the hand-set prior."""

from __future__ import annotations

import numpy as np
from sklearn.linear_model import LogisticRegression

from scorer.linear import LinearModel
from scorer.scoring import FEATURES, PRIOR_PATH, corroboration_model
from scorer.training import PriorLogistic


def _data(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(400, 3))
    y = (X @ np.array([1.5, -1.0, 0.0]) + 0.3 + rng.logistic(size=400) > 0).astype(int)
    return X, y


def test_strong_penalty_keeps_the_prior() -> None:
    X, y = _data()
    prior = np.array([4.0, 4.0, 4.0])
    est = PriorLogistic(prior, 0.0, C=1e-6).fit(X, y)
    assert np.allclose(est.coef_[0], prior, atol=1e-3)


def test_centred_on_zero_it_is_scikit_learns_logistic_regression() -> None:
    X, y = _data()
    ours = PriorLogistic(np.zeros(3), 0.0, C=0.5).fit(X, y)
    theirs = LogisticRegression(C=0.5, tol=1e-10, max_iter=10000).fit(X, y)
    assert np.allclose(ours.coef_, theirs.coef_, atol=1e-4)
    assert np.allclose(ours.intercept_, theirs.intercept_, atol=1e-4)


def test_a_feature_the_data_never_shows_keeps_its_prior_weight() -> None:
    X, y = _data()
    X[:, 2] = 0.0  # never observed: only the prior speaks for it
    est = PriorLogistic(np.array([0.0, 0.0, 2.0]), 0.0, C=1.0).fit(X, y)
    assert abs(est.coef_[0, 2] - 2.0) < 1e-6
    assert est.coef_[0, 0] > 1.0  # the observed signal is learned


def test_shipped_model_and_prior_share_features_and_the_prior_explains_every_weight() -> None:
    prior = LinearModel.load(PRIOR_PATH)
    assert prior.features == FEATURES == corroboration_model().features
    notes = prior.meta["notes"]
    assert set(FEATURES) <= set(notes)
    assert corroboration_model().meta["params"]["prior"] == PRIOR_PATH.name
