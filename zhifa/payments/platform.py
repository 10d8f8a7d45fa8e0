"""The interface to the non-tax payment platform (非税收入缴款平台) and the callback contract.

罚缴分离 (PAY-02, APL art. 67): the authority decides, the platform collects. The authority sends a
bill and gets a payment code (缴款码); the party pays the platform (bank counter, online banking or
e-payment); the platform tells the authority through a signed HTTP callback
(`POST /api/v1/payments/callback/`, see services.payment_callback_record). The authority never
records a payment on its own say-so.

Services depend only on `PaymentPlatform`. `get_platform()` returns the implementation named in
`settings.ZHIFA_PAYMENT_PLATFORM`: the local simulator for development and tests
(simulator.LocalPlatformSimulator); a production adapter implements the same five methods against
the provincial platform's API (contract in docs/payments.md).
"""
from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol, runtime_checkable

from django.conf import settings
from django.utils.module_loading import import_string

SIGNATURE_HEADER = "X-Zhifa-Signature"
SIGNATURE_PREFIX = "sha256="
# Every field of a callback payload; all values are text (amounts as "1030.00", times ISO 8601
# with offset), so the canonical form is stable across JSON libraries.
CALLBACK_FIELDS = ("payment_code", "platform_ref", "transaction_id", "amount", "paid_at", "channel", "fiscal_receipt_no")


class PlatformError(Exception):
    """The platform could not be reached or refused a request; nothing was recorded."""


@dataclass(frozen=True)
class BillRequest:
    """What the authority sends to open a bill. `bill_key` is the idempotency key: sending the same
    key twice returns the same payment code (a retry after a timeout never opens a second bill)."""

    bill_key: uuid.UUID
    payee_name: str  # 执收单位 (the deciding authority)
    payee_code: str
    region: str  # first two digits of the administrative division code, "00" when unknown
    payer_name: str
    payer_id_masked: str
    fine: Decimal
    due_on: date
    late_fee_rate: Decimal
    late_fee_cap_ratio: Decimal
    decision_number: str = ""
    item: str = "罚没收入"


@dataclass(frozen=True)
class IssuedBill:
    """The platform's answer to `issue`: the payment code (缴款码) the party pays with and the
    platform's own reference."""

    payment_code: str
    platform_ref: str


@dataclass(frozen=True)
class PlatformPayment:
    transaction_id: str
    amount: Decimal
    paid_at: datetime
    channel: str
    fiscal_receipt_no: str


@dataclass(frozen=True)
class BillStatus:
    """The platform's view of a bill (for reconciliation): state is OPEN, PARTIAL, PAID or CANCELLED."""

    payment_code: str
    platform_ref: str
    state: str
    paid_total: Decimal
    payments: tuple[PlatformPayment, ...] = field(default_factory=tuple)


@runtime_checkable
class PaymentPlatform(Protocol):
    """The non-tax payment platform as the authority sees it. Implementations raise PlatformError."""

    name: str

    def issue(self, bill: BillRequest) -> IssuedBill:
        """Open a bill (idempotent on `bill.bill_key`) and return its payment code."""
        ...

    def query(self, payment_code: str) -> BillStatus:
        """The bill's state and the payments received (reconciliation)."""
        ...

    def cancel(self, payment_code: str, *, reason: str) -> None:
        """Close the bill so that it can no longer be paid."""
        ...

    def amend(self, payment_code: str, *, due_on: date, excluded: Sequence[tuple[date, date | None]]) -> None:
        """Tell the platform a new due date (PAY-05) or periods without surcharge (PAY-07; an open
        period has end None), so the amount it asks the payer for stays the authority's."""
        ...

    def payer_url(self, payment_code: str) -> str | None:
        """Where the party pays (the platform's page), or None when the platform has none."""
        ...


def get_platform() -> PaymentPlatform:
    """The configured platform (`settings.ZHIFA_PAYMENT_PLATFORM`, a dotted class path)."""
    return import_string(settings.ZHIFA_PAYMENT_PLATFORM)()


def callback_secret() -> bytes:
    secret = getattr(settings, "ZHIFA_PAYMENT_CALLBACK_SECRET", "") or ""
    return secret.encode("utf-8")


def canonical_body(payload: Mapping[str, Any]) -> bytes:
    """The bytes a callback signature covers: the payload as JSON with sorted keys, no spaces and
    UTF-8 text (ensure_ascii off). The platform sends exactly these bytes as the request body."""
    return json.dumps(dict(payload), sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def sign(payload: Mapping[str, Any], secret: bytes | None = None) -> str:
    """`sha256=<hex>`: HMAC-SHA256 of the canonical body with the shared callback secret."""
    key = callback_secret() if secret is None else secret
    return SIGNATURE_PREFIX + hmac.new(key, canonical_body(payload), hashlib.sha256).hexdigest()


def signature_valid(payload: Mapping[str, Any], signature: str, secret: bytes | None = None) -> bool:
    """Constant-time check of a callback signature (with or without the `sha256=` prefix).
    An empty secret verifies nothing: callbacks are refused until one is configured."""
    key = callback_secret() if secret is None else secret
    if not key or not isinstance(signature, str):
        return False
    given = signature.strip()
    if given.startswith(SIGNATURE_PREFIX):
        given = given[len(SIGNATURE_PREFIX):]
    expected = hmac.new(key, canonical_body(payload), hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode("ascii"), given.lower().encode("utf-8", "replace"))
