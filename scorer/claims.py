"""Step 1: split an article into claims with offsets into the unchanged text.

A claim is a sentence that reports something, or one clause of it when a sentence joins two
attributions ("X said A, while Y said B"). Headlines, crossheads, bylines, initials such as
"(bms, sm)", datelines, credits, "Read more" boilerplate, questions and verbless fragments are not
claims (LABELLING.md). The rules here are layout rules, kept in `rules/claims.yaml` as word lists.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from scorer.rulebook import RuleSet, ruleset
from scorer.spans import Span, make_span

# A sentence ends at . ! ? (or an ellipsis), optionally followed by closing quotes or brackets,
# then whitespace and something that can open a sentence. Up to two opening marks: the New York
# Times texts of PolNeAR quote with two apostrophes (''Who would ...), as in 116 of its train articles;
# some texts open a quotation with a closing mark (”Mr. ...) or a guillemet.
_BOUNDARY = regex.compile(
    r"(?<=[.!?…])[\"'”’)\]]*(?=\s+[\"'“‘”’«(\[]{0,2}[\p{Lu}\p{N}])",
    regex.UNICODE,
)
_WORD = regex.compile(r"\w+", regex.UNICODE)
_LAST_WORD_BEFORE = regex.compile(r"(\S+)$")
_ONE_CAPITAL = regex.compile(r"\p{Lu}")
_DOTTED = regex.compile(r"(?:\w\.){2,}")
# Up to four capitalised words, then a lowercase word: a speech tag when that word is a speech verb.
_SPEECH_TAG = regex.compile(r"[ \t\u00a0]+(?:\p{Lu}[\w.’'-]*[ \t\u00a0]+){1,4}(\p{Ll}+)\b")
_NEXT_WORD = regex.compile(r"[\"'”’)\]]*\s+([\"'“‘(\[]*)(\w+)")
_PARAGRAPH = regex.compile(r"[^\n]+")
_DATELINE = regex.compile(
    r"^(?:[\p{Lu}][\p{Lu}.\- ]{2,}(?:,\s*[\p{L}. ]+)?(?:\s*\([\w .]+\))?\s*[—–-]{1,2}\s+)", regex.UNICODE
)
_MIN_LEAD_SENTENCE_WORDS = 8
# Markup left in scraped text at a sentence's start ('<tweet author="...">'): stripped from the claim.
_MARKUP = regex.compile(r"(?:</?[A-Za-z][\w-]*(?:\s[^<>]{0,400})?/?>\s*)+")
# Headlines run to 22 words at most in PolNeAR's 840 train articles (median 9); a lede sentence
# alone on the first line rarely is so short and stands under a headline anyway.
HEADLINE_MAX_WORDS = 20
_TERMINAL = regex.compile(r"[.!?…][\"'”’)\]]*$")


# Hard-wrapped text (e-mail, plain-text archives, `fmt`): no line is longer than this, and a line
# break inside a paragraph is one the next word would not have fitted before. PolNeAR's 924 articles
# have their longest line at 84 characters or more (one paragraph a line); with a single line longer
# than this a text is read as it comes.
MAX_WRAP_WIDTH = 100
# ... and at least this many of its single line breaks must be such wraps: a text of short
# one-line paragraphs is not rewrapped for the few of them that end near the longest line's length.
_MIN_WRAP_SHARE = 0.5
_MIN_WRAPS = 3
_LINE = regex.compile(r"[^\n]*(?:\n|$)")
_FIRST_WORD = regex.compile(r"[^ \t\r\n]+")  # a wrapper breaks at spaces: "Sen.\u00a0Bernie" is one word
# What ends a sentence or a lead-in at a line's end: after it a lower-case line is no continuation.
_CLOSES = regex.compile(r"[.!?…:;][\"'”’)\]]*$")
_LIST_ITEM = regex.compile(r"(?:[-*•–—]|\d{1,3}[.)]|\(?[a-z\d]\))$")


def soft_line_breaks(text: str) -> list[int]:
    """Offsets of the newlines that only wrap a paragraph's line, each between two non-blank lines:
    one inside a sentence (the line ends without a sentence's or clause's closing mark and the next
    starts in lower case), and in a hard-wrapped text every one the next line's first word would not
    have fitted before (the test of a greedy wrap at the text's width: its longest line of two words
    or more, as a URL too long for any line stands alone on its own). Paragraph breaks (blank lines,
    the short last line of a wrapped paragraph, a list's next item) are never among them."""
    lines = [(m.start(), m.group()) for m in _LINE.finditer(text) if m.group()]
    bodies = [line.rstrip() for _, line in lines]
    width = max((len(b) for b in bodies if len(b.split()) > 1), default=0) or max(map(len, bodies), default=0)
    wrapped = width <= MAX_WRAP_WIDTH and len(lines) >= 3
    inside, soft, fitted, breaks = [], [], 0, 0
    first = next((k for k, b in enumerate(bodies) if b.strip()), -1)
    for k, ((start, line), body, (_, following)) in enumerate(zip(lines, bodies, lines[1:], strict=False)):
        word = _FIRST_WORD.search(following)
        if not body.strip() or word is None or not line.endswith("\n"):
            continue  # a blank line on either side: a paragraph break
        fits = wrapped and len(body) + 1 + len(word.group()) > width
        if _LIST_ITEM.match(word.group()) and not fits:
            continue  # a list's next item starts a line of its own
        breaks += 1
        at = start + len(line) - 1
        # The first line is most often a headline, and one may end before a lower-case name
        # ("Apple's quarter disappoints\niPhone sales fell"): it goes on only past a comma in it.
        closes = _CLOSES.search(body) is not None
        mid_sentence = word.group()[0].islower() and not closes and (k != first or "," in body)
        # A full line that ends a sentence is as likely a one-line paragraph of about the width as a
        # wrap: only breaks inside a sentence show that a text is wrapped.
        fitted += fits and not closes
        if mid_sentence:
            inside.append(at)
        if mid_sentence or fits:
            soft.append(at)
    # The break after the longest line always passes the test (nothing fits after it): a wrapped text
    # shows itself by a few more.
    if fitted >= _MIN_WRAPS and len(soft) >= _MIN_WRAP_SHARE * breaks:
        return soft
    return inside


# The quotation marks an e-mail or a Markdown block quote puts before a line ("> ", ">> ").
_QUOTE_PREFIX = regex.compile(r"^[ \t]*>(?:[ \t]*>)*[ \t]?", regex.MULTILINE)
# The share of a text's non-blank lines that must carry them: a stray ">" opening one line of an
# article ("> 50 percent") is the article's own.
MIN_QUOTED_LINES = 0.6


def unquote(text: str) -> str:
    """`text` with the quotation marks before its lines read as spaces, one character for one (offsets
    still index the text as given), when at least two lines and most of its non-blank lines carry
    them: a forwarded article or tip is read as the article, each claim from its first word, and a
    line of ">" alone is the blank line between paragraphs it stands for. A mark before a number
    ("> 65: 71 percent") may be a comparison: such lines do not count toward "most"."""
    marks = list(_QUOTE_PREFIX.finditer(text))
    quoting = [m for m in marks if not text[m.end():m.end() + 1].isdigit()]
    if len(quoting) < 2:
        return text
    non_blank = sum(1 for line in text.splitlines() if line.strip())
    if len(quoting) < MIN_QUOTED_LINES * non_blank:
        return text
    chars = list(text)
    for m in marks:
        chars[m.start():m.end()] = " " * (m.end() - m.start())
    return "".join(chars)


def unwrap(text: str) -> str:
    """`text` with the soft line breaks of a hard-wrapped paragraph (and a CR before them) read as
    spaces, one character for one: offsets still index the text as given."""
    soft = soft_line_breaks(text)
    if not soft:
        return text
    chars = list(text)
    for i in soft:
        chars[i] = " "
        if i and chars[i - 1] == "\r":
            chars[i - 1] = " "
    return "".join(chars)


@dataclass(frozen=True)
class Claim:
    """A claim span; `sentence` is the span of the whole sentence it came from."""

    span: Span
    sentence: Span

    @property
    def start(self) -> int:
        return self.span.start

    @property
    def end(self) -> int:
        return self.span.end

    @property
    def text(self) -> str:
        return self.span.text


def _is_abbreviation(text: str, dot_index: int, abbreviations: frozenset[str],
                     openers: frozenset[str] = frozenset()) -> bool:
    # A bounded window: searching from the start of the text made splitting quadratic.
    m = _LAST_WORD_BEFORE.search(text, max(0, dot_index - 64), dot_index + 1)
    if not m:
        return False
    word = m.group(1).lstrip("\"'“‘”’«»([")  # a closing mark set as an opening one (”Mr.) too
    bare = word.rstrip(".").lower()
    if bare in abbreviations:
        return True
    # Single initials ("J.") and dotted acronyms ("F.B.I.") end mid-sentence far more often than not.
    if _ONE_CAPITAL.fullmatch(bare.upper()) and len(bare) == 1:
        return True
    if word in {"U.S.", "U.K.", "U.N."}:
        # These also end sentences ("... in the U.S. Now ..."), but mostly open a name ("the U.S.
        # District Court", "U.S. Sen."; PolNeAR train: 118 of 133 before a capital): a sentence
        # ends only before a quotation mark or a word that opens sentences (`sentence_openers`).
        m = _NEXT_WORD.match(text, dot_index + 1)
        return bool(m) and not m.group(1) and m.group(2).lower() not in openers
    return bool(_DOTTED.fullmatch(word))


def _speech_tag(text: str, at: int, verbs: frozenset[str]) -> bool:
    """Whether a speaker's name and a speech verb follow `at` ("  Bush said", " Mr. Trump wrote")."""
    m = _SPEECH_TAG.match(text, at)
    return bool(m) and m.group(1).lower() in verbs


def sentences(text: str, rules: RuleSet | None = None) -> list[Span]:
    """Sentence spans of `text`: paragraphs (lines) first, then sentence boundaries inside them."""
    rules = rules or ruleset("claims")
    abbreviations = frozenset(a.lower() for a in rules.lists["abbreviations"])
    openers = frozenset(w.lower() for w in rules.lists["sentence_openers"])
    speech_verbs = frozenset(w.lower() for w in rules.lists["speech_tag_verbs"])
    found: list[Span] = []
    for para in _PARAGRAPH.finditer(text):
        start = para.start()
        for m in _BOUNDARY.finditer(text, para.start(), para.end()):
            dot = m.start() - 1
            if text[dot] == "." and _is_abbreviation(text, dot, abbreviations, openers):
                continue
            if text[dot] == "!" and m.end() > m.start() and _speech_tag(text, m.end(), speech_verbs):
                # '“... coming!” Bush said.' is one sentence: the exclamation's speaker follows it. (A
                # question's stays apart: a question is no claim, with or without its speaker.)
                continue
            span = make_span(text, start, m.end())
            if span:
                found.append(span)
            start = m.end()
        span = make_span(text, start, para.end())
        if span:
            found.append(span)
    return found


def _word_count(text: str) -> int:
    return len(_WORD.findall(text))


def is_claim_sentence(sentence: Span, paragraph_has_one_sentence: bool, rules: RuleSet) -> bool:
    """Layout and form tests: is this sentence something that reports?"""
    text = sentence.text
    # A "not_a_claim" match at the start disqualifies; matches elsewhere do not matter, so each rule
    # is only tried at the start (Rule.match_at: the same match finditer would find there).
    if any(rule.label == "not_a_claim" and rule.match_at(text) is not None for rule in rules.rules):
        return False
    if _word_count(text) < 4:
        return False
    stripped = text.rstrip("\"'”’)] ")
    if stripped.endswith("?"):
        return False
    # A line with no terminal punctuation is a headline, crosshead or caption, not a sentence;
    # so is a one-sentence line in Title Case ("Trump Featured In Recruitment Video.").
    if paragraph_has_one_sentence and (not _TERMINAL.search(text) or is_title_case(text)):
        # Except a full sentence that introduces a quotation or list below it ("Sanders pointed out
        # that veterans were ignored:"): it reports. Short lead-ins ("Cruz continued:") do not; the
        # pipeline lends their speaker to the quotation instead.
        return (stripped.endswith(":") and _word_count(text) >= _MIN_LEAD_SENTENCE_WORDS
                and not is_title_case(text))
    return True


def is_title_case(text: str, share: float = 0.8) -> bool:
    """Four in five (`share`) of its words of more than three letters, three at least, open with a
    capital ("Trump Featured In Recruitment Video."): a headline's case, not a sentence's."""
    words = [w for w in _WORD.findall(text) if len(w) > 3 and w.isalpha()]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) / len(words) >= share


def _strip_markup(text: str, span: Span) -> Span | None:
    m = _MARKUP.match(span.text)
    return span if m is None else make_span(text, span.start + m.end(), span.end)


def _strip_dateline(text: str, span: Span) -> Span:
    m = _DATELINE.match(span.text)
    if m and m.end() < len(span.text):
        trimmed = make_span(text, span.start + m.end(), span.end)
        if trimmed:
            return trimmed
    return span


def split_claims(text: str, rules: RuleSet | None = None) -> list[Claim]:
    """The claims of an article, in order, not overlapping."""
    return claims_and_other_sentences(text, rules)[0]


def claims_and_other_sentences(text: str, rules: RuleSet | None = None) -> tuple[list[Claim], list[Span]]:
    """The claims of an article, and the sentences that are not claims (headlines, questions, a
    question's speech tag "Borger asked.", captions), both in order."""
    rules = rules or ruleset("claims")
    spans = sentences(text, rules)
    # Which sentences stand alone on their line (headline and crosshead test).
    line_counts: dict[int, int] = {}
    line_of: list[int] = []
    for s in spans:
        line = text.rfind("\n", 0, s.start)
        line_of.append(line)
        line_counts[line] = line_counts.get(line, 0) + 1
    claims: list[Claim] = []
    others: list[Span] = []
    # The first line of an article (blank lines before it aside), one short sentence set apart from
    # the body by a blank line, is its headline (LABELLING.md: not a claim), whatever its punctuation
    # or case; not a lead-in that ends in a colon and introduces the quotation below it.
    headline = (bool(spans) and not text[:spans[0].start].strip() and line_counts[line_of[0]] == 1
                and _word_count(spans[0].text) <= HEADLINE_MAX_WORDS and not spans[0].text.endswith(":")
                and regex.match(r"[ \t]*\r?\n[ \t]*\r?\n", text[spans[0].end:]) is not None
                and bool(text[spans[0].end:].strip()))
    for k, (s, line) in enumerate(zip(spans, line_of, strict=True)):
        # Markup left in scraped text ('<tweet author="...">Our prayers are with ...') wraps what the
        # embedded post says: the claim is the words after the tag, and a bare tag is no claim.
        content = _strip_markup(text, s)
        if ((k == 0 and headline) or content is None
                or not is_claim_sentence(content, line_counts[line] == 1, rules)):
            others.append(s)
            continue
        claim_span = _strip_dateline(text, content)
        claims.append(Claim(claim_span, s))
    return claims, others


def split_clause(text: str, claim: Claim, cut: int) -> tuple[Claim, Claim] | None:
    """Split a claim at character `cut` into two claims (both trimmed), or None if one side is empty.
    The comma or semicolon that separates the two belongs to neither (LABELS.md clarification 7)."""
    left = make_span(text, claim.start, cut)
    if left is not None and left.text[-1] in ",;":
        left = make_span(text, left.start, left.end - 1)
    right = make_span(text, cut, claim.end)
    if left is None or right is None:
        return None
    return Claim(left, claim.sentence), Claim(right, claim.sentence)
