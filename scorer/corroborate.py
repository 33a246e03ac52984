"""Corroboration across outlets: group the reports of one claim, count independent voices, and say how
likely the claim is to be true (LABELLING.md, "Across articles (batch)").

The steps are fixed and readable:

1. **Claims.** With a claim column each row reports the given claim; with a group column the group's
   claim is its most central report (preferring one with no denial, doubt, negation or question cue).
   Otherwise the claims are extracted: a headline (one line, at most `HEADLINE_MAX_CHARS`) is its own
   claim; an article's claims come from `scorer.analyze`. A row with no claim gets a group of its own.
2. **Grouping** (no claim or group column). Claims are vectors (TF-IDF of content-word stems plus
   TF-IDF of character 3-5-grams). Each claim keeps its `neighbours` most similar claims; a pair's
   similarity is then `sqrt(cosine x shared-neighbour cosine)`, which keeps two claims about one topic
   but different events apart better than the cosine alone. Average linkage over that sparse graph
   (UPGMA; missing pairs count as 0) merges groups while their mean similarity is at least
   `threshold`. The threshold is chosen on Emergent headlines (see `scorer.evaluation.veracity`).
3. **Stance** of every report toward its group's claim (`StanceModel.predict_many`, one vectorised call).
4. **Independence.** Near-duplicate texts (hashed word 1-2-gram cosine >= `DUPLICATE_COSINE`: copies,
   syndicated wire text) are one voice; the reports of one organisation are one voice (bbc.com,
   www.bbc.co.uk and "BBC News" alike: `organisation`); a report that cites an outlet ("according to
   Reuters", "citing the Daily Mail", "(AP) -") joins that outlet's reports, and reports citing the
   same absent origin join each other; reports of unknown origin (no outlet, none cited) are one
   voice. Each independent voice counts once, at the reliability of its most reliable member (a
   citing report takes its origin's reliability).
5. **Veracity.** TruthFinder's idea (Yin, Han & Yu 2008) in log-odds: a voice of trustworthiness t
   adds `tau = -ln(1 - t)`, weighted by its stance probabilities, so independent confirmations add up
   and copies add nothing. The reliability-weighted for / observing / against sums (log1p), the
   share of reports citing unnamed sources and the share that hedge are the features of a logistic
   model (`rules/veracity_model.yaml`, `scorer.linear`);
   each feature's `weight x value` is the explanation. Outlet reliability is the Lin et al. (2023)
   pc1 rating of `data/outlets.csv`; outlets it does not rate take the model's learned default.

`fit_veracity_model` fits the model on Emergent (claims labelled true or false) with stances
predicted out of fold, so the model learns from the stance errors it will meet.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import regex
from scipy import sparse

from scorer.errors import InputError, RuleError
from scorer.linear import Contribution, LinearModel, sha256_of
from scorer.rulebook import RULES_DIR
from scorer.sourcing import OutletTable, outlet_table
from scorer.stance_detection import STANCE_LABELS, StanceFeaturizer, StanceModel, default_stance_model

MODEL_PATH = RULES_DIR / "veracity_model.yaml"
MODEL_NAME = "veracity"

CLAIM_COLUMNS: tuple[str, ...] = (
    "group_id", "claim", "reports", "independent_reports", "for", "observing", "against", "outlets",
    "veracity", "explanation",
)
REPORT_COLUMNS: tuple[str, ...] = ("group_id", "stance", "stance_confidence")
# The number of independent voices is reported, not a feature: fitted, it took a negative weight
# (many reports, few confirmations: rumours), so one more confirming voice could lower a claim's
# veracity (0.626 with two, 0.598 with three). Without it (and with this stop's stance rules) the CV
# AUC on Emergent claims (`scorer evaluate --corpus veracity`) moved within its noise: 0.914 -> 0.908
# with predicted stances, 0.944 -> 0.942 with gold ones, intervals about +-0.05; and a confirming
# voice only ever adds.
FEATURES: tuple[str, ...] = (
    "for_weighted", "observing_weighted", "against_weighted", "unnamed_share", "hedge_share",
)

# A one-line text this short is a headline: its own claim (analyze finds no sentence in most headlines).
HEADLINE_MAX_CHARS = 300
# Grouping defaults; the model file's `params.grouping` overrides them (the threshold is chosen on data).
NEIGHBOURS = 16
NEIGHBOUR_FLOOR = 0.05
DEFAULT_THRESHOLD = 0.1
# Near-duplicates: cosine of hashed, binary word 1-2-grams.
DUPLICATE_COSINE = 0.8
# Reliability is capped below 1 so that tau = -ln(1 - t) stays finite (reuters.com rates 1.0).
RELIABILITY_CAP = 0.95
# Stance cue labels read as "hedged" and as "unnamed sourcing" for a headline-sized report.
HEDGE_LABELS = frozenset({"hedge", "rumour"})
UNNAMED_LABELS = frozenset({"source"})
# Rows per block when searching neighbours, and pairs per block when scoring pairs (memory bound).
_BLOCK_ROWS = 2000
_BLOCK_PAIRS = 200_000

# The cue words in any case, the outlet's name capitalised: read without case, "according to the
# local police" cited thelocal.de ("The Local") and "the independent inspector" The Independent.
_CITE = regex.compile(
    r"\b(?i:according\s+to|citing|cites|cited\s+by|via|reports?|reported\s+by|reporting\s+by|quoted\s+by|"
    r"first\s+reported\s+by|as\s+reported\s+by|per)\s+"
    r"((?:(?i:the)\s+)?[\p{Lu}\d][\w&.'’\-]*(?:\s+[\p{Lu}][\w&.'’\-]*){0,4})",
)
# Wire credits: "(Reuters) -", "(AP)", "LONDON (AFP) -".
_WIRE = regex.compile(r"\((Reuters|AP|AFP|Associated Press|Bloomberg|UPI|dpa|PA)\)")
_WIRE_DOMAINS = {"reuters": "reuters.com", "ap": "apnews.com", "associated press": "apnews.com",
                 "afp": "afp.com", "bloomberg": "bloomberg.com", "upi": "upi.com", "dpa": "dpa.com",
                 "pa": "pa.media"}


# -- results ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Veracity:
    """The probability that a claim is true, with the features and contributions behind it."""

    probability: float
    features: Mapping[str, float]
    contributions: tuple[Contribution, ...]

    def explanation(self) -> str:
        """`signal=value: contribution` terms in log-odds, largest first, then the intercept."""
        terms = [f"{c.feature}={c.value:.2f}: {c.contribution:+.2f}" for c in self.contributions
                 if c.feature != "(intercept)"]
        bias = next(c.contribution for c in self.contributions if c.feature == "(intercept)")
        return "; ".join(terms + [f"(intercept) {bias:+.2f}", f"veracity {self.probability:.2f}"])


@dataclass(frozen=True)
class Corroboration:
    """`claims`: one row per group (CLAIM_COLUMNS); `reports`: the input rows, in order, with
    REPORT_COLUMNS added."""

    claims: pd.DataFrame
    reports: pd.DataFrame


# -- the model ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class VeracityModel:
    """The logistic model plus what it was fitted with: the learned prior of unrated outlets and the
    grouping parameters."""

    model: LinearModel
    unknown_prior: float
    threshold: float = DEFAULT_THRESHOLD
    neighbours: int = NEIGHBOURS

    def __post_init__(self) -> None:
        if tuple(self.model.features) != FEATURES:
            raise RuleError(f"veracity model features {list(self.model.features)} are not {list(FEATURES)}; "
                            f"refit it with `scorer train-veracity`")
        if not 0.0 <= self.unknown_prior <= 1.0:
            raise RuleError(f"veracity model: unknown_prior {self.unknown_prior} is not in [0, 1]")

    @classmethod
    def from_linear(cls, model: LinearModel) -> VeracityModel:
        params = model.meta.get("params") or {}
        grouping = params.get("grouping") or {}
        if "unknown_prior" not in params:
            raise RuleError(f"veracity model {model.name!r}: params.unknown_prior is missing")
        return cls(model, float(params["unknown_prior"]), float(grouping.get("threshold", DEFAULT_THRESHOLD)),
                   int(grouping.get("neighbours", NEIGHBOURS)))

    def score(self, features: np.ndarray) -> np.ndarray:
        """Probability of `true` for each row of a (groups x FEATURES) matrix."""
        return self.model.predict_proba(np.atleast_2d(features))[:, 1]

    def explain(self, x: Sequence[float] | np.ndarray) -> Veracity:
        p = float(self.score(np.asarray(x, dtype=float))[0])
        terms = sorted(self.model.contributions([float(v) for v in x]),
                       key=lambda c: (-abs(c.contribution), c.feature))
        bias = float(self.model.intercept[0])
        terms.append(Contribution("(intercept)", 1.0, bias, bias))
        return Veracity(p, dict(zip(FEATURES, (float(v) for v in x), strict=True)), tuple(terms))


@lru_cache(maxsize=2)
def _cached_model(path: str, mtime: int) -> VeracityModel:
    return VeracityModel.from_linear(LinearModel.load(path))


def default_veracity_model(path: str | Path = MODEL_PATH) -> VeracityModel:
    """The veracity model, loaded once per process (reloaded when the file changes)."""
    path = Path(path)
    try:
        mtime = path.stat().st_mtime_ns
    except OSError as exc:
        raise RuleError(f"{path}: not found; rebuild it with `scorer train-veracity`") from exc
    return _cached_model(str(path.resolve()), mtime)


# -- text helpers -------------------------------------------------------------------------------
def is_headline(text: str) -> bool:
    """One line of at most HEADLINE_MAX_CHARS: a headline-sized report, its own claim."""
    stripped = text.strip()
    return len(stripped) <= HEADLINE_MAX_CHARS and "\n" not in stripped


def outlet_key(outlet: str | None, table: OutletTable | None = None) -> str:
    """An outlet as a comparable key: lower case, no scheme, path or `www.`; a name the outlet
    table knows ("BBC News") as its domain."""
    if not outlet:
        return ""
    domain = table.domain_of(outlet) if table is not None else None
    if domain:
        return domain
    key = regex.sub(r"^[a-z]+://", "", outlet.strip().lower()).split("/")[0]
    key = regex.sub(r"^.*@|:\d*$", "", key).rstrip(".")  # a user, a port, a root dot, as prior_of reads
    return key.removeprefix("www.")


# Second-level labels under a country ending that a registered name sits below (bbc.co.uk, abc.net.au).
_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "ac", "gov", "edu", "ne", "or", "gv"})


def organisation(key: str) -> str:
    """The organisation behind an outlet key, as one voice: its registered name without sub-domains
    or ending (bbc.co.uk, bbc.com and news.bbc.co.uk -> "bbc"; uk.reuters.com -> "reuters"). Two
    organisations that share a name under different endings (independent.co.uk, independent.ie)
    become one voice: too few independent reports rather than too many."""
    if "." not in key or " " in key:
        return key  # a name, not a domain: "St. Louis Post-Dispatch" is not "st"
    labels = key.split(".")
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL:
        return labels[-3]
    return labels[-2] if len(labels) >= 2 else key


def cited_outlet(text: str, table: OutletTable) -> str | None:
    """The outlet a report says it takes the story from ("according to Reuters", "(AP) -"), as a domain."""
    m = _WIRE.search(text)
    if m:
        return _WIRE_DOMAINS.get(m.group(1).lower())
    for m in _CITE.finditer(text):
        words = m.group(1).split()
        for end in range(len(words), 0, -1):  # the longest prefix that names an outlet
            phrase = " ".join(words[:end]).rstrip(".,;:'’")
            bare = regex.sub(r"(?i)^the\s+", "", phrase)
            for candidate in (phrase, bare, "the " + bare):
                domain = table.domain_of(candidate)
                if domain:
                    return domain
            wire = _WIRE_DOMAINS.get(bare.lower())
            if wire:
                return wire
    return None


# -- vectors and grouping -------------------------------------------------------------------------
def claim_vectors(
    texts: Sequence[str], featurizer: StanceFeaturizer
) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
    """(combined, words): L2-normalised TF-IDF of content-word stems plus character 3-5-grams, and the
    word part alone (used to find candidate neighbours)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    n = len(texts)
    stems = [[s for _, _, s in featurizer.content_stems(t) if s] for t in texts]
    try:
        words = TfidfVectorizer(analyzer=lambda i: stems[i], sublinear_tf=True).fit_transform(range(n))
    except ValueError:  # no content word anywhere
        words = sparse.csr_matrix((n, 1))
    try:
        chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=2,
                                dtype=np.float32).fit_transform(texts)
    except ValueError:  # fewer than two texts share any n-gram
        chars = sparse.csr_matrix((n, 1))
    combined = normalize(sparse.hstack([words, chars], format="csr").astype(np.float32))
    return combined, sparse.csr_matrix(words, dtype=np.float32)


def _pair_dots(X: sparse.csr_matrix, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    out = np.empty(len(i), dtype=np.float64)
    for s in range(0, len(i), _BLOCK_PAIRS):
        a, b = i[s:s + _BLOCK_PAIRS], j[s:s + _BLOCK_PAIRS]
        out[s:s + len(a)] = np.asarray(X[a].multiply(X[b]).sum(axis=1)).ravel()
    return out


def neighbour_pairs(
    X: sparse.csr_matrix, words: sparse.csr_matrix, neighbours: int = NEIGHBOURS,
    floor: float = NEIGHBOUR_FLOOR,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs (i < j) and their similarity `sqrt(cos x shared-neighbour cos)` over the k-NN graph.

    Candidates are the 3k rows sharing most word weight (a word in more than max(1000, 1%) of the
    texts is too common to find neighbours by, and is skipped for this step only); the k with the
    highest full cosine, at least `floor`, are kept.
    """
    n = X.shape[0]
    if n < 2:
        return np.zeros(0, int), np.zeros(0, int), np.zeros(0)
    df = np.bincount(words.indices, minlength=words.shape[1])
    common = df > max(1000, n // 100)
    W = words @ sparse.diags((~common).astype(np.float32)) if common.any() else words
    W = sparse.csr_matrix(W)
    WT = W.T.tocsr()
    rows, cols = [], []
    width = 3 * neighbours
    for start in range(0, n, _BLOCK_ROWS):
        P = (W[start:start + _BLOCK_ROWS] @ WT).tocsr()
        for r in range(P.shape[0]):
            lo, hi = P.indptr[r], P.indptr[r + 1]
            idx, val = P.indices[lo:hi], P.data[lo:hi]
            keep = idx != start + r
            idx, val = idx[keep], val[keep]
            if len(idx) > width:
                top = np.argpartition(-val, width)[:width]
                idx = idx[top]
            rows.append(np.full(len(idx), start + r, dtype=np.int64))
            cols.append(idx.astype(np.int64))
    i = np.concatenate(rows) if rows else np.zeros(0, np.int64)
    j = np.concatenate(cols) if cols else np.zeros(0, np.int64)
    sim = _pair_dots(X, i, j)
    # Keep each row's k most similar candidates at or above the floor.
    order = np.lexsort((j, -sim, i))
    i, j, sim = i[order], j[order], sim[order]
    rank = np.arange(len(i)) - np.searchsorted(i, i, side="left")
    keep = (rank < neighbours) & (sim >= floor)
    A = sparse.coo_matrix((sim[keep], (i[keep], j[keep])), shape=(n, n)).tocsr()
    A = A.maximum(A.T).tocsr()
    A.setdiag(1.0)
    from sklearn.preprocessing import normalize

    An = normalize(A)
    upper = sparse.triu(A, k=1).tocoo()
    pi, pj, cos = upper.row.astype(np.int64), upper.col.astype(np.int64), upper.data.astype(np.float64)
    shared = _pair_dots(An, pi, pj)
    return pi, pj, np.sqrt(np.clip(cos * shared, 0.0, None))


def average_linkage(n: int, i: np.ndarray, j: np.ndarray, sim: np.ndarray, threshold: float) -> np.ndarray:
    """UPGMA over a sparse similarity graph: merge the two groups with the highest mean pairwise
    similarity (absent pairs count 0) while it is at least `threshold`. Labels 0.. in order of first
    member; deterministic (ties go to the lower ids)."""
    adj: list[dict[int, float] | None] = [{} for _ in range(n)]
    for a, b, v in zip(i.tolist(), j.tolist(), sim.tolist(), strict=True):
        if a == b:
            continue
        da, db = adj[a], adj[b]
        assert da is not None and db is not None
        da[b] = da.get(b, 0.0) + v
        db[a] = db.get(a, 0.0) + v
    size = [1] * n
    version = [0] * n
    parent = list(range(n))
    heap = [(-v, a, b, 0, 0) for a in range(n) for b, v in (adj[a] or {}).items() if a < b]
    heapq.heapify(heap)
    while heap:
        neg, a, b, va, vb = heapq.heappop(heap)
        if -neg < threshold:
            break
        if version[a] != va or version[b] != vb or adj[a] is None or adj[b] is None:
            continue
        big, small = (a, b) if len(adj[a] or {}) >= len(adj[b] or {}) else (b, a)
        dbig, dsmall = adj[big], adj[small]
        assert dbig is not None and dsmall is not None
        for c, v in dsmall.items():
            if c == big:
                continue
            dc = adj[c]
            assert dc is not None
            dbig[c] = dbig.get(c, 0.0) + v
            dc[big] = dc.get(big, 0.0) + v
            del dc[small]
        dbig.pop(small, None)
        adj[small] = None
        parent[small] = big
        size[big] += size[small]
        version[big] += 1
        version[small] += 1
        for c, v in dbig.items():
            lo, hi = (big, c) if big < c else (c, big)
            heapq.heappush(heap, (-v / (size[big] * size[c]), lo, hi, version[lo], version[hi]))
    return _relabel(_roots(parent))


def _roots(parent: list[int]) -> np.ndarray:
    return np.asarray([_find(parent, x) for x in range(len(parent))], dtype=np.int64)


def _relabel(labels: np.ndarray) -> np.ndarray:
    """Labels 0.. in order of first appearance."""
    _, first, inverse = np.unique(labels, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    return rank[inverse]


def group_texts(
    texts: Sequence[str], threshold: float = DEFAULT_THRESHOLD, neighbours: int = NEIGHBOURS,
    featurizer: StanceFeaturizer | None = None,
) -> np.ndarray:
    """Group labels (0.., in order of first appearance) for claim texts: the same claim in many outlets
    becomes one group."""
    if not texts:
        return np.zeros(0, dtype=np.int64)
    return _grouped(texts, threshold, neighbours, featurizer or default_stance_model().featurizer)[0]


def _grouped(texts: Sequence[str], threshold: float, neighbours: int,
             featurizer: StanceFeaturizer) -> tuple[np.ndarray, sparse.csr_matrix]:
    """`group_texts`' labels, and each text's claim vector (a copy's is its original's)."""
    distinct, copy_of = distinct_texts(texts)
    X, words = claim_vectors(distinct, featurizer)
    i, j, sim = neighbour_pairs(X, words, neighbours)
    return _relabel(average_linkage(len(distinct), i, j, sim, threshold)[copy_of]), X[copy_of]


def distinct_texts(texts: Sequence[str]) -> tuple[list[str], np.ndarray]:
    """The distinct texts among `texts` (compared without case, spacing or a copy's furniture) and,
    for each text, the index of its distinct one. Copies are grouped as one point: five outlets'
    copies of every headline filled each other's neighbour lists, so that related headlines found
    no shared neighbours (Emergent headlines each given five times: ARI 0.82 -> 0.45)."""
    index: dict[str, int] = {}
    distinct: list[str] = []
    copy_of = np.empty(len(texts), dtype=np.int64)
    for r, text in enumerate(texts):
        key = " ".join(_without_furniture(text).lower().split())
        if key not in index:
            index[key] = len(distinct)
            distinct.append(text)
        copy_of[r] = index[key]
    return distinct, copy_of


# -- independence ---------------------------------------------------------------------------------
# A copy's own furniture: a site name after a bar ("... | Daily Mail Online") or after a dash when it is
# capitalised words ("... - The Guardian", not "... — Kremlin denies"), a wire's "UPDATE 2-" before the
# headline. Left on, a
# verbatim copy fell below DUPLICATE_COSINE and counted as a second voice.
_SITE_SUFFIX = regex.compile(
    r"\s+(?:\|\s+[^|\n]{1,60}|[-–—]\s+(?:[\p{Lu}\d][\w.&'’-]*\s*){1,4})\s*$")
_WIRE_PREFIX = regex.compile(r"^\s*(?:UPDATE\s*\d*|CORRECTED|REFILE|EXCLUSIVE)\s*[-:]\s*")


def _without_furniture(text: str) -> str:
    return _SITE_SUFFIX.sub("", _WIRE_PREFIX.sub("", text))


def _duplicate_vectors(texts: Sequence[str]) -> sparse.csr_matrix:
    from sklearn.feature_extraction.text import HashingVectorizer

    n_features = 2**20
    if not texts:  # the vectorizer cannot transform nothing
        return sparse.csr_matrix((0, n_features), dtype=np.float32)
    vec = HashingVectorizer(ngram_range=(1, 2), binary=True, alternate_sign=False, norm="l2",
                            n_features=n_features, dtype=np.float32)
    return vec.transform([_without_furniture(t) for t in texts]).tocsr()


def _union(parent: list[int], a: int, b: int) -> None:
    ra, rb = _find(parent, a), _find(parent, b)
    if ra != rb:
        parent[max(ra, rb)] = min(ra, rb)


def _find(parent: list[int], x: int) -> int:
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


def independent_units(
    texts: Sequence[str], outlets: Sequence[str], cited: Sequence[str | None],
    vectors: sparse.csr_matrix | None = None,
) -> np.ndarray:
    """Labels 0.. of the independent voices among the reports of one group (`outlets` as
    `outlet_key`s, `cited` as domains): near-duplicates are one voice; the reports of one
    organisation are one voice (`organisation`: bbc.com, www.bbc.co.uk); a report citing outlet X
    joins X's reports (or the other reports citing X); the reports of unknown origin (no outlet, no
    outlet cited) are one voice, as nothing shows that they are several."""
    m = len(texts)
    parent = list(range(m))
    if m > 1:
        V = vectors if vectors is not None else _duplicate_vectors(texts)
        for start in range(0, m, _BLOCK_ROWS):
            S = (V[start:start + _BLOCK_ROWS] @ V.T).tocoo()
            hit = (S.data >= DUPLICATE_COSINE) & (S.row + start < S.col)
            for a, b in zip((S.row[hit] + start).tolist(), S.col[hit].tolist(), strict=True):
                _union(parent, a, b)
    own = [organisation(key) if key else "" for key in outlets]
    by_outlet: dict[str, int] = {}
    for r, key in enumerate(own):
        if key:
            _union(parent, r, by_outlet.setdefault(key, r))
    origin: dict[str, int] = {}
    for r, cited_domain in enumerate(cited):
        domain = organisation(cited_domain) if cited_domain else ""
        if not domain or domain == own[r]:
            continue
        if domain in by_outlet:
            _union(parent, r, by_outlet[domain])
        elif domain in origin:
            _union(parent, r, origin[domain])
        else:
            origin[domain] = r
    # Last, the voices of unknown origin (no report of theirs names or cites an outlet) are one:
    # joined earlier, a copy of a BBC story and a copy of a CNN one, both without an outlet, made
    # BBC and CNN one voice through them.
    known = {_find(parent, r) for r in range(m) if own[r] or cited[r]}
    unknown = [r for r in range(m) if _find(parent, r) not in known]
    for r in unknown[1:]:
        _union(parent, unknown[0], r)
    return _relabel(np.asarray([_find(parent, r) for r in range(m)], dtype=np.int64))


# -- features -----------------------------------------------------------------------------------
def reliability_weight(prior: np.ndarray) -> np.ndarray:
    """TruthFinder's trustworthiness score: tau = -ln(1 - t), t capped at RELIABILITY_CAP."""
    return -np.log1p(-np.clip(prior, 0.0, RELIABILITY_CAP))


def group_features(
    proba: np.ndarray, units: np.ndarray, prior: np.ndarray, hedged: np.ndarray, unnamed: np.ndarray
) -> np.ndarray:
    """FEATURES of one group from its reports: stance probabilities (m x 3, STANCE_LABELS order), the
    independent-voice label of each report, each report's reliability (its origin's, when it cites
    one), and each report's hedge and unnamed-sourcing share in [0, 1]."""
    k = int(units.max()) + 1
    counts = np.bincount(units, minlength=k).astype(float)
    sums = np.vstack([np.bincount(units, weights=proba[:, c], minlength=k) for c in range(3)]).T
    p_unit = sums / counts[:, None]
    best = np.full(k, -1.0)
    np.maximum.at(best, units, prior)
    weighted = reliability_weight(best) @ p_unit
    return np.array([
        math.log1p(weighted[0]), math.log1p(weighted[1]), math.log1p(weighted[2]),
        float(np.mean(unnamed)), float(np.mean(hedged)),
    ])


@dataclass(frozen=True)
class GroupEvidence:
    """What the features of one group are made from, before outlet priors are looked up (so the
    learned default for unrated outlets can be refitted without recomputing anything else)."""

    proba: np.ndarray
    units: np.ndarray
    rated_prior: np.ndarray  # the rating of each report's outlet (or origin), NaN when unrated
    hedged: np.ndarray
    unnamed: np.ndarray

    def features(self, unknown_prior: float) -> np.ndarray:
        prior = np.where(np.isnan(self.rated_prior), unknown_prior, self.rated_prior)
        return group_features(self.proba, self.units, prior, self.hedged, self.unnamed)


def _rated(table: OutletTable, outlet: str | None) -> float:
    prior, known = table.prior_of(outlet)
    return prior if known else float("nan")


# -- the command's engine -------------------------------------------------------------------------
@dataclass
class _Row:
    claims: list[str]  # claim texts found in the report (one for a headline)
    hedged: float = 0.0
    unnamed: float = 0.0


def _read_report(text: str, outlet: str, stance_model: StanceModel, extract: bool) -> _Row:
    """Claims (when `extract`), hedge and unnamed-sourcing shares of one report; an article runs
    through `analyze`, a headline through the stance cues."""
    if not text.strip():
        return _Row([])
    if is_headline(text):
        labels = {c.label for c in stance_model.featurizer.cues(text)}
        return _Row([text.strip()] if extract else [], float(bool(labels & HEDGE_LABELS)),
                    float(bool(labels & UNNAMED_LABELS)))
    from scorer import analyze

    report = analyze(text, outlet=outlet or None)
    summary = report.summary()
    claims = [c.span.text for c in report.claims] if extract else []
    return _Row(claims, float(summary["hedged_share"] or 0.0), float(summary["unnamed_share"] or 0.0))


def _as_read(text: str) -> str:
    """A report as its reader sees it: a saved web page's text without its markup (at the same
    length), so that a menu's "Hoax watch" is no denial and a tag no part of a claim."""
    from scorer.pipeline import working_text

    working, page = working_text(text)  # one look for markup, not a second in reads_as_page
    return working if page else text


# The longest claim taken from an article's opening when its group's claim comes from its reports.
CLAIM_MAX_CHARS = HEADLINE_MAX_CHARS


def claim_of_report(text: str) -> str:
    """The claim a report stands for: a headline is its own; an article's is its headline (its first
    line, when short) or else its first sentence, not the whole article (every stance in the group
    was measured against 3,000 characters)."""
    stripped = text.strip()
    if is_headline(stripped):
        return " ".join(stripped.split())
    first = stripped.split("\n", 1)[0].strip()
    if len(first) <= CLAIM_MAX_CHARS:
        return " ".join(first.split())
    # A sentence's end after a lower-case word: "Dr." and "U.S." end none.
    m = regex.search(r"(?<=\b\p{Ll}{2,}[.!?])[\"”’)]*\s", first)
    cut = m.end() if m and m.end() <= CLAIM_MAX_CHARS else first.rfind(" ", 0, CLAIM_MAX_CHARS)
    return " ".join(first[:cut if cut > 0 else CLAIM_MAX_CHARS].split())


def _central(
    members: Sequence[int], X: sparse.csr_matrix, texts: Sequence[str], featurizer: StanceFeaturizer
) -> int:
    """The member most similar to the rest, preferring one with no denial, doubt, negation or question cue."""
    if len(members) == 1:
        return members[0]
    Xg = X[list(members)]
    centrality = np.asarray(Xg @ np.asarray(Xg.sum(axis=0)).ravel()).ravel()
    order = np.argsort(-centrality, kind="stable")
    framing = {"denial", "doubt", "negation", "negated_predicate", "question", "correction"}
    for k in order[:5]:
        if not {c.label for c in featurizer.cues(texts[members[k]])} & framing:
            return members[k]
    return members[int(order[0])]


def corroborate(
    frame: pd.DataFrame,
    text_column: str = "text",
    outlet_column: str | None = "outlet",
    claim_column: str | None = None,
    group_column: str | None = None,
    model: VeracityModel | None = None,
    stance_model: StanceModel | None = None,
    table: OutletTable | None = None,
) -> Corroboration:
    """Group, stance and score the reports of `frame` (one report per row). See the module doc."""
    if claim_column and group_column:
        raise InputError("give a claim column or a group column, not both")
    for name, col in (("text", text_column), ("outlet", outlet_column), ("claim", claim_column),
                      ("group", group_column)):
        if col is not None and col not in frame.columns:
            raise InputError(f"{name} column {col!r} not in the input; columns are {list(frame.columns)}")
    model = model or default_veracity_model()
    stance_model = stance_model or default_stance_model()
    table = table or outlet_table()
    featurizer = stance_model.featurizer
    n = len(frame)
    texts = [_as_read(_report_text(v)) for v in frame[text_column]]
    outlets = [_text(v).strip() for v in frame[outlet_column]] if outlet_column else [""] * n
    keys = [outlet_key(o, table) for o in outlets]
    extract = claim_column is None and group_column is None
    rows = [_read_report(t, o, stance_model, extract) for t, o in zip(texts, outlets, strict=True)]

    # 1-2. each report's group (-1: no claim) and each group's claim
    group = np.full(n, -1, dtype=np.int64)
    group_claim: list[str] = []
    if claim_column is not None:
        ids: dict[str, int] = {}
        for r, value in enumerate(frame[claim_column]):
            claim = _report_text(value).strip()
            if claim and texts[r].strip():
                # One claim however it is cased or spaced, with or without its full stop.
                group[r] = ids.setdefault(" ".join(claim.lower().split()).rstrip("."), len(ids))
                if group[r] == len(group_claim):
                    group_claim.append(claim)
    elif group_column is not None:
        ids = {}
        for r, value in enumerate(frame[group_column]):
            key = _text(value).strip()
            if key and texts[r].strip():
                group[r] = ids.setdefault(key, len(ids))
        members = _members(group, len(ids))
        if ids:
            X, _ = claim_vectors(texts, featurizer)
            group_claim = [claim_of_report(texts[_central(m, X, texts, featurizer)]) for m in members]
    else:
        owner = [r for r, row in enumerate(rows) for _ in row.claims]
        claim_texts = [c for row in rows for c in row.claims]
        if claim_texts:
            labels, X = _grouped(claim_texts, model.threshold, model.neighbours, featurizer)
            sizes = np.bincount(labels)
            # A report with several claims belongs to the group of its most widely reported one.
            best: dict[int, int] = {}
            for c, r in enumerate(owner):
                if r not in best or sizes[labels[c]] > sizes[labels[best[r]]]:
                    best[r] = c
            chosen = _relabel(np.asarray([labels[best[r]] for r in sorted(best)]))
            for r, g in zip(sorted(best), chosen.tolist(), strict=True):
                group[r] = g
            # The group's claim: the most central of its members' chosen claims.
            members = _members(group, int(group.max()) + 1 if (group >= 0).any() else 0)
            group_claim = [claim_texts[_central([best[r] for r in m], X, claim_texts, featurizer)].strip()
                           for m in members]
    # Rows without a claim: a group each, numbered after their position.
    ngroups = len(group_claim)
    for r in range(n):
        if group[r] < 0:
            group[r] = ngroups
            group_claim.append("")
            ngroups += 1
    order = _relabel(group)  # group ids in order of first appearance
    remap = np.empty(ngroups, dtype=np.int64)
    remap[group] = order
    group_claim = [c for _, c in sorted(zip(remap.tolist(), group_claim, strict=True))]
    group = order

    # 3. stances toward the group's claim, one vectorised call
    has_claim = np.array([bool(group_claim[g]) for g in group])
    pairs = [(group_claim[g], texts[r]) for r, g in enumerate(group) if has_claim[r]]
    stances = stance_model.predict_many(pairs, explain=False) if pairs else []
    proba = np.zeros((n, 3))
    label = np.array([""] * n, dtype=object)
    confidence = np.full(n, np.nan)
    for r, s in zip(np.flatnonzero(has_claim).tolist(), stances, strict=True):
        proba[r] = [s.probabilities[lab] for lab in STANCE_LABELS]
        label[r] = s.label
        confidence[r] = s.probabilities[s.label]

    # Why a row stands alone: what the user gave it, or what its text yielded.
    no_claim = (f"no claim in column {claim_column!r}, or no text" if claim_column is not None
                else f"no group in column {group_column!r}, or no text" if group_column is not None
                else "no claim found in the report")
    # 4-5. independence and veracity per group
    cited = [cited_outlet(t, table) for t in texts]
    rated = np.array([_rated(table, cited[r] or keys[r]) for r in range(n)])
    dup = _duplicate_vectors(texts)
    hedged = np.array([row.hedged for row in rows])
    unnamed = np.array([row.unnamed for row in rows])
    claim_rows = []
    for g, in_group in enumerate(_members(group, ngroups)):
        idx = np.asarray(in_group)
        units = independent_units([texts[m] for m in in_group], [keys[m] for m in in_group],
                                  [cited[m] for m in in_group], dup[idx])
        seen: dict[str, str] = {}
        for m in in_group:
            if keys[m] and keys[m] not in seen:
                prior, known = table.prior_of(keys[m])
                seen[keys[m]] = (f"{keys[m]}={prior:.2f}" if known
                                 else f"{keys[m]}={model.unknown_prior:.2f} (unrated)")
        out: dict[str, Any] = {
            "group_id": f"g{g + 1}", "claim": group_claim[g], "reports": len(in_group),
            "independent_reports": int(units.max()) + 1,
            "for": int(sum(label[m] == "for" for m in in_group)),
            "observing": int(sum(label[m] == "observing" for m in in_group)),
            "against": int(sum(label[m] == "against" for m in in_group)),
            "outlets": "; ".join(seen.values()),
        }
        if group_claim[g]:
            evidence = GroupEvidence(proba[idx], units, rated[idx], hedged[idx], unnamed[idx])
            v = model.explain(evidence.features(model.unknown_prior))
            out["veracity"] = round(v.probability, 4)
            out["explanation"] = v.explanation()
        else:
            out["veracity"] = np.nan
            out["explanation"] = no_claim
        claim_rows.append(out)
    claims = pd.DataFrame(claim_rows, columns=list(CLAIM_COLUMNS))
    reports = frame.copy()
    reports["group_id"] = [f"g{g + 1}" for g in group]
    reports["stance"] = label
    reports["stance_confidence"] = np.round(confidence, 4)
    return Corroboration(claims, reports)


def _members(group: np.ndarray, k: int) -> list[list[int]]:
    out: list[list[int]] = [[] for _ in range(k)]
    for r, g in enumerate(group.tolist()):
        if g >= 0:
            out[g].append(r)
    return out


def _text(value: Any) -> str:
    """A cell as text: a missing one (None, NaN, pandas' NA) as none; a number as written (a story
    id 12345 stays one)."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def _report_text(value: Any) -> str:
    """A report's text or a claim: a string, or none. Read with str(), pandas' NA became the claim
    "<NA>" and bytes "b'...'", each scored (`score_frame` fails such rows as not text)."""
    return value if isinstance(value, str) else ""


# -- fitting on Emergent ----------------------------------------------------------------------------
TRUTH_LABELS = ("false", "true")
UNKNOWN_PRIOR_GRID = tuple(round(x, 2) for x in np.arange(0.0, 1.0001, 0.05))
DEFAULT_C = 1.0


def emergent_evidence(
    frame: pd.DataFrame, proba: np.ndarray, featurizer: StanceFeaturizer | None = None,
    table: OutletTable | None = None,
) -> tuple[list[str], list[GroupEvidence]]:
    """(claim ids, evidence per claim) for an Emergent frame whose rows have stance probabilities
    `proba` (n x 3, STANCE_LABELS order): each claim is a group of headlines, as with `--claim-column`."""
    featurizer = featurizer or default_stance_model().featurizer
    table = table or outlet_table()
    texts = frame["articleHeadline"].tolist()
    keys = [outlet_key(s, table) for s in frame["source"]]
    cited = [cited_outlet(t, table) for t in texts]
    labels = [{c.label for c in featurizer.cues(t)} for t in texts]
    hedged = np.array([float(bool(x & HEDGE_LABELS)) for x in labels])
    unnamed = np.array([float(bool(x & UNNAMED_LABELS)) for x in labels])
    rated = np.array([_rated(table, cited[r] or keys[r]) for r in range(len(texts))])
    dup = _duplicate_vectors(texts)
    ids, evidence = [], []
    for claim_id, idx in frame.groupby("claimId", sort=False).indices.items():
        idx = np.asarray(idx)
        units = independent_units([texts[r] for r in idx], [keys[r] for r in idx], [cited[r] for r in idx],
                                  dup[idx])
        ids.append(str(claim_id))
        evidence.append(GroupEvidence(np.asarray(proba)[idx], units, rated[idx], hedged[idx], unnamed[idx]))
    return ids, evidence


def fit_estimator(X: np.ndarray, y: np.ndarray, C: float = DEFAULT_C) -> Any:
    """The logistic regression behind the model (lbfgs: deterministic)."""
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=C, max_iter=5000, tol=1e-8).fit(X, y)


def fit_unknown_prior(evidence: Sequence[GroupEvidence], y: np.ndarray, C: float = DEFAULT_C) -> float:
    """The reliability of unrated outlets that fits the training claims best (highest likelihood over
    UNKNOWN_PRIOR_GRID; ties to the lower value)."""
    from sklearn.metrics import log_loss

    best, best_loss = UNKNOWN_PRIOR_GRID[0], math.inf
    for d in UNKNOWN_PRIOR_GRID:
        X = np.vstack([e.features(d) for e in evidence])
        loss = log_loss(y, fit_estimator(X, y, C).predict_proba(X)[:, 1], labels=[0, 1])
        if loss < best_loss - 1e-9:
            best, best_loss = d, loss
    return float(best)


def fit_veracity(evidence: Sequence[GroupEvidence], y: np.ndarray, C: float = DEFAULT_C) -> tuple[Any, float]:
    """(estimator, unknown_prior) fitted on labelled groups (y: 1 true, 0 false)."""
    d = fit_unknown_prior(evidence, y, C)
    X = np.vstack([e.features(d) for e in evidence])
    return fit_estimator(X, y, C), d


def fit_veracity_model(
    csv_path: str | Path | None = None,
    out_path: str | Path | None = None,
    *,
    C: float = DEFAULT_C,
    folds: int = 5,
    seed: int = 0,
    bootstrap: int = 2000,
    grouping: Mapping[str, Any] | None = None,
) -> VeracityModel:
    """Fit the veracity model on Emergent (emergent_train.csv) and write it as text to `out_path`.

    Stances are predicted out of fold (the model learns from the stance errors it will meet); claims
    labelled unknown are left out. The learned default for unrated outlets, the grouping threshold
    (chosen on Emergent headlines, `evaluate_grouping`, unless `grouping` gives the result of an
    earlier run) and the cross-validated AUCs are recorded in the file with the CSV's sha256.
    """
    from scorer.evaluation.emergent import EMERGENT_TRAIN, load_emergent, out_of_fold_stances
    from scorer.evaluation.veracity import evaluate_grouping, evaluate_veracity, predicted_proba

    csv_path = Path(csv_path or EMERGENT_TRAIN)
    frame = load_emergent(csv_path)
    stances = out_of_fold_stances(csv_path, folds=folds, seed=seed)
    ids, evidence = emergent_evidence(frame, predicted_proba(stances))
    truth = frame.groupby("claimId", sort=False)["claimTruth"].first()
    labels = np.array([truth[i] for i in ids])
    known = labels != "unknown"
    y = (labels[known] == "true").astype(int)
    estimator, unknown_prior = fit_veracity([e for e, k in zip(evidence, known, strict=True) if k], y, C)
    cv = evaluate_veracity(csv_path, folds=folds, seed=seed, C=C, bootstrap=bootstrap, stances=stances)
    grouping = dict(grouping) if grouping is not None else evaluate_grouping(csv_path)

    def auc(part: Mapping[str, Any]) -> dict[str, Any]:
        return {"auc": round(part["auc"], 4), "interval_95": [round(v, 4) for v in part["auc_interval"]]}

    linear = LinearModel.from_estimator(
        estimator, FEATURES, MODEL_NAME,
        training_data={
            "file": csv_path.name, "sha256": sha256_of([csv_path.read_bytes()]),
            "claims_true": int(y.sum()), "claims_false": int(len(y) - y.sum()),
            "claims_unknown_left_out": int((~known).sum()), "rows": int(len(frame)),
            "stances": "predicted out of fold by rules/stance_model.yaml's features (5 folds by claim)",
        },
        cv_metrics={
            "scheme": f"StratifiedKFold over labelled claims, {folds} folds, seed {seed}; "
                      f"bootstrap {bootstrap}",
            "predicted_stances": auc(cv["predicted_stances"]["model"]),
            "gold_stances": auc(cv["gold_stances"]["model"]),
            "baseline_for_minus_3_against_predicted":
                auc(cv["predicted_stances"]["baseline_for_minus_3_against"]),
            "baseline_for_minus_3_against_gold": auc(cv["gold_stances"]["baseline_for_minus_3_against"]),
            "grouping_ari_held_out_mean": round(grouping["held_out_ari"]["mean"], 4),
            "grouping_ari_full_data": round(grouping["full_data_ari"], 4),
        },
        params={
            "C": C, "solver": "lbfgs", "penalty": "l2",
            "unknown_prior": unknown_prior,
            "unknown_prior_fit": "maximum likelihood over a 0.05 grid in [0, 1] (ties to the lower value)",
            "reliability": f"tau = -ln(1 - min(pc1, {RELIABILITY_CAP})), data/outlets.csv (Lin et al. 2023)",
            "duplicate_cosine": DUPLICATE_COSINE,
            "grouping": {"threshold": float(grouping["threshold"]), "neighbours": NEIGHBOURS,
                         "floor": NEIGHBOUR_FLOOR,
                         "chosen_by": "best mean ARI over 10 half-splits of the Emergent claims "
                                      "(scorer.evaluation.veracity.evaluate_grouping)"},
        },
        notes="P(claim true) from cross-outlet reports; features built by scorer/corroborate.py",
    )
    model = VeracityModel.from_linear(linear)
    if out_path is not None:
        linear.save(out_path, header=(
            "Veracity model: probability that a claim reported across outlets is true.\n"
            "Logistic regression over reliability-weighted stance sums (TruthFinder's tau, log1p)\n"
            "of the independent voices, unnamed-sourcing and hedge shares. Written by\n"
            "`scorer train-veracity` on Emergent (Ferreira & Vlachos 2016);\n"
            "do not edit by hand, refit instead.\n"
            "contribution = weight * feature value, in log-odds of `true`."
        ))
    return model
