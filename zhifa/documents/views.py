"""Document pages: list, detail and PDF download (every download is logged: SEC-02).

Views only parse input, check access (documents_visible_to: a foreign document is a 404) and
call the services.
"""
from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from zhifa.common.errors import ZhifaError

from . import selectors, services
from .forms import DocumentFilterForm
from .models import IssuedDocument

PAGE_SIZE = 50


def _get_document(request: HttpRequest, pk: int) -> IssuedDocument:
    doc = selectors.documents_visible_to(request.user).select_related("organisation", "template", "issued_by").filter(pk=pk).first()
    if doc is None:
        raise Http404("文书不存在或无权查看")
    return doc


@login_required
def document_list(request: HttpRequest) -> HttpResponse:
    form = DocumentFilterForm(request.GET or None)
    qs = selectors.documents_visible_to(request.user).select_related("organisation", "template")
    filters = form.cleaned_data if form.is_valid() else {}
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("ref"):
        qs = qs.filter(ref=filters["ref"].strip())
    text = (filters.get("q") or "").strip()
    if text:
        qs = qs.filter(Q(number__icontains=text) | Q(context__party_name__icontains=text))
    paginator = Paginator(qs.order_by("-issued_at", "-pk"), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "documents/list.html", {"form": form, "page": page, "paginator": paginator, "rows": page.object_list, "query": query.urlencode()})


@never_cache
@login_required
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    doc = _get_document(request, int(pk))
    return render(
        request,
        "documents/detail.html",
        {"doc": doc, "versions": selectors.versions_of(doc), "party_name": (doc.context or {}).get("party_name", "")},
    )


def pdf_response(data: bytes, doc: IssuedDocument, *, inline: bool = False) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    # A server-made ASCII name plus the number as the RFC 6266 UTF-8 name.
    response["Content-Disposition"] = f"{disposition}; filename=\"document-{doc.pk}.pdf\"; filename*=UTF-8''{quote(doc.number + '.pdf')}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["X-Document-SHA256"] = doc.sha256
    return response


@never_cache
@login_required
def document_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    doc = _get_document(request, int(pk))
    try:
        data = services.document_download(actor=request.user, doc=doc)
    except ZhifaError as err:
        context = {"title": "无法提供文书文件", "text": err.message, "code": err.code_value}
        return render(request, "error.html", context, status=err.status)
    return pdf_response(data, doc, inline=request.GET.get("inline") == "1")
