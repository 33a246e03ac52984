"""The model article must read as a careful editor would read it (issue 2)."""

from __future__ import annotations

import pytest

from scorer import analyze
from scorer.report import Report

from .conftest import claim


@pytest.fixture(scope="module")
def report(model_article_text: str) -> Report:
    return analyze(model_article_text, outlet="24brussels.net", article_id="24brussels-ukraine-guarantees")


def test_opening_claim_cites_meloni_and_the_diplomatic_source(report: Report) -> None:
    c = claim(report, "The US has proposed security guarantees")
    assert c.source_types == ("named_official", "unnamed_source")
    assert report.source(c.source_ids[0]).name == "Italy’s Prime Minister Giorgia Meloni"
    # A source is called as the article introduces it, not as it takes it up ("The diplomatic source").
    assert report.source(c.source_ids[1]).name == "a diplomatic source"
    # Two voices cited in the claim's own sentence is the model's strongest corroboration signal.
    assert c.corroboration == max(x.corroboration for x in report.claims)


def test_opening_claim_is_corroborated(report: Report) -> None:
    assert claim(report, "The US has proposed security guarantees").verdict == "corroborated"


def test_outlet_attribution(report: Report) -> None:
    c = claim(report, "The proposal emerged during a call")
    assert c.source_type == "outlet"
    assert any(a.source and a.source.text == "24brussels" and a.cue and a.cue.text == "reports"
               for a in c.attributions)


def test_putin_claim_is_the_diplomatic_source_hedged_and_contested(report: Report) -> None:
    opening = claim(report, "The US has proposed security guarantees")
    putin = claim(report, "The diplomatic source revealed")
    assert putin.source_types == ("unnamed_source",)
    assert putin.source_ids[0] == opening.source_ids[1]
    assert putin.hedged and any(h.text == "purportedly" for h in putin.hedge_cues)
    assert putin.contradicted and putin.verdict == "contested"
    skeptic = claim(report, "Another source corroborated")
    unclear = claim(report, "Meloni’s statement did not clarify")
    assert set(putin.contradicted_by) == {skeptic.id, unclear.id}
    assert any("skepticism" in cue.text for cue in skeptic.contradiction_cues)
    assert any("did not clarify whether" in cue.text for cue in unclear.contradiction_cues)
    assert not skeptic.contradicted and not unclear.contradicted
    assert opening.corroboration > putin.corroboration


def test_meloni_sentences_share_her_id_and_the_last_is_hedged(report: Report) -> None:
    opening = claim(report, "The US has proposed security guarantees")
    meloni = opening.source_ids[0]
    for start in ("Meloni, participating", "She stated", "In previous discussions, Meloni indicated"):
        assert claim(report, start).source_ids == (meloni,)
        assert claim(report, start).source_type == "named_official"
    assert claim(report, "In previous discussions, Meloni indicated").hedged
    assert any("necessarily" in h.text for h in claim(report, "In previous discussions").hedge_cues)


def test_second_source_keeps_one_id(report: Report) -> None:
    first = claim(report, "Another source corroborated")
    second = claim(report, "The second source revealed")
    assert first.source_type == second.source_type == "second_source"
    assert first.source_ids == second.source_ids
    assert report.source(first.source_ids[0]).name == "Another source"


def test_french_presidency_is_an_institution(report: Report) -> None:
    assert claim(report, "A video call among the leaders").source_type == "named_institution"


@pytest.mark.parametrize("start", [
    "Zelensky is scheduled to visit Washington on Monday",
    "NATO’s collective security, grounded in Article 5",
    "Trump has consistently dismissed the notion",
])
def test_background_is_unattributed_and_firm(report: Report, start: str) -> None:
    c = claim(report, start)
    assert c.source_type == "unattributed"
    assert c.verdict == "unsourced"
    if start.startswith("Zelensky"):
        assert not c.hedged


def test_no_headline_or_initials_claims(report: Report) -> None:
    texts = [c.span.text for c in report.claims]
    assert "(bms, sm)" not in texts
    assert not any(t.startswith("‘") for t in texts)


def test_every_explanation_adds_up_to_the_score(report: Report) -> None:
    import math

    for c in report.claims:
        logit = sum(e.contribution for e in c.explanation)
        assert math.isclose(1 / (1 + math.exp(-logit)), c.corroboration, rel_tol=1e-6)



def test_a_contradicted_flag_without_a_disputing_claim_says_what_it_rests_on(report: Report) -> None:
    """The contested-claim model may flag a claim no one claim disputes: the views said
    "contradicted by ;" with nothing after it."""
    from dataclasses import replace

    from scorer.report import _flags, to_markdown

    disputed = replace(report.claims[2], contradicted=True, contradicted_by=())
    assert "contradicted (the article disputes it; no one claim states the dispute)" in _flags(disputed)
    markdown = to_markdown(replace(report, claims=(disputed,)))
    assert "contradicted by ;" not in markdown and "contradicted by |" not in markdown
    assert "contradicted by C12, C13" in _flags(report.claims[2])


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"text": None}, "the text must be a str, not NoneType"),
    ({"text": b"Officials said it."}, r"not bytes; decode it first, e.g. text.decode\('utf-8'\)"),
    ({"text": "Officials said it.", "outlet": b"bbc.com"}, "the outlet must be a str"),
    ({"text": "Officials said it.", "article_id": 7}, r"the article id must be a str or None, not int"),
])
def test_analyze_names_a_wrong_argument(kwargs: dict[str, object], message: str) -> None:
    # A wrong type failed deep inside ("'bytes' object has no attribute 'startswith'").
    from scorer.errors import InputError

    with pytest.raises(InputError, match=message):
        analyze(**kwargs)  # type: ignore[arg-type]


def test_a_missing_outlet_cell_is_no_outlet(model_article_text: str) -> None:
    # df.apply passes an empty outlet cell as NaN: "'float' object has no attribute 'strip'".
    plain = analyze(model_article_text).to_dict()
    assert analyze(model_article_text, outlet=float("nan")).to_dict() == plain


def test_an_unknown_source_id_is_a_key_error_naming_the_ids(report: Report) -> None:
    with pytest.raises(KeyError, match="no source 'S99' in this report; its sources: S1, S2"):
        report.source("S99")
