"""Error codes of the documents app (shown the same in HTML and JSON)."""
from __future__ import annotations

import enum

from zhifa.common.errors import ZhifaError


class DocumentErrorCode(str, enum.Enum):
    UNKNOWN_KIND = "DOCUMENT_UNKNOWN_KIND"
    FIELD_MISSING = "DOCUMENT_FIELD_MISSING"
    FIELD_INVALID = "DOCUMENT_FIELD_INVALID"
    STATUTORY_TEXT_MISSING = "DOCUMENT_STATUTORY_TEXT_MISSING"
    TEMPLATE_MISSING = "DOCUMENT_TEMPLATE_MISSING"
    TEMPLATE_INVALID = "DOCUMENT_TEMPLATE_INVALID"
    RESOURCE_REFUSED = "DOCUMENT_RESOURCE_REFUSED"
    FONT_MISSING = "DOCUMENT_FONT_MISSING"
    RENDER_FAILED = "DOCUMENT_RENDER_FAILED"
    NOT_AN_ENFORCEMENT_BODY = "DOCUMENT_NOT_AN_ENFORCEMENT_BODY"
    REF_INVALID = "DOCUMENT_REF_INVALID"
    ENTERPRISE_UNKNOWN = "DOCUMENT_ENTERPRISE_UNKNOWN"
    SUPERSEDES_INVALID = "DOCUMENT_SUPERSEDES_INVALID"
    ALREADY_SUPERSEDED = "DOCUMENT_ALREADY_SUPERSEDED"
    PERMISSION_DENIED = "DOCUMENT_PERMISSION_DENIED"
    NOT_FOUND = "DOCUMENT_NOT_FOUND"
    FILE_MISSING = "DOCUMENT_FILE_MISSING"
    FILE_CORRUPT = "DOCUMENT_FILE_CORRUPT"


def document_error(code: DocumentErrorCode, message: str, *, field: str | None = None, rule: str | None = None, status: int = 400, **details) -> ZhifaError:
    return ZhifaError(code=code, message=message, field=field, rule=rule, status=status, details=details)


def not_found() -> ZhifaError:
    """Documents outside the user's scope are reported as missing, so existence does not leak."""
    return document_error(DocumentErrorCode.NOT_FOUND, "文书不存在或无权查看", status=404)
