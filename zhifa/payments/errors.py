"""Error codes of the payments app (shown the same in HTML and JSON)."""
from __future__ import annotations

import enum

from zhifa.common.errors import ZhifaError


class PaymentErrorCode(str, enum.Enum):
    INVALID_INPUT = "PAY_INVALID_INPUT"
    NOT_FOUND = "PAY_NOT_FOUND"
    PERMISSION_DENIED = "PAY_PERMISSION_DENIED"
    UNKNOWN_PAYMENT_CODE = "PAY_UNKNOWN_PAYMENT_CODE"
    BAD_SIGNATURE = "PAY_BAD_SIGNATURE"
    CALLBACK_CONFLICT = "PAY_CALLBACK_CONFLICT"
    CHANNEL_NOT_ALLOWED = "PAY_CHANNEL_NOT_ALLOWED"
    FISCAL_RECEIPT_REQUIRED = "PAY_FISCAL_RECEIPT_REQUIRED"
    DUPLICATE_NOTICE = "PAY_DUPLICATE_NOTICE"
    ALREADY_SETTLED = "PAY_ALREADY_SETTLED"
    NOTICE_CANCELLED = "PAY_NOTICE_CANCELLED"
    NO_OPEN_PAUSE = "PAY_NO_OPEN_PAUSE"
    PAUSE_OVERLAP = "PAY_PAUSE_OVERLAP"
    PLATFORM_UNAVAILABLE = "PAY_PLATFORM_UNAVAILABLE"
    NOT_CONFIGURED = "PAY_NOT_CONFIGURED"


def payment_error(code: PaymentErrorCode, message: str, *, field: str | None = None, rule: str | None = None, status: int = 400, **details) -> ZhifaError:
    return ZhifaError(code=code, message=message, field=field, rule=rule, status=status, details=details)


def not_found(what: str = "缴款通知") -> ZhifaError:
    """Objects outside the user's scope are reported as missing, so existence does not leak."""
    return payment_error(PaymentErrorCode.NOT_FOUND, f"{what}不存在或无权查看", status=404)
