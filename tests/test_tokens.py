"""Tokens and possessives."""

from __future__ import annotations

import pytest

from scorer.tokens import _POSSESSIVE, split_possessive


def _by_pattern(word: str) -> tuple[str, str]:
    m = _POSSESSIVE.match(word)
    if m and m.group(1) and m.group(2) in {"’s", "'s", "’", "'"}:
        return m.group(1), m.group(2)
    return word, ""


@pytest.mark.parametrize(("word", "expected"), [
    ("Meloni’s", ("Meloni", "’s")),
    ("Trump's", ("Trump", "'s")),
    ("Jones'", ("Jones", "'")),
    ("Sanders’", ("Sanders", "’")),
    ("Meloni", ("Meloni", "")),
    ("U.S.", ("U.S.", "")),
    ("O'Brien", ("O'Brien", "")),
    ("'s", ("'s", "")),
    ("", ("", "")),
])
def test_split_possessive(word: str, expected: tuple[str, str]) -> None:
    assert split_possessive(word) == expected


@pytest.mark.parametrize("word", ["Meloni’s", "its", "Jones'", "O'Brien's", "rock'n'roll", "news", "'",
                                  "Trump's\n", "a\nb's", "ss", "boss’s", "x's's"])
def test_split_possessive_skips_the_pattern_only_where_it_cannot_match(word: str) -> None:
    # Words without an apostrophe skip the pattern: the answer is the pattern's all the same.
    assert split_possessive(word) == _by_pattern(word)
