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


@pytest.mark.parametrize("path", sorted(p for p in RULES_DIR.glob("*.yaml") if not p.name.endswith("_model.yaml")),
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
