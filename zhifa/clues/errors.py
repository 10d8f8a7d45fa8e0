"""Error codes of the clue app (shown the same in HTML and JSON)."""
from __future__ import annotations

import enum

from zhifa.common.errors import ZhifaError


class ClueErrorCode(str, enum.Enum):
    # detection (engine, scenario pack)
    SCENARIO_INVALID = "CLUE_SCENARIO_INVALID"
    RUN_IN_PROGRESS = "CLUE_RUN_IN_PROGRESS"
    UNKNOWN_RULE = "CLUE_UNKNOWN_RULE"
    # triage, triggers and complaints (services.py)
    NOT_FOUND = "CLUE_NOT_FOUND"
    PERMISSION_DENIED = "CLUE_PERMISSION_DENIED"
    INVALID_INPUT = "CLUE_INVALID_INPUT"
    WRONG_STATE = "CLUE_WRONG_STATE"
    NOT_REMINDABLE = "CLUE_NOT_REMINDABLE"
    FACTS_REQUIRED = "CLUE_FACTS_REQUIRED"
    REASON_REQUIRED = "CLUE_REASON_REQUIRED"
    EDUCATION_REQUIRED = "CLUE_EDUCATION_REQUIRED"
    NOT_CORRECTED_IN_TIME = "CLUE_NOT_CORRECTED_IN_TIME"
    JUDICIAL_REQUIRED = "CLUE_JUDICIAL_TRANSFER_REQUIRED"
    NO_ENFORCEMENT_BODY = "CLUE_NO_ENFORCEMENT_BODY"
    SUBJECT_OUT_OF_SCOPE = "CLUE_SUBJECT_OUT_OF_SCOPE"
    UNKNOWN_SUBJECT = "CLUE_UNKNOWN_SUBJECT"
    COMPLAINT_NOT_CLOSABLE = "CLUE_COMPLAINT_NOT_CLOSABLE"
    REPORT_REQUIRED = "CLUE_VERIFICATION_REPORT_REQUIRED"
    SIGNOFF_NOT_ALLOWED = "CLUE_SIGNOFF_NOT_ALLOWED"


def clue_error(code: ClueErrorCode, message: str, *, field: str | None = None, rule: str | None = None, status: int = 400, **details) -> ZhifaError:
    return ZhifaError(code=code, message=message, field=field, rule=rule, status=status, details=details)


def not_found(what: str = "线索") -> ZhifaError:
    """Objects outside the user's scope are reported as missing, so existence does not leak."""
    return clue_error(ClueErrorCode.NOT_FOUND, f"{what}不存在或无权查看", status=404)
