"""Reads of the rulesets app: the loaded versions as a `Rulebook`, and `rs()` for other apps.

`rs(key, organisation=..., on=...)` resolves a parameter from the versions loaded in the database
(never from the files directly), for the Organisation's effective jurisdiction. The rulebook is
cached per process and rebuilt when the set of loaded revisions changes (one small query per
call) or when a load commits.
"""
from __future__ import annotations

import threading
from datetime import date

from django.db.models import Count

from zhifa.common.timeutil import today

from .errors import RuleNotConfigured, RulesetErrorCode
from .models import RuleParameter, RuleSet
from .packs import Pack, ParamEntry
from .rules import Resolved, Rulebook

_lock = threading.Lock()
_cache: dict[str, object] = {"stamp": None, "rulebook": None}


def _entry_from_row(row: RuleParameter) -> ParamEntry:
    return ParamEntry(
        key=row.key,
        kind=row.kind,
        value=row.value,
        missing=row.missing,
        unit=row.unit,
        strategy=row.strategy,
        statute_bound=row.statute_bound,
        source=row.source,
        verification=row.verification,
        rule_ids=tuple(row.rule_ids),
        effective_from=row.effective_from,
        effective_to=row.effective_to,
        flags=frozenset(row.flags),
        meaning=row.meaning,
        notes=row.notes,
        superseded_by=row.superseded_by,
        aliases=tuple(row.aliases),
        legal_signoff=row.legal_signoff,
    )


def pack_from_row(ruleset: RuleSet, *, with_entries: bool = True, parameters=None) -> Pack:
    """Rebuild the pure Pack of a loaded revision."""
    if with_entries and parameters is None:
        parameters = list(ruleset.parameters.order_by("position"))
    return Pack(
        jurisdiction=ruleset.jurisdiction,
        name=ruleset.name,
        version=ruleset.version,
        effective_from=ruleset.effective_from,
        effective_to=ruleset.effective_to,
        inherits=tuple(ruleset.inherits),
        sources=tuple(ruleset.sources),
        entries=tuple(_entry_from_row(p) for p in (parameters or [])),
        sha256=ruleset.sha256,
        file_name=ruleset.file_name,
        notes=ruleset.notes,
        revision=ruleset.revision,
        ruleset_id=ruleset.pk,
    )


def _stamp() -> tuple:
    return tuple(RuleSet.objects.order_by("pk").values_list("pk", "sha256", "revision"))


def clear_rulebook_cache() -> None:
    with _lock:
        _cache["stamp"] = None
        _cache["rulebook"] = None


def loaded_rulebook() -> Rulebook:
    """The Rulebook of every loaded revision (cached; rebuilt when the loaded set changes)."""
    stamp = _stamp()
    with _lock:
        if _cache["stamp"] == stamp and _cache["rulebook"] is not None:
            return _cache["rulebook"]  # type: ignore[return-value]
    by_ruleset: dict[int, list[RuleParameter]] = {}
    for param in RuleParameter.objects.order_by("ruleset_id", "position"):
        by_ruleset.setdefault(param.ruleset_id, []).append(param)
    packs = [pack_from_row(rs, parameters=by_ruleset.get(rs.pk, [])) for rs in RuleSet.objects.order_by("pk")]
    rulebook = Rulebook(packs)
    with _lock:
        _cache["stamp"] = stamp
        _cache["rulebook"] = rulebook
    return rulebook


def rs(key: str, *, organisation=None, jurisdiction: str | None = None, on: date | None = None, kind: str | None = None) -> Resolved:
    """Resolve `key` for an organisation (its effective jurisdiction) or an explicit jurisdiction.

    `on` defaults to today in Asia/Shanghai (CAL-01). Raises RuleNotConfigured (Chinese message)
    when nothing is loaded or the value is unknown — callers block the step, never guess.
    """
    if jurisdiction is None:
        if organisation is None:
            raise ValueError("rs() 需要 organisation 或 jurisdiction 参数")
        jurisdiction = organisation.effective_jurisdiction
    day = on or today()
    rulebook = loaded_rulebook()
    if not rulebook.jurisdictions:
        raise RuleNotConfigured.make(
            "尚未载入任何规则集，请管理员运行 python manage.py load_rulesets",
            key=key, jurisdiction=jurisdiction, on_date=day, kind=kind, code=RulesetErrorCode.NOT_CONFIGURED,
        )
    return rulebook.resolve(key, jurisdiction, day, kind)


def ruleset_versions():
    """All loaded revisions with parameter counts, for the overview page."""
    return RuleSet.objects.annotate(parameter_count=Count("parameters")).order_by("jurisdiction", "effective_from", "version", "revision")
