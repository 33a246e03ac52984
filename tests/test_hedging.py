"""Hedge detection: news sentences as a table, cue offsets, the model file, and WikiWeasel.

The table follows LABELLING.md ("Hedged") and is judged by the default `labelling` scheme, the one
the scorer uses on news. The WikiWeasel test measures the learned model on real labelled text.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from scorer.errors import InputError, RuleError
from scorer.hedging import (
    DEFINITION_FEATURE,
    HEDGE_MODEL_PATH,
    HEDGE_RULES_PATH,
    NEWS_HEDGE_MODEL_PATH,
    CueFinder,
    Featurizer,
    HedgeDetector,
    HedgeResult,
    default_detector,
    train_hedge_model,
)
from scorer.linear import LinearModel
from scorer.rulebook import load_ruleset
from tests.conftest import SHARED_DATA, hedges_with_an_untriggered_example

WIKIWEASEL = SHARED_DATA / "wikiweasel" / "train.csv"

# Measured 5-fold CV F1 of the detector (wikiweasel scheme) is 0.663 (folds 0.663 +- 0.014; seed 0;
# 0.643 before the weasel cue classes of issue 5: clause-opening vague groups, prepositional vague
# groups, the modal perfect, durations, judgement verbs, speculative nouns; 0.664 before the news
# counter-cues from the error analysis of the train claims). The floor sits a little below, so a
# real regression fails and noise does not.
WIKIWEASEL_F1_FLOOR = 0.65


# (sentence, hedged, a cue text that must be among the cues, or None)
NEWS = [
    # -- hedged: the kinds LABELLING.md names --------------------------------------------------
    (
        "The diplomatic source revealed that the proposal included a non-NATO Article 5 type guarantee, "
        "purportedly agreed upon with Putin.",
        True,
        "purportedly",
    ),
    (
        "the proposal included a non-NATO Article 5 type guarantee, purportedly agreed upon with Putin",
        True,
        "purportedly",
    ),
    (
        "In previous discussions, Meloni indicated to Italian senators that such a response would not "
        "necessarily mean engaging in warfare.",
        True,
        "not necessarily",
    ),
    ("such a response would not necessarily mean engaging in warfare", True, "not necessarily"),
    ("If approved, the plan would cut emissions by a third by 2030.", True, "If"),
    ("Should the talks fail, Brussels would impose new sanctions.", True, "would"),
    ("The central bank is expected to raise interest rates next week.", True, "is expected to"),
    ("The opposition is likely to reject the budget.", True, "likely to"),
    ("The government plans to privatise the national railway.", True, "plans to"),
    ("The minister intends to resign after the budget vote.", True, "intends to"),
    ("It is unclear whether the ceasefire will hold.", True, "unclear"),
    ("The strike may have killed dozens of civilians.", True, "may"),
    ("The talks might collapse before the weekend.", True, "might"),
    ("The fire could spread to nearby villages overnight.", True, "could"),
    ("The suspect allegedly fled to Austria on a false passport.", True, "allegedly"),
    ("Putin reportedly agreed to the proposal during the call.", True, "reportedly"),
    ("The gunman is said to have links to the group.", True, "is said to"),
    ("Some experts believe the sanctions have failed.", True, "Some experts believe"),
    ("Critics argue that the new law curbs press freedom.", True, "Critics argue"),
    ("It is widely believed that the minister knew of the payments.", True, "It is widely believed"),
    ("The deal appears to have stalled over border demands.", True, "appears to"),
    ("He claimed that the election had been rigged.", True, "claimed that"),
    ("The results suggest that the vaccine remains effective.", True, "suggest"),
    ("The claim could not be independently verified.", True, "not be independently verified"),
    ("Unconfirmed reports said the convoy had been hit.", True, "Unconfirmed"),
    ("Rumours swirled that the coach would be sacked.", True, "Rumours"),
    ("Casualties were reported in the southern district.", True, "were reported"),
    ("The two leaders are thought to have met in secret.", True, "are thought to"),
    ("Analysts say the economy seems to be slowing.", True, "seems"),
    ("The army would probably need months to rebuild the bridge.", True, "probably"),
    ("No-one knows how this could work.", True, "No-one knows"),
    # accusations introduce their content as allegations do; first-person opinion; forecasts
    ("Sanders accused Clinton of being too reliant on Wall Street.", True, "accused Clinton of"),
    ("The opposition charged that the vote had been rigged.", True, "charged that"),
    ("It is hard to say whether the truce will last.", True, "hard to say"),
    ("Whether the ceasefire will hold is unknown.", True, "is unknown"),
    ("I think the deal is dead.", True, "think"),
    ("The senator hopes that the bill will pass.", True, "hopes that"),
    ("The bill is supposed to have passed last week.", True, "is supposed to"),
    # -- a "whether" that only reports an open question: the claim (that someone asked, or that a
    # statement left it open) is firm. The project's own label of the model article's Meloni
    # sentence is hedged 0 (data/labels/model_article.csv, C13; LABELLING.md lists "did not clarify
    # whether" among the cues of a doubt, under Contradicted), and 10 of the 33 labelled train claims
    # holding a "whether" are hedged. Epistemic "whether" (unclear, hard to say, unknown) stays above.
    ("Meloni's statement did not clarify whether the concept had been broached with Putin.", False, None),
    ("Officials asked whether the shipment had been inspected.", False, None),
    # -- not hedged: firm statements, plain attribution, ability, reported future ----------------
    ("Zelensky is scheduled to visit Washington on Monday.", False, None),
    ("The minister said the talks ended.", False, None),
    ("According to officials, three people were killed in the blast.", False, None),
    ("The ceasefire took effect at midnight, according to officials.", False, None),
    ("The talks ended without agreement, according to a government spokesperson.", False, None),
    ("the drone could fly 10 km", False, None),
    ("Meloni confirmed that Trump introduced the idea.", False, None),
    ("Police arrested two men in Lyon on Tuesday.", False, None),
    ("A video call among the leaders will occur on Sunday.", False, None),
    ("Trump told reporters the summit would go ahead.", False, None),
    ("Rescuers were able to reach the survivors by boat.", False, None),
    ("The company reported a net profit of 3 billion euros.", False, None),
    ("Some 300 people were evacuated from the area.", False, None),
    ("He would later become prime minister.", False, None),
    ("Many residents fled the city after the earthquake.", False, None),
    ("The court will announce its verdict on Friday.", False, None),
    # data/LABELS.md clarification 2: a third person's stated view is attribution
    ("Clinton believes the deal is fair.", False, None),
    # hedge words in fixed phrases, embedded questions, wishes, past capacity
    ("Hillary Clinton leads Bernie Sanders among likely voters.", False, None),
    ("Trump, the presumptive Republican nominee, spoke in Ohio.", False, None),
    ("Asked if he was ever bullied, the candidate said no.", False, None),
    ("The party would like to see more funding for schools.", False, None),
    ("He was charged with murder on Tuesday.", False, None),
    ("The ballot measure seeks to raise the cap on charter schools.", False, None),
    # issue 5, error analysis of the train claims: a reported or polled "would", a concessive
    # "even if", a first-person wish, negated "could", an outlet's report, idioms of certainty
    ("Then, in 2019, the minister said that 40,000 would be admitted.", False, None),
    ("The coach pointed out that since the striker was injured in the final, he would start.", False, None),
    ("In the survey, 33% would be angry and 21% who would be relieved.", False, None),
    ("The mayor said that even if the vote failed, she would stay in office.", False, None),
    # a first-person hope is an intent verb (data/LABELS.md, clarification 4; 8 of 14 train claims
    # with "I/we hope" are labelled hedged): hedged, like a third person's hope
    ("I sincerely hope that the talks succeed.", True, "hope that"),
    ("The senator said she could not support the trade deal.", False, None),
    ("Nobody knows the harbour better than the old pilots.", False, None),
    ("The two senators debated tax policy on Tuesday.", False, None),
    ("The rally followed after the Associated Press reported the donations.", False, None),
    # issue 5, second error analysis of the train claims: a modal describing a noun (clarification
    # 5), a concessive "may ..., but", a promise given or a contracted reported "would"
    ("Democrats will press for nominees who would overturn the ruling.", False, None),
    ("He may be a long shot, but he has not stopped campaigning.", False, None),
    ("Both leaders gave assurances that they would work with the winner.", False, None),
    ("The mayor told local reporters he’d back the winner.", False, None),
    # ... and their near misses, which stay hedged
    ("The mayor said that if the vote failed, she would resign.", True, "if"),
    ("Lawmakers introduced a bill that would let states opt out.", True, "would"),
    ("I think that would help the party.", True, "would"),
    ("Turnout may be lower but the result is the same.", True, "may"),
    ("Mr. Lee would beat her 53 percent to 36 percent in a two-way race.", True, "would"),
    ("The origin of the festival is hotly debated.", True, "hotly debated"),
    ("So these extra trucks could be carrying weapons.", True, "could"),
    ("The governor would almost certainly win a second term.", True, "almost certainly"),
    ("Nobody knows how the money was spent.", True, "Nobody knows"),
    ("Press reports said the convoy had been hit.", True, "Press reports"),
    # third train error analysis: a modal inside a reported question, however far "asked" stands
    # from its "if"; a proposal's reported "would" (clarification 3); intent said otherwise
    # (clarification 4); an allegation with its venue before "that"
    ("A reporter asked the minister if she might resign.", False, None),
    ("Voters are split on whether they'd back the reform.", False, None),
    ("An activist asked the former minister during a radio phone-in if she would sign the pledge.", False,
     None),
    ("The senator says her plan would cut tuition by half.", True, "would"),
    ("The mayor is looking to expand the tram network.", True, "is looking to expand"),
    ("The union is planning on a strike in May.", True, "is planning on"),
    ("The attorney general alleged in the lawsuit that the charity misused donations.", True,
     "alleged in the lawsuit that"),
    # scope (data/LABELS.md, clarification 5): a modal inside a relative or adverbial clause
    # qualifies a side point, not the claim's; the same modal in the main clause hedges it, and so
    # does a proposal's relative "would" (clarification 3)
    ("The panel invited people whom viewers would consider experts.", False, None),
    ("The ambassador declined to comment because the candidates might end up winning.", False, None),
    ("The court blocked a week when voters could register and vote at once.", False, None),
    ("The senator, who may run for governor, spoke on Tuesday.", False, None),
    ("The senator may run for governor.", True, "may"),
    ("Voters could register and vote at once.", True, "could"),
    ("Lawmakers backed the bill, which would let states opt out.", True, "would"),
    ("While a defeat would do little to dent her lead, it would magnify her trouble.", True, "would"),
]

# Counter-cues that cancel a hedge word they overlap: (sentence, the word that must not be a cue).
CANCELLED = [
    ("the drone could fly 10 km", "could"),
    ("The plane could carry up to 300 passengers.", "could"),
    ("Some 300 people were evacuated from the area.", "Some"),
    ("The minister said he would visit Kyiv next month.", "would"),
    ("A reporter asked the minister if she might resign.", "might"),
    ("He would later become prime minister.", "would"),
    ("Whether or not it rains, the match goes ahead.", "Whether"),
    ("Hillary Clinton leads Bernie Sanders among likely voters.", "likely"),
    ("Trump, the presumptive Republican nominee, spoke in Ohio.", "presumptive"),
    ("We were supposed to see the results on Monday.", "supposed"),
    ("Asked if he was ever bullied, the candidate said no.", "if"),
    ("He carried on as if he had not heard the question.", "if"),
    ("The party would like to see more funding for schools.", "would"),
    ("She tried to do what she could with what she had.", "could"),
    ("Clinton believes the deal is fair.", "believes"),
    ("Marco Rubio said he would now root for North Carolina.", "would"),
    ("Pointing out that North Carolina would win, Trump picked Denver.", "would"),
    ("The ballot measure seeks to raise the cap on charter schools.", "seeks to"),
    ("Then, in 2019, the minister said that 40,000 would be admitted.", "would"),
    ("The coach said he was rooting for the home side but would now back the visitors.", "would"),
    ("In the survey, 38% of likely voters would be scared by his nomination.", "would"),
    ("The mayor said that even if the vote failed, she would stay in office.", "if"),
    ("The mayor said that even if the vote failed, she would stay in office.", "would"),
    ("Reporters asked the two remaining White House contenders if they would debate.", "if"),
    ("But I hope they are fake.", "hope"),
    ("But there is no doubt that most of it happens in this sphere.", "doubt that"),  # certainty
    ("There is little doubt that the plan will pass.", "doubt that"),
    ("The senator said she could not support the trade deal.", "could"),
    ("Terrorism is a real threat, and nobody knows that better than me.", "nobody knows"),
    ("The rally followed after the Associated Press reports on the donations.", "Press reports"),
    ("Democrats will press for nominees who would overturn the ruling.", "would"),
    ("The agency described a vacancy that could tip the balance of the court.", "could"),
    ("He may be a long shot, but he has not stopped campaigning.", "may"),
    ("Both leaders gave assurances that they would work with the winner.", "would"),
    ("The mayor told local reporters he’d back the winner.", "he’d"),
    ("The race is now hard, if not impossible, to win.", "if"),
    ("The polls showed similar, if slightly worse, numbers.", "if"),
    ("I could hardly hear what he was saying.", "could"),
]


def test_almost_certainly_is_a_hedge_not_a_booster(detector: HedgeDetector) -> None:
    sentence = "The governor would almost certainly win a second term."
    result = detector.detect(sentence)
    assert "almost certainly" in [c.text for c in result.cues]
    assert "certainly" not in [c.text for c in result.counter_cues]
    assert "certainly" in [c.text for c in detector.detect("The governor certainly won.").counter_cues]


def test_a_third_persons_hope_stays_an_expectation(detector: HedgeDetector) -> None:
    # The first-person wish counter-cue is for "I/we hope" only.
    result = detector.detect("The senator hopes that the bill will pass.")
    assert "hopes that" in [c.text for c in result.cues]
    assert not [c for c in result.counter_cues if c.label == "volition"]


def test_negated_could_keeps_its_own_hedges(detector: HedgeDetector) -> None:
    # "could not" is the past of "cannot", but "could not have known", "could not rule out" and
    # "could not be verified" are conclusions or unverified content, and stay hedged.
    for sentence, cue in [
        ("He could not have known about the payments.", "could"),
        ("Officials could not rule out a second strike.", "could not rule out"),
        ("The claim could not be independently verified.", "not be independently verified"),
    ]:
        result = detector.detect(sentence)
        assert result.hedged, sentence
        assert cue in [c.text for c in result.cues], sentence


@pytest.mark.parametrize(
    ("sentence", "cue", "subordinate"),
    [
        ("people whom viewers would consider experts", "would", True),
        ("He stayed home because they might end up winning.", "might", True),
        ("The senator, who may run for governor, spoke.", "may", True),
        ("The senator may run for governor.", "may", False),
        # a clause boundary ends the side clause: the second "would" is the main clause's
        ("While a defeat would do little, it would hurt.", "would hurt", False),
        # a relative clause on a proposal states what the plan would do: its main point
        ("Lawmakers backed the bill, which would let states opt out.", "would", False),
        # "that" opens reported content as often as a relative clause: never a side clause by itself
        ("He said that the talks could collapse.", "could", False),
        # ... but a content noun's "that" opens a clause about that noun, a side point
        ("Putin backpedaled on his prediction that Russia would recover.", "would", True),
        ("The expectation that she was almost certain to win kept turnout low.", "almost certain", True),
        # a comparative clause is a side point too
        ("His haul was far less than a rival could be expected to raise.", "could", True),
    ],
)
def test_scope_of_a_cue(sentence: str, cue: str, subordinate: bool) -> None:
    finder = CueFinder(load_ruleset(HEDGE_RULES_PATH))
    start = sentence.index(cue)
    findings = finder.find(sentence)
    assert start in {m.start for m in findings.hedges}
    assert (start in findings.subordinate) is subordinate


def test_a_cue_in_a_side_clause_is_not_definitional() -> None:
    # The fixed definitional weight needs a cue in the main clause; a side clause's cue is counted
    # by `cues:subordinate` and weighed by the learned model instead. WikiWeasel's scheme ignores scope.
    finder = CueFinder(load_ruleset(HEDGE_RULES_PATH))
    side = finder.find("The senator, who may run for governor, spoke on Tuesday.")
    main = finder.find("The senator may run for governor.")
    labelling = Featurizer(finder)
    assert DEFINITION_FEATURE not in labelling.values(side)
    assert labelling.values(side)["cues:subordinate"] == 1.0
    assert labelling.values(main)[DEFINITION_FEATURE] == 1.0
    assert "cues:subordinate" not in labelling.values(main)
    assert "cues:subordinate" not in Featurizer(finder, scheme="wikiweasel").values(side)


@pytest.fixture(scope="module")
def detector() -> HedgeDetector:
    return default_detector()


def _assert_cue_offsets(text: str, start: int, end: int, result: HedgeResult) -> None:
    for cue in (*result.cues, *result.counter_cues):
        assert start <= cue.start < cue.end <= end, cue
        assert text[cue.start : cue.end] == cue.text, cue
        assert not cue.text[0].isspace() and not cue.text[-1].isspace(), cue


@pytest.mark.parametrize(("sentence", "hedged", "cue"), NEWS, ids=[s[:50] for s, _, _ in NEWS])
def test_news_sentence(detector: HedgeDetector, sentence: str, hedged: bool, cue: str | None) -> None:
    result = detector.detect(sentence)
    assert result.hedged is hedged, (result.probability, [c.text for c in result.cues])
    assert (result.probability >= detector.threshold) is hedged
    if cue is not None:
        assert cue in [c.text for c in result.cues]
    _assert_cue_offsets(sentence, 0, len(sentence), result)


@pytest.mark.parametrize(("sentence", "word"), CANCELLED, ids=[s[:40] for s, _ in CANCELLED])
def test_counter_cue_cancels_overlapping_hedge(detector: HedgeDetector, sentence: str, word: str) -> None:
    result = detector.detect(sentence)
    assert word not in [c.text for c in result.cues]
    assert any(c.start <= sentence.index(word) < c.end for c in result.counter_cues)


# Cue classes for WikiWeasel's weasel wording (issue 5): (sentence, rule id, matched text). Each
# must fire where its category occurs, and stay silent on the near miss that follows it.
WEASEL_CLASSES = [
    ("Some argue that the bridge is older.", "hedge.vague.clause_subject", "Some"),
    ("The song was a hit, while others found it dull.", "hedge.vague.clause_subject", "others"),
    ("It is considered by many to be his best work.", "hedge.vague.group_prepositional", "by many"),
    ("The rite survives in some villages.", "hedge.vague.group_prepositional", "in some"),
    ("He disliked certain directors.", "hedge.vague.certain", "certain"),
    ("A major factor may also have been the late vote.", "hedge.modal.perfect", "may"),
    ("The letter must have been lost in transit.", "hedge.modal.perfect", "must"),
    ("One theory holds that the name is Norse.", "hedge.noun.speculative", "theory"),
    ("The film drew criticism for its violence.", "hedge.weasel.reception", "criticism"),
    ("The scene is considered very active.", "hedge.weasel.judged", "considered"),
    ("It has been observed that the birds return.", "hedge.weasel.it_has_been", "It has been observed"),
    ("The album spent several weeks in the charts.", "counter.duration", "several weeks"),
    ("He tried as many times as he could.", "counter.duration", "as many"),
]
NOT_WEASEL = [
    ("The team won many games.", "hedge.vague.clause_subject"),  # a count inside a phrase
    ("It is certain that the bridge fell.", "hedge.vague.certain"),  # certainty, not a subset
    ("He was certain of the result.", "hedge.vague.certain"),
    ("The shop may have to close.", "hedge.modal.perfect"),  # "have to": obligation, not perfect
    ("Applicants must have a degree.", "hedge.modal.perfect"),
    ("It has been three years since the flood.", "hedge.weasel.it_has_been"),
]


@pytest.mark.parametrize(
    ("sentence", "rule_id", "text"), WEASEL_CLASSES, ids=[s[:40] for s, _, _ in WEASEL_CLASSES]
)
def test_weasel_cue_classes(sentence: str, rule_id: str, text: str) -> None:
    found = CueFinder(load_ruleset(HEDGE_RULES_PATH)).find(sentence)
    assert (rule_id, text) in [(m.rule_id, m.text) for m in found.hedges + found.counters]


@pytest.mark.parametrize(("sentence", "rule_id"), NOT_WEASEL, ids=[s[:40] for s, _ in NOT_WEASEL])
def test_weasel_cue_classes_near_misses(sentence: str, rule_id: str) -> None:
    found = CueFinder(load_ruleset(HEDGE_RULES_PATH)).find(sentence)
    assert rule_id not in [m.rule_id for m in found.hedges + found.counters]


def test_duration_cancels_the_vague_quantifier() -> None:
    """"several weeks" is a measure of time, not a vague group: no vague-quantifier cue survives."""
    found = CueFinder(load_ruleset(HEDGE_RULES_PATH)).find("The album spent several weeks in the charts.")
    assert not [m for m in found.hedges if m.label == "vague_quantifier"]
    assert [m.text for m in found.counters] == ["several weeks"]


def test_weasel_classes_raise_the_wikiweasel_score() -> None:
    """In the learned (`wikiweasel`) weights, the clause-opening vague group and the modal perfect
    weigh for a hedge: they were added because they separate WikiWeasel's weasel sentences."""
    model = LinearModel.load(HEDGE_MODEL_PATH)
    weights = dict(zip(model.features, model.coefficients[0], strict=True))
    assert weights["rule:hedge.vague.clause_subject"] > 0
    assert weights["rule:hedge.modal.perfect"] > 0
    assert weights["rule:counter.duration"] <= 0


@pytest.mark.parametrize(("sentence", "hedged", "cue"), NEWS[:12] + NEWS[-6:])
def test_offsets_are_absolute_inside_an_article(
    detector: HedgeDetector, sentence: str, hedged: bool, cue: str | None
) -> None:
    before, after = "Headline\n\nFirst paragraph ends here. ", "  Next sentence follows.\n"
    text = before + sentence + after
    start, end = len(before), len(before) + len(sentence)
    result = detector.detect(text, start, end)
    alone = detector.detect(sentence)
    assert result.hedged == alone.hedged and result.probability == pytest.approx(alone.probability)
    assert [c.text for c in result.cues] == [c.text for c in alone.cues]
    assert [c.start - start for c in result.cues] == [c.start for c in alone.cues]
    _assert_cue_offsets(text, start, end, result)


def test_detect_many_matches_detect_and_calls_the_model_once(
    detector: HedgeDetector, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = " ".join(s for s, _, _ in NEWS)
    items, position = [], 0
    for sentence, _, _ in NEWS:
        start = text.index(sentence, position)
        items.append((text, start, start + len(sentence)))
        position = start + len(sentence)
    expected = [detector.detect(*item) for item in items]
    calls = []
    original = LinearModel.predict_proba

    def counting(self: LinearModel, X: np.ndarray) -> np.ndarray:
        calls.append(len(X))
        return original(self, X)

    monkeypatch.setattr(LinearModel, "predict_proba", counting)
    results = detector.detect_many(items)
    assert calls == [len(items)]
    assert [r.hedged for r in results] == [r.hedged for r in expected]
    assert [r.cues for r in results] == [r.cues for r in expected]
    assert np.allclose([r.probability for r in results], [r.probability for r in expected])


def test_contributions_explain_the_probability(detector: HedgeDetector) -> None:
    result = detector.detect("The strike may have killed dozens of civilians.")
    log_odds = sum(c.contribution for c in result.contributions)
    assert 1 / (1 + np.exp(-log_odds)) == pytest.approx(result.probability)
    assert result.contributions[0].feature == "(intercept)"
    assert DEFINITION_FEATURE in [c.feature for c in result.contributions]
    assert any(c.feature == "rule:hedge.modal.may" for c in result.contributions)


def test_wikiweasel_scheme_ignores_the_definition_and_labelling_ignores_puffery() -> None:
    rules, model = load_ruleset(HEDGE_RULES_PATH), LinearModel.load(HEDGE_MODEL_PATH)
    labelling, wiki = HedgeDetector(rules, model, "labelling"), HedgeDetector(rules, model, "wikiweasel")
    sentence = "The hugely popular singer released a new album."
    assert DEFINITION_FEATURE not in wiki.features("The strike may have killed dozens.")
    assert [c.label for c in wiki.detect(sentence).cues] and not labelling.detect(sentence).cues
    with pytest.raises(ValueError):
        HedgeDetector(rules, model, "unknown")


def test_empty_and_bad_spans(detector: HedgeDetector) -> None:
    assert detector.detect("").cues == ()
    assert detector.detect("Officials may resign.", 5, 5).hedged is False
    with pytest.raises(InputError):
        detector.detect("short", 2, 10)
    with pytest.raises(InputError):
        detector.detect("short", 3, 1)


# ---- the model file ----------------------------------------------------------------------------
def test_model_yaml_round_trips_to_sklearn(detector: HedgeDetector) -> None:
    model = LinearModel.load(HEDGE_MODEL_PATH)
    rebuilt = LinearModel.from_mapping(yaml.safe_load(model.to_yaml()), "round trip")
    X = np.array([[detector.features(s).get(f, 0.0) for f in model.features] for s, _, _ in NEWS])
    assert X.any(axis=1).all()
    expected = model.predict_proba(X)
    assert np.allclose(model.to_sklearn().predict_proba(X), expected, rtol=0, atol=1e-12)
    assert np.allclose(rebuilt.predict_proba(X), expected, rtol=0, atol=1e-12)
    assert rebuilt.threshold == model.threshold


def test_model_matches_the_rules_and_is_small() -> None:
    rules, model = load_ruleset(HEDGE_RULES_PATH), LinearModel.load(HEDGE_MODEL_PATH)
    missing = [r.id for r in rules.rules if f"rule:{r.id}" not in model.features]
    assert not missing, f"rules/hedge_model.yaml is older than rules/hedges.yaml ({missing}): retrain it"
    assert HEDGE_MODEL_PATH.stat().st_size < 300_000
    meta = model.meta
    assert len(meta["training_data"]["sha256"]) == 64
    assert {"scikit-learn", "numpy"} <= set(meta["versions"])
    assert meta["cv_metrics"]["systems"]["detector"]["f1"] >= WIKIWEASEL_F1_FLOOR
    assert 0 < model.threshold < 1
    # the definition weight is fixed by TrainingParams, not learned
    assert (
        model.coefficients[0][model.features.index(DEFINITION_FEATURE)]
        == meta["params"]["definition_log_odds"]
    )


def test_model_with_unknown_rule_is_refused() -> None:
    rules, model = load_ruleset(HEDGE_RULES_PATH), LinearModel.load(HEDGE_MODEL_PATH)
    data = yaml.safe_load(model.to_yaml())
    data["features"][0] = "rule:hedge.no_such_rule"
    with pytest.raises(RuleError, match="retrain"):
        HedgeDetector(rules, LinearModel.from_mapping(data, "stale"))


def test_training_is_deterministic(tmp_path: Path) -> None:
    import csv

    path = tmp_path / "small.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "label"])
        for _ in range(3):  # enough rows for the inner folds
            for sentence, hedged, _ in NEWS:
                writer.writerow([sentence + "\n", int(hedged)])
    first = train_hedge_model(path, cv_folds=0).to_yaml()
    second = train_hedge_model(path, cv_folds=0).to_yaml()
    assert first == second
    assert "sha256" in yaml.safe_load(first)["training_data"]


# ---- the rules and their fast path ----------------------------------------------------------------
def _reference_matches(finder: CueFinder, text: str, fast: bool) -> tuple:
    found = finder.find(text, fast=fast)
    return tuple((m.rule_id, m.start, m.end) for m in found.hedges + found.counters)


def test_fast_path_finds_what_every_rule_finds() -> None:
    rules = load_ruleset(HEDGE_RULES_PATH)
    finder = CueFinder(rules)
    texts = [s for s, _, _ in NEWS] + [s for s, _ in CANCELLED]
    texts += [
        str(e)
        for raw in yaml.safe_load(HEDGE_RULES_PATH.read_text(encoding="utf-8"))["rules"]
        for e in raw.get("examples", [])
    ]
    texts += [t.upper() for t in texts] + ["İstanbul may host the talks, some say."]
    for text in texts:
        assert _reference_matches(finder, text, True) == _reference_matches(finder, text, False), text


WORDS = [
    "may",
    "could",
    "fly",
    "10",
    "km",
    "some",
    "say",
    "if",
    "would",
    "whether",
    "or",
    "not",
    "said",
    "according",
    "to",
    "is",
    "scheduled",
    "expected",
    "reportedly",
    "the",
    "Minister",
    "claimed",
    "that",
    "it",
    "unclear",
    "necessarily",
    "n't",
    "'s",
    "been",
    "reported",
    "widely",
    "believed",
    "critics",
    "argue",
    "approved",
    "plan",
]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.sampled_from(WORDS), max_size=14),
    st.sampled_from([" ", "  ", "\n", ", ", " - "]),
    st.integers(0, 5),
    st.integers(0, 5),
)
def test_cue_spans_are_valid_for_any_text(words: list[str], sep: str, cut_left: int, cut_right: int) -> None:
    detector = default_detector()
    text = "  " + sep.join(words) + " ."
    start, end = min(cut_left, len(text)), max(min(cut_left, len(text)), len(text) - cut_right)
    result = detector.detect(text, start, end)
    assert 0.0 <= result.probability <= 1.0
    _assert_cue_offsets(text, start, end, result)
    finder = detector.finder
    assert _reference_matches(finder, text[start:end], True) == _reference_matches(
        finder, text[start:end], False
    )


def test_news_model_fits_the_rules_and_the_definition() -> None:
    """The news weights (`scorer train-hedges`, fitted on labelled train claims) load against the
    current rules, use only `labelling`-scheme features, and agree with the LABELLING.md table above
    on nearly every sentence (it was not fitted on them: one or two borderline misses are allowed)."""
    news = default_detector(model_path=NEWS_HEDGE_MODEL_PATH)
    rules = news.rules
    encyclopedic = {r.id for r in rules.rules if r.label in news.finder.encyclopedic_labels}
    assert not [f for f in news.model.features if f.startswith("rule:") and f[5:] in encyclopedic]
    assert 0.0 < news.threshold < 1.0
    wrong = [s for s, hedged, _ in NEWS if news.detect(s).hedged is not hedged]
    assert len(wrong) <= 2, wrong
    for sentence in ("Zelensky is scheduled to visit Washington on Monday.",
                     "The minister said the talks ended."):
        assert not news.detect(sentence).hedged


# ---- WikiWeasel ------------------------------------------------------------------------------------
def _require_shared_data() -> None:
    if WIKIWEASEL.is_file():
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{WIKIWEASEL} is missing, and CI=true requires the shared data")
    pytest.skip(f"{WIKIWEASEL} not present (../shared/data is outside the repository)")


@pytest.mark.shared_data
def test_wikiweasel_cross_validation() -> None:
    _require_shared_data()
    from scorer.evaluation.wikiweasel import evaluate_wikiweasel

    result = evaluate_wikiweasel(WIKIWEASEL, folds=5, seed=0)
    systems = result["systems"]
    assert result["data"]["rows"] == 7363 and result["data"]["positives"] == 2131
    assert systems["detector"]["f1"] >= WIKIWEASEL_F1_FLOOR, systems["detector"]
    assert systems["detector"]["f1"] > systems["cue_list"]["f1"] > systems["all_hedged"]["f1"]
    assert len(result["thresholds"]) == 5


@pytest.mark.shared_data
def test_fast_path_on_wikiweasel() -> None:
    _require_shared_data()
    from scorer.hedging import read_wikiweasel

    finder = CueFinder(load_ruleset(HEDGE_RULES_PATH))
    texts, _, _ = read_wikiweasel(WIKIWEASEL)
    for text in texts[::7]:
        assert _reference_matches(finder, text, True) == _reference_matches(finder, text, False), text


@pytest.mark.parametrize(("sentence", "cue"), [
    ("Some analysts doubt that the plan will pass.", "doubt that"),
    ("He hinted that he would run.", "hinted"),
    ("She hints at a deal with the unions.", "hints at"),
    ("There was a hint of frustration in his voice.", None),  # the noun: a trace, no withheld claim
    ("Not a hint of the deal reached the press.", None),
])
def test_doubt_and_hint_hedge_as_verbs_only(detector: HedgeDetector, sentence: str, cue: str | None) -> None:
    cues = [c.text for c in detector.detect(sentence).cues]
    assert (cue in cues) if cue else not any("hint" in c or "doubt" in c for c in cues), cues


def test_an_example_without_its_rules_triggers_is_an_error(tmp_path: Path) -> None:
    # Adding a word to a pattern and not to its triggers: the examples pass the rule, but CueFinder
    # never runs it on a span without a trigger word, so the word never fires.
    path = hedges_with_an_untriggered_example(tmp_path)
    rules = load_ruleset(path)  # the rule matches its examples
    expected = (r"hedges.yaml: rule 'hedge.adjective.hearsay': example 'discuss the potential framework' "
                r"lacks all of its triggers; add the word to triggers")
    with pytest.raises(RuleError, match=expected):
        CueFinder(rules)
