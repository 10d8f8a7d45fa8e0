"""Reads of clues, reminders, triggers and complaints, always scoped to what the user may see.

Scoping reuses the subject register's rule (zhifa.subjects.selectors): staff see the objects of
their organisation subtree (resolved to a short list of organisation ids first), auditors and
system admins everything, an enterprise contact only the reminder-facing parts (reminders and
their answers) of the enterprises it holds a current authorisation for (SUB-17).
Statistics are aggregate queries (GROUP BY), never a Python loop over clues.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncMonth

from zhifa.accounts.access import sees_everything
from zhifa.accounts.choices import STAFF_ROLES, OrgKind, Role
from zhifa.accounts.models import Organisation
from zhifa.common.timeutil import SHANGHAI, today
from zhifa.subjects.selectors import contact_enterprise_ids, organisation_subtree_ids

from . import triage
from .choices import ACTIVE_STATUSES, ClueStatus, Owner, ReminderStatus
from .models import Clue, Complaint, Reminder, Scenario, Transfer, Trigger

UNTRANSFERRED_STATUSES = (ClueStatus.OPEN, ClueStatus.REMINDED, ClueStatus.ANSWERED)


def _staff_org_ids(user) -> list[int] | None:
    """Organisation ids of a staff member's subtree; None = every organisation (no filter needed)."""
    ids = organisation_subtree_ids(user.organisation)
    return None if len(ids) >= Organisation.objects.count() else ids


def is_staff_reader(user) -> bool:
    """Bureau users who may read clue internals (facts, timeline, transfers)."""
    return bool(getattr(user, "is_authenticated", False) and (sees_everything(user) or (user.role in STAFF_ROLES and user.organisation_id)))


def _org_scoped(qs: QuerySet, user, field: str) -> QuerySet:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    if sees_everything(user):
        return qs
    if user.role in STAFF_ROLES and user.organisation_id:
        ids = _staff_org_ids(user)
        return qs if ids is None else qs.filter(**{f"{field}__in": ids})
    return qs.none()


def clues_visible_to(user) -> QuerySet[Clue]:
    """Staff: clues of their organisation subtree; auditors/admins: all; an enterprise contact:
    the clues of its authorised enterprises that carry a reminder (only their reminder-facing
    parts are ever shown to it — views and API check `is_staff_reader`)."""
    qs = Clue.objects.all()
    if getattr(user, "is_authenticated", False) and user.is_active and user.role == Role.ENTERPRISE_CONTACT:
        return qs.filter(enterprise_id__in=contact_enterprise_ids(user)).filter(Exists(Reminder.objects.filter(clue=OuterRef("pk"))))
    return _org_scoped(qs, user, "organisation_id")


def clues_for_staff(user) -> QuerySet[Clue]:
    """Clues whose internals the user may read: none for enterprise contacts."""
    return clues_visible_to(user) if is_staff_reader(user) else Clue.objects.none()


def reminders_visible_to(user) -> QuerySet[Reminder]:
    """Reminders of visible clues; for an enterprise contact, those of its authorised enterprises."""
    qs = Reminder.objects.all()
    if getattr(user, "is_authenticated", False) and user.is_active and user.role == Role.ENTERPRISE_CONTACT:
        return qs.filter(clue__enterprise_id__in=contact_enterprise_ids(user))
    return _org_scoped(qs, user, "clue__organisation_id")


def triggers_visible_to(user) -> QuerySet[Trigger]:
    """Triggers of the user's organisation subtree (the enterprise's body, or the receiving
    organisation for an unknown subject). Enterprise contacts see none."""
    return _org_scoped(Trigger.objects.all(), user, "organisation_id")


def complaints_visible_to(user) -> QuerySet[Complaint]:
    return _org_scoped(Complaint.objects.all(), user, "trigger__organisation_id")


# --- inbox ----------------------------------------------------------------------------------------

DEADLINE_FILTERS = {
    "transfer_overdue": "移交已逾期",
    "transfer_pending": "待移交（有期限）",
    "reminder_pending": "提醒改正中",
    "reminder_overdue": "提醒已逾期未改正",
}


def filter_clues(
    qs: QuerySet[Clue],
    *,
    scenario: str = "",
    organisation: Organisation | None = None,
    status: str = "",
    severity: str = "",
    category: str = "",
    deadline: str = "",
    text: str = "",
    as_of: date | None = None,
) -> QuerySet[Clue]:
    """Inbox filters: scenario (rule id), district/organisation (its subtree), status, severity,
    category, deadline state and a text search (title, enterprise name, USCC prefix)."""
    as_of = as_of or today()
    if scenario:
        qs = qs.filter(rule_id=scenario)
    if organisation is not None:
        qs = qs.filter(organisation_id__in=organisation_subtree_ids(organisation))
    if status:
        qs = qs.filter(status=status)
    if severity:
        qs = qs.filter(severity=severity)
    if category:
        qs = qs.filter(category=category)
    if deadline == "transfer_overdue":
        qs = qs.filter(transfer_overdue_q(as_of))
    elif deadline == "transfer_pending":
        qs = qs.filter(transfer_due_on__isnull=False, status__in=UNTRANSFERRED_STATUSES, is_open=True)
    elif deadline == "reminder_pending":
        qs = qs.filter(Exists(Reminder.objects.filter(clue=OuterRef("pk"), status=ReminderStatus.PENDING, correction_due_on__gte=as_of)))
    elif deadline == "reminder_overdue":
        qs = qs.filter(Exists(Reminder.objects.filter(clue=OuterRef("pk"), status__in=[ReminderStatus.PENDING, ReminderStatus.NOT_CORRECTED], correction_due_on__lt=as_of)))
    text = (text or "").strip()
    if text:
        qs = qs.filter(Q(title__contains=text) | Q(enterprise__name__contains=text) | Q(enterprise__uscc__startswith=text.upper()))
    return qs


def transfer_overdue_q(as_of: date) -> Q:
    """CLU-X02: deadline passed, still with the supervision unit (triage.transfer_overdue in SQL)."""
    return Q(is_open=True, transfer_due_on__lt=as_of, status__in=UNTRANSFERRED_STATUSES)


def transfers_overdue(as_of: date | None = None, qs: QuerySet[Clue] | None = None) -> QuerySet[Clue]:
    """Clues whose CLU-X02 transfer deadline has passed without a transfer (dashboards)."""
    qs = Clue.objects.all() if qs is None else qs
    return qs.filter(transfer_overdue_q(as_of or today())).order_by("transfer_due_on", "pk")


def reminders_overdue(as_of: date | None = None, qs: QuerySet[Reminder] | None = None) -> QuerySet[Reminder]:
    """Reminders still waiting for correction after their deadline (triage.reminder_overdue in SQL)."""
    qs = Reminder.objects.all() if qs is None else qs
    return qs.filter(status=ReminderStatus.PENDING, correction_due_on__lt=as_of or today(), clue__is_open=True)


def counts_per_scenario(qs: QuerySet[Clue]) -> list[dict]:
    """[{rule_id, title, total, open}] for the inbox header — one GROUP BY query plus the titles."""
    rows = list(
        qs.order_by().values("rule_id").annotate(total=Count("pk"), open=Count("pk", filter=Q(status__in=ACTIVE_STATUSES))).order_by("rule_id")
    )
    titles = dict(Scenario.objects.order_by("code", "version").values_list("code", "title"))
    for row in rows:
        row["title"] = titles.get(row["rule_id"], TRIGGER_RULE_TITLES.get(row["rule_id"], ""))
    return rows


TRIGGER_RULE_TITLES = {"CLU-T01": "预警触发", "CLU-T02": "事件触发"}


def clue_timeline(clue: Clue):
    return clue.events.select_related("actor").order_by("at", "pk")


def latest_open_reminder(clue: Clue) -> Reminder | None:
    return clue.reminders.filter(status__in=[ReminderStatus.PENDING, ReminderStatus.ANSWERED]).order_by("-sent_at", "-pk").first()


# --- statistics -----------------------------------------------------------------------------------


@dataclass
class ClueStatistics:
    per_scenario: list[dict]
    per_district: list[dict]
    per_month: list[dict]
    per_scenario_district_month: list[dict]
    closed: int
    closed_non_site: int
    share_non_site: float | None
    overdue_transfers: int
    late_transfers: int
    transfers: int


def _district_of(org_id: int, orgs: dict[int, Organisation]) -> Organisation | None:
    """The district (区) an organisation belongs to: the DISTRICT node on its path (or itself);
    city-level organisations have none."""
    org = orgs.get(org_id)
    if org is None:
        return None
    for part in org.path.strip("/").split("/"):
        node = orgs.get(int(part)) if part else None
        if node is not None and node.kind == OrgKind.DISTRICT:
            return node
    return None


def _month_bounds(date_from: date | None, date_to: date | None) -> Q:
    q = Q()
    if date_from:
        q &= Q(detected_at__gte=datetime.combine(date_from, time.min, tzinfo=SHANGHAI))
    if date_to:
        q &= Q(detected_at__lt=datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=SHANGHAI))
    return q


def clue_statistics(qs: QuerySet[Clue], *, date_from: date | None = None, date_to: date | None = None, as_of: date | None = None) -> ClueStatistics:
    """Issue 4 item 6: clues per scenario, district and month; share handled non-site (closed as
    CORRECTED / DISMISSED / CONDITION_GONE without a transfer, among all closed clues — see
    triage.handled_non_site); overdue and late transfers. Aggregates only."""
    as_of = as_of or today()
    qs = qs.filter(_month_bounds(date_from, date_to)).order_by()
    month = TruncMonth("detected_at", tzinfo=SHANGHAI)
    grouped = list(qs.annotate(month=month).values("rule_id", "organisation_id", "month").annotate(n=Count("pk")))
    org_ids = {row["organisation_id"] for row in grouped}
    path_ids: set[int] = set(org_ids)
    paths = dict(Organisation.objects.filter(pk__in=org_ids).values_list("pk", "path"))
    for path in paths.values():
        path_ids.update(int(p) for p in path.strip("/").split("/") if p)
    orgs = {o.pk: o for o in Organisation.objects.filter(pk__in=path_ids)}
    titles = dict(Scenario.objects.order_by("code", "version").values_list("code", "title"))

    per_scenario: dict[str, int] = {}
    per_district: dict[int | None, int] = {}
    per_month: dict[str, int] = {}
    detail: dict[tuple[str, int | None, str], int] = {}
    for row in grouped:
        district = _district_of(row["organisation_id"], orgs)
        district_id = district.pk if district else None
        label = row["month"].astimezone(SHANGHAI).strftime("%Y-%m") if row["month"] else ""
        per_scenario[row["rule_id"]] = per_scenario.get(row["rule_id"], 0) + row["n"]
        per_district[district_id] = per_district.get(district_id, 0) + row["n"]
        per_month[label] = per_month.get(label, 0) + row["n"]
        key = (row["rule_id"], district_id, label)
        detail[key] = detail.get(key, 0) + row["n"]

    def district_name(pk):
        return orgs[pk].name if pk in orgs else "市级/未分区"

    transferred = Exists(Transfer.objects.filter(clue=OuterRef("pk")))
    closed = qs.filter(status=ClueStatus.CLOSED)
    closed_total = closed.count()
    non_site = closed.filter(close_reason__in=sorted(triage.NON_SITE_CLOSE_REASONS)).exclude(transferred).count()
    transfers = Transfer.objects.filter(clue__in=qs.values("pk"))
    return ClueStatistics(
        per_scenario=[{"rule_id": k, "title": titles.get(k, TRIGGER_RULE_TITLES.get(k, "")), "n": v} for k, v in sorted(per_scenario.items())],
        per_district=sorted(({"district_id": k, "district": district_name(k), "n": v} for k, v in per_district.items()), key=lambda r: (-r["n"], r["district"])),
        per_month=[{"month": k, "n": v} for k, v in sorted(per_month.items())],
        per_scenario_district_month=[
            {"rule_id": r, "district": district_name(d), "month": m, "n": n} for (r, d, m), n in sorted(detail.items(), key=lambda kv: (kv[0][2], kv[0][0], str(kv[0][1])))
        ],
        closed=closed_total,
        closed_non_site=non_site,
        share_non_site=triage.share(non_site, closed_total),
        overdue_transfers=qs.filter(transfer_overdue_q(as_of)).count(),
        late_transfers=transfers.filter(late=True).count(),
        transfers=transfers.count(),
    )


def owner_is_supervision(clue: Clue) -> bool:
    return clue.owner == Owner.SUPERVISION
