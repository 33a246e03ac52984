"""Rules as data: YAML rule files, validated when loaded, compiled once, run with a time limit.

A rule file looks like::

    schema: scorer.rules/1
    name: hedges
    description: ...
    labels: [epistemic_adverb, modal, ...]     # the labels rules in this file may use
    rules:
      - id: hedge.adverb.hearsay
        label: epistemic_adverb
        terms: [purportedly, reportedly, allegedly]
        examples: ["was purportedly agreed"]    # checked at load: each must match the rule
      - id: hedge.negated_certainty
        label: negated_certainty
        pattern: '\\bnot\\s+necessarily\\b'

A rule has either `terms` (a word list compiled to one escaped alternation with word boundaries,
longest first) or `pattern` (a regular expression for the `regex` package). Unknown keys, missing ids,
duplicate ids, bad regexes and examples that do not match are errors naming the file and the rule.
Every search runs with `REGEX_TIMEOUT_S`, so one pathological pattern cannot hang a batch.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import regex

from scorer.errors import RuleError, RuleTimeout
from scorer.linear import parse_yaml

RULES_SCHEMA = "scorer.rules/1"
RULES_DIR = Path(__file__).resolve().parent.parent / "rules"
REGEX_TIMEOUT_S = 2.0

_FILE_KEYS = {"schema", "name", "description", "labels", "rules", "lists"}
_RULE_KEYS = {"id", "label", "terms", "pattern", "case_sensitive", "examples", "notes", "attrs"}

# The word lists the scorer reads from each shipped rule file, by file stem, and the modules that
# read them. A list a file lacks read as empty (a misspelt `speech_verbs:` changed 6 of 17 verdicts
# without a word), and a list no module reads is most likely a misspelt one: a file named here that
# holds other lists than these does not load. Files not named here (tests' fixtures) are not checked.
WORD_LISTS: Mapping[str, frozenset[str]] = {
    # attribution.py, attribution_model.py
    "attribution": frozenset({
        "act_citing_verbs", "auxiliaries", "belief_verbs", "body_name_heads", "clause_stops",
        "content_required", "coordinators", "cue_nouns", "determiners", "evidence_verbs",
        "extra_cue_verbs", "floating_quantifiers", "habitual_adverbs", "headline_kickers", "hearsay_cues",
        "intention_verbs", "inversion_verbs", "irregular", "np_prepositions", "object_quantities",
        "relative_pronouns", "role_words", "source_asides", "source_media", "source_never_opens",
        "sourceless_cues", "sourceless_heads", "speech_verbs", "stance_verbs", "subject_pronouns",
        "time_leads", "time_words", "verbish"}),
    # claims.py, identity.py, attribution_model.py
    "claims": frozenset({"abbreviations", "sentence_openers", "speech_tag_verbs", "state_abbreviations"}),
    "contest_cues": frozenset(),
    "contradictions": frozenset(),
    # hedging.py
    "hedges": frozenset({"complement_nouns", "counter_labels", "encyclopedic_labels", "negators",
                         "proposal_nouns", "subordinators"}),
    # sourcing.py
    "names": frozenset({"female", "male"}),
    # sourcing.py, pipeline.py, attribution_model.py
    "sources": frozenset({
        "coordination_blockers", "document_heads", "institution_heads", "known_official_names",
        "known_officials", "nationality_words", "official_titles", "organisation_group_heads",
        "organisation_names", "outlet_heads", "outlet_masthead_words", "person_epithets", "place_names",
        "poll_heads", "pronouns_female", "pronouns_male", "pronouns_other", "pronouns_plural",
        "pronouns_relative", "role_heads", "sentence_openers", "titles_female", "titles_male",
        "unnamed_heads"}),
    # stance.py
    "stance": frozenset({"antonyms", "negation_idioms", "stopwords", "synonyms"}),
}


@dataclass(frozen=True)
class RuleMatch:
    """One rule firing on a half-open span `[start, end)` of the text it was run on."""

    rule_id: str
    label: str
    start: int
    end: int
    text: str
    attrs: Mapping[str, Any] = field(default_factory=dict)


# Characters whose full case folding is more than one character ("ß" -> "ss", "ﬁ" -> "fi"), as
# Python's str.casefold and the regex package's own tables see them (tests/test_batch.py checks).
_MULTI_FOLD = re.compile(
    "[\u00DF\u0130\u0149\u01F0\u0390\u03B0\u0587\u1E96-\u1E9A\u1E9E\u1F50\u1F52\u1F54\u1F56"
    "\u1F80-\u1FAF\u1FB2-\u1FB4\u1FB6\u1FB7\u1FBC\u1FC2-\u1FC4\u1FC6\u1FC7\u1FCC\u1FD2\u1FD3"
    "\u1FD6\u1FD7\u1FE2-\u1FE4\u1FE6\u1FE7\u1FF2-\u1FF4\u1FF6\u1FF7\u1FFC\uFB00-\uFB06"
    "\uFB13-\uFB17\U0001DF95]"
)
# Escapes that can name any character, so a pattern using them may name one of those.
_CHAR_ESCAPE = re.compile(r"\\(?:[xuUN0-7])")


def _simple_fold_variant(source: str, flags: int) -> Any:
    """The same pattern with simple instead of full case folding, or None when that could change
    what it matches. Full case folding (regex's default for IGNORECASE in VERSION1) is about ten
    times slower, and it only differs from simple folding on a multi-character fold ("ss" ~ "ß"):
    that needs such a character in the pattern (excluded here) or in the text (checked per call)."""
    if not flags & regex.IGNORECASE or _MULTI_FOLD.search(source) or _CHAR_ESCAPE.search(source):
        return None
    try:
        return regex.compile("(?-f)" + source, flags)
    except regex.error:
        return None


def _multi_fold_free_until(text: str) -> int:
    """Offset of the first multi-character-fold character in `text` (len(text) when none)."""
    if text.isascii():
        return len(text)
    return _multi_fold_scan(text)


def simple_fold_until(text: str, end: int) -> bool:
    """Whether `text` has no multi-character case fold before `end`: the `simple` argument of
    `Rule.matches`, for callers that run several rules over one text."""
    return _multi_fold_free_until(text) >= end


@lru_cache(maxsize=8)
def _multi_fold_scan(text: str) -> int:
    m = _MULTI_FOLD.search(text)
    return m.start() if m else len(text)


@dataclass(frozen=True)
class Rule:
    id: str
    label: str
    # regex.Pattern; None: `source` compiled with `source_flags` when first needed (`compiled`).
    pattern: Any
    source: str  # the pattern text, for messages
    terms: tuple[str, ...] = ()
    attrs: Mapping[str, Any] = field(default_factory=dict)
    notes: str = ""
    source_flags: int = 0  # the flags `source` compiles with when `pattern` is None
    # Same matches as `compiled` on any text free of multi-character case folds up to `endpos`.
    # None with `pattern` given: made from it here.
    fast: Any = field(default=None, repr=False, compare=False)
    # Texts the rule must match (checked when loaded), kept so that the prefilters a consumer puts in
    # front of the rule (literal anchors here, hedge triggers in scorer.hedging) can be checked too.
    examples: tuple[str, ...] = field(default=(), repr=False, compare=False)
    origin: str = field(default="", repr=False, compare=False)  # the rule file, for messages

    def __post_init__(self) -> None:
        if self.pattern is not None:
            object.__setattr__(self, "source_flags", self.pattern.flags)
            if self.fast is None and self.pattern.pattern == self.source:
                object.__setattr__(self, "fast", _simple_fold_variant(self.source, self.pattern.flags))
        elif self.fast is None:
            self.compiled  # noqa: B018 - nothing runs without a pattern: compile it now (raises if bad)

    @property
    def compiled(self) -> Any:
        """The rule's pattern with the full case folding of its flags: what it matches on any text.
        Texts without a multi-character fold ("ß", "ﬁ"), nearly all news, run `fast` instead, so a rule
        loaded from a file compiles this only when a text needs it (`_rule_from_mapping`)."""
        if self.pattern is None:
            object.__setattr__(self, "pattern", regex.compile(self.source, self.source_flags))
        return self.pattern

    @property
    def compiled_from_source(self) -> bool:
        """Whether the pattern is `source` itself (a rule file's; tests build others)."""
        return self.pattern is None or self.pattern.pattern == self.source

    def _pattern_for(self, text: str, end: int) -> Any:
        """`fast` when `text` holds no multi-character case fold before `end`, else `compiled`."""
        return self.fast if self.fast is not None and simple_fold_until(text, end) else self.compiled

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[RuleMatch]:
        end = len(text) if endpos is None else endpos
        pattern = self._pattern_for(text, end)
        try:
            for m in pattern.finditer(text, pos, end, timeout=REGEX_TIMEOUT_S):
                if m.end() > m.start():
                    yield RuleMatch(self.id, self.label, m.start(), m.end(), m.group(), self.attrs)
        except TimeoutError as exc:
            raise self._timeout(end - pos) from exc

    def found_in(self, text: str) -> bool:
        """Whether `finditer(text)` yields any match, from one search and no match objects: its first
        match is that search's; only an empty match there (which finditer skips) needs finditer."""
        pattern = self._pattern_for(text, len(text))
        try:
            m = pattern.search(text, timeout=REGEX_TIMEOUT_S)
        except TimeoutError as exc:
            raise self._timeout(len(text)) from exc
        if m is None:
            return False
        return m.end() > m.start() or next(self.finditer(text), None) is not None

    def match_at(self, text: str, pos: int = 0, endpos: int | None = None) -> RuleMatch | None:
        """The match of `finditer(text, pos, endpos)` that starts at `pos`, if any, without scanning
        the rest of the text: finditer's first match is that of a search from `pos`, and a search
        that can match at `pos` returns what `match` at `pos` returns. Only an empty match there
        (which finditer skips) needs finditer itself."""
        end = len(text) if endpos is None else endpos
        pattern = self._pattern_for(text, end)
        try:
            m = pattern.match(text, pos, end, timeout=REGEX_TIMEOUT_S)
        except TimeoutError as exc:
            raise self._timeout(end - pos) from exc
        if m is None:
            return None
        if m.end() > m.start():
            return RuleMatch(self.id, self.label, m.start(), m.end(), m.group(), self.attrs)
        first = next(self.finditer(text, pos, endpos), None)
        return first if first is not None and first.start == pos else None

    def matches(self, text: str, pos: int, end: int, simple: bool) -> list[RuleMatch]:
        """`list(self.finditer(text, pos, end))`, without a generator; `simple` says `text` has no
        multi-character case fold before `end` (as `_multi_fold_free_until(text) >= end`)."""
        pattern = self.fast if simple and self.fast is not None else self.compiled
        try:
            return [
                RuleMatch(self.id, self.label, m.start(), m.end(), m.group(), self.attrs)
                for m in pattern.finditer(text, pos, end, timeout=REGEX_TIMEOUT_S)
                if m.end() > m.start()
            ]
        except TimeoutError as exc:
            raise self._timeout(end - pos) from exc

    def _timeout(self, length: int) -> RuleTimeout:
        where = f"{self.origin}: " if self.origin else ""
        return RuleTimeout(
            f"{where}rule {self.id!r} ran past {REGEX_TIMEOUT_S}s on a text of {length} characters; "
            f"simplify its pattern"
        )


# -- literal anchors -------------------------------------------------------------------------------
# Most rules can only match where one of a few literal words stands (contra.denied: "denied",
# "denies", "deny", "denying"). Such a set of required literals, read off the pattern once, lets
# `find_all` skip a rule with one substring test of the lower-cased text instead of a regex search:
# a claim holds a contradiction cue perhaps once in sixty. Only what is sure is read: a literal run
# (joined across a prefix and its branches), a group or repeat that must occur, the union over an
# alternation's branches; lookarounds, classes and anything Python's own parser cannot read give
# nothing (the rule then always runs).

# Syntax the `regex` package reads otherwise than `re`, whose parser `literal_anchors` uses: a brace
# that is no counted repeat ("{2}", "{0,2}"): fuzzy matching ("{e<=1}"), which `re` would read as
# literals; and a "[" inside a set: a POSIX class ("[[:upper:]]") or a VERSION1 nested set or set
# operation ("[[a-z]&&[^aeiou]]"), from which `re` read the required literal "]" (`re` warns of a
# possible nested set or set operation there; `literal_anchors` takes that warning as unreadable too).
_ANCHOR_UNSAFE_SOURCE = re.compile(r"\{(?![0-9]*,?[0-9]*\})|\[(?:\\.|[^\]\\])*?\[")
_MAX_ANCHORS = 64  # literal combinations of one run kept as anchors (more: the run's parts alone)


def _caseless_or_ascii(ch: str) -> bool:
    return ch.isascii() or (ch.lower() == ch.upper() == ch.casefold() == ch)


def literal_anchors(source: str, ignorecase: bool) -> tuple[str, ...] | None:
    """Literals of which every match of `source` contains at least one (lower-cased for an
    IGNORECASE rule), or None when no such set can be read off the pattern."""
    if _ANCHOR_UNSAFE_SOURCE.search(source):
        return None
    try:
        import re._parser as sre  # Python 3.11+: the parser, with the opcode constants
    except ImportError:  # pragma: no cover - older Pythons are not supported
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", FutureWarning)  # a syntax `re` will read otherwise one day
            parsed = sre.parse(source, re.IGNORECASE if ignorecase else 0)
    except (re.error, RecursionError, OverflowError, ValueError, FutureWarning):
        return None
    if not ignorecase and parsed.state.flags & re.IGNORECASE:
        return None  # an inline "(?i)" in a case-sensitive rule

    def better(a: frozenset[str] | None, b: frozenset[str] | None) -> frozenset[str] | None:
        if b is None or not b or not all(b):
            return a
        if a is None:
            return b
        return b if (min(map(len, b)), -len(b)) > (min(map(len, a)), -len(a)) else a

    def exact(items: Any) -> frozenset[str] | None:
        """The strings a sequence matches when it is a small finite set of literals ("den" then
        "ied|ies|y": {"denied", "denies", "deny"}), else None."""
        out = frozenset({""})
        for op, av in items:
            if op is sre.LITERAL and _caseless_or_ascii(chr(av)):
                part: frozenset[str] | None = frozenset({chr(av).lower() if ignorecase else chr(av)})
            elif op is sre.SUBPATTERN and not (av[1] | av[2]) & re.IGNORECASE:
                part = exact(av[3])
            elif op is sre.BRANCH:
                branches = [exact(b) for b in av[1]]
                part = None if any(b is None for b in branches) else frozenset().union(*branches)  # type: ignore[arg-type]
            else:
                return None
            if part is None or len(out) * len(part) > _MAX_ANCHORS:
                return None
            out = frozenset(x + y for x in out for y in part)
        return out

    def required(items: Any) -> frozenset[str] | None:
        best: frozenset[str] | None = None
        items = list(items)
        k = 0
        while k < len(items):
            # The longest run of elements that are exact literal sets, joined: one required string set.
            j = k
            while j < len(items) and exact(items[j:j + 1]) is not None:
                j += 1
            if j > k:
                joined = exact(items[k:j])
                if joined is None:  # too many combinations: the parts one by one
                    for one in items[k:j]:
                        best = better(best, exact([one]))
                else:
                    best = better(best, joined)
                k = j
                continue
            op, av = items[k]
            k += 1
            if op is sre.SUBPATTERN:
                _, add_flags, del_flags, sub = av
                if not (add_flags | del_flags) & re.IGNORECASE:
                    best = better(best, required(sub))
            elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
                low, _, sub = av
                if low >= 1:
                    best = better(best, required(sub))
            elif op is sre.ATOMIC_GROUP:
                best = better(best, required(av))
            elif op is sre.BRANCH:
                branches = [required(b) for b in av[1]]
                if branches and all(b for b in branches):
                    best = better(best, frozenset().union(*branches))  # type: ignore[arg-type]
        return best

    anchors = required(parsed)
    return tuple(sorted(anchors)) if anchors else None


def anchors_usable(segment: str) -> bool:
    """Whether lower-casing `segment` maps every character as the rules' simple case folding does, so
    a lower-case literal a rule needs shows in `segment.lower()` wherever the rule can match (not so
    for "ſ", which folds to "s", or "ı", whose upper case is "I")."""
    if segment.isascii():
        return True
    lowered = segment.lower()
    return lowered == segment.casefold() == segment.upper().lower()


# A rule source that can be put inside `(?:...)|(?:...)` next to others and match exactly what it
# matches alone: only groups that neither set flags nor number, name or refer to other groups
# (lookarounds, atomic groups, comments), and no backreferences or `\G`. Anything else is run alone.
_SCREENABLE_GROUP = re.compile(r"\(\?(?![:=!>#]|<[=!])")
_GROUP_REFERENCE = re.compile(r"\\[1-9gGkKP]")


def _screenable(rule: Rule) -> bool:
    source = rule.source
    return (rule.compiled_from_source and not _SCREENABLE_GROUP.search(source)
            and not _GROUP_REFERENCE.search(source))


@dataclass(frozen=True)
class _Screen:
    """Rules sharing flags, and one pattern matching at a position exactly when one of them does:
    their sources as alternatives. A search of it over `[pos, endpos)` that finds nothing proves that
    none of the rules finds anything there (each rule's own finditer starts with that same search).
    `pattern` is None for a group of one rule, or of rules that cannot be put together: always run."""

    rules: tuple[Rule, ...]
    pattern: Any = None
    fast: Any = None  # simple case folding, as Rule.fast

    def may_match(self, text: str, pos: int, end: int, simple: bool) -> bool:
        """`simple`: `text` has no multi-character case fold before `end`."""
        pattern = self.pattern
        if pattern is None:
            return True
        if simple and self.fast is not None:
            pattern = self.fast
        try:
            return pattern.search(text, pos, end, timeout=REGEX_TIMEOUT_S) is not None
        except TimeoutError:
            return True  # let each rule run, under its own time limit and message


# An alternation of many patterns loses the regex engine's literal-prefix scan, so on a sentence one
# screening search costs about as much as running three or four rules alone (PolNeAR claims, 2026-11):
# only larger groups are screened. Rules with literal anchors skip the screens altogether on most
# texts; the screens serve the rules without anchors, and every rule on texts where anchors do not
# hold (a character whose lower case is not its case folding).
_MIN_SCREENED = 8


def _screen_groups(rules: Sequence[Rule]) -> tuple[_Screen, ...]:
    groups: dict[int, list[Rule]] = {}
    alone: list[Rule] = []
    for rule in rules:
        if _screenable(rule):
            groups.setdefault(rule.source_flags, []).append(rule)
        else:
            alone.append(rule)
    screens = []
    for flags, members in groups.items():
        if len(members) < _MIN_SCREENED:
            alone.extend(members)
            continue
        source = "|".join(f"(?:{r.source})" for r in members)
        try:
            pattern = regex.compile(source, flags)
        except regex.error:
            alone.extend(members)
            continue
        screens.append(_Screen(tuple(members), pattern, _simple_fold_variant(source, flags)))
    if alone:
        screens.append(_Screen(tuple(alone)))
    return tuple(screens)


# The `attrs` keys each shipped rule file's reader understands, with the type of their values: an
# unknown key (`definitonal: true`) or a wrong type (`definitional: "true"`) was silently ignored.
# Readers check more of the values themselves (hedging.CueFinder: triggers, requires, suppresses).
RULE_ATTRS: Mapping[str, Mapping[str, type]] = {
    "attribution": {},
    "claims": {},
    "contest_cues": {},
    # signals.ContradictionFinder.link
    "contradictions": {"names_claim": bool, "points_back": bool, "scope": str},
    # hedging.CueFinder, hedging.HedgeDetector
    "hedges": {"definitional": bool, "requires": list, "suppresses": list, "triggers": list},
    "names": {},
    "sources": {},
    "stance": {},
}
_ATTR_VALUES: Mapping[str, frozenset[str]] = {"scope": frozenset({"before"})}  # a closed set of words


def _check_attrs(origin: str, rule_id: str, attrs: Mapping[Any, Any]) -> None:
    known = RULE_ATTRS.get(Path(origin).stem)
    if known is None:
        return
    where = f"{origin}: rule {rule_id!r}"
    for key, value in attrs.items():
        if key not in known:
            allowed = sorted(known) or "none in this file"
            raise RuleError(f"{where}: unknown attrs key {key!r}; allowed: {allowed}")
        kind = known[key]
        if not isinstance(value, kind):
            expected = "true or false (no quotes)" if kind is bool else f"a {kind.__name__}"
            raise RuleError(f"{where}: attrs.{key} must be {expected}, not {value!r}")
        if key in _ATTR_VALUES and value not in _ATTR_VALUES[key]:
            raise RuleError(f"{where}: attrs.{key} {value!r} is not one of {sorted(_ATTR_VALUES[key])}")


class WordLists(Mapping[str, tuple[str, ...]]):
    """A rule file's word lists by name. A name the file does not hold is a RuleError naming the file
    and the list, from `[name]` and `.get(name)` alike: reading a missing list as empty is what let a
    misspelt list name change scores silently."""

    def __init__(self, path: str, lists: Mapping[str, tuple[str, ...]]) -> None:
        self.path = path
        self._lists = dict(lists)

    def __getitem__(self, name: str) -> tuple[str, ...]:
        try:
            return self._lists[name]
        except KeyError:
            raise RuleError(f"{self.path}: no word list {name!r} under 'lists'; the scorer reads it: "
                            f"add it or correct its name") from None

    def __contains__(self, name: object) -> bool:
        return name in self._lists

    def __iter__(self) -> Iterator[str]:
        return iter(self._lists)

    def __len__(self) -> int:
        return len(self._lists)

    def __repr__(self) -> str:
        return f"WordLists({self.path!r}, {sorted(self._lists)})"


def _check_word_lists(path: Path, lists: Mapping[str, tuple[str, ...]]) -> None:
    """The lists of a shipped rule file are the ones the scorer reads from it (`WORD_LISTS`)."""
    expected = WORD_LISTS.get(path.stem)
    if expected is None:
        return
    missing, unread = sorted(expected - lists.keys()), sorted(lists.keys() - expected)
    if missing:
        extra = f" (is {unread[0]!r} a misspelling?)" if unread else ""
        raise RuleError(f"{path}: word list(s) {missing} missing under 'lists'{extra}; the scorer reads them")
    if unread:
        raise RuleError(f"{path}: word list(s) {unread} are read by no part of the scorer; correct their "
                        f"names or add them to rulebook.WORD_LISTS with the code that reads them")


@dataclass(frozen=True)
class RuleSet:
    """The rules of one file, in file order."""

    name: str
    path: str
    rules: tuple[Rule, ...]
    labels: tuple[str, ...] = ()
    lists: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    # Rules screened together (see `_screen_groups`), built on first use (`screens`), never compared.
    _screens: tuple[_Screen, ...] | None = field(default=None, init=False, repr=False, compare=False)
    # Rules with literal anchors (see `literal_anchors`), with whether the anchors are lower-cased,
    # and the screens of the other rules: the plan for texts whose lower case is their case folding.
    anchored: tuple[tuple[Rule, tuple[str, ...], bool], ...] = field(default=(), init=False, repr=False,
                                                                    compare=False)
    unanchored_screens: tuple[_Screen, ...] = field(default=(), init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        anchored, rest = [], []
        for rule in self.rules:
            ignorecase = bool(rule.source_flags & regex.IGNORECASE)
            # An IGNORECASE rule without a simple-folding variant may match across a multi-character
            # fold ("ss" ~ "ß"): no anchors for it.
            anchors = (literal_anchors(rule.source, ignorecase)
                       if rule.compiled_from_source
                       and (rule.fast is not None or not ignorecase) else None)
            if anchors:
                anchored.append((rule, anchors, ignorecase))
            else:
                rest.append(rule)
        object.__setattr__(self, "anchored", tuple(anchored))
        object.__setattr__(self, "unanchored_screens", _screen_groups(rest))

    @property
    def screens(self) -> tuple[_Screen, ...]:
        """All rules in screening groups: the plan for texts where literal anchors cannot be trusted
        (a character whose lower case is not its case folding) and for `anchors=False`. Built on
        first use: news text almost never needs it, and compiling its alternations of a file's rules
        (the hedge file's 92 in one) was a quarter of the time a pipeline took to load."""
        if self._screens is None:
            object.__setattr__(self, "_screens", _screen_groups(self.rules))
        assert self._screens is not None
        return self._screens

    def find_all(self, text: str, pos: int = 0, endpos: int | None = None, anchors: bool = True
                 ) -> list[RuleMatch]:
        """All matches of all rules, sorted by start, then longest first.

        A rule with literal anchors runs only where `text[pos:endpos]` holds one of them (when that
        text's lower case is its case folding, see `anchors_usable`). Each group of the other rules
        is first screened by one search of the alternation of their patterns over the same
        `[pos, endpos)`; when that finds nothing, no rule of the group can match there, so the group's
        rules are not run one by one. The result is exactly that of running every rule (`anchors=False`
        skips the anchor test, for the tests that prove it)."""
        end = len(text) if endpos is None else endpos
        simple = _multi_fold_free_until(text) >= end
        found: list[RuleMatch] = []
        screens: tuple[_Screen, ...] | None = None
        if anchors and self.anchored and simple:
            segment = text[pos:end]
            if anchors_usable(segment):
                lowered = segment.lower()
                for rule, needed, folded in self.anchored:
                    haystack = lowered if folded else segment
                    for anchor in needed:  # a plain loop: a generator per rule cost more than the tests
                        if anchor in haystack:
                            found.extend(rule.matches(text, pos, end, simple))
                            break
                screens = self.unanchored_screens
        for screen in self.screens if screens is None else screens:
            if screen.may_match(text, pos, end, simple):
                for rule in screen.rules:
                    found.extend(rule.matches(text, pos, end, simple))
        if len(found) > 1:
            found.sort(key=lambda m: (m.start, -(m.end - m.start), m.rule_id))
        return found

    def check_examples_pass_anchors(self) -> None:
        """Every example of an anchored rule holds one of its anchors, as `find_all` needs to run the
        rule on it: the examples are matched by the rule alone, so an anchor read wrongly off a
        pattern would let its examples pass while the scorer never runs it. Raises RuleError."""
        for rule, needed, folded in self.anchored:
            for example in rule.examples:
                if not (simple_fold_until(example, len(example)) and anchors_usable(example)):
                    continue  # find_all runs every rule on such a text
                haystack = example.lower() if folded else example
                if not any(anchor in haystack for anchor in needed):
                    raise RuleError(
                        f"{self.path}: rule {rule.id!r}: example {example!r} holds none of the literals "
                        f"{list(needed)} read off its pattern, so the scorer would never run the rule on "
                        f"it; write the pattern without the construct that misleads (a bug to report)")

    def by_label(self, label: str) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.label == label)

    def get(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)


def compile_fully(rules: RuleSet) -> None:
    """Compile every rule's full-folding pattern, which loading leaves to the first text that needs
    it (`Rule.compiled`): `scorer rules check` proves them all. Raises RuleError naming the rule."""
    for rule in rules.rules:
        try:
            rule.compiled  # noqa: B018 - the property compiles
        except regex.error as exc:
            raise RuleError(f"{rules.path}: rule {rule.id!r}: bad regex: {exc}") from exc


def terms_pattern(terms: Sequence[str]) -> str:
    """One escaped alternation with word boundaries; longest terms first so they win."""
    ordered = sorted({t.strip() for t in terms if t.strip()}, key=lambda t: (-len(t), t))
    parts = [regex.escape(t).replace(r"\ ", r"\s+") for t in ordered]
    return r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])"


def _flags(case_sensitive: bool) -> int:
    flags = regex.VERSION1 | regex.UNICODE
    return flags if case_sensitive else flags | regex.IGNORECASE


def _rule_from_mapping(raw: Any, origin: str, index: int, labels: set[str]) -> Rule:
    where = f"{origin}: rule #{index + 1}"
    if not isinstance(raw, Mapping):
        raise RuleError(f"{where}: a rule must be a mapping, got {type(raw).__name__}")
    rule_id = raw.get("id")
    if rule_id is None:
        raise RuleError(f"{where}: missing 'id'")
    if not isinstance(rule_id, str) or not rule_id.strip():
        raise RuleError(f"{where}: 'id' must be a non-empty string, not {rule_id!r}; quote it")
    where = f"{origin}: rule {rule_id!r}"
    unknown = set(raw) - _RULE_KEYS
    if unknown:
        raise RuleError(f"{where}: unknown key(s) {sorted(unknown)}; allowed: {sorted(_RULE_KEYS)}")
    label = raw.get("label")
    if label is None:
        raise RuleError(f"{where}: missing 'label'")
    if not isinstance(label, str):
        raise RuleError(f"{where}: 'label' must be a string, not {label!r}")
    if labels and label not in labels:
        raise RuleError(f"{where}: label {label!r} is not one of {sorted(labels)}")
    has_terms, has_pattern = "terms" in raw, "pattern" in raw
    if has_terms == has_pattern:
        raise RuleError(f"{where}: give exactly one of 'terms' or 'pattern'")
    case_sensitive = raw.get("case_sensitive", False)
    if not isinstance(case_sensitive, bool):  # bool("false") is True
        raise RuleError(f"{where}: 'case_sensitive' must be true or false, not {case_sensitive!r}")
    terms: tuple[str, ...] = ()
    if has_terms:
        if not isinstance(raw["terms"], list) or not raw["terms"] or not all(
            isinstance(t, str) and t.strip() for t in raw["terms"]
        ):
            raise RuleError(f"{where}: 'terms' must be a non-empty list of strings")
        terms = tuple(raw["terms"])
        source = terms_pattern(terms)
    else:
        if not isinstance(raw["pattern"], str) or not raw["pattern"]:
            raise RuleError(f"{where}: 'pattern' must be a non-empty string")
        source = raw["pattern"]
    flags = _flags(case_sensitive)
    # A case-insensitive rule runs its simple-folding variant on nearly every text: compiling only
    # that one here (the full-folding pattern on first need) cut compiling the rule files from 0.87 s
    # to 0.17 s. The two differ in `(?-f)` alone, so the variant compiling proves the pattern's
    # syntax; when there is no variant, the pattern itself is compiled and checked.
    fast = _simple_fold_variant(source, flags)
    try:
        pattern = regex.compile(source, flags) if fast is None else None
    except regex.error as exc:
        raise RuleError(f"{where}: bad regex: {exc}") from exc
    runs: Any = fast if fast is not None else pattern
    if runs.search("", timeout=REGEX_TIMEOUT_S) is not None:
        raise RuleError(f"{where}: pattern matches the empty string")
    attrs = raw.get("attrs", {})
    if not isinstance(attrs, Mapping):
        raise RuleError(f"{where}: 'attrs' must be a mapping")
    _check_attrs(origin, rule_id, attrs)
    examples = raw.get("examples", []) or []
    if not isinstance(examples, list):
        raise RuleError(f"{where}: 'examples' must be a list of texts the rule matches, "
                        f"not a {type(examples).__name__}")
    rule = Rule(rule_id, label, pattern, source, terms, dict(attrs), str(raw.get("notes", "")), flags, fast,
                tuple(str(example) for example in examples), origin)
    for example in rule.examples:
        if not any(True for _ in rule.finditer(example)):
            raise RuleError(f"{where}: example {example!r} does not match the rule")
    return rule


def load_ruleset(path: str | Path) -> RuleSet:
    """Load and validate one rule file. Raises RuleError naming the file and rule on any problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RuleError(f"{path}: cannot read rule file: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise RuleError(f"{path}: not UTF-8 text (byte {exc.start}); a rule file is UTF-8 YAML") from exc
    # The C build of the safe loader when there is one (scorer.linear.SAFE_LOADER): a fifth of the
    # time a pipeline took to load went on parsing the rule files in pure Python. It refuses
    # duplicate keys and aliases.
    data = parse_yaml(text, path)
    if not isinstance(data, Mapping):
        raise RuleError(f"{path}: a rule file must be a mapping with 'schema', 'name' and 'rules'")
    unknown = set(data) - _FILE_KEYS
    if unknown:
        raise RuleError(f"{path}: unknown top-level key(s) {sorted(unknown)}; allowed: {sorted(_FILE_KEYS)}")
    if data.get("schema") != RULES_SCHEMA:
        raise RuleError(f"{path}: 'schema' must be {RULES_SCHEMA!r}")
    labels = set(data.get("labels") or [])
    raw_rules = data.get("rules") or []
    if not isinstance(raw_rules, list):
        raise RuleError(f"{path}: 'rules' must be a list")
    rules = [_rule_from_mapping(raw, str(path), i, labels) for i, raw in enumerate(raw_rules)]
    seen: set[str] = set()
    for rule in rules:
        if rule.id in seen:
            raise RuleError(f"{path}: rule {rule.id!r}: duplicate id")
        seen.add(rule.id)
    lists_raw = data.get("lists") or {}
    if not isinstance(lists_raw, Mapping):
        raise RuleError(f"{path}: 'lists' must be a mapping of name to list of strings")
    lists: dict[str, tuple[str, ...]] = {}
    for name, values in lists_raw.items():
        if not isinstance(values, list):
            raise RuleError(f"{path}: list {name!r} must be a list of strings")
        for value in values:
            if not isinstance(value, str):
                hint = " (YAML reads yes/no/on/off as booleans: quote it)" if isinstance(value, bool) else ""
                raise RuleError(f"{path}: list {name!r}: item {value!r} is not a string{hint}")
        lists[str(name)] = tuple(values)
    _check_word_lists(path, lists)
    rule_set = RuleSet(str(data.get("name", path.stem)), str(path), tuple(rules), tuple(sorted(labels)),
                       WordLists(str(path), lists))
    rule_set.check_examples_pass_anchors()
    return rule_set


@lru_cache(maxsize=64)
def _cached_ruleset(path: str, mtime_ns: int) -> RuleSet:
    return load_ruleset(path)


def ruleset(name_or_path: str | Path, rules_dir: str | Path | None = None) -> RuleSet:
    """A rule file by name (`hedges` -> rules/hedges.yaml) or path, loaded once per process."""
    path = Path(name_or_path)
    if path.suffix not in {".yaml", ".yml"}:
        path = Path(rules_dir or RULES_DIR) / f"{name_or_path}.yaml"
    try:
        mtime = path.stat().st_mtime_ns
    except OSError as exc:
        raise RuleError(f"{path}: rule file not found") from exc
    return _cached_ruleset(str(path.resolve()), mtime)
