"""Spans: half-open `[start, end)` character offsets into the original, unchanged text.

Offsets are Python string indices (code points) into the text exactly as read. A span never starts
or ends on whitespace: `make_span` trims, and returns None rather than an empty or wrong span.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, order=True)
class Span:
    start: int
    end: int
    text: str

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end:
            raise ValueError(f"bad span [{self.start}, {self.end})")
        if len(self.text) != self.end - self.start:
            raise ValueError(f"span text of length {len(self.text)} for [{self.start}, {self.end})")

    def intersects(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end

    def contained_in(self, other: Span) -> bool:
        return other.contains(self)

    def overlap(self, other: Span) -> int:
        return max(0, min(self.end, other.end) - max(self.start, other.start))

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True)
class Cue:
    """A rule's evidence in a text: `[start, end)` offsets, the matched text, the rule and its label.

    Hedge cues (offsets into the article) and stance cues (offsets into the report) are both cues."""

    start: int
    end: int
    text: str
    rule_id: str
    label: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text, "rule_id": self.rule_id,
                "label": self.label}


def make_span(text: str, start: int, end: int) -> Span | None:
    """The span of `text[start:end]` trimmed of surrounding whitespace, or None if nothing is left."""
    start = max(0, start)
    end = min(len(text), end)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return None
    return Span(start, end, text[start:end])


def filter_spans(spans: list[Span]) -> list[Span]:
    """Drop spans that overlap a longer one (longest first, then earliest): a total order."""
    kept: list[Span] = []
    for span in sorted(spans, key=lambda s: (-(s.end - s.start), s.start)):
        if not any(span.intersects(k) for k in kept):
            kept.append(span)
    return sorted(kept)
