"""Source typing and source identity, table-driven."""

from __future__ import annotations

import pytest

from scorer.identity import link_sources
from scorer.sourcing import SourceTyper
from scorer.spans import Span

TYPES = [
    ("Italy’s Prime Minister Giorgia Meloni", "named_official"),
    ("US President Donald Trump", "named_official"),
    ("Senator Jane Doe", "named_official"),
    ("Campaign manager Robby Mook", "named_official"),
    ("Jane Roe", "named_person"),
    ("Jane Doe, a professor at Yale,", "named_person"),
    ("the French presidency", "named_institution"),
    ("The Kremlin", "named_institution"),
    ("the State Department", "named_institution"),
    ("a diplomatic source", "unnamed_source"),
    ("officials familiar with the talks", "unnamed_source"),
    ("aides", "unnamed_source"),
    ("critics", "unnamed_source"),
    ("Another source", "second_source"),
    ("The second source", "second_source"),
    ("a second official", "second_source"),
    ("24brussels", "outlet"),
    ("Reuters", "outlet"),
    ("The New York Times", "outlet"),
    ("the paper", "outlet"),
    ("a leaked memo", "document"),
    ("the poll", "document"),
    ("court filings", "document"),
]


@pytest.fixture(scope="module")
def typer_() -> SourceTyper:
    return SourceTyper()


@pytest.mark.parametrize(("phrase", "expected"), TYPES)
def test_source_types(typer_: SourceTyper, phrase: str, expected: str) -> None:
    assert typer_.classify(phrase).type == expected


def _mentions(typer_: SourceTyper, phrases: list[str]) -> list[tuple[Span, object]]:
    out = []
    pos = 0
    for p in phrases:
        out.append((Span(pos, pos + len(p), p), typer_.classify(p)))
        pos += len(p) + 10
    return out


@pytest.mark.parametrize(("phrases", "expected_ids", "expected_types"), [
    (["Italy’s Prime Minister Giorgia Meloni", "a diplomatic source", "The diplomatic source", "Meloni", "She"],
     ["S1", "S2", "S2", "S1", "S1"], {"S1": "named_official", "S2": "unnamed_source"}),
    (["Another source", "The second source"], ["S1", "S1"], {"S1": "second_source"}),
    (["the French presidency", "John Roe", "he"], ["S1", "S2", "S2"],
     {"S1": "named_institution", "S2": "named_person"}),
    (["Senator John Smith", "Mary Jones", "he"], ["S1", "S2", "S1"],
     {"S1": "named_official", "S2": "named_person"}),
    (["Reuters", "the ministry", "Reuters"], ["S1", "S2", "S1"], {"S1": "outlet", "S2": "named_institution"}),
])
def test_identity(typer_: SourceTyper, phrases: list[str], expected_ids: list[str],
                  expected_types: dict[str, str]) -> None:
    ids, sources = link_sources(_mentions(typer_, phrases))
    assert ids == expected_ids
    assert {s.id: s.type for s in sources} == expected_types
