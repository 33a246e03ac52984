"""Rebuild data/outlets.csv from the Lin et al. (2023) domain ratings and data/outlet_names.csv.

Usage: .venv/bin/python tools/build_outlets.py [../shared/data/domain-quality/domain_pc1.csv]
The ratings table may be copied into the project with its citation (../shared/data/README.md).
"""

from __future__ import annotations

import csv
import sys
from collections import defaultdict
from pathlib import Path

from scorer.evaluation.polnear import SHARED_DATA

ROOT = Path(__file__).resolve().parents[1]
HEADER = """# Outlet reliability prior: domain, pc1 in [0, 1] (0 lowest, 1 highest quality), and the outlet
# names that take the domain's rating (pipe-separated; from data/outlet_names.csv).
# Ratings: Lin, Lasser, Lewandowsky, Cole, Gully, Rand & Pennycook (2023), "High level of correspondence
# across different news domain quality rating sets", PNAS Nexus 2(9), pgad286
# (hauselin/domain-quality-ratings; reused with citation as the authors invite).
# Domains named in outlet_names.csv but absent from the ratings have an empty pc1: the scorer then
# uses its stated default prior. Rebuild with: python tools/build_outlets.py
"""


def main(argv: list[str]) -> int:
    src = Path(argv[0]) if argv else SHARED_DATA / "domain-quality" / "domain_pc1.csv"
    if not src.is_file():
        print(f"error: {src}: ratings table not found; place ../shared/data beside the project, set "
              f"SCORER_SHARED_DATA, or give the table's path", file=sys.stderr)
        return 1
    names: dict[str, list[str]] = defaultdict(list)
    with open(ROOT / "data" / "outlet_names.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(line for line in fh if not line.startswith("#")):
            names[row["domain"].strip().lower()].append(row["name"].strip())
    rows: dict[str, str] = {}
    with open(src, encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            rows[row["domain"].strip().lower()] = row["pc1"].strip()
    out = ROOT / "data" / "outlets.csv"
    with open(out, "w", encoding="utf-8", newline="") as fh:
        fh.write(HEADER)
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["domain", "pc1", "names"])
        for domain in sorted(set(rows) | set(names)):
            writer.writerow([domain, rows.get(domain, ""), "|".join(names.get(domain, []))])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
