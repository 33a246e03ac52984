"""Batch scoring: one pure per-frame function, reused by the CSV, JSONL and (later) Dask paths.

`score_frame` takes a DataFrame of articles and returns one row per claim, in input order; an
article with no claims, or whose row could not be scored, still gets exactly one row (empty claim id,
`error` saying why or empty), so every input row is accounted for. It never raises for a bad row.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pandas as pd

from scorer.report import Report

OUTPUT_COLUMNS: dict[str, str] = {
    "article_id": "string",
    "claim_id": "string",
    "start": "Int64",
    "end": "Int64",
    "text": "string",
    "source_type": "string",
    "source_types": "string",
    "source_ids": "string",
    "source_text": "string",
    "source_start": "Int64",
    "source_end": "Int64",
    "cue_text": "string",
    "cue_start": "Int64",
    "cue_end": "Int64",
    "hedged": "boolean",
    "hedge_cues": "string",
    "contradicted": "boolean",
    "corroboration": "Float64",
    "verdict": "string",
    "error": "string",
}
DEFAULT_MAX_CHARS = 2_000_000


def empty_frame() -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in OUTPUT_COLUMNS.items()})


def _analyze_row(text: Any, outlet: Any, article_id: str, max_chars: int) -> tuple[Report | None, str]:
    from scorer import analyze

    if text is None or (isinstance(text, float) and pd.isna(text)):
        return None, "missing text"
    if not isinstance(text, str):
        return None, f"text is {type(text).__name__}, not a string"
    if len(text) > max_chars:
        return None, f"text of {len(text)} characters is over the limit of {max_chars} (--max-chars)"
    outlet_s = outlet if isinstance(outlet, str) and outlet.strip() else None
    try:
        return analyze(text, outlet=outlet_s, article_id=article_id), ""
    except Exception as exc:  # a bad row is recorded, never allowed to stop the batch
        return None, f"{type(exc).__name__}: {exc}"


def iter_reports(
    frame: pd.DataFrame, text_column: str = "text", id_column: str | None = "id",
    outlet_column: str | None = None, max_chars: int = DEFAULT_MAX_CHARS,
) -> Iterator[tuple[str, Report | None, str]]:
    """(article id, report or None, error) for each input row, in order."""
    texts = frame[text_column].tolist()
    ids = frame[id_column].tolist() if id_column and id_column in frame else [None] * len(frame)
    outlets = frame[outlet_column].tolist() if outlet_column else [None] * len(frame)
    for pos, (text, aid, outlet) in enumerate(zip(texts, ids, outlets, strict=True)):
        article_id = str(frame.index[pos]) if aid is None or (isinstance(aid, float) and pd.isna(aid)) else str(aid)
        report, error = _analyze_row(text, outlet, article_id, max_chars)
        yield article_id, report, error


def claim_rows(article_id: str, report: Report | None, error: str) -> list[dict[str, Any]]:
    if report is None or not report.claims:
        return [{"article_id": article_id, "error": error}]
    rows = []
    for c in report.claims:
        first = next((a for a in c.attributions if a.source is not None), None)
        rows.append({
            "article_id": article_id, "claim_id": c.id, "start": c.span.start, "end": c.span.end,
            "text": c.span.text, "source_type": c.source_type, "source_types": "|".join(c.source_types),
            "source_ids": "|".join(c.source_ids),
            "source_text": first.source.text if first and first.source else None,
            "source_start": first.source.start if first and first.source else None,
            "source_end": first.source.end if first and first.source else None,
            "cue_text": first.cue.text if first and first.cue else None,
            "cue_start": first.cue.start if first and first.cue else None,
            "cue_end": first.cue.end if first and first.cue else None,
            "hedged": c.hedged, "hedge_cues": "|".join(h.text for h in c.hedge_cues),
            "contradicted": c.contradicted, "corroboration": round(c.corroboration, 4),
            "verdict": c.verdict, "error": "",
        })
    return rows


def score_frame(
    frame: pd.DataFrame, text_column: str = "text", id_column: str | None = "id",
    outlet_column: str | None = None, max_chars: int = DEFAULT_MAX_CHARS,
) -> pd.DataFrame:
    """One row per claim (or one row per claim-less or failed article), input order kept."""
    rows: list[dict[str, Any]] = []
    for article_id, report, error in iter_reports(frame, text_column, id_column, outlet_column, max_chars):
        rows.extend(claim_rows(article_id, report, error))
    if not rows:
        return empty_frame()
    out = pd.DataFrame(rows, columns=list(OUTPUT_COLUMNS))
    return out.astype(OUTPUT_COLUMNS)


def report_lines(
    frame: pd.DataFrame, text_column: str = "text", id_column: str | None = "id",
    outlet_column: str | None = None, max_chars: int = DEFAULT_MAX_CHARS,
) -> Iterator[tuple[str, str]]:
    """(JSON line, error) per input row: the report (schema scorer.report/1), or a stub with `error`."""
    for article_id, report, error in iter_reports(frame, text_column, id_column, outlet_column, max_chars):
        if report is None:
            doc: dict[str, Any] = {"schema": "scorer.report/1",
                                   "article": {"id": article_id, "outlet": None, "chars": None},
                                   "sources": [], "claims": [], "summary": None, "error": error}
        else:
            doc = report.to_dict()
            doc["article"]["id"] = article_id
        yield json.dumps(doc, ensure_ascii=False), error
