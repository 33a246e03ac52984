"""The scorer against the project's labelled claims (LABELLING.md metrics and matching).

Predicted claims are matched to labelled ones by character-overlap Jaccard >= 0.5, one to one; an
unmatched labelled claim counts as missed for every field. Figures on fewer than 100 positives get a
bootstrap 95% interval (articles resampled). The model is reported beside two baselines: the rules
alone (LABELLING.md's rules-alone verdict) and the majority class.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import brier_score_loss, f1_score, roc_auc_score

from scorer.labels import LABELS_PATH, LabelledClaim, article_text, labels_of_split, load_labels, match_claims
from scorer.scoring import rules_verdict
from scorer.sourcing import SOURCE_TYPES

VERDICTS = ("corroborated", "single_source", "contested", "unsourced")
MISSED = "(missed)"
BOOTSTRAP_ROUNDS = 1000


@dataclass(frozen=True)
class Row:
    """One labelled claim and what the scorer said about it (None fields when it was missed)."""

    article_id: str
    gold: LabelledClaim
    matched: bool
    source_type: str | None
    hedged: bool
    contradicted: bool
    verdict: str
    rules_verdict: str
    score: float
    # The type the scorer gives the label's primary source, when it cites that very source (its id
    # aligned to the label's, see `align_source_ids`); None when it cites others or none.
    label_source_type: str | None = None
    # The rules alone, the baselines beside the models: a definitional hedge cue in the claim's main
    # clause (the rules' fixed weight, without the learned ones); a contradiction cue link (without
    # the stance and contested-claim models).
    rules_hedged: bool = False
    rules_contradicted: bool = False


def collect(split: str = "dev", path: Path = LABELS_PATH) -> tuple[list[Row], int]:
    """Run the scorer on every labelled article of a split. Returns rows and the predicted-claim count."""
    from scorer import analyze
    from scorer.hedging import DEFINITION_FEATURE
    from scorer.pipeline import contradicted_by_links, default_pipeline

    labels = labels_of_split(split, path)
    pipeline = default_pipeline()
    by_article: dict[str, list[LabelledClaim]] = defaultdict(list)
    for label in labels:
        by_article[label.article_id].append(label)
    rows: list[Row] = []
    n_predicted = 0
    for article_id in sorted(by_article):
        gold = by_article[article_id]
        text = article_text(article_id)
        report = analyze(text, article_id=article_id)
        n_predicted += len(report.claims)
        spans = [c.span for c in report.claims]
        ids = [c.source_ids for c in report.claims]
        rules_hedged = [DEFINITION_FEATURE in pipeline.hedges.features(text, sp.start, sp.end)
                        for sp in spans]
        _, links = pipeline.cue_links(text, spans, ids, [c.hedged for c in report.claims])
        rules_contradicted = contradicted_by_links(links, ids)
        pairs = dict((j, i) for i, j in match_claims([(c.span.start, c.span.end) for c in report.claims],
                                                        [(g.start, g.end) for g in gold]))
        aligned = align_source_ids([(gold[j].source_ids, report.claims[i].source_ids)
                                    for j, i in pairs.items()])
        type_of = {s.id: s.type for s in report.sources}
        for j, g in enumerate(gold):
            if j in pairs:
                c = report.claims[pairs[j]]
                n_independent = len(set(c.source_ids) | set(c.support_source_ids))
                same = aligned.get(g.source_ids[0]) if g.source_ids else None
                rows.append(Row(article_id, g, True, c.source_type if c.source_ids else None, c.hedged,
                                c.contradicted, c.verdict, rules_verdict(c.contradicted, n_independent),
                                c.corroboration, type_of.get(same) if same in c.source_ids else None,
                                rules_hedged[pairs[j]], pairs[j] in rules_contradicted))
            else:
                rows.append(Row(article_id, g, False, None, False, False, MISSED, MISSED, 0.0))
    return rows, n_predicted


def align_source_ids(pairs: list[tuple[tuple[str, ...], tuple[str, ...]]]) -> dict[str, str]:
    """One article's label source ids mapped one to one onto the scorer's, from the matched claims
    (label ids, scorer ids): the pair cited together by most claims first, ties broken by how often
    both are the claim's primary source, then by first appearance."""
    together: Counter[tuple[str, str]] = Counter()
    primary: Counter[tuple[str, str]] = Counter()
    first: dict[tuple[str, str], int] = {}
    for n, (gold_ids, pred_ids) in enumerate(pairs):
        for g in gold_ids:
            for p in pred_ids:
                together[(g, p)] += 1
                first.setdefault((g, p), n)
        if gold_ids and pred_ids:
            primary[(gold_ids[0], pred_ids[0])] += 1
    aligned: dict[str, str] = {}
    taken: set[str] = set()
    for g, p in sorted(together, key=lambda gp: (-together[gp], -primary[gp], first[gp])):
        if g not in aligned and p not in taken:
            aligned[g] = p
            taken.add(p)
    return aligned


# -- metrics -------------------------------------------------------------------------------------
def prf(gold: np.ndarray, pred: np.ndarray) -> dict[str, float]:
    tp = int(np.sum(gold & pred))
    p = tp / pred.sum() if pred.sum() else 0.0
    r = tp / gold.sum() if gold.sum() else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "positives": int(gold.sum())}


def expected_calibration_error(y: np.ndarray, p: np.ndarray, bins: int = 10) -> float:
    edges = np.linspace(0, 1, bins + 1)
    idx = np.clip(np.digitize(p, edges[1:-1]), 0, bins - 1)
    ece = 0.0
    for b in range(bins):
        mask = idx == b
        if mask.any():
            ece += mask.mean() * abs(y[mask].mean() - p[mask].mean())
    return float(ece)


def _resamples(rows: list[Row], rounds: int, seed: int) -> Iterator[list[Row]]:
    """`rounds` resamples of `rows` with their articles drawn with replacement (none with fewer than
    two articles)."""
    articles = sorted({r.article_id for r in rows})
    if len(articles) < 2:
        return
    by_article: dict[str, list[Row]] = defaultdict(list)
    for r in rows:
        by_article[r.article_id].append(r)
    rng = np.random.default_rng(seed)
    for _ in range(rounds):
        yield [row for a in rng.choice(articles, size=len(articles), replace=True) for row in by_article[a]]


def _bootstrap(rows: list[Row], metric: Any, rounds: int = BOOTSTRAP_ROUNDS,
               seed: int = 0) -> list[float] | None:
    """95% interval of `metric(rows)` with articles resampled."""
    values = []
    for sample in _resamples(rows, rounds, seed):
        try:
            v = metric(sample)
        except ValueError:
            continue
        if v is not None and not np.isnan(v):
            values.append(v)
    if not values:
        return None
    return [round(float(np.percentile(values, 2.5)), 4), round(float(np.percentile(values, 97.5)), 4)]


def _paired_gain(rows: list[Row], gain: Any, rounds: int = 300, seed: int = 0) -> dict[str, Any] | None:
    """`gain(rows)` (how far the model is ahead of the rules on one metric) with a paired bootstrap:
    both systems scored on the same resampled articles, so article difficulty cancels out. The
    interval and the share of resamples where the model is ahead say whether a gap is more than
    the luck of which articles were labelled."""
    values = [float(gain(sample)) for sample in _resamples(rows, rounds, seed)]
    if not values:
        return None
    low, high = np.percentile(values, [2.5, 97.5])
    return {"gain": round(float(gain(rows)), 4), "ci95": [round(float(low), 4), round(float(high), 4)],
            "model_ahead_share": round(float(np.mean([v > 0 for v in values])), 3)}


def _type_f1(gold: list[str], pred: list[str], labels: list[str]) -> np.ndarray:
    """Per-label F1 (0 where a label has no gold and no predicted claim), without sklearn's overhead:
    the bootstrap calls it a thousand times."""
    g = np.array(gold)
    p = np.array(pred)
    out = []
    for lab in labels:
        tp = np.sum((g == lab) & (p == lab))
        denom = np.sum(g == lab) + np.sum(p == lab)
        out.append(2 * tp / denom if denom else 0.0)
    return np.array(out)


def _type_f1_metric(labels: list[str], index: int | None) -> Any:
    """Bootstrap metric over typed rows: one label's F1, or the macro-F1 (index None)."""
    def metric(rows: list[Row]) -> float:
        f1 = _type_f1([r.gold.source_types[0] for r in rows], [r.source_type or "" for r in rows], labels)
        return float(f1.mean() if index is None else f1[index])
    return metric


def _binary_f1(field: str, predicted: str | None = None) -> Any:
    """F1 of a 0/1 label field against a Row attribute (the field's own name unless `predicted`)."""
    def metric(rows: list[Row]) -> float:
        gold = np.array([getattr(r.gold, field) for r in rows], dtype=bool)
        pred = np.array([getattr(r, predicted or field) for r in rows], dtype=bool)
        return prf(gold, pred)["f1"]
    return metric


def _flag_scores(rows: list[Row], field: str, predicted: str) -> dict[str, Any]:
    """P / R / F1 of a 0/1 label field against a Row attribute, with an interval under 100 positives."""
    metric = _binary_f1(field, predicted)
    gold = np.array([getattr(r.gold, field) for r in rows], dtype=bool)
    cell: dict[str, Any] = dict(prf(gold, np.array([getattr(r, predicted) for r in rows], dtype=bool)))
    if cell["positives"] < 100:
        cell["f1_ci95"] = _bootstrap(rows, metric)
    return cell


def _verdict_macro_f1(which: str) -> Any:
    def metric(rows: list[Row]) -> float:
        gold = [r.gold.verdict for r in rows]
        pred = [getattr(r, which) for r in rows]
        return float(f1_score(gold, pred, labels=list(VERDICTS), average="macro", zero_division=0))
    return metric


def _score_metrics(y: np.ndarray, p: np.ndarray) -> dict[str, Any]:
    out: dict[str, Any] = {"brier": round(float(brier_score_loss(y, p)), 4),
                           "ece": round(expected_calibration_error(y, p), 4)}
    out["roc_auc"] = round(float(roc_auc_score(y, p)), 4) if len(set(y.tolist())) == 2 else None
    return out


def evaluate_claims(split: str = "dev", path: Path = LABELS_PATH, plot: Path | None = None,
                    majority_from: str = "train") -> dict[str, Any]:
    rows, n_predicted = collect(split, path)
    matched = [r for r in rows if r.matched]
    gold_positive_share = None
    train_labels = load_labels(path, majority_from) if majority_from else []
    majority_verdict = (Counter(c.verdict for c in train_labels).most_common(1)[0][0] if train_labels
                        else "unsourced")
    if train_labels:
        gold_positive_share = sum(c.verdict == "corroborated" for c in train_labels) / len(train_labels)
    result: dict[str, Any] = {
        "split": split, "articles": len({r.article_id for r in rows}), "labelled_claims": len(rows),
        "predicted_claims": n_predicted, "claim_recall": round(len(matched) / len(rows), 4) if rows else None,
        "claim_precision": round(len(matched) / n_predicted, 4) if n_predicted else None,
    }
    # Source type on the claims whose source was found: the label cites a source and the scorer
    # cites one; the scorer's primary type against the label's (pronouns and surnames typed through
    # their referents, so a wrong referent counts against it). Beside it, a diagnostic: the claims
    # where the scorer cites the label's primary source itself (ids aligned), typing alone.
    typed = [r for r in matched if r.gold.source_ids and r.source_type]
    gold_t = [r.gold.source_types[0] for r in typed]
    pred_t = [r.source_type or "" for r in typed]
    labels = [t for t in SOURCE_TYPES if t != "unattributed"]
    confusion = {g: {p: sum(1 for a, b in zip(gold_t, pred_t, strict=True) if a == g and b == p)
                     for p in labels}
                 for g in labels}
    same = [r for r in typed if r.label_source_type]
    per_type = _type_f1(gold_t, pred_t, labels) if typed else np.zeros(len(labels))
    result["source_type"] = {
        "claims": len(typed),
        "accuracy": (round(float(np.mean([a == b for a, b in zip(gold_t, pred_t, strict=True)])), 4)
                     if typed else None),
        "macro_f1": round(float(per_type.mean()), 4) if typed else None,
        "macro_f1_ci95": _bootstrap(typed, _type_f1_metric(labels, None)) if typed else None,
        "per_type_f1": dict(zip(labels, (round(float(v), 4) for v in per_type), strict=True)),
        # LABELLING.md: an interval for every figure on fewer than 100 positives.
        "per_type_f1_ci95": {lab: _bootstrap(typed, _type_f1_metric(labels, k))
                             for k, lab in enumerate(labels) if 0 < gold_t.count(lab) < 100},
        "positives": {lab: gold_t.count(lab) for lab in labels},
        "confusion": confusion,
        "same_source_claims": len(same),
        "same_source_accuracy": round(float(np.mean(
            [r.label_source_type == r.gold.source_types[0] for r in same])), 4) if same else None,
    }
    if typed:
        # The majority class: every found source typed as train's commonest primary type.
        train_types = Counter(c.source_types[0] for c in train_labels if c.source_ids)
        common = train_types.most_common(1)[0][0] if train_types else "named_official"
        result["source_type"]["majority"] = {
            "type": common, "accuracy": round(gold_t.count(common) / len(gold_t), 4),
            "macro_f1": round(float(_type_f1(gold_t, [common] * len(gold_t), labels).mean()), 4)}
    for field in ("hedged", "contradicted"):
        gold = np.array([getattr(r.gold, field) for r in rows], dtype=bool)
        # The majority class of train (neither is the majority): never flagged, F1 0 by definition.
        majority = bool(train_labels) and 2 * sum(getattr(c, field) for c in train_labels) > len(train_labels)
        never_or_always = np.full(len(rows), majority, dtype=bool)
        result[field] = {**_flag_scores(rows, field, field),
                         "rules": _flag_scores(rows, field, f"rules_{field}"),
                         "majority": {"flag": majority, **prf(gold, never_or_always)}}
    # Verdicts: the model, the rules alone, the majority class.
    y = np.array([r.gold.verdict == "corroborated" for r in rows], dtype=int)
    model_p = np.array([r.score for r in rows])
    rules_p = np.array([float(r.rules_verdict == "corroborated") for r in rows])
    majority_p = np.full(len(rows), gold_positive_share if gold_positive_share is not None else y.mean())
    verdict_cells: dict[str, dict[str, Any]] = {}
    for name, which, p in (("model", "verdict", model_p), ("rules", "rules_verdict", rules_p)):
        cell = {"verdict_macro_f1": round(_verdict_macro_f1(which)(rows), 4), **_score_metrics(y, p)}
        cell["verdict_macro_f1_ci95"] = _bootstrap(rows, _verdict_macro_f1(which), rounds=300)
        verdict_cells[name] = cell
    majority_pred = [majority_verdict] * len(rows)
    verdict_cells["majority"] = {
        "verdict": majority_verdict,
        "verdict_macro_f1": round(float(f1_score(
            [r.gold.verdict for r in rows], majority_pred, labels=list(VERDICTS), average="macro",
            zero_division=0)), 4),
        **_score_metrics(y, majority_p),
    }
    result["verdict"] = verdict_cells

    def macro_f1_gain(sample: list[Row]) -> float:
        return float(_verdict_macro_f1("verdict")(sample) - _verdict_macro_f1("rules_verdict")(sample))

    def brier_gain(sample: list[Row]) -> float:  # lower Brier is better: the rules' minus the model's
        y_s = np.array([r.gold.verdict == "corroborated" for r in sample], dtype=float)
        model_s = np.array([r.score for r in sample])
        rules_s = np.array([float(r.rules_verdict == "corroborated") for r in sample])
        return float(np.mean((rules_s - y_s) ** 2) - np.mean((model_s - y_s) ** 2))

    result["model_vs_rules"] = {"verdict_macro_f1": _paired_gain(rows, macro_f1_gain),
                                "brier": _paired_gain(rows, brier_gain)}
    result["corroborated_positives"] = int(y.sum())
    if plot is not None:
        reliability_plot(y, model_p, plot, title=f"Corroboration score, {split} ({len(rows)} claims)")
        result["plot"] = str(plot)
    return result


def reliability_plot(y: np.ndarray, p: np.ndarray, path: Path, bins: int = 10, title: str = "") -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    edges = np.linspace(0, 1, bins + 1)
    idx = np.clip(np.digitize(p, edges[1:-1]), 0, bins - 1)
    xs, ys, ns = [], [], []
    for b in range(bins):
        mask = idx == b
        if mask.any():
            xs.append(p[mask].mean())
            ys.append(y[mask].mean())
            ns.append(int(mask.sum()))
    fig, ax = plt.subplots(figsize=(5, 5))
    ax.plot([0, 1], [0, 1], linestyle="--", color="grey", label="perfect calibration")
    ax.plot(xs, ys, marker="o", label=f"scorer (ECE {expected_calibration_error(y, p):.3f})")
    for x, yy, n in zip(xs, ys, ns, strict=True):
        ax.annotate(str(n), (x, yy), textcoords="offset points", xytext=(4, -10), fontsize=7)
    ax.set_xlabel("predicted probability of corroborated")
    ax.set_ylabel("share labelled corroborated")
    ax.set_title(title)
    ax.legend(loc="upper left")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


_SHORT_TYPE = {"named_official": "official", "named_institution": "instit.", "named_person": "person",
               "document": "document", "outlet": "outlet", "unnamed_source": "unnamed",
               "second_source": "second"}


def format_claims_table(r: dict[str, Any]) -> str:
    def ci(cell: dict[str, Any], key: str) -> str:
        v = cell.get(key)
        return f" [{v[0] * 100:.1f}, {v[1] * 100:.1f}]" if v else ""

    lines = [f"Labelled claims, split {r['split']}: {r['articles']} articles, {r['labelled_claims']} claims "
             f"({r['corroborated_positives']} corroborated); scorer found {r['predicted_claims']} claims",
             f"claim recall {r['claim_recall'] * 100:.1f}  "
             f"claim precision {r['claim_precision'] * 100:.1f}", ""]
    st = r["source_type"]
    if st["claims"]:
        lines.append(f"source type on {st['claims']} claims whose source was found: "
                     f"accuracy {st['accuracy'] * 100:.1f}, "
                     f"macro-F1 {st['macro_f1'] * 100:.1f}{ci(st, 'macro_f1_ci95')}")
        intervals = {k: f" [{v[0] * 100:.0f}, {v[1] * 100:.0f}]"
                     for k, v in st["per_type_f1_ci95"].items() if v}
        lines.append("  per type F1: " + ", ".join(f"{k} {v * 100:.0f}{intervals.get(k, '')}"
                                                   for k, v in st["per_type_f1"].items()))
        if st.get("same_source_claims"):
            lines.append(f"  typing alone, on the {st['same_source_claims']} claims citing the label's own "
                         f"source: accuracy {st['same_source_accuracy'] * 100:.1f}")
        lines.append("  confusion (rows label, columns scorer): "
                     + " ".join(f"{_SHORT_TYPE.get(t, t):>8s}" for t in st["confusion"]))
        for g, cells in st["confusion"].items():
            lines.append(f"  {g:>39s} " + " ".join(f"{cells[p]:8d}" for p in cells))
        if st.get("majority"):
            m = st["majority"]
            lines.append(f"  majority class ({m['type']} for every source): "
                         f"accuracy {m['accuracy'] * 100:.1f}, macro-F1 {m['macro_f1'] * 100:.1f}")
    lines.append("")
    for field in ("hedged", "contradicted"):
        c = r[field]
        for name, cell in (("model", c), ("rules", c.get("rules")), ("majority", c.get("majority"))):
            if not cell:
                continue
            head = f"{field:12s} {name:8s}" if name == "model" else f"{'':12s} {name:8s}"
            lines.append(f"{head} P {cell['precision'] * 100:5.1f}  R {cell['recall'] * 100:5.1f}  "
                         f"F1 {cell['f1'] * 100:5.1f}{ci(cell, 'f1_ci95')}"
                         + (f"  ({c['positives']} positives)" if name == "model" else ""))
    lines += ["", f"{'system':10s} {'verdict macro-F1':>24s} {'ROC AUC':>8s} {'Brier':>7s} {'ECE':>7s}"]
    for name, c in r["verdict"].items():
        auc = f"{c['roc_auc']:.3f}" if c.get("roc_auc") is not None else "n/a"
        lines.append(f"{name:10s} {c['verdict_macro_f1'] * 100:8.1f}{ci(c, 'verdict_macro_f1_ci95'):>16s} "
                     f"{auc:>8s} {c['brier']:7.3f} {c['ece']:7.3f}")
    versus = r.get("model_vs_rules") or {}
    for metric, label, scale in (("verdict_macro_f1", "verdict macro-F1 points", 100), ("brier", "Brier", 1)):
        g = versus.get(metric)
        if g:
            digits = 1 if scale == 100 else 4
            lines.append(f"model ahead of the rules, {label}: {g['gain'] * scale:+.{digits}f} "
                         f"[{g['ci95'][0] * scale:+.{digits}f}, {g['ci95'][1] * scale:+.{digits}f}] "
                         f"(paired bootstrap; ahead in {g['model_ahead_share'] * 100:.0f}% of resamples)")
    if r.get("plot"):
        lines.append(f"\nreliability diagram: {r['plot']}")
    return "\n".join(lines)
