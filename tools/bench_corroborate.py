"""Benchmark `scorer corroborate` on generated reports: wall time and peak memory (RSS).

    .venv/bin/python tools/bench_corroborate.py --reports 100000 [--mode auto|claim] [--keep DIR]

Reports are generated, headline-sized and deterministic (seed): claims made of invented words, each
reported 1-60 times (a long-tailed count) by outlets drawn from data/outlets.csv (a fifth unrated),
reworded (a share of the claim's words dropped, filler words and framing added: "Report:",
"reportedly", "denies", "according to Reuters"), and one report in ten copied verbatim by another
outlet. The default mode groups them without a claim column (the slow path). Not a test: run by hand.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scorer.corroborate import corroborate  # noqa: E402
from scorer.sourcing import outlet_table  # noqa: E402

SYLLABLES = ["ka", "lo", "mi", "ra", "sen", "tu", "vor", "bel", "dan", "ex", "qui", "zo", "pra", "nel",
             "gor", "ith", "ul", "fen", "cas", "mor", "tri", "ven", "op", "sa"]
FRAMES = ["{}", "{}", "{}", "Report: {}", "{}, reportedly", "{}, sources say", "Officials deny that {}",
          "{}, according to Reuters", "Is it true that {}?", "{} (video)", "Rumour: {}"]


def _words(rng: np.random.Generator, n: int) -> list[str]:
    out = set()
    while len(out) < n:
        k = int(rng.integers(2, 5))
        out.add("".join(rng.choice(SYLLABLES, k)))
    return sorted(out)


def generate(n_reports: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    vocab = _words(rng, 60_000)
    zipf = 1.0 / np.arange(1, len(vocab) + 1) ** 1.05
    zipf /= zipf.sum()
    outlets = sorted(outlet_table().prior)
    draws = iter(rng.choice(len(vocab), size=20 * n_reports + 1000, p=zipf).tolist())  # Zipf word draws

    def pick(k: int) -> list[str]:
        return [vocab[next(draws)] for _ in range(k)]

    rows: list[tuple[str, str, int]] = []
    claim_id = 0
    while len(rows) < n_reports:
        size = int(min(60, max(1, rng.pareto(1.2) * 3)))
        claim = pick(int(rng.integers(5, 10)))
        claim[0] = claim[0].capitalize()
        for _ in range(size):
            words = [w for w in claim if rng.random() < 0.8] or claim[:2]
            filler = pick(int(rng.integers(0, 3)))
            text = FRAMES[int(rng.integers(len(FRAMES)))].format(" ".join(words + filler))
            if rng.random() < 0.8:
                outlet = outlets[int(rng.integers(len(outlets)))]
            else:
                outlet = f"site{int(rng.integers(50_000))}.example"
            rows.append((text, outlet, claim_id))
            if rng.random() < 0.1:  # a verbatim copy by another outlet
                rows.append((text, outlets[int(rng.integers(len(outlets)))], claim_id))
        claim_id += 1
    frame = pd.DataFrame(rows[:n_reports], columns=["text", "outlet", "claim_id"])
    return frame


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--mode", choices=["auto", "claim"], default="auto")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", type=Path, help="write the input and outputs here")
    args = parser.parse_args()

    frame = generate(args.reports, args.seed)
    if args.mode == "claim":
        frame["claim"] = frame.groupby("claim_id")["text"].transform("first")
    print(f"generated {len(frame)} reports of {frame['claim_id'].nunique()} claims", file=sys.stderr)
    start = time.perf_counter()
    result = corroborate(frame.drop(columns=["claim_id"]), text_column="text", outlet_column="outlet",
                         claim_column="claim" if args.mode == "claim" else None)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    from sklearn.metrics import adjusted_rand_score

    ari = adjusted_rand_score(frame["claim_id"], result.reports["group_id"])
    print(f"{len(frame)} reports -> {len(result.claims)} groups in {seconds:.1f} s "
          f"({len(frame) / seconds:.0f} reports/s); peak RSS {peak_mb:.0f} MB; "
          f"ARI vs generated claims {ari:.3f}")
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        frame.to_csv(args.keep / "reports_in.csv", index=False)
        result.claims.to_csv(args.keep / "claims.csv", index=False)
        result.reports.to_csv(args.keep / "reports.csv", index=False)


if __name__ == "__main__":
    main()
