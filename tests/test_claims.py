"""Claim splitting, table-driven: text, expected claim texts."""

from __future__ import annotations

import pytest

from scorer.claims import sentences, split_claims

CASES = [
    # A quotation opened with a closing mark or a guillemet still opens a sentence, and its "Mr."
    # is an abbreviation still.
    ("The crowd chanted for an hour. ”Mr. Trump is right,” she said.",
     ["The crowd chanted for an hour.", "”Mr. Trump is right,” she said."]),
    ("Fiorina named her guilty pleasure of all. “’House of Cards,’” she said, “although I lack time.”",
     ["Fiorina named her guilty pleasure of all.", "“’House of Cards,’” she said, “although I lack time.”"]),
    # A crosshead whose words are joined by no-break spaces is a crosshead still.
    ("TODAY\n\n2. U.N.\u00a0PANEL\u00a0RULES\u00a0FOR\u00a0ASSANGE\n\nThe panel said he was held unlawfully.",
     ["The panel said he was held unlawfully."]),
    ("Mr. Smith said the U.S. economy grew. Ms. Doe disagreed with him strongly.",
     ["Mr. Smith said the U.S. economy grew.", "Ms. Doe disagreed with him strongly."]),
    # "U.S." before a capitalised word opens a name; before a word that opens sentences, it ends one.
    ("Data from the U.S. Department of Education show that costs rose sharply.",
     ["Data from the U.S. Department of Education show that costs rose sharply."]),
    ("Many of them were born in the U.S. Now they vote in every election.",
     ["Many of them were born in the U.S.", "Now they vote in every election."]),
    ("Many of them were born in the U.S. “We vote in every election,” one said.",
     ["Many of them were born in the U.S.", "“We vote in every election,” one said."]),
    # An exclamation's speaker tag stays with it; a question's does not (a question is no claim).
    ("“Loved the show, wish they had another season coming!” Bush said.",
     ["“Loved the show, wish they had another season coming!” Bush said."]),
    ("“Why is he attacking me and my campaign?” Trump said. He left the stage soon after.",
     ["He left the stage soon after."]),
    ("We won the vote tonight! Trump is happy with the result.",
     ["We won the vote tonight!", "Trump is happy with the result."]),
    ("“We will win,” he said. “The polls are wrong.”",
     ["“We will win,” he said.", "“The polls are wrong.”"]),
    # Two apostrophes open a quotation as “ does (the New York Times texts of PolNeAR).
    ("''We will win,'' he said. ''Who can stop us? Nobody can stop this movement now,'' he added.",
     ["''We will win,'' he said.", "Nobody can stop this movement now,'' he added."]),
    ("Headline Without A Full Stop\nThe minister resigned on Friday after weeks of pressure.",
     ["The minister resigned on Friday after weeks of pressure."]),
    ("By Jane Doe\nThe vote passed by a wide margin on Tuesday.",
     ["The vote passed by a wide margin on Tuesday."]),
    ("The talks ended without a deal.\n(bms, sm)", ["The talks ended without a deal."]),
    ("Is this the end of the talks? Officials think the talks will go on.",
     ["Officials think the talks will go on."]),
    ("WASHINGTON — The Senate voted on the bill late on Thursday night.",
     ["The Senate voted on the bill late on Thursday night."]),
    ("Read more: how the talks unfolded over the weekend.\nThe talks unfolded over three long days.",
     ["The talks unfolded over three long days."]),
    ("Photo: Jane Doe/Reuters\nThe crowd gathered outside the court in the rain.",
     ["The crowd gathered outside the court in the rain."]),
    ("Gen. J. Smith arrived at 9 a.m. The troops left later.",
     ["Gen. J. Smith arrived at 9 a.m. The troops left later."]),
    # A full sentence that introduces the quotation below it reports; a short lead-in does not.
    ("Sanders pointed out that veterans' issues were largely ignored during the debate:\n"
     "“We made promises to them.”",
     ["Sanders pointed out that veterans' issues were largely ignored during the debate:",
      "“We made promises to them.”"]),
    ("Cruz continued:\n“We made promises to them.”", ["“We made promises to them.”"]),
    ("Here Are Five Things To Watch For Tonight In Iowa:\nThe caucuses open at seven.",
     ["The caucuses open at seven."]),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_split_claims(text: str, expected: list[str]) -> None:
    claims = split_claims(text)
    assert [c.text for c in claims] == expected
    for c in claims:
        assert text[c.start:c.end] == c.text


def test_model_article_crossheads_and_initials_are_not_claims(model_article_text: str) -> None:
    texts = [c.text for c in split_claims(model_article_text)]
    assert not any(t.startswith("‘No-one knows how this could work’") for t in texts)
    assert not any(t.startswith("‘Coalition of the willing’") for t in texts)
    assert "(bms, sm)" not in texts
    assert "Zelensky is scheduled to visit Washington on Monday to engage in talks with Trump." in texts
    assert len(texts) == 17


def test_sentences_keep_offsets_into_crlf_text() -> None:
    text = "First claim is here.\r\nSecond claim is here too.\r\n"
    spans = sentences(text)
    assert [s.text for s in spans] == ["First claim is here.", "Second claim is here too."]
    assert all(text[s.start:s.end] == s.text for s in spans)


def test_tokenize_gives_each_caller_its_own_list() -> None:
    """tokenize() caches the tokens of the last spans it saw: a caller that changes its list must
    not change what the next caller gets."""
    from scorer.tokens import tokenize

    text = "Officials said the plan, announced Monday, would fail."
    first = tokenize(text, 0, 20)
    first.append(first[0])
    again = tokenize(text, 0, 20)
    assert [t.text for t in again] == ["Officials", "said", "the", "p"]
    assert [(t.start, t.text) for t in tokenize(text, 10, 24)] == [
        (10, "said"), (15, "the"), (19, "plan"), (23, ",")]


# is_claim_sentence tries the "not_a_claim" rules at the sentence start only: the same decision as
# looking for a match at offset 0 among all matches of all rules.

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from scorer.claims import is_claim_sentence  # noqa: E402
from scorer.rulebook import ruleset as _ruleset  # noqa: E402
from scorer.spans import Span  # noqa: E402

_CLAIM_RULES = _ruleset("claims")
_PIECES = ["By", "Written by", "Reporting by", "Photo", "Photos:", "Image", "credit", "AP Photo",
           "Getty Images", "Reuters", "AFP", "/", "Read more", "Read More", "Related:", "Follow us",
           "Share this", "(", ")", "[", "AP", "CNN", "ABC", ",", ";", ".", ":", "—", "-", "|", "THE",
           "SENATOR", "said", "ß", "ﬁ", "İ",
           "Trump", "the", "report", "was", "false", "\n", " ", "  "]


def _reference(sentence: Span, one: bool) -> bool:
    for match in _CLAIM_RULES.find_all(sentence.text):
        if match.label == "not_a_claim" and match.start == 0:
            return False
    # the rest of is_claim_sentence does not depend on the rules
    return is_claim_sentence(sentence, one, _ruleset("attribution"))


@settings(max_examples=400, deadline=None)
@given(pieces=st.lists(st.sampled_from(_PIECES), min_size=1, max_size=14),
       sep=st.sampled_from([" ", ""]), one=st.booleans())
def test_is_claim_sentence_same_as_all_matches_at_start(pieces: list[str], sep: str, one: bool) -> None:
    text = sep.join(pieces)
    sentence = Span(0, len(text), text)
    assert is_claim_sentence(sentence, one, _CLAIM_RULES) == _reference(sentence, one)


@pytest.mark.parametrize(("text", "expected"), [
    # A short first line set apart by a blank line is the headline, whatever its punctuation.
    ("Council backs the levy after a long night.\n\nThe council voted 5 to 2 for the levy on Monday.",
     ["The council voted 5 to 2 for the levy on Monday."]),
    # No blank line below it, or a colon that introduces what follows: the first line reports.
    ("The council voted 5 to 2 for the levy on Monday.\nThe mayor will sign it on Friday.",
     ["The council voted 5 to 2 for the levy on Monday.", "The mayor will sign it on Friday."]),
    # Markup left in scraped text: the claim is the post's words, a bare tag is nothing.
    ("The mayor wrote on Monday night.\n<tweet author=\"mayor\">We will build the bridge by May.\n"
     "<tweet id=\"1\"><tweet/>.", ["The mayor wrote on Monday night.", "We will build the bridge by May."]),
    ("The council voted 5 to 2 for the levy.\nFollow Jane Doe on Twitter @janedoe.",
     ["The council voted 5 to 2 for the levy."]),
])
def test_headline_markup_and_follow_prompts_are_no_claims(text: str, expected: list[str]) -> None:
    assert [c.span.text for c in split_claims(text)] == expected


HEADLINED = ("Senate passes budget deal after late-night vote.\n\n"
             "The Senate approved the budget early on Friday, officials said.\n\n"
             "“This is a good day,” the majority leader told reporters.\n")


@pytest.mark.parametrize("lead", ["\n", "\r\n", "  \n\n", "\ufeff", "\ufeff\n"])
def test_what_comes_before_the_headline_changes_offsets_only(lead: str) -> None:
    """Blank lines or a byte-order mark before the first line: the headline is still no claim, and
    every claim, source and score is the same, shifted by the lead's length."""
    from scorer import analyze

    plain, led = analyze(HEADLINED).to_dict(), analyze(lead + HEADLINED).to_dict()
    assert [c["text"] for c in led["claims"]] == [c["text"] for c in plain["claims"]]
    assert [c["start"] - len(lead) for c in led["claims"]] == [c["start"] for c in plain["claims"]]
    assert ([(c["corroboration"], c["verdict"], c["source_ids"]) for c in led["claims"]]
            == [(c["corroboration"], c["verdict"], c["source_ids"]) for c in plain["claims"]])
    assert [c["text"] for c in led["claims"]][0].startswith("The Senate")


@pytest.mark.parametrize("line_break", ["\r", "\u2028", "\u2029", "\r\n"])
def test_any_line_break_reads_as_a_newline(line_break: str) -> None:
    """Old Mac files (bare CR) and exports with Unicode line or paragraph separators were read as one
    paragraph, the headline a claim: now the report is the newline file's, offsets into the text as
    given."""
    from scorer import analyze

    text = HEADLINED.replace("\n", line_break)
    plain, other = analyze(HEADLINED), analyze(text)
    assert [c.span.text for c in other.claims] == [c.span.text for c in plain.claims]
    assert all(text[c.span.start:c.span.end] == c.span.text for c in other.claims)
    assert ([(c.corroboration, c.verdict, c.source_ids) for c in other.claims]
            == [(c.corroboration, c.verdict, c.source_ids) for c in plain.claims])


def _spans(value: object) -> list[dict]:
    """Every span (a dict with start, end and text) of a JSON report."""
    if isinstance(value, dict):
        own = [value] if {"start", "end", "text"} <= set(value) else []
        return own + [s for v in value.values() for s in _spans(v)]
    if isinstance(value, list):
        return [s for v in value for s in _spans(v)]
    return []


@pytest.mark.parametrize("width", [50, 72, 79])
def test_a_hard_wrapped_text_is_read_as_its_paragraphs(model_article_text: str, width: int) -> None:
    """E-mail and plain-text archives wrap paragraphs at a fixed width: every line a paragraph cut
    the model article into 15 fragments at 72 columns, C1 among them unsourced. The wraps are found
    exactly (the next word would not have fitted), and the report is the unwrapped article's, with
    every span's offsets and text those of the wrapped file."""
    import textwrap

    from scorer import analyze
    from scorer.claims import soft_line_breaks

    paragraphs = [p for p in model_article_text.split("\n") if p.strip()]
    # (not at hyphens: "NATO-\\nlike" reads "NATO- like", as a same-length substitution must)
    wrapped = "\n\n".join(textwrap.fill(p, width, break_on_hyphens=False) for p in paragraphs) + "\n"
    wraps = [i for i, ch in enumerate(wrapped) if ch == "\n"
             and wrapped[i - 1] != "\n" and wrapped[i + 1: i + 2] not in ("\n", "")]
    assert soft_line_breaks(wrapped) == wraps
    assert soft_line_breaks(model_article_text) == []
    plain, report = analyze(model_article_text), analyze(wrapped)
    assert ([" ".join(c.span.text.split()) for c in report.claims]
            == [" ".join(c.span.text.split()) for c in plain.claims])
    assert ([(c.verdict, c.corroboration, c.source_ids, c.hedged, c.contradicted) for c in report.claims]
            == [(c.verdict, c.corroboration, c.source_ids, c.hedged, c.contradicted) for c in plain.claims])
    spans = _spans(report.to_dict())
    assert spans and all(wrapped[s["start"]:s["end"]] == s["text"] for s in spans)
    for line_end in ("\r\n", "\r"):  # a span's text keeps the file's own line ends
        other = wrapped.replace("\n", line_end)
        assert all(other[s["start"]:s["end"]] == s["text"] for s in _spans(analyze(other).to_dict()))


@pytest.mark.parametrize(("prefix", "width"), [("> ", 0), (">", 0), (">> ", 0), ("  > ", 0), ("> ", 72)])
def test_a_forwarded_article_is_read_without_its_quotation_marks(model_article_text: str, prefix: str,
                                                                 width: int) -> None:
    """A tip or newsletter forwarded by e-mail (or a Markdown block quote) puts "> " before every
    line: every claim of a forwarded article began with ">". Read as spaces, one for one, the
    marks leave the article's own report, each span's offsets and text those of the file as given;
    hard-wrapped as well (width 72), the same."""
    import textwrap

    from scorer import analyze
    from scorer.claims import unquote

    lines = model_article_text.split("\n")
    if width:
        lines = [x for p in lines for x in (textwrap.wrap(p, width, break_on_hyphens=False) or [""])]
    quoted = "\n".join(prefix + x if x else prefix.rstrip() for x in lines)
    assert len(unquote(quoted)) == len(quoted) and ">" not in unquote(quoted)
    plain, report = analyze(model_article_text), analyze(quoted)
    assert ([(" ".join(c.span.text.split()), c.verdict, c.corroboration, c.source_ids, c.hedged,
              c.contradicted) for c in report.claims]
            == [(" ".join(c.span.text.split()), c.verdict, c.corroboration, c.source_ids, c.hedged,
                 c.contradicted) for c in plain.claims])
    # Every span at its offsets in the file, its text the file's with the marks read as spaces.
    assert all(unquote(quoted)[s["start"]:s["end"]] == s["text"] for s in _spans(report.to_dict()))
    assert not any(">" in s["text"] for s in _spans(report.to_dict()))


def test_a_forwarded_article_s_mail_headers_are_no_claims(model_article_text: str) -> None:
    """'On Mon, ... Desk <desk@example.com> wrote:' was scored as a claim (rule claims.mail_header)."""
    from scorer import analyze

    quoted = "\n".join("> " + x if x else ">" for x in model_article_text.split("\n"))
    mail = ("---------- Forwarded message ---------\nFrom: Desk <desk@example.com>\n"
            "Date: Mon, Aug 18, 2025 at 9:14 AM\nSubject: Fwd: US proposes guarantees\n\n"
            "On Mon, Aug 18, 2025 at 9:14 AM Desk <desk@example.com> wrote:\n" + quoted)
    plain, report = analyze(model_article_text), analyze(mail)
    assert ([(" ".join(c.span.text.split()), c.verdict, c.source_ids) for c in report.claims]
            == [(" ".join(c.span.text.split()), c.verdict, c.source_ids) for c in plain.claims])


def test_a_line_that_opens_with_a_greater_than_sign_is_the_article_own() -> None:
    from scorer.claims import unquote

    text = "Turnout was high.\n> 50 percent of voters came out, officials said.\nThe count ends Monday.\n"
    assert unquote(text) is text
    # Most lines open with ">", but before numbers: comparisons, not an e-mail's quotation marks.
    table = "Turnout by age, officials said:\n> 65: 71 percent\n> 45: 58 percent\n"
    assert unquote(table) is table
    mail = "> The mayor said the plan failed.\n> 2016 was the last good year, she said.\n> Aides agreed.\n"
    assert ">" not in unquote(mail)  # quoted lines counted, every mark read as a space


def test_a_line_break_inside_a_sentence_is_no_paragraph_break() -> None:
    from scorer import analyze

    text = "The bridge collapsed on Tuesday, killing\nfour people, according to police.\n"
    (claim,) = analyze(text).claims
    assert claim.span.text == text.strip() and claim.verdict == "single_source"


@pytest.mark.parametrize("text", [
    "Officials said three things.\n- The bridge is closed\n- The ferry runs hourly\n- Buses replace trains\n",
    "The council met on Monday.\nThe mayor said the levy would pass.\nThe vote is next week.\n",
    "Senate passes budget deal after late-night vote\nThe Senate approved the budget early on Friday.\n",
    "Apple's quarter disappoints\niPhone sales fell 5% in the quarter, the company said.\n",
    "Headline here\n" + "\n".join([  # one-line paragraphs of about one length, each a sentence
        "The mayor said on Monday that the city would close the old bridge for repairs next week.",
        "The governor said on Tuesday that the state would pay for most of the repairs next year.",
        "Officials said on Wednesday that the repairs would take about three months to finish.",
        "Residents said on Thursday that the closure would add an hour to their daily commute.",
        "The council said on Friday that it would vote on the repair contract later this month."]) + "\n",
])
def test_lines_that_are_items_or_sentences_stay_lines(text: str) -> None:
    from scorer.claims import soft_line_breaks

    assert soft_line_breaks(text) == []


@pytest.mark.parametrize(("opening", "closing"), [("“", "”"), ('"', '"')])
def test_a_quotation_is_not_cut_in_two_whatever_its_marks(opening: str, closing: str) -> None:
    """The clause splitter must not cut a speaker's quotation at its ", but": the guard reads
    straight marks as the curly ones."""
    from scorer import analyze

    text = ("Pollster Pat Caddell told Breitbart News on Thursday how surprised he is.\n\n"
            "Caddell continued:\n\n"
            f"{opening}The health issue overall is very much a partisan issue, but that doesn't account for "
            "almost the same numbers here, which, I'm going to read you the question: \"As you know, Hillary "
            "Clinton left an event early. It was later revealed to be pneumonia. Do you think her health "
            f"matters?\" Forty-three, yes.{closing}\n")
    claims = [c.span.text for c in analyze(text).claims]
    assert any(c.startswith(f"{opening}The health issue") and "but that doesn't account" in c for c in claims)


@pytest.mark.parametrize("sentence", [
    "The mayor said the bridge would close, while the governor said it would stay open.",
    "Sanders hasn't said whether he has a plan, and he insisted at a rally that he is still in the race.",
    "The mayor said the bridge would close; the governor said it would stay open.",
])
def test_the_separating_comma_belongs_to_neither_part(sentence: str) -> None:
    """LABELS.md clarification 7: a sentence split at a clause boundary keeps its comma in neither claim."""
    from scorer import analyze

    claims = [c.span.text for c in analyze(sentence + "\n").claims]
    assert len(claims) == 2 and not claims[0].endswith((",", ";")), claims
    assert sentence.startswith(claims[0]) and sentence.endswith(claims[1])


@pytest.mark.parametrize("width", [47, 58])
def test_wraps_before_capitals_dashes_and_beside_a_long_url_are_all_found(width: int) -> None:
    """A tester's cases: only the lower-case wraps of a text were joined when fewer than three others
    fitted; a URL on a line of its own set the width, so no other break fitted; a wrap before
    " — a reversal" was read as a list item."""
    import textwrap

    from scorer.claims import soft_line_breaks

    paragraphs = [
        "Critics said the plan was rushed, and a spokesman for the governor told reporters on Monday "
        "that the party of Maria Lopez would vote against it — a reversal that aides said came after "
        "weeks of pressure from Sen.\u00a0Bernie Sanders and from “the people of this state,” he said.",
        "https://www.example.gov/briefing-room/statements-releases/2016/03/09/statement-by-the-press-secretary",
        "Officials in Washington said that President Obama would travel to Cuba and that Secretary of "
        "State John Kerry would join him.",
    ]
    wrapped = "\n\n".join(textwrap.fill(p, width, break_on_hyphens=False) for p in paragraphs) + "\n"
    wraps = [i for i, ch in enumerate(wrapped) if ch == "\n"
             and wrapped[i - 1] != "\n" and wrapped[i + 1: i + 2] not in ("\n", "")]
    assert soft_line_breaks(wrapped) == wraps
