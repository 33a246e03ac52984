"""The contested-claim model: cue links stand, the model adds claims a dispute contests (signals.py)."""

from __future__ import annotations

import numpy as np
import pytest

from scorer.labels import LABELS_PATH, load_labels
from scorer.linear import LinearModel, sha256_of
from scorer.pipeline import Pipeline
from scorer.rulebook import ruleset
from scorer.signals import (
    CONTEST_FEATURES,
    DISPUTE_WINDOW,
    contest_model,
    contest_rows,
    contested,
    dispute_window,
    disputing_claim,
)
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


def test_an_article_up_to_the_window_is_read_whole_and_a_longer_one_around_each_claim() -> None:
    assert all(dispute_window(i, DISPUTE_WINDOW) == (0, DISPUTE_WINDOW) for i in range(DISPUTE_WINDOW))
    n = 3 * DISPUTE_WINDOW
    for i in range(n):
        lo, hi = dispute_window(i, n)
        assert hi - lo == DISPUTE_WINDOW and lo <= i < hi
    # A live blog's dispute at its top reaches neither the counts nor the evidence of its end.
    lines = ["The office strongly denied that the chairman fired him."] + [
        f"The chairman fired staff member number {k} in May." for k in range(1, n)]
    spans = _spans("\n".join(lines))
    doubts: list[list[object]] = [["denied"]] + [[] for _ in range(1, n)]
    rows = contest_rows(spans, doubts, [False] * n, [False] * n, ruleset("contest_cues"))
    col = {name: rows[:, k] for k, name in enumerate(CONTEST_FEATURES)}
    near, far = 1, n - 1
    assert col["article_disputes"][near] > 0 and col["dispute_overlap"][near] > 0
    assert col["article_disputes"][far] == 0 and col["dispute_overlap"][far] == 0
    assert disputing_claim(near, spans, doubts) == 0 and disputing_claim(far, spans, doubts) is None


def _always(p_logit: float) -> LinearModel:
    return LinearModel("contest", (0, 1), CONTEST_FEATURES, np.zeros((1, len(CONTEST_FEATURES))),
                       np.array([p_logit]), threshold=0.5)


def test_the_model_never_flags_the_authors_own_doubt() -> None:
    text = ("The lawsuit alleges that the chairman fired him for his military service.\n"
            "That account could not be independently verified.\n"
            "The committee meets on Thursdays.")
    pipeline = Pipeline()
    pipeline.contest = _always(10.0)  # every claim scores ~1
    by_start = {c.span.text[:12]: c for c in pipeline.analyze(text).claims}
    doubt = by_start["That account"]
    assert doubt.contradiction_cues and not doubt.source_ids  # the author's doubt ...
    assert not doubt.contradicted  # ... is nobody's assertion: nothing contradicts it
    assert by_start["The lawsuit "].contradicted
    assert by_start["The committee"[:12]].contradicted  # the model adds claims no cue names


def test_a_cited_sources_denial_is_one_side_the_model_weighs() -> None:
    pipeline = Pipeline()
    pipeline.contest = _always(10.0)
    by_start = {c.span.text[:12]: c for c in pipeline.analyze(DISPUTE).claims}
    denial = by_start["The office s"]
    assert denial.contradiction_cues and denial.source_ids
    assert denial.contradicted  # LABELLING.md: a report and a flat denial are both contested


def test_a_cited_sources_doubt_is_not_contested_by_the_claim_it_doubts() -> None:
    text = ("Senator Ames said the county had closed four rural clinics this spring.\n"
            "The county health office questioned whether any rural clinics had closed this spring.")
    pipeline = Pipeline()
    pipeline.contest = _always(10.0)
    charge, doubt = pipeline.analyze(text).claims
    assert charge.contradicted and charge.contradicted_by == (doubt.id,)
    assert doubt.source_ids and not doubt.contradicted  # a doubt is one-sided, cited or not


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
    X[3, names.index("carries_doubt")] = 1  # the author's doubt: not cited
    y = np.array([1, 1, 0, 0])
    scores = np.array([0.1, 0.9, 0.2, 0.95])
    t, f1 = _union_threshold(X, y, scores)
    assert 0.2 < t <= 0.9 and f1 == 1.0


@pytest.mark.parametrize(("linked", "doubt", "against", "cited", "proba", "expected"), [
    (1, 0, 0, 0, 0.0, True),  # a link stands whatever the model says
    (0, 0, 0, 0, 0.9, True),
    (0, 0, 0, 1, 0.1, False),
    (0, 1, 0, 0, 0.9, False),  # the author's own doubt
    (0, 1, 0, 1, 0.9, False),  # a cited source's doubt: one-sided
    (0, 1, 1, 0, 0.9, False),  # the author's "is false" answers no source's denial
    (0, 1, 1, 1, 0.9, True),  # a cited source's denial: one side of a dispute
    (0, 1, 1, 1, 0.1, False),
])
def test_contested_decision(linked: int, doubt: int, against: int, cited: int, proba: float,
                            expected: bool) -> None:
    names = list(CONTEST_FEATURES)
    row = np.zeros((1, len(names)))
    for name, value in (("linked", linked), ("carries_doubt", doubt), ("asserts_against", against),
                        ("cited", cited)):
        row[0, names.index(name)] = value
    assert contested(row, np.array([proba]), 0.5).tolist() == [expected]


def test_committed_model_was_fitted_on_the_current_labels(shared_data: object) -> None:
    labels = [c for c in load_labels(LABELS_PATH, "train") if c.article_id != "24brussels-ukraine-guarantees"]
    digest = sha256_of(f"{c.article_id},{c.claim_id},{c.start},{c.end},{int(c.contradicted)}\n"
                       for c in labels)
    model = contest_model()
    assert model.meta["training_data"]["sha256"] == digest
    assert model.threshold == model.meta["cv_metrics"]["threshold_chosen_out_of_fold"] or \
        abs(model.threshold - model.meta["cv_metrics"]["threshold_chosen_out_of_fold"]) < 1e-3
