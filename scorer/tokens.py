"""Tokens with offsets: the one tokenisation every step shares.

Word tokens keep inner apostrophes, hyphens and dots ("U.S.", "Meloni’s", "non-NATO"); every other
non-space character is a token of its own. Tokens are views on the text: offsets are the truth.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import regex

_TOKEN = regex.compile(r"\w+(?:[’'\-.&]\w+)*\.?(?<=\w\.\w\.)|\w+(?:[’'\-&]\w+)*|[^\w\s]", regex.UNICODE)
_POSSESSIVE = regex.compile(r"^(.*?)([’']s?)$")


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str

    @property
    def lower(self) -> str:
        return self.text.lower()

    @property
    def is_word(self) -> bool:
        return self.text[0].isalnum()

    @property
    def is_capitalised(self) -> bool:
        return self.text[0].isupper()


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Tokens of `text[start:end]` with absolute offsets."""
    end = len(text) if end is None else end
    return list(_tokenize(text, start, end))


@lru_cache(maxsize=32)
def _tokenize(text: str, start: int, end: int) -> tuple[Token, ...]:
    # The attribution rules and models tokenize the same claim one after the other: the second
    # call is a cache hit (tokens are frozen, callers get their own list).
    return tuple(Token(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text, start, end))


def split_possessive(word: str) -> tuple[str, str]:
    """("Meloni’s") -> ("Meloni", "’s"); words without a possessive come back unchanged."""
    if "'" not in word and "’" not in word:
        return word, ""  # no apostrophe, no possessive: most words, and no regex needed
    m = _POSSESSIVE.match(word)
    if m and m.group(1) and m.group(2) in {"’s", "'s", "’", "'"}:
        return m.group(1), m.group(2)
    return word, ""
