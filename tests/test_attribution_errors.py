"""tools/attribution_errors.py: every miss and false alarm goes to the cause the docstring names."""

from __future__ import annotations

from scorer.evaluation.polnear import Article, GoldAttribution
from tests.conftest import load_tool

attribution_errors = load_tool("attribution_errors")

TEXT = ("Doe says vote is on\n"
        "Jane Doe said the vote will go ahead. The bill includes a tax cut, its sponsor Roe wrote. "
        "Aides believe it will pass. Critics noted the cost, a lawmaker said.")


def span(phrase: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(phrase, start + 1)
    return start, start + len(phrase)


def test_each_miss_and_false_alarm_gets_its_cause() -> None:
    gold = (
        GoldAttribution(span("Doe"), span("says")),  # headline, not predicted
        GoldAttribution(span("Jane Doe"), span("said")),  # found
        GoldAttribution(span("The bill"), span("includes")),  # cue missed, not a lexicon word
        GoldAttribution(span("Aides"), span("believe")),  # cue missed, a lexicon word
        GoldAttribution(span("its sponsor Roe"), span("wrote")),  # cue found, no source
        GoldAttribution(span("a lawmaker"), span("said", 1)),  # cue found, another source
    )
    article = Article("a1", "train", "pub", TEXT, gold)
    sources = [span("Jane Doe"), span("Critics"), span("the cost")]
    cues = [span("said"), span("wrote"), span("said", 1), span("noted")]
    pairs = [(span("Jane Doe"), span("said")), (None, span("wrote")), (span("Critics"), span("said", 1)),
             (span("the cost"), span("noted"))]
    misses, alarms = attribution_errors.classify(article, sources, cues, pairs,
                                                 frozenset({"said", "says", "wrote", "believe", "noted"}))
    by_span = {TEXT[s:e]: cause for cause, _, (s, e), _ in misses}
    assert by_span == {
        "Doe": "headline",
        "The bill": "cue missed, other word",
        "Aides": "cue missed, lexicon word",
        "its sponsor Roe": "cue found, no source",
        "a lawmaker": "cue found, other source",
    }
    assert {TEXT[s:e]: (cause, speech, TEXT[c[0]:c[1]]) for cause, speech, (s, e), c in alarms} == {
        "Critics": ("cue marked, source elsewhere", True, "said"),  # a gold cue, of "a lawmaker"
        "the cost": ("cue not marked", True, "noted"),  # a speech cue PolNeAR does not mark here
    }
    # A miss carries its gold cue: the top-cue lists count those.
    assert {TEXT[s:e]: TEXT[c[0]:c[1]] for _, _, (s, e), c in misses}["The bill"] == "includes"
