"""Web pages given as articles: their markup blanked, every offset kept.

A user who saves a page and hands it to the scorer gets its paragraphs read as text, and every span
of the report still indexes the file exactly as given (LABELLING.md): tags, comments, scripts and
styles are overwritten with spaces of the same length, and a tag that breaks a block (a paragraph,
a heading, a line break) leaves a newline where its "<" stood, so paragraphs stay paragraphs.
Character references ("&amp;") are left as they are: decoding them would change the length.

Only a whole page or page fragment is treated so: text that opens with a tag and holds at least
two block tags. An article with a few lines of embedded markup (a quoted post in PolNeAR) is plain
text with markup lines, which the pipeline reads as such.
"""

from __future__ import annotations

import regex

# Code regexes, each linear in the text: a comment and a script or style element end at their first
# closing mark; a tag holds no "<" or ">".
_COMMENT = regex.compile(r"<!--.*?(?:-->|\Z)", regex.DOTALL)
_SCRIPT_OR_STYLE = regex.compile(r"<(script|style|noscript|template)\b[^<>]*>.*?(?:</\1\s*>|\Z)",
                                 regex.DOTALL | regex.IGNORECASE)
_TAG = regex.compile(r"<[!/?]?[A-Za-z][^<>]*>")
_BLOCK_TAG = regex.compile(
    r"<\s*/?\s*(?:p|div|br|hr|h[1-6]|li|ul|ol|dl|dt|dd|article|section|header|footer|main|aside|nav|"
    r"blockquote|figure|figcaption|table|tr|td|th|title|pre|address)\b[^<>]*>", regex.IGNORECASE)
_OPENS_WITH_TAG = regex.compile(r"\s*<(?:!doctype|!--|[A-Za-z])", regex.IGNORECASE)
BLOCK_TAGS_FOR_A_PAGE = 2


def looks_like_html(text: str) -> bool:
    """A web page or page fragment: it opens with a tag or declaration and holds block tags."""
    if _OPENS_WITH_TAG.match(text) is None:
        return False
    return any(k + 1 >= BLOCK_TAGS_FOR_A_PAGE for k, _ in enumerate(_BLOCK_TAG.finditer(text)))


def _blank(chars: list[str], start: int, end: int, newline_first: bool = False) -> None:
    # Newlines inside stay newlines, so line numbers and paragraph breaks survive.
    for i in range(start, end):
        if chars[i] != "\n":
            chars[i] = " "
    if newline_first and end > start:
        chars[start] = "\n"


def blank_html(text: str) -> str:
    """`text` with its markup overwritten by spaces (a block tag by a newline and spaces): the same
    length, every character outside markup at its own offset."""
    chars = list(text)
    for m in _COMMENT.finditer(text):
        _blank(chars, m.start(), m.end())
    for m in _SCRIPT_OR_STYLE.finditer(text):
        _blank(chars, m.start(), m.end(), newline_first=True)
    blanked = "".join(chars)
    for m in _TAG.finditer(blanked):
        _blank(chars, m.start(), m.end(), newline_first=_BLOCK_TAG.fullmatch(m.group(0)) is not None)
    return "".join(chars)
