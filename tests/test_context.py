"""Step 4b: claims that cite no one take their speaker from the paragraph (scorer/context.py)."""

from __future__ import annotations

import numpy as np
import pytest

from scorer import analyze
from scorer.context import CONTEXT_FEATURES, context_model, context_rows, lender_of
from scorer.labels import LABELS_PATH, load_labels
from scorer.spans import Span


def spans_of(text: str, sentences: list[str]) -> list[Span]:
    out, at = [], 0
    for s in sentences:
        start = text.index(s, at)
        out.append(Span(start, start + len(s), s))
        at = start + len(s)
    return out


def test_apostrophes_are_not_quotes_and_first_person_is_seen() -> None:
    sentences = ["Smith said the plan failed.", "NATO’s members disagree.", "“We will not give up.”",
                 "I promise you that."]
    text = " ".join(sentences[:2]) + "\n" + " ".join(sentences[2:])
    spans = spans_of(text, sentences)
    rows = context_rows(text, spans, [("S1",), (), (), ()], [False] * 4, np.zeros((4, 4)))
    assert rows[0] is None  # cites someone: nothing to inherit
    assert rows[1] is not None and rows[1]["has_quote"] == 0.0 and rows[1]["first_person"] == 0.0
    assert rows[1]["prev_cited_same_paragraph"] == 1.0
    assert rows[2] is not None and rows[2]["starts_with_quote"] == 1.0 and rows[2]["has_quote"] == 1.0
    assert rows[2]["prev_cited_other_paragraph"] == 0.0  # claim 1 cites no one: not adjacent-cited
    assert rows[3] is not None and rows[3]["first_person"] == 1.0 and rows[3]["second_person"] == 1.0
    assert set(rows[3]) == set(CONTEXT_FEATURES)


def test_lender_prefers_the_paragraph_then_the_nearest_before() -> None:
    sentences = ["Smith said the plan failed.", "It was costly.", "Jones said it worked.", "“It did.”"]
    text = sentences[0] + " " + sentences[1] + "\n" + sentences[2] + "\n" + sentences[3]
    spans = spans_of(text, sentences)
    own = [("S1",), (), ("S2",), ()]
    sims = np.zeros((4, 4))
    assert lender_of(1, text, spans, own, sims) == 0  # same paragraph, before
    assert lender_of(3, text, spans, own, sims) == 2  # nearest cited claim before it


def test_a_quote_paragraph_keeps_its_speaker_and_background_stays_unsourced() -> None:
    text = ("The senator said on Tuesday that the bill would pass.\n"
            "“We have the votes. I have counted them twice,” she told reporters.\n"
            "“Nobody should doubt it.”\n"
            "The bill was introduced in March.")
    report = analyze(text)
    by_start = {c.span.text[:12]: c for c in report.claims}
    quote = by_start["“Nobody shou"]
    assert quote.source_ids and quote.source_ids == by_start["“We have the"].source_ids
    assert quote.attributions[0].rule_id == "attr.paragraph_speaker"
    # A quotation whose cue comes after it takes the speaker named there, by the quotation rule
    # before the paragraph model is asked.
    opening = by_start["“We have the"]
    assert opening.attributions[0].rule_id == "attr.quote_continuation"
    assert opening.source_ids == by_start["I have counte"[:12]].source_ids
    background = by_start["The bill was"]
    assert background.source_ids == () and background.verdict == "unsourced"


def test_a_quoted_paragraph_is_one_voice_from_its_first_sentence_to_its_last() -> None:
    # The paragraph model lends the speaker to the sentences that open or close the quotation; the
    # sentence between them, neither quoted at its start nor in the first person, is the same voice.
    text = ("“Dividing people is just sad,” Barkley said.\n"
            "“Then you have these losers who love that. So they have to blame other people. "
            "Your life gets worse because of you.”\n"
            "The game starts at eight.")
    report = analyze(text)
    tagged, opening, middle, closing, background = report.claims
    assert tagged.source_ids != ()
    assert opening.source_ids == middle.source_ids == closing.source_ids == tagged.source_ids
    assert middle.attributions[0].rule_id == "attr.quote_continuation"
    assert background.source_ids == ()


def test_committed_model_was_fitted_on_the_current_labels(shared_data: object) -> None:
    """`scorer train-context` records the label hash; a changed labels file needs a refit."""
    from scorer.linear import sha256_of

    labels = [c for c in load_labels(LABELS_PATH, "train") if c.article_id != "24brussels-ukraine-guarantees"]
    digest = sha256_of(f"{c.article_id},{c.claim_id},{c.start},{c.end},{'|'.join(c.source_ids)},"
                       f"{'|'.join(c.support_source_ids)}\n" for c in labels)
    meta = context_model().meta
    assert meta["training_data"]["sha256"] == digest
    assert meta["training_data"]["split"] == "train"
    # The fitted model must beat the majority class out of fold, or it has no business deciding.
    cv = meta["cv_metrics"]
    assert cv["oof_accuracy"] > max(cv["base_rate"], 1 - cv["base_rate"])


@pytest.mark.parametrize("feature", CONTEXT_FEATURES)
def test_every_feature_has_a_weight(feature: str) -> None:
    model = context_model()
    assert feature in model.features
