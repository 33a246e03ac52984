"""`scorer batch`: every input row accounted for, order kept, the same rows from every back end,
exit codes, resume after a kill, and the rule-matching fast path that must not change any match."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from scorer import batch as batch_module
from scorer import cli
from scorer.batch import (
    OUTPUT_COLUMNS,
    STATUSES,
    auto_workers,
    iter_chunks,
    score_frame,
    status_counts,
    summarize_claims,
)
from scorer.cli import app
from scorer.errors import InputError

from .conftest import MODEL_ARTICLE

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]

SHORT = [
    "The minister said the talks had ended on Friday.",
    "Officials, who asked not to be named, said the deal was likely to collapse. A spokesman denied that.",
    "According to Reuters, the plant will close in March.",
    "Prices rose. The central bank said it would act if needed.",
]


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _articles(tmp_path: Path, n: int = 12) -> Path:
    frame = pd.DataFrame(
        {
            "id": [f"a{i}" for i in range(n)],
            "text": [SHORT[i % len(SHORT)] for i in range(n)],
            "outlet": [("reuters.com", "", "bbc.co.uk", "example.org")[i % 4] for i in range(n)],
        }
    )
    path = tmp_path / "articles.csv"
    frame.to_csv(path, index=False)
    return path


def _damaged_csv(path: Path) -> int:
    """Every kind of damage in one file; returns the number of data records a CSV parser sees."""
    good = SHORT[1].encode()
    rows = [
        b'd1,"' + good + b'",reuters.com',
        b'd2,"",reuters.com',  # empty text: failed, nothing to score
        b'd3,"Le ministre a d\xe9clar\xe9 que c\'\xe9tait fini.",lemonde.fr',  # latin-1 bytes
        b'd4,"A NUL \x00 byte. The mayor said so.",',  # NUL byte
        b"d5,an unquoted, comma splits this text,bbc.co.uk",  # too many fields
        b'd1,"Duplicate id. The mayor said it twice.",x.com',  # duplicate id
        b"d6",  # too few fields
        b'd7,"' + b"word " * 4_000_000 + b'",big.com',  # a 20 MB cell
        b'd8,"He said "hi" and left",w.com',  # bad quoting inside a quoted field: failed
        b'd9,"Windows line end. The judge said so.",z.com\r',
        b'd10,"an unterminated quote swallows what follows,q.com',
        b'd11,"never seen as its own record",r.com',
    ]
    path.write_bytes(b"id,text,outlet\n" + b"\n".join(rows) + b"\n")
    return 11  # d10's open quote runs to the quote of d11's field: one record, not two


def test_damaged_file_accounts_for_every_row(tmp_path: Path) -> None:
    src = tmp_path / "damaged.csv"
    records = _damaged_csv(src)
    out, per_article = tmp_path / "claims.csv", tmp_path / "articles.csv"
    result = runner.invoke(
        app,
        [
            "batch",
            str(src),
            "-o",
            str(out),
            "--outlet-column",
            "outlet",
            "--chunksize",
            "3",
            "--per-article",
            str(per_article),
        ],
    )
    assert result.exit_code == 3, result.output
    claims, articles = _read(out), _read(per_article)
    assert list(articles["row"].astype(int)) == list(
        range(records)
    )  # one summary row per input row, in order
    assert list(dict.fromkeys(claims["row"].astype(int))) == list(range(records))
    status = dict(zip(articles["row"].astype(int), articles["status"], strict=True))
    error = dict(zip(articles["row"].astype(int), articles["error"], strict=True))
    assert status[0] == "scored" and status[5] == "scored"  # both d1 rows, kept apart by row
    assert status[1] == "failed" and error[1] == "empty text"
    assert status[2] == "failed" and error[2].startswith("undecodable bytes")
    assert status[4] == "failed" and "4 fields where the header has 3" in error[4]
    assert status[6] == "failed" and "1 fields where the header has 3" in error[6]
    assert status[7] == "skipped" and "(--max-chars)" in error[7]
    assert status[3] in {"scored", "no_claims"}
    # A quote not doubled inside a quoted field, and one that never closes (d10 reads d11 into it):
    # each a failed row that says so, not a mangled text scored as if whole.
    assert status[8] == "failed" and "bad quoting" in error[8] and "line 10" in error[8]
    assert status[10] == "failed" and "bad quoting" in error[10] and "line 12" in error[10]
    counts = articles["status"].value_counts().to_dict()
    assert sum(counts.values()) == records
    line = result.stderr.strip().splitlines()[-1]
    assert line.startswith(f"{records} rows in: ")
    assert f"{counts.get('failed', 0)} failed" in line and f"{counts.get('skipped', 0)} skipped" in line


def test_a_bad_record_is_named_by_its_line_in_the_file_however_it_is_read(tmp_path: Path) -> None:
    """The line a user opens the file at: counted from the file's first line (the header is line 1),
    whether the reader starts after the header, at a resumed offset or at a Dask partition's start."""
    from scorer.batch import READ_ERROR_COLUMN, csv_header, csv_ranges, iter_csv_records, read_csv_range

    src = tmp_path / "ragged.csv"
    src.write_bytes(b'id,text,outlet\n1,"two\nlines",x\n\n2,"c",y,EXTRA\n3,"d",z\n4,"e"\n')
    header, body = csv_header(src)
    errors = [r.read_error for r in iter_csv_records(src, header, body) if r.read_error]
    assert [e.split(":")[0] for e in errors] == ["CSV record at line 5", "CSV record at line 7"]
    second = next(iter_csv_records(src, header, body)).end  # as a resumed run starts
    assert [r.read_error.split(":")[0] for r in iter_csv_records(src, header, second) if r.read_error] == [
        "CSV record at line 5", "CSV record at line 7"]
    ranges, _ = csv_ranges([src], 1, "text", "outlet")
    from_parts = [e for part in ranges for e in read_csv_range(part)[READ_ERROR_COLUMN] if e]
    assert [e.split(":")[0] for e in from_parts] == ["CSV record at line 5", "CSV record at line 7"]


def test_a_quote_left_open_mid_file_fails_its_row_instead_of_passing_for_text(tmp_path: Path) -> None:
    """Record 3 was read into record 2's text and the run said every row scored (exit 0)."""
    src = tmp_path / "unterm.csv"
    src.write_text('id,text,outlet\n1,"Officials said the tax will rise.",x\n2,"never closes\n'
                   '3,"abc",z\n4,"The mayor said the road will close.",w\n', encoding="utf-8")
    out = tmp_path / "o.csv"
    result = runner.invoke(app, ["batch", str(src), "-o", str(out)])
    assert result.exit_code == 3, result.output
    rows = _read(out).drop_duplicates("row")
    assert rows["article_id"].tolist() == ["1", "2", "4"]
    assert rows["status"].tolist() == ["scored", "failed", "scored"]
    assert rows["error"].iloc[1].startswith("CSV record at line 3: bad quoting")
    # With commas after the open quote the swallowed record leaves a wrong field count: the error
    # still says what happened to the records after it.
    src.write_text('id,text\nr1,"The mayor said so."\nr2,"He said hello, there\nr3,"Aides said no, it was '
                   'fine."\nr4,"Officials said yes."\n', encoding="utf-8")
    assert runner.invoke(app, ["batch", str(src), "-o", str(out)]).exit_code == 3
    rows = _read(out).drop_duplicates("row")
    assert rows["article_id"].tolist() == ["r1", "r2", "r4"]
    assert "fields where the header has 2 and bad quoting" in rows["error"].iloc[1]
    assert "reads the records after it into this one" in rows["error"].iloc[1]


def test_damaged_file_strict_stops_at_first_failure(tmp_path: Path) -> None:
    src = tmp_path / "damaged.csv"
    _damaged_csv(src)
    result = runner.invoke(app, ["batch", str(src), "-o", str(tmp_path / "c.csv"), "--strict"])
    assert result.exit_code == 1
    assert "--strict: row 1 (id d2): empty text" in result.stderr


def test_score_frame_matches_declared_schema_and_never_raises() -> None:
    frame = pd.DataFrame({"id": ["x", None, "z", "w"], "text": [SHORT[0], None, 42, b"\xff\xfe"]})
    out = score_frame(frame)
    assert list(out.columns) == list(OUTPUT_COLUMNS)
    assert out.dtypes.astype(str).to_dict() == OUTPUT_COLUMNS
    last = out.drop_duplicates("row").set_index("row")
    assert last.loc[1, "article_id"] == "" and last.loc[1, "error"] == "missing text"
    assert last.loc[2, "error"] == "text is int, not a string"
    assert last.loc[3, "error"].startswith("undecodable bytes")
    assert set(out["status"]) <= set(STATUSES)


def test_chunks_are_bounded_and_ordered(tmp_path: Path) -> None:
    src = _articles(tmp_path, 10)
    chunks = list(iter_chunks([src], "csv", 3, "text", None))
    assert [len(c.frame) for c in chunks] == [3, 3, 3, 1]
    assert [c.first_row for c in chunks] == [0, 3, 6, 9]
    assert sum(c.nbytes for c in chunks) == src.stat().st_size - len("id,text,outlet\n")


@pytest.mark.parametrize(("rows", "chunksize", "cores", "workers"), [
    (5, 10, 2, 1),  # one chunk: scored in process, no pool
    (5, 2, 2, 2),
    (5, 2, 8, 3),  # three chunks: three workers, not eight
    (5, 1, 4, 4),
    (0, 2, 4, 1),
])
def test_default_workers_are_the_cores_a_chunk_keeps_busy(
    tmp_path: Path, rows: int, chunksize: int, cores: int, workers: int
) -> None:
    src = _articles(tmp_path, rows)
    expected = [c.first_row for c in iter_chunks([src], "csv", chunksize, "text", None)]
    chosen, chunks = auto_workers(iter_chunks([src], "csv", chunksize, "text", None), cores)
    assert chosen == workers
    assert [c.first_row for c in chunks] == expected  # the chunks read ahead are all given back, in order


def test_two_workers_give_the_same_rows_as_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = _articles(tmp_path, 12)
    one, two, auto = tmp_path / "one.csv", tmp_path / "two.csv", tmp_path / "auto.csv"
    common = ["--chunksize", "2", "--outlet-column", "outlet"]
    r1 = runner.invoke(app, ["batch", str(src), "-o", str(one), *common, "--workers", "1"])
    r2 = runner.invoke(app, ["batch", str(src), "-o", str(two), *common, "--workers", "2"])
    # No --workers: every usable core (two, here as on the CI machines) gets a chunk.
    started: list[int] = []
    pool = cli._local_executor
    monkeypatch.setattr(batch_module, "usable_cores", lambda: 2)
    monkeypatch.setattr(cli, "_local_executor", lambda n: started.append(n) or pool(n))
    r3 = runner.invoke(app, ["batch", str(src), "-o", str(auto), *common])
    assert r1.exit_code == 0 and r2.exit_code == 0 and r3.exit_code == 0, r1.output + r2.output + r3.output
    assert started == [2]
    assert one.read_bytes() == two.read_bytes() == auto.read_bytes()
    rows = _read(one)
    assert list(dict.fromkeys(rows["article_id"])) == [f"a{i}" for i in range(12)]


def test_parquet_in_and_out_and_folder_out(tmp_path: Path) -> None:
    csv_src = _articles(tmp_path, 6)
    pq_src = tmp_path / "articles.parquet"
    pd.read_csv(csv_src, dtype=str, keep_default_na=False).to_parquet(pq_src, row_group_size=4)
    ref, pq_out, folder = tmp_path / "ref.csv", tmp_path / "claims.parquet", tmp_path / "out"
    assert runner.invoke(app, ["batch", str(csv_src), "-o", str(ref), "--chunksize", "4"]).exit_code == 0
    assert runner.invoke(app, ["batch", str(pq_src), "-o", str(pq_out), "--chunksize", "4"]).exit_code == 0
    assert runner.invoke(app, ["batch", str(pq_src), "-o", f"{folder}/", "--chunksize", "4"]).exit_code == 0
    got = pd.read_parquet(pq_out)
    assert list(got.columns) == list(OUTPUT_COLUMNS) and not (tmp_path / "claims.parquet.parts").exists()
    assert got["claim_id"].fillna("").tolist() == _read(ref)["claim_id"].tolist()
    parts = sorted(folder.glob("part-*.csv"))
    assert len(parts) == 2
    assert pd.concat([_read(p) for p in parts], ignore_index=True).equals(_read(ref))


def test_stdout_jsonl_and_glob(tmp_path: Path) -> None:
    src = _articles(tmp_path, 4)
    (tmp_path / "more.csv").write_bytes(src.read_bytes())
    result = runner.invoke(app, ["batch", str(tmp_path / "*.csv"), "-o", "-"])
    assert result.exit_code == 0, result.output
    rows = pd.read_csv(pd.io.common.StringIO(result.stdout), dtype=str, keep_default_na=False)
    assert list(dict.fromkeys(rows["row"].astype(int))) == list(range(8))  # two files, rows numbered across
    out = tmp_path / "reports.jsonl"
    assert runner.invoke(app, ["batch", str(src), "-o", str(out)]).exit_code == 0
    docs = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [d["article"]["id"] for d in docs] == ["a0", "a1", "a2", "a3"]
    assert all(d["schema"] == "scorer.report/1" and d["status"] == "scored" for d in docs)


def test_per_article_summary_matches_the_report(tmp_path: Path) -> None:
    text = MODEL_ARTICLE.read_text(encoding="utf-8")
    src = tmp_path / "one.csv"
    pd.DataFrame({"id": ["m"], "text": [text], "outlet": ["24brussels.net"]}).to_csv(src, index=False)
    summary = tmp_path / "per_article.csv"
    result = runner.invoke(
        app,
        [
            "batch",
            str(src),
            "-o",
            str(tmp_path / "c.csv"),
            "--outlet-column",
            "outlet",
            "--per-article",
            str(summary),
        ],
    )
    assert result.exit_code == 0, result.output
    from scorer import analyze

    expected = analyze(text, outlet="24brussels.net").summary()
    row = pd.read_csv(summary).iloc[0]
    assert row["claims"] == expected["claims"]
    for t, n in expected["by_source_type"].items():
        assert row[f"n_{t}"] == n
    for key in ("unnamed_share", "hedged_share", "contradicted_share", "outlet_prior"):
        assert row[key] == pytest.approx(expected[key])
    assert row["mean_corroboration"] == pytest.approx(expected["mean_corroboration"], abs=1e-9)


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["-o", "out.txt"], 2, "unknown output type"),
        (["-o", "-", "--resume"], 2, "--resume needs an output file"),
        (["-o", "x.jsonl", "--engine", "dask"], 2, "use the local engine for .jsonl"),
        (["-o", "x.csv", "--scheduler", "tcp://h:1"], 2, "--scheduler goes with --engine dask"),
        (["-o", "x.csv", "--per-article", "x.txt"], 2, "use a .csv or .parquet path"),
        (["-o", "x.csv", "--workers", "0"], 2, ""),
    ],
)
def test_usage_errors_exit_2(tmp_path: Path, args: list[str], code: int, message: str) -> None:
    result = runner.invoke(app, ["batch", str(_articles(tmp_path, 1)), *args])
    assert result.exit_code == code
    assert message in result.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        (b"", "empty file"),
        (b"id,body\n1,hello\n", "no column 'text'"),
        (b"id,text,text\n1,The mayor said so.,x\n", "column 'text' appears more than once"),
        (b"id;text\n1;The mayor said so.\n", "looks ;-separated"),
        (b"id\ttext\n1\tThe mayor said so.\n", "looks tab-separated"),
        (gzip.compress(b"id,text\n1,The mayor said so.\n"), "gzip-compressed; decompress it first"),
        (b"id,text\r1,The mayor said so.\r", "bare carriage return"),
    ],
)
def test_unreadable_input_is_one_line_exit_1(tmp_path: Path, content: bytes | None, message: str) -> None:
    """And the output of an earlier run at the same path is left as it was."""
    path, out = tmp_path / "in.csv", tmp_path / "o.csv"
    if content is not None:
        path.write_bytes(content)
    out.write_text("an earlier run's claims\n", encoding="utf-8")
    per_article = ["--per-article", str(tmp_path / "a.csv")]
    result = runner.invoke(app, ["batch", str(path), "-o", str(out), *per_article])
    assert result.exit_code == 1
    assert message in result.stderr and result.stderr.strip().count("\n") == 0
    assert out.read_text(encoding="utf-8") == "an earlier run's claims\n"
    assert not (tmp_path / "a.csv").exists()


@pytest.mark.parametrize("content", [b"x", b"PAR1 but cut short"])
def test_unreadable_parquet_is_one_line_exit_1(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "in.parquet"
    path.write_bytes(content)
    result = runner.invoke(app, ["batch", str(path), "-o", str(tmp_path / "o.parquet")])
    assert result.exit_code == 1
    assert "not a readable Parquet file" in result.stderr and result.stderr.strip().count("\n") == 0
    assert not (tmp_path / "o.parquet.parts").exists()


@pytest.mark.parametrize("kind", ["csv", "parquet"])
def test_an_output_that_is_an_input_is_refused_untouched(tmp_path: Path, kind: str) -> None:
    src = _articles(tmp_path, 2)
    if kind == "parquet":
        pd.read_csv(src).to_parquet(tmp_path / "articles.parquet")
        src = tmp_path / "articles.parquet"
    before = src.read_bytes()
    for args in (["-o", str(src)], ["-o", str(tmp_path / "c.csv"), "--per-article", str(src)],
                 ["-o", str(tmp_path / "c.csv"), "--per-article", str(tmp_path / "c.csv")]):
        result = runner.invoke(app, ["batch", str(src), *args])
        assert result.exit_code == 2, args
        assert result.stderr.startswith("error: ") and result.stderr.strip().count("\n") == 0
        assert src.read_bytes() == before


def test_a_glob_that_matches_the_output_is_refused(tmp_path: Path) -> None:
    """A rerun of `batch 'dir/*.csv' -o dir/claims.csv` must not read its own last output as input."""
    _articles(tmp_path, 2)
    out = tmp_path / "claims.csv"
    out.write_text("id,text\nx,An earlier output.\n", encoding="utf-8")
    result = runner.invoke(app, ["batch", str(tmp_path / "*.csv"), "-o", str(out)])
    assert result.exit_code == 2 and "is also an input" in result.stderr


def test_a_quote_never_closed_fails_its_row_instead_of_swallowing_the_rest(tmp_path: Path) -> None:
    src, out = tmp_path / "in.csv", tmp_path / "o.csv"
    src.write_bytes(b'id,text\n1,The mayor said so.\n2,"The governor said so.\n3,Officials said so.\n'
                    b"4,The police said so.\n")
    result = runner.invoke(app, ["batch", str(src), "-o", str(out)])
    assert result.exit_code == 3
    rows = _read(out)
    failed = rows[rows["status"] == "failed"]
    assert failed["article_id"].tolist() == ["2"]
    assert "never closes, so the 2 lines after it" in failed["error"].iloc[0]
    # A closed multi-line quote at the end of a file is just a long last record.
    src.write_bytes(b'id,text\n1,"The governor said so.\nOfficials said so."\n')
    assert runner.invoke(app, ["batch", str(src), "-o", str(out)]).exit_code == 0


def test_ids_blank_or_quoted_after_a_bom_or_integers_with_nulls(tmp_path: Path) -> None:
    src, out = tmp_path / "in.csv", tmp_path / "o.csv"
    src.write_bytes(b'\xef\xbb\xbf"id","text"\n"007","The mayor said so."\n"","The judge said so."\n')
    assert runner.invoke(app, ["batch", str(src), "-o", str(out)]).exit_code == 0
    assert _read(out)["article_id"].tolist() == ["007", ""]  # a blank id stays blank; `row` tells rows apart
    pq_src = tmp_path / "in.parquet"
    ids = pd.array([7, None, 9], dtype="Int64")
    pd.DataFrame({"id": ids, "text": ["The mayor said so."] * 3}).to_parquet(pq_src)
    assert runner.invoke(app, ["batch", str(pq_src), "-o", str(out)]).exit_code == 0
    assert _read(out)["article_id"].tolist() == ["7", "", "9"]


@pytest.mark.parametrize("damage", ["emptied", "deleted"])
def test_resume_refuses_an_output_that_lost_rows(tmp_path: Path, damage: str) -> None:
    src, out = _articles(tmp_path, 4), tmp_path / "c.csv"
    checkpoint = tmp_path / "c.csv.resume.json"
    args = ["batch", str(src), "-o", str(out), "--chunksize", "2", "--workers", "1"]
    assert runner.invoke(app, args).exit_code == 0
    size = out.stat().st_size
    # As an interrupted run leaves it: a checkpoint after its last complete chunk.
    doc = {"schema": "scorer.batch-resume/1", "output": size, "per_article": None, "counts": {}, "rows_in": 2,
           "read": {"chunk": 1, "row": 2, "file_index": 0, "position": 0}}
    settings = {"input": "csv", "chunksize": 2, "text_column": "text", "id_column": "id",
                "outlet_column": "outlet", "max_chars": 100_000, "engine": "local", "output": "csv",
                "per_article": None}
    doc["fingerprint"] = batch_module.input_fingerprint([src], settings)
    checkpoint.write_text(json.dumps(doc), encoding="utf-8")
    if damage == "emptied":
        out.write_bytes(b"")
    else:
        out.unlink()
    result = runner.invoke(app, [*args, "--resume"])
    assert result.exit_code == 1
    expected = "shorter (0 bytes) than the interrupted run" if damage == "emptied" else "output is gone"
    assert expected in result.stderr and "run again without --resume" in result.stderr
    assert not out.exists() or out.read_bytes() == b""  # not lengthened with NUL bytes


def test_missing_dask_extra_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "dask", None)
    result = runner.invoke(
        app, ["batch", str(_articles(tmp_path, 1)), "-o", str(tmp_path / "o.csv"), "--engine", "dask"]
    )
    assert result.exit_code == 1
    assert "pip install -e '.[dask]'" in result.stderr and result.stderr.strip().count("\n") == 0


def _stat(pid: int) -> list[str] | None:
    """Fields of /proc/PID/stat after the command name (state first), or None when it is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def _children(pid: int) -> list[tuple[int, str]]:
    """(pid, start time) of the processes whose parent is `pid` (Linux /proc): the start time tells
    a process from a later one that reuses its pid."""
    kids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        fields = _stat(int(stat.parent.name))
        if fields is not None and int(fields[1]) == pid:
            kids.append((int(stat.parent.name), fields[19]))
    return kids


def _running(pid: int, started: str) -> bool:
    fields = _stat(pid)
    # A zombie has exited; reaping it is its new parent's business.
    return fields is not None and fields[19] == started and fields[0] not in ("Z", "X")


def _long_run(tmp_path: Path, n: int,
              workers: str) -> tuple[Path, Path, Path, Path, list[str], dict[str, str]]:
    """A run long enough to stop midway: `n` copies of the model article in chunks of 2, as a
    subprocess command (input, output, a reference output path, the checkpoint, command, env)."""
    text = MODEL_ARTICLE.read_text(encoding="utf-8")
    src = tmp_path / "big.csv"
    pd.DataFrame({"id": [f"k{i}" for i in range(n)], "text": [text] * n}).to_csv(src, index=False)
    out, ref = tmp_path / "claims.csv", tmp_path / "ref.csv"
    cmd = [sys.executable, "-m", "scorer", "batch", str(src), "-o", str(out),
           "--chunksize", "2", "--workers", workers]
    return src, out, ref, tmp_path / "claims.csv.resume.json", cmd, {**os.environ, "PYTHONPATH": str(ROOT)}


@pytest.mark.parametrize("workers", ["1", "2"])
def test_killed_run_resumes_without_duplicates(tmp_path: Path, workers: str) -> None:
    """Killed with SIGKILL midway (no chance to clean up), a run resumes from its last complete chunk;
    with a worker pool, the orphaned workers exit too instead of waiting on their queue for ever."""
    n = 40
    src, out, ref, checkpoint, cmd, env = _long_run(tmp_path, n, workers)
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    done = 0
    while time.monotonic() < deadline and proc.poll() is None:
        if checkpoint.exists():
            try:
                done = json.loads(checkpoint.read_text(encoding="utf-8"))["read"]["chunk"]
            except (ValueError, KeyError):
                done = 0
            if done >= 3:
                break
        time.sleep(0.05)
    assert proc.poll() is None, "the run ended before it could be killed midway"
    linux = Path("/proc/self/stat").exists()
    pool = _children(proc.pid) if linux else []
    if linux:
        assert len(pool) >= 2 if workers == "2" else not pool
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert 3 <= done < n // 2
    deadline = time.monotonic() + 20
    while any(_running(*p) for p in pool) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [p for p, started in pool if _running(p, started)]
    for p in left:  # not to leave them to the rest of the test session
        os.kill(p, signal.SIGKILL)
    assert not left, "pool workers outlived their killed parent"
    resumed = subprocess.run(
        [*cmd, "--resume"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert resumed.returncode == 0, resumed.stderr
    assert "resuming after" in resumed.stderr and not checkpoint.exists()
    whole = runner.invoke(app, ["batch", str(src), "-o", str(ref), "--chunksize", "2", "--workers", "1"])
    assert whole.exit_code == 0
    assert out.read_bytes() == ref.read_bytes()


@pytest.mark.parametrize("workers", ["1", "2"])
def test_an_interrupted_run_says_how_far_it_got_and_how_to_go_on(tmp_path: Path, workers: str) -> None:
    """Ctrl-C (SIGINT to the whole process group, as a terminal sends it) left a partial output and
    said nothing, exit 130; now one line says how far the run got and that --resume goes on, and the
    resumed output is the whole run's."""
    src, out, ref, checkpoint, cmd, env = _long_run(tmp_path, 40, workers)
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None and not checkpoint.exists():
        time.sleep(0.05)
    time.sleep(0.3)
    assert proc.poll() is None, "the run ended before it could be interrupted"
    os.killpg(proc.pid, signal.SIGINT)
    _, stderr = proc.communicate(timeout=120)
    lines = stderr.decode().strip().splitlines()
    assert proc.returncode == 130, stderr
    assert len(lines) == 1 and lines[0].startswith("interrupted after "), lines
    assert lines[0].endswith("rows; run the same command with --resume to continue")
    resumed = subprocess.run([*cmd, "--resume"], cwd=ROOT, env=env, capture_output=True, text=True,
                             timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    whole = runner.invoke(app, ["batch", str(src), "-o", str(ref), "--chunksize", "2", "--workers", "1"])
    assert whole.exit_code == 0
    assert out.read_bytes() == ref.read_bytes()


def test_an_interrupt_before_any_row_is_one_line_and_exit_130(tmp_path: Path) -> None:
    """Ctrl-C while the rules load (start-up takes over a second) ended a run with no word, or was
    lost in a destructor and the run went on to exit 0."""
    _, _, _, checkpoint, cmd, env = _long_run(tmp_path, 10, "1")
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    time.sleep(0.3)
    os.killpg(proc.pid, signal.SIGINT)
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 130, stderr
    assert stderr.decode().strip() == "interrupted before any row was scored; nothing to resume"
    assert not checkpoint.exists()


def test_a_second_interrupt_while_closing_adds_no_contradiction(tmp_path: Path, monkeypatch) -> None:
    """A second Ctrl-C while the output closes reached the outer handler, which added "interrupted
    before any row was scored; nothing to resume" under "interrupted after 2 rows; ... --resume"."""
    src = _articles(tmp_path, 4)

    def drive(results, sink, article_sink, checkpoint, cp_file, stats, strict, on_chunk):  # noqa: ANN001
        stats.rows_in = 2
        raise KeyboardInterrupt

    real_open = batch_module.open_sink

    def open_sink(*args, **kwargs):  # noqa: ANN002, ANN003
        sink = real_open(*args, **kwargs)

        def abort() -> None:
            raise KeyboardInterrupt  # the second Ctrl-C, while closing

        sink.abort = abort
        return sink

    monkeypatch.setattr(batch_module, "drive", drive)
    monkeypatch.setattr(batch_module, "open_sink", open_sink)
    result = runner.invoke(app, ["batch", str(src), "-o", str(tmp_path / "o.csv"), "--workers", "1"])
    assert result.exit_code == 130
    assert result.stderr.strip().splitlines() == [
        "interrupted after 2 rows; run the same command with --resume to continue"]


def test_batch_runs_off_the_main_thread(tmp_path: Path) -> None:
    """Signal handlers can be set in the main thread only: a caller's worker thread (a notebook, a
    service) must still run a batch, with Python's own Ctrl-C handling."""
    import threading

    src = _articles(tmp_path, 2)
    results = []
    thread = threading.Thread(target=lambda: results.append(
        runner.invoke(app, ["batch", str(src), "-o", str(tmp_path / "o.csv"), "--workers", "1"])))
    thread.start()
    thread.join(timeout=120)
    assert results and results[0].exit_code == 0, results and results[0].output


def test_a_missing_id_stays_missing_and_a_named_id_column_must_exist(tmp_path: Path) -> None:
    """A blank id cell became the row number, "1", the real id of another row; now it stays empty
    (the `row` column tells rows apart). An --id-column the input lacks is a usage error, not a
    silent fall back to row numbers; a Parquet file's id stored as pandas' index is read as its id."""
    src = tmp_path / "ids.csv"
    src.write_text('id,text\n1,"Officials said taxes will rise, according to Reuters."\n'
                   ',"The mayor said the plan failed, aides told AP."\n', encoding="utf-8")
    out = tmp_path / "c.csv"
    result = runner.invoke(app, ["batch", str(src), "-o", str(out), "--workers", "1"])
    assert result.exit_code == 0, result.output
    claims = _read(out)
    assert list(claims.drop_duplicates("row")["article_id"].fillna("")) == ["1", ""]
    for option in ("--id-column", "--text-column", "--outlet-column"):  # a named column is a usage error
        bad = runner.invoke(app, ["batch", str(src), "-o", str(out), option, "nope"])
        assert bad.exit_code == 2 and f"no column 'nope' ({option})" in bad.stderr
    src.write_text('id,text\n,""\n', encoding="utf-8")
    strict = runner.invoke(app, ["batch", str(src), "-o", str(out), "--strict"])
    assert strict.exit_code == 1 and "--strict: row 0: empty text" in strict.stderr  # no "(id )"
    pq = tmp_path / "ids.parquet"
    pd.DataFrame({"id": ["p1", "p2"], "text": ["The mayor said so.", "Aides said no."]}).set_index(
        "id").to_parquet(pq)
    result = runner.invoke(app, ["batch", str(pq), "-o", str(out), "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert list(_read(out).drop_duplicates("row")["article_id"]) == ["p1", "p2"]


@pytest.mark.parametrize("output", ["afile/out.csv", "afile/", "afile/x.parquet"])
def test_an_output_below_a_file_is_one_line(tmp_path: Path, output: str) -> None:
    src = _articles(tmp_path, 2)
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    result = runner.invoke(app, ["batch", str(src), "-o", f"{tmp_path}/{output}"])  # "afile/" keeps its slash
    assert result.exit_code == 1
    assert "afile is a file, not a folder" in result.stderr and "Traceback" not in result.output
    assert result.stderr.strip().count("\n") == 0


@pytest.mark.parametrize(("content", "says"), [
    ("id,text\n1,hi\n".encode("utf-16"), "UTF-16 text; save it as UTF-8"),
    (b"PAR1\x15\x04\x15", "a Parquet file named as a CSV"),
    (b'1,"' + b"The mayor said the road would close next week. " * 10 + b'"\n2,"Aides said no."\n',
     "its first line looks like a record, not a header"),
])
def test_an_unreadable_header_says_what_the_file_is(tmp_path: Path, content: bytes, says: str) -> None:
    src = tmp_path / "in.csv"
    src.write_bytes(content)
    result = runner.invoke(app, ["batch", str(src), "-o", str(tmp_path / "o.csv")])
    assert result.exit_code == 1, result.output
    assert says in result.stderr and result.stderr.strip().count("\n") == 0
    assert len(result.stderr) < 400  # the article that was read as a header is not printed whole


def test_a_glob_whose_inputs_differ_in_outlet_column_says_no_outlet_is_read(tmp_path: Path) -> None:
    (tmp_path / "g").mkdir()
    pd.DataFrame({"id": ["a"], "text": ["The mayor said so."], "outlet": ["reuters.com"]}).to_csv(
        tmp_path / "g" / "a.csv", index=False)
    pd.DataFrame({"id": ["b"], "text": ["Aides said no."]}).to_csv(tmp_path / "g" / "b.csv", index=False)
    result = runner.invoke(app, ["batch", str(tmp_path / "g" / "*.csv"), "-o", str(tmp_path / "o.csv")])
    assert result.exit_code == 0, result.output
    assert "b.csv has no 'outlet' column; outlets are read only when every input has one" in result.stderr
    pd.DataFrame({"text": ["Aides said no."]}).to_csv(tmp_path / "g" / "b.csv", index=False)
    result = runner.invoke(app, ["batch", str(tmp_path / "g" / "*.csv"), "-o", str(tmp_path / "o.csv")])
    assert result.exit_code == 0, result.output
    assert "b.csv has no 'id' column; its rows' ids are their row numbers" in result.stderr


def test_resume_refuses_a_changed_input(tmp_path: Path) -> None:
    src = _articles(tmp_path, 2)
    out = tmp_path / "c.csv"
    (tmp_path / "c.csv.resume.json").write_text(
        json.dumps(
            {
                "schema": "scorer.batch-resume/1",
                "fingerprint": {"inputs": [], "settings": {}},
                "read": {"chunk": 1, "row": 1, "file_index": 0, "position": 20},
                "output": 10,
                "per_article": None,
                "counts": {},
                "rows_in": 1,
            }
        ),
        encoding="utf-8",
    )
    result = runner.invoke(app, ["batch", str(src), "-o", str(out), "--resume"])
    assert result.exit_code == 1 and "changed since the interrupted run" in result.stderr


# ---- rulebook fast path: simple case folding where full folding cannot differ ---------------------------
def test_multi_fold_table_covers_python_and_regex() -> None:
    import regex
    from regex import _regex

    from scorer.rulebook import _MULTI_FOLD

    flags = regex.FULLCASE | regex.IGNORECASE | regex.UNICODE
    for cp in range(sys.maxunicode + 1):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        c = chr(cp)
        if len(c.casefold()) > 1 or len(_regex.fold_case(flags, c)) > 1:
            assert _MULTI_FOLD.match(c), f"U+{cp:04X}"


@pytest.mark.parametrize(
    "text",
    [
        "Reportedly the Straße was closed, STRASSE officials said.",
        "The ﬁnal report, ofﬁcials say, was allegedly leaked.",
        "İstanbul officials reportedly said so; the istanbul office denied it.",
        "Officials said “it is fake news”, according to sources familiar with the matter.",
    ],
)
def test_fast_path_finds_exactly_what_the_full_pattern_finds(text: str) -> None:
    from scorer.rulebook import REGEX_TIMEOUT_S, RULES_DIR, load_ruleset

    for path in sorted(RULES_DIR.glob("*.yaml")):
        if path.name.endswith("_model.yaml"):
            continue
        for rule in load_ruleset(path).rules:
            for pos, end in [(0, len(text)), (5, len(text) - 3)]:
                full = [
                    (m.start(), m.end())
                    for m in rule.compiled.finditer(text, pos, end, timeout=REGEX_TIMEOUT_S)
                    if m.end() > m.start()
                ]
                assert [(m.start, m.end) for m in rule.finditer(text, pos, end)] == full, rule.id


def test_a_text_over_the_default_limit_is_skipped_with_the_fix(tmp_path: Path) -> None:
    # The CLI's --max-chars default is the batch function's, so the pandas and Dask paths and the
    # command line skip the same rows; the error names the flag that lets the row through.
    import inspect

    from scorer import cli
    from scorer.batch import DEFAULT_MAX_CHARS

    assert inspect.signature(cli.batch).parameters["max_chars"].default == DEFAULT_MAX_CHARS
    long_text = "The mayor said the road was closed. " * (DEFAULT_MAX_CHARS // 36 + 1)
    short_text = "The mayor said the road was closed."
    frame = pd.DataFrame({"id": ["short", "long"], "text": [short_text, long_text]})
    out = score_frame(frame)
    status = dict(zip(out["article_id"], out["status"], strict=True))
    assert status["short"] == "scored" and status["long"] == "skipped"
    error = out.loc[out["article_id"] == "long", "error"].iloc[0]
    assert f"over the limit of {DEFAULT_MAX_CHARS}" in error and "raise --max-chars" in error


def test_score_frame_numbers_rows_of_a_repeated_index_by_position() -> None:
    """pd.concat keeps each frame's index (0, 1, 0): two input rows must not share one number."""
    first = pd.DataFrame({"id": ["a1", "a2"], "text": [SHORT[1], ""]})
    second = pd.DataFrame({"id": ["b1"], "text": [SHORT[2]]})
    out = score_frame(pd.concat([first, second]))
    assert sum(status_counts(out).values()) == 3
    per_article = summarize_claims(out)
    assert per_article["article_id"].tolist() == ["a1", "a2", "b1"]
    alone = [len(score_frame(f.reset_index(drop=True))) for f in (first.iloc[:1], second)]
    assert per_article["claims"].tolist()[0::2] == alone
    # A unique integer index still numbers the rows (a chunk of a larger frame).
    assert score_frame(second.set_axis([7]))["row"].tolist() == [7]


def test_source_text_is_a_cited_source_of_the_claim() -> None:
    """source_text/cue_text name who the claim cites, of its primary type: never an act or a report
    nested in the claim ("The US has proposed ..., according to Italy's Prime Minister ...")."""
    from scorer import analyze

    text = MODEL_ARTICLE.read_text(encoding="utf-8")
    rows = score_frame(pd.DataFrame({"id": ["m"], "text": [text]}))
    report = analyze(text)
    mentions = {s.id: {(m.start, m.end) for m in s.mentions} for s in report.sources}
    assert rows.loc[rows["claim_id"] == "C1", "source_text"].item() == "Italy’s Prime Minister Giorgia Meloni"
    for r in rows.itertuples():
        ids = [x for x in (r.source_ids or "").split("|") if x]
        if pd.isna(r.source_text):
            continue
        assert ids, r.claim_id
        assert any((int(r.source_start), int(r.source_end)) in mentions[i] for i in ids), r.claim_id


def test_an_outlet_column_is_used_unless_another_is_named(tmp_path: Path) -> None:
    src = _articles(tmp_path, 4)  # outlets reuters.com, "", bbc.co.uk, example.org
    plain, named = tmp_path / "plain.csv", tmp_path / "named.csv"
    assert runner.invoke(app, ["batch", str(src), "-o", str(plain), "--workers", "1"]).exit_code == 0
    args = ["batch", str(src), "-o", str(named), "--workers", "1", "--outlet-column", "outlet"]
    assert runner.invoke(app, args).exit_code == 0
    assert plain.read_bytes() == named.read_bytes()
    priors = _read(plain).drop_duplicates("article_id")["outlet_prior"].astype(float).tolist()
    assert priors[0] > priors[1]  # reuters.com is rated; a blank outlet takes the default prior
    # Without such a column, no outlet and no error.
    pd.read_csv(src).drop(columns="outlet").to_csv(src, index=False)
    assert runner.invoke(app, ["batch", str(src), "-o", str(plain), "--workers", "1"]).exit_code == 0


def test_a_folder_output_that_holds_the_inputs_is_refused(tmp_path: Path) -> None:
    """A folder/ output deletes its old part files: inputs named like them (a Spark export) are kept."""
    export = tmp_path / "export"
    export.mkdir()
    for i in range(2):
        (export / f"part-0000{i}-abc.csv").write_text("id,text\n1,The mayor said so.\n", encoding="utf-8")
    inputs = str(export / "part-*.csv")
    result = runner.invoke(app, ["batch", inputs, "-o", f"{export}/", "--workers", "1"])
    assert result.exit_code == 2 and "holds one" in result.stderr, result.output
    assert len(list(export.glob("part-*.csv"))) == 2
    # A .parquet output beside them writes its parts in a folder of its own: no conflict.
    result = runner.invoke(app, ["batch", inputs, "-o", str(export / "claims.parquet"), "--workers", "1"])
    assert result.exit_code == 0 and len(list(export.glob("part-*.csv"))) == 2


def test_repeated_columns_that_are_not_read_are_no_error(tmp_path: Path) -> None:
    """Spreadsheet exports end rows in commas (blank column names) or repeat a notes column."""
    src, out = tmp_path / "in.csv", tmp_path / "o.csv"
    src.write_text("id,text,notes,notes,,\n1,The mayor said the bridge will close.,a,b,,\n", encoding="utf-8")
    result = runner.invoke(app, ["batch", str(src), "-o", str(out), "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert _read(out)["status"].tolist() == ["scored"]
    src.write_text("id,text,id\n1,The mayor said so.,2\n", encoding="utf-8")
    result = runner.invoke(app, ["batch", str(src), "-o", str(out), "--workers", "1"])
    assert result.exit_code == 1 and "column 'id' appears more than once" in result.stderr


def test_big_integer_ids_with_nulls_stay_exact_from_parquet(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    src, out = tmp_path / "in.parquet", tmp_path / "o.csv"
    ids = pa.array([9007199254740993, None], pa.int64())  # 2**53 + 1: no float64 holds it
    pq.write_table(pa.table({"id": ids, "text": ["The mayor said the bridge will close."] * 2}), src)
    assert runner.invoke(app, ["batch", str(src), "-o", str(out), "--workers", "1"]).exit_code == 0
    assert _read(out)["article_id"].tolist() == ["9007199254740993", ""]


@pytest.mark.parametrize(
    ("files", "cores"),
    [
        ({"cpu.max": "200000 100000\n"}, 2),
        ({"cpu.max": "150000 100000\n"}, 2),  # 1.5 CPUs: two workers, each busy part of the time
        ({"cpu.max": "max 100000\n"}, None),
        ({"cpu/cpu.cfs_quota_us": "300000\n", "cpu/cpu.cfs_period_us": "100000\n"}, 3),
        ({"cpu/cpu.cfs_quota_us": "-1\n", "cpu/cpu.cfs_period_us": "100000\n"}, None),
        ({}, None),
    ],
)
def test_a_cgroup_cpu_quota_caps_the_default_workers(
    tmp_path: Path, files: dict[str, str], cores: int | None
) -> None:
    for name, content in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(content, encoding="utf-8")
    assert batch_module._cgroup_cpu_quota(tmp_path) == cores


def test_a_reader_that_stops_early_ends_the_run_quietly(tmp_path: Path) -> None:
    """`scorer batch big.csv -o - | head -1`: the closed pipe ends the run without an error line or a
    traceback (click's exit 1, as for every command), not "error: -: Broken pipe"."""
    text = MODEL_ARTICLE.read_text(encoding="utf-8")
    src = tmp_path / "big.csv"
    # ~17 claim rows of ~300 bytes an article: well past a 64 KiB pipe buffer
    pd.DataFrame({"id": range(40), "text": [text] * 40}).to_csv(src, index=False)
    cmd = [sys.executable, "-m", "scorer", "batch", str(src), "-o", "-",
           "--chunksize", "2", "--workers", "1"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.readline().startswith(b"article_id,")
    proc.stdout.close()
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 1
    assert "error" not in stderr and "Traceback" not in stderr, stderr


def test_outputs_of_several_frames_summarise_per_article() -> None:
    # Two score_frame outputs put together (pd.concat, or Dask's map_partitions without row_offsets)
    # both number their rows 0, 1, ...: grouping by `row` summed y's claims into x's and lost y.
    first = pd.DataFrame({"id": ["x", "blank"], "text": ["The mayor said the bridge will close.", " "]})
    second = pd.DataFrame({"id": ["y", "z"],
                           "text": ["Officials said the road reopens. Police said it was safe.",
                                    "The minister said taxes will rise."]})
    claims = pd.concat([score_frame(first), score_frame(second)], ignore_index=True)
    assert claims["row"].tolist().count(0) > 1  # the rows repeat, as the user gave them
    summary = summarize_claims(claims)
    assert summary["article_id"].tolist() == ["x", "blank", "y", "z"]
    assert summary["claims"].tolist() == [1, 0, 2, 1]
    assert sum(status_counts(claims).values()) == 4


def test_score_frame_names_a_missing_text_column_and_reads_the_outlet_column() -> None:
    # A misspelt text column made every row "failed: missing text" without a word; the outlet
    # column was ignored unless named, so reuters.com and infowars.com both took the unknown prior.
    frame = pd.DataFrame({"id": ["r", "i"], "body": ["Officials said the bridge will close."] * 2,
                          "outlet": ["reuters.com", "infowars.com"]})
    with pytest.raises(InputError, match="no column 'text' in the frame; its columns are"):
        score_frame(frame)
    priors = score_frame(frame, text_column="body")["outlet_prior"].tolist()
    assert priors[0] > 0.9 > 0.1 > priors[1]
    with pytest.raises(InputError, match="column 'body' appears more than once"):
        score_frame(pd.concat([frame, frame[["body"]]], axis=1), text_column="body")
