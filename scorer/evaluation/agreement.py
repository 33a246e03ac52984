"""Inter-annotator agreement on the double-labelled articles: Cohen's kappa per field.

Claims of the two passes are matched as predictions are matched to labels (LABELLING.md: Jaccard
>= 0.5, one to one); segmentation agreement is the matched share, and kappa is computed per field on
the matched claims.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from sklearn.metrics import cohen_kappa_score

from scorer.labels import LABELS_PATH, LabelledClaim, load_labels, match_claims

SECOND_PASS_PATH = LABELS_PATH.parent / "second_pass.csv"

FIELDS = {
    "primary source type": lambda c: c.source_types[0] if c.source_types else "unattributed",
    "attributed (any source)": lambda c: bool(c.source_ids),
    "hedged": lambda c: c.hedged,
    "contradicted": lambda c: c.contradicted,
    "verdict": lambda c: c.verdict,
}


def agreement(first: Path = LABELS_PATH, second: Path = SECOND_PASS_PATH) -> dict[str, Any]:
    a = load_labels(first)
    b = load_labels(second)
    by_article: dict[str, tuple[list[LabelledClaim], list[LabelledClaim]]] = defaultdict(lambda: ([], []))
    for c in a:
        by_article[c.article_id][0].append(c)
    for c in b:
        by_article[c.article_id][1].append(c)
    pairs: list[tuple[LabelledClaim, LabelledClaim]] = []
    n_first = n_second = 0
    articles = 0
    for _article_id, (xs, ys) in sorted(by_article.items()):
        if not xs or not ys:
            continue
        articles += 1
        n_first += len(xs)
        n_second += len(ys)
        for i, j in match_claims([(c.start, c.end) for c in xs], [(c.start, c.end) for c in ys]):
            pairs.append((xs[i], ys[j]))
    result: dict[str, Any] = {
        "articles": articles, "claims_first": n_first, "claims_second": n_second, "matched": len(pairs),
        "segmentation_f1": round(2 * len(pairs) / (n_first + n_second), 4) if n_first + n_second else None,
        "fields": {},
    }
    for name, get in FIELDS.items():
        xs = [get(p[0]) for p in pairs]
        ys = [get(p[1]) for p in pairs]
        observed = sum(x == y for x, y in zip(xs, ys, strict=True)) / len(pairs) if pairs else None
        kappa = cohen_kappa_score([str(x) for x in xs], [str(y) for y in ys]) if pairs else None
        disagreements = sum(x != y for x, y in zip(xs, ys, strict=True))
        result["fields"][name] = {"kappa": round(float(kappa), 4) if kappa is not None else None,
                                  "observed_agreement": round(observed, 4) if observed is not None else None,
                                  "disagreements": disagreements}
    return result
