"""Free text from requests, made safe to store."""
from __future__ import annotations

from typing import Any


def clean_text(value: Any, max_length: int) -> str:
    """Printable characters only (NUL would be a 500 on PostgreSQL), newlines and tabs kept, trimmed
    and bounded."""
    text = "" if value is None else str(value)
    return "".join(ch for ch in text if ch.isprintable() or ch in "\n\t").strip()[:max_length]
