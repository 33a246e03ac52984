"""signals.term_counts builds, array for array, the matrix CountVectorizer builds (so coverage
floats are bit-identical), and _coverage gives exactly what it gave with CountVectorizer."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

from scorer import signals
from scorer.signals import _coverage, content_terms, content_tokens, similarity_matrix, term_counts


def _reference(docs: list[str]):
    return CountVectorizer(token_pattern=r"\S+", lowercase=False, binary=True).fit_transform(docs)


def _same_matrix(docs: list[str]) -> None:
    try:
        want = _reference(docs)
    except ValueError:
        with pytest.raises(ValueError):
            term_counts(docs, binary=True, dtype=np.int64)
        return
    got = term_counts(docs, binary=True, dtype=np.int64)
    assert type(got) is type(want)
    assert got.shape == want.shape
    for name in ("data", "indices", "indptr"):
        a, b = getattr(got, name), getattr(want, name)
        assert a.dtype == b.dtype, name
        assert a.tolist() == b.tolist(), name
    assert set(vars(got)) == set(vars(want))


def _reference_coverage(queries: list[str], documents: list[str]) -> np.ndarray:
    vectorizer = CountVectorizer(token_pattern=r"\S+", lowercase=False, binary=True)
    try:
        matrix = vectorizer.fit_transform(list(documents) + list(queries))
    except ValueError:
        return np.zeros((len(queries), len(documents)))
    n_docs = matrix.shape[0]
    df = np.asarray(matrix.sum(axis=0)).ravel()
    idf = np.log((1 + n_docs) / (1 + df)) + 1.0
    docs = matrix[: len(documents)]
    q = matrix[len(documents):].multiply(idf).tocsr()
    mass = np.asarray(q.sum(axis=1)).ravel()
    d = docs.multiply(idf).tocsr()
    doc_mass = np.asarray(d.sum(axis=1)).ravel()
    shared = (q @ docs.T).toarray()
    query_share = shared / np.maximum(mass, 1e-9)[:, None]
    doc_share = shared / np.maximum(doc_mass, 1e-9)[None, :]
    doc_share[:, doc_mass < 5 * idf.mean()] = 0.0
    return np.maximum(query_share, doc_share)


_WORDS = ["a", "b", "B", "zeta", "Ärger", "ß", "ss", "ﬁ", "fi", "x_y", "a_b", "10", "é", "e\u0301", "日本"]
_docs = st.lists(
    st.lists(st.sampled_from(_WORDS + [" ", "\t", "\n", "\u00a0", "\u2003"]), max_size=25).map("".join),
    max_size=12,
)


@settings(max_examples=400, deadline=None)
@given(docs=_docs)
def test_binary_term_counts_is_count_vectorizer_array_for_array(docs: list[str]) -> None:
    _same_matrix(docs)


@settings(max_examples=300, deadline=None)
@given(docs=_docs, split=st.integers(0, 12))
def test_coverage_bit_identical_to_count_vectorizer(docs: list[str], split: int) -> None:
    _same_coverage(docs[:split], docs[split:])


def _same_coverage(queries: list[str], documents: list[str]) -> None:
    got, want = _coverage(queries, documents), _reference_coverage(queries, documents)
    assert got.shape == want.shape
    assert got.tobytes() == want.tobytes()


_ARTICLE = (
    "The senator denied the report on Tuesday. Officials said the report was false and misleading. "
    "The report said the senator met lobbyists in March. Critics questioned whether the meetings "
    "happened at all. The senator's office did not confirm whether the meetings took place."
)


def test_coverage_of_real_claims_bit_identical() -> None:
    docs = [" ".join(content_terms(s)) for s in _ARTICLE.split(". ")]
    _same_matrix(docs)
    for k in range(len(docs)):
        got = _coverage(docs[k:k + 1], docs[:k] + docs[k + 1:])
        assert got.tobytes() == _reference_coverage(docs[k:k + 1], docs[:k] + docs[k + 1:]).tobytes()
    assert signals.claim_coverage  # the pipeline's entry point uses _coverage


@settings(max_examples=300, deadline=None)
@given(docs=_docs)
def test_term_counts_is_count_vectorizer_with_counts_as_floats(docs: list[str]) -> None:
    try:
        want = CountVectorizer(token_pattern=r"\S+", lowercase=False, dtype=np.float64).fit_transform(docs)
    except ValueError:
        with pytest.raises(ValueError):
            term_counts(docs, binary=False, dtype=np.float64)
        return
    got = term_counts(docs, binary=False, dtype=np.float64)
    assert type(got) is type(want) and got.shape == want.shape and set(vars(got)) == set(vars(want))
    for name in ("data", "indices", "indptr"):
        assert getattr(got, name).dtype == getattr(want, name).dtype, name
        assert getattr(got, name).tobytes() == getattr(want, name).tobytes(), name


def _reference_similarity(claim_texts: list[str]) -> np.ndarray:
    if len(claim_texts) < 2:
        return np.zeros((len(claim_texts), len(claim_texts)))
    documents = [" ".join(content_tokens(t)) for t in claim_texts]
    vectorizer = TfidfVectorizer(token_pattern=r"\S+", lowercase=False, sublinear_tf=True)
    try:
        m = vectorizer.fit_transform(documents)
    except ValueError:
        return np.zeros((len(claim_texts), len(claim_texts)))
    sims = (m @ m.T).toarray()
    np.fill_diagonal(sims, 0.0)
    return sims


_SENTENCE_WORDS = ["The", "senator", "denied", "it", "report", "report", "said", "false", "Ärger", "straße",
                   "STRASSE", "ﬁne", "fine", "and", "of", "10", "’s", "don't", ",", "."]


@settings(max_examples=200, deadline=None)
@given(texts=st.lists(st.lists(st.sampled_from(_SENTENCE_WORDS), max_size=20).map(" ".join), max_size=10))
def test_similarity_matrix_bit_identical_to_tfidf_vectorizer(texts: list[str]) -> None:
    got, want = similarity_matrix(texts), _reference_similarity(texts)
    assert got.shape == want.shape and got.tobytes() == want.tobytes()


_long_docs = st.lists(
    st.lists(st.text(alphabet="abcdé_", min_size=1, max_size=4), min_size=0, max_size=160).map(" ".join),
    min_size=1, max_size=8,
)


@settings(max_examples=200, deadline=None)
@given(docs=_long_docs, split=st.integers(0, 8))
def test_coverage_bit_identical_on_long_rows(docs: list[str], split: int) -> None:
    """Rows of more than 8 and 128 terms, where numpy's pairwise summation changes the order."""
    _same_coverage(docs[:split], docs[split:])
