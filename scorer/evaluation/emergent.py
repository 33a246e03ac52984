"""Stance measured on Emergent (Ferreira & Vlachos 2016): claims, news headlines, stance labels.

Cross-validation is grouped by claim: the headlines of one claim share wording and usually a
stance, so a claim seen in training would make the test fold easy. Every figure is reported next
to two baselines (majority class; a keyword rule), as Snorkel's baselines module does.

Reference (test split, not held here): logistic regression 73.3% accuracy, observing F1 .62.
Here (train split, 5-fold CV grouped by claim, seed 0): 80.5% accuracy, observing F1 .759 with
the rows' URLs (the URL model where a slug exists); the headline model alone 79.9%, .742.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from scorer.csvinput import read_csv
from scorer.errors import InputError

# One location for all reference data, SCORER_SHARED_DATA override included (README).
from scorer.evaluation.polnear import SHARED_DATA, require_reference_file
from scorer.stance_detection import (
    DEFAULT_C,
    EMERGENT_COLUMNS,
    STANCE_LABELS,
    Pair,
    PairFeatures,
    StanceFeaturizer,
    emergent_pairs,
    fit_stance_estimator,
    fit_vocabulary,
    select_C,
    url_words,
)

EMERGENT_TRAIN = SHARED_DATA / "emergent" / "emergent_train.csv"


def load_emergent(path: str | Path = EMERGENT_TRAIN) -> pd.DataFrame:
    """The Emergent CSV as read (row order kept), checked for the columns and labels we use."""
    path = Path(path)
    require_reference_file(path, EMERGENT_TRAIN, "Emergent CSV", "an Emergent-format CSV")
    frame = read_csv(path, "an Emergent-format CSV", dtype=str, keep_default_na=False)
    missing = [c for c in EMERGENT_COLUMNS if c not in frame.columns]
    if missing:
        raise InputError(f"{path}: missing column(s) {missing}")
    bad = sorted(set(frame["articleHeadlineStance"]) - set(STANCE_LABELS))
    if bad:
        raise InputError(f"{path}: unknown stance label(s) {bad}; expected {list(STANCE_LABELS)}")
    return frame


def _folds(frame: pd.DataFrame, folds: int, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Train/test row indices; no claim is in both. Stratified so each fold sees every stance."""
    from sklearn.model_selection import StratifiedGroupKFold

    splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)
    y, groups = frame["articleHeadlineStance"].to_numpy(), frame["claimId"].to_numpy()
    return list(splitter.split(np.zeros(len(frame)), y, groups))


def keyword_baseline(featurizer: StanceFeaturizer, pairs: Sequence[Pair]) -> list[str]:
    """The toy rule: a denial cue means `against`; else a hedge, rumour, claim verb, question or
    attribution cue means `observing`; else `for`."""
    uncommitted = {"hedge", "rumour", "claim_verb", "question", "reporting", "source"}
    out = []
    for _, report, *_ in pairs:
        labels = {c.label for c in featurizer.cues(report)}
        out.append("against" if "denial" in labels else "observing" if labels & uncommitted else "for")
    return out


def scores(gold: Sequence[str], predicted: Sequence[str]) -> dict[str, Any]:
    """Accuracy, per-class precision/recall/F1/support, macro-F1 and the confusion matrix."""
    from sklearn.metrics import accuracy_score, confusion_matrix, precision_recall_fscore_support

    labels = list(STANCE_LABELS)
    p, r, f, s = precision_recall_fscore_support(gold, predicted, labels=labels, zero_division=0)
    matrix = confusion_matrix(gold, predicted, labels=labels)
    return {
        "accuracy": float(accuracy_score(gold, predicted)),
        "macro_f1": float(np.mean(f)),
        "per_class": {
            label: {"precision": float(p[i]), "recall": float(r[i]), "f1": float(f[i]), "support": int(s[i])}
            for i, label in enumerate(labels)
        },
        # rows: gold label, columns: predicted label, both in `labels` order
        "confusion": {"labels": labels, "matrix": matrix.tolist()},
    }


def _out_of_fold_proba(
    frame: pd.DataFrame, featurizer: StanceFeaturizer, feats: Sequence[PairFeatures], folds: int, seed: int,
    C: float | None,
) -> tuple[np.ndarray, list[str], list[float]]:
    """Out-of-fold class probabilities. Everything fitted (the lexical vocabulary, C when None,
    the weights) is fitted on each training fold alone. Returns the C chosen per fold too."""
    y = frame["articleHeadlineStance"].to_numpy()
    groups = frame["claimId"].to_numpy()
    items = [f.items for f in feats]
    proba = np.zeros((len(frame), len(STANCE_LABELS)))
    chosen = []
    for train, test in _folds(frame, folds, seed):
        vocabulary = fit_vocabulary([items[i] for i in train], groups[train])
        X = featurizer.rematrix(feats, vocabulary)
        fold_C = C if C is not None else select_C(
            [feats[i] for i in train], y[train], groups[train], featurizer, seed=seed)
        chosen.append(fold_C)
        estimator = fit_stance_estimator(X[train], y[train], fold_C)
        columns = [list(estimator.classes_).index(label) for label in STANCE_LABELS]
        proba[test] = estimator.predict_proba(X[test])[:, columns]
    return proba, list(STANCE_LABELS), chosen


def cross_validate(
    frame: pd.DataFrame,
    folds: int = 5,
    seed: int = 0,
    C: float | None = DEFAULT_C,
    featurizer: StanceFeaturizer | None = None,
    feats: Sequence[PairFeatures] | None = None,
    url: bool = True,
) -> dict[str, Any]:
    """Grouped cross-validation of the stance model and the baselines on a loaded Emergent frame.
    `C=None` chooses C inside each training fold by an inner grouped CV (nested). `url`: score
    as `stance` does with the rows' URLs (the URL model where a slug exists); False: headline
    model only. `featurizer`/`feats`, when given, are the URL featurizer's when `url` is True."""
    pairs = emergent_pairs(frame)
    proba, labels, chosen = _system_proba(frame, folds, seed, C, url, featurizer, feats)
    gold = frame["articleHeadlineStance"].tolist()
    featurizer = _default_featurizer()
    predicted = [labels[k] for k in proba.argmax(axis=1)]
    majority = pd.Series(gold).value_counts().idxmax()
    # Majority per training fold equals the overall majority here ("for" dominates every fold);
    # computed per fold anyway so the baseline never sees its test labels.
    majority_pred = np.empty(len(frame), dtype=object)
    for train, test in _folds(frame, folds, seed):
        majority_pred[test] = pd.Series(np.asarray(gold)[train]).value_counts().idxmax()
    return {
        "scheme": {"folds": folds, "seed": seed, "grouped_by": "claimId", "rows": len(frame),
                   "claims": int(frame["claimId"].nunique()), "C": chosen, "overall_majority": majority},
        "model": scores(gold, predicted),
        "baselines": {
            "majority": scores(gold, majority_pred.tolist()),
            "keyword_rule": scores(gold, keyword_baseline(featurizer, pairs)),
        },
    }


def _default_featurizer(url_features: bool = False) -> StanceFeaturizer:
    from scorer.rulebook import ruleset
    from scorer.stance_detection import RULES_PATH

    # Rule features only: each training fold fits its own vocabulary (rematrix).
    return StanceFeaturizer(ruleset(RULES_PATH), url_features=url_features)


def _system_proba(
    frame: pd.DataFrame, folds: int, seed: int, C: float | None, url: bool,
    featurizer: StanceFeaturizer | None = None, feats: Sequence[PairFeatures] | None = None,
) -> tuple[np.ndarray, list[str], list[float]]:
    """Out-of-fold probabilities of the system `stance` is: the headline model, and with `url`
    the URL model for the rows whose URL has a word slug (both fitted in each training fold)."""
    pairs = emergent_pairs(frame)
    head = _default_featurizer()
    if not url:
        featurizer = featurizer or head
        feats = feats if feats is not None else featurizer.featurize_many(pairs)
        return _out_of_fold_proba(frame, featurizer, feats, folds, seed, C)
    url_featurizer = featurizer or _default_featurizer(url_features=True)
    url_feats = feats if feats is not None else url_featurizer.featurize_many(pairs)
    proba, labels, chosen = _out_of_fold_proba(frame, url_featurizer, url_feats, folds, seed, C)
    no_slug = np.array([not url_words(u) for _, _, u in pairs])
    if no_slug.any():
        head_proba, _, _ = _out_of_fold_proba(frame, head, head.featurize_many(pairs), folds, seed, C)
        proba[no_slug] = head_proba[no_slug]
    return proba, labels, chosen


def evaluate_stance(
    path: str | Path = EMERGENT_TRAIN, folds: int = 5, seed: int = 0, C: float | None = DEFAULT_C,
    url: bool = True,
) -> dict[str, Any]:
    """Grouped-by-claim cross-validated stance scores on Emergent, with baselines (`url` False:
    the headline model alone, as the scorer's calls without a URL get)."""
    return cross_validate(load_emergent(path), folds=folds, seed=seed, C=C, url=url)


def out_of_fold_stances(
    path: str | Path = EMERGENT_TRAIN, folds: int = 5, seed: int = 0, C: float | None = DEFAULT_C,
    url: bool = False,
) -> pd.DataFrame:
    """Stances predicted for each Emergent row by a model that never saw the row's claim
    (headline model alone unless `url`: the corroboration experiments score headlines as the
    batch scorer does, without URLs).

    Columns: articleId, claimId, stance, p_for, p_observing, p_against; input row order. For
    cross-outlet corroboration experiments, which must not score claims with stances the stance
    model learned from.
    """
    frame = load_emergent(path)
    proba, labels, _ = _system_proba(frame, folds, seed, C, url)
    out = pd.DataFrame({
        "articleId": frame["articleId"].to_numpy(),
        "claimId": frame["claimId"].to_numpy(),
        "stance": [labels[k] for k in proba.argmax(axis=1)],
    })
    for k, label in enumerate(labels):
        out[f"p_{label}"] = proba[:, k]
    return out


def format_table(result: dict[str, Any]) -> str:
    """A plain-text table of accuracy and per-class F1 for the model and the baselines."""
    rows = [("model", result["model"])] + list(result["baselines"].items())
    head = f"{'system':<14}{'accuracy':>9}{'macro-F1':>9}"
    head += "".join(f"{'F1 ' + lab:>14}" for lab in STANCE_LABELS)
    lines = [head]
    for name, s in rows:
        lines.append(f"{name:<14}{s['accuracy']:>9.3f}{s['macro_f1']:>9.3f}"
                     + "".join(f"{s['per_class'][lab]['f1']:>14.3f}" for lab in STANCE_LABELS))
    return "\n".join(lines)
