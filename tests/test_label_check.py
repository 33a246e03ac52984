"""tools/label_check.py: claim texts to offsets, and the mechanical LABELLING.md checks."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from scorer.labels import article_text, load_labels
from tests.conftest import load_tool

label_check = load_tool("label_check")

TEXT = ("Officials said the vote will go ahead. The vote will go ahead.\n\n"
        "A ministry report backs it, the paper said. Critics denied it.")


def claim(text: str, types: list[str], ids: list[str], verdict: str, support: list[str] | None = None,
          contradicted: int = 0) -> dict[str, Any]:
    return {"text": text, "source_types": types, "source_ids": ids, "support_source_ids": support or [],
            "hedged": 0, "contradicted": contradicted, "verdict": verdict}


def article(*claims: dict[str, Any]) -> dict[str, Any]:
    return {"article_id": "a1", "labeller": "L0", "sources": {"S1": "officials", "S2": "ministry report",
                                                               "S3": "the paper", "S4": "critics"},
            "claims": list(claims)}


def test_offsets_follow_article_order_and_sources_are_written_primary_first() -> None:
    data = article(
        claim("Officials said the vote will go ahead.", ["unnamed_source"], ["S1"], "single_source"),
        claim("The vote will go ahead.", ["unattributed"], [], "single_source", support=["S1"]),
        claim("A ministry report backs it, the paper said.", ["outlet", "document"], ["S3", "S2"],
              "single_source"))
    problems, rows = label_check.check_article(data, TEXT, "train")
    assert problems == []
    # "The vote will go ahead." also sits inside the first sentence: the search starts after it.
    assert [TEXT[r["start"]:r["end"]] for r in rows] == [c["text"] for c in data["claims"]]
    assert rows[1]["start"] == TEXT.index("The vote")
    assert (rows[1]["source_types"], rows[1]["source_ids"], rows[1]["support_source_ids"]) == \
        ("unattributed", "", "S1")
    assert (rows[2]["source_types"], rows[2]["source_ids"]) == ("document|outlet", "S2|S3")


CRITICS = "Critics denied it."


@pytest.mark.parametrize("bad, message", [
    (claim("The vote will go ahead.", ["unattributed"], [], "single_source"), "unsourced if and only if"),
    (claim(CRITICS, ["unnamed_source"], ["S4"], "single_source", contradicted=1), "contested if"),
    (claim(CRITICS, ["unnamed_source"], ["S4"], "corroborated"), "two independent"),
    (claim(CRITICS, ["unnamed_source"], ["S4", "S1"], "single_source"), "1 source type(s) but 2"),
    (claim(CRITICS, ["unnamed_source"], ["S9"], "single_source"), "not in the article's sources"),
    (claim(CRITICS, ["unnamed_source"], ["S4"], "single_source", support=["S4"]), "both own"),
    (claim("Critics denied  it.", ["unnamed_source"], ["S4"], "single_source"), "not copied exactly"),
    (claim("Critics denied it. ", ["unnamed_source"], ["S4"], "single_source"), "whitespace"),
    (claim(CRITICS, ["anonymous"], ["S4"], "single_source"), "unknown source type"),
])
def test_each_mechanical_rule_is_reported(bad: dict[str, Any], message: str) -> None:
    problems, _ = label_check.check_article(article(bad), TEXT, "train")
    assert any(message in p for p in problems), problems


def test_a_claim_out_of_order_is_reported() -> None:
    data = article(claim(CRITICS, ["unnamed_source"], ["S4"], "single_source"),
                   claim("Officials said the vote will go ahead.", ["unnamed_source"], ["S1"],
                         "single_source"))
    problems, _ = label_check.check_article(data, TEXT, "train")
    assert problems and "out of order" in problems[0]


@pytest.mark.shared_data
def test_the_project_labels_round_trip_through_the_checker(shared_data: Path) -> None:
    """Every labelled PolNeAR article, written as a labeller would (texts, not offsets), checks clean
    and gives back its own rows: the checker agrees with the labels already in data/labels."""
    by_article = defaultdict(list)
    for c in load_labels():
        by_article[c.article_id].append(c)
    for article_id, claims in sorted(by_article.items()):
        text = article_text(article_id)
        ids = {s for c in claims for s in c.source_ids + c.support_source_ids}
        data = {"article_id": article_id, "sources": {s: s for s in ids}, "claims": [
            {"text": text[c.start:c.end], "source_types": list(c.source_types),
             "source_ids": list(c.source_ids), "support_source_ids": list(c.support_source_ids),
             "hedged": int(c.hedged), "contradicted": int(c.contradicted), "verdict": c.verdict}
            for c in claims]}
        problems, rows = label_check.check_article(data, text, claims[0].split)
        assert problems == [], (article_id, problems)
        assert [(r["start"], r["end"], r["source_ids"]) for r in rows] == \
            [(c.start, c.end, "|".join(c.source_ids)) for c in claims], article_id
