"""Writes of the notifications app: sending messages, recording delivery events, reading in the
inbox, and signing or revoking the consent to electronic service (送达地址确认书, SRV-02).

Every write runs in `transaction.atomic()` with a ledger entry (REC-16); every table is append-only.

Sending happens after commit, never inside the writing transaction (docs/notifications.md):
`notification_send` stores the message and its ledger entry, and registers the hand-over to the
channel with `transaction.on_commit`. So
- a message that leaves zhifa always has its record first: if the caller's transaction (say, a
  case step that serves a decision) rolls back, nothing is sent, and nothing is sent that zhifa
  has no record of;
- no database lock is held during SMTP or gateway I/O (on SQLite the write lock is global);
- the outcome is recorded in its own transaction as SENT (+ ARRIVED when the channel knows it)
  or FAILED with the channel's reason, so a failure is never lost either.
If the process dies between commit and hand-over, the message stays PENDING (visible in the staff
list) and `messages_dispatch_pending` (scheduled every few minutes, tasks.py) sends it: delivery
is at least once. Outside any transaction the hand-over runs as soon as `notification_send`'s own
block commits; in tests wrapped in a transaction use `django_capture_on_commit_callbacks(execute=True)`
or call `message_dispatch(message.pk)`.
"""
from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from zhifa.accounts.access import can_write, sees_everything
from zhifa.accounts.choices import STAFF_ROLES, Role
from zhifa.ledger.services import ledger_append
from zhifa.subjects.models import Enterprise
from zhifa.subjects.selectors import enterprises_visible_to

from . import rules, selectors, signals
from .channels import ChannelError, get_channel
from .choices import ChannelKind, DeliveryKind, DeliverySource, ReportStatus, SignatureMethod
from .errors import NotificationErrorCode, not_found, notify_error
from .models import Delivery, EServiceConsent, EServiceConsentRevocation, Message

log = logging.getLogger(__name__)

SENDER_ROLES = frozenset({*STAFF_ROLES, Role.SYSTEM_ADMIN})
# Staff who record a paper consent (or a written revocation) brought in by the party.
CONSENT_RECORDER_ROLES = frozenset({Role.OFFICER, Role.SUPERVISOR})
CLOCK_TOLERANCE = timedelta(minutes=5)
PENDING_GRACE = timedelta(minutes=2)
MAX_SUBJECT = 200
MAX_BODY = 20_000
MAX_ATTACHMENTS = 20
MAX_ID = 2**63 - 1
REF_RE = re.compile(r"[A-Za-z0-9_.:\-]{1,64}")
EVIDENCE_REF_RE = re.compile(r"[a-z_]{1,30}\.[A-Za-z]{1,40}:[1-9]\d{0,17}")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# --- helpers ------------------------------------------------------------------------------------


def _invalid(message: str, field: str | None = None, **kw) -> Exception:
    return notify_error(NotificationErrorCode.INVALID_INPUT, message, field=field, **kw)


def clean_text(value: Any, *, max_length: int, field: str, label: str, multiline: bool = False, required: bool = True) -> str:
    """Printable text (NUL would break PostgreSQL), trimmed and bounded, with a Chinese error."""
    text = "" if value is None else str(value)
    text = _CONTROL_RE.sub("", text).replace("\r\n", "\n").strip()
    if not multiline:
        text = " ".join(text.split())
    if required and not text:
        raise _invalid(f"{label}不能为空", field)
    if len(text) > max_length:
        raise _invalid(f"{label}不能超过{max_length}个字符", field)
    return text


def _clean_attachments(attachments: Iterable[Any]) -> list[int]:
    if isinstance(attachments, (str, bytes)) or attachments is None:
        raise _invalid("附件应为文书ID列表", "attachments")
    ids: list[int] = []
    for value in attachments:
        if isinstance(value, bool) or not isinstance(value, int) and not (isinstance(value, str) and value.isdigit()):
            raise _invalid("附件应为文书ID（正整数）", "attachments")
        number = int(value)
        if not 0 < number <= MAX_ID:
            raise _invalid("附件文书ID无效", "attachments")
        if number not in ids:
            ids.append(number)
    if len(ids) > MAX_ATTACHMENTS:
        raise _invalid(f"附件不能超过{MAX_ATTACHMENTS}个", "attachments")
    return ids


def _address_digest(address: str) -> str:
    return hashlib.sha256(address.encode("utf-8")).hexdigest()


def _check_sender(actor, enterprise: Enterprise | None) -> None:
    """Bureau staff (and scheduled system work, actor=None) send; enterprise contacts and auditors do not."""
    if actor is None:
        return
    if not can_write(actor) or not (actor.is_superuser or actor.role in SENDER_ROLES):
        raise notify_error(NotificationErrorCode.PERMISSION_DENIED, "您的角色无权发送通知或电子送达", status=403)
    if enterprise is not None and not sees_everything(actor) and not enterprises_visible_to(actor).filter(pk=enterprise.pk).exists():
        raise not_found("企业")


def _enterprise(enterprise_id) -> Enterprise | None:
    if enterprise_id in (None, ""):
        return None
    try:
        number = int(enterprise_id)
    except (TypeError, ValueError):
        raise _invalid("企业ID无效", "enterprise_id") from None
    enterprise = Enterprise.objects.filter(pk=number).select_related("organisation").first() if 0 < number <= MAX_ID else None
    if enterprise is None:
        raise not_found("企业")
    return enterprise


def _check_password(user, password: Any) -> None:
    """Re-entering the login password is the signature of a portal confirmation (SRV-02)."""
    if not password or not isinstance(password, str) or not user.check_password(password):
        raise notify_error(NotificationErrorCode.PASSWORD_INVALID, "登录密码不正确，未签署/撤回", field="password", status=400)


# --- sending --------------------------------------------------------------------------------------


def notification_send(
    *,
    channel: str,
    address: str,
    subject: str,
    body: str,
    actor,
    ref: str = "",
    enterprise_id: int | None = None,
    recipient=None,
    attachments: Iterable[int] = (),
    eservice: bool = False,
    party_name: str | None = None,
) -> Message:
    """Store a message (with its ledger entry) and hand it to its channel after commit.

    `eservice=True` marks a legal electronic service of a document (电子送达): it is refused unless
    the enterprise's active consent designates exactly this channel and address and was signed
    before now (SRV-02); the consent relied on is recorded on the message. The date of service is
    then `selectors.message_service_date(message)` — the arrival, not the sending (SRV-03).

    In-app messages go to the enterprise's portal inbox (or to `recipient` personally); their
    address is derived ("enterprise:<id>" / "user:<id>") and may be left empty.
    """
    if channel not in ChannelKind.values:
        raise notify_error(NotificationErrorCode.UNKNOWN_CHANNEL, "不支持的通知通道", field="channel")
    enterprise = _enterprise(enterprise_id)
    _check_sender(actor, enterprise)
    try:
        if channel == ChannelKind.IN_APP:
            expected = rules.in_app_address(enterprise_id=enterprise.pk if enterprise else None, user_id=getattr(recipient, "pk", None))
            if address and rules.normalise_address(channel, address) != expected:
                raise rules.AddressInvalid("站内消息地址与接收企业/用户不一致")
            address = expected
        else:
            address = rules.normalise_address(channel, address)
    except rules.AddressInvalid as exc:
        raise notify_error(NotificationErrorCode.INVALID_ADDRESS, str(exc), field="address") from None
    subject = clean_text(subject, max_length=MAX_SUBJECT, field="subject", label="标题")
    body = clean_text(body, max_length=MAX_BODY, field="body", label="正文", multiline=True)
    ref = "" if not ref else str(ref).strip()
    if ref and not REF_RE.fullmatch(ref):
        raise _invalid("关联对象格式无效（形如 cases.Case:12）", "ref")
    attachment_ids = _clean_attachments(attachments)
    if actor is not None and actor.organisation_id and actor.role in SENDER_ROLES:
        organisation_id = actor.organisation_id
    else:
        organisation_id = enterprise.organisation_id if enterprise else None

    with transaction.atomic():
        consent = None
        if eservice:
            # SRV-02: consent and a signed confirmation designating this channel, signed before sending.
            if enterprise is None:
                raise notify_error(NotificationErrorCode.CONSENT_MISSING, "电子送达须指定受送达企业", rule="SRV-02", field="enterprise_id")
            now = timezone.now()
            consent = selectors.active_consent(enterprise.pk, on=now, party_name=party_name)
            if consent is None:
                raise notify_error(
                    NotificationErrorCode.CONSENT_MISSING,
                    "受送达人未签署有效的送达地址确认书，不得电子送达（SRV-02）",
                    rule="SRV-02",
                    status=409,
                )
            if not rules.consent_covers(consent, channel, address, at=now):
                raise notify_error(
                    NotificationErrorCode.CONSENT_NOT_COVERING,
                    "送达地址确认书未指定该接收方式或地址，不得以此方式电子送达（SRV-02）",
                    rule="SRV-02",
                    field="address",
                    status=409,
                )
        message = Message.objects.create(
            channel=channel,
            address=address,
            recipient=recipient,
            enterprise=enterprise,
            organisation_id=organisation_id,
            subject=subject,
            body=body,
            attachments=attachment_ids,
            ref=ref,
            is_eservice=bool(eservice),
            consent=consent,
            created_by=actor,
            created_at=timezone.now(),
        )
        ledger_append(
            actor=actor,
            action="notifications.message.create",
            object_type="notifications.message",
            object_id=message.pk,
            payload={
                "channel": channel,
                "address_masked": rules.mask_address_for(channel, address),
                "address_sha256": _address_digest(address),
                "enterprise": enterprise.pk if enterprise else None,
                "recipient": getattr(recipient, "pk", None),
                "subject": subject,
                "body_sha256": hashlib.sha256(body.encode("utf-8")).hexdigest(),
                "attachments": attachment_ids,
                "ref": ref,
                "eservice": bool(eservice),
                "consent": consent.pk if consent else None,
            },
        )
        transaction.on_commit(partial(message_dispatch, message.pk), robust=True)
    return message


def message_dispatch(message_id: int) -> Message:
    """Hand a stored message to its channel once and record the outcome: SENT (and ARRIVED when
    the channel knows the arrival at once, SRV-03) or FAILED with the channel's reason.

    Runs outside the writing transaction (see the module docstring); a message that already has a
    SENT or FAILED event is left alone, so re-running is harmless.
    """
    message = Message.objects.get(pk=message_id)
    if Delivery.objects.filter(message=message, kind__in=[DeliveryKind.SENT, DeliveryKind.FAILED]).exists():
        return message
    try:
        result = get_channel(message.channel).send(message)
    except ChannelError as exc:
        _failed(message, timezone.now(), exc.message, source=DeliverySource.CHANNEL)
        return message
    except Exception as exc:  # any channel bug must still leave a FAILED record, never a lost message
        log.exception("notification channel %s failed for message %s", message.channel, message.pk)
        _failed(message, timezone.now(), f"通道内部错误：{exc.__class__.__name__}", source=DeliverySource.CHANNEL)
        return message
    with transaction.atomic():
        _record(message, DeliveryKind.SENT, result.sent_at, provider_ref=result.provider_ref, detail=result.detail, source=DeliverySource.CHANNEL)
        if result.arrived_at is not None:
            _record(message, DeliveryKind.ARRIVED, result.arrived_at, provider_ref=result.provider_ref, detail=result.detail, source=DeliverySource.CHANNEL)
    return message


def messages_dispatch_pending(*, older_than: timedelta = PENDING_GRACE, limit: int = 200) -> int:
    """Send messages stored but never handed over (the process died after commit). Returns the count."""
    cutoff = timezone.now() - older_than
    handled = Delivery.objects.filter(message=OuterRef("pk"), kind__in=[DeliveryKind.SENT, DeliveryKind.FAILED])
    pending = Message.objects.filter(created_at__lte=cutoff).exclude(Exists(handled)).order_by("created_at", "pk").values_list("pk", flat=True)[:limit]
    count = 0
    for pk in list(pending):
        message_dispatch(pk)
        count += 1
    return count


def _failed(message: Message, at: datetime, detail: str, *, source: str, provider_ref: str = "") -> tuple[Delivery, bool]:
    with transaction.atomic():
        return _record(message, DeliveryKind.FAILED, at, provider_ref=provider_ref, detail=detail, source=source)


def _record(
    message: Message, kind: str, occurred_at: datetime, *, provider_ref: str = "", detail: str = "", source: str, actor=None
) -> tuple[Delivery, bool]:
    """Append one delivery event with its ledger entry (inside the caller's atomic block); an event
    that exists already (replay, concurrent report) is returned instead, with created=False."""
    existing = _existing(message, kind, actor)
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            delivery = Delivery.objects.create(
                message=message, kind=kind, occurred_at=occurred_at, provider_ref=provider_ref[:200], detail=detail[:500], source=source, actor=actor
            )
    except IntegrityError:
        existing = _existing(message, kind, actor)
        if existing is None:
            raise
        return existing, False
    ledger_append(
        actor=actor,
        action=f"notifications.delivery.{kind.lower()}",
        object_type="notifications.message",
        object_id=message.pk,
        payload={"delivery": delivery.pk, "kind": kind, "occurred_at": occurred_at.isoformat(), "provider_ref": provider_ref, "source": source, "detail": detail},
    )
    if kind == DeliveryKind.ARRIVED:
        transaction.on_commit(partial(signals.message_arrived.send_robust, sender=Message, message=message, arrived_at=occurred_at))
    elif kind == DeliveryKind.FAILED:
        transaction.on_commit(partial(signals.message_failed.send_robust, sender=Message, message=message, detail=detail))
    return delivery, True


def _existing(message: Message, kind: str, actor) -> Delivery | None:
    qs = Delivery.objects.filter(message=message, kind=kind)
    if kind == DeliveryKind.READ:
        qs = qs.filter(actor=actor)
    return qs.first()


# --- delivery reports -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportOutcome:
    message: Message
    delivery: Delivery
    created: bool


def delivery_report_record(*, provider_ref: str, arrived_at: datetime | None, status: str, detail: str = "") -> ReportOutcome:
    """Record a gateway's delivery report for the message it sent as `provider_ref`.

    DELIVERED → an ARRIVED event at `arrived_at`, the time the message reached the recipient's
    designated system, which is the date of electronic service (SRV-03). FAILED → a FAILED event.
    Replaying the same report is idempotent (created=False); a report contradicting a recorded
    arrival is refused (409). Times must carry a zone, may not lie in the future or before the
    sending (beyond a few minutes of clock skew).
    """
    provider_ref = clean_text(provider_ref, max_length=200, field="provider_ref", label="通道编号")
    if status not in ReportStatus.values:
        raise _invalid("回执状态应为 DELIVERED 或 FAILED", "status")
    detail = clean_text(detail, max_length=500, field="detail", label="说明", required=False)
    sent = selectors.sent_event_for(provider_ref)
    if sent is None:
        raise notify_error(NotificationErrorCode.UNKNOWN_PROVIDER_REF, "没有以该通道编号发出的消息", field="provider_ref", status=404)
    message = sent.message
    now = timezone.now()
    if arrived_at is not None:
        if timezone.is_naive(arrived_at):
            raise _invalid("到达时间须带时区（如 2026-05-01T00:01:00+08:00）", "arrived_at")
        if arrived_at > now + CLOCK_TOLERANCE:
            raise _invalid("到达时间不能晚于当前时间", "arrived_at")
        if arrived_at < sent.occurred_at - CLOCK_TOLERANCE:
            raise _invalid("到达时间不能早于发送时间", "arrived_at")
    with transaction.atomic():
        events = {d.kind: d for d in Delivery.objects.filter(message=message, kind__in=[DeliveryKind.ARRIVED, DeliveryKind.FAILED])}
        if status == ReportStatus.DELIVERED:
            if arrived_at is None:
                raise _invalid("送达回执须包含到达时间", "arrived_at")
            arrived = events.get(DeliveryKind.ARRIVED)
            if arrived is not None:
                if arrived.occurred_at != arrived_at:
                    raise notify_error(NotificationErrorCode.REPORT_CONFLICT, "该消息已登记了不同的到达时间，回执未予采纳", rule="SRV-03", status=409)
                return ReportOutcome(message, arrived, False)
            delivery, created = _record(message, DeliveryKind.ARRIVED, arrived_at, provider_ref=provider_ref, detail=detail, source=DeliverySource.REPORT)
            return ReportOutcome(message, delivery, created)
        if DeliveryKind.ARRIVED in events:
            raise notify_error(NotificationErrorCode.REPORT_CONFLICT, "该消息已登记到达，不能再登记为送达失败", status=409)
        delivery, created = _record(
            message, DeliveryKind.FAILED, arrived_at or now, provider_ref=provider_ref, detail=detail or "网关报告送达失败", source=DeliverySource.REPORT
        )
        return ReportOutcome(message, delivery, created)


# --- inbox ---------------------------------------------------------------------------------------


def message_mark_read(*, message: Message, user) -> Delivery:
    """Record that `user` read an in-app message in the portal (a READ event; the message is not
    changed). Only a reader of the inbox holding the message may; reading twice records once.
    Reading does not affect the date of service, which is the arrival (SRV-03)."""
    if not user.is_authenticated or not selectors.inbox_for(user).filter(pk=message.pk).exists():
        raise not_found()
    with transaction.atomic():
        delivery, _ = _record(message, DeliveryKind.READ, timezone.now(), source=DeliverySource.PORTAL, actor=user)
    return delivery


# --- consent to electronic service (SRV-02) ------------------------------------------------------------


def eservice_consent_sign(
    *,
    enterprise_id: int,
    party_name: str,
    channels: Iterable[Mapping[str, Any]],
    user,
    password: str,
    method: str = SignatureMethod.PORTAL_CONFIRMATION,
    evidence_ref: str = "",
) -> EServiceConsent:
    """Sign a 送达地址确认书 (SRV-02): the party consents to electronic service and designates the
    receiving channels and addresses.

    PORTAL_CONFIRMATION: an authorised contact of the enterprise (SUB-17) confirms in the portal by
    re-entering their login password. UPLOADED_SIGNED_SCAN: an officer or supervisor in whose scope
    the enterprise lies records a paper confirmation signed and sealed by the party, naming its
    scan (`evidence_ref`, e.g. "evidence.EvidenceItem:5"), and confirms with their own password.
    The wording signed is stored with the consent; a newer consent supersedes older ones.
    """
    if not user.is_authenticated or not can_write(user):
        raise notify_error(NotificationErrorCode.PERMISSION_DENIED, "您的角色无权签署送达地址确认书", status=403)
    if method not in SignatureMethod.values:
        raise _invalid("签署方式无效", "method")
    enterprise = _enterprise(enterprise_id)
    if method == SignatureMethod.PORTAL_CONFIRMATION:
        if user.role != Role.ENTERPRISE_CONTACT:
            raise notify_error(NotificationErrorCode.PERMISSION_DENIED, "在线确认须由企业授权联系人本人办理", status=403, rule="SRV-02")
        if not enterprises_visible_to(user).filter(pk=enterprise.pk).exists():
            raise not_found("企业")
        evidence_ref = ""
    else:
        if user.role not in CONSENT_RECORDER_ROLES:
            raise notify_error(NotificationErrorCode.PERMISSION_DENIED, "只有执法人员或科室负责人可以登记纸质确认书", status=403)
        if not sees_everything(user) and not enterprises_visible_to(user).filter(pk=enterprise.pk).exists():
            raise not_found("企业")
        evidence_ref = (evidence_ref or "").strip()
        if not EVIDENCE_REF_RE.fullmatch(evidence_ref):
            raise notify_error(
                NotificationErrorCode.EVIDENCE_REQUIRED,
                "登记纸质确认书须关联签章扫描件（形如 evidence.EvidenceItem:5）",
                field="evidence_ref",
                rule="SRV-02",
            )
    party_name = clean_text(party_name, max_length=200, field="party_name", label="受送达人")
    try:
        designated = rules.normalise_consent_channels(list(channels or []), enterprise_id=enterprise.pk)
    except rules.AddressInvalid as exc:
        raise notify_error(NotificationErrorCode.INVALID_ADDRESS, str(exc), field="channels", rule="SRV-02") from None
    except TypeError:
        raise _invalid("接收方式格式无效", "channels") from None
    _check_password(user, password)
    statement = rules.consent_statement(party_name, designated)
    with transaction.atomic():
        consent = EServiceConsent.objects.create(
            enterprise=enterprise,
            party_name=party_name,
            channels=designated,
            statement=statement,
            method=method,
            evidence_ref=evidence_ref,
            signed_by=user,
            signed_at=timezone.now(),
        )
        ledger_append(
            actor=user,
            action="notifications.consent.sign",
            object_type="notifications.eserviceconsent",
            object_id=consent.pk,
            payload={
                "enterprise": enterprise.pk,
                "party_name": party_name,
                "channels": [{"channel": c["channel"], "address_masked": rules.mask_address_for(c["channel"], c["address"]),
                              "address_sha256": _address_digest(c["address"])} for c in designated],
                "method": method,
                "evidence_ref": evidence_ref,
                "statement_sha256": hashlib.sha256(statement.encode("utf-8")).hexdigest(),
            },
        )
    return consent


def eservice_consent_revoke(*, consent: EServiceConsent, user, password: str, reason: str = "") -> EServiceConsentRevocation:
    """Revoke a consent from now on (SRV-02): an authorised contact of the enterprise in the portal,
    or an officer/supervisor recording a written revocation (reason required). Messages that
    arrived before the revocation stay served; later electronic service is refused."""
    if not user.is_authenticated or not can_write(user):
        raise notify_error(NotificationErrorCode.PERMISSION_DENIED, "您的角色无权撤回送达地址确认书", status=403)
    if user.role == Role.ENTERPRISE_CONTACT:
        if not enterprises_visible_to(user).filter(pk=consent.enterprise_id).exists():
            raise not_found("送达地址确认书")
    elif user.role in CONSENT_RECORDER_ROLES:
        if not sees_everything(user) and not enterprises_visible_to(user).filter(pk=consent.enterprise_id).exists():
            raise not_found("送达地址确认书")
        if not (reason or "").strip():
            raise _invalid("登记书面撤回须填写原因（如“当事人书面撤回”）", "reason")
    else:
        raise notify_error(NotificationErrorCode.PERMISSION_DENIED, "您的角色无权撤回送达地址确认书", status=403)
    reason = clean_text(reason, max_length=500, field="reason", label="撤回原因", required=False)
    _check_password(user, password)
    with transaction.atomic():
        if EServiceConsentRevocation.objects.filter(consent=consent).exists():
            raise notify_error(NotificationErrorCode.ALREADY_REVOKED, "该确认书已撤回", status=409)
        try:
            with transaction.atomic():
                revocation = EServiceConsentRevocation.objects.create(consent=consent, revoked_by=user, revoked_at=timezone.now(), reason=reason)
        except IntegrityError:
            raise notify_error(NotificationErrorCode.ALREADY_REVOKED, "该确认书已撤回", status=409) from None
        ledger_append(
            actor=user,
            action="notifications.consent.revoke",
            object_type="notifications.eserviceconsent",
            object_id=consent.pk,
            payload={"revocation": revocation.pk, "reason": reason},
        )
    return revocation
