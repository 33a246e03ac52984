"""Check hand-labelled articles against LABELLING.md and turn claim texts into offsets.

A labeller writes one JSON file per article, claims in article order, each claim's text copied
from the article (never offsets: people count characters badly):

    {"article_id": "...", "labeller": "L7",
     "sources": {"S1": "Donald Trump, candidate", ...},
     "claims": [{"text": "...", "source_types": ["named_official"], "source_ids": ["S1"],
                 "support_source_ids": [], "hedged": 0, "contradicted": 0,
                 "verdict": "single_source"}, ...]}

    python tools/label_check.py FILE.json...          # problems per file, or OK
    python tools/label_check.py --csv FILE.json...    # labelled-claims CSV rows of the clean files

Each claim's text is searched for after the previous claim's end, so repeated sentences land on
the right occurrence. The checks are the mechanical ones LABELLING.md implies: known types, one id
per type, every id described, no source that is both a claim's own and its support, and the
verdict order (contested iff contradicted; unsourced iff no source and no support; corroborated
needs two ids). Sources are written primary first, in LABELLING.md's type order. The judgement
calls stay the labeller's.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path
from typing import Any

from scorer.evaluation.polnear import SHARED_DATA
from scorer.labels import REQUIRED, article_text
from scorer.sourcing import TYPE_RANK

VERDICTS = ("corroborated", "single_source", "contested", "unsourced")
COLUMNS = [*REQUIRED, "labeller"]


def check_article(data: dict[str, Any], text: str, split: str) -> tuple[list[str], list[dict[str, Any]]]:
    """(problems, CSV rows) of one labelled article given its text."""
    problems: list[str] = []
    rows: list[dict[str, Any]] = []
    sources = data.get("sources", {})
    pos = 0
    for k, claim in enumerate(data.get("claims", []), 1):
        claim_text = claim.get("text", "")
        where = f"claim {k} ({claim_text[:50]!r})"
        if not claim_text or claim_text != claim_text.strip():
            problems.append(f"{where}: empty, or starts or ends with whitespace")
            continue
        start = text.find(claim_text, pos)
        if start < 0:
            hint = ("found earlier: claims out of order or overlapping" if claim_text in text
                    else "not copied exactly: check quotes, dashes and spaces")
            problems.append(f"{where}: not found after the previous claim ({hint})")
            continue
        pos = end = start + len(claim_text)
        types = [t for t in claim.get("source_types", []) if t != "unattributed"]
        ids, support = list(claim.get("source_ids", [])), list(claim.get("support_source_ids", []))
        unknown = [t for t in types if t not in TYPE_RANK]
        if unknown:
            problems.append(f"{where}: unknown source type(s) {unknown}")
        if len(types) != len(ids):
            problems.append(f"{where}: {len(types)} source type(s) but {len(ids)} source id(s)")
        undescribed = [s for s in ids + support if s not in sources]
        if undescribed:
            problems.append(f"{where}: id(s) {undescribed} not in the article's sources")
        if set(ids) & set(support):
            problems.append(f"{where}: {sorted(set(ids) & set(support))} both own source and support")
        hedged, contradicted, verdict = claim.get("hedged"), claim.get("contradicted"), claim.get("verdict")
        if hedged not in (0, 1) or contradicted not in (0, 1):
            problems.append(f"{where}: hedged and contradicted are 0 or 1")
        expected = _verdict_problem(verdict, bool(contradicted), bool(ids), bool(support),
                                    len(set(ids) | set(support)))
        if expected:
            problems.append(f"{where}: {expected}")
        if len(types) == len(ids) and not unknown:
            order = sorted(range(len(ids)), key=lambda i: TYPE_RANK[types[i]])
            types, ids = [types[i] for i in order], [ids[i] for i in order]
        rows.append({"article_id": data.get("article_id", ""), "claim_id": f"C{k}", "start": start,
                     "end": end,
                     "source_types": "|".join(types) or "unattributed", "source_ids": "|".join(ids),
                     "support_source_ids": "|".join(support), "hedged": hedged, "contradicted": contradicted,
                     "verdict": verdict, "split": split, "labeller": data.get("labeller", "")})
    return problems, rows


def _verdict_problem(verdict: Any, contradicted: bool, has_own: bool, has_support: bool, n_ids: int) -> str:
    if verdict not in VERDICTS:
        return f"verdict {verdict!r} is not one of {list(VERDICTS)}"
    if contradicted != (verdict == "contested"):
        return "contested if and only if contradicted"
    if not contradicted and (verdict == "unsourced") == (has_own or has_support):
        return "unsourced if and only if no own source and no support"
    if verdict == "corroborated" and n_ids < 2:
        return "corroborated needs two independent sources (own and support together)"
    return ""


def _split_of(article_id: str) -> str:
    return "dev" if (SHARED_DATA / "polnear" / "dev" / "text" / f"{article_id}.txt").exists() else "train"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("--csv", action="store_true", help="write the CSV rows of the files that check clean")
    args = ap.parse_args(argv)
    writer = csv.DictWriter(sys.stdout, COLUMNS) if args.csv else None
    if writer:
        writer.writeheader()
    status = 0
    for path in args.files:
        data = json.loads(path.read_text(encoding="utf-8"))
        article_id = data.get("article_id") or path.stem
        data["article_id"] = article_id
        problems, rows = check_article(data, article_text(article_id), _split_of(article_id))
        if problems:
            status = 1
            print(f"{path}: {len(problems)} problem(s)", file=sys.stderr if writer else sys.stdout)
            for p in problems:
                print(f"  - {p}", file=sys.stderr if writer else sys.stdout)
        elif writer:
            writer.writerows(rows)
        else:
            print(f"{path}: OK, {len(rows)} claims")
    return status


if __name__ == "__main__":
    raise SystemExit(main())
