"""Step 2: find who is cited, and with which words, in each claim.

Patterns covered (each names the rule that fired, kept on the finding):
- `attr.subject_cue`    "X said (that) ...", "X, a professor at Y, said", "he has long argued"
- `attr.trailing`       "..., said X." / "...,” said X, a professor." / "..., reports 24brussels."
- `attr.according_to`   "according to X (and Y)"
- `attr.passive_by`     "as announced by X", "reported by X"
- `attr.colon`          "X expressed skepticism: “...”"
- `attr.in_poll`        "In a CNN/ORC poll released Monday, 52 percent ...": the poll cited
- `attr.dash_credit`    "“...” ― Jane Doe", a quotation credited after a dash (quote collections,
                        a "- Sanders." line under a quoted statement)
Word classes (cue verbs, determiners, auxiliaries, clause stops) are data in `rules/attribution.yaml`.
Spans are cut on tokens, so they never start or end on whitespace.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

import numpy as np
import regex

from scorer.rulebook import REGEX_TIMEOUT_S, RuleSet, ruleset
from scorer.spans import Span, make_span
from scorer.tokens import Token, tokenize

_OPEN_QUOTES = {'"', "“", "‘", "'", "«"}
_CLOSE_QUOTES = {'"', "”", "’", "'", "»"}
_SENTENCE_END = {".", "!", "?", "…"}
_QUOTE_MARKS = _OPEN_QUOTES | _CLOSE_QUOTES | {"''", "``"}
# A dash and a name closing a line: the credit line of a quotation ("”― Jane Doe", a paragraph
# "- Sanders." under a quoted statement). A hyphen counts only where it stands free; a name is up to
# six capitalised words or initials, with the lower-case particles of surnames.
_DASH_CREDIT = regex.compile(
    r"(?P<cue>―|—|–|--|(?<![\w-])-(?!-))[ \t\u00a0]*"
    r"(?P<name>\p{Lu}[\p{L}’'\-]*\.?"
    r"(?:[ \t\u00a0]+(?:\p{Lu}[\p{L}’'\-]*\.?|de|del|da|di|la|le|van|von|bin|al)){0,5})"
    r"(?=[ \t\u00a0]*(?:[.,;]|\r?\n|$))", regex.MULTILINE)
_CREDIT_CLOSERS = ("”", '"', "'", "’", "»")
# A sentence that opens "In <a poll>," reports what the poll found: the poll is the source and "In"
# its cue (PolNeAR train: 16 of 20 such openings marked so). The phrase runs to the first comma, with
# a participle set off by commas ("In the latest poll, conducted in May, ...").
_POLL_MODIFIERS = ("latest|new|newest|recent|national|nationwide|statewide|online|early|late|most|public|"
                   "exit|same|first|last|previous|separate|independent|weekly|monthly|annual|own|other")
_IN_POLL = regex.compile(
    r"(?P<cue>In)[ \t\u00a0]+(?P<poll>(?:a|an|the|\p{Lu}[\p{L}’'.-]*)[ \t\u00a0]+"
    # Before the head, only names, numbers, hyphenated words and a few adjectives: "a memo released
    # as polls closed" is no poll.
    r"(?:(?:\p{Lu}[\p{L}’'./-]*|[\p{Ll}\d][\p{L}\d’'./]*-[\p{L}\d’'./-]+|\d[\w%./-]*|"
    + _POLL_MODIFIERS + r")[ \t\u00a0]+){0,7}"
    r"(?:poll|polls|survey|surveys)\b[^,;:!?\n]{0,60}?"
    r"(?:,[ \t\u00a0]*(?:conducted|released|taken|published)\b[^,;:!?\n]{0,60},|(?=[ \t\u00a0]*,)))")
_TITLE_MODIFIERS = frozenset({"former", "retired", "then", "ex", "acting", "outgoing", "incoming", "late"})
_POSSESSIVE_DETERMINERS = frozenset({"his", "her", "their", "its", "our", "my", "your"})
# A name, its comma and a "who" clause: "Humphrey, who calls Trump a 'sociopath,'".
_NAME_THEN_WHO = regex.compile(r"[^,]*,\s*(?:who|whose)\b")
# Rules whose source follows the cue, in a form the models rarely saw: their finding stands.
_SOURCE_AFTER_RULES = frozenset({"attr.trailing", "cue.passive_by", "attr.dash_credit", "attr.in_poll"})
# Periods inside a name: "Joseph R. Biden Jr. said", "Sen. Jane Doe".
_NAME_ABBREVIATIONS = frozenset({"Jr", "Sr", "Mr", "Mrs", "Ms", "Dr", "Sen", "Rep", "Gov", "Gen", "Lt", "Col",
                                 "St", "Rev"})
# The longest name-with-aside source `_aside_source` takes, in tokens (MAX_SOURCE_TOKENS is 30).
_MAX_ASIDE_TOKENS = 40
_SUBJECT_PRONOUNS = frozenset({"he", "she", "they", "we", "i"})
# Tokens after which a verb of saying may precede its source: "...,” said Smith", "— says one aide".
_INVERSION_OPENERS = {",", ";", "—", "–", "(", ":", "''", "``"}
_COMMA_LIKE = {",", ";", ":", "—", "–", "(", ")"}
# The last word of a span and the verb clitic it carries: "He’s", "they're", "I’ve", "we'd".
_VERB_CLITIC = regex.compile(r"(?:^|(?<=\s))(\w+)['’](ve|re|ll|d|m|s)$", regex.IGNORECASE)
# Besides the subject pronouns, words whose "’s" is "is" or "has", never a possessive.
_S_CLITIC_HOSTS = frozenset({"that", "there", "here", "what", "where"})
_TIME_WORDS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "yesterday",
               "today", "tonight", "earlier", "last", "this", "on", "in"}


def _alternation(phrases: Sequence[str]) -> str:
    """A non-capturing regex group of `phrases`, longest first, any run of spaces where one stands."""
    ordered = sorted(phrases, key=len, reverse=True) or ["(?!)"]
    return "(?:" + "|".join(regex.escape(p).replace(r"\ ", r"\s+") for p in ordered) + ")"


@dataclass(frozen=True)
class Attribution:
    """One cited source and its cue inside a claim.

    `source` is the whole cited phrase as PolNeAR marks it (appositions included); `head` is the part
    that names the source ("Jane Doe" in "Jane Doe, a professor at Yale,"), used for typing and linking.
    """

    cue: Span
    source: Span | None
    head: Span | None
    cue_class: str
    rule_id: str


@dataclass(frozen=True)
class CueLexicon:
    forms: dict[str, tuple[str, str]]  # surface form -> (lemma, class)
    content_required: frozenset[str]
    determiners: frozenset[str]
    pronouns: frozenset[str]
    auxiliaries: frozenset[str]
    clause_stops: frozenset[str]
    np_prepositions: frozenset[str]
    verbish: frozenset[str]


def _inflect(lemma: str, irregular: dict[str, tuple[str, str]]) -> set[str]:
    """Regular English inflections with the usual spelling rules, plus listed irregular forms."""
    forms = {lemma}
    if lemma.endswith(("s", "sh", "ch", "x", "z", "o")):
        forms.add(lemma + "es")
    elif lemma.endswith("y") and lemma[-2:-1] not in set("aeiou"):
        forms.add(lemma[:-1] + "ies")
    else:
        forms.add(lemma + "s")
    if lemma.endswith("e"):
        forms.update({lemma + "d", lemma[:-1] + "ing"})
    elif lemma.endswith("y") and lemma[-2:-1] not in set("aeiou"):
        forms.update({lemma[:-1] + "ied", lemma + "ing"})
    elif (len(lemma) >= 3 and lemma[-1] in "tpgdmnb" and lemma[-2] in "aeiou" and lemma[-3] not in "aeiou"
          and lemma in {"admit", "commit", "regret", "plan", "quip", "stop", "drop", "nag", "beg", "slam",
                        "fret", "omit", "submit", "permit", "refer", "prefer", "confer", "rebut", "abet"}):
        forms.update({lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"})
    else:
        forms.update({lemma + "ed", lemma + "ing"})
    if lemma in irregular:
        # Irregular verbs have no regular past ("sayed"), except where it is the listed one
        # ("showed", "heard"): the listed forms go in after the regular ones are taken out.
        forms.discard(lemma + "ed")
        forms.discard(lemma + "d")
        forms.update(irregular[lemma])
    return forms


def verb_forms(lists: Mapping[str, Sequence[str]],
               classes: Sequence[tuple[str, str]]) -> dict[str, tuple[str, str]]:
    """Surface form -> (lemma, class) for the verb lists named in `classes` ((class, list name) pairs).

    Earlier classes win for a form in several lists: speech wins over belief for words in both."""
    irregular: dict[str, tuple[str, str]] = {}
    for entry in lists["irregular"]:
        lemma, past, participle = entry.split(":")
        irregular[lemma] = (past, participle)
    forms: dict[str, tuple[str, str]] = {}
    for cls, key in classes:
        for lemma in lists[key]:
            for form in _inflect(lemma, irregular):
                forms.setdefault(form, (lemma, cls))
    return forms


@lru_cache(maxsize=4)
def cue_lexicon(rules_path: str = "attribution") -> CueLexicon:
    rules = ruleset(rules_path)
    lists = rules.lists
    forms = verb_forms(lists, [(cls, f"{cls}_verbs")
                               for cls in ("speech", "belief", "intention", "evidence")])
    return CueLexicon(
        forms=forms,
        content_required=frozenset(lists["content_required"]),
        determiners=frozenset(lists["determiners"]),
        pronouns=frozenset(lists["subject_pronouns"]),
        auxiliaries=frozenset(lists["auxiliaries"]),
        clause_stops=frozenset(lists["clause_stops"]),
        np_prepositions=frozenset(lists["np_prepositions"]),
        verbish=frozenset(lists["verbish"]),
    )


def _cut_source(text: str, a: Attribution, cut: int) -> Attribution:
    """`a` with its source (and head) ending at `cut`; a cut that would leave nothing keeps the source."""
    assert a.source is not None
    source = make_span(text, a.source.start, cut) or a.source
    head = a.head
    if head is not None and head.end > cut:
        head = make_span(text, head.start, cut) or source
    return Attribution(a.cue, source, head, a.cue_class, a.rule_id)


# The word that ends a stretch, with only spaces after it.
_LAST_WORD = regex.compile(r"(?<![\w’'])([\w’']+)[ \t]+$")
# A relative clause's opening word: "Chris Christie, who endorsed him last week,".
_RELATIVE_OPENER = regex.compile(r",?\s+(?:who|whom|whose|which|that)\s", regex.IGNORECASE)
# What a cut can leave at a source's end that belongs to the words cut off: a comma, "and", "or".
_DANGLING_END = regex.compile(r"(?:[\s,;:]|\s(?:and|or|but)\b)+$")


def _nested_cue_cut(text: str, a: Attribution, cues: Sequence[Span]) -> int | None:
    """Where `a`'s source should end so that it holds no other cue of its sentence, or None.

    A source is who speaks, not what they do: "Glenn Beck" of "Glenn Beck doubled down on his
    rhetoric by reciting a passage ... to encourage voters", "Trump" of "Trump reportedly yelling".
    PolNeAR train marks 1 source of 5,709 (first 300 articles) that holds one of its cues; the
    source model, scoring each cue's candidates apart, let 35 of its 5,356 run over another cue it
    had found. The source ends before the first such cue, unless a relative clause holds it:
    PolNeAR keeps those, verb and all ("former rival New Jersey Gov. Chris Christie, who endorsed
    him last week"; 551 train sources hold a "who" or "which")."""
    assert a.source is not None
    src = a.source
    inner = [c.start for c in cues if c != a.cue and src.start < c.start and c.end <= src.end]
    if not inner:
        return None
    cut = min(inner)
    if _RELATIVE_OPENER.search(text, src.start, cut) is not None:
        return None  # PolNeAR keeps a relative clause in the source, cue and all
    # What is left ends on a word of the name, not on the comma or "and" before the clause
    # ("Ms. Acosta, referring to ..."); `_closing_comma` decides on the comma afterwards.
    kept = _DANGLING_END.search(text, src.start, cut)
    return kept.start() if kept is not None else cut


# The longest stretch of text the finder reads as one sentence. News sentences stay far below it (the
# longest claim of 384 PolNeAR train and dev articles has 859 characters); a run-on text with no
# sentence end (a scraped table, a list without full stops) is read in windows of this size, so that
# its cost grows with its length, not with its square (an 80,000-character run-on took 12 s, twice
# that length three times as long).
MAX_SENTENCE_CHARS = 5000


def _windows(text: str, start: int, end: int, size: int) -> list[tuple[int, int]]:
    """`text[start:end]` as windows of at most `size` characters, each cut at the last space of its
    second half where there is one."""
    out = []
    while end - start > size:
        cut = text.rfind(" ", start + size // 2, start + size)
        cut = cut if cut > start else start + size
        out.append((start, cut))
        start = cut
    out.append((start, end))
    return out


def _closing_comma(text: str, a: Attribution) -> Attribution:
    """`a` with the comma after its source held when it closes an apposition, and dropped when it
    does not (`AttributionFinder._trimmed_sources`)."""
    assert a.source is not None
    source = a.source
    appositive = "," in source.text[:-1]
    if source.end <= a.cue.start and source.text.endswith(",") and not appositive:
        return _cut_source(text, a, source.end - 1)
    if (source.start >= a.cue.end and appositive and not source.text.endswith(",")
            and text.startswith(",", source.end)):
        held = make_span(text, source.start, source.end + 1)
        if held is not None:
            return Attribution(a.cue, held, a.head, a.cue_class, a.rule_id)
    return a


_TITLE_WORD = regex.compile(r"\p{Lu}[\p{Ll}’'-]*")
# A headline that opens with a label and a colon: "Graham: Trump’s ‘Hateful Rhetoric’ ...", "Clinton
# Camp: ...", "Poll: ...". The label is one to five capitalised words (a name's "of", "de" or "the"
# inside); text must follow the colon on its line.
_HEADLINE_LABEL = regex.compile(
    r"(\p{Lu}[\w.’'&-]*(?:[ ](?:\p{Lu}[\w.’'&-]*|of|de|the)){0,4}):[ \t]+(?=\S)")


def _title_case_words(lex: Any) -> frozenset[str]:
    """The words a Title Case headline has in lower case in running text: cue verbs in every form,
    cue nouns and the closed function-word classes, not roles or names ("Judge", "Trump")."""
    return frozenset(lex.forms) | lex.cue_nouns | lex.determiners | lex.auxiliaries | lex.pronouns \
        | lex.np_prepositions | lex.coordinators | lex.clause_stops | frozenset({"just", "to", "that"})


# The digits and separators a number runs on with before a source's first digit ("1,409 teachers").
_NUMBER_HEAD = regex.compile(r"\d{1,3}(?:[.,]\d+)*[.,]$")


def _whole_number_start(text: str, a: Attribution) -> Attribution:
    """`a` with a source that starts inside a number ("409 teachers" of "1,409 teachers": the
    tokenizer splits numbers at their separators) widened to the whole number."""
    assert a.source is not None
    start = a.source.start
    if not text[start:start + 1].isdigit():
        return a
    m = _NUMBER_HEAD.search(text, max(0, start - 24), start)
    if m is None or (m.start() > 0 and text[m.start() - 1].isalnum()):
        return a
    source = make_span(text, m.start(), a.source.end) or a.source
    head = a.head if a.head is None or a.head.start != start else make_span(text, m.start(), a.head.end)
    return Attribution(a.cue, source, head, a.cue_class, a.rule_id)


# Verb classes whose act cites its subject when the sentence cites no one else: on the labelled train
# claims a speech act's subject is the labelled source 4 times in 5, a belief act's only half the time.
_ACT_CITING_CLASSES = frozenset({"speech", "evidence"})
# Finite forms only: "easier said than done", "the final say", "telling women to stop" are no citations.
_CORE_SPEECH = frozenset({"said", "says", "told", "tells"})
# "they say", "you should have said", "who will say whatever": generic or hypothetical speakers.
_GENERIC_SPEAKERS = frozenset({"you", "they", "who", "it", "we", "one"})


def cue_negated(text: str, att: Attribution) -> bool:
    """"did not clarify", and a cue that ends on the auxiliary of a negation ("... did | not")."""
    before = text[max(0, att.cue.start - 12):att.cue.start].lower().split()
    around = (before[-1:] + att.cue.text.lower().split()
              + text[att.cue.end:att.cue.end + 8].lower().split()[:1])
    return any(w in {"not", "never"} or w.endswith(("n't", "n’t")) for w in around)


class AttributionFinder:
    """Finds attributions in claim spans of one text. Stateless apart from its compiled rules and
    models.

    With the learned models present (`rules/attribution_*_model.yaml`, see
    `scorer.attribution_model`), `find` lets a cue-token model pick the cues and a source-span model
    pick each cue's source; the rules below vote in both as features. Without them, or with
    `use_models=False`, `find` is the rules alone (`find_by_rules`).
    """

    def __init__(self, rules: RuleSet | None = None, lexicon: CueLexicon | None = None,
                 use_models: bool = True) -> None:
        self.rules = rules or ruleset("attribution")
        self.lex = lexicon or cue_lexicon()
        self.sourceless = frozenset(self.rules.lists["sourceless_cues"])
        self.object_quantities = frozenset(self.rules.lists["object_quantities"])
        self.inversion_verbs = frozenset(self.rules.lists["inversion_verbs"])
        self.sourceless_heads = frozenset(self.rules.lists["sourceless_heads"])
        self.time_words = frozenset(self.rules.lists["time_words"])
        self.headline_kickers = frozenset(self.rules.lists["headline_kickers"])
        self.body_name_heads = frozenset(self.rules.lists["body_name_heads"])
        self.floating_quantifiers = frozenset(self.rules.lists["floating_quantifiers"])
        self._floated_over = self.lex.pronouns | frozenset(self.rules.lists["relative_pronouns"])
        # What a source before its cue never ends with (rules/attribution.yaml): a comma-set aside
        # (", however,"), or a name's "in a statement"-like phrase of the medium ("Ryan in a
        # statement said"; "Mr. Trump, in a brief interview on Saturday, said").
        self._trailing_aside = regex.compile(
            r"\s*,\s*" + _alternation(self.rules.lists["source_asides"]) + r"\s*,?\s*$",
            regex.IGNORECASE)
        self._trailing_medium = regex.compile(
            r"(?:\s*,|(?<=\b[A-Z][\w.’'-]*))\s+(?:in|during)\s+(?:a|an|the|his|her|their|its)\s+"
            r"(?:[\w-]+\s+){0,3}?" + _alternation(self.rules.lists["source_media"])
            + r"s?\b[^,]*,?\s*$")
        self.hearsay = frozenset(self.rules.lists["hearsay_cues"])
        self.habitual_adverbs = frozenset(self.rules.lists["habitual_adverbs"])
        self.act_citing_forms = frozenset(verb_forms(self.rules.lists, [("act", "act_citing_verbs")]))
        # Words whose "’s" is a verb ("He’s", "That’s"): a source ending in one stops before it.
        self._s_clitic_hosts = self.lex.pronouns | _S_CLITIC_HOSTS
        self.models = None
        if use_models:
            from scorer.attribution_model import load_models

            self.models = load_models()

    # -- token helpers ------------------------------------------------------------------------
    def _is_adverb(self, tok: Token) -> bool:
        low = tok.lower
        return low in self.lex.auxiliaries or (low.endswith("ly") and len(low) > 4 and not tok.is_capitalised)

    def _nominal(self, tok: Token) -> bool:
        """Could this token sit inside a noun phrase that cites someone?"""
        if not tok.is_word:
            return tok.text in {"’", "'", "-", "&", "."}
        low = tok.lower
        if tok.is_capitalised:
            # Sentence-internal capitalised clause words ("But", "And") are not names.
            return low not in self.lex.clause_stops or low in {"yet"}
        if low in self.lex.clause_stops or low in self.lex.verbish:
            return False
        return low not in self.lex.forms or low in {"report", "reports", "poll", "polls", "statement"}

    def _noun_after_determiner(self, toks: Sequence[Token], i: int) -> bool:
        """"the talks", "the reports": a cue-verb form right after a determiner is a noun."""
        return (i > 0 and toks[i].is_word and toks[i].lower not in self.lex.clause_stops
                and toks[i - 1].lower in self.lex.determiners)

    def _span(self, text: str, first: Token, last: Token) -> Span | None:
        return make_span(text, first.start, last.end)

    # -- source to the left of a cue ---------------------------------------------------------
    def _left_source(self, text: str, toks: Sequence[Token],
                     cue_index: int) -> tuple[Span | None, Span | None]:
        j = cue_index - 1
        while j >= 0 and self._is_adverb(toks[j]) and toks[j].lower not in self.lex.pronouns:
            j -= 1
        if j < 0:
            return None, None
        if toks[j].text == ",":
            return self._apposition_source(text, toks, j)
        if toks[j].lower in self.lex.pronouns and toks[j].is_word:
            span = self._span(text, toks[j], toks[j])
            return span, span
        end = j
        i = j
        while i >= 0 and (self._nominal(toks[i]) or self._noun_after_determiner(toks, i)):
            i -= 1
        first = i + 1
        if first > end:
            return None, None
        first = self._conjoined_start(toks, first)
        trimmed = self._trim_np_start(toks, first, end)
        if trimmed is None:
            return None, None
        span = self._span(text, toks[trimmed], toks[end])
        return span, span

    def _conjoined_start(self, toks: Sequence[Token], first: int) -> int:
        """"Donald Trump and House Speaker Paul Ryan pledged": a subject of two conjoined names is one
        source (PolNeAR marks the whole phrase). A capitalised (or determined) subject after
        "and"/"nor" takes in the capitalised run or pronoun before it when that run opens the
        sentence, follows punctuation, or follows "both"/"neither"/"either", which it keeps ("Both
        Blocher and the SVP"); after any other word the run is an object ("Obama met Biden and
        Clinton said") and the subject stays as it was."""
        k = first - 1
        if not (k >= 1 and toks[k].lower in {"and", "nor"} and toks[first].is_word
                and (toks[first].is_capitalised or toks[first].lower in self.lex.determiners)):
            return first
        j = k - 1
        low = toks[j].lower
        if not (toks[j].is_capitalised or low in self.lex.pronouns) or low in self.lex.clause_stops:
            return first
        while j >= 1 and toks[j - 1].is_word and toks[j - 1].is_capitalised:
            if toks[j - 1].lower in self.lex.clause_stops:
                break
            j -= 1
        before = toks[j - 1] if j > 0 else None
        if before is None or not before.is_word or before.lower in {"both", "neither", "either"}:
            return j - 1 if before is not None and before.is_word else j
        return first

    def _trim_np_start(self, toks: Sequence[Token], first: int, end: int) -> int | None:
        """Cut leading material that cannot begin a cited noun phrase."""
        # A name run preceded by a plain lowercase word that is no title, role or determiner:
        # "After the debate Smith said" -> "Smith".
        k = first
        while k <= end and (not toks[k].is_word or toks[k].lower in self.lex.np_prepositions):
            k += 1
        if k > end:
            return None
        first = k
        # Keep the last name run and what modifies it, when a lowercase verb-like word splits them.
        for m in range(end, first, -1):
            tok, prev = toks[m], toks[m - 1]
            if tok.is_capitalised and prev.is_word and not prev.is_capitalised:
                low = prev.lower
                if low in self.lex.determiners or low in self.lex.np_prepositions:
                    continue
                if low.endswith(("ed", "ing")) and low not in {
                        "former", "acting", "leading", "ruling", "governing"}:
                    return m
        return first

    def _apposition_source(
        self, text: str, toks: Sequence[Token], comma: int
    ) -> tuple[Span | None, Span | None]:
        """"Jane Doe, a professor at Yale, said": the source runs from the name through the comma."""
        k = comma - 1
        while k >= 0 and toks[k].text not in _COMMA_LIKE and toks[k].text not in _OPEN_QUOTES | _CLOSE_QUOTES:
            k -= 1
        if k < 0 or toks[k].text != ",":
            return None, None
        aside_first = k + 1
        if aside_first >= comma:
            return None, None
        # The name before the aside.
        name_end = k - 1
        i = name_end
        while i >= 0 and self._nominal(toks[i]) and (toks[i].is_capitalised or not toks[i].is_word
                                                       or toks[i].lower in self.lex.determiners):
            i -= 1
        name_first = i + 1
        if name_first > name_end or not any(t.is_capitalised for t in toks[name_first:name_end + 1]):
            return None, None
        if (name_first > 0 and toks[name_first - 1].is_word
                and toks[name_first - 1].lower not in self.lex.clause_stops):
            # The name is the tail of a longer phrase (an object, not the subject): no apposition.
            return None, None
        head = self._span(text, toks[name_first], toks[name_end])
        full = self._span(text, toks[name_first], toks[comma])
        return full, head

    # -- source to the right (inverted and prepositional) -------------------------------------
    def _right_np(self, text: str, toks: Sequence[Token], start: int,
                  allow_apposition: bool) -> tuple[Span | None, Span | None, int]:
        i = start
        while i < len(toks) and (self._nominal(toks[i]) or toks[i].lower in self.lex.np_prepositions
                                 or toks[i].lower in {"and"}):
            if toks[i].text == "." and (i + 1 == len(toks) or toks[i + 1].text in _CLOSE_QUOTES):
                break
            i += 1
        last = i - 1
        while last >= start and (not toks[last].is_word or toks[last].lower in self.lex.np_prepositions
                                 or toks[last].lower == "and"):
            last -= 1
        if last < start:
            return None, None, start
        head = self._span(text, toks[start], toks[last])
        full_last = last
        if allow_apposition and i < len(toks) and toks[i].text == ",":
            k = i + 1
            while k < len(toks) and toks[k].text not in _COMMA_LIKE | _SENTENCE_END | _CLOSE_QUOTES:
                k += 1
            if k > i + 1:
                full_last = k - 1
        full = self._span(text, toks[start], toks[full_last])
        return full, head, full_last + 1

    # -- the finder ----------------------------------------------------------------------------
    def find(self, text: str, start: int, end: int) -> list[Attribution]:
        """Attributions whose cue lies in `text[start:end]`."""
        return self.find_many(text, [(start, end)])[0]

    def find_many(self, text: str, bounds: Sequence[tuple[int, int]]) -> list[list[Attribution]]:
        """`find` for each `(start, end)` of `text`: the cue models score the tokens, then the cue
        spans, of all of them in one product each (a row's score does not depend on the others).
        A stretch longer than MAX_SENTENCE_CHARS is read in windows (`_windows`)."""
        pieces: list[tuple[int, int]] = []
        owners: list[int] = []
        for k, (start, end) in enumerate(bounds):
            for window in _windows(text, start, end, MAX_SENTENCE_CHARS):
                pieces.append(window)
                owners.append(k)
        # Which characters stand inside a quotation, over the whole article (a quotation runs across
        # the sentences of its paragraph, which one sentence alone cannot see): read once, for the
        # models and for the filter after them. An attribution whose cue stands inside a quotation
        # is dropped: a quoted speaker's own "they say" or "I think" is part of what the speaker is
        # cited for, not a second citation (PolNeAR marks almost none: 34 of the 19,833 cues of its
        # train split stand inside quotation marks; in its first 200 train articles, 104 of the
        # finder's 110 cues inside quotation marks were false alarms).
        quoted = quotation_mask(text)
        found_per_piece = ([self.find_by_rules(text, start, end) for start, end in pieces]
                           if self.models is None else self._find_many_by_models(text, pieces, quoted))
        out: list[list[Attribution]] = [[] for _ in bounds]
        for k, found in zip(owners, found_per_piece, strict=True):
            out[k].extend(self._trimmed_sources(text, [a for a in found if not quoted[a.cue.start]]))
        return out

    def headline_label(self, text: str, start: int, end: int) -> Attribution | None:
        """The label a headline opens with, cited by its colon: "Graham: Trump’s ‘Incredibly Hateful
        Rhetoric’ Destroying GOP" cites Graham, as PolNeAR marks it (train: 71 of 79 such colons in
        its 840 headlines are marked so). A kicker names no one ("Breaking:", "The Latest:",
        `headline_kickers`), nor does a label that is itself a headline phrase: one that opens with a
        determiner ("The One Thing Both Sides Want:") or holds a cue or function word after its
        first word ("Clinton Wades In:", "Big Win For Bernie:"). `start`..`end` is the headline."""
        m = _HEADLINE_LABEL.match(text, start, end, timeout=REGEX_TIMEOUT_S)
        if m is None:
            return None
        label = m.group(1)
        words = label.lower().split()
        if (label.lower() in self.headline_kickers or words[0] in self.lex.determiners
                or any(w in self._title_case_lowered for w in words[1:])):
            return None
        source = make_span(text, m.start(1), m.end(1))
        cue = make_span(text, m.end(1), m.end(1) + 1)
        if source is None or cue is None:
            return None
        return Attribution(cue, source, source, "speech", "attr.headline_label")

    @cached_property
    def _title_case_lowered(self) -> frozenset[str]:
        """The words `find_many_in_title_case` reads in lower case (`_title_case_words`)."""
        from scorer.attribution_model import model_lexicon

        return _title_case_words(model_lexicon())

    def find_many_in_title_case(self, text: str,
                                bounds: Sequence[tuple[int, int]]) -> list[list[Attribution]]:
        """`find_many` for headlines in Title Case ("Trump Files Largest Financial Statement"): the
        models learnt their cue verbs, cue nouns and function words in lower case, so those words
        are read in lower case here, as running text has them; names keep their capitals. The
        spans point into `text`."""
        lowered = self._title_case_lowered
        chars = list(text)
        for start, end in bounds:
            for m in _TITLE_WORD.finditer(text, start, end):
                word = m.group(0)
                lower = word[0].lower()
                # Only a one-for-one letter keeps every offset ("İ" lowers to two code points).
                if m.start() > start and word.lower() in lowered and not word.isupper() and len(lower) == 1:
                    chars[m.start()] = lower
        read = "".join(chars)

        def original(span: Span | None) -> Span | None:
            return make_span(text, span.start, span.end) if span is not None else None

        out = []
        for found in self.find_many(read, bounds):
            restored = []
            for a in found:
                cue = original(a.cue)
                if cue is not None:
                    restored.append(Attribution(cue, original(a.source), original(a.head), a.cue_class,
                                                a.rule_id))
            out.append(restored)
        return out

    def _trimmed_sources(self, text: str, found: list[Attribution]) -> list[Attribution]:
        """Each source cut where PolNeAR ends it, in six steps.

        A source that runs over another cue of its sentence ends before it (`_nested_cue_cut`).

        A source that starts inside a number starts where the number does (`_whole_number_start`).

        A source ends before a verb clitic its last word carries: "He" of "He’s said", "They" of
        "they're saying", "I" of "I’ve argued" (the clitic is a token of its own, and a span may end
        on it). PolNeAR train marks 164 sources that stop right before such an apostrophe and 2 that
        hold a "’ve". A name's "’s" stays: there it is mostly a possessive, which PolNeAR marks
        either way ("Trump’s" claim).

        Then a source before its cue stops before a discourse aside or a phrase of the medium:
        "Forbes" of "Forbes, however, says", "Ryan" of "Ryan in a statement said". PolNeAR train: 64
        sources stop before such an aside and 8 before such a phrase; none of its sources ends with
        either. A source after its cue stops before a phrase of the medium too ("said Ryan in a
        statement"): no source of the fitting articles holds one (held-out articles, three model
        fits: source exact F1 +0.09 to +0.10).

        Then the comma after a source: it closes an apposition, and the source holds it, or it
        does not, and the source ends before it: "Peter Rice, chairman of Fox Networks Group," but
        "Mr. Manafort" of "Mr. Manafort, referring to". PolNeAR train (articles 0-249 and the odd
        ones from 251), sources before their cue: 511 appositive ones hold their closing comma and
        54 do not, 3 others hold one and 244 do not; after their cue: 39 appositive ones hold it and
        16 do not ("said Matt Borges, chairman of the Ohio Republican Party, on Thursday"), 221
        others do not. The source model ends a source before the cue on the comma or not; after
        the cue, it mostly leaves the comma out.

        Last, a source that is only a word floating after its subject ("together", "both") right
        after a pronoun is that pronoun: "which" of "which together vowed"."""
        out = []
        cues = [a.cue for a in found]
        for a in found:
            if a.source is not None and (cut := _nested_cue_cut(text, a, cues)) is not None:
                a = _cut_source(text, a, cut)
            if a.source is not None:
                a = _whole_number_start(text, a)
            if a.source is not None and (cut := self._clitic_cut(a.source)) is not None:
                a = _cut_source(text, a, cut)
            if a.source is not None and (cut := self._aside_cut(a.source, a.cue)) is not None:
                a = _cut_source(text, a, cut)
            if a.source is not None:
                a = _closing_comma(text, a)
            if a.source is not None and a.source.text.lower() in self.floating_quantifiers:
                a = self._floated_subject(text, a)
            out.append(a)
        return out

    def _floated_subject(self, text: str, a: Attribution) -> Attribution:
        """`a` with the pronoun its floating source word follows as its source ("which" of "which
        together vowed"), or `a` as it is."""
        assert a.source is not None
        before = text[max(0, a.source.start - 12):a.source.start]
        m = _LAST_WORD.search(before)
        if m is None or m.group(1).lower() not in self._floated_over:
            return a
        start = a.source.start - len(before) + m.start(1)
        pronoun = make_span(text, start, start + len(m.group(1)))
        return Attribution(a.cue, pronoun, pronoun, a.cue_class, a.rule_id) if pronoun else a

    def _aside_cut(self, source: Span, cue: Span) -> int | None:
        """Where `source` should end to leave out a trailing aside (before its cue only) or phrase of
        the medium (on either side of it), or None; a source that overlaps its cue stays whole."""
        # Built from rule-file words: searched under the rule engine's time limit.
        if source.end <= cue.start:
            m = (self._trailing_aside.search(source.text, timeout=REGEX_TIMEOUT_S)
                 or self._trailing_medium.search(source.text, timeout=REGEX_TIMEOUT_S))
        elif source.start >= cue.end:
            m = self._trailing_medium.search(source.text, timeout=REGEX_TIMEOUT_S)
        else:
            return None
        return source.start + m.start() if m else None

    def _clitic_cut(self, source: Span) -> int | None:
        """Where `source` should end to leave out the verb clitic of its last word, or None."""
        m = _VERB_CLITIC.search(source.text)
        if m is None:
            return None
        if m.group(2).lower() == "s" and m.group(1).lower() not in self._s_clitic_hosts:
            return None
        return source.start + m.start(2) - 1

    def _find_many_by_models(self, text: str, bounds: Sequence[tuple[int, int]],
                             quoted: bytes) -> list[list[Attribution]]:
        from scorer.attribution_model import analyse, cue_window, opens_quoted, rule_cue_tokens

        assert self.models is not None

        models = self.models
        # Per sentence: (tokens, rule attributions, rule hints, analysis, rule cue tokens, cue window),
        # or None when it has no tokens.
        prepared: list[tuple[list[Token], list[Attribution], list[Any], Any, dict[int, str], list[int]]
                       | None] = []
        for start, end in bounds:
            toks = tokenize(text, start, end)
            if not toks:
                prepared.append(None)
                continue
            by_rules = self.find_by_rules(text, start, end)
            hints = _rule_token_hints(by_rules, toks)
            a = analyse(toks, models.lex, opens_quoted(quoted, toks))
            rule_cue = rule_cue_tokens(hints)
            prepared.append((toks, by_rules, hints, a, rule_cue, cue_window(a, rule_cue)))
        scored = [p for p in prepared if p is not None and p[5]]
        cue_spans = iter(models.cue_spans_many([(p[3], p[5], p[4]) for p in scored]))
        # Each claim's cues, then the candidate sources of all of them in one pass of the source
        # model (a cue's scores do not depend on the others).
        cues_of = [self._model_cues(text, p[0], p[2], p[3], next(cue_spans)) if p is not None and p[5]
                   else None for p in prepared]
        batch: list[tuple[Any, Any, Any]] = []
        for p, found in zip(prepared, cues_of, strict=True):
            if p is not None and found is not None:
                cues, parts = found
                batch.extend((p[3], info, parts) for _, _, _, info in cues)
        sources = iter(models.source.score_many(batch))
        out: list[list[Attribution]] = []
        for p, found in zip(prepared, cues_of, strict=True):
            if p is None:
                out.append([])
            elif found is None:
                out.append(self._inverted_by_rules(text, [], p[1]))
            else:
                out.append(self._found_by_models(text, p[0], p[1], p[3], found[0], sources, quoted))
        return [self._core_speech_by_rules(found, p[1] if p is not None else [])
                for found, p in zip(out, prepared, strict=True)]

    def _core_speech_by_rules(self, found: list[Attribution],
                              by_rules: Sequence[Attribution]) -> list[Attribution]:
        """A rule's "X said ..." or "X told ..." with a subject source stands where the models found
        no cue over it: the core verbs of saying are unambiguous, and the token models, fitted on
        scores of verbs, sometimes pass one by next to words they saw rarely ("A woman said Sunday
        night that ...")."""
        extra = [r for r in by_rules
                 if r.source is not None and r.cue_class == "speech"
                 and r.cue.text.lower().split()[0] in _CORE_SPEECH
                 and r.source.text.split()[0].lower() not in _GENERIC_SPEAKERS
                 and self._plausible_model_source(r.source)
                 and r.source.text.split()[-1].lower() not in self.lex.np_prepositions
                 and self._names_someone(r.source.text.split()[0])
                 and not any(f.cue.intersects(r.cue) for f in found)]
        if not extra:
            return found
        return sorted([*found, *extra], key=lambda a: (a.cue.start, a.source.start if a.source else -1))

    def _model_cues(self, text: str, toks: list[Token], hints: list[Any], a: Any,
                    cue_spans: list[tuple[int, int]]) -> tuple[list[tuple[int, int, Span, Any]], Any]:
        """The cues of a claim the models found that stand, each as (first token, last token, span,
        `CueInfo`), and the claim's `token_parts` for the source model (None without cues)."""
        from scorer.attribution_model import attach_rules, cue_info

        models = self.models
        assert models is not None
        runs = [r for r in cue_spans
                if not self._reduced_relative(toks, r) and not self._belief_without_content(toks, r)]
        runs = self._hearsay_cues(toks, runs)
        parts = models.source.token_parts(a) if runs else None
        cues = []
        for cf, cl in runs:
            cue = self._span(text, toks[cf], toks[cl])
            if cue is not None:
                cues.append((cf, cl, cue, attach_rules(cue_info(a, cf, cl), hints)))
        return cues, parts

    def _found_by_models(self, text: str, toks: list[Token], by_rules: list[Attribution], a: Any,
                         cues: list[tuple[int, int, Span, Any]],
                         sources: Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]],
                         quoted: bytes) -> list[Attribution]:
        """The attributions of a claim's cues (`_model_cues`), each with its best candidate source
        (the next item of `sources`: `SourceScorer.score_many` of the cues in order)."""
        from scorer.attribution_model import implausible_sources, sigmoid

        models = self.models
        assert models is not None
        found: list[Attribution] = []
        # Per token: whether it starts inside a quotation of the article.
        starts_quoted = np.frombuffer(quoted, dtype=np.uint8)[[t.start for t in toks]].astype(bool)
        for cf, cl, cue, info in cues:
            s_arr, e_arr, z = next(sources)
            source: Span | None = None
            plausible = ~implausible_sources(a, s_arr, e_arr, cf)
            if self._object_position(toks, cf, cl):
                plausible &= s_arr != cl + 1
            if not quoted[cue.start]:
                # "''Somebody entered the country ...,'' the spokesman, Josh Earnest, said": a cue
                # outside quotation marks cites no one inside the quotation before it, which is what
                # was said (PolNeAR train: 10 of 18,360 gold sources start inside a quotation whose
                # cue stands outside, titles of books and shows among them). The quotation may open
                # sentences earlier, which the source model, reading one sentence, cannot see.
                plausible &= ~((s_arr < cf) & starts_quoted[s_arr])
            # "Green said [she encourages participants ...]": a subject pronoun after the cue with
            # words after it opens the content clause; a source there is the pronoun alone ("...,
            # said he."; PolNeAR train: 16 lone, 1 longer).
            after_cue = (s_arr > cl) & (e_arr > s_arr)
            if after_cue.any():
                plausible &= ~(after_cue & np.isin(s_arr, [k for k in range(cl + 1, len(toks))
                                                           if toks[k].lower in _SUBJECT_PRONOUNS]))
            if plausible.any():
                best = int(np.argmax(np.where(plausible, z, -np.inf)))
                # "according to X" always names X: its best phrase after the cue stands however
                # long and unseen ("according to a campaign official who was not authorized ..."),
                # but below the threshold only up to its first comma, where the content may start
                # ("According to a complaint by Vermont, the men ...").
                s_first, s_last = int(s_arr[best]), int(e_arr[best])
                above = sigmoid(z[best:best + 1])[0] >= models.source.threshold
                if not above and cue.text.lower().startswith("according to") and s_first > cl:
                    s_last = next((m - 1 for m in range(s_first, s_last + 1) if toks[m].text == ","), s_last)
                    above = s_last >= s_first
                if above:
                    source = self._span(text, toks[s_first], toks[s_last])
                if source is not None and (not self._plausible_model_source(source)
                                           or cue.text.lower() in self.sourceless
                                           or info.head in self.sourceless_heads):
                    source = None
                # A passive cue's subject is what was said or done to, not who said it ("Clinton was
                # asked", "The deal is expected to"); only "by X" names the source. On PolNeAR train
                # 64 of 89 such cues have no source (articles 250+: source exact 70.15 -> 70.53).
                if (source is not None and info.form == "passive" and source.end <= cue.start
                        and not (cl + 1 < len(toks) and toks[cl + 1].lower == "by")):
                    source = None
            after_comma = (info.form in {"finite", "participle"} and not toks[cl].lower.endswith("ing")
                           and cf > 0 and toks[cf - 1].text == ",")
            if source is None and info.form != "passive" and (
                    (cf == cl and toks[cf].lower in _CORE_SPEECH) or after_comma):
                source = self._aside_source(text, toks, cf, strict=toks[cf].lower not in _CORE_SPEECH)
            elif source is not None and after_comma:
                # "Sen. Jane Doe, R-Fla., appearing on Fox News after [the speech], said ...", "Doe, a
                # candidate for president, blasted [the ruling]": the model took a phrase of the aside,
                # or the object of a verb that does not invert ("..., reports 24brussels" does); a name
                # that opens the clause, its aside set off by commas, is the subject of the verb.
                aside = self._aside_source(text, toks, cf, strict=True)
                opener = source.text.split()[0].lower()
                inside = (aside is not None and aside.start < source.start and source.end <= aside.end
                          and source.text[:1].islower() and opener not in self.lex.pronouns
                          and opener not in _POSSESSIVE_DETERMINERS)
                # Over a source after the verb, only a name that opens the sentence: in "The proposal
                # emerged during a call between X, Y and Z, reports W" the names are in the content.
                after = (aside is not None and source.start >= cue.end and self._opens_sentence(toks, aside))
                # "Humphrey, who calls Trump a 'sociopath,' said": whatever the model took from a
                # "who" clause of the aside ("who", a name or pronoun in it), the name it follows
                # is the subject.
                in_who = (aside is not None and aside.start < source.start and source.end <= aside.end
                          and _NAME_THEN_WHO.match(aside.text) is not None)
                if aside is not None and (after or inside or in_who):
                    source = aside
                elif source.end <= cue.start and cf == cl and toks[cf].lower in _CORE_SPEECH:
                    # "Some accusations are not meaningful to the public, said Grant Green, a
                    # national security official under ...": a name and its aside after the verb
                    # that run to the sentence's end are who said it; before the comma is what.
                    source = self._inverted_aside_source(text, toks, cl) or source
            if (source is None and cf > 0 and toks[cf - 1].lower in {"and", "but"}
                    and info.form != "passive" and toks[cf].lower in self.lex.forms and found):
                # "Fallon called on the senator to take back his words and said ...": the verbs
                # joined by "and" share the subject the first one found.
                last = found[-1]
                if last.source is not None and last.source.end <= last.cue.start:
                    source = last.source
            found.extend(self._model_attributions(text, toks, cue, source, info.cls, by_rules))
        return self._inverted_by_rules(text, found, by_rules)

    @staticmethod
    def _opens_sentence(toks: Sequence[Token], span: Span) -> bool:
        """Whether `span` opens its sentence, or follows only a short opening phrase and its comma
        ("Earlier,", "On the same show,"): a name there is the subject, not a name inside a clause."""
        at = next((q for q, t in enumerate(toks) if t.start >= span.start), 0)
        return at == 0 or (at <= 5 and toks[at - 1].text == "," and all(t.text != "," for t in toks[:at - 1]))

    @staticmethod
    def _abbreviation_stop(toks: Sequence[Token], m: int) -> bool:
        """Whether the period at `m` closes an initial or an abbreviation inside a name ("Joseph R.
        Biden Jr.", "Sen. Jane Doe"), not the sentence: a capitalised word follows it."""
        if toks[m].text != "." or m == 0 or m + 1 >= len(toks):
            return False
        before, after = toks[m - 1].text, toks[m + 1]
        return after.is_capitalised and after.is_word and (len(before) == 1 or before in _NAME_ABBREVIATIONS)

    def _aside_source(self, text: str, toks: Sequence[Token], k: int, strict: bool = False) -> Span | None:
        """The source of a "said"/"told" at `k` the source model left without one, when a name with
        an aside set off by commas stands where the source goes, a span that outruns the model's
        boundary features: after the cue to the end of the sentence ("...,'' said Jared Bernstein, a
        senior fellow at ... Biden Jr."), or from the clause's first name to the comma before the cue
        ("Trent Lott, who was majority leader under George W. Bush, told ..."). `strict` (any verb
        other than "said"/"told", and every check against a source the model chose): an opening
        adverb or time phrase ("Earlier,", "Still,") is passed over, never taken for the name."""
        def closes_quote(i: int) -> bool:
            return i >= 0 and (toks[i].text in _CLOSE_QUOTES or toks[i].text == "''")

        prev = toks[k - 1].text if k > 0 else ""
        if closes_quote(k - 1) or (prev == "," and closes_quote(k - 2)):
            return self._inverted_aside_source(text, toks, k)
        if prev != ",":
            return None
        # The clause opens at the sentence start, after a closing quote (and its comma) or a colon.
        i = k - 1
        while i >= 0 and toks[i].text not in _QUOTE_MARKS | {":", ";"}:
            i -= 1
        if i >= 0 and not (closes_quote(i) or toks[i].text in {":", ";"}):
            return None
        start = i + 1
        while start < k and toks[start].text == ",":
            start += 1
        # Past an opening phrase ("On the same show,"), the source opens the first comma-delimited
        # part that begins with a capitalised word that is no preposition, pronoun or determiner.
        not_names = self.lex.np_prepositions | self.lex.pronouns | self.lex.determiners
        parts = [start] + [q + 1 for q in range(start, k - 1) if toks[q].text == ","]
        ml = self.models.lex if strict and self.models is not None else None
        # Strict (a verb other than "said"/"told"): an opening adverb or time phrase ("Earlier,",
        # "Still,") is no name; the name is in the next part.
        openers = (ml.closed_words | ml.coordinators | ml.time_leads | ml.source_never_opens
                   if ml is not None else frozenset())
        first = next((q for q in parts if q < k - 1 and toks[q].is_word and (
                          toks[q].is_capitalised
                          # "retired Gen. John Allen, who led ..., said": a title's lower-case modifier
                          or (toks[q].lower in _TITLE_MODIFIERS and toks[q + 1].is_capitalised))
                      and toks[q].lower not in not_names and toks[q].lower not in openers
                      and not (ml is not None and toks[q + 1].text == "," and toks[q].lower in ml.forms)),
                     None)
        if first is None or k - first > _MAX_ASIDE_TOKENS:
            return None
        name_end = next((q for q in range(first, k) if toks[q].text == ","), k)
        name = toks[first:name_end]
        # One name, or two or three joined by "and" ("Lindsey Graham and David Perdue, who are both on
        # the committee, said"), each of capitalised words; a title's lower-case modifier may open
        # one, and "of" join a name to its place or body ("Gov. John Kasich of Ohio").
        names: list[list[Token]] = [[]]
        for at, t in enumerate(name):
            if t.lower == "and" and names[-1]:
                names.append([])
            elif t.is_word and (t.is_capitalised or (at == 0 and t.lower in _TITLE_MODIFIERS)
                                or (t.lower == "of" and names[-1] and at + 1 < len(name)
                                    and name[at + 1].is_capitalised)):
                names[-1].append(t)
            elif t.is_word:
                return None
        if len(names) > 3 or not all(1 <= len(n) <= 7 for n in names):
            return None
        return self._span(text, toks[first], toks[k - 1])

    def _inverted_aside_source(self, text: str, toks: Sequence[Token], k: int) -> Span | None:
        """The source of an inverted cue at `k`, a name and its aside after it that run to the
        sentence's end ("..., said Jared Bernstein, a senior fellow at ...."), or None."""
        m = k + 1
        while m < len(toks) and toks[m].text not in _QUOTE_MARKS and (
                toks[m].text not in _SENTENCE_END or self._abbreviation_stop(toks, m)):
            m += 1
        run = toks[k + 1:m]
        if (run and len(run) <= _MAX_ASIDE_TOKENS and run[0].is_capitalised
                and run[0].lower not in self.lex.pronouns and any(t.text == "," for t in run)
                and (m == len(toks) or toks[m].text in _SENTENCE_END)):
            return self._span(text, run[0], run[-1])
        return None

    def _inverted_by_rules(self, text: str, found: list[Attribution],
                           by_rules: Sequence[Attribution]) -> list[Attribution]:
        """Inverted attributions, source after the cue ("..., reports 24brussels.", "reported by the
        Associated Press"), are rare in the training corpus for some verbs and unambiguous in form:
        the rule's finding stands where the models found no cue, and its source stands where the
        models found the cue but a source before it or none."""
        for r in by_rules:
            if not (r.rule_id in _SOURCE_AFTER_RULES and r.source is not None
                    and r.source.start >= r.cue.end):
                continue
            words = r.source.text.split()
            if len(words) > 1 and words[0].lower() in _SUBJECT_PRONOUNS:
                # "Weingarten, who has visited ..., said she sees teachers lining up ...": a subject
                # pronoun with words after it opens the content clause ("..., said he." stands).
                continue
            same = [k for k, f in enumerate(found) if f.cue.intersects(r.cue)]
            if not same:
                found.append(r)
            for k in same:
                f = found[k]
                across_comma = (f.source is not None and f.source.end <= f.cue.start
                                and "," in text[f.source.end:f.cue.start])
                if (r.rule_id == "attr.trailing" and (f.source is None or across_comma)
                        and self._ends_sentence(text, r.source.end)):
                    # "The proposal emerged ..., reports 24brussels.": the name closing the sentence
                    # is the source, not a phrase across the comma, nor nobody.
                    found[k] = Attribution(f.cue, r.source, r.head, f.cue_class, r.rule_id)
                elif r.rule_id == "attr.in_poll" and (f.source is None or r.source.contains(f.source)):
                    # "In the latest Quinnipiac poll, conducted in May, ...": the poll is the phrase
                    # the opening sets off, its aside included, not a part of it.
                    found[k] = r
        found.sort(key=lambda a: (a.cue.start, a.source.start if a.source else -1))
        return found

    @staticmethod
    def _ends_sentence(text: str, end: int) -> bool:
        """Only closing punctuation and quotes follow `end` up to the end of the line."""
        rest = text[end:end + 6].split("\n", 1)[0].strip()
        return all(ch in ".!?”\"’')" for ch in rest)

    def _belief_without_content(self, toks: Sequence[Token], run: tuple[int, int]) -> bool:
        """"He knows the area well": a lone belief verb that must open content (`content_required`
        in rules/attribution.yaml) and opens none is no attribution."""
        first, last = run
        entry = self.lex.forms.get(toks[first].lower)
        if (first != last or entry is None or entry[1] != "belief"
                or entry[0] not in self.lex.content_required):
            return False
        return not self._opens_content(toks, last)

    def _hearsay_cues(self, toks: Sequence[Token], runs: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """A hearsay adverb ("purportedly", "reportedly") is a cue of its own, citing nobody (all such
        cues of PolNeAR train are the adverb alone, without a source): cut it out of a longer cue
        and add it where no cue holds it."""
        hearsay = [k for k, t in enumerate(toks) if t.lower in self.hearsay]
        if not hearsay:
            return runs
        out: list[tuple[int, int]] = []
        for first, last in runs:
            inside = [k for k in hearsay if first <= k <= last]
            if not inside:
                out.append((first, last))
                continue
            begin = first
            for k in inside:
                if k > begin:
                    out.append((begin, k - 1))
                begin = k + 1
            if begin <= last:
                out.append((begin, last))
        out.extend((k, k) for k in hearsay)
        return sorted(set(out))

    def _reduced_relative(self, toks: Sequence[Token], run: tuple[int, int]) -> bool:
        """"the plan announced Monday was withdrawn": a participle modifying a noun, not a cue."""
        first, last = run
        if first != last or toks[first].lower not in self.lex.forms:
            return False
        nxt = toks[last + 1] if last + 1 < len(toks) else None
        after = toks[last + 2] if last + 2 < len(toks) else None
        return (nxt is not None and nxt.lower in _TIME_WORDS and after is not None
                and after.lower in self.lex.verbish)

    def _model_attributions(self, text: str, toks: Sequence[Token], cue: Span, source: Span | None,
                            cls: str, by_rules: Sequence[Attribution]) -> list[Attribution]:
        """Name the model's finding: the agreeing rule's id, class and head where one agrees."""
        same_cue = [r for r in by_rules if r.cue.intersects(cue)]
        if source is not None:
            # "according to Meloni and a diplomatic source": keep the rule's conjuncts when they tile
            # the span.
            parts = [r for r in same_cue if r.source and source.contains(r.source)]
            if len(parts) > 1:
                first_part, last_part = parts[0].source, parts[-1].source
                assert first_part is not None and last_part is not None  # parts all have a source
                if first_part.start == source.start and last_part.end == source.end:
                    return [Attribution(cue, r.source, r.head, r.cue_class, r.rule_id) for r in parts]
            for r in same_cue:
                if r.source == source:
                    return [Attribution(cue, source, r.head, r.cue_class, r.rule_id)]
        cue_class = same_cue[0].cue_class if same_cue else self._model_cue_class(toks, cue, source)
        head = None
        if source is not None:
            head = source
            comma = source.text.find(",")
            if comma > 0:
                head = make_span(text, source.start, source.start + comma) or source
        return [Attribution(cue, source, head, cue_class, self._geometry_rule(toks, cue, source))]

    def _object_follows(self, toks: Sequence[Token], k: int) -> bool:
        """Whether what follows the verb cue at `k` is never its source: the addressee of "told" and
        its kin, or what was said ("said little", `object_quantities` in rules/attribution.yaml)."""
        return (self.lex.forms[toks[k].lower][0] == "tell"
                or (k + 1 < len(toks) and toks[k + 1].lower in self.object_quantities))

    def _object_position(self, toks: Sequence[Token], cf: int, cl: int) -> bool:
        """Whether the words right after a verb cue are its object, not its source: after "told" and
        its kin always (the addressee: "told AFP"), after any other verb unless the cue stands where
        inversion happens: after a closing quote ("...,” said Smith"), or after a comma or a dash for
        a verb of saying (`inversion_verbs`: "..., added Smith"; "Doe, a former aide, criticized [the
        decision]"; PolNeAR train: source overlap 81.67 -> 81.72). "Obama
        reiterated [his frustration]", "Jeb Bush called [his rival] ...", "Lazar, in a jumpsuit, said
        [little]" (`object_quantities` in rules/attribution.yaml): PolNeAR train has no source
        right after a "tell" cue and a handful after a verb cue in mid-clause."""
        if toks[cl].lower not in self.lex.forms or toks[cl].lower in {"according", "per"}:
            return False
        if self._object_follows(toks, cl):
            return True
        prev = toks[cf - 1].text if cf > 0 else ""
        if prev in _CLOSE_QUOTES or (cf > 1 and prev == "," and toks[cf - 2].text in _CLOSE_QUOTES):
            return False  # "...,” said Smith", "''...,'' criticized Smith": after a quotation
        if prev in _INVERSION_OPENERS:
            lemma = self.lex.forms[toks[cl].lower][0]
            return bool(self.inversion_verbs) and lemma not in self.inversion_verbs
        return bool(prev)

    def _names_someone(self, first_word: str) -> bool:
        """A phrase that opens with a capital, a determiner or a pronoun can name a speaker;
        "easier" (in "easier said than done") cannot."""
        low = first_word.lower()
        return first_word[:1].isupper() or low in self.lex.determiners or low in self.lex.pronouns

    def _plausible_model_source(self, source: Span) -> bool:
        """A lone lowercase adverb ("purportedly") names nobody, nor does a lone negated auxiliary
        ("Don't ask that.": an imperative has no speaker in it, and "Don't" is no "Don")."""
        words = source.text.split()
        if len(words) == 1 and words[0].lower().endswith(("n't", "n’t")):
            return False
        return not (len(words) == 1 and words[0].islower() and words[0].endswith("ly")
                    and words[0] not in self.lex.pronouns)

    def _model_cue_class(self, toks: Sequence[Token], cue: Span, source: Span | None) -> str:
        """The class of a cue no rule found, licensed as the rules license theirs.

        PolNeAR counts acts and stances as attributions ("Cruz endorsed Trump", "the US has proposed
        guarantees"); they are found and scored, but they cite nobody for the claim, so they get the
        class `act`, which the pipeline does not count as citing. A verb of saying cites when it is not
        one of the `content_required` verbs or when content follows it; a belief or evidence verb
        cites only when content follows it.
        """
        if cue.text.lower().startswith(("according", "per ")):
            return "speech"
        verbs = [t for t in toks if cue.start <= t.start < cue.end and t.lower in self.lex.forms]
        if not verbs:
            return "speech" if _frames_direct_quotation(toks, cue, source) else "act"
        lemma, cls = self.lex.forms[verbs[-1].lower]
        after = [t for t in toks if t.start >= cue.end]
        nxt = after[0] if after else None
        opens = cue.text.endswith(":") or (nxt is not None and (
            nxt.text in _OPEN_QUOTES or nxt.text in {":", ","}
            or nxt.lower in {"that", "to", "whether", "if", "how", "why", "what"}))
        closes = nxt is None or nxt.text in _SENTENCE_END | _CLOSE_QUOTES | {",", ";", "—"}
        inverted = source is not None and source.start >= cue.end
        if cls == "intention":
            return cls
        if cls == "speech":
            return cls if opens or closes or inverted or lemma not in self.lex.content_required else "act"
        return cls if opens else "act"

    def act_subject(self, text: str, attributions: Sequence[Attribution],
                    source_ids: Sequence[str | None]) -> int | None:
        """The attribution whose subject a sentence citing no one else cites: the first whose cue is
        an act (class `act`, see `_model_cue_class`) of saying or showing ("Doe called the plan
        reckless", "the poll shows ..."), with a source, not negated, and not summed up as a habit
        ("has consistently dismissed": the author's background about a stance); None when there is
        none. `source_ids` are the attributions' linked source ids (None: no source)."""
        forms = self.lex.forms
        for k, att in enumerate(attributions):
            if (source_ids[k] is None or att.source is None or att.cue_class != "act"
                    or cue_negated(text, att)):
                continue
            words = att.cue.text.lower().split()
            classes = [forms[w][1] for w in words if w in forms]
            if not (classes and classes[-1] in _ACT_CITING_CLASSES
                    or any(w in self.act_citing_forms for w in words)):
                continue
            if any(w in self.habitual_adverbs for w in text[att.source.end:att.cue.end].lower().split()):
                continue
            return k
        return None

    @staticmethod
    def _geometry_rule(toks: Sequence[Token], cue: Span, source: Span | None) -> str:
        """The rule id that describes where the source sits, for findings no rule made."""
        low = cue.text.lower()
        if low.startswith("according"):
            return "attr.according_to"
        if source is None:
            return "attr.model_cue"
        if source.start >= cue.end:
            return "attr.trailing"
        after = [t for t in toks if t.start >= cue.end]
        if after and after[0].text == ":":
            return "attr.colon"
        if not after or after[0].text in _SENTENCE_END | _CLOSE_QUOTES | {",", ";", "—"}:
            return "attr.trailing"
        return "attr.subject_cue"

    def find_by_rules(self, text: str, start: int, end: int) -> list[Attribution]:
        """Attributions whose cue lies in `text[start:end]`, by the hand-written rules alone."""
        toks = tokenize(text, start, end)
        found: list[Attribution] = []
        used_cues: set[int] = set()

        for match in self.rules.find_all(text, start, end):
            cue = make_span(text, match.start, match.end)
            if cue is None:
                continue
            after = [k for k, t in enumerate(toks) if t.start >= match.end]
            if match.label == "according_to" and after:
                full, head, _ = self._right_np(text, toks, after[0], allow_apposition=False)
                for part in self._split_conjuncts(text, full, head):
                    found.append(Attribution(cue, part, part, "speech", match.rule_id))
                used_cues.update(k for k, t in enumerate(toks) if match.start <= t.start < match.end)
            elif match.label == "passive_by" and after:
                full, head, _ = self._right_np(text, toks, after[0], allow_apposition=True)
                verb = [t for t in toks if match.start <= t.start < match.end and t.lower in self.lex.forms]
                cue_span = self._span(text, verb[0], verb[0]) if verb else cue
                if full and cue_span:
                    found.append(Attribution(cue_span, full, head, "speech", match.rule_id))
                used_cues.update(k for k, t in enumerate(toks) if match.start <= t.start < match.end)

        for credit in self._dash_credits(text, start, end) + self._poll_openings(text, start, end):
            found.append(credit)
            used_cues.update(k for k, t in enumerate(toks) if credit.cue.start <= t.start < credit.cue.end)

        for k, tok in enumerate(toks):
            if k in used_cues:
                continue
            entry = self.lex.forms.get(tok.lower)
            if entry is None or (tok.is_capitalised and k > 0 and toks[k - 1].text not in _OPEN_QUOTES):
                continue
            lemma, cls = entry
            nxt = toks[k + 1] if k + 1 < len(toks) else None
            attribution = self._trailing(text, toks, k, cls) or self._subject(text, toks, k, lemma, cls, nxt)
            if attribution:
                found.append(attribution)
        found.sort(key=lambda a: (a.cue.start, a.source.start if a.source else -1))
        return found

    @staticmethod
    def _dash_credits(text: str, start: int, end: int) -> list[Attribution]:
        """Quotations credited by a dash and a name in `text[start:end]` (`attr.dash_credit`): the dash
        follows a closing quotation mark, across spaces and line breaks. The credit line of an embedded
        post ("... — Jane Doe (@janedoe) July 5") is left alone: PolNeAR train marks 4 of 14 as
        attributions."""
        out = []
        for m in _DASH_CREDIT.finditer(text, start, end, timeout=REGEX_TIMEOUT_S):
            before = text[max(0, m.start() - 200):m.start()].rstrip(" \t\u00a0\r\n")
            if not before.endswith(_CREDIT_CLOSERS):
                continue
            name_end = m.end("name")
            last = m.group("name").split()[-1]
            if last.endswith(".") and len(last) > 2:
                name_end -= 1  # the sentence's full stop, not an initial's ("Carla Sanchez.")
            cue = make_span(text, m.start("cue"), m.end("cue"))
            name = make_span(text, m.start("name"), name_end)
            if cue is not None and name is not None:
                out.append(Attribution(cue, name, name, "speech", "attr.dash_credit"))
        return out

    @staticmethod
    def _poll_openings(text: str, start: int, end: int) -> list[Attribution]:
        """The poll a sentence opens with ("In a CNN/ORC poll released Monday, 52 percent ..."):
        `attr.in_poll`, its cue "In"."""
        sentence = text[start:end]
        lead = len(sentence) - len(sentence.lstrip(" \t\u00a0\"“'‘"))
        m = _IN_POLL.match(text, start + lead, end, timeout=REGEX_TIMEOUT_S)
        if m is None:
            return []
        cue = make_span(text, m.start("cue"), m.end("cue"))
        poll = make_span(text, m.start("poll"), m.end("poll"))
        return [Attribution(cue, poll, poll, "speech", "attr.in_poll")] if cue and poll else []

    def _opens_content(self, toks: Sequence[Token], k: int, strict: bool = False) -> bool:
        """Does reported content start right after the cue? Strict: no bare comma."""
        nxt = toks[k + 1] if k + 1 < len(toks) else None
        if nxt is None:
            return False
        openers = {":"} if strict else {":", ","}
        return (nxt.text in _OPEN_QUOTES or nxt.text in openers
                or nxt.lower in {"that", "to", "whether", "if", "how", "why", "what"})

    def _subject(self, text: str, toks: Sequence[Token], k: int, lemma: str, cls: str,
                 nxt: Token | None) -> Attribution | None:
        if lemma in self.lex.content_required and not self._opens_content(toks, k, strict=True):
            return None
        if (cls != "speech" and not self._opens_content(toks, k)
                and not (nxt and nxt.lower in self.lex.pronouns)):
            return None
        if nxt is not None and nxt.lower == "by":
            return None  # passive: handled by the passive_by rule or not an attribution
        after = toks[k + 2] if k + 2 < len(toks) else None
        if (nxt is not None and nxt.lower in _TIME_WORDS
                and after is not None and after.lower in self.lex.verbish):
            return None  # reduced relative: "the plan announced Monday was withdrawn"
        # "-ing" and bare participles after a noun are modifiers ("the plan announced Monday").
        prev = toks[k - 1] if k > 0 else None
        if prev is not None and prev.lower in {"the", "a", "an", "to"}:
            return None
        source, head = self._left_source(text, toks, k)
        if source is None or not self._plausible_source(source):
            return None
        cue = self._span(text, toks[k], toks[k])
        assert cue is not None
        rule = "attr.colon" if nxt is not None and nxt.text == ":" else "attr.subject_cue"
        return Attribution(cue, source, head, cls, rule)

    def _trailing(self, text: str, toks: Sequence[Token], k: int, cls: str) -> Attribution | None:
        """"..., said X." / "...,” X said." / "..., reports 24brussels."."""
        prev = toks[k - 1] if k > 0 else None
        if prev is None or not (prev.text == "," or prev.text in _CLOSE_QUOTES):
            # "..., X said." : subject before the verb, after a comma or closing quote.
            return self._trailing_subject(text, toks, k, cls)
        if cls != "speech":
            return None
        if self._object_follows(toks, k):
            return None  # "..., told lawmakers", "..., said little": the addressee or what was said
        from scorer.attribution_model import opens_participial_clause

        if opens_participial_clause(prev.text, toks[k].lower):
            return None  # ", saying it was a mistake": what follows is the content, not the source
        full, head, nxt = self._right_np(text, toks, k + 1, allow_apposition=True)
        if full is None:
            return None
        if self._is_time_adjunct(full.text.split()):
            # "..., Josh Earnest, said on Tuesday.": the words after the cue say when, not who; the
            # comma before the cue closes an apposition of the subject, to its left.
            return self._trailing_subject(text, toks, k, cls)
        rest = [t for t in toks[nxt:] if t.text not in _SENTENCE_END | _CLOSE_QUOTES]
        if rest and toks[nxt].text not in {",", ";", "—"}:
            return None
        cue = self._span(text, toks[k], toks[k])
        assert cue is not None
        return Attribution(cue, full, head, cls, "attr.trailing")

    def _trailing_subject(self, text: str, toks: Sequence[Token], k: int, cls: str) -> Attribution | None:
        # Cue ends the clause: "..., the minister said." or "...,” she said."
        j = k + 1
        while j < len(toks) and self._is_adverb(toks[j]):
            j += 1
        # "..., the minister said on Tuesday.": a time adjunct after the cue still ends the clause.
        adjunct = j
        while adjunct < len(toks) and toks[adjunct].is_word and adjunct - j < 4:
            adjunct += 1
            if self._is_time_adjunct([t.text for t in toks[j:adjunct]]):
                j = adjunct
                break
        at_end = j >= len(toks) or toks[j].text in _SENTENCE_END | {",", ";", "—", ":"} | _CLOSE_QUOTES
        if not at_end or cls != "speech" or self.lex.forms[toks[k].lower][0] in self.lex.content_required:
            return None
        i = k - 1
        while i >= 0 and self._is_adverb(toks[i]) and toks[i].lower not in self.lex.pronouns:
            i -= 1
        m = i
        while m >= 0 and self._nominal(toks[m]) and toks[m].text not in _CLOSE_QUOTES:
            m -= 1
        if m < 0 or not (toks[m].text == "," or toks[m].text in _CLOSE_QUOTES or toks[m].text in {"—", ";"}):
            return None
        if i - m > 12:
            return None
        source, head = self._left_source(text, toks, k)
        if source is None or not self._plausible_source(source):
            return None
        cue = self._span(text, toks[k], toks[k])
        assert cue is not None
        return Attribution(cue, source, head, cls, "attr.trailing")

    def _is_time_adjunct(self, words: Sequence[str]) -> bool:
        """Words that only say when ("on Tuesday", "Monday night", "last week"): a preposition or
        "last"/"this" at most first, time words after it."""
        low = [w.lower().strip(",.") for w in words]
        if len(low) > 1 and low[0] in {"on", "last", "this", "early", "late", "earlier", "later"}:
            low = low[1:]
        return bool(low) and all(w in self.time_words for w in low)

    def _plausible_source(self, source: Span) -> bool:
        """Reject phrases that cannot be a subject: a participle or a preposition first, a
        determiner last ("participating in the aforementioned", "the event of future")."""
        words = source.text.split()
        first, last = words[0].lower(), words[-1].lower().rstrip(",")
        if first.endswith("ing") and not words[0][:1].isupper() and len(words) > 1:
            return False
        if first in self.lex.np_prepositions or last in self.lex.determiners - {
                "one", "two", "three", "both", "all", "many", "some", "others"}:
            return False
        return last not in {"of", "future", "aforementioned", "such"}

    def _inside_body_name(self, toks: Sequence[Token], k: int) -> bool:
        """Whether the "and" at `toks[k]` stands between capitalised words of one body's name: a
        capitalised word before it, and after it a run of capitalised words ending in a body's head
        (`body_name_heads` in rules/attribution.yaml: "the Securities and Exchange Commission")."""
        if k == 0 or not toks[k - 1].is_capitalised:
            return False
        end = k + 1
        while end < len(toks) and toks[end].is_capitalised and toks[end].is_word:
            end += 1
        return end - (k + 1) >= 2 and toks[end - 1].lower in self.body_name_heads

    def _split_conjuncts(self, text: str, full: Span | None, head: Span | None) -> list[Span]:
        """"Italy’s Prime Minister Giorgia Meloni and a diplomatic source" -> two sources."""
        if full is None:
            return []
        toks = tokenize(text, full.start, full.end)
        cuts = [k for k, t in enumerate(toks) if t.lower == "and" and k + 1 < len(toks)
                and (toks[k + 1].lower in self.lex.determiners or toks[k + 1].is_capitalised)
                and any(x.is_capitalised for x in toks[:k]) and not self._inside_body_name(toks, k)]
        if not cuts:
            return [full]
        parts: list[Span] = []
        begin = 0
        for c in cuts + [len(toks)]:
            if c > begin:
                span = self._span(text, toks[begin], toks[c - 1])
                if span:
                    parts.append(span)
            begin = c + 1
        return parts


_QUOTATION_MARKS = regex.compile('[\n“«”»"]|\'\'')


_DOUBLE_QUOTES = frozenset({'"', "“", "”", "«", "»"})


def _frames_direct_quotation(toks: Sequence[Token], cue: Span, source: Span | None) -> bool:
    """Whether a cue opens a direct quotation after a comma or colon ("Sanders shot back, \"...\"",
    "Trump went further: \u201c...\u201d") or follows one that closed on its own punctuation
    (\u201c...,\u201d Trump went on): whatever its verb, it then reports speech. A quoted word or
    title right after a verb ("chanted \"We are Orlando\"", "turned to \"little\" Marco Rubio") is
    no quotation of speech. Double quotes only (a lone "'" is mostly an apostrophe), NYT's '' too."""
    after = [t.text for t in toks if t.start >= cue.end][:3]
    if not cue.text.endswith(":"):
        after = after[1:] if after[:1] in ([","], [":"]) else []
    if after[:1] and (after[0] in _DOUBLE_QUOTES or after[:2] == ["'", "'"]):
        return True
    first = min(cue.start, source.start) if source is not None else cue.start
    before = [t.text for t in toks if t.end <= first][-3:]
    if before[-2:] == ["'", "'"]:
        before = [*before[:-2], '"']
    return len(before) >= 2 and before[-1] in _DOUBLE_QUOTES and before[-2] in {",", "?", "!"}


@lru_cache(maxsize=8)
def quotation_mask(text: str) -> bytes:
    """Per character of `text`: 1 inside a quotation. Curly quotes open and close, a straight double
    quote toggles, as do two apostrophes (the New York Times prints its quotation marks so), and a
    line break ends any quotation (a quotation running over paragraphs opens again on each)."""
    mask = bytearray(len(text))
    inside = False
    since = 0  # the state `inside` holds from this character up to the next mark
    # Only the marks change the state: visit them, and fill each stretch inside a quotation at once.
    for m in _QUOTATION_MARKS.finditer(text):
        k = m.start()
        if inside:
            mask[since:k] = b"\x01" * (k - since)
        ch = m.group()
        if ch == "\n":
            inside = False
        elif ch == "“" or ch == "«":
            inside = True
        elif ch == "”" or ch == "»":
            inside = False
        else:  # a straight double quote
            inside = not inside
        since = k
    if inside:
        mask[since:] = b"\x01" * (len(text) - since)
    return bytes(mask)


def _rule_token_hints(
    found: Sequence[Attribution], toks: Sequence[Token],
) -> list[tuple[tuple[int, int], tuple[int, int] | None, tuple[int, int] | None, str]]:
    """The rules' attributions as token spans (cue, source, head, rule id), for the models' features."""
    st = {t.start: k for k, t in enumerate(toks)}
    en = {t.end: k for k, t in enumerate(toks)}

    def tok_span(span: Span | None) -> tuple[int, int] | None:
        if span is None or span.start not in st or span.end not in en:
            return None
        return st[span.start], en[span.end]

    out = []
    for att in found:
        cue = tok_span(att.cue)
        if cue is not None:
            out.append((cue, tok_span(att.source), tok_span(att.head), att.rule_id))
    return out
