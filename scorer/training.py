"""`scorer train`: fit the corroboration model on labelled claims and keep it as text.

The scorer runs on each labelled article; its claims are matched to the labelled ones (LABELLING.md
matching) and the matched claims' feature rows are the training data, with `verdict == corroborated`
as the target. The fitted numbers go into a `scorer.linear/1` file with the training-data hash, so
a retrain on the same data writes the same file.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import numpy as np

from scorer.errors import InputError
from scorer.labels import article_text, load_labels, match_claims
from scorer.linear import LinearModel, sha256_of
from scorer.scoring import FEATURES

MODEL_ARTICLE = "24brussels-ukraine-guarantees"


def labelled_rows(path: str | Path, split: str) -> tuple[np.ndarray, np.ndarray, list[str], int]:
    """Feature rows and targets of matched claims, their article ids, and the labelled count."""
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
    return np.asarray(X, dtype=float), np.asarray(y, dtype=int), groups, len(labels)


def train_corroboration(path: str | Path, split: str = "train", C: float = 1.0) -> tuple[LinearModel, str]:
    from sklearn.linear_model import LogisticRegression

    X, y, groups, n_labelled = labelled_rows(path, split)
    if len(set(y.tolist())) < 2:
        raise InputError(f"{path}: split {split!r} has only one verdict class among matched claims; cannot fit")
    estimator = LogisticRegression(C=C, max_iter=2000)
    estimator.fit(X, y)
    digest = sha256_of(Path(path).read_bytes() for _ in [0])
    meta = {
        "training_data": {"path": str(path), "sha256": digest, "split": split, "labelled_claims": n_labelled,
                          "matched_claims": int(len(y)), "articles": len(set(groups)),
                          "positives": int(y.sum())},
        "params": {"C": C, "solver": "lbfgs", "penalty": "l2"},
    }
    model = LinearModel.from_estimator(estimator, FEATURES, "corroboration", **meta)
    summary = (f"Corroboration model fitted by `scorer train` on {len(y)} matched claims "
               f"({int(y.sum())} corroborated) from {len(set(groups))} articles, split {split}.\n"
               f"Class 1 = corroborated. Contribution of a feature = coefficient x value, in log-odds.")
    return model, summary
