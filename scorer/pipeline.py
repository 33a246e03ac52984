"""The engine: one readable pipeline, text parsed once, every step's findings passed forward.

    claims -> attribution -> sourcing type -> source identity -> signals -> score -> report

Each step is its own module; this file only wires them together in a fixed order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields, is_dataclass, replace
from functools import lru_cache
from typing import Any

import numpy as np
import regex

from scorer.attribution import Attribution, AttributionFinder, cue_negated
from scorer.claims import Claim, claims_and_other_sentences, is_title_case, split_clause, unquote, unwrap
from scorer.context import ContextSourcer
from scorer.errors import InputError
from scorer.hedging import NEWS_HEDGE_MODEL_PATH, HedgeDetector, HedgeResult, default_detector
from scorer.identity import Source, link_sources
from scorer.linear import LinearModel
from scorer.markup import blank_html, looks_like_html
from scorer.report import ClaimAttribution, ClaimResult, OtherAttribution, Report
from scorer.rulebook import RuleMatch, ruleset
from scorer.scoring import ClaimEvidence, corroboration_model, score_claims
from scorer.signals import (
    SUPPORT_MIN_SIMILARITY,
    ContradictionFinder,
    ContradictionLink,
    claim_coverage,
    contest_model,
    contest_rows,
    contested,
    disputing_claim,
    similarity_matrix,
    stance_disputes,
)
from scorer.sourcing import TYPE_RANK, SourceTyper, handle_reading, outlet_table
from scorer.spans import Span, make_span
from scorer.stance_detection import default_stance_model
from scorer.turns import Turns, speaker_turns

# Where a sentence that joins two attributions splits into two claims ("X said A, while Y said B").
_CLAUSE_JOINT = regex.compile(r";\s+|,\s+(?=(?:while|whereas|but|and)\s)|\s+(?=while\s)", regex.IGNORECASE)


@dataclass(frozen=True)
class _ClaimWork:
    claim: Claim
    attributions: tuple[Attribution, ...]


_CITING_CLASSES = frozenset({"speech", "belief", "evidence"})
# Line ends other than LF and CRLF. Not U+0085 (NEL): in news text it is far more often a cp1252
# ellipsis decoded as Latin-1.
_OTHER_LINE_BREAK = regex.compile(r"\r(?!\n)|[\u2028\u2029]")
# A lead-in line that introduces the quotation below it ("Cruz continued:", "In a speech, he said:"):
# not a claim itself (it reports nothing), but it names who speaks in the claim that follows.
_LEAD_IN = regex.compile(r"(?:^|(?<=[.!?”\"]\s)|(?<=\n))([^\n.!?]{3,160}):[ \t\r]*\n\s*$")
# An embedded social-media post as scraped news carries it: `<tweet id="..." author="@handle" ...>text
# </tweet>` (PolNeAR's 840 train articles hold 120 in 57 articles). The post's sentences are its
# author's words, whoever the article names around it.
_TWEET = regex.compile(r'<tweet\b[^>]*?\bauthor="([^"<>]{1,80})"[^>]*>(.*?)</tweet>', regex.DOTALL)


def _cites_outside_claims(text: str, att: Attribution) -> bool:
    """Whether an attribution found in a sentence that is no claim cites someone. A bare colon does
    only before a quotation ("Trump: 'We are going to win so much.'"); after a line label
    ("CORRECTION:", "Contributing:") or in a crosshead ("Rubio: Finish second.") it cites no one."""
    if text[att.cue.start:att.cue.end].strip(" :"):
        return True
    return text[att.cue.end:att.cue.end + 3].lstrip()[:1] in _OPENING_QUOTES


_OPENING_QUOTES = frozenset({'"', "'", "“", "‘"})


def _is_first_line(text: str, sentence: Span) -> bool:
    """Whether `sentence` is the article's first line, alone on it: where a headline stands."""
    line_end = text.find("\n", sentence.end)
    return (not text[:sentence.start].strip()
            and not text[sentence.end:line_end if line_end >= 0 else len(text)].strip())


def _speaker(attributions: Sequence[Attribution]) -> list[Attribution]:
    """The first attribution that cites a source, as a list (empty when none): who speaks in the
    quotation a lead-in introduces."""
    return next(([a] for a in attributions if a.cue_class in _CITING_CLASSES and a.source is not None), [])


def cited_attributions(text: str, attributions: tuple[Attribution, ...]) -> list[bool]:
    """Which attributions cite a source FOR the claim, as opposed to ones nested in its content.

    "She stated that the proposal aims to ..." cites She; "aims" is an intention inside the
    content. An attribution is nested when an earlier cited cue opens content before its source.
    Intentions ("wants", "plans") and negated cues ("did not clarify") never cite.
    """
    flags: list[bool] = []
    content_starts: list[int] = []
    for att in attributions:
        negated = cue_negated(text, att)
        nested = att.source is not None and any(att.source.start >= c for c in content_starts)
        cited = att.cue_class in _CITING_CLASSES and not negated and not nested
        flags.append(cited)
        if cited and att.rule_id in {"attr.subject_cue", "attr.colon"}:
            content_starts.append(att.cue.end)
    return flags


@dataclass(frozen=True)
class Attributed:
    """Steps 1 to 4 of one article: claims, their attributions and the linked, typed sources."""

    work: list[_ClaimWork]
    spans: list[Span]
    claim_ids: list[tuple[str, ...]]  # cited source ids per claim, from its own sentence (or quote)
    claim_atts: list[tuple[ClaimAttribution, ...]]
    uncited_source: list[bool]  # the claim has an attribution with a source that does not cite
    type_of: dict[str, str]
    sources: list[Source]
    sims: np.ndarray  # claim-by-claim content similarity
    other_attributions: tuple[OtherAttribution, ...]  # in sentences that are not claims
    quotation: list[int]  # per claim, its running quotation's number (`_quotation_runs`)
    # Who holds which stretch in an interview or a transcript (None: neither); an interview's
    # questions are the interviewer's, and their sentences inherit no speaker.
    turns: Turns | None = None


@dataclass(frozen=True)
class Signals:
    """Step 5 of one article: hedges, contradiction cues and links, and the contested-model rows."""

    hedges: list[HedgeResult]
    cue_matches: list[list[RuleMatch]]
    links: list[ContradictionLink]
    contradicted_by: dict[int, list[int]]  # by cue links and `against` stances alone
    stance_cues: dict[int, list[Span]]
    doubts: list[list[RuleMatch | Span]]  # per claim: its contradiction cues and stance dispute cues
    contest_rows: np.ndarray


class Pipeline:
    def __init__(self, use_context: bool = True, use_contest: bool = True) -> None:
        self.claim_rules = ruleset("claims")
        self.attribution = AttributionFinder()
        self.typer = SourceTyper()
        self.contradictions = ContradictionFinder()
        # News weights fitted on labelled news claims (scorer train-hedges); the WikiWeasel weights in
        # rules/hedge_model.yaml serve the WikiWeasel measurement, whose labels differ from LABELLING.md.
        self.hedges: HedgeDetector = default_detector(model_path=NEWS_HEDGE_MODEL_PATH)
        self.outlets = outlet_table()
        self.poll_statistic = self.typer.rules.get("sources.poll_statistic")
        self.election_result = self.typer.rules.get("sources.election_result")
        self.poll_wording = self.typer.rules.get("sources.poll_wording")
        self.poll_heads = frozenset(self.typer.rules.lists["poll_heads"])
        self.model = corroboration_model()
        self.stance = default_stance_model()
        self.context: ContextSourcer | None = ContextSourcer() if use_context else None
        self.contest_cues = ruleset("contest_cues")
        self.contest: LinearModel | None = contest_model() if use_contest else None

    # -- step 1 + 2: claims and their attributions -------------------------------------------
    def _claims_with_attributions(self, text: str) -> tuple[list[_ClaimWork], list[OtherAttribution]]:
        work: list[_ClaimWork] = []
        claims, other_sentences = claims_and_other_sentences(text, self.claim_rules)
        # Lead-in lines between claims ("Cruz continued:"), each with the claim it introduces.
        lead_ins: dict[int, tuple[int, int]] = {}
        for k, claim in enumerate(claims):
            lead_in = _LEAD_IN.search(text, claims[k - 1].end if k else 0, claim.start)
            if lead_in:
                lead_ins[k] = (lead_in.start(1), lead_in.end(1) + 1)  # the cue keeps its colon
        # The attribution models score the cue tokens, then the cue spans, of all claims and lead-ins at once.
        # Sentences that are no claims still cite people ("Trump says he'll recast image;" as a headline,
        # "Borger asked." after a question): the report lists who they cite, unscored. A lead-in's
        # speaker is already lent to its quotation.
        # Headlines in Title Case are read apart, with their cue words in lower case.
        plain: list[Span] = []
        title_case: list[Span] = []
        for s in other_sentences:
            if not any(s.start < end and start < s.end for start, end in lead_ins.values()):
                (title_case if is_title_case(s.text) else plain).append(s)
        ranges = ([(claim.start, claim.end) for claim in claims] + list(lead_ins.values())
                  + [(s.start, s.end) for s in plain])
        founds = self.attribution.find_many(text, ranges)
        n_claims_and_lead_ins = len(claims) + len(lead_ins)
        lead_found = dict(zip(lead_ins, founds[len(claims):n_claims_and_lead_ins], strict=True))
        other_founds = founds[n_claims_and_lead_ins:]
        if title_case:
            other_founds += self.attribution.find_many_in_title_case(
                text, [(s.start, s.end) for s in title_case])
        other_attributions = [
            OtherAttribution(_around(text, sentence, att), att.source, att.cue, att.cue_class, att.rule_id)
            for sentence, found in zip(plain + title_case, other_founds, strict=True)
            for att in found if _cites_outside_claims(text, att)]
        # A headline's label and colon ("Graham: Trump’s ‘Hateful Rhetoric’ ...") cite the label,
        # which `_cites_outside_claims` leaves to quotations in the body's crossheads.
        headline = other_sentences[0] if other_sentences else None
        if headline is not None and _is_first_line(text, headline):
            label = self.attribution.headline_label(text, headline.start, headline.end)
            if label is not None:
                other_attributions = [a for a in other_attributions if not a.cue.intersects(label.cue)]
                other_attributions.append(OtherAttribution(headline, label.source, label.cue,
                                                           label.cue_class, label.rule_id))
        other_attributions.sort(key=lambda a: (a.sentence.start, a.cue.start))
        for k, (claim, found) in enumerate(zip(claims, founds[:len(claims)], strict=True)):
            previous_end = claims[k - 1].end if k else 0
            if k in lead_found:
                found = _speaker(lead_found[k]) + found
            elif work and text[previous_end - 1] == ":" and not text[previous_end:claim.start].strip():
                # The previous claim is itself a lead-in sentence ("Sanders pointed out that ...:").
                found = _speaker(work[-1].attributions) + found
            work.extend(self._split_two_attributions(text, claim, found))
        return work, other_attributions

    def _split_two_attributions(self, text: str, claim: Claim, found: list[Attribution]) -> list[_ClaimWork]:
        # Only citing attributions make a sentence two claims: acts and intentions ("X has proposed")
        # are what a claim reports, not who it cites.
        citing = [a for a in found if a.cue_class in _CITING_CLASSES]
        heads = {a.head.text.lower() for a in citing if a.head}
        if len(citing) < 2 or len(heads) < 2:
            return [_ClaimWork(claim, tuple(found))]
        for joint in _CLAUSE_JOINT.finditer(text, claim.start, claim.end):
            cut = joint.end()
            left = [a for a in citing if a.cue.end <= joint.start()]
            right = [a for a in citing if a.cue.start >= cut]
            left_heads = {a.head.text.lower() for a in left if a.head}
            right_heads = {a.head.text.lower() for a in right if a.head}
            if left and right and left_heads and right_heads and left_heads != right_heads:
                # Never split inside quotation marks: a quoted "while" belongs to the speaker.
                if _quote_open_after(text[claim.start:cut]):  # curly or straight marks alike
                    continue
                pair = split_clause(text, claim, cut)
                if pair:
                    return [_ClaimWork(pair[0], tuple(a for a in found if a.cue.end <= cut)),
                            _ClaimWork(pair[1], tuple(a for a in found if a.cue.start >= cut))]
        return [_ClaimWork(claim, tuple(found))]

    # -- steps 1 to 4: claims, who they cite, what kind of source, which mentions are one source ---
    def attribute(self, text: str) -> Attributed:
        work, other_attributions = self._claims_with_attributions(text)
        mentions: list[tuple[Span, object]] = []
        owners: list[tuple[int, int]] = []
        cited = [cited_attributions(text, cw.attributions) for cw in work]
        officials = self.typer.article_officials(text)
        background = [(Span(s, e, text[s:e]), mt)
                      for s, e, mt in self.typer.background_people(text, officials)]
        # An interview's or a transcript's speakers (scorer/turns.py) are mentions of their own, cited
        # below by every sentence of their turns; a speaker label the attribution finder read as a
        # source ("FALLIN:") is typed as the person it names, not as an acronym.
        turns = speaker_turns(text, background,
                              lambda name: self.typer.classify(name, officials=officials))
        label_types = dict(turns.labels) if turns is not None else {}
        for ci, cw in enumerate(work):
            for ai, att in enumerate(cw.attributions):
                if att.head is not None and att.source is not None:
                    mentions.append((att.head, label_types.get(att.source) or
                                     self.typer.classify(att.source.text, att.head.text, officials)))
                    owners.append((ci, ai))
        # Each embedded post's author is a mention of its own (the handle inside the markup), cited
        # below by the post's sentences that cite no one else.
        tweets = [(m.start(2), m.end(2), m.start(1), m.end(1)) for m in _TWEET.finditer(text)]
        n_attribution_mentions = len(mentions)
        for _, _, a_start, a_end in tweets:
            handle = Span(a_start, a_end, text[a_start:a_end])
            mentions.append((handle, self.typer.classify(handle_reading(handle.text), officials=officials)))
        n_before_speakers = len(mentions)
        if turns is not None:
            mentions.extend(turns.speakers)
        things = [(Span(s, e, text[s:e]), mt) for s, e, mt in self.typer.background_things(text, officials)]
        ids, sources = link_sources(mentions, background, things, text,  # type: ignore[arg-type]
                                    several=lambda phrase: self.typer.coordinated_voices(phrase) >= 2)
        tweet_ids = ids[n_attribution_mentions:n_attribution_mentions + len(tweets)]
        speaker_ids = ids[n_before_speakers:]
        ids = ids[:n_attribution_mentions]
        type_rules = {owner: mt.rule_id  # type: ignore[attr-defined]
                      for owner, (_, mt) in zip(owners, mentions[:n_attribution_mentions], strict=True)}
        type_of = {s.id: s.type for s in sources}
        att_ids: dict[tuple[int, int], str] = dict(zip(owners, ids, strict=True))

        claim_ids: list[tuple[str, ...]] = []
        claim_atts: list[tuple[ClaimAttribution, ...]] = []
        uncited_source: list[bool] = []
        for ci, cw in enumerate(work):
            atts = []
            for ai, att in enumerate(cw.attributions):
                sid = att_ids.get((ci, ai))
                if sid is None:
                    # A cue with no source ("purportedly"): evidence of attribution, cites no one.
                    atts.append(ClaimAttribution(None, None, None, att.cue, att.rule_id, False))
                    continue
                atts.append(ClaimAttribution(sid, type_of[sid], att.source, att.cue, att.rule_id,
                                             cited[ci][ai], type_rules[(ci, ai)]))
            own = tuple(dict.fromkeys(a.source_id for a in atts if a.cited and a.source_id))
            if turns is not None and (turn := turns.speaker_at(cw.claim.span.start)) is not None:
                # A turn's sentences are its speaker's words; whoever they cite is inside the content
                # ("A: ... a neighbor told me they had been taken").
                own = (speaker_ids[turn],)
                atts = [ClaimAttribution(own[0], type_of[own[0]], None, None, "attr.speaker_turn"),
                        *(replace(a, cited=False) for a in atts)]
            if not own:
                # A sentence that cites no one but reports a speech or evidence act ("Doe called the
                # plan reckless", "the poll shows ...") cites the act's subject (LABELLING.md's
                # labelled claims count it as the claim's source).
                ids_here = [att_ids.get((ci, k)) for k in range(len(atts))]
                act = self.attribution.act_subject(text, cw.attributions, ids_here)
                if act is not None and (act_id := ids_here[act]) is not None:
                    own = (act_id,)
                    atts[act] = replace(atts[act], cited=True, rule_id="attr.act_subject")
            if not own:
                author = next((tweet_ids[k] for k, (start, end, _, _) in enumerate(tweets)
                               if start <= cw.claim.span.start < end), None)
                if author is not None:
                    own = (author,)
                    atts.insert(0, ClaimAttribution(author, type_of[author], None, None, "attr.post_author"))
            if (not own and ci > 0 and _continues_quote(text, work[ci - 1].claim, cw.claim)
                    and claim_ids[ci - 1]):
                # A quotation running on from the previous sentence keeps its speaker.
                own = claim_ids[ci - 1][:1]
                atts.insert(0, ClaimAttribution(own[0], type_of[own[0]], None, None,
                                                "attr.quote_continuation"))
            claim_ids.append(own)
            claim_atts.append(tuple(atts))
            uncited_source.append(any(a.source_id and not a.cited for a in atts))
        spans = [cw.claim.span for cw in work]
        # A quotation of several sentences names its speaker once, often only after its last
        # sentence ('"... fearful. They are anxious," Doe said.'): its earlier sentences take that speaker.
        quotation = _quotation_runs(text, spans)
        for ci, speaker in _quotation_speakers(text, spans, claim_ids, quotation).items():
            claim_ids[ci] = (speaker,)
            quoted = ClaimAttribution(speaker, type_of[speaker], None, None, "attr.quote_continuation")
            claim_atts[ci] = (quoted, *claim_atts[ci])
        return Attributed(work, spans, claim_ids, claim_atts, uncited_source, type_of, sources,
                          similarity_matrix([s.text for s in spans]), tuple(other_attributions), quotation,
                          turns)

    # -- step 4b: a claim citing no one may take its speaker from its paragraph (scorer/context.py) --
    def inherit(
        self, text: str, stage: Attributed,
    ) -> tuple[list[tuple[str, ...]], list[tuple[ClaimAttribution, ...]]]:
        claim_ids = list(stage.claim_ids)
        claim_atts = list(stage.claim_atts)
        if self.context is not None:
            inherited = self.context.inherit(text, stage.spans, claim_ids, stage.uncited_source, stage.sims)
            for i, inh in sorted(inherited.items()):
                if stage.turns is not None and stage.turns.unvoiced_at(stage.spans[i].start):
                    continue
                lent = stage.claim_ids[inh.lender][:1]
                claim_ids[i] = lent
                speaker = ClaimAttribution(lent[0], stage.type_of[lent[0]], None, None,
                                           "attr.paragraph_speaker")
                claim_atts[i] = (speaker, *claim_atts[i])
            # A quotation of several sentences is one voice: when the context lent its speaker to
            # some of its sentences ('"Then you have losers. So they blame others. Your life sucks."'
            # after a quoted paragraph of Barkley's), the sentences between take that speaker too.
            if inherited:
                for i, speaker_id in _quotation_speakers(text, stage.spans, claim_ids,
                                                         stage.quotation).items():
                    if stage.turns is not None and stage.turns.unvoiced_at(stage.spans[i].start):
                        continue
                    claim_ids[i] = (speaker_id,)
                    claim_atts[i] = (ClaimAttribution(speaker_id, stage.type_of[speaker_id], None, None,
                                                      "attr.quote_continuation"), *claim_atts[i])
        return claim_ids, claim_atts

    def poll_backing(self, spans: Sequence[Span], claim_ids: Sequence[tuple[str, ...]],
                     support: Sequence[tuple[str, ...]], sources: Sequence[Source]) -> dict[int, str]:
        """Claims that cite no one and no other claim backs but that report a share or a margin
        (rule sources.poll_statistic), each with the poll the article cites nearest before it (else
        the first after it): the numbers of a poll story come from its poll. An election's results
        (sources.election_result) are no poll's numbers unless the sentence names polls itself."""
        cited = {s for ids in claim_ids for s in ids}
        polls = sorted((src.mentions[0].start, src.id) for src in sources
                       if src.id in cited and src.type == "document" and src.mentions
                       and any(w in self.poll_heads for w in src.name.lower().split()))
        if not polls:
            return {}
        backing = {}
        for i, span in enumerate(spans):
            if claim_ids[i] or support[i] or not self.poll_statistic.found_in(span.text):
                continue
            if self.election_result.found_in(span.text) and not self.poll_wording.found_in(span.text):
                continue
            before = [pid for start, pid in polls if start < span.start]
            backing[i] = before[-1] if before else polls[0][1]
        return backing

    def independent_voices(self, attributions: Sequence[ClaimAttribution]) -> int:
        """The most sources one cited cue names side by side, outlets aside: sources sharing the cue
        ("according to Meloni and a diplomatic source") or conjoined in one source phrase ("Doe and
        Roe said"). Sources under different cues of one sentence are mostly one origin (a relay, a
        questioner, a subject of the reported content) and are not counted together."""
        by_cue: dict[tuple[int, int], set[str]] = {}
        most = 0
        for att in attributions:
            if not att.cited or att.source is None or att.source_id is None or att.source_type == "outlet":
                continue
            most = max(most, self.typer.coordinated_voices(att.source.text))
            if att.cue is not None:
                by_cue.setdefault((att.cue.start, att.cue.end), set()).add(att.source_id)
        return max(most, *(len(ids) for ids in by_cue.values())) if by_cue else most

    # -- step 5: hedges and contradiction evidence ----------------------------------------------
    def cue_links(self, text: str, spans: Sequence[Span], claim_ids: Sequence[Sequence[str]],
                  hedged: Sequence[bool]) -> tuple[list[list[RuleMatch]], list[ContradictionLink]]:
        """Each claim's contradiction cues and the links they make to the claims they dispute (a
        claim citing someone, or hedged, is an attributed candidate)."""
        cue_matches = [self.contradictions.cues(text, s.start, s.end) for s in spans]
        attributed = [bool(ids) or h for ids, h in zip(claim_ids, hedged, strict=True)]
        return cue_matches, self.contradictions.link(text, spans, cue_matches, attributed, claim_ids)

    def signals(self, text: str, spans: list[Span], claim_ids: list[tuple[str, ...]],
                quotation: Sequence[int]) -> Signals:
        hedge_results = self.hedges.detect_many([(text, s.start, s.end) for s in spans])
        cue_matches, links = self.cue_links(text, spans, claim_ids, [h.hedged for h in hedge_results])
        contradicted_by = contradicted_by_links(links, claim_ids)
        self_disputed = {link.disputing for link in links if link.disputed == link.disputing}
        # The stance model links what the cue lexicon misses: a claim that takes an `against` stance
        # (with a denial, doubt or correction cue) toward another claim it overlaps with.
        stance_cues: dict[int, list[Span]] = {}
        coverage = claim_coverage(spans)
        for dispute in stance_disputes(text, spans, self.stance, coverage, cue_matches):
            if set(claim_ids[dispute.disputing]) & set(claim_ids[dispute.disputed]) or \
                    quotation[dispute.disputing] == quotation[dispute.disputed]:
                # One voice's own sentences: a speaker's "not what we need" answers no one in them.
                continue
            if dispute.disputing in self_disputed:
                continue  # its denial answers the claim it reports itself ("..., a claim X denies")
            if dispute.disputing not in contradicted_by.get(dispute.disputed, []):
                contradicted_by.setdefault(dispute.disputed, []).append(dispute.disputing)
            stance_cues.setdefault(dispute.disputing, []).extend(dispute.cues)
        doubts = [list(m) + stance_cues.get(i, []) for i, m in enumerate(cue_matches)]
        rows = contest_rows(spans, doubts, [i in contradicted_by for i in range(len(spans))],
                            [bool(ids) for ids in claim_ids], self.contest_cues, coverage)
        return Signals(hedge_results, cue_matches, links, contradicted_by, stance_cues, doubts, rows)

    # -- the whole pipeline ---------------------------------------------------------------------
    def analyze(self, text: str, outlet: str | None = None, article_id: str | None = None) -> Report:
        outlet = _checked_arguments(text, outlet, article_id)
        given = text
        text, page = working_text(given)
        as_given = text is given  # each step of working_text returns its input when it changes nothing
        outlet_prior, outlet_known = self.outlets.prior_of(outlet)
        stage = self.attribute(text)
        work, spans, sims, type_of, sources = (stage.work, stage.spans, stage.sims, stage.type_of,
                                               stage.sources)
        claim_ids, claim_atts = self.inherit(text, stage)

        # Step 5: hedges, contradictions, support.
        sig = self.signals(text, spans, claim_ids, stage.quotation)
        hedge_results, cue_matches, links, stance_cues = (sig.hedges, sig.cue_matches, sig.links,
                                                          sig.stance_cues)
        contradicted_by = sig.contradicted_by
        if self.contest is not None:
            # Cue links stand; the contested-claim model adds the claims a dispute in the article
            # contests without a cue naming them, each with the doubting claim that covers it best.
            proba = self.contest.predict_proba(sig.contest_rows)[:, 1]
            contradicted_by = dict(contradicted_by)
            for i in np.flatnonzero(contested(sig.contest_rows, proba, self.contest.threshold)).tolist():
                if i not in contradicted_by:
                    by = disputing_claim(i, spans, sig.doubts)
                    contradicted_by[i] = [by] if by is not None else []
        disputes = ({(lk.disputing, lk.disputed) for lk in links}
                    | {(lk.disputed, lk.disputing) for lk in links})
        support: list[tuple[str, ...]] = []
        # Python floats (the same values), a row at a time, and sets made once: these loops visit every
        # pair of claims. All rows at once would hold claims² Python floats (110 MB for the 1,800
        # claims of a 200 KB text).
        id_sets = [set(ids_) for ids_ in claim_ids]
        for i in range(len(work)):
            backers: list[str] = []
            row = sims[i].tolist()
            for j in range(len(work)):
                if j == i or (i, j) in disputes or row[j] < SUPPORT_MIN_SIMILARITY or cue_matches[j]:
                    continue
                backers.extend(s for s in claim_ids[j] if s not in claim_ids[i])
            support.append(tuple(dict.fromkeys(backers)))
        for i, poll in self.poll_backing(spans, claim_ids, support, sources).items():
            support[i] = (poll,)

        # Step 6: score every claim in one vectorised call.
        evidence = []
        article_sources = len({s for ids_ in claim_ids for s in ids_})
        for i in range(len(work)):
            row = sims[i].tolist()
            others = [row[j] for j in range(len(work)) if j != i and id_sets[j] - id_sets[i]]
            types = tuple(type_of[s] for s in claim_ids[i])
            evidence.append(ClaimEvidence(
                independent_voices=self.independent_voices(claim_atts[i]),
                source_types=types, own_source_ids=claim_ids[i], support_source_ids=support[i],
                hedged=hedge_results[i].hedged, hedge_cues=len(hedge_results[i].cues),
                contradicted=i in contradicted_by, carries_doubt=bool(cue_matches[i]),
                outlet_prior=outlet_prior, article_sources=article_sources,
                other_source_similarity=float(max(others, default=0.0)),
                position=i / (len(work) - 1) if len(work) > 1 else 0.0))
        scored = score_claims(evidence, self.model)

        # Step 7: the report.
        results = []
        for i, cw in enumerate(work):
            ordered = sorted(claim_ids[i], key=lambda s: TYPE_RANK[type_of[s]])
            types = tuple(type_of[s] for s in ordered) or ("unattributed",)
            cue_spans = tuple(sorted(set(
                [sp for m in cue_matches[i] if (sp := make_span(text, m.start, m.end))]
                + stance_cues.get(i, []))))
            results.append(ClaimResult(
                id=f"C{i + 1}", span=cw.claim.span, attributions=claim_atts[i],
                source_type=types[0], source_types=types, source_ids=tuple(ordered),
                support_source_ids=support[i], hedged=hedge_results[i].hedged,
                hedge_probability=hedge_results[i].probability,
                hedge_cues=tuple(Span(c.start, c.end, c.text) for c in hedge_results[i].cues),
                contradicted=i in contradicted_by, contradiction_cues=cue_spans,
                contradicted_by=tuple(f"C{j + 1}" for j in sorted(set(contradicted_by.get(i, ())))),
                corroboration=scored[i].corroboration, verdict=scored[i].verdict,
                explanation=scored[i].explanation, features=scored[i].features))
        # Number the cited sources S1, S2, ... in order of first mention, then those only named inside
        # reported content: an editor reads S1..Sk as the voices the article cites.
        cited_ids = {sid for ids_ in claim_ids for sid in ids_}
        order = ([s_.id for s_ in sources if s_.id in cited_ids]
                 + [s_.id for s_ in sources if s_.id not in cited_ids])
        renumber = {old: f"S{k + 1}" for k, old in enumerate(order)}
        sources = sorted((replace(src, id=renumber[src.id], cited=src.id in cited_ids) for src in sources),
                         key=lambda src: int(src.id[1:]))
        results = [replace(
            c, source_ids=tuple(renumber[x] for x in c.source_ids),
            support_source_ids=tuple(renumber[x] for x in c.support_source_ids),
            attributions=tuple(replace(a, source_id=renumber[a.source_id]) if a.source_id else a
                               for a in c.attributions)) for c in results]
        report = Report(article_id, outlet, outlet_prior, outlet_known, len(text), tuple(sources),
                        tuple(results), other_attributions=stage.other_attributions)
        if as_given:
            return report
        # Every span's text as the article has it (a wrapped line's newline or CR, not the space
        # read); a web page's as a browser shows it (markup blanked, references decoded, the same length);
        # a forwarded e-mail's without its quotation marks.
        return _texts_from(report, _as_read(given, text, page))


# The longest stretch of a sentence that is no claim reported beside one of its attributions: each
# attribution carries its sentence, so a run-on "sentence" of 50,000 characters with 1,400 cues (a
# transcript without full stops) made a 72 MB report. A longer sentence is quoted around the cue.
OTHER_SENTENCE_CHARS = 600


def _around(text: str, sentence: Span, att: Attribution) -> Span:
    """`sentence`, or its stretch of at most OTHER_SENTENCE_CHARS around the attribution (its source
    and cue), cut at spaces, when the sentence is longer."""
    if sentence.end - sentence.start <= OTHER_SENTENCE_CHARS:
        return sentence
    first = min(att.cue.start, att.source.start) if att.source else att.cue.start
    last = max(att.cue.end, att.source.end) if att.source else att.cue.end
    room = max(0, OTHER_SENTENCE_CHARS - (last - first)) // 2
    start, end = max(sentence.start, first - room), min(sentence.end, last + room)
    if start > sentence.start:
        space = text.find(" ", start, first)
        start = space + 1 if space >= 0 else first
    if end < sentence.end:
        space = text.rfind(" ", last, end)
        end = space if space >= 0 else last
    return make_span(text, start, end) or sentence


def _checked_arguments(text: Any, outlet: Any, article_id: Any) -> str | None:
    """`analyze`'s arguments as it reads them, or an InputError saying what to pass: a wrong type
    failed deep inside ("'bytes' object has no attribute 'startswith'"). A missing outlet (None, NaN
    or pandas' NA, as `df.apply` passes an empty cell) is no outlet."""
    if not isinstance(text, str):
        fix = "; decode it first, e.g. text.decode('utf-8')" if isinstance(text, bytes | bytearray) else ""
        raise InputError(f"analyze: the text must be a str, not {type(text).__name__}{fix}")
    missing = outlet is None or type(outlet).__name__ == "NAType"  # pandas' NA, without importing pandas
    if missing or (isinstance(outlet, float) and outlet != outlet):
        outlet = None
    elif not isinstance(outlet, str):
        raise InputError(f"analyze: the outlet must be a str (a domain, URL or name) or None, "
                         f"not {type(outlet).__name__}")
    if article_id is not None and not isinstance(article_id, str):
        raise InputError(f"analyze: the article id must be a str or None, not {type(article_id).__name__}; "
                         "pass str(article_id)")
    return outlet


def _line_ends_read(given: str) -> str:
    """`given` with a byte-order mark read as a space and every line end as "\n", one for one."""
    text = given
    if text.startswith("\ufeff"):
        # A byte-order mark (a file read without utf-8-sig) is not part of the article: read as a
        # space, it leaves every offset into the text as given and the first line the first line.
        text = " " + text[1:]
    if _OTHER_LINE_BREAK.search(text):
        # Old Mac files end lines in a bare CR, some exports in U+2028/U+2029: as "\n" (one
        # character for one, so offsets still index the text as given) the headline and the
        # paragraphs are found as in any other file, not read as one run-on paragraph.
        text = _OTHER_LINE_BREAK.sub("\n", text)
    return text


def reads_as_page(given: str) -> bool:
    """Whether the pipeline reads the article `given` as a web page (`working_text` asks the same)."""
    return looks_like_html(_line_ends_read(given))


def working_text(given: str) -> tuple[str, bool]:
    """The text the pipeline reads for the article `given`, of the same length (every offset still
    indexes `given`), and whether it read `given` as a web page."""
    text = _line_ends_read(given)
    page = looks_like_html(text)
    if page:
        # A saved web page: read its text as a browser shows it, every offset still into the page
        # as given; its paragraphs are its block tags, not its source lines.
        return blank_html(text), page
    text = unquote(text)  # a forwarded e-mail's "> " before each line is no part of the article
    text = unwrap(text)  # a hard-wrapped paragraph is one paragraph, not a line each
    return text, page


def article_as_read(given: str) -> tuple[str, bool]:
    """The article as its report's span texts quote it (a web page as `blank_html` reads it, an
    e-mail without the "> " before its lines, any other text as given), and whether it was read as a
    web page: what a view of the whole article shows."""
    working, page = working_text(given)
    return _as_read(given, working, page), page


def _as_read(given: str, working: str, page: bool) -> str:
    """`given` as span texts quote it, from the pipeline's `working` text of it: a page as a browser
    shows it; otherwise the text as given, but the quotation marks `unquote` read as spaces (a
    line end stays as the file has it: CR LF, CR, U+2028)."""
    if page:
        return blank_html(given)
    if ">" not in given:
        return given
    return "".join(" " if g == ">" and w == " " else g for g, w in zip(given, working, strict=True))


def _texts_from(value: Any, text: str) -> Any:
    """`value` (a report or any part of it) with the text of every span taken from `text`: the same
    offsets, read from the article as given rather than the working copy the pipeline read."""
    if isinstance(value, tuple):
        return tuple(_texts_from(v, text) for v in value)
    if isinstance(value, list):
        return [_texts_from(v, text) for v in value]
    if not is_dataclass(value) or isinstance(value, type):
        return value
    names = {f.name for f in fields(value)}
    if {"start", "end", "text"} <= names:
        start, end = getattr(value, "start"), getattr(value, "end")  # noqa: B009 - any span-like value
        return replace(value, text=text[start:end])
    return replace(value, **{name: _texts_from(getattr(value, name), text) for name in names})


def contradicted_by_links(links: Sequence[ContradictionLink],
                          claim_ids: Sequence[Sequence[str]]) -> dict[int, list[int]]:
    """Claim -> the claims whose contradiction cues dispute it: the rules' own reading (cue links
    alone, before the stance and contested-claim models add theirs). A flat denial between two
    sources contests both sides; the disputing side only when it cites someone."""
    contradicted_by: dict[int, list[int]] = {}
    for link in links:
        contradicted_by.setdefault(link.disputed, []).append(link.disputing)
        if link.both_ways and claim_ids[link.disputing]:
            contradicted_by.setdefault(link.disputing, []).append(link.disputed)
    return contradicted_by


def _quotation_runs(text: str, spans: Sequence[Span]) -> list[int]:
    """Per claim, a number shared by the claims of one running quotation (and only by them): a claim
    inside a quotation opened at or after the start of the current run takes the run's number. The
    run is counted from its first claim, as a quotation of several sentences opens only once."""
    runs: list[int] = []
    first = 0
    for i, span in enumerate(spans):
        if i and _continues_quote(text, spans[first], span):
            runs.append(first)
        else:
            first = i
            runs.append(i)
    return runs


def _quotation_speakers(text: str, spans: Sequence[Span], claim_ids: Sequence[tuple[str, ...]],
                        runs: Sequence[int]) -> dict[int, str]:
    """Claims inside a running quotation that cite no one, each with the quotation's speaker: the first
    source cited by a later claim of the run (the sentence that closes the quotation and names who
    spoke), else by the nearest earlier one. A run's first claim counts as inside the quotation only
    when it opens with a quotation mark ("Doe arrived late. 'We won,' she said." is not one voice).
    A quotation that names no one and reopens right after the tag of the one before, in the same
    paragraph ('"A," she said. "B. C."'), keeps that speaker. `runs` are `_quotation_runs(text, spans)`."""
    members: dict[int, list[int]] = {}
    for i, run in enumerate(runs):
        members.setdefault(run, []).append(i)
    speakers = {}
    for run, claims in members.items():
        if (run > 0 and spans[run].text[:1] in _OPENING_QUOTES and claim_ids[run - 1]
                and not any(claim_ids[k] for k in claims)
                and "\n" not in text[spans[run - 1].start:spans[run].start]
                and any(q in spans[run - 1].text for q in ("”", '"', "''"))):
            # '"A," she said. "B. C."': a quotation reopened after its speaker tag, in one paragraph.
            for i in claims:
                speakers[i] = claim_ids[run - 1][0]
            continue
        if len(claims) < 2:
            continue
        for i in claims:
            if claim_ids[i] or (i == run and spans[i].text[:1] not in _OPENING_QUOTES):
                continue
            later = [k for k in claims if k > i and claim_ids[k]]
            earlier = [k for k in claims if k < i and claim_ids[k]]
            if later or earlier:
                speakers[i] = claim_ids[later[0] if later else earlier[-1]][0]
    return speakers


def _continues_quote(text: str, previous: Claim | Span, current: Claim | Span) -> bool:
    """True when the previous claim opened a quotation that this claim continues or closes. Marks are
    read from the start of the previous claim's paragraph, where no quotation is open: read from the
    claim itself, the straight quote that closes a quotation it continues would read as opening one."""
    return _quote_open_after(text[text.rfind("\n", 0, previous.start) + 1:current.start])


def _quote_open_after(between: str) -> bool:
    """Whether a quotation is open at the end of `between`, read mark by mark: an opening mark opens,
    a closing one closes, a straight double quote (or two apostrophes, as some papers print it) flips
    (so a quotation opened curly and closed straight is closed), and a paragraph that does not open
    with a quotation mark closes any quotation left open (news opens each paragraph of a long
    quotation again)."""
    open_ = False
    at_paragraph_start = False
    for ch in between.replace("''", '"'):
        if ch == "\n":
            at_paragraph_start = True
            continue
        if at_paragraph_start and not ch.isspace():
            at_paragraph_start = False
            if ch not in _OPENING_QUOTES:
                open_ = False
        if ch in "“«":
            open_ = True
        elif ch in "”»":
            open_ = False
        elif ch == '"':
            open_ = not open_
    return open_


@lru_cache(maxsize=1)
def default_pipeline() -> Pipeline:
    return Pipeline()
