"""Error codes of the notifications app (shown the same in HTML and JSON)."""
from __future__ import annotations

import enum

from zhifa.common.errors import ZhifaError


class NotificationErrorCode(str, enum.Enum):
    INVALID_INPUT = "NOTIFY_INVALID_INPUT"
    INVALID_ADDRESS = "NOTIFY_INVALID_ADDRESS"
    UNKNOWN_CHANNEL = "NOTIFY_UNKNOWN_CHANNEL"
    PERMISSION_DENIED = "NOTIFY_PERMISSION_DENIED"
    NOT_FOUND = "NOTIFY_NOT_FOUND"
    CONSENT_MISSING = "NOTIFY_ESERVICE_CONSENT_MISSING"
    CONSENT_NOT_COVERING = "NOTIFY_ESERVICE_CONSENT_NOT_COVERING"
    PASSWORD_INVALID = "NOTIFY_PASSWORD_INVALID"
    EVIDENCE_REQUIRED = "NOTIFY_SIGNED_SCAN_REQUIRED"
    ALREADY_REVOKED = "NOTIFY_CONSENT_ALREADY_REVOKED"
    SIGNATURE_INVALID = "NOTIFY_REPORT_SIGNATURE_INVALID"
    UNKNOWN_PROVIDER_REF = "NOTIFY_UNKNOWN_PROVIDER_REF"
    REPORT_CONFLICT = "NOTIFY_REPORT_CONFLICT"


def notify_error(code: NotificationErrorCode, message: str, *, field: str | None = None, rule: str | None = None, status: int = 400, **details) -> ZhifaError:
    return ZhifaError(code=code, message=message, field=field, rule=rule, status=status, details=details)


def not_found(what: str = "消息") -> ZhifaError:
    """Objects outside the user's scope are reported as missing, so existence does not leak."""
    return notify_error(NotificationErrorCode.NOT_FOUND, f"{what}不存在或无权查看", status=404)
