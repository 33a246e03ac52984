"""Regression suite: the scorer on the dev split must not drop below the floors in tests/floors.yaml.

Floors are set from measured figures, a little below them. When a change raises a figure, raise its
floor in the same commit; when a change lowers one, the test names the metric and both numbers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

FLOORS_PATH = Path(__file__).parent / "floors.yaml"


def _floors() -> dict[str, Any]:
    return yaml.safe_load(FLOORS_PATH.read_text(encoding="utf-8"))


def _get(result: dict[str, Any], dotted: str) -> float:
    value: Any = result
    for part in dotted.split("/"):
        value = value[part]
    return float(value)


def _check(result: dict[str, Any], floors: dict[str, float], higher_is_better: bool = True) -> list[str]:
    failures = []
    for metric, floor in floors.items():
        value = _get(result, metric)
        ok = value >= floor if higher_is_better else value <= floor
        if not ok:
            failures.append(f"{metric}: measured {value:.4f}, floor {floor:.4f}")
    return failures


@pytest.fixture(scope="module")
def attribution_result(request: pytest.FixtureRequest) -> dict[str, Any]:
    from tests.conftest import require_shared_data

    require_shared_data()
    from scorer.evaluation.attribution_eval import evaluate_attribution

    return evaluate_attribution("dev")


@pytest.fixture(scope="module")
def claims_result() -> dict[str, Any]:
    from tests.conftest import require_shared_data

    require_shared_data()
    from scorer.evaluation.claims_eval import evaluate_claims

    return evaluate_claims("dev")


@pytest.mark.shared_data
def test_attribution_floors(attribution_result: dict[str, Any]) -> None:
    assert not (failures := _check(attribution_result, _floors()["polnear_dev"])), failures


@pytest.mark.shared_data
def test_labelled_claims_floors(claims_result: dict[str, Any]) -> None:
    floors = _floors()
    failures = _check(claims_result, floors["claims_dev"])
    failures += _check(claims_result, floors["claims_dev_ceilings"], higher_is_better=False)
    assert not failures, failures


@pytest.mark.shared_data
def test_model_beats_rules_alone_on_dev_scores(claims_result: dict[str, Any]) -> None:
    """Issue 3's bar, scores: the trained model beats the rules alone on dev Brier, AUC and ECE."""
    model, rules = claims_result["verdict"]["model"], claims_result["verdict"]["rules"]
    assert model["brier"] < rules["brier"]
    assert model["roc_auc"] > rules["roc_auc"]
    assert model["ece"] < rules["ece"]


@pytest.mark.shared_data
def test_model_beats_rules_alone_on_dev_verdicts(claims_result: dict[str, Any]) -> None:
    """Issue 3's bar, verdicts. Met by a hair since the labels grew to 315 train articles (dev 39.8 vs
    39.7): the two verdicts differ only where score >= 0.5 or the rules' count of two sources says
    corroborated, and on dev the model says it of no claim while the rules say it of one, wrongly.
    A floor, not a margin: any change that makes the model's corroborated calls worse fails here."""
    model, rules = claims_result["verdict"]["model"], claims_result["verdict"]["rules"]
    assert model["verdict_macro_f1"] > rules["verdict_macro_f1"]


@pytest.mark.shared_data
def test_baselines_stand_beside_every_claim_metric(claims_result: dict[str, Any]) -> None:
    """Issue 3: every metric also for the rules alone and the majority class. Never flagging is the
    majority for both flags (F1 0); the learned contradiction models add to the cue links."""
    for field in ("hedged", "contradicted"):
        cell = claims_result[field]
        assert cell["majority"]["flag"] is False and cell["majority"]["f1"] == 0.0
        assert 0.0 < cell["rules"]["f1"] < 1.0
    assert claims_result["contradicted"]["f1"] > claims_result["contradicted"]["rules"]["f1"]
    majority = claims_result["source_type"]["majority"]
    assert majority["type"] == "named_official"
    assert majority["accuracy"] < claims_result["source_type"]["accuracy"]
