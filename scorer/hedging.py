"""Hedge detection: is a claim stated with reduced commitment (LABELLING.md, "Hedged")?

Rules find cues, a logistic model decides. `rules/hedges.yaml` lists hedge cues by kind (hearsay
adverbs, possibility modals and the modal perfect ("may have been"), weak-commitment verbs, negated
certainty, conditionals, expectation, open "whether" questions, weasel words (vague groups, a judge
left out: "is considered", "it has been observed"), agentless hearsay, claims and accusations, and
encyclopedic vagueness (a vague quantifier opening a clause or after a preposition: "Some argue",
"by many") and puffery) and counter-cues (boosters, firm future, "could" of ability, reported
future, wishes ("would like"), embedded questions ("asked if", "as if"), fixed phrases ("likely
voters"), a third person's declared view ("Clinton believes"), a text's stated purpose ("the bill
aims to"), concessive "whether", round numbers and vague durations ("several weeks")). A cue may
cancel the cues it overlaps ("could" in "could fly 10 km").
What survives becomes features: one per rule, a count per label, one per matched term of a word-list
rule (`cue:some`: the model learns which entries of a list matter, so "many" and "various" need not
share a weight), how many kinds of hedge occur, how many cues stand under a negation, how many stand in
a relative or adverbial clause (`cues:subordinate`), and the span's length.

Scope (data/LABELS.md, clarification 5): a cue counts for the claim's main point only in the main
clause. A cue after a subordinator (rules' lists.subordinators: "who", "which", "because", "than", ...,
or a content noun's "that": "his prediction that")
with no clause boundary between them qualifies a side point ("people whom viewers would consider
experts"): in the `labelling` scheme it does not make the definitional weight fire, and the model
weighs it through its learned features instead. A relative clause on a proposal is exempt ("the
bill, which would let states opt out": what a proposed plan would do is hedged, clarification 3).

`rules/hedge_model.yaml` holds the weights as text (`scorer.linear`), fitted by
`train_hedge_model` on WikiWeasel; `rules/hedge_news_model.yaml` holds the news weights, fitted on
the train split of the labelled claims by `scorer train-hedges` (scorer.training), with the same
features under the `labelling` scheme.

Two schemes (SCHEMES), because WikiWeasel's annotation is not LABELLING.md's definition: WikiWeasel
marks weasel and peacock wording and mostly not modals (a "may" sentence is uncertain there 27% of
the time, about the base rate), so weights learned from it alone would call "The strike may have
killed dozens" firm and "Many residents fled" hedged. The default `labelling` scheme adds a fixed
weight (DEFINITION_FEATURE) when a cue of a kind LABELLING.md names is present (rules marked
`definitional`) and ignores the encyclopedic-only labels; `wikiweasel` is the learned weights alone,
and is what the WikiWeasel cross-validation measures.

The feature names in the model file are the contract: `rule:<rule id>`, `label:<label>`,
`cue:<lower-case matched term>`, DEFINITION_FEATURE and the names in FIXED_FEATURES. A model that
names a rule or label the rule file no longer has is refused at load (retrain after editing rules).

Offsets are absolute `[start, end)` Python string indices into the text as given (LABELLING.md,
"Offsets"); a cue never starts or ends on whitespace.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import regex

from scorer.errors import InputError, RuleError, RuleTimeout
from scorer.linear import Contribution, LinearModel, model_mtime, sha256_of
from scorer.rulebook import REGEX_TIMEOUT_S, RULES_DIR, Rule, RuleMatch, RuleSet, load_ruleset, terms_pattern
from scorer.spans import Cue

HEDGE_RULES_PATH = RULES_DIR / "hedges.yaml"
HEDGE_MODEL_PATH = RULES_DIR / "hedge_model.yaml"
# Weights for news, fitted on labelled claims by `scorer train-hedges` (scorer.training); the pipeline
# uses them.
NEWS_HEDGE_MODEL_PATH = RULES_DIR / "hedge_news_model.yaml"
MODEL_NAME = "hedge"

#: Features that do not come from a single rule, label or word.
FIXED_FEATURES = (
    "cues:kinds",  # how many different hedge labels fired: hedges pile up in hedged sentences
    "cues:negated",  # hedge cues right after a negator ("does not appear"): weaker, or reversed
    "cues:conditional_would",  # "if ... would": the qualifying conditional LABELLING names
    "cues:subordinate",  # hedge cues inside a relative or adverbial clause: they qualify a side point
    "length:log_words",  # long sentences have more room for a hedge; without it, cues absorb length
)
INTERCEPT = "(intercept)"

#: How a span is judged. `labelling` (the default, for news) follows LABELLING.md: a cue of a kind it
#: names (a rule with `definitional: true`) adds DEFINITION_FEATURE's fixed weight, and the
#: encyclopedic-only labels (vague quantity, frequency, degree; puffery) are ignored. `wikiweasel` is
#: the learned weights alone, as WikiWeasel annotates (weasel and peacock words count; a modal does not).
SCHEMES = ("labelling", "wikiweasel")
DEFINITION_FEATURE = "definition:labelling"

# Rows scored per predict_proba call: one call per batch keeps scoring vectorised, and the cap keeps
# the dense feature matrix (rows x ~350 features x 8 bytes, ~25 MB) within memory for any input.
BATCH_ROWS = 8192

# Tokens for triggers: runs of word characters, lower-cased. Triggers of term rules are derived with
# the same pattern, so a match always has its trigger words among the span's tokens.
_WORD = regex.compile(r"\w+")
_NEGATION_WINDOW = 3  # words before a cue that are searched for a negator
# Where a clause may start, for a cue's scope: punctuation that sets off a clause or an aside, dashes
# and quotation marks (straight, curly, and the doubled apostrophe of some archives). Not the single
# curly quote, which is mostly an apostrophe ("they’re").
_CLAUSE_BOUNDARY = regex.compile(r"[,;:()\[\]\u2014\u2013\"\u201c\u201d]|''|--|\s-\s")
_EMPTY: frozenset[str] = frozenset()
_NONE: frozenset[int] = frozenset()
_LOG1P = tuple(math.log1p(n) for n in range(512))  # length feature of the common sentence lengths


# ---- results ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class HedgeResult:
    """The decision for one span: `hedged` is `probability >= threshold` of the model.

    `cues` are the hedge cues the rules found (after counter-cues cancelled what they overlap), also
    when the model decides the span is not hedged: they are evidence, `hedged` is the verdict.
    `counter_cues` are the boosters and firm statements found. `contributions` explain the score:
    the intercept first, then every non-zero feature by the size of its share of the log-odds.
    """

    hedged: bool
    probability: float
    cues: tuple[Cue, ...]
    contributions: tuple[Contribution, ...] = ()
    counter_cues: tuple[Cue, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "hedged": self.hedged,
            "probability": round(self.probability, 6),
            "cues": [c.to_dict() for c in self.cues],
            "counter_cues": [c.to_dict() for c in self.counter_cues],
            "contributions": [c.to_dict() for c in self.contributions],
        }


# ---- cue finding -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Findings:
    """What the rules found in one span, offsets relative to the span start."""

    hedges: tuple[RuleMatch, ...]
    counters: tuple[RuleMatch, ...]
    n_words: int
    negated: frozenset[int]  # starts of the hedge matches that follow a negator
    # starts of the hedge matches inside a subordinate clause (CueFinder.in_subordinate_clause)
    subordinate: frozenset[int] = frozenset()


def _trigger_words(entry: str) -> frozenset[str]:
    """The words (lower-case \\w+ runs) of a term or trigger entry: all are tokens of any span the
    term matches, since a term only matches whole words."""
    return frozenset(_WORD.findall(entry.lower()))


class CueFinder:
    """Runs the hedge rules on spans, only the rules whose trigger words occur in the span.

    Two things keep this fast, and a test checks that neither changes a match: a sentence holds only
    a few trigger words, so one tokenisation pass picks the handful of rules worth running; and a
    case-insensitive term rule runs as a case-sensitive compile of the rulebook's own term pattern
    on the lower-cased span (several times faster), whenever lower-casing keeps the length.
    """

    def __init__(self, rules: RuleSet) -> None:
        self.rules = rules
        counter_labels = set(rules.lists["counter_labels"])
        unknown = counter_labels - set(rules.labels)
        if unknown:
            raise RuleError(f"{rules.path}: lists.counter_labels names unknown label(s) {sorted(unknown)}")
        self.counter_labels = frozenset(counter_labels)
        self.hedge_labels = tuple(lb for lb in rules.labels if lb not in counter_labels)
        self.negators = frozenset(w.lower() for w in rules.lists["negators"])
        self.subordinators = frozenset(w.lower() for w in rules.lists["subordinators"])
        self.proposal_nouns = frozenset(w.lower() for w in rules.lists["proposal_nouns"])
        # A content noun's "that" ("his prediction that", "the fear that") opens a clause about that
        # noun, a side point as much as a relative clause is; plain "that" stays out (see the list).
        complement_nouns = sorted(w.lower() for w in rules.lists["complement_nouns"])
        openers = []
        if self.subordinators:
            openers.append(r"\b(?:" + "|".join(map(regex.escape, sorted(self.subordinators))) + r")\b")
        if complement_nouns:
            openers.append(r"\b(?:" + "|".join(map(regex.escape, complement_nouns)) + r")\s+(?=that\b)")
        self._subordinator = regex.compile("|".join(openers)) if openers else None
        encyclopedic = set(rules.lists["encyclopedic_labels"])
        if not encyclopedic <= set(self.hedge_labels):
            raise RuleError(
                f"{rules.path}: lists.encyclopedic_labels must name hedge labels, "
                f"not {sorted(encyclopedic - set(self.hedge_labels))}"
            )
        self.encyclopedic_labels = frozenset(encyclopedic)
        #: rules that implement a hedge kind LABELLING.md names: decisive in the `labelling` scheme
        self.definitional = frozenset(r.id for r in rules.rules if r.attrs.get("definitional") is True)
        always: list[int] = []
        # Each trigger entry is indexed under its longest word and kept whole: a rule is a
        # candidate when a span holds every word of one of its entries.
        by_trigger: dict[str, set[tuple[int, frozenset[str]]]] = {}
        suppresses: dict[str, frozenset[str]] = {}
        lowered: dict[int, Any] = {}
        self._requires: dict[int, tuple[frozenset[str], ...]] = {}
        for index, rule in enumerate(rules.rules):
            triggers = self._triggers_of(rule)
            if triggers is None:
                always.append(index)
            else:
                for words in triggers:
                    key = max(sorted(words), key=len)
                    by_trigger.setdefault(key, set()).add((index, words))
            requires = rule.attrs.get("requires")
            if requires is not None:
                if (
                    rule.terms
                    or not isinstance(requires, list)
                    or not all(
                        isinstance(group, list)
                        and group
                        and all(isinstance(w, str) and _WORD.fullmatch(w) for w in group)
                        for group in requires
                    )
                ):
                    raise RuleError(
                        f"{rules.path}: rule {rule.id!r}: 'requires' (pattern rules only) must be a "
                        f"list of lists of lower-case words"
                    )
                self._requires[index] = tuple(frozenset(group) for group in requires)
            targets = rule.attrs.get("suppresses", [])
            if not isinstance(targets, list) or not set(targets) <= set(rules.labels):
                raise RuleError(f"{rules.path}: rule {rule.id!r}: 'suppresses' must list declared labels")
            if targets:
                suppresses[rule.id] = frozenset(targets)
            if rule.terms and rule.source_flags & regex.IGNORECASE:
                lowered[index] = _lowered_term_pattern(rule)
        self._always = tuple(always)
        self._by_trigger = {
            k: tuple(sorted(v, key=lambda e: (e[0], sorted(e[1])))) for k, v in by_trigger.items()
        }
        self._trigger_keys = frozenset(self._by_trigger)
        self._suppresses = suppresses
        self._lowered = lowered
        #: rule ids whose matches become per-term features (`cue:<term>`)
        self.term_rules = frozenset(r.id for r in rules.rules if r.terms)
        self._check_examples_are_candidates()

    def _check_examples_are_candidates(self) -> None:
        """Each rule's examples hold its trigger (and `requires`) words: the rule file checks that the
        rule matches them, but `find` runs a rule only on a span with those words, so a word added to
        a pattern and not to its triggers would never fire."""
        for index, rule in enumerate(self.rules.rules):
            for example in rule.examples:
                if index not in self._candidates(frozenset(_WORD.findall(example.lower()))):
                    fix = "triggers" if index not in self._requires else "triggers or 'requires'"
                    raise RuleError(f"{self.rules.path}: rule {rule.id!r}: example {example!r} lacks all of "
                                    f"its {fix}; add the word to {fix}")

    def _triggers_of(self, rule: Rule) -> list[frozenset[str]] | None:
        """Word sets one of which a span must hold for the rule to match; None: always run it."""
        if rule.terms:
            entries = [_trigger_words(t) for t in rule.terms]
            return None if not all(entries) else entries
        raw = rule.attrs.get("triggers")
        if raw is None:
            return None
        if (
            not isinstance(raw, list)
            or not raw
            or not all(
                isinstance(t, str) and " ".join(_WORD.findall(t.lower())) == " ".join(t.lower().split())
                for t in raw
            )
        ):
            raise RuleError(
                f"{self.rules.path}: rule {rule.id!r}: 'triggers' must be a list of words or "
                f"space-separated words"
            )
        return [_trigger_words(t) for t in raw]

    def _candidates(self, tokens: frozenset[str]) -> list[int]:
        indices = set(self._always)
        by_trigger = self._by_trigger
        requires = self._requires
        for token in tokens & self._trigger_keys:
            for index, words in by_trigger[token]:
                if (
                    index not in indices
                    and (len(words) == 1 or words <= tokens)
                    and (
                        index not in requires
                        or all(not group.isdisjoint(tokens) for group in requires[index])
                    )
                ):
                    indices.add(index)
        return sorted(indices)

    def find(self, span: str, fast: bool = True) -> Findings:
        """Cues in `span` (offsets relative to it). `fast=False` runs every rule through the
        rulebook as written (the reference the fast path is tested against)."""
        lowered = span.lower()
        tokens = _WORD.findall(lowered)
        words = frozenset(tokens)
        rules = self.rules.rules
        if fast:
            same_length = len(lowered) == len(span)
            matches: list[RuleMatch] = []
            for i in self._candidates(words):
                pattern = self._lowered.get(i) if same_length else None
                if pattern is None:
                    matches.extend(rules[i].finditer(span))
                else:
                    matches.extend(_lowered_matches(rules[i], pattern, span, lowered))
        else:
            matches = [m for rule in rules for m in rule.finditer(span)]
        if matches:
            matches = self._suppress(_trim(span, matches))
        hedges = tuple(m for m in matches if m.label not in self.counter_labels)
        counters = tuple(m for m in matches if m.label in self.counter_labels)
        negated = (
            frozenset(m.start for m in hedges if self._is_negated(lowered, m.start)) if hedges else _NONE
        )
        subordinate = (
            frozenset(m.start for m in hedges if self.in_subordinate_clause(lowered, m.start))
            if hedges and self._subordinator is not None
            else _NONE
        )
        return Findings(hedges, counters, len(tokens), negated, subordinate)

    def in_subordinate_clause(self, lowered: str, start: int) -> bool:
        """Is the cue at `start` of the lower-cased span inside a relative or adverbial clause: does a
        subordinator (rules' lists.subordinators, or a content noun's "that": lists.complement_nouns)
        stand between the last clause boundary and the cue?
        A relative clause on a proposal ("the bill, which would") is no side point
        (lists.proposal_nouns): what a proposed plan would do is its main point."""
        assert self._subordinator is not None
        left = lowered[:start]
        begin = max((b.end() for b in _CLAUSE_BOUNDARY.finditer(left)), default=0)
        opener = max((m.start() for m in self._subordinator.finditer(left, begin)), default=-1)
        if opener < 0:
            return False
        before = _WORD.findall(lowered[max(0, opener - 40) : opener])
        return not (before and before[-1] in self.proposal_nouns)

    def _suppress(self, matches: list[RuleMatch]) -> list[RuleMatch]:
        cancelling = [m for m in matches if m.rule_id in self._suppresses]
        if not cancelling:
            return matches
        kept = []
        for m in matches:
            if any(
                c is not m and m.label in self._suppresses[c.rule_id] and c.start < m.end and m.start < c.end
                for c in cancelling
            ):
                continue
            kept.append(m)
        return kept

    def _is_negated(self, lowered: str, start: int) -> bool:
        before = _WORD.findall(lowered[max(0, start - 40) : start])[-_NEGATION_WINDOW:]
        # "isn't" tokenises to "isn" + "t": a lone "t" is the negator (PTB "n't" is listed as such).
        return any(w in self.negators or w == "t" for w in before)


def _lowered_term_pattern(rule: Rule) -> Any:
    """The rulebook's term pattern for the lower-cased terms, compiled case-sensitively with the
    standard `re` engine: an alternation of literals runs in linear time (no time limit needed) and
    several times faster than a case-insensitive `regex` scan."""
    source = terms_pattern([t.lower() for t in rule.terms])
    try:
        return re.compile(source)
    except re.error:  # a term only `regex` can parse: keep that engine, with its time limit
        return regex.compile(source, regex.VERSION1 | regex.UNICODE)


def _lowered_matches(rule: Rule, pattern: Any, span: str, lowered: str) -> list[RuleMatch]:
    try:
        found = (
            pattern.finditer(lowered)
            if isinstance(pattern, re.Pattern)
            else pattern.finditer(lowered, timeout=REGEX_TIMEOUT_S)
        )
        return [
            RuleMatch(rule.id, rule.label, m.start(), m.end(), span[m.start() : m.end()], rule.attrs)
            for m in found
            if m.end() > m.start()
        ]
    except TimeoutError as exc:
        raise RuleTimeout(
            f"rule {rule.id!r} ran past {REGEX_TIMEOUT_S}s on a text of {len(span)} characters; "
            f"simplify its terms"
        ) from exc


def _trim(span: str, matches: list[RuleMatch]) -> list[RuleMatch]:
    """Matches never start or end on whitespace (a pattern may swallow a trailing space)."""
    out = []
    for m in matches:
        start, end = m.start, m.end
        while start < end and span[start].isspace():
            start += 1
        while end > start and span[end - 1].isspace():
            end -= 1
        if end <= start:
            continue
        if (start, end) != (m.start, m.end):
            m = RuleMatch(m.rule_id, m.label, start, end, span[start:end], m.attrs)
        out.append(m)
    out.sort(key=lambda m: (m.start, -(m.end - m.start), m.rule_id))
    return out


def filter_cues(cues: Sequence[Cue]) -> tuple[Cue, ...]:
    """Non-overlapping cues, longest first then leftmost (spaCy's filter_spans order), by start."""
    chosen: list[Cue] = []
    for cue in sorted(cues, key=lambda c: (-(c.end - c.start), c.start, c.rule_id)):
        if all(cue.end <= c.start or c.end <= cue.start for c in chosen):
            chosen.append(cue)
    return tuple(sorted(chosen, key=lambda c: (c.start, c.end)))


# ---- features --------------------------------------------------------------------------------
def cue_key(text: str) -> str:
    """The feature name part of a term match: lower case, single spaces ("Is  Expected" -> "is expected")."""
    return " ".join(text.lower().split())


class Featurizer:
    """Named feature values of one span's findings under a scheme (see SCHEMES); `cue_terms` are the
    matched terms the model has a weight for."""

    def __init__(
        self, finder: CueFinder, cue_terms: frozenset[str] = _EMPTY, scheme: str = "labelling"
    ) -> None:
        if scheme not in SCHEMES:
            raise ValueError(f"scheme must be one of {SCHEMES}, got {scheme!r}")
        self.finder = finder
        self.cue_terms = cue_terms
        self.scheme = scheme

    def hedge_cues(self, findings: Findings) -> tuple[RuleMatch, ...]:
        """The hedge matches that count under this scheme."""
        if self.scheme == "labelling":
            ignored = self.finder.encyclopedic_labels
            return tuple(m for m in findings.hedges if m.label not in ignored)
        return findings.hedges

    def values(self, findings: Findings, hedges: tuple[RuleMatch, ...] | None = None) -> dict[str, float]:
        """`hedges`: `hedge_cues(findings)` when the caller already has it."""
        if not findings.hedges and not findings.counters:
            return {
                "length:log_words": _LOG1P[findings.n_words]
                if findings.n_words < len(_LOG1P)
                else math.log1p(findings.n_words)
            }
        values: dict[str, float] = {}
        label_counts: dict[str, int] = {}
        term_rules, cue_terms = self.finder.term_rules, self.cue_terms
        if hedges is None:
            hedges = self.hedge_cues(findings)
        subordinate = findings.subordinate
        if self.scheme == "labelling" and any(
            m.rule_id in self.finder.definitional and m.start not in subordinate for m in hedges
        ):
            values[DEFINITION_FEATURE] = 1.0
        for m in hedges + findings.counters:
            values["rule:" + m.rule_id] = 1.0
            label_counts[m.label] = label_counts.get(m.label, 0) + 1
            if m.rule_id in term_rules:
                key = cue_key(m.text)
                if key in cue_terms:
                    values["cue:" + key] = 1.0
        for label, count in label_counts.items():
            # Diminishing returns: the second cue of a kind adds less evidence than the first.
            values["label:" + label] = math.log2(1 + count)
        hedge_kinds = {m.label for m in hedges}
        if hedge_kinds:
            values["cues:kinds"] = float(len(hedge_kinds))
        if findings.negated:
            negated = sum(1 for m in hedges if m.start in findings.negated)
            if negated:
                values["cues:negated"] = float(negated)
        if "conditional" in hedge_kinds and "modal_would" in hedge_kinds:
            values["cues:conditional_would"] = 1.0
        if subordinate and self.scheme == "labelling":
            # Scope is the definition's (clarification 5); WikiWeasel marks weasel wording wherever it
            # stands, so the `wikiweasel` scheme neither gates nor counts by clause.
            in_side_clause = sum(1 for m in hedges if m.start in subordinate)
            if in_side_clause:
                values["cues:subordinate"] = float(in_side_clause)
        values["length:log_words"] = math.log1p(findings.n_words)
        return values


def known_feature(name: str, rules: RuleSet) -> bool:
    kind, _, rest = name.partition(":")
    if name in FIXED_FEATURES or name == DEFINITION_FEATURE:
        return True
    if kind == "rule":
        return any(r.id == rest for r in rules.rules)
    if kind == "label":
        return rest in rules.labels
    return kind == "cue" and bool(rest)


# ---- the detector ----------------------------------------------------------------------------
class HedgeDetector:
    """Rules give cue features, a logistic model decides. Rules, model and scheme are fixed at
    construction; one detector serves any number of calls (and threads)."""

    def __init__(
        self, rules: RuleSet, model: LinearModel, scheme: str = "labelling", batch_rows: int = BATCH_ROWS
    ) -> None:
        if len(model.classes) != 2:
            raise RuleError(f"model {model.name!r}: a hedge model is binary, got classes {model.classes}")
        stale = [f for f in model.features if not known_feature(f, rules)]
        if stale:
            raise RuleError(
                f"model {model.name!r} uses feature(s) {stale[:5]} that {rules.path} does not define; "
                f"retrain it (scorer.hedging.train_hedge_model) after editing the rules"
            )
        self.rules = rules
        self.model = model
        self.finder = CueFinder(rules)
        self.featurizer = Featurizer(
            self.finder, frozenset(f[4:] for f in model.features if f.startswith("cue:")), scheme
        )
        self.scheme = scheme
        self.batch_rows = max(1, int(batch_rows))
        self._index = {name: j for j, name in enumerate(model.features)}
        self._weights = model.coefficients[0]
        self._intercept = float(model.intercept[0])
        self._intercept_part = Contribution(INTERCEPT, 1.0, self._intercept, self._intercept)
        # Contributions are immutable and feature values are small counts: one object per
        # (feature, value) serves every span (a cache, not state: results never depend on it).
        self._contribution_cache: dict[tuple[int, float], Contribution] = {}

    @property
    def threshold(self) -> float:
        return float(self.model.threshold)

    def detect(self, text: str, start: int = 0, end: int | None = None) -> HedgeResult:
        """Is the span `[start, end)` of `text` hedged? Cue offsets are absolute in `text`."""
        return self.detect_many([(text, start, len(text) if end is None else end)])[0]

    def detect_many(self, items: Sequence[tuple[str, int, int]]) -> list[HedgeResult]:
        """Score many spans `(text, start, end)`: cues per span, one vectorised model call per batch
        of `batch_rows` spans (all of them, unless there are more than that)."""
        results: list[HedgeResult] = []
        for offset in range(0, len(items), self.batch_rows):
            results.extend(self._detect_batch(items[offset : offset + self.batch_rows]))
        return results

    def features(self, text: str, start: int = 0, end: int | None = None) -> dict[str, float]:
        """The model's input for one span, by feature name (for inspection and rule statistics)."""
        end = len(text) if end is None else end
        _check_span(text, start, end)
        values = self.featurizer.values(self.finder.find(text[start:end]))
        return {k: v for k, v in values.items() if k in self._index}

    def _detect_batch(self, items: Sequence[tuple[str, int, int]]) -> list[HedgeResult]:
        found: list[Findings] = []
        entries: list[list[tuple[int, float]]] = []
        X = np.zeros((len(items), len(self._index)), dtype=float)
        counted: list[tuple[RuleMatch, ...]] = []
        index, values_of, find, hedge_cues = (
            self._index,
            self.featurizer.values,
            self.finder.find,
            self.featurizer.hedge_cues,
        )
        for row, (text, start, end) in enumerate(items):
            _check_span(text, start, end)
            findings = find(text[start:end])
            hedges = hedge_cues(findings) if findings.hedges else ()
            found.append(findings)
            counted.append(hedges)
            present = [
                (index[name], value) for name, value in values_of(findings, hedges).items() if name in index
            ]
            for j, value in present:
                X[row, j] = value
            entries.append(present)
        probabilities = self.model.predict_proba(X)[:, 1].tolist()
        threshold = self.threshold
        results = []
        for row, ((text, start, _), findings) in enumerate(zip(items, found, strict=True)):
            p = probabilities[row]
            results.append(
                HedgeResult(
                    hedged=p >= threshold,
                    probability=p,
                    cues=filter_cues([_cue(text, start, m) for m in counted[row]]) if counted[row] else (),
                    contributions=self._explain(entries[row]),
                    counter_cues=(
                        filter_cues([_cue(text, start, m) for m in findings.counters])
                        if findings.counters
                        else ()
                    ),
                )
            )
        return results

    def _explain(self, present: list[tuple[int, float]]) -> tuple[Contribution, ...]:
        """The intercept, then each non-zero feature's `weight * value`, largest first. Feature
        values are counts, so (feature, value) pairs repeat: their Contributions are made once."""
        cache = self._contribution_cache
        parts = []
        for key in present:
            part = cache.get(key)
            if part is None:
                j, value = key
                weight = float(self._weights[j])
                part = cache[key] = Contribution(self.model.features[j], value, weight, value * weight)
            parts.append(part)
        parts.sort(key=_by_size)
        return (self._intercept_part, *parts)


def _by_size(c: Contribution) -> tuple[float, str]:
    return (-abs(c.contribution), c.feature)


def _check_span(text: str, start: int, end: int) -> None:
    if not isinstance(text, str):
        raise InputError(f"hedge detection needs a str, got {type(text).__name__}")
    if not (0 <= start <= end <= len(text)):
        raise InputError(f"span [{start}, {end}) is outside a text of {len(text)} characters")


def _cue(text: str, offset: int, m: RuleMatch) -> Cue:
    start, end = offset + m.start, offset + m.end
    return Cue(start, end, text[start:end], m.rule_id, m.label)


@lru_cache(maxsize=4)
def _load_detector(
    rules_path: str, rules_mtime: int, model_path: str, model_mtime: int, scheme: str
) -> HedgeDetector:
    return HedgeDetector(load_ruleset(rules_path), LinearModel.load(model_path), scheme)


def default_detector(
    rules_path: str | Path | None = None, model_path: str | Path | None = None, scheme: str = "labelling"
) -> HedgeDetector:
    """The detector from `rules/hedges.yaml` and `rules/hedge_model.yaml`, loaded once per process
    (reloaded when either file changes)."""
    rules_file = Path(rules_path or HEDGE_RULES_PATH).resolve()
    model_file = Path(model_path or HEDGE_MODEL_PATH).resolve()
    try:
        rules_mtime = rules_file.stat().st_mtime_ns
    except OSError as exc:
        raise RuleError(f"{rules_file}: hedge rule file not found; restore it") from exc
    return _load_detector(str(rules_file), rules_mtime, str(model_file), model_mtime(model_file), scheme)


# ---- training --------------------------------------------------------------------------------
@dataclass(frozen=True)
class TrainingParams:
    """How `fit_hedge_model` learns; recorded in the model file's `params`."""

    C: float = 1.0  # inverse L2 strength: a few hundred sparse 0/1 features on ~6,000 sentences
    min_cue_df: int = 3  # a matched term needs this many training sentences to get its own weight
    # Fixed, not learned: WikiWeasel does not annotate LABELLING's hedge kinds (a "may" sentence is
    # hedged there 27% of the time), so the weight that makes them decisive comes from the
    # definition. e^4 multiplies the odds by ~55: a definitional cue decides unless the rest of
    # the span weighs strongly against it.
    definition_log_odds: float = 4.0
    threshold_folds: int = 4  # inner folds whose out-of-fold scores choose the threshold
    seed: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "C": self.C,
            "min_cue_df": self.min_cue_df,
            "definition_log_odds": self.definition_log_odds,
            "threshold_folds": self.threshold_folds,
            "seed": self.seed,
        }


def fit_hedge_model(
    texts: Sequence[str],
    labels: Sequence[int] | np.ndarray,
    rules: RuleSet,
    params: TrainingParams = TrainingParams(),
    **meta: Any,
) -> LinearModel:
    """Fit the hedge model on whole-sentence texts and 0/1 labels. Deterministic.

    Everything learned (which matched terms get their own weight, the weights, the threshold) comes
    from `texts` alone: the threshold maximises F1 on the out-of-fold scores of an inner
    cross-validation, so an outer evaluation that calls this on its training folds never sees its
    test fold. The learned weights are those of the `wikiweasel` scheme; DEFINITION_FEATURE is
    appended with its fixed weight for the `labelling` scheme.
    """
    finder = CueFinder(rules)
    findings = [finder.find(t) for t in texts]
    y = np.asarray(labels, dtype=int)
    if len(y) != len(findings) or set(np.unique(y)) != {0, 1}:
        raise InputError("hedge training needs one 0/1 label per text, with both classes present")
    threshold, inner = _choose_threshold(findings, y, finder, params)
    learned = _fit_once(findings, y, finder, params)
    with_definition = _Fitted(
        [*learned.features, DEFINITION_FEATURE],
        np.append(learned.coef_[0], params.definition_log_odds)[None, :],
        learned.intercept_,
        learned.classes_,
    )
    return LinearModel.from_estimator(
        with_definition,
        with_definition.features,
        MODEL_NAME,
        threshold=threshold,
        params={**params.to_dict(), "threshold_cv": inner},
        **meta,
    )


@dataclass(frozen=True)
class _Fitted:
    """The numbers of a fitted logistic regression, in the attribute names `LinearModel.from_estimator`
    reads (a dropped feature keeps its column with weight 0)."""

    features: list[str]
    coef_: np.ndarray
    intercept_: np.ndarray
    classes_: np.ndarray

    def scores(self, X: np.ndarray) -> np.ndarray:
        z = X @ self.coef_[0] + self.intercept_[0]
        return 1.0 / (1.0 + np.exp(-np.clip(z, -500, 500)))


def _fit_once(
    findings: Sequence[Findings], y: np.ndarray, finder: CueFinder, params: TrainingParams
) -> _Fitted:
    from sklearn.linear_model import LogisticRegression

    cue_terms, counter_terms = _select_cue_terms(findings, finder, params.min_cue_df)
    rules = finder.rules
    features = (
        [f"rule:{r.id}" for r in rules.rules]
        + [f"label:{lb}" for lb in rules.labels]
        + list(FIXED_FEATURES)
        + [f"cue:{t}" for t in cue_terms]
    )
    X = _matrix(findings, features, Featurizer(finder, frozenset(cue_terms), "wikiweasel"))
    counter = {j for j, name in enumerate(features) if _is_counter_feature(name, finder, counter_terms)}
    # A counter-cue is declared evidence against a hedge: its weight may be 0 or negative, never
    # positive (a few Wikipedia sentences gave "confirmed" a positive weight). Active set: drop the
    # counter features that came out positive and refit, until none does.
    active = list(range(len(features)))
    for _ in range(len(counter) + 1):
        # liblinear: exact and fast for a few hundred features; its shuffling is seeded.
        estimator = LogisticRegression(
            C=params.C, solver="liblinear", max_iter=1000, random_state=params.seed
        )
        estimator.fit(X[:, active], y)
        positive = {active[k] for k, w in enumerate(estimator.coef_[0]) if w > 0 and active[k] in counter}
        if not positive:
            break
        active = [j for j in active if j not in positive]
    coef = np.zeros((1, len(features)))
    coef[0, active] = estimator.coef_[0]
    return _Fitted(features, coef, estimator.intercept_.copy(), estimator.classes_.copy())


def _is_counter_feature(name: str, finder: CueFinder, counter_terms: frozenset[str]) -> bool:
    kind, _, rest = name.partition(":")
    if kind == "rule":
        return finder.rules.get(rest).label in finder.counter_labels
    if kind == "label":
        return rest in finder.counter_labels
    return kind == "cue" and rest in counter_terms


def _select_cue_terms(
    findings: Sequence[Findings], finder: CueFinder, min_df: int
) -> tuple[list[str], frozenset[str]]:
    """Matched terms of term rules seen in at least `min_df` sentences (rarer ones fall back on
    their rule and label weights), and which of them counter-cues matched."""
    df: dict[str, int] = {}
    counter: set[str] = set()
    for f in findings:
        keys = {cue_key(m.text) for m in f.hedges + f.counters if m.rule_id in finder.term_rules}
        for key in keys:
            df[key] = df.get(key, 0) + 1
        counter.update(cue_key(m.text) for m in f.counters if m.rule_id in finder.term_rules)
    kept = sorted(k for k, n in df.items() if n >= min_df)
    return kept, frozenset(counter.intersection(kept))


def _matrix(findings: Sequence[Findings], features: Sequence[str], featurizer: Featurizer) -> np.ndarray:
    index = {name: j for j, name in enumerate(features)}
    X = np.zeros((len(findings), len(features)), dtype=float)
    for row, f in enumerate(findings):
        for name, value in featurizer.values(f).items():
            j = index.get(name)
            if j is not None:
                X[row, j] = value
    return X


def _choose_threshold(
    findings: Sequence[Findings], y: np.ndarray, finder: CueFinder, params: TrainingParams
) -> tuple[float, dict[str, float]]:
    from sklearn.model_selection import StratifiedKFold

    scores = np.zeros(len(y))
    folds = StratifiedKFold(params.threshold_folds, shuffle=True, random_state=params.seed)
    for train, test in folds.split(np.zeros(len(y)), y):
        fitted = _fit_once([findings[i] for i in train], y[train], finder, params)
        cue_terms = frozenset(f[4:] for f in fitted.features if f.startswith("cue:"))
        X = _matrix([findings[i] for i in test], fitted.features, Featurizer(finder, cue_terms, "wikiweasel"))
        scores[test] = fitted.scores(X)
    threshold, f1 = best_f1_threshold(y, scores)
    p, r = _precision_recall(y, scores >= threshold)
    return threshold, {
        "f1": round(f1, 4),
        "precision": round(p, 4),
        "recall": round(r, 4),
        "folds": params.threshold_folds,
    }


def best_f1_threshold(y: np.ndarray, scores: np.ndarray) -> tuple[float, float]:
    """The score threshold with the highest F1 (midway between neighbouring scores, so it is not
    tied to one training sentence's exact score), and that F1."""
    order = np.argsort(-scores, kind="stable")
    s, t = scores[order], np.asarray(y)[order]
    tp = np.cumsum(t)
    predicted = np.arange(1, len(s) + 1)
    # Only cut where the score changes: tied scores fall on the same side.
    last_of_run = np.r_[s[1:] != s[:-1], True]
    f1 = np.where(last_of_run, 2 * tp / (predicted + t.sum()), -1.0)
    k = int(np.argmax(f1))
    threshold = float(s[k]) if k + 1 == len(s) else float((s[k] + s[k + 1]) / 2)
    return round(threshold, 6), float(f1[k])


def _precision_recall(y: np.ndarray, predicted: np.ndarray) -> tuple[float, float]:
    tp = float(np.sum(predicted & (y == 1)))
    return (tp / max(1, int(predicted.sum())), tp / max(1, int((y == 1).sum())))


def read_wikiweasel(csv_path: str | Path) -> tuple[list[str], np.ndarray, str]:
    """Texts, 0/1 labels and the sha256 of the file's bytes. Each text loses only the newline the
    file stores after every sentence."""
    from scorer.csvinput import read_csv

    path = Path(csv_path)
    if not path.exists():
        raise InputError(f"{path}: WikiWeasel file not found; give a CSV with columns text and label")
    frame = read_csv(path, "a WikiWeasel CSV (columns text, label)", dtype={"text": str},
                     keep_default_na=False)
    raw = path.read_bytes()
    if not {"text", "label"} <= set(frame.columns):
        raise InputError(f"{path}: expected columns 'text' and 'label', got {list(frame.columns)}")
    texts = [t.rstrip("\r\n") for t in frame["text"].tolist()]
    labels = frame["label"].astype(str).str.strip()
    wrong = labels[~labels.isin(["0", "1"])]
    if len(wrong):
        raise InputError(f"{path}: row {int(wrong.index[0]) + 1} has label {wrong.iloc[0]!r}; "
                         "every label must be 0 (not hedged) or 1 (hedged)")
    return texts, labels.astype(int).to_numpy(), sha256_of([raw])


def train_hedge_model(
    csv_path: str | Path,
    rules: RuleSet | None = None,
    params: TrainingParams = TrainingParams(),
    cv_folds: int = 5,
    save_to: str | Path | None = None,
) -> LinearModel:
    """Fit the hedge model on the WikiWeasel train file, with provenance and CV metrics in its meta.

    `cv_folds` > 1 first runs `evaluate_wikiweasel` (outer cross-validation with the same code) and
    stores its table in `cv_metrics`; 0 skips it. `save_to` writes the model file (normally
    `HEDGE_MODEL_PATH`). The same data and rules give the same file, byte for byte.
    """
    rules = rules or load_ruleset(HEDGE_RULES_PATH)
    texts, y, digest = read_wikiweasel(csv_path)
    cv_metrics: dict[str, Any] = {}
    if cv_folds > 1:
        from scorer.evaluation.wikiweasel import evaluate_wikiweasel

        cv_metrics = evaluate_wikiweasel(
            csv_path, folds=cv_folds, seed=params.seed, rules=rules, params=params
        )
    training_data = {
        "file": Path(csv_path).name,
        "sha256": digest,
        "rows": len(texts),
        "positives": int(y.sum()),
        "rules": Path(rules.path).name,
        "rules_sha256": sha256_of([Path(rules.path).read_bytes()]),
    }
    model = fit_hedge_model(
        texts, y, rules, params, training_data=training_data, cv_metrics=cv_metrics, notes=_MODEL_NOTES
    )
    if save_to is not None:
        model.save(save_to, header=_MODEL_HEADER)
    return model


_MODEL_HEADER = """Hedge model for scorer.hedging (rules: rules/hedges.yaml). Generated; do not edit by hand.
Retrain after editing the rules (from the project root):
  python -c "from scorer.hedging import *; train_hedge_model(
      '../shared/data/wikiweasel/train.csv', save_to=HEDGE_MODEL_PATH)"
"""
_MODEL_NOTES = (
    "Written by scorer.hedging.train_hedge_model; do not edit by hand. Features: rule:<id> is 1 when the "
    "rule fired (after counter-cues cancelled what they overlap), label:<label> is log2(1 + matches), "
    "cue:<term> is 1 when a term rule matched that term (lower case), cues:kinds counts hedge labels "
    "present, cues:negated counts hedge cues after a negator, cues:conditional_would is 1 for a "
    "conditional with would, cues:subordinate counts hedge cues in a relative or adverbial clause (labelling "
    "scheme only), length:log_words is log(1 + words). hedged = p >= threshold."
)
