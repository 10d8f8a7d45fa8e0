"""Error codes of the rulesets app (shown the same in HTML and JSON)."""
from __future__ import annotations

import enum

from zhifa.common.errors import ZhifaError


class RulesetErrorCode(str, enum.Enum):
    INVALID_PACK = "RULESET_INVALID_PACK"
    NOT_CONFIGURED = "RULESET_NOT_CONFIGURED"
    CONFLICT = "RULESET_CONFLICT"
    UNKNOWN_JURISDICTION = "RULESET_UNKNOWN_JURISDICTION"


class PackValidationError(ZhifaError):
    """One or more rule packs are invalid (JUR-01). `details["problems"]` lists every problem."""

    @classmethod
    def from_problems(cls, problems: list[str]) -> PackValidationError:
        text = "规则包校验失败：\n" + "\n".join(f"- {p}" for p in problems)
        return cls(code=RulesetErrorCode.INVALID_PACK, message=text, details={"problems": list(problems)}, status=400)

    @property
    def problems(self) -> list[str]:
        return list(self.details.get("problems", []))


class RuleNotConfigured(ZhifaError):
    """A parameter has no configured value for the jurisdiction and date — never a silent default
    (AMB-19, HRG-02: the caller blocks the step with CONFIG_MISSING)."""

    @classmethod
    def make(cls, message: str, *, key: str, jurisdiction: str, on_date, kind: str | None = None,
             code: RulesetErrorCode = RulesetErrorCode.NOT_CONFIGURED) -> RuleNotConfigured:
        return cls(
            code=code,
            message=message,
            rule="JUR-01",
            details={"key": key, "jurisdiction": jurisdiction, "on_date": str(on_date), "kind": kind},
            status=409,
        )

    @property
    def key(self) -> str:
        return self.details.get("key", "")


class RuleConflict(RuleNotConfigured):
    """Candidate values cannot be compared (e.g. 3 WD against 5 CD): a pack author must decide."""
