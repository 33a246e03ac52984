"""TF-IDF weighting of a count matrix, without importing scikit-learn at scoring time.

`similarity_matrix` (scorer/signals.py) weighs each article's claim terms as
`TfidfTransformer(sublinear_tf=True)` does. Importing scikit-learn for that one step made every
scoring process ~65 MB larger (issue 7 bounds a worker's peak RSS) and its start slower. This module
repeats the transformer's arithmetic operation for operation (scikit-learn 1.9: smoothed idf,
`log(tf) + 1`, then rows scaled to unit length by a sequential sum of squares as its Cython
`inplace_csr_row_normalize_l2` adds them), so the weights are the same floats bit for bit:
tests/test_tfidf.py compares the arrays with the transformer's, tests/test_signals_counts.py the
similarities with `TfidfVectorizer`'s, on generated text.
"""

from __future__ import annotations

import math

import numpy as np
import scipy.sparse as sp


def sublinear_tfidf_l2(counts: sp.csr_matrix) -> sp.csr_matrix:
    """`TfidfTransformer(sublinear_tf=True).fit(counts).transform(counts, copy=False)` for a
    canonical float64 CSR count matrix: weighs `counts` in place and returns it."""
    n_docs, n_terms = counts.shape
    data = counts.data
    # idf = ln((1 + n) / (1 + df)) + 1, computed as the transformer does: df as floats plus one,
    # an array filled with n + 1 divided by it, the log taken in place, one added.
    df = np.bincount(counts.indices, minlength=n_terms).astype(np.float64)
    df += 1.0
    idf = np.full_like(df, fill_value=n_docs + 1, dtype=np.float64)
    idf /= df
    np.log(idf, out=idf)
    idf += 1.0
    np.log(data, data)
    data += 1.0
    data *= idf[counts.indices]
    # Unit rows: the sum of squares accumulated element by element in row order, as the Cython loop
    # does (numpy's pairwise sums would round differently on rows of eight terms or more).
    values = data.tolist()
    bounds = counts.indptr.tolist()
    for row in range(n_docs):
        lo, hi = bounds[row], bounds[row + 1]
        total = 0.0
        for v in values[lo:hi]:
            total += v * v
        if total == 0.0:
            continue
        data[lo:hi] /= math.sqrt(total)
    return counts
