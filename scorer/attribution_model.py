"""The learned half of the attribution finder: a cue-token model, a cue-span model and a
source-span model.

All three are logistic regressions over hand-built features (word, suffix-stripped stem, word
class from `rules/attribution.yaml`, shape, neighbours, quote and clause context, and what the rules
in `scorer.attribution` found), trained on the PolNeAR train split and stored as readable text
(`rules/attribution_cue_model.yaml`, `rules/attribution_cue_context_model.yaml` (the span model,
which scores a cue in its context), `rules/attribution_source_model.yaml`) through
`scorer.linear.LinearModel`. Rebuild all three with `train_attribution_models(split="train")`.

1. Cue model, in two stages. Cue candidates ("anchors") are words of the cue word classes, stems of
   them, verb-like forms, "according", ":" and whatever a rule marked as a cue. (a) A token model
   scores every token within `CUE_WINDOW` tokens of an anchor (one sparse product for the whole
   claim): is it part of a cue? (b) A span model scores candidate cue spans around each anchor
   (up to `CUE_SPAN_BEFORE` tokens before it and `CUE_SPAN_AFTER` after) from the token model's
   probabilities of the span's tokens and neighbours and the words at its edges (again one sparse
   product per claim); the best spans win, without overlap, when their probability reaches the
   threshold. Scoring whole spans gets cue boundaries right that a per-token cut gets wrong
   ("said in a statement", never "said in").
2. Source model. For each cue, candidate source spans lie to its left (ending at most
   `MAX_GAP_LEFT` tokens before it) or to its right (starting at most `MAX_GAP_RIGHT` tokens after
   it), at most `MAX_SOURCE_TOKENS` long. A span's features are the features of four boundary tokens
   (first, the one before, last, the one after: "S", "B", "E", "A"), its length, its distance to the
   cue, what it and the gap contain, the cue (its lemma, class and verb form: a passive cue's subject
   is not its source), and whether a rule proposed it. The model is linear,
   so a span's score is a sum of per-token and per-span parts: every candidate of a cue is scored
   at once with numpy, and the best one wins when its probability reaches the threshold.

Training builds the same feature names explicitly (`source_span_features`); a test checks that the
fast scorer and the explicit features give the same log-odds.
"""

from __future__ import annotations

import random
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import chain
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from scorer.linear import LinearModel, model_mtime, sha256_of
from scorer.rulebook import RULES_DIR, ruleset
from scorer.tokens import Token, is_clitic, is_word

CUE_MODEL_PATH = RULES_DIR / "attribution_cue_model.yaml"
CUE_CONTEXT_MODEL_PATH = RULES_DIR / "attribution_cue_context_model.yaml"
SOURCE_MODEL_PATH = RULES_DIR / "attribution_source_model.yaml"

CUE_WINDOW = 3
MAX_GAP_LEFT = 14
MAX_GAP_RIGHT = 3
MAX_SOURCE_TOKENS = 30
# Candidate sources scored in one numpy pass (`SourceScorer.score_many`): an article has a few
# thousand; a run-on text of thousands of cues is scored in groups of this many (about 30 MB a table).
MAX_CANDIDATES_AT_ONCE = 50_000
MIN_FEATURE_COUNT = 3
CUE_FOLDS = 3
# The best candidate source of a cue stands when its probability reaches this. The source model is
# trained on a sample of each cue's candidates, so its probabilities run low: 0.2, not 0.5.
# This threshold, CUE_SPAN_THRESHOLD and the C values of `train_attribution_models` are chosen by
# source exact F1 on held-out PolNeAR train articles (every second one from the 250th, the models
# fitted on the rest): thresholds from {0.1, 0.15, 0.2} x {0.2, 0.25, 0.3, 0.35}, source C from
# {0.1, 0.3, 1, 3, 10}; 0.2, 0.25 and 3 scored 66.6 there, the old 0.15, 0.3 and 0.3 scored 65.3.
SOURCE_THRESHOLD = 0.2
# Cue span candidates reach this many tokens before and after an anchor (PolNeAR train: 93% of the
# anchored gold cues fit).
CUE_SPAN_BEFORE = 3
CUE_SPAN_AFTER = 4
# A candidate cue span needs one token whose token-model probability reaches this.
CUE_SPAN_FLOOR = 0.05
# A cue span stands when the span model gives it this much (chosen with SOURCE_THRESHOLD, above):
# below the cue-exact optimum (0.3), as a missed cue costs its source too.
CUE_SPAN_THRESHOLD = 0.25

_OPEN_QUOTES = frozenset({'"', "“", "‘", "«", "''", "``"})
_CLOSE_QUOTES = frozenset({'"', "”", "’", "»"})
_QUOTES = frozenset({'"', "“", "”", "‘", "’", "«", "»", "'"})
_STOPS = frozenset({".", "!", "?", ";"})

_LEN_BUCKETS = (1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 15, 20, 30)
_GAP_BUCKETS = (0, 1, 2, 3, 5, 8, 11, 14)
# "ed": a lowercase past form outside the cue word classes ("He extolled ..., applauding"): a verb, so
# a span holding one is a clause, not a noun phrase. "rel": a relative pronoun ("Trump, who leads
# the polls, said").
FLAGS = ("comma", "quote", "stop", "verbish", "cue", "cap", "pron", "paren", "dash", "clause", "colon",
         "time", "num", "ed", "rel")


# Relative pronouns that stand alone as a source ("Trump, [who] leads the polls, said") but open no
# longer one (`implausible_sources`).
_CLAUSE_RELATIVES = frozenset({"who", "whom", "which"})


def _bucket(value: int, bounds: Sequence[int]) -> int:
    for b in bounds:
        if value <= b:
            return b
    return bounds[-1] + 1


_PREPOSITIONS = frozenset({"of", "for", "about", "on", "in", "with", "at", "against", "from", "by"})


# -- word classes ------------------------------------------------------------------------------
@dataclass(frozen=True)
class ModelLexicon:
    """Word classes the models see, all from `rules/attribution.yaml` (and the role lists of
    `rules/sources.yaml`)."""

    forms: dict[str, tuple[str, str]]  # surface form -> (lemma, class)
    cue_nouns: frozenset[str]
    roles: frozenset[str]
    determiners: frozenset[str]
    pronouns: frozenset[str]
    auxiliaries: frozenset[str]
    clause_stops: frozenset[str]
    verbish: frozenset[str]
    time_words: frozenset[str]
    # Words the cue model sees by name as a neighbour; any other neighbour is seen by its class or
    # shape, so a rare name next to a cue ("observers say Scott deserves") teaches nothing.
    closed_words: frozenset[str] = frozenset()
    # Abbreviations whose dot ends no sentence ("Gov.", "Rev.": `abbreviations` of rules/claims.yaml):
    # the tokenizer splits the dot off, and a source span may run through it.
    abbreviations: frozenset[str] = frozenset()
    relative_pronouns: frozenset[str] = frozenset()
    np_prepositions: frozenset[str] = frozenset()
    source_never_opens: frozenset[str] = frozenset()
    coordinators: frozenset[str] = frozenset()
    time_leads: frozenset[str] = frozenset()


@lru_cache(maxsize=2)
def model_lexicon(rules_path: str = "attribution") -> ModelLexicon:
    from scorer.attribution import verb_forms

    rules = ruleset(rules_path)
    lists = rules.lists
    forms = verb_forms(lists, (("speech", "speech_verbs"), ("belief", "belief_verbs"),
                               ("intention", "intention_verbs"), ("evidence", "evidence_verbs"),
                               ("stance", "stance_verbs"), ("other", "extra_cue_verbs")))
    roles = set(lists["role_words"])
    # A broken or missing sources or claims file is an error, not fewer features: a model reading
    # other features than it was trained with scores without a word of warning.
    src = ruleset("sources").lists
    for key in ("official_titles", "unnamed_heads", "institution_heads", "document_heads",
                "outlet_heads"):
        roles.update(w for w in src[key] if " " not in w)
    pronouns = frozenset(lists["subject_pronouns"]) | {"him", "her", "them", "us", "me", "i"}
    closed = (set(forms) | set(lists["cue_nouns"]) | roles | pronouns | _PREPOSITIONS
              | {"to", "that", "and", "or", "by", "it", "this", "there"})
    for key in ("determiners", "auxiliaries", "clause_stops", "verbish", "time_words", "np_prepositions",
                "coordinators"):
        closed.update(lists[key])
    abbreviations = frozenset(ruleset("claims").lists["abbreviations"])
    return ModelLexicon(
        forms=forms,
        cue_nouns=frozenset(lists["cue_nouns"]),
        roles=frozenset(roles),
        determiners=frozenset(lists["determiners"]),
        pronouns=pronouns,
        auxiliaries=frozenset(lists["auxiliaries"]),
        clause_stops=frozenset(lists["clause_stops"]),
        verbish=frozenset(lists["verbish"]),
        time_words=frozenset(lists["time_words"]),
        closed_words=frozenset(closed),
        abbreviations=abbreviations,
        relative_pronouns=frozenset(lists["relative_pronouns"]),
        np_prepositions=frozenset(lists["np_prepositions"]),
        source_never_opens=frozenset(lists["source_never_opens"]),
        coordinators=frozenset(lists["coordinators"]),
        time_leads=frozenset(lists["time_leads"]),
    )


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Crude suffix stripping, so unseen inflections share a feature ("endorsing", "endorsed")."""
    w = word.lower().replace("’", "'")
    for suffix in ("ings", "ing", "ied", "ies", "ed", "es", "s"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            base = w[: -len(suffix)]
            if suffix in ("ied", "ies"):
                return base + "y"
            if len(base) >= 4 and base[-1] == base[-2] and base[-1] not in "aeiouls":
                base = base[:-1]
            return base.rstrip("e")
    return w.rstrip("e") if len(w) > 4 else w


def _shape(text: str) -> str:
    if is_clitic(text):
        return "'x"
    if not text[0].isalnum():
        return "p" + text[0]
    if text.isdigit():
        return "d"
    if text.isupper():
        return "X." if "." in text else ("X" if len(text) > 1 else "Xs")
    if text[0].isupper():
        return "Xx"
    return "x"


# -- per-claim analysis ------------------------------------------------------------------------
@dataclass(frozen=True)
class Analysis:
    """What both models need to know about the tokens of one claim, computed once."""

    toks: tuple[Token, ...]
    low: tuple[str, ...]
    lemma: tuple[str, ...]
    cls: tuple[str, ...]
    shape: tuple[str, ...]
    in_quote: tuple[bool, ...]
    flags: dict[str, np.ndarray]  # flag -> int array, 1 where the token has it
    prefix: dict[str, np.ndarray]  # flag -> prefix sums (length n + 1)
    anchors: tuple[bool, ...]
    lex: ModelLexicon
    word: np.ndarray  # bool per token: a word token
    end_ok: np.ndarray  # bool per token: may end a source span
    seen_as: tuple[str, ...] = ()  # each token as the cue models see it as a neighbour (`_nb`)

    # Made on first use, once per sentence, for `implausible_sources` (which runs once per cue).
    @cached_property
    def opens_no_source(self) -> np.ndarray:
        """Bool per token: a word no source opens with (`source_never_opens`)."""
        never = self.lex.source_never_opens
        return np.fromiter((w in never for w in self.low), dtype=bool, count=len(self.low))

    @cached_property
    def opens_clause(self) -> np.ndarray:
        """Bool per token: a relative pronoun that opens a clause, not a noun phrase, when a span
        goes on after it ("who oversees programming"); "whose" opens a noun phrase ("whose members")."""
        return np.fromiter((w in _CLAUSE_RELATIVES for w in self.low), dtype=bool, count=len(self.low))

    @cached_property
    def time_tail_before(self) -> np.ndarray:
        """Int per token: where a time adjunct ends at this token ("Paul Ryan [on Thursday]", "Comey,
        [last week]") right after a capitalised word, a closing bracket or a comma, the index of that
        token; else -1. A source span holding both (`timetail`) is a name with a date stuck to it."""
        low, toks, lex = self.low, self.toks, self.lex
        out = np.full(len(low), -1, dtype=np.int64)

        def is_time(k: int) -> bool:
            cap = toks[k].is_capitalised
            # "Today" is a name ("USA Today"); lowercase "may" and "march" are a modal and a verb.
            return low[k] in lex.time_words and not (cap and low[k] in _DAY_DEICTICS) and not (
                not cap and low[k] in _AMBIGUOUS_MONTHS)

        # Only a time word (the "time" flag: in `time_words`) can end a time adjunct.
        for e in np.flatnonzero(self.flags["time"]).tolist():
            if not is_time(e):
                continue
            j = e
            while j > 0 and (is_time(j - 1) or low[j - 1] in lex.time_leads):
                j -= 1
            p = j - 1
            if p >= 0 and ((toks[p].is_word and toks[p].is_capitalised) or toks[p].text in {")", ","}):
                out[e] = p
        return out

    @cached_property
    def prefix_matrix(self) -> np.ndarray:
        """flag x position: `prefix` stacked in the order of FLAGS."""
        return np.stack([self.prefix[flag] for flag in FLAGS])

    @cached_property
    def words(self) -> tuple[bool, ...]:
        """`word` as Python bools, for the loops that read it token by token."""
        return tuple(self.word.tolist())

    @cached_property
    def neighbour_facts(self) -> tuple[tuple[bool, str, bool, str], ...]:
        """Per token, what `_neighbour_kinds` reads of it (see `_neighbour_facts`)."""
        return _neighbour_facts(self)

    @cached_property
    def word_prefix(self) -> np.ndarray:
        """Prefix sums (length n + 1) of `word`: the word tokens before each position."""
        return np.concatenate([[0], np.cumsum(self.word)])


_DAY_DEICTICS = frozenset({"today", "tonight", "tomorrow", "yesterday"})
_AMBIGUOUS_MONTHS = frozenset({"may", "march"})
_FLAG_ROW = {f: k for k, f in enumerate(FLAGS)}
# Flags given by a token's exact text (punctuation): flag rows of the flag matrix.
_TEXT_FLAG_ROWS: dict[str, tuple[int, ...]] = {}
for _flag, _texts in (("comma", {","}), ("stop", _STOPS), ("paren", {"(", ")", "[", "]"}),
                      ("dash", {"—", "–", "-", "--"}), ("colon", {":"})):
    for _text in _texts:
        _TEXT_FLAG_ROWS[_text] = (*_TEXT_FLAG_ROWS.get(_text, ()), _FLAG_ROW[_flag])
_END_OK_TEXTS = frozenset({",", ")", "’", "'", "”"})
_STOP_ROW = _FLAG_ROW["stop"]


# What `analyse` knows of a token from its text alone (under one lexicon), by text.
# Entries each memo below may hold before it starts afresh. A long batch of varied text meets new words
# without end: at 200k entries the token memo alone grew a worker by ~140 MB, while 50k holds every
# distinct token of all PolNeAR (34k) and the words that make most of any news text.
MEMO_ENTRIES = 50_000
_TOKEN_MEMO: dict[str, tuple[Any, ...]] = {}
_TOKEN_MEMO_LEX: list[ModelLexicon] = []


def _token_info(txt: str, lex: ModelLexicon) -> tuple[Any, ...]:
    """(lower, word?, capitalised?, lemma, class, shape, flag rows, cue-form entry?, anchor whatever
    the context?, may end a source?, as a neighbour) of a token's text."""
    lw = txt.lower()
    first_char = txt[0]
    word = is_word(txt)
    cap = first_char.isupper()
    entry = lex.forms.get(lw)
    if entry:
        lem, cl = entry[0], entry[1]
    else:
        lem, cl = (stem(lw) if word else lw), ("noun" if lw in lex.cue_nouns else "")
    shp = _shape(txt)
    lower_word = word and not cap
    on = list(_TEXT_FLAG_ROWS.get(txt, ()))
    if lower_word:
        if lw in lex.verbish:
            on.append(_FLAG_ROW["verbish"])
        if entry is not None:
            on.append(_FLAG_ROW["cue"])
        if lw in lex.clause_stops:
            on.append(_FLAG_ROW["clause"])
        if entry is None and len(lw) > 4 and lw.endswith("ed"):
            on.append(_FLAG_ROW["ed"])
        if lw in lex.relative_pronouns:
            on.append(_FLAG_ROW["rel"])
    if word and cap:
        on.append(_FLAG_ROW["cap"])
    if lw in lex.pronouns:
        on.append(_FLAG_ROW["pron"])
    if lw in lex.time_words:
        on.append(_FLAG_ROW["time"])
    if first_char.isdigit():
        on.append(_FLAG_ROW["num"])
    anchor = bool(lw in lex.cue_nouns or txt == ":"
                  or (lower_word and len(lw) > 4 and lw.endswith(("ed", "ing"))))
    end_ok = word or txt in _END_OK_TEXTS
    seen = lw if not word or lw in lex.closed_words else "~" + (cl or shp)
    return lw, word, cap, lem, cl, shp, tuple(on), entry is not None, anchor, end_ok, seen


def analyse(toks: Sequence[Token], lex: ModelLexicon, opens_quoted: bool = False) -> Analysis:
    """The model features' per-token view of one sentence. `opens_quoted`: the sentence starts
    inside a quotation that opened sentences before (`quotation_mask` of the article), so that its
    words count as quoted and its closing straight quote closes, not opens, a quotation."""
    n = len(toks)
    low, lemma, cls, shape, in_quote, anchors, words, end_ok, seen_as = [], [], [], [], [], [], [], [], []
    depth = opens_quoted
    # The flag matrix's 1s as (flag row, token) pairs, set with one numpy call after the loop.
    flag_rows: list[int] = []
    flag_cols: list[int] = []
    quote_row = _FLAG_ROW["quote"]
    if not _TOKEN_MEMO_LEX or _TOKEN_MEMO_LEX[0] is not lex or len(_TOKEN_MEMO) > MEMO_ENTRIES:
        _TOKEN_MEMO.clear()
        _TOKEN_MEMO_LEX[:] = [lex]
    memo = _TOKEN_MEMO
    prev_text = ""
    for i, t in enumerate(toks):
        txt = t.text
        info = memo.get(txt)
        if info is None:
            info = memo[txt] = _token_info(txt, lex)
        lw, word, cap, lem, cl, shp, on, has_entry, anchor, ok, seen = info
        words.append(word)
        low.append(lw)
        lemma.append(lem)
        cls.append(cl)
        shape.append(shp)
        end_ok.append(ok)
        seen_as.append(seen)
        is_quote = txt in _QUOTES and not (txt in {"’", "'"} and 0 < i < n - 1 and toks[i - 1].end == t.start
                                            and toks[i + 1].start == t.end)
        if is_quote:
            if txt in {"“", "‘", "«"}:
                depth = True
            elif txt in {"”", "»"}:
                depth = False
            else:
                depth = not depth
            flag_rows.append(quote_row)
            flag_cols.append(i)
        in_quote.append(depth)
        if txt == "." and prev_text.lower() in lex.abbreviations and i > 0 and toks[i - 1].end == t.start:
            on = tuple(r for r in on if r != _STOP_ROW)  # "Gov." ends no sentence
        if on:
            flag_rows.extend(on)
            flag_cols.extend([i] * len(on))
        anchors.append((has_entry and (not cap or i == 0 or prev_text in _QUOTES)) or anchor)
        prev_text = txt
    flag_matrix = np.zeros((len(FLAGS), n), dtype=np.int32)
    flag_matrix[flag_rows, flag_cols] = 1
    prefix_matrix = np.zeros((len(FLAGS), n + 1), dtype=np.int64)
    np.cumsum(flag_matrix, axis=1, out=prefix_matrix[:, 1:])
    flags = {f: flag_matrix[k] for k, f in enumerate(FLAGS)}
    prefix = {f: prefix_matrix[k] for k, f in enumerate(FLAGS)}
    word_arr = np.array(words, dtype=bool)
    return Analysis(tuple(toks), tuple(low), tuple(lemma), tuple(cls), tuple(shape), tuple(in_quote), flags,
                    prefix, tuple(anchors), lex, word_arr, np.array(end_ok, dtype=bool), tuple(seen_as))


# -- cue features ------------------------------------------------------------------------------
def _tokword(a: Analysis, i: int) -> str:
    if i < 0:
        return "<S>"
    if i >= len(a.toks):
        return "</S>"
    return a.low[i]


def _tokcls(a: Analysis, i: int) -> str:
    if i < 0:
        return "<S>"
    if i >= len(a.toks):
        return "</S>"
    return a.cls[i] or a.shape[i]


def _nb(a: Analysis, i: int) -> str:
    """A neighbour as the cue model sees it: a closed-class word or punctuation by name, any other
    word by its class or shape ("~Xx" for a name)."""
    if i < 0:
        return "<S>"
    if i >= len(a.toks):
        return "</S>"
    return a.seen_as[i]


def cue_token_features(a: Analysis, i: int, rule_cue: dict[int, str]) -> list[str]:
    """Feature names of token `i` for the cue token model. `rule_cue` maps token index -> rule id."""
    w, lem, cls, shp = a.low[i], a.lemma[i], a.cls[i], a.shape[i]
    prev, nxt = _nb(a, i - 1), _nb(a, i + 1)
    f = ["bias", f"w={w}", f"lem={lem}", f"cls={cls}", f"shape={shp}", f"suf={w[-3:]}", f"q={a.in_quote[i]}",
         f"w-1={prev}", f"w+1={nxt}", f"w-2={_nb(a, i - 2)}", f"w+2={_nb(a, i + 2)}", f"w-1|w={prev}|{w}",
         f"w|w+1={w}|{nxt}", f"cls|w+1={cls}|{nxt}", f"w-1|cls={prev}|{cls}", f"lem|w-1={lem}|{prev}",
         f"lem|w+1={lem}|{nxt}", f"shape-1|shape={a.shape[i - 1] if i else '<S>'}|{shp}"]
    for d in (-3, -2, -1, 1, 2, 3):
        f.append(f"c{d}={_tokcls(a, i + d)}")
    anchor_near = [d for d in range(-CUE_WINDOW, CUE_WINDOW + 1)
                   if 0 <= i + d < len(a.toks) and a.anchors[i + d]]
    f.append(f"anchor={0 in anchor_near}")
    for d in anchor_near:
        if d:
            f.append(f"anc{d}={a.cls[i + d] or a.low[i + d]}")
    if i == 0:
        f.append("first")
    if i == len(a.toks) - 1:
        f.append("last")
    if i in rule_cue:
        f.append(f"rule={rule_cue[i]}")
    kinds = _neighbour_kinds(a, i)
    f.extend(kinds)
    # The subject and complement kinds per lemma: "say" with a noun subject and a clause after.
    f.extend(f"lem|{k}={lem}" for k in kinds if "|" not in k)
    f.append(f"lem|q={lem}|{a.in_quote[i]}")
    return f


def _between_subject_and_verb(a: Analysis, j: int) -> bool:
    """May token j stand between a subject and its verb: an auxiliary (`auxiliaries` holds "not",
    "also", "long" and the like) or a lower-case -ly adverb ("who has long argued", "quickly said")."""
    low = a.low[j]
    tok = a.toks[j]
    return low in a.lex.auxiliaries or (low.endswith("ly") and tok.is_word and not tok.is_capitalised)


def _neighbour_kinds(a: Analysis, i: int) -> list[str]:
    """What stands left of the token once auxiliaries and adverbs are skipped (a subject?), and
    right of it once adverbs are skipped (an object, a complement, content?)."""
    return list(_neighbour_kind_tuple(a, i))


def _neighbour_kind_tuple(a: Analysis, i: int) -> tuple[str, ...]:
    """`_neighbour_kinds` as a shared tuple: the same kinds give the same object."""
    facts = a.neighbour_facts
    j = i - 1
    while j >= 0 and facts[j][0]:
        j -= 1
    k = i + 1
    n = len(facts)
    while k < n and facts[k][2]:
        k += 1
    return _kind_features(facts[j][1] if j >= 0 else None, j < i - 1, facts[k][3] if k < n else None,
                          a.cls[i] or a.shape[i])


@lru_cache(maxsize=4096)  # kinds and classes are closed sets, but for punctuation ("punct:" + text)
def _kind_features(left: str | None, skipped: bool, right: str | None, cls: str) -> tuple[str, ...]:
    """The feature names of `_neighbour_kinds`: the kind of the token left of a cue token (None: the
    claim's start) and whether words were skipped to reach it, the kind right of it (None: the
    claim's end), and the cue token's class or shape."""
    f: list[str] = []
    if left is None:
        f.append("L=<S>")
    else:
        f += [f"L={left}", f"L={left}|skip={skipped}", f"L={left}|cls={cls}"]
    if right is None:
        f.append("R=</S>")
    else:
        f += [f"R={right}", f"R={right}|cls={cls}"]
    return tuple(f)


# What `_neighbour_kinds` knows of a token from its text alone (under one lexicon), by text: (may it
# stand between a subject and its verb, its kind as the left neighbour, is it an -ly word, its kind
# as the right neighbour).
_NEIGHBOUR_MEMO: dict[str, tuple[bool, str, bool, str]] = {}
_NEIGHBOUR_MEMO_LEX: list[ModelLexicon] = []


def _neighbour_facts(a: Analysis) -> tuple[tuple[bool, str, bool, str], ...]:
    lex = a.lex
    if not _NEIGHBOUR_MEMO_LEX or _NEIGHBOUR_MEMO_LEX[0] is not lex or len(_NEIGHBOUR_MEMO) > MEMO_ENTRIES:
        _NEIGHBOUR_MEMO.clear()
        _NEIGHBOUR_MEMO_LEX[:] = [lex]
    memo = _NEIGHBOUR_MEMO
    out = []
    for j, t in enumerate(a.toks):
        facts = memo.get(t.text)
        if facts is None:
            w = a.low[j]
            left = ("pron" if w in lex.pronouns else "role" if (w in lex.roles or w.rstrip("s") in lex.roles)
                    else "cap" if t.is_capitalised else "punct:" + t.text if not t.is_word
                    else "cls:" + (a.cls[j] or "x"))
            right = (w if w in {"that", "to"} else "det" if w in lex.determiners
                     else "pron" if w in lex.pronouns else "cap" if t.is_capitalised
                     else "punct:" + t.text if not t.is_word else "prep" if w in _PREPOSITIONS else "x")
            ly_word = w.endswith("ly") and t.is_word
            facts = memo[t.text] = (_between_subject_and_verb(a, j), left, ly_word, right)
        out.append(facts)
    return tuple(out)


def _pbucket(p: float) -> str:
    return str(min(9, int(p * 10)))


def cue_span_candidates(a: Analysis, rule_cue: dict[int, str],
                        prob: dict[int, float]) -> list[tuple[int, int]]:
    """Candidate cue spans (token indices, inclusive): around each anchor, from `CUE_SPAN_BEFORE`
    tokens before it to `CUE_SPAN_AFTER` after it, over scored tokens only, starting on a word (or
    being a lone ":"), ending on a word or ":", and holding a token the token model gives at least
    `CUE_SPAN_FLOOR`."""
    n = len(a.toks)
    toks, anchors, words = a.toks, a.anchors, a.words
    out: set[tuple[int, int]] = set()
    for k in prob:  # the scored tokens, each once (the spans come back sorted)
        if not (0 <= k < n and (anchors[k] or k in rule_cue)):
            continue
        lo = k
        while lo > max(0, k - CUE_SPAN_BEFORE) and lo - 1 in prob:
            lo -= 1
        hi = k
        while hi < min(n - 1, k + CUE_SPAN_AFTER) and hi + 1 in prob:
            hi += 1
        # The spans from s to e >= k reach the floor when a token of s..e does: the running maximum
        # of s..k, s from k down, then of k..e.
        left_best = prob[k]
        for s in range(k, lo - 1, -1):
            if prob[s] > left_best:
                left_best = prob[s]
            if not words[s]:
                if s == k and prob[k] >= CUE_SPAN_FLOOR:
                    out.add((k, k))  # a lone ":" ("WALLACE: ...")
                continue
            best = left_best
            for e in range(k, hi + 1):
                if prob[e] > best:
                    best = prob[e]
                if best >= CUE_SPAN_FLOOR and (words[e] or toks[e].text == ":"):
                    out.add((s, e))
    return sorted(out)


def cue_span_features(a: Analysis, rule_cue: dict[int, str], prob: dict[int, float],
                      s: int, e: int) -> list[str]:
    """Feature names of candidate cue span [s, e]: the token model's probabilities of its tokens and
    neighbours (bucketed to tenths), the words at its edges and inside, its word-class pattern, and
    whether a rule's cue is exactly it."""
    def p(i: int) -> str:
        return _pbucket(prob.get(i, 0.0))

    inner = [prob.get(j, 0.0) for j in range(s, e + 1)]
    n = min(e - s + 1, 6)
    pf, pl, pmin, pmax, pb, pa = p(s), p(e), _pbucket(min(inner)), _pbucket(max(inner)), p(s - 1), p(e + 1)
    wf, wl, wb, wa = _nb(a, s), _nb(a, e), _nb(a, s - 1), _nb(a, e + 1)
    f = ["bias", f"len={n}", f"pf={pf}", f"pl={pl}", f"pmin={pmin}", f"pmax={pmax}", f"pb={pb}", f"pa={pa}",
         f"pb2={p(s - 2)}", f"pa2={p(e + 2)}", f"pmin|len={pmin}|{n}", f"pf|pl={pf}|{pl}", f"pb|pf={pb}|{pf}",
         f"pl|pa={pl}|{pa}", f"wf={wf}", f"wl={wl}", f"wb={wb}", f"wa={wa}",
         f"cf={a.cls[s] or a.shape[s]}", f"cl={a.cls[e] or a.shape[e]}",
         f"wf|wl={wf}|{wl}", f"wl|wa={wl}|{wa}",
         f"wb|wf={wb}|{wf}", f"lemf={a.lemma[s]}", f"leml={a.lemma[e]}", f"q={a.in_quote[s]}"]
    if e - s < 4:
        f.append("pat=" + "_".join(a.cls[j] or _nb(a, j) for j in range(s, e + 1)))
    f.extend(f"in={_nb(a, j)}" for j in range(s + 1, e))
    if any(j in rule_cue for j in range(s, e + 1)):
        f.append("rule_in")
        if s in rule_cue and e in rule_cue and s - 1 not in rule_cue and e + 1 not in rule_cue:
            f.append("rule_exact")
    return f


def choose_cue_spans(spans: Sequence[tuple[int, int]], probs: np.ndarray,
                     threshold: float) -> list[tuple[int, int]]:
    """The most probable spans first, none overlapping a chosen one, while they reach `threshold`."""
    used: set[int] = set()
    chosen: list[tuple[int, int]] = []
    for k in sorted(range(len(spans)), key=lambda k: (-probs[k], spans[k])):
        if probs[k] < threshold:
            break
        s, e = spans[k]
        if any(j in used for j in range(s, e + 1)):
            continue
        chosen.append((s, e))
        used.update(range(s, e + 1))
    return sorted(chosen)


# -- source features ---------------------------------------------------------------------------
def source_token_features(a: Analysis, i: int, lex: ModelLexicon) -> list[str]:
    """Features of one boundary token (conjoined with its role and side by the caller)."""
    if i < 0:
        return ["w=<S>"]
    if i >= len(a.toks):
        return ["w=</S>"]
    w = a.low[i]
    f = [f"w={w}", f"shape={a.shape[i]}", f"cls={a.cls[i]}", f"q={a.in_quote[i]}"]
    if w in lex.pronouns:
        f.append("pron")
    if w in lex.determiners:
        f.append("det")
    if w in lex.roles or w.rstrip("s") in lex.roles:
        f.append("role")
    if a.toks[i].is_word and not a.toks[i].is_capitalised and w in lex.clause_stops:
        f.append("clause")
    if w.endswith(("’s", "'s")):
        f.append("poss")
    if w in lex.time_words:
        f.append("time")
    if w in lex.abbreviations and i + 1 < len(a.toks) and a.toks[i + 1].text == ".":
        f.append("abbr")  # "Gov" of "Gov.": a title, not the end of a sentence
    if a.flags["ed"][i]:
        f.append("ed")
    if a.flags["rel"][i]:
        f.append("rel")
    return f


_PUNCT_KIND = {",": ",", "(": "(", ")": ")", ":": ":", ";": ";", ".": ".",
               "—": "dash", "–": "dash", "-": "dash", **{q: "q" for q in _QUOTES}}
KINDS = ("<S>", "</S>", ",", "(", ")", ":", ";", ".", "dash", "q", "p", "rel", "pron", "cap", "cue", "ed",
         "verb", "conj", "clause", "det", "prep", "x")
_KIND_CODE = {k: j for j, k in enumerate(KINDS)}


def boundary_kind(a: Analysis, i: int) -> str:
    """The word class of a token beside a source span, as the cue's verb form sees it: a participle
    cue's source is the clause's subject (at the start or after a comma), a finite cue's stands right
    before it."""
    if i < 0:
        return "<S>"
    if i >= len(a.toks):
        return "</S>"
    t, w = a.toks[i], a.low[i]
    if not t.is_word:
        return _PUNCT_KIND.get(t.text, "p")
    lex = a.lex
    if w in lex.relative_pronouns:
        return "rel"
    if w in lex.pronouns:
        return "pron"
    if t.is_capitalised:
        return "cap"
    if w in lex.forms:
        return "cue"
    if a.flags["ed"][i]:
        return "ed"
    if w in lex.verbish:
        return "verb"
    if w in lex.coordinators:
        return "conj"
    if w in lex.clause_stops:
        return "clause"
    if w in lex.determiners:
        return "det"
    if w in lex.np_prepositions:
        return "prep"
    return "x"


@dataclass(frozen=True)
class CueInfo:
    first: int  # token indices, inclusive
    last: int
    head: str  # lemma of the cue's main word
    cls: str
    rule_spans: tuple[tuple[int, int], ...] = ()  # token spans a rule proposed as this cue's source
    rule_heads: tuple[tuple[int, int], ...] = ()
    form: str = "finite"  # see `cue_form`


# Not "’s": before a participle it is mostly "has" ("He’s said", "she’s argued": PolNeAR train marks
# the pronoun the source of all 17 such cues), and a passive has "been" ("it’s been reported").
_BE = frozenset({"is", "are", "was", "were", "be", "been", "being"})


def cue_form(a: Analysis, first: int, last: int, main: int) -> str:
    """The verb form of a cue, which says where its source can be: "passive" ("was accused of": the
    subject is not the source), "infinitive" ("to attack"), "participle" ("saying", "known as"),
    "according" or "finite"."""
    low = a.low
    if low[first] in {"according", "per"}:
        return "according"
    if (first > 0 and low[first - 1] == "to") or low[first] == "to":
        return "infinitive"
    word = low[main]
    inflected = word != a.lemma[main] and not word.endswith(("s", "ing"))
    if inflected and (any(low[k] in _BE for k in range(first, main))
                      or (first > 0 and low[first - 1] in _BE)
                      or (last + 1 < len(low) and low[last + 1] == "by")):
        return "passive"
    if word.endswith("ing") or (main == first and inflected and first > 0 and a.toks[first - 1].text == ","):
        return "participle"
    return "finite"


def cue_info(a: Analysis, first: int, last: int) -> CueInfo:
    main = next((k for k in range(first, last + 1) if a.cls[k] and a.cls[k] != "noun"), None)
    if main is None:
        main = next((k for k in range(first, last + 1) if a.toks[k].is_word), first)
    return CueInfo(first, last, a.lemma[main], a.cls[main] or "none", form=cue_form(a, first, last, main))


def _side_of(cue: CueInfo, s: int, e: int) -> str:
    return "L" if e < cue.first else "R"


def source_span_features(a: Analysis, cue: CueInfo, s: int, e: int, lex: ModelLexicon) -> list[str]:
    """Feature names of candidate source span [s, e] (token indices, inclusive) for `cue`."""
    side = _side_of(cue, s, e)
    feats = ["bias"]
    for role, pos in (("S", s), ("B", s - 1), ("E", e), ("A", e + 1)):
        feats.extend(f"{role}{side}|{x}" for x in source_token_features(a, pos, lex))
    feats.extend(_span_level_features(a, cue, s, e, side))
    return feats


def _span_level_features(a: Analysis, cue: CueInfo, s: int, e: int, side: str) -> list[str]:
    gap_lo, gap_hi = (e + 1, cue.first) if side == "L" else (cue.last + 1, s)
    feats = [f"len{side}={_bucket(e - s + 1, _LEN_BUCKETS)}",
             f"gap{side}={_bucket(gap_hi - gap_lo, _GAP_BUCKETS)}",
             f"cue{side}={cue.head}", f"cuecls{side}={cue.cls}", f"cueform{side}={cue.form}",
             f"fB{side}={cue.form}|{boundary_kind(a, s - 1)}",
             f"fA{side}={cue.form}|{boundary_kind(a, e + 1)}|{gap_hi == gap_lo}",
             # Two tokens beyond each edge, as kinds: "Ted Cruz [and] Rand Paul" (cap, conj) runs on
             # through a coordination, "..., [and] Trump said" (",", conj) does not.
             f"fBB{side}={boundary_kind(a, s - 1)}|{boundary_kind(a, s - 2)}",
             f"fAA{side}={boundary_kind(a, e + 1)}|{boundary_kind(a, e + 2)}"]
    for flag in FLAGS:
        p = a.prefix[flag]
        if p[e + 1] - p[s] > 0:
            feats.append(f"in{side}:{flag}")
        if gap_hi > gap_lo and p[gap_hi] - p[gap_lo] > 0:
            feats.append(f"gap{side}:{flag}")
    if a.time_tail_before[e] >= s:
        feats.append(f"timetail{side}")
    # A span right after "and"/"or": what stands before the left conjunct says whether the two are
    # one subject ("[Sanders and] his aides said": a clause start) or the left one is an object
    # ("Trump attacked [Clinton] and his aides said": a verb). A span holding a coordinator: what
    # stands before it.
    if boundary_kind(a, s - 1) == "conj":
        feats.append(f"conjL{side}={cue.form}|{boundary_kind(a, _conjunct_start(a, s - 2) - 1)}")
    if any(boundary_kind(a, k) == "conj" for k in range(s + 1, e)):
        feats.append(f"conjIn{side}={cue.form}|{boundary_kind(a, s - 1)}")
    if (s, e) in cue.rule_spans:
        feats.append("rule:source")
    if (s, e) in cue.rule_heads:
        feats.append("rule:head")
    if any(rs == s for rs, _ in cue.rule_spans):
        feats.append("rule:start")
    if any(re_ == e for _, re_ in cue.rule_spans):
        feats.append("rule:end")
    return feats


_NP_KINDS = frozenset({"cap", "det", "x", "pron"})


def _conjunct_start(a: Analysis, j: int) -> int:
    """The first token of the noun phrase that ends at token j (scanning left over names, nouns,
    determiners and possessives); j + 1 when token j opens no noun phrase."""
    while j >= 0 and boundary_kind(a, j) in _NP_KINDS:
        j -= 1
    return j + 1


def source_candidates(a: Analysis, cue: CueInfo) -> tuple[np.ndarray, np.ndarray]:
    """Start and end token indices (inclusive) of every candidate source span of `cue`.

    Left of the cue: spans ending at most MAX_GAP_LEFT tokens before it, and spans from the
    sentence's first word however far before it (the subject of the clause a participle or a second
    verb hangs on: "Sanders on Saturday criticized the accord adopted after two weeks of talks in
    Paris, saying ..."; "X did not answer ... but said ..."); right of it: spans starting at most
    MAX_GAP_RIGHT tokens after it. A span starts on a word and ends on a word, a comma, a closing
    bracket or a closing quote, and holds at most MAX_SOURCE_TOKENS tokens.
    """
    word, end_ok = a.word, a.end_ok
    n = len(word)
    pos = np.arange(n)
    # Left: every (s, e) with e in [first - 1 - gap, first - 1], s in [e - len + 1, e].
    e_left = pos[max(0, cue.first - 1 - MAX_GAP_LEFT):cue.first]
    e_left = e_left[end_ok[e_left]]
    s_right = pos[cue.last + 1:min(n, cue.last + 2 + MAX_GAP_RIGHT)]
    s_right = s_right[word[s_right]]
    offsets = np.arange(MAX_SOURCE_TOKENS)
    ls = (e_left[:, None] - offsets[None, :]).ravel()
    le = np.repeat(e_left, MAX_SOURCE_TOKENS)
    keep = ls >= 0
    ls, le = ls[keep], le[keep]
    keep = word[ls]
    ls, le = ls[keep], le[keep]
    near_first = max(0, cue.first - 1 - MAX_GAP_LEFT)
    if near_first > 0 and word.any():
        # Spans from the first word that end before the near window.
        s0 = int(np.argmax(word))
        far_e = pos[s0:min(near_first, s0 + MAX_SOURCE_TOKENS)]
        far_e = far_e[end_ok[far_e]]
        ls = np.concatenate([np.full(len(far_e), s0, dtype=ls.dtype), ls])
        le = np.concatenate([far_e.astype(le.dtype), le])
    re_ = (s_right[:, None] + offsets[None, :]).ravel()
    rs = np.repeat(s_right, MAX_SOURCE_TOKENS)
    keep = re_ < n
    rs, re_ = rs[keep], re_[keep]
    keep = end_ok[re_]
    rs, re_ = rs[keep], re_[keep]
    return np.concatenate([ls, rs]).astype(np.int64), np.concatenate([le, re_]).astype(np.int64)


def implausible_sources(a: Analysis, starts: np.ndarray, ends: np.ndarray,
                        cue_first: int | None = None) -> np.ndarray:
    """True for the candidate spans (inclusive token bounds) that cannot name a source: one opening
    with a preposition ("said at a news conference"), made of time words alone ("said Tuesday"), or
    (given the cue's first token) a lone relative pronoun whose own clause has a verb before the cue
    ("Neel, [who] managed Gore's campaign, said": the clause's subject, not the cue's), or any span
    after a participle that opens a clause after a comma ("Trump said, [blaming] Bloomberg": the
    participle's subject is the clause's, to its left; PolNeAR train articles 0-249 and the odd ones
    from 251: 380 such cues have their source to the left, 20 none, 1 to the right), or a span of
    several tokens that opens with "who", "whom" or "which": a relative clause ("Sarah Aubrey, [who
    oversees programming at TNT,] described"; the same articles: 2 of the 299 sources that open with
    "who" or "which" hold more than the pronoun)."""
    words, time = a.word_prefix, a.prefix["time"]
    out = a.opens_no_source[starts] | ((time[ends + 1] - time[starts]) >= (words[ends + 1] - words[starts]))
    out |= a.opens_clause[starts] & (ends > starts)
    if cue_first is not None:
        if cue_first > 0 and opens_participial_clause(a.toks[cue_first - 1].text, a.low[cue_first]):
            out |= starts > cue_first
        lone_relative = (starts == ends) & (ends < cue_first) & (a.flags["rel"][ends] > 0)
        for k in np.flatnonzero(lone_relative).tolist():
            if _relative_clause_closed(a, int(ends[k]), cue_first):
                out[k] = True
    return out


def opens_participial_clause(previous: str, word: str) -> bool:
    """Does a cue word (lower case) after the token `previous` open a participial clause (", saying",
    ", blaming")? Its source is the clause's subject, to the left, never what follows it; the
    source model (`implausible_sources`) and the trailing rule (`AttributionFinder._trailing`) both
    ask. "according" does not: its source follows ("..., according to Reuters")."""
    return previous == "," and word.endswith("ing") and word not in {"according", "during"}


def _relative_clause_closed(a: Analysis, rel: int, cue_first: int) -> bool:
    """Does the clause the relative pronoun at `rel` opens close (a comma or dash) before the cue, with
    words of its own in between ("Neel, who managed Gore's campaign, said")? Not when the cue follows
    it directly or in coordination ("who was drawn to him and feels"), nor when an aside opens right
    after the pronoun ("Stephens, who, after trading insults, said")."""
    j = cue_first - 1
    while j > rel and _between_subject_and_verb(a, j):
        j -= 1
    if j <= rel + 1 or a.low[rel + 1] in {",", "—", "–", "--", "("}:
        return False
    return a.low[j] in {",", "—", "–", "--", ")"}


# -- scoring with a stored model ---------------------------------------------------------------
class SparseLinear:
    """A `LinearModel` over named binary features, scored as a sparse product."""

    def __init__(self, model: LinearModel) -> None:
        self.model = model
        self.index = {name: j for j, name in enumerate(model.features)}
        self.coef = model.coefficients[0]
        # Python floats for `logits`, made on its first call (scoring uses `logits_of_columns`).
        self._coef_list: list[float] | None = None
        self._coef_ext = np.append(np.asarray(self.coef, dtype=float), 0.0)  # column `missing` weighs 0.0
        self.intercept = float(model.intercept[0])
        self._templates: dict[str, list[tuple[str, int]]] | None = None

    def matrix(self, rows: Sequence[Iterable[str]]) -> sparse.csr_matrix:
        get = self.index.get
        cols = [[j for j in map(get, feats) if j is not None] for feats in rows]
        indptr = np.cumsum([0] + [len(c) for c in cols])
        indices = np.fromiter((j for c in cols for j in c), dtype=np.int64, count=int(indptr[-1]))
        return sparse.csr_matrix((np.ones(len(indices)), indices, indptr), shape=(len(rows), len(self.index)))

    def logits(self, rows: Sequence[Iterable[str]]) -> np.ndarray:
        """`matrix(rows) @ coef + intercept` without building the matrix: a row's weights are added
        in feature order from 0.0, as scipy's CSR product adds them, so the sums are bit-identical;
        a scipy matrix per claim cost more than the sums themselves."""
        if not rows:
            return np.zeros(0)
        get = self.index.get
        if self._coef_list is None:
            self._coef_list = self.coef.tolist()
        coef = self._coef_list
        sums = []
        for feats in rows:
            total = 0.0
            for name in feats:
                j = get(name)
                if j is not None:
                    total += coef[j]
            sums.append(total)
        return np.array(sums) + self.intercept

    def weight(self, name: str) -> float:
        j = self.index.get(name)
        return float(self.coef[j]) if j is not None else 0.0

    @property
    def missing(self) -> int:
        """The column id of a feature the model does not know: it weighs 0.0."""
        return len(self.coef)

    def table(self, name_of: Any) -> ColumnTable:
        """A memo from a feature's value to its column id (`name_of(value)` is the feature name)."""
        return ColumnTable(self.index, name_of, len(self.coef))

    def _by_template(self) -> dict[str, list[tuple[str, int]]]:
        """Feature names grouped by their text up to and including the first "=", in column order."""
        if self._templates is None:
            groups: dict[str, list[tuple[str, int]]] = {}
            for name, j in self.index.items():
                groups.setdefault(name[:name.find("=") + 1], []).append((name, j))
            self._templates = groups
        return self._templates

    def release_templates(self) -> None:
        """Drop the name groups `columns_of` builds from (~16 MB): they serve only while tables are made."""
        self._templates = None

    def columns_of(self, prefix: str, sep: str | None = None, bools: bool = False) -> ColumnTable:
        """Value -> column id of every feature named `prefix + value` (`sep` None), or
        `prefix + x + sep + y` for a value (x, y); `bools`: the last part is a bool ("True"). Every
        way to split a name at `sep` is a key, so a value finds its column exactly when the name it
        formats to is a feature of the model; a value of no feature gets `missing`."""
        table = ColumnTable(self.index, None, len(self.coef))
        if prefix == "" and sep is None and not bools:
            table.update(self.index)
            return table
        convert = {"True": True, "False": False}
        # A prefix "name=" (one "=", at its end) is exactly the names whose text up to their first "="
        # it is: look at that group alone, not at every name of the model for each of ~50 tables.
        named = (self._by_template().get(prefix, []) if prefix.endswith("=") and prefix.count("=") == 1
                 else [(name, j) for name, j in self.index.items() if name.startswith(prefix)])
        # Values are interned: the same words recur across ~50 tables and 10^5 pairs, and one copy of
        # each keeps the loaded models ~40 MB smaller.
        intern = sys.intern
        for name, j in named:
            rest = name[len(prefix):]
            if sep is None:
                if bools:
                    if rest in convert:
                        table[convert[rest]] = j
                else:
                    table[intern(rest)] = j
                continue
            k = rest.find(sep)
            while k >= 0:
                x, y = intern(rest[:k]), intern(rest[k + len(sep):])
                if not bools:
                    table[x, y] = j
                elif y in convert:
                    table[x, convert[y]] = j
                k = rest.find(sep, k + 1)
        return table

    def logits_of_columns(self, columns: np.ndarray) -> np.ndarray:
        """`logits` of rows given as column ids, one row per line, in feature order (padded with
        `missing`): the weights are added column after column from 0.0, a row's weights in the
        order `logits` adds them, so the sums are bit-identical (a known feature never weighs 0.0,
        an absent one adds 0.0 to a sum that is never -0.0)."""
        if not len(columns):
            return np.zeros(0)
        weights = self._coef_ext[columns]
        total = np.zeros(len(columns))
        for k in range(weights.shape[1]):
            total += weights[:, k]
        return total + self.intercept

    def logits_of_rows(self, rows: Sequence[Sequence[int]]) -> np.ndarray:
        """`logits_of_columns` of rows of column ids of any lengths."""
        if not rows:
            return np.zeros(0)
        lengths = np.fromiter(map(len, rows), dtype=np.intp, count=len(rows))
        flat = np.fromiter(chain.from_iterable(rows), dtype=np.intp, count=int(lengths.sum()))
        grid = np.full((len(rows), int(lengths.max())), len(self.coef), dtype=np.intp)
        starts = np.repeat(np.cumsum(lengths) - lengths, lengths)
        grid[np.repeat(np.arange(len(rows)), lengths), np.arange(len(flat)) - starts] = flat
        return self.logits_of_columns(grid)


class ColumnTable(dict):  # type: ignore[type-arg]
    """Feature value -> column id, each name built and looked up once (a batch's values repeat):
    the featurizers below look up values, never format feature names per token or span."""

    __slots__ = ("index", "name_of", "missing")

    def __init__(self, index: dict[str, int], name_of: Any, missing: int) -> None:
        super().__init__()
        self.index, self.name_of, self.missing = index, name_of, missing

    def __missing__(self, key: Any) -> int:
        if self.name_of is None:  # a complete table (`SparseLinear.columns_of`)
            return self.missing
        if len(self) > MEMO_ENTRIES:  # the values of a long batch: bounded
            self.clear()
        j = self[key] = self.index.get(self.name_of(key), self.missing)
        return j


# -- column-id featurizers (scoring) ------------------------------------------------------------
# `cue_token_features` and `cue_span_features` name every feature, which training needs; scoring
# needs only the column ids. These featurizers produce, row for row, the column ids of exactly those
# names in exactly that order (a test checks it), from values looked up in memo tables.
_BUCKETS = tuple(str(b) for b in range(10))


class CueTokenColumns:
    """Column ids of `cue_token_features` rows for the cue token model."""

    def __init__(self, lin: SparseLinear) -> None:
        self.lin = lin
        c = lin.columns_of
        self.bias = lin.index.get("bias", lin.missing)
        self.first = lin.index.get("first", lin.missing)
        self.last = lin.index.get("last", lin.missing)
        self.w, self.lem, self.cls = c("w="), c("lem="), c("cls=")
        self.shape, self.suf, self.q = c("shape="), c("suf="), c("q=", bools=True)
        self.wm1, self.wp1 = c("w-1="), c("w+1=")
        self.wm2, self.wp2 = c("w-2="), c("w+2=")
        self.wm1_w, self.w_wp1 = c("w-1|w=", "|"), c("w|w+1=", "|")
        self.cls_wp1, self.wm1_cls = c("cls|w+1=", "|"), c("w-1|cls=", "|")
        self.lem_wm1, self.lem_wp1 = c("lem|w-1=", "|"), c("lem|w+1=", "|")
        self.shape_pair = c("shape-1|shape=", "|")
        self.ctx = {d: c(f"c{d}=") for d in (-3, -2, -1, 1, 2, 3)}
        self.anchor = c("anchor=", bools=True)
        self.anc = {d: c(f"anc{d}=") for d in (-3, -2, -1, 1, 2, 3)}
        self.rule = c("rule=")
        self.name = c("")
        self.lem_kind = c("lem|", "=")
        self.lem_q = c("lem|q=", "|", bools=True)
        missing = lin.missing

        def combined(tables: Sequence[ColumnTable]) -> dict[Any, tuple[int, ...]]:
            # One lookup per position for the templates over the same value at different offsets.
            return {v: tuple(tb.get(v, missing) for tb in tables) for v in set().union(*tables)}

        self.by_nb = combined((self.wm1, self.wp1, self.wm2, self.wp2))
        self.by_ctx = combined(tuple(self.ctx[d] for d in (-3, -2, -1, 1, 2, 3)))
        self.by_anc = combined(tuple(self.anc[d] for d in (-3, -2, -1, 1, 2, 3)))
        # A token's own columns (w, lem, cls, shape, suf) by its text: its lemma, class and shape
        # are functions of its text (under one lexicon).
        self._own: dict[str, tuple[int, ...]] = {}
        self._own_lex: ModelLexicon | None = None
        # (`_neighbour_kinds` names, lemma) -> the columns of the names and of the lemma with each name.
        self._by_kinds: dict[tuple[tuple[str, ...], str], list[int]] = {}

    def rows(self, a: Analysis, window: Sequence[int], rule_cue: dict[int, str]) -> list[list[int]]:
        n = len(a.toks)
        low, lemma, cls_, shape, in_quote, anchors = a.low, a.lemma, a.cls, a.shape, a.in_quote, a.anchors
        pad = CUE_WINDOW
        M = self.lin.missing
        nb = ["<S>"] * pad + list(a.seen_as) + ["</S>"] * pad
        tc = ["<S>"] * pad + [c or s for c, s in zip(cls_, shape, strict=True)] + ["</S>"] * pad
        no4, no6 = (M,) * 4, (M,) * 6
        by_nb, by_ctx = self.by_nb.get, self.by_ctx.get
        NB = [by_nb(v, no4) for v in nb]  # w-1, w+1, w-2, w+2 of the tokens around
        CTX = [by_ctx(v, no6) for v in tc]  # c-3 .. c3 of the tokens around
        by_anc = self.by_anc.get
        # The anchor columns of each token's row ("anc-3" .. "anc3"), nearest-left first as the row
        # lists them, made from the anchors (a few per claim), not by looking around every token.
        near: dict[int, list[int]] = {}
        for j in range(n):
            if anchors[j]:
                anc = by_anc(cls_[j] or low[j], no6)
                for m, d in enumerate((3, 2, 1, -1, -2, -3)):  # token j stands at offset -d of token j + d
                    near.setdefault(j + d, []).append(anc[m])
        if self._own_lex is not a.lex or len(self._own) > MEMO_ENTRIES:
            self._own.clear()
            self._own_lex = a.lex
        own_memo, toks = self._own, a.toks
        w_, lem_, cls__, shape_, suf_ = (t.get for t in (self.w, self.lem, self.cls, self.shape, self.suf))
        q_cols = {q: self.q.get(q, M) for q in (False, True)}
        anchor_cols = {b: self.anchor.get(b, M) for b in (False, True)}
        # Bound `get`s with the default `missing`: most pair values are no feature of the model.
        wm1_w, w_wp1, cls_wp1, wm1_cls = (t.get for t in (self.wm1_w, self.w_wp1, self.cls_wp1, self.wm1_cls))
        lem_wm1, lem_wp1, shape_pair = (t.get for t in (self.lem_wm1, self.lem_wp1, self.shape_pair))
        name_, lem_kind, lem_q = self.name.get, self.lem_kind.get, self.lem_q.get
        bias = self.bias
        by_kinds = self._by_kinds
        if len(by_kinds) > MEMO_ENTRIES:  # bounded, as punctuation is open
            by_kinds.clear()
        out = []
        for i in window:
            w, lem, cls, shp, q = low[i], lemma[i], cls_[i], shape[i], in_quote[i]
            txt = toks[i].text
            own = own_memo.get(txt)
            if own is None:
                own = own_memo[txt] = (w_(w, M), lem_(lem, M), cls__(cls, M), shape_(shp, M), suf_(w[-3:], M))
            k = i + pad
            prev, nxt = nb[k - 1], nb[k + 1]
            row = [bias, *own, q_cols[q],
                   NB[k - 1][0], NB[k + 1][1], NB[k - 2][2], NB[k + 2][3], wm1_w((prev, w), M),
                   w_wp1((w, nxt), M), cls_wp1((cls, nxt), M), wm1_cls((prev, cls), M),
                   lem_wm1((lem, prev), M),
                   lem_wp1((lem, nxt), M), shape_pair((shape[i - 1] if i else "<S>", shp), M),
                   CTX[k - 3][0], CTX[k - 2][1], CTX[k - 1][2], CTX[k + 1][3], CTX[k + 2][4], CTX[k + 3][5],
                   anchor_cols[anchors[i]]]
            if i in near:
                row += near[i]
            if i == 0:
                row.append(self.first)
            if i == n - 1:
                row.append(self.last)
            if i in rule_cue:
                row.append(self.rule.get(rule_cue[i], M))
            kinds = _neighbour_kind_tuple(a, i)
            kind_cols = by_kinds.get((kinds, lem))
            if kind_cols is None:
                kind_cols = by_kinds[(kinds, lem)] = [*(name_(x, M) for x in kinds),
                                                      *(lem_kind((x, lem), M) for x in kinds if "|" not in x)]
            row += kind_cols
            row.append(lem_q((lem, q), M))
            out.append(row)
        return out


class CueSpanColumns:
    """Column ids of `cue_span_features` rows for the cue span model, a column per feature slot
    built with numpy for all candidate spans of a claim at once."""

    MAX_INNER = CUE_SPAN_BEFORE + CUE_SPAN_AFTER - 1

    def __init__(self, lin: SparseLinear) -> None:
        self.lin = lin
        t, c, get, missing = lin.table, lin.columns_of, lin.index.get, lin.missing

        def col(name: str) -> int:
            return get(name, missing)

        b = _BUCKETS
        self.bias, self.rule_in, self.rule_exact = col("bias"), col("rule_in"), col("rule_exact")
        self.len = np.array([missing] + [col(f"len={k}") for k in range(1, 7)], dtype=np.intp)
        self.p1 = {key: np.array([col(f"{key}={x}") for x in b], dtype=np.intp)
                   for key in ("pf", "pl", "pmin", "pmax", "pb", "pa", "pb2", "pa2")}
        self.pmin_len = np.array([[missing] + [col(f"pmin|len={x}|{k}") for k in range(1, 7)] for x in b],
                                 dtype=np.intp)
        self.p2 = {key: np.array([[col(f"{key}={x}|{y}") for y in b] for x in b], dtype=np.intp)
                   for key in ("pf|pl", "pb|pf", "pl|pa")}
        self.one = {key: c(f"{key}=", bools=key == "q")
                    for key in ("wf", "wl", "wb", "wa", "cf", "cl", "lemf", "leml", "q", "in")}
        self.pair = {key: c(f"{key}=", "|") for key in ("wf|wl", "wl|wa", "wb|wf")}
        self.pat = t(lambda v: "pat=" + "_".join(v))

        def combined(keys: Sequence[str]) -> dict[Any, tuple[int, ...]]:
            # One lookup per position for several templates over the same value.
            tables = [self.one[k] for k in keys]
            return {v: tuple(tb.get(v, missing) for tb in tables) for v in set().union(*tables)}

        self.by_nb = combined(("wf", "wl", "wb", "wa", "in"))
        self.by_cls = combined(("cf", "cl"))
        self.by_lemma = combined(("lemf", "leml"))

    def columns(self, a: Analysis, rule_cue: dict[int, str], prob: dict[int, float],
                spans: Sequence[tuple[int, int]]) -> np.ndarray:
        return self.columns_many([(a, rule_cue, prob, spans)])

    def columns_many(self, claims: Sequence[tuple[Analysis, dict[int, str], dict[int, float],
                                                  Sequence[tuple[int, int]]]]) -> np.ndarray:
        """The rows of the candidate spans of several claims, claim after claim (one numpy pass)."""
        missing = self.lin.missing
        pad = 2
        # Per position of each claim, -2 .. n+1, claims one after the other: probability, the
        # neighbour as seen, and the per-position columns.
        P: list[float] = []
        nb: list[str] = []
        pc: list[str] = []
        cs: list[str] = []
        lem: list[str] = []
        quote: list[bool] = []
        rule: list[bool] = []
        starts: list[int] = []
        ends: list[int] = []
        S_list: list[int] = []
        E_list: list[int] = []
        for a, rule_cue, prob, spans in claims:
            n = len(a.toks)
            base = len(P) + pad
            get = prob.get
            P += [0.0, 0.0] + [get(j, 0.0) for j in range(n)] + [0.0, 0.0]
            seen = a.seen_as
            nb += ["<S>", "<S>", *seen, "</S>", "</S>"]
            pc += ["<S>", "<S>", *[c or s for c, s in zip(a.cls, seen, strict=True)], "</S>", "</S>"]
            cs += ["", "", *[c or sh for c, sh in zip(a.cls, a.shape, strict=True)], "", ""]
            lem += ["", "", *a.lemma, "", ""]
            quote += [False, False, *a.in_quote, False, False]
            rule += [False, False, *[j in rule_cue for j in range(n)], False, False]
            for s_, e_ in spans:
                starts.append(s_)
                ends.append(e_)
                S_list.append(s_ + base)
                E_list.append(e_ + base)
        Parr = np.array(P)
        B = np.minimum(9, (Parr * 10).astype(np.intp))
        s, e = np.array(starts, dtype=np.intp), np.array(ends, dtype=np.intp)
        S, E = np.array(S_list, dtype=np.intp), np.array(E_list, dtype=np.intp)
        length = np.minimum(e - s + 1, 6)
        # The spans' inner probabilities: min and max over s..e (at most MAX_INNER + 2 tokens).
        pmin, pmax = Parr[S].copy(), Parr[S].copy()
        for off in range(1, self.MAX_INNER + 2):
            inside = s + off <= e
            if not inside.any():
                break
            v = Parr[np.where(inside, S + off, S)]
            np.minimum(pmin, v, out=pmin)
            np.maximum(pmax, v, out=pmax)
        bmin = np.minimum(9, (pmin * 10).astype(np.intp))
        bmax = np.minimum(9, (pmax * 10).astype(np.intp))
        bf, bl, bb, ba = B[S], B[E], B[S - 1], B[E + 1]
        no5, no2 = (missing,) * 5, (missing,) * 2
        by_nb, by_cls, by_lemma = self.by_nb.get, self.by_cls.get, self.by_lemma.get
        # Flat iterators, not np.array over a list of tuples: numpy reads each tuple as a sequence.
        T_nb = np.fromiter(chain.from_iterable(by_nb(v, no5) for v in nb), dtype=np.intp,
                           count=5 * len(nb)).reshape(-1, 5)  # wf wl wb wa in
        T_cs = np.fromiter(chain.from_iterable(by_cls(v, no2) for v in cs), dtype=np.intp,
                           count=2 * len(cs)).reshape(-1, 2)  # cf cl
        T_lem = np.fromiter(chain.from_iterable(by_lemma(v, no2) for v in lem), dtype=np.intp,
                            count=2 * len(lem)).reshape(-1, 2)  # lemf leml
        q_table = self.one["q"]
        q_cols = np.array([q_table.get(False, missing), q_table.get(True, missing)], dtype=np.intp)
        T_q = q_cols[np.array(quote, dtype=np.intp)]
        wl_wa, wb_wf, wf_wl, pat = (self.pair["wl|wa"].get, self.pair["wb|wf"].get, self.pair["wf|wl"].get,
                                    self.pat)
        p1, p2 = self.p1, self.p2
        cols = [np.full(len(s), self.bias, dtype=np.intp), self.len[length],
                p1["pf"][bf], p1["pl"][bl], p1["pmin"][bmin], p1["pmax"][bmax], p1["pb"][bb], p1["pa"][ba],
                p1["pb2"][B[S - 2]], p1["pa2"][B[E + 2]], self.pmin_len[bmin, length],
                p2["pf|pl"][bf, bl], p2["pb|pf"][bb, bf], p2["pl|pa"][bl, ba],
                T_nb[S, 0], T_nb[E, 1], T_nb[S - 1, 2], T_nb[E + 1, 3], T_cs[S, 0], T_cs[E, 1],
                np.array([wf_wl((nb[i], nb[j]), missing) for i, j in zip(S_list, E_list, strict=True)],
                         dtype=np.intp),
                np.array([wl_wa((nb[j], nb[j + 1]), missing) for j in E_list], dtype=np.intp),
                np.array([wb_wf((nb[i - 1], nb[i]), missing) for i in S_list], dtype=np.intp),
                T_lem[S, 0], T_lem[E, 1], T_q[S],
                np.array([pat[tuple(pc[i:j + 1])] if j - i < 4 else missing
                          for i, j in zip(S_list, E_list, strict=True)], dtype=np.intp)]
        T_in = T_nb[:, 4]
        for off in range(1, self.MAX_INNER + 1):
            inner = s + off < e
            if not inner.any():
                break
            cols.append(np.where(inner, T_in[np.where(inner, S + off, S)], missing))
        r = np.array(rule, dtype=bool)
        if r.any():
            prefix = np.concatenate([[0], np.cumsum(r)])
            rule_in = prefix[E + 1] > prefix[S]
            exact = rule_in & r[S] & r[E] & ~r[S - 1] & ~r[E + 1]
            cols.append(np.where(rule_in, self.rule_in, missing))
            cols.append(np.where(exact, self.rule_exact, missing))
        return np.stack(cols, axis=1)


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -500, 500)))


@dataclass(frozen=True)
class _FormTables:
    """The kind weights of one cue form, each side x kind ("L" row 0, "R" row 1)."""

    fB: np.ndarray
    fA_adjacent: np.ndarray  # no gap between span and cue ("|True")
    fA_apart: np.ndarray
    conjL: np.ndarray
    conjIn: np.ndarray


class SourceScorer:
    """Scores all candidate spans of a cue from per-token and per-span parts of the linear model."""

    def __init__(self, model: LinearModel, lex: ModelLexicon) -> None:
        self.lin = SparseLinear(model)
        self.lex = lex
        self.threshold = model.threshold
        w = self.lin.weight
        self.len_w = {side: np.array([w(f"len{side}={_bucket(k, _LEN_BUCKETS)}")
                                      for k in range(MAX_SOURCE_TOKENS + 2)])
                      for side in "LR"}
        self.gap_w = {side: np.array([w(f"gap{side}={_bucket(k, _GAP_BUCKETS)}")
                                      for k in range(MAX_GAP_LEFT + 40)])
                      for side in "LR"}
        self.flag_in = {side: {f: w(f"in{side}:{f}") for f in FLAGS} for side in "LR"}
        self.flag_gap = {side: {f: w(f"gap{side}:{f}") for f in FLAGS} for side in "LR"}
        self.flag_in_w = {side: np.array([self.flag_in[side][f] for f in FLAGS]) for side in "LR"}
        self.flag_gap_w = {side: np.array([self.flag_gap[side][f] for f in FLAGS]) for side in "LR"}
        # Boundary-token features "<role><side>|<feature>": one weight vector per token feature.
        self.keys = tuple(r + side for r in "SBEA" for side in "LR")
        slot = {k: m for m, k in enumerate(self.keys)}
        base: dict[str, np.ndarray] = {}
        for name, j in self.lin.index.items():
            key, bar, feat = name.partition("|")
            if bar and key in slot:
                base.setdefault(feat, np.zeros(len(self.keys)))[slot[key]] += self.lin.coef[j]
        self.base = base
        # The tables `score` reads, stacked by side ("L" row 0, "R" row 1).
        self.len_w2 = np.stack([self.len_w[sd] for sd in "LR"])
        self.gap_w2 = np.stack([self.gap_w[sd] for sd in "LR"])
        self.flag_in_w2 = np.stack([self.flag_in_w[sd] for sd in "LR"], axis=1)  # flag x side
        self.flag_gap_w2 = np.stack([self.flag_gap_w[sd] for sd in "LR"], axis=1)
        self.timetail_w = np.array([w(f"timetail{sd}") for sd in "LR"])
        self._form_memo: dict[str, _FormTables] = {}
        self._cue_cache: dict[tuple[str, str, str, str], float] = {}
        self._row_memo: dict[tuple[str, ...], np.ndarray] = {}
        self._kind_memo: dict[str, np.ndarray] = {}
        # (token text, in a quotation?, "." next?) -> (weight row, boundary kind code): `token_parts`.
        self._token_memo: dict[tuple[str, bool, bool], tuple[np.ndarray, int]] = {}

    def _cue_weight(self, side: str, head: str, cls: str, form: str) -> float:
        key = (side, head, cls, form)
        cached = self._cue_cache.get(key)
        if cached is None:
            if len(self._cue_cache) > MEMO_ENTRIES:  # cue heads are open-class words: bounded
                self._cue_cache.clear()
            w = self.lin.weight
            cached = self._cue_cache[key] = (w(f"cue{side}={head}") + w(f"cuecls{side}={cls}")
                                             + w(f"cueform{side}={form}"))
        return cached

    def _kind_weights(self, prefix: str, suffix: str) -> np.ndarray:
        """The weights of `prefix + kind + suffix` for every boundary kind, by kind code."""
        key = prefix + suffix
        row = self._kind_memo.get(key)
        if row is None:
            row = self._kind_memo[key] = np.array([self.lin.weight(prefix + k + suffix) for k in KINDS])
        return row

    def _pair_weights(self, prefix: str) -> np.ndarray:
        """The weights of `prefix + kind1 + "|" + kind2` for every pair of boundary kinds (codes)."""
        table = self._kind_memo.get(prefix)
        if table is None:
            w = self.lin.weight
            table = self._kind_memo[prefix] = np.array([[w(f"{prefix}{k1}|{k2}") for k2 in KINDS]
                                                        for k1 in KINDS])
        return table

    @cached_property
    def fBB(self) -> np.ndarray:
        """side x kind x kind: the weights of "fBB<side>=<kind of s - 1>|<kind of s - 2>"."""
        return np.stack([self._pair_weights(f"fBB{sd}=") for sd in "LR"])

    @cached_property
    def fAA(self) -> np.ndarray:
        """side x kind x kind: the weights of "fAA<side>=<kind of e + 1>|<kind of e + 2>"."""
        return np.stack([self._pair_weights(f"fAA{sd}=") for sd in "LR"])

    def _form_tables(self, form: str) -> _FormTables:
        tables = self._form_memo.get(form)
        if tables is None:
            def by_side(prefix: str, suffix: str = "") -> np.ndarray:
                return np.stack([self._kind_weights(prefix.format(sd), suffix) for sd in "LR"])

            tables = self._form_memo[form] = _FormTables(
                fB=by_side(f"fB{{}}={form}|"), fA_adjacent=by_side(f"fA{{}}={form}|", "|True"),
                fA_apart=by_side(f"fA{{}}={form}|", "|False"), conjL=by_side(f"conjL{{}}={form}|"),
                conjIn=by_side(f"conjIn{{}}={form}|"))
        return tables

    def token_parts(self, a: Analysis) -> dict[str, np.ndarray]:
        """role+side -> array over positions -1..n (index shifted by one) of summed token weights."""
        n = len(a.toks)
        zero = np.zeros(len(self.keys))
        get = self.base.get
        # A token's weight row depends on its feature names alone, and words repeat: sum each
        # distinct feature tuple once (the same sum in the same order, so the same floats).
        memo = self._row_memo
        if len(memo) > MEMO_ENTRIES:  # words of a long batch: bounded (~20 MB)
            memo.clear()
        # Under the scorer's own lexicon a token's features and boundary kind are functions of its
        # text, whether it stands in a quotation and whether a "." follows it ("abbr"): look its row
        # and kind up by those, without naming its features again (words repeat across sentences).
        by_token = self._token_memo
        if len(by_token) > MEMO_ENTRIES:
            by_token.clear()
        same_lex = a.lex is self.lex
        toks, in_quote = a.toks, a.in_quote
        rows = []
        kinds = []
        for i in range(-1, n + 1):
            key = None
            if same_lex and 0 <= i < n:
                key = (toks[i].text, in_quote[i], i + 1 < n and toks[i + 1].text == ".")
                hit = by_token.get(key)
                if hit is not None:
                    rows.append(hit[0])
                    kinds.append(hit[1])
                    continue
            feats = tuple(source_token_features(a, i, self.lex))
            row = memo.get(feats)
            if row is None:
                row = memo[feats] = sum((get(x, zero) for x in feats), zero)
            kind = _KIND_CODE[boundary_kind(a, i)]
            if key is not None:
                by_token[key] = (row, kind)
            rows.append(row)
            kinds.append(kind)
        table = np.array(rows)
        parts: dict[str, Any] = {k: table[:, m] for m, k in enumerate(self.keys)}
        for m, role in enumerate("SBEA"):  # role -> side x position (keys run SL, SR, BL, BR, ...)
            parts[role] = table[:, 2 * m:2 * m + 2].T
        # Boundary kinds by position -1..n (index shifted by one, as the weights above).
        parts["kind"] = np.array(kinds)
        conj_at = parts["kind"] == _KIND_CODE["conj"]
        parts["conj_at"] = conj_at
        parts["conj_prefix"] = np.concatenate([[0], np.cumsum(conj_at)])
        # For each coordinator (position k is token k - 1): the kind before its left conjunct.
        before_conjunct = np.zeros(n + 2, dtype=int)
        for k in np.flatnonzero(conj_at).tolist():
            before_conjunct[k] = _KIND_CODE[boundary_kind(a, _conjunct_start(a, k - 2) - 1)]
        parts["before_conjunct"] = before_conjunct
        return parts

    def score(self, a: Analysis, cue: CueInfo,
              parts: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(starts, ends, log-odds) of the candidate spans of `cue`."""
        return self.score_many([(a, cue, parts)])[0]

    def score_many(self, cues: Sequence[tuple[Analysis, CueInfo, dict[str, np.ndarray]]],
                   ) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """`score` of several cues, of one claim or several (each with its claim's analysis and
        `token_parts`), in one numpy pass: an article's cues cost one set of array operations, not
        one each. The claims' tables are laid end to end and every candidate reads its own claim's
        part (offsets below); it gets the terms `score` gives it, added in the same order (the
        same floats)."""
        found = [source_candidates(a, cue) for a, cue, _ in cues]
        sizes = [len(s) for s, _ in found]
        if not sum(sizes):
            return [(s, e, np.zeros(0)) for s, e in found]
        if sum(sizes) > MAX_CANDIDATES_AT_ONCE and len(cues) > 1:
            # A run-on text's thousands of cues would need a (2 x flags + 1) x candidates table of
            # gigabytes: score them a group at a time (every candidate's terms are its own, so the
            # floats are the same).
            grouped: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
            group: list[tuple[Analysis, CueInfo, dict[str, np.ndarray]]] = []
            total = 0
            for item, size in zip(cues, sizes, strict=True):
                if group and total + size > MAX_CANDIDATES_AT_ONCE:
                    grouped.extend(self.score_many(group))
                    group, total = [], 0
                group.append(item)
                total += size
            grouped.extend(self.score_many(group))
            return grouped
        # Each claim's tables once, in the order its cues come; per claim the offsets of its tables
        # (by position -1..n: parts and kinds; 0..n: flag prefix sums; 0..n-1: time tails).
        claim_of: dict[int, int] = {}
        claims: list[tuple[Analysis, dict[str, np.ndarray]]] = []
        for a, _, parts in cues:
            if id(parts) not in claim_of:
                claim_of[id(parts)] = len(claims)
                claims.append((a, parts))
        lengths = np.array([len(a.toks) for a, _ in claims], dtype=np.int64)
        at_parts = np.concatenate([[0], np.cumsum(lengths + 2)[:-1]])
        at_prefix = np.concatenate([[0], np.cumsum(lengths + 1)[:-1]])
        at_conj = np.concatenate([[0], np.cumsum(lengths + 3)[:-1]])
        at_tok = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        P = {role: np.concatenate([parts[role] for _, parts in claims], axis=1) for role in "SBEA"}
        kinds = np.concatenate([parts["kind"] for _, parts in claims])
        conj_at = np.concatenate([parts["conj_at"] for _, parts in claims])
        conj_prefix = np.concatenate([parts["conj_prefix"] for _, parts in claims])
        before_conjunct = np.concatenate([parts["before_conjunct"] for _, parts in claims])
        prefix = np.concatenate([a.prefix_matrix for a, _ in claims], axis=1)
        time_tail = np.concatenate([a.time_tail_before for a, _ in claims])
        claim_has_conj = np.array([bool(parts["conj_at"].any()) for _, parts in claims])
        # Per candidate: its claim's offsets and length, its cue's bounds, weights and form.
        k = np.repeat(np.array([claim_of[id(parts)] for _, _, parts in cues], dtype=np.intp), sizes)
        s = np.concatenate([s_ for s_, _ in found])
        e = np.concatenate([e_ for _, e_ in found])
        o_parts, o_prefix, o_conj, o_tok = at_parts[k], at_prefix[k], at_conj[k], at_tok[k]
        n_kinds = lengths[k] + 2
        first = np.repeat(np.array([cue.first for _, cue, _ in cues], dtype=np.int64), sizes)
        last = np.repeat(np.array([cue.last for _, cue, _ in cues], dtype=np.int64), sizes)
        cue_at = np.repeat(np.arange(len(cues)), sizes)
        cue_w = np.array([[self._cue_weight(sd, cue.head, cue.cls, cue.form) for sd in "LR"]
                          for _, cue, _ in cues])
        forms = [self._form_tables(cue.form) for _, cue, _ in cues]
        left = e < first
        side = (~left).astype(np.intp)
        z = (P["S"][side, o_parts + s + 1] + P["B"][side, o_parts + s] + P["E"][side, o_parts + e + 1]
             + P["A"][side, o_parts + e + 2])
        z += self.len_w2[side, e - s + 1]
        gap_lo = np.where(left, e + 1, last + 1)
        gap_hi = np.where(left, first, s)
        # Every gap past the last bound is one bucket (the far subject candidates).
        z += self.gap_w2[side, np.minimum(gap_hi - gap_lo, self.gap_w2.shape[1] - 1)]
        z += cue_w[cue_at, side]
        # kinds[o_parts + j]: the boundary kind (code) of token j - 1 of the candidate's claim.
        before = kinds[o_parts + s]
        after = kinds[o_parts + e + 2]

        def by_form(table: str, kind: np.ndarray) -> np.ndarray:
            # The cues' form tables stacked (cue x side x kind), read at each candidate's cue.
            return np.stack([getattr(f, table) for f in forms])[cue_at, side, kind]

        z += by_form("fB", before)
        # The kinds two tokens out: token s - 2 (<S> before the claim), token e + 2 (</S> after).
        before2 = np.where(s >= 1, kinds[o_parts + np.maximum(s - 1, 0)], _KIND_CODE["<S>"])
        after2 = np.where(e + 3 < n_kinds, kinds[o_parts + np.minimum(e + 3, n_kinds - 1)],
                          _KIND_CODE["</S>"])
        z += self.fBB[side, before, before2]
        z += self.fAA[side, after, after2]
        z += self.timetail_w[side] * (time_tail[o_tok + e] >= s)
        has_conj = claim_has_conj[k]
        if has_conj.any():
            # Only the candidates of a claim with a coordinator get these terms (as in a loop over
            # claims, which skipped the others).
            conj_l = np.where(conj_at[o_parts + s], by_form("conjL", before_conjunct[o_parts + s]), 0.0)
            z = np.where(has_conj, z + conj_l, z)
            inside = (conj_prefix[o_conj + e + 1] - conj_prefix[o_conj + s + 2]) > 0  # tokens s+1 .. e-1
            z = np.where(has_conj, z + np.where(inside, by_form("conjIn", before), 0.0), z)
        z += np.where(gap_hi == gap_lo, by_form("fA_adjacent", after), by_form("fA_apart", after))
        # Every flag's "in span" and "in gap" terms at once; a cumulative sum down the rows adds
        # them to z one after the other in the order of FLAGS, the order (and floats) of a loop.
        terms = np.empty((2 * len(FLAGS) + 1, len(z)))
        terms[0] = z
        terms[1::2] = self.flag_in_w2[:, side] * ((prefix[:, o_prefix + e + 1] - prefix[:, o_prefix + s]) > 0)
        terms[2::2] = self.flag_gap_w2[:, side] * (
            (gap_hi > gap_lo) & ((prefix[:, o_prefix + gap_hi] - prefix[:, o_prefix + gap_lo]) > 0))
        out = np.full(len(s), self.lin.intercept + self.lin.weight("bias"))
        out += np.cumsum(terms, axis=0)[-1]
        results = []
        begin = 0
        for (_, cue, _), (s_, e_), size in zip(cues, found, sizes, strict=True):
            if not size:
                results.append((s_, e_, np.zeros(0)))
                continue
            z_ = out[begin:begin + size].copy()
            begin += size
            self._add_rule_terms(cue, s_, e_, z_)
            results.append((s_, e_, z_))
        return results

    def _add_rule_terms(self, cue: CueInfo, s: np.ndarray, e: np.ndarray, out: np.ndarray) -> None:
        """Add to `out` (in place) the terms of the spans and heads a rule proposed for `cue`."""
        if cue.rule_spans or cue.rule_heads:
            w = self.lin.weight
            for rs, re_ in cue.rule_spans:
                out += (w("rule:source") * ((s == rs) & (e == re_)) + w("rule:start") * (s == rs)
                        + w("rule:end") * (e == re_))
            for hs, he in cue.rule_heads:
                out += w("rule:head") * ((s == hs) & (e == he))
            # "rule:start"/"rule:end" are binary: undo double counting when rules agree on a boundary.
            starts = [rs for rs, _ in cue.rule_spans]
            ends = [re_ for _, re_ in cue.rule_spans]
            for value, count in Counter(starts).items():
                if count > 1:
                    out -= w("rule:start") * (count - 1) * (s == value)
            for value, count in Counter(ends).items():
                if count > 1:
                    out -= w("rule:end") * (count - 1) * (e == value)


@dataclass(frozen=True)
class AttributionModels:
    cue: SparseLinear  # the cue token model
    cue_span: SparseLinear  # the cue span model (file rules/attribution_cue_context_model.yaml)
    source: SourceScorer
    lex: ModelLexicon
    cue_columns: CueTokenColumns = field(init=False, repr=False, compare=False)
    span_columns: CueSpanColumns = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "cue_columns", CueTokenColumns(self.cue))
        object.__setattr__(self, "span_columns", CueSpanColumns(self.cue_span))
        self.cue.release_templates()
        self.cue_span.release_templates()

    def token_probabilities(self, a: Analysis, window: Sequence[int],
                            rule_cue: dict[int, str]) -> dict[int, float]:
        """Token index -> probability that the token is part of a cue, for the window tokens."""
        probs = sigmoid(self.cue.logits_of_rows(self.cue_columns.rows(a, window, rule_cue)))
        return dict(zip(window, probs.tolist(), strict=True))

    def cue_spans(self, a: Analysis, window: Sequence[int],
                  rule_cue: dict[int, str]) -> list[tuple[int, int]]:
        """The cue spans of a claim (token indices, inclusive): two sparse products per claim."""
        return self.cue_spans_many([(a, window, rule_cue)])[0]

    def cue_spans_many(
        self, claims: Sequence[tuple[Analysis, Sequence[int], dict[int, str]]],
    ) -> list[list[tuple[int, int]]]:
        """`cue_spans` of several claims: two products in all (each row is scored on its own, so
        the scores are those of a claim alone)."""
        if not claims:
            return []
        rows: list[list[int]] = []
        for a, window, rule_cue in claims:
            rows.extend(self.cue_columns.rows(a, window, rule_cue))
        token_probs = sigmoid(self.cue.logits_of_rows(rows)).tolist()
        probs: list[dict[int, float]] = []
        at = 0
        for _, window, _ in claims:
            probs.append(dict(zip(window, token_probs[at:at + len(window)], strict=True)))
            at += len(window)
        spans = [cue_span_candidates(a, rule_cue, prob)
                 for (a, _, rule_cue), prob in zip(claims, probs, strict=True)]
        with_spans = [(a, rule_cue, prob, sp)
                      for (a, _, rule_cue), prob, sp in zip(claims, probs, spans, strict=True) if sp]
        if not with_spans:
            return [[] for _ in claims]
        span_probs = sigmoid(self.cue_span.logits_of_columns(self.span_columns.columns_many(with_spans)))
        threshold = self.cue_span.model.threshold
        out: list[list[tuple[int, int]]] = []
        at = 0
        for sp in spans:
            if not sp:
                out.append([])
                continue
            out.append(choose_cue_spans(sp, span_probs[at:at + len(sp)], threshold))
            at += len(sp)
        return out


@lru_cache(maxsize=2)
def load_models(directory: str = str(RULES_DIR)) -> AttributionModels | None:
    """The stored models. A missing file is a RuleError: falling back to the rules alone changed every
    score without a word. Training runs without them (`AttributionFinder(use_models=False)`)."""
    paths = [Path(directory) / p.name for p in (CUE_MODEL_PATH, CUE_CONTEXT_MODEL_PATH, SOURCE_MODEL_PATH)]
    for p in paths:
        model_mtime(p)
    lex = model_lexicon()
    # Each file is YAML with its ~10^5 weights in a weights table beside it (LinearModel.load).
    cue, span, source = (LinearModel.load(p) for p in paths)
    return AttributionModels(SparseLinear(cue), SparseLinear(span), SourceScorer(source, lex), lex)


# -- training ----------------------------------------------------------------------------------
@dataclass
class _Rows:
    """Feature rows interned into column ids as they are made (memory stays small)."""

    vocab: dict[str, int]
    indices: list[int]
    indptr: list[int]
    labels: list[int]
    groups: list[int]

    @classmethod
    def empty(cls) -> _Rows:
        return cls({}, [], [0], [], [])

    def add(self, feats: Iterable[str], label: int, group: int = 0) -> None:
        self.groups.append(group)
        vocab = self.vocab
        for name in feats:
            j = vocab.get(name)
            if j is None:
                j = vocab[name] = len(vocab)
            self.indices.append(j)
        self.indptr.append(len(self.indices))
        self.labels.append(label)

    def matrix(self) -> sparse.csr_matrix:
        indices = np.asarray(self.indices, dtype=np.int64)
        X = sparse.csr_matrix((np.ones(len(indices)), indices, np.asarray(self.indptr, dtype=np.int64)),
                              shape=(len(self.labels), len(self.vocab)))
        X.sum_duplicates()
        X.data[:] = 1.0
        return X

    def fit(self, name: str, C: float, threshold: float, notes: str, data_hash: str,
            rows: np.ndarray | None = None, min_count: int = MIN_FEATURE_COUNT) -> LinearModel:
        """Fit on all rows (or the given row subset); features seen fewer than `min_count` times are
        dropped, weights are rounded to 4 decimals (the file is text), zero weights are dropped."""
        from sklearn.linear_model import LogisticRegression

        X = self.matrix()
        y = np.asarray(self.labels)
        if rows is not None:
            X, y = X[rows], y[rows]
        counts = np.asarray((X > 0).sum(axis=0)).ravel()
        names = sorted(self.vocab, key=self.vocab.get)  # type: ignore[arg-type]
        keep = [j for j in range(len(names)) if counts[j] >= min_count and names[j] != "bias"]
        keep.sort(key=lambda j: names[j])
        X = X[:, keep]
        est = LogisticRegression(C=C, solver="liblinear", max_iter=200, random_state=0)
        est.fit(X, y)
        est.coef_ = np.round(est.coef_, 4)
        est.intercept_ = np.round(est.intercept_, 4)
        alive = np.flatnonzero(est.coef_[0] != 0)
        est.coef_ = est.coef_[:, alive]
        features = [names[keep[j]] for j in alive]
        return LinearModel.from_estimator(
            est, features, name, threshold=threshold,
            training_data={"sha256": data_hash, "rows": int(len(y)), "positives": int(y.sum())},
            params={"C": C, "solver": "liblinear", "min_feature_count": min_count},
            notes=notes)


def _token_index(toks: Sequence[Token]) -> tuple[dict[int, int], dict[int, int]]:
    return {t.start: k for k, t in enumerate(toks)}, {t.end: k for k, t in enumerate(toks)}


def attach_rules(cue: CueInfo, hints: Sequence[Any]) -> CueInfo:
    mine = [h for h in hints if h[0][0] <= cue.last and cue.first <= h[0][1]]
    spans = tuple(h[1] for h in mine if h[1])
    heads = tuple(h[2] for h in mine if h[2])
    form = cue.form
    if form == "participle" and any(h[1] and h[2] and h[1][1] == cue.first - 1 and h[2] != h[1]
                                    for h in mine):
        # "Meloni, participating in the call, confirmed": the rules found a subject whose aside the
        # comma closes, so the past form after the comma is the finite verb, not a participle.
        form = "finite"
    return CueInfo(cue.first, cue.last, cue.head, cue.cls, spans, heads, form)


def rule_cue_tokens(hints: Sequence[Any]) -> dict[int, str]:
    out: dict[int, str] = {}
    for (cf, cl), _, _, rule_id in hints:
        for k in range(cf, cl + 1):
            out[k] = rule_id
    return out


def train_attribution_models(split: str = "train", root: Path | None = None, out_dir: Path | None = None,
                             cue_C: float = 0.5, span_C: float = 0.3,
                             source_C: float = 3.0, articles: Sequence[Any] | None = None,
                             sampling_salt: str = "") -> tuple[LinearModel, LinearModel, LinearModel]:
    """Fit the three models on a PolNeAR split (train only: never dev) and write them beside the rules.

    Deterministic: same data, same files (sorted features, fixed sampling seed, liblinear).
    `articles` (a subset of the split) and `sampling_salt` (a second seed for the source model's
    sample of each cue's candidates) serve held-out measurement (tools/holdout_attribution.py).
    """
    from scorer.attribution import AttributionFinder, _rule_token_hints, quotation_mask
    from scorer.claims import sentences
    from scorer.evaluation.polnear import load_split
    from scorer.tokens import tokenize

    if split == "dev":
        raise ValueError("the attribution models are never fitted on dev")
    out_dir = Path(out_dir) if out_dir else RULES_DIR
    articles = list(articles) if articles is not None else load_split(split, root=root)
    data_hash = sha256_of(a.id + "\n" + a.text + repr(a.attributions) for a in articles)
    lex = model_lexicon()
    finder = AttributionFinder(use_models=False)
    cue_rows, src_rows = _Rows.empty(), _Rows.empty()
    cue_keys: list[tuple[int, int]] = []  # (sentence number, token index) of every cue row
    # Per sentence: its analysis, the rules' cue tokens, the gold cue token spans, the article number.
    sentence_data: list[tuple[Analysis, dict[int, str], set[tuple[int, int]], int]] = []
    for art_no, art in enumerate(articles):
        text = art.text
        rng = random.Random(art.id + sampling_salt)
        golds = [g for g in art.attributions if g.cue]
        quoted = quotation_mask(text)
        for sent in sentences(text):
            toks = tokenize(text, sent.start, sent.end)
            if not toks:
                continue
            st, en = _token_index(toks)
            a = analyse(toks, lex, opens_quoted(quoted, toks))
            hints = _rule_token_hints(finder.find_by_rules(text, sent.start, sent.end), toks)
            rule_cue = rule_cue_tokens(hints)
            in_cue = np.zeros(len(toks), dtype=bool)
            cues: list[tuple[int, int, tuple[int, int] | None]] = []
            gold_spans: set[tuple[int, int]] = set()
            for g in golds:
                assert g.cue is not None  # golds keep only attributions with a cue
                if not (sent.start <= g.cue[0] and g.cue[1] <= sent.end):
                    continue
                cf = next((k for k, t in enumerate(toks) if t.end > g.cue[0]), None)
                cl = max((k for k, t in enumerate(toks) if t.start < g.cue[1]), default=None)
                if cf is None or cl is None or cl < cf:
                    continue
                in_cue[cf:cl + 1] = True
                gold_spans.add((cf, cl))
                src = None
                if g.source and g.source[0] in st and g.source[1] in en:
                    src = (st[g.source[0]], en[g.source[1]])
                elif g.source:
                    continue  # a source outside the sentence, or cut inside a token: not learnable here
                cues.append((cf, cl, src))
            for i in cue_window(a, rule_cue):
                cue_rows.add(cue_token_features(a, i, rule_cue), int(in_cue[i]), art_no % CUE_FOLDS)
                cue_keys.append((len(sentence_data), i))
            sentence_data.append((a, rule_cue, gold_spans, art_no))
            for cf, cl, src in dict.fromkeys(cues):
                info = attach_rules(cue_info(a, cf, cl), hints)
                s_arr, e_arr = source_candidates(a, info)
                pairs = list(zip(s_arr.tolist(), e_arr.tolist(), strict=True))
                near = [p for p in pairs if src and (p[0] == src[0] or p[1] == src[1]) and p != src]
                rest = [p for p in pairs if p != src and p not in set(near)]
                chosen = near + rng.sample(rest, min(len(rest), 25))
                if src and src in set(pairs):
                    chosen.append(src)
                for s, e in sorted(chosen):
                    src_rows.add(source_span_features(a, info, s, e, lex), int(src == (s, e)))
    cue_notes = ("Is this token part of an attribution cue? Token features in windows around cue candidates; "
                 "trained on PolNeAR " + split + ".")
    cue_model = cue_rows.fit("attribution_cue", cue_C, 0.5, cue_notes, data_hash)
    # The context model learns from out-of-fold first-model probabilities (articles in CUE_FOLDS folds).
    groups = np.asarray(cue_rows.groups)
    X_all = cue_rows.matrix()
    names = sorted(cue_rows.vocab, key=cue_rows.vocab.get)  # type: ignore[arg-type]
    oof = np.zeros(len(groups))
    for fold in range(CUE_FOLDS):
        held = np.flatnonzero(groups == fold)
        fold_model = cue_rows.fit("fold", cue_C, 0.5, "", data_hash, rows=np.flatnonzero(groups != fold))
        col = {n: j for j, n in enumerate(fold_model.features)}
        coef = np.zeros(len(names))
        for j, n in enumerate(names):
            k = col.get(n)
            if k is not None:
                coef[j] = fold_model.coefficients[0, k]
        oof[held] = sigmoid(np.asarray(X_all[held] @ coef).ravel() + fold_model.intercept[0])
    probs: dict[int, dict[int, float]] = {}
    for (sent_no, i), p in zip(cue_keys, oof.tolist(), strict=True):
        probs.setdefault(sent_no, {})[i] = p
    # The span model learns from the out-of-fold token probabilities of every candidate span.
    span_rows = _Rows.empty()
    for sent_no, (a, rule_cue, gold_spans, art_no) in enumerate(sentence_data):
        prob = probs.get(sent_no, {})
        for s, e in cue_span_candidates(a, rule_cue, prob):
            span_rows.add(cue_span_features(a, rule_cue, prob, s, e), int((s, e) in gold_spans),
                          art_no % CUE_FOLDS)
    span_model = span_rows.fit("attribution_cue_span", span_C, CUE_SPAN_THRESHOLD,
                               "Is this candidate span an attribution cue? Out-of-fold cue-token "
                               "probabilities of its tokens and neighbours, its edge words and word-class "
                               "pattern; trained on PolNeAR " + split + ".", data_hash)
    src_model = src_rows.fit("attribution_source", source_C, SOURCE_THRESHOLD,
                             "Is this span the source of this cue? Boundary-token, span and cue features; "
                             "trained on PolNeAR " + split + " gold cues.", data_hash)
    header = (f"Learned by scorer.attribution_model.train_attribution_models(split={split!r}); "
              "do not edit by hand.\n"
              "Rebuild: .venv/bin/python -c 'from scorer.attribution_model import train_attribution_models; "
              "train_attribution_models()'")
    # ~10^5 weights each: kept in weights tables beside the YAML (see scorer.linear.WEIGHTS_KEY).
    cue_model.save(out_dir / CUE_MODEL_PATH.name, header, weights_table=True)
    span_model.save(out_dir / CUE_CONTEXT_MODEL_PATH.name, header, weights_table=True)
    src_model.save(out_dir / SOURCE_MODEL_PATH.name, header, weights_table=True)
    load_models.cache_clear()
    return cue_model, span_model, src_model


def opens_quoted(quoted: bytes, toks: Sequence[Token]) -> bool:
    """Whether the sentence of `toks` starts inside a quotation, by the article's `quotation_mask`:
    the character before its first token is quoted (a quotation mark that opens the sentence is
    itself counted by `analyse`)."""
    return bool(toks) and toks[0].start > 0 and quoted[toks[0].start - 1] == 1


def cue_window(a: Analysis, rule_cue: dict[int, str]) -> list[int]:
    """Token indices the cue model scores: every token within CUE_WINDOW of a cue candidate."""
    n = len(a.toks)
    out: set[int] = set()
    for i, anchor in enumerate(a.anchors):
        if anchor or i in rule_cue:
            out.update(range(max(0, i - CUE_WINDOW), min(n, i + CUE_WINDOW + 1)))
    return sorted(out)
