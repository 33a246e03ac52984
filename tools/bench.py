"""Batch benchmark: the floor, `scorer batch` with 1 and 2 workers, and Dask, side by side.

    python tools/bench.py --mb 50            # what `make bench` runs (BENCH_MB=50)
    python tools/bench.py --mb 5 --rows a,b  # a quick look at two rows
    python tools/bench.py --memory 5,20      # peak RSS of (b) at several input sizes
    python tools/bench.py --memory 100,1000 --io-only --chunksize 500   # the same, reading and writing only
    python tools/bench.py --profile 100      # top hot spots of analyze() over 100 articles
    python tools/bench.py --worst-case       # one huge or run-on text: seconds and memory of analyze()
    python tools/bench.py --startup          # pipeline load and one `scorer report` (every run prints it)

Corpus (under bench-out/, never committed): the PolNeAR train texts repeated to the size asked for;
above 50 MB, articles generated from shuffled PolNeAR paragraphs (seeded, so runs compare).
Rows: (a) floor: pandas reads the CSV in chunks and every compiled lexicon (word-list rule) runs once
over all text;
(b) `scorer batch`, 1 worker; (c) 2 workers; (d) `--engine dask`, LocalCluster with 2 workers.
Each row runs in its own process; peak RSS is sampled over the whole process tree (psutil).
MB/s counts article text (UTF-8 bytes of the text column), not CSV bytes.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import csv
import os
import pstats
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

from scorer.evaluation.polnear import SHARED_DATA

ROOT = Path(__file__).resolve().parents[1]
POLNEAR = SHARED_DATA / "polnear" / "train" / "text"
OUT = ROOT / "bench-out"
FIXED_MB = 50


def polnear_texts() -> list[tuple[str, str]]:
    if not POLNEAR.is_dir():
        sys.exit(f"error: {POLNEAR} not found; the benchmark corpus is built from the PolNeAR train texts")
    files = sorted(POLNEAR.glob("*.txt"))
    return [(f.stem, f.read_text(encoding="utf-8")) for f in files]


def build_corpus(mb: float) -> tuple[Path, int, int]:
    """(path, articles, text bytes). Rebuilt only when missing."""
    OUT.mkdir(exist_ok=True)
    kind = "polnear" if mb <= FIXED_MB else "generated"
    path = OUT / f"corpus-{kind}-{mb:g}mb.csv"
    meta = path.with_suffix(".meta")
    if path.exists() and meta.exists():
        n, nbytes = (int(x) for x in meta.read_text().split())
        return path, n, nbytes
    texts = polnear_texts()
    target = int(mb * 1_000_000)
    rng = random.Random(7)
    paragraphs = [p for _, t in texts for p in t.split("\n\n") if p.strip()]
    n = nbytes = 0
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "text", "outlet"])
        while nbytes < target:
            if kind == "polnear":
                name, text = texts[n % len(texts)]
                art_id = f"r{n // len(texts)}-{name}"
            else:
                text = "\n\n".join(rng.sample(paragraphs, rng.randint(8, 30)))
                name, art_id = rng.choice(texts)[0], f"g{n}"
            w.writerow([art_id, text, name.split("_")[0] + ".com"])
            n += 1
            nbytes += len(text.encode("utf-8"))
    os.replace(tmp, path)
    meta.write_text(f"{n} {nbytes}")
    return path, n, nbytes


FLOOR = r"""
import sys, pandas as pd
from scorer.rulebook import RULES_DIR, load_ruleset
sets = [load_ruleset(p) for p in sorted(RULES_DIR.glob("*.yaml")) if not p.name.endswith("_model.yaml")]
rules = [r for s in sets for r in s.rules if r.terms]  # the word-list (lexicon) rules
n = 0
for chunk in pd.read_csv(sys.argv[1], chunksize=int(sys.argv[2]), dtype=object, keep_default_na=False):
    for text in chunk["text"]:
        for rule in rules:
            for _ in rule.finditer(text):
                n += 1
print(n, file=sys.stderr)
"""


def run_measured(cmd: list[str]) -> tuple[float, float, int, float]:
    """(wall seconds, peak RSS MB over the process tree, exit code, CPU seconds of the whole tree)."""
    try:
        import psutil
    except ImportError:  # pragma: no cover - psutil comes with dask[distributed]
        psutil = None
    import resource

    cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        if psutil is None:
            return
        root = psutil.Process(proc.pid)
        while not stop.is_set():
            try:
                procs = [root, *root.children(recursive=True)]
                total = 0
                for p in procs:
                    with contextlib.suppress(psutil.Error):
                        total += p.memory_info().rss
                peak = max(peak, total)
            except psutil.Error:
                return
            stop.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = proc.communicate()
    wall = time.perf_counter() - t0
    stop.set()
    sampler.join()
    cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    if proc.returncode not in (0, 3):
        print(f"   command failed ({proc.returncode}): {' '.join(cmd)}\n{stderr[-2000:]}", file=sys.stderr)
    return wall, peak / 1e6, proc.returncode, cpu


# The `scorer` command run by this interpreter (the checkout's, whatever the PATH holds).
SCORER = [sys.executable, "-c", "from scorer.cli import app; app()"]


def batch_cmd(corpus: Path, out: str, *extra: str, chunksize: int) -> list[str]:
    return [
        *SCORER,
        "batch",
        str(corpus),
        "-o",
        out,
        "--outlet-column",
        "outlet",
        "--chunksize",
        str(chunksize),
        "--no-progress",
        *extra,
    ]


SAMPLE_ARTICLE = ROOT / "data" / "articles" / "24brussels-ukraine-guarantees.txt"
LOAD = "import time; t = time.perf_counter(); from scorer.pipeline import default_pipeline; " \
       "default_pipeline(); print(time.perf_counter() - t)"


def startup(runs: int = 3) -> None:
    """What every `scorer report`, batch worker and Dask worker pays before its first article: loading
    the pipeline (rules, models), and a whole `scorer report` of the bundled sample article, each in
    fresh processes (median of `runs`)."""
    loads, reports = [], []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", LOAD], capture_output=True, text=True, check=True)
        loads.append(float(out.stdout.split()[-1]))
        t = time.perf_counter()
        subprocess.run([*SCORER, "report", str(SAMPLE_ARTICLE), "--format", "json"],
                       capture_output=True, check=True)
        reports.append(time.perf_counter() - t)
    print(f"start-up (median of {runs} fresh processes): pipeline load {sorted(loads)[runs // 2]:.2f} s; "
          f"scorer report of {SAMPLE_ARTICLE.name}, whole process {sorted(reports)[runs // 2]:.2f} s")


def bench(mb: float, rows: list[str], chunksize: int) -> None:
    corpus, n, nbytes = build_corpus(mb)
    startup()
    print(
        f"corpus: {corpus.relative_to(ROOT)}: {n} articles, {nbytes / 1e6:.1f} MB of text, "
        f"{corpus.stat().st_size / 1e6:.1f} MB CSV; chunks of {chunksize} rows; "
        f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores"
    )
    commands = {
        "a": (
            "(a) floor: pandas read + lexicons once",
            [sys.executable, "-c", FLOOR, str(corpus), str(chunksize)],
        ),
        "b": (
            "(b) scorer batch, 1 worker",
            batch_cmd(corpus, str(OUT / "claims-b.csv"), "--workers", "1", chunksize=chunksize),
        ),
        "c": (
            "(c) scorer batch, 2 workers",
            batch_cmd(corpus, str(OUT / "claims-c.csv"), "--workers", "2", chunksize=chunksize),
        ),
        "d": (
            "(d) dask LocalCluster, 2 workers",
            batch_cmd(
                corpus, str(OUT / "claims-d.csv"), "--engine", "dask", "--workers", "2", chunksize=chunksize
            ),
        ),
    }
    results: dict[str, tuple[float, float]] = {}
    print(f"{'':42} {'wall s':>8} {'MB/s':>7} {'art/s':>8} {'peak RSS MB':>12} {'CPU s':>7} {'art/CPU-s':>9}")
    for key in rows:
        label, cmd = commands[key]
        wall, rss, _, cpu = run_measured(cmd)
        results[key] = (wall, rss)
        print(
            f"{label:42} {wall:8.1f} {nbytes / 1e6 / wall:7.3f} {n / wall:8.1f} {rss:12.0f} {cpu:7.1f} "
            f"{n / max(cpu, 1e-9):9.1f}",
            flush=True,
        )
    speed = {k: nbytes / 1e6 / v[0] for k, v in results.items()}
    if "a" in speed and "b" in speed:
        print(
            f"(b)/(a) speed ratio: {speed['b'] / speed['a']:.3f}  (the pipeline's share of the floor's speed)"
        )
    if "b" in speed and "c" in speed:
        print(f"(c)/(b) speed-up: {speed['c'] / speed['b']:.3f}  (target >= 1.7)")
    if "c" in speed and "d" in speed:
        print(f"(d)/(c): {speed['d'] / speed['c']:.3f}  (target within 25%: >= 0.75)")
    if "b" in speed:
        print(
            f"(b) per core: {speed['b']:.3f} MB/s, {n / results['b'][0]:.1f} articles/s "
            f"(target 3 MB/s, ~650 articles/s)"
        )
    same = [k for k in ("c", "d") if k in results and "b" in results]
    for k in same:
        a, b = OUT / "claims-b.csv", OUT / f"claims-{k}.csv"
        print(f"claims-{k}.csv identical to claims-b.csv: {a.read_bytes() == b.read_bytes()}")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


def memory(sizes: list[float], chunksize: int, io_only: bool) -> None:
    """Peak RSS of (b) by input size. --io-only: every row over --max-chars 1, so the run reads,
    checks and writes every row without scoring it (the batch machinery alone, at disk speed)."""
    extra = ["--max-chars", "1"] if io_only else []
    note = "  (io only)" if io_only else ""
    print(f"{'input':>10} {'articles':>9} {'wall s':>8} {'peak RSS MB (b)':>16}{note}")
    for mb in sizes:
        corpus, n, _ = build_corpus(mb)
        wall, rss, _, _ = run_measured(
            batch_cmd(corpus, str(OUT / "claims-mem.csv"), "--workers", "1", *extra, chunksize=chunksize)
        )
        print(f"{mb:8g}MB {n:9d} {wall:8.1f} {rss:16.0f}", flush=True)


def profile(n: int, before: bool) -> None:
    if before:  # the rule matching as it was: full case folding on every case-insensitive rule
        import scorer.rulebook as rb

        rb._simple_fold_variant = lambda source, flags: None  # type: ignore[assignment]
    from scorer import analyze

    texts = [t for _, t in polnear_texts()][:n]
    analyze(texts[0])
    prof = cProfile.Profile(time.process_time)  # CPU time: other jobs on the machine do not count
    t0 = time.process_time()
    prof.enable()
    for t in texts:
        analyze(t)
    prof.disable()
    wall = time.process_time() - t0
    stats = pstats.Stats(prof)
    total = sum(v[2] for v in stats.stats.values())  # type: ignore[attr-defined]
    rows = sorted(stats.stats.items(), key=lambda kv: -kv[1][2])  # type: ignore[attr-defined]
    mb = sum(len(t.encode()) for t in texts) / 1e6
    print(
        f"{'before' if before else 'after'}: {n} articles, {mb:.2f} MB in {wall:.1f}s CPU under cProfile "
        f"({mb / wall:.3f} MB/s); top self-time functions:"
    )
    for (file, line, func), (_, _, tottime, cumtime, _) in rows[:8]:
        where = f"{Path(file).parent.name}/{Path(file).name}:{line}" if line else file
        print(f"  {100 * tottime / total:5.1f}% self  {100 * cumtime / total:5.1f}% cum  {func}  ({where})")


# Fixed texts that are no news article but reach a batch run all the same: run-ons with no sentence
# end, and many articles in one cell (`--max-chars` allows 100,000 characters by default).
WORST_CASES = {
    "run-on, 81 KB": "('and the official said that ' * 3000) + '.'",
    "run-on, 162 KB": "('and the official said that ' * 6000) + '.'",
    "names in a row, 62 KB": "' '.join(f'Senator John{i} Smith{i} said' for i in range(2000))",
    "30 articles in one cell, 99 KB": "'\\n\\n'.join(t for _, t in bench.polnear_texts()[:30])",
    "200 articles in one cell, 751 KB": "'\\n\\n'.join(t for _, t in bench.polnear_texts()[:200])",
}


def worst_case() -> None:
    """Each WORST_CASES text through analyze() in a process of its own: seconds, and how far the
    peak RSS rises over that of the process with the models loaded."""
    print(f"{'text':34} {'chars':>9} {'claims':>7} {'seconds':>8} {'RSS rise MB':>12}")
    for name, expr in WORST_CASES.items():
        code = (
            "import resource, sys, time; sys.path.insert(0, 'tools'); import bench\n"
            "from scorer import analyze\n"
            f"t = {expr}\n"
            "analyze('Warm up. He said so.')\n"
            "r0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
            "t0 = time.perf_counter(); r = analyze(t); s = time.perf_counter() - t0\n"
            "r1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
            "print(len(t), len(r.claims), s, (r1 - r0) / 1024)\n"
        )
        run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                             check=True)
        chars, claims, seconds, rise = run.stdout.split()
        print(f"{name:34} {int(chars):9d} {int(claims):7d} {float(seconds):8.1f} {float(rise):12.0f}",
              flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=FIXED_MB, help="corpus size in MB of article text")
    ap.add_argument("--rows", default="a,b,c,d", help="which rows to run (a,b,c,d)")
    ap.add_argument("--chunksize", type=int, default=100)
    ap.add_argument("--memory", help="comma-separated sizes in MB: peak RSS of (b) for each")
    ap.add_argument("--io-only", action="store_true", help="with --memory: read and write, do not score")
    ap.add_argument("--profile", type=int, help="profile analyze() over this many PolNeAR articles")
    ap.add_argument("--worst-case", action="store_true", help="seconds and memory of analyze() on huge texts")
    ap.add_argument("--startup", action="store_true", help="pipeline load and one `scorer report`, alone")
    ap.add_argument(
        "--before", action="store_true", help="with --profile: without the rule-matching fast path"
    )
    args = ap.parse_args()
    if args.startup:
        startup()
    elif args.worst_case:
        worst_case()
    elif args.profile:
        profile(args.profile, args.before)
    elif args.memory:
        memory([float(x) for x in args.memory.split(",")], args.chunksize, args.io_only)
    else:
        bench(args.mb, [r.strip() for r in args.rows.split(",") if r.strip()], args.chunksize)


if __name__ == "__main__":
    main()
