"""A question-and-answer interview: the answers are the interviewee's words (scorer.pipeline.interview)."""

from __future__ import annotations

from scorer import analyze

# Invented, in the two layouts news prints: "Q: ... / A: ..." and a bold Q glued to the question.
INTERVIEW = (
    "Former Mayor Ann Keller speaks out.\n\n"
    "Former Mayor Ann Keller has run the harbour trust since 2012. Keller sat down this week with "
    "reporter Tom Reed to discuss the port.\n\n"
    "QWhy does the harbour matter so much to you?\n\n"
    "A: Because the town grew up around it. I think we owe it our jobs.\n\n"
    "The ferries carried everything we had.\n\n"
    "Q: You closed the north pier in 2015. Was that a mistake?\n\n"
    "A: No. The pier was unsafe and the repairs would have cost millions.\n"
)


def test_an_interviews_answers_cite_the_interviewee() -> None:
    report = analyze(INTERVIEW)
    by_start = {c.span.text[:24]: c for c in report.claims}
    (keller,) = [s.id for s in report.sources if "Keller" in s.name]
    answers = ["A: Because the town grew", "I think we owe it our jo", "The ferries carried ever",
               "A: No."]
    for start in answers:
        found = [c for text, c in by_start.items() if text.startswith(start)]
        assert found, start
        assert found[0].source_ids == (keller,), start
        assert found[0].attributions[0].rule_id == "attr.speaker_turn"
    # The interviewer's statements inside a question cite no one, and take no speaker from the answers.
    question = [c for c in report.claims if "You closed the north pier" in c.span.text]
    assert question and question[0].source_ids == ()


def test_an_article_with_one_question_is_no_interview() -> None:
    text = ("Former Mayor Ann Keller has run the harbour trust since 2012.\n\n"
            "Q: Why does the harbour matter?\n\n"
            "A: Because the town grew up around it.\n")
    report = analyze(text)
    assert all(a.rule_id != "attr.speaker_turn" for c in report.claims for a in c.attributions)


def test_an_answer_cites_the_interviewee_even_where_it_reports_someone_else() -> None:
    text = INTERVIEW.replace("A: No. The pier was unsafe", "A: No. An engineer told me the pier was unsafe")
    report = analyze(text)
    (keller,) = [s.id for s in report.sources if "Keller" in s.name]
    (answer,) = [c for c in report.claims if "An engineer told me" in c.span.text]
    assert answer.source_ids == (keller,)


TRANSCRIPT = (
    "Governor Mary Hale spoke to CNN on Sunday.\n\n"
    "Partial transcript as follows:\n\n"
    "JOHN BRANDT: The mayor said on Friday that the budget is broken. Is it?\n\n"
    "HALE: No. The budget is balanced and the reserves are full.\n\n"
    "We will cut no school.\n\n"
    "(END VIDEO CLIP.)\n\n"
    "The state's auditor has not yet reviewed the figures.\n\n"
    "UPDATE: The interview aired again on Monday.\n"
)


def test_a_transcripts_turns_cite_their_speakers() -> None:
    report = analyze(TRANSCRIPT)
    name = {s.id: s.name for s in report.sources}
    kind = {s.id: s.type for s in report.sources}
    by_text = {c.span.text: c for c in report.claims}

    def cited(start: str) -> list[str]:
        (c,) = [c for t, c in by_text.items() if t.startswith(start)]
        return [name[s] for s in c.source_ids]

    # The interviewer's turn is his, not the mayor's he relays.
    assert cited("JOHN BRANDT: The mayor said") == ["JOHN BRANDT"]
    # "HALE" is the governor named in the first line, typed as her, not as an acronym.
    assert cited("HALE: No.") == ["Governor Mary Hale"]
    assert {kind[s.id] for s in report.sources if s.name == "Governor Mary Hale"} == {"named_official"}
    # Her turn runs on over the next paragraph and ends at the stage direction.
    assert cited("We will cut no school.") == ["Governor Mary Hale"]
    assert cited("The state's auditor") == []
    # A kicker label names no one.
    assert cited("UPDATE: The interview aired") == []
