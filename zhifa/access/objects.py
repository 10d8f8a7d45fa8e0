"""The objects an access request can name, resolved through the apps that own them.

`settings.ZHIFA_ACCESS_OBJECT_KINDS` maps each kind (choices.ObjectType) to the dotted path of the
owning app's per-object scope selector (`visible(user) -> QuerySet`) and, optionally, the URL name
of the object's page. zhifa.access therefore imports no app above it: evidence and subjects call
down into the access gate, and access reaches their objects only through this configuration.
A kind without configuration (recordings, for now) cannot be requested.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.module_loading import import_string

from .choices import ObjectType

MAX_OBJECT_ID = 2**63 - 1


@dataclass(frozen=True)
class ObjectRef:
    object_type: str
    object_id: int

    @property
    def key(self) -> str:
        return f"{self.object_type}:{self.object_id}"

    @property
    def type_label(self) -> str:
        try:
            return ObjectType(self.object_type).label
        except ValueError:
            return self.object_type


@dataclass(frozen=True)
class ResolvedObject:
    ref: ObjectRef
    label: str
    url: str | None


def _kinds() -> dict:
    return getattr(settings, "ZHIFA_ACCESS_OBJECT_KINDS", {}) or {}


def enabled_kinds() -> list[str]:
    """Kinds that can be requested now, in ObjectType order."""
    configured = _kinds()
    return [kind for kind in ObjectType.values if kind in configured]


def is_enabled(object_type: str) -> bool:
    return object_type in _kinds()


def parse_ref(text: str) -> ObjectRef | None:
    """"evidence_item:12" → ObjectRef; None for anything malformed."""
    kind, sep, number = (text or "").strip().partition(":")
    if not sep or kind not in ObjectType.values or not number.isascii() or not number.isdigit() or len(number) > 18:
        return None
    object_id = int(number)
    if not 1 <= object_id <= MAX_OBJECT_ID:
        return None
    return ObjectRef(kind, object_id)


def _reverse(ref: ObjectRef, key: str) -> str | None:
    url_name = _kinds().get(ref.object_type, {}).get(key)
    if not url_name:
        return None
    try:
        return reverse(url_name, args=[ref.object_id])
    except NoReverseMatch:
        return None


def object_url(ref: ObjectRef) -> str | None:
    """The object's own page (metadata), if it has one."""
    return _reverse(ref, "url")


def open_url(ref: ObjectRef) -> str | None:
    """The URL that opens the protected content (e.g. an evidence file's download), if any."""
    return _reverse(ref, "open")


def visible_object(user, ref: ObjectRef) -> ResolvedObject | None:
    """The object if it exists and `user` may see it (the owning app's scope), else None."""
    config = _kinds().get(ref.object_type)
    if not config or not 1 <= ref.object_id <= MAX_OBJECT_ID:
        return None
    visible = import_string(config["visible"])
    obj = visible(user).filter(pk=ref.object_id).first()
    if obj is None:
        return None
    return ResolvedObject(ref=ref, label=str(obj)[:200], url=object_url(ref))
