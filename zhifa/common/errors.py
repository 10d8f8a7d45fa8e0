"""Structured errors shared by HTML and JSON (house style: error codes are an enum per app).

A service raises `ZhifaError(code, message, field=..., row=...)`. Views render the Chinese
`message`; the API returns `{"error": {"code": ..., "message": ..., "field": ..., "rule": ...}}`.
"""
from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass
from typing import Any


class CommonErrorCode(str, enum.Enum):
    INVALID_INPUT = "COMMON_INVALID_INPUT"
    NOT_FOUND = "COMMON_NOT_FOUND"
    PERMISSION_DENIED = "COMMON_PERMISSION_DENIED"
    NOT_AUTHENTICATED = "COMMON_NOT_AUTHENTICATED"
    READ_ONLY_ROLE = "COMMON_READ_ONLY_ROLE"
    CALENDAR_NOT_LOADED = "COMMON_CALENDAR_NOT_LOADED"
    RATE_LIMITED = "COMMON_RATE_LIMITED"
    SERVER_ERROR = "COMMON_SERVER_ERROR"


@dataclass
class ZhifaError(Exception):
    """A business error with a stable code, a Chinese message and optional location/rule."""

    code: str | enum.Enum
    message: str
    field: str | None = None
    rule: str | None = None
    details: dict[str, Any] = dataclasses.field(default_factory=dict)
    status: int = 400

    def __post_init__(self) -> None:
        super().__init__(self.message)

    @property
    def code_value(self) -> str:
        return self.code.value if isinstance(self.code, enum.Enum) else str(self.code)

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code_value, "message": self.message}
        if self.field:
            body["field"] = self.field
        if self.rule:
            body["rule"] = self.rule
        if self.details:
            body["details"] = self.details
        return body

    def __str__(self) -> str:
        return self.message
