"""`scorer train`: fit the corroboration model on labelled claims and keep it as text.

The scorer runs on each labelled article; its claims are matched to the labelled ones (LABELLING.md
matching) and the matched claims' feature rows are the training data, with `verdict == corroborated`
as the target. Regularisation is picked by article-grouped cross-validation (claims of one article
are not independent); sigmoid calibration is added only if it lowers the held-out Brier score.
The fitted numbers go into a `scorer.linear/1` file with the training-data hash and the
cross-validated metrics, so a retrain on the same data writes the same file.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

from scorer.errors import InputError
from scorer.labels import article_text, load_labels, match_claims
from scorer.linear import LinearModel, sha256_of
from scorer.scoring import FEATURES

MODEL_ARTICLE = "24brussels-ukraine-guarantees"
C_GRID = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
FOLDS = 5
# Calibration must beat the raw model's held-out Brier score by at least this much to be kept.
CALIBRATION_MIN_GAIN = 0.001


def labelled_rows(path: str | Path, split: str) -> tuple[np.ndarray, np.ndarray, list[str], int, str]:
    """Feature rows and targets of matched claims, their article ids, the labelled count and a hash."""
    from scorer import analyze

    labels = [c for c in load_labels(path, split) if c.article_id != MODEL_ARTICLE]
    if not labels:
        raise InputError(f"{path}: no labelled claims in split {split!r}")
    by_article = defaultdict(list)
    for c in labels:
        by_article[c.article_id].append(c)
    X, y, groups = [], [], []
    for article_id in sorted(by_article):
        gold = by_article[article_id]
        report = analyze(article_text(article_id), article_id=article_id)
        predicted = [(c.span.start, c.span.end) for c in report.claims]
        for i, j in match_claims(predicted, [(g.start, g.end) for g in gold]):
            X.append(report.claims[i].features)
            y.append(int(gold[j].verdict == "corroborated"))
            groups.append(article_id)
    digest = sha256_of(f"{c.article_id},{c.claim_id},{c.start},{c.end},{c.verdict}\n" for c in labels)
    return np.asarray(X, dtype=float), np.asarray(y, dtype=int), groups, len(labels), digest


def _oof_logits(X: np.ndarray, y: np.ndarray, groups: list[str], C: float) -> np.ndarray:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    out = np.zeros(len(y))
    for train, test in GroupKFold(n_splits=FOLDS).split(X, y, groups):
        if len(set(y[train].tolist())) < 2:
            out[test] = 0.0
            continue
        est = LogisticRegression(C=C, max_iter=5000).fit(X[train], y[train])
        out[test] = est.decision_function(X[test])
    return out


def _brier(y: np.ndarray, p: np.ndarray) -> float:
    return float(np.mean((p - y) ** 2))


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def train_corroboration(path: str | Path, split: str = "train") -> tuple[LinearModel, str]:
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score

    X, y, groups, n_labelled, digest = labelled_rows(path, split)
    if len(set(y.tolist())) < 2:
        raise InputError(f"{path}: split {split!r} has only one verdict class among matched claims; cannot fit")
    grid: dict[str, Any] = {}
    best_c, best_brier, best_z = C_GRID[0], float("inf"), np.zeros(len(y))
    for C in C_GRID:
        z = _oof_logits(X, y, groups, C)
        brier = _brier(y, _sigmoid(z))
        grid[str(C)] = round(brier, 5)
        if brier < best_brier - 1e-12:
            best_c, best_brier, best_z = C, brier, z
    # Sigmoid (Platt) calibration on the out-of-fold logits, itself judged on held-out folds.
    from sklearn.model_selection import GroupKFold

    calibrated = np.zeros(len(y))
    for train, test in GroupKFold(n_splits=FOLDS).split(X, y, groups):
        platt = LogisticRegression(C=1e6, max_iter=5000).fit(best_z[train, None], y[train])
        calibrated[test] = platt.predict_proba(best_z[test, None])[:, 1]
    calibrated_brier = _brier(y, calibrated)
    use_calibration = calibrated_brier < best_brier - CALIBRATION_MIN_GAIN

    estimator = LogisticRegression(C=best_c, max_iter=5000).fit(X, y)
    coef, intercept = estimator.coef_.copy(), estimator.intercept_.copy()
    calibration: dict[str, Any] = {"method": "none"}
    if use_calibration:
        platt = LogisticRegression(C=1e6, max_iter=5000).fit(best_z[:, None], y)
        a, b = float(platt.coef_[0, 0]), float(platt.intercept_[0])
        # Platt scaling of a logistic model is still logistic: fold it into the numbers.
        coef, intercept = coef * a, intercept * a + b
        calibration = {"method": "sigmoid", "slope": round(a, 6), "offset": round(b, 6)}
    estimator.coef_, estimator.intercept_ = coef, intercept
    cv = {
        "folds": FOLDS, "grouped_by": "article", "C_grid_brier": grid, "chosen_C": best_c,
        "oof_brier_raw": round(best_brier, 5), "oof_brier_calibrated": round(calibrated_brier, 5),
        "calibration_kept": use_calibration,
        "oof_roc_auc": round(float(roc_auc_score(y, best_z)), 4),
    }
    meta = {
        "training_data": {"path": Path(path).name, "sha256": digest, "split": split, "labelled_claims": n_labelled,
                          "matched_claims": int(len(y)), "articles": len(set(groups)), "positives": int(y.sum())},
        "params": {"C": best_c, "solver": "lbfgs", "penalty": "l2"},
        "cv_metrics": cv, "calibration": calibration,
    }
    model = LinearModel.from_estimator(estimator, FEATURES, "corroboration", **meta)
    summary = (f"Corroboration model fitted by `scorer train` on {len(y)} matched claims "
               f"({int(y.sum())} corroborated) from {len(set(groups))} articles, split {split}.\n"
               f"C = {best_c} by {FOLDS}-fold article-grouped CV (out-of-fold Brier {best_brier:.4f}); "
               f"sigmoid calibration {'kept' if use_calibration else 'not kept'} "
               f"(held-out Brier {calibrated_brier:.4f}).\n"
               f"Class 1 = corroborated. Contribution of a feature = coefficient x value, in log-odds.")
    return model, summary
