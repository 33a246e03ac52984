"""Who speaks where when the layout, not a verb, says so: interviews and transcripts.

Two layouts print a speaker's words with no cue in their sentences:

- A question-and-answer interview: "Q: ..." / "A: ..." paragraphs (USA Today glues a bold Q to the
  question: "QWhat would have happened?"). The answers are the interviewee's, unquoted and mostly
  in the first person; the questions are the interviewer's, who is seldom named.
- A transcript: each turn opens with its speaker's name in capitals and a colon ("TAPPER: ...",
  "JAKE TAPPER: ..."), and runs on over the paragraphs after it until the next speaker or a stage
  direction ("(END VIDEO CLIP.)").

`speaker_turns` finds the stretches of text each speaker holds; the pipeline cites the speaker for
every sentence of a stretch that cites no one else (LABELLING.md: a speaker's own words have that
speaker as their source). The speaker is a person the article names, typed like any mention.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import regex

from scorer.sourcing import MentionType
from scorer.spans import Span

_QUESTION_PARAGRAPH = regex.compile(r"(?m)^[ \t]*Q(?:[ \t]*:|\.[ \t]|(?=\p{Lu}\p{Ll}))")
_ANSWER_PARAGRAPH = regex.compile(r"(?m)^[ \t]*A[ \t]*:")
# A line that opens with one to three words in capitals and a colon: a transcript's speaker label,
# or a kicker ("UPDATE:", "CORRECTION:"), which names no one the article names (see `_label_speaker`).
_CAPITALS_LABEL = regex.compile(r"(?m)^[ \t]*((?:\p{Lu}[\p{Lu}.’'\-]*[ \t]+){0,2}\p{Lu}[\p{Lu}’'\-]+)[ \t]*:")
# A line in brackets ("(END VIDEO CLIP.)", "[CROSSTALK]"): a stage direction, which ends a turn.
_STAGE_DIRECTION = regex.compile(r"(?m)^[ \t]*[(\[][^\n]*[)\]][ \t.]*$")
# Fewer labels than this make no transcript (one "WASHINGTON:" or "EXCLUSIVE:" line is a kicker).
MIN_TURNS = 2


@dataclass(frozen=True)
class Turns:
    """The stretches each speaker holds, `[start, end)` with an index into `speakers` (their
    mentions: the span that names them and its type), every speaker label with its speaker's type
    (a transcript's "TAPPER"), and stretches that are nobody's to cite (an interviewer's questions)."""

    stretches: tuple[tuple[int, int, int], ...]
    speakers: tuple[tuple[Span, MentionType], ...]
    labels: tuple[tuple[Span, MentionType], ...] = ()
    unvoiced: tuple[tuple[int, int], ...] = ()

    def speaker_at(self, offset: int) -> int | None:
        """The index of the speaker who holds `offset`, or None."""
        return next((k for start, end, k in self.stretches if start <= offset < end), None)

    def unvoiced_at(self, offset: int) -> bool:
        """Whether `offset` lies in a stretch that is nobody's to cite."""
        return any(start <= offset < end for start, end in self.unvoiced)


def speaker_turns(text: str, people: Sequence[tuple[Span, MentionType]],
                  classify: Callable[[str], MentionType]) -> Turns | None:
    """The interview or transcript `text` prints, if any (None: neither). `people` are the article's
    named people in text order (`SourceTyper.background_people`); `classify` types a name read
    from a label ("JAKE TAPPER" as "Jake Tapper")."""
    return _interview(text, people) or _transcript(text, people, classify)


def _stretches(starts: Sequence[int], ends: Sequence[int], text_end: int) -> list[tuple[int, int]]:
    """Each start up to the first end after it (or `text_end`); `ends` ascending."""
    out = []
    for start in starts:
        k = bisect.bisect_right(ends, start)
        out.append((start, ends[k] if k < len(ends) else text_end))
    return out


def _interview(text: str, people: Sequence[tuple[Span, MentionType]]) -> Turns | None:
    """The interviewee is the person named most often before the first question (the first of them
    on a tie), in the longest form of that name."""
    questions = [m.start() for m in _QUESTION_PARAGRAPH.finditer(text)]
    answers = [m.start() for m in _ANSWER_PARAGRAPH.finditer(text)]
    if len(questions) < MIN_TURNS or len(answers) < MIN_TURNS:
        return None
    before = [k for k, (span, _) in enumerate(people) if span.end <= questions[0]]
    if not before:
        return None
    counts = Counter(people[k][1].key for k in before)
    most = max(counts.values())
    key = next(people[k][1].key for k in before if counts[people[k][1].key] == most)
    named = max((k for k in before if people[k][1].key == key), key=lambda k: (len(people[k][0].text), -k))
    return Turns(tuple((start, end, 0) for start, end in _stretches(answers, questions, len(text))),
                 (people[named],), unvoiced=tuple(_stretches(questions, answers, len(text))))


def _transcript(text: str, people: Sequence[tuple[Span, MentionType]],
                classify: Callable[[str], MentionType]) -> Turns | None:
    labels = list(_CAPITALS_LABEL.finditer(text))
    if len(labels) < MIN_TURNS:
        return None
    # surname key -> the longest mention of that person the article has
    known: dict[str, tuple[Span, MentionType]] = {}
    for span, mt in people:
        if mt.key not in known or len(span.text) > len(known[mt.key][0].text):
            known[mt.key] = (span, mt)
    speakers: list[tuple[Span, MentionType]] = []
    index: dict[str, int] = {}
    spoken: list[tuple[int, int]] = []  # (label start, speaker index)
    typed_labels: list[tuple[Span, MentionType]] = []
    for m in labels:
        found = _label_speaker(text, m.start(1), m.end(1), known, classify)
        if found is None:
            continue
        span, mt = found
        if mt.key not in index:
            index[mt.key] = len(speakers)
            speakers.append((span, mt))
            known.setdefault(mt.key, (span, mt))
        spoken.append((m.start(), index[mt.key]))
        typed_labels.append((span, speakers[index[mt.key]][1]))
    if len(spoken) < MIN_TURNS:
        return None
    # A turn ends where the next label (a speaker's or a kicker's) or a stage direction begins.
    ends = sorted({m.start() for m in labels} | {m.start() for m in _STAGE_DIRECTION.finditer(text)})
    stretches = [(start, end, k) for (start, end), (_, k)
                 in zip(_stretches([s for s, _ in spoken], ends, len(text)), spoken, strict=True)]
    return Turns(tuple(stretches), tuple(speakers), tuple(typed_labels))


def _label_speaker(text: str, start: int, end: int, known: dict[str, tuple[Span, MentionType]],
                   classify: Callable[[str], MentionType]) -> tuple[Span, MentionType] | None:
    """The person a capitals label names: one the article names elsewhere under that surname
    ("FALLIN" for "Gov. Mary Fallin"), or the label read in title case when it reads as a person's
    full name ("JAKE TAPPER") or a listed official's surname ("SANDERS"). A kicker ("UPDATE",
    "EDITOR'S NOTE") names no one."""
    words = text[start:end].split()
    surname = words[-1].lower().strip("’'")
    if surname in known:
        return Span(start, end, text[start:end]), known[surname][1]
    mt = classify(" ".join(w.capitalize() for w in words))
    if mt.type not in {"named_official", "named_person"}:
        return None
    # A lone word names someone only when it is a listed official's surname ("SANDERS").
    if (mt.gender and len(words) >= 2) or mt.rule_id == "sources.known_official":
        return Span(start, end, text[start:end]), mt
    return None
