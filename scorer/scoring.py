"""Step 6: features per claim, the logistic corroboration model, and the verdict.

The model is `rules/corroboration_model.yaml` (a `scorer.linear/1` file): hand-set weights with the
reasoning for each until `scorer train` fits them on labelled claims. Each claim's explanation is the
list of feature contributions recorded as the score is made.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from scorer.linear import Contribution, LinearModel, load_for_features
from scorer.rulebook import RULES_DIR

MODEL_PATH = RULES_DIR / "corroboration_model.yaml"
# The hand-set weights with their reasoning: what LABELLING.md's definition implies before any data.
# `scorer train` shrinks the fitted weights toward these, not toward zero (scorer/training.py).
PRIOR_PATH = RULES_DIR / "corroboration_prior_model.yaml"

# Each feature of the corroboration model with what it means to a reader (the HTML view shows it
# beside the feature's contribution); the model's inputs are these, in this order.
FEATURE_MEANINGS: dict[str, str] = {
    "own_sources": "distinct sources the claim's own sentence cites (up to 3)",
    "two_own_voices": "one cue of its own sentence cites two sources or more",
    "named_official": "it cites a named official",
    "named_institution": "it cites a named institution",
    "named_person": "it cites a named person",
    "document": "it cites a document",
    "outlet": "it cites a news outlet",
    "unnamed_source": "it cites an unnamed source",
    "second_source": "it cites a second, unnamed source",
    "unattributed": "its own sentence cites nobody",
    "support_sources": "sources elsewhere in the article back the same point (up to 2)",
    "on_record_plus_document": "a named source and a document together",
    "outlet_prior": "the publishing outlet's quality prior, centred on 0.5",
    "hedged": "it is hedged",
    "hedge_cues": "hedge cues in it (up to 3)",
    "contradicted": "something in the article disputes it",
    "carries_doubt": "the claim itself voices a doubt or denial",
    "article_sources": "distinct sources the whole article cites (share of 8)",
    "other_source_similarity": "best content overlap with a claim citing a different source",
    "position": "where it stands in the article, 0 (lede) to 1 (last)",
}
FEATURES: tuple[str, ...] = tuple(FEATURE_MEANINGS)

VERDICTS = ("corroborated", "single_source", "contested", "unsourced")


@dataclass(frozen=True)
class ClaimEvidence:
    """What the earlier steps found about one claim, as the scorer sees it."""

    source_types: tuple[str, ...]  # one per cited source id (own sources)
    own_source_ids: tuple[str, ...]
    support_source_ids: tuple[str, ...]
    hedged: bool
    hedge_cues: int
    contradicted: bool
    carries_doubt: bool
    outlet_prior: float
    article_sources: int = 0
    other_source_similarity: float = 0.0
    position: float = 0.0
    # The most sources one cue of the claim's own sentence cites side by side ("according to Meloni
    # and a diplomatic source", "Doe and Roe said"), outlets aside. Sources under different cues of
    # one sentence are rarely independent: a questioner ("asked by a reporter"), a relay ("X said,
    # according to CNN"), or a subject inside the reported content.
    independent_voices: int = 0


def feature_vector(ev: ClaimEvidence) -> np.ndarray:
    types = set(ev.source_types)
    named = bool(types & {"named_official", "named_person", "named_institution"})
    values = {
        "own_sources": min(len(set(ev.own_source_ids)), 3),
        "two_own_voices": ev.independent_voices >= 2,
        "named_official": "named_official" in types,
        "named_institution": "named_institution" in types,
        "named_person": "named_person" in types,
        "document": "document" in types,
        "outlet": "outlet" in types,
        "unnamed_source": "unnamed_source" in types,
        "second_source": "second_source" in types,
        "unattributed": not ev.own_source_ids,
        "support_sources": min(len(set(ev.support_source_ids) - set(ev.own_source_ids)), 2),
        "on_record_plus_document": named and "document" in types,
        "outlet_prior": ev.outlet_prior - 0.5,
        "hedged": ev.hedged,
        "hedge_cues": min(ev.hedge_cues, 3),
        "contradicted": ev.contradicted,
        "carries_doubt": ev.carries_doubt,
        "article_sources": min(ev.article_sources, 8) / 8,
        "other_source_similarity": ev.other_source_similarity,
        "position": ev.position,
    }
    return np.asarray([float(values[name]) for name in FEATURES], dtype=float)


def feature_matrix(evidence: Sequence[ClaimEvidence]) -> np.ndarray:
    if not evidence:
        return np.zeros((0, len(FEATURES)))
    return np.vstack([feature_vector(ev) for ev in evidence])


def corroboration_model(path: str | Path | None = None) -> LinearModel:
    return load_for_features(path or MODEL_PATH, FEATURES, "scorer train data/labels/claims.csv")

def derive_verdict(contradicted: bool, n_supporting: int, score: float) -> str:
    """LABELLING.md: contested, else unsourced, else corroborated at score >= 0.5, else single_source."""
    if contradicted:
        return "contested"
    if n_supporting == 0:
        return "unsourced"
    return "corroborated" if score >= 0.5 else "single_source"


def rules_verdict(contradicted: bool, n_independent: int) -> str:
    """The rules-alone baseline: the same order, with the count of independent sources for the score."""
    if contradicted:
        return "contested"
    if n_independent == 0:
        return "unsourced"
    return "corroborated" if n_independent >= 2 else "single_source"


@dataclass(frozen=True)
class Scored:
    corroboration: float
    verdict: str
    explanation: tuple[Contribution, ...]
    features: tuple[float, ...]


def score_claims(evidence: Sequence[ClaimEvidence], model: LinearModel | None = None) -> list[Scored]:
    """Score all claims of an article in one vectorised call, recording each explanation."""
    if not evidence:
        return []
    model = model or corroboration_model()
    X = feature_matrix(evidence)
    proba = model.predict_proba(X)[:, 1]
    out = []
    for ev, x, p in zip(evidence, X, proba, strict=True):
        contributions = [c for c in model.contributions(x) if c.value != 0.0]
        contributions.append(
            Contribution("intercept", 1.0, float(model.intercept[0]), float(model.intercept[0])))
        contributions.sort(key=lambda c: -abs(c.contribution))
        n_supporting = len(set(ev.own_source_ids) | set(ev.support_source_ids))
        out.append(Scored(float(p), derive_verdict(ev.contradicted, n_supporting, float(p)),
                          tuple(contributions), tuple(float(v) for v in x)))
    return out


def explanation_dicts(contributions: Sequence[Contribution]) -> list[Mapping[str, object]]:
    return [c.to_dict() for c in contributions]
