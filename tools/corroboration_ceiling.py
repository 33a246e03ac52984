"""How well can the `corroborated` verdict be told at all from what the scorer sees? (issue 3)

    PYTHONPATH=. python tools/corroboration_ceiling.py          # labelled train claims only

LABELLING.md makes a claim corroborated when two independent sources in the article back its main
point, counting sources elsewhere in the article (`support_source_ids`). This tool takes the scorer's
attribution errors out of the question: it uses the LABELS' claims and source ids, and asks only
what the scorer's support step must decide, from the same kinds of signals the scorer has.

1. Support pairs: for each labelled claim and each source the article cites that the claim does not,
   is that source in the claim's `support_source_ids`? Features of the closest claim citing it:
   content similarity (TF-IDF cosine and IDF-weighted coverage both ways, as `scorer.signals`
   computes them), distance in claims, whether the claim cites anyone, its place in the article, how
   much of the article the source speaks for. Article-grouped 5-fold logistic regression.
2. Claims: corroborated or not, from the label's own source count and the out-of-fold support
   probabilities (largest, second largest, sum). Article-grouped 5-fold logistic regression.

It prints ROC AUC, average precision and the out-of-fold probabilities' reach: how many claims
reach 0.5 (LABELLING.md's verdict threshold) and the best F1 over all thresholds. Train only.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

PAIR_FEATURES = ("cosine", "coverage", "coverage_back", "inverse_distance", "adjacent", "claim_uncited",
                 "claim_is_lede", "source_claims", "source_share", "article_main_source", "position",
                 "article_sources", "uncited_x_inverse_distance", "uncited_x_main_source")


def pair_rows(sims: np.ndarray, cov: np.ndarray,
              ids: list[tuple[str, ...]]) -> list[tuple[int, str, list[float]]]:
    """(claim, candidate source, PAIR_FEATURES) for every source of the article a claim does not cite."""
    n = len(ids)
    sources = sorted({s for c in ids for s in c})
    holders = {s: [j for j in range(n) if s in ids[j]] for s in sources}
    most = max((len(v) for v in holders.values()), default=0)
    rows = []
    for i in range(n):
        for s in sources:
            if s in ids[i]:
                continue
            others = holders[s]  # the claims citing s, which are never claim i itself
            distance = min(abs(j - i) for j in others)
            uncited = float(not ids[i])
            main = float(len(holders[s]) == most)
            rows.append((i, s, [max(sims[i, j] for j in others), max(cov[i, j] for j in others),
                                max(cov[j, i] for j in others), 1 / distance, float(distance == 1), uncited,
                                float(i == 0), min(len(others), 5) / 5, len(others) / n, main,
                                i / (n - 1) if n > 1 else 0.0, min(len(sources), 10) / 10,
                                uncited / distance, uncited * main]))
    return rows


def _oof(X: np.ndarray, y: np.ndarray, groups: np.ndarray) -> np.ndarray:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    p = np.zeros(len(y))
    for train, test in GroupKFold(n_splits=5).split(X, y, groups):
        fitted = LogisticRegression(C=1.0, max_iter=5000).fit(X[train], y[train])
        p[test] = fitted.predict_proba(X[test])[:, 1]
    return p


def _report(name: str, y: np.ndarray, p: np.ndarray) -> None:
    from sklearn.metrics import average_precision_score, precision_recall_curve, roc_auc_score

    precision, recall, _ = precision_recall_curve(y, p)
    f1 = np.max(2 * precision * recall / np.maximum(precision + recall, 1e-12))
    print(f"{name}: {len(y)} rows, {int(y.sum())} positive; out-of-fold ROC AUC {roc_auc_score(y, p):.3f}, "
          f"average precision {average_precision_score(y, p):.3f}, best F1 over thresholds {f1:.3f}, "
          f"rows at >= 0.5: {int((p >= 0.5).sum())} ({int(((p >= 0.5) & (y == 1)).sum())} positive)")


def main() -> None:
    from scorer.labels import article_text, load_labels
    from scorer.signals import claim_coverage, similarity_matrix
    from scorer.spans import make_span

    by_article = defaultdict(list)
    for label in load_labels(split="train"):
        by_article[label.article_id].append(label)
    pairs_X, pairs_y, pairs_g, keys = [], [], [], []
    claims = []
    for article_id in sorted(by_article):
        text = article_text(article_id)
        gold = sorted(by_article[article_id], key=lambda c: c.start)
        spans = [make_span(text, c.start, c.end) for c in gold]
        if any(s is None for s in spans):
            continue
        sims = similarity_matrix([s.text for s in spans])
        cov = claim_coverage(spans)
        for i, s, row in pair_rows(sims, cov, [c.source_ids for c in gold]):
            pairs_X.append(row)
            pairs_y.append(int(s in gold[i].support_source_ids))
            pairs_g.append(article_id)
            keys.append((article_id, i))
        claims += [(article_id, i, c) for i, c in enumerate(gold)]
    X, y, g = np.asarray(pairs_X), np.asarray(pairs_y), np.asarray(pairs_g)
    p = _oof(X, y, g)
    _report("support pairs (claim, another source of the article)", y, p)

    support: dict[tuple[str, int], list[float]] = defaultdict(list)
    for key, prob in zip(keys, p.tolist(), strict=True):
        support[key].append(prob)
    rows, target, groups = [], [], []
    for article_id, i, c in claims:
        probs = sorted(support[(article_id, i)], reverse=True)
        own = len(c.source_ids)
        rows.append([own == 0, own == 1, own >= 2, probs[0] if probs else 0.0,
                     probs[1] if len(probs) > 1 else 0.0, min(sum(probs), 3.0)])
        target.append(int(c.verdict == "corroborated"))
        groups.append(article_id)
    C, t, G = np.asarray(rows, dtype=float), np.asarray(target), np.asarray(groups)
    _report("claims, the label's own source count alone", t, _oof(C[:, :3], t, G))
    _report("claims, own source count and support probabilities", t, _oof(C, t, G))


if __name__ == "__main__":
    main()
