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


def test_an_annotator_who_marks_the_gold_agrees_fully_and_one_who_shifts_a_source_does_not() -> None:
    from scorer.evaluation.attribution_eval import annotator_scores
    from scorer.evaluation.polnear import Article, GoldAttribution

    text = "Smith said the talks had ended, according to the papers."
    gold = (GoldAttribution((0, 5), (6, 10)), GoldAttribution((45, 55), (32, 44)))
    article = Article("a", "dev", "pub", text, gold)
    same = annotator_scores(article, gold)
    assert all(prf.f1 == 1.0 for prf in same.values() if prf.n_gold)
    shifted = annotator_scores(article, (GoldAttribution((0, 4), (6, 10)), gold[1]))
    assert shifted["source.exact"] == PRF(1, 2, 2)
    assert shifted["source.overlap"] == PRF(2, 2, 2)
    assert shifted["cue.exact"] == PRF(2, 2, 2)


@pytest.mark.shared_data
def test_dev_agreement_scores_the_later_annotators_against_the_first(shared_data: Path) -> None:
    from scorer import analyze
    from scorer.evaluation.attribution_eval import annotator_agreement
    from scorer.evaluation.polnear import load_split, other_annotations

    articles = load_split("dev")
    others = other_annotations(articles)
    # ../shared/data/README.md: some articles have several annotators' files; dev has two such.
    assert others and all(len(v) >= 1 for v in others.values())
    first = {a.id: a.attributions for a in articles}
    assert all(annotation != first[aid] for aid, v in others.items() for annotation in v)
    result = annotator_agreement(articles, analyze)
    assert result is not None and result["articles"] == len(others)
    people, ours = result["annotators"], result["scorer"]
    # People disagree with the gold somewhere, and agree with it far more often than not.
    assert 0.5 < people["source.overlap"]["f1"] < 1.0
    assert ours["source.overlap"]["gold"] == sum(
        len({g.source for g in first[aid] if g.source}) for aid in others)


def test_a_missing_reference_file_says_where_it_belongs_or_what_to_give(tmp_path) -> None:
    from scorer.errors import DataMissing
    from scorer.evaluation.emergent import EMERGENT_TRAIN, load_emergent
    from scorer.evaluation.wikiweasel import evaluate_wikiweasel

    if not EMERGENT_TRAIN.exists():
        with pytest.raises(DataMissing, match=r"Emergent CSV not found \(expected ../shared/data/emergent/"):
            load_emergent()
    with pytest.raises(DataMissing, match=r"mine.csv: Emergent CSV not found \(give an Emergent-format"):
        load_emergent(tmp_path / "mine.csv")
    with pytest.raises(DataMissing, match=r"WikiWeasel file not found \(give a WikiWeasel-format CSV\)"):
        evaluate_wikiweasel(tmp_path / "w.csv")
