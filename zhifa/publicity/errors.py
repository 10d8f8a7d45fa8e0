"""Error codes of the publicity app (shown the same in HTML and JSON)."""
from __future__ import annotations

import enum

from zhifa.common.errors import ZhifaError


class PublicityErrorCode(str, enum.Enum):
    NOT_FOUND = "PUB_NOT_FOUND"
    PERMISSION_DENIED = "PUB_PERMISSION_DENIED"
    INVALID_INPUT = "PUB_INVALID_INPUT"
    WRONG_STATE = "PUB_WRONG_STATE"
    FORBIDDEN_BY_RULE = "PUB_FORBIDDEN_BY_RULE"
    PERSONAL_DATA = "PUB_PERSONAL_DATA"
    CONFIG_MISSING = "PUB_CONFIG_MISSING"


def pub_error(code: PublicityErrorCode, message: str, *, field: str | None = None, rule: str | None = None, status: int = 400) -> ZhifaError:
    return ZhifaError(code=code, message=message, field=field, rule=rule, status=status)


def not_found(what: str = "公示信息") -> ZhifaError:
    return pub_error(PublicityErrorCode.NOT_FOUND, f"{what}不存在或无权查看", status=404)
