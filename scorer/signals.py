"""Step 5: hedge and contradiction signals, and which claims support or dispute which.

Hedges come from the hedge detector (`scorer/hedging.py`: rule cues, a logistic model decides).
Contradiction cues come from `rules/contradictions.yaml`. A claim that carries a contradiction cue
disputes the claim whose content best matches the cue's scope (the words after the cue: "did not
clarify whether <scope>", or before it for "<scope> is false"), by IDF-weighted coverage over the
article's claims; a cue with nothing to match ("It's nonsense", "fired back that ...") disputes
the claim before it, and a sentence that reports a claim with its dispute ("..., a claim X denies")
disputes itself. A flat denial or rebuttal by a cited source flags both sides. Support is the same
similarity seen the other way: a claim whose main point another claim, cited to a different
source, repeats.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import regex
import scipy.sparse as sp

from scorer.linear import LinearModel, load_for_features
from scorer.rulebook import RULES_DIR, RuleMatch, RuleSet, ruleset
from scorer.spans import Span, make_span
from scorer.tfidf import sublinear_tfidf_l2

CONTRADICTION_MIN_COVERAGE = 0.09
# Beyond the best match, every claim a cue's scope covers at least this well is disputed too.
CONTRADICTION_ALSO_COVERAGE = 0.25
# The author's own unattributed background is rarely what a doubt targets: such candidates count half.
UNATTRIBUTED_CANDIDATE_WEIGHT = 0.5
SUPPORT_MIN_SIMILARITY = 0.35
_STOP = frozenset(
    [
        "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "for", "with", "by", "from", "as",
        "that", "this", "these", "those", "is", "are", "was", "were", "be", "been", "being", "has", "have",
        "had", "do", "does", "did", "will", "would", "could", "should", "may", "might", "must", "can", "not",
        "no", "it", "its", "he", "she", "they", "his", "her", "their", "them", "we", "our", "you", "your",
        "i", "me", "my", "said", "says", "say", "told", "according", "also", "which", "who", "whom", "whose",
        "what", "when", "where", "while", "than", "then", "there", "here", "so", "if", "about", "into",
        "over", "after", "before", "such", "other", "another", "source", "sources",
    ]
)
_WORD = regex.compile(r"[\p{L}\p{N}]+(?:['’]\p{L}+)?", regex.UNICODE)


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    """A light suffix stripper: enough for "agree/agreed/agreeing" and "guarantee/guarantees"."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    for suffix in ("ingly", "edly", "ing", "ied", "ies", "ed", "es", "s", "e"):
        if len(w) - len(suffix) >= 3 and w.endswith(suffix):
            return w[: -len(suffix)]
    return w


def content_tokens(text: str) -> list[str]:
    return [_stem(w) for w in _WORD.findall(text) if w.lower() not in _STOP]


@lru_cache(maxsize=8192)
def content_document(text: str) -> str:
    """`content_terms` of a claim as one space-joined document. The link, coverage and
    disputing-claim steps all read each claim's document: it is made once per claim text."""
    return " ".join(content_terms(text))


def content_terms(text: str) -> list[str]:
    """Content words plus word pairs that hold one: "with Putin" tells "agreed upon with Putin" from
    "Russia's Vladimir Putin" where the single word cannot."""
    words = _WORD.findall(text)
    stems = [_stem(w) for w in words]
    content = [w.lower() not in _STOP for w in words]
    terms = [s for s, c in zip(stems, content, strict=True) if c]
    terms += [f"{stems[i]}_{stems[i + 1]}" for i in range(len(words) - 1) if content[i] or content[i + 1]]
    return terms


@dataclass(frozen=True)
class ContradictionLink:
    disputing: int  # claim index carrying the cue
    disputed: int  # claim index it disputes
    cue: RuleMatch
    similarity: float
    both_ways: bool


class ContradictionFinder:
    def __init__(self, rules: RuleSet | None = None) -> None:
        self.rules = rules or ruleset("contradictions")

    def cues(self, text: str, start: int, end: int) -> list[RuleMatch]:
        return self.rules.find_all(text, start, end)

    def link(
        self, text: str, claim_spans: Sequence[Span], cues_per_claim: Sequence[Sequence[RuleMatch]],
        attributed: Sequence[bool] | None = None, claim_ids: Sequence[Sequence[str]] | None = None,
    ) -> list[ContradictionLink]:
        """For each claim with a contradiction cue, the claim it disputes (if any is similar enough).

        Three cases do not go by content overlap. An `exchange` cue reports the claim and its
        dispute in one sentence ("alleges X, a claim that Y disputes"): the claim disputes itself.
        A cue with no object of its own after a demonstrative or pronoun ("This is a delusion",
        "It's nonsense", "he said he was joking") or naming the claim itself ("rejected both
        objections", "calling Trump's charge 'pathetic'"), and a rule marked `points_back` (an answer, "fired
        back that ..."; a retraction, "walked back his comments") point back: they dispute the
        nearest claim before their sentence, as their own words share little with it. An answer
        answers someone else: with `claim_ids`, the nearest claim citing none of its sources.
        """
        cue_claims = [i for i, cues in enumerate(cues_per_claim) if cues]
        if not cue_claims or len(claim_spans) < 2:
            return []
        documents = [content_document(s.text) for s in claim_spans]
        scopes = []
        pointing_back: set[int] = set()
        for i in cue_claims:
            cue = cues_per_claim[i][0]
            before = text[claim_spans[i].start:cue.start]
            if cue.attrs.get("scope") == "before":
                scope = make_span(text, claim_spans[i].start, cue.start)
                has_object = len(content_tokens(before)) >= 2
            else:
                scope = make_span(text, cue.end, claim_spans[i].end)
                has_object = scope is not None and len(content_tokens(_first_clause(scope.text))) >= 2
            if cue.attrs.get("points_back") or (not has_object and (
                    cue.attrs.get("names_claim") or _points_back(before))):
                pointing_back.add(i)
            scope_text = scope.text if scope and len(content_tokens(scope.text)) >= 2 else claim_spans[i].text
            scopes.append(content_document(scope_text))
        sims = _coverage(scopes, documents)
        if attributed is not None:
            sims = sims * np.where(np.asarray(attributed, dtype=bool), 1.0,
                                   UNATTRIBUTED_CANDIDATE_WEIGHT)[None, :]
        links: list[ContradictionLink] = []
        for row, i in enumerate(cue_claims):
            exchange = next((c for c in cues_per_claim[i] if c.label == "exchange"), None)
            if exchange is not None:
                links.append(ContradictionLink(i, i, exchange, 1.0, False))
                continue
            cue = cues_per_claim[i][0]
            # Claims sharing the cue claim's sentence are its own clauses, not what it disputes.
            own_sentence = {j for j, span in enumerate(claim_spans)
                            if j != i and span.intersects(claim_spans[i])}
            if i in pointing_back:
                # What a doubt points back at is a claim, not the doubt it elaborates ("This is a
                # delusion. It is a delusion because ..."); a claim reported with its dispute is a claim.
                earlier = [j for j in range(i) if j not in own_sentence and (
                    not cues_per_claim[j] or any(c.label == "exchange" for c in cues_per_claim[j]))]
                if claim_ids is not None and cue.label == "retraction":
                    # What is walked back is something someone said, not the author's background.
                    earlier = [j for j in earlier if claim_ids[j]] or earlier
                elif claim_ids is not None:
                    earlier = [j for j in earlier if not set(claim_ids[j]) & set(claim_ids[i])]
                if earlier:
                    j = earlier[-1]
                    both_ways = cue.label in BOTH_WAYS_LABELS
                    links.append(ContradictionLink(i, j, cue, float(sims[row, j]), both_ways))
                continue
            scores = sims[row].copy()
            scores[i] = -1.0
            for j in own_sentence:
                scores[j] = -1.0
            j = int(np.argmax(scores))
            if scores[j] >= CONTRADICTION_MIN_COVERAGE:
                links.append(ContradictionLink(i, j, cue, float(scores[j]), cue.label in BOTH_WAYS_LABELS))
                # A scope that covers several claims disputes each of them (a charge told twice).
                for k in np.flatnonzero(scores >= CONTRADICTION_ALSO_COVERAGE).tolist():
                    if k != j:
                        links.append(ContradictionLink(i, k, cue, float(scores[k]), False))
        return links


# Cue kinds that are one source's assertion against another's: both claims are contested
# (LABELLING.md "a report and a flat denial"). Doubts and refusals to confirm are one-sided.
BOTH_WAYS_LABELS = frozenset({"denial", "rebuttal"})
# What stands before a cue that points back at the previous sentence: nothing but a demonstrative
# or a pronoun subject ("This is", "It's", "That claim is", "Trump later said he").
_SAYS = (r"(?:[\p{Lu}][\w.’'-]*\s+){0,3}(?:later\s+|then\s+|also\s+)?"
         r"(?:said|says|added|insisted)(?:\s+that)?\s+")
_CLAIM_NOUN = (r"(?:claims?|reports?|ideas?|notions?|stor(?:y|ies)|statements?|comments?|remarks?|arguments?|"
               r"charges?|accounts?|allegations?|accusations?)")
_POINTS_BACK = regex.compile(
    rf"^\W*(?:{_SAYS})?(?:this|that|it|these|those|(?:this|that|these|those|the|such)\s+{_CLAIM_NOUN}|he|she|they)\W*$",
    regex.IGNORECASE)


def _points_back(before_cue: str) -> bool:
    return bool(_POINTS_BACK.match(before_cue))


def _first_clause(scope: str) -> str:
    """The words after a cue up to the end of its clause: "nonsense,'' Mr. Trump said" has no
    object of its own; what follows the closing quote is the attribution."""
    return regex.split(r"[,;:”’\"]|''|\s[-–—]\s", scope, maxsplit=1)[0]


STANCE_MIN_COVERAGE = 0.15
STANCE_MIN_AGAINST = 0.6
# A stance model says "against" for any negation; only these cue kinds mark a dispute in an article.
STANCE_DISPUTE_LABELS = frozenset({"denial", "doubt", "correction"})


# A headline's "denies", "rejects", "dismisses" disputes a story; in an article the same words as
# often refuse a request or an offer ("rejected the offer", "was denied bail") or end a job ("was
# dismissed"). rules/contradictions.yaml tells the senses apart (a denial, a rejected *claim*): a
# stance cue of these rules counts only where one of its cues covers it too.
STANCE_RULES_THE_ARTICLE_LEXICON_DECIDES = frozenset({"denial.deny"})


@dataclass(frozen=True)
class StanceDispute:
    disputing: int
    disputed: int
    cues: tuple[Span, ...]  # absolute offsets
    probability: float


def claim_coverage(claim_spans: Sequence[Span]) -> np.ndarray:
    """`_coverage` of every claim of an article by every other, over their content terms."""
    if len(claim_spans) < 2:
        return np.zeros((len(claim_spans), len(claim_spans)))
    docs = [content_document(s.text) for s in claim_spans]
    return _coverage(docs, docs)


def stance_disputes(text: str, claim_spans: Sequence[Span], stance_model: object,
                    coverage: np.ndarray | None = None,
                    article_cues: Sequence[Sequence[RuleMatch]] | None = None) -> list[StanceDispute]:
    """Claims that take an `against` stance toward another claim of the article they overlap with.

    Pairs are pre-filtered by content overlap (the stance model assumes the report is about the
    claim; `coverage` is `claim_coverage(claim_spans)` when the caller has it) and scored in one
    vectorised call. With `article_cues` (each claim's rules/contradictions.yaml matches, article
    offsets), a cue of STANCE_RULES_THE_ARTICLE_LEXICON_DECIDES counts only where one of them covers it.
    """
    if len(claim_spans) < 2:
        return []
    featurizer = stance_model.featurizer  # type: ignore[attr-defined]
    # Only a claim with a denial, doubt or correction cue of its own can dispute another: finding
    # cues once per claim spares the pairwise stance model for the rest (most of an article).
    # Only the rules of those labels need to run here.
    disputing = [i for i, s in enumerate(claim_spans)
                 if featurizer.cues(s.text, labels=STANCE_DISPUTE_LABELS)]
    if not disputing:
        return []
    sims = coverage if coverage is not None else claim_coverage(claim_spans)
    index = [(i, j) for i in disputing for j in range(len(claim_spans))
             if i != j and sims[i, j] >= STANCE_MIN_COVERAGE
             and not claim_spans[i].intersects(claim_spans[j])]
    if not index:
        return []
    stances = stance_model.predict_many(  # type: ignore[attr-defined]
        [(claim_spans[j].text, claim_spans[i].text) for i, j in index], explain=False)
    out = []
    for (i, j), st in zip(index, stances, strict=True):
        p = float(st.probabilities["against"])
        base = claim_spans[i].start
        cues = [c for c in st.cues if c.label in STANCE_DISPUTE_LABELS and (
            article_cues is None or c.rule_id not in STANCE_RULES_THE_ARTICLE_LEXICON_DECIDES
            or any(m.start < base + c.end and base + c.start < m.end for m in article_cues[i]))]
        if p >= STANCE_MIN_AGAINST and cues:
            spans = tuple(Span(base + c.start, base + c.end, c.text) for c in cues)
            out.append(StanceDispute(i, j, spans, p))
    return out


_TERM = re.compile(r"\S+")  # CountVectorizer(token_pattern=r"\S+") tokenises with `re`, as here


def _alphabetical_rows(documents: Sequence[str]) -> tuple[list[list[int]], int] | None:
    """Each document's distinct terms as indices into the alphabetical vocabulary of them all, in
    ascending order, and the vocabulary's size; None when there are no terms at all."""
    first: dict[str, int] = {}
    rows = [{first.setdefault(term, len(first)) for term in _TERM.findall(doc)} for doc in documents]
    if not first:
        return None
    alphabetical = [0] * len(first)
    for new_index, term in enumerate(sorted(first)):
        alphabetical[first[term]] = new_index
    return [sorted(alphabetical[k] for k in row) for row in rows], len(first)


def term_counts(documents: Sequence[str], binary: bool, dtype: type) -> sp.csr_matrix:
    r"""`CountVectorizer(token_pattern=r"\S+", lowercase=False, binary=binary, dtype=dtype)
    .fit_transform(documents)`, array for array: the same data, indices (in the same order within a
    row), indptr and dtypes, so every later sparse operation gives the same floats. Without sklearn's
    per-call validation and vocabulary pruning, which on a dozen short documents cost several times
    the counting.

    CountVectorizer numbers terms by first appearance, sorts each row by that number, then renumbers
    terms alphabetically without re-sorting rows; so does this (tests/test_signals_counts.py checks).
    Raises ValueError on an empty vocabulary, as it does."""
    first: dict[str, int] = {}
    rows: list[list[int]] = []
    counts: list[int] = []
    for doc in documents:
        ids = [first.setdefault(term, len(first)) for term in _TERM.findall(doc)]
        if binary:
            rows.append(sorted(set(ids)))
        else:
            row = sorted(Counter(ids).items())
            rows.append([k for k, _ in row])
            counts.extend(c for _, c in row)
    if not first:
        raise ValueError("empty vocabulary; perhaps the documents only contain stop words")
    alphabetical = np.empty(len(first), dtype=np.int32)
    for new_index, term in enumerate(sorted(first)):
        alphabetical[first[term]] = new_index
    indptr = np.zeros(len(rows) + 1, dtype=np.int32)
    np.cumsum([len(r) for r in rows], out=indptr[1:])
    old = np.fromiter((k for r in rows for k in r), dtype=np.int32, count=int(indptr[-1]))
    indices = alphabetical.take(old)
    data: np.ndarray = np.ones(len(indices), dtype=dtype) if binary else np.asarray(counts, dtype=dtype)
    return sp.csr_matrix((data, indices, indptr), shape=(len(rows), len(first)))


def _coverage(queries: Sequence[str], documents: Sequence[str]) -> np.ndarray:
    """How much a query (a doubt's scope) and a document (a candidate claim) share, in [0, 1]:
    the larger of the two directional shares of IDF mass.

    A doubt's scope and the claim it doubts differ in length either way (a long skeptical quote, a
    short "did not clarify whether X"): cosine punishes the longer side for saying more, so we ask
    how much of the shorter story the other states.
    """
    # Every claim against every other (`claim_coverage`): the queries are the documents, whose terms
    # are read once; the second copy adds no term, so its rows are the first copy's.
    same = queries is documents
    rows = _alphabetical_rows(list(documents) if same else list(documents) + list(queries))
    if rows is None:  # no content words at all
        return np.zeros((len(queries), len(documents)))
    if same:
        rows = rows[0] + rows[0], rows[1]
    # The same floats as the sparse computation over CountVectorizer(binary=True) counts gave: idf
    # per term as numpy computed it; each row's mass by the same np.add.reduceat over the row's idf
    # values in alphabetical term order (a canonical CSR row, scipy's sum over axis 1); each shared
    # mass added term by term from 0.0 in that order (as scipy's csr_matmat accumulates).
    # tests/test_signals_counts.py compares the result with the sparse computation bit for bit.
    rows_ids, n_terms = rows
    n_docs = len(rows_ids)
    flat = np.fromiter((j for r in rows_ids for j in r), dtype=np.intp)
    df = np.bincount(flat, minlength=n_terms).astype(np.int64)
    idf = np.log((1 + n_docs) / (1 + df)) + 1.0
    lengths = np.fromiter((len(r) for r in rows_ids), dtype=np.intp, count=n_docs)
    starts = np.zeros(n_docs + 1, dtype=np.intp)
    np.cumsum(lengths, out=starts[1:])
    row_mass = np.zeros(n_docs)
    filled = np.flatnonzero(lengths)
    if len(filled):
        row_mass[filled] = np.add.reduceat(idf[flat], starts[filled])
    doc_mass, mass = row_mass[: len(documents)], row_mass[len(documents):]
    weight = idf.tolist()
    doc_rows, query_rows = rows_ids[: len(documents)], rows_ids[len(documents):]
    postings: list[list[int]] = [[] for _ in range(n_terms)]
    for k, row in enumerate(doc_rows):
        for j in row:
            postings[j].append(k)
    # Each row summed in Python floats, then stored as float64 (the same values): a list of all rows
    # would hold queries x documents Python floats.
    shared = np.zeros((len(query_rows), len(doc_rows)), dtype=np.float64)
    for q, row in enumerate(query_rows):
        acc = [0.0] * len(doc_rows)
        for j in row:
            w = weight[j]
            for k in postings[j]:
                acc[k] += w
        shared[q] = acc
    # Two claims-by-claims arrays at most (`shared` becomes the query share in place).
    doc_share = shared / np.maximum(doc_mass, 1e-9)[None, :]
    query_share = np.divide(shared, np.maximum(mass, 1e-9)[:, None], out=shared)
    # Very short candidates would be "covered" by any long quote: they only count one way.
    doc_share[:, doc_mass < 5 * idf.mean()] = 0.0
    return np.maximum(query_share, doc_share, out=doc_share)


def similarity_matrix(claim_texts: Sequence[str]) -> np.ndarray:
    """Cosine similarity of claims' content words (TF-IDF fitted on the article itself)."""
    if len(claim_texts) < 2:
        return np.zeros((len(claim_texts), len(claim_texts)))
    documents = [" ".join(content_tokens(t)) for t in claim_texts]
    # TfidfVectorizer(token_pattern=r"\S+", lowercase=False, sublinear_tf=True).fit_transform is
    # CountVectorizer(..., dtype=float64).fit_transform, then TfidfTransformer fit and transform.
    try:
        counts = term_counts(documents, binary=False, dtype=np.float64)
    except ValueError:
        return np.zeros((len(claim_texts), len(claim_texts)))
    m = sublinear_tfidf_l2(counts)
    sims = (m @ m.T).toarray()
    np.fill_diagonal(sims, 0.0)
    return sims


# -- the contested-claim model ---------------------------------------------------------------------
# Cue links (above) find the claim a doubt or denial points at; labelled articles show that editors
# mark more: in a dispute both sides' charges and answers are contested, though no single cue names
# them. A logistic model over the link results and the article's dispute words decides per claim
# (rules/contest_model.yaml, fitted by `scorer train-contested` on the train labels).
CONTEST_MODEL_PATH = RULES_DIR / "contest_model.yaml"
CONTEST_FEATURES: tuple[str, ...] = (
    "linked",  # a cue link or an `against` stance names this claim as disputed
    "carries_doubt",  # it carries a contradiction cue itself (the doubting side)
    "asserts_against",  # that cue is a denial or rebuttal: an assertion against another side's
    "rebuttal",  # it answers or attacks another side
    "allegation",  # it is put as someone's charge
    "negation",
    "dispute_overlap",  # best content coverage with a claim that carries a doubt or a rebuttal
    "dispute_nearby",  # a claim within two places of it carries a doubt or a rebuttal
    "cited",  # its own sentence cites a source
    "article_disputes",  # claims of its window (below) with a doubt or rebuttal, capped at 8, share of 8
    "article_allegations",  # claims of its window put as charges, capped at 8, share of 8
    "allegation_in_dispute",  # allegation x article_disputes: a charge in an article that answers it
    "cited_in_dispute",  # cited x article_disputes: a voice in a disputed story
)
# The most claims a dispute is looked for among, around each claim: a little over the 62 of the
# longest article the contested-claim model was fitted on, so that it never meets counts and
# overlaps from more claims than it was fitted on. Taken over whole live blogs of 150 to 320 claims,
# disputes saturated the article's features and the model flagged over half their claims (the
# labelled articles' contested share is 4 to 5% at every length). Articles up to this size are
# read whole, as before.
DISPUTE_WINDOW = 64


def dispute_window(i: int, n: int) -> tuple[int, int]:
    """The claims [start, end) a dispute of claim `i` of `n` is looked for among: the whole article up
    to DISPUTE_WINDOW claims, else DISPUTE_WINDOW claims around it."""
    start = min(max(0, i - DISPUTE_WINDOW // 2), max(0, n - DISPUTE_WINDOW))
    return start, min(n, start + DISPUTE_WINDOW)


def contest_rows(
    claim_spans: Sequence[Span], contradiction_cues: Sequence[Sequence[object]], linked: Sequence[bool],
    cited: Sequence[bool], cue_rules: RuleSet, coverage: np.ndarray | None = None,
) -> np.ndarray:
    """One row of CONTEST_FEATURES per claim (`coverage` as in `stance_disputes`)."""
    n = len(claim_spans)
    if n == 0:
        return np.zeros((0, len(CONTEST_FEATURES)))
    labels = [{m.label for m in cue_rules.find_all(s.text, 0, len(s.text))} for s in claim_spans]
    rebuttal = [("rebuttal" in lb) for lb in labels]
    allegation = [("allegation" in lb) for lb in labels]
    doubt = [bool(c) for c in contradiction_cues]
    asserts = [any(getattr(c, "label", None) in BOTH_WAYS_LABELS for c in cues)
               for cues in contradiction_cues]
    dispute = [a or b for a, b in zip(doubt, rebuttal, strict=True)]
    if coverage is None:
        coverage = claim_coverage(claim_spans)
    # Running counts, for the disputes and charges of any window in one step.
    disputes_upto = np.concatenate(([0], np.cumsum(dispute)))
    allegations_upto = np.concatenate(([0], np.cumsum(allegation)))
    rows = np.zeros((n, len(CONTEST_FEATURES)))
    for i in range(n):
        lo, hi = dispute_window(i, n)
        article_disputes = min(int(disputes_upto[hi] - disputes_upto[lo]), 8) / 8
        article_allegations = min(int(allegations_upto[hi] - allegations_upto[lo]), 8) / 8
        overlap = max((coverage[i, k] for k in range(lo, hi) if k != i and dispute[k]), default=0.0)
        nearby = any(dispute[k] for k in range(max(0, i - 2), min(n, i + 3)) if k != i)
        rows[i] = (linked[i], doubt[i], asserts[i], rebuttal[i], allegation[i], "negation" in labels[i],
                   overlap, nearby, cited[i], article_disputes, article_allegations,
                   allegation[i] * article_disputes, cited[i] * article_disputes)
    return rows


def contested(rows: np.ndarray, proba: np.ndarray, threshold: float) -> np.ndarray:
    """The pipeline's decision per claim: contested when a link names it as disputed, or when the
    model scores it at least `threshold` and it is not the doubting side. LABELLING.md: the sentence
    that carries a doubt or a refusal to confirm is not contradicted by the claim it doubts; but a
    cited source's denial or rebuttal is an assertion against another source's, and when two
    sources assert opposite things both claims are contested, so the model weighs those like any
    claim. Training picks the threshold for this very decision."""
    linked = rows[:, CONTEST_FEATURES.index("linked")] > 0
    doubt = rows[:, CONTEST_FEATURES.index("carries_doubt")] > 0
    opposite = (rows[:, CONTEST_FEATURES.index("asserts_against")] > 0) & (
        rows[:, CONTEST_FEATURES.index("cited")] > 0)
    return linked | ((proba >= threshold) & (~doubt | opposite))


def disputing_claim(i: int, claim_spans: Sequence[Span],
                    contradiction_cues: Sequence[Sequence[object]]) -> int | None:
    """For a claim the model calls contested without a link: the doubting claim of its window
    (`dispute_window`) that covers it best."""
    lo, hi = dispute_window(i, len(claim_spans))
    candidates = [k for k in range(lo, hi) if contradiction_cues[k] and k != i]
    if not candidates:
        return None
    docs = [content_document(claim_spans[k].text) for k in [i, *candidates]]
    cov = _coverage(docs[:1], docs[1:])[0]
    best = int(np.argmax(cov))
    return candidates[best] if cov[best] > 0 else None


def contest_model(path: str | Path | None = None) -> LinearModel:
    return load_for_features(path or CONTEST_MODEL_PATH, CONTEST_FEATURES, "scorer train-contested")
