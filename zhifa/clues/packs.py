"""Loading the scenario pack (CLU-04): YAML → `Scenario` rows, idempotent, versioned.

A loaded (code, version) is never edited: loading a pack whose entry differs from the stored row
of the same version is refused (bump the version instead), so every clue's `rule_version` keeps
meaning what it meant when the clue was found.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from zhifa.common.errors import ZhifaError
from zhifa.ledger.services import ledger_append

from .choices import ScenarioStatus, Severity
from .errors import ClueErrorCode
from .models import Scenario
from .rules import snapshot_hash
from .scenarios import REGISTRY

PACK_PATH = Path(__file__).resolve().parent / "packs" / "scenarios.yaml"
FIELDS = ("title", "evaluator", "params", "condition", "legal_basis", "default_severity", "jurisdictions", "effective_from",
          "effective_to", "status", "approved_by", "approved_on", "non_site_capable", "life_health_or_financial")


@dataclass
class SyncResult:
    created: list[str]
    unchanged: list[str]


def _entries(text: str) -> list[dict[str, Any]]:
    data = yaml.safe_load(text) or {}
    defaults = data.get("defaults", {})
    entries = []
    for raw in data.get("scenarios", []):
        entry = {**defaults, **raw}
        entry.pop("flags", None)
        entries.append(entry)
    return entries


def validate_entry(entry: dict[str, Any]) -> None:
    """CLU-04: an active scenario needs a legal basis and an approval; its evaluator must exist."""
    code = entry.get("code", "?")
    if entry.get("evaluator") not in REGISTRY:
        raise ZhifaError(ClueErrorCode.SCENARIO_INVALID, f"场景 {code} 的判定器 {entry.get('evaluator')} 未登记", rule="CLU-04")
    if entry.get("default_severity", Severity.GENERAL) not in Severity.values:
        raise ZhifaError(ClueErrorCode.SCENARIO_INVALID, f"场景 {code} 的默认严重程度无效", rule="CLU-04")
    if entry.get("status") == ScenarioStatus.ACTIVE and not (entry.get("legal_basis") and entry.get("approved_by") and entry.get("approved_on")):
        raise ZhifaError(ClueErrorCode.SCENARIO_INVALID, f"场景 {code} 启用前须登记法律依据并经批准（CLU-04）", rule="CLU-04")


def scenario_pack_sync(text: str | None = None, *, actor=None) -> SyncResult:
    """Load the pack (default: the shipped file). New versions are created, identical ones left
    alone; a changed entry under an existing version is refused. One ledger entry per load that
    creates rows."""
    text = PACK_PATH.read_text(encoding="utf-8") if text is None else text
    result = SyncResult([], [])
    with transaction.atomic():
        for entry in _entries(text):
            validate_entry(entry)
            values = {f: entry.get(f) for f in FIELDS if f in entry}
            values.setdefault("params", {})
            for f in ("effective_from", "effective_to", "approved_on"):
                if isinstance(values.get(f), str):
                    values[f] = date.fromisoformat(values[f])
            digest = snapshot_hash({k: v for k, v in sorted(values.items())})
            label = f"{entry['code']} v{entry['version']}"
            existing = Scenario.objects.filter(code=entry["code"], version=entry["version"]).first()
            if existing is not None:
                if existing.source_sha256 != digest:
                    raise ZhifaError(ClueErrorCode.SCENARIO_INVALID, f"场景 {label} 的内容与已载入的同版本不同，请提高版本号", rule="CLU-04")
                result.unchanged.append(label)
                continue
            Scenario.objects.create(code=entry["code"], version=entry["version"], source_sha256=digest, **values)
            result.created.append(label)
        if result.created:
            ledger_append(actor=actor, action="clue.scenarios_load", object_type="clues.scenario", object_id="pack",
                          payload={"created": result.created})
    return result
