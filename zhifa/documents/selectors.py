"""Reads of the documents app, always scoped to what the user may see."""
from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.db.models import QuerySet

from zhifa.accounts.access import org_scope_q, sees_everything
from zhifa.accounts.choices import STAFF_ROLES, Role
from zhifa.evidence.storage import LocalEvidenceStorage, evidence_root

from .kinds import KINDS
from .models import IssuedDocument

PARTY_FACING_KINDS = tuple(code for code, spec in KINDS.items() if spec.party_facing)


def documents_root() -> Path:
    """Where PDFs are kept: settings/env ZHIFA_DOCUMENTS_DIR, else a `documents` directory next
    to the evidence store (same volume, same durability; separate so that the evidence
    integrity check does not list document PDFs as unreferenced evidence blobs)."""
    configured = getattr(settings, "ZHIFA_DOCUMENTS_DIR", None) or os.environ.get("ZHIFA_DOCUMENTS_DIR")
    return Path(configured) if configured else evidence_root().parent / "documents"


def documents_storage() -> LocalEvidenceStorage:
    """The write-once, content-addressed, fsyncing store of zhifa.evidence.storage, rooted at
    documents_root()."""
    return LocalEvidenceStorage(documents_root())


def documents_visible_to(user) -> QuerySet[IssuedDocument]:
    """Per-object access:
    - staff see documents of organisations in their subtree (org_scope_q);
    - auditors and system administrators see all;
    - an enterprise contact sees the party-facing documents (not internal forms such as the
      filing approval or the legal-review opinion) issued to an enterprise it currently holds an
      authorisation for (subjects.ContactAuthorisation via enterprises_visible_to);
    - anyone else sees nothing.
    """
    qs = IssuedDocument.objects.all()
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if sees_everything(user):
        return qs
    if user.role == Role.ENTERPRISE_CONTACT:
        from zhifa.subjects.selectors import enterprises_visible_to

        enterprise_ids = list(enterprises_visible_to(user).values_list("pk", flat=True))
        if not enterprise_ids:
            return qs.none()
        return qs.filter(enterprise_id__in=enterprise_ids, kind__in=PARTY_FACING_KINDS)
    if user.role in STAFF_ROLES and user.organisation_id:
        return qs.filter(org_scope_q(user))
    return qs.none()


def document_visible(user, doc: IssuedDocument) -> bool:
    return documents_visible_to(user).filter(pk=doc.pk).exists()


def documents_for_ref(user, ref: str) -> QuerySet[IssuedDocument]:
    """The documents of one object ("cases.Case:12") that the user may see, newest first."""
    return documents_visible_to(user).filter(ref=ref).select_related("template", "organisation")


def versions_of(doc: IssuedDocument) -> list[IssuedDocument]:
    """The correction line of a document: the originals it supersedes and the corrections
    that supersede it, oldest first."""
    line = [doc]
    current = doc
    while current.supersedes_id:
        current = IssuedDocument.objects.get(pk=current.supersedes_id)
        line.insert(0, current)
    current = doc
    while True:
        nxt = IssuedDocument.objects.filter(supersedes=current).first()
        if nxt is None:
            break
        line.append(nxt)
        current = nxt
    return line


__all__ = ["documents_root", "documents_storage", "documents_visible_to", "document_visible", "documents_for_ref", "versions_of"]
