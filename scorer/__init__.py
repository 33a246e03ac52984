"""scorer: who says so, how many independent voices back it, and how firmly it is said."""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    from scorer.report import Report
    from scorer.stance_detection import Stance


def analyze(text: str, outlet: str | None = None, article_id: str | None = None) -> Report:
    """Score one article: claims, sources, sourcing types, hedges, contradictions, corroboration."""
    from scorer.pipeline import default_pipeline

    return default_pipeline().analyze(text, outlet=outlet, article_id=article_id)


def stance(claim: str, report: str, *, url: str | None = None) -> Stance:
    """The stance of a report (a headline or an article) toward a claim: `for`, `observing`
    (relayed without commitment) or `against`, with its probabilities and the cue spans behind it
    (offsets into `report`). `url`, the report's address when known, adds its slug's wording."""
    from scorer.stance_detection import stance as stance_of_report

    return stance_of_report(claim, report, url=url)


__all__ = ["analyze", "stance", "__version__"]
