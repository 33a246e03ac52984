"""Who backs a claim besides its own sentence's source, and how many independent voices it cites:
the corroboration features a careful editor reads off the article's structure."""

from __future__ import annotations

import pytest

from scorer.pipeline import default_pipeline

from .conftest import claim


@pytest.mark.parametrize(("text", "voices"), [
    # Two sources under one cue: two independent voices (LABELLING.md's corroborated).
    ("The bridge will close in May, according to Mayor John Roe and a city engineer.", 2),
    ("Senator Jane Doe and Mayor John Roe said the bridge will close in May.", 2),
    # Sources under different cues of one sentence: a relay and a questioner are one origin.
    ("Mayor John Roe said the bridge will close in May, according to the Daily Ledger.", 1),
    ("Asked by a reporter about the bridge, Mayor John Roe said it will close in May.", 1),
])
def test_independent_voices_count_sources_side_by_side_under_one_cue(text: str, voices: int) -> None:
    pipeline = default_pipeline()
    report = pipeline.analyze(text)
    (only,) = report.claims
    assert pipeline.independent_voices(only.attributions) == voices


POLL_STORY = (
    "A new Harbor Research poll found that 48 percent of voters back the levy. "
    "Support among renters rose by 9 points since May. "
    "The council will vote on the levy in June.")


def test_poll_numbers_that_cite_no_one_are_backed_by_the_poll() -> None:
    report = default_pipeline().analyze(POLL_STORY)
    poll = claim(report, "A new Harbor Research poll")
    numbers = claim(report, "Support among renters")
    vote = claim(report, "The council will vote")
    assert poll.source_type == "document"
    assert numbers.source_types == ("unattributed",)
    assert numbers.support_source_ids == poll.source_ids
    assert numbers.verdict == "single_source"
    assert vote.support_source_ids == () and vote.verdict == "unsourced"  # no numbers: not the poll's


def test_election_results_are_not_the_polls_numbers() -> None:
    story = POLL_STORY + (" In 2012, the levy won by 6 points."
                          " Its rival finished with 31 percent of the vote."
                          " A hypothetical matchup earned the levy 52 percent.")
    report = default_pipeline().analyze(story)
    poll = claim(report, "A new Harbor Research poll")
    assert claim(report, "In 2012, the levy won").support_source_ids == ()
    assert claim(report, "Its rival finished").support_source_ids == ()
    # A result-like verb in a sentence that speaks of the poll's own matchups stays the poll's.
    assert claim(report, "A hypothetical matchup").support_source_ids == poll.source_ids


def test_numbers_without_a_cited_poll_stay_unsourced() -> None:
    report = default_pipeline().analyze("Support among renters rose by 9 points since May. "
                                        "The council will vote on the levy in June.")
    assert [c.verdict for c in report.claims] == ["unsourced", "unsourced"]


@pytest.mark.parametrize(("between", "open_"), [
    ("“We won the vote. ", True),
    ("“We won the vote,” she said. ", False),
    ("“We won the vote.\" She left. ", False),  # opened curly, closed straight
    ("''We won the vote. ", True),  # two apostrophes, as some papers print a quotation mark
    ("“We won the vote.\nShe left. ", False),  # a paragraph that opens without a mark ends it
    ("“We won the vote.\n“We will build. ", True),  # a long quotation reopens each paragraph
])
def test_quote_open_after(between: str, open_: bool) -> None:
    from scorer.pipeline import _quote_open_after

    assert _quote_open_after(between) is open_


def test_a_quotation_of_several_sentences_takes_the_speaker_named_after_it() -> None:
    report = default_pipeline().analyze(
        "Roe arrived late on Monday. “We won the vote on the levy. We will build the new bridge,” "
        "Mayor John Roe said. The bridge will open in May.")
    first, inside, closing, after = report.claims
    assert first.source_ids == () and after.source_ids == ()  # outside the quotation
    assert inside.source_ids == closing.source_ids != ()
    assert any(a.rule_id == "attr.quote_continuation" for a in inside.attributions)


@pytest.mark.parametrize(("text", "source"), [
    ("Senator Jane Doe criticized the bill as wasteful on Tuesday.", "Senator Jane Doe"),
    ("A new Harbor Research poll shows the levy with a narrow lead.", "A new Harbor Research poll"),
    # Acts done in words that are no verb of saying (rules/attribution.yaml act_citing_verbs).
    ("On Thursday, Senator Jane Doe chastised the mayor for the delay.", "Senator Jane Doe"),
    ("Mayor Jim Roe knocked a statement by the actor George Lane.", "Mayor Jim Roe"),
    # Not an act of saying or showing, a habit summed up by the author, a negated act.
    ("Mayor John Roe bought the land in 2012.", None),
    ("Senator Jane Doe has consistently criticized the bill.", None),
    ("Senator Jane Doe did not criticize the bill on Tuesday.", None),
])
def test_a_sentence_citing_no_one_cites_the_subject_of_its_speech_act(text: str, source: str | None) -> None:
    (only,) = default_pipeline().analyze(text).claims
    acts = [a for a in only.attributions if a.rule_id == "attr.act_subject"]
    if source is None:
        assert not acts and only.source_ids == ()
    else:
        assert [a.source.text for a in acts if a.source] == [source]
        assert only.source_ids == (acts[0].source_id,)


def test_a_straight_quotation_closed_in_a_later_sentence_does_not_run_into_the_next_paragraph() -> None:
    # Read from the second sentence alone, the straight mark that closes the quotation looks like
    # one that opens it; the quotation state is read from the paragraph's start.
    report = default_pipeline().analyze(
        'Dr. Jane Ward stated:\n\n"The department is not about justice anymore. It is about '
        'the extreme vision of its leaders."\n\nThe bill took effect in March.')
    opening, closing, after = report.claims
    assert opening.source_ids != () and closing.source_ids == opening.source_ids
    assert after.source_ids == ()


def test_a_quotation_reopened_after_its_speaker_tag_keeps_the_speaker() -> None:
    report = default_pipeline().analyze(
        "“We won the vote on the levy,” Mayor John Roe said on Monday. “We will build the new bridge. "
        "It will open in May.”\nThe council meets again in June.")
    tagged, reopened, closing, after = report.claims
    assert tagged.source_ids != ()
    assert reopened.source_ids == closing.source_ids == tagged.source_ids
    assert reopened.attributions[0].rule_id == "attr.quote_continuation"
    assert after.source_ids == ()  # a new paragraph that opens without a quotation mark
