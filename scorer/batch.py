"""Batch scoring: one pure per-frame function, several thin back ends (in-process, local processes, Dask).

`score_frame` takes a DataFrame of articles and returns one row per claim, in input order; an
article with no claims, or whose row could not be scored, still gets exactly one row (empty claim id,
`status` and `error` saying what happened), so every input row is accounted for. It never raises for
a bad row. The same function runs on every back end:

- in process, or in `--workers N` local processes, over chunks read by `iter_chunks`;
- in Dask, as `map_partitions(score_frame, meta=empty_frame())` with the output schema declared.

Row outcomes (`status`): `scored` (claims found), `no_claims` (scored, nothing claimed: a caption,
boilerplate), `skipped` (text over `--max-chars`: not scored, an error like `failed`), `failed`
(missing, empty or non-text value, undecodable bytes, a CSV record with the wrong number of fields,
an exception in the pipeline). Rows in = scored + no_claims + skipped + failed, always.

Reading: CSV through the standard `csv` module over byte-counted lines, so a record's end offset is
known exactly (for resume and for cutting Dask partitions at record boundaries, which a byte-block
splitter cannot do when article text holds quoted newlines). Bytes that are not UTF-8 are kept as
lone surrogates (`surrogateescape`) and turn that row, and only that row, into a failed row.
Parquet through pyarrow, one record batch at a time.
"""

from __future__ import annotations

import csv
import glob
import io
import itertools
import json
import os
import re
import shutil
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, TextIO

import pandas as pd

from scorer.errors import InputError
from scorer.report import Report

# ---- schema ------------------------------------------------------------------------------------
OUTPUT_COLUMNS: dict[str, str] = {
    "article_id": "string",
    "claim_id": "string",
    "start": "Int64",
    "end": "Int64",
    "text": "string",
    "source_type": "string",
    "source_types": "string",
    "source_ids": "string",
    "source_text": "string",
    "source_start": "Int64",
    "source_end": "Int64",
    "cue_text": "string",
    "cue_start": "Int64",
    "cue_end": "Int64",
    "hedged": "boolean",
    "hedge_cues": "string",
    "contradicted": "boolean",
    "corroboration": "Float64",
    "verdict": "string",
    "error": "string",
    "status": "string",  # scored | no_claims | skipped | failed (of the input row)
    "outlet_prior": "Float64",
    "row": "Int64",  # 0-based data row of the input (header excluded; continues across input files)
}
SCORED, NO_CLAIMS, SKIPPED, FAILED = "scored", "no_claims", "skipped", "failed"
STATUSES = (SCORED, NO_CLAIMS, SKIPPED, FAILED)
_UNNAMED = ("unnamed_source", "second_source")


def _article_columns() -> dict[str, str]:
    from scorer.sourcing import SOURCE_TYPES

    cols = {"article_id": "string", "row": "Int64", "status": "string", "claims": "Int64"}
    cols.update({f"n_{t}": "Int64" for t in SOURCE_TYPES})
    cols.update(
        {
            "unnamed_share": "Float64",
            "hedged_share": "Float64",
            "contradicted_share": "Float64",
            "mean_corroboration": "Float64",
            "outlet_prior": "Float64",
            "error": "string",
        }
    )
    return cols


# The longest text scored by default: three times the longest PolNeAR article (34,309 characters),
# about 16,000 words. Claims are compared pairwise within an article, so time and memory grow with
# the square of a text's claims: a 100 KB text (826 claims) takes 1.8 s and 71 MB more, 214 KB 5.8 s
# and 172 MB, 750 KB 57 s and 1.1 GB, and a 2 MB row could exhaust a worker. --max-chars raises it.
DEFAULT_MAX_CHARS = 100_000
# The outlet column read when the input has it and none is named (as `corroborate` does).
OUTLET_COLUMN = "outlet"
READ_ERROR_COLUMN = "_scorer_read_error"  # set by the CSV reader on records it could not split into fields
_UNDECODABLE = re.compile("[\udc80-\udcff]")


def empty_frame() -> pd.DataFrame:
    """The claims schema with no rows: Dask's `meta`, and the result for an empty input."""
    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in OUTPUT_COLUMNS.items()})


def empty_article_frame() -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in _article_columns().items()})


# ---- one row -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class RowOutcome:
    row: int
    article_id: str
    report: Report | None
    status: str
    error: str


def _clean(value: str) -> str:
    """A string safe to write as UTF-8: undecodable bytes (lone surrogates) become U+FFFD."""
    if _UNDECODABLE.search(value):
        return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return value


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _article_id(value: Any, row: int, has_column: bool = True) -> str:
    """The id column's value as text; empty when it is missing or blank (an empty CSV cell and a
    Parquet null alike: a row number in its place could repeat another row's real id, and the `row`
    column tells the rows apart); the row number when the input has no id column."""
    if not has_column:
        return str(row)
    if _is_missing(value) or (isinstance(value, str) and not value.strip()):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # an integer id column with nulls reaches pandas as floats: 7.0 is id 7
    return _clean(str(value))


def _analyze_row(
    text: Any, outlet: Any, article_id: str, max_chars: int, read_error: str = ""
) -> tuple[Report | None, str, str]:
    """(report or None, status, error) for one input row; never raises."""
    from scorer import analyze

    if read_error:
        return None, FAILED, read_error
    if isinstance(text, bytes | bytearray):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError as exc:
            return None, FAILED, f"undecodable bytes: not UTF-8 at byte {exc.start}"
    if not isinstance(text, str):
        if _is_missing(text):
            return None, FAILED, "missing text"
        return None, FAILED, f"text is {type(text).__name__}, not a string"
    if not text.strip():
        # An empty cell is how a CSV says "missing" (and a scrape that failed leaves one): a row with
        # nothing to score is not a scored article without claims.
        return None, FAILED, "empty text"  # blank or empty alike: one error to group failures by
    if len(text) > max_chars:
        return None, SKIPPED, (f"text of {len(text)} characters is over the limit of {max_chars} "
                               "(--max-chars); raise --max-chars to score it")
    bad = _UNDECODABLE.search(text)
    if bad:
        return None, FAILED, f"undecodable bytes: not UTF-8 at character {bad.start()}"
    outlet_s = _clean(outlet) if isinstance(outlet, str) and outlet.strip() else None
    try:
        report = analyze(text, outlet=outlet_s, article_id=article_id)
    except Exception as exc:  # a bad row is recorded, never allowed to stop the batch
        return None, FAILED, f"{type(exc).__name__}: {exc}"
    return report, (SCORED if report.claims else NO_CLAIMS), ""


def _row_numbers(
    frame: pd.DataFrame,
    first_row: int | None,
    row_offsets: Sequence[int] | None,
    partition_info: dict[str, Any] | None,
) -> list[int]:
    if first_row is None and row_offsets is not None and partition_info is not None:
        first_row = int(row_offsets[partition_info["number"]])
    if first_row is not None:
        return list(range(first_row, first_row + len(frame)))
    if pd.api.types.is_integer_dtype(frame.index.dtype) and frame.index.is_unique:
        return [int(i) for i in frame.index]
    # A repeated index (pd.concat's default) would give two input rows one number, and the claims
    # of both would be summed as one article's: number by position instead.
    return list(range(len(frame)))


def iter_outcomes(
    frame: pd.DataFrame,
    text_column: str = "text",
    id_column: str | None = "id",
    outlet_column: str | None = OUTLET_COLUMN,
    max_chars: int = DEFAULT_MAX_CHARS,
    first_row: int | None = None,
    row_offsets: Sequence[int] | None = None,
    partition_info: dict[str, Any] | None = None,
) -> Iterator[RowOutcome]:
    """One outcome per input row, in order. Rows are numbered from `first_row`, else from the
    partition's offset (Dask), else by the frame's integer index."""
    n = len(frame)
    _check_frame(frame, text_column, id_column, outlet_column)
    texts = frame[text_column].tolist()
    has_ids = bool(id_column) and id_column in frame
    ids = frame[id_column].tolist() if has_ids else [None] * n
    outlets = frame[outlet_column].tolist() if outlet_column and outlet_column in frame else [None] * n
    read_errors = frame[READ_ERROR_COLUMN].tolist() if READ_ERROR_COLUMN in frame else [""] * n
    rows = _row_numbers(frame, first_row, row_offsets, partition_info)
    for row, text, aid, outlet, read_error in zip(rows, texts, ids, outlets, read_errors, strict=True):
        article_id = _article_id(aid, row, has_ids)
        report, status, error = _analyze_row(
            text, outlet, article_id, max_chars, read_error if isinstance(read_error, str) else ""
        )
        yield RowOutcome(row, article_id, report, status, error)


def _check_frame(frame: pd.DataFrame, text_column: str, id_column: str | None,
                 outlet_column: str | None) -> None:
    """The columns read must be there, once each: a misspelt text column made every row "failed:
    missing text", a repeated one an AttributeError. (The id and outlet columns may be absent: ids
    are then the row numbers, outlets unknown.)"""
    if not isinstance(frame, pd.DataFrame):
        raise InputError(f"score a DataFrame, not a {type(frame).__name__}; e.g. series.to_frame('text')")
    if text_column not in frame.columns:
        raise InputError(f"no column {text_column!r} in the frame; its columns are "
                         f"{shown_columns([str(c) for c in frame.columns])}; name it with text_column=")
    for column in (text_column, id_column, outlet_column):
        if column and list(frame.columns).count(column) > 1:
            raise InputError(f"column {column!r} appears more than once in the frame; give each its own name")


def iter_reports(
    frame: pd.DataFrame,
    text_column: str = "text",
    id_column: str | None = "id",
    outlet_column: str | None = OUTLET_COLUMN,
    max_chars: int = DEFAULT_MAX_CHARS,
) -> Iterator[tuple[str, Report | None, str]]:
    """(article id, report or None, error) for each input row, in order."""
    for o in iter_outcomes(frame, text_column, id_column, outlet_column, max_chars):
        yield o.article_id, o.report, o.error


def claim_rows(outcome: RowOutcome) -> list[dict[str, Any]]:
    report = outcome.report
    prior = round(report.outlet_prior, 4) if report is not None else None
    base = {
        "article_id": outcome.article_id,
        "status": outcome.status,
        "outlet_prior": prior,
        "row": outcome.row,
    }
    if report is None or not report.claims:
        return [{**base, "error": outcome.error}]
    rows = []
    for c in report.claims:
        # The source beside source_type: a mention of a cited source of this claim, of the primary
        # type when there is one; never an act or a nested report inside the claim ("The US has
        # proposed ..., according to Meloni": Meloni, not "The US").
        cited = [a for a in c.attributions
                 if a.source is not None and a.cited and a.source_id in c.source_ids]
        first = next((a for a in cited if a.source_type == c.source_type), cited[0] if cited else None)
        rows.append(
            {
                "article_id": outcome.article_id,
                "claim_id": c.id,
                "start": c.span.start,
                "end": c.span.end,
                "text": c.span.text,
                "source_type": c.source_type,
                "source_types": "|".join(c.source_types),
                "source_ids": "|".join(c.source_ids),
                "source_text": first.source.text if first and first.source else None,
                "source_start": first.source.start if first and first.source else None,
                "source_end": first.source.end if first and first.source else None,
                "cue_text": first.cue.text if first and first.cue else None,
                "cue_start": first.cue.start if first and first.cue else None,
                "cue_end": first.cue.end if first and first.cue else None,
                "hedged": c.hedged,
                "hedge_cues": "|".join(h.text for h in c.hedge_cues),
                "contradicted": c.contradicted,
                "corroboration": round(c.corroboration, 4),
                "verdict": c.verdict,
                "error": "",
                **base,
            }
        )
    return rows


def _claims_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    if not rows:
        return empty_frame()
    return pd.DataFrame(rows, columns=list(OUTPUT_COLUMNS)).astype(OUTPUT_COLUMNS)


def score_frame(
    frame: pd.DataFrame,
    text_column: str = "text",
    id_column: str | None = "id",
    outlet_column: str | None = OUTLET_COLUMN,
    max_chars: int = DEFAULT_MAX_CHARS,
    first_row: int | None = None,
    row_offsets: Sequence[int] | None = None,
    partition_info: dict[str, Any] | None = None,
) -> pd.DataFrame:
    """One row per claim (or one row per claim-less, skipped or failed article), input order kept.

    Pure: the same frame gives the same rows on every back end. Dask passes `partition_info`
    itself; with `row_offsets` (first row of each partition) rows are numbered across partitions.
    The outlet is read from `outlet_column` when the frame has it (by default `outlet`, as the
    command line reads it: with None as the default, reuters.com and infowars.com both took the
    unknown outlet's prior).
    """
    rows: list[dict[str, Any]] = []
    for outcome in iter_outcomes(
        frame, text_column, id_column, outlet_column, max_chars, first_row, row_offsets, partition_info
    ):
        rows.extend(claim_rows(outcome))
    return _claims_frame(rows)


def report_lines(
    frame: pd.DataFrame,
    text_column: str = "text",
    id_column: str | None = "id",
    outlet_column: str | None = OUTLET_COLUMN,
    max_chars: int = DEFAULT_MAX_CHARS,
) -> Iterator[tuple[str, str]]:
    """(JSON line, error) per input row: the report (schema scorer.report/1), or a stub with `error`."""
    for o in iter_outcomes(frame, text_column, id_column, outlet_column, max_chars):
        yield _report_line(o), o.error


def _report_line(o: RowOutcome) -> str:
    if o.report is None:
        doc: dict[str, Any] = {
            "schema": "scorer.report/1",
            "article": {"id": o.article_id, "outlet": None, "chars": None},
            "sources": [],
            "claims": [],
            "other_attributions": [],
            "summary": None,
            "error": o.error,
        }
    else:
        doc = o.report.to_dict()
        doc["article"]["id"] = o.article_id
        if doc["article"]["outlet"] is not None:
            doc["article"]["outlet"] = _clean(doc["article"]["outlet"])
    doc["status"] = o.status
    doc["row"] = o.row
    return json.dumps(doc, ensure_ascii=False)


# ---- per-article summary and counts, from claim rows (the same on every back end) -------------------
def summarize_claims(claims: pd.DataFrame) -> pd.DataFrame:
    """One summary row per input row: claims, claims by source type, unnamed / hedged / contradicted
    share, mean corroboration (of the rounded claim scores), outlet prior; status and error."""
    from scorer.sourcing import SOURCE_TYPES

    if claims.empty:
        return empty_article_frame()
    is_claim = claims["claim_id"].fillna("").ne("").astype(bool)
    stype = claims["source_type"].fillna("")
    work = pd.DataFrame(
        {
            "row": claims["row"],
            "article_id": claims["article_id"],
            "status": claims["status"],
            "error": claims["error"],
            "outlet_prior": claims["outlet_prior"],
            "claims": is_claim.astype("int64"),
            "unnamed": (is_claim & stype.isin(_UNNAMED)).astype("int64"),
            "hedged": (is_claim & claims["hedged"].fillna(False).astype(bool)).astype("int64"),
            "contradicted": (is_claim & claims["contradicted"].fillna(False).astype(bool)).astype("int64"),
            "corroboration": claims["corroboration"].where(is_claim).astype("float64"),
            **{f"n_{t}": (is_claim & stype.eq(t)).astype("int64") for t in SOURCE_TYPES},
        }
    )
    g = work.groupby(_article_runs(claims), sort=False)
    firsts = g[["row", "article_id", "status", "error", "outlet_prior"]].first()
    sums = g[["claims", "unnamed", "hedged", "contradicted", *[f"n_{t}" for t in SOURCE_TYPES]]].sum()
    mean = g["corroboration"].mean()
    n = sums["claims"].where(sums["claims"] > 0)
    out = pd.DataFrame(
        {
            "article_id": firsts["article_id"],
            "row": firsts["row"],
            "status": firsts["status"],
            "claims": sums["claims"],
            **{f"n_{t}": sums[f"n_{t}"] for t in SOURCE_TYPES},
            "unnamed_share": (sums["unnamed"] / n).round(4),
            "hedged_share": (sums["hedged"] / n).round(4),
            "contradicted_share": (sums["contradicted"] / n).round(4),
            "mean_corroboration": mean.round(4),
            "outlet_prior": firsts["outlet_prior"],
            "error": firsts["error"],
        }
    )
    return out.reset_index(drop=True).astype(_article_columns())


def _article_runs(claims: pd.DataFrame) -> pd.Series:
    """Which input row each claim row comes from, as 0, 1, ...: claim rows of one input row are
    consecutive, and each input row's run starts with its first claim (C1) or its one claim-less
    row. Not the `row` value alone: outputs of several frames scored without `first_row` (Dask's
    `map_partitions` without `row_offsets`, or `pd.concat` of two `score_frame`s) repeat row 0, 1, ...,
    and grouping by it summed other articles' claims into one."""
    row = claims["row"].to_numpy()
    claim_id = claims["claim_id"].fillna("").astype(str).to_numpy()
    starts = (claim_id == "") | (claim_id == "C1")
    if len(row):
        starts[1:] |= row[1:] != row[:-1]
        starts[0] = True
    return pd.Series(starts.cumsum(), index=claims.index)


def status_counts(claims: pd.DataFrame) -> dict[str, int]:
    """Input rows by status (claim rows of one input row count once)."""
    per_row = claims.groupby(_article_runs(claims), sort=False)["status"].first().value_counts()
    return {s: int(per_row.get(s, 0)) for s in STATUSES}


def first_failure(claims: pd.DataFrame) -> str | None:
    # A row over --max-chars could not be scored either: for --strict and the exit code it is an error.
    bad = claims[claims["status"].isin([FAILED, SKIPPED])]
    if bad.empty:
        return None
    r = bad.iloc[0]
    article_id = "" if pd.isna(r["article_id"]) else str(r["article_id"])
    named = f" (id {article_id})" if article_id else ""  # a blank id is no id to quote
    return f"row {r['row']}{named}: {r['error']}"


# ---- scoring one chunk (runs in a worker process, or in process) --------------------------------------
@dataclass(frozen=True)
class ScoreOptions:
    text_column: str = "text"
    id_column: str | None = "id"
    outlet_column: str | None = None
    max_chars: int = DEFAULT_MAX_CHARS
    jsonl: bool = False
    per_article: bool = False


@dataclass(frozen=True)
class ChunkResult:
    claims: pd.DataFrame | None
    lines: list[str] | None
    articles: pd.DataFrame | None
    counts: dict[str, int]
    first_failure: str | None


def score_chunk(frame: pd.DataFrame, first_row: int, opts: ScoreOptions) -> ChunkResult:
    """Everything the writer needs from one chunk, computed where the chunk is scored."""
    id_col = opts.id_column if opts.id_column and opts.id_column in frame else None
    if opts.jsonl:
        outcomes = list(
            iter_outcomes(frame, opts.text_column, id_col, opts.outlet_column, opts.max_chars, first_row)
        )
        lines = [_report_line(o) for o in outcomes]
        claims = _claims_frame([r for o in outcomes for r in claim_rows(o)])
        return ChunkResult(
            None,
            lines,
            summarize_claims(claims) if opts.per_article else None,
            status_counts(claims),
            first_failure(claims),
        )
    claims = score_frame(frame, opts.text_column, id_col, opts.outlet_column, opts.max_chars, first_row)
    return ChunkResult(
        claims,
        None,
        summarize_claims(claims) if opts.per_article else None,
        status_counts(claims),
        first_failure(claims),
    )


def result_from_claims(claims: pd.DataFrame, per_article: bool) -> ChunkResult:
    """The writer's view of a claims partition computed elsewhere (Dask)."""
    return ChunkResult(
        claims,
        None,
        summarize_claims(claims) if per_article else None,
        status_counts(claims),
        first_failure(claims),
    )


def warm_up() -> None:
    """Load rules and models once (in a worker, or before forking workers)."""
    from scorer.pipeline import default_pipeline

    default_pipeline()


def start_worker(parent: int) -> None:
    """Initializer of a local pool worker: warm, and gone when its parent is. A worker waits on its
    task queue for ever when the parent dies without shutting the pool down (kill -9, the OOM
    killer, a job scheduler's time limit); each would keep its few hundred MB as an orphan."""
    warm_up()
    threading.Thread(target=_exit_with_parent, args=(parent,), name="parent-watch", daemon=True).start()


def _exit_with_parent(parent: int, every: float = 1.0) -> None:
    while os.getppid() == parent:
        time.sleep(every)
    os._exit(1)


# ---- input ------------------------------------------------------------------------------------------
def expand_inputs(pattern: str) -> list[Path]:
    """A path, or a glob pattern (sorted); raises InputError when nothing is there."""
    p = Path(pattern)
    if p.exists():
        if p.is_dir():
            raise InputError(
                f"{pattern}: is a folder; give a .csv or .parquet file, or a glob like 'dir/*.csv'"
            )
        return [p]
    if glob.has_magic(pattern):
        found = [Path(x) for x in sorted(glob.glob(pattern)) if Path(x).is_file()]
        if found:
            return found
    raise InputError(f"{pattern}: no such file; give a CSV or Parquet file of articles, or a glob pattern")


def input_kind(paths: Sequence[Path]) -> str:
    kinds = {"parquet" if p.suffix.lower() in {".parquet", ".pq"} else "csv" for p in paths}
    if len(kinds) > 1:
        raise InputError("inputs mix CSV and Parquet files; give one kind at a time")
    return kinds.pop()


class _CountedLines:
    """Lines of a binary file, decoded as UTF-8 with surrogateescape, counting bytes and lines, so the
    csv reader (which pulls exactly the lines of one record, no more) leaves `pos` at a record end."""

    def __init__(self, fh: IO[bytes], pos: int, end: int | None, line_no: int = 0) -> None:
        self.fh, self.pos, self.end, self.line_no = fh, pos, end, line_no
        self.taken: list[str] = []  # the lines read since the caller last cleared it (one record's)
        fh.seek(pos)

    def __iter__(self) -> _CountedLines:
        return self

    def __next__(self) -> str:
        if self.end is not None and self.pos >= self.end:
            raise StopIteration
        raw = self.fh.readline()
        if not raw:
            raise StopIteration
        at_start = self.pos == 0
        self.pos += len(raw)
        self.line_no += 1
        line = raw.decode("utf-8", "surrogateescape")
        # A byte-order mark belongs to the file, not to the first column's name (which it would
        # otherwise keep, quotes and all, when that name is quoted).
        line = line.removeprefix("\ufeff") if at_start else line
        self.taken.append(line)
        return line


@dataclass(frozen=True)
class CsvRecord:
    values: list[str | None]
    read_error: str
    end: int  # byte offset just after the record
    lines: int = 0  # lines of the file up to the record's end (its error messages count from there)


def _csv_field_limit() -> None:
    # A 20 MB cell is read whole and reported as one skipped row; the stdlib default (128 KiB) would
    # make it a parse error that resynchronises mid-cell.
    if csv.field_size_limit() < 2**31 - 1:
        csv.field_size_limit(2**31 - 1)


_PACKED = ((b"\x1f\x8b", "gzip"), (b"PK\x03\x04", "zip"), (b"\xfd7zXZ", "xz"), (b"\x28\xb5\x2f\xfd", "zstd"))


def csv_header(path: Path) -> tuple[list[str], int]:
    """(column names, byte offset of the first record). Raises InputError if there is no header."""
    _csv_field_limit()
    with open(path, "rb") as fh:
        magic = fh.read(6)
        packed = next((name for sig, name in _PACKED if magic.startswith(sig)), None)
        if packed:
            raise InputError(f"{path}: {packed}-compressed; decompress it first (scorer reads plain CSV)")
        if magic.startswith(b"PAR1"):
            raise InputError(f"{path}: a Parquet file named as a CSV; rename it to .parquet")
        if magic.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in magic[1:4]:
            raise InputError(f"{path}: UTF-16 text; save it as UTF-8 (scorer reads UTF-8 CSV)")
        lines = _CountedLines(fh, 0, None)
        reader = csv.reader(lines)
        try:
            header = next(reader)
            while not header:
                header = next(reader)
        except StopIteration:
            raise InputError(f"{path}: empty file; give a CSV with a header row and a text column") from None
        except csv.Error as exc:
            if "new-line character seen in unquoted field" in str(exc):
                raise InputError(f"{path}: lines end in a bare carriage return (\\r); convert the line "
                                 f"ends to \\n or \\r\\n") from exc
            raise InputError(f"{path}: cannot read the CSV header: {exc}") from exc
    header = [_clean(h) for h in header]  # a byte-order mark is gone already (_CountedLines)
    return header, lines.pos


def iter_csv_records(
    path: Path, header: Sequence[str], start: int, end: int | None = None, lines_before: int | None = None
) -> Iterator[CsvRecord]:
    """Records of one CSV file from byte offset `start` (a record boundary) to `end`. Blank lines are
    skipped, as pandas does; a record with the wrong number of fields, or one the csv module cannot
    parse, comes back with `read_error` set instead of being dropped. Its message names the line of
    the file the record starts on: `lines_before` (the lines before `start`) when the caller knows
    them, else counted."""
    _csv_field_limit()
    width = len(header)
    with open(path, "rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        if lines_before is None:
            lines_before = _lines_before(fh, start)
        lines = _CountedLines(fh, start, end, lines_before)
        reader = csv.reader(lines)
        while True:
            first_line, record_start = lines.line_no + 1, lines.pos
            lines.taken.clear()
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield CsvRecord(
                    [None] * width, f"unreadable CSV record at line {first_line}: {exc}", lines.pos,
                    lines.line_no)
                continue
            if not fields:
                continue
            if lines.pos >= size and lines.line_no > first_line and _quote_left_open(fh, record_start, size):
                # The lenient reader ends the file's last field at the end of the file: every record
                # after an unclosed quote would pass as text of this one, without a word.
                padded: list[str | None] = [*fields[:width], *[None] * (width - len(fields))]
                swallowed = lines.line_no - first_line
                yield CsvRecord(padded, f"CSV record at line {first_line}: a quote opened in it never "
                                        f"closes, so the {swallowed} lines after it (to the end of the file) "
                                        f"were read into it; close the quote", lines.pos, lines.line_no)
                return
            if len(fields) == width:
                quoting = _bad_quoting(lines.taken)
                if quoting:
                    yield CsvRecord(list(fields), f"CSV record at line {first_line}: {quoting}", lines.pos,
                                    lines.line_no)
                else:
                    yield CsvRecord(list(fields), "", lines.pos, lines.line_no)
            else:
                values: list[str | None] = [*fields[:width], *[None] * (width - len(fields))]
                # Over several lines, the wrong count is most often a quote that never closes and
                # read the records after it into this one: say so, as those records get no row.
                quoting = _bad_quoting(lines.taken) if lines.line_no > first_line else ""
                why = f"and {quoting}" if quoting else "(a stray quote or an unquoted comma?)"
                yield CsvRecord(
                    values,
                    f"CSV record at line {first_line}: {len(fields)} fields where the header has "
                    f"{width} {why}",
                    lines.pos,
                    lines.line_no,
                )


def _bad_quoting(record_lines: Sequence[str]) -> str:
    """Why the lines of one record break CSV's quoting rules, or "". The lenient reader reads past a
    quote that is not doubled inside a quoted field ('"He said "hi""'), and past a field's quote that
    never closes, into the next records, which become text of this one: the record is not what its
    writer meant, and a quietly merged record would be a row lost without a word."""
    text = "".join(record_lines)
    if '"' not in text:
        return ""
    try:
        for _ in csv.reader(io.StringIO(text, newline=""), strict=True):
            pass
    except csv.Error as exc:
        return (f"bad quoting ({exc}): a quote inside a quoted field must be doubled (\"\"), and a quote "
                "that never closes reads the records after it into this one; fix the quoting")
    return ""


def _lines_before(fh: IO[bytes], offset: int, block: int = 1 << 20) -> int:
    """The line ends in the first `offset` bytes of the file (read once, a block at a time)."""
    fh.seek(0)
    count, left = 0, offset
    while left > 0:
        data = fh.read(min(block, left))
        if not data:
            break
        count += data.count(b"\n")
        left -= len(data)
    return count


def _quote_left_open(fh: IO[bytes], start: int, end: int) -> bool:
    """Whether the CSV text between two byte offsets ends inside a quoted field."""
    fh.seek(start)
    text = fh.read(end - start).decode("utf-8", "surrogateescape")
    try:
        for _ in csv.reader(io.StringIO(text, newline=""), strict=True):
            pass
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False


def records_frame(records: Sequence[CsvRecord], header: Sequence[str], first_row: int) -> pd.DataFrame:
    frame = pd.DataFrame([r.values for r in records], columns=list(header), dtype=object)
    frame[READ_ERROR_COLUMN] = [r.read_error for r in records]
    frame.index = pd.RangeIndex(first_row, first_row + len(records))
    return frame


@dataclass(frozen=True)
class Chunk:
    """A chunk of input rows, and where reading stands after it (for progress and resume)."""

    index: int
    first_row: int
    frame: pd.DataFrame
    file_index: int
    position: int  # CSV: byte offset after the chunk; Parquet: rows read of this file
    nbytes: int  # input bytes this chunk accounts for (progress)


@dataclass
class ReadPosition:
    chunk: int = 0
    row: int = 0
    file_index: int = 0
    position: int = 0


def check_columns(path: Path, columns: Sequence[str], text_column: str, outlet_column: str | None,
                  id_column: str | None = None) -> None:
    used = [c for c in (text_column, id_column, outlet_column) if c]
    twice = [c for c in used if list(columns).count(c) > 1]  # other columns may repeat: they are not read
    if twice:
        raise InputError(f"{path}: column {twice[0]!r} appears more than once in the header; "
                         f"give every column its own name")
    missing = [c for c in (text_column, outlet_column) if c and c not in columns]
    if missing:
        hint = "name the right one with --text-column / --outlet-column"
        sep = next((s for s in (";", "\t", "|") if len(columns) == 1 and s in columns[0]), None)
        if sep is not None:
            name = "tab" if sep == "\t" else sep
            hint = f"the file looks {name}-separated; scorer reads comma-separated CSV: convert it first"
        if any(len(c) > LONGEST_COLUMN_NAME for c in columns):
            hint = "its first line looks like a record, not a header: add a header row (id,text,...)"
        raise InputError(f"{path}: no column {missing[0]!r}; columns are {shown_columns(columns)}; {hint}")


# A column name longer than this is an article's text read as a header (a file with no header row).
LONGEST_COLUMN_NAME = 200


def shown_columns(columns: Sequence[str], most: int = 12, width: int = 40) -> str:
    """Column names for an error line: at most `most`, each cut to `width` characters (a header row
    that is really an article must not fill the screen)."""
    names = [c if len(c) <= width else c[:width - 1] + "…" for c in columns[:most]]
    return repr(names) + (f" and {len(columns) - most} more" if len(columns) > most else "")


def parquet_file(path: Path) -> Any:
    """The file opened with pyarrow, or InputError (not Parquet, truncated)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        return pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as exc:
        raise InputError(f"{path}: not a readable Parquet file ({exc}); give a .parquet file "
                         f"pyarrow can open, or a CSV") from exc


def input_headers(paths: Sequence[Path], kind: str) -> list[list[str]]:
    """Every input's column names, read now, before an output file is opened: an input that cannot
    be read at all must not cost the results of an earlier run at the same path."""
    return [csv_header(p)[0] if kind == "csv" else list(parquet_file(p).schema_arrow.names) for p in paths]


def default_outlet_column(headers: Sequence[Sequence[str]]) -> str | None:
    """The outlet column when none is named: `outlet`, if every input has one."""
    return OUTLET_COLUMN if headers and all(OUTLET_COLUMN in h for h in headers) else None


def iter_chunks(
    paths: Sequence[Path],
    kind: str,
    chunksize: int,
    text_column: str,
    outlet_column: str | None,
    start: ReadPosition | None = None,
) -> Iterator[Chunk]:
    """Chunks of at most `chunksize` rows, in input order, never more than one chunk in memory."""
    start = start or ReadPosition()
    index, row = start.chunk, start.row
    for fi in range(start.file_index, len(paths)):
        path = paths[fi]
        resume_at = start.position if fi == start.file_index else 0
        if kind == "csv":
            header, body = csv_header(path)
            check_columns(path, header, text_column, outlet_column)
            pos = max(body, resume_at)
            batch: list[CsvRecord] = []
            for rec in iter_csv_records(path, header, pos):
                batch.append(rec)
                if len(batch) >= chunksize:
                    yield Chunk(index, row, records_frame(batch, header, row), fi, rec.end, rec.end - pos)
                    index, row, pos, batch = index + 1, row + len(batch), rec.end, []
            if batch:
                end = batch[-1].end
                yield Chunk(index, row, records_frame(batch, header, row), fi, end, end - pos)
                index, row = index + 1, row + len(batch)
        else:
            pf = parquet_file(path)
            names = pf.schema_arrow.names
            check_columns(path, names, text_column, outlet_column)
            total, size = max(1, pf.metadata.num_rows), path.stat().st_size
            done = 0
            for rb in pf.iter_batches(batch_size=chunksize):
                if done + rb.num_rows <= resume_at:
                    done += rb.num_rows
                    continue
                # An int64 id with nulls stays exact; a column pandas stored as the frame's index
                # (df.set_index("id").to_parquet(...)) stays a column, as the file's schema lists it.
                frame = rb.to_pandas(integer_object_nulls=True, ignore_metadata=True)
                if done < resume_at:
                    frame = frame.iloc[resume_at - done :]
                    done = resume_at
                frame.index = pd.RangeIndex(row, row + len(frame))
                done += len(frame)
                yield Chunk(index, row, frame, fi, done, int(size * len(frame) / total))
                index, row = index + 1, row + len(frame)


# ---- output -----------------------------------------------------------------------------------------
def _arrow_schema(columns: dict[str, str]) -> Any:
    import pyarrow as pa

    types = {"string": pa.string(), "Int64": pa.int64(), "Float64": pa.float64(), "boolean": pa.bool_()}
    return pa.schema([(name, types[dtype]) for name, dtype in columns.items()])


class Sink:
    """Where results go. `position()` is what the checkpoint records; `resume_at` cuts back to it."""

    def write(self, result: pd.DataFrame | list[str], chunk_index: int) -> None:
        raise NotImplementedError

    def position(self) -> int:
        raise NotImplementedError

    def close(self) -> None:
        pass

    def abort(self) -> None:
        self.close()


class TextSink(Sink):
    """CSV (header once) or JSON lines, to a file or standard output, appended chunk by chunk."""

    def __init__(self, target: str, columns: Sequence[str] | None, resume_at: int | None = None) -> None:
        self.columns = list(columns) if columns is not None else None
        self.stdout = target == "-"
        if self.stdout:
            self.fh: TextIO = sys.stdout
        elif resume_at is not None:
            _check_resumable(Path(target), resume_at)
            with open(target, "r+b") as raw:
                raw.truncate(resume_at)
            self.fh = open(target, "a", encoding="utf-8", newline="")  # noqa: SIM115 - closed by close()
        else:
            self.fh = open(target, "w", encoding="utf-8", newline="")  # noqa: SIM115 - closed by close()
        if self.columns is not None and resume_at is None:
            self.fh.write(",".join(self.columns) + "\n")

    def write(self, result: pd.DataFrame | list[str], chunk_index: int) -> None:
        if isinstance(result, list):
            self.fh.write("".join(line + "\n" for line in result))
        else:
            result.to_csv(self.fh, header=False, index=False, columns=self.columns, lineterminator="\n")
        self.fh.flush()

    def position(self) -> int:
        if self.stdout:
            return 0
        self.fh.flush()
        return self.fh.buffer.tell()  # bytes, whatever the text layer's tell() cookie means

    def close(self) -> None:
        if not self.stdout:
            self.fh.close()


_RESUME_AFRESH = "run again without --resume to start over"


def _check_resumable(path: Path, size: int) -> None:
    """The output an interrupted run left must still hold what its checkpoint counts: truncating a
    shorter file would lengthen it with NUL bytes and lose the rows it no longer has."""
    if not path.exists():
        raise InputError(f"{path}: the interrupted run's output is gone; {_RESUME_AFRESH}")
    have = path.stat().st_size
    if have < size:
        raise InputError(f"{path}: shorter ({have} bytes) than the interrupted run left it ({size}); it was "
                         f"changed since; {_RESUME_AFRESH}")


class PartsSink(Sink):
    """One file per chunk (`part-000000.csv` ...), each written whole then renamed into place. As a
    folder output it stays that way; as a `.parquet` output the parts are joined into one file at the
    end (one row group per chunk), so an interrupted run keeps every finished chunk."""

    def __init__(
        self,
        folder: Path,
        suffix: str,
        columns: dict[str, str],
        final: Path | None = None,
        resume_at: int | None = None,
    ) -> None:
        self.folder, self.suffix, self.columns, self.final = folder, suffix, columns, final
        self.count = resume_at or 0
        for i in range(self.count):
            if not self._part(i).exists():
                raise InputError(f"{self._part(i)}: a part the interrupted run wrote is gone; "
                                 f"{_RESUME_AFRESH}")
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob(f"part-*{suffix}"):
            if resume_at is None or int(old.stem.split("-")[1]) >= self.count:
                old.unlink()

    def _part(self, i: int) -> Path:
        return self.folder / f"part-{i:06d}{self.suffix}"

    def write(self, result: pd.DataFrame | list[str], chunk_index: int) -> None:
        assert isinstance(result, pd.DataFrame)
        part = self._part(self.count)
        tmp = part.with_name(part.name + ".tmp")
        if self.suffix == ".parquet":
            import pyarrow as pa
            import pyarrow.parquet as pq

            table = pa.Table.from_pandas(result, schema=_arrow_schema(self.columns), preserve_index=False)
            pq.write_table(table, tmp)
        else:
            result.to_csv(tmp, index=False, columns=list(self.columns), lineterminator="\n")
        os.replace(tmp, part)
        self.count += 1

    def position(self) -> int:
        return self.count

    def close(self) -> None:
        if self.final is None:
            return
        import pyarrow.parquet as pq

        tmp = self.final.with_name(self.final.name + ".tmp")
        with pq.ParquetWriter(tmp, _arrow_schema(self.columns)) as writer:
            for i in range(self.count):
                writer.write_table(pq.read_table(self._part(i)))
        os.replace(tmp, self.final)
        shutil.rmtree(self.folder)

    def abort(self) -> None:
        pass  # keep the parts for --resume


def open_sink(target: str, columns: dict[str, str], jsonl: bool, resume_at: int | None) -> Sink:
    kind = output_kind(target)
    if kind == "csv":
        return TextSink(target, list(columns), resume_at)
    if jsonl:
        return TextSink(target, None, resume_at)
    if kind == "parquet":
        return PartsSink(parts_folder(target), ".parquet", columns, Path(target), resume_at)
    return PartsSink(Path(target), ".csv", columns, None, resume_at)


def parts_folder(target: str) -> Path:
    """Where a .parquet output's chunks wait to be joined (a folder/ output's are the folder itself)."""
    path = Path(target)
    return path.with_name(path.name + ".parts") if output_kind(target) == "parquet" else path


def check_target(target: str | None) -> None:
    """An output file's folder must exist (a folder/ or .parquet output makes its own), and no folder
    on its way may be a file."""
    if target is None or target == "-":
        return
    path = Path(target)
    above = next((a for a in path.parents if a.exists() or a.is_symlink()), None)
    if above is not None and not above.is_dir():
        raise InputError(f"{target}: {above} is a file, not a folder; write elsewhere")
    if output_kind(target) == "folder" and path.exists() and not path.is_dir():
        raise InputError(f"{target}: {path} is a file, not a folder; write elsewhere")
    if output_kind(target) in ("folder", "parquet"):
        return
    if not path.parent.is_dir():
        raise InputError(f"{target}: no folder {path.parent}; create it first or write elsewhere")


def writes_over(target: str, path: Path) -> bool:
    """Whether writing output `target` could overwrite or delete input `path`: the same file, or a
    file inside the folder a folder/ output (or a .parquet output's parts) is written to."""
    if same_file(target, str(path)):
        return True
    if output_kind(target) not in ("folder", "parquet"):
        return False
    return parts_folder(target).resolve() in path.resolve().parents


def same_file(target: str, other: str) -> bool:
    """Whether two paths name one file (or would: neither need exist yet); `-` is no file."""
    if "-" in (target, other):
        return False
    a, b = Path(target), Path(other)
    try:
        if a.exists() and b.exists():
            return a.samefile(b)
    except OSError:
        pass
    return a.resolve() == b.resolve()


def output_kind(target: str) -> str | None:
    """csv, jsonl, parquet, folder, or None for an unknown type (suffixes in any case, as for inputs)."""
    suffix = target.lower()
    if target == "-" or suffix.endswith(".csv"):
        return "csv"
    for kind in ("jsonl", "parquet"):
        if suffix.endswith("." + kind):
            return kind
    if target.endswith(("/", os.sep)) or Path(target).is_dir():
        return "folder"
    return None


# ---- resume -----------------------------------------------------------------------------------------
def checkpoint_path(target: str) -> Path:
    p = Path(target)
    return (
        p / ".scorer-resume.json" if output_kind(target) == "folder" else p.with_name(p.name + ".resume.json")
    )


def input_fingerprint(paths: Sequence[Path], settings: dict[str, Any]) -> dict[str, Any]:
    return {
        "inputs": [
            {"path": str(p.resolve()), "size": p.stat().st_size, "mtime_ns": p.stat().st_mtime_ns}
            for p in paths
        ],
        "settings": settings,
    }


@dataclass
class Checkpoint:
    fingerprint: dict[str, Any]
    read: ReadPosition = field(default_factory=ReadPosition)
    output: int = 0
    per_article: int | None = None
    counts: dict[str, int] = field(default_factory=lambda: {s: 0 for s in STATUSES})
    rows_in: int = 0

    def save(self, path: Path) -> None:
        doc = {
            "schema": "scorer.batch-resume/1",
            "fingerprint": self.fingerprint,
            "read": vars(self.read),
            "output": self.output,
            "per_article": self.per_article,
            "counts": self.counts,
            "rows_in": self.rows_in,
        }
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(doc, indent=1), encoding="utf-8")
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path) -> Checkpoint:
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            return cls(
                doc["fingerprint"],
                ReadPosition(**doc["read"]),
                int(doc["output"]),
                doc["per_article"],
                {s: int(doc["counts"].get(s, 0)) for s in STATUSES},
                int(doc["rows_in"]),
            )
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise InputError(f"{path}: unreadable resume file ({exc}); delete it to start over") from exc


# ---- the run ----------------------------------------------------------------------------------------
class BatchAbort(Exception):
    """--strict: the first failed row stops the run."""


@dataclass
class BatchStats:
    rows_in: int = 0
    counts: dict[str, int] = field(default_factory=lambda: {s: 0 for s in STATUSES})
    chunks: int = 0

    @property
    def failed(self) -> int:
        return self.counts[FAILED]


def usable_cores() -> int:
    """Cores this process may use: its CPU affinity where the OS reports one (`taskset`, a cpuset),
    capped by a cgroup CPU quota (`docker --cpus`, a Kubernetes CPU limit), which affinity does not
    show: a 2-CPU pod on a 64-core node must not fork 64 workers."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # macOS and Windows have no affinity call
        cores = os.cpu_count() or 1
    quota = _cgroup_cpu_quota()
    return max(1, min(cores, quota)) if quota else cores


def _cgroup_cpu_quota(root: Path = Path("/sys/fs/cgroup")) -> int | None:
    """CPUs the cgroup quota allows (rounded up), or None without one (v2 cpu.max, v1 cfs files)."""
    try:
        v2 = root / "cpu.max"
        if v2.is_file():
            quota, period = v2.read_text().split()[:2]
            return None if quota == "max" else -(-int(quota) // int(period))
        q, p = root / "cpu" / "cpu.cfs_quota_us", root / "cpu" / "cpu.cfs_period_us"
        if q.is_file() and p.is_file():
            quota_us = int(q.read_text())
            return None if quota_us <= 0 else -(-quota_us // int(p.read_text()))
    except (OSError, ValueError):
        pass
    return None


def auto_workers(chunks: Iterator[Chunk], cores: int) -> tuple[int, Iterator[Chunk]]:
    """(workers, the same chunks) for a local run given no --workers: a worker per chunk up to
    `cores`, and none beyond the process itself for an input of one chunk, where a pool would add
    only its start-up. Reads at most `cores` chunks ahead to tell, no more than a pool of that size
    holds in flight, and puts them back in front."""
    ahead = list(itertools.islice(chunks, max(1, cores)))
    return max(1, min(cores, len(ahead))), itertools.chain(ahead, chunks)


def parquet_workers(paths: Sequence[Path], chunksize: int, cores: int) -> int:
    """`auto_workers` for Parquet input, from the row counts in the files' footers. (A resumed run
    may have fewer chunks left; a spare worker costs only its start.)"""
    rows = sum(parquet_file(p).metadata.num_rows for p in paths)
    return max(1, min(cores, -(-rows // chunksize)))


def ordered_local(
    chunks: Iterable[Chunk], opts: ScoreOptions, executor: Any | None, window: int
) -> Iterator[tuple[Chunk, ChunkResult]]:
    """Score chunks in process, or in an executor with at most `window` chunks in flight; results
    come back in input order. The frames of chunks in flight are not kept by this side."""
    if executor is None:
        for ch in chunks:
            yield ch, score_chunk(ch.frame, ch.first_row, opts)
        return
    pending: deque[tuple[Chunk, Any]] = deque()
    try:
        for ch in chunks:
            pending.append((_light(ch), executor.submit(score_chunk, ch.frame, ch.first_row, opts)))
            while len(pending) >= window:
                head, fut = pending.popleft()
                yield head, fut.result()
        while pending:
            head, fut = pending.popleft()
            yield head, fut.result()
    finally:
        for _, fut in pending:
            fut.cancel()


def _light(ch: Chunk) -> Chunk:
    return Chunk(ch.index, ch.first_row, ch.frame.iloc[0:0], ch.file_index, ch.position, ch.nbytes)


def drive(
    results: Iterable[tuple[Chunk, ChunkResult]],
    sink: Sink,
    article_sink: Sink | None,
    checkpoint: Checkpoint | None,
    checkpoint_file: Path | None,
    stats: BatchStats,
    strict: bool,
    on_chunk: Callable[[Chunk, ChunkResult], None] | None = None,
) -> None:
    """Write results in order; after each chunk, record where the run stands (resume point)."""
    for ch, res in results:
        if strict and res.first_failure:
            raise BatchAbort(res.first_failure)
        sink.write(res.lines if res.lines is not None else res.claims, ch.index)  # type: ignore[arg-type]
        if article_sink is not None and res.articles is not None:
            article_sink.write(res.articles, ch.index)
        n_rows = sum(res.counts.values())
        stats.rows_in += n_rows
        stats.chunks += 1
        for s in STATUSES:
            stats.counts[s] += res.counts[s]
        if checkpoint is not None and checkpoint_file is not None:
            checkpoint.read = ReadPosition(ch.index + 1, stats.rows_in, ch.file_index, ch.position)
            checkpoint.output = sink.position()
            checkpoint.per_article = article_sink.position() if article_sink is not None else None
            checkpoint.counts = dict(stats.counts)
            checkpoint.rows_in = stats.rows_in
            checkpoint.save(checkpoint_file)
        if on_chunk is not None:
            on_chunk(ch, res)


# ---- Dask -------------------------------------------------------------------------------------------
DASK_EXTRA_HINT = ("--engine dask needs the dask extra: pip install -e '.[dask]' in the project folder "
                   "(make install includes it)")


def import_dask() -> Any:
    try:
        import dask
        import dask.dataframe  # noqa: F401
        import distributed  # noqa: F401
    except ImportError as exc:
        raise InputError(DASK_EXTRA_HINT) from exc
    return dask


@dataclass(frozen=True)
class CsvRange:
    path: str
    header: tuple[str, ...]
    start: int
    end: int
    first_row: int
    lines_before: int | None = None  # the file's lines before `start` (None: counted when read)


def read_csv_range(part: CsvRange) -> pd.DataFrame:
    """One Dask partition: the records of a CSV file between two record boundaries."""
    recs = list(iter_csv_records(Path(part.path), part.header, part.start, part.end, part.lines_before))
    return records_frame(recs, part.header, part.first_row)


def csv_ranges(
    paths: Sequence[Path], chunksize: int, text_column: str, outlet_column: str | None
) -> tuple[list[CsvRange], tuple[str, ...]]:
    """Cut CSV files into partitions of `chunksize` records at exact record boundaries (one parse on
    the client; a byte-block splitter would cut quoted multi-line article text in two)."""
    ranges: list[CsvRange] = []
    columns: tuple[str, ...] | None = None
    row = 0
    for path in paths:
        header, body = csv_header(path)
        check_columns(path, header, text_column, outlet_column)
        if columns is None:
            columns = tuple(header)
        elif tuple(header) != columns:
            raise InputError(f"{path}: columns {header} differ from the first file's {list(columns)}")
        start, n, end, lines_at_start, lines = body, 0, body, None, None
        for rec in iter_csv_records(path, header, body):
            n += 1
            end, lines = rec.end, rec.lines
            if n == chunksize:
                ranges.append(CsvRange(str(path), tuple(header), start, end, row, lines_at_start))
                row, start, n, lines_at_start = row + n, end, 0, lines
        if n:
            ranges.append(CsvRange(str(path), tuple(header), start, end, row, lines_at_start))
            row += n
    return ranges, columns or ()


def dask_claims(
    paths: Sequence[Path], kind: str, chunksize: int, opts: ScoreOptions
) -> tuple[Any, list[int]]:
    """The claims as a Dask DataFrame (`map_partitions(score_frame, meta=...)`), and the input bytes
    of each partition (for progress)."""
    dask = import_dask()
    import dask.dataframe as dd

    with dask.config.set({"dataframe.convert-string": False}):
        if kind == "csv":
            ranges, columns = csv_ranges(paths, chunksize, opts.text_column, opts.outlet_column)
            if not ranges:
                return None, []
            meta = pd.DataFrame({c: pd.Series(dtype=object) for c in (*columns, READ_ERROR_COLUMN)})
            ddf = dd.from_map(read_csv_range, ranges, meta=meta, enforce_metadata=False)
            id_col = opts.id_column if opts.id_column in columns else None
            offsets: Sequence[int] | None = None
            sizes = [r.end - r.start for r in ranges]
        else:
            names = parquet_file(paths[0]).schema_arrow.names
            check_columns(paths[0], names, opts.text_column, opts.outlet_column)
            wanted = [c for c in (opts.text_column, opts.id_column, opts.outlet_column) if c and c in names]
            # Nullable dtypes: an int64 id column with nulls stays exact (float64 would round big ids).
            ddf = dd.read_parquet([str(p) for p in paths], columns=wanted, dtype_backend="numpy_nullable",
                                  index=False)
            lengths = ddf[wanted[:1]].map_partitions(len).compute().tolist()
            offsets = [sum(lengths[:i]) for i in range(len(lengths))]
            total = sum(p.stat().st_size for p in paths)
            sizes = [int(total * n / max(1, sum(lengths))) for n in lengths]
            id_col = opts.id_column if opts.id_column in names else None
        out = ddf.map_partitions(
            score_frame,
            text_column=opts.text_column,
            id_column=id_col,
            outlet_column=opts.outlet_column,
            max_chars=opts.max_chars,
            row_offsets=offsets,
            meta=empty_frame(),
        )
    return out, sizes


def ordered_dask(
    claims: Any, sizes: Sequence[int], client: Any, per_article: bool, start_chunk: int, window: int
) -> Iterator[tuple[Chunk, ChunkResult]]:
    """Compute the partitions from `start_chunk` on, at most `window` at a time, yielding in order."""
    parts = claims.to_delayed()
    pending: deque[tuple[int, Any]] = deque()
    empty = pd.DataFrame()
    nxt = start_chunk
    try:
        while nxt < len(parts) or pending:
            while nxt < len(parts) and len(pending) < window:
                pending.append((nxt, client.compute(parts[nxt])))
                nxt += 1
            i, fut = pending.popleft()
            frame = fut.result()
            res = result_from_claims(frame, per_article)
            yield Chunk(i, -1, empty, 0, 0, sizes[i]), res
    finally:
        for _, fut in pending:
            fut.cancel()
