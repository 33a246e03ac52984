"""The contested-claim model: cue links stand, the model adds claims a dispute contests (signals.py)."""

from __future__ import annotations

import numpy as np

from scorer.labels import LABELS_PATH, load_labels
from scorer.linear import LinearModel, sha256_of
from scorer.pipeline import Pipeline
from scorer.rulebook import ruleset
from scorer.signals import CONTEST_FEATURES, contest_model, contest_rows
from scorer.spans import Span
from scorer.training import _union_threshold

DISPUTE = ("The lawsuit alleges that the chairman fired him for his military service.\n"
           "The office strongly denied that he was fired for his service.\n"
           "“We did not and do not discriminate,” a spokesman said.\n"
           "The committee meets on Thursdays.")


def _spans(text: str) -> list[Span]:
    out, at = [], 0
    for line in text.split("\n"):
        out.append(Span(at, at + len(line), line))
        at += len(line) + 1
    return out


def test_rows_see_charges_answers_and_the_article_dispute() -> None:
    spans = _spans(DISPUTE)
    doubts: list[list[object]] = [[], ["denied"], [], []]
    rows = contest_rows(spans, doubts, [True, False, False, False], [True, True, True, False],
                        ruleset("contest_cues"))
    col = {name: rows[:, k] for k, name in enumerate(CONTEST_FEATURES)}
    assert col["allegation"].tolist() == [1, 0, 0, 0]
    assert col["rebuttal"][1] == 1 and col["negation"][2] == 1
    assert col["carries_doubt"].tolist() == [0, 1, 0, 0]
    assert col["linked"].tolist() == [1, 0, 0, 0]
    assert col["dispute_nearby"][0] == 1 and col["dispute_overlap"][0] > col["dispute_overlap"][3]
    assert np.all(col["article_disputes"] == col["article_disputes"][0]) and col["article_disputes"][0] > 0
    assert col["allegation_in_dispute"][0] == col["article_disputes"][0]


def _always(p_logit: float) -> LinearModel:
    return LinearModel("contest", (0, 1), CONTEST_FEATURES, np.zeros((1, len(CONTEST_FEATURES))),
                       np.array([p_logit]), threshold=0.5)


def test_the_model_never_flags_the_claim_that_carries_the_doubt() -> None:
    pipeline = Pipeline()
    pipeline.contest = _always(10.0)  # every claim scores ~1
    report = pipeline.analyze(DISPUTE)
    links_only = {c.span.text[:12]: c for c in Pipeline(use_contest=False).analyze(DISPUTE).claims}
    by_start = {c.span.text[:12]: c for c in report.claims}
    assert by_start["The lawsuit "].contradicted
    denial = by_start["The office s"]
    assert denial.contradiction_cues  # it carries the doubt ...
    # ... so only its own link decides (a flat denial is contested both ways), never the model.
    assert denial.contradicted == links_only["The office s"].contradicted
    assert by_start["The committee"[:12]].contradicted  # the model adds claims no cue names
    assert not links_only["The committee"[:12]].contradicted


def test_a_silent_model_leaves_the_cue_links_alone() -> None:
    with_model, without = Pipeline(), Pipeline(use_contest=False)
    with_model.contest = _always(-10.0)  # every claim scores ~0
    a, b = with_model.analyze(DISPUTE), without.analyze(DISPUTE)
    assert [c.contradicted for c in a.claims] == [c.contradicted for c in b.claims]
    assert any(c.contradicted for c in a.claims)


def test_union_threshold_counts_links_and_skips_doubters() -> None:
    names = list(CONTEST_FEATURES)
    X = np.zeros((4, len(names)))
    X[0, names.index("linked")] = 1
    X[3, names.index("carries_doubt")] = 1
    y = np.array([1, 1, 0, 0])
    scores = np.array([0.1, 0.9, 0.2, 0.95])
    t, f1 = _union_threshold(X, y, scores)
    assert 0.2 < t <= 0.9 and f1 == 1.0


def test_committed_model_was_fitted_on_the_current_labels(shared_data: object) -> None:
    labels = [c for c in load_labels(LABELS_PATH, "train") if c.article_id != "24brussels-ukraine-guarantees"]
    digest = sha256_of(f"{c.article_id},{c.claim_id},{c.start},{c.end},{int(c.contradicted)}\n"
                       for c in labels)
    model = contest_model()
    assert model.meta["training_data"]["sha256"] == digest
    assert model.threshold == model.meta["cv_metrics"]["threshold_chosen_out_of_fold"] or \
        abs(model.threshold - model.meta["cv_metrics"]["threshold_chosen_out_of_fold"]) < 1e-3
