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
# tag), each part matched possessively. A quote that does not close before the next "<" is no
# quoted value (alt=Trump's): such a tag ends at its first ">", and article text is never swallowed.
_COMMENT = regex.compile(r"<!--.*?(?:-->|\Z)", regex.DOTALL)
_ATTRIBUTES = r"""(?:(?:[^<>"']++|"[^"<]*+"|'[^'<]*+')*+|[^<>]*+)"""
_SCRIPT_OR_STYLE = regex.compile(
    r"<(script|style|noscript|template)\b" + _ATTRIBUTES + r">.*?(?:</\1\s*>|\Z)",
    regex.DOTALL | regex.IGNORECASE)
_TAG = regex.compile(r"<[!/?]?[A-Za-z]" + _ATTRIBUTES + ">")
_BLOCK_TAG = regex.compile(
    r"<\s*/?\s*(?:p|div|br|hr|h[1-6]|li|ul|ol|dl|dt|dd|article|section|header|footer|main|aside|nav|"
    r"blockquote|figure|figcaption|table|tr|td|th|title|pre|address)\b" + _ATTRIBUTES + ">", regex.IGNORECASE)
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
    """Each character reference outside markup as its character and spaces, the same length: the
    character first where the reference opens a word ("&ldquo;We"), last where it follows one
    ("won&#8217;t", "cuts,&rdquo;"), so that a span of whole words starts and ends where the page's
    own text does. A reference that names no character, or more than fit, is left as written."""
    for m in _REFERENCE.finditer(text):
        if chars[m.start()] != "&":
            continue  # inside markup, already blanked
        ref = m.group()
        char = html.unescape(ref)
        if char == ref or len(char) > len(ref):
            continue
        if char in {"\xa0", "\u2009", "\u202f"}:
            char = " "  # a no-break or thin space is a space to the reader
        pad = " " * (len(ref) - len(char))
        follows_word = m.start() > 0 and not chars[m.start() - 1].isspace()  # blanked markup is spaces
        chars[m.start():m.end()] = list(pad + char if follows_word else char + pad)


def blank_html(text: str) -> str:
    """`text` as a browser reads it, at the same length, every character outside markup at its own
    offset: markup overwritten by spaces (a block tag by a newline and spaces), every other line end
    a space, character references decoded (`_decode_references`)."""
    chars = [" " if c in "\r\n" else c for c in text]
    for m in _COMMENT.finditer(text):
        _blank(chars, m.start(), m.end())
    for m in _SCRIPT_OR_STYLE.finditer(text):
        _blank(chars, m.start(), m.end(), newline_first=True)
    blanked = "".join(chars)
    for m in _TAG.finditer(blanked):
        _blank(chars, m.start(), m.end(), newline_first=_BLOCK_TAG.fullmatch(m.group(0)) is not None)
    _decode_references(chars, text)
    return "".join(chars)
