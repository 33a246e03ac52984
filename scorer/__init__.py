"""scorer: who says so, how many independent voices back it, and how firmly it is said."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from scorer.report import Report


def analyze(text: str, outlet: str | None = None, article_id: str | None = None) -> Report:
    """Score one article: claims, sources, sourcing types, hedges, contradictions, corroboration."""
    from scorer.pipeline import default_pipeline

    return default_pipeline().analyze(text, outlet=outlet, article_id=article_id)


def __getattr__(name: str) -> Any:
    # `scorer.stance` is a module and a function; expose the function lazily to keep import fast.
    if name == "stance_of":
        from scorer.stance import stance

        return stance
    raise AttributeError(name)


__all__ = ["analyze", "__version__"]
