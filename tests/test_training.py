"""The corroboration fit: a logistic regression whose penalty pulls toward the hand-set prior."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from scorer.linear import LinearModel
from scorer.scoring import FEATURES, PRIOR_PATH, corroboration_model
from scorer.training import (
    DEFINITIONAL_FEATURES,
    REPRODUCIBLE_BLAS,
    PriorLogistic,
    _article_se,
    _one_standard_error_c,
    _sigmoid,
    unpinned_blas,
)

ROOT = Path(__file__).resolve().parents[1]


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


def test_a_fixed_feature_keeps_its_prior_weight_and_the_others_fit_around_it() -> None:
    X, y = _data()
    fixed = np.array([False, True, False])
    est = PriorLogistic(np.array([0.0, 3.0, 0.0]), 0.0, C=1.0, fixed=fixed).fit(X, y)
    assert est.coef_[0, 1] == 3.0  # the data says -1.0; a fixed weight does not listen
    assert est.coef_[0, 0] > 1.0
    # Without the mask the same data pull it down.
    free = PriorLogistic(np.array([0.0, 3.0, 0.0]), 0.0, C=1.0).fit(X, y)
    assert free.coef_[0, 1] < 0.0


def test_keep_signs_lets_the_data_shrink_a_reasoned_weight_but_not_reverse_it() -> None:
    X, y = _data()  # the data say +1.5, -1.0, 0.0
    prior = np.array([-1.0, 2.0, 0.0])  # both directions wrong; the third "left to the data"
    free = PriorLogistic(prior, 0.0, C=1.0).fit(X, y)
    assert free.coef_[0, 0] > 0.5 and free.coef_[0, 1] < -0.5  # unconstrained, the data reverse them
    kept = PriorLogistic(prior, 0.0, C=1.0, keep_signs=True).fit(X, y)
    assert kept.coef_[0, 0] == 0.0 and kept.coef_[0, 1] == 0.0  # held at the bound, not reversed
    ok = PriorLogistic(np.array([1.0, -2.0, 0.0]), 0.0, C=1.0, keep_signs=True).fit(X, y)
    agreeing = PriorLogistic(np.array([1.0, -2.0, 0.0]), 0.0, C=1.0).fit(X, y)
    assert np.allclose(ok.coef_, agreeing.coef_, atol=1e-5)  # a bound the data never reach changes nothing


def test_shipped_model_never_turns_a_reasoned_weight_round() -> None:
    """Every weight the prior gives a direction keeps it (or is zero): a score's explanation never
    says that a dispute, a hedge or a supporting source moved it the wrong way."""
    prior, shipped = LinearModel.load(PRIOR_PATH), corroboration_model()
    for name, w0, w in zip(FEATURES, prior.coefficients[0], shipped.coefficients[0], strict=True):
        assert w * w0 >= 0.0, f"{name}: prior {w0:+.2f}, fitted {w:+.2f}"


def test_shipped_model_keeps_the_definitional_weights_of_the_prior() -> None:
    prior, shipped = LinearModel.load(PRIOR_PATH), corroboration_model()
    for name in DEFINITIONAL_FEATURES:
        k = FEATURES.index(name)
        assert shipped.coefficients[0][k] == prior.coefficients[0][k], name


def test_shipped_model_and_prior_share_features_and_the_prior_explains_every_weight() -> None:
    prior = LinearModel.load(PRIOR_PATH)
    assert prior.features == FEATURES == corroboration_model().features
    notes = prior.meta["notes"]
    assert set(FEATURES) <= set(notes)
    assert corroboration_model().meta["params"]["prior"] == PRIOR_PATH.name


def test_one_standard_error_rule_prefers_shrinkage_when_the_gain_is_noise() -> None:
    rng = np.random.default_rng(0)
    y = (rng.random(400) < 0.1).astype(float)
    groups = [f"a{k // 10}" for k in range(400)]  # 40 articles of 10 claims
    z10 = np.where(y == 1, 1.0, -3.0) + rng.normal(0, 1, 400)
    z1 = z10 + np.random.default_rng(1).choice([-0.15, 0.15], 400)  # C = 1: a little worse, by chance
    oof = {0.01: np.full(400, -2.2), 1.0: z1, 10.0: z10}
    gap = (_sigmoid(z1) - y) ** 2 - (_sigmoid(z10) - y) ** 2
    assert 0 < gap.mean() < _article_se(gap, groups)  # C = 10 is best, but within one standard error
    assert _one_standard_error_c(oof, y, groups) == 1.0
    # A gain far beyond its standard error is taken.
    oof[10.0] = np.where(y == 1, 3.0, -6.0)
    assert _one_standard_error_c(oof, y, groups) == 10.0


_OPENBLAS_KERNELS = ("import numpy, scipy.linalg, sklearn; from threadpoolctl import threadpool_info; "
                     "print(sorted({d.get('architecture') for d in threadpool_info() "
                     "if d['internal_api'] == 'openblas'}))")


@pytest.mark.shared_data
def test_a_refit_writes_the_committed_model_byte_for_byte(shared_data: Path, tmp_path: Path) -> None:
    # Issue 3: retraining on the same data gives the same file. Run as `make models` runs it (the
    # numeric environment pinned), the news hedge fit must reproduce the committed file exactly on any
    # x86-64 machine; unpinned, OpenBLAS's CPU-specific kernels moved its weights in the 10th digit.
    env = {**os.environ, **REPRODUCIBLE_BLAS}
    probe = subprocess.run([sys.executable, "-c", _OPENBLAS_KERNELS], env=env, capture_output=True,
                           text=True, check=True)
    if probe.stdout.strip() != "['Haswell']":
        pytest.skip(f"OpenBLAS here runs {probe.stdout.strip()} kernels, not the pinned Haswell ones "
                    "(not an x86-64 machine?): the committed weights cannot be reproduced bit for bit")
    out = tmp_path / "hedge_news_model.yaml"
    done = subprocess.run([sys.executable, "-m", "scorer", "train-hedges", "-o", str(out)], env=env,
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "note:" not in done.stderr  # the pinned environment is recognised as such
    committed = ROOT / "rules" / "hedge_news_model.yaml"
    assert out.read_bytes() == committed.read_bytes(), (
        f"{committed} is not what `make models` writes: refit it (or run the refit pinned)")


def test_an_unpinned_refit_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in REPRODUCIBLE_BLAS:
        monkeypatch.delenv(name, raising=False)
    assert unpinned_blas() == [f"{k}={v}" for k, v in REPRODUCIBLE_BLAS.items()]
    monkeypatch.setenv("OPENBLAS_CORETYPE", "SkylakeX")
    for name, value in REPRODUCIBLE_BLAS.items():
        if name != "OPENBLAS_CORETYPE":
            monkeypatch.setenv(name, value)
    assert unpinned_blas() == ["OPENBLAS_CORETYPE=Haswell"]


def test_make_models_pins_what_the_training_code_names() -> None:
    # The pin is written twice, in the Makefile (where it must be set before numpy loads) and in
    # REPRODUCIBLE_BLAS (what the train commands check): they must agree.
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    pinned = dict(re.findall(r"^models: export (\w+) := (\S+)$", makefile, flags=re.MULTILINE))
    assert pinned == REPRODUCIBLE_BLAS
