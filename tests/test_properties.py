"""Invariants over arbitrary text (hypothesis): spans in bounds, trimmed, ordered, equal to their slice,
and the JSON report valid against schema scorer.report/1."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scorer import analyze

WORDS = ["said", "the", "minister", "Meloni", "according", "to", "a", "source", "“", "”", '"', "'", "’",
         "reportedly", "may", "denied", "that", ",", ".", "?", "\n", "\r\n", "  ", "Another", "She", "—",
         "(bms, sm)", "Reuters", "é", "漢字", "🙂", "\t", "Mr.", "U.S.", "told", ":"]
article = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(WORDS), max_size=120).map(" ".join),
    st.lists(st.sampled_from(WORDS), max_size=120).map("".join),
)

SPAN_KEYS = {"start", "end", "text"}


def check_span(text: str, span: dict[str, Any]) -> None:
    assert set(span) == SPAN_KEYS
    s, e = span["start"], span["end"]
    assert isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(text)
    assert text[s:e] == span["text"]
    assert not span["text"][0].isspace() and not span["text"][-1].isspace()


def check_report(text: str, doc: dict[str, Any]) -> None:
    assert doc["schema"] == "scorer.report/1"
    assert set(doc) == {"schema", "article", "sources", "claims", "other_attributions", "summary"}
    assert set(doc["article"]) == {"id", "outlet", "chars"} and doc["article"]["chars"] == len(text)
    source_ids = set()
    for src in doc["sources"]:
        assert set(src) == {"id", "name", "type", "cited", "mentions"}
        source_ids.add(src["id"])
        for m in src["mentions"]:
            check_span(text, m)
    last_end = 0
    claim_ids = {c["id"] for c in doc["claims"]}
    for c in doc["claims"]:
        check_span(text, {k: c[k] for k in SPAN_KEYS})
        assert c["start"] >= last_end
        last_end = c["end"]
        assert 0.0 <= c["corroboration"] <= 1.0
        assert c["verdict"] in {"corroborated", "single_source", "contested", "unsourced"}
        assert isinstance(c["hedged"], bool) and isinstance(c["contradicted"], bool)
        assert c["source_type"] == (c["source_types"][0] if c["source_types"] else "unattributed")
        assert set(c["contradicted_by"]) <= claim_ids
        for cue in c["hedge_cues"] + c["contradiction_cues"]:
            check_span(text, cue)
            assert c["start"] <= cue["start"] and cue["end"] <= c["end"]
        for att in c["attributions"]:
            assert att["source_id"] in source_ids or (att["source_id"] is None and not att["cited"])
            for key in ("source", "cue"):
                if att[key] is not None:
                    check_span(text, att[key])
        for e in c["explanation"]:
            assert set(e) == {"feature", "value", "weight", "contribution"}
    others = doc["other_attributions"]
    assert [(a["sentence"]["start"], a["cue"]["start"]) for a in others] == sorted(
        (a["sentence"]["start"], a["cue"]["start"]) for a in others)
    for att in others:
        assert set(att) == {"sentence", "source", "cue", "cue_class", "rule"}
        check_span(text, att["sentence"])
        check_span(text, att["cue"])
        if att["source"] is not None:
            check_span(text, att["source"])
        # Outside every claim, inside its own sentence.
        assert att["sentence"]["start"] <= att["cue"]["start"] and att["cue"]["end"] <= att["sentence"]["end"]
        assert all(c["end"] <= att["cue"]["start"] or att["cue"]["end"] <= c["start"] for c in doc["claims"])
    assert doc["summary"]["claims"] == len(doc["claims"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(article)
def test_report_invariants(text: str) -> None:
    doc = analyze(text).to_dict()
    check_report(text, doc)
    json.loads(json.dumps(doc, ensure_ascii=False))


def test_model_article_report_is_valid(model_article_text: str) -> None:
    check_report(model_article_text, analyze(model_article_text).to_dict())
