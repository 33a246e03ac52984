"""The labelled-claims evaluation's statistics, on rows made up here (no ../shared/data needed)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from scorer.evaluation.claims_eval import _bootstrap, _paired_gain, format_claims_table


def _rows(per_article: dict[str, list[float]]) -> list[Any]:
    """Rows that carry only what the resampler reads (`article_id`) and a value to score."""
    return [SimpleNamespace(article_id=a, value=v) for a, values in per_article.items() for v in values]


def _mean_value(rows: list[Any]) -> float:
    return sum(r.value for r in rows) / len(rows)


def test_a_gain_on_every_article_is_ahead_in_every_resample() -> None:
    rows = _rows({f"a{k}": [0.5 + 0.1 * (k % 3), 1.0] for k in range(12)})
    cell = _paired_gain(rows, _mean_value, rounds=200)
    assert cell is not None
    assert cell["model_ahead_share"] == 1.0
    assert 0 < cell["ci95"][0] <= cell["gain"] <= cell["ci95"][1]


def test_a_gain_that_one_article_makes_is_not_ahead_in_every_resample() -> None:
    # Eleven articles where the systems tie (gain 0) and one where the model gains: resamples that
    # leave that article out show no gain, so the share ahead stays well below one.
    rows = _rows({**{f"a{k}": [0.0] for k in range(11)}, "lucky": [1.0]})
    cell = _paired_gain(rows, _mean_value, rounds=400)
    assert cell is not None
    assert cell["gain"] > 0
    assert cell["ci95"][0] == 0.0
    assert 0.5 < cell["model_ahead_share"] < 0.8  # P(the lucky article drawn) = 1 - (11/12)^12 ~ 0.65


def test_one_article_gives_no_interval() -> None:
    rows = _rows({"only": [1.0, 0.0]})
    assert _paired_gain(rows, _mean_value) is None
    assert _bootstrap(rows, _mean_value) is None


def test_the_table_prints_the_paired_gain() -> None:
    cell = {"precision": 0.5, "recall": 0.5, "f1": 0.5, "positives": 10}
    verdict = {"verdict_macro_f1": 0.4, "brier": 0.05, "ece": 0.01, "roc_auc": 0.7}
    result = {"split": "dev", "articles": 2, "labelled_claims": 3, "corroborated_positives": 1,
              "predicted_claims": 3, "claim_recall": 1.0, "claim_precision": 1.0,
              "source_type": {"claims": 0}, "hedged": cell, "contradicted": cell,
              "verdict": {"model": verdict, "rules": verdict},
              "model_vs_rules": {"verdict_macro_f1": {"gain": 0.012, "ci95": [-0.004, 0.03],
                                                      "model_ahead_share": 0.81},
                                 "brier": None}}
    table = format_claims_table(result)
    assert "model ahead of the rules, verdict macro-F1 points: +1.2 [-0.4, +3.0]" in table
    assert "ahead in 81% of resamples" in table
    assert "Brier:" not in table


def test_the_table_prints_both_baselines_for_hedges_and_contradictions() -> None:
    # Issue 3: every metric beside the rules alone and the majority class.
    def cell(f1: float) -> dict[str, Any]:
        return {"precision": f1, "recall": f1, "f1": f1, "positives": 10}

    verdict = {"verdict_macro_f1": 0.4, "brier": 0.05, "ece": 0.01, "roc_auc": 0.7}
    flags = {**cell(0.5), "rules": {**cell(0.25), "f1_ci95": [0.1, 0.4]},
             "majority": {**cell(0.0), "flag": False}}
    result = {"split": "dev", "articles": 2, "labelled_claims": 3, "corroborated_positives": 1,
              "predicted_claims": 3, "claim_recall": 1.0, "claim_precision": 1.0,
              "source_type": {"claims": 0}, "hedged": flags, "contradicted": flags,
              "verdict": {"model": verdict, "rules": verdict}}
    lines = format_claims_table(result).splitlines()
    hedged = lines.index(next(x for x in lines if x.startswith("hedged")))
    assert "model" in lines[hedged] and "F1  50.0" in lines[hedged]
    assert lines[hedged + 1].split()[0] == "rules" and "F1  25.0 [10.0, 40.0]" in lines[hedged + 1]
    assert lines[hedged + 2].split()[0] == "majority" and "F1   0.0" in lines[hedged + 2]


def test_cue_links_contest_the_disputed_claim_and_a_denial_both_sides() -> None:
    from scorer.pipeline import contradicted_by_links
    from scorer.signals import ContradictionLink

    doubt = SimpleNamespace(label="doubt")
    denial = SimpleNamespace(label="denial")
    links = [ContradictionLink(2, 0, doubt, 0.4, False),   # claim 2 doubts claim 0
             ContradictionLink(3, 1, denial, 0.5, True),   # claim 3 (a cited source) denies claim 1
             ContradictionLink(4, 1, denial, 0.5, True)]   # claim 4 denies it too, citing no one
    ids = [("S1",), ("S2",), (), ("S3",), ()]
    assert contradicted_by_links(links, ids) == {0: [2], 1: [3, 4], 3: [1]}
