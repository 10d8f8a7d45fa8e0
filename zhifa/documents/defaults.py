"""The shipped default templates (templates/documents/pdf/kinds/<kind>.html) and their installer.

`install_default_templates` works with the real model and with a migration's historical model,
so the data migration, the `load_document_templates` command and the first-use fallback in
services.active_template share one implementation. It never changes an existing version: it
adds version 1 for a kind without templates, and with `update=True` a new active version when
the shipped source differs from the active one.
"""
from __future__ import annotations

from pathlib import Path

from django.conf import settings

from .choices import DocumentKind

TEMPLATE_DIR = Path(settings.BASE_DIR) / "templates" / "documents" / "pdf" / "kinds"
INSTALL_NOTE = "系统默认模板"


def default_source_path(kind: str) -> Path:
    return TEMPLATE_DIR / f"{str(kind).lower()}.html"


def default_source(kind: str) -> str:
    return default_source_path(kind).read_text(encoding="utf-8")


def install_default_templates(model, *, kinds=None, update: bool = False) -> list:
    """Create the missing default versions; returns the created rows (caller logs them)."""
    created = []
    for kind in kinds or [k.value for k in DocumentKind]:
        kind = str(kind)
        body = default_source(kind)
        versions = model.objects.filter(kind=kind)
        active = versions.filter(active=True).first()
        if versions.exists() and not update:
            continue
        if active is not None and active.body == body:
            continue
        latest = versions.order_by("-version").first()
        versions.filter(active=True).update(active=False)
        created.append(
            model.objects.create(
                kind=kind,
                version=(latest.version if latest else 0) + 1,
                title=DocumentKind(kind).label,
                body=body,
                note=INSTALL_NOTE,
                active=True,
            )
        )
    return created
