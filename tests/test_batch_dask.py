"""`scorer batch --engine dask`: a 2-worker LocalCluster gives the local engine's rows, row for row."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from scorer.cli import app

pytest.importorskip("dask.dataframe", reason="dask is not installed: pip install -e '.[dask]'")
distributed = pytest.importorskip(
    "distributed", reason="dask.distributed is not installed: pip install -e '.[dask]'"
)

runner = CliRunner()
TEXTS = [
    "The minister said the talks had ended on Friday.",
    "Officials, who asked not to be named, said the deal was likely to collapse.\n\nA spokesman denied that.",
    "",
    "According to Reuters, the plant will close in March.",
]


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    # Threads, not processes: process workers take seconds each to start and load the rules.
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        yield cluster.scheduler_address


@pytest.mark.parametrize("kind", ["csv", "parquet"])
def test_dask_output_equals_local_output(tmp_path: Path, scheduler: str, kind: str) -> None:
    frame = pd.DataFrame(
        {
            "id": [f"a{i}" for i in range(10)],
            "text": [TEXTS[i % 4] for i in range(10)],
            "outlet": ["reuters.com"] * 10,
        }
    )
    src = tmp_path / f"articles.{kind}"
    if kind == "csv":
        frame.to_csv(src, index=False)
    else:
        frame.to_parquet(src, row_group_size=3)
    local, dist = tmp_path / "local.csv", tmp_path / "dask.csv"
    summary = tmp_path / "per_article.csv"
    # In process (--workers 1): forking a pool here would copy the threads of the cluster above.
    r1 = runner.invoke(
        app,
        ["batch", str(src), "-o", str(local), "--chunksize", "3", "--outlet-column", "outlet",
         "--workers", "1"],
    )
    r2 = runner.invoke(
        app,
        [
            "batch",
            str(src),
            "-o",
            str(dist),
            "--chunksize",
            "3",
            "--outlet-column",
            "outlet",
            "--engine",
            "dask",
            "--scheduler",
            scheduler,
            "--per-article",
            str(summary),
        ],
    )
    assert r1.exit_code == 3, r1.output  # the empty texts fail, on both engines alike
    assert r2.exit_code == 3, r2.output
    assert local.read_bytes() == dist.read_bytes()
    assert pd.read_csv(summary)["article_id"].tolist() == frame["id"].tolist()


def test_dask_partitions_cut_at_record_boundaries(tmp_path: Path) -> None:
    from scorer.batch import csv_ranges, read_csv_range

    src = tmp_path / "multiline.csv"
    frame = pd.DataFrame(
        {"id": [f"m{i}" for i in range(7)], "text": [f"Line one.\nLine, two {i}.\n\n" for i in range(7)]}
    )
    frame.to_csv(src, index=False)
    ranges, _ = csv_ranges([src], 2, "text", None)
    parts = [read_csv_range(r) for r in ranges]
    assert [len(p) for p in parts] == [2, 2, 2, 1]
    got = pd.concat(parts)
    assert got["text"].tolist() == frame["text"].tolist() and got.index.tolist() == list(range(7))


def test_dask_keeps_big_integer_ids_with_nulls_exact(tmp_path: Path, scheduler: str) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    src, out = tmp_path / "in.parquet", tmp_path / "o.csv"
    ids = pa.array([9007199254740993, None], pa.int64())  # 2**53 + 1: no float64 holds it
    pq.write_table(pa.table({"id": ids, "text": ["The mayor said the bridge will close."] * 2}), src)
    args = ["batch", str(src), "-o", str(out), "--engine", "dask", "--scheduler", scheduler]
    assert runner.invoke(app, args).exit_code == 0
    ids = pd.read_csv(out, dtype=str, keep_default_na=False)["article_id"].tolist()
    assert ids == ["9007199254740993", ""]
