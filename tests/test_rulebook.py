"""Rule files are validated when loaded; errors name the file, the rule and the problem."""

from __future__ import annotations

from pathlib import Path

import pytest
import regex

from scorer.errors import RuleError, RuleTimeout
from scorer.rulebook import RULES_DIR, Rule, load_ruleset, terms_pattern

BROKEN = Path(__file__).parent / "fixtures" / "broken_rules"


@pytest.mark.parametrize(("name", "fragments"), [
    ("unknown_key.yaml", ["unknown_key.yaml", "broken.typo", "unknown key", "pattren"]),
    ("bad_regex.yaml", ["bad_regex.yaml", "broken.regex", "bad regex"]),
    ("bad_example.yaml", ["bad_example.yaml", "broken.example", "does not match"]),
    ("duplicate_id.yaml", ["duplicate_id.yaml", "broken.dup", "duplicate id"]),
    ("unquoted_no.yaml", ["unquoted_no.yaml", "'words'", "quote it"]),
])
def test_broken_rule_files_are_named_errors(name: str, fragments: list[str]) -> None:
    with pytest.raises(RuleError) as info:
        load_ruleset(BROKEN / name)
    message = str(info.value)
    for fragment in fragments:
        assert fragment in message
    assert "\n" not in message


@pytest.mark.parametrize("path",
                         sorted(p for p in RULES_DIR.glob("*.yaml") if not p.name.endswith("_model.yaml")),
                         ids=lambda p: p.name)
def test_shipped_rule_files_load(path: Path) -> None:
    rules = load_ruleset(path)
    assert rules.rules or rules.lists


def test_terms_compile_to_one_bounded_alternation() -> None:
    pattern = regex.compile(terms_pattern(["would not necessarily", "would", "not"]), regex.IGNORECASE)
    assert [m.group() for m in pattern.finditer("It would not necessarily mean war; nothing would.")] == [
        "would not necessarily", "would"]


def test_pathological_pattern_times_out_with_rule_id(monkeypatch: pytest.MonkeyPatch) -> None:
    import scorer.rulebook as rb

    monkeypatch.setattr(rb, "REGEX_TIMEOUT_S", 0.05)
    evil = Rule("evil.backtrack", "x", regex.compile(r"(?:(?:a|aa)+)+$"), "(?:(?:a|aa)+)+$")
    with pytest.raises(RuleTimeout) as info:
        list(evil.finditer("a" * 5000 + "b"))
    assert "evil.backtrack" in str(info.value)


# --- find_all screens large rule groups with one alternation: it must equal running every rule ----

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from scorer.rulebook import RuleSet, _screen_groups, ruleset  # noqa: E402


def _per_rule(rules: RuleSet, text: str, pos: int, endpos: int) -> list[tuple[int, int, str, str]]:
    """The reference: every rule on its own, through Rule.finditer."""
    found = [m for rule in rules.rules for m in rule.finditer(text, pos, endpos)]
    return sorted((m.start, m.end, m.rule_id, m.text) for m in found)


def _combined(rules: RuleSet, text: str, pos: int, endpos: int) -> list[tuple[int, int, str, str]]:
    return sorted((m.start, m.end, m.rule_id, m.text) for m in rules.find_all(text, pos, endpos))


_SCREENED_FILES = ("contradictions", "stance", "hedges", "claims", "contest_cues", "attribution")


def _words_of(name: str) -> list[str]:
    rs = ruleset(name)
    words = {w for r in rs.rules for t in r.terms for w in t.split()}
    for r in rs.rules:
        words.update(regex.findall(r"[A-Za-z’']{2,}", r.source))
    return sorted(words)


_PIECES = sorted({w for name in _SCREENED_FILES for w in _words_of(name)}) + [
    " ", "  ", "\n", "\n\n", ".", ",", "-", "’", "'", "\"", "ß", "ﬁ", "SS", "İ", "(", ")", ":", "42", "%",
    # Characters whose lower case is not their simple case folding: literal anchors must not be
    # trusted on a text holding one ("ſ" matches "s", Kelvin "K" matches "k", "ı" upper-cases to "I").
    "ſ", "\u212a", "ı", "ς", "µ", "deſ", "\u212anow",
]


def _case(word: str, how: int) -> str:
    return (word, word.upper(), word.capitalize(), word.swapcase())[how]


@st.composite
def _texts(draw: st.DrawFn) -> tuple[str, int, int]:
    piece = st.tuples(st.sampled_from(_PIECES), st.integers(0, 3), st.sampled_from(["", " ", "  "]))
    pieces = draw(st.lists(piece, max_size=40))
    text = "".join(_case(p, how) + sep for p, how, sep in pieces)
    pos = draw(st.integers(0, len(text)))
    endpos = draw(st.integers(pos, len(text)))
    return text, pos, endpos


@pytest.mark.parametrize("name", _SCREENED_FILES)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=_texts())
def test_find_all_equals_every_rule_alone(name: str, case: tuple[str, int, int]) -> None:
    text, pos, endpos = case
    rules = ruleset(name)
    assert _combined(rules, text, pos, endpos) == _per_rule(rules, text, pos, endpos)


@pytest.mark.parametrize(("pattern", "ignorecase", "anchors"), [
    # An optional group gives nothing; a prefix and its branches join ("den" + "ied|ies|y").
    (r"\b(?:flatly\s+)?(?:denied|denies|deny)\b", True, ("denied", "denies", "deny")),
    (r"\bno\s+evidence\b|\bUnproven\b", True, ("evidence", "unproven")),  # a branch each
    (r"\bno\s+evidence\b|\bUnproven\b", False, ("Unproven", "evidence")),
    (r"(?:walk|walked)+\s+backing", True, ("backing",)),  # the longest sure literal wins
    (r"(?<=said\s)\w+", True, None),  # a lookbehind's literals lie outside the match
    (r"[A-Z]\w+\s+said", False, ("said",)),
    (r"(?i)Said", False, None),  # an inline (?i) in a case-sensitive rule
    (r"(?:said){e<=1}", True, None),  # fuzzy matching: `re` would read the braces as literals
    (r"\bdoubts?\s+(?:\w+\s+){0,2}?whether", True, ("whether",)),  # a counted repeat is no fuzzy one
    (r"\p{Lu}\w+", True, None),  # only the regex package can parse it
    (r"x?y*", True, None),
])
def test_literal_anchors_are_what_every_match_holds(pattern: str, ignorecase: bool,
                                                    anchors: tuple[str, ...] | None) -> None:
    from scorer.rulebook import literal_anchors

    assert literal_anchors(pattern, ignorecase) == anchors


def test_most_contradiction_rules_have_anchors() -> None:
    """The anchors are what makes find_all cheap on claims without a cue: keep them readable."""
    rules = ruleset("contradictions")
    assert len(rules.anchored) >= 0.75 * len(rules.rules)


def test_screen_groups_cover_every_rule_once() -> None:
    for path in sorted(RULES_DIR.glob("*.yaml")):
        if path.name.endswith("_model.yaml"):
            continue
        rules = load_ruleset(path)
        ids = [r.id for screen in rules.screens for r in screen.rules]
        assert sorted(ids) == sorted(r.id for r in rules.rules)


def test_screen_keeps_tricky_patterns_alone_and_finds_every_match() -> None:
    """Group references, flags set inside a pattern and lookbehind that sees before `pos`: such
    rules run alone; screened ones still see outside the window exactly as they do alone."""
    lines = ["schema: scorer.rules/1", "name: tricky", "rules:"]
    patterns = [r"(\w)\1", r"(?i)abc", r"(?<=x)yz", r"\bno\b", r"^start", r"end$", r"(?<![\w-])dé(?![\w-])",
                r"stra(?:ß|ss)e", r"(?=\w{3})fo", r"\Gab", r"k\b"]
    for i, p in enumerate(patterns):
        lines.append(f"  - id: r{i}\n    label: x\n    pattern: '{p}'")
    for i in range(8):
        lines.append(f"  - id: t{i}\n    label: x\n    terms: [word{i}, 'two words{i}']")
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "tricky.yaml"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        rules = load_ruleset(path)
    screened = {r.id for s in rules.screens if s.pattern is not None for r in s.rules}
    assert {"r0", "r1"}.isdisjoint(screened) and "t0" in screened and "r2" in screened
    assert [len(s.rules) for s in _screen_groups(rules.rules[:3])] == [3]  # too few: run alone
    for text in ["xyz aa ABC no start end word1 two  WORDS3 STRASSE Straße foo k", "ßword7 ﬁ two\nwords0 dé"]:
        for pos in range(len(text) + 1):
            for endpos in (pos, min(len(text), pos + 5), len(text)):
                assert _combined(rules, text, pos, endpos) == _per_rule(rules, text, pos, endpos)


_EVERY_RULE = [r for name in _SCREENED_FILES for r in ruleset(name).rules]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=_texts())
def test_match_at_is_the_first_finditer_match_at_pos(case: tuple[str, int, int]) -> None:
    text, pos, endpos = case
    for rule in _EVERY_RULE:
        first = next(rule.finditer(text, pos, endpos), None)
        want = first if first is not None and first.start == pos else None
        assert rule.match_at(text, pos, endpos) == want, rule.id


def test_match_at_skips_an_empty_match_like_finditer() -> None:
    rule = Rule("r", "x", regex.compile(r"(?=ab)|ab", regex.VERSION1), r"(?=ab)|ab")
    first = next(rule.finditer("abab"), None)
    assert rule.match_at("abab") == (first if first is not None and first.start == 0 else None)
    assert rule.match_at("xab") is None


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=_texts())
def test_found_in_says_whether_finditer_finds_anything(case: tuple[str, int, int]) -> None:
    text = case[0]
    for rule in _EVERY_RULE:
        assert rule.found_in(text) == (next(rule.finditer(text), None) is not None), rule.id


def test_found_in_looks_past_an_empty_first_match() -> None:
    rule = Rule("r", "x", regex.compile(r"(?=ab)|ab", regex.VERSION1), r"(?=ab)|ab")
    assert rule.found_in("xab") == (next(rule.finditer("xab"), None) is not None)
    assert Rule("r", "x", regex.compile(r"(?=ab)", regex.VERSION1), r"(?=ab)").found_in("xab") is False
    assert rule.found_in("xy") is False


def test_a_case_insensitive_rule_compiles_its_full_folding_pattern_only_when_a_text_needs_it(
        tmp_path: Path) -> None:
    path = tmp_path / "fold.yaml"
    path.write_text("schema: scorer.rules/1\nname: fold\nrules:\n"
                    "  - id: f.street\n    label: x\n    pattern: 'strasse'\n    examples: [STRASSE]\n"
                    "  - id: f.exact\n    label: x\n    pattern: 'Said'\n    case_sensitive: true\n",
                    encoding="utf-8")
    street, exact = load_ruleset(path).rules
    # Loading (its example included) ran the simple-folding variant alone.
    assert street.fast is not None and street.pattern is None
    assert [m.text for m in street.finditer("Strasse and STRASSE")] == ["Strasse", "STRASSE"]
    assert street.pattern is None
    # "ß" folds to "ss" only under full case folding: that text compiles the pattern, once.
    assert [m.text for m in street.finditer("die Straße")] == ["Straße"]
    assert street.pattern is not None and street.compiled is street.pattern
    # No simple-folding variant for a case-sensitive rule: its pattern is compiled when loaded.
    assert exact.fast is None and exact.pattern is not None


def test_a_rule_set_builds_its_all_rule_screens_only_when_a_text_needs_them() -> None:
    rules = load_ruleset(RULES_DIR / "hedges.yaml")
    rules.find_all("Officials said the plan may well fail, reportedly.")
    assert rules._screens is None
    # "İ" lower-cases to two characters: literal anchors cannot be trusted, every rule is screened.
    found = rules.find_all("İstanbul officials said the plan may fail.")
    assert rules._screens is not None and [m.text for m in found if m.text == "may"] == ["may"]


# --- YAML the safe loader would read silently otherwise ------------------------------------------

_HEADER = "schema: scorer.rules/1\nname: x\nlabels: [doubt]\n"


@pytest.mark.parametrize(("body", "fragments"), [
    # A second top-level `rules:` kept only the last one (29 rules of contradictions.yaml gone).
    ("rules:\n  - {id: a, label: doubt, terms: [doubts]}\nrules:\n  - {id: b, label: doubt, terms: [no]}\n",
     ["duplicate key 'rules' at line 6"]),
    ("rules:\n  - {id: a, label: doubt, terms: [doubts], attrs: {x: 1, x: 2}}\n",
     ["duplicate key 'x' at line 5"]),
    # A "billion laughs": nested aliases expand to gigabytes when a message or a rule reads them.
    ("lists:\n  l0: &l0 [a, a]\n  l1: &l1 [*l0, *l0]\nrules: []\n",
     ["alias", "line 5", "write the value out"]),
    ("rules: [\n", ["not valid YAML at line 5"]),
], ids=["duplicate top-level key", "duplicate attrs key", "alias", "syntax"])
def test_yaml_the_loader_would_misread_is_a_one_line_error(tmp_path: Path, body: str,
                                                           fragments: list[str]) -> None:
    path = tmp_path / "x.yaml"
    path.write_text(_HEADER + body, encoding="utf-8")
    with pytest.raises(RuleError) as info:
        load_ruleset(path)
    message = str(info.value)
    assert message.startswith(f"[E100] {path}: ") and "\n" not in message
    assert "<unicode string>" not in message
    for fragment in fragments:
        assert fragment in message, message


def test_no_shipped_rule_or_model_file_uses_anchors_or_aliases() -> None:
    import yaml

    for path in sorted(RULES_DIR.glob("*.yaml")):
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        events = yaml.parse(path.read_text(encoding="utf-8"), Loader=loader)
        assert not any(isinstance(e, yaml.AliasEvent) or getattr(e, "anchor", None) for e in events), path


# --- word lists: a missing or misspelt list is an error, not an empty list -----------------------

from scorer.rulebook import WORD_LISTS, WordLists  # noqa: E402


@pytest.mark.parametrize(("stem", "name"), [
    ("attribution", "speech_verbs"), ("attribution", "habitual_adverbs"), ("hedges", "negators"),
    ("sources", "poll_heads"),
])
def test_a_renamed_word_list_is_an_error_naming_file_and_list(tmp_path: Path, stem: str, name: str) -> None:
    text = (RULES_DIR / f"{stem}.yaml").read_text(encoding="utf-8")
    assert text.count(f"\n  {name}:") == 1
    path = tmp_path / f"{stem}.yaml"
    path.write_text(text.replace(f"\n  {name}:", f"\n  {name}x:"), encoding="utf-8")
    with pytest.raises(RuleError) as info:
        load_ruleset(path)
    message = str(info.value)
    assert str(path) in message and repr(name) in message and repr(name + "x") in message


def test_looking_up_a_list_a_file_lacks_names_the_file_and_the_list() -> None:
    lists = WordLists("rules/attribution.yaml", {"speech_verbs": ("say",)})
    assert lists["speech_verbs"] == ("say",) and "speech_verbs" in lists and "speach_verbs" not in lists
    for read in (lambda: lists["speach_verbs"], lambda: lists.get("speach_verbs", ())):
        with pytest.raises(RuleError, match=r"rules/attribution.yaml: no word list 'speach_verbs'"):
            read()


def test_every_word_list_the_code_reads_is_declared() -> None:
    # WORD_LISTS is what load_ruleset checks the shipped files against: a list read in the code but
    # not declared there would only fail on the first text that needs it.
    import re as re_

    declared = set().union(*WORD_LISTS.values())
    source_dir = Path(__file__).resolve().parents[1] / "scorer"
    read = set()
    for path in source_dir.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        read |= set(re_.findall(r"""(?:lists|src)\[["']([a-z_]+)["']\]""", source))
        read |= set(re_.findall(r"""\(["'][a-z]+["'], ["']([a-z_]+_verbs)["']\)""", source))  # verb_forms
        assert ".lists.get(" not in source and "lists.get(" not in source, path
    assert read and read <= declared, sorted(read - declared)


# --- the literal-anchor prefilter never keeps a rule from its own examples ------------------------

def _write_rules(tmp_path: Path, rules: str, stem: str = "x") -> Path:
    path = tmp_path / f"{stem}.yaml"
    path.write_text(_HEADER + "rules:\n" + rules, encoding="utf-8")
    return path


@pytest.mark.parametrize(("pattern", "example"), [
    (r"\b[[:upper:]]{4,}\b", "NATO doubts it"),          # `re` read the anchor "]" off it
    (r"\b[[:digit:]]+%", "up 40% on the year"),
    (r"\b[[a-z]&&[^aeiou]]enied\b", "they denied it"),   # a VERSION1 set intersection
])
def test_a_pattern_re_reads_otherwise_gets_no_anchor_and_fires(tmp_path: Path, pattern: str,
                                                                 example: str) -> None:
    import warnings

    from scorer.rulebook import literal_anchors

    body = (f"  - {{id: x.rule, label: doubt, case_sensitive: true, pattern: '{pattern}', "
            f"examples: ['{example}']}}\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no stray FutureWarning naming no rule
        rules = load_ruleset(_write_rules(tmp_path, body))
        assert literal_anchors(pattern, False) is None
    assert [m.rule_id for m in rules.find_all(example)] == ["x.rule"]


def test_an_example_the_anchors_would_skip_is_an_error(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import scorer.rulebook as rb

    monkeypatch.setattr(rb, "literal_anchors", lambda source, ignorecase: ("zzz",))  # read wrongly
    path = _write_rules(tmp_path,
                        "  - {id: x.rule, label: doubt, terms: [doubts], examples: ['she doubts it']}\n")
    with pytest.raises(RuleError, match=r"rule 'x.rule': example 'she doubts it' holds none of the literals"):
        load_ruleset(path)


# --- values of the wrong type, and messages that say what is wrong -------------------------------

@pytest.mark.parametrize(("stem", "rule", "fragment"), [
    ("x", "{id: x.r, label: doubt, terms: [doubts], case_sensitive: 'false'}",
     "'case_sensitive' must be true or false, not 'false'"),
    ("contradictions", "{id: x.r, label: doubt, terms: [doubts], attrs: {points_bak: true}}",
     "unknown attrs key 'points_bak'; allowed: ['names_claim', 'points_back', 'scope']"),
    ("contradictions", "{id: x.r, label: doubt, terms: [doubts], attrs: {points_back: 'true'}}",
     "attrs.points_back must be true or false (no quotes), not 'true'"),
    ("contradictions", "{id: x.r, label: doubt, terms: [doubts], attrs: {scope: after}}",
     "attrs.scope 'after' is not one of ['before']"),
    ("hedges", "{id: x.r, label: doubt, terms: [doubts], attrs: {definitonal: true}}",
     "unknown attrs key 'definitonal'"),
    ("x", "{id: [x.r], label: doubt, terms: [doubts]}", "'id' must be a non-empty string, not ['x.r']"),
    ("x", "{id: x.r, label: [doubt], terms: [doubts]}", "'label' must be a string, not ['doubt']"),
    ("x", "{id: x.r, label: doubt, terms: [doubts], examples: 'she doubts it'}",
     "'examples' must be a list of texts the rule matches, not a str"),
], ids=["case_sensitive string", "attrs typo", "attrs string", "attrs value", "hedge attrs typo", "id list",
        "label list", "examples string"])
def test_values_of_the_wrong_type_are_named_errors(tmp_path: Path, stem: str, rule: str,
                                                   fragment: str) -> None:
    text = _HEADER + "rules:\n  - " + rule + "\n"
    if stem != "x":  # a shipped file's name: its word lists are checked too
        lists = sorted(WORD_LISTS[stem])
        text += "lists:\n" + "".join(f"  {name}: [w]\n" for name in lists)
    path = tmp_path / f"{stem}.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleError) as info:
        load_ruleset(path)
    assert fragment in str(info.value) and str(path) in str(info.value), str(info.value)


def test_a_timeout_names_the_rule_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import scorer.rulebook as rb

    path = _write_rules(tmp_path, "  - {id: x.slow, label: doubt, pattern: '(?:\\w|\\w\\w)+$'}\n")
    rule = load_ruleset(path).get("x.slow")
    monkeypatch.setattr(rb, "REGEX_TIMEOUT_S", 0.01)
    with pytest.raises(RuleTimeout) as info:
        list(rule.finditer("a" * 60 + "!"))
    assert f"{path}: rule 'x.slow' ran past" in str(info.value)
