"""Step 4b: a claim that cites no one in its own sentence may still have a source in its paragraph.

News writes a speaker's words over several sentences ("Trump said ... <newline> 'You have no idea who
they are.'"), transcripts run on in the first person, and poll or filing paragraphs state figures
after naming the poll once. LABELLING.md counts such claims as sourced: the quote keeps its speaker,
and a lede or figure backed elsewhere is `single_source` (or better). A sentence-level attribution
finder cannot see this, so a small logistic model decides from the claim's context (quotation
marks, person, where the nearest cited claims stand, how much they share) whether the claim has a
source, and the nearest cited claim lends it. The weights are `rules/context_model.yaml`, fitted by
`scorer train-context` on the labelled train claims.

Only the speaker's own words inherit: a claim that opens with a quotation mark or speaks in the first
or second person takes the lender's source as its own. Lending the source as *support* to the other
claims the model calls sourced (a figure, a lede) was measured and dropped: verdict macro-F1 rose
by under one point on train and dev (within the bootstrap interval), while it lent sources to the
author's own background sentences (the model article's "Zelensky is scheduled to visit ..."),
which an editor reads as unsourced.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import regex

from scorer.linear import LinearModel, load_for_features
from scorer.rulebook import RULES_DIR
from scorer.spans import Span

MODEL_PATH = RULES_DIR / "context_model.yaml"

CONTEXT_FEATURES: tuple[str, ...] = (
    "starts_with_quote",  # the claim opens with a quotation mark
    "has_quote",  # a double quotation mark anywhere in it
    "first_person",  # I, me, my, we, our, us: a speaker's own words
    "second_person",  # you, your: a speaker addressing someone
    "question",
    "has_number",  # figures are usually backed by the poll or filing named nearby
    "prev_cited_same_paragraph",
    "prev_cited_other_paragraph",
    "next_cited_same_paragraph",
    "next_cited_other_paragraph",
    "only_claim_in_paragraph",
    "first_claim",  # the lede
    "prev_similarity",  # content overlap with the nearest cited claim before it
    "max_cited_similarity",  # best content overlap with any cited claim of the article
    "cited_share",  # share of the article's claims that cite someone
    "uncited_source",  # a cue with a source that does not cite ("Paul called X ..."), see pipeline
    "pronoun_subject",  # opens with He/She/They: a person's act, usually backed by their own words
)

_FIRST = regex.compile(r"\b(?:I|I'm|I’m|I've|I’ve|I'd|I’d|I'll|I’ll|me|my|we|we're|we’re|our|us)\b")
_SECOND = regex.compile(r"\b(?:you|your|you're|you’re)\b", regex.IGNORECASE)
_PRONOUN_SUBJECT = regex.compile(r"^\W*(?:He|She|They)\b")
_NUMBER = regex.compile(r"\d")
_OPEN_QUOTES = "“‘\"«'"
# Double quotation marks only: ’ and ' are apostrophes far more often than quotes ("NATO’s").
_QUOTES = "“”\"«»"


@dataclass(frozen=True)
class Inheritance:
    """The source a claim without its own cue takes from its context."""

    lender: int  # index of the cited claim that lends its source (as the claim's own speaker)
    probability: float


def context_rows(
    text: str, spans: Sequence[Span], own_ids: Sequence[Sequence[str]], uncited_source: Sequence[bool],
    sims: np.ndarray,
) -> list[dict[str, float] | None]:
    """Feature values for every claim that cites no one (None for claims that do)."""
    n = len(spans)
    cited = [bool(ids) for ids in own_ids]
    cited_share = sum(cited) / n if n else 0.0
    # Paragraph number of each claim: a newline between two claims starts a new paragraph.
    paragraph = []
    current = 0
    for i, span in enumerate(spans):
        if i and "\n" in text[spans[i - 1].end:span.start]:
            current += 1
        paragraph.append(current)
    size = {p: paragraph.count(p) for p in set(paragraph)}
    rows: list[dict[str, float] | None] = []
    for i, span in enumerate(spans):
        if cited[i]:
            rows.append(None)
            continue
        claim_text = span.text
        prev = next((j for j in range(i - 1, -1, -1) if cited[j]), None)
        nxt = next((j for j in range(i + 1, n) if cited[j]), None)
        prev_adjacent = prev is not None and prev == i - 1
        next_adjacent = nxt is not None and nxt == i + 1
        others = [sims[i, j] for j in range(n) if cited[j] and j != i]
        rows.append({
            "starts_with_quote": float(claim_text[:1] in _OPEN_QUOTES),
            "has_quote": float(any(q in claim_text for q in _QUOTES)),
            "first_person": float(bool(_FIRST.search(claim_text))),
            "second_person": float(bool(_SECOND.search(claim_text))),
            "question": float(claim_text.rstrip(" ”’\"").endswith("?")),
            "has_number": float(bool(_NUMBER.search(claim_text))),
            # Adjacent means prev == i - 1 (nxt == i + 1): index by that, which mypy sees is an int.
            "prev_cited_same_paragraph": float(prev_adjacent and paragraph[i - 1] == paragraph[i]),
            "prev_cited_other_paragraph": float(prev_adjacent and paragraph[i - 1] != paragraph[i]),
            "next_cited_same_paragraph": float(next_adjacent and paragraph[i + 1] == paragraph[i]),
            "next_cited_other_paragraph": float(next_adjacent and paragraph[i + 1] != paragraph[i]),
            "only_claim_in_paragraph": float(size[paragraph[i]] == 1),
            "first_claim": float(i == 0),
            "prev_similarity": float(sims[i, prev]) if prev is not None else 0.0,
            "max_cited_similarity": float(max(others)) if others else 0.0,
            "cited_share": cited_share,
            "uncited_source": float(uncited_source[i]),
            "pronoun_subject": float(bool(_PRONOUN_SUBJECT.search(claim_text))),
        })
    return rows


def row_matrix(rows: Sequence[dict[str, float]]) -> np.ndarray:
    return np.asarray([[row[name] for name in CONTEXT_FEATURES] for row in rows], dtype=float).reshape(
        len(rows), len(CONTEXT_FEATURES))


def _same_paragraph(text: str, spans: Sequence[Span], a: int, b: int) -> bool:
    lo, hi = sorted((a, b))
    return "\n" not in text[spans[lo].end:spans[hi].start]


def lender_of(i: int, text: str, spans: Sequence[Span], own_ids: Sequence[Sequence[str]],
              sims: np.ndarray) -> int | None:
    """The cited claim whose source claim i takes: the one just before it in its paragraph, else the
    one just after it in its paragraph, else the nearest one before it, else the most similar."""
    n = len(spans)
    cited = [bool(ids) for ids in own_ids]
    if i > 0 and cited[i - 1] and _same_paragraph(text, spans, i - 1, i):
        return i - 1
    if i + 1 < n and cited[i + 1] and _same_paragraph(text, spans, i, i + 1):
        return i + 1
    if i > 0 and cited[i - 1]:
        return i - 1
    candidates = [j for j in range(n) if cited[j] and j != i]
    if not candidates:
        return None
    return max(candidates, key=lambda j: (sims[i, j], -abs(i - j)))


class ContextSourcer:
    def __init__(self, model: LinearModel | None = None) -> None:
        self.model = model or context_model()

    def inherit(
        self, text: str, spans: Sequence[Span], own_ids: Sequence[Sequence[str]],
        uncited_source: Sequence[bool], sims: np.ndarray,
    ) -> dict[int, Inheritance]:
        """For each claim that cites no one, the context source it takes, if the model says it has one."""
        rows = context_rows(text, spans, own_ids, uncited_source, sims)
        todo = [i for i, row in enumerate(rows) if row is not None]
        if not todo or not any(own_ids):
            return {}
        proba = self.model.predict_proba(row_matrix([rows[i] for i in todo]))[:, 1]  # type: ignore[misc]
        out: dict[int, Inheritance] = {}
        for i, p in zip(todo, proba, strict=True):
            if p < self.model.threshold:
                continue
            lender = lender_of(i, text, spans, own_ids, sims)
            if lender is None:
                continue
            row = rows[i]
            assert row is not None
            if not (row["starts_with_quote"] or row["first_person"] or row["second_person"]):
                continue  # not the speaker's own words: see the module docstring
            out[i] = Inheritance(lender, float(p))
        return out


def context_model(path: str | Path | None = None) -> LinearModel:
    return load_for_features(path or MODEL_PATH, CONTEXT_FEATURES, "scorer train-context")
