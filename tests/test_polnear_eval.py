"""PolNeAR scoring: the scorer's own rules for the README's method, and a run on real dev articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from scorer.evaluation.polnear import PRF, match_spans, parse_ann

ANN = """T1\tSource 0 5\tSmith
T2\tCue 6 10\tsaid
T3\tContent 11 30\tthe talks had ended
E1\tAttribution:T2 Content:T3 Cue:T2 Source:T1
T4\tCue 32 44\taccording to
E2\tAttribution:T4 Cue:T4
T5\tSource 50 52;55 60\tXX YYYYY
E3\tAttribution:T2 Cue:T2 Source:T5
"""


def test_parse_ann_takes_extents_and_cue_only_events() -> None:
    chars = list("Smith said the talks had ended; according to the papers" + " " * 30)
    chars[50:52], chars[55:60] = "XX", "YYYYY"
    text = "".join(chars)
    gold = parse_ann(ANN, text)
    assert gold[0].source == (0, 5) and gold[0].cue == (6, 10)
    assert gold[1].source is None and gold[1].cue == (32, 44)
    assert gold[2].source == (50, 60)


@pytest.mark.parametrize(("pred", "gold", "exact", "expected"), [
    ([(0, 5)], [(0, 5)], True, PRF(1, 1, 1)),
    ([(0, 4)], [(0, 5)], True, PRF(0, 1, 1)),
    ([(0, 4)], [(0, 5)], False, PRF(1, 1, 1)),
    ([(0, 4), (1, 3)], [(0, 5)], False, PRF(1, 2, 1)),  # one to one
    ([(0, 5), (0, 5)], [(0, 5)], True, PRF(1, 1, 1)),  # identical spans count once
])
def test_match_spans(pred: list[tuple[int, int]], gold: list[tuple[int, int]], exact: bool,
                     expected: PRF) -> None:
    assert match_spans(pred, gold, exact) == expected


@pytest.mark.shared_data
def test_dev_attribution_runs_through_the_report(shared_data: Path) -> None:
    from scorer.evaluation.attribution_eval import evaluate_attribution

    result = evaluate_attribution("dev", limit=20)
    cells = result["all"]
    assert result["articles"] == 20
    # Not a floor (issue 2 reports honest numbers; issue 4 sets floors): a sanity bound that fails
    # if the report stops carrying attributions at all.
    assert cells["source.overlap"]["f1"] > 0.3 and cells["cue.overlap"]["f1"] > 0.3
