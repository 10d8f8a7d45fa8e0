"""Writes of the evidence store. Each runs in one transaction that also appends to the ledger.

Order of work in `evidence_register` / `evidence_correct` (why: crash safety, issue 3 item 7):
1. check permission and metadata (nothing written yet);
2. sniff the first bytes and refuse wrong or active content (nothing written yet);
3. stream the bytes to write-once storage, fsynced file and directory (storage.put_stream);
4. in one transaction: the file row, the item row, a custody event and the ledger entry.
The caller acknowledges the upload only after 4 commits. A failure in 1–3 leaves nothing; a
crash between 3 and 4 leaves a complete but unreferenced blob, never a partial one, and no row.

Viewing and downloading are logged too: a custody event and a ledger entry (SEC-02, REC-17).
"""
from __future__ import annotations

import itertools
import logging
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, BinaryIO

from django.db import IntegrityError, transaction
from django.utils import timezone

from zhifa.access.choices import ObjectType as AccessObjectType
from zhifa.access.services import access_authorise
from zhifa.accounts.access import can_write
from zhifa.accounts.access import require_writer as _require_writer
from zhifa.accounts.choices import STAFF_ROLES, Role
from zhifa.accounts.models import OfficerCredential
from zhifa.common.errors import ZhifaError
from zhifa.common.timeutil import today
from zhifa.ledger.services import ledger_append
from zhifa.subjects.models import ContactAuthorisation, Enterprise
from zhifa.subjects.selectors import enterprises_visible_to

from . import rules
from .choices import CustodyAction, EvidenceKind, EvidenceSource, LinkTarget, ReviewCriterion
from .errors import EvidenceErrorCode
from .models import CustodyEvent, EvidenceFile, EvidenceItem, EvidenceLink, EvidenceReview
from .selectors import evidence_visible_to, is_superseded
from .sniffing import SNIFF_BYTES, FileType, check_upload, human_size, max_bytes_for, normalise_declared_type
from .storage import BlobCorrupt, BlobMissing, BlobTooLarge, EvidenceStorage, get_storage

log = logging.getLogger(__name__)

OBJECT_TYPE = "evidence.evidenceitem"

FIELD_LABELS = {
    "production_method": "制作方法",
    "produced_at": "制作时间",
    "producer": "制作人",
    "object_proven": "证明对象",
}

# Metadata a correction may change; source, organisation and enterprise stay with the chain.
CORRECTABLE_FIELDS = (
    "kind",
    "title",
    "description",
    "production_method",
    "produced_at",
    "producer",
    "object_proven",
    "is_original_carrier",
    "copy_method",
)


# --- permission helpers -----------------------------------------------------------------------


def _is_contact(user) -> bool:
    return user.role == Role.ENTERPRISE_CONTACT


def _require_visible(actor, item: EvidenceItem) -> None:
    """Objects outside the user's scope are reported as not found, so existence does not leak."""
    if not evidence_visible_to(actor).filter(pk=item.pk).exists():
        raise ZhifaError(EvidenceErrorCode.NOT_FOUND, "证据不存在或无权查看", status=404)


def _contact_may_upload_for(actor, enterprise: Enterprise) -> bool:
    day = today()
    return ContactAuthorisation.objects.filter(
        user=actor, enterprise=enterprise, valid_from__lte=day, valid_to__gte=day
    ).exists()


def _registration_organisation(actor, enterprise: Enterprise | None, source: str):
    """Who may register evidence, for which organisation, claiming which source.

    Bureau staff register for their own organisation (optionally naming an enterprise they can
    see); an enterprise contact uploads only for an enterprise it is currently authorised for
    (SUB-17), always as ENTERPRISE_UPLOAD, and the item belongs to that enterprise's body.
    """
    _require_writer(actor)
    contact = _is_contact(actor)
    if source not in rules.allowed_sources(is_enterprise_contact=contact):
        if contact:
            msg = "企业联系人上传的证据来源只能是“企业上传”"
        else:
            msg = "执法机关登记的证据来源应为执法人员制作、电子技术监控设备或共享数据"
        raise ZhifaError(EvidenceErrorCode.SOURCE_NOT_ALLOWED, msg, field="source", status=400)
    if contact:
        if enterprise is None:
            raise ZhifaError(EvidenceErrorCode.INVALID_INPUT, "请选择上传证据所属的企业", field="enterprise")
        if not _contact_may_upload_for(actor, enterprise):
            raise ZhifaError(EvidenceErrorCode.PERMISSION_DENIED, "您没有该企业的有效联系人授权，不能为其上传证据", field="enterprise", status=403)
        return enterprise.organisation
    if actor.role not in STAFF_ROLES or not actor.organisation_id:
        raise ZhifaError(EvidenceErrorCode.PERMISSION_DENIED, "您的角色无权登记证据", status=403)
    if enterprise is not None and not enterprises_visible_to(actor).filter(pk=enterprise.pk).exists():
        raise ZhifaError(EvidenceErrorCode.PERMISSION_DENIED, "该企业不在您的管辖范围内", field="enterprise", status=403)
    return actor.organisation


def _require_may_change(actor, item: EvidenceItem) -> None:
    """Corrections and links: staff within scope; an enterprise contact only its own uploads."""
    _require_writer(actor)
    _require_visible(actor, item)
    if _is_contact(actor):
        if item.created_by_id != actor.pk:
            raise ZhifaError(EvidenceErrorCode.PERMISSION_DENIED, "只能更正本人上传的证据", status=403)
    elif actor.role not in STAFF_ROLES:
        raise ZhifaError(EvidenceErrorCode.PERMISSION_DENIED, "您的角色无权更正证据", status=403)


def holds_valid_credential(user, day=None) -> bool:
    day = day or today()
    return any(c.is_valid_on(day) for c in OfficerCredential.objects.filter(user=user))


def may_review(user, item: EvidenceItem | None = None) -> bool:
    """Whether to offer the review form (services re-check everything on submit)."""
    if not getattr(user, "is_authenticated", False) or not can_write(user):
        return False
    problem = rules.reviewer_qualification_problem(
        role=user.role,
        is_staff_role=user.role in STAFF_ROLES,
        holds_valid_credential=user.role == Role.OFFICER and holds_valid_credential(user),
        read_only=user.is_read_only,
    )
    if problem:
        return False
    return item is None or rules.reviewer_independence_problem(reviewer_id=user.pk, uploader_id=item.created_by_id) is None


# --- metadata validation ------------------------------------------------------------------------


def _validate_metadata(data: Mapping[str, Any]) -> None:
    if data["kind"] not in EvidenceKind.values:
        raise ZhifaError(EvidenceErrorCode.INVALID_INPUT, "证据种类无效", field="kind", rule="EVI-01")
    if not (data.get("title") or "").strip():
        raise ZhifaError(EvidenceErrorCode.INVALID_INPUT, "请填写证据名称", field="title")
    missing = rules.missing_production_metadata(
        production_method=data.get("production_method", ""),
        produced_at=data.get("produced_at"),
        producer=data.get("producer", ""),
        object_proven=data.get("object_proven", ""),
    )
    if missing:
        labels = "、".join(FIELD_LABELS[m] for m in missing)
        raise ZhifaError(EvidenceErrorCode.METADATA_MISSING, f"请填写{labels}（EVI-03）", field=missing[0], rule="EVI-03")
    produced_at = data["produced_at"]
    if timezone.is_naive(produced_at):
        raise ZhifaError(EvidenceErrorCode.INVALID_INPUT, "制作时间须包含时区", field="produced_at")
    problem = rules.produced_at_problem(produced_at, timezone.now())
    if problem:
        raise ZhifaError(EvidenceErrorCode.INVALID_INPUT, problem, field="produced_at", rule="EVI-03")
    problem = rules.carrier_problem(is_original_carrier=bool(data.get("is_original_carrier")), copy_method=data.get("copy_method") or "")
    if problem:
        raise ZhifaError(EvidenceErrorCode.CARRIER_INVALID, problem, field="copy_method", rule="EVI-04")


# --- storing bytes ------------------------------------------------------------------------------


def _split_head(chunks: Iterable[bytes]) -> tuple[bytes, Iterator[bytes]]:
    """Read just enough chunks to sniff, then hand back an iterator over the whole stream."""
    stream = iter(chunks)
    buffered: list[bytes] = []
    total = 0
    while total < SNIFF_BYTES:
        try:
            chunk = next(stream)
        except StopIteration:
            break
        buffered.append(chunk)
        total += len(chunk)
    head = b"".join(buffered)
    return head[:SNIFF_BYTES], itertools.chain([head], stream)


def _store_upload(
    *, actor, chunks: Iterable[bytes], original_filename: str, declared_content_type: str, size_hint: int | None, storage: EvidenceStorage
) -> EvidenceFile:
    """Sniff, stream to storage, and return an unsaved EvidenceFile describing the blob."""
    try:
        head, stream = _split_head(chunks)
        detected: FileType = check_upload(head, filename=original_filename, declared_type=declared_content_type, size_hint=size_hint)
        blob = storage.put_stream(stream, max_bytes=max_bytes_for(detected.category))
    except ZhifaError:
        raise
    except BlobTooLarge as exc:
        raise ZhifaError(
            EvidenceErrorCode.FILE_TOO_LARGE, f"{detected.category.label}文件不得超过 {human_size(exc.limit)}", field="file"
        ) from exc
    except BlobCorrupt as exc:
        log.error("evidence blob %s is corrupt; upload refused", exc.sha256)
        raise ZhifaError(
            EvidenceErrorCode.STORAGE_CORRUPT,
            "存储中相同内容的文件已损坏，本次上传未保存。请联系系统管理员运行完整性检查",
            status=409,
        ) from exc
    except (OSError, EOFError) as exc:
        # A client disconnect surfaces here as the chunk iterator raising; so does a full disk.
        log.warning("evidence upload not completed: %s", exc)
        raise ZhifaError(EvidenceErrorCode.UPLOAD_INCOMPLETE, "上传未完成，未保存任何内容，请重新上传", field="file") from exc
    return EvidenceFile(
        sha256=blob.sha256,
        size=blob.size,
        detected_content_type=detected.mime,
        declared_content_type=clean_text(normalise_declared_type(declared_content_type), 100),
        category=detected.category,
        storage_name=f"{blob.sha256[:2]}/{blob.sha256[2:4]}/{blob.sha256}",
        original_filename=_clean_filename(original_filename),
        uploaded_by=actor,
    )


def clean_text(value: str | None, max_length: int) -> str:
    """Free text from a request (purposes, names): printable characters only, bounded length.
    NUL and other control characters would be refused by PostgreSQL (a 500) and have no meaning."""
    return "".join(ch for ch in (value or "") if ch.isprintable()).strip()[:max_length]


def _clean_filename(name: str) -> str:
    """Keep only the last path component, without control characters (metadata only)."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    return clean_text(name, 255)


def _custody(*, item: EvidenceItem, action: str, actor, ledger_index: int, purpose: str = "") -> CustodyEvent:
    return CustodyEvent.objects.create(item=item, action=action, actor=actor, purpose=clean_text(purpose, 200), ledger_index=ledger_index)


def _item_payload(item: EvidenceItem) -> dict[str, Any]:
    return {
        "chain": str(item.chain_id),
        "version": item.version_no,
        "previous": item.previous_version_id,
        "kind": item.kind,
        "source": item.source,
        "title": item.title,
        "production_method": item.production_method,
        "produced_at": item.produced_at,
        "producer": item.producer,
        "object_proven": item.object_proven,
        "original_carrier": item.is_original_carrier,
        "copy_method": item.copy_method,
        "organisation": item.organisation_id,
        "enterprise": item.enterprise_id,
        "file": item.file_id,
        "sha256": item.file.sha256,
        "size": item.file.size,
    }


# --- services -----------------------------------------------------------------------------------


def evidence_register(
    *,
    actor,
    chunks: Iterable[bytes],
    original_filename: str,
    declared_content_type: str = "",
    kind: str,
    title: str,
    production_method: str,
    produced_at,
    producer: str,
    object_proven: str,
    source: str,
    is_original_carrier: bool = True,
    copy_method: str = "",
    enterprise: Enterprise | None = None,
    description: str = "",
    size_hint: int | None = None,
    storage: EvidenceStorage | None = None,
) -> EvidenceItem:
    """Register a new evidence item (EVI-01) with its EVI-03/EVI-04 metadata and its file.

    The file is streamed (bounded memory), checked (sniffing.check_upload), stored write-once and
    fsynced before any row is written; the rows and the ledger entry commit together.
    """
    organisation = _registration_organisation(actor, enterprise, source)
    metadata = {
        "kind": kind,
        "title": (title or "").strip(),
        "description": (description or "").strip(),
        "production_method": (production_method or "").strip(),
        "produced_at": produced_at,
        "producer": (producer or "").strip(),
        "object_proven": (object_proven or "").strip(),
        "is_original_carrier": bool(is_original_carrier),
        "copy_method": copy_method or "",
    }
    _validate_metadata(metadata)
    storage = storage or get_storage()
    evidence_file = _store_upload(
        actor=actor,
        chunks=chunks,
        original_filename=original_filename,
        declared_content_type=declared_content_type,
        size_hint=size_hint,
        storage=storage,
    )
    with transaction.atomic():
        evidence_file.save()
        item = EvidenceItem.objects.create(
            **metadata, source=source, organisation=organisation, enterprise=enterprise, file=evidence_file, created_by=actor
        )
        entry = ledger_append(
            actor=actor,
            action="evidence.register",
            object_type=OBJECT_TYPE,
            object_id=item.pk,
            payload={**_item_payload(item), "original_filename": evidence_file.original_filename},
        )
        _custody(item=item, action=CustodyAction.CREATED, actor=actor, ledger_index=entry.index)
    return item


def evidence_correct(
    *,
    actor,
    previous: EvidenceItem,
    reason: str,
    chunks: Iterable[bytes] | None = None,
    original_filename: str = "",
    declared_content_type: str = "",
    size_hint: int | None = None,
    storage: EvidenceStorage | None = None,
    **changes: Any,
) -> EvidenceItem:
    """Correct an item by creating its next version (EVI-09): the old version is kept unchanged,
    linked from the new one, and marked superseded in its custody trail.

    `changes` may set any of CORRECTABLE_FIELDS; `chunks` (optional) replaces the file.
    """
    unknown = set(changes) - set(CORRECTABLE_FIELDS)
    if unknown:
        raise ZhifaError(EvidenceErrorCode.INVALID_INPUT, f"不可更正的字段：{'、'.join(sorted(unknown))}")
    _require_may_change(actor, previous)
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise ZhifaError(EvidenceErrorCode.CORRECTION_REASON_REQUIRED, "请填写更正理由（EVI-09）", field="reason", rule="EVI-09")
    if is_superseded(previous):
        raise ZhifaError(EvidenceErrorCode.ALREADY_CORRECTED, "该版本已被更正，请在最新版本上更正", status=409, rule="EVI-09")
    metadata = {field: getattr(previous, field) for field in CORRECTABLE_FIELDS}
    metadata.update({k: (v.strip() if isinstance(v, str) else v) for k, v in changes.items() if v is not None})
    if metadata["is_original_carrier"] and "is_original_carrier" in changes and "copy_method" not in changes:
        metadata["copy_method"] = ""
    _validate_metadata(metadata)
    if chunks is not None:
        evidence_file = _store_upload(
            actor=actor,
            chunks=chunks,
            original_filename=original_filename,
            declared_content_type=declared_content_type,
            size_hint=size_hint,
            storage=storage or get_storage(),
        )
    else:
        evidence_file = previous.file
    try:
        with transaction.atomic():
            if evidence_file.pk is None:
                evidence_file.save()
            item = EvidenceItem.objects.create(
                **metadata,
                chain_id=previous.chain_id,
                version_no=previous.version_no + 1,
                previous_version=previous,
                correction_reason=reason,
                source=previous.source,
                organisation=previous.organisation,
                enterprise=previous.enterprise,
                file=evidence_file,
                created_by=actor,
            )
            entry = ledger_append(
                actor=actor,
                action="evidence.correct",
                object_type=OBJECT_TYPE,
                object_id=item.pk,
                payload={**_item_payload(item), "reason": reason, "changed": sorted(changes)},
            )
            _custody(item=previous, action=CustodyAction.SUPERSEDED, actor=actor, ledger_index=entry.index, purpose=f"由第{item.version_no}版更正")
            _custody(item=item, action=CustodyAction.CREATED, actor=actor, ledger_index=entry.index, purpose=f"更正第{previous.version_no}版")
    except IntegrityError as exc:
        # Two corrections of the same version raced; the one-to-one link let only one in.
        raise ZhifaError(EvidenceErrorCode.ALREADY_CORRECTED, "该版本已被更正，请在最新版本上更正", status=409, rule="EVI-09") from exc
    return item


def evidence_review(*, actor, item: EvidenceItem, criteria: Mapping[str, bool], reasons: Mapping[str, str] | None = None, opinion: str = "") -> EvidenceReview:
    """Record a review of one version against the EVI-06 criteria.

    Only a legal reviewer, a supervisor or an officer with a valid credential may review
    (EVI-06), never the person who registered the item (EVI-05 independence), and only the
    current version (EVI-09). A failed criterion needs its reason.
    """
    _require_writer(actor)
    _require_visible(actor, item)
    problem = rules.reviewer_qualification_problem(
        role=actor.role,
        is_staff_role=actor.role in STAFF_ROLES,
        holds_valid_credential=actor.role == Role.OFFICER and holds_valid_credential(actor),
        read_only=actor.is_read_only,
    )
    if problem:
        raise ZhifaError(EvidenceErrorCode.REVIEWER_NOT_QUALIFIED, problem, status=403, rule="EVI-06")
    problem = rules.reviewer_independence_problem(reviewer_id=actor.pk, uploader_id=item.created_by_id)
    if problem:
        raise ZhifaError(EvidenceErrorCode.REVIEWER_NOT_INDEPENDENT, problem, status=403, rule="EVI-05")
    if is_superseded(item):
        raise ZhifaError(EvidenceErrorCode.REVIEW_SUPERSEDED, "该版本已被更正，请审核最新版本", status=409, rule="EVI-09")
    reasons = {k: (v or "").strip() for k, v in (reasons or {}).items()}
    try:
        result = rules.review_result(criteria)
    except ValueError as exc:
        raise ZhifaError(EvidenceErrorCode.INVALID_INPUT, "须对真实、清晰、完整、准确、合法逐项作出结论", rule="EVI-06") from exc
    lacking = rules.review_reason_problems(criteria, reasons)
    if lacking:
        labels = "、".join(ReviewCriterion(c).label for c in lacking)
        raise ZhifaError(
            EvidenceErrorCode.REVIEW_REASON_REQUIRED, f"未通过的审核项须说明理由：{labels}", field=f"{lacking[0].lower()}_reason", rule="EVI-06"
        )
    with transaction.atomic():
        review = EvidenceReview.objects.create(
            item=item,
            reviewer=actor,
            true_ok=bool(criteria["TRUE"]),
            true_reason=reasons.get("TRUE", ""),
            clear_ok=bool(criteria["CLEAR"]),
            clear_reason=reasons.get("CLEAR", ""),
            complete_ok=bool(criteria["COMPLETE"]),
            complete_reason=reasons.get("COMPLETE", ""),
            accurate_ok=bool(criteria["ACCURATE"]),
            accurate_reason=reasons.get("ACCURATE", ""),
            lawful_ok=bool(criteria["LAWFUL"]),
            lawful_reason=reasons.get("LAWFUL", ""),
            result=result,
            opinion=(opinion or "").strip(),
        )
        entry = ledger_append(
            actor=actor,
            action="evidence.review",
            object_type=OBJECT_TYPE,
            object_id=item.pk,
            payload={"review": review.pk, "result": result, "criteria": {k: bool(v) for k, v in criteria.items()}, "sha256": item.file.sha256},
        )
        _custody(item=item, action=CustodyAction.REVIEWED, actor=actor, ledger_index=entry.index, purpose=review.get_result_display())
    return review


def evidence_link(*, actor, item: EvidenceItem, object_type: str, object_id: Any, note: str = "") -> EvidenceLink:
    """Link an item to a case, inspection, clue or device event (by type and id)."""
    _require_writer(actor)
    _require_visible(actor, item)
    if actor.role not in STAFF_ROLES:
        raise ZhifaError(EvidenceErrorCode.PERMISSION_DENIED, "仅执法机关工作人员可关联证据", status=403)
    if object_type not in LinkTarget.values:
        raise ZhifaError(EvidenceErrorCode.LINK_INVALID, "关联对象类型无效", field="object_type")
    object_id = clean_text(str(object_id or ""), 65)
    if not object_id or len(object_id) > 64:
        raise ZhifaError(EvidenceErrorCode.LINK_INVALID, "请填写有效的关联对象编号", field="object_id")
    if EvidenceLink.objects.filter(item=item, object_type=object_type, object_id=object_id).exists():
        raise ZhifaError(EvidenceErrorCode.LINK_EXISTS, "该证据已关联此对象", status=409)
    try:
        with transaction.atomic():
            link = EvidenceLink.objects.create(item=item, object_type=object_type, object_id=object_id, note=clean_text(note, 200), linked_by=actor)
            entry = ledger_append(
                actor=actor,
                action="evidence.link",
                object_type=OBJECT_TYPE,
                object_id=item.pk,
                payload={"link": link.pk, "object_type": object_type, "object_id": object_id},
            )
            _custody(item=item, action=CustodyAction.LINKED, actor=actor, ledger_index=entry.index, purpose=f"{LinkTarget(object_type).label} {object_id}")
    except IntegrityError as exc:
        raise ZhifaError(EvidenceErrorCode.LINK_EXISTS, "该证据已关联此对象", status=409) from exc
    return link


def evidence_view(*, actor, item: EvidenceItem, purpose: str = "") -> CustodyEvent:
    """Log that `actor` viewed the item's details (SEC-02: who, what, when, purpose)."""
    _require_visible(actor, item)
    purpose = clean_text(purpose, 200)
    with transaction.atomic():
        entry = ledger_append(
            actor=actor, action="evidence.view", object_type=OBJECT_TYPE, object_id=item.pk, payload={"purpose": purpose}
        )
        return _custody(item=item, action=CustodyAction.VIEWED, actor=actor, ledger_index=entry.index, purpose=purpose)


def evidence_open_for_download(*, actor, item: EvidenceItem, purpose: str = "", storage: EvidenceStorage | None = None) -> tuple[BinaryIO, EvidenceFile]:
    """Open the item's file for streaming and log the download (SEC-02). The caller closes the
    returned handle (FileResponse does).

    REC-17, SEC-01: the bytes open only under an approved access request whose window covers
    this moment, or for the file's own uploader (zhifa.access.services.access_authorise); a
    refusal is logged there and raised as a 403. The ledger entry names the request.
    """
    _require_visible(actor, item)
    evidence_file = item.file
    authorisation = access_authorise(
        actor=actor, object_type=AccessObjectType.EVIDENCE_ITEM, object_id=item.pk, uploaded_by_id=evidence_file.uploaded_by_id
    )
    purpose = clean_text(purpose, 200) or clean_text(authorisation.purpose, 200)
    storage = storage or get_storage()
    try:
        handle = storage.open(evidence_file.sha256)
    except BlobMissing as exc:
        log.error("evidence blob %s missing for item %s", evidence_file.sha256, item.pk)
        raise ZhifaError(EvidenceErrorCode.FILE_MISSING, "证据文件缺失，请联系系统管理员运行完整性检查", status=410) from exc
    try:
        with transaction.atomic():
            entry = ledger_append(
                actor=actor,
                action="evidence.download",
                object_type=OBJECT_TYPE,
                object_id=item.pk,
                payload={"purpose": purpose, "sha256": evidence_file.sha256, **authorisation.ledger_payload()},
            )
            _custody(item=item, action=CustodyAction.DOWNLOADED, actor=actor, ledger_index=entry.index, purpose=purpose)
    except BaseException:
        handle.close()
        raise
    return handle, evidence_file


__all__ = [
    "CORRECTABLE_FIELDS",
    "evidence_correct",
    "evidence_link",
    "evidence_open_for_download",
    "evidence_register",
    "evidence_review",
    "evidence_view",
    "holds_valid_credential",
    "may_review",
]


def evidence_register_generated(
    *,
    organisation,
    chunks: Iterable[bytes],
    filename: str,
    title: str,
    production_method: str,
    producer: str,
    object_proven: str,
    produced_at,
    enterprise: Enterprise | None = None,
    storage: EvidenceStorage | None = None,
) -> EvidenceItem:
    """Register electronic data the platform produced itself (e.g. a detection run's data snapshot,
    CLU-02), as the system account, for `organisation`. Same storage, sniffing, fsync and ledger
    path as an upload (EVI-03: who made it — the system — how, when and what it proves)."""
    from zhifa.accounts.services import system_account

    actor = system_account()
    metadata = {
        "kind": EvidenceKind.ELECTRONIC_DATA,
        "title": clean_text(title, 200),
        "description": "",
        "production_method": clean_text(production_method, 200),
        "produced_at": produced_at,
        "producer": clean_text(producer, 100),
        "object_proven": clean_text(object_proven, 200),
        "is_original_carrier": True,
        "copy_method": "",
    }
    _validate_metadata(metadata)
    storage = storage or get_storage()
    evidence_file = _store_upload(
        actor=actor, chunks=chunks, original_filename=filename, declared_content_type="text/plain", size_hint=None, storage=storage
    )
    with transaction.atomic():
        evidence_file.save()
        item = EvidenceItem.objects.create(
            **metadata, source=EvidenceSource.SHARED_DATA, organisation=organisation, enterprise=enterprise, file=evidence_file,
            created_by=actor,
        )
        entry = ledger_append(
            actor=actor, action="evidence.register_generated", object_type=OBJECT_TYPE, object_id=item.pk,
            payload={**_item_payload(item), "original_filename": evidence_file.original_filename},
        )
        _custody(item=item, action=CustodyAction.CREATED, actor=actor, ledger_index=entry.index)
    return item
