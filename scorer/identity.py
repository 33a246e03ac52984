"""Step 4: one article-local id per source across its mentions.

Linking rules, in text order (each mention links to at most one earlier source):
- a named person links to an earlier source with the same surname ("Meloni" -> "Giorgia Meloni")
  unless both give different first names ("Bill Clinton", "Hillary Clinton"); failing that, a
  courtesy title and a name ("Mr. Lou") link to a full name that begins with that name when it is no
  listed first name ("Lou Jiwei"): a family name written first;
- an outlet or institution links on its domain or normalised name;
- a definite re-mention links to the earlier indefinite one with the same descriptor
  ("the diplomatic source" -> "a diplomatic source"); "the second source" links to the most recent
  second source ("another source");
- a pronoun links to a compatible source (gender from titles and first names in `rules/names.yaml`;
  "they" to plural sources and bodies; "it"/"which" to bodies, publications and documents; "he"/"she"
  to people): the speaker cited last while they are in view (however far back when the pronoun
  follows a closing quotation, '"...," he said': the quotation goes on from that speaker, or when
  every sentence since opens with the pronoun: "She has gone public ... On Sunday, she said"), else the
  person named last (background names and surname re-mentions count); but a "he"/"she" outside
  quotation marks whose own sentence names a compatible person before it, outside quotation marks,
  takes the first such person ("Bush went after Trump, when he called ..."), unless a cited one
  of the same pronoun opens that sentence ("She described a talk with Clinton that she said ..."):
  that one's source; an unresolved pronoun starts a source of its own;
- a definite title ("the senator") links to the most recent official, preferring one introduced
  with that title (in its name or an apposition after it: "Jane Doe, a State Department official,");
  a role an unnamed source is described by ("the official", "the aide") links, without such an
  official, to that unnamed source ("a senior official"); a definite epithet ("the billionaire")
  to the person named last;
- an unnamed description right after a named person's head ("Brian Fallon, a spokesman for Mrs.
  Clinton,") is that person.
A source's type is the highest-ranked type among its named mentions (LABELLING.md order), so a
pronoun takes the type of what it refers to.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import regex

from scorer.attribution import quotation_mask
from scorer.claims import is_title_case
from scorer.rulebook import ruleset
from scorer.sourcing import TYPE_RANK, MentionType
from scorer.spans import Span
from scorer.tokens import split_possessive

_DETERMINERS = regex.compile(r"^(?:the|a|an|this|that|these|those|one)\s+", regex.IGNORECASE)


# Compared by identity: each cluster is one source with its own id, and `recent` (a list searched and
# pruned at every mention) needs no field-by-field comparison of mention lists to find it.
@dataclass(eq=False)
class _Cluster:
    id: str
    key: str
    type: str
    gender: str
    mentions: list[Span] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    cited: bool = False
    passing: list[str] = field(default_factory=list)  # names of a body or text named in passing
    # Names given in a Title Case headline and nowhere in the body: perhaps a headline's run of
    # capitals ("Glenn Beck Blasts Drudge", "Casually Conflates Ted Cruz").
    headline_only: set[str] = field(default_factory=set)
    given: set[str] = field(default_factory=set)  # the first names a named person's mentions give
    # The word before the surname in a full name when it is no listed first name ("Lou" of "Lou
    # Jiwei"): perhaps a family name written first, which "Mr. Lou" may take up.
    leading: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Source:
    id: str
    name: str
    type: str
    mentions: tuple[Span, ...]
    cited: bool = True  # False: only ever named inside reported content, never cited for a claim

    def to_dict(self) -> dict[str, object]:
        return {"id": self.id, "name": self.name, "type": self.type, "cited": self.cited,
                "mentions": [m.to_dict() for m in self.mentions]}


def _descriptor(text: str) -> str:
    return _DETERMINERS.sub("", text.strip().lower())


# Roles a definite re-mention ("the official said") most often takes from an unnamed source
# ("a senior official"): without an official introduced with that role, it is no named official's.
_DESCRIBED_ROLES = frozenset({"official", "aide", "member", "staffer", "adviser", "advisor", "source"})


# How far back (characters) the last cited speaker still outranks a person named after it as the
# referent of "he"/"she"/"they" (fitted on the train split of data/labels/claims.csv).
PRONOUN_SPEAKER_REACH = 150
# A pronoun right after a quotation's closing mark ("…,” he said"): the quotation's speaker.
_AFTER_QUOTE = regex.compile(r"[,?!](?:”|\"|'')\s*$")
# A courtesy title and one name ("Mr. Lou", "Ms. Nwanguma's").
_HONORIFIC_SURNAME = regex.compile(r"(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+\p{Lu}[\p{L}’'\-]+")
# A full name's last two words ("Lou Jiwei" of "the finance minister, Lou Jiwei").
_WORD_BEFORE_SURNAME = regex.compile(r"(?<![\p{L}.])(\p{Lu}[\p{L}’'\-]+)\s+(\p{Lu}[\p{L}’'\-]+)\W*$")
# First and second person: always the speaker.
_SPEAKER_PRONOUNS = {"i", "me", "my", "we", "us", "our", "you"}
_PERSON_TYPES = {"named_official", "named_person"}
# "it" and "which" stand for things and bodies, never for a person; "who" for people, never for a
# document or a publication ("the report, which notes", "Salceda, who said").
_THING_PRONOUNS = {"it", "its", "which"}
_PEOPLE_PRONOUNS = {"who", "whom"}


@lru_cache(maxsize=1)
def _sentence_end() -> regex.Pattern[str]:
    """A sentence ends at ".", "?" or "!" (and any closing quotation marks) before white space and a
    capital or an opening quotation mark; not after an initial ("A.E. Dick Howard") nor an
    abbreviation: the claim splitter's `abbreviations` and the `state_abbreviations` of
    rules/claims.yaml ("Mr. Lou", "Gov. Terry McAuliffe", "Sen. Jane Doe (D-Calif.) said")."""
    lists = ruleset("claims").lists
    words = sorted({*lists["abbreviations"], *lists["state_abbreviations"]},
                   key=len, reverse=True)
    after_abbreviation = "|".join(regex.escape(w) for w in words)
    return regex.compile(
        rf"(?<![A-Z]|\b(?i:{after_abbreviation}))[.!?][”\"’')\]]*\s+(?=[“\"‘'(]?\p{{Lu}})|\n")


# A sentence that opens with "He" or "She" (after an opening quotation mark at most) continues the
# subject of the sentence before it.
_OPENING_PRONOUN = regex.compile(r"[“\"‘']?(He|She)\b")


def _opening_pronouns(text: str, starts: Sequence[int]) -> dict[str, frozenset[int]]:
    """The indices (into `starts`) of the sentences that open with "He" ("m") or "She" ("f")."""
    found: dict[str, set[int]] = {"m": set(), "f": set()}
    for k, at in enumerate(starts):
        m = _OPENING_PRONOUN.match(text, at)
        if m is not None:
            found["m" if m.group(1) == "He" else "f"].add(k)
    return {g: frozenset(v) for g, v in found.items()}


def _kept_in_view(starts: Sequence[int], openers: frozenset[int], seen: int, pos: int) -> bool:
    """Whether every sentence between the one where a speaker was last seen and the one holding `pos`
    opens with the pronoun, at least one ("Doe said ... She has gone public ... On Sunday, she
    disclosed"): a chain that keeps the speaker the subject however long its sentences."""
    first = bisect_right(starts, seen)
    last = bisect_right(starts, pos) - 1
    return first < last and all(k in openers for k in range(first, last))


# Words that may stand before a sentence's subject ("But Carson", "Retired neurosurgeon Ben Carson").
_SUBJECT_LEAD = regex.compile(r"[“\"‘']?(?:[\p{L}.’'\-]+\s+){0,4}")


def _sentence_starts(text: str) -> list[int]:
    """Where each sentence of `text` starts, in order (the first at 0)."""
    return [0, *(m.end() for m in _sentence_end().finditer(text))]


def _sentence_start(starts: Sequence[int], pos: int) -> int:
    """Where the sentence holding `pos` starts, from `_sentence_starts`."""
    return starts[bisect_right(starts, pos) - 1]


def _is_subject(text: str, starts: Sequence[int], start: int) -> bool:
    """Whether a mention starting at `start` opens its sentence, after at most four words and no
    punctuation ("Carson brought in ...", "But Mr. Lou said ...", "Virginia Gov. Terry McAuliffe
    announced ..."): the sentence's subject."""
    lead = text[_sentence_start(starts, start):start]
    return _SUBJECT_LEAD.fullmatch(lead) is not None


@lru_cache(maxsize=256)
def _role_apposition(title: str) -> regex.Pattern[str]:
    """An apposition giving the role `title` (", a State Department official"), compiled once per
    title rather than once per candidate official."""
    return regex.compile(rf",\s+(?:a|an|the)\s+[^,.;]{{0,60}}?\b{regex.escape(title)}\b")


def _apposed_role(text: str, named_spans: Sequence[tuple[Span, _Cluster]], cluster: _Cluster,
                  title: str) -> bool:
    """Whether an apposition right after one of the cluster's named mentions gives it the role
    `title` ("Jane Doe, a State Department official, said")."""
    role = _role_apposition(title)
    return any(c is cluster and role.match(text, sp.end) is not None for sp, c in named_spans)


def _compatible(pronoun: MentionType, cluster: _Cluster) -> bool:
    if pronoun.key in _THING_PRONOUNS:
        return cluster.type in {"named_institution", "outlet", "document"} or cluster.gender == "n"
    if pronoun.key in _PEOPLE_PRONOUNS:
        return cluster.type not in {"document", "outlet"}
    if pronoun.gender == "plural":
        return cluster.gender == "plural" or cluster.type in {"named_institution", "outlet", "unnamed_source"}
    if pronoun.gender in {"m", "f"}:
        if cluster.type in {"named_institution", "outlet", "document"} or cluster.gender in {"plural", "n"}:
            return False
        return cluster.gender in {"", pronoun.gender}
    return True  # "who", "it", "I": any source


def _named_in_own_sentence(people_at: Sequence[tuple[int, _Cluster]], fits: Sequence[_Cluster],
                           starts: Sequence[int], pos: int) -> _Cluster | None:
    """The first compatible person (`fits`) named outside quotation marks in the sentence holding
    `pos`, before it (`people_at`: where people are named, in text order)."""
    own = _sentence_start(starts, pos)
    fit_ids = {id(c) for c in fits}
    return next((c for at, c in people_at if own <= at < pos and id(c) in fit_ids), None)


# Words that, standing before a person's surname in a mention, make the mention a phrase about the
# person rather than the person's name: "the popularity of Mr. Trump", "antagonists to Mr. Trump".
_BEFORE_NAME_BREAKS = frozenset({"of", "to", "for", "in", "on", "at", "by", "with", "from", "about",
                                 "against", "like", "than", "over", "beneath", "after", "before"})


# What may stand between a relative pronoun and the mention it refers to: a comma, a closing
# quotation mark, a bracketed party and state ("Sen. Bernie Sanders (I-Vt.), who"), an apposition
# the pronoun follows or describes ("Donald Trump, the presumptive Republican nominee, who"; "Lloyd
# Grove, the Daily Beast editor who wrote").
_RELATIVE_GAP = regex.compile(
    r"(?:\s*\([^()\n]{0,40}\))?(?:,\s+(?:the|a|an)\s[^,;:()\n]{1,60}?(?:,|(?=\s+\Z)))?[\s,”’\"']{0,4}")


# Function words that a headline in Title Case capitalises after a name ("Rand Paul At The Debate",
# "Hillary Clinton Under Pressure To Repudiate ..."): no name goes on with one.
_TITLE_CASE_LINKS = frozenset({"at", "the", "and", "or", "of", "on", "in", "to", "for", "with", "from",
                               "by", "as", "is", "are", "was", "were", "over", "under", "after",
                               "before", "against", "about", "into", "amid"})


def _reads_as_name(name: str, surname: str) -> bool:
    """Whether `name` names the person it mentions, the surname its head: "Senator Ted Cruz of
    Texas", "Sen. Bernie Sanders (I-Vt.)", "Kristen Day, executive director of ...", not "the
    popularity of Mr. Trump", "some of Mr. Clinton's admirers", "Mrs. Clinton played a prominent
    role in ..." (spans that ran past a source and linked to the person by the surname)."""
    if not surname:
        return False
    found = [m.start() for m in regex.finditer(rf"(?<!\w){regex.escape(surname)}(?!\w)", name.lower())]
    if not found:
        return False
    at = found[-1]  # the surname that ends the name ("the Bush adviser Jeb Bush")
    before = name[:at].split()
    if any(w in _BEFORE_NAME_BREAKS and (k == 0 or not before[k - 1][:1].isupper())
           for k, w in enumerate(before)):
        return False  # but a title's own "of" stays: "Secretary of State John Kerry"
    after = name[at + len(surname):]
    bare_after = after.lstrip("’'s").lstrip() if after[:1] in {"’", "'"} else after.lstrip()
    if after[:1] in {"’", "'"} and bare_after:
        return False  # "Mr. Clinton's admirers": the admirers
    first = bare_after.split(maxsplit=1)[0] if bare_after.split() else ""
    if first.lower() in _TITLE_CASE_LINKS and first[:1].isupper():
        return False  # a headline's Title Case run: "Rand Paul At The Debate"
    return not first or not first[:1].islower() or first in {"of", "and"}


def _display_name(cluster: _Cluster, several: Callable[[str], bool] | None) -> str:
    """What a source is called: the longest of its names, background ones included ("Meloni" cited,
    "Giorgia Meloni" named earlier), a person's without the possessive ("Donald Trump's"). A name
    only a Title Case headline gives is used only while no other names the source. A phrase
    that conjoins the source with others names it only while no other names it alone: "Richards and
    Menendez both stressed" links to Richards, whose name stays "Richards". A person is called by a
    mention that reads as the person's name (`_reads_as_name`) while one does. Lengths are compared
    without a leading determiner, the first mention winning a tie."""
    names = cluster.names or cluster.passing
    if not names:
        return cluster.mentions[0].text
    names = [n for n in names if n not in cluster.headline_only] or names
    if several is not None:
        names = [n for n in names if not several(n)] or names
    if cluster.type in _PERSON_TYPES:
        names = [n for n in names if _reads_as_name(n, cluster.key)] or names
    # The longest, its determiner aside; of equals, the first: "a diplomatic source" introduces
    # what "The diplomatic source" takes up.
    name = max(names, key=lambda n: len(_descriptor(n)))
    if cluster.type in _PERSON_TYPES:
        head, _, last = name.rpartition(" ")
        bare, possessive = split_possessive(last)
        if possessive in {"’s", "'s"}:
            name = f"{head} {bare}" if head else bare
    # A name is read, not indexed: one space between its words, whatever the page had there (a
    # line break, a no-break space, a blanked link tag).
    return " ".join(name.split())


def link_sources(
    mentions: Sequence[tuple[Span, MentionType]],
    background: Sequence[tuple[Span, MentionType]] = (),
    things: Sequence[tuple[Span, MentionType]] = (),
    text: str = "",
    several: Callable[[str], bool] | None = None,
) -> tuple[list[str], list[Source]]:
    """Source ids for `mentions` (in text order) and the sources they form.

    `background` are people the article names without citing them there ("Trump met Zelensky.");
    they are antecedents for later pronouns and surnames ("He said ..."), and become sources only
    when a cited mention links to them. `text`, the article, lets a pronoun see whether a
    quotation closes right before it. `things` are bodies and texts named in passing ("the
    report", "Tinder"): antecedents for "it", "its" and "which" only. `several` says whether a
    phrase conjoins several sources ("Richards and Menendez"): such a phrase names a source only
    when none of its other mentions names it alone.
    """
    clusters: list[_Cluster] = []
    recent: list[_Cluster] = []  # most recent mention last
    stream = sorted([(span.start, 1, k, span, mt) for k, (span, mt) in enumerate(mentions)]
                    + [(span.start, 0, k, span, mt) for k, (span, mt) in enumerate(background)]
                    + [(span.start, -1, k, span, mt) for k, (span, mt) in enumerate(things)])
    thing_only: set[int] = set()  # clusters only a thing pronoun may refer to
    ids: list[str] = [""] * len(mentions)
    cited: set[int] = set()
    last_seen: dict[int, int] = {}  # cluster -> where it was last mentioned
    last_end: dict[int, int] = {}  # cluster -> where its last mention ends
    subjects: list[tuple[int, _Cluster]] = []  # (start, cluster) of mentions that open their sentence
    people_at: list[tuple[int, _Cluster]] = []  # (start, cluster) of people's mentions outside quotes
    quoted = quotation_mask(text) if text else b""
    first_line, newline, body = text.partition("\n")
    # A headline has every long word capitalised: a first line rich in names ("Governor Mary Hale
    # spoke to CNN on Sunday.") still has a verb in lower case.
    headline_end = len(first_line) if newline and is_title_case(first_line, share=1.0) else 0
    starts = _sentence_starts(text) if text else [0]
    openers = _opening_pronouns(text, starts) if text else {}
    named_spans: list[tuple[Span, _Cluster]] = []  # named people's mentions, for their appositions
    # One phrase that is the subject of two cues ("Another source corroborated ... but expressed
    # skepticism") is one mention: the second attribution takes the first one's source.
    by_offsets: dict[tuple[int, int], _Cluster] = {}
    # sentence start -> (pronoun, source) for a cited he/she that opens its sentence, its subject
    opening: dict[int, tuple[str, _Cluster]] = {}
    named_reach = -1  # the furthest end of a named span: past it (and ", "), none can hold a mention

    def new_cluster(mt: MentionType, key: str) -> _Cluster:
        cluster = _Cluster(str(len(clusters)), key, mt.type if mt.type != "pronoun" else "", mt.gender)
        clusters.append(cluster)
        return cluster

    for _, is_source, k, span, mt in stream:
        target: _Cluster | None = None
        same = by_offsets.get((span.start, span.end)) if is_source > 0 else None
        if same is not None:
            ids[k] = same.id
            continue
        # Mentions are heads: an apposition starts within ", " of the named head it describes.
        # An apposition after the head starts in lower case ("Fallon, a spokesman"); a capital two
        # characters after a name starts the next sentence ("... with Putin. NATO's security").
        outer = next((c for sp, c in named_spans
                      if (sp.start <= span.start and span.end <= sp.end and sp != span)
                      or (0 < span.start - sp.end <= 2 and span.text[:1].islower())),
                     None) if span.start - named_reach <= 2 else None
        if outer is not None and mt.type in {"unnamed_source", "pronoun"}:
            # "Brian Fallon, a spokesman for Mrs. Clinton,": the apposition inside a named
            # person's mention describes that person.
            target = outer
        elif mt.type == "pronoun" and mt.key.startswith("words:"):
            # "the statement said": the words of the source cited last, else of the one named last
            # (a body named in passing: "the Museum issued a statement ... the statement urged").
            issuers = [c for c in reversed(recent)
                       if c.type in {"named_official", "named_person", "named_institution"}]
            target = next((c for c in issuers if c.cited), issuers[0] if issuers else None)
        elif mt.type == "pronoun" and mt.key.startswith("sponsor:"):
            # "the ad says": the body that runs it, the one cited last, else the one named last (a
            # super PAC named in passing: "Priorities USA is airing an ad ... The ad says").
            bodies = [c for c in reversed(recent) if c.type == "named_institution"]
            target = next((c for c in bodies if c.cited), bodies[0] if bodies else None)
        elif mt.type == "pronoun" and mt.key.startswith("person:"):
            # "the billionaire": the person named last.
            target = next((c for c in reversed(recent) if c.type in _PERSON_TYPES), None)
        elif mt.type == "pronoun" and mt.key.startswith(("title:", "role:")):
            # "the senator": the most recent official, preferring one introduced with that title;
            # "the congressman's spokesman" only one introduced as a spokesman.
            title = mt.key.split(":", 1)[1]
            officials = [c for c in reversed(recent) if c.type == "named_official"]
            fallback = officials[0] if officials and mt.key.startswith("title:") else None
            introduced = next((c for c in officials if any(title in n.lower() for n in c.names)
                               or (text and _apposed_role(text, named_spans, c, title))), None)
            if introduced is None and title in _DESCRIBED_ROLES:
                # "the official", "the aide": the unnamed source described by that role ("a senior
                # official"), unless an official was introduced with it ("Jane Doe, a State
                # Department official,").
                fallback = next((c for c in reversed(recent) if c.type in {"unnamed_source", "second_source"}
                                 and any(title in _descriptor(n).split() for n in c.names)), fallback)
            target = introduced or fallback
        elif mt.type == "pronoun":
            # A relative "who" refers to the name right before it. A personal pronoun refers to the
            # speaker, the compatible source cited last, while that speaker is in view; otherwise
            # to the compatible person named last ("Weiner mostly dropped out ... He announced").
            fits = [c for c in reversed(recent) if c.type and _compatible(mt, c)
                    and (mt.key in _THING_PRONOUNS or id(c) not in thing_only)]
            speaker = next((c for c in fits if c.cited), None)
            # "he"/"she" with no speaker in view: the person named last, unless the sentence before
            # it (or its own, before it) opens with a compatible person, its subject ("Carson
            # brought in ... manager Barry Bennett ... He praised": Carson).
            subject = None
            if text and mt.gender in {"m", "f"} and fits:
                own = _sentence_start(starts, span.start)
                since = _sentence_start(starts, own - 1) if own else 0
                fit_ids = {id(c) for c in fits}
                subject = next((c for at, c in reversed(subjects)
                                if since <= at < span.start and id(c) in fit_ids), None)
            named_last = subject or (fits[0] if fits else None)
            after_quote = bool(text and _AFTER_QUOTE.search(text, max(0, span.start - 4), span.start))
            opener = opening.get(_sentence_start(starts, span.start)) if text else None
            if mt.key in {"who", "whom", "which"} and not text:
                target = fits[0] if fits else None
            elif mt.key in {"who", "whom", "which"}:
                # A relative pronoun stands right after what it refers to ("Rudy Giuliani, who
                # backs Trump"); when no source or named thing ends there ("a young child, who
                # said"), it refers to none of them.
                target = next((c for c in fits if _RELATIVE_GAP.fullmatch(
                    text, last_end.get(id(c), 0), span.start) is not None), None)
            elif (opener is not None and opener[0] == mt.key.lower() and not quoted[span.start]
                  and (not opener[1].type or _compatible(mt, opener[1]))):
                # "She also described an interaction with Hillary Clinton that she interpreted ...":
                # a he/she in narration takes up the same pronoun opening its sentence, the subject.
                target = opener[1]
            elif speaker is None:
                gendered = mt.gender in {"m", "f"} or mt.key in _THING_PRONOUNS
                target = named_last if fits and gendered else None
            elif (text and mt.gender in {"m", "f"} and not quoted[span.start] and not after_quote
                  and (local := _named_in_own_sentence(people_at, fits, starts, span.start)) is not None):
                # "Bush went after Trump at the debate, when he called ...": a he/she in narration
                # whose own sentence names a compatible person before it refers to that person (the
                # first, most often the subject), not to the speaker cited last.
                target = local
            elif (named_last is not speaker and mt.key not in _SPEAKER_PRONOUNS
                  and not after_quote
                  and span.start - last_seen[id(speaker)] > PRONOUN_SPEAKER_REACH
                  and not _kept_in_view(starts, openers.get(mt.gender, frozenset()),
                                        last_seen[id(speaker)], span.start)):
                target = named_last
            else:
                target = speaker
        elif mt.type == "second_source":
            desc = _descriptor(span.text)
            if desc.startswith(("second", "third")) or span.text.lower().startswith("the "):
                for cluster in reversed(recent):
                    if cluster.type == "second_source":
                        target = cluster
                        break
        elif mt.type in {"named_official", "named_person"}:
            # One surname, two first names, two people: "Bill Clinton" is not "Hillary Clinton". A
            # surname alone links to the first person named with it.
            # A bare surname typed an official does not take up a person the article named in full
            # without that office ("President Bush" after "Former first lady Laura Bush"): the typer
            # weighed every title the article gives the surname, so the office is a namesake's.
            namesake = mt.type == "named_official" and not mt.given
            target = next((c for c in clusters if c.type in {"named_official", "named_person"}
                           and c.key == mt.key
                           and not (mt.given and c.given and mt.given not in c.given)
                           and not (namesake and c.type == "named_person" and (c.given or c.leading))), None)
            if target is None and _HONORIFIC_SURNAME.fullmatch(span.text):
                # "The finance minister, Lou Jiwei, said ... Mr. Lou added": a courtesy title goes
                # with the family name, here the full name's first word (no listed first name).
                target = next((c for c in clusters if c.type in _PERSON_TYPES and mt.key in c.leading),
                              None)
        elif mt.type in {"outlet", "named_institution"}:
            target = next((c for c in clusters if c.type == mt.type and c.key == mt.key), None)
        else:
            desc = _descriptor(span.text)
            if span.text.lower().startswith(("the ", "this ", "that ", "these ", "those ")):
                target = next((c for c in reversed(clusters) if c.type == mt.type and c.key
                               and _descriptor(c.key) == desc), None)
        if target is None:
            key = mt.key if mt.type not in {"unnamed_source", "document"} else _descriptor(span.text)
            target = new_cluster(mt, key)
            if is_source < 0:
                thing_only.add(id(target))
        else:
            if mt.type != "pronoun" and (not target.type
                                         or TYPE_RANK.get(mt.type, 99) < TYPE_RANK.get(target.type, 99)):
                target.type = mt.type
            if not target.gender and mt.gender and mt.type != "pronoun":
                target.gender = mt.gender
        if mt.type != "pronoun":
            (target.names if is_source >= 0 else target.passing).append(span.text)
            if span.start < headline_end and span.text not in body:
                target.headline_only.add(span.text)
        if mt.type in {"named_official", "named_person"}:
            if mt.given:
                target.given.add(mt.given)
            elif mt.key and (lead := _WORD_BEFORE_SURNAME.search(span.text)) is not None \
                    and split_possessive(lead.group(2))[0].lower() == mt.key:
                target.leading.add(lead.group(1).lower())
            named_spans.append((span, target))
            named_reach = max(named_reach, span.end)
        if is_source >= 0:
            thing_only.discard(id(target))  # named again as a source or a person: any pronoun's
        if is_source > 0:
            target.mentions.append(span)
            by_offsets[(span.start, span.end)] = target
            ids[k] = target.id
            cited.add(int(target.id))
            target.cited = True
        if (text and mt.type == "pronoun" and mt.gender in {"m", "f"} and is_source > 0
                and not quoted[span.start] and _is_subject(text, starts, span.start)):
            opening.setdefault(_sentence_start(starts, span.start), (mt.key.lower(), target))
        if target in recent:
            recent.remove(target)
        recent.append(target)
        last_seen[id(target)] = span.start
        last_end[id(target)] = span.end
        if text and is_source >= 0 and mt.type in _PERSON_TYPES and not quoted[span.start]:
            people_at.append((span.start, target))  # a person named in narration, not in a quotation
        if text and is_source >= 0 and (mt.type in _PERSON_TYPES or target.type in _PERSON_TYPES) \
                and _is_subject(text, starts, span.start):
            subjects.append((span.start, target))

    # Number the cited sources S1, S2, ... in order of their first cited mention.
    order = sorted(cited, key=lambda i: min(m.start for m in clusters[i].mentions))
    public = {str(i): f"S{n + 1}" for n, i in enumerate(order)}
    ids = [public[i] for i in ids]
    sources = []
    for i in order:
        c = clusters[i]
        # One line, single-spaced: a name is shown, not a span (a wrapped line's break, a decoded
        # reference's saved spaces are the mentions' business).
        name = " ".join(_display_name(c, several).split())
        typ = c.type or ("named_person" if c.gender in {"m", "f"} else "unnamed_source")
        if not c.type and c.key.startswith(("title:", "role:", "person:", "words:")):
            typ = "unnamed_source"  # "the senator" with no named official before it
        if not c.type and c.key.startswith("sponsor:"):
            typ = "named_institution"  # an ad whose sponsor the article does not cite: a body speaking
        sources.append(Source(public[str(i)], name, typ, tuple(sorted(c.mentions))))
    return ids, sources
