"""Models as text: the rebuilt estimator and the numpy predictor agree; files round-trip."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from scorer.errors import RuleError
from scorer.linear import LinearModel
from scorer.scoring import FEATURES, corroboration_model


@pytest.mark.parametrize("n_classes", [2, 3])
def test_round_trip_matches_sklearn(tmp_path: Path, n_classes: int) -> None:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 4))
    y = (X[:, 0] + X[:, 1] > 0).astype(int) + (n_classes == 3) * (X[:, 2] > 1).astype(int)
    est = LogisticRegression(max_iter=500).fit(X, y)
    model = LinearModel.from_estimator(est, ["a", "b", "c", "d"], "toy")
    path = tmp_path / "toy_model.yaml"
    model.save(path, header="toy")
    again = LinearModel.load(path)
    np.testing.assert_allclose(again.predict_proba(X), est.predict_proba(X), atol=1e-8)
    np.testing.assert_allclose(again.to_sklearn().predict_proba(X), est.predict_proba(X), atol=1e-8)
    assert path.read_text() == again.to_yaml(header="toy")


def test_unknown_model_key_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "bad_model.yaml"
    text = corroboration_model().to_yaml() + "pickle: yes\n"
    path.write_text(text)
    with pytest.raises(RuleError, match="unknown model key"):
        LinearModel.load(path)


def test_shipped_corroboration_model_matches_features() -> None:
    model = corroboration_model()
    assert model.features == FEATURES
    contributions = model.contributions(np.ones(len(FEATURES)))
    assert [c.feature for c in contributions] == list(FEATURES)
