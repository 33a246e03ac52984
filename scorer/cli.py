"""The command line: one command per verb. Exit codes: 0 ok, 1 bad data or rules, 2 usage.

Progress and errors go to stderr, so `-o -` can stream results to stdout.
"""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from scorer.errors import ScorerError

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Who says so, how many independent voices back it, and how firmly it is said.")
rules_app = typer.Typer(no_args_is_help=True, help="Inspect and check the rule files.")
app.add_typer(rules_app, name="rules")

err = Console(stderr=True, highlight=False)


class ReportFormat(str, Enum):
    terminal = "terminal"
    json = "json"
    markdown = "markdown"


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
        raise fail(f"{source}: not UTF-8 (byte {exc.start}); convert it, e.g. `iconv -f latin1 -t utf-8`") from exc


@app.command()
def report(
    path: Annotated[str, typer.Argument(help="Article text file (UTF-8), or - for standard input.")],
    outlet: Annotated[str | None, typer.Option(help="Publishing outlet: domain, URL or name.")] = None,
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f", help="Output format.")] = ReportFormat.terminal,
    article_id: Annotated[str | None, typer.Option("--id", help="Article id for the report.")] = None,
) -> None:
    """Score one article and print its sourcing report."""
    text = _read_text(path)
    from scorer import analyze
    from scorer.report import render_terminal, to_markdown

    try:
        result = analyze(text, outlet=outlet, article_id=article_id or (None if path == "-" else Path(path).stem))
    except ScorerError as exc:
        raise fail(str(exc)) from exc
    if fmt is ReportFormat.json:
        sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n")
    elif fmt is ReportFormat.markdown:
        sys.stdout.write(to_markdown(result))
    else:
        render_terminal(result, Console(highlight=False))


@app.command()
def batch(
    input_csv: Annotated[str, typer.Argument(help="CSV of articles, one per row.")],
    output: Annotated[str, typer.Option("-o", "--output", help="claims .csv, reports .jsonl, or - (CSV to stdout).")],
    text_column: Annotated[str, typer.Option(help="Column holding the article text.")] = "text",
    id_column: Annotated[str, typer.Option(help="Column holding the article id.")] = "id",
    outlet_column: Annotated[str | None, typer.Option(help="Column holding the outlet (optional).")] = None,
    chunksize: Annotated[int, typer.Option(min=1, help="Rows read at a time.")] = 500,
    max_chars: Annotated[int, typer.Option(min=1, help="Longest text scored; longer rows get an error.")] = 2_000_000,
) -> None:
    """Score a CSV of articles: one row per claim (.csv) or one report per article (.jsonl)."""
    import pandas as pd

    from scorer.batch import OUTPUT_COLUMNS, report_lines, score_frame

    src = Path(input_csv)
    if not src.exists():
        raise fail(f"{input_csv}: no such file; give a CSV with a '{text_column}' column")
    as_jsonl = output.endswith(".jsonl")
    if not as_jsonl and output != "-" and not output.endswith(".csv"):
        raise fail(f"{output}: unknown output type; use a .csv or .jsonl path, or - for CSV on stdout", 2)
    try:
        reader = pd.read_csv(src, chunksize=chunksize, dtype=object, keep_default_na=False, na_values=[""],
                             encoding="utf-8")
        first = True
        sink = sys.stdout if output == "-" else open(output, "w", encoding="utf-8", newline="")
        rows_in = failed = 0
        try:
            for chunk in reader:
                if first:
                    missing = [c for c in (text_column, outlet_column) if c and c not in chunk.columns]
                    if missing:
                        raise fail(f"{input_csv}: no column {missing[0]!r}; columns are {list(chunk.columns)}; "
                                   f"name the right one with --text-column / --outlet-column")
                id_col = id_column if id_column in chunk.columns else None
                rows_in += len(chunk)
                if as_jsonl:
                    for line, row_error in report_lines(chunk, text_column, id_col, outlet_column, max_chars):
                        failed += bool(row_error)
                        sink.write(line + "\n")
                else:
                    frame = score_frame(chunk, text_column, id_col, outlet_column, max_chars)
                    failed += int((frame["error"].fillna("") != "").sum())
                    frame.to_csv(sink, header=first, index=False, columns=list(OUTPUT_COLUMNS))
                first = False
        finally:
            if sink is not sys.stdout:
                sink.close()
    except UnicodeDecodeError as exc:
        raise fail(f"{input_csv}: not UTF-8 (byte {exc.start}); convert it to UTF-8 first") from exc
    except pd.errors.EmptyDataError as exc:
        raise fail(f"{input_csv}: empty file; give a CSV with a header row and a '{text_column}' column") from exc
    except pd.errors.ParserError as exc:
        raise fail(f"{input_csv}: cannot parse CSV: {str(exc).strip()}") from exc
    err.print(f"scored {rows_in} rows; {failed} rows with errors -> {output}", markup=False)


@app.command()
def train(
    labelled: Annotated[str, typer.Argument(help="Labelled-claims CSV (LABELLING.md format).")],
    output: Annotated[str, typer.Option("-o", "--output", help="Model file to write.")] = "rules/corroboration_model.yaml",
    split: Annotated[str, typer.Option(help="Which split of the file to fit on (never dev).")] = "train",
) -> None:
    """Fit the corroboration model on labelled claims and write it as readable text."""
    from scorer.training import train_corroboration

    try:
        model, summary = train_corroboration(labelled, split=split)
    except ScorerError as exc:
        raise fail(str(exc)) from exc
    model.save(output, header=summary)
    err.print(summary, markup=False)
    err.print(f"wrote {output}", markup=False)


class Corpus(str, Enum):
    polnear = "polnear"
    claims = "claims"


@app.command()
def evaluate(
    split: Annotated[str, typer.Option(help="Split to score (dev is the yardstick).")] = "dev",
    corpus: Annotated[Corpus, typer.Option(help="polnear: attribution spans; claims: the labelled claims.")] = Corpus.polnear,
    fmt: Annotated[str, typer.Option("--format", help="table or json")] = "table",
    limit: Annotated[int | None, typer.Option(help="PolNeAR: only the first N articles (quick look).")] = None,
    plot: Annotated[Path | None, typer.Option(help="claims: write the reliability diagram as a PNG here.")] = None,
) -> None:
    """Measure the scorer on reference data (../shared/data) and the labelled claims."""
    if fmt not in {"table", "json"}:
        raise fail(f"--format {fmt!r}: use table or json", 2)
    try:
        if corpus is Corpus.claims:
            from scorer.evaluation.claims_eval import evaluate_claims, format_claims_table

            result = evaluate_claims(split, plot=plot)
            text = format_claims_table(result)
        else:
            from scorer.evaluation.attribution_eval import evaluate_attribution, format_table

            result = evaluate_attribution(split, limit=limit)
            text = format_table(result)
    except ScorerError as exc:
        raise fail(str(exc)) from exc
    sys.stdout.write((json.dumps(result, indent=2) if fmt == "json" else text) + "\n")


@rules_app.command("check")
def rules_check(
    paths: Annotated[list[Path] | None, typer.Argument(help="Rule files (default: every file in rules/).")] = None,
) -> None:
    """Load and validate rule files: unknown keys, bad regexes and failing examples are errors."""
    from scorer.linear import LinearModel
    from scorer.rulebook import RULES_DIR, load_ruleset

    files = paths or sorted(RULES_DIR.glob("*.yaml"))
    problems = 0
    for path in files:
        try:
            if path.name.endswith("_model.yaml"):
                m = LinearModel.load(path)
                err.print(f"ok  {path}: model {m.name!r}, {len(m.features)} features", markup=False)
            else:
                rs = load_ruleset(path)
                err.print(f"ok  {path}: {len(rs.rules)} rules, {len(rs.lists)} word lists", markup=False)
        except ScorerError as exc:
            problems += 1
            err.print(f"bad {exc}", markup=False)
    if problems:
        raise typer.Exit(1)


def main() -> None:  # pragma: no cover - console entry point
    app()
