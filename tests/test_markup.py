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
    assert all(o == c or o in " \n" for o, c in zip(out, text, strict=True))  # no reference here decodes
    # A line of the page's source is no paragraph: a newline only where a block tag opens.
    assert all(text[i] == "<" for i, o in enumerate(out) if o == "\n")


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


def test_a_page_reads_as_a_browser_shows_it() -> None:
    """Character references are their characters, a tag's quoted ">" stays inside the tag, and the
    page's source lines are no paragraphs; every span of whole words still starts and ends where
    the page's own text does."""
    page = ("<!DOCTYPE html><html><head><title>Budget rises &amp; falls</title></head><body>\n"
            "<p>&ldquo;We won&#8217;t cut pensions,&rdquo; said Jane Doe, the finance minister, on\n"
            "Tuesday, adding that spending would rise by 5&nbsp;percent.</p>\n"
            '<p><a href="/x" title="score > 3" onclick="if(a>b)go()">Officials said</a> the plan was '
            "final.</p></body></html>")
    seen = blank_html(page)
    assert len(seen) == len(page)
    words = " ".join(seen.split())
    assert "Budget rises & falls" in words
    assert "“We won’t cut pensions,” said Jane Doe, the finance minister, on Tuesday," in words
    assert "by 5 percent." in words
    assert "onclick" not in seen and "3\"" not in seen
    report = analyze(page)
    doe = next(c for c in report.claims if "pensions" in c.span.text)
    assert doe.source_types == ("named_official",)
    assert [s.name for s in report.sources if s.cited][:1] == ["Jane Doe"]
    assert "\n" not in doe.span.text  # one sentence, though the page's source breaks its line
    for c in report.claims:
        for a in c.attributions:
            if a.source is not None:  # a source of whole words is the same words in the page as given
                assert page[a.source.start:a.source.end] == a.source.text, a.source.text


@pytest.mark.parametrize(("page", "shown"), [
    # A reference inside a word keeps the word whole: the rest of it moves up, the spaces follow it.
    ("<p>AT&amp;T and Trump&#8217;s aides didn&#8217;t say.</p>", "AT&T and Trump’s aides didn’t say."),
    # Several references in one word: the word decoded whole, the saved spaces after it.
    ("<p>&ldquo;AT&amp;T&rsquo;s network didn&rsquo;t fail,&rdquo; the company&rsquo;s aide said.</p>",
     "“AT&T’s network didn’t fail,” the company’s aide said."),
    # A reference to a line end or control character is a space, never a break inside a sentence.
    ("<p>The plan&#10;would cost more,&#13;\nofficials said.</p>",
     "The plan would cost more, officials said."),
    # An apostrophe in an unquoted attribute value opens no quoted value that swallows the text.
    ("<p><img alt=Trump's face> Trump's rival said turnout was > 50 percent.</p>",
     "Trump's rival said turnout was > 50 percent."),
])
def test_references_and_attributes_read_as_a_browser_reads_them(page: str, shown: str) -> None:
    page = "<html><body><h1>T</h1>" + page + "</body></html>"
    seen = blank_html(page)
    assert len(seen) == len(page)
    assert shown in " ".join(seen.split())


def test_a_page_keeps_the_lines_of_its_preformatted_text() -> None:
    page = ("<html><body><h1>T</h1><pre>SMITH: The plan failed.\nJONES: It did not.</pre><p>x</p>"
            "</body></html>")
    assert "SMITH: The plan failed.\nJONES: It did not." in blank_html(page)


def test_a_reference_inside_a_word_reads_as_the_character_itself() -> None:
    page = ("<html><body><h1>T</h1><p>The ministry didn&#8217;t confirm that the fund was short by $2 "
            "billion, Trump&#8217;s spokesman said.</p><p>x</p></body></html>")
    typed = page.replace("&#8217;", "’")

    def reading(text: str) -> list[tuple[tuple[str, ...], list[str]]]:
        return [(c.source_types, [" ".join(a.source.text.split()) for a in c.attributions if a.source])
                for c in analyze(text).claims]

    assert reading(page) == reading(typed)
    names = [src.name for src in analyze(page).sources]
    assert names == [src.name for src in analyze(typed).sources]  # single-spaced, as typed


def test_a_page_furniture_is_no_part_of_its_article() -> None:
    """A photo caption was scored as a claim, the window title read as a second headline, the menu
    and the copyright line as paragraphs (LABELLING.md: captions and credits are no claims)."""
    page = ('<!DOCTYPE html><html><head><title>Guarantees – 24brussels</title></head><body><nav><a href="/">'
            'Home</a> <a href="/eu">EU</a></nav><article><h1>US proposes guarantees</h1><figure>'
            '<img src="x.jpg"><figcaption>Italian Prime Minister Giorgia Meloni in Rome. Photo: Reuters'
            '</figcaption></figure><p>The US has proposed guarantees, according to Meloni.</p></article>'
            "<aside>Read more: Meloni said so.</aside><footer>&copy; 2024 The Daily. All rights reserved."
            "</footer></body></html>")
    assert " ".join(blank_html(page).split()) == (
        "US proposes guarantees The US has proposed guarantees, according to Meloni.")
    claims = [c.span.text for c in analyze(page).claims]
    assert claims == ["The US has proposed guarantees, according to Meloni."]


@pytest.mark.parametrize("wrapper", [
    '<form id="form1">{}</form>',  # an old CMS lays the whole page out in a form
    '<script>var b = "<button class=\\"x\\">";</script>{}',  # furniture named inside a script
    "<!-- <nav> old menu removed -->{}",  # or inside a comment
    "<nav-tabs></nav-tabs>{}",  # a custom element is no <nav>
    "<nav><a>Home</a>{}",  # a <nav> that never closes
    "<aside>{}</aside>",  # furniture that holds the headline holds the article
])
def test_furniture_blanking_never_takes_the_article(wrapper: str) -> None:
    article = ("<h1>Dam fails</h1><p>The dam failed on Monday, officials said.</p><p>Two more.</p>"
               "<p>Three more.</p>")
    page = "<html><body>" + wrapper.format(article) + "</body></html>"
    assert "Dam fails The dam failed on Monday, officials said. Two more. Three more." in " ".join(
        blank_html(page).split())
