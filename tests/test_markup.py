"""Web pages as articles: markup blanked at the same length, so every offset indexes the page."""

from __future__ import annotations

import html

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from scorer import analyze
from scorer.cli import app
from scorer.markup import blank_html, looks_like_html

from .conftest import MODEL_ARTICLE


def _page(text: str) -> str:
    """The article as a saved page would hold it: a head with a script, one <p> per paragraph, an
    inline link in the first."""
    paras = [p for p in text.split("\n") if p.strip()]
    paras[0] = paras[0].replace("Giorgia Meloni", '<a href="/meloni">Giorgia Meloni</a>', 1)
    body = "".join(f"<p>{p}</p>\n" for p in paras)
    return ("<!DOCTYPE html>\n<html><head><title>Guarantees</title>"
            "<script>var s = 'a source said it';</script><style>p { margin: 0 }</style></head>\n"
            f"<body><!-- story --><article>{body}</article></body></html>\n")


def test_a_saved_page_reads_as_its_article_with_offsets_into_the_page() -> None:
    text = MODEL_ARTICLE.read_text(encoding="utf-8")
    page = _page(text)
    plain, from_page = analyze(text), analyze(page)
    assert len(from_page.claims) == len(plain.claims) > 10
    seen = blank_html(page)
    for a, b in zip(plain.claims, from_page.claims, strict=True):
        assert seen[b.span.start:b.span.end] == b.span.text
        assert " ".join(b.span.text.split()) == " ".join(a.span.text.split())
        assert (b.verdict, b.source_type, b.hedged, b.contradicted) == (
            a.verdict, a.source_type, a.hedged, a.contradicted)
    assert [(s.name, s.type) for s in from_page.sources] == [(s.name, s.type) for s in plain.sources]
    assert "script" not in " ".join(c.span.text for c in from_page.claims)


def test_a_saved_page_behind_a_byte_order_mark_is_a_page() -> None:
    page = _page(MODEL_ARTICLE.read_text(encoding="utf-8"))
    with_bom = analyze("\ufeff" + page)
    assert [c.span.text for c in with_bom.claims] == [c.span.text for c in analyze(page).claims]
    assert [c.span.start - 1 for c in with_bom.claims] == [c.span.start for c in analyze(page).claims]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.text(alphabet="ab <>&\n.", max_size=12),
                          st.sampled_from(["<p>", "</p>", "<br/>", '<a href="x">', "</a>", "<!-- c -->",
                                           "<script>x<y</script>", "<div class='k'>"])), max_size=8))
def test_blanking_keeps_the_length_and_every_character_outside_markup(parts: list[tuple[str, str]]) -> None:
    text = "<p>" + "".join(t + tag for t, tag in parts)
    out = blank_html(text)
    assert len(out) == len(text)
    assert all(o == c or o in " \n" for o, c in zip(out, text, strict=True))
    assert all(o == "\n" for o, c in zip(out, text, strict=True) if c == "\n")


def test_only_a_page_is_read_as_one() -> None:
    assert looks_like_html("<html><body><p>One.</p><p>Two.</p></body></html>")
    assert looks_like_html("  <p>One.</p>\n<p>Two.</p>")
    assert not looks_like_html("The mayor said the road was closed.")
    # A news article with an embedded post (as in PolNeAR) is text with markup lines.
    assert not looks_like_html('Trump tweeted on Monday.\n<blockquote class="twitter-tweet"><p>Sad!</p>'
                               "</blockquote>\nThe mayor said the road was closed.")
    assert not looks_like_html("<b>Note</b>: the mayor said the road was closed.")


@pytest.mark.parametrize("bom", ["", "\ufeff"])
def test_report_says_it_read_a_page(tmp_path, bom: str) -> None:
    path = tmp_path / "page.html"
    path.write_text(bom + _page(MODEL_ARTICLE.read_text(encoding="utf-8")), encoding="utf-8")
    result = CliRunner().invoke(app, ["report", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert "read as a web page" in result.stderr and result.stderr.strip().count("\n") == 0
    assert html.unescape("&lt;p&gt;") not in result.stdout
