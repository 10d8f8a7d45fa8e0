"""What a case rule says about a proposed step: a `Finding` names the rule, a stable code and a
Chinese message; `blocking=False` marks a flag that must be shown (and usually explained) but does
not forbid the step (RULES §0.3: SHOULD-level rules warn, MUST-level rules block).

Bad input to a rule function (an unknown penalty type, a negative amount, an unscored discretion
dimension) raises `RuleInputError`: a `ZhifaError` (so views and the API show its Chinese message
with the rule, never a 500) that is also a `ValueError` (so plain callers may catch that).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from zhifa.common.errors import ZhifaError

RULE_INPUT_ERROR = "CASE_RULE_INVALID_INPUT"


@dataclass(frozen=True)
class Finding:
    """One rule's verdict on a step: blocking (MUST) or a flag to show and explain (SHOULD)."""

    rule: str
    code: str
    message: str
    blocking: bool = True

    def __str__(self) -> str:
        return f"{self.message}（{self.rule}）"


class RuleInputError(ZhifaError, ValueError):
    """Invalid input to a rule function, reported in Chinese with the rule concerned."""


def rule_input_error(message: str, *, rule: str, field: str | None = None) -> RuleInputError:
    return RuleInputError(code=RULE_INPUT_ERROR, message=message, rule=rule, field=field)


def blocking_only(findings: Iterable[Finding]) -> list[Finding]:
    """The findings that forbid the step."""
    return [f for f in findings if f.blocking]


def flags_only(findings: Iterable[Finding]) -> list[Finding]:
    """The non-blocking findings (to be shown and, where the rule says so, explained)."""
    return [f for f in findings if not f.blocking]
