"""Tokens and possessives."""

from __future__ import annotations

import pytest

from scorer.tokens import _POSSESSIVE, is_clitic, split_possessive, tokenize


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


@pytest.mark.parametrize(("text", "expected"), [
    # A final clitic is a word of its own: PolNeAR starts a cue there ("They" / "’ve suggested").
    ("They’ve suggested", ["They", "’ve", "suggested"]),
    ("He's said", ["He", "'s", "said"]),
    ("I’d reinstate", ["I", "’d", "reinstate"]),
    ("we'll see", ["we", "'ll", "see"]),
    ("I'M SURE", ["I", "'M", "SURE"]),
    ("Trump’s claim", ["Trump", "’s", "claim"]),
    ("O'Brien's view", ["O'Brien", "'s", "view"]),
    # Not clitics: a negation stays in its word, a name keeps its apostrophe, a quote is punctuation.
    ("can't say", ["can't", "say"]),
    ("O'Reilly said", ["O'Reilly", "said"]),
    ("rock'n'roll", ["rock'n'roll"]),
    ("'s", ["'", "s"]),
    ("Sanders’ aides", ["Sanders", "’", "aides"]),
])
def test_tokenize_splits_final_clitics(text: str, expected: list[str]) -> None:
    toks = tokenize(text)
    assert [t.text for t in toks] == expected
    assert all(text[t.start:t.end] == t.text for t in toks)
    # A clitic is a word (a source or cue span may start or end on it); punctuation is not.
    assert [t.is_word for t in toks] == [t.text[0].isalnum() or is_clitic(t.text) for t in toks]
    assert all(t.is_word for t in toks if is_clitic(t.text))
