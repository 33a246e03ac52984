"""Step 3: the sourcing type of one cited source mention, from rule data.

The tests run in a fixed order, first that applies wins (each names the rule that decided):
1. pronouns are typed later through their referent (`identity.py`); here they are `pronoun`;
2. second-source markers ("another source", "the second source")      -> second_source
3. an outlet name from data/outlets.csv, or an outlet head ("the paper") -> outlet
4. a person's name (capitalised run that is no institution or title)   -> named_official when a
   title or role word is in the phrase or the surname is a known public official, else named_person
5. an institution head ("the French presidency", "the Kremlin")        -> named_institution
6. a document head ("a leaked memo", "the poll")                       -> document
7. an unnamed descriptor ("a diplomatic source", "officials", "aides") -> unnamed_source
8. anything else capitalised -> named_institution (an organisation's name); otherwise unnamed_source
"""

from __future__ import annotations

import csv
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
# "Secretary of State Jon Husted", "Sen. Jane Doe": a capitalised title word right before a name.
_TITLED_NAME = regex.compile(r"\b(\p{Lu}[\p{L}.]+)\s+((?:\p{Lu}[\p{L}’'.\-]+\s+){0,2}\p{Lu}[\p{L}’'\-]+)")
# A capitalised run of two to four words: a candidate full name.
_PERSON_NAME = regex.compile(r"\b\p{Lu}[\p{Ll}’'\-]+(?:\s+\p{Lu}\.)?(?:[ \t]+\p{Lu}[\p{Ll}’'\-]+){1,2}\b")
# "Jon Husted, the Ohio secretary of state," / "Ban Ki-moon, secretary general of the UN,"
_APPOSITION_TITLE = regex.compile(
    r"\b(\p{Lu}[\p{L}’'\-]+(?:\s+\p{Lu}\.)?(?:\s+\p{Lu}[\p{L}’'\-]+){0,2}),\s+((?:the|a|an|who\s+is)?\s*[^,.;]{3,60})[,.;)]")


@dataclass(frozen=True)
class MentionType:
    type: str  # one of SOURCE_TYPES, or "pronoun"
    rule_id: str
    gender: str = ""  # "m", "f", "plural" or "" (unknown)
    key: str = ""  # what identity links on: surname, outlet domain, descriptor, institution name


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
        key = regex.sub(r"^[a-z]+://", "", key).split("/")[0]
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


class SourceTyper:
    def __init__(self, rules: RuleSet | None = None, names: RuleSet | None = None,
                 outlets: OutletTable | None = None) -> None:
        self.rules = rules or ruleset("sources")
        names = names or ruleset("names")
        lists = self.rules.lists
        self.titles = frozenset(lists["official_titles"])
        # Words of multi-word titles ("Prime Minister") are never part of a person's name.
        self.title_words = frozenset(w for t in self.titles for w in t.split())
        self.known_officials = frozenset(lists["known_officials"])
        self.unnamed = frozenset(lists["unnamed_heads"])
        self.institutions = frozenset(lists["institution_heads"])
        self.documents = frozenset(lists["document_heads"])
        self.outlet_heads = frozenset(lists["outlet_heads"])
        self.nationality = frozenset(lists["nationality_words"])
        self.male_pronouns = frozenset(lists["pronouns_male"])
        self.female_pronouns = frozenset(lists["pronouns_female"])
        self.plural_pronouns = frozenset(lists["pronouns_plural"])
        self.relative_pronouns = frozenset(lists["pronouns_relative"])
        self.other_pronouns = frozenset(lists["pronouns_other"])
        self.male_titles = frozenset(lists["titles_male"])
        self.female_titles = frozenset(lists["titles_female"])
        self.male_names = frozenset(names.lists.get("male", ()))
        self.female_names = frozenset(names.lists.get("female", ()))
        self.outlets = outlets or outlet_table()
        self._second = self.rules.get("sources.second_source")

    # -- helpers ---------------------------------------------------------------------------
    @staticmethod
    def _has_phrase(words: list[str], vocab: frozenset[str]) -> bool:
        joined = " " + " ".join(words) + " "
        return any(w in vocab for w in words) or any(" " in v and f" {v} " in joined for v in vocab)

    def _outlet_domain(self, phrase: str) -> str | None:
        bare = regex.sub(r"^(?:the|a|an)\s+", "", phrase.strip(), flags=regex.IGNORECASE)
        bare = split_possessive(bare)[0]
        for candidate in (phrase.strip(), bare, "the " + bare):
            domain = self.outlets.by_name.get(candidate.lower())
            if domain:
                return domain
        low = bare.lower()
        if regex.fullmatch(r"[\w\-]+\.(?:com|net|org|co\.uk|de|fr|eu|it|ru|ua)", low):
            return low
        return None

    def gender_of_name(self, words: list[str]) -> str:
        for w in words:
            if w in self.male_titles:
                return "m"
            if w in self.female_titles:
                return "f"
        for w in words:
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
                    and low not in self.unnamed
                    and low not in self.nationality
                    and low not in self.institutions and bare.lower() not in self.nationality
                    and low not in {"the", "a", "an", "former", "then", "new", "senior", "top", "u.s.",
                                    "democratic", "republican", "gop"}):
                run.append(bare)
            elif run and low in {"de", "van", "von", "al", "bin", "la", "le", "da", "di", "o'"}:
                run.append(tok)
            elif run:
                break  # a name ends where the capitalised run ends ("Jane Doe, a professor")
        return run

    # -- the classifier --------------------------------------------------------------------
    def article_officials(self, text: str) -> frozenset[str]:
        """Surnames the article itself introduces with an official title or role, anywhere in the text
        ("Ohio Secretary of State Jon Husted" makes a later "Husted" an official)."""
        found: set[str] = set()
        for m in _TITLED_NAME.finditer(text):
            title = m.group(1).lower()
            parts = set(title.split("-"))  # "Secretary-Treasurer"
            if title in self.titles or title.rstrip(".") in self.titles or parts & self.title_words:
                found.add(split_possessive(m.group(2).split()[-1])[0].lower())
        for m in _APPOSITION_TITLE.finditer(text):
            words = {p for w in _WORDS.findall(m.group(2)) for p in w.lower().split("-")}
            if words & self.titles or words & {"official", "spokesman", "spokeswoman", "spokesperson"}:
                found.add(split_possessive(m.group(1).split()[-1])[0].lower())
        return frozenset(found)

    def background_people(self, text: str, officials: frozenset[str]) -> list[tuple[int, int, MentionType]]:
        """People the article names anywhere: full names ("Jon Husted", "Sen. Jane Doe") typed as
        sources would be. They serve as antecedents for pronouns and surnames."""
        found = []
        for m in _PERSON_NAME.finditer(text):
            phrase = m.group(0)
            mt = self.classify(phrase, officials=officials)
            if mt.type in {"named_official", "named_person"} and (
                    len(phrase.split()) >= 2 and (mt.gender or mt.type == "named_official")):
                found.append((m.start(), m.end(), mt))
        return found

    def classify(self, phrase: str, head: str | None = None,
                 officials: frozenset[str] = frozenset()) -> MentionType:
        """The type of a source phrase. `head` is the naming part ("Jane Doe" of "Jane Doe, a
        professor,"); `officials` are surnames the article introduces with a title."""
        head = head or phrase
        tokens = _WORDS.findall(head)
        if not tokens:
            return MentionType("unnamed_source", "sources.empty")
        words = [t.lower() for t in tokens]
        if len(words) == 1 and (words[0] in self.male_pronouns | self.female_pronouns | self.plural_pronouns
                                | self.relative_pronouns | self.other_pronouns):
            w = words[0]
            gender = ("m" if w in self.male_pronouns else "f" if w in self.female_pronouns
                      else "plural" if w in self.plural_pronouns else "")
            return MentionType("pronoun", "sources.pronoun", gender, w)
        if any(True for _ in self._second.finditer(head)):
            return MentionType("second_source", self._second.id, "", "second source")
        if (len(words) <= 3 and words[0] in {"the", "this"} and words[-1] in self.title_words
                and not any(t[:1].isupper() for t in tokens[1:])):
            # "the senator", "the president": a definite title points back to a named official.
            return MentionType("pronoun", "sources.definite_title", "", "title:" + words[-1])
        domain = self._outlet_domain(phrase)
        if domain:
            return MentionType("outlet", "sources.outlet_name", "plural", domain)
        content = [w for w in words if w not in {"the", "a", "an"}]
        if content and " ".join(content) in self.outlet_heads or (
                len(content) <= 3 and content and content[-1] in {"newspaper", "paper", "magazine", "tabloid", "broadcaster"}):
            return MentionType("outlet", "sources.outlet_head", "plural", " ".join(content))
        name = self._name_run(tokens)
        capital_words = [t for t in tokens if t[:1].isupper()]
        if words[-1] in self.institutions and len(words) > 1:
            # The head noun decides: "the Obama administration", "the Clinton campaign".
            return MentionType("named_institution", "sources.institution_head", "plural",
                               " ".join(w for w in words if w not in {"the", "a", "an"}))
        if name and not self._has_phrase([n.lower() for n in name], self.institutions) and not (
                set(words) & self.documents and not set(words) & self.titles):
            surname = name[-1].lower()
            all_words = [w.lower() for w in _WORDS.findall(phrase)]
            role = self._has_phrase(all_words, self.titles) or surname in officials
            official = role or surname in self.known_officials
            gender = self.gender_of_name(words)
            rule = "sources.title_name" if role else ("sources.known_official" if official else "sources.person_name")
            return MentionType("named_official" if official else "named_person", rule, gender, surname)
        if words[-1] in self.documents and not self._has_phrase(words, self.unnamed):
            # The head noun decides: "court filings" is a document, not the court.
            return MentionType("document", "sources.document_head", "", " ".join(content))
        if self._has_phrase(words, self.institutions):
            key = " ".join(w for w in words if w not in {"the", "a", "an"})
            return MentionType("named_institution", "sources.institution_head", "plural", key)
        if self._has_phrase(words, self.documents) and not self._has_phrase(words, self.unnamed):
            return MentionType("document", "sources.document_head", "", " ".join(content))
        if self._has_phrase(words, self.unnamed) or self._has_phrase(words, self.titles):
            key = " ".join(w for w in words if w not in {"a", "an", "the", "one", "some"})
            plural = words[-1].endswith("s")
            return MentionType("unnamed_source", "sources.unnamed_descriptor", "plural" if plural else "", key)
        if capital_words:
            return MentionType("named_institution", "sources.capitalised_name", "plural", " ".join(content))
        return MentionType("unnamed_source", "sources.fallback", "", " ".join(content))
