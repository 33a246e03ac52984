"""Contradiction cues and which claim a dispute attaches to (rules/contradictions.yaml, signals.py).

Invented sentences only. The pipeline runs without the contested-claim model, so what is asserted
is the cue links and the stance disputes alone.
"""

from __future__ import annotations

import pytest

from scorer.pipeline import Pipeline, _quotation_runs
from scorer.report import ClaimResult
from scorer.rulebook import ruleset
from scorer.signals import ContradictionFinder, _points_back, stance_disputes
from scorer.spans import Span
from scorer.stance_detection import default_stance_model


@pytest.fixture(scope="module")
def links_only() -> Pipeline:
    return Pipeline(use_contest=False)


def _claims(pipeline: Pipeline, text: str) -> dict[str, ClaimResult]:
    return {c.span.text[:14]: c for c in pipeline.analyze(text).claims}


@pytest.mark.parametrize(("sentence", "rule_id", "label"), [
    ("The governor disagrees with the court’s decision to delay the vote.", "contra.disagrees", "rebuttal"),
    ("The senator fired back that her plan costs less.", "contra.fired_back", "rebuttal"),
    ("This picture of a city in chaos doesn’t really jibe with the crime figures.", "contra.does_not_square",
     "rebuttal"),
    ("Several economists were skeptical of the forecast.", "contra.skeptical_of", "doubt"),
    ("The mayor played down the idea that the deal was done.", "contra.played_down", "denial"),
    ("Her spokesman responded, calling Smith’s charge “absurd.”", "contra.charge_called", "denial"),
    ("The minister later walked back his comments.", "contra.retraction", "retraction"),
    ("He said afterwards that he was only joking.", "contra.retraction", "retraction"),
    ("The panel rejected both objections on Monday.", "contra.rejected_claim", "denial"),
    ("There is no credible basis for the ban.", "contra.no_basis", "doubt"),
    ("That argument is largely a fantasy.", "contra.is_wrong", "denial"),
    ("The suit says he was demoted for his age, a claim the firm strongly denies.", "contra.exchange",
     "exchange"),
    ("She said, without evidence, that the vote was rigged.", "contra.exchange", "exchange"),
    ("The candidate falsely claimed that the plant had closed.", "contra.exchange", "exchange"),
    ("Despite his repeated denials, the records show the payments.", "contra.exchange", "exchange"),
    ("In response to Lee’s charge that she ignored the floods, Park said she had visited twice.",
     "contra.exchange", "exchange"),
])
def test_new_cues_fire_with_their_kind(sentence: str, rule_id: str, label: str) -> None:
    found = {(m.rule_id, m.label) for m in ruleset("contradictions").find_all(sentence, 0, len(sentence))}
    assert (rule_id, label) in found


@pytest.mark.parametrize("sentence", [
    "The company did not respond to a request for comment.",
    "The council hit a new record for attendance.",
    "Officials dismissed the students early because of snow.",
    "He called the meeting to order.",
    # A refusal, a noun and an adjective: the cue words in senses that dispute no claim.
    "The judge said the driver would be denied bail until the trial.",
    "Council members voted to deny Harlow a permit for the tower.",
    "Her appeal for a recount has since been denied.",
    "The airline was denying passengers a refund for the cancelled flight.",
    "Reporters pressed the mayor with questions that he brushed aside.",
    "Rebels said they had shot down a cargo plane near the border.",
    "Tariffs have a distorting effect on prices, the economist said.",
])
def test_no_contradiction_cue_in_ordinary_sentences(sentence: str) -> None:
    assert ruleset("contradictions").find_all(sentence, 0, len(sentence)) == []


@pytest.mark.parametrize(("before_cue", "expected"), [
    ("This ", True), ("“It", True), ("The claims ", True), ("He later said he ", True),
    ("The ministry ", False), ("Obama said ", False),
])
def test_what_points_back(before_cue: str, expected: bool) -> None:
    assert _points_back(before_cue) is expected


def test_a_claim_reported_with_its_dispute_is_contradicted_itself(links_only: Pipeline) -> None:
    claims = _claims(links_only, "The lawsuit alleges that he was fired for his reserve duty, a claim that "
                                 "the office flatly denies.\nThe office employs several reservists.")
    lawsuit, office = claims["The lawsuit al"], claims["The office emp"]
    assert lawsuit.contradicted and lawsuit.contradicted_by == (lawsuit.id,)
    assert not office.contradicted  # its own denial answers the claim it reports, not its neighbour


def test_a_denial_with_no_object_disputes_the_claim_before_it_both_ways(links_only: Pipeline) -> None:
    claims = _claims(links_only, "City officials said the bridge would reopen in May.\n"
                                 "“That is simply false,” the mayor said.")
    report, denial = claims["City officials"], claims["“That is simpl"]
    assert report.contradicted and report.contradicted_by == (denial.id,)
    assert denial.contradicted  # a report and a flat denial by two sources: both sides


def test_an_answer_disputes_the_claim_before_it(links_only: Pipeline) -> None:
    claims = _claims(links_only, "Senator Blake said Governor Ruiz had cut school funding by a third.\n"
                                 "Ruiz fired back that his budget raised teacher pay.")
    charge, answer = claims["Senator Blake "], claims["Ruiz fired bac"]
    assert charge.contradicted and charge.contradicted_by == (answer.id,)
    assert any(c.text == "fired back" for c in answer.contradiction_cues)


def test_a_retraction_disputes_what_was_said_before(links_only: Pipeline) -> None:
    claims = _claims(links_only, "The minister said the fuel tax would double next year.\n"
                                 "He later said he was joking.")
    assert claims["The minister s"].contradicted
    assert not claims["He later said "].contradicted  # a retraction is one-sided


def test_a_cue_naming_the_claim_points_back(links_only: Pipeline) -> None:
    claims = _claims(links_only, "A watchdog group accused Mayor Lee of taking bribes from developers.\n"
                                 "Lee’s office rejected the accusations, calling them a smear.")
    assert claims["A watchdog gro"].contradicted
    assert claims["A watchdog gro"].contradicted_by == (claims["Lee’s office r"].id,)


def test_a_doubt_about_the_subject_before_it_finds_that_subject(links_only: Pipeline) -> None:
    claims = _claims(links_only, "The mayor said crime had doubled across the city this year.\n"
                                 "The budget passed on Tuesday.\n"
                                 "Talk of crime doubling across the city is simply wrong, "
                                 "the police chief said.")
    assert claims["The mayor said"].contradicted
    assert not claims["The budget pas"].contradicted


def test_quotation_runs_group_one_speakers_sentences() -> None:
    text = ("“This is not what we need,” Lee said. “We need more buses. We need trains. We need vans.” "
            "The council met.")
    sentences = ["“This is not what we need,” Lee said.", "“We need more buses.", "We need trains.",
                 "We need vans.”", "The council met."]
    spans = []
    for sentence in sentences:
        start = text.index(sentence)
        spans.append(Span(start, start + len(sentence), sentence))
    runs = _quotation_runs(text, spans)
    assert runs[1] == runs[2] == runs[3]  # one quotation of three sentences, opened once
    assert len({runs[0], runs[1], runs[4]}) == 3


def test_a_definite_claim_denied_is_not_an_exchange() -> None:
    """"The report was denied" answers a report told elsewhere: only an appositive "…, a claim that
    X denies" reports the claim and its dispute in one sentence."""
    sentence = "The report was denied by the ministry on Friday."
    labels = {m.label for m in ruleset("contradictions").find_all(sentence, 0, len(sentence))}
    assert "exchange" not in labels and "denial" in labels


@pytest.mark.parametrize(("sentence", "rule_id"), [
    ("The campaign said Smith mischaracterized her remarks on trade.", "contra.misrepresented"),
    ("The mayor lied about the audit, the council said.", "contra.lied_about"),
    ("Opponents accused the senator of lying.", "contra.lied_about"),
    ("The new figures call into question the ministry’s account.", "contra.called_into_question"),
    ("Analysts questioned the accuracy of the poll.", "contra.called_into_question"),
    ("The news agency could not independently verify the video.", "contra.could_not_verify"),
    ("The group did not provide any evidence for the figure.", "contra.could_not_verify"),
    ("A fact-checker rated the claim “Mostly False.”", "contra.fact_check_rating"),
    ("He overstated the number of jobs the plant created.", "contra.exaggerated"),
    # The dispute senses of words whose refusal, noun or adjective senses cite no dispute (see
    # test_no_contradiction_cue_in_ordinary_sentences).
    ("The mayor has always denied it.", "contra.denied"),
    ("The account was denied by the mayor’s office.", "contra.denied"),
    ("The ministry denied the report on Friday.", "contra.denied"),
    ("The minister shot down the idea of a new tax.", "contra.pushed_back"),
    ("The union said the company distorted its wage figures.", "contra.misrepresented"),
    ("The auditor questions whether the figures add up.", "contra.questioned"),
])
def test_news_dispute_cues(sentence: str, rule_id: str) -> None:
    assert rule_id in {m.rule_id for m in ruleset("contradictions").find_all(sentence, 0, len(sentence))}


def test_being_lied_about_is_no_accusation() -> None:
    sentence = "“I’m not going to get lied about,” she said."
    found = {m.rule_id for m in ruleset("contradictions").find_all(sentence, 0, len(sentence))}
    assert "contra.lied_about" not in found


@pytest.mark.parametrize("sentence", [
    "The company suspended her account; it did not explain why.",
    "The minister did not say how the plan would be paid for.",
    "Critics say the scandal risks undermining his credibility.",
])
def test_no_reason_given_and_harm_done_are_not_disputes(sentence: str) -> None:
    assert ruleset("contradictions").find_all(sentence, 0, len(sentence)) == []


def test_a_fact_check_rating_doubts_one_way(links_only: Pipeline) -> None:
    claims = _claims(links_only, "Senator Ames said the state had lost 40,000 factory jobs.\n"
                                 "PolitiFact rated the claim “Mostly False,” the paper said.")
    assert claims["Senator Ames s"].contradicted
    assert not claims["PolitiFact rat"].contradicted  # the rating carries the doubt, it is not disputed


def test_a_retraction_points_past_the_authors_background(links_only: Pipeline) -> None:
    claims = _claims(links_only, "The governor said the plant would reopen in March.\n"
                                 "The plant employed 900 workers until last year.\n"
                                 "His spokesman later walked back the comments.")
    assert claims["The governor s"].contradicted
    assert not claims["The plant empl"].contradicted


def _one_claim_per_line(lines: list[str]) -> tuple[str, list[Span]]:
    """An article of `lines`, one claim span per line."""
    spans, at = [], 0
    for line in lines:
        spans.append(Span(at, at + len(line), line))
        at += len(line) + 1
    return "\n".join(lines), spans


def test_a_denial_disputes_every_claim_its_scope_covers() -> None:
    lines = ["Senator Ames said the county had closed four rural clinics this spring.",
             "The weather was mild all week.",
             "Ames repeated that four rural clinics had closed this spring.",
             "The county health office denied that any rural clinics had closed this spring."]
    text, spans = _one_claim_per_line(lines)
    finder = ContradictionFinder()
    cues = [finder.cues(text, s.start, s.end) for s in spans]
    disputed = {link.disputed for link in finder.link(text, spans, cues, [True, False, True, True])}
    assert disputed == {0, 2}


@pytest.mark.parametrize(("lines", "disputed"), [
    # Refusing an offer or a request is no dispute of a claim, though a headline's stance reads it so.
    (["The city offered the teachers union a three percent raise for next year.",
      "The teachers union rejected the raise for next year on Tuesday."], False),
    (["A court in Lyon sentenced the driver to prison on Monday, the paper said.",
      "The driver was denied bail by a court in Lyon on Monday."], False),
    # Rejecting a claim is one.
    (["The city said the teachers union had agreed to a three percent raise.",
      "The teachers union rejected claims that it had agreed to a three percent raise."], True),
])
def test_a_stance_denial_counts_in_its_article_sense_only(lines: list[str], disputed: bool) -> None:
    text, spans = _one_claim_per_line(lines)
    finder = ContradictionFinder()
    cues = [finder.cues(text, s.start, s.end) for s in spans]
    model = default_stance_model()
    assert stance_disputes(text, spans, model)  # the headline lexicon alone reads every one as a denial
    found = {(d.disputing, d.disputed) for d in stance_disputes(text, spans, model, article_cues=cues)}
    assert (found == {(1, 0)}) is disputed
