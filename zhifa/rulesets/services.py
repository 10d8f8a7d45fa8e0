"""Writes of the rulesets app: loading the YAML packs into versioned rows (JUR-01).

Loading is idempotent: a file whose bytes equal the newest loaded revision of its
(jurisdiction, version) is skipped; a changed file becomes a new revision; nothing is edited or
deleted in place. All files are validated together first, then written in one transaction that
also appends one ledger entry per new revision — all or nothing.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from zhifa.ledger.services import ledger_append

from .errors import PackValidationError
from .models import RuleParameter, RuleSet
from .packs import PACKS_DIR, Pack, check_pack_set, read_pack_dir
from .selectors import clear_rulebook_cache, pack_from_row


@dataclass
class LoadReport:
    """What one load did, for the command output and tests."""

    created: list[RuleSet] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created)

    def lines(self) -> list[str]:
        out = [f"新载入：{rs.jurisdiction} 版本 {rs.version} 修订 {rs.revision}（{rs.file_name}，{rs.parameters.count()} 项参数）" for rs in self.created]
        out += [f"未变化：{label}" for label in self.unchanged]
        return out


def ruleset_load_packs(*, actor=None, directory: Path | str = PACKS_DIR) -> LoadReport:
    """Validate every pack in `directory` and load new or changed ones (see module docstring)."""
    packs = read_pack_dir(directory)  # raises PackValidationError (Chinese, every problem listed)
    report = LoadReport()
    with transaction.atomic():
        # A concurrent load of the same pack fails on the (jurisdiction, version, revision)
        # unique constraint and rolls back whole, so revisions stay gap-free.
        existing = {(rs.jurisdiction, rs.version, rs.revision): rs for rs in RuleSet.objects.all()}
        latest: dict[tuple[str, str], int] = {}
        for jur, version, revision in existing:
            latest[(jur, version)] = max(revision, latest.get((jur, version), 0))
        planned: list[tuple[Pack, int]] = []
        for pack in packs:
            top = latest.get((pack.jurisdiction, pack.version))
            current = existing.get((pack.jurisdiction, pack.version, top)) if top else None
            if current is not None and current.sha256 == pack.sha256:
                report.unchanged.append(f"{pack.jurisdiction} 版本 {pack.version} 修订 {top}（{pack.file_name}）")
                continue
            planned.append((pack, (top or 0) + 1))
        if planned:
            _check_against_loaded(planned, existing)
        for pack, revision in planned:
            report.created.append(_ruleset_create(pack, revision, actor))
        if report.created:
            transaction.on_commit(clear_rulebook_cache)
    return report


def _check_against_loaded(planned: list[tuple[Pack, int]], existing: dict) -> None:
    """Cross-pack checks over what the database will hold after the load (JUR-01)."""
    replaced = {(p.jurisdiction, p.version) for p, _ in planned}
    combined = [pack_from_row(rs, with_entries=True) for rs in existing.values() if (rs.jurisdiction, rs.version) not in replaced]
    combined += [_with_revision(p, r) for p, r in planned]
    problems = check_pack_set(combined)
    if problems:
        raise PackValidationError.from_problems(problems)


def _with_revision(pack: Pack, revision: int) -> Pack:
    return dataclasses.replace(pack, revision=revision)


def _ruleset_create(pack: Pack, revision: int, actor) -> RuleSet:
    """Insert one revision with its parameters and log it (caller holds the transaction)."""
    ruleset = RuleSet.objects.create(
        jurisdiction=pack.jurisdiction,
        name=pack.name,
        version=pack.version,
        revision=revision,
        effective_from=pack.effective_from,
        effective_to=pack.effective_to,
        inherits=list(pack.inherits),
        sources=list(pack.sources),
        notes=pack.notes,
        file_name=pack.file_name,
        sha256=pack.sha256,
        loaded_at=timezone.now(),
        loaded_by=str(actor) if actor is not None else "system",
    )
    RuleParameter.objects.bulk_create(
        [
            RuleParameter(
                ruleset=ruleset,
                key=e.key,
                kind=e.kind,
                value=e.value,
                missing=e.missing,
                unit=e.unit,
                strategy=e.strategy,
                statute_bound=e.statute_bound,
                source=e.source,
                verification=e.verification,
                rule_ids=list(e.rule_ids),
                effective_from=e.effective_from,
                effective_to=e.effective_to,
                flags=sorted(e.flags),
                meaning=e.meaning,
                notes=e.notes,
                superseded_by=e.superseded_by,
                aliases=list(e.aliases),
                legal_signoff=e.legal_signoff,
                position=i,
            )
            for i, e in enumerate(pack.entries)
        ]
    )
    ledger_append(
        actor=actor,
        action="ruleset.load",
        object_type="rulesets.ruleset",
        object_id=ruleset.pk,
        payload={
            "jurisdiction": pack.jurisdiction,
            "version": pack.version,
            "revision": revision,
            "effective_from": pack.effective_from,
            "effective_to": pack.effective_to,
            "file": pack.file_name,
            "sha256": pack.sha256,
            "parameters": len(pack.entries),
        },
    )
    return ruleset
