"""Attribution, table-driven: sentence, expected source text, expected cue text.

Cue spans follow PolNeAR's convention (the corpus the finder is measured on): auxiliaries and adverbs
between the subject and the verb belong to the cue ("has repeatedly argued"; 2,079 of the train
split's cues start with an auxiliary), and so does a colon right after the verb ("wrote:"; 368
cues include it, 18 leave it out). A passive cue is the verb group ("were reported" by X).
"""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scorer.attribution import AttributionFinder

CASES = [
    # subject + cue verb before the content
    ("The minister said the talks had ended.", "The minister", "said"),
    ("Smith said that the plan would fail.", "Smith", "said"),
    ("Senator Jane Doe told reporters that the bill was dead.", "Senator Jane Doe", "told"),
    ("The Kremlin said it had no plans to attend.", "The Kremlin", "said"),
    ("Officials familiar with the talks said a deal was close.", "Officials familiar with the talks", "said"),
    ("He has repeatedly argued that taxes are too high.", "He", "has repeatedly argued"),
    ("She stated that the proposal aims to help.", "She", "stated"),
    ("A diplomatic source revealed that the proposal was new.", "A diplomatic source", "revealed"),
    ("Another source corroborated that guarantees were discussed.", "Another source", "corroborated"),
    ("The second source revealed that Zelensky wants a summit.", "The second source", "revealed"),
    ("Trump has consistently claimed that the election is rigged.", "Trump", "has consistently claimed"),
    ("The White House confirmed that the meeting took place.", "The White House", "confirmed"),
    ("The report found that wages rose by 3 percent.", "The report", "found"),
    ("A new poll shows that Clinton leads in Ohio.", "A new poll", "shows"),
    # Two conjoined names are one source (as PolNeAR marks them); a name after a verb is not.
    ("Jane Doe and House Speaker John Roe pledged to work together.", "Jane Doe and House Speaker John Roe",
     "pledged"),
    ("Both Smith and the party have long argued that taxes are too high.", "Both Smith and the party",
     "have long argued"),
    ("Democrats warned that the vote could be delayed.", "Democrats", "warned"),
    ("Campaign manager Robby Mook insisted that the numbers were strong.", "Campaign manager Robby Mook",
     "insisted"),
    ("They believe that the economy will recover.", "They", "believe"),
    ("The company announced that it would cut 500 jobs.", "The company", "announced"),
    ("Critics argue that the law is unconstitutional.", "Critics", "argue"),
    ("Aides said the president was furious.", "Aides", "said"),
    # appositions keep the description inside the source span, as PolNeAR marks it
    ("Jane Doe, a professor at Yale, said the data were flawed.", "Jane Doe, a professor at Yale,", "said"),
    ("Meloni, participating in the call, confirmed that Trump introduced the idea.",
     "Meloni, participating in the call,", "confirmed"),
    ("Steven Cheung, a campaign spokesman, said the ad was false.", "Steven Cheung, a campaign spokesman,",
     "said"),
    # trailing attributions
    ("The talks will resume on Monday, the minister said.", "the minister", "said"),
    ("“We will win,” he said.", "he", "said"),
    ("“The vote is over,” said John Smith.", "John Smith", "said"),
    ("The plan is dead, said Jane Roe, a senior aide.", "Jane Roe, a senior aide", "said"),
    ("The proposal emerged during a call on Saturday, reports 24brussels.", "24brussels", "reports"),
    ("“It is a disgrace,” Clinton told supporters.", "Clinton", "told"),
    ("Turnout was low, officials said.", "officials", "said"),
    ("The economy grew, the ministry added.", "the ministry", "added"),
    # according to / as announced by
    ("The deal is off, according to Reuters.", "Reuters", "according to"),
    ("According to the police, two people were hurt.", "the police", "According to"),
    ("The guarantee is new, according to a diplomatic source.", "a diplomatic source", "according to"),
    ("A call will occur on Sunday, as announced by the French presidency.", "the French presidency",
     "announced"),
    # PolNeAR's passive cues hold their auxiliary ("was accused of", "were rated"), and so do the models'.
    ("The figures were reported by the Associated Press.", "the Associated Press", "were reported"),
    # colon-introduced quotes
    ("The senator wrote: “This bill will pass.”", "The senator", "wrote:"),
    ("Obama added: “We are not done.”", "Obama", "added:"),
    # beliefs and intentions need content after the cue
    ("Voters want to see change in Washington.", "Voters", "want"),
    ("Sanders thinks that the system is rigged.", "Sanders", "thinks"),
    ("The governor hopes to sign the bill next week.", "The governor", "hopes"),
    ("Analysts expect that rates will rise.", "Analysts", "expect"),
    # A conjoined subject is one source; after an object's "and" a new subject starts (the
    # conjunct features of the source model).
    ("Teachers and union officials told the board that the plan would fail.", "Teachers and union officials",
     "told"),
    ("The senator and his allies intend to block the bill.", "The senator and his allies", "intend"),
    ("Trump attacked Clinton and his aides said the debate was rigged.", "his aides", "said"),
    # Asides and phrases of the medium between a source and its cue are neither.
    ("Forbes, however, says the figure is wrong.", "Forbes", "says"),
    ("Cement makers, for instance, argue that the tax is unfair.", "Cement makers", "argue"),
    ("Jane Roe, in a brief interview on Saturday, said the deal was bad.", "Jane Roe", "said"),
    ("Mayor John Doe in a telephone interview said the strike was over.", "Mayor John Doe", "said"),
    ("A footnote in the report says the tax is due.", "A footnote in the report", "says"),
    # A participle after a comma takes its clause's subject; what follows it is its content.
    ("Trump filed his statement with the commission, saying it set a new benchmark.", "Trump", "saying"),
    ("Mr. Trump called the plan a disgrace, blaming Michael Bloomberg for it.", "Mr. Trump", "blaming"),
    # A source that starts with a number holds all of it (the tokenizer splits "1,409" at its comma).
    ("Of those polled, 1,409 teachers said the law failed.", "1,409 teachers", "said"),
    # A verb clitic opens the cue, as PolNeAR marks it: source "They", cue "’ve suggested".
    ("They’ve suggested that the deal is dead.", "They", "’ve suggested"),
]


@pytest.fixture(scope="module")
def finder() -> AttributionFinder:
    return AttributionFinder()


@pytest.mark.parametrize(("sentence", "source", "cue"), CASES)
def test_attribution_table(finder: AttributionFinder, sentence: str, source: str, cue: str) -> None:
    found = finder.find(sentence, 0, len(sentence))
    pairs = [(a.source.text if a.source else None, a.cue.text) for a in found]
    assert (source, cue) in pairs, pairs
    for a in found:
        assert sentence[a.cue.start:a.cue.end] == a.cue.text
        if a.source:
            assert sentence[a.source.start:a.source.end] == a.source.text
            assert not a.source.text[0].isspace() and not a.source.text[-1].isspace()


def test_according_to_lists_keep_every_source(finder: AttributionFinder) -> None:
    text = ("The US has proposed guarantees, according to Italy’s Prime Minister Giorgia Meloni and a "
            "diplomatic source.")
    # Only the sources of "according to": PolNeAR also counts "The US has proposed" as an
    # attribution of its own (an act, class `act`, which cites nobody for the claim).
    found = finder.find(text, 0, len(text))
    sources = [a.source.text for a in found if a.source and a.cue.text == "according to"]
    assert sources == ["Italy’s Prime Minister Giorgia Meloni", "a diplomatic source"]
    assert all(a.cue_class == "act" for a in found if a.cue.text != "according to")


def test_according_to_names_its_phrase_below_the_source_threshold(finder: AttributionFinder) -> None:
    # The source model scores this long title-and-name phrase below its threshold (it found no
    # source here before); "according to X" always names X, so its best phrase after the cue stands.
    text = ("According to conservative talk radio host Rush Limbaugh, the move reeks of “fear” and "
            "desperation.")
    found = finder.find(text, 0, len(text))
    assert [(a.source.text if a.source else None, a.cue.text) for a in found] == [
        ("conservative talk radio host Rush Limbaugh", "According to")]
    # Below the threshold the phrase stops at its first comma, where the content starts; an "and"
    # inside a body's name joins no two sources, the one between the complaints does.
    text = ("According to a 52-count civil complaint filed by the federal Securities and Exchange "
            "Commission and a 15-count complaint by Vermont, the men misused money.")
    found = finder.find(text, 0, len(text))
    assert [a.source.text for a in found if a.source] == [
        "a 52-count civil complaint filed by the federal Securities and Exchange Commission",
        "a 15-count complaint by Vermont"]


@pytest.mark.parametrize(("text", "sources"), [
    ("It was fined, according to the Securities and Exchange Commission and a diplomatic source.",
     ["the Securities and Exchange Commission", "a diplomatic source"]),
    ("The drug was approved, according to the Food and Drug Administration.",
     ["the Food and Drug Administration"]),
    ("The plan was dropped, according to Meloni and Zelensky.", ["Meloni", "Zelensky"]),
])
def test_an_and_inside_a_body_name_joins_no_sources(finder: AttributionFinder, text: str,
                                                    sources: list[str]) -> None:
    found = finder.find(text, 0, len(text))
    assert [a.source.text for a in found if a.source and a.cue.text == "according to"] == sources


@pytest.mark.parametrize("sentence", [
    "The aforementioned call, which lasted an hour, ended at noon.",
    "He knows the area well.",
    "The plan announced Monday was later withdrawn.",
])
def test_no_attribution(finder: AttributionFinder, sentence: str) -> None:
    found = finder.find(sentence, 0, len(sentence))
    assert found == [], [(a.source.text if a.source else None, a.cue.text) for a in found]


def test_hearsay_adverb_is_a_cue_without_a_source(finder: AttributionFinder) -> None:
    """PolNeAR marks "reportedly" / "purportedly" as a cue of its own with no source: nobody is cited.
    (An act such as "The proposal included" may carry a subject; it cites no one.)"""
    for sentence, adverb, cited in (
        ("The proposal included a non-NATO Article 5 type guarantee, purportedly agreed upon.", "purportedly",
         []),
        ("Sources say the talks reportedly collapsed on Monday.", "reportedly", [("Sources", "say")]),
    ):
        found = finder.find(sentence, 0, len(sentence))
        pairs = [(a.source.text if a.source else None, a.cue.text, a.cue_class) for a in found]
        assert (None, adverb) in [(s, c) for s, c, _ in pairs], pairs
        assert not any(adverb in c and s is not None for s, c, _ in pairs), pairs
        assert [(s, c) for s, c, cls in pairs if s is not None and cls != "act"] == cited, pairs


def test_rules_alone_keep_their_own_cue_convention() -> None:
    """The rules, used as voters by the models, still cut the bare verb."""
    rules_only = AttributionFinder(use_models=False)
    text = "He has repeatedly argued that taxes are too high."
    assert [(a.source.text if a.source else None, a.cue.text)
            for a in rules_only.find(text, 0, len(text))] == [("He", "argued")]


def test_lead_in_line_names_the_speaker_of_the_quote_below() -> None:
    """"Cruz continued:" is no claim, but it says who speaks in the quotation that follows it; the
    cue keeps its colon, as PolNeAR marks such cues."""
    from scorer import analyze

    text = ("The senator spoke after the debate in Boulder.\n\nCruz continued:\n\n"
            "“The moderators have no intention of voting in a Republican primary.”\n")
    report = analyze(text)
    quote = next(c for c in report.claims if "moderators" in c.span.text)
    cited = [(a.source.text, a.cue.text) for a in quote.attributions if a.source and a.cue]
    assert cited[:1] == [("Cruz", "continued:")]
    assert quote.source_type != "unattributed"
    # A lead-in that is a full sentence is a claim of its own, and still names the quote's speaker.
    long = analyze("Sanders pointed out that veterans' issues were largely ignored in the debate:\n\n"
                   "“We made promises to our veterans and we have to keep them.”\n")
    assert [c.span.text[:7] for c in long.claims] == ["Sanders", "“We mad"]
    assert long.claims[1].source_ids == long.claims[0].source_ids != ()
    # A heading that ends in a colon and cites no one lends nothing.
    plain = analyze("Partial transcript as follows:\n\n“The moderators have no intention of voting.”\n")
    assert all(a.source is None for c in plain.claims for a in c.attributions)


def test_a_title_case_headline_is_read_as_running_text() -> None:
    """"Trump Files Largest Financial Statement" has its cue found as "Trump files ..." would; the
    spans point into the headline as written."""
    from scorer import analyze

    text = ("Donald Trump Says The Battle Against Hillary Will Be Unprecedented\n"
            "The candidate spoke to reporters in Ohio on Tuesday about the coming campaign.")
    cited = [(a.source.text if a.source else None, a.cue.text) for a in analyze(text).other_attributions]
    assert cited == [("Donald Trump", "Says")]


def test_sentences_that_are_no_claims_still_report_who_they_cite() -> None:
    """A question's speech tag and a headline are no claims, but they cite someone: the report lists
    them apart, unscored, and leaves the claims as they were. A colon cites only before a quotation:
    a line label ("Q:") or a crosshead ("Rubio: Finish second.") cites no one."""
    from scorer import analyze

    claims_only = ("Senators met on Tuesday to discuss the state budget for next year.\n"
                   "The vote is set for Friday, officials said.")
    text = ("Campaign for Trump says he will recast his image;\n"
            "Senators met on Tuesday to discuss the state budget for next year.\n"
            "“Why would we cut the money for schools?” Borger asked.\n"
            "Q: Is he conservative?\n"
            "Rubio: Finish second.\n"
            "Trump: ‘We are going to win so much’\n"
            "The vote is set for Friday, officials said.")
    report = analyze(text)
    assert [(a.source.text if a.source else None, a.cue.text, a.sentence.text)
            for a in report.other_attributions] == [
        ("Campaign for Trump", "says", "Campaign for Trump says he will recast his image;"),
        ("Borger", "asked", "Borger asked."),
        ("Trump", ":", "Trump: ‘We are going to win so much’"),
    ]
    assert [c.span.text for c in report.claims] == [c.span.text for c in analyze(claims_only).claims]
    assert [c.source_types for c in report.claims] == [("unattributed",), ("unnamed_source",)]


def test_a_run_on_sentence_is_quoted_around_each_cue_not_whole_for_each() -> None:
    """Each attribution outside the claims carries its sentence: a 50,000-character question with
    1,400 cues made a 72 MB report. A sentence over OTHER_SENTENCE_CHARS is quoted around the cue."""
    import json

    from scorer import analyze
    from scorer.pipeline import OTHER_SENTENCE_CHARS

    text = "Why did " + ", and why did ".join(
        f"Smith{i} tell reporters that Jones{i} said the plan was fine" for i in range(700)) + "?"
    report = analyze(text)
    assert len(report.other_attributions) > 1000
    for a in report.other_attributions:
        assert a.sentence.end - a.sentence.start <= OTHER_SENTENCE_CHARS
        assert a.sentence.start <= a.cue.start and a.cue.end <= a.sentence.end
        assert a.sentence.text == text[a.sentence.start:a.sentence.end] == a.sentence.text.strip()
    assert len(json.dumps(report.to_dict())) < 3_000_000
    short = analyze("Borger asked. " + text[:300] + "?").other_attributions[0]
    assert short.sentence.text == "Borger asked."  # a sentence of ordinary length is quoted whole


@pytest.mark.parametrize(("headline", "cited"), [
    ("Warren: Tariff Plan Would ‘Crush’ Small Farms", [("Warren", ":")]),
    ("Defense Secretary Ash Carter: No Ground Troops In Syria", [("Defense Secretary Ash Carter", ":")]),
    ("Poll: Voters Split On New Stadium Tax", [("Poll", ":")]),
    ("Breaking: Storm Closes Schools Across The State", []),  # a kicker names no one
    ("The Latest: Storm Closes Schools Across The State", []),  # nor does a determiner phrase
    ("Big Win For Farmers: Senate Passes The Bill", []),  # nor a headline phrase ("For")
])
def test_a_headline_label_before_its_colon_is_cited(headline: str, cited: list[tuple[str, str]]) -> None:
    """The article's first line, "Label: ...", cites the label, as PolNeAR marks headlines; the
    same shape in the body is a crosshead and cites no one (the test above)."""
    from scorer import analyze

    text = headline + "\n\nThe county board met on Tuesday to discuss the budget for next year.\n"
    report = analyze(text)
    assert [(a.source.text if a.source else None, a.cue.text) for a in report.other_attributions
            if a.rule_id == "attr.headline_label"] == cited
    assert all(a.sentence.text.startswith(headline[:10]) for a in report.other_attributions)


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Clinton was asked whether she would release the transcripts.", [(None, "was asked")]),
    ("The agreement is expected to pass the Senate next week.", [(None, "is expected")]),
    ("Mr. Trump was accused of lying about the donations.", [(None, "was accused of lying about")]),
    # "by X" names who did it, and an active cue keeps its subject.
    ("The report was released by the Pentagon on Friday.", [("the Pentagon", "was released")]),
    ("The senator said the vote was delayed.", [("The senator", "said")]),
])
def test_a_passive_cue_subject_is_not_its_source(finder: AttributionFinder, sentence: str,
                                                 expected: list[tuple[str | None, str]]) -> None:
    found = finder.find(sentence, 0, len(sentence))
    assert [(a.source.text if a.source else None, a.cue.text) for a in found] == expected


def test_only_hearsay_adverbs_that_cite_stand_as_cues(finder: AttributionFinder) -> None:
    """"reportedly" cites someone unnamed; "apparently" and "allegedly" are the author's hedge
    (rules/attribution.yaml `hearsay_cues`, counted on PolNeAR train)."""
    for sentence, cue in (("The talks reportedly collapsed on Monday.", "reportedly"),
                          ("The talks apparently collapsed on Monday.", None),
                          ("The senator allegedly took the money.", None)):
        found = [a.cue.text for a in finder.find(sentence, 0, len(sentence))]
        assert found == ([cue] if cue else []), found


def _trimmed_source_and_head(text: str, source: str) -> tuple[str, str]:
    """The source and head text left after the finder's trim of `source` (its first occurrence in
    `text`), with the next word as its cue."""
    from scorer.attribution import Attribution
    from scorer.spans import make_span

    finder = AttributionFinder(use_models=False)
    at = text.index(source)
    span = make_span(text, at, at + len(source))
    cue = make_span(text, at + len(source) + 1, text.index(" ", at + len(source) + 1))
    assert span is not None and cue is not None
    [found] = finder._trimmed_sources(text, [Attribution(cue, span, span, "speech", "test")])
    assert found.source is not None and found.head is not None
    assert text[found.source.start:found.source.end] == found.source.text
    return found.source.text, found.head.text


@pytest.mark.parametrize(("text", "source", "trimmed"), [
    ("They’re saying the deal is dead.", "They’re", "They"),
    ("I've argued that for years.", "I've", "I"),
    ("That’s what she said.", "That’s", "That"),
    # A name's "’s" is mostly a possessive: it stays.
    ("Trump’s claim was false.", "Trump’s", "Trump’s"),
])
def test_a_source_ends_before_a_verb_clitic(text: str, source: str, trimmed: str) -> None:
    assert _trimmed_source_and_head(text, source) == (trimmed, trimmed)


@pytest.mark.parametrize(("text", "source", "trimmed"), [
    ("Forbes, however, says it.", "Forbes, however,", "Forbes"),
    ("The senators, for their part, said it.", "The senators, for their part,", "The senators"),
    ("Murphy, though said it.", "Murphy, though", "Murphy"),
    ("Ryan in a statement said it.", "Ryan in a statement", "Ryan"),
    ("Jane Roe, during a news conference, said it.", "Jane Roe, during a news conference,", "Jane Roe"),
    # Not an aside or a name's phrase of the medium: the source stands whole.
    ("All who, however hard, try said it.", "All who, however hard, try", "All who, however hard, try"),
    ("A footnote in the report said it.", "A footnote in the report", "A footnote in the report"),
    ("The speech in the statement said it.", "The speech in the statement", "The speech in the statement"),
])
def test_a_source_stops_before_an_aside_or_a_medium(text: str, source: str, trimmed: str) -> None:
    assert _trimmed_source_and_head(text, source) == (trimmed, trimmed)


@pytest.mark.parametrize(("text", "source", "trimmed"), [
    # A closing comma stays only where it closes an apposition.
    ("Mr. Manafort, referring to it.", "Mr. Manafort,", "Mr. Manafort"),
    ("Peter Rice, chairman of Fox, said it.", "Peter Rice, chairman of Fox,", "Peter Rice, chairman of Fox,"),
])
def test_a_source_keeps_its_closing_comma_only_after_an_apposition(text: str, source: str,
                                                                   trimmed: str) -> None:
    assert _trimmed_source_and_head(text, source) == (trimmed, trimmed)


@pytest.mark.parametrize(("text", "word", "source"), [
    # A word that floats after its subject gives way to the pronoun before it.
    ("China and the United States, which together vowed to act.", "together", "which"),
    ("Ankara and Tehran, which both oppose it.", "both", "which"),
    ("The two men, who all said so.", "all", "who"),
    # Standing first, or after a noun, it is what the finder found.
    ("Both want it.", "Both", "Both"),
    ("The senators both said so.", "both", "both"),
])
def test_a_floating_quantifier_gives_way_to_the_pronoun_it_follows(text: str, word: str, source: str) -> None:
    assert _trimmed_source_and_head(text, word) == (source, source)


def test_a_source_after_its_cue_holds_its_apposition_comma_not_its_medium() -> None:
    from scorer.attribution import Attribution
    from scorer.spans import make_span

    finder = AttributionFinder(use_models=False)
    for text, source, held in [
        ("It is over, said Matt Borges, chairman of the party, on Thursday.",
         "Matt Borges, chairman of the party", "Matt Borges, chairman of the party,"),
        ("It is over, said Borges, on Thursday.", "Borges", "Borges"),
        # A phrase of the medium is left out on this side too; an aside stays (below).
        ("It is over, said House Speaker Paul Ryan in a statement.",
         "House Speaker Paul Ryan in a statement", "House Speaker Paul Ryan"),
    ]:
        at = text.index(source)
        cue, span = make_span(text, at - 5, at - 1), make_span(text, at, at + len(source))
        assert cue is not None and cue.text == "said" and span is not None
        [found] = finder._trimmed_sources(text, [Attribution(cue, span, span, "speech", "test")])
        assert found.source is not None and found.source.text == held


def test_a_source_after_its_cue_keeps_its_aside() -> None:
    # Only sources before the cue are trimmed: that is where PolNeAR train shows the pattern.
    from scorer.attribution import Attribution
    from scorer.spans import make_span

    text = "The plan is dead, said Forbes, however."
    cue, source = make_span(text, 18, 22), make_span(text, 23, 38)
    assert cue is not None and source is not None and source.text == "Forbes, however"
    finder = AttributionFinder(use_models=False)
    [kept] = finder._trimmed_sources(text, [Attribution(cue, source, source, "speech", "test")])
    assert kept.source == source


@pytest.mark.parametrize(("sentence", "verdict"), [
    # A verb the lexicons do not know reports speech when it frames a direct quotation...
    ('Mayor Ed Lee shot back, "Nobody asked the council about the budget."', "single_source"),
    ("“We will rebuild the bridge by spring,” Cuomo interjected.", "single_source"),
    ("The senator went further: “The agency has lost the trust of farmers.”", "single_source"),
    # ... but a quoted phrase right after it is an object or a scare quote, not speech.
    ('Outside the hall the marchers chanted "no more wars" for an hour.', "unsourced"),
])
def test_unknown_verb_framing_a_direct_quotation_cites(sentence: str, verdict: str) -> None:
    from scorer import analyze

    (only,) = analyze(sentence).claims
    assert only.verdict == verdict, [(a.cue, a.source, a.cited) for a in only.attributions]


def test_irregular_verbs_keep_a_listed_past_that_looks_regular() -> None:
    from scorer.attribution import verb_forms

    lists = {"irregular": ["say:said:said", "show:showed:shown", "hear:heard:heard"],
             "verbs": ["say", "show", "hear", "note"]}
    forms = verb_forms(lists, [("speech", "verbs")])
    assert {"said", "showed", "shown", "heard", "noted", "notes"} <= set(forms)
    assert "sayed" not in forms and "shew" not in forms


def test_a_negated_auxiliary_is_nobodys_name() -> None:
    """"Don't ask that.": an imperative names no speaker, and "Don't" is no "Don"."""
    from scorer import analyze

    report = analyze("Mayor speaks.\n\nThe mayor spoke at noon.\n\nDon't ask that, she told the crowd.\n\n"
                     "Don't ask that.\n")
    (last,) = [c for c in report.claims if c.span.text == "Don't ask that."]
    assert last.source_ids == ()
    assert all(s.name not in {"Don't", "Don"} for s in report.sources)


def test_a_time_adjunct_after_the_cue_is_no_source() -> None:
    """"..., the city's spokesman, Tom Reed, said on Tuesday.": "on Tuesday" says when, not who."""
    from scorer.attribution import AttributionFinder

    text = '"The bridge will reopen in May," the city\'s spokesman, Tom Reed, said on Tuesday.'
    rules_only = AttributionFinder(use_models=False).find_by_rules(text, 0, len(text))
    assert all(a.source is None or "Tuesday" not in a.source.text for a in rules_only)
    (found,) = AttributionFinder().find_many(text, [(0, len(text))])[0]
    assert found.source is not None and "Tom Reed" in found.source.text


def test_a_dash_after_a_quotation_credits_it() -> None:
    """A quote collection's credit line ("...” ― Jane Doe") and a "- Doe." paragraph under a quoted
    statement cite the name after the dash; a free hyphen in running text, a hyphenated word and the
    credit line of an embedded post cite no one by the dash."""
    from scorer import analyze

    text = ("“The plan will not pass the Senate. It never had the votes.” ― Maria Lopez\n"
            "“I was not surprised.”― Edwin G. Monroy.\n\n"
            "\"We will release the records next week.\"\n\n- Sanders.\n\n"
            "The vote was 52-48 - Republicans held firm on the Clinton-Kaine ticket.\n"
            "Read the full text here — Jane Doe (@janedoe) July 5, 2016\n")
    report = analyze(text)
    credits = sorted((a.source.text, a.cue.text) for c in report.claims for a in c.attributions
                     if a.rule_id == "attr.dash_credit" and a.source)
    credits += sorted((a.source.text, a.cue.text) for a in report.other_attributions
                      if a.rule_id == "attr.dash_credit" and a.source)
    assert credits == [("Edwin G. Monroy", "―"), ("Maria Lopez", "―"), ("Sanders", "-")]
    # Every sentence of the credited quotation is the credited person's.
    first_quote = [c for c in report.claims if c.span.start < text.index("Maria")]
    assert [report.source(c.source_ids[0]).name for c in first_quote] == ["Maria Lopez", "Maria Lopez"]


@pytest.mark.parametrize(("sentence", "poll"), [
    ("In a national CNN/ORC poll released Monday, 31 percent of Republicans backed the senator.",
     "a national CNN/ORC poll released Monday"),
    ("In the latest Quinnipiac poll, conducted in May, the governor led by six points.",
     "the latest Quinnipiac poll, conducted in May,"),
    ("In the poll, her support has risen steadily over the past month.", "the poll"),
    # A poll inside another phrase is no poll the sentence opens with.
    ("In a memo released as polls closed Tuesday, the campaign manager declared victory.", None),
])
def test_a_sentence_that_opens_with_a_poll_cites_it(finder: AttributionFinder, sentence: str,
                                                    poll: str | None) -> None:
    found = finder.find_many(sentence, [(0, len(sentence))])[0]
    cited = [a.source.text for a in found if a.rule_id == "attr.in_poll" and a.source]
    assert cited == ([poll] if poll else [])


@pytest.mark.parametrize(("text", "source", "inner", "held"), [
    # A source ends before another cue of its sentence: the speaker, not what the speaker does.
    ("Glenn Beck doubled down on his rhetoric to encourage voters to turn away.",
     "Glenn Beck doubled down on his rhetoric", "doubled down on", "Glenn Beck"),
    ("Ms. Acosta, referring to the law, said it was over.",
     "Ms. Acosta, referring to the law", "referring to", "Ms. Acosta"),
    # A relative clause stays whole, its verb included, as PolNeAR marks it.
    ("Chris Christie, who endorsed him last week, said it was over.",
     "Chris Christie, who endorsed him last week,", "endorsed",
     "Chris Christie, who endorsed him last week,"),
    # A cue outside the source changes nothing.
    ("Jane Roe said it and added more.", "Jane Roe", "added", "Jane Roe"),
])
def test_a_source_holds_no_other_cue_of_its_sentence(text: str, source: str, inner: str, held: str) -> None:
    from scorer.attribution import Attribution
    from scorer.spans import make_span

    finder = AttributionFinder(use_models=False)
    verb = "said" if "said" in text else "to encourage"
    at, cue_at, inner_at = text.index(source), text.index(verb), text.index(inner)
    span, cue = make_span(text, at, at + len(source)), make_span(text, cue_at, cue_at + len(verb))
    other = make_span(text, inner_at, inner_at + len(inner))
    assert span is not None and cue is not None and other is not None
    found = finder._trimmed_sources(text, [Attribution(cue, span, span, "speech", "test"),
                                           Attribution(other, None, None, "speech", "test")])
    assert found[0].source is not None and found[0].source.text == held
    assert found[0].head is not None and found[0].head.text == held


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab ,", min_size=0, max_size=400), st.integers(min_value=4, max_value=60))
def test_a_run_on_text_is_read_in_windows_that_tile_it(text: str, size: int) -> None:
    from scorer.attribution import _windows

    windows = _windows(text, 0, len(text), size)
    assert windows[0][0] == 0 and windows[-1][1] == len(text)
    assert all(a < b or (a == b == len(text)) for a, b in windows)
    assert all(b1 == a2 for (_, b1), (a2, _) in pairwise(windows))  # no gap, no overlap
    assert all(b - a <= size for a, b in windows)


def test_a_long_run_on_sentence_keeps_the_attributions_of_every_window() -> None:
    from scorer.attribution import MAX_SENTENCE_CHARS, _windows

    finder = AttributionFinder()
    clause = "the mayor of the town said that the road was closed, and "
    text = clause * (3 * MAX_SENTENCE_CHARS // len(clause)) + "it stayed closed."
    assert len(text) > 2 * MAX_SENTENCE_CHARS
    [found] = finder.find_many(text, [(0, len(text))])
    cues = [a.cue.start for a in found if a.cue.text == "said"]
    assert len(cues) == text.count(" said ")  # every "said", in the first window and the last
    # Only where a window's edge cuts a subject from its verb may a source be cut or missing.
    sources = [a.source.text if a.source else "" for a in found if a.cue.text == "said"]
    edges = len(_windows(text, 0, len(text), MAX_SENTENCE_CHARS)) - 1
    assert sum(s != "the mayor of the town" for s in sources) <= edges
    assert all("the mayor of the town".endswith(s) for s in sources)
