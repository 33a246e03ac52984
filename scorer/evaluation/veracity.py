"""Cross-outlet corroboration measured on Emergent: claim veracity and claim grouping.

Veracity: each Emergent claim is a group of headlines from many outlets, labelled true, false or
unknown. The veracity model is cross-validated over the labelled claims (stratified folds of claims:
every headline of a claim is on one side), with stances predicted out of fold by the stance model
(`scorer.evaluation.emergent.out_of_fold_stances`: the stance model never saw the claim either),
and again with the gold stances (an upper bound). AUCs carry a percentile bootstrap interval over
claims; the baseline (for - 3 x against) / reports is reported beside the model. Claims labelled
unknown are left out of fitting and scored separately.

Grouping: the headlines with their claims hidden are grouped by `scorer.corroborate.group_texts`
and compared with the true claims by adjusted Rand index. The threshold is chosen on a train part:
the claims are split in two halves (5 seeds); the threshold that maximises ARI on one half is
scored on the other. The model's threshold maximises the mean ARI over all ten halves.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from scorer.corroborate import (
    DEFAULT_C,
    FEATURES,
    NEIGHBOURS,
    GroupEvidence,
    average_linkage,
    claim_vectors,
    distinct_texts,
    emergent_evidence,
    fit_veracity,
    neighbour_pairs,
)
from scorer.evaluation.emergent import EMERGENT_TRAIN, load_emergent, out_of_fold_stances
from scorer.stance_detection import STANCE_LABELS, default_stance_model

THRESHOLD_GRID: tuple[float, ...] = tuple(round(x, 3) for x in np.arange(0.05, 0.301, 0.025))
GROUPING_SEEDS: tuple[int, ...] = (0, 1, 2, 3, 4)


def bootstrap_auc(y: np.ndarray, score: np.ndarray, n: int = 2000, seed: int = 0) -> tuple[float, float]:
    """95% percentile interval of ROC AUC, resampling claims with replacement."""
    from sklearn.metrics import roc_auc_score

    rng = np.random.default_rng(seed)
    values = []
    for _ in range(n):
        idx = rng.integers(0, len(y), len(y))
        if y[idx].min() != y[idx].max():
            values.append(roc_auc_score(y[idx], score[idx]))
    lo, hi = np.percentile(values, [2.5, 97.5])
    return float(lo), float(hi)


def _baseline(evidence: GroupEvidence) -> float:
    """(for - 3 x against) / reports over hard stance labels."""
    hard = evidence.proba.argmax(axis=1)
    return float((np.sum(hard == 0) - 3 * np.sum(hard == 2)) / len(hard))


def _cross_validated(
    evidence: Sequence[GroupEvidence], y: np.ndarray, folds: int, seed: int, C: float
) -> tuple[np.ndarray, list[float]]:
    from sklearn.model_selection import StratifiedKFold

    pred = np.zeros(len(y))
    priors = []
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=seed).split(np.zeros(len(y)), y):
        est, d = fit_veracity([evidence[k] for k in train], y[train], C)
        priors.append(d)
        pred[test] = est.predict_proba(np.vstack([evidence[k].features(d) for k in test]))[:, 1]
    return pred, priors


def veracity_scores(
    frame: pd.DataFrame, proba: np.ndarray, folds: int = 5, seed: int = 0, C: float = DEFAULT_C,
    bootstrap: int = 2000,
) -> dict[str, Any]:
    """Cross-validated veracity scores for one set of stance probabilities (n x 3)."""
    from sklearn.metrics import brier_score_loss, roc_auc_score

    ids, evidence = emergent_evidence(frame, proba)
    truth = frame.groupby("claimId", sort=False)["claimTruth"].first()
    labels = np.array([truth[i] for i in ids])
    known = labels != "unknown"
    ev = [e for e, k in zip(evidence, known, strict=True) if k]
    y = (labels[known] == "true").astype(int)
    pred, priors = _cross_validated(ev, y, folds, seed, C)
    base = np.array([_baseline(e) for e in ev])
    est, d = fit_veracity(ev, y, C)
    unknown = [e for e, k in zip(evidence, known, strict=True) if not k]
    p_unknown = (est.predict_proba(np.vstack([e.features(d) for e in unknown]))[:, 1] if unknown
                 else np.zeros(0))
    auc = float(roc_auc_score(y, pred))
    return {
        "claims": {"true": int(y.sum()), "false": int(len(y) - y.sum()), "unknown": int(len(unknown))},
        "model": {"auc": auc, "auc_interval": bootstrap_auc(y, pred, bootstrap, seed),
                  "brier": float(brier_score_loss(y, pred)), "unknown_prior_per_fold": priors},
        "baseline_for_minus_3_against": {"auc": float(roc_auc_score(y, base)),
                                         "auc_interval": bootstrap_auc(y, base, bootstrap, seed)},
        "fit_on_all": {"unknown_prior": d, "coefficients": dict(zip(FEATURES, est.coef_[0].round(4).tolist(),
                                                                        strict=True)),
                       "intercept": float(est.intercept_[0])},
        "unknown_claims": {"count": int(len(unknown)),
                           "mean_veracity": float(p_unknown.mean()) if unknown else None,
                           "share_above_half": float((p_unknown >= 0.5).mean()) if unknown else None},
        "out_of_fold": {"claimId": [i for i, k in zip(ids, known, strict=True) if k], "y": y.tolist(),
                        "veracity": pred.round(6).tolist()},
    }


def gold_proba(frame: pd.DataFrame) -> np.ndarray:
    """One-hot stance probabilities from the gold labels."""
    return np.eye(len(STANCE_LABELS))[[STANCE_LABELS.index(s) for s in frame["articleHeadlineStance"]]]


def predicted_proba(stances: pd.DataFrame) -> np.ndarray:
    return stances[[f"p_{label}" for label in STANCE_LABELS]].to_numpy()


def evaluate_veracity(
    path: str | Path = EMERGENT_TRAIN, folds: int = 5, seed: int = 0, C: float = DEFAULT_C,
    bootstrap: int = 2000, stances: pd.DataFrame | None = None,
) -> dict[str, Any]:
    """Veracity AUC by claim-grouped CV with out-of-fold predicted stances and with gold stances.

    `stances`: out-of-fold stances as `out_of_fold_stances(path)` returns them (computed when None).
    """
    frame = load_emergent(path)
    if stances is None:
        stances = out_of_fold_stances(path, folds=folds, seed=seed)
    if list(stances["articleId"]) != list(frame["articleId"]):
        raise ValueError("stances are not in the rows' order of the Emergent file")
    return {
        "scheme": {"folds": folds, "seed": seed, "unit": "claim (all its headlines on one side)", "C": C,
                   "bootstrap": bootstrap,
                   "stances": "predicted out of fold (StratifiedGroupKFold by claim)"},
        "predicted_stances": veracity_scores(frame, predicted_proba(stances), folds, seed, C, bootstrap),
        "gold_stances": veracity_scores(frame, gold_proba(frame), folds, seed, C, bootstrap),
    }


# -- grouping ------------------------------------------------------------------------------------
def ari_curve(texts: Sequence[str], truth: Sequence[str], grid: Sequence[float] = THRESHOLD_GRID,
              neighbours: int = NEIGHBOURS) -> np.ndarray:
    """ARI of the grouping of `texts` against `truth` at each threshold of `grid`."""
    from sklearn.metrics import adjusted_rand_score

    distinct, copy_of = distinct_texts(texts)  # as `group_texts` groups them
    X, words = claim_vectors(distinct, default_stance_model().featurizer)
    i, j, sim = neighbour_pairs(X, words, neighbours)
    return np.array([adjusted_rand_score(truth, average_linkage(len(distinct), i, j, sim, t)[copy_of])
                     for t in grid])


def evaluate_grouping(
    path: str | Path = EMERGENT_TRAIN, seeds: Sequence[int] = GROUPING_SEEDS,
    grid: Sequence[float] = THRESHOLD_GRID, neighbours: int = NEIGHBOURS,
) -> dict[str, Any]:
    """Grouping of Emergent headlines with the claims hidden: held-out ARI with the threshold chosen on
    the other half of the claims, and the threshold for the model (best mean ARI over all halves)."""
    frame = load_emergent(path)
    texts = frame["articleHeadline"].to_numpy()
    truth = frame["claimId"].to_numpy()
    claims = np.array(sorted(set(truth)))
    curves, held_out = [], []
    for seed in seeds:
        perm = np.random.default_rng(seed).permutation(claims)
        halves = [np.isin(truth, perm[: len(perm) // 2]), np.isin(truth, perm[len(perm) // 2:])]
        c = [ari_curve(texts[h], truth[h], grid, neighbours) for h in halves]
        curves += c
        for a, b in ((0, 1), (1, 0)):
            k = int(np.argmax(c[a]))
            held_out.append({"seed": seed, "threshold": grid[k], "train_ari": float(c[a][k]),
                             "test_ari": float(c[b][k])})
    mean_curve = np.mean(curves, axis=0)
    chosen = grid[int(np.argmax(mean_curve))]
    full = ari_curve(texts, truth, grid, neighbours)
    tests = [h["test_ari"] for h in held_out]
    return {
        "scheme": {"rows": len(frame), "claims": len(claims), "seeds": list(seeds), "neighbours": neighbours,
                   "protocol": "claims split in halves; threshold chosen on one half, ARI on the other"},
        "held_out": held_out,
        "held_out_ari": {"mean": float(np.mean(tests)), "min": float(np.min(tests)),
                         "max": float(np.max(tests))},
        "threshold": float(chosen),
        "mean_train_curve": {float(t): round(float(v), 4) for t, v in zip(grid, mean_curve, strict=True)},
        "full_data_ari": float(full[list(grid).index(chosen)]),
        "full_data_curve": {float(t): round(float(v), 4) for t, v in zip(grid, full, strict=True)},
    }


def format_veracity_table(result: dict[str, Any]) -> str:
    lines = [f"{'stances':<12}{'system':<28}{'AUC':>7}  {'95% interval':<14}"]
    for key, name in (("predicted_stances", "predicted"), ("gold_stances", "gold")):
        r = result[key]
        systems = (("veracity model", r["model"]),
                   ("(for - 3 x against)/reports", r["baseline_for_minus_3_against"]))
        for system, s in systems:
            lo, hi = s["auc_interval"]
            lines.append(f"{name:<12}{system:<28}{s['auc']:>7.3f}  {lo:.3f}-{hi:.3f}")
    c = result["predicted_stances"]["claims"]
    u = result["predicted_stances"]["unknown_claims"]
    lines.append(f"claims: {c['true']} true, {c['false']} false; {c['unknown']} unknown (not fitted): "
                 f"mean veracity {u['mean_veracity']:.3f}, {u['share_above_half']:.0%} at or above 0.5")
    return "\n".join(lines)


def format_grouping_table(result: dict[str, Any]) -> str:
    h = result["held_out_ari"]
    lines = [f"held-out ARI (threshold chosen on the other half of the claims, "
             f"{len(result['held_out'])} splits): "
             f"mean {h['mean']:.3f} (min {h['min']:.3f}, max {h['max']:.3f})",
             f"model threshold {result['threshold']:.3f}; ARI on all {result['scheme']['rows']} headlines "
             f"at it: {result['full_data_ari']:.3f}"]
    return "\n".join(lines)
