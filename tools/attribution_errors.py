"""PolNeAR attribution errors sorted into causes: issue 4's error analysis, reproducible.

    PYTHONPATH=. python tools/attribution_errors.py                     # PolNeAR train, counts
    PYTHONPATH=. python tools/attribution_errors.py --sample 100        # and 100 examples a side
    PYTHONPATH=. python tools/attribution_errors.py --top 20            # and each cause's top cues
    PYTHONPATH=. python tools/attribution_errors.py --held-out /tmp/holdout/seed0   # held-out counts

A miss is a gold source that no predicted source overlaps (what costs overlap recall); a false alarm
is a predicted source that overlaps no gold source (what costs overlap precision). Each goes to the
first cause that applies, in the order of MISS_CAUSES and ALARM_CAUSES, and is also counted by its
cue's kind (speech, as the evaluation's speech-only view defines it, or other: beliefs, intentions,
stances, acts). The default split is train, where rules and features are decided; the stored
attribution models were fitted on all of train, so its counts are in-sample. `--held-out DIR` reads
the 295 held-out train articles of tools/holdout_attribution.py with the models that tool fitted
without them (DIR is one of its seed folders): counts as the models meet unseen text. Dev stays for
measurement.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import regex

MISS_CAUSES = (
    ("headline", "the source stands in the headline (the article's first line)"),
    ("no gold cue", "PolNeAR marks a source without a cue"),
    ("cue missed, lexicon word",
     "no predicted cue overlaps the gold cue; a word of it is in the cue lexicon"),
    ("cue missed, other word", "no predicted cue overlaps the gold cue; no word of it is in the lexicon"),
    ("cue found, no source", "a predicted cue overlaps the gold cue but has no source"),
    ("cue found, other source", "a predicted cue overlaps the gold cue, with a source elsewhere"),
)
ALARM_CAUSES = (
    ("headline", "the source stands in the headline"),
    ("no cue", "a source predicted without a cue"),
    ("cue not marked", "its cue overlaps no gold cue: PolNeAR marks no attribution there"),
    ("cue marked, source elsewhere", "its cue is a gold cue whose gold source lies elsewhere"),
)
_WORD = regex.compile(r"[\p{L}’']+")


def _overlaps(a: tuple[int, int], spans: Sequence[tuple[int, int]]) -> bool:
    return any(a[0] < e and s < a[1] for s, e in spans)


def classify(article: Any, sources: Sequence[tuple[int, int]], cues: Sequence[tuple[int, int]],
             pairs: Sequence[tuple[tuple[int, int] | None, tuple[int, int]]],
             lexicon: frozenset[str]) -> tuple[list[tuple[str, bool, Any, Any]],
                                               list[tuple[str, bool, Any, Any]]]:
    """One article's misses and false alarms, each as (cause, speech cue?, source span, cue span):
    a miss's gold cue, a false alarm's own first cue (None when there is none)."""
    from scorer.evaluation.polnear import is_speech_cue

    text = article.text
    first_line = text.find("\n") if "\n" in text else len(text)
    gold = [g for g in article.attributions if g.source]
    gold_sources = [g.source for g in gold]
    gold_cues = [g.cue for g in article.attributions if g.cue]
    misses = []
    for g in gold:
        if _overlaps(g.source, sources):
            continue
        speech = bool(g.cue) and is_speech_cue(text, g.cue)
        if g.source[0] < first_line:
            cause = "headline"
        elif g.cue is None:
            cause = "no gold cue"
        elif not _overlaps(g.cue, cues):
            words = {w.lower() for w in _WORD.findall(text[g.cue[0]:g.cue[1]])}
            cause = "cue missed, lexicon word" if words & lexicon else "cue missed, other word"
        else:
            own = [s for s, c in pairs if _overlaps(g.cue, [c])]
            cause = "cue found, other source" if any(own) else "cue found, no source"
        misses.append((cause, speech, g.source, g.cue))
    alarms = []
    for s in sources:
        if _overlaps(s, gold_sources):
            continue
        own_cues = [c for src, c in pairs if src == s]
        speech = any(is_speech_cue(text, c) for c in own_cues)
        if s[0] < first_line:
            cause = "headline"
        elif not own_cues:
            cause = "no cue"
        elif not any(_overlaps(c, gold_cues) for c in own_cues):
            cause = "cue not marked"
        else:
            cause = "cue marked, source elsewhere"
        alarms.append((cause, speech, s, own_cues[0] if own_cues else None))
    return misses, alarms


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", default="train", choices=["train", "dev"])
    ap.add_argument("--limit", type=int, help="only the first N articles")
    ap.add_argument("--sample", type=int, default=0, help="print this many random examples a side")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--top", type=int, default=0, help="list each cause's N most frequent cue texts")
    ap.add_argument("--held-out", type=Path, metavar="DIR",
                    help="held-out train articles, with the models tools/holdout_attribution.py wrote to DIR")
    args = ap.parse_args()

    from scorer.attribution_model import load_models, model_lexicon
    from scorer.evaluation.attribution_eval import predicted_spans
    from scorer.evaluation.polnear import load_split
    from scorer.pipeline import Pipeline

    lex = model_lexicon()
    lexicon = frozenset(lex.forms) | frozenset(lex.cue_nouns)
    pipeline = Pipeline()
    if args.held_out is not None:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from holdout_attribution import held_out_split

        models = load_models(str(args.held_out))
        if models is None:
            sys.exit(f"error: no attribution models in {args.held_out}; "
                     "run tools/holdout_attribution.py --out DIR first")
        pipeline.attribution.models = models
        articles = held_out_split()[1][:args.limit]
    else:
        articles = load_split(args.split, limit=args.limit)
    misses: list[tuple[str, bool, str, str, str]] = []
    alarms: list[tuple[str, bool, str, str, str]] = []
    n_gold = n_pred = 0
    for article in articles:
        report = pipeline.analyze(article.text, article_id=article.id)
        sources, cues, pairs = predicted_spans(report.to_dict())
        n_gold += len({g.source for g in article.attributions if g.source})
        n_pred += len(sources)
        found_misses, found_alarms = classify(article, sources, cues, pairs, lexicon)
        for out, found in ((misses, found_misses), (alarms, found_alarms)):
            for cause, speech, (s, e), cue in found:
                context = article.text[max(0, s - 70):e + 70].replace("\n", " ")
                cue_text = article.text[cue[0]:cue[1]].lower() if cue else ""
                out.append((cause, speech, article.text[s:e], cue_text, context))

    split = "train, held out" if args.held_out is not None else args.split
    print(f"PolNeAR {split}: {len(articles)} articles, {n_gold} gold sources, {n_pred} predicted; "
          f"{len(misses)} misses, {len(alarms)} false alarms (overlap matching)")
    for title, causes, found in (("misses", MISS_CAUSES, misses), ("false alarms", ALARM_CAUSES, alarms)):
        by_cause = Counter(c for c, _, _, _, _ in found)
        speech = Counter(c for c, sp, _, _, _ in found if sp)
        print(f"\n| {title} by cause | count | share | speech cue | other cue |\n|---|---|---|---|---|")
        for cause, _ in causes:
            n = by_cause[cause]
            share = 100 * n / max(len(found), 1)
            print(f"| {cause} | {n} | {share:.1f}% | {speech[cause]} | {n - speech[cause]} |")
        for cause, meaning in causes:
            print(f"  {cause}: {meaning}", file=sys.stderr)
        if args.top:
            for cause, _ in causes:
                cues = Counter(cue for c, _, _, cue, _ in found if c == cause and cue)
                if cues:
                    listed = ", ".join(f"{cue!r} {n}" for cue, n in cues.most_common(args.top))
                    print(f"  {cause}, most frequent cues: {listed}")
        if args.sample:
            rng = random.Random(args.seed)
            print(f"\n{title}, {min(args.sample, len(found))} examples:")
            for cause, sp, span, cue, context in sorted(rng.sample(found, min(args.sample, len(found)))):
                print(f"  [{cause}{', speech' if sp else ''}] {span!r} <{cue}> :: {context}")


if __name__ == "__main__":
    main()
