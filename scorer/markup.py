"""Web pages given as articles: their markup blanked, every offset kept.

A user who saves a page and hands it to the scorer gets its paragraphs read as text, as a browser
shows them, and every span of the report still indexes the file as given (LABELLING.md): tags,
comments, scripts and styles are overwritten with spaces of the same length; a tag that breaks a
block (a paragraph, a heading, a line break) leaves a newline where its "<" stood, and every other
line end is a space (the page's source lines are no paragraphs); a character reference ("&rdquo;",
"&#8217;") is its character and spaces, at the same length (`_decode_references`).

Only a whole page or page fragment is treated so: text that opens with a tag and holds at least
two block tags. An article with a few lines of embedded markup (a quoted post in PolNeAR) is plain
text with markup lines, which the pipeline reads as such.
"""

from __future__ import annotations

import html

import regex

# Code regexes, each linear in the text: a comment and a script or style element end at their first
# closing mark; a tag holds no "<" or ">" outside its quoted attribute values (title="a > b" is one
# tag), each part matched possessively. A quote opens a value only right after "=", and a value's
# quote must close before the next "<": any other quote (alt=Trump's) makes the tag end at its first
# ">", as a browser ends it, and article text is never swallowed.
_COMMENT = regex.compile(r"<!--.*?(?:-->|\Z)", regex.DOTALL)
_ATTRIBUTES = r"""(?:(?:[^<>"'=]++|=\s*+"[^"<]*+"|=\s*+'[^'<]*+'|=)*+|[^<>]*+)"""
_SCRIPT_OR_STYLE = regex.compile(
    r"<(script|style|noscript|template)\b" + _ATTRIBUTES + r">.*?(?:</\1\s*>|\Z)",
    regex.DOTALL | regex.IGNORECASE)
_TAG = regex.compile(r"<[!/?]?[A-Za-z]" + _ATTRIBUTES + ">")
_BLOCK_TAG = regex.compile(
    r"<\s*/?\s*(?:p|div|br|hr|h[1-6]|li|ul|ol|dl|dt|dd|article|section|header|footer|main|aside|nav|"
    r"blockquote|figure|figcaption|table|tr|td|th|title|pre|address)\b" + _ATTRIBUTES + ">", regex.IGNORECASE)
# A page's furniture, no part of its article (LABELLING.md: captions and credits are no claims):
# navigation, photo captions, footers, asides, forms and drawings, read as blanks like a script.
_FURNITURE = regex.compile(
    r"<(nav|figcaption|footer|aside|button|select|svg)(?=[\s/>])[^<>]*+>.*?</\1\s*>",
    regex.DOTALL | regex.IGNORECASE)
# Furniture that holds the headline or several paragraphs holds the article (a page laid out in an
# <aside> or <footer>): left as it is.
_PARAGRAPH = regex.compile(r"<p(?=[\s/>])", regex.IGNORECASE)
ARTICLE_PARAGRAPHS = 3
# The window's title, which repeats the headline where the page has one (<h1>).
_TITLE = regex.compile(r"<title(?=[\s/>])[^<>]*+>.*?</title\s*>", regex.DOTALL | regex.IGNORECASE)
_H1 = regex.compile(r"<h1(?=[\s/>])", regex.IGNORECASE)
# Elements whose line ends a browser keeps.
_PREFORMATTED = regex.compile(r"<(pre|textarea)\b[^<>]*+>.*?(?:</\1\s*>|\Z)", regex.DOTALL | regex.IGNORECASE)
# A character reference: named ("&rdquo;", "&amp;", and the legacy ones without ";"), decimal or hex.
_REFERENCE = regex.compile(r"&(?:#[0-9]{1,7};?|#[xX][0-9A-Fa-f]{1,6};?|[A-Za-z][A-Za-z0-9]{1,31};?)")
_OPENS_WITH_TAG = regex.compile(r"\s*<(?:!doctype|!--|[A-Za-z])", regex.IGNORECASE)
BLOCK_TAGS_FOR_A_PAGE = 2


def looks_like_html(text: str) -> bool:
    """A web page or page fragment: it opens with a tag or declaration and holds block tags."""
    if _OPENS_WITH_TAG.match(text) is None:
        return False
    return any(k + 1 >= BLOCK_TAGS_FOR_A_PAGE for k, _ in enumerate(_BLOCK_TAG.finditer(text)))


def _blank(chars: list[str], start: int, end: int, newline_first: bool = False) -> None:
    for i in range(start, end):
        chars[i] = " "
    if newline_first and end > start:
        chars[start] = "\n"


def _decode_references(chars: list[str], text: str) -> None:
    """Each run of non-space characters that holds character references, from its first reference
    on, as the run decoded, at the same length: the decoded run where the run starts, the spaces it
    saves after it ("&ldquo;No-one knows" reads '“No-one       knows', "didn&#8217;t" 'didn’t',
    "&ldquo;AT&amp;T&rsquo;s" '“AT&T’s'). Words stay whole and marks stay on their words; an offset
    inside a run points up to the saved length before that character in the page as given (the page
    as read, which every span's text quotes, has it exactly). A reference to a space, a line end or
    a control character reads as a space; one that names no character is left as written."""
    done = 0
    for m in _REFERENCE.finditer(text):
        start = m.start()
        if start < done or chars[start] != "&":
            continue  # inside a run already decoded, or inside markup (already blanked)
        end = start
        while end < len(text) and chars[end] == text[end] and not text[end].isspace() and text[end] != "<":
            end += 1
        done = end
        run = _REFERENCE.sub(_decoded, text[start:end])
        if len(run) <= end - start:
            chars[start:end] = list(run + " " * (end - start - len(run)))


def _decoded(m: regex.Match[str]) -> str:
    ref = m.group()
    char = html.unescape(ref)
    if char == ref or len(char) > len(ref):
        return ref
    if char.isspace() or not char.isprintable():
        return " "  # a no-break space, "&#10;", "&#13;": a space to the reader, never a line break
    return char


def blank_html(text: str) -> str:
    """`text` as a browser reads it, at the same length, every character outside markup at its own
    offset: markup overwritten by spaces (a block tag by a newline and spaces), the page's furniture
    too (navigation, captions, footers, asides; the title where an <h1> holds the headline), every
    other line end a space but inside a <pre> or <textarea> (a transcript's turns), character
    references decoded (`_decode_references`)."""
    chars = [" " if c in "\r\n" else c for c in text]
    for m in _PREFORMATTED.finditer(text):
        chars[m.start():m.end()] = list(m.group())
    for m in _COMMENT.finditer(text):
        _blank(chars, m.start(), m.end())
    for m in _SCRIPT_OR_STYLE.finditer(text):
        _blank(chars, m.start(), m.end(), newline_first=True)
    blanked = "".join(chars)  # furniture is looked for outside comments and scripts
    for m in _FURNITURE.finditer(blanked):
        inside = m.group()
        if _H1.search(inside) is None and len(_PARAGRAPH.findall(inside)) < ARTICLE_PARAGRAPHS:
            _blank(chars, m.start(), m.end(), newline_first=True)
    if _H1.search(blanked):
        for m in _TITLE.finditer(blanked):
            _blank(chars, m.start(), m.end(), newline_first=True)
    blanked = "".join(chars)
    for m in _TAG.finditer(blanked):
        _blank(chars, m.start(), m.end(), newline_first=_BLOCK_TAG.fullmatch(m.group(0)) is not None)
    _decode_references(chars, text)
    return "".join(chars)
