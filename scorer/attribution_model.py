"""The learned half of the attribution finder: a cue-token model and a source-span model.

Both are logistic regressions over hand-built token features (word, suffix-stripped stem, word
class from `rules/attribution.yaml`, shape, neighbours, quote and clause context, and what the rules
in `scorer.attribution` found), trained on the PolNeAR train split and stored as readable text
(`rules/attribution_cue_model.yaml`, `rules/attribution_source_model.yaml`) through
`scorer.linear.LinearModel`. Rebuild both with `train_attribution_models(split="train")`.

1. Cue model. Cue candidates ("anchors") are words of the cue word classes, stems of them, verb-like
   forms, "according", ":" and whatever a rule marked as a cue. Every token within `CUE_WINDOW`
   tokens of an anchor is scored (one sparse product for the whole claim): is it part of a cue?
   A cue is a maximal run of positive tokens that holds an anchor.
2. Source model. For each cue, candidate source spans lie to its left (ending at most
   `MAX_GAP_LEFT` tokens before it) or to its right (starting at most `MAX_GAP_RIGHT` tokens after
   it), at most `MAX_SOURCE_TOKENS` long. A span's features are the features of four boundary tokens
   (first, the one before, last, the one after: "S", "B", "E", "A"), its length, its distance to the
   cue, what it and the gap contain, the cue, and whether a rule proposed it. The model is linear,
   so a span's score is a sum of per-token and per-span parts: every candidate of a cue is scored
   at once with numpy, and the best one wins when its probability reaches the threshold.

Training builds the same feature names explicitly (`source_span_features`); a test checks that the
fast scorer and the explicit features give the same log-odds.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from scorer.linear import LinearModel, sha256_of
from scorer.rulebook import RULES_DIR, ruleset
from scorer.tokens import Token

CUE_MODEL_PATH = RULES_DIR / "attribution_cue_model.yaml"
CUE_CONTEXT_MODEL_PATH = RULES_DIR / "attribution_cue_context_model.yaml"
SOURCE_MODEL_PATH = RULES_DIR / "attribution_source_model.yaml"

CUE_WINDOW = 3
MAX_GAP_LEFT = 14
MAX_GAP_RIGHT = 3
MAX_SOURCE_TOKENS = 30
MIN_FEATURE_COUNT = 3
CUE_FOLDS = 3
# The best candidate source of a cue stands when its probability reaches this. The source model is
# trained on a sample of each cue's candidates, so its probabilities run low: 0.15, not 0.5.
SOURCE_THRESHOLD = 0.15
# A token is part of a cue when the context model gives it this much.
CUE_THRESHOLD = 0.5
# Tokens whose first-model cue probability, and their neighbours', stay below this are not cues.
CONTEXT_FLOOR = 0.05

_OPEN_QUOTES = frozenset({'"', "“", "‘", "«", "''", "``"})
_CLOSE_QUOTES = frozenset({'"', "”", "’", "»"})
_QUOTES = frozenset({'"', "“", "”", "‘", "’", "«", "»", "'"})
_STOPS = frozenset({".", "!", "?", ";"})

_LEN_BUCKETS = (1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 15, 20, 30)
_GAP_BUCKETS = (0, 1, 2, 3, 5, 8, 11, 14)
FLAGS = ("comma", "quote", "stop", "verbish", "cue", "cap", "pron", "paren", "dash", "clause", "colon", "time", "num")


def _bucket(value: int, bounds: Sequence[int]) -> int:
    for b in bounds:
        if value <= b:
            return b
    return bounds[-1] + 1


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


@lru_cache(maxsize=2)
def model_lexicon(rules_path: str = "attribution") -> ModelLexicon:
    from scorer.attribution import verb_forms

    rules = ruleset(rules_path)
    lists = rules.lists
    forms = verb_forms(lists, (("speech", "speech_verbs"), ("belief", "belief_verbs"),
                               ("intention", "intention_verbs"), ("evidence", "evidence_verbs"),
                               ("stance", "stance_verbs"), ("other", "extra_cue_verbs")))
    roles = set(lists.get("role_words", ()))
    try:
        src = ruleset("sources").lists
        for key in ("official_titles", "unnamed_heads", "institution_heads", "document_heads", "outlet_heads"):
            roles.update(w for w in src.get(key, ()) if " " not in w)
    except Exception:  # pragma: no cover - the sources rules are optional for this model
        pass
    return ModelLexicon(
        forms=forms,
        cue_nouns=frozenset(lists.get("cue_nouns", ())),
        roles=frozenset(roles),
        determiners=frozenset(lists.get("determiners", ())),
        pronouns=frozenset(lists.get("subject_pronouns", ())) | {"him", "her", "them", "us", "me", "i"},
        auxiliaries=frozenset(lists.get("auxiliaries", ())),
        clause_stops=frozenset(lists.get("clause_stops", ())),
        verbish=frozenset(lists.get("verbish", ())),
        time_words=frozenset(lists.get("time_words", ())),
    )


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


def analyse(toks: Sequence[Token], lex: ModelLexicon) -> Analysis:
    n = len(toks)
    low, lemma, cls, shape, in_quote, anchors = [], [], [], [], [], []
    depth = False
    rows: dict[str, list[int]] = {f: [] for f in FLAGS}
    for i, t in enumerate(toks):
        lw = t.lower
        txt = t.text
        word = txt[0].isalnum()
        cap = txt[0].isupper()
        low.append(lw)
        entry = lex.forms.get(lw)
        if entry:
            lemma.append(entry[0])
            cls.append(entry[1])
        else:
            lemma.append(stem(lw) if word else lw)
            cls.append("noun" if lw in lex.cue_nouns else "")
        shape.append(_shape(txt))
        is_quote = txt in _QUOTES and not (txt in {"’", "'"} and 0 < i < n - 1 and toks[i - 1].end == t.start
                                            and toks[i + 1].start == t.end)
        if is_quote:
            if txt in {"“", "‘", "«"}:
                depth = True
            elif txt in {"”", "»"}:
                depth = False
            else:
                depth = not depth
        in_quote.append(depth)
        lower_word = word and not cap
        for flag, on in (("comma", txt == ","), ("quote", is_quote), ("stop", txt in _STOPS),
                         ("paren", txt in {"(", ")", "[", "]"}), ("dash", txt in {"—", "–", "-", "--"}),
                         ("colon", txt == ":"), ("verbish", lower_word and lw in lex.verbish),
                         ("cue", lower_word and entry is not None), ("cap", word and cap),
                         ("pron", lw in lex.pronouns), ("clause", lower_word and lw in lex.clause_stops),
                         ("time", lw in lex.time_words), ("num", txt[0].isdigit())):
            if on:
                rows[flag].append(i)
        anchors.append(bool(
            (entry is not None and (not cap or i == 0 or toks[i - 1].text in _QUOTES))
            or lw in lex.cue_nouns or txt == ":"
            or (lower_word and len(lw) > 4 and lw.endswith(("ed", "ing")))
        ))
    flags = {}
    for f in FLAGS:
        arr = np.zeros(n, dtype=np.int32)
        arr[rows[f]] = 1
        flags[f] = arr
    prefix = {f: np.concatenate(([0], np.cumsum(a))) for f, a in flags.items()}
    word = np.array([t.is_word for t in toks], dtype=bool)
    end_ok = word | np.array([t.text in {",", ")", "’", "'", "”"} for t in toks], dtype=bool)
    return Analysis(tuple(toks), tuple(low), tuple(lemma), tuple(cls), tuple(shape), tuple(in_quote), flags,
                    prefix, tuple(anchors), lex, word, end_ok)


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


def cue_token_features(a: Analysis, i: int, rule_cue: dict[int, str]) -> list[str]:
    """Feature names of token `i` for the cue model. `rule_cue` maps token index -> rule id."""
    w, lem, cls, shp = a.low[i], a.lemma[i], a.cls[i], a.shape[i]
    f = ["bias", f"w={w}", f"lem={lem}", f"cls={cls}", f"shape={shp}", f"suf={w[-3:]}", f"q={a.in_quote[i]}",
         f"w-1={_tokword(a, i - 1)}", f"w+1={_tokword(a, i + 1)}", f"w-2={_tokword(a, i - 2)}",
         f"w+2={_tokword(a, i + 2)}", f"w-1|w={_tokword(a, i - 1)}|{w}", f"w|w+1={w}|{_tokword(a, i + 1)}",
         f"cls|w+1={cls}|{_tokword(a, i + 1)}", f"w-1|cls={_tokword(a, i - 1)}|{cls}",
         f"shape-1|shape={a.shape[i - 1] if i else '<S>'}|{shp}"]
    for d in (-3, -2, -1, 1, 2, 3):
        f.append(f"c{d}={_tokcls(a, i + d)}")
    anchor_near = [d for d in range(-CUE_WINDOW, CUE_WINDOW + 1) if 0 <= i + d < len(a.toks) and a.anchors[i + d]]
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
    f.extend(_neighbour_kinds(a, i))
    f.append(f"lem|q={lem}|{a.in_quote[i]}")
    return f


_PREPOSITIONS = frozenset({"of", "for", "about", "on", "in", "with", "at", "against", "from", "by"})


def _neighbour_kinds(a: Analysis, i: int) -> list[str]:
    """What stands left of the token once auxiliaries and adverbs are skipped (a subject?), and
    right of it once adverbs are skipped (an object, a complement, content?)."""
    lex = a.lex
    cls = a.cls[i] or a.shape[i]
    j = i - 1
    while j >= 0 and (a.low[j] in lex.auxiliaries or (a.low[j].endswith("ly") and a.toks[j].is_word
                                                       and not a.toks[j].is_capitalised)):
        j -= 1
    f = []
    if j < 0:
        f.append("L=<S>")
    else:
        t, w = a.toks[j], a.low[j]
        kind = ("pron" if w in lex.pronouns else "role" if (w in lex.roles or w.rstrip("s") in lex.roles)
                else "cap" if t.is_capitalised else "punct:" + t.text if not t.is_word else "cls:" + (a.cls[j] or "x"))
        f += [f"L={kind}", f"L={kind}|skip={j < i - 1}", f"L={kind}|cls={cls}"]
    k = i + 1
    while k < len(a.toks) and a.low[k].endswith("ly") and a.toks[k].is_word:
        k += 1
    if k >= len(a.toks):
        f.append("R=</S>")
    else:
        t, w = a.toks[k], a.low[k]
        kind = (w if w in {"that", "to"} else "det" if w in lex.determiners else "pron" if w in lex.pronouns
                else "cap" if t.is_capitalised else "punct:" + t.text if not t.is_word
                else "prep" if w in _PREPOSITIONS else "x")
        f += [f"R={kind}", f"R={kind}|cls={cls}"]
    return f


def _pbucket(p: float | None) -> str:
    return "n" if p is None else str(min(9, int(p * 10)))


def cue_context_features(a: Analysis, i: int, prob: dict[int, float]) -> list[str]:
    """Features of token `i` for the second (context) cue model: the first model's probabilities
    of the token and its neighbours, so a cue's span comes out whole ("has also said", "said in a
    statement") and isolated weak tokens drop out."""
    b = {d: _pbucket(prob.get(i + d)) for d in (-3, -2, -1, 0, 1, 2, 3)}
    w, cls = a.low[i], a.cls[i] or a.shape[i]
    f = ["bias", f"p0={b[0]}", f"p0|p-1={b[0]}|{b[-1]}", f"p0|p+1={b[0]}|{b[1]}",
         f"p-1|p+1={b[-1]}|{b[1]}", f"w={w}", f"cls={cls}", f"w|p-1={w}|{b[-1]}", f"w|p+1={w}|{b[1]}",
         f"cls|p-1={cls}|{b[-1]}", f"cls|p+1={cls}|{b[1]}", f"cls|p0={cls}|{b[0]}"]
    f.extend(f"p{d}={b[d]}" for d in (-3, -2, -1, 1, 2, 3))
    f.append(f"p-2|p-1|p0={b[-2]}|{b[-1]}|{b[0]}")
    f.append(f"p0|p+1|p+2={b[0]}|{b[1]}|{b[2]}")
    return f


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
    return f


@dataclass(frozen=True)
class CueInfo:
    first: int  # token indices, inclusive
    last: int
    head: str  # lemma of the cue's main word
    cls: str
    rule_spans: tuple[tuple[int, int], ...] = ()  # token spans a rule proposed as this cue's source
    rule_heads: tuple[tuple[int, int], ...] = ()


def cue_info(a: Analysis, first: int, last: int) -> CueInfo:
    main = next((k for k in range(first, last + 1) if a.cls[k] and a.cls[k] != "noun"), None)
    if main is None:
        main = next((k for k in range(first, last + 1) if a.toks[k].is_word), first)
    return CueInfo(first, last, a.lemma[main], a.cls[main] or "none")


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
    feats = [f"len{side}={_bucket(e - s + 1, _LEN_BUCKETS)}", f"gap{side}={_bucket(gap_hi - gap_lo, _GAP_BUCKETS)}",
             f"cue{side}={cue.head}", f"cuecls{side}={cue.cls}"]
    for flag in FLAGS:
        p = a.prefix[flag]
        if p[e + 1] - p[s] > 0:
            feats.append(f"in{side}:{flag}")
        if gap_hi > gap_lo and p[gap_hi] - p[gap_lo] > 0:
            feats.append(f"gap{side}:{flag}")
    if (s, e) in cue.rule_spans:
        feats.append("rule:source")
    if (s, e) in cue.rule_heads:
        feats.append("rule:head")
    if any(rs == s for rs, _ in cue.rule_spans):
        feats.append("rule:start")
    if any(re_ == e for _, re_ in cue.rule_spans):
        feats.append("rule:end")
    return feats


def source_candidates(a: Analysis, cue: CueInfo) -> tuple[np.ndarray, np.ndarray]:
    """Start and end token indices (inclusive) of every candidate source span of `cue`.

    Left of the cue: spans ending at most MAX_GAP_LEFT tokens before it; right of it: spans starting
    at most MAX_GAP_RIGHT tokens after it. A span starts on a word and ends on a word, a comma, a
    closing bracket or a closing quote, and holds at most MAX_SOURCE_TOKENS tokens.
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
    re_ = (s_right[:, None] + offsets[None, :]).ravel()
    rs = np.repeat(s_right, MAX_SOURCE_TOKENS)
    keep = re_ < n
    rs, re_ = rs[keep], re_[keep]
    keep = end_ok[re_]
    rs, re_ = rs[keep], re_[keep]
    return np.concatenate([ls, rs]).astype(np.int64), np.concatenate([le, re_]).astype(np.int64)


# -- scoring with a stored model ---------------------------------------------------------------
class SparseLinear:
    """A `LinearModel` over named binary features, scored as a sparse product."""

    def __init__(self, model: LinearModel) -> None:
        self.model = model
        self.index = {name: j for j, name in enumerate(model.features)}
        self.coef = model.coefficients[0]
        self.intercept = float(model.intercept[0])

    def matrix(self, rows: Sequence[Iterable[str]]) -> sparse.csr_matrix:
        get = self.index.get
        cols = [[j for j in map(get, feats) if j is not None] for feats in rows]
        indptr = np.cumsum([0] + [len(c) for c in cols])
        indices = np.fromiter((j for c in cols for j in c), dtype=np.int64, count=int(indptr[-1]))
        return sparse.csr_matrix((np.ones(len(indices)), indices, indptr), shape=(len(rows), len(self.index)))

    def logits(self, rows: Sequence[Iterable[str]]) -> np.ndarray:
        if not rows:
            return np.zeros(0)
        return np.asarray(self.matrix(rows) @ self.coef).ravel() + self.intercept

    def weight(self, name: str) -> float:
        j = self.index.get(name)
        return float(self.coef[j]) if j is not None else 0.0


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -500, 500)))


class SourceScorer:
    """Scores all candidate spans of a cue from per-token and per-span parts of the linear model."""

    def __init__(self, model: LinearModel, lex: ModelLexicon) -> None:
        self.lin = SparseLinear(model)
        self.lex = lex
        self.threshold = model.threshold
        w = self.lin.weight
        self.len_w = {side: np.array([w(f"len{side}={_bucket(k, _LEN_BUCKETS)}") for k in range(MAX_SOURCE_TOKENS + 2)])
                      for side in "LR"}
        self.gap_w = {side: np.array([w(f"gap{side}={_bucket(k, _GAP_BUCKETS)}") for k in range(MAX_GAP_LEFT + 40)])
                      for side in "LR"}
        self.flag_in = {side: {f: w(f"in{side}:{f}") for f in FLAGS} for side in "LR"}
        self.flag_gap = {side: {f: w(f"gap{side}:{f}") for f in FLAGS} for side in "LR"}
        # Boundary-token features "<role><side>|<feature>": one weight vector per token feature.
        self.keys = tuple(r + side for r in "SBEA" for side in "LR")
        slot = {k: m for m, k in enumerate(self.keys)}
        base: dict[str, np.ndarray] = {}
        for name, j in self.lin.index.items():
            key, bar, feat = name.partition("|")
            if bar and key in slot:
                base.setdefault(feat, np.zeros(len(self.keys)))[slot[key]] += self.lin.coef[j]
        self.base = base
        self._cue_cache: dict[tuple[str, str, str], float] = {}

    def _cue_weight(self, side: str, head: str, cls: str) -> float:
        key = (side, head, cls)
        cached = self._cue_cache.get(key)
        if cached is None:
            cached = self._cue_cache[key] = self.lin.weight(f"cue{side}={head}") + self.lin.weight(f"cuecls{side}={cls}")
        return cached

    def token_parts(self, a: Analysis) -> dict[str, np.ndarray]:
        """role+side -> array over positions -1..n (index shifted by one) of summed token weights."""
        n = len(a.toks)
        zero = np.zeros(len(self.keys))
        get = self.base.get
        table = np.array([sum((get(x, zero) for x in source_token_features(a, i, self.lex)), zero)
                          for i in range(-1, n + 1)])
        return {k: table[:, m] for m, k in enumerate(self.keys)}

    def score(self, a: Analysis, cue: CueInfo, parts: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(starts, ends, log-odds) of the candidate spans of `cue`."""
        s, e = source_candidates(a, cue)
        if not len(s):
            return s, e, np.zeros(0)
        left = e < cue.first
        out = np.full(len(s), self.lin.intercept + self.lin.weight("bias"))
        for side, mask in (("L", left), ("R", ~left)):
            if not mask.any():
                continue
            ss, ee = s[mask], e[mask]
            z = (parts["S" + side][ss + 1] + parts["B" + side][ss] + parts["E" + side][ee + 1]
                 + parts["A" + side][ee + 2])
            z += self.len_w[side][ee - ss + 1]
            gap_lo, gap_hi = (ee + 1, np.full_like(ee, cue.first)) if side == "L" else (np.full_like(ss, cue.last + 1), ss)
            z += self.gap_w[side][gap_hi - gap_lo]
            z += self._cue_weight(side, cue.head, cue.cls)
            for flag in FLAGS:
                p = a.prefix[flag]
                z += self.flag_in[side][flag] * ((p[ee + 1] - p[ss]) > 0)
                z += self.flag_gap[side][flag] * ((gap_hi > gap_lo) & ((p[gap_hi] - p[gap_lo]) > 0))
            out[mask] += z
        if cue.rule_spans or cue.rule_heads:
            w = self.lin.weight
            for rs, re_ in cue.rule_spans:
                out += w("rule:source") * ((s == rs) & (e == re_)) + w("rule:start") * (s == rs) + w("rule:end") * (e == re_)
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
        return s, e, out


@dataclass(frozen=True)
class AttributionModels:
    cue: SparseLinear
    cue_context: SparseLinear
    source: SourceScorer
    lex: ModelLexicon

    def cue_probabilities(self, a: Analysis, window: Sequence[int], rule_cue: dict[int, str]) -> np.ndarray:
        """Probability that each window token is part of a cue: two sparse products per claim."""
        first = sigmoid(self.cue.logits([cue_token_features(a, i, rule_cue) for i in window]))
        prob = dict(zip(window, first.tolist(), strict=True))
        # Only tokens with some first-model evidence nearby can end up in a cue: the context model
        # scores those, the rest stay at zero.
        live = {i + d for i, p in prob.items() if p >= CONTEXT_FLOOR for d in (-1, 0, 1)}
        keep = [k for k, i in enumerate(window) if i in live]
        out = np.zeros(len(window))
        if keep:
            out[keep] = sigmoid(self.cue_context.logits([cue_context_features(a, window[k], prob) for k in keep]))
        return out


@lru_cache(maxsize=2)
def load_models(directory: str = str(RULES_DIR)) -> AttributionModels | None:
    """The stored models, or None when a file is absent (the finder then uses its rules alone)."""
    paths = [Path(directory) / p.name for p in (CUE_MODEL_PATH, CUE_CONTEXT_MODEL_PATH, SOURCE_MODEL_PATH)]
    if not all(p.is_file() for p in paths):
        return None
    lex = model_lexicon()
    return AttributionModels(SparseLinear(load_model_file(paths[0])), SparseLinear(load_model_file(paths[1])),
                             SourceScorer(load_model_file(paths[2]), lex), lex)


def load_model_file(path: str | Path) -> LinearModel:
    """`LinearModel.load` with libyaml's safe loader when present: these files hold ~10^5 weights."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    path = Path(path)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 - a safe loader
    except (OSError, yaml.YAMLError) as exc:
        from scorer.errors import RuleError

        raise RuleError(f"{path}: cannot read model: {exc}") from exc
    return LinearModel.from_mapping(data, str(path))


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
    spans = tuple(h[1] for h in hints if h[1] and h[0][0] <= cue.last and cue.first <= h[0][1])
    heads = tuple(h[2] for h in hints if h[2] and h[0][0] <= cue.last and cue.first <= h[0][1])
    return CueInfo(cue.first, cue.last, cue.head, cue.cls, spans, heads)


def rule_cue_tokens(hints: Sequence[Any]) -> dict[int, str]:
    out: dict[int, str] = {}
    for (cf, cl), _, _, rule_id in hints:
        for k in range(cf, cl + 1):
            out[k] = rule_id
    return out


def train_attribution_models(split: str = "train", root: Path | None = None, out_dir: Path | None = None,
                             cue_C: float = 0.5, source_C: float = 0.3) -> tuple[LinearModel, LinearModel, LinearModel]:
    """Fit both models on a PolNeAR split (train only: never dev) and write them beside the rules.

    Deterministic: same data, same files (sorted features, fixed sampling seed, liblinear).
    """
    from scorer.attribution import AttributionFinder, _rule_token_hints
    from scorer.claims import sentences
    from scorer.evaluation.polnear import load_split
    from scorer.tokens import tokenize

    if split == "dev":
        raise ValueError("the attribution models are never fitted on dev")
    out_dir = Path(out_dir) if out_dir else RULES_DIR
    articles = load_split(split, root=root)
    data_hash = sha256_of(a.id + "\n" + a.text + repr(a.attributions) for a in articles)
    lex = model_lexicon()
    finder = AttributionFinder(use_models=False)
    cue_rows, src_rows = _Rows.empty(), _Rows.empty()
    cue_keys: list[tuple[int, int]] = []  # (sentence number, token index) of every cue row
    sentence_data: list[tuple[Analysis, np.ndarray]] = []
    for art_no, art in enumerate(articles):
        text = art.text
        rng = random.Random(art.id)
        golds = [g for g in art.attributions if g.cue]
        for sent in sentences(text):
            toks = tokenize(text, sent.start, sent.end)
            if not toks:
                continue
            st, en = _token_index(toks)
            a = analyse(toks, lex)
            hints = _rule_token_hints(finder.find_by_rules(text, sent.start, sent.end), toks)
            rule_cue = rule_cue_tokens(hints)
            in_cue = np.zeros(len(toks), dtype=bool)
            cues: list[tuple[int, int, tuple[int, int] | None]] = []
            for g in golds:
                if not (sent.start <= g.cue[0] and g.cue[1] <= sent.end):
                    continue
                cf = next((k for k, t in enumerate(toks) if t.end > g.cue[0]), None)
                cl = max((k for k, t in enumerate(toks) if t.start < g.cue[1]), default=None)
                if cf is None or cl is None or cl < cf:
                    continue
                in_cue[cf:cl + 1] = True
                src = None
                if g.source and g.source[0] in st and g.source[1] in en:
                    src = (st[g.source[0]], en[g.source[1]])
                elif g.source:
                    continue  # a source outside the sentence, or cut inside a token: not learnable here
                cues.append((cf, cl, src))
            for i in cue_window(a, rule_cue):
                cue_rows.add(cue_token_features(a, i, rule_cue), int(in_cue[i]), art_no % CUE_FOLDS)
                cue_keys.append((len(sentence_data), i))
            sentence_data.append((a, in_cue))
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
    ctx_rows = _Rows.empty()
    for (sent_no, i) in cue_keys:
        a, in_cue = sentence_data[sent_no]
        ctx_rows.add(cue_context_features(a, i, probs[sent_no]), int(in_cue[i]))
    ctx_model = ctx_rows.fit("attribution_cue_context", 1.0, CUE_THRESHOLD,
                             "Second cue model over the first one's out-of-fold probabilities of a token and its "
                             "neighbours; trained on PolNeAR " + split + ".", data_hash)
    src_model = src_rows.fit("attribution_source", source_C, SOURCE_THRESHOLD,
                             "Is this span the source of this cue? Boundary-token, span and cue features; "
                             "trained on PolNeAR " + split + " gold cues.", data_hash)
    header = (f"Learned by scorer.attribution_model.train_attribution_models(split={split!r}); "
              "do not edit by hand.\n"
              "Rebuild: .venv/bin/python -c 'from scorer.attribution_model import train_attribution_models; "
              "train_attribution_models()'")
    cue_model.save(out_dir / CUE_MODEL_PATH.name, header)
    ctx_model.save(out_dir / CUE_CONTEXT_MODEL_PATH.name, header)
    src_model.save(out_dir / SOURCE_MODEL_PATH.name, header)
    load_models.cache_clear()
    return cue_model, ctx_model, src_model


def cue_window(a: Analysis, rule_cue: dict[int, str]) -> list[int]:
    """Token indices the cue model scores: every token within CUE_WINDOW of a cue candidate."""
    n = len(a.toks)
    out: set[int] = set()
    for i, anchor in enumerate(a.anchors):
        if anchor or i in rule_cue:
            out.update(range(max(0, i - CUE_WINDOW), min(n, i + CUE_WINDOW + 1)))
    return sorted(out)
