"""Stance of a report toward a claim: `for` (asserts it), `observing` (relays it without commitment),
`against` (disputes it).

A report is a headline, an article, or another claim of the same article (a claim whose stance to
another is `against` contradicts it). The steps are fixed and readable:

1. The cue rules of `rules/stance.yaml` run on the report and on the claim. On a long report only
   the sentences that talk about the claim (by content-word overlap) are read, so a denial of
   something else further down does not count. A report cue made only of the claim's own words
   ("says" when the claim is "X says ...") is the claim's content, not the report's framing, and
   is dropped.
2. Each cue label becomes a feature: present in the report. Negation also counts on the claim side
   (in the claim; in both), so a report that repeats a negated claim is not read as disputing it.
   Other claim-side cues were measured and left out: on Emergent they add nothing, and claims
   inside an article are nearly always sourced or hedged, where weights learned from Emergent's
   flat editor-written claims would not carry over.
3. Alignment features tie a cue to the claim's content: a negation right before a claim word
   ("has NOT been arrested"), a denial near one, a hedge right before one ("Apple MAY launch"),
   an antonym of a claim word ("alive" for "dead"). A negation inside a fixed phrase that negates
   nothing ("had no idea", the rule file's `negation_idioms`) is dropped, and so is a colon label
   made of the claim's own topic words ("Jihadi John UNMASKED: ..."): a kicker, not a speaker.
   Claim and report words are compared after light stemming and the synonym groups of the rule
   file ("killed" and "dead" are one word for this purpose). Overlap features measure how much of
   the claim the report repeats.
4. Lexical features: the report's words that are not the claim's ("word:<stem>") and the text of
   each cue ("cue:<rule id>:<text>"), for a vocabulary fitted on the training rows (items seen
   with at least LEXICAL_MIN_CLAIMS claims) and stored as feature names in the model file; plus
   the report's length.
5. A multinomial logistic model (class-weighted) stored as text (`rules/stance_model.yaml`, see
   `scorer.linear`) turns the features into probabilities; its per-feature contributions are the
   explanation.
6. When the report's URL is given (`stance(..., url=...)`, `scorer stance --url`) and its path
   holds a word slug, often the headline as first published ("...-reportedly-...", "...-rumours-
   ..."), a second model (`rules/stance_url_model.yaml`) reads the slug as a second report of the
   claim: the same rule features (worth half, "url:<feature>") and lexical items ("url:word:...",
   "url:cue:...") beside the headline's. Without a URL, or with one without a slug, the headline
   model answers alone, exactly as before the URL model existed: every call the scorer makes
   inside articles.

Measured on Emergent headlines with cross-validation grouped by claim, vocabulary refitted in each
training fold (see `scorer.evaluation.emergent`), headline and URL (the URL model on the 96% of
rows whose URL has a slug, the headline model on the rest, both fitted per fold): 80.5% accuracy,
observing F1 .759, for .835, against .819 (seed 0; seeds 0-2: 80.5-81.0%, .759-.763). Headline
model alone: 79.9%, .742 (seeds 0-2: 79.7-80.0%, .740-.743 with a looser solver tolerance).
Before the hedge alignment, the negation idioms and the topic-kicker colon labels: 79.3%, .740.
Rule features alone: 77.5%, .713. Measured and not used (grouped CV, seeds 0-2, looser
tolerance): the outlet host as a feature, whether a smoothed per-outlet stance prior (target
encoding, out of fold inside each training fold, shrunk toward the global prior by 5-20 pseudo-
counts) or an outlet one-hot (outlets seen with 3 or 5 claims): 79.3-79.6% vs 79.9%.

`stance_many` featurises every pair and calls `predict_proba` once for the whole batch.
"""

from __future__ import annotations

import bisect
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
import regex

from scorer.errors import InputError, RuleError
from scorer.linear import Contribution, LinearModel, model_mtime, sha256_of
from scorer.rulebook import (
    REGEX_TIMEOUT_S,
    RULES_DIR,
    Rule,
    RuleSet,
    anchors_usable,
    ruleset,
    simple_fold_until,
)
from scorer.spans import Cue

STANCE_LABELS: tuple[str, ...] = ("for", "observing", "against")
RULES_PATH = RULES_DIR / "stance.yaml"
MODEL_PATH = RULES_DIR / "stance_model.yaml"
# The model for reports whose URL has a word slug (headline and slug features); MODEL_PATH, the
# headline-only model, serves every other call (all the scorer's own calls inside articles).
URL_MODEL_PATH = RULES_DIR / "stance_url_model.yaml"

# Cue labels the features are built from, in feature order. A label declared in stance.yaml but not
# listed here would be silently ignored, so loading checks the two agree.
CUE_LABELS: tuple[str, ...] = (
    "denial", "doubt", "negation", "negated_predicate", "correction", "hedge", "rumour", "claim_verb",
    "reporting", "source", "prediction", "future", "question", "confirmation", "quote",
)
NEGATION_LABELS = frozenset({"negation", "negated_predicate"})
# Labels whose presence in the claim is a feature too: polarity decides whether a negated report
# disputes the claim or agrees with it.
CLAIM_SIDE_LABELS: tuple[str, ...] = ("negation", "negated_predicate")
# A negation scopes over the few words after it ("did not adopt", "has NOT been arrested").
NEGATION_WINDOW = 4
# A denial word qualifies a nearby claim word in either direction ("hoax claims actor dead").
DENIAL_WINDOW = 6
# A hedge qualifies the claim when a claim word follows it closely ("ISIS reportedly BEHEADS",
# "Apple may LAUNCH"); one on something else ("catfish could set a record") leaves the claim's
# own report firm. Measured on Emergent (grouped CV, seeds 0-2): window 3 beats 2 and 5.
HEDGE_WINDOW = 3
# Only hedges: adding claim verbs, rumour nouns or questions to the alignment measured no better.
HEDGE_ALIGN_LABELS = frozenset({"hedge"})
# Reports longer than this are read sentence by sentence (headlines are never split).
FOCUS_MIN_CHARS = 300
FOCUS_MAX_SENTENCES = 3

# Same-length replacements, so matching on the normalised text keeps offsets into the original:
# curly apostrophes and quotes become straight ones and the rules need to list one form only.
_QUOTE_TABLE = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "＇": "'"})
_TOKEN = regex.compile(r"[\p{L}\p{N}]+(?:['’][\p{L}]+)*")
# A sentence ends at . ! ? (and closing quotes) followed by space and a capital, digit or quote,
# or at a line break. Good enough to find the sentences about a claim; never used for offsets
# of claims themselves.
_SENTENCE_END = regex.compile(r"""(?<=[.!?]['"’”)\]]*)\s+(?=[\p{Lu}\p{N}"'“‘(])|\n+""")
# Fixed, not chosen per fold: choosing C by a nested grouped CV (C=None, select_C) was measured on
# Emergent and lost (seed 0: 78.4% vs 79.x% at C=1; folds picked 0.3 to 3), at ten times the cost.
DEFAULT_C: float | None = 1.0
# Candidate C values for the nested choice (select_C), and the class weighting: "balanced" weighs
# the rarer observing and against headlines up, which the observing F1 needs.
C_GRID: tuple[float, ...] = (0.3, 1.0, 3.0)
CLASS_WEIGHT: str | None = "balanced"
# Lexical features, beside the rule features: the report's words that are not the claim's
# ("word:<stem>") and the exact text of each cue ("cue:<rule id>:<text>"), so "accuses" and
# "says" need not weigh the same because one rule lists both. The vocabulary is fitted on the
# training rows and stored as feature names in the model file. A word counts only when it occurs
# in the reports of at least LEXICAL_MIN_CLAIMS different claims: the headlines of one claim share
# its topic words, which say nothing about stance.
LEXICAL_PREFIXES: tuple[str, ...] = ("word:", "cue:", "url:word:", "url:cue:")
LEXICAL_MIN_CLAIMS = 3
# A lexical feature is worth 0.3, not 1: under the single L2 penalty this shrinks the hundreds of
# word weights harder than the few rule features (a per-group penalty by rescaling). Measured on
# Emergent, grouped CV: 0.3 beats 0.5 and 1.0.
LEXICAL_VALUE = 0.3
# Report length in tokens, capped (long headlines are mostly plain assertions, "for").
LENGTH_CAP = 30
# The report's address, when known: its slug often holds the headline as first published ("...-
# rumours-...", "...-reportedly-...", "...-claims-..."), wording an edited headline lost. The
# slug's words are read as a second report of the claim: its rule features ("url:<feature>") and
# lexical items ("url:word:<stem>", "url:cue:<rule>:<text>", same vocabulary fit). A URL without a
# word slug gives zeros there. Measured on Emergent, grouped CV, seeds 0-2 (looser tolerance), over
# the headline model's 79.9%: slug words alone 80.2%, slug words not in the headline 80.5%, slug
# rule features 80.5%, rule features and lexical items 80.6% (at value 1) and 80.8% (at 0.5). The
# outlet host (a per-outlet stance prior or one-hot) lost 0.3-0.6 points and is not used.
URL_PREFIX = "url:"
# The slug's rule features are worth half the headline's (the slug is a second, noisier reading of
# the same report; its lexical items take LEXICAL_VALUE). Measured: 0.5 beats 1.0.
URL_RULE_VALUE = 0.5
_URL_HOST = regex.compile(r"^[a-z][a-z0-9+.-]*://[^/]*", regex.IGNORECASE)
_URL_TAIL = regex.compile(r"\.(?:s?html?|php|aspx?|cms)$", regex.IGNORECASE)
_SLUG_WORDY = regex.compile(r"\p{L}{3,}[-_+]\p{L}")
_SLUG_SPLIT = regex.compile(r"[-_+.]+")
_SLUG_WORD = regex.compile(r"\p{L}+")


def url_words(url: str | None) -> str:
    """The words of a report URL's slug, space-separated ("" when the URL has none): the longest
    path segment that is hyphen- or underscore-joined words, split on its separators, numbers and
    ids dropped. "http://x.com/news/2015/03/apple-may-buy-tesla.html" gives "apple may buy tesla"."""
    if not url:
        return ""
    path = _URL_HOST.sub("", url.strip()).split("?", 1)[0].split("#", 1)[0]
    segments = [_URL_TAIL.sub("", seg) for seg in path.split("/") if seg]
    wordy = [seg for seg in segments if _SLUG_WORDY.search(seg)]
    if not wordy:
        return ""
    slug = max(wordy, key=len)  # the first of the longest
    return " ".join(w.lower() for w in _SLUG_SPLIT.split(slug) if _SLUG_WORD.fullmatch(w))


# (claim, report) or (claim, report, url); url may be None.
Pair = tuple[str, str] | tuple[str, str, str | None]


@dataclass(frozen=True)
class Stance:
    """The stance of one report toward one claim, with the cues and feature contributions behind it.

    `contributions` are the non-zero terms of the predicted class's score in the three-way
    (multinomial) model, the intercept included as `(intercept)`, largest magnitude first: they sum
    to that class's logit, whose softmax with the other two classes' gives `probabilities` (not a
    two-way log-odds: sigmoid of the sum is not the probability).
    """

    label: str
    probabilities: Mapping[str, float]
    cues: tuple[Cue, ...]
    contributions: tuple[Contribution, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "probabilities": {k: round(float(v), 6) for k, v in self.probabilities.items()},
            "cues": [c.to_dict() for c in self.cues],
            "contributions": [c.to_dict() for c in self.contributions],
        }


@dataclass(frozen=True)
class PairFeatures:
    """Feature values of one claim/report pair (in `StanceFeaturizer.feature_names` order), the
    report cues that were read, and the pair's lexical items (vocabulary or not)."""

    values: tuple[float, ...]
    cues: tuple[Cue, ...]
    items: frozenset[str] = frozenset()


# -- text helpers -----------------------------------------------------------------------------
def _stem(word: str) -> str:
    """A deliberately light stemmer: enough to match "beheads"/"beheaded", never language-aware."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    for suffix in ("ing", "ed", "es", "s"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            return w[: -len(suffix)]
    return w


def _tokens(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]


def _sentences(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for m in _SENTENCE_END.finditer(text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


# A rule as `StanceFeaturizer.cues` runs it: the rule, its terms' first words (None: a pattern rule)
# and its literal anchors with whether they are lower-cased (None: no anchors).
_CueRule = tuple[Rule, frozenset[str] | None, tuple[tuple[str, ...], bool] | None]


def _first_words(rule: Rule) -> frozenset[str] | None:
    """Lower-cased first word of each term of a word-list rule (None for a regex rule: always run).
    Terms are matched at word boundaries, so the first word is a whole token of any text they match."""
    if not rule.terms:
        return None
    firsts = set()
    for term in rule.terms:
        tokens = _tokens(term.strip().translate(_QUOTE_TABLE))
        if not tokens or tokens[0][0] != 0:
            return None  # a term starting with punctuation: no safe shortcut
        firsts.add(tokens[0][2].lower())
    return frozenset(firsts)


def _echoes(cue_text: str, claim_words: set[str], synonyms: Mapping[str, str], claim_stems: set[str]) -> bool:
    """Whether a cue is made only of the claim's own words or their synonyms ("fake" banknotes for
    a claim about counterfeit money)."""
    words = [_stem(w) for _, _, w in _tokens(cue_text)]
    return bool(words) and all(w in claim_words or synonyms.get(w, w) in claim_stems for w in words)


def _drop_negated_confirmations(cues: list[Cue]) -> list[Cue]:
    """"confirm" inside "declined to confirm" or "not confirmed" is the opposite of a confirmation."""
    outer = [c for c in cues if c.label in {"doubt", "denial"}]
    return [c for c in cues if not (c.label == "confirmation"
                                    and any(o.start <= c.start and c.end <= o.end for o in outer))]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


# -- features ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class StanceFeaturizer:
    """Turns (claim, report) pairs into the model's features: the loaded rules, plus the lexical
    vocabulary a model was trained with (empty: rule features only)."""

    rules: RuleSet
    vocabulary: tuple[str, ...] = ()
    # True: the report URL's slug features follow the report's (the URL model's featurizer).
    url_features: bool = False
    _vocab_index: Mapping[str, int] = field(init=False, repr=False, compare=False)
    _stopwords: frozenset[str] = field(init=False, repr=False, compare=False)
    _antonyms: tuple[tuple[str, str], ...] = field(init=False, repr=False, compare=False)
    _synonyms: Mapping[str, str] = field(init=False, repr=False, compare=False)
    _first_words: tuple[frozenset[str] | None, ...] = field(init=False, repr=False, compare=False)
    # labels (None: all) -> the (rule, first words, literal anchors) `cues` runs for them, filtered once.
    _rules_for: dict[frozenset[str] | None, tuple[_CueRule, ...]] = field(init=False, repr=False,
                                                                          compare=False)
    _idioms: Any = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        declared = set(self.rules.labels)
        if declared != set(CUE_LABELS):
            raise RuleError(
                f"{self.rules.path}: stance labels {sorted(declared)} differ from the features the "
                f"model is built from {sorted(CUE_LABELS)}; update CUE_LABELS in "
                "scorer/stance_detection.py and retrain"
            )
        for name in ("stopwords", "antonyms", "synonyms", "negation_idioms"):
            if name not in self.rules.lists:
                raise RuleError(f"{self.rules.path}: missing list {name!r}")
        for pair in self.rules.lists["antonyms"]:
            if pair.count("|") != 1 or not all(pair.split("|")):
                raise RuleError(f"{self.rules.path}: antonym {pair!r} must be written 'word|opposite'")
        synonyms: dict[str, str] = {}
        for group in self.rules.lists["synonyms"]:
            words = [w.strip() for w in group.split("|")]
            if len(words) < 2 or not all(w and " " not in w for w in words):
                raise RuleError(f"{self.rules.path}: synonym group {group!r} must be single words 'a|b|...'")
            for w in words:
                synonyms.setdefault(_stem(w), _stem(words[0]))
        # Derived once here rather than per pair; frozen, so set through object.__setattr__.
        stop = frozenset(w.lower() for w in self.rules.lists["stopwords"])
        canon = lambda w: synonyms.get(_stem(w), _stem(w))  # noqa: E731
        pairs = (p.split("|") for p in self.rules.lists["antonyms"])
        antonyms = tuple((canon(a), canon(b)) for a, b in pairs)
        object.__setattr__(self, "_synonyms", MappingProxyType(synonyms))
        object.__setattr__(self, "_first_words", tuple(_first_words(rule) for rule in self.rules.rules))
        object.__setattr__(self, "_rules_for", {})
        object.__setattr__(self, "_stopwords", stop)
        object.__setattr__(self, "_antonyms", antonyms)
        # Literal phrases only (escaped): no pattern from the rule file runs here unbounded.
        idioms = sorted({" ".join(i.translate(_QUOTE_TABLE).split())
                         for i in self.rules.lists["negation_idioms"]},
                        key=lambda i: (-len(i), i))
        object.__setattr__(self, "_idioms", regex.compile(
            r"\b(?:" + "|".join(regex.escape(i).replace(r"\ ", r"\s+") for i in idioms) + r")\b",
            regex.IGNORECASE) if idioms else None)
        bad = [v for v in self.vocabulary if not v.startswith(LEXICAL_PREFIXES)]
        if bad or len(set(self.vocabulary)) != len(self.vocabulary):
            raise RuleError("stance vocabulary: items must be unique and start with "
                            f"{LEXICAL_PREFIXES}: {bad[:3]}")
        object.__setattr__(self, "_vocab_index",
                           MappingProxyType({v: i for i, v in enumerate(self.vocabulary)}))

    def with_vocabulary(self, vocabulary: Iterable[str]) -> StanceFeaturizer:
        """The same rules with another lexical vocabulary (one fitted on a training set)."""
        return StanceFeaturizer(self.rules, tuple(vocabulary), self.url_features)

    @property
    def stopwords(self) -> frozenset[str]:
        return self._stopwords

    @property
    def antonyms(self) -> tuple[tuple[str, str], ...]:
        return self._antonyms

    @property
    def feature_names(self) -> tuple[str, ...]:
        return self.rule_feature_names + self.vocabulary

    @property
    def rule_feature_names(self) -> tuple[str, ...]:
        """The features every model has, whatever its vocabulary: the report's, then (URL
        featurizer only) the same computed on its URL's slug (zeros without one)."""
        names = self._text_feature_names()
        return names + tuple(URL_PREFIX + n for n in names) if self.url_features else names

    @staticmethod
    def _text_feature_names() -> tuple[str, ...]:
        names = [f"report:{label}" for label in CUE_LABELS]
        names += [f"{side}:{label}" for label in CLAIM_SIDE_LABELS for side in ("claim", "both")]
        names += ["aligned:negation", "aligned:denial", "antonym", "question:final", "question_and_denial",
                  "hedge_and_denial", "overlap:claim_recall", "overlap:report_precision", "report:length",
                  "aligned:hedge"]
        return tuple(names)

    def content_stems(self, text: str) -> list[tuple[int, int, str | None]]:
        """Tokens with the stem of each content word (None for a stopword or a lone letter)."""
        stop = self.stopwords
        out: list[tuple[int, int, str | None]] = []
        for start, end, word in _tokens(text):
            low = word.lower().replace("’", "'")
            # Negations and other function words carry stance, not content: the cues handle them.
            keep = low not in stop and not low.endswith("n't") and (len(low) > 1 or low.isdigit())
            stem = _stem(low)
            out.append((start, end, self._synonyms.get(stem, stem) if keep else None))
        return out

    def focus(self, report: str, claim_stems: set[str]) -> list[tuple[int, int]]:
        """The parts of the report that are about the claim: all of it when short, else the
        sentences sharing most content words with the claim (the whole text when none does)."""
        if len(report) <= FOCUS_MIN_CHARS or not claim_stems:
            return [(0, len(report))]
        sentences = _sentences(report)
        if len(sentences) <= 1:
            return [(0, len(report))]
        scored = []
        for start, end in sentences:
            stems = {s for _, _, s in self.content_stems(report[start:end]) if s}
            scored.append((len(stems & claim_stems) / len(claim_stems), start, end))
        best = max(score for score, _, _ in scored)
        if best == 0:
            return [(0, len(report))]
        keep = sorted(scored, key=lambda t: (-t[0], t[1]))[:FOCUS_MAX_SENTENCES]
        keep = [t for t in keep if t[0] >= 0.6 * best]
        return sorted((s, e) for _, s, e in keep)

    def cues(self, text: str, spans: Iterable[tuple[int, int]] | None = None,
             labels: frozenset[str] | None = None) -> list[Cue]:
        """Stance cues in `text` (restricted to `spans`; to rules of `labels` when given), offsets
        into `text` as given."""
        matched = text.translate(_QUOTE_TABLE)
        regions = list(spans) if spans is not None else [(0, len(text))]
        if labels is not None:
            labels = frozenset(labels)  # no copy for a frozenset; a set becomes a usable key
        rules = self._rules_for.get(labels)
        if rules is None:
            # A rule's literal anchors, as RuleSet.find_all tests them (see `literal_anchors`).
            anchored = {id(rule): (needed, folded) for rule, needed, folded in self.rules.anchored}
            rules = tuple((rule, first_words, anchored.get(id(rule))) for rule, first_words
                          in zip(self.rules.rules, self._first_words, strict=True)
                          if labels is None or rule.label in labels)
            if len(self._rules_for) >= 64:
                self._rules_for.clear()  # callers pass a few fixed label sets; a bound all the same
            self._rules_for[labels] = rules
        found: list[Cue] = []
        for pos, endpos in regions:
            segment = matched[pos:endpos]
            words = {w.lower() for w in _TOKEN.findall(segment)}
            words |= {w.split("'", 1)[0] for w in words if "'" in w}  # "neighbor's" holds "neighbor"
            simple = simple_fold_until(matched, endpos)
            # Nor can a rule with literal anchors where none of them shows, when the segment's lower
            # case is its case folding (the test and condition of RuleSet.find_all): a first word such
            # as "the" or "not" lets most claims through, the words after it ("the truth") do not.
            lowered = segment.lower() if simple and anchors_usable(segment) else None
            for rule, first_words, anchors in rules:
                # A word-list rule cannot match unless one of its terms' first words is in the
                # text; skipping it saves most of the regex time (term alternations are slow).
                if first_words is not None and first_words.isdisjoint(words):
                    continue
                if lowered is not None and anchors is not None:
                    needed, folded = anchors
                    haystack = lowered if folded else segment
                    if not any(anchor in haystack for anchor in needed):
                        continue
                for m in rule.matches(matched, pos, endpos, simple):
                    start, end = _trim(text, m.start, m.end)
                    if end > start:
                        found.append(Cue(start, end, text[start:end], m.rule_id, m.label))
        found.sort(key=lambda c: (c.start, -(c.end - c.start), c.rule_id))
        return found

    def _drop_idiomatic_negations(self, report: str, cues: list[Cue]) -> list[Cue]:
        """A negation inside a fixed phrase that negates no proposition ("had no idea she was
        pregnant", "you'll never guess", "not only", "no hoax") is not a dispute: drop it."""
        if self._idioms is None or not any(c.label in NEGATION_LABELS for c in cues):
            return cues
        text = report.translate(_QUOTE_TABLE)  # same length: offsets stay the report's
        spans = [(m.start(), m.end()) for m in self._idioms.finditer(text, timeout=REGEX_TIMEOUT_S)]
        return [c for c in cues if not (c.label in NEGATION_LABELS
                                        and any(a <= c.start and c.end <= b for a, b in spans))]

    def featurize(self, claim: str, report: str, url: str | None = None) -> PairFeatures:
        """Features of one pair; `url` is the report's address (read by the URL featurizer only)."""
        values, cues, items = self._text_features(claim, report)
        slug = url_words(url) if self.url_features else ""
        if not self.url_features:
            url_values: list[float] = []
        elif slug:
            slug_values, _, url_items = self._text_features(claim, slug)
            url_values = [URL_RULE_VALUE * v for v in slug_values]
            items |= {URL_PREFIX + item for item in url_items}
        else:
            url_values = [0.0] * len(values)
        lexical = [0.0] * len(self.vocabulary)
        for item in items:
            k = self._vocab_index.get(item)
            if k is not None:
                lexical[k] = LEXICAL_VALUE
        return PairFeatures(tuple(values + url_values + lexical), tuple(cues), frozenset(items))

    def _text_features(self, claim: str, report: str) -> tuple[list[float], list[Cue], set[str]]:
        claim_tokens = self.content_stems(claim)
        claim_stems = {s for _, _, s in claim_tokens if s}
        regions = self.focus(report, claim_stems)
        # A cue made only of the claim's own words ("parents" for a claim about someone's parents,
        # "says" for a claim that is itself "X says ...") is content the report repeats, not how
        # the report frames it.
        claim_words = {_stem(w) for _, _, w in _tokens(claim)}
        report_cues = _drop_negated_confirmations(
            [c for c in self.cues(report, regions)
             if not _echoes(c.text, claim_words, self._synonyms, claim_stems)]
        )
        report_cues = self._drop_idiomatic_negations(report, report_cues)
        # A colon label that names the claim's topic ("Jihadi John UNMASKED: ...", "Fidel Castro
        # death watch: ...") is a kicker, not a speaker the report relays the claim from.
        report_cues = [c for c in report_cues if not (
            c.rule_id.startswith("reporting.colon")
            and any(stem in claim_stems for _, _, stem in self.content_stems(c.text)))]
        claim_labels = {c.label for c in self.cues(claim)}
        report_labels = {c.label for c in report_cues}

        # content_stems ran on slices: shift token offsets back into the report.
        report_tokens = []
        for s, e in regions:
            report_tokens += [(a + s, b + s, stem) for a, b, stem in self.content_stems(report[s:e])]
        starts = [a for a, _, _ in report_tokens]
        report_stems = {stem for _, _, stem in report_tokens if stem}
        claim_word_at = [i for i, (_, _, stem) in enumerate(report_tokens) if stem and stem in claim_stems]

        def aligned(cue: Cue, before: int, after: int) -> bool:
            first = bisect.bisect_left(starts, cue.start)
            last = max(first, bisect.bisect_left(starts, cue.end) - 1)
            return any(first - before <= j <= last + after and not first <= j <= last for j in claim_word_at)

        # A negated opposite agrees with the claim: "not dead" says what "alive" says. Its negation
        # and the opposite word are read as neither ("The actor is not dead" read `against` 1.00
        # for "The actor is alive").
        opposites = ({b for a, b in self.antonyms if a in claim_stems and b not in claim_stems}
                     | {a for a, b in self.antonyms if b in claim_stems and a not in claim_stems})
        opposite_at = [j for j, (_, _, stem) in enumerate(report_tokens) if stem in opposites]
        negated_at: set[int] = set()
        if opposite_at:
            agreeing: list[Cue] = []
            for c in report_cues:
                if c.label in NEGATION_LABELS:
                    last = max(0, bisect.bisect_left(starts, c.end) - 1)
                    # Only when the opposite is what it negates: in "jet not found, still missing"
                    # the negation is the claim word's ("found"), and the report disputes it.
                    first_claim_word = next((j for j in claim_word_at if j > last), len(report_tokens))
                    scope = {j for j in opposite_at
                             if last < j <= min(last + NEGATION_WINDOW, first_claim_word - 1)}
                    if scope:
                        negated_at |= scope
                        agreeing.append(c)
            report_cues = [c for c in report_cues if c not in agreeing]
            report_labels = {c.label for c in report_cues}
        negation_aligned = any(aligned(c, 0, NEGATION_WINDOW) for c in report_cues if c.label == "negation")
        denial_aligned = any(
            aligned(c, DENIAL_WINDOW, DENIAL_WINDOW) for c in report_cues if c.label == "denial"
        )
        antonym = any(j not in negated_at for j in opposite_at)
        focus_text = " ".join(report[s:e] for s, e in regions).rstrip(" \t\r\n\"'’”)")
        question_final = focus_text.endswith("?")

        values: list[float] = []
        values += [float(label in report_labels) for label in CUE_LABELS]
        for label in CLAIM_SIDE_LABELS:
            in_report, in_claim = label in report_labels, label in claim_labels
            values += [float(in_claim), float(in_report and in_claim)]
        values += [
            float(negation_aligned),
            float(denial_aligned),
            float(antonym),
            float(question_final),
            float("question" in report_labels and "denial" in report_labels),
            float(bool(report_labels & {"hedge", "prediction"}) and "denial" in report_labels),
            len(claim_stems & report_stems) / len(claim_stems) if claim_stems else 0.0,
            len(claim_stems & report_stems) / len(report_stems) if report_stems else 0.0,
            min(len(report_tokens), LENGTH_CAP) / 10.0,
            float(any(aligned(c, 0, HEDGE_WINDOW) for c in report_cues if c.label in HEDGE_ALIGN_LABELS)),
        ]
        # The report's own words: every token (function words too: "after", "as", "could" carry
        # framing) whose stem is not one of the claim's.
        items = {f"word:{stem}" for stem in (_stem(report[a:b]) for a, b, _ in report_tokens)
                 if stem not in claim_words}
        items |= {f"cue:{c.rule_id}:{' '.join(c.text.lower().split())}" for c in report_cues}
        return values, report_cues, items

    def featurize_many(self, pairs: Sequence[Pair]) -> list[PairFeatures]:
        """Features of (claim, report) or (claim, report, url) pairs."""
        return [self.featurize(*pair) for pair in pairs]

    def matrix(self, pairs: Sequence[Pair]) -> tuple[np.ndarray, list[tuple[Cue, ...]]]:
        """Feature matrix (one row per pair) and the report cues of each pair."""
        feats = self.featurize_many(pairs)
        width = len(self.feature_names)
        X = np.asarray([f.values for f in feats], dtype=float).reshape(len(feats), width)
        return X, [f.cues for f in feats]

    def rematrix(self, feats: Sequence[PairFeatures], vocabulary: Sequence[str]) -> np.ndarray:
        """The matrix of already featurised pairs under another vocabulary (cross-validation
        featurises once, then fits a vocabulary per training fold)."""
        n_rule = len(self.rule_feature_names)
        index = {v: i for i, v in enumerate(vocabulary)}
        X = np.zeros((len(feats), n_rule + len(index)))
        for i, f in enumerate(feats):
            X[i, :n_rule] = f.values[:n_rule]
            for item in f.items:
                k = index.get(item)
                if k is not None:
                    X[i, n_rule + k] = LEXICAL_VALUE
        return X


def fit_vocabulary(
    items: Sequence[Iterable[str]], groups: Sequence[Any], min_groups: int = LEXICAL_MIN_CLAIMS
) -> tuple[str, ...]:
    """Lexical items found in at least `min_groups` groups (claims), sorted. Fit on training rows only."""
    seen: dict[str, set[Any]] = {}
    for row, group in zip(items, groups, strict=True):
        for item in row:
            seen.setdefault(item, set()).add(group)
    return tuple(sorted(item for item, g in seen.items() if len(g) >= min_groups))


# -- the model ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class StanceModel:
    """Cue rules plus the logistic model that weighs them."""

    featurizer: StanceFeaturizer
    model: LinearModel
    # Serves the pairs whose URL has a word slug; None: this model serves every pair.
    url_model: StanceModel | None = None

    def __post_init__(self) -> None:
        if self.url_model is not None and not self.url_model.featurizer.url_features:
            raise RuleError("stance url_model must be built with URL features")
        if tuple(self.model.features) != self.featurizer.feature_names:
            raise RuleError(
                f"stance model {self.model.name!r} was trained on other features than "
                "scorer/stance_detection.py "
                f"builds; retrain it with train_stance_model"
            )
        if set(self.model.classes) != set(STANCE_LABELS):
            raise RuleError(f"stance model classes {list(self.model.classes)} are not {list(STANCE_LABELS)}")

    def predict_many(self, pairs: Sequence[Pair], explain: bool = True) -> list[Stance]:
        _check_pairs(pairs)
        if not pairs:
            return []
        if self.url_model is not None:
            with_slug = [i for i, pair in enumerate(pairs) if len(pair) == 3 and url_words(pair[2])]
            if with_slug:
                slugged = set(with_slug)
                rest = [i for i in range(len(pairs)) if i not in slugged]
                out: dict[int, Stance] = {}
                for index, predict in ((with_slug, self.url_model.predict_many), (rest, self._predict)):
                    if index:
                        out.update(zip(index, predict([pairs[i] for i in index], explain), strict=True))
                return [out[i] for i in range(len(pairs))]
        return self._predict(pairs, explain)

    def _predict(self, pairs: Sequence[Pair], explain: bool) -> list[Stance]:
        X, cues = self.featurizer.matrix(pairs)
        proba = self.model.predict_proba(X)  # one call for the whole batch
        classes = [str(c) for c in self.model.classes]
        out = []
        for i, row in enumerate(proba):
            k = int(np.argmax(row))
            probabilities = MappingProxyType(
                {label: float(row[classes.index(label)]) for label in STANCE_LABELS}
            )
            contributions: tuple[Contribution, ...] = ()
            if explain:
                contributions = self._contributions(X[i], k)
            out.append(Stance(classes[k], probabilities, cues[i], contributions))
        return out

    def _contributions(self, x: np.ndarray, k: int) -> tuple[Contribution, ...]:
        terms = [c for c in self.model.contributions([float(v) for v in x], row=k) if c.value != 0.0]
        bias = float(self.model.intercept[k])
        terms.append(Contribution("(intercept)", 1.0, bias, bias))
        return tuple(sorted(terms, key=lambda c: (-abs(c.contribution), c.feature)))


def _check_pairs(pairs: Sequence[Pair]) -> None:
    for i, pair in enumerate(pairs):
        ok = isinstance(pair, tuple | list) and len(pair) in (2, 3)
        ok = ok and all(isinstance(t, str) for t in pair[:2])
        if not (ok and (len(pair) == 2 or pair[2] is None or isinstance(pair[2], str))):
            raise InputError(
                f"stance pair #{i}: expected (claim, report) strings and an optional url, got {pair!r:.80}")


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError as exc:
        raise RuleError(f"{path}: stance rule file not found; restore it") from exc


@lru_cache(maxsize=4)
def _cached_model(rules_path: str, rules_mtime: int, model_path: str, model_mtime: int,
                  url_model_path: str | None = None, url_model_mtime: int = 0) -> StanceModel:
    def load(path: str, url_features: bool, url_model: StanceModel | None = None) -> StanceModel:
        model = LinearModel.load(path)
        vocabulary = tuple(f for f in model.features if f.startswith(LEXICAL_PREFIXES))
        return StanceModel(StanceFeaturizer(ruleset(rules_path), vocabulary, url_features), model, url_model)

    url_model = load(url_model_path, True) if url_model_path else None
    return load(model_path, False, url_model)


def default_stance_model(
    rules_path: str | Path = RULES_PATH, model_path: str | Path = MODEL_PATH,
    url_model_path: str | Path | None = URL_MODEL_PATH,
) -> StanceModel:
    """The stance rules and models (headline; headline and URL slug), loaded once per process
    (reloaded when a file changes). `url_model_path` None: the headline model serves every pair."""
    rules, model = Path(rules_path), Path(model_path)
    url = Path(url_model_path) if url_model_path is not None else None
    return _cached_model(str(rules.resolve()), _mtime(rules), str(model.resolve()), model_mtime(model),
                         str(url.resolve()) if url else None, model_mtime(url) if url else 0)


_WORD_CHARACTER = regex.compile(r"[\p{L}\p{N}]")


def stance(claim: str, report: str, model: StanceModel | None = None, *, url: str | None = None) -> Stance:
    """The stance of `report` toward `claim`; `url`, the report's address when known, adds its
    slug's wording (None: the report's text alone). A claim or report without a letter or digit
    is an InputError: the model would still give it a label ("?!" read `against` at 0.97)."""
    for what, text in (("claim", claim), ("report", report)):
        if not isinstance(text, str):
            raise InputError(f"the {what} must be a str, not {type(text).__name__}")
        if not _WORD_CHARACTER.search(text):
            state = "empty" if not text.strip() else "without a word"
            raise InputError(f"the {what} is {state}; give its text")
    if url is not None and not isinstance(url, str):
        raise InputError(f"the url must be a str or None, not {type(url).__name__}")
    return stance_many([(claim, report, url)], model)[0]


def stance_many(pairs: Sequence[Pair], model: StanceModel | None = None) -> list[Stance]:
    """Stances of many (claim, report) or (claim, report, url) pairs, in input order, with one
    `predict_proba` call."""
    return (model or default_stance_model()).predict_many(list(pairs))


# -- training ------------------------------------------------------------------------------------
EMERGENT_COLUMNS = ("claimId", "claimHeadline", "articleId", "articleHeadline", "articleHeadlineStance")


def emergent_pairs(frame: Any) -> list[tuple[str, str, str | None]]:
    """(claim, headline, url) of each row of a loaded Emergent frame (url None when the CSV has
    no `url` column or the cell is empty)."""
    urls = frame["url"] if "url" in frame.columns else [""] * len(frame)
    return [(c, h, u or None) for c, h, u in
            zip(frame["claimHeadline"], frame["articleHeadline"], urls, strict=True)]


def fit_stance_estimator(
    X: np.ndarray, y: Sequence[str], C: float = 1.0, class_weight: str | None = CLASS_WEIGHT
) -> Any:
    """The multinomial logistic regression behind the model (lbfgs: deterministic, no seed needed)."""
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=C, max_iter=5000, tol=1e-8, class_weight=class_weight).fit(X, np.asarray(y))


def select_C(
    feats: Sequence[PairFeatures],
    y: Sequence[str],
    groups: Sequence[Any],
    featurizer: StanceFeaturizer,
    grid: Sequence[float] = C_GRID,
    folds: int = 3,
    seed: int = 0,
) -> float:
    """C with the best accuracy in a cross-validation grouped by claim over the given (training)
    rows only; the vocabulary is refitted inside each inner training part. Ties go to the smaller C."""
    from sklearn.model_selection import StratifiedGroupKFold

    labels, group_of = np.asarray(y), np.asarray(groups)
    items = [f.items for f in feats]
    correct = np.zeros(len(grid))
    splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)
    for train, test in splitter.split(np.zeros(len(labels)), labels, group_of):
        X = featurizer.rematrix(feats, fit_vocabulary([items[i] for i in train], group_of[train]))
        for k, C in enumerate(grid):
            predicted = fit_stance_estimator(X[train], labels[train], C).predict(X[test])
            correct[k] += int((predicted == labels[test]).sum())
    return float(sorted(grid)[int(np.argmax([correct[list(grid).index(c)] for c in sorted(grid)]))])


def train_stance_model(
    csv_path: str | Path,
    out_path: str | Path | None = None,
    *,
    C: float | None = DEFAULT_C,
    folds: int = 5,
    seed: int = 0,
    rules_path: str | Path = RULES_PATH,
    url_features: bool = False,
) -> LinearModel:
    """Fit the stance model on an Emergent-format CSV (e.g. emergent_train.csv): the headline
    model, or with `url_features` the URL model (headline and URL slug features).

    The URL model's recorded metrics are those of the pair as `stance` uses it: the URL model
    for rows whose URL has a word slug, the headline model for the rest, both fitted per fold.

    The lexical vocabulary and (when `C` is None) C are fitted on the CSV's rows; the recorded
    cross-validated metrics refit both inside each training fold. The model's meta records the
    CSV's and the rules' sha256, library versions, and grouped (by claim) cross-validated metrics.
    Written to `out_path` as YAML text when given.
    """
    from scorer.evaluation.emergent import cross_validate, load_emergent

    csv_path = Path(csv_path)
    frame = load_emergent(csv_path)
    rule_featurizer = StanceFeaturizer(ruleset(Path(rules_path)), url_features=url_features)
    feats = rule_featurizer.featurize_many(emergent_pairs(frame))
    y = frame["articleHeadlineStance"].to_numpy()
    groups = frame["claimId"].to_numpy()
    featurizer = rule_featurizer.with_vocabulary(fit_vocabulary([f.items for f in feats], groups))
    X = featurizer.rematrix(feats, featurizer.vocabulary)
    final_C = C if C is not None else select_C(feats, y, groups, rule_featurizer, seed=seed)
    estimator = fit_stance_estimator(X, y, final_C)
    cv = cross_validate(frame, folds=folds, seed=seed, C=C, featurizer=rule_featurizer, feats=feats,
                        url=url_features)
    model = LinearModel.from_estimator(
        estimator,
        featurizer.feature_names,
        "stance",
        training_data={
            "file": csv_path.name,
            "sha256": sha256_of([csv_path.read_bytes()]),
            "rows": int(len(frame)),
            "claims": int(frame["claimId"].nunique()),
            "rules_sha256": rules_sha256(rules_path),
        },
        cv_metrics={
            "scheme": f"StratifiedGroupKFold by claimId, {folds} folds, seed {seed}; vocabulary "
                      + ("refitted" if C is not None else "and C refitted") + " in each training fold"
                      + ("; URL model on rows with a URL slug, headline model on the rest"
                         if url_features else ""),
            "C_per_fold": cv["scheme"]["C"],
            "accuracy": round(cv["model"]["accuracy"], 4),
            "macro_f1": round(cv["model"]["macro_f1"], 4),
            "f1": {k: round(v["f1"], 4) for k, v in cv["model"]["per_class"].items()},
        },
        params={"C": final_C,
                "C_choice": "given" if C is not None else f"grouped 3-fold CV over {list(C_GRID)}",
                "solver": "lbfgs", "link": "softmax (multinomial)", "penalty": "l2",
                "class_weight": CLASS_WEIGHT, "lexical_value": LEXICAL_VALUE,
                "lexical_min_claims": LEXICAL_MIN_CLAIMS,
                **({"url_rule_value": URL_RULE_VALUE} if url_features else {})},
        notes=("Stance of a report toward a claim; features built by scorer/stance_detection.py "
               "from rules/stance.yaml"),
    )
    if out_path is not None:
        model.save(out_path, header=(
            ("Stance URL model: for reports whose URL has a word slug; the slug's features follow\n"
             "the headline's.\n"
             if url_features else "")
            + "Stance model: multinomial logistic regression over the cue features of rules/stance.yaml.\n"
            "Written by scorer.stance_detection.train_stance_model; do not edit by hand, retrain instead.\n"
            "Each row of coefficients is one class (see classes); contribution = weight * feature value."
        ))
    return model


def rules_sha256(rules_path: str | Path = RULES_PATH) -> str:
    """Hash of the stance rule file, compared with the one a model was trained with."""
    return hashlib.sha256(Path(rules_path).read_bytes()).hexdigest()
