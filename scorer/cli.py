"""The command line: one command per verb. Exit codes: 0 ok, 1 bad data or rules, 2 usage.

Progress and errors go to stderr, so `-o -` can stream results to stdout.
"""

from __future__ import annotations

import inspect
import json
import os
import sys
from collections.abc import Callable, Iterator
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, suppress
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from scorer.errors import CONVERT_TO_UTF8, RuleError, ScorerError

if TYPE_CHECKING:  # the CLI imports what a command needs when it runs, to start fast
    from scorer.linear import LinearModel
    from scorer.rulebook import RuleSet

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Who says so, how many independent voices back it, and how firmly it is said.")
rules_app = typer.Typer(no_args_is_help=True, help="Inspect and check the rule files.")
app.add_typer(rules_app, name="rules")

err = Console(stderr=True, highlight=False, soft_wrap=True)  # one error, one line, at any width


@app.callback()
def _command_starts() -> None:
    # scorer/__main__.py's start-up handler ends the process at once (os._exit, one line): right
    # while imports run, wrong once a command runs (its `finally` blocks, buffered output). Python's
    # own handling from here; `batch` installs its own (`_interruptible`).
    import signal

    if getattr(signal.getsignal(signal.SIGINT), "__name__", "") == "_interrupted_while_starting":
        signal.signal(signal.SIGINT, signal.default_int_handler)


class ReportFormat(StrEnum):
    terminal = "terminal"
    json = "json"
    markdown = "markdown"
    html = "html"


# batch.DEFAULT_MAX_CHARS, repeated so that the CLI starts without importing pandas (a test checks
# that the two agree).
MAX_CHARS = 100_000


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print one clear line to stderr and return the exit to raise."""
    err.print(f"error: {message}", markup=False)
    return typer.Exit(code)


def _read_text(path: str) -> str:
    if path == "-":
        data = sys.stdin.buffer.read()
        source = "standard input"
    else:
        p = Path(path)
        if not p.exists():
            raise fail(f"{path}: no such file; give the path of a UTF-8 text file, or - for standard input")
        if p.is_dir():
            raise fail(f"{path}: is a folder; give the path of a UTF-8 text file")
        data = p.read_bytes()
        source = path
    try:
        # Offsets are code points into the text exactly as read: no newline translation.
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise fail(f"{source}: not UTF-8 (byte {exc.start}); {CONVERT_TO_UTF8}") from exc


@app.command()
def report(
    path: Annotated[str, typer.Argument(help="Article text file (UTF-8), or - for standard input.")],
    outlet: Annotated[str | None, typer.Option(help="Publishing outlet: domain, URL or name.")] = None,
    fmt: Annotated[ReportFormat, typer.Option(
        "--format", "-f", help="Output format.")] = ReportFormat.terminal,
    article_id: Annotated[str | None, typer.Option("--id", help="Article id for the report.")] = None,
    max_chars: Annotated[int, typer.Option(
        min=1, help="Longest text scored (characters), as in `scorer batch`. Time and memory grow with "
                    "the square of a text's claims.")] = MAX_CHARS,
) -> None:
    """Score one article and print its sourcing report."""
    text = _read_text(path)
    where = "standard input" if path == "-" else path
    if len(text) > max_chars:
        # A whole archive or book given as one article would run for hours and take gigabytes:
        # say so at once rather than appear to hang.
        raise fail(f"{where}: {len(text):,} characters, over "
                   f"--max-chars {max_chars:,}; split it into articles, or raise --max-chars to score it")
    from scorer import analyze
    from scorer.pipeline import reads_as_page
    from scorer.report import render_terminal, to_markdown

    page = reads_as_page(text)
    if page:
        err.print(f"note: {where} read as a web page: its markup is "
                  "blanked, and offsets still index it as given", markup=False)
    _note_not_english(where, text)

    try:
        result = analyze(text, outlet=outlet,
                         article_id=article_id or (None if path == "-" else Path(path).stem))
    except ScorerError as exc:
        raise fail(str(exc)) from exc
    if fmt is ReportFormat.json:
        sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n")
    elif fmt is ReportFormat.markdown:
        sys.stdout.write(to_markdown(result))
    elif fmt is ReportFormat.html:
        from scorer.html_report import to_html
        from scorer.pipeline import article_as_read

        sys.stdout.write(to_html(result, *article_as_read(text)))
    else:
        render_terminal(result, Console(highlight=False))


def _note_not_english(where: str, text: str) -> None:
    """Say on stderr when a text does not read as English: every rule and model is English-only, so
    its scores mean little (a German denial read `for`)."""
    from scorer.language import reads_as_english

    if reads_as_english(text) is False:
        err.print(f"note: {where} does not read as English; the scorer's rules and models are "
                  "English-only, so its findings may mean little", markup=False)


class Engine(StrEnum):
    local = "local"
    dask = "dask"


EXIT_SOME_ROWS_FAILED = 3


def _batch_fail(message: str, code: int = 1) -> typer.Exit:
    """`fail`, never wrapped: one line on stderr however long the path in it."""
    err.print(f"error: {message}", markup=False, soft_wrap=True)
    return typer.Exit(code)


class _Interrupt:
    """Ctrl-C for a batch run, as a flag as well as an exception: a KeyboardInterrupt that lands in
    a destructor (the regex module's, while rules compile) is printed as "Exception ignored" and
    lost, and the run went on to exit 0. The flag stops it at the next chunk all the same."""

    def __init__(self) -> None:
        self.seen = False
        self.scoring = False  # past set-up: the command says itself how far an interrupt let it get

    def __call__(self, signum: int, frame: Any) -> None:
        self.seen = True
        raise KeyboardInterrupt

    def check(self) -> None:
        if self.seen:
            raise KeyboardInterrupt


def _interruptible(command: Callable[..., None]) -> Callable[..., None]:
    """`command` with Ctrl-C handled however early it comes: its SIGINT handler is an `_Interrupt`
    (passed as `interrupt`), and an interrupt before any row was scored is one line, exit 130."""
    import functools
    import signal

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> None:
        interrupt = _Interrupt()
        try:
            previous = signal.signal(signal.SIGINT, interrupt)
        except ValueError:  # not the main thread (a caller's worker thread): Python's own handling
            previous = None
        try:
            command(*args, interrupt=interrupt, **kwargs)
        except KeyboardInterrupt:
            if not interrupt.scoring:  # later (a second Ctrl-C while closing), the command has spoken
                err.print("interrupted before any row was scored; nothing to resume", markup=False,
                          soft_wrap=True)
            raise typer.Exit(130) from None
        finally:
            if previous is not None:  # None: none set here, or one set outside Python (not restorable)
                signal.signal(signal.SIGINT, previous)

    # Typer reads the options from the signature: `interrupt` is no option of the command.
    signature = inspect.signature(command, eval_str=True)
    parameters = [p for p in signature.parameters.values() if p.name != "interrupt"]
    run.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
    return run


@app.command()
@_interruptible
def batch(
    input_path: Annotated[str, typer.Argument(
        help="CSV or Parquet of articles, one per row; a quoted glob ('archive-*.csv') for several files.")],
    output: Annotated[str, typer.Option("-o", "--output", help=(
        "claims .csv or .parquet, reports .jsonl, a folder/ (one claims CSV per chunk), "
        "or - (CSV to stdout)."))],
    text_column: Annotated[str | None, typer.Option(
        help="Column holding the article text; default: `text`.")] = None,
    id_column: Annotated[str | None, typer.Option(
        help="Column holding the article id; default: `id` when there is one, else the row number.")] = None,
    outlet_column: Annotated[str | None, typer.Option(
        help="Column holding the outlet; default: `outlet` when every input has one.")] = None,
    chunksize: Annotated[int, typer.Option(
        min=1, help="Rows read and scored at a time (a Dask partition).")] = 500,
    max_chars: Annotated[int, typer.Option(
        min=1, help="Longest text scored (characters); longer rows are skipped with an error. Time and "
                    "memory grow with the square of a text's claims.")] = MAX_CHARS,
    workers: Annotated[int | None, typer.Option(
        min=1, help="Processes scoring chunks in parallel (--engine dask: local cluster workers); "
                    "default: every usable core, one per chunk for an input of few chunks.")] = None,
    engine: Annotated[Engine, typer.Option(
        help="local processes, or dask (pip install -e '.\\[dask]', or make install).")] = Engine.local,
    scheduler: Annotated[str | None, typer.Option(
        help="--engine dask: a running scheduler (tcp://host:8786); default: a local cluster.")] = None,
    per_article: Annotated[str | None, typer.Option(
        help="Also write one summary row per article to this .csv or .parquet.")] = None,
    resume: Annotated[bool, typer.Option(
        help="Continue an interrupted run from its last complete chunk.")] = False,
    strict: Annotated[bool, typer.Option(help="Stop at the first row that fails.")] = False,
    progress: Annotated[bool | None, typer.Option(
        "--progress/--no-progress", help="Progress bar on stderr (default: if it is a terminal).")] = None,
    *,
    interrupt: _Interrupt,
) -> None:
    """Score articles in bulk: a row per claim (.csv, .parquet, folder/) or a report per article (.jsonl).

    Rows that cannot be scored get one row with `status` and `error` saying why, and the run goes on.
    Exit codes: 0 every row scored, 3 some rows failed or were over --max-chars,
    1 the input cannot be read (or --strict met a failed row), 2 usage errors.
    """
    from scorer import batch as b

    kind_out = b.output_kind(output)
    if kind_out is None:
        raise _batch_fail(f"{output}: unknown output type; use .csv, .parquet, .jsonl, a folder ending in /, "
                   f"or - for CSV on stdout", 2)
    if resume and output == "-":
        raise _batch_fail("--resume needs an output file; standard output cannot be resumed", 2)
    if engine is Engine.dask and kind_out == "jsonl":
        raise _batch_fail("--engine dask writes claims (.csv, .parquet, folder/); "
                          "use the local engine for .jsonl", 2)
    if scheduler and engine is not Engine.dask:
        raise _batch_fail("--scheduler goes with --engine dask", 2)
    if per_article is not None and not per_article.lower().endswith((".csv", ".parquet")):
        raise _batch_fail(f"--per-article {per_article}: use a .csv or .parquet path", 2)
    if text_column is not None and not text_column:
        raise _batch_fail("--text-column is empty; name the column that holds the article text", 2)
    if per_article is not None and b.same_file(per_article, output):
        raise _batch_fail(f"--per-article {per_article} is the claims output too; give it its own path", 2)
    try:
        paths = b.expand_inputs(input_path)
        kind_in = b.input_kind(paths)
        for target in (output, per_article):
            if target is not None and any(b.writes_over(target, p) for p in paths):
                raise _batch_fail(f"{target} is also an input, or holds one; write to another path, the "
                                  f"input would be overwritten", 2)
        headers = b.input_headers(paths, kind_in)
        # A column the user names must be in every input: its absence is a usage error (exit 2); a
        # default one's absence says the input is not what the command reads (exit 1, below).
        for option, named in (("--text-column", text_column), ("--id-column", id_column),
                              ("--outlet-column", outlet_column)):
            lacking = _first_lacking(paths, headers, named) if named else None
            if lacking is not None:
                raise _batch_fail(f"{lacking}: no column {named!r} ({option}); columns are "
                                  f"{b.shown_columns(headers[paths.index(lacking)])}", 2)
        text_column = text_column or "text"
        # Defaults that some inputs have and others lack: the run goes on, and says what that costs.
        if id_column is None and any("id" in h for h in headers) and (
                without := _first_lacking(paths, headers, "id")) is not None:
            err.print(f"note: {without} has no 'id' column; its rows' ids are their row numbers, which may "
                      f"repeat another input's ids (the `row` column tells rows apart)",
                      markup=False, soft_wrap=True)
        id_column = id_column or "id"
        if outlet_column is None:
            outlet_column = b.default_outlet_column(headers)
            if outlet_column is None and any(b.OUTLET_COLUMN in h for h in headers):
                without = _first_lacking(paths, headers, b.OUTLET_COLUMN)
                err.print(f"note: {without} has no {b.OUTLET_COLUMN!r} column; outlets are read only when "
                          f"every input has one, so no outlet is read in this run (outlet priors unknown)",
                          markup=False, soft_wrap=True)
        for path, header in zip(paths, headers, strict=True):
            b.check_columns(path, header, text_column, outlet_column, id_column)
        if engine is Engine.dask:
            b.import_dask()
        b.warm_up()  # a missing or broken rule/model file is one error now, not a failure on every row
        interrupt.check()
    except ScorerError as exc:
        raise _batch_fail(str(exc)) from exc

    opts = b.ScoreOptions(text_column, id_column, outlet_column, max_chars, jsonl=kind_out == "jsonl",
                          per_article=per_article is not None)
    settings = {"input": kind_in, "chunksize": chunksize, "text_column": text_column, "id_column": id_column,
                "outlet_column": outlet_column, "max_chars": max_chars, "engine": engine.value,
                "output": kind_out, "per_article": per_article}
    try:
        for target in (output, per_article):
            b.check_target(target)  # both, before either file is opened (and emptied)
    except ScorerError as exc:
        raise _batch_fail(str(exc)) from exc
    cp_file = None if output == "-" else b.checkpoint_path(output)
    checkpoint = None
    if cp_file is not None:
        fingerprint = b.input_fingerprint(paths, settings)
        if resume and cp_file.exists():
            try:
                checkpoint = b.Checkpoint.load(cp_file)
            except ScorerError as exc:
                raise _batch_fail(str(exc)) from exc
            if checkpoint.fingerprint != fingerprint:
                raise _batch_fail(f"{cp_file}: the input or settings changed since the interrupted run; "
                                  f"run again without --resume to start over")
        else:
            if resume:
                err.print(f"nothing to resume ({cp_file} not found); starting from the beginning",
                          markup=False, soft_wrap=True)
            checkpoint = b.Checkpoint(fingerprint)
            cp_file.unlink(missing_ok=True)
    resuming = checkpoint is not None and checkpoint.read.chunk > 0
    stats = b.BatchStats()
    if resuming and checkpoint is not None:
        stats.rows_in, stats.counts = checkpoint.rows_in, dict(checkpoint.counts)
        err.print(f"resuming after {checkpoint.read.chunk} chunks ({checkpoint.rows_in} rows)",
                  markup=False, soft_wrap=True)

    columns = b.OUTPUT_COLUMNS
    try:
        at = checkpoint.output if resuming and checkpoint else None
        sink = b.open_sink(output, columns, opts.jsonl, at)
        article_sink = None if per_article is None else b.open_sink(
            per_article, b.empty_article_frame().dtypes.astype(str).to_dict(), False,
            checkpoint.per_article if resuming and checkpoint else None)
    except ScorerError as exc:
        raise _batch_fail(str(exc)) from exc
    except OSError as exc:
        raise _batch_fail(f"{exc.filename or output}: cannot write: {exc.strerror}") from exc

    show = err.is_terminal if progress is None else progress
    total_bytes = sum(p.stat().st_size for p in paths)
    ok = False
    executor = client = cluster = None
    interrupt.scoring = True
    try:
        if engine is Engine.dask:
            client, cluster = _dask_client(scheduler, workers or b.usable_cores())
            claims, sizes = b.dask_claims(paths, kind_in, chunksize, opts)
            window = 2 * max(1, sum(client.nthreads().values()))
            first = checkpoint.read.chunk if resuming and checkpoint else 0
            results = iter(()) if claims is None else b.ordered_dask(
                claims, sizes, client, opts.per_article, first, window)
        else:
            start = checkpoint.read if resuming and checkpoint else None
            chunks = b.iter_chunks(paths, kind_in, chunksize, text_column, outlet_column, start)
            if workers is None:
                cores = b.usable_cores()
                if kind_in == "parquet":  # counted from the files' metadata: reading ahead would start
                    workers = b.parquet_workers(paths, chunksize, cores)  # Arrow's threads before the fork
                else:
                    workers, chunks = b.auto_workers(chunks, cores)
            executor = _local_executor(workers)
            results = b.ordered_local(chunks, opts, executor, 2 * workers)
        with _batch_progress(show, total_bytes) as advance:
            b.drive(results, sink, article_sink, checkpoint, cp_file, stats, strict,
                    on_chunk=lambda ch, res: _chunk_done(advance, ch.nbytes, sum(res.counts.values()),
                                                         interrupt))
        ok = True
    except KeyboardInterrupt:
        # Ctrl-C: what is written stays written (the sinks keep their last complete chunk), and the
        # user is told how to go on, once, instead of a bare exit.
        _quiet_dask()
        if client is not None and cluster is not None:  # a local cluster's workers too, before it closes
            with suppress(Exception):
                client.run(_quiet_dask)
        if not stats.rows_in:
            err.print("interrupted before any row was scored; nothing to resume", markup=False,
                      soft_wrap=True)
        else:
            where = "" if output == "-" else "; run the same command with --resume to continue"
            err.print(f"interrupted after {stats.rows_in} rows{where}", markup=False, soft_wrap=True)
        raise typer.Exit(130) from None
    except b.BatchAbort as exc:
        raise _batch_fail(f"--strict: {exc}") from exc
    except BrokenProcessPool as exc:
        raise _batch_fail("a worker process died (out of memory?); finished chunks are kept: run again "
                          "with --resume, with fewer --workers if memory is short") from exc
    except ScorerError as exc:
        raise _batch_fail(str(exc)) from exc
    except BrokenPipeError:
        raise  # stdout's reader stopped (`| head`): click ends quietly, exit 1
    except OSError as exc:
        raise _batch_fail(f"{exc.filename or output}: {exc.strerror or exc}") from exc
    finally:
        if executor is not None:
            executor.shutdown(cancel_futures=True)
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()
        for s in (sink, article_sink):
            if s is not None:
                s.close() if ok else s.abort()
    if cp_file is not None:
        cp_file.unlink(missing_ok=True)

    c = stats.counts
    scored = c[b.SCORED] + c[b.NO_CLAIMS]
    if stats.rows_in != scored + c[b.SKIPPED] + c[b.FAILED]:  # pragma: no cover - an accounting bug
        raise _batch_fail(f"internal error: {stats.rows_in} rows in, "
                          f"{scored + c[b.SKIPPED] + c[b.FAILED]} accounted for")
    line = f"{stats.rows_in} rows in: {scored} scored ({c[b.NO_CLAIMS]} without claims), {c[b.FAILED]} failed"
    if c[b.SKIPPED]:
        line += f", {c[b.SKIPPED]} skipped (over --max-chars)"
    err.print(f"{line} -> {'stdout' if output == '-' else output}", markup=False, soft_wrap=True)
    if c[b.FAILED] or c[b.SKIPPED]:
        raise typer.Exit(EXIT_SOME_ROWS_FAILED)


def _first_lacking(paths: list[Path], headers: list[list[str]], column: str) -> Path | None:
    """The first input whose header lacks `column`, or None when every one has it."""
    return next((p for p, h in zip(paths, headers, strict=True) if column not in h), None)


def _chunk_done(advance: Callable[[int, int], None], nbytes: int, rows: int, interrupt: _Interrupt) -> None:
    advance(nbytes, rows)
    interrupt.check()  # a Ctrl-C the interpreter swallowed stops the run here


def _local_executor(workers: int) -> Any:
    """None for one worker (score in process); else a process pool, started (and warm) now, before any
    progress thread exists, so forking is safe and workers inherit the loaded rules."""
    if workers <= 1:
        return None
    import gc
    import multiprocessing
    import os
    from concurrent.futures import ProcessPoolExecutor

    from scorer.batch import start_worker

    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    # The loaded rules and models out of the collector's reach: its passes would write to their
    # pages in every forked worker and unshare them (PSS of a 2-worker run: 587 -> 550 MB).
    gc.collect()
    gc.freeze()
    executor = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=start_worker,
                                   initargs=(os.getpid(),))
    list(executor.map(abs, range(workers)))
    gc.unfreeze()  # the workers are forked; this process collects as before
    return executor


def _dask_client(scheduler: str | None, workers: int) -> tuple[Any, Any]:
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            return Client(scheduler, timeout="20s"), None
        except (OSError, TimeoutError) as exc:
            raise _batch_fail(f"--scheduler {scheduler}: cannot connect: {exc}") from exc
    import signal

    # Ctrl-C reaches every process of the terminal's group: the local cluster's processes, started
    # while this one ignores it, inherit the ignoring and leave Ctrl-C to this process, which stops
    # the cluster, rather than each printing its own traceback.
    try:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread: no handler of ours to lend the cluster
        previous = None
    try:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=None)
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
    return Client(cluster), cluster


def _quiet_dask() -> None:
    """Nothing but critical news from distributed while an interrupted run's cluster closes: its
    workers' warnings about cancelled tasks and a lost scheduler say nothing to the user."""
    import logging

    for name in ("distributed", "tornado"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


@contextmanager
def _batch_progress(show: bool, total_bytes: int) -> Iterator[Callable[[int, int], None]]:
    if not show:
        yield lambda nbytes, rows: None
        return
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

    rows = 0
    with Progress(TextColumn("scoring"), BarColumn(), DownloadColumn(),
                  TextColumn("{task.fields[rows]} rows"), TimeRemainingColumn(), console=err) as bar:
        task = bar.add_task("batch", total=total_bytes, rows=0)

        def advance(nbytes: int, n: int) -> None:
            nonlocal rows
            rows += n
            bar.update(task, advance=nbytes, rows=rows)

        yield advance


@app.command()
def corroborate(
    input_path: Annotated[str, typer.Argument(help="CSV of reports, one per row, or - for stdin.")],
    output: Annotated[str, typer.Option("-o", "--output", help="Claims CSV (a row per claim group), or -.")],
    text_column: Annotated[str, typer.Option(help="Report text column.")] = "text",
    outlet_column: Annotated[str | None, typer.Option(
        help="Outlet column (domain, URL or name); default: `outlet` when there is one.")] = None,
    claim_column: Annotated[str | None, typer.Option(help="Claim column (claim each row reports).")] = None,
    group_column: Annotated[str | None, typer.Option(help="Group column: rows of one claim.")] = None,
    reports: Annotated[str | None, typer.Option("--reports", help=(
        "Also write every input row, in order, with group_id, stance, stance_confidence."))] = None,
    max_chars: Annotated[int, typer.Option(
        min=1, help="Longest report text read (characters), as in `scorer batch`; a longer one stops "
                    "the run before any work. Time and memory grow with the square of a text's claims.",
    )] = MAX_CHARS,
) -> None:
    """Group reports of the same claim across outlets; count independent reports; score veracity.

    Without --claim-column or --group-column the claims are extracted and grouped by content.
    """
    if claim_column and group_column:
        raise fail("give --claim-column or --group-column, not both", 2)
    from scorer.batch import same_file
    from scorer.corroborate import REPORT_COLUMNS
    from scorer.corroborate import corroborate as run

    # The whole input is read before anything is written, so an output naming it would replace it.
    for flag, target in (("-o", output), ("--reports", reports)):
        if target is not None and same_file(target, input_path):
            raise fail(f"{flag} {target}: is the input; write the output elsewhere", 2)
    if reports is not None and (reports == output == "-" or same_file(reports, output)):
        raise fail(f"--reports {reports}: is also -o; give the two tables different files", 2)
    for flag, target in (("-o", output), ("--reports", reports)):  # both CSV files, whatever the name
        if target is not None and target != "-":
            _check_output_file(target, flag, "claims.csv")

    from scorer.csvinput import read_report_table

    name = "standard input" if input_path == "-" else input_path
    try:
        if input_path != "-" and Path(input_path).is_dir():
            raise fail(f"{input_path}: is a folder; give a CSV file of reports, or - for standard input")
        if input_path != "-" and not Path(input_path).is_file():
            raise fail(f"{input_path}: no such file; give a CSV of reports, or - for standard input")
        frame = read_report_table(sys.stdin.buffer if input_path == "-" else Path(input_path), name,
                                  "a CSV of reports")
        for flag, column in (("--text-column", text_column), ("--outlet-column", outlet_column),
                             ("--claim-column", claim_column), ("--group-column", group_column)):
            if column is not None and column not in frame.columns:
                more = ", ..." if len(frame.columns) > 12 else ""
                shown = ", ".join(map(repr, frame.columns[:12])) + more
                raise fail(f"{name}: no column {column!r} (its columns: {shown}); name the column with "
                           f"{flag}", 2)
        clash = [c for c in REPORT_COLUMNS if c in frame.columns]
        if reports is not None and clash:
            raise fail(f"{name}: has column(s) {', '.join(map(repr, clash))}, which --reports adds to every "
                       "row; rename them in the input so that neither is lost", 2)
        if text_column in frame.columns and len(frame):
            lengths = frame[text_column].str.len()
            if int(lengths.max()) > max_chars:
                row = int(lengths.to_numpy().argmax())
                # Every row is grouped with every other, so one run-on cell would take the whole run
                # (a 314 KB cell: 32 s and 1.15 GB): refused at once, as `report` refuses one article.
                raise fail(f"{input_path}: row {row + 1} has {int(lengths.iloc[row]):,} characters of text, "
                           f"over --max-chars {max_chars:,}; split it, or raise --max-chars to read it")
        if outlet_column is None:
            from scorer.batch import default_outlet_column

            outlet_column = default_outlet_column([list(frame.columns)])
        result = run(frame, text_column=text_column, outlet_column=outlet_column, claim_column=claim_column,
                     group_column=group_column)
    except ScorerError as exc:
        raise fail(str(exc)) from exc
    for table, target in ((result.claims, output), (result.reports, reports)):
        if target is None:
            continue
        try:
            table.to_csv(sys.stdout if target == "-" else target, index=False)
        except BrokenPipeError:
            raise  # `| head`: click ends quietly, exit 1
        except OSError as exc:
            raise fail(f"{target}: cannot write: {exc.strerror or exc}") from exc
    err.print(f"{len(result.reports)} reports -> {len(result.claims)} claim groups", markup=False)


def _note_unpinned_blas() -> None:
    """After a refit, say on stderr when it ran unpinned (scorer.training.REPRODUCIBLE_BLAS)."""
    from scorer.training import unpinned_blas

    missing = unpinned_blas()
    if missing:
        err.print(f"note: {' '.join(missing)} not set, so the weights may differ from a refit elsewhere "
                  "in their last digits; `make models` sets them", markup=False)


def _check_output_file(target: str, option: str, example: str) -> None:
    """Refuse an output file the command writes at the end before its work (a fit or an evaluation
    takes seconds to minutes, whose result would be lost): a folder given as the file is a usage
    error (exit 2); a missing folder or no write permission exits 1, as `batch` treats its outputs."""
    path = Path(target)
    if target.endswith(("/", "\\")) or path.is_dir():
        raise fail(f"{option} {target}: is a folder; give a file name, e.g. {path / example}", 2)
    folder = path.parent
    if not folder.is_dir():
        raise fail(f"{option} {target}: no folder {folder}; create it first or write elsewhere")
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise fail(f"{option} {target}: not writable; write elsewhere or change its permissions")


def _fit_and_say(what: str, output: str, fit: Callable[[], LinearModel]) -> None:
    """Run a fit that writes its model to `output` and say so on stderr; a corpus it cannot read or
    a file it cannot write is one line."""
    try:
        model = fit()
    except (ScorerError, OSError) as exc:
        raise fail(f"cannot train the {what} model: {exc}") from exc
    err.print(f"wrote {output} ({len(model.features)} features)", markup=False)


def _check_model_output(output: str, option: str = "-o") -> None:
    _check_output_file(output, option, "my_model.yaml")


def _fit_on_labels(fit: Callable[..., tuple[Any, str]], labelled: str, split: str, output: str) -> None:
    """Fit a model on one split of a labelled-claims file and write it; a bad file is one line."""
    if split == "dev":
        # The dev claims measure every model (`scorer evaluate`); a model fitted on them would be
        # measured on its own training data.
        raise fail("--split dev: dev is for measurement only; fit on train (the default)", 2)
    _check_model_output(output)
    try:
        model, summary = fit(labelled, split=split)
    except ScorerError as exc:
        raise fail(str(exc), exc.exit_code) from exc
    _write_model(model, summary, output)
    _note_unpinned_blas()


def _write_model(model: Any, summary: str, output: str) -> None:
    """Save a fitted model as text with its summary as the header, and say so on stderr."""
    try:
        model.save(output, header=summary)
    except OSError as exc:  # checked before the fit, but a disk may fill or a folder go meanwhile
        raise fail(f"{exc.filename or output}: cannot write: {exc.strerror or exc}") from exc
    err.print(summary, markup=False)
    err.print(f"wrote {output}", markup=False)


@app.command()
def train(
    labelled: Annotated[str, typer.Argument(help="Labelled-claims CSV (LABELLING.md format).")],
    output: Annotated[str, typer.Option(
        "-o", "--output", help="Model file to write.")] = "rules/corroboration_model.yaml",
    split: Annotated[str, typer.Option(help="Which split of the file to fit on (never dev).")] = "train",
) -> None:
    """Fit the corroboration model on labelled claims and write it as readable text."""
    from scorer.training import train_corroboration

    _fit_on_labels(train_corroboration, labelled, split, output)


@app.command("train-context")
def train_context(
    labelled: Annotated[str, typer.Argument(
        help="Labelled-claims CSV (LABELLING.md format).")] = "data/labels/claims.csv",
    output: Annotated[str, typer.Option(
        "-o", "--output", help="Model file to write.")] = "rules/context_model.yaml",
    split: Annotated[str, typer.Option(help="Which split of the file to fit on (never dev).")] = "train",
) -> None:
    """Fit the context model (which claims citing no one take a source from their paragraph);
    run before `train`."""
    from scorer.training import train_context_model

    _fit_on_labels(train_context_model, labelled, split, output)


@app.command("train-contested")
def train_contested(
    labelled: Annotated[str, typer.Argument(
        help="Labelled-claims CSV (LABELLING.md format).")] = "data/labels/claims.csv",
    output: Annotated[str, typer.Option(
        "-o", "--output", help="Model file to write.")] = "rules/contest_model.yaml",
    split: Annotated[str, typer.Option(help="Which split of the file to fit on (never dev).")] = "train",
) -> None:
    """Fit the contested-claim model (which claims a dispute in the article contests); run before `train`."""
    from scorer.training import train_contest_model

    _fit_on_labels(train_contest_model, labelled, split, output)


@app.command("train-attribution")
def train_attribution() -> None:
    """Refit the three attribution token models on ../shared/data/polnear/train (never dev), ~5 min."""
    from scorer.attribution_model import train_attribution_models

    try:
        models = train_attribution_models(split="train")
    except (ScorerError, OSError) as exc:
        raise fail(f"cannot train the attribution models: {exc}") from exc
    for model in models:
        err.print(f"wrote model {model.name!r} ({len(model.features)} features)", markup=False)
    _note_unpinned_blas()


@app.command("train-stance")
def train_stance(
    emergent: Annotated[str | None, typer.Argument(
        help="Emergent-format CSV (default: ../shared/data/emergent/emergent_train.csv).")] = None,
    output: Annotated[str, typer.Option(
        "-o", "--output", help="Model file to write.")] = "rules/stance_model.yaml",
    url_output: Annotated[str, typer.Option(
        "--url-output", help="URL model file to write (reports whose URL has a word slug).",
    )] = "rules/stance_url_model.yaml",
) -> None:
    """Refit the stance models (headline; headline and URL slug) on Emergent train, with
    claim-grouped CV metrics in each file."""
    from scorer.batch import same_file
    from scorer.evaluation.emergent import EMERGENT_TRAIN
    from scorer.stance_detection import train_stance_model

    if same_file(output, url_output):
        raise fail(f"--url-output {url_output}: is also -o; the two models need two files", 2)
    _check_model_output(output)
    _check_model_output(url_output, "--url-output")
    for path, url in ((output, False), (url_output, True)):
        fit = partial(train_stance_model, emergent or EMERGENT_TRAIN, path, url_features=url)
        _fit_and_say("stance", path, fit)
    _note_unpinned_blas()


@app.command("train-veracity")
def train_veracity(
    emergent: Annotated[str | None, typer.Argument(
        help="Emergent-format CSV (default: ../shared/data/emergent/emergent_train.csv).")] = None,
    output: Annotated[str, typer.Option(
        "-o", "--output", help="Model file to write.")] = "rules/veracity_model.yaml",
) -> None:
    """Refit the cross-outlet veracity model (`corroborate`) on Emergent train, stances predicted out
    of fold; run after `train-stance`, whose rules it reads."""
    from scorer.corroborate import fit_veracity_model
    from scorer.evaluation.emergent import EMERGENT_TRAIN

    _check_model_output(output)
    _fit_and_say("veracity", output, lambda: fit_veracity_model(emergent or EMERGENT_TRAIN, output).model)
    _note_unpinned_blas()


@app.command("train-wiki-hedges")
def train_wiki_hedges(
    wikiweasel: Annotated[str | None, typer.Argument(
        help="WikiWeasel CSV (default: ../shared/data/wikiweasel/train.csv).")] = None,
    output: Annotated[str, typer.Option(
        "-o", "--output", help="Model file to write.")] = "rules/hedge_model.yaml",
) -> None:
    """Refit the WikiWeasel hedge weights (rules/hedges.yaml features), with 5-fold CV metrics in the file."""
    from scorer.evaluation.wikiweasel import WIKIWEASEL_TRAIN
    from scorer.hedging import train_hedge_model

    _check_model_output(output)
    _fit_and_say("hedge", output, lambda: train_hedge_model(wikiweasel or WIKIWEASEL_TRAIN, save_to=output))
    _note_unpinned_blas()


@app.command("train-hedges")
def train_hedges(
    labelled: Annotated[str, typer.Argument(
        help="Labelled-claims CSV (LABELLING.md format).")] = "data/labels/claims.csv",
    output: Annotated[str, typer.Option(
        "-o", "--output", help="Model file to write.")] = "rules/hedge_news_model.yaml",
    split: Annotated[str, typer.Option(help="Which split of the file to fit on (never dev).")] = "train",
) -> None:
    """Fit the news hedge weights on labelled claims (rules/hedges.yaml features) and write them as text."""
    from scorer.training import train_news_hedge_model

    _fit_on_labels(train_news_hedge_model, labelled, split, output)


class Corpus(StrEnum):
    polnear = "polnear"
    claims = "claims"
    all = "all"
    veracity = "veracity"
    grouping = "grouping"
    emergent = "emergent"
    wikiweasel = "wikiweasel"


@app.command()
def evaluate(
    split: Annotated[str, typer.Option(help="Split to score (dev is the yardstick).")] = "dev",
    corpus: Annotated[Corpus, typer.Option(help=(
        "polnear: attribution spans; claims: the labelled claims; all: both, one report; emergent: "
        "stance; wikiweasel: hedges; veracity, grouping: Emergent claims."))] = Corpus.polnear,
    fmt: Annotated[str, typer.Option("--format", help="table or json")] = "table",
    limit: Annotated[int | None, typer.Option(
        min=1, help="PolNeAR: only the first N articles (quick look).")] = None,
    plot: Annotated[Path | None, typer.Option(
        help="claims: write the reliability diagram as a PNG here.")] = None,
) -> None:
    """Measure the scorer on reference data (../shared/data) and the labelled claims."""
    if fmt not in {"table", "json"}:
        raise fail(f"--format {fmt!r}: use table or json", 2)
    if plot is not None:
        # Checked before a minute of evaluation, whose results a failed save would lose.
        if corpus not in (Corpus.claims, Corpus.all):
            raise fail(f"--plot draws the labelled claims' reliability diagram: use it with --corpus claims "
                       f"or all, not {corpus.value}", 2)
        if not plot.is_dir():  # a folder is refused as a file name below, whatever its suffix
            if not plot.suffix:
                plot = plot.with_suffix(".png")  # what matplotlib would write, and so what we report
            formats = _plot_formats()
            if plot.suffix.lower().lstrip(".") not in formats:
                raise fail(f"--plot {plot}: matplotlib cannot write {plot.suffix} files; use one of "
                           f"{', '.join('.' + f for f in sorted(formats))}", 2)
        _check_output_file(str(plot), "--plot", "reliability.png")
    try:
        if corpus is Corpus.emergent:
            from scorer.evaluation.emergent import evaluate_stance
            from scorer.evaluation.emergent import format_table as format_stance_table

            result = evaluate_stance()
            text = format_stance_table(result)
        elif corpus is Corpus.wikiweasel:
            from scorer.evaluation.wikiweasel import evaluate_wikiweasel
            from scorer.evaluation.wikiweasel import format_table as format_hedge_table

            result = evaluate_wikiweasel()
            text = format_hedge_table(result)
        elif corpus is Corpus.veracity:
            from scorer.evaluation.veracity import evaluate_veracity, format_veracity_table

            result = evaluate_veracity()
            text = format_veracity_table(result)
        elif corpus is Corpus.grouping:
            from scorer.evaluation.veracity import evaluate_grouping, format_grouping_table

            result = evaluate_grouping()
            text = format_grouping_table(result)
        elif corpus is Corpus.claims:
            from scorer.evaluation.claims_eval import evaluate_claims, format_claims_table

            result = evaluate_claims(split, plot=plot)
            text = format_claims_table(result)
        elif corpus is Corpus.all:
            # Issue 3's whole table in one run: attribution spans, then the labelled claims of the
            # split (a split nobody labelled claims of, PolNeAR's held-back test, has spans only).
            from scorer.evaluation.attribution_eval import evaluate_attribution, format_table
            from scorer.evaluation.claims_eval import evaluate_claims, format_claims_table
            from scorer.labels import load_labels

            spans = evaluate_attribution(split, limit=limit)
            claims = evaluate_claims(split, plot=plot) if load_labels(split=split) else None
            if claims is None and plot is not None:
                err.print(f"note: no labelled claims in split {split!r}, so no --plot {plot}", markup=False)
            result = {"polnear": spans, "claims": claims}
            text = format_table(spans) + "\n\n" + (
                format_claims_table(claims) if claims else f"no labelled claims in split {split!r}")
        else:
            from scorer.evaluation.attribution_eval import evaluate_attribution, format_table

            result = evaluate_attribution(split, limit=limit)
            text = format_table(result)
    except ScorerError as exc:
        raise fail(str(exc), exc.exit_code) from exc  # 2 for an unknown split
    except OSError as exc:
        if plot is None or exc.filename != str(plot):
            raise
        raise fail(f"--plot {plot}: cannot write: {exc.strerror or exc}") from exc
    sys.stdout.write((json.dumps(result, indent=2) if fmt == "json" else text) + "\n")


def _plot_formats() -> frozenset[str]:
    """The file suffixes matplotlib's non-interactive canvas saves here (its plugins decide a few)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    return frozenset(Figure().canvas.get_supported_filetypes())


@app.command("stance")
def stance_command(
    report_path: Annotated[str, typer.Argument(
        help="The report (headline or article) file, or - for stdin.")],
    claim: Annotated[str, typer.Option("--claim", help="The claim the report is about.")],
    fmt: Annotated[str, typer.Option("--format", help="text or json")] = "text",
    url: Annotated[str | None, typer.Option(
        "--url", help="The report's address, when known: its slug's wording counts too.")] = None,
) -> None:
    """Stance of a report toward a claim: for, observing (relayed without commitment) or against."""
    if fmt not in {"text", "json"}:
        raise fail(f"--format {fmt!r}: use text or json", 2)
    if not claim.strip():
        raise fail("--claim is empty; give the claim's text", 2)
    if not any(ch.isalnum() for ch in claim):
        raise fail(f"--claim {claim!r} has no word; give the claim's text", 2)
    text = _read_text(report_path)
    where = "standard input" if report_path == "-" else report_path
    if not text.strip():
        raise fail(f"{where}: the report is empty; give a headline or an article's text")
    if not any(ch.isalnum() for ch in text):
        raise fail(f"{where}: the report has no word; give a headline or an article's text")
    from scorer.pipeline import working_text
    from scorer.report import _flat
    from scorer.stance_detection import default_stance_model, stance

    # A saved web page is read as a browser shows it (its menus' "Hoax watch" read `against`), a
    # forwarded e-mail without its "> " marks; offsets still index the file as given.
    text = working_text(text)[0]
    _note_not_english("the claim", claim)
    _note_not_english(where, text)
    try:
        result = stance(claim, text, url=url)
        featurizer = default_stance_model().featurizer
    except ScorerError as exc:
        raise fail(str(exc)) from exc
    def roots(doc: str) -> set[str]:
        # Looser than the model's stems, so that the note fires only on a report about something else:
        # a content word's first three letters, "-ying" read as "-ie" ("lying" meets "lied").
        words = (doc[a:b].lower() for a, b, stem in featurizer.content_stems(doc) if stem)
        return {(w[:-4] + "ie" if w.endswith("ying") else w)[:3] for w in words}

    claim_words = roots(claim)
    slug = " ".join("".join(ch if ch.isalpha() else " " for ch in url or "").split())  # read by the URL model
    if claim_words and not claim_words & roots(f"{text}\n{slug}"):
        # The model reads how a report treats the claim; a report about something else still gets
        # a label (an unrelated headline read "for" at 0.70), which means nothing.
        err.print("note: the report shares no content word with the claim; a stance is only "
                  "meaningful for a report about the claim", markup=False)
    if fmt == "json":
        sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n")
        return
    probs = ", ".join(f"{k} {v:.2f}" for k, v in result.probabilities.items())
    cues = "; ".join(f"“{_flat(c.text)}” ({c.label})" for c in result.cues) or "none"
    sys.stdout.write(f"{result.label}  ({probs})\ncues: {cues}\n")


@rules_app.command("stats")
def rules_stats(
    split: Annotated[str, typer.Option(help="Labelled split to measure on.")] = "train",
    fmt: Annotated[str, typer.Option("--format", help="table or json")] = "table",
) -> None:
    """Per rule: coverage, overlaps, conflicts, accuracy on the labelled claims, learned weight."""
    from scorer.rules_stats import format_stats, rule_stats

    if fmt not in {"table", "json"}:
        raise fail(f"--format {fmt!r}: use table or json", 2)
    try:
        result = rule_stats(split)
    except ScorerError as exc:
        raise fail(str(exc), exc.exit_code) from exc  # 2 for an unknown split
    sys.stdout.write((json.dumps(result, indent=2) if fmt == "json" else format_stats(result)) + "\n")


def _is_model_file(path: Path) -> bool:
    """Whether `rules check` reads `path` as a model: by its `schema` (a model saved as m_dev.yaml is
    still a model); by its name (`*_model.yaml`) when the schema is neither a model's nor a rule
    file's or the file cannot be read, so the loader it goes to names what is wrong."""
    from scorer.linear import MODEL_SCHEMA, parse_yaml
    from scorer.rulebook import RULES_SCHEMA

    try:
        data = parse_yaml(path.read_text(encoding="utf-8"), path)
    except (OSError, UnicodeDecodeError, RuleError):
        data = None
    schema = data.get("schema") if isinstance(data, dict) else None
    if schema in (MODEL_SCHEMA, RULES_SCHEMA):
        return bool(schema == MODEL_SCHEMA)
    return path.name.endswith("_model.yaml")


@rules_app.command("check")
def rules_check(
    paths: Annotated[list[Path] | None, typer.Argument(
        help="Rule files (default: every file in rules/).")] = None,
) -> None:
    """Load and validate rule files: unknown keys, bad regexes and failing examples are errors."""
    from scorer.linear import LinearModel
    from scorer.rulebook import RULES_DIR, compile_fully, load_ruleset

    # The folder's .yml files too: a file the scorer would never read is worth a word.
    files = paths or sorted([*RULES_DIR.glob("*.yaml"), *RULES_DIR.glob("*.yml")])
    problems = 0
    defined_in: dict[str, Path] = {}  # rule id -> the first file defining it
    for path in files:
        try:
            if _is_model_file(path):
                m = LinearModel.load(path)
                _check_rules_hash(path, m)
                if not paths:
                    _check_read_by_the_scorer(path, model=True)
                err.print(f"ok  {path}: model {m.name!r}, {len(m.features)} features", markup=False)
            else:
                rs = load_ruleset(path)
                compile_fully(rs)
                _check_with_reader(path, rs)
                _check_ids_unique_across_files(path, rs, defined_in)
                _check_examples_given(path, rs)
                if not paths:
                    _check_read_by_the_scorer(path, model=False)
                err.print(f"ok  {path}: {len(rs.rules)} rules, {len(rs.lists)} word lists", markup=False)
        except ScorerError as exc:
            problems += 1
            err.print(f"bad {exc}", markup=False)
    if problems:
        raise typer.Exit(1)


def _check_read_by_the_scorer(path: Path, model: bool) -> None:
    """A file in rules/ that no code reads (a newsroom's own `newsroom_hedges.yaml`, any `.yml`) would
    pass the check and change nothing: say so, and where its rules belong."""
    from scorer.linear import RETRAIN_COMMANDS
    from scorer.rulebook import WORD_LISTS

    if path.suffix != ".yaml":
        raise RuleError(f"{path}: the scorer reads only .yaml files; rename it to {path.stem}.yaml")
    known = set(RETRAIN_COMMANDS) | {"corroboration_prior_model.yaml"} if model else set(WORD_LISTS)
    if (path.name if model else path.stem) not in known:
        kinds = ", ".join(f"{k}.yaml" for k in sorted(WORD_LISTS))
        raise RuleError(f"{path}: not read by the scorer; put its rules into the file of their kind "
                        f"({kinds})" if not model else f"{path}: a model no part of the scorer reads")


def _check_examples_given(path: Path, rules: RuleSet) -> None:
    """An example proves a rule can fire: a pattern that only looks ahead (`(?=\\bdoubts\\b)`) loads,
    matches no character, and never fires."""
    for rule in rules.rules:
        if not rule.examples:
            raise RuleError(f"{path}: rule {rule.id!r} has no example; give one text it matches")


def _check_with_reader(path: Path, rules: RuleSet) -> None:
    """Build what reads a hedge file, which checks its rules' attrs and that every example holds the
    trigger words without which `CueFinder` never runs the rule."""
    if path.stem == "hedges":
        from scorer.hedging import CueFinder

        CueFinder(rules)


def _check_ids_unique_across_files(path: Path, rules: RuleSet, defined_in: dict[str, Path]) -> None:
    """Rule ids name features and `rules stats` rows: one id in two files merges their rows."""
    for rule in rules.rules:
        first = defined_in.setdefault(rule.id, path)
        if first != path:
            raise RuleError(f"{path}: rule {rule.id!r}: id already defined in {first}; give it another id")


def _check_rules_hash(path: Path, model: LinearModel) -> None:
    """A model that records the sha256 of the rule file it was fitted with (`training_data`:
    `rules_sha256`, and `rules`, its name, or stance.yaml for the stance models) was fitted on the rule
    file beside it as it is now; else its weights belong to other rules. Models recording no hash
    are not checked."""
    import hashlib

    from scorer.linear import retrain_command

    data = model.meta.get("training_data")
    if not isinstance(data, dict) or "rules_sha256" not in data:
        return
    rules = path.with_name(str(data.get("rules", "stance.yaml")))
    if not rules.is_file():
        return  # a model kept away from its rules: nothing to compare with
    if hashlib.sha256(rules.read_bytes()).hexdigest() != data["rules_sha256"]:
        raise RuleError(f"{path}: fitted on another version of {rules.name} (its rules_sha256 differs); "
                        f"retrain with `{retrain_command(path)}`")
