"""`scorer evaluate`: attribution spans on PolNeAR, through the whole pipeline's report."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from scorer.evaluation.polnear import (
    PRF,
    Article,
    GoldAttribution,
    SpanScores,
    load_split,
    other_annotations,
    score_article,
)

if TYPE_CHECKING:
    from scorer.report import Report

ROWS = ("source.exact", "source.overlap", "cue.exact", "cue.overlap",
        "speech_source.exact", "speech_source.overlap", "speech_cue.exact", "speech_cue.overlap")


def predicted_spans(
    report_dict: dict[str, Any],
) -> tuple[list[tuple[int, int]], list[tuple[int, int]], list[Any]]:
    """Distinct source and cue spans of all attributions, those of claims and those of the sentences
    that are no claims (`other_attributions`), as the README prescribes."""
    sources, cues, pairs = set(), set(), set()
    attributions = [att for claim in report_dict["claims"] for att in claim["attributions"]]
    for att in attributions + report_dict.get("other_attributions", []):
        src = (att["source"]["start"], att["source"]["end"]) if att["source"] else None
        cue = (att["cue"]["start"], att["cue"]["end"]) if att["cue"] else None
        if src:
            sources.add(src)
        if cue:
            cues.add(cue)
            pairs.add((src, cue))
    return sorted(sources), sorted(cues), sorted(pairs, key=str)


def span_scores(articles: Sequence[Article],
                analyze: Callable[..., Report]) -> tuple[SpanScores, dict[str, SpanScores]]:
    """Span scores of `analyze`'s reports on `articles` against their gold, overall and per
    publisher. `analyze(text, article_id=...)` is `scorer.analyze` or a `Pipeline`'s own."""
    total = SpanScores()
    per_publisher: dict[str, SpanScores] = defaultdict(SpanScores)
    for article in articles:
        report = analyze(article.text, article_id=article.id).to_dict()
        sources, cues, pairs = predicted_spans(report)
        for key, prf in score_article(article, sources, cues, pairs).items():
            total.add(key, prf)
            per_publisher[article.publisher].add(key, prf)
    return total, per_publisher


def annotator_scores(article: Article, annotation: Sequence[GoldAttribution]) -> dict[str, PRF]:
    """Another annotator's spans of `article` scored as if predicted, against its gold (the first
    annotator's), exactly as the scorer's spans are."""
    sources = sorted({g.source for g in annotation if g.source})
    cues = sorted({g.cue for g in annotation if g.cue})
    pairs = sorted({(g.source, g.cue) for g in annotation if g.cue}, key=str)
    return score_article(article, sources, cues, pairs)


def annotator_agreement(articles: Sequence[Article],
                        analyze: Callable[..., Report]) -> dict[str, Any] | None:
    """Human agreement on the articles of `articles` that several people annotated: every later
    annotator scored against the first (the gold), beside the scorer on the same articles. What a
    second person reaches against the gold is a yardstick for the scorer's figures (None: no
    article has a second annotator)."""
    others = other_annotations(articles)
    if not others:
        return None
    multi = [a for a in articles if a.id in others]
    people = SpanScores()
    for article in multi:
        for annotation in others[article.id]:
            for key, prf in annotator_scores(article, annotation).items():
                people.add(key, prf)
    scorer_total, _ = span_scores(multi, analyze)
    return {
        "articles": len(multi), "annotator_pairs": sum(len(v) for v in others.values()),
        "annotators": {k: people.cells[k].to_dict() for k in ROWS if k in people.cells},
        "scorer": {k: scorer_total.cells[k].to_dict() for k in ROWS if k in scorer_total.cells},
    }


def evaluate_attribution(split: str = "dev", limit: int | None = None) -> dict[str, Any]:
    from scorer import analyze

    articles = load_split(split, limit=limit)
    started = time.perf_counter()
    total, per_publisher = span_scores(articles, analyze)
    seconds = time.perf_counter() - started
    return {
        "corpus": "polnear", "split": split, "articles": len(articles),
        "seconds": round(seconds, 2),
        "articles_per_second": round(len(articles) / seconds, 1) if seconds else None,
        "all": {k: total.cells[k].to_dict() for k in ROWS if k in total.cells},
        "per_publisher": {
            pub: {k: s.cells[k].to_dict() for k in ("source.exact", "source.overlap", "cue.exact")}
            for pub, s in sorted(per_publisher.items())
        },
        # After the timing: it re-reads the few articles with a second annotator.
        "agreement": annotator_agreement(articles, analyze),
    }


def format_table(result: dict[str, Any]) -> str:
    lines = [f"PolNeAR {result['split']}: {result['articles']} articles, {result['seconds']} s "
             f"({result['articles_per_second']} articles/s)", "",
             f"{'spans':24s} {'P':>6s} {'R':>6s} {'F1':>6s} {'pred':>6s} {'gold':>6s}"]
    for key, cell in result["all"].items():
        lines.append(f"{key:24s} {cell['precision'] * 100:6.1f} {cell['recall'] * 100:6.1f} "
                     f"{cell['f1'] * 100:6.1f} {cell['predicted']:6d} {cell['gold']:6d}")
    lines += ["", f"{'publisher':16s} {'source exact F1':>16s} {'source overlap F1':>18s} "
                  f"{'cue exact F1':>13s}"]
    for pub, cells in result["per_publisher"].items():
        lines.append(f"{pub:16s} {cells['source.exact']['f1'] * 100:16.1f} "
                     f"{cells['source.overlap']['f1'] * 100:18.1f} {cells['cue.exact']['f1'] * 100:13.1f}")
    agreement = result.get("agreement")
    if agreement:
        lines += ["", f"annotator agreement: {agreement['articles']} articles with several annotators, "
                      f"{agreement['annotator_pairs']} later annotators scored against the first (the gold), "
                      "F1 beside the scorer's on the same articles",
                  f"{'spans':24s} {'people':>7s} {'scorer':>7s}"]
        for key in ("source.exact", "source.overlap", "cue.exact", "speech_source.exact"):
            if key in agreement["annotators"]:
                lines.append(f"{key:24s} {agreement['annotators'][key]['f1'] * 100:7.1f} "
                             f"{agreement['scorer'][key]['f1'] * 100:7.1f}")
    return "\n".join(lines)


__all__ = ["PRF", "annotator_agreement", "annotator_scores", "evaluate_attribution", "format_table",
           "predicted_spans", "span_scores"]
