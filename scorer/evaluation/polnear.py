"""PolNeAR attribution spans: load the gold, score predicted source and cue spans.

Scored exactly as ../shared/data/README.md describes, so the figures compare with the published
ones and with the held-back measurement: the first annotator's file per article; every event line is
one attribution; its gold source span is the extent of its first `Source` textbound (first start to
last end, trimmed of whitespace), its cue span likewise from its first `Cue`; events without a
Source contribute a cue only; identical spans count once. Predicted spans are the distinct, trimmed
source and cue spans of all claims. Matching is one to one and greedy; exact means identical
offsets, overlap means at least one shared character.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import regex

from scorer.errors import DataMissing, UnknownSplit
from scorer.spans import make_span

SHARED_DATA = Path(os.environ.get("SCORER_SHARED_DATA",
                                  Path(__file__).resolve().parents[3] / "shared" / "data"))


def require_reference_file(path: Path, default: Path, what: str, give: str) -> None:
    """DataMissing unless `path` exists: only the default path is expected under ../shared/data, so
    the message says where it belongs; a path the user gave is just missing, and `give` says what to
    give instead ("an Emergent-format CSV")."""
    if path.exists():
        return
    where = (f"expected ../shared/data/{default.relative_to(SHARED_DATA).as_posix()}" if path == default
             else f"give {give}")
    raise DataMissing(f"{path}: {what} not found ({where})")


_TEXTBOUND = regex.compile(r"^(T\d+)\t(\w+) ([\d ;]+)\t")
_EVENT = regex.compile(r"^(E\d+)\t(.*)$")

# Cue lemmas of reported speech, for the speech-only view (said, told, according to, reported, kin).
SPEECH_CUE_WORDS = frozenset(
    [
        "say", "says", "said", "saying", "tell", "tells", "told", "telling", "according", "report", "reports",
        "reported", "reporting", "state", "states", "stated", "add", "adds", "added", "note", "notes",
        "noted", "write", "writes", "wrote", "written", "tweet", "tweets", "tweeted", "announce", "announces",
        "announced", "explain", "explains", "explained", "claim", "claims", "claimed", "insist", "insists",
        "insisted", "argue", "argues", "argued", "ask", "asks", "asked", "answer", "answered", "reply",
        "replied", "respond", "responded", "comment", "commented", "declare", "declared", "acknowledge",
        "acknowledged", "admit", "admitted", "deny", "denies", "denied", "confirm", "confirmed", "warn",
        "warned", "reveal", "revealed", "suggest", "suggested", "testify", "testified", "recall", "recalled",
    ]
)


@dataclass(frozen=True)
class GoldAttribution:
    source: tuple[int, int] | None
    cue: tuple[int, int] | None


@dataclass(frozen=True)
class Article:
    id: str
    split: str
    publisher: str
    text: str
    attributions: tuple[GoldAttribution, ...] = field(default=())


def data_dir(root: Path | None = None) -> Path:
    root = Path(root) if root else SHARED_DATA
    path = root / "polnear"
    if not path.is_dir():
        raise DataMissing(f"{path}: PolNeAR data not found; place ../shared/data beside the project "
                          f"or set SCORER_SHARED_DATA")
    return path


def read_text(path: Path) -> str:
    with open(path, encoding="utf-8", newline="") as fh:
        return fh.read()


def _extent(text: str, offsets: str) -> tuple[int, int] | None:
    pieces = [tuple(int(x) for x in seg.split()) for seg in offsets.split(";") if seg.strip()]
    span = make_span(text, pieces[0][0], pieces[-1][1])
    return (span.start, span.end) if span else None


def parse_ann(ann: str, text: str) -> list[GoldAttribution]:
    """Attributions of one brat standoff file (textbound text may run over several lines)."""
    bounds: dict[str, tuple[str, str]] = {}
    events: list[str] = []
    for line in ann.splitlines():
        m = _TEXTBOUND.match(line)
        if m:
            bounds[m.group(1)] = (m.group(2), m.group(3))
            continue
        m = _EVENT.match(line)
        if m:
            events.append(m.group(2))
    result: list[GoldAttribution] = []
    for event in events:
        roles: dict[str, str] = {}
        for arg in event.split():
            role, _, ref = arg.partition(":")
            role = regex.sub(r"\d+$", "", role)
            roles.setdefault(role, ref)  # the first Source / Cue of the event
        source = _extent(text, bounds[roles["Source"]][1]) if roles.get("Source") in bounds else None
        cue = _extent(text, bounds[roles["Cue"]][1]) if roles.get("Cue") in bounds else None
        result.append(GoldAttribution(source, cue))
    return result


def _annotation_files(ann_dir: Path) -> dict[str, list[str]]:
    """Article id -> its annotation file names, sorted (the first is the first annotator's)."""
    files: dict[str, list[str]] = {}
    for name in sorted(os.listdir(ann_dir)):
        if name.endswith(".ann"):
            article_id, _, _annotator = name[:-4].rpartition("_")
            files.setdefault(article_id, []).append(name)
    return files


def load_split(split: str = "dev", root: Path | None = None, limit: int | None = None) -> list[Article]:
    base = data_dir(root)
    publishers: dict[str, str] = {}
    with open(base / "metadata.tsv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            publishers[row["filename"]] = row["publisher"]
    ann_dir = base / split / "attributions"
    if not ann_dir.is_dir():
        here = sorted(p.name for p in base.iterdir() if (p / "attributions").is_dir())
        raise UnknownSplit(f"{base / split}: no PolNeAR split {split!r} here; splits here: {', '.join(here)}")
    files = _annotation_files(ann_dir)
    articles = []
    for article_id in sorted(files)[:limit]:
        text = read_text(base / split / "text" / f"{article_id}.txt")
        ann = read_text(ann_dir / files[article_id][0])  # sorted, so the first annotator id wins
        articles.append(Article(article_id, split, publishers.get(article_id, ""), text,
                                tuple(parse_ann(ann, text))))
    return articles


def other_annotations(articles: Sequence[Article],
                      root: Path | None = None) -> dict[str, list[tuple[GoldAttribution, ...]]]:
    """Per article annotated by several people (a few of each split; most have one annotator), the
    attributions of every annotator after the first, whose file is the gold."""
    out: dict[str, list[tuple[GoldAttribution, ...]]] = {}
    listings: dict[str, dict[str, list[str]]] = {}
    base = data_dir(root)
    for article in articles:
        ann_dir = base / article.split / "attributions"
        if article.split not in listings:
            listings[article.split] = _annotation_files(ann_dir)
        names = listings[article.split].get(article.id, [])
        if len(names) > 1:
            out[article.id] = [tuple(parse_ann(read_text(ann_dir / name), article.text))
                               for name in names[1:]]
    return out


def iter_texts(split: str, root: Path | None = None) -> Iterator[tuple[str, str]]:
    """(article id, text) for every article of a split, without the annotations."""
    base = data_dir(root)
    for name in sorted(os.listdir(base / split / "text")):
        if name.endswith(".txt"):
            yield name[:-4], read_text(base / split / "text" / name)


# -- scoring ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class PRF:
    tp: int
    n_pred: int
    n_gold: int

    @property
    def precision(self) -> float:
        return self.tp / self.n_pred if self.n_pred else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.n_gold if self.n_gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: PRF) -> PRF:
        return PRF(self.tp + other.tp, self.n_pred + other.n_pred, self.n_gold + other.n_gold)

    def to_dict(self) -> dict[str, float]:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4),
                "f1": round(self.f1, 4), "tp": self.tp, "predicted": self.n_pred, "gold": self.n_gold}


def match_spans(pred: Iterable[tuple[int, int]], gold: Iterable[tuple[int, int]], exact: bool) -> PRF:
    """One-to-one greedy matching of distinct spans; exact offsets, or any shared character."""
    p, g = sorted(set(pred)), sorted(set(gold))
    if exact:
        return PRF(len(set(p) & set(g)), len(p), len(g))
    pairs = []
    for i, (ps, pe) in enumerate(p):
        for j, (gs, ge) in enumerate(g):
            shared = min(pe, ge) - max(ps, gs)
            if shared > 0:
                pairs.append((-shared, i, j))
    pairs.sort()
    used_p: set[int] = set()
    used_g: set[int] = set()
    for _, i, j in pairs:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
    return PRF(len(used_p), len(p), len(g))


def is_speech_cue(text: str, span: tuple[int, int]) -> bool:
    words = regex.findall(r"\w+", text[span[0]:span[1]].lower())
    return any(w in SPEECH_CUE_WORDS for w in words)


@dataclass
class SpanScores:
    """Source and cue P/R/F1, exact and overlap, accumulated over articles."""

    cells: dict[str, PRF] = field(default_factory=dict)

    def add(self, key: str, prf: PRF) -> None:
        self.cells[key] = self.cells[key] + prf if key in self.cells else prf


def score_article(
    article: Article, sources: Sequence[tuple[int, int]], cues: Sequence[tuple[int, int]],
    attribution_pairs: Sequence[tuple[tuple[int, int] | None, tuple[int, int]]] = (),
) -> dict[str, PRF]:
    """Scores of one article's predicted spans against its gold.

    `attribution_pairs` (source, cue) lets the speech-only view keep the sources whose own cue is a
    speech cue, on both sides.
    """
    gold_sources = {a.source for a in article.attributions if a.source}
    gold_cues = {a.cue for a in article.attributions if a.cue}
    out: dict[str, PRF] = {}
    for kind, pred, gold in (("source", sources, gold_sources), ("cue", cues, gold_cues)):
        out[f"{kind}.exact"] = match_spans(pred, gold, exact=True)
        out[f"{kind}.overlap"] = match_spans(pred, gold, exact=False)
    text = article.text
    gold_speech_sources = {a.source for a in article.attributions
                           if a.source and a.cue and is_speech_cue(text, a.cue)}
    gold_speech_cues = {a.cue for a in article.attributions if a.cue and is_speech_cue(text, a.cue)}
    pred_speech_sources = {s for s, c in attribution_pairs if s and is_speech_cue(text, c)}
    pred_speech_cues = {c for _, c in attribution_pairs if is_speech_cue(text, c)}
    for kind, speech_pred, speech_gold in (("speech_source", pred_speech_sources, gold_speech_sources),
                                           ("speech_cue", pred_speech_cues, gold_speech_cues)):
        out[f"{kind}.exact"] = match_spans(speech_pred, speech_gold, exact=True)
        out[f"{kind}.overlap"] = match_spans(speech_pred, speech_gold, exact=False)
    return out
