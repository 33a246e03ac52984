"""Labelled claims (LABELLING.md CSV) and the matching of predicted claims to them.

PolNeAR articles are stored as ids and offsets only; their text is read from ../shared/data at
run time. Other articles are looked up in data/articles/<article_id>.txt.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from scorer.csvinput import read_csv
from scorer.errors import DataMissing, InputError, UnknownSplit
from scorer.evaluation.polnear import SHARED_DATA, read_text

PROJECT_DATA = Path(__file__).resolve().parent.parent / "data"
LABELS_PATH = PROJECT_DATA / "labels" / "claims.csv"
REQUIRED = ("article_id", "claim_id", "start", "end", "source_types", "source_ids", "support_source_ids",
            "hedged", "contradicted", "verdict", "split")


@dataclass(frozen=True)
class LabelledClaim:
    article_id: str
    claim_id: str
    start: int
    end: int
    source_types: tuple[str, ...]
    source_ids: tuple[str, ...]
    support_source_ids: tuple[str, ...]
    hedged: bool
    contradicted: bool
    verdict: str
    split: str


def _ids(value: object) -> tuple[str, ...]:
    return tuple(v for v in str(value).split("|") if v) if isinstance(value, str) else ()


def load_labels(path: str | Path = LABELS_PATH, split: str | None = None) -> list[LabelledClaim]:
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: labelled-claims file not found")
    frame = read_csv(path, "a labelled-claims CSV (LABELLING.md format)",
                     dtype={"source_ids": str, "support_source_ids": str, "source_types": str},
                     keep_default_na=False)
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise InputError(f"{path}: missing column(s) {missing}; see LABELLING.md 'Labelled-claims file'")
    if split:
        frame = frame[frame["split"] == split]
    try:
        return [LabelledClaim(str(r.article_id), str(r.claim_id), int(r.start), int(r.end),
                              _ids(r.source_types), _ids(r.source_ids), _ids(r.support_source_ids),
                              bool(int(r.hedged)), bool(int(r.contradicted)), str(r.verdict), str(r.split))
                for r in frame.itertuples(index=False)]
    except ValueError as exc:
        raise InputError(f"{path}: start, end, hedged and contradicted must be whole numbers ({exc}); "
                         "see LABELLING.md 'Labelled-claims file'") from exc


def labels_of_split(split: str, path: str | Path = LABELS_PATH) -> list[LabelledClaim]:
    """The labelled claims of one split. A split the file does not hold is a usage error naming the
    splits it does: an empty list would read as "no rule fires" or fail deep inside a fit."""
    labels = load_labels(path)
    if not labels:
        raise InputError(f"{path}: no labelled claims; see LABELLING.md 'Labelled-claims file'")
    chosen = [c for c in labels if c.split == split]
    if not chosen:
        splits = ", ".join(sorted({c.split for c in labels}))
        raise UnknownSplit(f"{path}: no labelled claims in split {split!r}; splits: {splits}")
    return chosen


def article_text(article_id: str, root: Path | None = None) -> str:
    local = PROJECT_DATA / "articles" / f"{article_id}.txt"
    if local.exists():
        return read_text(local)
    base = Path(root) if root else SHARED_DATA
    for split in ("train", "dev"):
        path = base / "polnear" / split / "text" / f"{article_id}.txt"
        if path.exists():
            return read_text(path)
    raise DataMissing(f"{article_id}: article text not found in data/articles or {base}/polnear")


def match_claims(predicted: Sequence[tuple[int, int]], gold: Sequence[tuple[int, int]],
                 min_jaccard: float = 0.5) -> list[tuple[int, int]]:
    """LABELLING.md matching: character-overlap Jaccard >= 0.5, one to one, largest overlap first."""
    pairs = []
    for i, (ps, pe) in enumerate(predicted):
        for j, (gs, ge) in enumerate(gold):
            inter = min(pe, ge) - max(ps, gs)
            if inter <= 0:
                continue
            jac = inter / (max(pe, ge) - min(ps, gs))
            if jac >= min_jaccard:
                pairs.append((-jac, i, j))
    pairs.sort()
    used_p: set[int] = set()
    used_g: set[int] = set()
    out = []
    for _, i, j in pairs:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            out.append((i, j))
    return sorted(out)
