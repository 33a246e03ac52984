"""Source-type errors on labelled claims of the TRAIN split, for error analysis (never run on dev).

For every labelled claim the scorer matched and cited a source for, whose primary type differs from
the label's, prints gold -> predicted, the cited source phrase, its type rule (ClaimAttribution.
type_rule) and the claim; then counts of (gold, predicted, type rule).

    PYTHONPATH=. python tools/type_errors.py [--split train] [--quiet]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict

from scorer import analyze
from scorer.labels import article_text, load_labels, match_claims


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", default="train", choices=["train"])
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args()
    by_article = defaultdict(list)
    for c in load_labels(split=args.split):
        by_article[c.article_id].append(c)
    counts: Counter[tuple[str, str, str]] = Counter()
    n = wrong = 0
    for aid in sorted(by_article):
        gold = by_article[aid]
        text = article_text(aid)
        report = analyze(text, article_id=aid)
        pairs = match_claims([(c.span.start, c.span.end) for c in report.claims],
                             [(g.start, g.end) for g in gold])
        names = {s.id: s.name for s in report.sources}
        for i, j in pairs:
            c, g = report.claims[i], gold[j]
            if not (g.source_ids and c.source_ids):
                continue
            n += 1
            if c.source_type == g.source_types[0]:
                continue
            wrong += 1
            att = next((a for a in c.attributions if a.source_id == c.source_ids[0]), None)
            phrase = att.source.text if att and att.source else "?"
            rule = att.type_rule if att else "?"
            counts[(g.source_types[0], c.source_type, rule)] += 1
            if not args.quiet:
                print(f"{aid} {g.source_types[0]} -> {c.source_type} [{rule}] src={phrase!r} "
                      f"name={names.get(c.source_ids[0])!r}\n    {c.span.text[:220]!r}")
    print(f"\n{wrong} wrong of {n} typed ({100 * (1 - wrong / max(n, 1)):.1f}% right)", file=sys.stderr)
    for (g, p, r), k in counts.most_common():
        print(f"{k:4d}  {g:18s} -> {p:18s} {r}", file=sys.stderr)


if __name__ == "__main__":
    main()
