"""Step 3: the sourcing type of one cited source mention, from rule data.

The tests run in a fixed order, first that applies wins (each names the rule that decided):
1. pronouns are typed later through their referent (`identity.py`); here they are `pronoun`, and so
   is a definite title ("the senator", "the Republican presidential candidate");
2. second-source markers ("another source", "the second source"), and "another" or "a second"
   before no name and no text, body or outlet ("Another said", "another commenter") -> second_source
3. a share of a poll's respondents ("26 percent of Democrats")        -> document (the poll)
4. an outlet name from data/outlets.csv, an outlet head ("the paper"), a masthead ("the
   Chicago Sun-Times"), an outlet's work where it appeared ("an article in Politico") or an
   unnamed news report ("A news report", "Stories have emerged")      -> outlet
5. the head noun of the phrase decides (the phrase is cut before its post-modifiers: "officials
   familiar with the talks", "a poll released Sunday"):
   a person's name (capitalised run that is no institution or title)  -> named_official when a
     title or role word is in the phrase or the surname is a known public official, else
     named_person; a lone capitalised word the article never gives a first name is an organisation
     ("WikiLeaks") -> named_institution;
   an institution head ("the French presidency", "the Clinton campaign") -> named_institution;
   a document head ("a leaked memo", "the poll", "court filings")      -> document;
   an unnamed descriptor ("a diplomatic source", "Mr. Sanders's aides") -> unnamed_source
6. otherwise any institution, document or descriptor word, in that order; anything else
   capitalised -> named_institution (an organisation's name); otherwise unnamed_source
"""

from __future__ import annotations

import bisect
import csv
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import regex

from scorer.rulebook import RuleSet, ruleset
from scorer.tokens import split_possessive

SOURCE_TYPES = (
    "named_official", "named_institution", "named_person", "document", "outlet",
    "unnamed_source", "second_source", "unattributed",
)
TYPE_RANK = {t: i for i, t in enumerate(SOURCE_TYPES)}
DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DEFAULT_OUTLET_PRIOR_NOTE = "median pc1 of the rated domains in data/outlets.csv"

_WORDS = regex.compile(r"[\w][\w’'.\-&]*", regex.UNICODE)
# Patterns the classifier runs per mention, compiled once (the module-level regex functions look
# their pattern up in regex's cache on every call).
_LEADING_ARTICLE = regex.compile(r"^(?:the|a|an)\s+", flags=regex.IGNORECASE)
_DOMAIN = regex.compile(r"[\w\-]+\.(?:com|net|org|co\.uk|de|fr|eu|it|ru|ua)")
_HEAD_CUT = regex.compile(r"\s*[,;(\[—–]\s*|\s+-\s+")
_COMMA = regex.compile(r"\s*,\s*")
_ROLE_CUT = regex.compile(r"\s*[,;(\[—–]\s*")
# "a statement from the Clinton campaign", "a statement released by the White House": the issuer.
_ISSUER = regex.compile(r"\s*(?:(?:released|issued|posted|sent|put\s+out)\s+)?(?:from|by)\s+(.+)$")
_TV_CALL_SIGN = regex.compile(r"\p{Lu}-?TV$")
_LEAD_TITLE = regex.compile(r"([\p{Ll}][\p{Ll}\-]+(?:\s+[\p{Ll}][\p{Ll}\-]+){0,3})\s*,?\s*$")
# The last character `_LEAD_TITLE` cannot match, found scanning backwards: a lead title lies after it.
_NOT_LEAD_TITLE = regex.compile(r"(?r)[^\p{Ll}\-\s,]")
_CAMEL_NAME = regex.compile(r"\p{Lu}\p{Ll}+\p{Lu}")
# "Secretary of State Jon Husted", "Sen. Jane Doe": a capitalised title word right before a name.
# The name's words are whole words or initials ("Stephen K. Bannon"), on one line: never "Kasich.
# Barkley", the next sentence's first word.
_TITLED_NAME = regex.compile(
    r"\b(\p{Lu}[\p{L}.]+)[ \t]+((?:\p{Lu}\.[ \t]+|\p{Lu}[\p{L}’'\-]+[ \t]+){0,2}\p{Lu}[\p{L}’'\-]+)")
# A capitalised run of two to four words: a candidate full name ("Vice President Joe Biden"). A
# weekday after it is the news's "when" ("Barack Obama Tuesday said"), never part of the name.
# A name word may carry one inner capital ("McCain", "O’Malley", "DeSantis"), never be all capitals.
_NAME_WORD = r"\p{Lu}[\p{Ll}’'\-]+(?:\p{Lu}[\p{Ll}’'\-]+)?"
_PERSON_NAME = regex.compile(
    rf"\b{_NAME_WORD}(?:\s+\p{{Lu}}\.)?"
    rf"(?:[ \t]+(?!(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b){_NAME_WORD}){{1,3}}\b")
# The next capitalised word after a name run, a weekday excepted.
_NEXT_NAME_WORD = regex.compile(rf"[ \t]+(?!(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b){_NAME_WORD}\b")
# "Jon Husted, the Ohio secretary of state," / "Ban Ki-moon, secretary general of the UN,"
_APPOSITION_TITLE = regex.compile(
    r"\b(\p{Lu}[\p{L}’'\-]+(?:\s+\p{Lu}\.)?(?:\s+\p{Lu}[\p{L}’'\-]+){0,2}),\s+"
    r"((?:the|a|an|who\s+is|who\s+was|who\s+has\s+been)?\s*[^,.;]{3,60})[,.;)]")
# "the secretary of the Treasury, Jacob J. Lew," / "the finance minister, Lou Jiwei,": a definite
# role, a comma, then the full name it introduces (the role may run into a capitalised body).
_ROLE_APPOSITION = regex.compile(
    r"\b[Tt]he[ \t]+((?:[\p{Ll}\-]+[ \t]+){0,3}[\p{Ll}\-]+"
    r"(?:[ \t]+(?:of|for)[ \t]+(?:the[ \t]+)?\p{Lu}[\p{L}.]*(?:[ \t]+\p{Lu}[\p{L}.]*){0,2})?),[ \t]+"
    r"(\p{Lu}[\p{L}’'\-]+(?:[ \t]+\p{Lu}\.)?(?:[ \t]+\p{Lu}[\p{L}’'\-]+){1,2})(?=[,.;)]|[ \t]+\p{Ll})")
# A role given in a predicate: "Khan, a Muslim, was elected as mayor of London", "Canova became the
# most famous primary challenger", "Doe is the party's nominee" (not "was", a past role).
_PREDICATE_TITLE = regex.compile(
    r"\b(\p{Lu}[\p{L}’'\-]+(?:\s+\p{Lu}\.)?(?:\s+\p{Lu}[\p{L}’'\-]+){0,2})(?:,[^,.;]{1,60},)?\s+"
    r"(?:is|became|becomes|has\s+become|is\s+now|serves\s+as|"
    r"(?:was|has\s+been|had\s+been)\s+(?:elected|named|appointed|chosen|sworn\s+in)(?:\s+as)?)\s+"
    r"([^,.;]{3,60})")
# A party-and-state tag after a name marks a member of a legislature: "Rep. Jane Doe (D-Calif.)",
# "Jane Doe, R-Wis., said" (the abbreviation is capitalised: never "co-chair" or "e-mail").
_PARTY_TAG = regex.compile(r"(?:^|[\s,(])(?:R|D|I)-\p{Lu}[\p{L}.]*(?=[\s,);.]|$)")
_NAME_PARTY_TAG = regex.compile(
    r"\b(\p{Lu}[\p{L}’'\-]+(?:\s+\p{Lu}\.)?(?:[ \t]+\p{Lu}[\p{L}’'\-]+){1,2})"
    r"\s*(?:\(|,\s*)(?:R|D|I)-\p{Lu}[\p{L}.]*[),]")
# A body or a text named in passing: a capitalised run ("the Congressional Budget Office", "Tinder")
# or a definite head ("the company", "the report"); `background_things` keeps the ones whose last word
# is an institution or document head, or a listed organisation.
_THING_NAME = regex.compile(
    r"\b[Tt]he\s+(?:new\s+|latest\s+|recent\s+|federal\s+|state\s+)?\p{Ll}[\p{Ll}\-]+\b"
    r"|\b(?:[Tt]he\s+)?\p{Lu}(?:[\p{L}’'\-&]|\.(?=\p{L}))*"
    r"(?:[ \t]+(?:(?:of|for|on)[ \t]+)?(?:the[ \t]+)?\p{Lu}(?:[\p{L}’'\-&]|\.(?=\p{L}))*){0,6}"
    r"(?:[ \t]+\p{Ll}+)?")
# An organisation's head given in a passive ("NextGen Climate, founded by billionaire and climate
# activist Tom Steyer", "a group led by Jane Doe"), like "who runs", "who leads" (`_HEAD_VERBS`).
_LED_BY = regex.compile(
    r"\b(?:founded|co-founded|led|headed|chaired|run|directed)\s+by\s+(?:[\p{Ll}\-]+\s+){0,6}?"
    r"(\p{Lu}[\p{L}’'\-]+(?:[ \t]+\p{Lu}\.)?(?:[ \t]+\p{Lu}[\p{L}’'\-]+){1,2})")
# "... and Jim Risch" right after a name: the second of two names under one plural title.
_AND_NAME = regex.compile(
    r"(?:\s*\([^)]{1,20}\))?\s+and\s+(\p{Lu}[\p{L}’'\-]+(?:\s+\p{Lu}\.)?\s+\p{Lu}[\p{L}’'\-]+)")
# A capitalised word and "of" right before a position: the first half of a title ("Secretary of").
_AFTER_TITLE_OF = regex.compile(r"\p{Lu}[\p{L}.]*\s+of\s$")
# A courtesy title and a surname ("Ms. Nwanguma", "Mr. Lou", "Dr. Carson"): a person, gendered by
# the title, whatever the surname.
_HONORIFIC_NAME = regex.compile(
    rf"\b(?:Mr|Mrs|Ms|Miss|Dr)\.?[ \t]+{_NAME_WORD}(?![\p{{L}}’'\-])")
# One capitalised word: a candidate surname mention ("Husted", "Meloni’s").
_SURNAME = regex.compile(r"(?<![\p{L}’'\-])\p{Lu}[\p{L}’'\-]*\p{L}")
# Any run of two to four capitalised words, inner capitals allowed ("Mitch McConnell"): every full
# name the article gives, for telling a person's surname from an organisation's one-word name.
_FULL_NAME = regex.compile(r"\b\p{Lu}[\p{L}’'\-]+(?:\s+\p{Lu}\.)?(?:[ \t]+\p{Lu}[\p{L}’'\-]+){1,2}\b")
# "Judicial Watch president Tom Fitton": a capitalised run (the organisation), a title of one or two
# words (checked against the title lexicon), then a person's full name.
_ORG_BEFORE_TITLE = regex.compile(
    r"\b((?:\p{Lu}[\p{L}’'\-&]*\s+){0,3}\p{Lu}[\p{L}’'\-&]*)\s+"
    r"((?:\p{L}[\p{L}\-]*\s+)?\p{L}[\p{L}\-]*)\s+"
    r"\p{Lu}[\p{Ll}’'\-]+(?:\s+\p{Lu}\.)?\s+\p{Lu}[\p{Ll}’'\-]+")
# Words that end a source's head noun phrase: what follows them describes it ("officials familiar
# with the talks", "a poll released Sunday", "a lawmaker in the Philippines").
_POST_MODIFIERS = frozenset({
    "who", "whom", "whose", "which", "that", "familiar", "close", "released", "published", "conducted",
    "out", "issued", "filed", "obtained", "seen", "reviewed", "including", "quoted", "cited", "citing",
    "according", "speaking", "briefed", "involved", "taken", "commissioned", "sent", "posted",
    "in", "at", "from", "for", "with", "on", "by", "to", "of", "about", "among", "within", "inside",
    "across", "under", "near", "during", "after", "before", "since", "and", "or", "but", "called", "named",
    "known"})
# Nouns for what a person says or writes themselves: "her comments", "Trump's statement" are that
# person speaking (LABELLING.md: a person speaking through their own statement is that person).
_OWN_WORDS = frozenset({
    "comment", "comments", "remark", "remarks", "statement", "statements", "words", "tweet", "tweets", "post",
    "posts", "speech", "testimony", "message", "messages", "response", "answer", "op-ed", "column", "letter",
    "interview", "account", "version", "argument", "claim", "claims", "assertion", "view", "views", "email",
    "e-mail"})
# Own words a definite re-mention refers back to ("the statement said", "the remarks came"): nouns
# of a message someone issues, not of a view or a version of events.
_DEFINITE_OWN_WORDS = frozenset({"statement", "statements", "comment", "comments", "remarks", "message",
                                 "tweet", "tweets", "post", "response", "testimony", "speech", "email",
                                 "e-mail"})
# An advertisement and its voice: a campaign or group speaking through its own ad (LABELLING.md: a
# source's own recording is that source, not a `document`).
_AD_WORDS = frozenset({"ad", "ads", "advertisement", "advertisements", "commercial", "commercials"})
_AD_VOICES = frozenset({"narrator", "announcer", "voice-over", "voiceover", "voice-overs", "voiceovers"})
# Lower-case words inside an organisation's capitalised name ("the Chamber of Commerce").
_NAME_LINKS = frozenset({"of", "and", "for", "the", "on", "&"})
# Honorifics and courtesy titles: a lone capitalised word after one is a person's surname.
_HONORIFICS = frozenset({"mr.", "mr", "mrs.", "mrs", "ms.", "ms", "dr.", "dr", "miss", "sir", "dame", "lord",
                         "lady", "prof.", "professor", "rev.", "reverend", "father", "sister"})
_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those"})
_PREPOSITIONS = frozenset({"of", "in", "to", "at", "on", "by", "from", "for", "with", "about", "against",
                           "among", "over", "under", "than", "like", "into", "toward", "towards"})
# Capitalised words that stand before names but are none ("Democrat Hillary Clinton", "Former ...").
_NOT_NAMES = frozenset({
    "the", "a", "an", "former", "then", "new", "senior", "top", "u.s.", "democratic", "republican", "gop",
    "democrat", "democrats", "republicans", "conservative", "liberal", "progressive", "libertarian",
    "independent", "presumptive", "presidential",
    # words that open sentences ahead of a name: "Although Rubio", "Indeed, AFL-CIO President ..."
    "although", "indeed", "however", "meanwhile", "still", "yet", "also", "continuing", "asked", "speaking",
    "following", "according", "after", "before", "when", "while", "since", "despite", "even", "but", "and",
    "so", "as", "now", "later", "earlier", "instead", "moreover", "if", "though", "because", "with",
    "without", "for", "in", "on", "at", "by", "from", "to", "of", "like", "unlike", "said", "says", "added",
    "told", "stated", "continued", "enter", "dear", "thanks", "why", "how", "what", "where", "who"})
# Words that put a title in the past: "former adviser", "ex-governor", "onetime aide", "who served
# as ambassador", "who worked in the Bush White House". They reach back over the whole conjunct the
# title stands in ("a former top press official in Mr. Obama's White House"), up to a word that
# starts another ("and", "now", "currently": "a former senator who is now a lobbyist").
_PAST_MARKERS = frozenset({"former", "ex", "onetime", "one-time", "erstwhile", "retired", "late",
                           "served", "worked", "previously", "once"})
# A term of office with an end year ("ambassador from 2007 to 2013", "mayor 1994-2001") is a past one.
# It is read in the title's own conjunct: up to an "and" that starts another ("... and now a lobbyist").
_CLOSED_TERM = regex.compile(
    r"(?:(?!\band\s+(?!(?:19|20)\d\d)|\bnow\b|\bcurrently\b)[^,;])*?"
    r"(?:\b(?:from|between)\s+(?:19|20)\d\d\s+(?:to|until|through|and)\s+(?:19|20)\d\d\b"
    r"|\b(?:19|20)\d\d\s*[-–]\s*(?:19|20)?\d\d\b)")
_CONJUNCT_BREAKS = frozenset({"and", "now", "currently", "also", "is", "has", "became", "remains"})
# An infinitive before a title puts the office in a wish, a plan or a plea, not in the person's hands
# ("Mark Doe, who rebuffed pleas to run for president", "hopes to be mayor"); a declared candidate is
# "running for" or "a candidate for" it (both office titles).
_SOUGHT_OFFICE = (("to", "run", "for"), ("to", "run", "for", "the"), ("to", "be"), ("to", "become"),
                  ("to", "become", "the"), ("to", "be", "the"))
# Titles that make an official only when tied to a campaign or principal ("a senior aide to Mrs.
# Clinton", "Trump's adviser"; "a longtime Republican strategist" comments).
_ADVISORY_TITLES = frozenset({"strategist", "adviser", "advisor", "consultant", "aide", "organizer",
                              "organiser"})
# What commentators are (LABELLING.md guide clarification 12: experts, analysts and named
# journalists are named_person): beside one of these, a title that names a post in an organisation
# ("director of Gotham Ghostwriters and an independent political analyst", "Fox News analyst Judge
# Andrew Napolitano", "a professor ... and the director of its policy center") makes no official.
_COMMENTATOR_ROLES = frozenset({
    "analyst", "commentator", "contributor", "columnist", "pundit", "host", "anchor", "professor",
    "scholar", "fellow", "economist", "historian", "researcher", "scientist", "expert", "lecturer",
    "author", "writer", "blogger", "reporter", "correspondent", "journalist", "academic", "student",
    "doctoral", "ph.d.", "phd", "graduate", "emeritus"})
# Titles of posts in an organisation, which a commentator role outweighs; office titles (senator,
# governor, minister, spokesman ...) are not among them: a senator who writes a column is a senator.
_ORG_TITLES = frozenset({
    "director", "executive director", "president", "vice president", "chairman", "chairwoman", "chair",
    "chairperson", "head", "head of", "founder", "executive", "ceo", "chief executive", "deputy",
    "adviser", "advisor", "strategist", "consultant", "officer", "official", "trustee", "judge",
    "general manager", "managing editor", "executive editor", "editor-in-chief", "editor in chief",
    "leader", "candidate", "general", "special agent", "treasurer", "commissioner"})
# Words before "speaker" or "leader" that make it no office: "a keynote speaker", "a community
# leader", "a civil rights leader" (a leader of an organisation speaks for it, like its organizers).
_NOT_OFFICE_BEFORE = frozenset({
    "keynote", "featured", "guest", "motivational", "convention", "rally", "prime-time",
    "primetime", "opening", "closing", "public", "first", "final", "last", "another", "other", "community",
    "civic", "church", "religious", "faith", "spiritual", "movement", "protest", "student", "youth",
    "evangelical", "thought", "rights", "grassroots", "activist", "polling", "early"})
# Words before "speaker" or "leader" that make it no office: "a keynote speaker", "a community
# leader", "a civil rights leader" (a leader of an organisation speaks for it, like its organizers).
_NOT_OFFICE_BEFORE = frozenset({
    "keynote", "featured", "guest", "motivational", "convention", "rally", "prime-time",
    "primetime", "opening", "closing", "public", "first", "final", "last", "another", "other", "community",
    "civic", "church", "religious", "faith", "spiritual", "movement", "protest", "student", "youth",
    "evangelical", "thought", "rights", "grassroots", "activist", "polling", "early"})
# Words that open a comma phrase after a name that describes no role of the person ("Doe, through
# a spokeswoman,", "Doe, in a statement,", "Doe, like other senators,").
_NOT_APPOSITION = frozenset({"through", "via", "in", "at", "on", "with", "without", "for", "from", "to", "by",
                             "like", "unlike", "including", "and", "or", "but", "after", "before", "during",
                             "when", "while", "as", "according", "speaking", "asked", "meanwhile", "however"})
# "Katie Doe, who runs Our Principles": a verb that puts the person at an organisation's head.
_HEAD_VERBS = frozenset({"runs", "leads", "heads", "chairs", "directs", "oversees", "manages"})
# Titles that name no office with an article alone ("a secretary", "an official").
_GENERIC_TITLES = frozenset({"secretary", "director", "officer", "official"})
# Titles of scholars when they lead an academic unit ("director of the UCLA Anderson Forecast").
_ACADEMIC_TITLES = frozenset({"director", "head", "head of", "chair", "chairman", "chairwoman", "deputy"})
_ACADEMIC_UNITS = frozenset({"university", "college", "school", "institute", "program", "programme",
                             "studies", "lab", "laboratory", "forecast", "department",
                             # a research center or think tank: "senior director of economic policy at
                             # the Bipartisan Policy Center" comments as a scholar does
                             "center", "centre"})
# What a commentator runs: "Jon Roe, who runs a Nevada politics newsletter" heads no organisation.
_PUBLICATIONS = frozenset({"newsletter", "blog", "website", "site", "podcast", "column", "show", "magazine",
                           "newspaper", "journal"})
_POLLING = frozenset({"poll", "polls", "polling", "survey", "surveys", "research"})
# Quantity nouns whose "of" introduces the real head ("a series of emails", "a group of senators").
_PARTITIVES = frozenset({
    "series", "number", "group", "set", "batch", "couple", "pair", "handful", "majority", "minority",
    "plurality", "one", "two", "three", "some", "many", "most", "several", "few", "none", "all", "each",
    "both", "any", "rest", "dozens", "hundreds", "thousands", "millions", "share", "portion", "half", "third",
    "quarter"})
# What an outlet publishes of its own reporting: "the Associated Press report" is the outlet speaking
# (LABELLING.md: reports are `outlet`); "a CNN poll" stays a document.
_OUTLET_WORK = frozenset({"report", "reports", "story", "stories", "article", "articles", "analysis",
                          "investigation", "editorial", "piece", "reporting", "coverage", "broadcast",
                          "review", "fact-check", "count", "tally", "estimate"})
# A news report cited without its outlet: the head noun, and the words that make it news ("A news
# report", "media reports", "exclusive reports") or a bare plural ("Reports say", "Stories emerged").
_NEWS_WORK = frozenset({"report", "reports", "story", "stories", "account", "accounts"})
_NEWS_MARKS = frozenset({"news", "media", "press", "exclusive", "newspaper", "newspapers", "tabloid"})
_REPORT_QUANTIFIERS = frozenset({"some", "several", "many", "multiple", "numerous", "other", "earlier"})
# "an article in Politico", "a story by the Associated Press": where an outlet's work appeared.
_IN_OUTLET = regex.compile(r"\s+(?:(?:published|posted|appearing|that\s+appeared)\s+)?(?:in|by|on|from)\s+"
                           r"((?:the\s+)?\p{Lu}[^,;()]{0,60})")
# Last words that make a phrase a publication ("a German news organization", "local newspapers").
_OUTLET_HEAD_NOUNS = frozenset({"newspaper", "paper", "magazine", "tabloid", "broadcaster", "media",
                                "newspapers", "outlets", "publications", "outlet", "newswire", "editorial",
                                "editorials"})
# Words of multi-word titles that say nothing about office on their own ("head of", "managing
# editor"): they neither stop a name nor make a capitalised word before a name a title.
_GENERIC_TITLE_PARTS = frozenset({"of", "in", "editor", "head", "managing", "communications", "assistant",
                                  "under", "u.s.", "solicitor"})
# Words of multi-word titles that name no official on their own after "the": "the city", "the state",
# "the defense" ("city manager", "secretary of state", "defense secretary" do).
_PLACE_TITLE_PARTS = frozenset({"city", "county", "state", "public", "district", "defense"})
# A party's member in the singular points back to one politician like a title does ("the Utah
# Republican", "the Vermont Democrat said"); the plural is a group ("the Republicans").
_PARTY_MEMBERS = frozenset({"republican", "democrat"})
# Words in front of a definite title that still leave it a description of one known official
# ("the Republican presidential candidate", "the Democratic front-runner").
_TITLE_MODIFIERS = frozenset({
    "democratic", "republican", "gop", "presidential", "vice-presidential", "former", "likely", "presumptive",
    "party's", "party’s", "u.s.", "us", "american", "then", "current", "new", "incoming", "outgoing", "top",
    "senior", "state"})
# Institutions named by one bare word ("Police said", "Congress passed").
_BARE_BODIES = frozenset({"police", "congress", "parliament", "pentagon", "kremlin", "fbi", "cia", "nsa",
                          "nato", "un", "eu", "treasury", "interpol"})
# A source phrase of conjoined sources: "Doe and Roe", "Senator Jane Doe and Mayor John Roe, and
# Governor Ann Poe", "two county officials, Jane Doe and John Roe".
_CONJUNCTION = regex.compile(r",?\s+(?:and|&)\s+|,\s+(?=\p{Lu})")
# A comma then a lower-case word or "the" opens an apposition ("Jane Doe, the activist and
# lawyer", "John Roe, assistant to the mayor and director of ..."): one described source.
_APPOSITION = regex.compile(r",\s+(?!and\b)(?:\p{Ll}|the\b)")
_SOURCE_KINDS = frozenset({"named_official", "named_person", "named_institution", "unnamed_source",
                           "second_source"})
# A conjunct opening with one speaks for another conjunct ("Doe and her lawyers": one origin).
_POSSESSIVES = frozenset({"his", "her", "its", "their", "our", "my"})
# Collective nouns: one group, referred back to as "they", never as "he" or "she".
_COLLECTIVES = frozenset({
    "people", "family", "audience", "staff", "crowd", "public", "police", "team", "media", "press",
    "leadership", "management", "electorate", "community", "faithful", "clergy", "military", "personnel",
    "majority", "minority", "group", "panel", "jury"})


def _without_first_word(phrase: str, start: int, first: str) -> tuple[str, int]:
    """`phrase` (at `start`) without its first word `first` and the space after it, and where the
    rest starts."""
    rest = phrase[len(first):].lstrip()
    return rest, start + len(phrase) - len(rest)


def _number(head: str) -> str:
    """The gender field of an unnamed source: "plural" for plural and collective heads ("aides",
    "his family"), "" for one person of either sex ("a diplomatic source")."""
    return "plural" if head in _COLLECTIVES or (head.endswith("s") and not head.endswith("ss")) else ""


def _lead_title(before: str) -> regex.Match[str] | None:
    """`_LEAD_TITLE.search(before)`, searched only from the last character it cannot match on: its
    match runs to the end of `before` over lower-case letters, hyphens, spaces and a comma alone, so
    it starts after that character. A search from the start of a 40-character window retries the
    pattern's nested repeats at every position (most of `article_officials`' time)."""
    blocker = _NOT_LEAD_TITLE.search(before)
    return _LEAD_TITLE.search(before, blocker.end() if blocker else 0)


def _words_before(text: str, pos: int, n: int) -> list[str]:
    """The last `n` words before `pos`, lower-cased."""
    return [w.lower() for w in _WORDS.findall(text[max(0, pos - 12 * n):pos])][-n:]


@dataclass(frozen=True)
class MentionType:
    type: str  # one of SOURCE_TYPES, or "pronoun"
    rule_id: str
    gender: str = ""  # "m", "f", "plural", "" (a person of either sex) or "n" (no person: "it" only)
    key: str = ""  # what identity links on: surname, outlet domain, descriptor, institution name
    # A named person's first name when the mention gives one: "Ivanka Trump" is not "Donald Trump".
    given: str = ""


class ArticleOfficials(frozenset[str]):
    """Surnames an article introduces with an official title or role, plus what else its names say.

    `people`: the surnames of every full name the article gives (a lone "Joyce" later is that
    person); `organisations`: multi-word names the article gives officers ("Judicial Watch
    president Tom Fitton"); `others`: gazetteer surnames the article gives to someone else ("Megyn
    Kelly"), so a bare "Kelly" there is not the gazetteer's official. It is a frozenset of the
    official surnames, so `surname in officials` reads as before; without article context (a plain
    frozenset) the extras are unknown and not used.
    """

    people: frozenset[str]
    others: frozenset[str]
    organisations: frozenset[str]
    # surname -> first names the article gives it with a title ("" when titled by surname alone),
    # and every first name it gives it: "Rep. Steve King" is no title of Martin Luther King's.
    titled_firsts: dict[str, frozenset[str]]
    given_firsts: dict[str, frozenset[str]]
    # (phrase, head) -> its MentionType in this article: the classifier is a pure function of the
    # phrase and this context, and an article names the same people over and over ("Trump" thirty
    # times). Bounded by the article's own phrases; it goes with the article.
    types: dict[tuple[str, str | None], MentionType]

    def __new__(cls, officials: frozenset[str] | set[str] = frozenset(),
                people: frozenset[str] | set[str] = frozenset(),
                others: frozenset[str] | set[str] = frozenset(),
                organisations: frozenset[str] | set[str] = frozenset()) -> ArticleOfficials:
        obj = super().__new__(cls, officials)
        obj.people = frozenset(people)
        obj.others = frozenset(others)
        obj.organisations = frozenset(organisations)
        obj.titled_firsts = {}
        obj.given_firsts = {}
        obj.types = {}
        return obj


@dataclass(frozen=True)
class OutletTable:
    by_name: dict[str, str]  # lower-cased name -> domain
    prior: dict[str, float]  # domain -> pc1
    default_prior: float

    def domain_of(self, name: str) -> str | None:
        key = name.strip().lower()
        if key in self.prior or key in self.by_name.values():
            return key
        return self.by_name.get(key)

    def prior_of(self, outlet: str | None) -> tuple[float, bool]:
        """(prior, known) for an outlet given as a domain, URL or name."""
        if not outlet:
            return self.default_prior, False
        key = outlet.strip().lower()
        # A URL's host: no scheme, path, query, fragment, user, port or root dot
        # ("https://user@www.nytimes.com:443/x?y" -> nytimes.com).
        key = regex.split(r"[/?#\\]", regex.sub(r"^(?:[a-z][a-z0-9+.-]*:)?//", "", key))[0]
        key = regex.sub(r"^.*@|:\d*$", "", key).rstrip(".")
        key = key.removeprefix("www.")
        domain = key if key in self.prior else self.by_name.get(key)
        if domain and domain in self.prior:
            return self.prior[domain], True
        # Sub-domains take their parent's rating (edition.cnn.com -> cnn.com).
        parts = key.split(".")
        for i in range(1, len(parts) - 1):
            parent = ".".join(parts[i:])
            if parent in self.prior:
                return self.prior[parent], True
        return self.default_prior, False


@lru_cache(maxsize=2)
def outlet_table(path: str | None = None) -> OutletTable:
    path_ = Path(path) if path else DATA_DIR / "outlets.csv"
    by_name: dict[str, str] = {}
    prior: dict[str, float] = {}
    with open(path_, encoding="utf-8") as fh:
        for row in csv.DictReader(line for line in fh if not line.startswith("#")):
            domain = row["domain"].strip().lower()
            if row["pc1"].strip():
                prior[domain] = float(row["pc1"])
            for name in filter(None, (n.strip() for n in row["names"].split("|"))):
                by_name[name.lower()] = domain
    values = sorted(prior.values())
    default = values[len(values) // 2] if values else 0.5
    return OutletTable(by_name, prior, default)


@lru_cache(maxsize=64)
def _multi_word_by_first(vocab: frozenset[str]) -> dict[str, tuple[str, ...]]:
    """The multi-word entries of a word list as " entry ", by their first word."""
    by_first: dict[str, list[str]] = {}
    for v in _multi_word(vocab):
        by_first.setdefault(v.split(" ")[0], []).append(f" {v} ")
    return {first: tuple(padded) for first, padded in by_first.items()}


@lru_cache(maxsize=64)
def _multi_word(vocab: frozenset[str]) -> tuple[str, ...]:
    """The entries of a word list that hold a space, found once per list rather than per phrase."""
    return tuple(v for v in vocab if " " in v)


_HANDLE = regex.compile(r"@?[A-Za-z0-9_]{1,50}")
_HANDLE_PART = regex.compile(r"[A-Z]+(?![a-z])|[A-Z][a-z]+|[a-z]+|[0-9]+")


@lru_cache(maxsize=1)
def _handle_lexicon() -> tuple[dict[str, str], frozenset[str]]:
    """What a handle may run together, from rules/sources.yaml: the gazetteer's full names without
    their spaces ("tedcruz" -> "Ted Cruz"), and the abbreviated titles a handle writes without their
    period ("Gov", "Sen", "Rep")."""
    lists = ruleset("sources").lists
    names = {n.replace(" ", "").replace("'", ""): n.title() for n in lists["known_official_names"]}
    abbreviations = frozenset(t.rstrip(".") for t in lists["official_titles"]
                              if t.endswith(".") and " " not in t)
    return names, abbreviations


def handle_reading(handle: str) -> str:
    """A social-media handle read as the words it runs together, for typing its owner: "@JebBush" ->
    "Jeb Bush", "GovernorPataki" -> "Governor Pataki", "realDonaldTrump" -> "Donald Trump" (a
    lower-case lead word before capitalised ones is decoration), "@AP" -> "AP". An abbreviated title
    gets its period back ("GovChristie" -> "Gov. Christie"), "Mc" and "O" join the next part
    ("MartinOMalley" -> "Martin O'Malley"), and a state or party code after a name is dropped
    ("LindseyGrahamSC" -> "Lindsey Graham"). A handle in one case ("tedcruz") cannot be split: it
    reads as a listed official's full name it spells, or a rated outlet's domain ("thedailybeast"),
    else stays as it is; anything that is no handle
    is returned unchanged."""
    if not _HANDLE.fullmatch(handle):
        return handle
    if regex.search(r"[A-Za-z][0-9]|[0-9][A-Za-z]", handle):
        return handle.lstrip("@")  # "@th3j35t3r": digits inside words, no words to split
    names, abbreviations = _handle_lexicon()
    bare = handle.lstrip("@").replace("_", "")
    if (bare.islower() or bare.isupper()) and bare.lower() in names:
        return names[bare.lower()]
    if bare.islower() and (domain := f"{bare}.com") in outlet_table().prior:
        return domain  # "@thedailybeast": the outlet's own domain name
    parts = [p for p in _HANDLE_PART.findall(handle.lstrip("@")) if not p.isdigit()]
    if len(parts) > 1 and parts[0].islower() and not any(p.islower() for p in parts[1:]):
        parts = parts[1:]
    joined: list[str] = []
    for part in parts:
        if joined and joined[-1] in {"Mc", "O"} and part[:1].isupper() and part[1:].islower():
            joined[-1] += ("'" if joined[-1] == "O" else "") + part  # "O Malley", "Mc Connell"
        else:
            joined.append(part)
    parts = joined
    if (len(parts) >= 3 and parts[-1].isupper() and len(parts[-1]) <= 3
            and all(p[:1].isupper() and p[1:].islower() for p in parts[-3:-1])):
        parts = parts[:-1]  # "LindseyGrahamSC": a name, then a state or party code
    if len(parts) >= 2 and parts[0].lower() in abbreviations:
        parts[0] += "."  # "GovChristie", "SenSanders": "Gov. Christie", "Sen. Sanders"
    return " ".join(parts) if parts else handle


class SourceTyper:
    def __init__(self, rules: RuleSet | None = None, names: RuleSet | None = None,
                 outlets: OutletTable | None = None) -> None:
        self.rules = rules or ruleset("sources")
        names = names or ruleset("names")
        lists = self.rules.lists
        self.titles = frozenset(lists["official_titles"])
        # Words of multi-word titles ("Prime Minister") are never part of a person's name.
        self.title_words = frozenset(w for t in self.titles for w in t.split()) - _GENERIC_TITLE_PARTS
        self.known_officials = frozenset(lists["known_officials"])
        self.known_official_names = tuple(lists["known_official_names"])
        self._known_firsts: dict[str, set[str]] = {}
        for full in self.known_official_names:
            self._known_firsts.setdefault(full.split()[-1], set()).add(full.split()[0])
        self.masthead_words = frozenset(lists["outlet_masthead_words"])
        self.organisation_names = frozenset(lists["organisation_names"])
        self.place_names = frozenset(lists["place_names"])
        self.epithets = frozenset(lists["person_epithets"])
        # `unnamed` heads an unnamed description; only `_unnamed_names` also stop a capitalised name.
        self._unnamed_names = frozenset(lists["unnamed_heads"])
        self._organisation_groups = frozenset(lists["organisation_group_heads"])
        self.unnamed = self._unnamed_names | frozenset(lists["role_heads"])
        self.institutions = frozenset(lists["institution_heads"])
        self.documents = frozenset(lists["document_heads"])
        self.outlet_heads = frozenset(lists["outlet_heads"])
        self.nationality = frozenset(lists["nationality_words"])
        self.male_pronouns = frozenset(lists["pronouns_male"])
        self.female_pronouns = frozenset(lists["pronouns_female"])
        self.plural_pronouns = frozenset(lists["pronouns_plural"])
        self.relative_pronouns = frozenset(lists["pronouns_relative"])
        self.other_pronouns = frozenset(lists["pronouns_other"])
        self.sentence_openers = frozenset(lists["sentence_openers"])
        self.male_titles = frozenset(lists["titles_male"])
        self.female_titles = frozenset(lists["titles_female"])
        self.male_names = frozenset(names.lists["male"])
        self.female_names = frozenset(names.lists["female"])
        self.outlets = outlets or outlet_table()
        self.coordination_blockers = frozenset(lists["coordination_blockers"])
        self._second = self.rules.get("sources.second_source")
        self._poll = self.rules.get("sources.poll_respondents")
        self._second_described = self.rules.get("sources.second_described")
        # Unions of the word lists that the classifier tests per word, built once here rather than
        # per mention (a union of the name lists alone copies some 800 entries).
        self._given_names = self.male_names | self.female_names
        self._pronouns = (self.male_pronouns | self.female_pronouns | self.plural_pronouns
                          | self.relative_pronouns | self.other_pronouns)
        self._person_pronouns = self.male_pronouns | self.female_pronouns | {"their"}
        self._unnamed_or_titles = self.unnamed | self.titles
        self._body_or_text_heads = self.institutions | self.documents | self.unnamed
        self._thing_tails = self.documents | self.institutions | _OUTLET_WORK
        self._not_organisation_words = self.titles | self.title_words | self.nationality | _TITLE_MODIFIERS
        self._title_modifiers = _TITLE_MODIFIERS | self.nationality | self.institutions | self.place_names
        self._title_or_place_words = self.title_words | self.place_names
        self._plain_words = _DETERMINERS | _NOT_NAMES | self.nationality | self.sentence_openers
        # `holds_office` looks up only the titles a phrase holds: one-word titles by set membership,
        # the multi-word ones ("secretary of state") as " title " inside the joined phrase.
        office_titles = self.titles | _ADVISORY_TITLES
        self._one_word_titles = frozenset(t for t in office_titles if " " not in t)
        self._multi_word_titles = tuple((t, f" {t} ") for t in sorted(office_titles) if " " in t)
        # The outlet lookup is a pure function of the phrase, asked of every capitalised run of every
        # article ("The White House", "Trump" again and again): remembered, within a bound.
        self._outlet_domain = lru_cache(maxsize=4096)(self._outlet_domain_of)

    # -- helpers ---------------------------------------------------------------------------
    @staticmethod
    def _has_phrase(words: list[str], vocab: frozenset[str]) -> bool:
        if any(w in vocab for w in words):
            return True
        joined = " " + " ".join(words) + " "
        if any(" " in w or not w for w in words):
            return any(f" {v} " in joined for v in _multi_word(vocab))
        # Words without spaces: " entry " can only be in `joined` when the entry's first word is one
        # of the words, so only those entries are looked for.
        by_first = _multi_word_by_first(vocab)
        return any(padded in joined for w in words for padded in by_first.get(w, ()))

    def _outlet_domain_of(self, phrase: str) -> str | None:
        bare = _LEADING_ARTICLE.sub("", phrase.strip())
        bare = split_possessive(bare)[0]
        # A publication's name written in plain lower-case words is a common noun: "a post", "the
        # times" are a social-media post and an era, not The Post and The Times ("24brussels" stays).
        common = bare.islower() and bare.replace(" ", "").isalpha()
        for candidate in (phrase.strip(), bare, "the " + bare) if not common else ():
            domain = self.outlets.by_name.get(candidate.lower())
            if domain:
                return domain
        low = bare.lower()
        if _DOMAIN.fullmatch(low):
            return low
        return None

    def gender_of_name(self, words: list[str], name: list[str]) -> str:
        """The gender a phrase gives a person: a gendered title anywhere in `words` ("Mrs.",
        "congressman"), else a first name among the lower-cased words of the person's `name`. Only
        the name's own words: "Virginia Gov. Terry McAuliffe" and "Georgia Sen. ..." hold a place
        that is also a first name."""
        for w in words:
            if w in self.male_titles:
                return "m"
            if w in self.female_titles:
                return "f"
        for w in name:
            if w in self.male_names and w not in self.female_names:
                return "m"
            if w in self.female_names and w not in self.male_names:
                return "f"
        return ""

    def _name_run(self, tokens: list[str]) -> list[str]:
        """The capitalised run that names a person: capitalised words that are no title, role,
        nationality or institution word (which may stand in front: "US President Donald Trump")."""
        run: list[str] = []
        for tok in tokens:
            low = tok.lower()
            bare = split_possessive(tok)[0]
            if tok.isupper() and len(tok) > 1 and not run:
                continue  # acronyms name organisations ("IMF", "FBI"), not people
            if (tok[:1].isupper() and low not in self.titles and low not in self.title_words
                    and low not in self._unnamed_names
                    and low not in self.nationality
                    and low not in self.institutions and bare.lower() not in self.nationality
                    and low not in _NOT_NAMES):
                run.append(bare)
            elif run and low in {"de", "van", "von", "al", "bin", "la", "le", "da", "di", "o'"}:
                run.append(tok)
            elif run:
                break  # a name ends where the capitalised run ends ("Jane Doe, a professor")
        return run

    def _core(self, head: str) -> list[str]:
        """The head noun phrase of `head` (see `_core_words`), without an "of" phrase that follows
        a person's name ("Mr. Nevins of Showtime", "Sen. Bernie Sanders of Vermont"); "Secretary of
        State John Kerry" and "Bank of America" keep theirs."""
        core = self._core_words(head)
        if "of" in core[1:]:
            before = core[:core.index("of")]
            name = self._head_name(before)
            if name and (len(name) >= 2 or any(t.lower() in _HONORIFICS for t in before)):
                return before
        return core

    def _core_words(self, head: str) -> list[str]:
        """The words of the head noun phrase: `head` cut at its first comma or bracket and before
        its first post-modifier ("officials familiar with the talks" -> "officials"; "a poll
        released Sunday" -> "a poll"). "of" before a capitalised word stays inside a name
        ("Secretary of State John Kerry", "the University of Texas")."""
        cut = _HEAD_CUT.split(head.strip(), maxsplit=1)[0] or head
        tokens = _WORDS.findall(cut) or _WORDS.findall(head)
        core: list[str] = []
        for i, tok in enumerate(tokens):
            low = tok.lower()
            nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
            if core and low in _POST_MODIFIERS:
                after = tokens[i + 2] if i + 2 < len(tokens) else ""
                if low == "of" and (nxt[:1].isupper() or (nxt.lower() == "the" and after[:1].isupper())):
                    core.append(tok)  # "Speaker of the House Paul Ryan", "Department of the Treasury"
                    continue
                if (low == "for" and nxt[:1].isupper() and all(t[:1].isupper() for t in core)
                        and not core[-1].lower().endswith("ing") and core[-1].lower() not in _NOT_NAMES
                        and core[-1].lower() not in self._unnamed_or_titles):
                    core.append(tok)  # "Centers for Disease Control Director Thomas Frieden"
                    continue
                if low == "of" and core[-1].lower() in _PARTITIVES:
                    core = []  # "a series of emails": the head is what the quantity is of
                    continue
                if (low in {"and", "&"} and core[-1][:1].isupper() and nxt[:1].isupper()
                        and any(t.lower() in self.institutions for t in tokens[i + 2:])):
                    core.append(tok)  # "the Science and Technology Directorate": one body's name
                    continue
                if (low == "and" and core[-1].lower() in self.title_words
                        and len(tokens) - i - 1 >= 2 and all(t[:1].isupper() for t in tokens[i + 1:])
                        and self._head_name(tokens[i + 1:])):
                    # "Fox News Vice President and Washington Managing Editor Bill Sammon": two titles
                    # of one person, whose name ends the phrase (not "Sen. Cruz and Sen. Rubio").
                    core.append(tok)
                    continue
                if low in {"familiar", "close"} and nxt.lower() not in {"with", "to"}:
                    core.append(tok)  # "close friends": an adjective, not "close to"
                    continue
                break
            core.append(tok)
        return core

    def _name_word(self, tok: str) -> bool:
        low = tok.lower()
        bare = split_possessive(tok)[0].lower()
        return (tok[:1].isupper() and low not in self.titles and low not in self.title_words
                and low not in self._unnamed_names and low not in self.nationality
                and bare not in self.nationality
                and low not in self.institutions and low not in _HONORIFICS
                and low not in _NOT_NAMES)

    def _head_name(self, core: list[str]) -> list[str]:
        """The person's name that ends the head phrase, read backwards from its last word ("US
        President Donald Trump" -> Donald Trump; "Gowdy spokesman Jamal Ware" -> Jamal Ware). The
        last word may be a title word when a first name or honorific precedes it ("Steve King",
        "Ms. White"). Empty when the phrase does not end in a name ("a Clinton campaign official")."""
        if not core:
            return []
        run: list[str] = []
        toks = list(core)
        last = toks[-1]
        before = toks[-2] if len(toks) > 1 else ""
        if last.lower() in self.documents and not (
                before.lower() in _HONORIFICS or before.lower() in self._given_names):
            return []  # "a Suffolk University/Boston Globe Poll": a document, not Mr. Poll
        if (last[:1].isupper() and not self._name_word(last) and before
                and (self._name_word(before) or before.lower() in _HONORIFICS)
                and last.lower() not in self.institutions and last.lower() not in self._unnamed_names):
            run.append(split_possessive(last)[0])
            toks = toks[:-1]
        for tok in reversed(toks):
            if self._name_word(tok) and not (tok.isupper() and len(tok) > 1 and "." not in tok):
                run.append(split_possessive(tok)[0] if not run else tok)
            elif run and tok.lower() in {"de", "van", "von", "al", "bin", "la", "le", "da", "di"}:
                run.append(tok)
            else:
                break
        return list(reversed(run))

    def _apposed_name(self, head: str) -> list[str]:
        """A full name standing after a role in a comma-separated phrase ("A Twitter spokesman,
        Christopher Abboud,", "the other candidate, former Secretary of State Hillary Clinton"):
        the name is the source's head."""
        for part in _COMMA.split(head.strip())[1:]:
            toks = _WORDS.findall(part)
            if toks and toks[0].lower() in {"including", "such", "like", "among", "and", "or", "but", "with",
                                             "from", "in", "at", "of", "for", "not", "unlike", "along"}:
                continue  # "Several fact checkers, including The Washington Post,": no apposition
            name = self._head_name(toks) if len(toks) <= 8 else []
            capitalised = [t for t in toks if t[:1].isupper() and self._name_word(t)]
            if len(name) >= 2 and len(name) == len(capitalised):
                return name
        return []

    def _body_before_name(self, core: list[str]) -> str | None:
        """The name after a lower-case institution head ("the super PAC Priorities USA Action", "the
        group Our Principles PAC"), when the rest of the phrase is that capitalised name and holds
        no title or honorific ("the FBI Director James Comey" names a person)."""
        words = [t.lower() for t in core]
        for at in range(len(core) - 2, -1, -1):
            head = words[at] in self.institutions and core[at][:1].islower()
            pair = (at >= 1 and core[at - 1][:1].islower()
                    and f"{words[at - 1]} {words[at]}" in self.institutions)
            if not (head or pair):
                continue
            name = core[at + 1:]
            if all(t[:1].isupper() or (0 < k < len(name) - 1 and t.lower() in _NAME_LINKS)
                   for k, t in enumerate(name)) and not any(
                    w in self.titles or w in self.title_words or w in _HONORIFICS for w in words[at + 1:]):
                return " ".join(words[at + 1:])
            return None
        return None

    def _owner_word(self, token: str) -> bool:
        """A possessive ("Sanders’", "the campaign's") or a person's possessive pronoun ("her")."""
        return bool(split_possessive(token)[1]) or token.lower() in self._person_pronouns

    def _unnamed_voice(self, core: list[str]) -> bool:
        """Whether the head phrase after "another" or "a second" describes a person without naming
        one: no full name ("Another candidate Jane Doe") and a head that is no text, body, outlet or
        someone's own words ("another poll", "a second report", "another statement")."""
        rest = [t for t in core if t.lower() not in {"yet", "another", "a", "second", "third", "fourth"}]
        if not rest:
            return True  # "Another said"
        last = split_possessive(rest[-1])[0].lower()
        return (len(self._head_name(rest)) < 2 and last not in self._thing_tails
                and last not in self.outlet_heads and last not in _OUTLET_HEAD_NOUNS
                and last not in _OWN_WORDS and last not in self.place_names
                and not self._outlet_domain(" ".join(rest)))

    def _is_masthead(self, core: list[str]) -> bool:
        """A capitalised name whose last word is a newspaper's or broadcaster's ("the Chicago
        Sun-Times", "KING-TV", "GMA News")."""
        named = [t for t in core if t.lower() not in _DETERMINERS]
        if not named or not all(t[:1].isupper() or t[:1].isdigit() for t in named):
            return False
        last = split_possessive(named[-1])[0]
        return (last.lower() in self.masthead_words and len(named) >= 2) or bool(
            _TV_CALL_SIGN.search(last))

    # -- the classifier --------------------------------------------------------------------
    def article_officials(self, text: str) -> ArticleOfficials:
        """Surnames the article itself introduces with an official title or role, anywhere in the text
        ("Ohio Secretary of State Jon Husted", "Gowdy spokesman Jamal Ware", "a spokeswoman, Anna
        White," make a later "Husted", "Ware", "White" an official), with the surnames of every full
        name it gives (see `ArticleOfficials`)."""
        found: set[str] = set()
        titled_firsts: dict[str, set[str]] = {}  # surname -> first names given with a title ("" if none)

        def titled_name(words: list[str]) -> None:
            surname = split_possessive(words[-1])[0].lower()
            found.add(surname)
            # A leading initial is no first name: "W. Neil Eggleston" is titled as Neil.
            firsts = [w for w in words[:-1] if not (len(w) == 2 and w.endswith("."))]
            titled_firsts.setdefault(surname, set()).add(firsts[0].lower() if firsts else "")

        for m in _TITLED_NAME.finditer(text, overlapped=True):
            title = m.group(1).lower()
            parts = set(title.split("-"))  # "Secretary-Treasurer"
            # A two-word title may be capitalised whole ("Managing Editor Bill Sammon"), its first
            # word a generic title part.
            titled = (title in self.titles or title.rstrip(".") in self.titles
                      or bool(parts & self.title_words)
                      or " ".join(_words_before(text, m.start(), 1) + [title]) in self.titles
                      # "White House Counsel W. Neil Eggleston": a three-word title capitalised whole
                      or " ".join(_words_before(text, m.start(), 2) + [title]) in self.titles)
            if titled and self.holds_office(_words_before(text, m.start(), 4)
                                            + [w.lower() for w in _WORDS.findall(m.group(0))]):
                titled_name(m.group(2).split())
                # "Sens. Mike Crapo and Jim Risch": a plural title covers both names.
                also = _AND_NAME.match(text, m.end()) if title.rstrip(".").endswith("s") else None
                if also:
                    titled_name(also.group(1).split())
        for m in _APPOSITION_TITLE.finditer(text, overlapped=True):
            # The role comes first in an apposition ("Jane Doe, the state's top election official,");
            # a title deeper in is in a clause about something else.
            words = self._own_words(_WORDS.findall(m.group(2)), set())[:7]
            if words and words[0] in _NOT_APPOSITION:
                continue  # "Schilling, through a spokeswoman, said": no role of his
            if self.holds_office(words):
                titled_name(m.group(1).split())
        for m in _ROLE_APPOSITION.finditer(text):
            words = [w.lower() for w in _WORDS.findall(m.group(1))]
            run = self._head_name(_WORDS.findall(m.group(2)))
            if len(run) >= 2 and self.holds_office(words):
                titled_name(run)
        for m in _PREDICATE_TITLE.finditer(text):
            words = self._own_words(_WORDS.findall(m.group(2)), set())[:7]
            if words and words[0] not in {"not", "no", "never"} and self.holds_office(words):
                titled_name(m.group(1).split())
        for m in _LED_BY.finditer(text):
            run = self._head_name(_WORDS.findall(m.group(1)))
            context = set(_words_before(text, m.start(), 8))
            if len(run) >= 2 and not (context & (_ACADEMIC_UNITS | _PUBLICATIONS | _PAST_MARKERS | _POLLING)
                                      or context & self.documents):
                titled_name(run)  # "NextGen Climate, founded by ... Tom Steyer": its head
        for m in _NAME_PARTY_TAG.finditer(text):
            run = self._head_name(_WORDS.findall(m.group(1)))
            if len(run) >= 2 and not set(_words_before(text, m.start(), 3)) & _PAST_MARKERS:
                titled_name(run)  # "Jane Doe (D-Calif.)": a member of Congress, not "Former Rep. ..."
        people: set[str] = set()
        full_names: list[list[str]] = []
        given_firsts: dict[str, set[str]] = {}  # surname -> every first name the article gives it
        for m in _FULL_NAME.finditer(text):
            run = self._head_name(_WORDS.findall(m.group(0)))
            if len(run) >= 2:
                full_names.append([w.lower() for w in run])
                people.add(run[-1].lower())
                given_firsts.setdefault(run[-1].lower(), set()).add(run[0].lower())
            # A lower-case title right before the name, or before it and a comma ("AFL-CIO president
            # Steven Tolman", "a Twitter spokesman, Christopher Abboud,").
            before = text[max(0, m.start() - 40):m.start()]
            lead = _lead_title(before) if run else None
            if lead:
                lead_words = lead.group(1).split()
                suffixes = {" ".join(lead_words[i:]) for i in range(len(lead_words))}
                titled = bool(suffixes & self.titles or set(lead_words[-1].split("-")) & self.titles)
                if titled and self.holds_office(_words_before(text, m.start(), 6)):
                    titled_name(run)
        # An organisation is what has officers: the capitalised run right before a title and a name
        # ("Judicial Watch president Tom Fitton", "United Steelworkers Political Director Tim Waters").
        organisations: set[str] = set()
        for m in _ORG_BEFORE_TITLE.finditer(text):
            org = [split_possessive(w)[0] for w in m.group(1).split()]
            title_words = [w.lower() for w in m.group(2).split()]
            low = [w.lower() for w in org]
            # Two words at least, and none a person's: "Trump campaign manager Paul Manafort" and
            # "Patrick Murphy campaign aide ..." name a person's campaign, not an organisation.
            titled = title_words[-1] in self.titles or bool(set(title_words[-1].split("-")) & self.titles)
            if titled and len(org) >= 2 and not (
                    set(low) & self._not_organisation_words
                    or low[0] in self._given_names or low[-1] in self.known_officials):
                organisations.add(" ".join(low))
        # Gazetteer surnames the article gives to someone else, and to no listed official.
        firsts = self._known_firsts
        listed = {n[-1] for n in full_names if n[0] in firsts.get(n[-1], ())}
        others = {n[-1] for n in full_names
                  if n[-1] in self.known_officials and n[-1] in firsts and n[0] not in firsts[n[-1]]}
        result = ArticleOfficials(found, people - {o.split()[-1] for o in organisations},
                                  others - listed - found, organisations)
        result.titled_firsts = {k: frozenset(v) for k, v in titled_firsts.items()}
        result.given_firsts = {k: frozenset(v) for k, v in given_firsts.items()}
        return result

    def background_people(self, text: str, officials: frozenset[str]) -> list[tuple[int, int, MentionType]]:
        """People the article names anywhere: full names ("Jon Husted", "Sen. Jane Doe") typed as
        sources would be, a courtesy title with a surname ("Ms. Nwanguma"), and each later mention of
        such a surname alone ("Husted"). They serve as antecedents for pronouns and surnames: a
        pronoun's referent is the person named last."""
        found = []
        last_end = 0
        for m in _PERSON_NAME.finditer(text):
            start, end, phrase = m.start(), m.end(), m.group(0)
            if start < last_end:
                continue  # inside a run lengthened below
            if (len(words := phrase.split()) >= 4 and len(name := self._head_name(words)) < 2
                    and not any(self._name_word(w) for w in words[:len(words) - len(name)])):
                # The run stops at four words, before the name its titles lead up to ends: "Senate
                # Majority Leader Mitch | McConnell", "White House Press Secretary | Josh Earnest". Not
                # after a word that may be a name ("Francois Hollande Says Donald | Trump", headline).
                for _ in range(2 - len(name)):
                    if (more := _NEXT_NAME_WORD.match(text, end)) is None:
                        break
                    end = more.end()
                phrase = text[start:end]
            last_end = end
            while phrase and (opener := phrase.split(maxsplit=1)[0]).lower() in self.sentence_openers:
                phrase, start = _without_first_word(phrase, start, opener)
            if (len(words := phrase.split()) >= 3 and words[0].lower() not in self._given_names
                    and _AFTER_TITLE_OF.search(text, max(0, start - 40), start) is not None):
                # "Secretary of State Hillary Clinton": a run that starts after a capitalised word's
                # "of" starts with that title's last word ("State"), no part of the name; after a
                # common noun's "of" it starts with a title of its own ("the administration of
                # President Bill Clinton").
                phrase, start = _without_first_word(phrase, start, words[0])
            mt = self.classify(phrase, officials=officials)
            if mt.type in {"named_official", "named_person"} and (
                    len(phrase.split()) >= 2 and (mt.gender or mt.type == "named_official")):
                found.append((start, end, mt))
        # A courtesy title and a surname ("Ms. Nwanguma") names a person of known gender even when
        # the full name did not qualify above ("Kashiya Nwanguma": no listed first name), where no
        # full name covers it ("Dr. Ben Carson" is taken as "Ben Carson").
        full_starts = [s for s, _, _ in found]
        full_ends = [e for _, e, _ in found]
        for m in _HONORIFIC_NAME.finditer(text):
            at = bisect.bisect_right(full_starts, m.start()) - 1
            if (at >= 0 and m.start() < full_ends[at]) or (
                    at + 1 < len(full_starts) and full_starts[at + 1] < m.end()):
                continue
            phrase = split_possessive(m.group(0))[0]
            mt = self.classify(phrase, officials=officials)
            if mt.type in {"named_official", "named_person"}:
                found.append((m.start(), m.start() + len(phrase), mt))
        found.sort(key=lambda f: f[0])
        named_from: dict[str, int] = {}  # surname -> where its full name first appears
        for start, _, mt in found:
            named_from.setdefault(mt.key, start)
        # The full names, in text order and not overlapping (one finditer): only the last one starting
        # at or before a position can hold it.
        taken_starts = [s for s, _, _ in found]
        taken_ends = [e for _, e, _ in found]
        for m in _SURNAME.finditer(text):
            bare = split_possessive(m.group(0))[0]
            key = bare.lower()
            if not (named_from.get(key, len(text)) < m.start() or key in self.known_officials):
                continue
            at = bisect.bisect_right(taken_starts, m.start()) - 1
            if at >= 0 and m.start() < taken_ends[at]:
                continue
            mt = self.classify(bare, officials=officials)
            if mt.type in {"named_official", "named_person"}:
                found.append((m.start(), m.start() + len(bare), mt))
        return sorted(found, key=lambda f: f[0])

    def background_things(self, text: str, officials: frozenset[str]) -> list[tuple[int, int, MentionType]]:
        """Bodies and texts the article names anywhere, cited there or not: multi-word names headed by
        an institution word ("the Congressional Budget Office", "the Texas Department of Public
        Safety"), listed organisations ("Tinder"), and definite institution or document heads ("the
        company", "the report"). They are antecedents for "it", "its" and "which" only ("Tinder
        suspended her account; it did not explain why"), never for a person's pronoun."""
        found = []
        for m in _THING_NAME.finditer(text):
            phrase = m.group(0)
            words = [w.lower() for w in _WORDS.findall(phrase)]
            tail = words[-1] if words else ""
            if len(words) >= 2 and phrase[-1:].islower() and phrase.split()[-2][:1].isupper() and (
                    tail not in self._thing_tails
                    or (tail.endswith("s") and tail not in {"analysis", "news"})):
                # "Tinder said", "the Associated Press reports": no trailing verb
                phrase = phrase[:phrase.rstrip().rfind(" ")].rstrip()
                words = words[:-1]
            low = phrase.lower()
            last = split_possessive(words[-1])[0] if words else ""
            # Pure tests, cheapest first (the outlet lookup last): most capitalised runs pass none.
            if not (last in self._thing_tails or low in self.organisation_names
                    or split_possessive(low)[0] in self.organisation_names
                    or any(split_possessive(w)[0] in self.institutions for w in words[1:])
                    or self._outlet_domain(phrase)):
                continue
            mt = self.classify(phrase, officials=officials)
            if (mt.type in {"named_institution", "document", "outlet"}
                    and mt.rule_id != "sources.place_government"):
                found.append((m.start(), m.start() + len(phrase), mt))
        return found

    def _pronoun(self, word: str) -> MentionType | None:
        w = split_possessive(word)[0].lower() if word.lower() not in {"its", "his", "hers"} else word.lower()
        if w not in self._pronouns:
            return None
        gender = ("m" if w in self.male_pronouns else "f" if w in self.female_pronouns
                  else "plural" if w in self.plural_pronouns else "")
        return MentionType("pronoun", "sources.pronoun", gender, w)

    def _definite_title(self, core: list[str]) -> str | None:
        """The title of a definite description of one official ("the senator", "the Republican
        presidential candidate", "the Democratic front-runner"), else None."""
        if "of" in core[2:]:
            core = core[:core.index("of")]  # "the former CEO of Hewlett-Packard", "the Speaker of the House"
        words = [t.lower() for t in core]
        if len(words) < 2 or len(words) > 5 or words[0] not in {"the", "this"}:
            return None
        if (words[-1] not in self.title_words or words[-1] in self.institutions
                or words[-1] in _PLACE_TITLE_PARTS) and words[-1] not in _PARTY_MEMBERS:
            return None
        middle = core[1:-1]
        # Modifiers may be capitalised ("the Senate Democratic leader", "the Vermont senator") but
        # may not name the person ("the Clinton aide" is no title of Clinton's).
        if self._head_name(core[:-1]) and not all(
                t.lower() in self._title_modifiers
                or split_possessive(t)[0].lower() in self._title_or_place_words for t in middle
                if t[:1].isupper()):
            return None
        return words[-1]

    def holds_office(self, words: list[str]) -> bool:
        """Whether lower-cased `words` describing a person give them an official role: a title from
        the lexicon that is not a past one ("former adviser", "ex-governor": LABELLING.md's former
        officials commenting are named_person), and, for an advisory title (strategist, adviser),
        one tied to a campaign or principal ("a strategist for Mrs. Clinton", "Trump's adviser";
        "a longtime Republican strategist" is a commentator)."""
        words = [p for w in words for p in ((w, *w.split("-")) if "-" in w else (w,)) if p]
        joined = " " + " ".join(words) + " "
        for at, w in enumerate(words[:-1]):
            if (w == "who" and words[at + 1] in _HEAD_VERBS
                    and not set(words[at + 1:at + 9]) & (_ACADEMIC_UNITS | _PUBLICATIONS)
                    and not any(c in _COMMENTATOR_ROLES for c in words)):
                return True  # "Katie Doe, who runs Our Principles": the head of an organisation
        # Only titles the words hold can make an office, and the answer does not depend on the order
        # they are tried in. A one-word title is in `joined` exactly when it is one of the words, as
        # long as no word holds a space (tokens never do; any other caller gets every title tried).
        if any(" " in w for w in words):
            candidates: Iterable[str] = self._one_word_titles | {t for t, _ in self._multi_word_titles}
        else:
            candidates = [*self._one_word_titles.intersection(words),
                          *(t for t, padded in self._multi_word_titles if padded in joined)]
        for title in candidates:
            at = words.index(title) if " " not in title and title in words else (
                joined[:joined.find(f" {title} ")].count(" ") if f" {title} " in joined else -1)
            if at < 0:
                continue
            if self._past(words, at):
                continue
            if title in {"speaker", "leader"} and at > 0 and (
                    words[at - 1] in _NOT_OFFICE_BEFORE or words[at + 1:at + 2] == ["at"]):
                continue  # "a keynote speaker", "a speaker at the rally", "a civil rights leader"
            if any(words[max(0, at - len(lead)):at] == list(lead) for lead in _SOUGHT_OFFICE):
                continue  # "rebuffed pleas to run for president", "wants to be governor": no office held
            if title == "delegate" and at > 0 and split_possessive(words[at - 1])[0] in self.known_officials:
                continue  # "a Clinton delegate": pledged to a candidate at a convention, no office
            if title == "speaker" and words[at - 1:at] in (["a"], ["an"]):
                continue  # "a speaker": one of many at an event, no Speaker of a House
            if title in _ORG_TITLES and any(
                    w in _COMMENTATOR_ROLES and not self._past(words, k) for k, w in enumerate(words)):
                continue  # "director of Gotham Ghostwriters and an independent political analyst"
            if title in _ADVISORY_TITLES and not (
                    set(words) & {"campaign", "for", "to", "senior", "chief", "top"}
                    or (title in {"organizer", "organiser"} and "with" in words[at + 1:at + 2])
                    or any(split_possessive(w)[1] for w in words[:at])):
                continue
            after = words[at + len(title.split()):]
            if title in _GENERIC_TITLES and at > 0 and words[at - 1] in {"a", "an", "the"} and not (
                    after and (after[0] in {"of", "general", "for"}
                               or (title in {"official", "officer"} and after[0] in {"at", "with", "in"}))):
                continue  # "works as a secretary", "an official": no office named
            if _CLOSED_TERM.match(" ".join(after[:12])):
                continue  # "Mexico's ambassador to the United States from 2007 to 2013": a past term
            unit = set(after[:8])
            if title in _ACADEMIC_TITLES and unit & _ACADEMIC_UNITS and not unit & _POLLING:
                continue  # "director of the McCourtney Institute": a scholar, commenting (a poll's
                # director speaks for the poll: LABELLING.md guide clarification 12)
            return True
        return False

    @staticmethod
    def _past(words: list[str], at: int) -> bool:
        """Whether the title at `words[at]` is a past one: a past marker earlier in its conjunct
        ("a former top press official in Mr. Obama's White House", "who served as ambassador"; not
        "who was undersecretary of state in 2013", said in a 2013 speech); "doctoral candidate" is
        no candidacy either."""
        if at > 0 and words[at] == "candidate" and words[at - 1] in {"doctoral", "ph.d.", "phd", "degree",
                                                                      "graduate", "master's"}:
            return True
        for k in range(at - 1, -1, -1):
            w = words[k]
            if w in _CONJUNCT_BREAKS:
                return False
            if w in _PAST_MARKERS:
                return True
            if w == "veteran" and k + 1 < len(words) and words[k + 1] == "of":
                return True  # "a veteran of the Bush White House"
        return False

    def _role_words(self, phrase: str, name: list[str]) -> list[str]:
        """The words that describe the person `name` in a cited phrase: the phrase up to the end of
        its first apposition ("Jane Doe, a professor at Yale, said ..."), without titles that belong
        to someone else named after them ("a veteran of President Bill Clinton's administration")."""
        segments = _COMMA.split(phrase.strip())
        if len(segments) > 1 and not segments[0].strip():
            segments = segments[1:]
        own = " ".join(segments[:2]) if len(segments) > 1 else segments[0]
        return self._own_words(_WORDS.findall(own), {n.lower() for n in name})

    def _own_words(self, tokens: list[str], own_names: set[str]) -> list[str]:
        """`tokens` lower-cased, without a title that stands before someone else's name."""
        kept: list[str] = []
        for i, tok in enumerate(tokens):
            nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
            low = tok.lower()
            is_title = low in self.titles or low.rstrip(".") in self.titles or low in self.title_words
            if (is_title and nxt[:1].isupper() and split_possessive(nxt)[0].lower() not in own_names
                    and self._name_word(nxt)):
                continue  # the title of the next name, not of this person
            kept.append(low)
        return kept

    def _titled_in_article(self, name: list[str], officials: frozenset[str]) -> bool:
        """Whether the article gives this person a title elsewhere: their surname is titled there,
        with their first name when the name has one; a bare surname only when no untitled person
        in the article shares it. A title given to the surname alone ("President Bush") is not
        given to a full name whose first name the gazetteer does not list for that surname ("Laura
        Bush"): it belongs to the listed namesake."""
        surname = name[-1].lower()
        if surname not in officials:
            return False
        titled = getattr(officials, "titled_firsts", {}).get(surname)
        if not titled:
            return True
        if len(name) >= 2 and name[0].lower() not in titled:
            firsts = self._known_firsts.get(surname)
            return "" in titled and (not firsts or name[0].lower() in firsts)
        if "" in titled or len(name) >= 2:
            return True
        return not getattr(officials, "given_firsts", {}).get(surname, frozenset()) - titled

    def _definite_name(self, core: list[str]) -> bool:
        """Whether `core` is "the" and a capitalised name of two words or more ("The Islamic State",
        "the Science and Technology Directorate of the Department of Homeland Security"): no
        possessive ("The Post's Ruth Marcus"), title, honorific, nationality or party word ("the
        Utah Republican", "the Rev. Jane Doe", "the U.S. Senate candidate") in it."""
        if len(core) < 3 or core[0].lower() != "the":
            return False
        named = [t for t in core[1:] if t.lower() not in _NAME_LINKS]
        if len(named) < 2 or not all(t[:1].isupper() for t in named) or core[-1].lower() in _NAME_LINKS:
            return False
        return not any(split_possessive(t)[1] or t.lower().rstrip(".") in self.titles
                       or t.lower() in self.titles or t.lower() in _HONORIFICS or t.lower() in _NOT_NAMES
                       or t.lower() in self.nationality or t.lower() in self._unnamed_names for t in named)

    def _definite_epithet(self, core: list[str]) -> str | None:
        """The head of a definite description of one person ("the billionaire", "the real estate
        mogul", "the Fox News host"), else None."""
        words = [t.lower() for t in core]
        if len(words) < 2 or len(words) > 5 or words[0] not in {"the", "this"}:
            return None
        if words[-1] not in self.epithets:
            return None
        if not core[-1][:1].islower() or any(split_possessive(t)[1] for t in core[1:-1]):
            return None
        return words[-1]

    def _official_surname(self, name: list[str], officials: frozenset[str]) -> bool:
        """Whether the gazetteer makes this name an official: its surname is listed and the article
        gives that surname to nobody else; a full name must also match a listed first name when the
        gazetteer lists one for that surname ("Megyn Kelly" is not "John Kelly")."""
        surname = name[-1].lower()
        if surname not in self.known_officials:
            return False
        if len(name) >= 2:
            firsts = self._known_firsts.get(surname)
            return not firsts or any(n.lower() in firsts for n in name[:-1])
        return surname not in getattr(officials, "others", frozenset())

    def _person(self, name: list[str], phrase: str, words: list[str], core_words: list[str],
                officials: frozenset[str]) -> MentionType:
        """A named person: an official when the phrase holds a title or role, the article gives the
        surname one, or the gazetteer lists it; else a named person."""
        surname = name[-1].lower()
        own = " ".join(_COMMA.split(phrase.strip())[:3])
        # The name's own words are no title ("Charlie King", "Mr. King": no king).
        own_name = {n.lower() for n in name}
        role_words = [w for w in self._role_words(phrase, name) if split_possessive(w)[0] not in own_name]
        role = (self.holds_office(role_words) or self._titled_in_article(name, officials)
                or bool(_PARTY_TAG.search(own)
                        and not {w.lower() for w in _WORDS.findall(own)} & _PAST_MARKERS))
        official = role or self._official_surname(name, officials)
        gender = self.gender_of_name(words, [n.lower() for n in name])
        people = getattr(officials, "people", None)
        if (not official and len(name) == 1 and people is not None and surname not in people
                and not set(core_words) & _HONORIFICS and not gender
                and (surname in self.organisation_names or _CAMEL_NAME.match(name[-1]))):
            # A lone word the article never gives a first name, that is a known organisation's name
            # or written like one ("WikiLeaks", "YouTube"), is no person's surname.
            return MentionType("named_institution", "sources.organisation_name", "plural", surname)
        rule = ("sources.title_name" if role
                else "sources.known_official" if official else "sources.person_name")
        # Only a listed first name: "Wasserman Schultz" is one surname, not Ms. Schultz's first name.
        given = name[0].lower() if len(name) >= 2 and name[0].lower() in self._given_names else ""
        return MentionType("named_official" if official else "named_person", rule, gender, surname, given)

    def coordinated_voices(self, phrase: str) -> int:
        """How many sources a source phrase conjoins ("Doe and Roe", "security researchers and
        European officials"): LABELLING.md lists each as a source, so one cue with two such voices cites
        two. 0 for a phrase that conjoins no sources: an "and" inside a description ("Jane Doe,
        the activist and lawyer", "the Research and Planning Office"), adjectives sharing one
        head ("local and state officials"), or a role before a name ("Property developer and
        television host John Roe"). A possessive conjunct speaks for the other one
        ("Doe and her lawyers": one origin) and is not counted."""
        phrase = phrase.strip(" ,")
        if not regex.search(r"\s(?:and|&)\s", phrase):
            return 0
        apposition = _APPOSITION.search(phrase)
        if apposition is not None:
            # An aside after the conjoined names describes them all ("Doe and Roe, who both sit on
            # the committee,"; "Doe and Roe, two of the survivors,"): the names before it count. An
            # aside after one name holds no second voice ("Jane Doe, the activist and lawyer").
            head = phrase[:apposition.start()]
            return self.coordinated_voices(head) if "," not in head else 0
        if any(w.lower() in self.coordination_blockers for w in _WORDS.findall(phrase)):
            return 0
        parts = [p for p in _CONJUNCTION.split(phrase) if p]
        first, last = parts[0].split(), parts[-1].split()
        if len(parts) < 2 or (len(first) == 1 and parts[0][:1].isupper() and len(parts) == 2
                               and last[0].lower() not in {"other", "another"} and last[-1].islower()):
            return 0  # "Local and state officials", "Liberal and conservative economists"
        if first[0].lower() == "the" and len(first) == 2:
            return 0  # "the Research and Planning Office": one name
        # "two county officials, Jane Doe and John Roe": a description, then the names it describes.
        described = regex.match(r"[^,]+,\s+\p{Lu}", phrase) is not None
        voices = set()
        for k, part in enumerate(parts):
            words = part.split()
            if words[0].lower() in _POSSESSIVES:
                continue
            kind = self.classify(part).type
            tail = words[-1].strip("(),.")
            if kind in {"named_official", "named_person", "named_institution"} and not (
                    tail[:1].isupper() or words[-1].endswith(")")):
                continue  # "Property developer": a role, not a name
            if kind == "unnamed_source" and k == 0 and described:
                continue
            determiner = words[0].lower() in {"a", "an", "one", "other", "another"}
            if kind == "unnamed_source" and not (tail.endswith("s") or determiner):
                continue  # one unnamed person in a list of descriptions
            if kind in _SOURCE_KINDS:
                voices.add(part.lower())
        return len(voices) if len(voices) >= 2 else 0

    def classify(self, phrase: str, head: str | None = None,
                 officials: frozenset[str] = frozenset()) -> MentionType:
        """The type of a source phrase. `head` is the naming part ("Jane Doe" of "Jane Doe, a
        professor,"); `officials` are surnames the article introduces with a title (an
        `ArticleOfficials` from `article_officials` also tells which surnames are people's, and
        remembers what was classified in its article)."""
        memo = getattr(officials, "types", None)
        if memo is None:
            return self._classify(phrase, head, officials)
        key = (phrase, head)
        found = memo.get(key)
        if found is None:
            found = memo[key] = self._classify(phrase, head, officials)
        return found

    def _group_named_as_organisation(self, tokens: list[str]) -> bool:
        """A group noun inside a capitalised name names an organisation: "the Communications Workers
        of America", "Concerned Veterans for America", "the United Auto Workers" (but "Senate
        Democrats", "Officials of the Department", whose capitals a chamber or the sentence start
        may give, stay a described group). Two capitalised words before "of"/"for" with a
        capitalised name after it, or three with none."""
        words = [t for t in tokens if t.lower() not in _DETERMINERS]
        at = next((i for i, t in enumerate(words) if t.lower() in {"of", "for"}), None)
        named, after = (words[:at], words[at + 1:]) if at is not None else (words, [])
        if not named or not all(t[:1].isupper() for t in named):
            return False
        if split_possessive(named[-1])[0].lower() not in self._organisation_groups:
            return False
        if at is None:
            return len(named) >= 3
        return (len(named) >= 2 and bool(after)
                and all(t[:1].isupper() for t in after if t.lower() not in {"the", "and", "of"}))

    def _classify(self, phrase: str, head: str | None, officials: frozenset[str]) -> MentionType:
        head = head or phrase
        tokens = _WORDS.findall(head)
        if not tokens:
            return MentionType("unnamed_source", "sources.empty")
        words = [t.lower() for t in tokens]
        if len(words) == 1 and (pronoun := self._pronoun(tokens[0])):
            return pronoun
        if self._second.found_in(head):
            return MentionType("second_source", self._second.id, "", "second source")
        core = self._core(head)
        core_words = [t.lower() for t in core]
        apposed = self._apposed_name(head) or self._apposed_name(phrase)
        if not apposed and self._second_described.found_in(head) and self._unnamed_voice(core):
            # "Another said", "another commenter": one more unnamed voice.
            return MentionType("second_source", self._second_described.id, "", "second source")
        title = None if apposed else self._definite_title(core)
        if title:
            # A definite title points back to a named official, like a pronoun. Someone's aide ("the
            # congressman's spokesman") only to one the article introduced with that very title.
            kind = "role:" if any(split_possessive(t)[1] for t in core[1:-1]) else "title:"
            return MentionType("pronoun", "sources.definite_title", "", kind + title)
        epithet = None if apposed else self._definite_epithet(core)
        if epithet:
            # "the billionaire", "the real estate mogul": one person, described; the person named last.
            return MentionType("pronoun", "sources.definite_epithet", "", "person:" + epithet)
        if self._poll.found_in(head):
            return MentionType("document", self._poll.id, "", "poll")
        domain = self._outlet_domain(phrase) or self._outlet_domain(" ".join(core))
        if (domain and len(core) == 1 and core[0][:1].isupper()
                and self._titled_in_article([split_possessive(core[0])[0]], officials)):
            domain = None  # "Guardian said" where the article names "Mayor Don Guardian": the mayor
        if domain:
            return MentionType("outlet", "sources.outlet_name", "plural", domain)
        if len(core) >= 2 and core_words[-1] in _OUTLET_WORK:
            # "the Associated Press report", "a Washington Post analysis": the outlet's own reporting.
            owner = [split_possessive(t)[0] for t in core[:-1]]
            domain = self._outlet_domain(" ".join(owner))
            if domain or self._is_masthead(owner):
                return MentionType("outlet", "sources.outlet_work", "plural",
                                   domain or " ".join(owner).lower().removeprefix("the "))
        content = [w for w in core_words if w not in _DETERMINERS]
        if content and (" ".join(content) in self.outlet_heads or " ".join(content[-2:]) in self.outlet_heads
                        or content[-1] in _OUTLET_HEAD_NOUNS):
            return MentionType("outlet", "sources.outlet_head", "plural", " ".join(content))
        if self._is_masthead(core):
            return MentionType("outlet", "sources.outlet_masthead", "plural", " ".join(content))
        if (body := self._body_before_name(core)) is not None:
            # "the super PAC Priorities USA Action", "the retailer Macy's": a body named after its kind.
            return MentionType("named_institution", "sources.institution_named", "plural", body)
        if core_words and core_words[-1] in _OUTLET_WORK and (
                placed := _IN_OUTLET.match(head, head.find(core[-1]) + len(core[-1]))) is not None:
            # "a new article in Politico", "a story by the Associated Press": the outlet reporting.
            where = _WORDS.findall(placed.group(1))
            domain = self._outlet_domain(placed.group(1).strip(" ,")) or (
                " ".join(where).lower().removeprefix("the ") if self._is_masthead(where) else None)
            if domain:
                return MentionType("outlet", "sources.outlet_work", "plural", domain)
        at = next((i for i in range(len(core_words) - 1, -1, -1) if core_words[i] in _NEWS_WORK), None)
        if at is not None and all(w.endswith(("ing", "ed")) for w in core_words[at + 1:]) and (
                set(words) & _NEWS_MARKS or (core_words[at].endswith("s") and all(
                    w in _REPORT_QUANTIFIERS for w in core_words[:at]))):
            # LABELLING.md: unnamed "reports" are `outlet` ("A news report", "reports emerging in the
            # news media", "Stories have emerged"); "the report", "fundraising reports" are texts.
            return MentionType("outlet", "sources.news_report", "plural", " ".join(content))
        at = next((i for i, w in enumerate(core_words[:-1]) if w in _OUTLET_HEAD_NOUNS), None)
        if at is not None and core[at][:1].islower() and all(t[:1].isupper() for t in core[at + 1:]):
            # "the Israeli newspaper Haaretz", "the tabloid Bild": the publication named after its kind.
            return MentionType("outlet", "sources.outlet_head", "plural", " ".join(core_words[at + 1:]))
        if len(core) >= 2 and (core_words[-1] in _OWN_WORDS or core_words[-1] in _AD_WORDS):
            # The possessor may stand before lower-case modifiers ("Sanders' fundraising email",
            # "her written statement", "the campaign's new ad").
            at = len(core) - 2
            while at > 0 and core[at][:1].islower() and not self._owner_word(core[at]):
                at -= 1
            if not self._owner_word(core[at]):
                at = len(core) - 2
            possessor, mark = split_possessive(core[at])
            if mark and (pronoun := self._pronoun(possessor)):
                return pronoun  # "her comments": she speaks
            if possessor.lower() in self._person_pronouns:
                return self._pronoun(possessor) or MentionType("pronoun", "sources.pronoun", "plural",
                                                                "their")
            if mark and possessor[:1].isupper():
                return self.classify(" ".join(core[:at] + [possessor]), officials=officials)
            if mark and possessor.lower() in self.institutions:
                # "the campaign's statement": the body speaks through it.
                return self.classify(" ".join(core[:at] + [possessor]), officials=officials)
        if core and (core_words[-1] in _OWN_WORDS - {"view", "views", "account", "version"}
                     or core_words[-1] in _AD_WORDS):
            # "a statement from the Clinton campaign", "a statement released by the White House": the
            # issuer speaks through its own statement (LABELLING.md).
            issuer = _ISSUER.match(head[head.find(core[-1]) + len(core[-1]):])
            if issuer and (by := self.classify(issuer.group(1), officials=officials)).type in {
                    "named_institution", "named_official", "named_person", "pronoun"}:
                return by
            if (not issuer and core_words[0] in {"the", "this", "that"} and 2 <= len(core) <= 4
                    and core_words[-1] in _DEFINITE_OWN_WORDS
                    and all(t[:1].islower() and not split_possessive(t)[1] for t in core[1:-1])):
                # "the statement said", "the written statement added": the statement an earlier
                # sentence gave a source ("X said in a statement"), that source speaking through it
                # (LABELLING.md); linked like a pronoun to the source cited last.
                return MentionType("pronoun", "sources.definite_statement", "", "words:" + core_words[-1])
        if core_words and (core_words[-1] in _AD_WORDS or core_words[-1] in _AD_VOICES
                           or core_words[-2:] == ["voice", "over"]
                           or (core_words[-1] == "voice" and set(words) & _AD_WORDS)):
            # "The ads ask", "a voice-over in the ad", "the ad's narrator": the sponsor speaks through
            # its ad; linked like a pronoun to the body cited last (a campaign, a super PAC).
            return MentionType("pronoun", "sources.sponsor_ad", "", "sponsor:" + core_words[-1])
        place = " ".join(content)
        if place in self.place_names or split_possessive(place)[0] in self.place_names:
            # "Moscow said", "Israel denied": a country or capital speaks for its government.
            return MentionType("named_institution", "sources.place_government", "plural",
                               split_possessive(place)[0])
        if self._group_named_as_organisation(tokens):
            return MentionType("named_institution", "sources.organisation_group_name", "plural",
                               " ".join(content))
        if "of" in core[1:-1]:
            noun = split_possessive(core[core.index("of") - 1])[0].lower()
            rest = [t for t in core[core.index("of") + 1:] if t.lower() != "the"]
            if (noun in self._body_or_text_heads and all(
                    t[:1].isupper() for t in rest)) or noun in self.documents:
                # "the Department of Justice", "a survey of Texas Republicans": the head noun is
                # before "of"; the capitalised words after it only name what it belongs to.
                core, core_words = core[:core.index("of")], core_words[:core.index("of")]
        if not apposed and self._definite_name(core):
            # "The Holocaust Memorial Museum", "the United States Special Operations Command": a
            # capitalised name under "the" names a body, never a person ("the Jane Doe" is no usage).
            return MentionType("named_institution", "sources.definite_name", "plural",
                               " ".join(content).lower())
        name = self._head_name(core) or apposed
        before_name = core[:len(core) - len(name)] if name else []
        if (len(before_name) >= 2 and before_name[-1].lower() in {"of", "for"}
                and before_name[-2][:1].isupper()):
            # "the Division of Gaming Enforcement", "Bank of America": a name after "of" names a body.
            return MentionType("named_institution", "sources.institution_name", "plural", " ".join(content))
        last = split_possessive(core[-1])[0].lower() if core else words[-1]
        organisations: frozenset[str] = getattr(officials, "organisations", frozenset())
        full = " ".join(name).lower()
        listed = " ".join(content).lower()
        if (name and (full in organisations or full in self.organisation_names)) or (
                len(content) >= 2 and split_possessive(listed)[0] in self.organisation_names):
            # "Judicial Watch": the article names its officers ("Judicial Watch president Tom Fitton").
            return MentionType("named_institution", "sources.organisation_name", "plural", full)
        if last in self.institutions and (len(core_words) > 1 or last in _BARE_BODIES) and not name:
            # The head noun decides: "the Obama administration", "the Clinton campaign".
            return MentionType("named_institution", "sources.institution_head", "plural", " ".join(content))
        if name and not self._has_phrase([n.lower() for n in name], self.institutions):
            return self._person(name, phrase, words, core_words, officials)
        if last in self.documents:
            # The head noun decides: "court filings" is a document, not the court.
            return MentionType("document", "sources.document_head", "", " ".join(content))
        bare = split_possessive(core[0])[0] if len(core) == 1 else ""
        if bare[:1].isupper() and not bare.isupper() and (
                bare.lower() in getattr(officials, "people", ()) or bare.lower() in officials):
            # "King said" where the article names "Rep. Pete King": a surname that is also a title or
            # a role noun, the article's person, not an unnamed king.
            return self._person([bare], phrase, words, core_words, officials)
        if last in self.unnamed or (last in self.title_words and last not in _PLACE_TITLE_PARTS):
            # "Mr. Sanders's aides", "a Clinton campaign official": described, not named; unless a full
            # name follows the role in the same phrase ("Clinton's chief pollster and strategist Joel
            # Benenson", "USA TODAY contributor and monetary historian David Marsh").
            cut = _ROLE_CUT.split(head.strip(), maxsplit=1)[0]
            rest = _WORDS.findall(cut)[len(core):]
            tail = self._name_run(rest)
            at = next((i for i, t in enumerate(rest) if tail and split_possessive(t)[0] == tail[0]), 0)
            between = rest[:at]
            # "former secretary of state Hillary Clinton", "chief of staff Denis McDonough": the
            # title runs on through "of" into a lower-case word; the name after it is the head.
            title_on = " ".join([core_words[-1]] + [t.lower() for t in between]) in self.titles
            if (len(tail) >= 2 and all(self._name_word(t) for t in tail) and between
                    and all(t[:1].islower() and (title_on or t.lower() not in _POST_MODIFIERS - {"and"})
                            for t in between)
                    and between[-1].lower() != "and"):
                return self._person(tail, phrase, words, core_words, officials)
            key = " ".join(w for w in core_words if w not in {"a", "an", "the", "one", "some"})
            number = _number(last)
            if (len(core) == 1 and core[0][:1].islower() and not number
                    and last in self.unnamed - self._unnamed_names):
                number = "n"  # a bare singular role noun ("serve as soldier, diplomat"): no one "he" is
            return MentionType("unnamed_source", "sources.unnamed_head", number, key)
        roles = _WORDS.findall(_ROLE_CUT.split(head.strip(), maxsplit=1)[0])
        tail = self._head_name(roles)
        lead = [t.lower() for t in roles[:len(roles) - len(tail)]]
        if (len(tail) >= 2 and lead and lead[-1] not in {"and", "or", "&"} and lead[-1] not in _PREPOSITIONS
                and all(t[:1].islower() for t in roles[1:len(lead)])):
            # "Real estate mogul and reality television star Donald Trump", "master of ceremonies
            # Asab Al-Tabchi": lower-case roles, then the full name they describe (the head phrase
            # was cut at "and" or "of", and no head noun this step knows was left). A name after a
            # preposition is its object, no one the words before describe ("its capital in Terre
            # Haute", "the two chief antagonists to Donald J. Trump").
            return self._person(tail, phrase, words, core_words, officials)
        forward = self._name_run(core)
        if forward and (forward[0].lower() in self.sentence_openers or (
                len(forward) == 1 and any(w in self.unnamed or w in self.institutions or w in self.documents
                                          for w in core_words[1:]))):
            # A word capitalised for opening the sentence ("His surrogates", "These latest wins"), or
            # one before a head noun that describes the speakers ("Local politicians", "Cement
            # makers"): no name.
            forward = []
        if forward and not self._has_phrase([n.lower() for n in forward], self.institutions) and not (
                set(words) & self.documents and not set(words) & self.titles):
            # No head noun this step knows: a name at the front still names the speaker ("Clinton
            # paused,", "Sanders started out ..." where the cited phrase ran on too far).
            return self._person(forward, phrase, words, core_words, officials)
        if self._has_phrase(core_words, self.institutions):
            return MentionType("named_institution", "sources.institution_head", "plural", " ".join(content))
        if self._has_phrase(core_words, self.documents) and not self._has_phrase(core_words, self.unnamed):
            return MentionType("document", "sources.document_head", "", " ".join(content))
        if self._has_phrase(core_words, self.unnamed) or self._has_phrase(core_words, self.titles):
            key = " ".join(w for w in core_words if w not in {"a", "an", "the", "one", "some"})
            return MentionType("unnamed_source", "sources.unnamed_descriptor", _number(core_words[-1]), key)
        plain = self._plain_words
        if any(t[:1].isupper() for t in core if t.lower() not in plain):
            return MentionType("named_institution", "sources.capitalised_name", "plural", " ".join(content))
        # No head noun this step knows: nothing a personal pronoun may refer back to.
        return MentionType("unnamed_source", "sources.fallback", "n", " ".join(content))
