"""Reads of the publicity app: the public portal's queries and the officers' queue.

The public queries only ever read published, unexpired items (PUB-17: an item past its display
end is gone from the portal even before the daily expiry task runs) and never count the whole
result set: a page is fetched with one extra row to know whether another page exists, so a search
costs the same at 1,000 or 1,000,000 items when the index can serve the order.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, F, Q, QuerySet

from zhifa.accounts.access import org_scope_q
from zhifa.common.masking import mask_person_name, mask_phone
from zhifa.common.timeutil import today

from .choices import BEFORE_KINDS, OPEN_STATUSES, ItemKind, ItemStatus, RequestStatus
from .errors import PublicityErrorCode, pub_error
from .models import CorrectionRequest, PublicationItem

PER_PAGE = 20
MAX_PAGE = 500  # 10,000 results; deeper pages are refused with a clear message, not scanned
MAX_QUERY = 60
USCC_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{18}$")
DISTRICT_RE = re.compile(r"^\d{6}$")


def public_items(on: date | None = None) -> QuerySet[PublicationItem]:
    """Published items still within their display period (PUB-17, PUB-18)."""
    day = on or today()
    return PublicationItem.objects.filter(status=ItemStatus.PUBLISHED).filter(Q(expires_on__isnull=True) | Q(expires_on__gte=day))


@dataclass(frozen=True)
class PublicQuery:
    """A validated public search (bad input never reaches the database)."""

    q: str = ""
    kind: str = ""
    district: str = ""
    date_from: date | None = None
    date_to: date | None = None
    page: int = 1


def parse_public_query(params) -> PublicQuery:
    """Validate the portal's query string. Raises a 400 ZhifaError with a Chinese message."""
    def bad(message: str, field: str):
        return pub_error(PublicityErrorCode.INVALID_INPUT, message, field=field)

    q = "".join(ch for ch in str(params.get("q", "")) if ch.isprintable()).strip()
    if len(q) > MAX_QUERY:
        raise bad(f"检索词不能超过{MAX_QUERY}个字符", "q")
    kind = str(params.get("kind", "")).strip()
    if kind and kind not in ItemKind.values:
        raise bad("公示类别无效", "kind")
    district = str(params.get("district", "")).strip()
    if district and not DISTRICT_RE.match(district):
        raise bad("行政区划代码应为6位数字", "district")
    dates = {}
    for field in ("date_from", "date_to"):
        raw = str(params.get(field, "")).strip()
        if not raw:
            dates[field] = None
            continue
        try:
            dates[field] = date.fromisoformat(raw)
        except ValueError:
            raise bad("日期格式应为 YYYY-MM-DD", field) from None
        if not (date(2000, 1, 1) <= dates[field] <= date(2100, 12, 31)):
            raise bad("日期超出范围", field)
    if dates["date_from"] and dates["date_to"] and dates["date_from"] > dates["date_to"]:
        raise bad("起始日期不能晚于截止日期", "date_from")
    raw_page = str(params.get("page", "1")).strip() or "1"
    if not raw_page.isdigit() or len(raw_page) > 6:
        raise bad("页码应为正整数", "page")
    page = int(raw_page)
    if page < 1 or page > MAX_PAGE:
        raise bad(f"页码应在1到{MAX_PAGE}之间；结果较多时请增加检索条件", "page")
    return PublicQuery(q=q, kind=kind, district=district, page=page, **dates)


@dataclass(frozen=True)
class PublicPage:
    items: list
    page: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def public_search(query: PublicQuery, *, on: date | None = None, per_page: int = PER_PAGE) -> PublicPage:
    """Search by enterprise name or USCC, category, district and publication date, newest first.
    An 18-character code is looked up exactly; other text matches the title (which names the
    object of decision items)."""
    qs = public_items(on)
    if query.q:
        code = query.q.upper()
        qs = qs.filter(subject_code=code) if USCC_RE.match(code) else qs.filter(title__contains=query.q)
    if query.kind:
        qs = qs.filter(kind=query.kind)
    if query.district:
        qs = qs.filter(district_code=query.district)
    if query.date_from:
        qs = qs.filter(published_on__gte=query.date_from)
    if query.date_to:
        qs = qs.filter(published_on__lte=query.date_to)
    start = (query.page - 1) * per_page
    rows = list(qs.select_related("organisation").order_by("-published_on", "-id")[start:start + per_page + 1])
    return PublicPage(items=rows[:per_page], page=query.page, has_next=len(rows) > per_page)


def public_item(pk: int, on: date | None = None) -> PublicationItem | None:
    """An item the public may open: published and current, or withdrawn after publication (then
    only the withdrawal notice is shown, never the withdrawn content)."""
    visible = public_items(on) | PublicationItem.objects.filter(status=ItemStatus.WITHDRAWN, published_on__isnull=False)
    return visible.select_related("organisation").filter(pk=pk).first()


def public_withdrawn(*, page: int = 1, per_page: int = PER_PAGE) -> PublicPage:
    """PUB-14: decisions withdrawn after publication, with the public explanation."""
    start = (page - 1) * per_page
    rows = list(PublicationItem.objects.filter(status=ItemStatus.WITHDRAWN, published_on__isnull=False)
                .select_related("organisation").order_by("-withdrawn_at", "-id")[start:start + per_page + 1])
    return PublicPage(items=rows[:per_page], page=page, has_next=len(rows) > per_page)


def correction_request_by_code(code: str) -> CorrectionRequest | None:
    code = (code or "").strip().upper()
    if not re.fullmatch(r"[0-9A-F]{12}", code):
        return None
    return CorrectionRequest.objects.select_related("item").filter(code=code).first()


def requester_contact_masked(req: CorrectionRequest) -> str:
    """The requester's contact as officers see it by default (SEC-03); e-mail keeps its domain."""
    value = req.requester_contact
    if "@" in value:
        local, _, domain = value.partition("@")
        return (local[:1] + "***@" + domain) if local else value
    return mask_phone(value) if any(ch.isdigit() for ch in value) else mask_person_name(value)


# --- officers' queue (PUB-27, STA-11) ------------------------------------------------------------------

QUEUE_TABS = {
    "due": "待办（未到期）",
    "overdue": "已超期未公示",
    "review": "待审核",
    "approved": "待发布",
    "published": "公示中",
    "expiring": "30日内到期",
    "withdrawal": "待撤下",
    "withdrawn": "已撤下",
    "exempt": "不予公开",
    "corrections": "更正申请",
}


def items_for(actor) -> QuerySet[PublicationItem]:
    return PublicationItem.objects.filter(org_scope_q(actor))


def queue(actor, tab: str, *, on: date | None = None) -> QuerySet:
    """One tab of the publication queue, most urgent first."""
    day = on or today()
    items = items_for(actor).select_related("organisation")
    if tab == "due":
        return items.filter(status__in=OPEN_STATUSES, due_on__gte=day).order_by("due_on", "id")
    if tab == "overdue":
        return items.filter(status__in=OPEN_STATUSES, due_on__lt=day).order_by("due_on", "id")
    if tab == "review":
        return items.filter(status=ItemStatus.PENDING).order_by("due_on", "id")
    if tab == "approved":
        return items.filter(status=ItemStatus.APPROVED).order_by("due_on", "id")
    if tab == "published":
        return items.filter(status=ItemStatus.PUBLISHED).order_by("-published_on", "-id")
    if tab == "expiring":
        return items.filter(status=ItemStatus.PUBLISHED, expires_on__gte=day, expires_on__lte=day + timedelta(days=30)).order_by("expires_on", "id")
    if tab == "withdrawal":
        return items.filter(status=ItemStatus.PUBLISHED, withdrawal_due_on__isnull=False).order_by("withdrawal_due_on", "id")
    if tab == "withdrawn":
        return items.filter(status=ItemStatus.WITHDRAWN).order_by("-withdrawn_at", "-id")
    if tab == "exempt":
        return items.filter(status=ItemStatus.EXEMPT).order_by("-id")
    if tab == "corrections":
        return CorrectionRequest.objects.filter(org_scope_q(actor, "item__organisation")).select_related("item").order_by("status", "due_on", "id")
    raise pub_error(PublicityErrorCode.INVALID_INPUT, "未知的队列", field="tab")


def queue_counts(actor, *, on: date | None = None) -> dict[str, int]:
    return {tab: queue(actor, tab, on=on).count() for tab in QUEUE_TABS}


@dataclass(frozen=True)
class Compliance:
    """PUB-27 liability triggers for STA-11: what should be published but is not, what was late."""

    overdue_open: int
    published_late: int
    withdrawal_overdue: int
    withdrawn_late: int
    corrections_overdue: int
    corrections_late: int
    catalogue_missing: tuple[str, ...]

    @property
    def total(self) -> int:
        return (self.overdue_open + self.published_late + self.withdrawal_overdue + self.withdrawn_late + self.corrections_overdue
                + self.corrections_late + len(self.catalogue_missing))


def compliance(actor, *, on: date | None = None) -> Compliance:
    day = on or today()
    items = items_for(actor)
    requests = CorrectionRequest.objects.filter(org_scope_q(actor, "item__organisation"))
    return Compliance(
        overdue_open=items.filter(status__in=OPEN_STATUSES, due_on__lt=day).count(),
        published_late=items.filter(published_on__gt=F("due_on")).count(),
        withdrawal_overdue=items.filter(status=ItemStatus.PUBLISHED, withdrawal_due_on__lt=day).count(),
        withdrawn_late=items.filter(status=ItemStatus.WITHDRAWN, withdrawal_due_on__isnull=False, ended_on__gt=F("withdrawal_due_on")).count(),
        corrections_overdue=requests.filter(status=RequestStatus.RECEIVED, due_on__lt=day).count(),
        corrections_late=requests.exclude(status=RequestStatus.RECEIVED).filter(handled_at__date__gt=F("due_on")).count(),
        catalogue_missing=catalogue_gaps(items),
    )


# PUB-04: the pre-enforcement catalogue every enforcing unit must have published.
REQUIRED_CATALOGUE = (ItemKind.POWER_ITEM, ItemKind.SERVICE_GUIDE, ItemKind.RANDOM_CHECK_LIST, ItemKind.OFFICER_CREDENTIAL,
                      ItemKind.PENALTY_BASIS, ItemKind.DISCRETION_BENCHMARK)


def catalogue_gaps(items: QuerySet[PublicationItem]) -> tuple[str, ...]:
    """PUB-04, PUB-06, PUB-07: the catalogue kinds with nothing published (labels)."""
    have = set(items.filter(status=ItemStatus.PUBLISHED, kind__in=list(BEFORE_KINDS)).values_list("kind", flat=True).distinct())
    return tuple(ItemKind(k).label for k in REQUIRED_CATALOGUE if k not in have)


def kind_counts(actor) -> list[dict]:
    return list(items_for(actor).values("kind", "status").annotate(n=Count("id")).order_by("kind", "status"))
