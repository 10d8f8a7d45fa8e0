"""Pages of the subject register: the home page, the enterprise list and the enterprise detail.

Views only parse input, check access and call selectors/services. Every query is scoped by
`enterprises_visible_to` / `licences_visible_to` (per-object access); an object outside the user's scope is a 404,
never a 403, so that its existence does not leak.
"""
from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta
from functools import cached_property

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from zhifa.access.views import is_refusal as is_access_refusal
from zhifa.access.views import render_refusal as render_access_refusal
from zhifa.accounts.access import can_write, sees_everything
from zhifa.accounts.choices import STAFF_ROLES, Role
from zhifa.accounts.models import Organisation
from zhifa.common.errors import ZhifaError
from zhifa.common.ids import normalize_uscc
from zhifa.common.timeutil import today

from .choices import ApplicationStatus, DataSource, Industry, LicenceStatus, LicenceType, PersonRole
from .models import ContactAuthorisation, Enterprise, EnterprisePerson, Licence, LicenceApplication, Person
from .selectors import (
    EXPIRING_WITHIN_DAYS,
    enterprises_visible_to,
    filter_by_licence_state,
    licence_state,
    licences_visible_to,
    organisation_subtree_ids,
    search_enterprises,
)
from .services import REVEAL_ROLES, REVEALABLE_FIELDS, person_reveal_field

PAGE_SIZE = 50
# The list counts at most this many matches and offers at most this many rows (200 pages):
# an exact COUNT(*) over a million enterprises on every page view is avoidable work, and
# nobody pages beyond this; they narrow the filters instead.
LIST_COUNT_CAP = 10_000
# A name search reads every row it counts (substring match, no index), so it counts less.
SEARCH_COUNT_CAP = 1_000
DETAIL_ROWS = 50
HOME_SOONEST = 10
# Below this many enterprises the home page reads the scope's licences directly (see _soonest_expiring).
SMALL_SCOPE = 20_000

LICENCE_STATE_LABELS = {
    "EXPIRED": "已过期",
    "EXPIRING": "即将到期",
    "VALID": "有效",
}
LICENCE_FILTER_CHOICES = [
    ("", "全部"),
    ("EXPIRED", "有已过期证照"),
    ("EXPIRING", f"有{EXPIRING_WITHIN_DAYS}天内到期证照"),
    ("VALID", "证照均有效"),
    ("NONE", "无证照"),
]
SORT_CHOICES = [
    ("name", "按名称升序"),
    ("-name", "按名称降序"),
    ("uscc", "按统一社会信用代码升序"),
    ("-uscc", "按统一社会信用代码降序"),
]
SORT_ORDER = {
    "name": ("name", "pk"),
    "-name": ("-name", "-pk"),
    "uscc": ("uscc",),
    "-uscc": ("-uscc",),
}


# --- helpers -------------------------------------------------------------------------------


def _is_contact(user) -> bool:
    return user.role == Role.ENTERPRISE_CONTACT and not user.is_superuser


def _can_reveal(user) -> bool:
    """Only bureau staff (and system admins) get the reveal button (SEC-03); never auditors or contacts."""
    return can_write(user) and user.role in REVEAL_ROLES


def _valid_licences(qs: QuerySet[Licence]) -> QuerySet[Licence]:
    return qs.filter(status=LicenceStatus.VALID)


def _soonest_expiring(qs: QuerySet[Licence], day, limit: int, *, small_scope: bool) -> list[Licence]:
    """The `limit` valid licences expiring soonest (from `day` on).

    A small scope (few enterprises) is best served by one query driven from its enterprises.
    For a large scope, one query per licence type walks the (licence_type, valid_to) index in
    date order and stops after `limit` rows in scope; a single query over all types would sort
    every unexpired licence of the scope first.
    """
    base = _valid_licences(qs).filter(valid_to__gte=day).select_related("enterprise")
    if small_scope:
        return list(base.order_by("valid_to", "pk")[:limit])
    rows: list[Licence] = []
    for licence_type in LicenceType.values:
        rows.extend(base.filter(licence_type=licence_type).order_by("valid_to", "pk")[:limit])
    rows.sort(key=lambda lic: (lic.valid_to, lic.pk))
    return rows[:limit]


def _state_badge(licence: Licence, on) -> dict:
    """Badge of one licence: state code, Chinese label and CSS class."""
    state = licence_state(licence, on)
    if state == "INACTIVE":
        return {"state": state, "label": licence.get_status_display(), "css": "inactive"}
    return {"state": state, "label": LICENCE_STATE_LABELS[state], "css": state.lower()}


def _annotate_licences(licences, on) -> list[Licence]:
    rows = list(licences)
    for lic in rows:
        lic.badge = _state_badge(lic, on)
    return rows


class CappedPaginator(Paginator):
    """A paginator whose count stops at `cap` (one bounded COUNT over a LIMIT subquery).

    `capped` says whether more rows matched than are offered; `known_capped` passes that fact
    in when the rows were already cut to the cap before pagination.
    """

    def __init__(self, object_list, per_page, cap: int, known_capped: bool = False):
        super().__init__(object_list, per_page)
        self.cap = cap
        self.capped = known_capped

    @cached_property
    def count(self) -> int:
        matched = self.object_list[: self.cap + 1].count()
        self.capped = self.capped or matched > self.cap
        return min(matched, self.cap)


_ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_USCC_PREFIX_RE = re.compile(r"^[0-9A-Z]{6,18}$")


def _prefix_upper_bound(prefix: str) -> str | None:
    """The smallest string above every string starting with `prefix` (alphabet 0-9A-Z)."""
    chars = list(prefix)
    while chars:
        position = _ALNUM.index(chars[-1])
        if position + 1 < len(_ALNUM):
            chars[-1] = _ALNUM[position + 1]
            return "".join(chars)
        chars.pop()
    return None


def _search(qs: QuerySet[Enterprise], text: str) -> tuple[QuerySet[Enterprise], bool]:
    """Name substring or USCC prefix (selectors.search_enterprises), with a fast path for codes.

    Text that looks like the start of a USCC (six or more letters/digits) is first looked up as
    a range on the unique USCC index; only when no code matches does the search fall back to
    the name-substring-or-prefix scan, which reads the whole table. Returns the queryset and
    whether the code index answered.
    """
    code = normalize_uscc(text)
    if _USCC_PREFIX_RE.match(code):
        by_code = qs.filter(uscc__gte=code)
        upper = _prefix_upper_bound(code)
        if upper is not None:
            by_code = by_code.filter(uscc__lt=upper)
        if by_code.exists():
            return by_code, True
    return search_enterprises(qs, text), False


def _requested_page(raw: str | None) -> tuple[int, bool]:
    """Parse ?page=; returns (number, was_valid). Garbage and values < 1 mean page 1."""
    text = (raw or "").strip()
    if not text:
        return 1, True
    if not text.isdigit() or len(text) > 9:
        # More than nine digits is beyond any page count; treat as "the last page".
        return (10**9, False) if text.isdigit() else (1, False)
    number = int(text)
    return (number, True) if number >= 1 else (1, False)


# --- forms ---------------------------------------------------------------------------------


class EnterpriseFilterForm(forms.Form):
    """Query-string filters of the enterprise list. Invalid values are reported and ignored."""

    q = forms.CharField(label="名称或统一社会信用代码", required=False, max_length=100)
    organisation = forms.TypedChoiceField(label="属地/负责机构（含下级）", required=False, coerce=int, empty_value=None)
    industry = forms.ChoiceField(label="行业领域", required=False, choices=[("", "全部")] + list(Industry.choices))
    licence = forms.ChoiceField(label="证照状态", required=False, choices=LICENCE_FILTER_CHOICES)
    key_unit = forms.ChoiceField(label="重点单位", required=False, choices=[("", "全部"), ("1", "是"), ("0", "否")])
    sort = forms.ChoiceField(label="排序", required=False, choices=SORT_CHOICES)

    def __init__(self, *args, organisations: list[Organisation], **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {org.pk: org for org in organisations}
        base_depth = min((org.path.count("/") for org in organisations), default=0)
        self.fields["organisation"].choices = [("", "全部")] + [
            (org.pk, "\u3000" * (org.path.count("/") - base_depth) + org.name) for org in organisations
        ]


class RevealForm(forms.Form):
    """Which personal-data field to reveal and why; the service checks role and purpose (SEC-02/03)."""

    field = forms.ChoiceField(label="查看项目", choices=list(REVEALABLE_FIELDS.items()))
    purpose = forms.CharField(label="查看用途", required=False, max_length=200)


def _filter_organisations(user) -> list[Organisation]:
    """Organisations offered in the list filter: the user's subtree (everything for auditors/admins)."""
    if _is_contact(user):
        return []
    if sees_everything(user):
        qs = Organisation.objects.all()
    elif user.role in STAFF_ROLES and user.organisation_id:
        qs = Organisation.objects.filter(path__startswith=user.organisation.path)
    else:
        return []
    return list(qs.order_by("path").only("pk", "name", "path"))


# --- pages ---------------------------------------------------------------------------------


@login_required
@require_safe
def home(request):
    """Home page by role: staff see their scope's figures and the licences expiring soonest,
    an enterprise contact sees its own enterprises and licences, an auditor sees totals."""
    user = request.user
    day = today()
    context: dict = {"today": day, "expiring_days": EXPIRING_WITHIN_DAYS}
    if _is_contact(user):
        enterprises = list(enterprises_visible_to(user).select_related("organisation").order_by("name")[:20])
        licences = Licence.objects.filter(enterprise__in=[e.pk for e in enterprises]).order_by("valid_to", "pk")
        by_enterprise: dict[int, list[Licence]] = {}
        for lic in _annotate_licences(licences, day):
            by_enterprise.setdefault(lic.enterprise_id, []).append(lic)
        for ent in enterprises:
            ent.licence_rows = by_enterprise.get(ent.pk, [])
        context.update({"mode": "contact", "enterprises": enterprises})
        return render(request, "home.html", context)

    valid = _valid_licences(licences_visible_to(user))
    enterprise_count = enterprises_visible_to(user).count()
    context.update(
        {
            "mode": "auditor" if user.role == Role.AUDITOR else "staff",
            "enterprise_count": enterprise_count,
            "expired_count": valid.filter(valid_to__lt=day).count(),
            "expiring_count": valid.filter(valid_to__gte=day, valid_to__lte=day + timedelta(days=EXPIRING_WITHIN_DAYS)).count(),
            "soonest": _annotate_licences(
                _soonest_expiring(licences_visible_to(user), day, HOME_SOONEST, small_scope=enterprise_count <= SMALL_SCOPE), day
            ),
            "has_scope": sees_everything(user) or bool(user.role in STAFF_ROLES and user.organisation_id),
        }
    )
    if context["mode"] == "auditor":
        context["licence_count"] = licences_visible_to(user).count()
    return render(request, "home.html", context)


@login_required
@require_safe
def enterprise_list(request):
    """Enterprise list with search, filters, bounded pagination and sorting (scoped to the user)."""
    user = request.user
    organisations = _filter_organisations(user)
    form = EnterpriseFilterForm(request.GET or None, organisations=organisations)
    qs = enterprises_visible_to(user).select_related("organisation")
    filters: dict = {}
    if form.is_bound and not form.is_valid():
        messages.error(request, "部分筛选条件无效，已忽略：" + "；".join(f"{form.fields[name].label}" for name in form.errors))
    data = form.cleaned_data if form.is_bound else {}
    for name in form.fields:
        if name in data and data[name] not in (None, ""):
            filters[name] = data[name]

    count_cap = LIST_COUNT_CAP
    name_search = False
    if "q" in filters:
        qs, by_code = _search(qs, filters["q"])
        name_search = not by_code
        count_cap = LIST_COUNT_CAP if by_code else SEARCH_COUNT_CAP
    if "organisation" in filters:
        qs = qs.filter(organisation_id__in=organisation_subtree_ids(form.organisations[filters["organisation"]]))
    if "industry" in filters:
        qs = qs.filter(industry=filters["industry"])
    if "licence" in filters:
        qs = filter_by_licence_state(qs, filters["licence"])
    if "key_unit" in filters:
        qs = qs.filter(is_key_unit=filters["key_unit"] == "1")
    known_capped = False
    if name_search:
        # A substring match cannot use an index. Collect the matching ids in one unordered scan
        # that stops at the cap, then sort just those: ordering first would walk the name index
        # and fetch every row of the table in index order.
        found = list(qs.order_by().values_list("pk", flat=True)[: count_cap + 1])
        known_capped = len(found) > count_cap
        qs = Enterprise.objects.filter(pk__in=found[:count_cap]).select_related("organisation")
    sort = filters.get("sort", "name")
    qs = qs.order_by(*SORT_ORDER[sort])

    paginator = CappedPaginator(qs, PAGE_SIZE, count_cap, known_capped)
    number, page_ok = _requested_page(request.GET.get("page"))
    if not page_ok and number == 1:
        messages.warning(request, "页码无效，已显示第 1 页。")
    if number == 1:
        rows = list(qs[:PAGE_SIZE])
        if len(rows) < PAGE_SIZE:
            # The whole result fits on the first page: its length is the count (no COUNT query).
            paginator.count = len(rows)
        page = Page(rows, 1, paginator)
    else:
        if number > paginator.num_pages:
            messages.warning(request, f"页码超出范围，已显示第 {paginator.num_pages} 页（最后一页）。")
            number = paginator.num_pages
        page = paginator.page(number)
        rows = list(page.object_list)
    _attach_licence_summary(rows, today())
    paginator.count  # noqa: B018 -- evaluate the (capped) count now: it sets `paginator.capped`

    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "subjects/enterprise_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "paginator": paginator,
            "count_capped": paginator.capped,
            "count_cap": count_cap,
            "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "query": query.urlencode(),
            "filtered": bool({k: v for k, v in filters.items() if k != "sort"}),
            "show_org_filter": bool(organisations),
        },
    )


def _attach_licence_summary(rows: list[Enterprise], on) -> None:
    """One query for the licences of the enterprises on the page: counts per state for badges."""
    counters: dict[int, Counter] = {row.pk: Counter() for row in rows}
    for lic in Licence.objects.filter(enterprise_id__in=list(counters)).only("enterprise_id", "status", "valid_to"):
        counters[lic.enterprise_id][licence_state(lic, on)] += 1
    for row in rows:
        counts = counters[row.pk]
        row.licence_badges = [
            {"css": state.lower(), "label": LICENCE_STATE_LABELS[state], "n": counts[state]}
            for state in ("EXPIRED", "EXPIRING", "VALID")
            if counts[state]
        ]
        if counts["INACTIVE"]:
            row.licence_badges.append({"css": "inactive", "label": "暂扣/吊销/注销", "n": counts["INACTIVE"]})


@login_required
@require_safe
def enterprise_detail(request, pk: int):
    """Particulars, people (masked), licences with state badges and pending applications,
    registration changes, filings and recent activity of one enterprise in the user's scope."""
    user = request.user
    enterprise = get_object_or_404(enterprises_visible_to(user).select_related("organisation", "principal"), pk=pk)
    day = today()
    licences = _annotate_licences(enterprise.licences.order_by("valid_to", "pk")[:DETAIL_ROWS], day)
    pending = {}
    for app in LicenceApplication.objects.filter(licence__enterprise=enterprise, status=ApplicationStatus.PENDING).order_by("-submitted_on"):
        pending.setdefault(app.licence_id, []).append(app)
    for lic in licences:
        lic.pending_applications = pending.get(lic.pk, [])

    people = list(
        EnterprisePerson.objects.filter(enterprise=enterprise).select_related("person").order_by("role", "person__name")[:DETAIL_ROWS]
    )
    principal_listed = any(ep.person_id == enterprise.principal_id and ep.role == PersonRole.PRINCIPAL for ep in people)
    context = {
        "enterprise": enterprise,
        "today": day,
        "licences": licences,
        "pending_total": sum(len(v) for v in pending.values()),
        "people": people,
        "show_principal_row": enterprise.principal_id is not None and not principal_listed,
        "contacts": ContactAuthorisation.objects.filter(enterprise=enterprise).select_related("user").order_by("-valid_to")[:DETAIL_ROWS],
        "changes": enterprise.registration_changes.order_by("-changed_on", "-pk")[:DETAIL_ROWS],
        "plans": enterprise.plan_filings.order_by("-published_on", "-pk")[:DETAIL_ROWS],
        "hazards": enterprise.hazard_sources.order_by("code")[:DETAIL_ROWS],
        "reports": enterprise.report_obligations.order_by("-due_on", "-pk")[:20],
        "precursor_reports": enterprise.precursor_reports.order_by("-year")[:10],
        "activities": enterprise.activities.order_by("-occurred_on", "-pk")[:20],
        "data_sources": [_source_label(code) for code in enterprise.data_sources or []],
        "can_reveal": _can_reveal(user),
        "reveal_fields": list(REVEALABLE_FIELDS.items()),
        "hc_roles": [
            label
            for flag, label in (
                ("hc_producer", "生产"),
                ("hc_operator", "经营"),
                ("hc_user", "使用"),
                ("hc_storage", "储存"),
                ("hc_importer", "进口"),
            )
            if getattr(enterprise, flag)
        ],
    }
    return render(request, "subjects/enterprise_detail.html", context)


def _source_label(code) -> str:
    try:
        return DataSource(code).label
    except ValueError:
        return str(code)


def _person_of_enterprise_or_404(enterprise: Enterprise, person_pk: int) -> Person:
    """A person is revealable on this page only as the enterprise's principal or one of its people."""
    if enterprise.principal_id == person_pk or EnterprisePerson.objects.filter(enterprise=enterprise, person_id=person_pk).exists():
        return get_object_or_404(Person, pk=person_pk)
    raise Http404("该人员不属于此企业")


@login_required
@require_POST
@never_cache
def person_reveal(request, pk: int, person_pk: int):
    """Show one unmasked personal-data field once, after the service has logged the view (SEC-02/03)."""
    enterprise = get_object_or_404(enterprises_visible_to(request.user), pk=pk)
    person = _person_of_enterprise_or_404(enterprise, person_pk)
    back = reverse("subjects:enterprise_detail", args=[enterprise.pk]) + "#people"
    form = RevealForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择要查看的项目并填写用途。")
        return redirect(back)
    field, purpose = form.cleaned_data["field"], form.cleaned_data["purpose"]
    try:
        value = person_reveal_field(user=request.user, person=person, field=field, purpose=purpose)
    except ZhifaError as err:
        if is_access_refusal(err):  # REC-17: no approved, in-window access request; offer to apply
            return render_access_refusal(request, err)
        if err.status == 403:
            return render(request, "error.html", {"title": "无权访问", "text": err.message, "code": err.code_value}, status=403)
        messages.error(request, err.message)
        return redirect(back)
    return render(
        request,
        "subjects/person_reveal.html",
        {
            "enterprise": enterprise,
            "person": person,
            "field_label": REVEALABLE_FIELDS[field],
            "value": value,
            "purpose": purpose.strip(),
            "back": back,
        },
    )
