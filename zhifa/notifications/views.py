"""Notification pages.

Enterprise portal: 我的消息 (inbox; opening a message records a READ event) and 电子送达确认书
(designate channels, confirm with the login password, revoke). Staff: the messages of their
organisation scope with delivery status and the consents on file. Views only parse input, check
access and call selectors/services; personal data (phones, e-mail) is shown masked. An object
outside the user's scope is the Chinese 404 page.
"""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from zhifa.accounts.choices import Role
from zhifa.common.errors import ZhifaError
from zhifa.subjects.selectors import enterprises_visible_to

from . import rules, selectors, services
from .choices import ChannelKind, DeliveryKind, MessageStatus, SignatureMethod
from .forms import ConsentForm, MessageFilterForm, RevokeForm
from .models import Delivery, EServiceConsent

PAGE_SIZE = 50
MAX_ID = 2**63 - 1
STATUS_BADGES = {
    MessageStatus.PENDING: "badge-inactive",
    MessageStatus.SENT: "badge-expiring",
    MessageStatus.ARRIVED: "badge-valid",
    MessageStatus.READ: "badge-valid",
    MessageStatus.FAILED: "badge-expired",
}


def _is_contact(user) -> bool:
    return user.role == Role.ENTERPRISE_CONTACT


def _row(message) -> dict:
    status = selectors.annotated_status(message)
    return {
        "m": message,
        "address": rules.mask_address_for(message.channel, message.address) if message.channel != ChannelKind.IN_APP else "企业门户“我的消息”",
        "status": status,
        "badge": STATUS_BADGES[status],
        "service_date": rules.service_date(message.arrived_at),
    }


def _apply_error(form, err: ZhifaError) -> None:
    field = err.field if err.field in form.fields else None
    form.add_error(field, err.message + (f"（{err.rule}）" if err.rule and err.rule not in err.message else ""))


# --- staff ----------------------------------------------------------------------------------------


@login_required
def message_list(request: HttpRequest) -> HttpResponse:
    """消息与送达: messages of the user's organisation scope with their delivery status."""
    if _is_contact(request.user):
        return redirect("notifications:inbox")
    if not selectors.is_staff_reader(request.user):
        raise Http404("页面不存在或无权查看")
    form = MessageFilterForm(request.GET or None)
    qs = selectors.with_delivery_state(selectors.messages_for_staff(request.user)).select_related("enterprise", "organisation")
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            qs = qs.filter(Q(subject__icontains=data["q"]) | Q(ref=data["q"]) | Q(enterprise__name__icontains=data["q"]))
        if data["channel"]:
            qs = qs.filter(channel=data["channel"])
        if data["eservice"]:
            qs = qs.filter(is_eservice=True)
        qs = selectors.filter_by_status(qs, data["status"])
    paginator = Paginator(qs.order_by("-created_at", "-pk"), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "notifications/list.html",
        {"form": form, "page": page, "paginator": paginator, "rows": [_row(m) for m in page.object_list], "query": query.urlencode()},
        status=200 if (form.is_valid() or not request.GET) else 400,
    )


@login_required
def message_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One message: masked address, consent relied on, delivery events and the service date (SRV-03)."""
    if not selectors.is_staff_reader(request.user) or pk > MAX_ID:
        raise Http404("消息不存在或无权查看")
    message = (
        selectors.with_delivery_state(selectors.messages_for_staff(request.user))
        .select_related("enterprise", "organisation", "created_by", "consent", "recipient")
        .filter(pk=pk)
        .first()
    )
    if message is None:
        raise Http404("消息不存在或无权查看")
    return render(request, "notifications/message.html", {"row": _row(message), "events": selectors.message_events(message)})


@login_required
def consent_list(request: HttpRequest) -> HttpResponse:
    """送达地址确认书 on file for the enterprises in the staff member's scope."""
    if _is_contact(request.user):
        return redirect("notifications:consent")
    if not selectors.is_staff_reader(request.user):
        raise Http404("页面不存在或无权查看")
    qs = selectors.consents_for_staff(request.user).select_related("enterprise", "signed_by", "revocation").order_by("-signed_at", "-pk")
    q = (request.GET.get("q") or "").strip()[:100]
    if q:
        qs = qs.filter(Q(enterprise__name__icontains=q) | Q(enterprise__uscc=q.upper()) | Q(party_name__icontains=q))
    paginator = Paginator(qs, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    rows = [{"c": c, "channels": _masked_channels(c), "state": _consent_state(c)} for c in page.object_list]
    return render(request, "notifications/consents.html", {"rows": rows, "page": page, "paginator": paginator, "q": q})


def _consent_state(consent: EServiceConsent) -> str:
    """"revoked", "active" or "superseded" (a newer consent of the same party is in force)."""
    if consent.revoked_at is not None:
        return "revoked"
    current = selectors.active_consent(consent.enterprise_id, party_name=consent.party_name)
    return "active" if current is not None and current.pk == consent.pk else "superseded"


def _masked_channels(consent: EServiceConsent) -> list[dict]:
    return [
        {"label": ChannelKind(c).label if c in ChannelKind.values else c, "address": "企业门户“我的消息”" if c == ChannelKind.IN_APP else rules.mask_address_for(c, a)}
        for c, a in rules.consent_channels(consent)
    ]


# --- enterprise portal: 我的消息 ------------------------------------------------------------------


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """我的消息: in-app messages that arrived for the user's enterprises (or the user personally)."""
    read = Delivery.objects.filter(message=OuterRef("pk"), kind=DeliveryKind.READ, actor=request.user)
    qs = (
        selectors.with_delivery_state(selectors.inbox_for(request.user))
        .annotate(read_by_me=Exists(read))
        .select_related("enterprise", "organisation")
        .order_by("-created_at", "-pk")
    )
    paginator = Paginator(qs, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    unread = selectors.inbox_for(request.user).exclude(Exists(read)).count()
    return render(request, "notifications/inbox.html", {"page": page, "paginator": paginator, "rows": page.object_list, "unread": unread})


@login_required
def inbox_item(request: HttpRequest, pk: int) -> HttpResponse:
    """Open one message; opening it records the user's READ event (the arrival, not the reading,
    is the date of electronic service — SRV-03)."""
    message = selectors.with_delivery_state(selectors.inbox_for(request.user)).select_related("enterprise", "organisation").filter(pk=pk).first() if pk <= MAX_ID else None
    if message is None:
        raise Http404("消息不存在或无权查看")
    services.message_mark_read(message=message, user=request.user)
    attachments = [{"id": doc_id, "url": f"/documents/{int(doc_id)}.pdf"} for doc_id in message.attachments or []]
    return render(
        request,
        "notifications/inbox_item.html",
        {"m": message, "attachments": attachments, "service_date": rules.service_date(message.arrived_at)},
    )


# --- enterprise portal: 电子送达确认书 (SRV-02) ------------------------------------------------------


def _contact_enterprise(request: HttpRequest, raw):
    enterprises = list(enterprises_visible_to(request.user).order_by("name"))
    chosen = None
    if raw not in (None, ""):
        chosen = next((e for e in enterprises if str(e.pk) == str(raw)), None)
        if chosen is None:
            raise Http404("企业不存在或无权查看")
    return enterprises, chosen or (enterprises[0] if enterprises else None)


def _render_consent(request: HttpRequest, enterprises, enterprise, *, form=None, revoke_form=None, status: int = 200) -> HttpResponse:
    context: dict = {"enterprises": enterprises, "enterprise": enterprise}
    if enterprise is not None:
        current = selectors.active_consent(enterprise.pk)
        history = list(selectors.consents_of([enterprise.pk]))
        context.update(
            current=current,
            current_channels=_masked_channels(current) if current else [],
            current_statement=rules.consent_statement_masked(current) if current else "",
            history=[{"c": c, "channels": _masked_channels(c), "state": _consent_state(c)} for c in history],
            form=form or ConsentForm(),
            revoke_form=revoke_form or RevokeForm(),
            preview=rules.consent_statement(enterprise.name, [{"channel": ChannelKind.IN_APP, "address": ""}]),
        )
    return render(request, "notifications/consent.html", context, status=status)


@login_required
def consent(request: HttpRequest) -> HttpResponse:
    """电子送达确认书: an authorised contact designates the receiving channels and signs by
    re-entering the login password (SRV-02); the page states the legal effect and offers revocation."""
    if not _is_contact(request.user):
        return redirect("notifications:consents")
    enterprises, enterprise = _contact_enterprise(request, request.POST.get("enterprise") if request.method == "POST" else request.GET.get("enterprise"))
    if request.method != "POST" or enterprise is None:
        return _render_consent(request, enterprises, enterprise)
    form = ConsentForm(request.POST)
    if form.is_valid():
        try:
            services.eservice_consent_sign(
                enterprise_id=enterprise.pk,
                party_name=enterprise.name,
                channels=form.channels(),
                user=request.user,
                password=form.cleaned_data["password"],
                method=SignatureMethod.PORTAL_CONFIRMATION,
            )
        except ZhifaError as err:
            _apply_error(form, err)
        else:
            messages.success(request, "送达地址确认书已签署，自即时起生效。")
            return redirect(f"{reverse('notifications:consent')}?enterprise={enterprise.pk}")
    return _render_consent(request, enterprises, enterprise, form=form, status=400)


@login_required
@require_POST
def consent_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke a consent (password confirmed); later electronic service is refused (SRV-02)."""
    if not _is_contact(request.user) or pk > MAX_ID:
        raise Http404("确认书不存在或无权查看")
    consent_obj = selectors.consents_of(selectors.contact_enterprise_ids(request.user)).filter(pk=pk).first()
    if consent_obj is None:
        raise Http404("确认书不存在或无权查看")
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            services.eservice_consent_revoke(consent=consent_obj, user=request.user, password=form.cleaned_data["password"], reason=form.cleaned_data["reason"])
        except ZhifaError as err:
            _apply_error(form, err)
        else:
            messages.success(request, "送达地址确认书已撤回。此后执法机关不再以电子方式向您送达文书。")
            return redirect(f"{reverse('notifications:consent')}?enterprise={consent_obj.enterprise_id}")
    enterprises, enterprise = _contact_enterprise(request, consent_obj.enterprise_id)
    return _render_consent(request, enterprises, enterprise, revoke_form=form, status=400)
