"""HMAC signature of delivery reports posted by an SMS (or e-mail DSN) gateway.

The gateway signs the exact request body with the shared secret (settings.ZHIFA_SMS_REPORT_SECRET)
and sends `X-Zhifa-Signature: sha256=<hex of HMAC-SHA256(secret, body)>` (docs/notifications.md).
Pure functions; the comparison is constant-time.
"""
from __future__ import annotations

import hashlib
import hmac

SIGNATURE_HEADER = "X-Zhifa-Signature"
SCHEME = "sha256="


def report_signature(secret: str, body: bytes) -> str:
    """The header value a gateway sends for `body`."""
    return SCHEME + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def signature_valid(secret: str, body: bytes, header: str | None) -> bool:
    """True when `header` is the signature of `body` under `secret` (an empty secret accepts nothing)."""
    if not secret or not header:
        return False
    return hmac.compare_digest(report_signature(secret, body).encode("ascii"), header.strip().encode("ascii", "replace"))
