"""Tokens with offsets: the one tokenisation every step shares.

Word tokens keep inner apostrophes, hyphens and dots ("U.S.", "O'Brien", "non-NATO"), except that a
final clitic is a word of its own ("He" "’s", "Meloni" "’s", "they" "’ve"): PolNeAR starts a cue at
a verb clitic ("He" / "’s said") and ends a source before or after a possessive. Every other
non-space character is a token of its own. Tokens are views on the text: offsets are the truth.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import regex

_TOKEN = regex.compile(r"\w+(?:[’'\-.&]\w+)*\.?(?<=\w\.\w\.)|\w+(?:[’'\-&]\w+)*|[^\w\s]", regex.UNICODE)
_POSSESSIVE = regex.compile(r"^(.*?)([’']s?)$")
# A word's final clitic: "’s" (possessive, "is" or "has"), "’ve", "’re", "’d", "’ll", "’m". Not "n't":
# "can't" stays one word, as PolNeAR cues hold it whole.
_CLITIC = regex.compile(r"(?<=\w)[’'](?:s|ve|re|d|ll|m)$", regex.IGNORECASE)


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
        return is_word(self.text)

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
    out: list[Token] = []
    for m in _TOKEN.finditer(text, start, end):
        word = m.group()
        if "'" in word or "’" in word:
            c = _CLITIC.search(word)
            if c is not None:
                at = m.start() + c.start()
                out += (Token(m.start(), at, word[:c.start()]), Token(at, m.end(), c.group()))
                continue
        out.append(Token(m.start(), m.end(), word))
    return tuple(out)


def is_word(text: str) -> bool:
    """A token's text is a word: it opens with a letter or digit, or it is a clitic."""
    return text[0].isalnum() or is_clitic(text)


def is_clitic(word: str) -> bool:
    """A clitic token: "’s", "'ve", "’re", "’d", "'ll", "’m" (a word, though it opens with no letter)."""
    return len(word) > 1 and word[0] in "'’" and word[1].isalpha()


def split_possessive(word: str) -> tuple[str, str]:
    """("Meloni’s") -> ("Meloni", "’s"); words without a possessive come back unchanged."""
    if "'" not in word and "’" not in word:
        return word, ""  # no apostrophe, no possessive: most words, and no regex needed
    m = _POSSESSIVE.match(word)
    if m and m.group(1) and m.group(2) in {"’s", "'s", "’", "'"}:
        return m.group(1), m.group(2)
    return word, ""
