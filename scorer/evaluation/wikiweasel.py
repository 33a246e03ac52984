"""WikiWeasel: sentence-level hedge detection measured on real labelled Wikipedia text.

`evaluate_wikiweasel` cross-validates the hedge detector on `../shared/data/wikiweasel/train.csv`
(CoNLL-2010 task 1, Wikipedia; 1 = uncertain or weasel-worded). Stratified folds; in each, the model
is fitted on the training part only (`fit_hedge_model`: matched terms, weights, and the decision
threshold from an inner cross-validation of that part), and the test part is scored by
`HedgeDetector.detect_many`, the code the scorer runs. Precision, recall and F1 are pooled over the
test folds; the per-fold F1 spread says how firm the figure is.

Two schemes are reported, because WikiWeasel's annotation is not LABELLING.md's definition: it marks
weasel and peacock wording (vague groups, puffery) and mostly not modals (a sentence with "may" is
uncertain there 27% of the time, about the base rate), while LABELLING.md names "may" a hedge.
- `detector`: the `wikiweasel` scheme, the learned weights alone: what the data can measure.
- `detector_labelling`: the `labelling` scheme the scorer uses on news, scored against the same
  labels, so the price of following LABELLING.md on this data is visible.
Baselines on the same sentences: everything hedged, a cue list (any hedge rule fires), and the
LABELLING cue list (any rule marked `definitional` fires); optionally TF-IDF logistic regression.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

# One location for all reference data, SCORER_SHARED_DATA override included (README).
from scorer.evaluation.polnear import SHARED_DATA, require_reference_file
from scorer.hedging import (
    HEDGE_RULES_PATH,
    CueFinder,
    Featurizer,
    HedgeDetector,
    TrainingParams,
    best_f1_threshold,
    fit_hedge_model,
    read_wikiweasel,
)
from scorer.rulebook import RuleSet, load_ruleset

WIKIWEASEL_TRAIN = SHARED_DATA / "wikiweasel" / "train.csv"


def evaluate_wikiweasel(
    path: str | Path = WIKIWEASEL_TRAIN,
    folds: int = 5,
    seed: int = 0,
    rules: RuleSet | None = None,
    params: TrainingParams | None = None,
    tfidf: bool = False,
) -> dict[str, Any]:
    """Stratified `folds`-fold cross-validation of the hedge detector and baselines on WikiWeasel.

    Returns plain numbers (YAML-safe): `systems` maps a system name to pooled precision, recall and F1
    (plus per-fold F1 mean and standard deviation for the trained systems), `thresholds` lists the
    threshold each training part chose. `tfidf=True` adds a TF-IDF logistic regression baseline
    (word 1-2 grams, threshold chosen the same way), which takes a few seconds more.
    """
    path = Path(path)
    require_reference_file(path, WIKIWEASEL_TRAIN, "WikiWeasel file", "a WikiWeasel-format CSV")
    if folds < 2:
        raise ValueError("cross-validation needs at least 2 folds")
    from sklearn.model_selection import StratifiedKFold

    rules = rules or load_ruleset(HEDGE_RULES_PATH)
    params = params or TrainingParams(seed=seed)
    texts, y, digest = read_wikiweasel(path)
    predictions = {"detector": np.zeros(len(y), bool), "detector_labelling": np.zeros(len(y), bool)}
    fold_f1: dict[str, list[float]] = {name: [] for name in predictions}
    thresholds: list[float] = []
    splitter = StratifiedKFold(folds, shuffle=True, random_state=seed)
    for train, test in splitter.split(np.zeros(len(y)), y):
        model = fit_hedge_model([texts[i] for i in train], y[train], rules, params)
        thresholds.append(round(float(model.threshold), 6))
        items = [(texts[i], 0, len(texts[i])) for i in test]
        for name, scheme in (("detector", "wikiweasel"), ("detector_labelling", "labelling")):
            hedged = np.array([r.hedged for r in HedgeDetector(rules, model, scheme).detect_many(items)])
            predictions[name][test] = hedged
            fold_f1[name].append(_scores(y[test], hedged)["f1"])

    systems: dict[str, dict[str, Any]] = {}
    for name, scheme in (("detector", "wikiweasel"), ("detector_labelling", "labelling")):
        systems[name] = {
            **_scores(y, predictions[name]),
            "f1_fold_mean": _r(np.mean(fold_f1[name])),
            "f1_fold_std": _r(np.std(fold_f1[name])),
            "scheme": scheme,
        }
    systems["all_hedged"] = _scores(y, np.ones(len(y), bool))
    finder = CueFinder(rules)
    labelling = Featurizer(finder, scheme="labelling")
    found = [finder.find(t) for t in texts]
    systems["cue_list"] = _scores(y, np.array([bool(f.hedges) for f in found]))
    systems["cue_list_labelling"] = _scores(
        y, np.array([any(m.rule_id in finder.definitional for m in labelling.hedge_cues(f)) for f in found])
    )
    if tfidf:
        systems["tfidf_logreg"] = _tfidf_baseline(texts, y, splitter, params)
    return {
        "data": {"file": path.name, "sha256": digest, "rows": len(y), "positives": int(y.sum())},
        "folds": folds,
        "seed": seed,
        "systems": systems,
        "thresholds": thresholds,
    }


def format_table(result: dict[str, Any]) -> str:
    """The systems as a fixed-width text table, best F1 first."""
    rows = sorted(result["systems"].items(), key=lambda kv: -kv[1]["f1"])
    lines = [
        f"WikiWeasel {result['data']['file']}: {result['data']['rows']} sentences, "
        f"{result['data']['positives']} hedged; {result['folds']}-fold CV, seed {result['seed']}",
        f"{'system':<22} {'P':>6} {'R':>6} {'F1':>6}  {'fold F1':>13}",
    ]
    for name, s in rows:
        spread = f"{s['f1_fold_mean']:.3f}±{s['f1_fold_std']:.3f}" if "f1_fold_mean" in s else ""
        lines.append(f"{name:<22} {s['precision']:>6.3f} {s['recall']:>6.3f} {s['f1']:>6.3f}  {spread:>13}")
    return "\n".join(lines)


def _scores(y: np.ndarray, predicted: np.ndarray) -> dict[str, float]:
    tp = int(np.sum(predicted & (y == 1)))
    p = tp / max(1, int(predicted.sum()))
    r = tp / max(1, int((y == 1).sum()))
    return {"precision": _r(p), "recall": _r(r), "f1": _r(0.0 if tp == 0 else 2 * p * r / (p + r))}


def _r(value: float | np.floating[Any]) -> float:
    return round(float(value), 4)


def _tfidf_baseline(
    texts: list[str], y: np.ndarray, splitter: Any, params: TrainingParams
) -> dict[str, float]:
    """TF-IDF word 1-2 grams and logistic regression; threshold from inner folds of each training part."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    def fit_predict(train: np.ndarray, test: np.ndarray) -> np.ndarray:
        vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
        X = vectorizer.fit_transform([texts[i] for i in train])
        model = LogisticRegression(C=1.0, solver="liblinear").fit(X, y[train])
        return model.predict_proba(vectorizer.transform([texts[i] for i in test]))[:, 1]

    predicted = np.zeros(len(y), bool)
    for train, test in splitter.split(np.zeros(len(y)), y):
        inner_scores = np.zeros(len(train))
        inner = StratifiedKFold(params.threshold_folds, shuffle=True, random_state=params.seed)
        for a, b in inner.split(np.zeros(len(train)), y[train]):
            inner_scores[b] = fit_predict(train[a], train[b])
        threshold, _ = best_f1_threshold(y[train], inner_scores)
        predicted[test] = fit_predict(train, test) >= threshold
    return _scores(y, predicted)
