"""Writes of the documents app: issue a numbered document, record a download, version templates.

`document_issue` is what other apps call (cases now, inspections and publicity later). It takes
plain values and a generic reference ("cases.Case:12") and never imports its callers.

Order inside `document_issue` (one transaction; REC-16):
1. validate the context against the kind's contract (nothing is locked, numbered or stored yet,
   so a missing field consumes no number, writes no blob and no row);
2. take the next serial of (organisation, year, kind) under a row lock — SELECT … FOR UPDATE on
   PostgreSQL; on SQLite the IMMEDIATE transaction already holds the database write lock;
3. render HTML, check the statutory text, render the PDF;
4. store the PDF in the content-addressed store (fsynced before returning);
5. insert the IssuedDocument row and append to the ledger.
Any failure in 2–5 rolls back the serial with everything else. A crash between 4 and the commit
leaves at most an unreferenced blob (harmless, as for evidence — ADR 0006).
"""
from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max

from zhifa.accounts.access import can_write
from zhifa.accounts.models import Organisation
from zhifa.common.timeutil import today
from zhifa.evidence.storage import BlobMissing, LocalEvidenceStorage
from zhifa.ledger.services import ledger_append

from . import defaults, render, rules
from .choices import DocumentKind
from .errors import DocumentErrorCode, document_error, not_found
from .kinds import KindSpec, get_kind
from .models import DocumentTemplate, IssuedDocument, IssuerProfile, NumberSequence
from .selectors import document_visible, documents_storage

log = logging.getLogger(__name__)

OBJECT_TYPE = "documents.issueddocument"
TEMPLATE_OBJECT_TYPE = "documents.documenttemplate"
PREVIEW_NUMBER = "（预览样稿，未编号）"


# --- issuer -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Issuer:
    """How an organisation signs: number prefix, full name (header, signature), seal text
    (blank: the seal shows the document's organisation name)."""

    prefix: str
    header_name: str
    seal_name: str
    footer: str


def _ancestor_names(organisation: Organisation) -> list[str]:
    ids = [int(p) for p in organisation.path.strip("/").split("/") if p and int(p) != organisation.pk]
    names = dict(Organisation.objects.filter(pk__in=ids).values_list("pk", "name"))
    return [names[i] for i in ids if i in names]


def issuer_for(organisation: Organisation) -> Issuer:
    """The configured IssuerProfile, or one derived from the organisation tree (rules.py)."""
    profile = IssuerProfile.objects.filter(organisation=organisation).first()
    if profile is not None:
        return Issuer(profile.doc_prefix, profile.header_name, profile.seal_name, profile.footer)
    ancestors = _ancestor_names(organisation)
    base_name = organisation.enforcement_body_name or organisation.name
    header = rules.derive_header_name(base_name, ancestor_names=ancestors)
    prefix = rules.derive_doc_prefix(
        base_name, ancestor_names=ancestors, jurisdiction=organisation.effective_jurisdiction, division_code=organisation.division_code
    )
    return Issuer(prefix, header, "", "")


# --- templates ----------------------------------------------------------------------------------------


def active_template(kind: str) -> DocumentTemplate:
    """The active version of a kind's template. A kind that has never had a template gets the
    shipped default as version 1 (data migrations do this, but test databases and fresh
    installs flushed after migrating have none)."""
    template = DocumentTemplate.objects.filter(kind=kind, active=True).first()
    if template is not None:
        return template
    if DocumentTemplate.objects.filter(kind=kind).exists():
        raise document_error(DocumentErrorCode.TEMPLATE_MISSING, f"{DocumentKind(kind).label}没有启用的模板版本，请在系统管理中启用一个版本", status=409)
    try:
        with transaction.atomic():
            created = defaults.install_default_templates(DocumentTemplate, kinds=[kind])
            for row in created:
                log_template_version(actor=None, template=row, action="documents.template.install")
    except IntegrityError:
        pass  # another transaction installed it at the same moment
    template = DocumentTemplate.objects.filter(kind=kind, active=True).first()
    if template is None:
        raise document_error(DocumentErrorCode.TEMPLATE_MISSING, f"{DocumentKind(kind).label}没有可用的模板", status=409)
    return template


def log_template_version(*, actor, template: DocumentTemplate, action: str) -> None:
    ledger_append(
        actor=actor,
        action=action,
        object_type=TEMPLATE_OBJECT_TYPE,
        object_id=template.pk,
        payload={
            "kind": template.kind,
            "version": template.version,
            "active": template.active,
            "body_sha256": hashlib.sha256(template.body.encode()).hexdigest(),
            "note": template.note,
        },
    )


def _spec(kind: str) -> KindSpec:
    spec = get_kind(kind)
    if spec is None:
        raise document_error(DocumentErrorCode.UNKNOWN_KIND, f"未知的文书种类：{str(kind)[:40]}", field="kind")
    return spec


def _render_context(spec: KindSpec, context: dict[str, Any], issuer: Issuer, *, number: str, year: int, serial: int | None, preview: bool) -> dict[str, Any]:
    full = dict(context)
    if not full.get("organisation_name"):
        full["organisation_name"] = issuer.header_name
    full.update(
        {
            "document_number": number,
            "document_title": spec.title,
            "document_kind": str(spec.code),
            "year": year,
            "serial": serial,
            "seal_name": issuer.seal_name or full["organisation_name"],
            "issuer_footer": issuer.footer,
            "is_preview": preview,
        }
    )
    return full


def _render(spec: KindSpec, body: str, context: dict[str, Any]) -> bytes:
    markup = render.render_html(body, {**context, "font_urls": render.font_urls()})
    rules.check_statutory_text(spec, context, markup)
    return render.render_pdf(markup)


def _check_enforcement_body(organisation: Organisation) -> None:
    """Documents bear the authority's seal (DEC-01): only an enforcement body (执法主体) issues
    them (APL art. 17; LRV-04 item 1, legality of the enforcement subject)."""
    if not organisation.is_enforcement_body:
        raise document_error(
            DocumentErrorCode.NOT_AN_ENFORCEMENT_BODY,
            f"“{organisation.name}”不是执法主体，不能以其名义出具执法文书",
            field="organisation",
            rule="LRV-04",
        )


def _next_serial(organisation: Organisation, year: int, kind: str) -> int:
    """Gap-free serials per (organisation, year, kind). The row is created if missing
    (INSERT … ON CONFLICT DO NOTHING) and then locked; a concurrent issuer waits for the lock
    and reads the committed value, so two documents never share a number."""
    NumberSequence.objects.bulk_create([NumberSequence(organisation=organisation, year=year, kind=kind, last_serial=0)], ignore_conflicts=True)
    sequence = NumberSequence.objects.select_for_update().get(organisation=organisation, year=year, kind=kind)
    sequence.last_serial += 1
    sequence.save(update_fields=["last_serial"])
    return sequence.last_serial


def document_issue(
    *,
    kind: str,
    organisation: Organisation,
    context: Mapping[str, Any],
    actor,
    ref: str,
    enterprise_id: int | None = None,
    supersedes: IssuedDocument | None = None,
) -> IssuedDocument:
    """Validate, number (文号), render to PDF, store and record one document (see module doc).

    `context` follows the kind's contract (docs/documents.md); personal data in it must already
    be masked by the caller except where the law needs it on the document. `ref` names the
    object the document belongs to ("cases.Case:12"); `enterprise_id` lets that enterprise's
    contacts open party-facing documents in the portal; `supersedes` is the document this one
    corrects (same kind and organisation; each document can be corrected once).
    """
    spec = _spec(kind)
    if actor is not None and not can_write(actor):
        raise document_error(DocumentErrorCode.PERMISSION_DENIED, "当前账户无权出具文书", status=403)
    if not rules.valid_ref(ref):
        raise document_error(DocumentErrorCode.REF_INVALID, "关联对象格式应为“应用.模型:编号”，如 cases.Case:12", field="ref")
    _check_enforcement_body(organisation)
    if enterprise_id is not None:
        from zhifa.subjects.models import Enterprise

        if isinstance(enterprise_id, bool) or not isinstance(enterprise_id, int) or not Enterprise.objects.filter(pk=enterprise_id).exists():
            raise document_error(DocumentErrorCode.ENTERPRISE_UNKNOWN, "当事企业不存在", field="enterprise_id")
    if supersedes is not None:
        if supersedes.kind != str(spec.code) or supersedes.organisation_id != organisation.pk:
            raise document_error(DocumentErrorCode.SUPERSEDES_INVALID, "更正版本须与原文书为同一机关出具的同种文书", field="supersedes")
    cleaned = rules.validate_context(spec, context, today=today())
    year = rules.document_year(cleaned)
    issuer = issuer_for(organisation)
    template = active_template(str(spec.code))
    storage = documents_storage()
    with transaction.atomic():
        if supersedes is not None and IssuedDocument.objects.filter(supersedes=supersedes).exists():
            raise document_error(DocumentErrorCode.ALREADY_SUPERSEDED, f"{supersedes.number}已有更正版本，请更正最新版本", field="supersedes", status=409)
        serial = _next_serial(organisation, year, str(spec.code))
        number = rules.format_number(issuer.prefix, spec.number_word, year, serial)
        full = _render_context(spec, cleaned, issuer, number=number, year=year, serial=serial, preview=False)
        pdf = _render(spec, template.body, full)
        blob = storage.put_stream([pdf])
        document = IssuedDocument.objects.create(
            kind=str(spec.code),
            title=spec.title,
            organisation=organisation,
            year=year,
            serial=serial,
            number=number,
            template=template,
            ref=ref,
            enterprise_id=enterprise_id,
            context=full,
            sha256=blob.sha256,
            size=blob.size,
            issued_by=actor if getattr(actor, "pk", None) else None,
            supersedes=supersedes,
        )
        ledger_append(
            actor=actor,
            action="documents.document.issue",
            object_type=OBJECT_TYPE,
            object_id=document.pk,
            payload={
                "kind": document.kind,
                "number": number,
                "organisation_id": organisation.pk,
                "ref": ref,
                "enterprise_id": enterprise_id,
                "template_id": template.pk,
                "template_version": template.version,
                "sha256": blob.sha256,
                "size": blob.size,
                "supersedes": supersedes.pk if supersedes else None,
            },
        )
    return document


# --- reading the bytes --------------------------------------------------------------------------------


def document_pdf(doc: IssuedDocument, *, storage: LocalEvidenceStorage | None = None) -> bytes:
    """The PDF bytes of an issued document, verified against the recorded SHA-256 and size."""
    storage = storage or documents_storage()
    try:
        with storage.open(doc.sha256) as handle:
            data = handle.read()
    except BlobMissing as exc:
        log.error("document blob %s missing for document %s", doc.sha256, doc.pk)
        raise document_error(DocumentErrorCode.FILE_MISSING, "文书文件缺失，请联系系统管理员", status=410) from exc
    if hashlib.sha256(data).hexdigest() != doc.sha256 or len(data) != doc.size:
        log.error("document blob %s does not match its hash (document %s)", doc.sha256, doc.pk)
        raise document_error(DocumentErrorCode.FILE_CORRUPT, "文书文件校验失败（内容与登记的 SHA-256 不一致），已拒绝提供", status=500)
    return data


def document_download(*, actor, doc: IssuedDocument) -> bytes:
    """The verified PDF for `actor`, logged as a record access (SEC-02). Foreign = not found."""
    if not document_visible(actor, doc):
        raise not_found()
    data = document_pdf(doc)
    with transaction.atomic():
        ledger_append(
            actor=actor,
            action="documents.document.download",
            object_type=OBJECT_TYPE,
            object_id=doc.pk,
            payload={"number": doc.number, "sha256": doc.sha256},
        )
    return data


def document_rerender(doc: IssuedDocument) -> bytes:
    """Render an issued document again from its own template version and stored context (for
    checking that an issued PDF still matches its source); the stored PDF stays the record."""
    return _render(_spec(doc.kind), doc.template.body, dict(doc.context))


def document_render_preview(
    kind: str,
    context: Mapping[str, Any],
    *,
    organisation: Organisation | None = None,
    body: str | None = None,
) -> bytes:
    """A PDF of `context` without a number and marked as a preview (admin preview, template
    checks). Validates like `document_issue`; writes nothing."""
    spec = _spec(kind)
    cleaned = rules.validate_context(spec, context, today=today())
    if organisation is not None:
        issuer = issuer_for(organisation)
    else:
        issuer = Issuer("", cleaned.get("organisation_name") or "某某应急管理局", "", "")
    source = body if body is not None else active_template(str(spec.code)).body
    full = _render_context(spec, cleaned, issuer, number=PREVIEW_NUMBER, year=rules.document_year(cleaned), serial=None, preview=True)
    return _render(spec, source, full)


# --- template versions --------------------------------------------------------------------------------


def document_template_check(kind: str, body: str) -> bytes:
    """Render the kind's sample context with `body`: syntax, resources and statutory text must
    pass before a version is saved. Returns the preview PDF."""
    from .samples import sample_context

    return document_render_preview(kind, sample_context(kind), body=body)


def document_template_create_version(*, kind: str, title: str, body: str, actor, note: str = "", activate: bool = True) -> DocumentTemplate:
    """Save an edit as the next version (never changing a version an issued document uses)."""
    spec = _spec(kind)
    if actor is not None and not can_write(actor):
        raise document_error(DocumentErrorCode.PERMISSION_DENIED, "当前账户无权修改文书模板", status=403)
    if not (body or "").strip():
        raise document_error(DocumentErrorCode.TEMPLATE_INVALID, "模板内容不能为空", field="body")
    document_template_check(str(spec.code), body)
    with transaction.atomic():
        # Lock the kind's versions so two editors cannot take the same version number.
        list(DocumentTemplate.objects.select_for_update().filter(kind=spec.code).values_list("pk", flat=True))
        version = (DocumentTemplate.objects.filter(kind=spec.code).aggregate(m=Max("version"))["m"] or 0) + 1
        if activate:
            DocumentTemplate.objects.filter(kind=spec.code, active=True).update(active=False)
        template = DocumentTemplate.objects.create(
            kind=spec.code,
            version=version,
            title=(title or spec.title)[:100],
            body=body,
            note=(note or "")[:200],
            active=activate,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        log_template_version(actor=actor, template=template, action="documents.template.create_version")
    return template


def document_template_activate(*, template: DocumentTemplate, actor) -> DocumentTemplate:
    """Make `template` the version used for new documents (e.g. to go back to an earlier one)."""
    if actor is not None and not can_write(actor):
        raise document_error(DocumentErrorCode.PERMISSION_DENIED, "当前账户无权修改文书模板", status=403)
    with transaction.atomic():
        DocumentTemplate.objects.filter(kind=template.kind, active=True).exclude(pk=template.pk).update(active=False)
        template.active = True
        template.save(update_fields=["active"])
        log_template_version(actor=actor, template=template, action="documents.template.activate")
    return template


def issuer_profile_save(*, organisation: Organisation, doc_prefix: str, header_name: str, seal_name: str = "", footer: str = "", actor) -> IssuerProfile:
    """Create or change an organisation's number prefix, header name and seal text."""
    if actor is not None and not can_write(actor):
        raise document_error(DocumentErrorCode.PERMISSION_DENIED, "当前账户无权修改发文设置", status=403)
    prefix = rules.validate_prefix(doc_prefix)
    header = (header_name or "").strip()
    if not header:
        raise document_error(DocumentErrorCode.FIELD_MISSING, "发文机关全称不能为空", field="header_name")
    with transaction.atomic():
        profile, created = IssuerProfile.objects.update_or_create(
            organisation=organisation,
            defaults={"doc_prefix": prefix, "header_name": header[:100], "seal_name": (seal_name or "").strip()[:40], "footer": (footer or "").strip()[:200]},
        )
        ledger_append(
            actor=actor,
            action="documents.issuer.save",
            object_type="documents.issuerprofile",
            object_id=profile.pk,
            payload={"organisation_id": organisation.pk, "doc_prefix": prefix, "header_name": profile.header_name, "seal_name": profile.seal_name, "created": created},
        )
    return profile
