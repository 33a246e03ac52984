"""The report as one self-contained HTML page: the article with its claims, sources and cues marked in
place, and beside it every claim's verdict, score, sources, flags and the signals that made the score.

The page loads nothing (no script, font or stylesheet from elsewhere: it opens offline and in a mail
attachment) and every piece of article text in it is escaped: an article is data, never markup.
Marks are laid over the article by character offset (`Report` spans are half-open offsets into the
article as given), so overlapping findings (a source inside a claim, a hedge cue inside a source) need
no nesting: the text is cut at every span edge and each piece carries the marks that cover it.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import regex

from scorer.report import _CONTROL, ClaimResult, Report, _flags, _flat, _fmt, moved_signals
from scorer.scoring import FEATURE_MEANINGS, VERDICTS
from scorer.sourcing import SOURCE_TYPES

# A run of blanks holding a line break, in a web page whose markup was blanked: one paragraph break.
_PAGE_BREAK_RUN = regex.compile(r"[ \t]*\n[\s]*")
_PAGE_SPACE_RUN = regex.compile(r"[ \t]{2,}")

VERDICT_COLOURS = {"corroborated": "#d7f0d2", "single_source": "#fbf1c7", "contested": "#f8d3d0",
                   "unsourced": "#e6e1ef"}
# The claim cards' edge and the tags' border: the verdict in a colour strong enough to read as a line.
VERDICT_EDGES = {"corroborated": "#3c9a3c", "single_source": "#c9a400", "contested": "#c0392b",
                 "unsourced": "#7d6b9e"}
# Source types: named ones underlined solid, unnamed ones double, in hues kept apart from the
# verdicts' red and green.
TYPE_COLOURS = {"named_official": "#1f5fa8", "named_institution": "#00838f", "named_person": "#7b3fa0",
                "document": "#795548", "outlet": "#ef6c00", "unnamed_source": "#d81b60",
                "second_source": "#827717", "unattributed": "#666666"}
TYPE_LABELS = {"named_official": "named official", "named_institution": "named institution",
               "named_person": "named person", "document": "document", "outlet": "news outlet",
               "unnamed_source": "unnamed source", "second_source": "second unnamed source",
               "unattributed": "no one"}
UNNAMED_TYPES = frozenset({"unnamed_source", "second_source"})
# How a claim with no source phrase of its own came by its source (pipeline rule ids).
CARRIED_OVER = {"attr.paragraph_speaker": "carried over: the speaker of its paragraph",
                "attr.quote_continuation": "carried over: the speaker of the quotation it continues",
                "attr.speaker_turn": "carried over: the speaker of this turn of the interview",
                "attr.post_author": "carried over: the author of the embedded post"}
assert set(VERDICT_COLOURS) == set(VERDICT_EDGES) == set(VERDICTS)
assert set(TYPE_COLOURS) == set(TYPE_LABELS) == set(SOURCE_TYPES)

_STYLE = """
body{font:15px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d1d1f;margin:0;
background:#fafafa}
header,section,main{max-width:1280px;margin:0 auto;padding:0 20px}
h1{font-size:1.35em;margin:18px 0 4px;overflow-wrap:anywhere}h2{font-size:1.1em;margin:22px 0 8px}
.summary{color:#444;margin:0 0 10px}
.legend{font-size:.85em;color:#444;display:flex;flex-wrap:wrap;gap:6px 14px;margin-bottom:12px}
.legend span{white-space:nowrap}
main{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:24px;align-items:start}
@media (max-width:900px){main{grid-template-columns:1fr}}
article{background:#fff;border:1px solid #ddd;border-radius:6px;padding:16px 20px;white-space:pre-wrap;
overflow-wrap:anywhere;unicode-bidi:plaintext}
.empty{color:#666;font-style:italic}
.c{border-radius:2px}
.src{border-bottom:2.5px solid var(--t);font-weight:600}.src.unnamed{border-bottom-style:double;
border-bottom-width:4px}
.named{border-bottom:1.5px dashed var(--t)}
.cue{text-decoration:underline dotted 1.5px;text-underline-offset:3px}
.hedge{font-style:italic;outline:1px dashed #8a6d00;outline-offset:0}
.doubt{outline:1.5px solid #c0392b;outline-offset:0}
.other{border-bottom:2.5px solid #9e9e9e}
sup.tag{font-size:.72em;margin:0 2px}sup.tag a{color:#333;text-decoration:none;background:#fff;
border:1px solid #bbb;border-left:4px solid var(--v);border-radius:3px;padding:0 3px;white-space:nowrap}
.cards{display:flex;flex-direction:column;gap:10px;min-width:0}
.card{background:#fff;border:1px solid #ddd;border-left:6px solid var(--v);border-radius:6px;padding:8px 12px;
overflow-wrap:anywhere}
.card:target{box-shadow:0 0 0 2px #1f5fa8}
.card h3{font-size:1em;margin:0 0 4px;display:flex;gap:10px;align-items:baseline;flex-wrap:wrap}
.card .quote{color:#333;margin:4px 0;unicode-bidi:plaintext}.card ul{margin:4px 0;padding-left:18px}
.how{color:#555}
.bar{display:inline-block;width:80px;height:8px;background:#eee;border-radius:4px;vertical-align:middle}
.bar i{display:block;height:8px;border-radius:4px;background:#3c9a3c}
.why{font-size:.85em;color:#444}table.why{border-collapse:collapse}.why td{padding:1px 8px 1px 0;
vertical-align:top}.why .up{color:#2e7d32}.why .down{color:#c0392b}
table.list{border-collapse:collapse;background:#fff;font-size:.9em;overflow-wrap:anywhere}
table.list td,table.list th{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}
footer{max-width:1280px;margin:24px auto;padding:0 20px;color:#666;font-size:.8em}
"""
_STYLE += "".join(f".c-{verdict}{{background:{colour}}}" for verdict, colour in VERDICT_COLOURS.items())


@dataclass(frozen=True)
class _Mark:
    start: int
    end: int
    classes: tuple[str, ...]
    title: str
    style: str = ""


# Line ends of every kind (CR LF, a bare CR, VT, FF, NEL, U+2028/U+2029): one line break on the page.
_LINE_END = regex.compile(r"\r\n?|[\x0b\x0c\x85\u2028\u2029]")


def _safe(text: str) -> str:
    """Article text as HTML text: line ends of any kind as "\n", other control characters and bidi
    overrides shown as U+FFFD (as in the terminal view: HTML forbids most C0 controls, and an override
    would reorder the page), then escaped."""
    return html.escape(_CONTROL.sub("\ufffd", _LINE_END.sub("\n", text)), quote=True)


def _marks(report: Report) -> list[_Mark]:
    types = {s.id: s.type for s in report.sources}
    marks: list[_Mark] = []
    for c in report.claims:
        marks.append(_Mark(c.span.start, c.span.end, ("c", f"c-{c.verdict}"),
                           f"{c.id}: {c.verdict}, corroboration {c.corroboration:.2f}"))
        for a in c.attributions:
            if a.source is not None and a.source_id is not None:
                kind = a.source_type or types.get(a.source_id, "unattributed")
                # A source named inside the reported content ("Doe said [Roe told him] ...") is not
                # who the claim cites: drawn lighter.
                role = "cited source" if a.cited else "named inside the reported content, not cited"
                classes: tuple[str, ...] = ("named",)
                if a.cited:
                    classes = ("src", "unnamed") if kind in UNNAMED_TYPES else ("src",)
                marks.append(_Mark(a.source.start, a.source.end, classes,
                                   f"{a.source_id} ({TYPE_LABELS.get(kind, kind)}) of {c.id}: {role}",
                                   f"--t:{TYPE_COLOURS.get(kind, '#666')}"))
            if a.cue is not None:
                marks.append(_Mark(a.cue.start, a.cue.end, ("cue",),
                                   f"attribution cue of {c.id} ({a.rule_id})"))
        marks.extend(_Mark(h.start, h.end, ("hedge",), f"hedge cue of {c.id}") for h in c.hedge_cues)
        marks.extend(_Mark(d.start, d.end, ("doubt",), f"doubt or denial voiced in {c.id}")
                     for d in c.contradiction_cues)
    for o in report.other_attributions:
        if o.source is not None:
            marks.append(_Mark(o.source.start, o.source.end, ("other",),
                               "cited outside the claims (not scored)", "--t:#666"))
        marks.append(_Mark(o.cue.start, o.cue.end, ("cue",), f"attribution cue ({o.rule_id})"))
    return [m for m in marks if m.start < m.end]


def _article_html(report: Report, text: str, page: bool) -> str:
    """The article with every mark in place: the text cut at every mark's edge, each piece one
    <span> carrying the classes, titles and style of the marks that cover it; an anchor where each
    claim and each cited source's first mention starts, a tag after each claim."""
    if not text.strip():
        return '<span class="empty">(the article is empty)</span>'
    marks = _marks(report)
    starts: dict[int, list[_Mark]] = {}
    for m in marks:
        starts.setdefault(m.start, []).append(m)
    anchors: dict[int, list[str]] = {}
    for c in report.claims:
        anchors.setdefault(c.span.start, []).append(f"text-{c.id}")
    for src in report.sources:
        if src.cited and src.mentions:
            anchors.setdefault(min(m.start for m in src.mentions), []).append(f"src-{src.id}")
    edges = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks), *anchors})
    claim_ends: dict[int, list[ClaimResult]] = {}
    for c in report.claims:
        claim_ends.setdefault(c.span.end, []).append(c)
    active: list[_Mark] = []
    out: list[str] = []
    for left, right in zip(edges, edges[1:], strict=False):
        active = [m for m in active if m.end > left] + starts.get(left, [])
        out.extend(f'<span id="{anchor}"></span>' for anchor in anchors.get(left, ()))
        piece = text[left:right]
        if page:
            # Blanked markup leaves runs of spaces and line breaks: shown as a space or a paragraph break.
            piece = _PAGE_SPACE_RUN.sub(" ", _PAGE_BREAK_RUN.sub("\n\n", piece))
        body = _safe(piece)
        if active:
            classes = " ".join(dict.fromkeys(cls for m in active for cls in m.classes))
            title = _safe("; ".join(dict.fromkeys(m.title for m in active)))
            style = ";".join(dict.fromkeys(m.style for m in active if m.style))
            style_attr = f' style="{_safe(style)}"' if style else ""
            out.append(f'<span class="{classes}" title="{title}"{style_attr}>{body}</span>')
        else:
            out.append(body)
        for c in claim_ends.get(right, ()):
            edge = VERDICT_EDGES.get(c.verdict, "#999")
            out.append(f'<sup class="tag"><a href="#{c.id}" style="--v:{edge}" title="{_safe(c.verdict)}">'
                       f"{c.id} {c.corroboration:.2f}</a></sup>")
    return "".join(out)


def _why_rows(claim: ClaimResult) -> Iterable[str]:
    """The signals that moved the score, largest first, each with what it means; the intercept (the
    score of a claim with every signal at zero) apart, last."""
    for e in moved_signals(claim):
        direction = "up" if e.contribution > 0 else "down"
        meaning = FEATURE_MEANINGS.get(e.feature, "")
        yield (f'<tr><td class="{direction}">{e.contribution:+.2f}</td><td>{_safe(e.feature)}</td>'
               f"<td>{_safe(meaning)} (value {e.value:.3g})</td></tr>")
    for e in claim.explanation:
        if e.feature == "intercept":
            yield (f'<tr><td>{e.contribution:+.2f}</td><td>baseline</td><td>the model\'s starting point '
                   "before any signal</td></tr>")


def _source_items(report: Report, claim: ClaimResult) -> list[str]:
    """One line per source the claim cites: who, of what type, and how the scorer found it (its
    cue, or where a source with no phrase in the sentence was carried over from)."""
    items: list[str] = []
    seen: set[str] = set()
    for a in claim.attributions:
        if not a.cited or a.source_id is None or a.source_id in seen:
            continue
        seen.add(a.source_id)
        src = report.source(a.source_id)
        kind = TYPE_LABELS.get(src.type, src.type)
        name = f'<a href="#src-{src.id}">{src.id}</a> {_safe(_flat(src.name))} ({_safe(kind)})'
        if a.cue is not None:
            how = f"cue “{_safe(_flat(a.cue.text))}”"
        elif a.rule_id in CARRIED_OVER:
            how = CARRIED_OVER[a.rule_id]
        else:
            how = _safe(a.rule_id)
        items.append(f'<li>{name} <span class="how">— {how}</span></li>')
    return items or ["<li>no one: the author's own assertion</li>"]


def _card(report: Report, claim: ClaimResult) -> str:
    colour = VERDICT_EDGES.get(claim.verdict, "#999")
    flags = "".join(f"<li>{_safe(f)}</li>" for f in _flags(claim, backers=False))  # linked below
    backers = ", ".join(f'<a href="#src-{sid}">{sid}</a>' for sid in claim.support_source_ids)
    backed = f"<li>also backed elsewhere in the article by {backers}</li>" if backers else ""
    width = max(0.0, min(1.0, claim.corroboration)) * 100
    return (
        f'<div class="card" id="{claim.id}" style="--v:{colour}">'
        f'<h3><a href="#text-{claim.id}">{claim.id}</a><span>{_safe(claim.verdict.replace("_", " "))}</span>'
        f'<span title="corroboration score: the model\'s probability that a careful editor would mark it '
        f'corroborated">{claim.corroboration:.2f} <span class="bar"><i style="width:{width:.0f}%"></i></span>'
        f"</span></h3>"
        f'<div class="quote">{_safe(_flat(claim.span.text))}</div>'
        f"<ul>{''.join(_source_items(report, claim))}{backed}{flags}</ul>"
        f'<details><summary class="why">why this score (each signal\'s push, in log-odds)</summary>'
        f'<table class="why">{"".join(_why_rows(claim))}</table></details></div>')


def _table(head: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A table of already-escaped cells."""
    th = "".join(f"<th>{h}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f'<table class="list"><tr>{th}</tr>{body}</table>'


def _legend() -> str:
    def item(html_: str) -> str:
        return f"<span>{html_}</span>"

    parts = [item(f'<span class="src{" unnamed" if t in UNNAMED_TYPES else ""}" '
                  f'style="--t:{TYPE_COLOURS[t]}">{TYPE_LABELS[t]}</span>')
             for t in SOURCE_TYPES if t != "unattributed"]
    parts += [item('<span class="named" style="--t:#555">named in what is reported, not cited</span>'),
              item('<span class="other">cited outside the claims (not scored)</span>'),
              item('<span class="cue">attribution cue</span>'), item('<span class="hedge">hedge</span>'),
              item('<span class="doubt">doubt or denial</span>')]
    parts += [item(f'<span class="c c-{v}">{v.replace("_", " ")} claim</span>') for v in VERDICTS]
    parts.append(item('<sup class="tag"><a style="--v:#999">C3 0.05</a></sup> claim C3, corroboration '
                      "score 0.05 of 1 (the card beside tells why)"))
    return "".join(parts)


def to_html(report: Report, text: str, page: bool = False) -> str:
    """The report on `text` (the article as its spans quote it: `pipeline.article_as_read`) as one
    HTML page. `page`: the article was a web page whose markup is blanked; its runs of blanks are shown
    folded."""
    if len(text) != report.chars:
        raise ValueError(f"the text has {len(text)} characters, the report was made on {report.chars}")
    s = report.summary()
    title = _safe(_flat(report.article_id or "article"))
    outlet = _safe(_flat(report.outlet or "unknown"))
    prior = f"{s['outlet_prior']:.2f}{'' if report.outlet_known else ', default for unknown outlets'}"
    n = s["claims"]
    summary = (f"Outlet {outlet} (quality prior {prior}) · {n} claim{'' if n == 1 else 's'} · mean "
               f"corroboration {_fmt(s['mean_corroboration'])} · unnamed {_fmt(s['unnamed_share'])} · "
               f"hedged {_fmt(s['hedged_share'])} · contradicted {_fmt(s['contradicted_share'])}")
    cited = [src for src in report.sources if src.cited]
    sources = _table(("id", "source", "type", "mentions"), (
        (src.id, _safe(src.name), _safe(TYPE_LABELS.get(src.type, src.type)),
         _safe(", ".join(_flat(m.text) for m in src.mentions))) for src in cited))
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        # Nothing runs and nothing loads: a report is read, not executed.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'\">",
        f"<title>Sourcing report: {title}</title><style>{_STYLE}</style></head><body>",
        f"<header><h1>Sourcing report: {title}</h1><p class=\"summary\">{summary}</p>",
        f'<div class="legend">{_legend()}</div></header>',
        "<main>",
        f'<article aria-label="article text">{_article_html(report, text, page)}</article>',
        f'<div class="cards"><h2 style="margin-top:0">Claims</h2>'
        f'{"".join(_card(report, c) for c in report.claims) or "<p>No claims found.</p>"}</div>',
        "</main>",
        f"<section><h2>Sources</h2>{sources if cited else '<p>No cited sources.</p>'}</section>",
    ]
    if report.other_attributions:
        parts.append("<section><h2>Cited outside claims (headlines, questions; not scored)</h2>" + _table(
            ("source", "cue", "sentence"),
            ((_safe(a.source.text) if a.source else "—", _safe(a.cue.text),
              _safe(_flat(a.sentence.text))) for a in report.other_attributions)) + "</section>")
    parts.append("<footer>Made by scorer. Scores are the corroboration model's probabilities that a careful "
                 "editor would mark the claim corroborated; every finding is at its character offsets in "
                 "the JSON report (<code>scorer report --format json</code>).</footer></body></html>\n")
    return "\n".join(parts)
