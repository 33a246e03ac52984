"""Errors the scorer raises on purpose, each with a stable code and a one-line message.

Messages name the input and the fix, so the CLI can print them as they are and exit non-zero.
"""

from __future__ import annotations

# The fix every "not UTF-8" message names.
CONVERT_TO_UTF8 = "convert it, e.g. `iconv -f latin1 -t utf-8`"


class ScorerError(Exception):
    """Base class: an error the user can act on. `code` is stable across releases."""

    code = "E000"
    exit_code = 1

    def __str__(self) -> str:
        return f"[{self.code}] {super().__str__()}"


class RuleError(ScorerError):
    """A rule or model file is malformed: the message names the file, the rule id and the problem."""

    code = "E100"


class RuleTimeout(ScorerError):
    """A rule's regex ran past its time limit on some text."""

    code = "E101"


class InputError(ScorerError):
    """An input file or column cannot be used as given."""

    code = "E200"


class DataMissing(ScorerError):
    """Reference data under ../shared/data is not where it should be."""

    code = "E300"


class UnknownSplit(InputError):
    """A split the data does not hold was asked for: a usage error, so the CLI exits 2."""

    code = "E201"
    exit_code = 2
