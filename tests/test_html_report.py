"""The HTML view (`scorer report --format html`): the article whole and escaped, every finding marked
at its offsets, every claim's card with the signals that made its score, nothing loaded from elsewhere."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from scorer import analyze
from scorer.cli import app
from scorer.html_report import to_html
from scorer.pipeline import article_as_read
from scorer.report import Report

from .conftest import MODEL_ARTICLE

_VOID = {"meta", "br", "img", "hr", "link", "input"}


class _Page(HTMLParser):
    """Reads a page back: the article's text (the claim tags aside), each marked piece with its
    classes, the ids, the elements met, and whether every element closes in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.balanced = True
        self.in_article = self.in_tag = False
        self.article: list[str] = []
        self.pieces: list[tuple[str, str]] = []  # (classes, text) of each span in the article
        self._classes: list[str] = []
        self.ids: list[str] = []
        self.tags: set[str] = set()
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attrs.extend(attrs)
        found = dict(attrs)
        if found.get("id"):
            self.ids.append(str(found["id"]))
        if tag in _VOID:
            return
        self.stack.append(tag)
        if tag == "article":
            self.in_article = True
        elif tag == "sup" and self.in_article:
            self.in_tag = True
        elif tag == "span" and self.in_article:
            self._classes.append(found.get("class") or "")

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.balanced = False
        if tag == "article":
            self.in_article = False
        elif tag == "sup":
            self.in_tag = False
        elif tag == "span" and self.in_article and self._classes:
            self._classes.pop()

    def handle_data(self, data: str) -> None:
        if self.in_article and not self.in_tag:
            self.article.append(data)
            if self._classes and self._classes[-1]:
                self.pieces.append((self._classes[-1], data))


def _read(page: str) -> _Page:
    parsed = _Page()
    parsed.feed(page)
    parsed.close()
    return parsed


@pytest.fixture(scope="module")
def model() -> tuple[str, Report, _Page]:
    text = MODEL_ARTICLE.read_text(encoding="utf-8")
    report = analyze(text, article_id="24brussels")
    page = to_html(report, *article_as_read(text))
    return text, report, _read(page)


def test_the_article_is_shown_whole_and_once(model: tuple[str, Report, _Page]) -> None:
    text, _, parsed = model
    assert parsed.balanced and not parsed.stack
    assert "".join(parsed.article) == text


def test_every_claim_has_its_card_and_its_place_in_the_text(model: tuple[str, Report, _Page]) -> None:
    _, report, parsed = model
    for c in report.claims:
        assert c.id in parsed.ids and f"text-{c.id}" in parsed.ids
        assert ("href", f"#{c.id}") in parsed.attrs and ("href", f"#text-{c.id}") in parsed.attrs


def test_findings_are_marked_where_the_report_puts_them(model: tuple[str, Report, _Page]) -> None:
    text, report, parsed = model
    marked = "".join(t for classes, t in parsed.pieces if "src" in classes.split())
    for c in report.claims:
        for a in c.attributions:
            if a.cited and a.source is not None:
                assert a.source.text in marked
    hedges = "".join(t for classes, t in parsed.pieces if "hedge" in classes.split())
    assert "purportedly" in hedges and "not necessarily" in hedges
    doubts = "".join(t for classes, t in parsed.pieces if "doubt" in classes.split())
    assert "expressed skepticism" in doubts and "did not clarify" in doubts
    contested = "".join(t for classes, t in parsed.pieces if "c-contested" in classes.split())
    assert "purportedly agreed upon with Putin" in contested


def test_article_text_is_escaped_and_nothing_loads_or_runs() -> None:
    text = ('Officials said <script>alert("x")</script> & <img src=x onerror=alert(1)> were found.\n\n'
            'The mayor said the \x1b[2J plan "was \u202efine" on Tuesday.\n')
    report = analyze(text)
    page = to_html(report, *article_as_read(text))
    parsed = _read(page)
    assert parsed.balanced
    assert "script" not in parsed.tags and "img" not in parsed.tags
    assert not any(name.startswith("on") for name, _ in parsed.attrs)
    assert "src=" not in page.replace("src=x", "")  # no resource is fetched: no src, no link, no url()
    assert "url(" not in page and "<link" not in page and "http" not in page.lower().replace("http-equiv", "")
    shown = "".join(parsed.article)
    assert '<script>alert("x")</script>' in shown  # shown as text, exactly
    assert "\x1b" not in page and "\u202e" not in page and "\ufffd[2J" in shown
    assert len(shown) == len(text)  # one character shown for each, the control characters as U+FFFD


def test_a_web_page_is_shown_as_its_text_not_its_markup() -> None:
    given = ("<html><head><title>t</title><style>p{color:red}</style></head><body>\n"
             "<p>The governor said the bridge would reopen in <b>May</b> next year.</p>\n"
             "<p>A spokesman for the agency denied that the bridge was unsafe.</p></body></html>")
    report = analyze(given)
    shown, page = article_as_read(given)
    assert page
    parsed = _read(to_html(report, shown, page=page))
    text = "".join(parsed.article)
    assert "The governor said the bridge would reopen in May next year." in text
    assert "<p>" not in text and "color:red" not in text and "   " not in text


def test_a_text_the_report_was_not_made_on_is_refused(model: tuple[str, Report, _Page]) -> None:
    text, report, _ = model
    with pytest.raises(ValueError, match="characters"):
        to_html(report, text + " ")


def test_report_command_writes_the_page(tmp_path) -> None:
    result = CliRunner().invoke(app, ["report", str(MODEL_ARTICLE), "--format", "html"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("<!DOCTYPE html>")
    assert "<title>Sourcing report: 24brussels-ukraine-guarantees</title>" in result.stdout


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from([
    "The minister said", " the plan", " would", " not necessarily", " work.", "\n\n", " “Quoted,”",
    " a diplomatic source told reporters.", " <b>", " & ", "\x00", "\r", "\u2028", " Another source",
    " denied it.", " purportedly", "\ufeff", "é", "\t"]), max_size=30).map("".join))
def test_any_text_comes_back_whole_and_the_page_stays_well_formed(text: str) -> None:
    report = analyze(text)
    shown, page = article_as_read(text)
    parsed = _read(to_html(report, shown, page=page))
    assert parsed.balanced and not parsed.stack
    if not page:
        # Line ends of any kind shown as one line break, other controls as U+FFFD, nothing else changed.
        expected = regex.sub(r"\r\n?|[\x0b\x0c\x85\u2028\u2029]", "\n", text)
        expected = regex.sub(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", "\ufffd", expected)
        # A text of blanks alone is shown as an empty article, said in words.
        assert "".join(parsed.article) == (expected if text.strip() else "(the article is empty)")


def test_real_articles_come_back_whole_with_every_cited_source_marked(shared_data) -> None:
    from scorer.evaluation.polnear import load_split

    for article in load_split("train", root=shared_data, limit=24):
        report = analyze(article.text, article_id=article.id)
        shown, page = article_as_read(article.text)
        parsed = _read(to_html(report, shown, page=page))
        assert parsed.balanced and not parsed.stack, article.id
        assert "".join(parsed.article) == shown, article.id
        marked = "".join(t for classes, t in parsed.pieces if "src" in classes.split())
        cited = [a.source.text for c in report.claims for a in c.attributions if a.cited and a.source]
        assert all(source in marked for source in cited), article.id
        assert [i for i in parsed.ids if regex.fullmatch(r"C\d+", i)] == [c.id for c in report.claims]
        # Every link lands: a claim's card and text, a cited source's first mention.
        targets = {value[1:] for name, value in parsed.attrs if name == "href" and value}
        assert targets <= set(parsed.ids), (article.id, targets - set(parsed.ids))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from([
    "<p>", "</p>", "<div class='a > b'>", "</div>", "<br>", " The minister said", " the plan", " would",
    " work.", "\n", " &ldquo;Quoted,&rdquo;", " didn&#8217;t", " &amp; ", "&#10;", " a source told",
    " <b>bold</b>", "<pre>A: yes.\nB: no.</pre>", "<img alt=Trump's>", "\x00", "é"]), max_size=30).map(
    lambda parts: "<html><body><p>Start.</p><p>" + "".join(parts) + "</p></body></html>"))
def test_any_page_is_shown_as_read_and_the_page_stays_well_formed(page: str) -> None:
    """A web page's view shows the text the pipeline read (blanks folded), nothing of its markup."""
    report = analyze(page)
    shown, is_page = article_as_read(page)
    assert is_page
    parsed = _read(to_html(report, shown, page=is_page))
    assert parsed.balanced and not parsed.stack
    text = "".join(parsed.article)
    expected = regex.sub(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", "\ufffd", shown)
    assert " ".join(text.split()) == " ".join(expected.split())
    assert "<p>" not in text and "&ldquo;" not in text
