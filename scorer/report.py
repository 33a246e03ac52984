"""Step 7: the report, its JSON form (schema `scorer.report/1`), and its terminal and Markdown views."""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import regex

from scorer.identity import Source
from scorer.linear import Contribution
from scorer.sourcing import SOURCE_TYPES
from scorer.spans import Span

# C0 controls but tab and newline (which _flat folds anyway), DEL and C1: ESC starts the terminal's
# escape sequences, and C1's CSI (U+009B) is one on its own. Also the bidirectional embeddings,
# overrides and isolates, which reorder the rest of the line on screen (U+202E shows text reversed).
_CONTROL = regex.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

REPORT_SCHEMA = "scorer.report/1"
# A contribution that rounds to +0.00 moved nothing a reader can see: the views leave it out.
SHOWN_CONTRIBUTION = 0.005


@dataclass(frozen=True)
class ClaimAttribution:
    source_id: str | None  # None: a cue with no source
    source_type: str | None
    source: Span | None
    cue: Span | None
    rule_id: str
    cited: bool = True  # False: an attribution nested inside the claim's reported content
    type_rule: str = ""  # the sourcing rule that typed this mention (the source may take its referent's type)

    def to_dict(self) -> dict[str, Any]:
        return {
            "source_id": self.source_id,
            "source_type": self.source_type,
            "source": self.source.to_dict() if self.source else None,
            "cue": self.cue.to_dict() if self.cue else None,
            "rule": self.rule_id,
            "type_rule": self.type_rule,
            "cited": self.cited,
        }


@dataclass(frozen=True)
class OtherAttribution:
    """Who a sentence that is not a claim cites: a headline ("Trump says he'll recast image;"), a
    question's speaker ("Borger asked."). Reported so that no citation goes unseen; never scored."""

    sentence: Span
    source: Span | None
    cue: Span
    cue_class: str
    rule_id: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "sentence": self.sentence.to_dict(),
            "source": self.source.to_dict() if self.source else None,
            "cue": self.cue.to_dict(),
            "cue_class": self.cue_class,
            "rule": self.rule_id,
        }


@dataclass(frozen=True)
class ClaimResult:
    id: str
    span: Span
    attributions: tuple[ClaimAttribution, ...]
    source_type: str
    source_types: tuple[str, ...]
    source_ids: tuple[str, ...]
    support_source_ids: tuple[str, ...]
    hedged: bool
    hedge_probability: float
    hedge_cues: tuple[Span, ...]
    contradicted: bool
    contradiction_cues: tuple[Span, ...]
    contradicted_by: tuple[str, ...]
    corroboration: float
    verdict: str
    explanation: tuple[Contribution, ...]
    features: tuple[float, ...] = ()  # the model's input row, for training and `rules stats`

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "start": self.span.start,
            "end": self.span.end,
            "text": self.span.text,
            "attributions": [a.to_dict() for a in self.attributions],
            "source_type": self.source_type,
            "source_types": list(self.source_types),
            "source_ids": list(self.source_ids),
            "support_source_ids": list(self.support_source_ids),
            "hedged": self.hedged,
            "hedge_probability": round(self.hedge_probability, 4),
            "hedge_cues": [c.to_dict() for c in self.hedge_cues],
            "contradicted": self.contradicted,
            "contradiction_cues": [c.to_dict() for c in self.contradiction_cues],
            "contradicted_by": list(self.contradicted_by),
            "corroboration": round(self.corroboration, 4),
            "verdict": self.verdict,
            "explanation": [c.to_dict() for c in self.explanation],
        }


@dataclass(frozen=True)
class Report:
    article_id: str | None
    outlet: str | None
    outlet_prior: float
    outlet_known: bool
    chars: int
    sources: tuple[Source, ...]
    claims: tuple[ClaimResult, ...]
    errors: tuple[str, ...] = field(default=())
    other_attributions: tuple[OtherAttribution, ...] = field(default=())

    def summary(self) -> dict[str, Any]:
        n = len(self.claims)
        by_type = Counter(c.source_type for c in self.claims)
        return {
            "claims": n,
            "by_source_type": {t: by_type.get(t, 0) for t in SOURCE_TYPES},
            "unnamed_share": _share(
                sum(c.source_type in {"unnamed_source", "second_source"} for c in self.claims), n),
            "hedged_share": _share(sum(c.hedged for c in self.claims), n),
            "contradicted_share": _share(sum(c.contradicted for c in self.claims), n),
            # The mean of the scores as every output prints them (4 decimals), as `scorer batch
            # --per-article` computes it from the claims it writes: one article, one number.
            "mean_corroboration": (round(sum(round(c.corroboration, 4) for c in self.claims) / n, 4)
                                   if n else None),
            "outlet_prior": round(self.outlet_prior, 4),
            "outlet_prior_known": self.outlet_known,
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": REPORT_SCHEMA,
            "article": {"id": self.article_id, "outlet": self.outlet, "chars": self.chars},
            "sources": [s.to_dict() for s in self.sources],
            "claims": [c.to_dict() for c in self.claims],
            "other_attributions": [a.to_dict() for a in self.other_attributions],
            "summary": self.summary(),
        }

    def source(self, source_id: str) -> Source:
        """The source with this id ("S1"); a KeyError naming the ids there are when none has it."""
        for s in self.sources:
            if s.id == source_id:
                return s
        raise KeyError(f"no source {source_id!r} in this report; its sources: "
                       f"{', '.join(s.id for s in self.sources) or 'none'}")


def _share(k: int, n: int) -> float | None:
    return round(k / n, 4) if n else None


# -- views -------------------------------------------------------------------------------------
def _sources_line(report: Report, claim: ClaimResult) -> str:
    if not claim.source_ids:
        return "unattributed"
    parts = []
    for sid in claim.source_ids:
        src = report.source(sid)
        parts.append(f"{_flat(src.name)} [{sid}, {src.type}]")
    return "; ".join(parts)


def _flags(claim: ClaimResult, backers: bool = True) -> list[str]:
    """The claim's flags as lines of text; `backers=False` leaves out "also backed by", for a view
    that links the backing sources itself."""
    flags = []
    if claim.hedged:
        cues = ", ".join(f"“{_flat(c.text)}”" for c in claim.hedge_cues) or "model"
        flags.append(f"hedged ({cues})")
    if claim.contradicted:
        # The contested-claim model can read a dispute in the article that no one claim of it states
        # ("contradicted by ;" said nothing): say what the flag rests on.
        flags.append(f"contradicted by {', '.join(claim.contradicted_by)}" if claim.contradicted_by
                     else "contradicted (the article disputes it; no one claim states the dispute)")
    if claim.contradiction_cues:
        doubts = ", ".join(f"“{_flat(c.text)}”" for c in claim.contradiction_cues)
        flags.append(f"voices doubt ({doubts})")
    if backers and claim.support_source_ids:
        flags.append("also backed by " + ", ".join(claim.support_source_ids))
    return flags


def to_markdown(report: Report) -> str:
    s = report.summary()
    out = io.StringIO()
    title = _flat(report.article_id or "article")
    out.write(f"# Sourcing report: {title}\n\n")
    out.write(f"- Outlet: {_md(report.outlet or 'unknown')} (quality prior {s['outlet_prior']:.2f}"
              f"{'' if report.outlet_known else ', default for unknown outlets'})\n")
    out.write(f"- Claims: {s['claims']}; mean corroboration {_fmt(s['mean_corroboration'])}; "
              f"unnamed share {_fmt(s['unnamed_share'])}; hedged share {_fmt(s['hedged_share'])}; "
              f"contradicted share {_fmt(s['contradicted_share'])}\n\n")
    out.write("## Sources\n\n| id | source | type | mentions |\n|---|---|---|---|\n")
    for src in (s for s in report.sources if s.cited):
        mentions = ", ".join(f"“{m.text}”" for m in src.mentions)
        out.write(f"| {src.id} | {_md(src.name)} | {src.type} | {_md(mentions)} |\n")
    out.write("\n## Claims\n\n| id | claim | sources | verdict | score | flags |\n"
              "|---|---|---|---|---|---|\n")
    for c in report.claims:
        text = _short(c.span.text)
        out.write(f"| {c.id} | {_md(text)} | {_md(_sources_line(report, c))} | {c.verdict} | "
                  f"{c.corroboration:.2f} | {_md('; '.join(_flags(c)))} |\n")
    if report.other_attributions:
        out.write("\n## Cited outside claims\n\n| source | cue | sentence |\n|---|---|---|\n")
        for a in report.other_attributions:
            out.write(f"| {_md(a.source.text if a.source else '—')} | {_md(a.cue.text)} | "
                      f"{_md(_short(a.sentence.text))} |\n")
    out.write("\n## Why each score\n\n")
    for c in report.claims:
        parts = ", ".join(f"{e.feature} {e.contribution:+.2f}" for e in c.explanation
                          if abs(e.contribution) >= SHOWN_CONTRIBUTION)
        out.write(f"- **{c.id}** {c.corroboration:.2f}: {parts}\n")
    return out.getvalue()


def _short(text: str) -> str:
    return text if len(text) <= 160 else text[:157] + "…"


def _md(text: str) -> str:
    return _flat(text).replace("|", "\\|")


def _flat(text: str) -> str:
    """One line for a human view: a hard-wrapped claim's line breaks (CR LF too) and runs of spaces as
    one space, and control characters shown as U+FFFD: an article's escape sequences must not clear
    the reader's screen or retitle the terminal (JSON keeps the text exactly)."""
    return _CONTROL.sub("\ufffd", " ".join(text.split()))  # CR, VT, FF fold as spaces first


def _fmt(v: float | None) -> str:
    return "n/a" if v is None else f"{v:.2f}"


# Below this many columns the claims table's narrow columns cut sources and flags short ("named_o…",
# "contrad…"): each claim is printed as a block instead. Piped output is 80 columns wide.
WIDE_REPORT_COLUMNS = 120


def moved_signals(claim: ClaimResult) -> list[Contribution]:
    """The signals that moved the score, largest first, the intercept aside: what a view explains."""
    signals = (e for e in claim.explanation
               if e.feature != "intercept" and abs(e.contribution) >= SHOWN_CONTRIBUTION)
    return sorted(signals, key=lambda e: -abs(e.contribution))


def _why(claim: ClaimResult, top: int = 3) -> str:
    """The signals that moved the score most (all of them are in JSON and Markdown)."""
    moved = moved_signals(claim)[:top]
    return ", ".join(f"{e.feature} {e.contribution:+.2f}" for e in moved) or "the intercept alone"


def render_terminal(report: Report, console: Any) -> None:
    """Rich view: the sources, then every claim with its sources, verdict, score, flags and the
    signals that moved its score; a table when the terminal is wide, one block a claim when not."""
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    s = report.summary()
    console.print(Text(f"Sourcing report: {_flat(report.article_id or 'article')}", style="bold"))
    console.print(Text(f"Outlet: {_flat(report.outlet or 'unknown')} (prior {s['outlet_prior']:.2f}"
                  f"{'' if report.outlet_known else ', default'}) · {s['claims']} claims · "
                  f"mean corroboration {_fmt(s['mean_corroboration'])} · "
                  f"unnamed {_fmt(s['unnamed_share'])} · "
                  f"hedged {_fmt(s['hedged_share'])} · contradicted {_fmt(s['contradicted_share'])}"))
    wide = console.width >= WIDE_REPORT_COLUMNS
    colours = {"corroborated": "green", "single_source": "yellow", "contested": "red", "unsourced": "magenta"}
    cited = [src for src in report.sources if src.cited]
    if wide:
        sources = Table(title="Sources", show_lines=False, expand=False)
        for col in ("id", "source", "type", "mentions"):
            sources.add_column(col, overflow="fold")
        for src in cited:
            sources.add_row(src.id, Text(_flat(src.name)), src.type,
                            Text(", ".join(_flat(m.text) for m in src.mentions)))
        console.print(sources)
        claims = Table(title="Claims", show_lines=True, expand=True)
        claims.add_column("id", no_wrap=True)
        claims.add_column("claim", ratio=5, overflow="fold")  # a URL longer than the column
        claims.add_column("sources", ratio=2, overflow="fold")
        claims.add_column("verdict", no_wrap=True)
        claims.add_column("score", justify="right", no_wrap=True)
        claims.add_column("flags", ratio=2, overflow="fold")
        for c in report.claims:
            # Text, never a str: rich would read an article's "[sic]" or "[/b]" as markup.
            claims.add_row(c.id, Text(_flat(c.span.text)), Text(_sources_line(report, c)),
                           Text(c.verdict, style=colours.get(c.verdict, "")), f"{c.corroboration:.2f}",
                           Text("\n".join(_flags(c))))
        console.print(claims)
        if report.claims:
            console.print(Text("Why each score (the signals that moved it most; all in --format json)",
                               style="italic"))
            for c in report.claims:
                console.print(Text(f"{c.id} {c.corroboration:.2f}: {_why(c)}"))
    else:
        def block(head: Text, lines: list[str]) -> None:
            console.print(head)
            for line in lines:
                console.print(Padding(Text(line, overflow="fold"), (0, 0, 0, 4), expand=False))

        console.print(Text("Sources", style="italic"))
        for src in cited:
            block(Text(f"{src.id}  {_flat(src.name)}  ({src.type})", style="bold"),
                  ["mentions: " + ", ".join(_flat(m.text) for m in src.mentions)])
        console.print()
        console.print(Text("Claims", style="italic"))
        for c in report.claims:
            head = Text(f"{c.id}  ", style="bold")
            head.append(c.verdict, style=colours.get(c.verdict, ""))
            head.append(f"  {c.corroboration:.2f}")
            block(head, [_flat(c.span.text), f"sources: {_sources_line(report, c)}", *_flags(c),
                         f"why: {_why(c)}"])
            console.print()
    if report.other_attributions:
        others = Table(title="Cited outside claims (headlines, questions; not scored)", expand=True)
        for col, ratio in (("source", 1), ("cue", 1), ("sentence", 4)):
            others.add_column(col, ratio=ratio, overflow="fold")
        for a in report.other_attributions:
            others.add_row(Text(_flat(a.source.text) if a.source else "—"), Text(_flat(a.cue.text)),
                           Text(_flat(a.sentence.text)))
        console.print(others)


def summary_counts(claims: Mapping[str, int]) -> str:
    return ", ".join(f"{k} {v}" for k, v in claims.items() if v)
