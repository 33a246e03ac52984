"""scorer.tfidf weighs a count matrix as scikit-learn's TfidfTransformer(sublinear_tf=True) does,
array for array and bit for bit, so the claim similarities stay the same floats without importing it."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import TfidfTransformer

from scorer.signals import term_counts
from scorer.tfidf import sublinear_tfidf_l2

# Few distinct words, so terms repeat within a document (tf > 1) and across documents (df > 1);
# up to 40 words a document, so rows are long enough for numpy's pairwise sums to differ.
_docs = st.lists(st.lists(st.sampled_from(["ab", "cd", "é", "x_y", "10", "z", "qq", "r"]), max_size=40)
                 .map(" ".join), min_size=1, max_size=12)


def _same(docs: list[str]) -> None:
    try:
        counts = term_counts(docs, binary=False, dtype=np.float64)
        want = TfidfTransformer(sublinear_tf=True).fit_transform(counts)
    except ValueError:
        return  # an empty vocabulary: term_counts raises before any weighting
    got = sublinear_tfidf_l2(term_counts(docs, binary=False, dtype=np.float64))
    for name in ("data", "indices", "indptr"):
        assert getattr(got, name).tobytes() == getattr(want, name).tobytes(), name
    assert ((got @ got.T).toarray().tobytes() == (want @ want.T).toarray().tobytes())


@settings(max_examples=300, deadline=None)
@given(docs=_docs)
def test_weights_are_the_transformers_bit_for_bit(docs: list[str]) -> None:
    _same(docs)


def test_long_rows_and_an_empty_row() -> None:
    words = [f"w{k}" for k in range(30)]
    _same([" ".join(words), " ".join(words[::2] * 3), "", "w1 w1 w1 w2"])


def test_scoring_never_imports_scikit_learn() -> None:
    """scikit-learn serves training; importing it would add ~65 MB to every scoring process."""
    import subprocess
    import sys

    code = ("import sys, pandas as pd\n"
            "from scorer.batch import score_frame\n"
            "frame = pd.DataFrame({'id': ['a'], 'text': ['The minister said the talks had ended, "
            "according to a diplomatic source.']})\n"
            "print(len(score_frame(frame)))\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'sklearn'))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.splitlines()[-1] == "[]", out
