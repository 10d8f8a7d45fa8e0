"""Reads of messages, inboxes and consents, always scoped to what the user may see.

- staff see the messages sent by their organisation subtree or addressed to enterprises in their
  scope; auditors and system admins see all;
- an enterprise contact's inbox holds the arrived in-app messages of the enterprises it holds a
  current authorisation for (SUB-17), plus those addressed to it personally.
"""
from __future__ import annotations

from datetime import date, datetime

from django.db.models import Exists, Min, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from zhifa.accounts.access import org_scope_q, sees_everything
from zhifa.accounts.choices import STAFF_ROLES
from zhifa.subjects import selectors as subject_selectors
from zhifa.subjects.selectors import enterprises_visible_to

from . import rules
from .choices import DeliveryKind, MessageStatus
from .models import Delivery, EServiceConsent, EServiceConsentRevocation, InboxItem, Message


def is_staff_reader(user) -> bool:
    return bool(user.is_authenticated and (sees_everything(user) or (user.role in STAFF_ROLES and user.organisation_id)))


def with_delivery_state(qs: QuerySet) -> QuerySet:
    """Annotate has_sent / has_arrived / has_failed / has_read and arrived_at (SRV-03) in one query."""
    events = Delivery.objects.filter(message=OuterRef("pk"))
    arrived = (
        Delivery.objects.filter(message=OuterRef("pk"), kind=DeliveryKind.ARRIVED)
        .values("message")
        .annotate(first=Min("occurred_at"))
        .values("first")
    )
    return qs.annotate(
        has_sent=Exists(events.filter(kind=DeliveryKind.SENT)),
        has_arrived=Exists(events.filter(kind=DeliveryKind.ARRIVED)),
        has_failed=Exists(events.filter(kind=DeliveryKind.FAILED)),
        has_read=Exists(events.filter(kind=DeliveryKind.READ)),
        arrived_at=Subquery(arrived[:1]),
    )


def annotated_status(message) -> MessageStatus:
    """Status of a message annotated by `with_delivery_state`."""
    kinds = [
        kind
        for kind, flag in (
            (DeliveryKind.SENT, "has_sent"),
            (DeliveryKind.ARRIVED, "has_arrived"),
            (DeliveryKind.FAILED, "has_failed"),
            (DeliveryKind.READ, "has_read"),
        )
        if getattr(message, flag, False)
    ]
    return rules.message_status(kinds)


def messages_for_staff(user) -> QuerySet[Message]:
    """Messages a staff member may see: sent by their organisation subtree or addressed to an
    enterprise in their scope (per-object access); everything for auditors and system admins."""
    if not user.is_authenticated:
        return Message.objects.none()
    if sees_everything(user):
        return Message.objects.all()
    if not is_staff_reader(user):
        return Message.objects.none()
    return Message.objects.filter(org_scope_q(user, "organisation") | Q(enterprise__in=enterprises_visible_to(user).values("pk")))


contact_enterprise_ids = subject_selectors.contact_enterprise_ids


def inbox_for(user) -> QuerySet[InboxItem]:
    """我的消息: arrived in-app messages of the user's enterprises, or addressed to the user."""
    if not user.is_authenticated:
        return InboxItem.objects.none()
    ids = contact_enterprise_ids(user)
    return InboxItem.objects.filter(Q(enterprise_id__in=ids) | Q(recipient=user))


def read_by(user) -> QuerySet[Delivery]:
    return Delivery.objects.filter(kind=DeliveryKind.READ, actor=user)


def message_events(message: Message) -> list[Delivery]:
    return list(Delivery.objects.filter(message=message).select_related("actor").order_by("occurred_at", "pk"))


def message_arrived_at(message: Message) -> datetime | None:
    """SRV-03: when the message reached the recipient's designated system (first ARRIVED event),
    or None while it has not — never the sending time."""
    return rules.arrival_from_events(Delivery.objects.filter(message=message, kind=DeliveryKind.ARRIVED).values_list("kind", "occurred_at"))


def message_service_date(message: Message) -> date | None:
    """SRV-03: the date of electronic service (Asia/Shanghai date of the arrival)."""
    return rules.service_date(message_arrived_at(message))


def message_status(message: Message) -> MessageStatus:
    return rules.message_status(Delivery.objects.filter(message=message).values_list("kind", flat=True))


def messages_for_ref(ref: str) -> QuerySet[Message]:
    """Messages about one object, e.g. messages_for_ref("cases.Case:12"), newest first."""
    return Message.objects.filter(ref=ref)


def sent_event_for(provider_ref: str) -> Delivery | None:
    """The SENT event carrying a channel's reference (delivery reports name it)."""
    if not provider_ref:
        return None
    return Delivery.objects.filter(kind=DeliveryKind.SENT, provider_ref=provider_ref).select_related("message").first()


def active_consent(enterprise_id: int, on: datetime | None = None, *, party_name: str | None = None) -> EServiceConsent | None:
    """The consent to electronic service in force for an enterprise at `on` (default: now), SRV-02.

    The latest consent signed at or before `on` whose revocation (if any) came after `on`; a newer
    consent supersedes an older one. `party_name` narrows to one party (一案双罚: the principal
    person is a separate party, HRG-03).
    """
    on = on or timezone.now()
    revoked_by_then = EServiceConsentRevocation.objects.filter(consent=OuterRef("pk"), revoked_at__lte=on)
    qs = EServiceConsent.objects.filter(enterprise_id=enterprise_id, signed_at__lte=on).exclude(Exists(revoked_by_then))
    if party_name:
        qs = qs.filter(party_name=party_name)
    return qs.select_related("revocation").order_by("-signed_at", "-pk").first()


def consents_of(enterprise_ids) -> QuerySet[EServiceConsent]:
    return EServiceConsent.objects.filter(enterprise_id__in=list(enterprise_ids)).select_related("enterprise", "signed_by", "revocation").order_by("-signed_at", "-pk")


def consents_for_staff(user) -> QuerySet[EServiceConsent]:
    if sees_everything(user):
        return EServiceConsent.objects.all()
    if not is_staff_reader(user):
        return EServiceConsent.objects.none()
    return EServiceConsent.objects.filter(enterprise__in=enterprises_visible_to(user).values("pk"))



def filter_by_status(qs: QuerySet, status: str) -> QuerySet:
    """Narrow a `with_delivery_state` queryset to one derived status (same precedence as rules.message_status)."""
    if status == MessageStatus.READ:
        return qs.filter(has_read=True)
    if status == MessageStatus.ARRIVED:
        return qs.filter(has_arrived=True, has_read=False)
    if status == MessageStatus.FAILED:
        return qs.filter(has_failed=True, has_arrived=False, has_read=False)
    if status == MessageStatus.SENT:
        return qs.filter(has_sent=True, has_failed=False, has_arrived=False, has_read=False)
    if status == MessageStatus.PENDING:
        return qs.filter(has_sent=False, has_failed=False, has_arrived=False, has_read=False)
    return qs
