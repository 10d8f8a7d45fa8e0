"""Helpers of the payments tests: issue a notice, build a signed platform callback, log in."""
from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.test import Client

from zhifa.common.timeutil import SHANGHAI, today
from zhifa.payments import platform, services

_refs = itertools.count(1)


@dataclass
class PayWorld:
    orgs: dict
    users: dict = field(default_factory=dict)
    enterprise: object = None
    other_enterprise: object = None


def issue(w: PayWorld, *, foreign: bool = False, **overrides):
    """A notice for the own (or foreign) enterprise, issued by an officer of its organisation."""
    enterprise = w.other_enterprise if foreign else w.enterprise
    values = {
        "ref": f"cases.Case:{next(_refs)}",
        "organisation": w.orgs["jingan"] if foreign else w.orgs["putuo"],
        "payer_name": enterprise.name,
        "payer_id_masked": enterprise.uscc,
        "enterprise_id": enterprise.pk,
        "amount": "10000.00",
        "due_on": today() + timedelta(days=15),
        "rate": "0.03",
        "cap_ratio": "1",
        "actor": w.users["foreign_officer" if foreign else "officer"],
        "decision_number": "沪普应急罚〔2026〕1号",
    }
    values.update(overrides)
    return services.payment_notice_issue(**values)


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=SHANGHAI)


def payload(notice, *, amount: str, paid_at: datetime, txn: str | None = None, channel: str = "E_PAY", receipt: str | None = "44010126-0000000001", **extra) -> dict:
    body = {
        "payment_code": notice.payment_code,
        "platform_ref": notice.platform_ref,
        "transaction_id": txn or f"TX{uuid.uuid4().hex[:16].upper()}",
        "amount": amount,
        "paid_at": paid_at.isoformat(),
        "channel": channel,
    }
    if receipt is not None:
        body["fiscal_receipt_no"] = receipt
    body.update(extra)
    return body


def signed(body: dict) -> tuple[dict, str]:
    return body, platform.sign(body)


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
