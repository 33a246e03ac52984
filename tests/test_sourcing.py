"""Source typing and source identity, table-driven."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scorer.identity import link_sources
from scorer.sourcing import _LEAD_TITLE, SourceTyper, _lead_title
from scorer.spans import Span

from .conftest import claim

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
    # The head noun decides, whatever names stand in front of it.
    ("Gowdy spokesman Jamal Ware", "named_official"),
    ("Judicial Watch president Tom Fitton", "named_official"),
    ("A Twitter spokesman, Christopher Abboud,", "named_official"),
    ("Sam Jacobs, Time’s Assistant Managing Editor,", "named_official"),
    ("Mr. Sanders's aides", "unnamed_source"),
    ("A Clinton campaign official", "unnamed_source"),
    ("a spokesman for the Department of Justice", "unnamed_source"),
    ("The NeverTrump faction", "unnamed_source"),
    ("the Department of Justice", "named_institution"),
    # A membership noun inside a capitalised name names the organisation; a chamber's or a Title
    # Case line's capitals do not.
    ("the Communications Workers of America", "named_institution"),
    ("Concerned Veterans for America", "named_institution"),
    ("the United Auto Workers", "named_institution"),
    ("Senate Democrats", "unnamed_source"),
    ("Senior Pentagon Officials", "unnamed_source"),
    ("the state Division of Gaming Enforcement", "named_institution"),
    ("the Clinton campaign", "named_institution"),
    ("a Suffolk University/Boston Globe Poll released Sunday", "document"),
    ("an online University of Texas/Texas Tribune poll out Thursday", "document"),
    ("The next series of emails", "document"),
    ("Bill Clinton", "named_official"),
    # Poll respondents speak for the poll.
    ("26 percent of Democrats", "document"),
    ("Thirty-one percent of those surveyed", "document"),
    ("those surveyed", "document"),
    ("Nearly half", "document"),
    ("about half of Democratic primary voters", "document"),
    ("Majorities of Republicans in five states", "document"),
    ("half the money", "unnamed_source"),
    # Publications: listed names, mastheads, heads.
    ("the Chicago Sun-Times", "outlet"),
    ("KING-TV", "outlet"),
    ("A German news organization called “The Local”", "outlet"),
    ("The U.S. media", "outlet"),
    # A country or capital speaks for its government.
    ("Moscow", "named_institution"),
    ("the United States", "named_institution"),
    # Former officials and free-standing strategists comment (LABELLING.md guide clarification 12).
    ("former Obama adviser David Axelrod", "named_person"),
    ("Charlie Black, a longtime Republican strategist,", "named_person"),
    ("Geoff Garin, a strategist for Mrs. Clinton,", "named_official"),
    ("Gerry O'Brien, a GOP political consultant,", "named_person"),
    # A gazetteer surname only makes an official of the gazetteer's person.
    ("Megyn Kelly", "named_person"),
    ("Donald J. Trump", "named_official"),
    # A past marker reaches over its whole conjunct; "who is now" starts another.
    ("Pat Reyes, a former top press official in the Obama White House,", "named_person"),
    ("Dana Webb, who served as ambassador to Chile,", "named_person"),
    ("Lee Ortiz, a speechwriter who worked in the Bush White House,", "named_person"),
    ("Sam Ford, a veteran of the Reagan White House,", "named_person"),
    ("Jane Doe, a former senator who is now the mayor of Dayton,", "named_official"),
    # A commentator's role outweighs a post in an organisation, not an office.
    ("Kim Hale, a professor of history at Ohio State and the director of its Policy Center,", "named_person"),
    ("Fox News legal analyst Judge Ann Marsh", "named_person"),
    ("Tom Reed, director of Reed Strategies and an independent political analyst,", "named_person"),
    ("Ruth Lin, a doctoral candidate at Stanford,", "named_person"),
    ("Sen. Carl Dunn, a former law professor,", "named_official"),
    # An aide tied to a principal, and the head of an organisation by verb.
    ("Alan Cruz, a senior aide to Gov. Jane Roe,", "named_official"),
    ("Mia Long, who runs the advocacy group Fair Votes,", "named_official"),
    # A party-and-state tag marks a legislator; local and party offices are offices.
    ("Jane Doe (D-Calif.)", "named_official"),
    ("Tom Ray, R-Wis.,", "named_official"),
    ("former Rep. Tom Ray (R-Wis.)", "named_person"),
    ("Joe Park, an RNC committeeman from Iowa,", "named_official"),
    ("Ann Bell, the city manager,", "named_official"),
    ("Public Advocate Luz Ortiz", "named_official"),
    # An outlet's own reporting is the outlet; a poll it runs stays a document.
    ("the Associated Press report", "outlet"),
    ("a Washington Post analysis", "outlet"),
    ("a CNN poll", "document"),
    ("a Justice Department report", "document"),
    # Organisations in the plural, a candidate's team or camp, a panel: bodies speaking.
    ("technology companies", "named_institution"),
    ("conservative outside groups", "named_institution"),
    ("the Sanders camp", "named_institution"),
    ("his team", "named_institution"),
    ("the advisory panel", "named_institution"),
    ("Priorities USA", "named_institution"),
    ("a group of rabbis", "unnamed_source"),
    ("campaign officials", "unnamed_source"),
    # Words of multi-word titles are no titles after "the" on their own.
    ("the city", "named_institution"),
    ("the defense", "unnamed_source"),
    # "a speaker at the convention" and "a civil rights leader" hold no office; an organizer with a
    # group speaks for it.
    ("Ann Lowe, a speaker at the convention,", "named_person"),
    ("Ann Lowe, a civil rights leader,", "named_person"),
    ("Ann Lowe, an organizer with the Coalition for Fair Pay,", "named_official"),
    ("Ann Lowe, a community organizer,", "named_person"),
    # "for" inside an organisation's name keeps the name whole; "an official at" an agency holds office.
    ("Centers for Disease Control Director Tom Reyes", "named_official"),
    ("Eli Ward, an official at the Tribal Housing Authority,", "named_official"),
    ("Eli Ward, who works as a secretary at a school,", "named_person"),
    # A body speaks through its own statement; "X for Y" names an organisation.
    ("a statement from the Clinton campaign", "named_institution"),
    ("a statement released by the White House", "named_institution"),
    ("the campaign's statement", "named_institution"),
    ("Hillary for America", "named_institution"),
    ("Attorneys for Clinton", "unnamed_source"),
    ("the Smithsonian Institution", "named_institution"),
    # Experts and commentators described by role are unnamed; a name after the role is the person.
    ("a Harvard professor", "unnamed_source"),
    ("a Fox News host", "unnamed_source"),
    ("one Clinton donor", "unnamed_source"),
    ("a GOP pollster", "unnamed_source"),
    ("Clinton's chief pollster and strategist Joel Benenson on Monday", "named_official"),
    ("USA TODAY contributor and monetary historian David Marsh", "named_person"),
    ("aides to Hillary Clinton", "unnamed_source"),
    ("an Associated Press survey of Democratic superdelegates", "document"),
    ("Howard Dean", "named_person"),
    # Two titles of one person joined by "and", the name last: the titles make the official.
    ("Fox News Vice President and Washington Managing Editor Bill Sammon", "named_official"),
]

# Phrases that point back to someone named earlier: typed through their referent in identity.py.
REFERRING = [
    ("he", "m"), ("She", "f"), ("He's", "m"), ("Her comments", "f"),
    ("the Republican presidential candidate", ""), ("the Democratic front-runner", ""),
    ("the former CEO of Hewlett-Packard", ""), ("the Vermont senator", ""), ("the billionaire", ""),
]


@pytest.fixture(scope="module")
def typer_() -> SourceTyper:
    return SourceTyper()


@pytest.mark.parametrize(("phrase", "expected"), TYPES)
def test_source_types(typer_: SourceTyper, phrase: str, expected: str) -> None:
    assert typer_.classify(phrase).type == expected


@pytest.mark.parametrize(("phrase", "gender"), REFERRING)
def test_referring_phrases_wait_for_their_referent(typer_: SourceTyper, phrase: str, gender: str) -> None:
    mt = typer_.classify(phrase)
    assert mt.type == "pronoun"
    assert mt.gender == gender


ARTICLE = ("Gowdy spokesman Jamal Ware said the suit was meritless. Megyn Kelly asked about it. "
           "A Twitter spokesman, Christopher Abboud, said so. Judicial Watch president Tom Fitton agreed. "
           "Sam Jacobs, a lawyer, disagreed. WikiLeaks said nothing.")


def test_article_officials_reads_titles_and_names(typer_: SourceTyper) -> None:
    officials = typer_.article_officials(ARTICLE)
    assert {"ware", "abboud", "fitton"} <= officials
    assert "jacobs" not in officials
    assert "kelly" in officials.others  # the gazetteer's Kelly is someone else here
    assert "judicial watch" in officials.organisations
    assert typer_.classify("Ware", officials=officials).type == "named_official"
    assert typer_.classify("Kelly", officials=officials).type == "named_person"
    assert typer_.classify("Jacobs", officials=officials).type == "named_person"
    assert typer_.classify("Judicial Watch", officials=officials).type == "named_institution"
    # A one-word name the article never gives a first name, written like an organisation's.
    assert typer_.classify("WikiLeaks", officials=officials).type == "named_institution"


def test_article_context_remembers_classifications(typer_: SourceTyper) -> None:
    officials = typer_.article_officials(ARTICLE)
    phrases = ["Ware", "Kelly", "Jacobs", "WikiLeaks", "a Twitter spokesman",
               "Judicial Watch president Tom Fitton"]
    first = [typer_.classify(p, officials=officials) for p in phrases]
    assert {(p, None) for p in phrases} <= set(officials.types)
    # A remembered type is the one classifying afresh in the same context gives.
    assert first == [typer_._classify(p, None, officials) for p in phrases]
    assert [typer_.classify(p, officials=officials) for p in phrases] == first
    # With the head given, the pair is the key: the same phrase may have another head.
    assert typer_.classify("Ware", "Ware", officials) == first[0]
    assert ("Ware", "Ware") in officials.types


@pytest.mark.parametrize(("phrase", "expected"), [
    # LABELLING.md: candidates are officials, also when only the race describes them.
    ("Mark Doe, who is running for the Senate in Ohio,", "named_official"),
    ("Jane Roe, who is seeking reelection,", "named_official"),
    # "running" without a race is no candidacy.
    ("Mark Doe, who is running a bakery in Ohio,", "named_person"),
])
def test_a_candidate_described_by_the_race_is_an_official(typer_: SourceTyper, phrase: str,
                                                          expected: str) -> None:
    assert typer_.classify(phrase).type == expected


def test_party_tag_titles_a_name_for_the_whole_article(typer_: SourceTyper) -> None:
    text = "Jane Doe (D-Calif.) spoke first. Former Rep. Tom Ray (R-Wis.) disagreed. Doe and Ray left."
    officials = typer_.article_officials(text)
    assert typer_.classify("Doe", officials=officials).type == "named_official"
    assert typer_.classify("Ray", officials=officials).type == "named_person"


@pytest.mark.parametrize(("text", "expected"), [
    ("Tinder suspended her account; it did not explain why.", [("Tinder", "named_institution")]),
    ("The Texas Department of Public Safety and the U.S. Department of Justice agreed.",
     [("The Texas Department of Public Safety", "named_institution")]),
    ("He read the report, which notes a rise.", [("the report", "document")]),
    ("The company said so. The Associated Press reports that.",
     [("The company", "named_institution"), ("The Associated Press", "outlet")]),
    ("ABSTRACT. Jane Doe spoke.", []),
])
def test_background_things(typer_: SourceTyper, text: str, expected: list[tuple[str, str]]) -> None:
    found = typer_.background_things(text, typer_.article_officials(text))
    assert [(text[s:e], mt.type) for s, e, mt in found] == expected


def test_thing_named_in_passing_is_an_antecedent_for_it_only(typer_: SourceTyper) -> None:
    # "Senator John Smith said ... the report ... it ..." / "... they ...": "it" is the report; "they" never.
    speaker, thing = "Senator John Smith", "the report"
    mentions = [(Span(0, len(speaker), speaker), typer_.classify(speaker)),
                (Span(400, 402, "it"), typer_.classify("it")),
                (Span(600, 604, "they"), typer_.classify("they"))]
    ids, sources = link_sources(mentions, (), [(Span(380, 380 + len(thing), thing), typer_.classify(thing))])
    assert {s.name: s.type for s in sources} == {speaker: "named_official", thing: "document",
                                                  "they": "unnamed_source"}


def test_background_mentions_include_surname_re_mentions(typer_: SourceTyper) -> None:
    text = "Senator John Smith spoke first. He met Mary Jones, and Smith’s aides left."
    found = typer_.background_people(text, typer_.article_officials(text))
    assert [(text[s:e], mt.type) for s, e, mt in found] == [
        ("Senator John Smith", "named_official"), ("Mary Jones", "named_person"), ("Smith", "named_official")]


def _mentions(typer_: SourceTyper, phrases: list[str]) -> list[tuple[Span, object]]:
    out = []
    pos = 0
    for p in phrases:
        out.append((Span(pos, pos + len(p), p), typer_.classify(p)))
        pos += len(p) + 10
    return out


@pytest.mark.parametrize(("phrases", "expected_ids", "expected_types"), [
    (["Italy’s Prime Minister Giorgia Meloni", "a diplomatic source", "The diplomatic source", "Meloni",
      "She"],
     ["S1", "S2", "S2", "S1", "S1"], {"S1": "named_official", "S2": "unnamed_source"}),
    (["Another source", "The second source"], ["S1", "S1"], {"S1": "second_source"}),
    (["the French presidency", "John Roe", "he"], ["S1", "S2", "S2"],
     {"S1": "named_institution", "S2": "named_person"}),
    (["Senator John Smith", "Mary Jones", "he"], ["S1", "S2", "S1"],
     {"S1": "named_official", "S2": "named_person"}),
    (["Reuters", "the ministry", "Reuters"], ["S1", "S2", "S1"], {"S1": "outlet", "S2": "named_institution"}),
    # A definite title is the official named before it.
    (["Donald Trump", "the Republican presidential candidate"], ["S1", "S1"], {"S1": "named_official"}),
    # "it" stands for a body or a text, never for a person.
    (["Senator John Smith", "the report", "it"], ["S1", "S2", "S2"],
     {"S1": "named_official", "S2": "document"}),
    (["Senator John Smith", "it"], ["S1", "S2"], {"S1": "named_official", "S2": "unnamed_source"}),
    # "he" never stands for a group.
    (["aides", "he"], ["S1", "S2"], {"S1": "unnamed_source", "S2": "named_person"}),
    # One surname, two first names: two people, each with their own gender; a surname alone is the
    # first of them, and a compound surname is no first name.
    (["Donald Trump", "Ivanka Trump", "she", "Trump"], ["S1", "S2", "S2", "S1"],
     {"S1": "named_official", "S2": "named_person"}),
    (["Debbie Wasserman Schultz", "Wasserman Schultz"], ["S1", "S1"], {"S1": "named_person"}),
])
def test_identity(typer_: SourceTyper, phrases: list[str], expected_ids: list[str],
                  expected_types: dict[str, str]) -> None:
    ids, sources = link_sources(_mentions(typer_, phrases))
    assert ids == expected_ids
    assert {s.id: s.type for s in sources} == expected_types


def test_apposition_after_a_named_head_is_that_person(typer_: SourceTyper) -> None:
    # An invented name: a real spokesman ("Brian Fallon") is in the gazetteer, an official by name.
    name, role = "Brian Fallow", "a spokesman for Mrs. Clinton"
    mentions = [(Span(0, len(name), name), typer_.classify(name)),
                (Span(len(name) + 2, len(name) + 2 + len(role), role), typer_.classify(role))]
    ids, sources = link_sources(mentions)
    assert ids == ["S1", "S1"]
    assert sources[0].type == "named_person"


def test_pronoun_refers_to_the_person_named_last_when_the_speaker_is_out_of_view(typer_: SourceTyper) -> None:
    speaker, other, pronoun = "Senator John Smith", "Mary Jones", "she"
    far = 400  # beyond identity.PRONOUN_SPEAKER_REACH
    mentions = [(Span(0, len(speaker), speaker), typer_.classify(speaker)),
                (Span(far + 100, far + 100 + len(pronoun), pronoun), typer_.classify(pronoun))]
    background = [(Span(far, far + len(other), other), typer_.classify(other))]
    ids, sources = link_sources(mentions, background)
    assert ids == ["S1", "S2"]
    assert {s.name: s.type for s in sources} == {speaker: "named_official", other: "named_person"}
    # Near the speaker, the speaker keeps the word ("he" cannot be Mary Jones anyway).
    near = [(Span(0, len(speaker), speaker), typer_.classify(speaker)),
            (Span(60, 62, "he"), typer_.classify("he"))]
    assert link_sources(near, [(Span(30, 30 + len(other), other), typer_.classify(other))])[0] == ["S1", "S1"]


def test_label_and_scorer_source_ids_are_aligned_one_to_one() -> None:
    from scorer.evaluation.claims_eval import align_source_ids

    pairs = [(("S1",), ("S2",)), (("S1",), ("S2", "S5")), (("S2",), ("S5",)), (("S3",), ())]
    assert align_source_ids(pairs) == {"S1": "S2", "S2": "S5"}


def test_a_source_is_named_by_a_mention_of_it_alone(typer_: SourceTyper) -> None:
    # "Whitlock and Senator Tom Barrow both said" links to Whitlock, but the source is not called
    # by the longer phrase that conjoins her with another voice; a name seen only as a possessive
    # ("Jane Whitlock's bill") loses the possessive.
    phrases = ["Senator Jane Whitlock", "Whitlock and Senator Tom Barrow"]
    at = [0, 100]
    mentions = [(Span(a, a + len(p), p), typer_.classify(p)) for a, p in zip(at, phrases, strict=True)]
    several = lambda p: typer_.coordinated_voices(p) >= 2  # noqa: E731
    ids, sources = link_sources(mentions, several=several)
    assert ids == ["S1", "S1"]
    assert sources[0].name == "Senator Jane Whitlock"
    assert link_sources(mentions)[1][0].name == "Whitlock and Senator Tom Barrow"  # without `several`
    alone = [(Span(100, 100 + len(phrases[1]), phrases[1]), typer_.classify(phrases[1]))]
    assert link_sources(alone, several=several)[1][0].name == phrases[1]  # its only name
    owner, pronoun = "Jane Whitlock’s", "She"
    ids, sources = link_sources([(Span(40, 43, pronoun), typer_.classify(pronoun))],
                                [(Span(0, len(owner), owner), typer_.classify(owner))])
    assert [s.name for s in sources] == ["Jane Whitlock"]


@pytest.mark.parametrize(("phrases", "names"), [
    # A longer mention that is a phrase about the person (a span that ran past the source) does not
    # name the person; a title's own "of" does not make a phrase of a name.
    (["Jane Whitlock", "the growing popularity of Ms. Whitlock among voters"], ["Jane Whitlock"]),
    (["Jane Whitlock", "some of Ms. Whitlock's admirers"], ["Jane Whitlock"]),
    (["Jane Whitlock", "Ms. Whitlock played a prominent role in the talks"], ["Jane Whitlock"]),
    (["Secretary of State Tom Barrow", "Barrow"], ["Secretary of State Tom Barrow"]),
    (["Tom Barrow", "Senator Tom Barrow of Ohio"], ["Senator Tom Barrow of Ohio"]),
    # A headline's Title Case run goes on past the name with a function word.
    (["Jane Whitlock", "Jane Whitlock At The"], ["Jane Whitlock"]),
    # With no other mention, the phrase is all there is to call the source by.
    (["the growing popularity of Ms. Whitlock"], ["the growing popularity of Ms. Whitlock"]),
])
def test_a_person_is_named_by_a_mention_that_reads_as_a_name(typer_: SourceTyper, phrases: list[str],
                                                               names: list[str]) -> None:
    mentions = [(Span(60 * k, 60 * k + len(p), p), typer_.classify(p)) for k, p in enumerate(phrases)]
    ids, sources = link_sources(mentions)
    assert len(set(ids)) == 1
    assert [s.name for s in sources] == names


@pytest.mark.parametrize(("text", "name"), [
    # A Title Case headline's run of capitals is no name the body gives: the body's name is used.
    ("NYTimes Casually Conflates Ted Cruz With George Wallace\n\nThe paper compared the two men on "
     "Sunday. Ted Cruz said on Monday that the comparison was unfair.", "Ted Cruz"),
    ("Networks Didn’t Cut From The Speech Once To Air Hillary Clinton\n\nThe networks stayed "
     "with it. Hillary Clinton said on Monday that the coverage was unfair.", "Hillary Clinton"),
    # A first line in sentence case is no headline: its name stands ("Prime Minister Jane
    # Whitlock", longer than the body's "Whitlock").
    ("The talks ended, said Prime Minister Jane Whitlock.\nWhitlock said on Monday that the talks "
     "were over.", "Prime Minister Jane Whitlock"),
])
def test_a_name_only_a_headline_gives_yields_to_the_bodys(text: str, name: str) -> None:
    from scorer import analyze

    assert [s.name for s in analyze(text).sources if s.type == "named_official"] == [name]


def test_a_source_name_has_one_space_between_words() -> None:
    # Mentions keep the text as written; the name is read: no-break spaces and line breaks inside a
    # name ("Sen.\xa0Lindsey Graham") read as one space.
    from scorer import analyze

    text = "Sen.\xa0Lindsey\xa0Graham said on Monday that the talks were over."
    report = analyze(text)
    assert [s.name for s in report.sources] == ["Sen. Lindsey Graham"]
    assert report.sources[0].mentions[0].text == "Sen.\xa0Lindsey\xa0Graham"


@pytest.mark.parametrize(("text", "names"), [
    # "who" refers to what stands right before it, not to the person named last.
    ("Senator Jane Whitlock spoke on Friday. The last question came from a young child, who said he "
     "drove six hours.", ["who"]),
    ("Senator Jane Whitlock spoke on Friday. Only 1 percent who preferred her in June said so.", ["who"]),
    # Right before it: the name, past a bracketed party or an apposition it describes.
    ("Senator Jane Whitlock (D-Ohio), who said on Friday that the vote was close, voted against the "
     "bill.", ["Senator Jane Whitlock (D-Ohio)"]),
    ("Tom Barrow, the county auditor who wrote the report, said the figures were wrong.", ["Tom Barrow"]),
])
def test_a_relative_pronoun_refers_to_what_stands_before_it(text: str, names: list[str]) -> None:
    from scorer import analyze

    report = analyze(text)
    who = [c for c in report.claims if any(a.source is not None and a.source.text == "who"
                                           for a in c.attributions)]
    assert who, [c.span.text for c in report.claims]
    name = {s.id: s.name for s in report.sources}
    assert sorted({name[a.source_id] for c in who for a in c.attributions
                   if a.source is not None and a.source.text == "who"}) == names


def test_one_phrase_cited_by_two_cues_is_one_source(typer_: SourceTyper) -> None:
    # "Another source confirmed it but expressed doubt": the subject of both cues is one mention;
    # "another" must not make its second attribution a new source.
    phrase, later = "Another source", "Another source"
    mentions = [(Span(0, len(phrase), phrase), typer_.classify(phrase)),
                (Span(0, len(phrase), phrase), typer_.classify(phrase)),
                (Span(80, 80 + len(later), later), typer_.classify(later))]
    ids, sources = link_sources(mentions)
    assert ids == ["S1", "S1", "S2"]
    assert len(sources) == 2


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="ab-, \n\tXY.çÉª’'", max_size=40))
def test_lead_title_search_from_its_blocker_equals_a_full_search(before: str) -> None:
    full = _LEAD_TITLE.search(before)
    fast = _lead_title(before)
    assert (full and (full.span(), full.group(1))) == (fast and (fast.span(), fast.group(1)))


@pytest.mark.parametrize(("before", "lead"), [
    ("Washington (CNN) In an interview, AFL-CIO president ", "president"),
    ("told reporters the press secretary, ", "reporters the press secretary"),  # four words at most
    ("the campaign's senior adviser ", "senior adviser"),
    ("said Sen. ", None),
])
def test_lead_title_reads_the_lower_case_words_before_a_name(before: str, lead: str | None) -> None:
    m = _lead_title(before)
    assert (m.group(1) if m else None) == lead


@pytest.mark.parametrize("words", [
    ["the", "white", "house", "said"], ["white", "house"], ["house", "white"], ["secretary", "of", "state"],
    ["state", "department"], ["prime", "minister"], ["the", "prime"], ["white house"], [""], [],
])
def test_has_phrase_finds_what_a_scan_of_every_entry_finds(typer_: SourceTyper, words: list[str]) -> None:
    for vocab in (typer_.institutions, typer_.titles, typer_.documents, typer_.unnamed):
        joined = " " + " ".join(words) + " "
        scan = any(w in vocab for w in words) or any(f" {v} " in joined for v in vocab if " " in v)
        assert SourceTyper._has_phrase(words, vocab) == scan


def test_pronoun_after_a_closing_quote_is_the_speaker_however_far(typer_: SourceTyper) -> None:
    text = ("“We will win,” said Senator John Smith, who spoke at length about the budget, the war, the "
            "harvest and the long winter in his state. He praised Robert Brown for his work. “It is "
            "time,” he said.")
    he_at = text.rindex("he said")

    def mention(phrase: str, at: int) -> tuple[Span, object]:
        return Span(at, at + len(phrase), phrase), typer_.classify(phrase)

    mentions = [mention("Senator John Smith", text.index("Senator")), mention("he", he_at)]
    background = [mention("Robert Brown", text.index("Robert"))]
    # Without the text the speaker is out of reach and the person named last wins.
    assert link_sources(mentions, background)[0] == ["S1", "S2"]
    assert link_sources(mentions, background, (), text)[0] == ["S1", "S1"]


@pytest.mark.parametrize(("phrase", "voices"), [
    ("Senator Jane Doe and Mayor John Roe", 2),
    ("Doe and Roe", 2),
    ("security researchers and European officials", 2),
    ("Mayor John Roe and other city officials", 2),
    ("Senator Jane Doe and Mayor John Roe, and Governor Ann Poe,", 3),
    ("two county officials, Jane Doe and John Roe,", 2),
    ("Governor Ann Poe and a diplomatic source", 2),
    # An aside after the conjoined names describes them both.
    ("Jane Doe and John Roe, who both sit on the budget committee,", 2),
    ("Jane Doe and John Roe, two of the three people who survived the crash,", 2),
    # One source described with an "and" inside its description.
    ("Jane Doe, the activist and lawyer,", 0),
    ("John Roe, assistant to the mayor and director of the Office of Budget and Planning,", 0),
    ("the Research and Planning Office of the Department of Labor", 0),
    ("a report by the Institute for Labor and Trade Studies", 0),
    ("Property developer and television host John Roe", 0),
    # Adjectives sharing one head, and a second conjunct that speaks for the first: one origin.
    ("local and state officials", 0),
    ("Liberal and conservative economists", 0),
    ("Doe and her lawyers", 0),
    ("Senator Jane Doe", 0),
])
def test_coordinated_voices(typer_: SourceTyper, phrase: str, voices: int) -> None:
    assert typer_.coordinated_voices(phrase) == voices


@pytest.mark.parametrize(("phrase", "expected"), [
    ("Assistant U.S. Attorney Maya D. Song", "named_official"),  # a federal prosecutor holds office
    ("the U.S.", "named_institution"),  # "U.S." in a title is no title by itself
    ("an attorney for the family", "unnamed_source"),
])
def test_prosecutors_are_officials_and_the_country_stays_a_body(typer_: SourceTyper, phrase: str,
                                                                expected: str) -> None:
    assert typer_.classify(phrase).type == expected


def test_roles_given_in_a_predicate_or_for_envoys_title_the_person(typer_: SourceTyper) -> None:
    text = ("Amir Dane, a lawyer, was elected as mayor of Bristol last spring. British diplomat Sir Tom "
            "Hale spoke next. Ed Gray, through a spokeswoman, declined. Charlie King said it was fine.")
    officials = typer_.article_officials(text)
    assert typer_.classify("Dane", officials=officials).type == "named_official"
    assert typer_.classify("British diplomat Sir Tom Hale", officials=officials).type == "named_official"
    # A comma phrase that opens with a preposition is no role; a name's own words are no title.
    assert typer_.classify("Ed Gray", officials=officials).type == "named_person"
    assert typer_.classify("Charlie King", officials=officials).type == "named_person"


def test_a_one_word_source_titled_as_a_person_is_not_the_outlet_of_that_name(typer_: SourceTyper) -> None:
    text = "Mayor Don Guardian opened the hall. Guardian said the city would recover."
    officials = typer_.article_officials(text)
    assert typer_.classify("Guardian", officials=officials).type == "named_official"
    assert typer_.classify("The Guardian").type == "outlet"


def test_a_place_before_a_name_gives_no_gender(typer_: SourceTyper) -> None:
    assert typer_.gender_of_name(["virginia", "gov.", "tom", "mcauliffe"], ["tom", "mcauliffe"]) == "m"
    assert typer_.gender_of_name(["virginia", "gov.", "mcauliffe"], ["mcauliffe"]) == ""


def test_he_with_no_speaker_in_view_is_the_previous_sentence_subject_not_the_last_name() -> None:
    from scorer import analyze

    report = analyze("Ben Carlton brought in a new campaign manager, Barry Benton, in May. "
                     "He said the staff who stayed were loyal to the end.")
    (source,) = report.sources
    assert source.name == "Ben Carlton"
    assert report.claims[1].source_ids == (source.id,)


@pytest.mark.parametrize(("handle", "reading"), [
    ("@JebBush", "Jeb Bush"), ("GovernorPataki", "Governor Pataki"), ("realDonaldTrump", "Donald Trump"),
    ("@AP", "AP"), ("tedcruz", "Ted Cruz"), ("@th3j35t3r", "th3j35t3r"), ("not a handle", "not a handle"),
    ("janeroe", "janeroe"), ("GovChristie", "Gov. Christie"), ("SenJaneRoe", "Sen. Jane Roe"),
    ("MartinOMalley", "Martin O'Malley"), ("JaneMcRoe", "Jane McRoe"), ("LindseyGrahamSC", "Lindsey Graham"),
    ("SenateGOP", "Senate GOP"), ("@thedailybeast", "thedailybeast.com"),
])
def test_handle_reading(handle: str, reading: str) -> None:
    from scorer.sourcing import handle_reading

    assert handle_reading(handle) == reading


def test_an_embedded_post_cites_its_author() -> None:
    from scorer import analyze

    text = ("Candidates reacted within minutes.\n\n"
            '<tweet id="7" author="@JaneRoeforSenate" datetime="2016-01-02">We must fix the bridge now. '
            "The county has waited long enough.</tweet>.\n\n"
            "Governor Tom Hale told reporters the repairs would start in May.\n")
    report = analyze(text)
    post = [c for c in report.claims if text.index("<tweet") < c.span.start < text.index("</tweet>")]
    assert len(post) == 2
    (author,) = {c.source_ids for c in post}
    assert [s.name for s in report.sources if (s.id,) == author] == ["@JaneRoeforSenate"]
    assert all(c.attributions[0].rule_id == "attr.post_author" and c.attributions[0].source is None
               for c in post)  # no span: PolNeAR marks no source inside markup
    # A sentence outside the post keeps its own source.
    assert claim(report, "Governor Tom Hale").source_ids != author


@pytest.mark.parametrize(("text", "name", "key"), [
    ("Vice President Joe Biden spent Thursday in Ohio.", "Vice President Joe Biden", "biden"),
    ("Former Mayor Ann Keller spoke.", "Former Mayor Ann Keller", "keller"),
    ("President Barack Obama Tuesday said it was over.", "President Barack Obama", "obama"),
    # Inner capitals are name words; a word capitalised for opening the sentence is not.
    ("When Wallace ran, Senator John McCain spoke.", "Senator John McCain", "mccain"),
    ("But Martin O’Malley said it was over.", "Martin O’Malley", "o’malley"),
    # Titles that fill the four words a run may take do not cut the name after them.
    ("Senate Majority Leader Mitch McConnell spoke.", "Senate Majority Leader Mitch McConnell", "mcconnell"),
    ("White House Press Secretary Josh Earnest spoke.", "White House Press Secretary Josh Earnest",
     "earnest"),
])
def test_background_people_read_a_titled_full_name_as_one(text: str, name: str, key: str) -> None:
    from scorer.sourcing import SourceTyper

    typer = SourceTyper()
    found = typer.background_people(text, typer.article_officials(text))
    assert [(text[s:e], mt.key) for s, e, mt in found][:1] == [(name, key)]


def test_a_headline_run_is_not_lengthened_into_the_next_name() -> None:
    # "Says" may be a name word: the run before it is no title leading up to a name.
    from scorer.sourcing import SourceTyper

    typer = SourceTyper()
    text = "Francois Hollande Says Donald Trump Makes Everyone Sick\n\nTrump spoke on Monday."
    assert all(text[s:e] != "Francois Hollande Says Donald Trump"
               for s, e, _ in typer.background_people(text, typer.article_officials(text)))


def test_background_people_skip_capitalised_sentence_openers() -> None:
    from scorer.sourcing import SourceTyper

    typer = SourceTyper()
    text = "But Cox said the vote was close. And Even Mrs. Doe agreed."
    assert all(not text[s:e].startswith(("But", "And", "Even"))
               for s, e, _ in typer.background_people(text, typer.article_officials(text)))


def test_a_handle_with_an_abbreviated_title_names_an_official(typer_: SourceTyper) -> None:
    from scorer.sourcing import handle_reading

    assert typer_.classify(handle_reading("GovJaneRoe")).type == "named_official"
    assert typer_.classify(handle_reading("@thedailybeast")).type == "outlet"


def test_the_statement_is_the_words_of_the_source_cited_before_it() -> None:
    from scorer import analyze

    text = ("The Roe campaign said in a statement on Tuesday that it had moved to a larger office. "
            "\u201cThe new office lets us hire more organizers,\u201d the statement said.")
    report = analyze(text)
    ids = {c.source_ids for c in report.claims}
    assert len(ids) == 1
    (source,) = report.sources
    assert source.type == "named_institution"


def test_a_bare_definite_statement_is_no_unnamed_source(typer_: SourceTyper) -> None:
    mt = typer_.classify("the statement")
    assert (mt.type, mt.rule_id) == ("pronoun", "sources.definite_statement")
    assert typer_.classify("a statement").type != "pronoun"


def test_a_candidates_convention_delegate_holds_no_office(typer_: SourceTyper) -> None:
    assert typer_.classify("Jane Roe, a Sanders delegate from Ohio,", "Jane Roe").type == "named_person"
    assert typer_.classify("Jane Roe, a Trump delegate,", "Jane Roe").type == "named_person"
    assert typer_.classify("Delegate Jane Roe").type == "named_official"


def test_an_office_only_wished_for_is_held_by_nobody(typer_: SourceTyper) -> None:
    phrase = "Jon Roe, the team owner who rebuffed pleas to run for president,"
    assert typer_.classify(phrase, "Jon Roe").type == "named_person"
    assert typer_.classify("Jon Roe, who hopes to be governor,", "Jon Roe").type == "named_person"
    assert typer_.classify("Jon Roe, who is running for governor,", "Jon Roe").type == "named_official"


@pytest.mark.parametrize("phrase", ["The Roeville Memorial Museum", "the Roeville Chamber of Commerce",
                                    "the United States Coastal Command"])
def test_a_capitalised_name_under_the_is_a_body(typer_: SourceTyper, phrase: str) -> None:
    assert typer_.classify(phrase).type == "named_institution"


@pytest.mark.parametrize(("phrase", "kind"), [("the Rev. Jane Roe", "named_person"),
                                              ("The Post's Jane Roe", "named_person"),
                                              ("the Senate Majority Leader", "pronoun")])
def test_a_person_under_the_stays_a_person(typer_: SourceTyper, phrase: str, kind: str) -> None:
    assert typer_.classify(phrase).type == kind


def test_a_surname_that_is_a_title_word_is_the_articles_person(typer_: SourceTyper) -> None:
    text = "Representative Jon Judge of Ohio spoke to reporters. Judge said the hearing was closed."
    officials = typer_.article_officials(text)
    mt = typer_.classify("Judge", officials=officials)
    assert (mt.type, mt.key) == ("named_official", "judge")
    elsewhere = typer_.article_officials("A judge ruled.")
    assert typer_.classify("Judge", officials=elsewhere).type != "named_official"


@pytest.mark.parametrize("phrase", ["One in three", "About one in five", "two out of three voters"])
def test_a_fraction_of_respondents_speaks_for_the_poll(typer_: SourceTyper, phrase: str) -> None:
    assert typer_.classify(phrase).type == "document"


@pytest.mark.parametrize("phrase", ["The inquiry", "early returns", "financial disclosures filed Friday"])
def test_inquiries_returns_and_disclosures_are_documents(typer_: SourceTyper, phrase: str) -> None:
    assert typer_.classify(phrase).type == "document"


@pytest.mark.parametrize(("phrase", "kind"), [
    ("Jan Roe, Ruritania's ambassador to the United States from 2007 to 2013,", "named_person"),
    ("Jan Roe, mayor of Roeville 1994-2001,", "named_person"),
    ("Jan Roe, mayor of Roeville since 2014,", "named_official"),
])
def test_a_term_of_office_with_an_end_year_is_past(typer_: SourceTyper, phrase: str, kind: str) -> None:
    assert typer_.classify(phrase, "Jan Roe").type == kind


def test_a_closed_term_of_another_conjunct_leaves_the_office(typer_: SourceTyper) -> None:
    closed = "Jan Roe, mayor of Roeville between 1994 and 2001,"
    assert typer_.classify(closed, "Jan Roe").type == "named_person"
    phrase = "Jan Roe, who is mayor of Roeville and was a teacher from 1994 to 2001,"
    assert typer_.classify(phrase, "Jan Roe").type == "named_official"


@pytest.mark.parametrize("phrase", ["the editorial board", "the paper's editorial board",
                                    "The Ruritanian newspaper Dagblad", "the tabloid Roe Daily"])
def test_an_editorial_board_and_a_named_newspaper_are_the_outlet(typer_: SourceTyper, phrase: str) -> None:
    assert typer_.classify(phrase).type == "outlet"
    assert typer_.classify("newspaper editor Jan Roe").type == "named_person"


@pytest.mark.parametrize("phrase", ["the Utah Republican", "the Republican from Alabama",
                                    "the Vermont Democrat"])
def test_a_definite_party_member_points_back_like_a_title(typer_: SourceTyper, phrase: str) -> None:
    mt = typer_.classify(phrase)
    assert (mt.type, mt.rule_id) == ("pronoun", "sources.definite_title")
    assert typer_.classify("the Republicans").type == "unnamed_source"


def test_a_definite_role_before_a_comma_titles_the_name_after_it(typer_: SourceTyper) -> None:
    text = ("Talks opened on Monday. The secretary of the Exchequer, Jonah K. Roeman, spoke first. "
            "Later, the finance minister, Pau Derrin, replied. Mr. Roeman said the talks went well.")
    officials = typer_.article_officials(text)
    assert typer_.classify("Mr. Roeman", officials=officials).type == "named_official"
    assert typer_.classify("Derrin", officials=officials).type == "named_official"
    plain = typer_.article_officials("The weather, Jonah Roeman said, was fine. Mr. Roeman left.")
    assert typer_.classify("Mr. Roeman", officials=plain).type == "named_person"


def test_background_people_read_a_courtesy_title_and_surname_as_a_person() -> None:
    # "Tavita Oreku" gives no listed first name and is no person above; "Ms. Oreku" is one, a woman.
    from scorer.sourcing import SourceTyper

    typer = SourceTyper()
    text = "When Tavita Oreku arrived, the hall was full. Later Ms. Oreku left, and Dr. Ben Carson spoke."
    people = typer.background_people(text, typer.article_officials(text))
    found = [(text[s:e], mt.gender) for s, e, mt in people]
    assert ("Ms. Oreku", "f") in found
    assert ("Ben Carson", "m") in found and not any(n.startswith("Dr. Ben") for n, _ in found)


def test_she_after_a_courtesy_title_and_surname_is_that_woman_not_an_earlier_spokeswoman() -> None:
    from scorer import analyze

    text = ("A campaign spokeswoman said the rally would go ahead as planned on Saturday afternoon. "
            "Tavita Oreku, a nurse from the city, had bought tickets for herself and her two sons "
            "weeks before. At the gate on Saturday, Ms. Oreku was turned away by the guards, she said "
            "in an interview.")
    report = analyze(text)
    got = claim(report, "At the gate")
    names = {s.id: s.name for s in report.sources}
    assert "Oreku" in names[got.source_ids[0]]
    assert got.source_type == "named_person"


def test_he_in_narration_is_the_person_named_before_it_in_its_sentence(typer_: SourceTyper) -> None:
    # The speaker cited last is in view, but "he" follows "Robert Brown" in its own sentence.
    text = ("“We will win,” said Senator John Smith. Robert Brown, a farmer from the valley, "
            "disagreed, and he said the plan would fail.")

    def mention(phrase: str, at: int) -> tuple[Span, object]:
        return Span(at, at + len(phrase), phrase), typer_.classify(phrase)

    mentions = [mention("Senator John Smith", text.index("Senator")), mention("he", text.index("he said"))]
    background = [mention("Robert Brown", text.index("Robert"))]
    ids, sources = link_sources(mentions, background, (), text)
    assert ids == ["S1", "S2"] and sources[1].name == "Robert Brown"
    # A person named inside a quotation is no such antecedent: the speaker keeps the pronoun.
    quoted = "“We will win,” said Senator John Smith. Asked about “Robert Brown” again, he said nothing."
    mentions = [mention("Senator John Smith", quoted.index("Senator")),
                mention("he", quoted.index("he said"))]
    background = [mention("Robert Brown", quoted.index("Robert"))]
    assert link_sources(mentions, background, (), quoted)[0] == ["S1", "S1"]


def test_a_courtesy_title_takes_up_a_family_name_written_first() -> None:
    from scorer import analyze

    text = ("The trade minister, Qiao Weiming, told reporters on Monday that exports had fallen. "
            "“We are not worried about the figures,” Mr. Qiao said. "
            "Mr. Qiao added that growth would return next year.")
    report = analyze(text)
    starts = ("The trade minister", "“We are not", "Mr. Qiao added")
    ids = {claim(report, start).source_ids[0] for start in starts}
    assert len(ids) == 1
    assert claim(report, "Mr. Qiao added").source_type == "named_official"


def test_a_title_given_to_a_listed_surname_alone_is_not_a_namesakes() -> None:
    # "President Bush" titles the gazetteer's Bush, not "Marla Bush", a first name it does not list.
    from scorer import analyze

    text = ("Marla Bush, a retired teacher from Austin, said the library would reopen in the spring. "
            "President Bush visited the school last year. "
            "“We need the books back on the shelves,” Bush said at the meeting.")
    typer = SourceTyper()
    officials = typer.article_officials(text)
    assert typer.classify("Marla Bush, a retired teacher from Austin,", "Marla Bush",
                          officials=officials).type == "named_person"
    assert typer.classify("George Bush", officials=officials).type == "named_official"
    report = analyze(text)
    assert claim(report, "Marla Bush").source_type == "named_person"


@pytest.mark.parametrize(("phrase", "kind"), [
    ("Another", "second_source"),
    ("Another commenter", "second_source"),
    ("A second worshipper who asked not to be named", "second_source"),
    ("Another Lutheran who attends the chapel", "second_source"),
    ("Another county commissioner, Jane Roe,", "named_official"),
    ("another poll", "document"),
    ("A second report", "document"),
    ("another newspaper", "outlet"),
])
def test_another_unnamed_voice_is_a_second_source(typer_: SourceTyper, phrase: str, kind: str) -> None:
    assert typer_.classify(phrase).type == kind


@pytest.mark.parametrize(("phrase", "kind"), [
    ("Roe’s fundraising email to her donors", "named_person"),
    ("Mayor Jan Roe's weekly email", "named_official"),
    ("her latest statement", "pronoun"),
    ("The email", "pronoun"),
    ("The emails", "document"),
    ("leaked emails", "document"),
])
def test_an_email_is_its_senders_own_words(typer_: SourceTyper, phrase: str, kind: str) -> None:
    assert typer_.classify(phrase).type == kind


def test_a_she_takes_up_the_she_that_opens_her_sentence_and_a_chain_of_she_keeps_her_in_view() -> None:
    from scorer import analyze

    text = ("Marta Oduya, a nurse from Leeds, said the ward had been short of staff all winter. "
            "She has said that the night shifts were the hardest, when only two nurses covered the "
            "whole ward and the patients waited hours for help. "
            "She also described a meeting with Governor Ann Roe that she said left her hopeful. "
            "She has spoken about it at several rallies since then, as Roe has campaigned across the "
            "county. On Monday, she told reporters the ward would reopen.")
    report = analyze(text)
    names = {s.id: s.name for s in report.sources}
    for start in ("She also described", "On Monday"):
        got = claim(report, start)
        assert "Oduya" in names[got.source_ids[0]], start
        assert got.source_type == "named_person"


def test_a_capitalised_two_word_title_titles_the_name_after_it(typer_: SourceTyper) -> None:
    text = ("Roeville Gazette Managing Editor Jan Roe declined to comment. "
            "Later, Jan Roe said the paper was fine.")
    officials = typer_.article_officials(text)
    assert typer_.classify("Jan Roe", officials=officials).type == "named_official"
    plain = typer_.article_officials("Jan Roe, a baker, smiled. Later, Jan Roe said the bread was fine.")
    assert typer_.classify("Jan Roe", officials=plain).type == "named_person"


@pytest.mark.parametrize(("phrase", "kind", "key"), [
    ("Retired teacher and part-time baker Jan Roe", "named_person", "roe"),
    ("Real estate developer and county commissioner Jan Roe", "named_official", "roe"),
    ("master of ceremonies Jan Roe, a retired engineer,", "named_person", "roe"),
])
def test_roles_joined_by_and_describe_the_full_name_after_them(typer_: SourceTyper, phrase: str, kind: str,
                                                                key: str) -> None:
    mt = typer_.classify(phrase)
    assert (mt.type, mt.key) == (kind, key)


@pytest.mark.parametrize("phrase", [
    "its nominal capital in Terre Haute",  # a name after a preposition is its object
    "the two chief antagonists to Jan Roe",
    "His surrogates",  # a word capitalised for opening the sentence
    "These latest wins",
    "Her submission to the court",
])
def test_a_phrase_about_a_name_or_opened_by_a_capital_is_no_person(typer_: SourceTyper, phrase: str) -> None:
    assert typer_.classify(phrase).type not in {"named_person", "named_official"}


@pytest.mark.parametrize(("phrase", "key"), [("Roe paused", "roe"), ("Jan Roe started out", "roe")])
def test_a_name_that_opens_a_phrase_run_on_still_names_the_speaker(typer_: SourceTyper, phrase: str,
                                                                   key: str) -> None:
    mt = typer_.classify(phrase)
    assert (mt.type, mt.key) == ("named_person", key)


@pytest.mark.parametrize("phrase", ["one Democrat familiar with the discussion",
                                    "a Republican who asked not to be named"])
def test_a_party_member_described_is_no_name(typer_: SourceTyper, phrase: str) -> None:
    assert typer_.classify(phrase).type == "unnamed_source"
    assert typer_.classify("Democrat Jan Roe").key == "roe"


def test_the_official_takes_up_an_unnamed_official_not_a_named_one() -> None:
    from scorer import analyze

    text = ("Governor Jan Roe said on Monday that the bridge would reopen in May. "
            "A senior state transportation official, who asked not to be named because the plans "
            "were not final, said the contract had not yet been signed. "
            "“We are still waiting for the steel,” the official said.")
    report = analyze(text)
    got = claim(report, "“We are still")
    assert got.source_type == "unnamed_source"
    assert got.source_ids == claim(report, "A senior state").source_ids
    named = ("Jan Roe, a state transportation official, said the bridge would reopen in May. "
             "“We are still waiting for the steel,” the official said.")
    assert claim(analyze(named), "“We are still").source_type == "named_official"


@pytest.mark.parametrize(("phrase", "kind"), [
    ("A local news report", "outlet"),
    ("press reports circulating in the capital", "outlet"),
    ("Several reports", "outlet"),
    ("Stories", "outlet"),
    ("a recent article in the Roeville Gazette", "outlet"),
    ("The audit report", "document"),
    ("new campaign finance reports", "document"),
    ("a study by the Roe Institute", "document"),
])
def test_unnamed_news_reports_are_the_outlet(typer_: SourceTyper, phrase: str, kind: str) -> None:
    assert typer_.classify(phrase).type == kind


@pytest.mark.parametrize(("phrase", "key"), [
    ("the Research and Development Directorate of the Roeville Police Department",
     "research and development directorate of roeville police department"),
    ("the conservative super PAC Roeville Forward", "roeville forward"),
    ("the advocacy group Friends of Roe Park", "friends of roe park"),
])
def test_a_body_named_after_its_kind_or_with_an_inner_and_is_one_body(typer_: SourceTyper, phrase: str,
                                                                      key: str) -> None:
    mt = typer_.classify(phrase)
    assert (mt.type, mt.key) == ("named_institution", key)
    assert typer_.classify("FBI Director Jan Roe").type == "named_official"
    assert typer_.classify("Jan Doe and John Roe").key == "doe"


def test_a_commentator_who_runs_a_newsletter_heads_no_organisation(typer_: SourceTyper) -> None:
    assert typer_.classify("Jan Roe, who runs a state politics newsletter", "Jan Roe").type == "named_person"
    assert typer_.classify("Jan Roe, who runs the Roeville Tenants Union", "Jan Roe").type == "named_official"


def test_the_founder_or_leader_of_a_group_named_in_a_passive_heads_it(typer_: SourceTyper) -> None:
    text = ("Roeville Forward, a housing group founded by retired developer Jan Roe, will run ads. "
            "The survey, led by Ann Doe of the state university, found little support. "
            "Roe said the ads would start Monday, and Doe said the figures were clear.")
    officials = typer_.article_officials(text)
    assert typer_.classify("Roe", officials=officials).type == "named_official"
    assert typer_.classify("Doe", officials=officials).type == "named_person"


@pytest.mark.parametrize(("phrase", "kind"), [("a post from Jan Roe", "named_person"),
                                              ("The Post", "outlet"), ("the Times", "outlet")])
def test_a_lower_case_post_is_no_newspaper(typer_: SourceTyper, phrase: str, kind: str) -> None:
    assert typer_.classify(phrase).type == kind


def test_a_director_at_a_research_center_comments_as_a_scholar(typer_: SourceTyper) -> None:
    assert typer_.classify("Jan Roe, senior director of tax policy at the Roeville Policy Center",
                           "Jan Roe").type == "named_person"
    assert typer_.classify("Jan Roe, director of the Roeville Emergency Management Agency",
                           "Jan Roe").type == "named_official"


@pytest.mark.parametrize("phrase", ["The ads", "the new ad", "a voice-over in the ad", "the ad’s narrator",
                                    "a voice over"])
def test_an_ad_is_its_sponsor_speaking(typer_: SourceTyper, phrase: str) -> None:
    mt = typer_.classify(phrase)
    assert (mt.type, mt.rule_id) == ("pronoun", "sources.sponsor_ad")


def test_an_ad_with_its_sponsor_named_is_that_sponsor(typer_: SourceTyper) -> None:
    assert typer_.classify("an ad from the Roe campaign").type == "named_institution"
    assert typer_.classify("Senator Jan Roe's new ad").type == "named_official"


def test_the_ad_speaks_for_the_group_that_runs_it() -> None:
    from scorer import analyze

    text = ("The Roeville Housing Coalition said on Monday that it would spend $2 million on television. "
            "The ad says the mayor \u201chas failed every family in this city.\u201d")
    report = analyze(text)
    typed = {c.source_type for c in report.claims if c.source_ids}
    assert typed == {"named_institution"}
    assert len(report.sources) == 1


def test_a_three_word_title_before_an_initialled_name_makes_an_official(typer_: SourceTyper) -> None:
    text = ("The president sent White House Counsel W. Jan Roe to the hearing. "
            "Later, Roe said the talks went well.")
    officials = typer_.article_officials(text)
    assert typer_.classify("Roe", officials=officials).type == "named_official"


@pytest.mark.parametrize(("text", "name"), [
    # The run after a title's "of" starts with the title's last word, which is no part of the name.
    ("The rally heard Former Secretary of State Hillary Clinton speak.", "Hillary Clinton"),
    # After a common noun's "of", the run starts with a title of its own.
    ("It was the policy of President Bill Clinton in the nineties.", "President Bill Clinton"),
])
def test_a_background_name_after_a_title_of_drops_the_title_word(typer_: SourceTyper, text: str,
                                                                  name: str) -> None:
    found = typer_.background_people(text, typer_.article_officials(text))
    assert [text[s:e] for s, e, _ in found] == [name]


@pytest.mark.parametrize("given", [
    "nytimes.com", "NYTimes.com", "nytimes.com:443", "https://user@www.nytimes.com:443/x?y#z",
    "http://nytimes.com?x", "nytimes.com.", "https://www.nytimes.com/2016/01/01/us/politics/a.html",
    "//www.nytimes.com/x", "nytimes.com:", "https://www.nytimes.com\\x", "a@b@nytimes.com",
])
def test_an_outlet_given_as_any_form_of_its_address_is_known(given: str) -> None:
    """A port, a query or a user in a URL made the outlet unknown (its default prior, not its own)."""
    from scorer.sourcing import outlet_table

    table = outlet_table()
    assert table.prior_of(given) == table.prior_of("nytimes.com") and table.prior_of(given)[1]
