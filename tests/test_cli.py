"""The command line, through typer's CliRunner: formats, stdin, and one-line errors with exit codes."""

from __future__ import annotations

import io
import json
import os
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from click.testing import Result
from typer.testing import CliRunner

from scorer.cli import app

from .conftest import MODEL_ARTICLE, hedges_with_an_untriggered_example

runner = CliRunner()


@pytest.mark.parametrize("columns", [40, 80, 119, 120, 160])
def test_report_terminal_cuts_nothing_short_at_any_width(columns: int) -> None:
    """At 80 columns (and when piped) the claims table's narrow columns once ended sources and flags
    in "named_o…" and "contrad…": every source, type, flag and the signals behind each score must be
    there whole, however narrow the terminal."""
    from scorer import analyze
    from scorer.report import WIDE_REPORT_COLUMNS, _flags, _why

    result = runner.invoke(app, ["report", str(MODEL_ARTICLE), "--outlet", "24brussels.net"],
                           env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.output
    assert "…" not in result.output
    assert max(len(line) for line in result.output.splitlines()) <= columns
    flat = " ".join(result.output.split())
    report = analyze(MODEL_ARTICLE.read_text(encoding="utf-8"), outlet="24brussels.net")
    for claim in report.claims:  # printed under the table when wide, in each claim's block when not
        assert " ".join(_why(claim).split()) in flat
    if columns < WIDE_REPORT_COLUMNS:  # blocks: every line whole (a table cell wraps between borders)
        for src in (s for s in report.sources if s.cited):
            assert f"{src.name} [{src.id}, {src.type}]" in flat
        for claim in report.claims:
            assert f"{claim.id} {claim.verdict} {claim.corroboration:.2f}" in flat
            for flag in _flags(claim):
                assert " ".join(flag.split()) in flat, flag
        assert "contradicted by C12, C13" in flat


@pytest.mark.parametrize("columns", ["80", "200"])
def test_square_brackets_in_an_article_are_text_not_markup(tmp_path: Path, columns: str) -> None:
    """Table cells given as str were read as rich markup: "[sic]" vanished, "[/i]" was a traceback."""
    path = tmp_path / "brackets.txt"
    path.write_text("Headline here\n\nHe wrote [sic] that the vote was [b]rigged[/b], officials said "
                    "[/i].\n\nWas it [/b]rigged? the mayor asked.\n", encoding="utf-8")
    result = runner.invoke(app, ["report", str(path)], env={"COLUMNS": columns})
    assert result.exit_code == 0, result.output
    flat = " ".join(result.stdout.split())
    assert "[sic]" in flat and "[b]rigged[/b]," in flat and "[/i]" in flat and "Was it [/b]rigged?" in flat


def test_a_wide_report_folds_a_url_longer_than_its_column(tmp_path: Path) -> None:
    path = tmp_path / "url.txt"
    url = "https://www.example.gov/briefing-room/statements-releases/2016/03/09/statement-by-the-press"
    path.write_text(f"Officials said the full statement is at {url} and will be updated.\n", encoding="utf-8")
    result = runner.invoke(app, ["report", str(path)], env={"COLUMNS": "120"})
    assert result.exit_code == 0 and "…" not in result.output, result.output


@pytest.mark.parametrize("fmt", ["terminal", "markdown"])
def test_report_views_show_no_escape_sequences_from_the_article(tmp_path: Path, fmt: str) -> None:
    """Scraped text can carry ESC sequences (clear the screen, retitle the window): the human views
    show them as U+FFFD; JSON keeps the text exactly. A bracketed outlet is no rich markup either."""
    path = tmp_path / "e.txt"
    path.write_text("Headline here\n\nOfficials said the bridge \x1b[2J\x1b[31mcollapsed\x1b[0m on Tuesday "
                    "\x1b]0;PWNED\x07 night, \u202eaccording to police.\n", encoding="utf-8")
    result = runner.invoke(app, ["report", str(path), "--format", fmt, "--outlet", "[bold]x"],
                           env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "\ufffd[31mcollapsed" in result.stdout and "[bold]x" in result.stdout
    assert "\u202e" not in result.stdout  # a right-to-left override would show the rest reversed
    as_json = runner.invoke(app, ["report", str(path), "--format", "json"])
    assert "\\u001b[31mcollapsed" in as_json.stdout  # the article's text, as given


def test_report_json_has_schema_and_names() -> None:
    result = runner.invoke(app, ["report", str(MODEL_ARTICLE), "--outlet", "24brussels.net",
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["schema"] == "scorer.report/1"
    assert doc["article"] == {"id": "24brussels-ukraine-guarantees", "outlet": "24brussels.net",
                              "chars": len(MODEL_ARTICLE.read_text(encoding="utf-8"))}
    assert {"claims", "by_source_type", "unnamed_share", "hedged_share", "contradicted_share",
            "mean_corroboration", "outlet_prior"} <= set(doc["summary"])


def test_report_markdown_from_stdin() -> None:
    text = MODEL_ARTICLE.read_text(encoding="utf-8")
    result = runner.invoke(app, ["report", "-", "--format", "markdown"], input=text)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Sourcing report")
    assert "| C1 |" in result.stdout


@pytest.mark.parametrize("content", ["", "   \n\t  \n"])
def test_empty_text_gives_an_empty_report(tmp_path: Path, content: str) -> None:
    path = tmp_path / "empty.txt"
    path.write_text(content, encoding="utf-8")
    result = runner.invoke(app, ["report", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["claims"] == []


def test_missing_file_is_one_line_exit_1(tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", str(tmp_path / "nope.txt")])
    assert result.exit_code == 1
    assert result.stderr.strip().count("\n") == 0 and "no such file" in result.stderr


def test_non_utf8_file_is_one_line_exit_1(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Le ministre a déclaré que la réunion était finie.".encode("latin-1"))
    result = runner.invoke(app, ["report", str(path)])
    assert result.exit_code == 1
    assert "not UTF-8" in result.stderr and result.stderr.strip().count("\n") == 0


def test_report_over_max_chars_is_one_line_exit_1_and_the_flag_lets_it_through(tmp_path: Path) -> None:
    # A text longer than the limit stops at once with the fix, rather than running for hours;
    # the same text under a raised limit is scored.
    path = tmp_path / "long.txt"
    path.write_text("The mayor said the road was closed. " * 4, encoding="utf-8")
    result = runner.invoke(app, ["report", str(path), "--max-chars", "100"])
    assert result.exit_code == 1
    assert result.stderr.strip().count("\n") == 0
    assert "144 characters, over --max-chars 100" in result.stderr and "raise --max-chars" in result.stderr
    result = runner.invoke(app, ["report", str(path), "--max-chars", "144", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)["claims"]) == 4


def test_report_and_batch_share_the_default_max_chars() -> None:
    import inspect

    from scorer import cli
    from scorer.batch import DEFAULT_MAX_CHARS

    assert cli.MAX_CHARS == DEFAULT_MAX_CHARS
    assert inspect.signature(cli.report).parameters["max_chars"].default == DEFAULT_MAX_CHARS


def test_usage_error_exits_2() -> None:
    result = runner.invoke(app, ["report", str(MODEL_ARTICLE), "--format", "pdf"])
    assert result.exit_code == 2


def _articles_csv(tmp_path: Path) -> Path:
    text = MODEL_ARTICLE.read_text(encoding="utf-8")
    frame = pd.DataFrame({
        "id": ["a1", "a2", "a3", "a4"],
        # a2 holds no claim: scored, one row with an empty claim id.
        "text": [text, "Read more.", "Short.", "The minister said the talks had ended on Friday."],
        "outlet": ["24brussels.net", "reuters.com", None, "reuters.com"],
    })
    path = tmp_path / "articles.csv"
    frame.to_csv(path, index=False)
    return path


def test_batch_csv_keeps_every_row_in_order(tmp_path: Path) -> None:
    src = _articles_csv(tmp_path)
    out = tmp_path / "claims.csv"
    result = runner.invoke(app, ["batch", str(src), "-o", str(out), "--outlet-column", "outlet"])
    assert result.exit_code == 0, result.output
    claims = pd.read_csv(out, dtype={"claim_id": str}, keep_default_na=False)
    assert list(dict.fromkeys(claims["article_id"])) == ["a1", "a2", "a3", "a4"]
    assert (claims["article_id"] == "a1").sum() == 17
    empty = claims[claims["article_id"] == "a2"]
    assert len(empty) == 1 and empty["claim_id"].iloc[0] == ""
    a4 = claims[claims["article_id"] == "a4"].iloc[0]
    assert a4["source_text"] == "The minister" and a4["cue_text"] == "said"


def test_batch_jsonl_one_report_per_row(tmp_path: Path) -> None:
    src = _articles_csv(tmp_path)
    out = tmp_path / "reports.jsonl"
    result = runner.invoke(app, ["batch", str(src), "-o", str(out), "--outlet-column", "outlet"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [d["article"]["id"] for d in lines] == ["a1", "a2", "a3", "a4"]
    assert lines[0]["schema"] == "scorer.report/1"


def test_batch_to_stdout(tmp_path: Path) -> None:
    result = runner.invoke(app, ["batch", str(_articles_csv(tmp_path)), "-o", "-"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("article_id,claim_id,start,end,text")


def test_batch_missing_text_column_is_one_line_exit_1(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("id,body\n1,hello there\n", encoding="utf-8")
    result = runner.invoke(app, ["batch", str(path), "-o", str(tmp_path / "out.csv")])
    assert result.exit_code == 1
    assert "no column 'text'" in result.stderr and result.stderr.strip().count("\n") == 0


def test_batch_bad_row_is_recorded_not_fatal(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    pd.DataFrame({"id": ["x", "y"], "text": ["A" * 50, "The minister said the talks had ended."]}).to_csv(
        path, index=False)
    out = tmp_path / "out.csv"
    result = runner.invoke(app, ["batch", str(path), "-o", str(out), "--max-chars", "40"])
    assert result.exit_code == 3, result.output  # some rows could not be scored; the run went on
    rows = pd.read_csv(out, keep_default_na=False)
    assert rows.loc[rows["article_id"] == "x", "error"].iloc[0].startswith("text of 50 characters")
    assert (rows["article_id"] == "y").sum() == 1


def test_rules_check_passes_on_shipped_rules() -> None:
    result = runner.invoke(app, ["rules", "check"])
    assert result.exit_code == 0, result.output


def test_rules_check_names_broken_file() -> None:
    broken = Path(__file__).parent / "fixtures" / "broken_rules" / "unknown_key.yaml"
    result = runner.invoke(app, ["rules", "check", str(broken)])
    assert result.exit_code == 1
    assert "broken.typo" in result.stderr


def test_stance_command(tmp_path: Path) -> None:
    report = tmp_path / "headline.txt"
    report.write_text("Officials deny reports that the bridge collapsed", encoding="utf-8")
    result = runner.invoke(app, ["stance", "--claim", "The bridge collapsed", str(report),
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["label"] == "against"
    assert any(c["text"].lower().startswith("den") for c in doc["cues"])


@pytest.mark.parametrize(("claim", "headline", "noted"), [
    ("The Golden Gate Bridge collapsed", "Apple releases new iPhone with larger screen", True),
    ("The Golden Gate Bridge collapsed", "Officials deny reports that the bridge collapsed", False),
    ("He lied", "He is lying", False),  # inflections the model's stemmer does not join
    ("She died", "She is dying", False),
    ("They fled", "They are fleeing", False),
])
def test_stance_notes_a_report_about_something_else(tmp_path: Path, claim: str, headline: str,
                                                    noted: bool) -> None:
    """An unrelated headline still gets a label ("for", 0.70): stderr says it means nothing."""
    report = tmp_path / "headline.txt"
    report.write_text(headline, encoding="utf-8")
    result = runner.invoke(app, ["stance", "--claim", claim, str(report)])
    assert result.exit_code == 0, result.output
    assert ("shares no content word with the claim" in result.stderr) is noted
    if noted:  # the URL model reads the slug's words too
        result = runner.invoke(app, ["stance", "--claim", claim, str(report), "--url",
                                     "https://example.com/2016/golden-gate-bridge-collapses"])
        assert "shares no content word" not in result.stderr


def test_stance_command_url_option(tmp_path: Path) -> None:
    from scorer.stance_detection import stance

    report = tmp_path / "headline.txt"
    report.write_text("Mayor resigns after corruption probe", encoding="utf-8")
    claim = "The mayor resigned on Friday"
    url = "http://news.example.com/2015/03/mayor-rumoured-to-resign-after-probe-sources-claim.html"
    args = ["stance", "--claim", claim, str(report), "--format", "json"]
    plain, with_url = runner.invoke(app, args), runner.invoke(app, [*args, "--url", url])
    assert plain.exit_code == 0 and with_url.exit_code == 0, with_url.output
    p_plain = json.loads(plain.stdout)["probabilities"]
    p_url = json.loads(with_url.stdout)["probabilities"]
    assert p_url != p_plain
    expected = stance(claim, "Mayor resigns after corruption probe", url=url).probabilities
    assert p_url == pytest.approx(dict(expected), abs=1e-6)


def test_stance_needs_a_claim(tmp_path: Path) -> None:
    report = tmp_path / "headline.txt"
    report.write_text("Bridge collapses", encoding="utf-8")
    result = runner.invoke(app, ["stance", "--claim", "  ", str(report)])
    assert result.exit_code == 2


@pytest.mark.shared_data
def test_rules_stats_table(shared_data: Path) -> None:
    result = runner.invoke(app, ["rules", "stats", "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["matched_claims"] > 500
    rows = {r["rule"]: r for r in doc["rules"]}
    assert {"hedge", "contradiction", "attribution", "typing"} <= {r["family"] for r in doc["rules"]}
    fired = [r for r in rows.values() if r["fires"]]
    assert all(0.0 <= r["accuracy"] <= 1.0 for r in fired)
    assert any(r["weight"] is not None for r in fired if r["family"] == "hedge")


def test_every_model_file_has_a_command_that_refits_it() -> None:
    """`make models` runs these; a model without a training command could not be reproduced."""
    import re

    makefile = (Path(__file__).parent.parent / "Makefile").read_text(encoding="utf-8")
    commands = re.findall(r"\$\(BIN\)/scorer (train[\w-]*)", makefile)
    assert commands == ["train-attribution", "train-wiki-hedges", "train-hedges", "train-stance",
                        "train-veracity", "train-context", "train-contested", "train"]
    for command in commands:
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0, (command, result.output)
    from scorer.linear import retrain_command
    from scorer.rulebook import RULES_DIR

    # Every learned model file (the prior is set by hand, with its reasons) names one of them.
    learned = [p for p in sorted(RULES_DIR.glob("*_model.yaml"))
               if p.name != "corroboration_prior_model.yaml"]
    assert len(learned) >= 11
    for model in learned:
        assert retrain_command(model).split()[1] in commands, model.name


def test_stance_training_on_a_missing_file_is_one_line_exit_1(tmp_path: Path) -> None:
    result = runner.invoke(app, ["train-stance", str(tmp_path / "nope.csv"), "-o", str(tmp_path / "m.yaml")])
    assert result.exit_code == 1
    assert "nope.csv" in result.output and len(result.output.strip().splitlines()) == 1


@pytest.mark.shared_data
def test_evaluate_all_is_one_report_of_spans_and_claims(shared_data: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    # Issue 3's table in one run; a split nobody labelled claims of (PolNeAR's held-back test)
    # still gets its spans, and says so instead of failing.
    import scorer.evaluation.claims_eval as claims_eval

    def tiny(split: str, plot: Path | None = None) -> dict[str, object]:
        return {"split": split, "stub": True}

    monkeypatch.setattr(claims_eval, "evaluate_claims", tiny)
    monkeypatch.setattr(claims_eval, "format_claims_table", lambda r: f"claims table of {r['split']}")
    result = runner.invoke(app, ["evaluate", "--split", "dev", "--corpus", "all", "--limit", "2",
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["polnear"]["articles"] == 2 and data["claims"] == {"split": "dev", "stub": True}
    import scorer.labels

    monkeypatch.setattr(scorer.labels, "load_labels", lambda split=None: [])
    result = runner.invoke(app, ["evaluate", "--split", "dev", "--corpus", "all", "--limit", "2"])
    assert result.exit_code == 0, result.output
    assert "source.exact" in result.output and "no labelled claims in split 'dev'" in result.output


@pytest.mark.parametrize(("args", "code", "message"), [
    (["--corpus", "claims", "--plot", "{tmp}/rel.txt"], 2, "matplotlib cannot write .txt files"),
    (["--corpus", "polnear", "--plot", "{tmp}/rel.png"], 2, "use it with --corpus claims or all"),
    (["--corpus", "emergent", "--plot", "{tmp}/rel.png"], 2, "not emergent"),
])
def test_evaluate_refuses_a_plot_it_would_not_draw(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    args: list[str], code: int, message: str) -> None:
    """A .txt plot was a traceback after the evaluation; with another corpus --plot was ignored."""
    import scorer.evaluation.claims_eval as claims_eval

    monkeypatch.setattr(claims_eval, "evaluate_claims", lambda *a, **k: pytest.fail("evaluated"))
    result = runner.invoke(app, ["evaluate", *[a.format(tmp=tmp_path) for a in args]])
    _one_line_error(result, code, message)


@pytest.mark.parametrize(("where", "code", "message"),
                         [("nope/rel.png", 1, "no folder"), (".", 2, "is a folder")])
def test_evaluate_checks_the_plot_path_before_the_work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       where: str, code: int, message: str) -> None:
    """A bad --plot path was a traceback after the evaluation, its table lost."""
    import scorer.evaluation.claims_eval as claims_eval

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("evaluated before the plot path was checked")

    monkeypatch.setattr(claims_eval, "evaluate_claims", never)
    result = runner.invoke(app, ["evaluate", "--corpus", "claims", "--plot", str(tmp_path / where)])
    _one_line_error(result, code, message)


def test_evaluate_names_the_plot_file_it_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import scorer.evaluation.claims_eval as claims_eval

    seen: list[Path | None] = []

    def tiny(split: str, plot: Path | None = None) -> dict[str, object]:
        seen.append(plot)
        return {"split": split}

    monkeypatch.setattr(claims_eval, "evaluate_claims", tiny)
    monkeypatch.setattr(claims_eval, "format_claims_table", lambda r: "table")
    result = runner.invoke(app, ["evaluate", "--corpus", "claims", "--plot", str(tmp_path / "rel")])
    assert result.exit_code == 0, result.output
    assert seen == [tmp_path / "rel.png"]  # matplotlib's own file name for a path without a suffix


def _one_line_error(result: Result, code: int, message: str) -> None:
    assert result.exit_code == code, result.output
    stderr = result.stderr
    assert message in stderr and stderr.strip().count("\n") == 0 and "Traceback" not in stderr, stderr


def test_stance_on_an_empty_report_is_one_line_exit_1(tmp_path: Path) -> None:
    report = tmp_path / "empty.txt"
    report.write_text(" \n", encoding="utf-8")
    _one_line_error(runner.invoke(app, ["stance", "--claim", "The bridge collapsed", str(report)]), 1,
                    "the report is empty")


def test_rules_check_on_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    for name in ("rules.yaml", "some_model.yaml"):
        path = tmp_path / name
        path.write_bytes(b"schema: x\nname: \xd0\x28\xff\n")
        result = runner.invoke(app, ["rules", "check", str(path)])
        assert result.exit_code == 1 and "not UTF-8 text" in result.output, result.output


def test_corroborate_edge_inputs(tmp_path: Path) -> None:
    header_only = tmp_path / "h.csv"
    header_only.write_text("id,text\n", encoding="utf-8")
    result = runner.invoke(app, ["corroborate", str(header_only), "-o", "-"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("group_id,claim,") and result.stdout.count("\n") == 1
    _one_line_error(runner.invoke(app, ["corroborate", str(tmp_path), "-o", "-"]), 1, "is a folder")
    reports = tmp_path / "r.csv"
    reports.write_text("id,text\n1,The mayor said the bridge will close.\n", encoding="utf-8")
    result = runner.invoke(app, ["corroborate", str(reports), "-o", str(tmp_path / "no" / "out.csv")])
    _one_line_error(result, 1, "no folder")  # found before the work, not at the write
    assert "None" not in result.stderr
    (tmp_path / "taken.csv").mkdir()
    result = runner.invoke(app, ["corroborate", str(reports), "-o", str(tmp_path / "taken.csv")])
    _one_line_error(result, 2, "is a folder")


def test_corroborate_reads_a_trailing_comma_as_no_field(tmp_path: Path) -> None:
    # A spreadsheet's export ends each line with a comma: pandas moved the ids into its index and
    # shifted every column one to the left, so the claims read "bbc.co.uk", at exit 0.
    reports = tmp_path / "r.csv"
    reports.write_text("id,text,outlet\n1,Police confirm the river bridge collapsed,bbc.co.uk,\n"
                       "2,River bridge collapses after storm,reuters.com,\n", encoding="utf-8")
    args = ["corroborate", str(reports), "-o", "-", "--reports", str(tmp_path / "o.csv")]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    rows = pd.read_csv(tmp_path / "o.csv", dtype=str, keep_default_na=False)
    assert rows["id"].tolist() == ["1", "2"] and rows["outlet"].tolist() == ["bbc.co.uk", "reuters.com"]
    assert "bbc.co.uk" not in pd.read_csv(io.StringIO(result.stdout))["claim"].tolist()


@pytest.mark.parametrize(("lines", "line", "fields"), [
    ("1,Bridge collapsed,bbc.co.uk,extra\n2,Bridge fell,x\n", 2, 4),  # a record too long
    ("1,Bridge collapsed,bbc.co.uk\n\n2,Bridge fell\n", 4, 2),  # too short, after a blank line
])
def test_corroborate_names_the_line_of_a_ragged_record(tmp_path: Path, lines: str, line: int,
                                                       fields: int) -> None:
    reports = tmp_path / "r.csv"
    reports.write_text("id,text,outlet\n" + lines, encoding="utf-8")
    _one_line_error(runner.invoke(app, ["corroborate", str(reports), "-o", "-"]), 1,
                    f"the record at line {line} has {fields} fields where the header has 3")


def test_corroborate_input_errors_name_the_input_and_the_fix(tmp_path: Path) -> None:
    reports = tmp_path / "r.csv"
    reports.write_text("id,body\n1,Bridge collapsed\n", encoding="utf-8")
    _one_line_error(runner.invoke(app, ["corroborate", str(reports), "-o", "-"]), 2,
                    f"{reports}: no column 'text' (its columns: 'id', 'body'); "
                    "name the column with --text-column")
    _one_line_error(runner.invoke(app, ["corroborate", str(reports), "-o", "-", "--text-column", "body",
                                        "--claim-column", "claim"]), 2, "with --claim-column")
    latin1 = "id,text\n1,Caf\u00e9 owner denies the rumour\n".encode("latin-1")
    # Standard input once ended in a UnicodeEncodeError traceback, a file in pandas' own message.
    _one_line_error(runner.invoke(app, ["corroborate", "-", "-o", "-"], input=latin1), 1,
                    "standard input: not UTF-8 (byte 14); convert it")
    reports.write_bytes(latin1)
    _one_line_error(runner.invoke(app, ["corroborate", str(reports), "-o", "-"]), 1,
                    f"{reports}: not UTF-8 (byte 14); convert it")


def test_stance_refuses_a_claim_or_report_without_a_word(tmp_path: Path) -> None:
    report = tmp_path / "r.txt"
    report.write_text("?!...", encoding="utf-8")
    _one_line_error(runner.invoke(app, ["stance", "--claim", "?!...", str(report)]), 2, "has no word")
    _one_line_error(runner.invoke(app, ["stance", "--claim", "The bridge fell", str(report)]), 1,
                    "the report has no word")


def test_stance_reads_a_web_page_as_shown_and_prints_no_control_character(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_text('<html><body><nav><a href="/hoax-watch">Hoax watch</a></nav>'
                    "<p>The river bridge collapsed on Tuesday, the city said.</p></body></html>",
                    encoding="utf-8")
    plain = tmp_path / "p.txt"
    plain.write_text("The river bridge collapsed on Tuesday, the city said.", encoding="utf-8")
    args = ["stance", "--claim", "The river bridge collapsed", "--format", "json"]
    from_page = json.loads(runner.invoke(app, [*args, str(page)]).stdout)
    assert from_page["label"] == json.loads(runner.invoke(app, [*args, str(plain)]).stdout)["label"]
    assert all(page.read_text(encoding="utf-8")[c["start"]:c["end"]] == c["text"] for c in from_page["cues"])
    escape = tmp_path / "e.txt"
    escape.write_text('Officials say "\x1b[2Jbridge fine"; the mayor denies the collapse', encoding="utf-8")
    result = runner.invoke(app, ["stance", "--claim", "The bridge collapsed", str(escape)])
    assert result.exit_code == 0 and "\x1b" not in result.stdout, result.stdout


def test_batch_output_suffix_in_capitals(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text("id,text\n1,The mayor said the bridge will close.\n", encoding="utf-8")
    result = runner.invoke(app, ["batch", str(src), "-o", str(tmp_path / "OUT.CSV")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "OUT.CSV").read_text(encoding="utf-8").startswith("article_id,")


# An unknown split is a usage error (exit 2), the same in every command that takes --split.
def test_evaluate_an_unknown_split_is_one_line_exit_2() -> None:
    _one_line_error(runner.invoke(app, ["evaluate", "--corpus", "claims", "--split", "bogus"]), 2,
                    "no labelled claims in split 'bogus'; splits: dev, train")


@pytest.mark.shared_data
def test_evaluate_an_unknown_polnear_split_is_one_line_exit_2(shared_data: Path) -> None:
    _one_line_error(runner.invoke(app, ["evaluate", "--split", "bogus"]), 2,
                    "no PolNeAR split 'bogus' here; splits here: dev, ")


@pytest.mark.parametrize("split", ["Train", "bogus"])
def test_rules_stats_on_an_unknown_split_is_one_line_exit_2(split: str) -> None:
    # It once measured the rules on no claims at all and called every rule dead.
    _one_line_error(runner.invoke(app, ["rules", "stats", "--split", split]), 2,
                    f"no labelled claims in split {split!r}; splits: dev, train")


LABELLED = Path(__file__).resolve().parents[1] / "data" / "labels" / "claims.csv"
LABEL_TRAINERS = {"train": "train_corroboration", "train-hedges": "train_news_hedge_model",
                  "train-context": "train_context_model", "train-contested": "train_contest_model"}


def _train_args(command: str, data: Path | str, tmp_path: Path) -> list[str]:
    args = [command, str(data), "-o", str(tmp_path / "m_model.yaml")]
    return [*args, "--url-output", str(tmp_path / "u_model.yaml")] if command == "train-stance" else args


@pytest.fixture
def no_fitting(monkeypatch: pytest.MonkeyPatch) -> None:
    """The labelled-claims fits fail the test if reached: what these tests check comes before them."""
    import scorer.training

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a model was fitted")

    for name in LABEL_TRAINERS.values():
        monkeypatch.setattr(scorer.training, name, refuse)


_UNREADABLE = {
    "empty": (b"", "the file is empty"),
    "latin1": ("article_id,text\n1,déclaré\n".encode("latin-1"), "not UTF-8"),
    "open quote": (b'article_id,text\n1,"never closed\n', "not a readable CSV"),
    "folder": (None, "is a folder"),
}


@pytest.mark.parametrize("command", [*LABEL_TRAINERS, "train-stance", "train-wiki-hedges"])
@pytest.mark.parametrize("kind", list(_UNREADABLE))
def test_training_on_an_unreadable_file_is_one_line_exit_1(tmp_path: Path, command: str, kind: str) -> None:
    content, message = _UNREADABLE[kind]
    data = tmp_path / "data"
    if content is None:
        data.mkdir()
    else:
        data.write_bytes(content)
    result = runner.invoke(app, _train_args(command, data, tmp_path))
    _one_line_error(result, 1, f"{data}: {message}")


def test_training_on_labels_that_are_not_numbers_is_one_line_exit_1(tmp_path: Path) -> None:
    bad = tmp_path / "labels.csv"
    frame = pd.read_csv(LABELLED, dtype=str, keep_default_na=False)
    frame.loc[0, "start"] = "twelve"
    frame.to_csv(bad, index=False)
    result = runner.invoke(app, _train_args("train", bad, tmp_path))
    _one_line_error(result, 1, "must be whole numbers")


@pytest.mark.parametrize("kind", ["folder", "missing"])
def test_stance_training_names_the_file_it_was_given(tmp_path: Path, kind: str) -> None:
    # Not the default ../shared/data path, which the user did not give.
    data = tmp_path / "adir"
    if kind == "folder":
        data.mkdir()
    result = runner.invoke(app, _train_args("train-stance", data, tmp_path))
    _one_line_error(result, 1, f"{data}: ")
    assert "../shared" not in result.stderr


@pytest.mark.parametrize("command", LABEL_TRAINERS)
def test_training_on_dev_is_refused_exit_2(command: str, tmp_path: Path, no_fitting: None) -> None:
    out = tmp_path / "m_model.yaml"
    result = runner.invoke(app, [command, str(LABELLED), "--split", "dev", "-o", str(out)])
    _one_line_error(result, 2, "dev is for measurement only")
    assert not out.exists()


@pytest.mark.parametrize("command", [*LABEL_TRAINERS, "train-stance", "train-wiki-hedges"])
@pytest.mark.parametrize("where", ["no folder", "a folder"])
def test_an_unwritable_model_path_is_refused_before_fitting(
        command: str, where: str, tmp_path: Path, no_fitting: None) -> None:
    # The fit took 18 s before the write failed with a traceback. A missing folder exits 1, as
    # `batch` treats an output whose folder is missing; a folder given as the file is a usage error.
    output = tmp_path / "absent" / "m_model.yaml" if where == "no folder" else tmp_path
    code = 1 if where == "no folder" else 2
    data = LABELLED if command in LABEL_TRAINERS else tmp_path / "never_read.csv"
    result = runner.invoke(app, [command, str(data), "-o", str(output)])
    _one_line_error(result, code, f"-o {output}: {'no folder' if where == 'no folder' else 'is a folder'}")
    if command == "train-stance":
        result = runner.invoke(app, [command, str(data), "-o", str(tmp_path / "m_model.yaml"),
                                     "--url-output", str(output)])
        _one_line_error(result, code, f"--url-output {output}: ")


def test_stance_training_refuses_one_file_for_both_models(tmp_path: Path) -> None:
    out = tmp_path / "m_model.yaml"
    result = runner.invoke(app, ["train-stance", str(tmp_path / "never_read.csv"), "-o", str(out),
                                 "--url-output", str(out)])
    _one_line_error(result, 2, "is also -o")


@pytest.mark.parametrize(("content", "label"), [("text,label\nfoo,\nbar,1\n", "''"),
                                                ("text,label\nfoo,2\nbar,1\n", "'2'")])
def test_wikiweasel_labels_other_than_0_and_1_are_one_line(tmp_path: Path, content: str, label: str) -> None:
    data = tmp_path / "weasel.csv"
    data.write_text(content, encoding="utf-8")
    result = runner.invoke(app, ["train-wiki-hedges", str(data), "-o", str(tmp_path / "m_model.yaml")])
    _one_line_error(result, 1, f"row 1 has label {label}")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes anywhere")
def test_a_read_only_model_folder_is_refused_before_fitting(tmp_path: Path, no_fitting: None) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        result = runner.invoke(app, ["train", str(LABELLED), "-o", str(folder / "m_model.yaml")])
    finally:
        folder.chmod(0o700)
    _one_line_error(result, 1, "not writable")


def _corroboration_yaml() -> str:
    from scorer.scoring import corroboration_model

    return corroboration_model().to_yaml()


@pytest.mark.parametrize("damage", [
    lambda t: t.replace("intercept:\n- ", "intercept:\n- .nan #", 1),
    lambda t: t.replace("\nthreshold: 0.5", "\nthreshold: 7", 1),
], ids=["nan intercept", "threshold 7"])
def test_rules_check_reports_a_damaged_model_exit_1(tmp_path: Path, damage: Callable[[str], str]) -> None:
    path = tmp_path / "corroboration_model.yaml"
    damaged = damage(_corroboration_yaml())
    assert damaged != _corroboration_yaml()
    path.write_text(damaged, encoding="utf-8")
    result = runner.invoke(app, ["rules", "check", str(path)])
    assert result.exit_code == 1 and f"bad [E100] {path}: " in result.stderr, result.output


def test_rules_check_tells_models_from_rule_files_by_schema(tmp_path: Path) -> None:
    # A model saved under a name of the user's choosing is still a model, and a rule file whose name
    # ends in _model.yaml is still a rule file.
    model = tmp_path / "m_dev.yaml"
    model.write_text(_corroboration_yaml(), encoding="utf-8")
    rules = tmp_path / "claims_model.yaml"
    shipped = Path(__file__).resolve().parents[1] / "rules" / "claims.yaml"
    rules.write_text(shipped.read_text(encoding="utf-8"), encoding="utf-8")
    result = runner.invoke(app, ["rules", "check", str(model), str(rules)])
    assert result.exit_code == 0, result.output
    assert f"ok  {model}: model 'corroboration'" in result.stderr
    import yaml

    count = len(yaml.safe_load(shipped.read_text(encoding="utf-8"))["rules"])  # read as a rule file
    assert f"ok  {rules}: {count} rules" in result.stderr


def test_report_and_stance_say_when_a_text_does_not_read_as_english(tmp_path: Path) -> None:
    article = tmp_path / "de.txt"
    article.write_text("Die Brücke ist nicht eingestürzt, sagt die Polizei. Der Bürgermeister ist vor Ort "
                       "und die Straße wird heute wieder geöffnet.", encoding="utf-8")
    for args in (["report", str(article)], ["stance", "--claim", "The bridge collapsed", str(article)]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0 and "does not read as English" in result.stderr, result.output
    english = runner.invoke(app, ["report", str(MODEL_ARTICLE)])
    assert english.exit_code == 0 and "English" not in english.stderr


def test_rules_check_names_a_misspelt_word_list(tmp_path: Path) -> None:
    shipped = Path(__file__).resolve().parents[1] / "rules" / "attribution.yaml"
    path = tmp_path / "attribution.yaml"
    text = shipped.read_text(encoding="utf-8")
    path.write_text(text.replace("\n  speech_verbs:", "\n  speach_verbs:"), encoding="utf-8")
    result = runner.invoke(app, ["rules", "check", str(path)])
    assert result.exit_code == 1 and "'speech_verbs'" in result.stderr and "'speach_verbs'" in result.stderr


def test_rules_check_reports_an_id_defined_in_two_files(tmp_path: Path) -> None:
    # `rules stats` merged the two into one row, the other rule's row gone.
    header = "schema: scorer.rules/1\nname: x\nrules:\n  - {id: same.id, label: a, terms: [doubts]}\n"
    first, second = tmp_path / "one.yaml", tmp_path / "two.yaml"
    first.write_text(header, encoding="utf-8")
    second.write_text(header, encoding="utf-8")
    result = runner.invoke(app, ["rules", "check", str(first), str(second)])
    assert result.exit_code == 1
    assert f"bad [E100] {second}: rule 'same.id': id already defined in {first}" in result.stderr


@pytest.mark.parametrize(("name", "command"), [("hedge_model.yaml", "scorer train-wiki-hedges"),
                                               ("hedge_news_model.yaml", "scorer train-hedges")])
def test_rules_check_reports_a_model_fitted_on_other_rules(tmp_path: Path, name: str, command: str) -> None:
    shipped = Path(__file__).resolve().parents[1] / "rules"
    model = tmp_path / name
    model.write_text((shipped / name).read_text(encoding="utf-8"), encoding="utf-8")
    rules = tmp_path / "hedges.yaml"
    rules.write_text((shipped / "hedges.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    assert runner.invoke(app, ["rules", "check", str(model)]).exit_code == 0
    with rules.open("a", encoding="utf-8") as fh:
        fh.write("# edited after the model was fitted\n")
    result = runner.invoke(app, ["rules", "check", str(model)])
    assert result.exit_code == 1
    assert "fitted on another version of hedges.yaml" in result.stderr
    assert f"retrain with `{command}`" in result.stderr


def test_rules_check_runs_hedge_examples_through_their_triggers(tmp_path: Path) -> None:
    path = hedges_with_an_untriggered_example(tmp_path)
    result = runner.invoke(app, ["rules", "check", str(path)])
    assert result.exit_code == 1 and "lacks all of its triggers; add the word to triggers" in result.stderr


@pytest.mark.parametrize(("load", "command"), [
    ("scorer.scoring:corroboration_model", "scorer train data/labels/claims.csv"),
    ("scorer.context:context_model", "scorer train-context"),
    ("scorer.signals:contest_model", "scorer train-contested"),
])
def test_a_missing_model_file_names_the_command_that_rebuilds_it(tmp_path: Path, load: str,
                                                                  command: str) -> None:
    import importlib

    from scorer.errors import RuleError

    module, name = load.split(":")
    missing = tmp_path / "gone_model.yaml"
    with pytest.raises(RuleError) as info:
        getattr(importlib.import_module(module), name)(missing)
    expected = f"[E100] {missing}: model file not found; rebuild it with `{command}` or restore it"
    assert str(info.value) == expected


def test_missing_attribution_models_are_an_error_not_rules_alone(tmp_path: Path) -> None:
    # Falling back to the rules alone changed every score of an article, exit 0 and no word said.
    from scorer.attribution_model import load_models
    from scorer.errors import RuleError

    with pytest.raises(RuleError, match=r"attribution_cue_model.yaml: model file not found; rebuild it with "
                                        r"`scorer train-attribution`"):
        load_models(str(tmp_path))


def test_rules_check_names_files_the_scorer_never_reads(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    # A newsroom's own rule file passed the check and changed nothing; a .yml was not even checked.
    import shutil

    import scorer.rulebook

    rules = tmp_path / "rules"
    shutil.copytree(Path(__file__).resolve().parents[1] / "rules", rules)
    rule = ("schema: scorer.rules/1\nrules:\n"
            "  - {id: newsroom.doubt, label: doubt, terms: [doubts], examples: ['she doubts it']}\n")
    (rules / "newsroom_hedges.yaml").write_text(rule, encoding="utf-8")
    (rules / "more.yml").write_text(rule.replace("newsroom.doubt", "more.doubt"), encoding="utf-8")
    monkeypatch.setattr(scorer.rulebook, "RULES_DIR", rules)
    result = runner.invoke(app, ["rules", "check"])
    assert result.exit_code == 1
    assert "newsroom_hedges.yaml: not read by the scorer; put its rules into" in result.stderr
    assert "more.yml: the scorer reads only .yaml files" in result.stderr
    assert result.stderr.count("\nbad ") + result.stderr.startswith("bad ") == 2, result.stderr


def test_rules_check_wants_an_example_of_every_rule(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("schema: scorer.rules/1\nrules:\n"
                    "  - {id: x.ahead, label: doubt, pattern: '(?=\\bdoubts\\b)'}\n", encoding="utf-8")
    result = runner.invoke(app, ["rules", "check", str(path)])
    assert result.exit_code == 1 and "rule 'x.ahead' has no example; give one text" in result.stderr


def test_corroborate_reads_a_header_after_blank_lines_and_with_a_trailing_comma(tmp_path: Path) -> None:
    reports = tmp_path / "r.csv"
    reports.write_text("\nid,text,outlet,\n1,Bridge collapsed,bbc.co.uk,\n", encoding="utf-8")
    result = runner.invoke(app, ["corroborate", str(reports), "-o", "-"])
    assert result.exit_code == 0 and "Bridge collapsed" in result.stdout, result.output
