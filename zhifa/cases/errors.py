"""Error codes of the case app (shown the same in HTML and JSON). A refused transition carries the
rule that forbids it in `rule` and all blocking findings in `details.findings`."""
from __future__ import annotations

import enum
from collections.abc import Sequence

from zhifa.common.errors import ZhifaError


class CaseErrorCode(str, enum.Enum):
    NOT_FOUND = "CASE_NOT_FOUND"
    PERMISSION_DENIED = "CASE_PERMISSION_DENIED"
    INVALID_INPUT = "CASE_INVALID_INPUT"
    WRONG_STATE = "CASE_WRONG_STATE"
    FORBIDDEN_BY_RULE = "CASE_FORBIDDEN_BY_RULE"
    CONFIG_MISSING = "CASE_CONFIG_MISSING"
    DEADLINE_PASSED = "CASE_DEADLINE_PASSED"


def case_error(code: CaseErrorCode, message: str, *, field: str | None = None, rule: str | None = None, status: int = 400, **details) -> ZhifaError:
    return ZhifaError(code=code, message=message, field=field, rule=rule, status=status, details=details)


def not_found(what: str = "案件") -> ZhifaError:
    """Objects outside the user's scope are reported as missing, so existence does not leak."""
    return case_error(CaseErrorCode.NOT_FOUND, f"{what}不存在或无权查看", status=404)


def refused(findings: Sequence) -> ZhifaError:
    """The first blocking finding names the rule; all of them travel in the details."""
    first = findings[0]
    message = "；".join(f"{f.message}（{f.rule}）" for f in findings)
    code = CaseErrorCode.CONFIG_MISSING if first.code == "CONFIG_MISSING" else CaseErrorCode.FORBIDDEN_BY_RULE
    return case_error(code, message, rule=first.rule, status=409,
                      findings=[{"rule": f.rule, "code": f.code, "message": f.message} for f in findings])
