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
        assert found[0].attributions[0].rule_id == "attr.interviewee"
    # The interviewer's statements inside a question cite no one, and take no speaker from the answers.
    question = [c for c in report.claims if "You closed the north pier" in c.span.text]
    assert question and question[0].source_ids == ()


def test_an_article_with_one_question_is_no_interview() -> None:
    text = ("Former Mayor Ann Keller has run the harbour trust since 2012.\n\n"
            "Q: Why does the harbour matter?\n\n"
            "A: Because the town grew up around it.\n")
    report = analyze(text)
    assert all(a.rule_id != "attr.interviewee" for c in report.claims for a in c.attributions)
