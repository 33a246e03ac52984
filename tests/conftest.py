"""Shared fixtures. Tests that read ../shared/data skip when it is absent, except under CI=true,
where its absence is a failure (CI must measure what the README promises)."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from types import ModuleType

import pytest

from scorer.evaluation.polnear import SHARED_DATA  # the one location (SCORER_SHARED_DATA overrides it)
from scorer.report import ClaimResult, Report

MODEL_ARTICLE = (Path(__file__).resolve().parents[1] / "data" / "articles"
                 / "24brussels-ukraine-guarantees.txt")


def load_tool(name: str) -> ModuleType:
    """A script of tools/ (no package) as a module, for testing its functions."""
    path = Path(__file__).resolve().parents[1] / "tools" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def require_shared_data() -> Path:
    if SHARED_DATA.is_dir():
        return SHARED_DATA
    if os.environ.get("CI") == "true":
        pytest.fail(f"{SHARED_DATA} is missing under CI=true: the data tests must run in CI")
    pytest.skip(f"{SHARED_DATA} not found: place ../shared/data beside the project to run the data tests")


@pytest.fixture
def shared_data() -> Path:
    return require_shared_data()


@pytest.fixture(scope="session")
def model_article_text() -> str:
    with open(MODEL_ARTICLE, encoding="utf-8", newline="") as fh:
        return fh.read()


def claim(report: Report, starts_with: str) -> ClaimResult:
    """The one claim of `report` whose text starts with `starts_with`."""
    found = [c for c in report.claims if c.span.text.startswith(starts_with)]
    assert len(found) == 1, [c.span.text[:50] for c in report.claims]
    return found[0]


def hedges_with_an_untriggered_example(folder: Path) -> Path:
    """rules/hedges.yaml with "potential" added to a rule's pattern and examples but not to its
    triggers, written to `folder`: the rule matches its example, yet CueFinder never runs it there."""
    text = (Path(__file__).resolve().parents[1] / "rules" / "hedges.yaml").read_text(encoding="utf-8")
    text = text.replace("rumou?red|suspected)", "rumou?red|suspected|potential)", 1)
    first = 'examples: ["a deputy sheriff in an alleged road rage incident",'
    text = text.replace(first, first.replace("[", '["discuss the potential framework", '), 1)
    path = folder / "hedges.yaml"
    path.write_text(text, encoding="utf-8")
    return path
