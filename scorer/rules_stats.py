"""`scorer rules stats`: one row per rule, measured on the labelled claims (Snorkel's lf_summary).

For every labelled claim the scorer matched, we record which rules fired on it, by family:
- hedge rules (rules/hedges.yaml), judged against the claim's `hedged` label;
- contradiction rules (rules/contradictions.yaml), judged against "this claim or the claim it
  disputes is labelled contradicted";
- attribution rules (the `rule` of each cited attribution), judged against "the claim has a source";
- typing rules (the rule that typed a cited source mention), judged against the claim's primary type.
Columns: fires, coverage (share of matched claims it fires on), overlaps (share of its fires where
another rule of the family fires too), conflicts (share where a rule of the family with a different
label fires), accuracy against the labels, and the learned weight of the rule's feature where a model
has one. Dead rules have no fires; redundant ones overlap almost always; harmful ones have low accuracy.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scorer.labels import LABELS_PATH, article_text, labels_of_split, match_claims


@dataclass
class _Tally:
    family: str
    label: str | None  # a typing rule's label is the source type it gave, which the report may leave None
    fires: int = 0
    overlaps: int = 0
    conflicts: int = 0
    correct: int = 0
    judged: int = 0
    weight: float | None = None
    examples: list[str] = field(default_factory=list)


def rule_stats(split: str = "train", path: Path = LABELS_PATH) -> dict[str, Any]:
    from scorer.pipeline import default_pipeline
    from scorer.scoring import FEATURES

    labels = labels_of_split(split, path)  # first: a mistyped split is one line, before the models load
    pipeline = default_pipeline()
    hedge_model = pipeline.hedges.model
    hedge_weights = dict(zip(hedge_model.features, hedge_model.coefficients[0], strict=True))
    corro_weights = dict(zip(FEATURES, pipeline.model.coefficients[0], strict=True))
    tallies: dict[str, _Tally] = {}
    for rs, family in ((pipeline.hedges.rules, "hedge"), (pipeline.contradictions.rules, "contradiction")):
        for rule in rs.rules:
            weight = (hedge_weights.get(f"rule:{rule.id}") if family == "hedge"
                      else corro_weights["carries_doubt"])
            tallies[rule.id] = _Tally(family, rule.label, weight=None if weight is None else float(weight))

    by_article = defaultdict(list)
    for c in labels:
        by_article[c.article_id].append(c)
    n_matched = 0
    for article_id in sorted(by_article):
        gold = by_article[article_id]
        text = article_text(article_id)
        report = pipeline.analyze(text, article_id=article_id)
        pairs = match_claims([(c.span.start, c.span.end) for c in report.claims],
                             [(g.start, g.end) for g in gold])
        gold_of = dict(pairs)
        for i, j in pairs:
            n_matched += 1
            claim, g = report.claims[i], gold[j]
            fired: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
            hedge = pipeline.hedges.detect(text, claim.span.start, claim.span.end)
            for cue in hedge.cues:
                fired["hedge"].append((cue.rule_id, cue.label))
            for m in pipeline.contradictions.cues(text, claim.span.start, claim.span.end):
                fired["contradiction"].append((m.rule_id, m.label))
            for att in claim.attributions:
                if att.cited:
                    fired["attribution"].append((att.rule_id, "attributed"))
                    if att.type_rule:
                        fired["typing"].append((att.type_rule, att.source_type))
            disputed = {int(c[1:]) - 1 for c in claim.contradicted_by}
            disputed |= {k for k, other in enumerate(report.claims) if f"C{i + 1}" in other.contradicted_by}
            contradiction_truth = g.contradicted or any(
                gold[gold_of[k]].contradicted for k in disputed if k in gold_of)
            for family, hits in fired.items():
                ids = {rid for rid, _ in hits}
                labels_here = {lab for _, lab in hits}
                for rid, lab in dict(hits).items():
                    t = tallies.setdefault(rid, _Tally(family, lab))
                    t.fires += 1
                    t.overlaps += len(ids) > 1
                    t.conflicts += len(labels_here - {lab}) > 0 and family in {"hedge", "typing"}
                    truth = {
                        "hedge": g.hedged,
                        "contradiction": contradiction_truth,
                        "attribution": bool(g.source_ids),
                        "typing": (g.source_types[0] if g.source_types else "unattributed") == lab,
                    }[family]
                    t.judged += 1
                    t.correct += bool(truth)
                    if family == "typing" and t.weight is None and lab in corro_weights:
                        t.weight = float(corro_weights[lab])
    rows = []
    for rid, t in sorted(tallies.items(), key=lambda kv: (kv[1].family, -kv[1].fires, kv[0])):
        rows.append({
            "rule": rid, "family": t.family, "label": t.label, "fires": t.fires,
            "coverage": round(t.fires / n_matched, 4) if n_matched else 0.0,
            "overlaps": round(t.overlaps / t.fires, 3) if t.fires else None,
            "conflicts": round(t.conflicts / t.fires, 3) if t.fires else None,
            "accuracy": round(t.correct / t.judged, 3) if t.judged else None,
            "weight": None if t.weight is None else round(t.weight, 3),
        })
    return {"split": split, "matched_claims": n_matched, "rules": rows}


def format_stats(result: dict[str, Any]) -> str:
    lines = [f"Rules on {result['matched_claims']} matched labelled claims, split {result['split']}",
             f"{'rule':42s} {'family':13s} {'fires':>5s} {'cover':>6s} {'overlap':>7s} {'conflict':>8s} "
             f"{'accuracy':>8s} {'weight':>7s}"]

    def f(v: Any, fmt: str) -> str:
        return "-" if v is None else format(v, fmt)

    for r in result["rules"]:
        flag = "  (dead)" if r["fires"] == 0 else ""
        lines.append(f"{r['rule'][:42]:42s} {r['family']:13s} {r['fires']:5d} {r['coverage'] * 100:5.1f}% "
                     f"{f(r['overlaps'], '7.2f')} {f(r['conflicts'], '8.2f')} {f(r['accuracy'], '8.2f')} "
                     f"{f(r['weight'], '7.2f')}{flag}")
    return "\n".join(lines)
