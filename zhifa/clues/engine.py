"""The detection engine (issue 4 item 2): runs every active scenario as set-based SQL, turns the
hits into clues, keeps one open clue per ongoing violation, and closes clues whose condition no
longer holds. Memory is bounded by the batch size and the number of hits, never by the number of
enterprises.

Each batch of up to BATCH hits is written in one transaction together with its ledger entry, so a
crash mid-run leaves whole batches; the next run is idempotent and completes the work.
"""
from __future__ import annotations

import itertools
import logging
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from zhifa.accounts.models import Organisation
from zhifa.common.calendar_store import get_calendar
from zhifa.common.errors import ZhifaError
from zhifa.common.timeutil import local_date, today
from zhifa.evidence.services import evidence_register_generated
from zhifa.ledger.services import ledger_append
from zhifa.rulesets.rules import RuleNotConfigured
from zhifa.rulesets.selectors import rs

from . import quality, triage
from .choices import ACTIVE_STATUSES, Channel, CloseReason, ClueStatus, EventKind, RunOrigin, RunStatus, ScenarioStatus
from .errors import ClueErrorCode
from .models import Clue, ClueEvent, DetectionRun, Scenario
from .packs import scenario_pack_sync
from .records import load_records
from .rules import canonical_json, limitation_expired, snapshot_hash
from .scenarios import Context, Hit, get_evaluator
from .scenarios.chemicals import incompatible_pairs

log = logging.getLogger(__name__)

BATCH = 1000
STALE_RUN_AFTER = timedelta(hours=6)
ENGINE_NAME = "zhifa 线索检测引擎"


@dataclass
class Partition:
    """Organisations sharing one jurisdiction (JUR-01): the rule-set values resolved for it apply
    to all their enterprises."""

    jurisdiction: str
    organisation_ids: tuple[int, ...]


@dataclass
class ScenarioTally:
    candidates: int = 0
    hits: int = 0
    created: int = 0
    refreshed: int = 0
    unchanged: int = 0
    closed: int = 0
    gone_transferred: int = 0
    limitation: int = 0
    disagreements: int = 0
    skipped: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {k: (round(v, 3) if isinstance(v, float) else v) for k, v in self.__dict__.items()}


def active_scenarios(as_of: date, only_rule: str | None = None) -> list[Scenario]:
    """The latest active version of each scenario in force on `as_of`."""
    qs = Scenario.objects.filter(status=ScenarioStatus.ACTIVE, effective_from__lte=as_of).filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=as_of)
    )
    if only_rule:
        qs = qs.filter(code=only_rule)
    latest: dict[str, Scenario] = {}
    for scenario in qs.order_by("code", "-version"):
        latest.setdefault(scenario.code, scenario)
    return list(latest.values())


def partitions() -> list[Partition]:
    """Organisations grouped by effective jurisdiction (the nearest one set on the organisation
    or an ancestor, as Organisation.effective_jurisdiction), resolved from one query."""
    rows = list(Organisation.objects.values_list("pk", "parent_id", "jurisdiction"))
    parent = {pk: parent_id for pk, parent_id, _ in rows}
    own = {pk: jurisdiction for pk, _, jurisdiction in rows}
    groups: dict[str, list[int]] = defaultdict(list)
    for pk in own:
        node = pk
        while node is not None and not own[node]:
            node = parent[node]
        groups[own[node] if node is not None else "CN"].append(pk)
    return [Partition(j, tuple(sorted(ids))) for j, ids in sorted(groups.items())]


def applies(scenario: Scenario, jurisdiction: str) -> bool:
    """JUR-01: a scenario listed for CN-SH applies in CN-SH and every jurisdiction below it."""
    return any(jurisdiction == j or jurisdiction.startswith(j + "-") for j in scenario.jurisdictions)


def _start(as_of: date, only_rule: str | None, origin: str, actor) -> DetectionRun:
    with transaction.atomic():
        cutoff = timezone.now() - STALE_RUN_AFTER
        DetectionRun.objects.filter(status=RunStatus.RUNNING, started_at__lt=cutoff).update(
            status=RunStatus.FAILED, error="运行中断（超过6小时未完成）"
        )
        if DetectionRun.objects.filter(status=RunStatus.RUNNING).exists():
            raise ZhifaError(ClueErrorCode.RUN_IN_PROGRESS, "已有检测正在运行，请等待其完成后再试", status=409)
        return DetectionRun.objects.create(as_of=as_of, origin=origin, actor=actor, only_rule=only_rule or "")


@contextmanager
def _batch_session():
    """Detection is a batch job of a few large set-based queries: on PostgreSQL it gets more
    memory for its hash joins and aggregates (settings.ZHIFA_DETECTION_WORK_MEM) than the
    application's short queries, so they do not spill to disk; the default returns afterwards."""
    work_mem = getattr(settings, "ZHIFA_DETECTION_WORK_MEM", "")
    if connection.vendor != "postgresql" or not work_mem:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('work_mem', %s, false)", [work_mem])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET work_mem")


def detection_run(*, as_of: date | None = None, only_rule: str | None = None, origin: str = RunOrigin.COMMAND, actor=None,
                  progress: Callable[[str], None] | None = None) -> DetectionRun:
    """Run detection for `as_of` (default today). Returns the finished DetectionRun with counts per
    scenario. Scenarios whose rule-set values are not configured for a jurisdiction are skipped
    there and say so in the counts (never guessed)."""
    as_of = as_of or today()
    scenario_pack_sync()
    scenarios = active_scenarios(as_of, only_rule)
    if only_rule and not scenarios:
        raise ZhifaError(ClueErrorCode.UNKNOWN_RULE, f"没有在 {as_of} 生效的检测场景 {only_rule}", field="rule")
    run = _start(as_of, only_rule, origin, actor)
    started = time.monotonic()
    with _batch_session():
        return _detect(run, started, as_of, only_rule, scenarios, actor, progress)


def _detect(run: DetectionRun, started: float, as_of: date, only_rule: str | None, scenarios, actor, progress) -> DetectionRun:
    try:
        cal = get_calendar()
        parts = partitions()
        reference = {"incompatible_pairs": incompatible_pairs()}
        counts: dict[str, Any] = {}
        for scenario in scenarios:
            tally = _run_scenario(run, scenario, parts, cal, reference, progress)
            counts[scenario.code] = tally.as_dict()
            if progress:
                progress(f"{scenario.code}: 命中 {tally.hits}，新增 {tally.created}，更新 {tally.refreshed}，办结 {tally.closed}（{tally.seconds:.1f} 秒）")
        if not only_rule:
            counts["quality"] = quality.quality_scan(run)
        run.counts = counts
        run.rule_versions = {s.code: s.version for s in scenarios}
        run.status = RunStatus.DONE
    except Exception as exc:
        run.status = RunStatus.FAILED
        run.error = f"{type(exc).__name__}: {exc}"[:2000]
        raise
    finally:
        run.finished_at = timezone.now()
        run.duration_ms = int((time.monotonic() - started) * 1000)
        run.save(update_fields=["counts", "rule_versions", "status", "error", "finished_at", "duration_ms"])
        with transaction.atomic():
            ledger_append(actor=actor, action="clue.detection_run", object_type="clues.detectionrun", object_id=run.pk,
                          payload={"as_of": as_of, "status": run.status, "rule_versions": run.rule_versions, "duration_ms": run.duration_ms,
                                   "totals": {code: {k: c.get(k) for k in ("hits", "created", "refreshed", "closed")}
                                              for code, c in run.counts.items() if code != "quality"}})
    return run


def _chunks(iterable: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(iterable)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def _resolve(keys: Iterable[str], jurisdiction: str, as_of: date) -> dict[str, Any]:
    return {key: rs(key, jurisdiction=jurisdiction, on=as_of).value for key in keys}


def _limitation_months(jurisdiction: str, as_of: date) -> tuple[int, int]:
    return (int(rs("limitation.months", jurisdiction=jurisdiction, on=as_of, kind="GENERAL").value),
            int(rs("limitation.months", jurisdiction=jurisdiction, on=as_of, kind="EXTENDED").value))


def _run_scenario(run: DetectionRun, scenario: Scenario, parts: list[Partition], cal, reference, progress) -> ScenarioTally:
    evaluator = get_evaluator(scenario.evaluator)
    tally = ScenarioTally()
    started = time.monotonic()
    evaluated_orgs: list[int] = []
    snapshots: dict[int, list[tuple[int, bytes]]] = defaultdict(list)  # organisation → (clue id, facts line)
    for part in parts:
        if not applies(scenario, part.jurisdiction):
            continue
        try:
            params = _resolve(evaluator.rs_keys(scenario.params), part.jurisdiction, run.as_of)
            limitation = _limitation_months(part.jurisdiction, run.as_of)
        except RuleNotConfigured as exc:
            tally.skipped.append(f"{part.jurisdiction}: {exc}")
            continue
        evaluated_orgs.extend(part.organisation_ids)
        lookback = first_violation_lookback(part.jurisdiction, run.as_of)
        ctx = Context(run.as_of, cal, params, part.organisation_ids, reference)
        for batch in _chunks(evaluator.candidates(ctx, scenario.params), BATCH):
            tally.candidates += len(batch)
            records = load_records(e for e, _ in batch)
            found: dict[str, Hit] = {}
            for record in records.values():
                for hit in evaluator.evaluate(record, ctx, scenario.params):
                    found[hit.key] = hit
            agreed: list[Hit] = []
            for _, key in dict.fromkeys(batch):
                hit = found.get(key)
                if hit is None:
                    if not evaluator.sql_is_superset:
                        tally.disagreements += 1
                        log.error("%s: SQL found %s but the pure condition does not hold; no clue created", scenario.code, key)
                    continue
                if limitation_expired(violation_on=hit.violation_on, ongoing=hit.ongoing, as_of=run.as_of, months_general=limitation[0],
                                      months_extended=limitation[1], life_health_or_financial=scenario.life_health_or_financial, harmful=False):
                    tally.limitation += 1  # CLU-03: past the limitation period, not a clue
                    continue
                agreed.append(hit)
            tally.hits += len(agreed)
            if agreed:
                _apply_batch(run, scenario, agreed, records, tally, snapshots, lookback)
    _attach_snapshots(run, scenario, snapshots)
    _close_unseen(run, scenario, evaluated_orgs, tally)
    tally.seconds = time.monotonic() - started
    return tally


def _dedup_key(scenario: Scenario, hit: Hit) -> str:
    return f"{scenario.code}:{hit.key}"


def first_violation_lookback(jurisdiction: str, as_of: date) -> int | None:
    """CLU-L02 lookback, or None where the rule set leaves it open (triage.first_violation's fallback)."""
    try:
        return int(rs("first_violation.lookback", jurisdiction=jurisdiction, on=as_of).value)
    except RuleNotConfigured:
        return None


def _apply_batch(run, scenario, hits: list[Hit], records, tally: ScenarioTally, snapshots, lookback: int | None) -> None:
    """Create new clues, refresh changed facts, mark every hit as seen — one transaction, one ledger entry.
    A new clue gets its triage category (CLU-X01, CLU-L02 first violation) and, where its facts
    point at the principal person's duties, the 一案双罚 hint (DEC-03)."""
    now = timezone.now()
    keys = {_dedup_key(scenario, h): h for h in hits}
    with transaction.atomic():
        existing = {c.dedup_key: c for c in Clue.objects.filter(dedup_key__in=list(keys), is_open=True)}
        earlier: dict[int, list[date]] = defaultdict(list)
        for enterprise_id, detected_at in (Clue.objects.filter(enterprise_id__in={h.enterprise_id for h in hits}, rule_id=scenario.code)
                                           .exclude(close_reason=CloseReason.DISMISSED).values_list("enterprise_id", "detected_at")):
            earlier[enterprise_id].append(local_date(detected_at))
        new_clues, refreshed, seen_ids, back = [], [], [], []
        for key, hit in keys.items():
            digest = snapshot_hash(hit.facts)
            clue = existing.get(key)
            if clue is None:
                new_clues.append(Clue(
                    channel=Channel.DATA_COMPARISON, scenario=scenario, rule_id=scenario.code, rule_version=scenario.version,
                    enterprise_id=hit.enterprise_id, organisation_id=records[hit.enterprise_id].organisation_id, dedup_key=key,
                    title=hit.title[:300], facts=hit.facts, snapshot_sha256=digest, detected_at=now, detection_run=run, last_seen_run=run,
                    violation_on=hit.violation_on, ongoing=hit.ongoing, severity=scenario.default_severity,
                    category=triage.initial_category(severity=scenario.default_severity, first_time=triage.first_violation(
                        earlier_on=earlier.get(hit.enterprise_id, ()), on=local_date(now), lookback_months=lookback).eligible),
                    dual_penalty_hint=triage.dual_penalty_hint(scenario.code, hit.facts) is not None,
                    life_health_or_financial=scenario.life_health_or_financial,
                ))
                continue
            seen_ids.append(clue.pk)
            if clue.snapshot_sha256 != digest:
                clue.facts, clue.snapshot_sha256, clue.title = hit.facts, digest, hit.title[:300]
                clue.violation_on, clue.ongoing, clue.last_seen_run, clue.condition_holds = hit.violation_on, hit.ongoing, run, True
                refreshed.append(clue)
            elif not clue.condition_holds:
                back.append(clue.pk)  # a transferred clue whose condition holds again, same facts
        created = Clue.objects.bulk_create(new_clues)
        if refreshed:
            Clue.objects.bulk_update(refreshed, ["facts", "snapshot_sha256", "title", "violation_on", "ongoing", "last_seen_run", "condition_holds", "updated_at"])
        if seen_ids:
            Clue.objects.filter(pk__in=seen_ids).update(last_seen_run=run, condition_holds=True)
        events = [ClueEvent(clue=c, kind=EventKind.DETECTED, run=run, payload={"sha256": c.snapshot_sha256}, note=c.title) for c in created]
        events += [ClueEvent(clue=c, kind=EventKind.DUAL_PENALTY_HINT, run=run, note=hint.text, payload={"rule_id": hint.rule_id, "duty": hint.duty})
                   for c in created if c.dual_penalty_hint and (hint := triage.dual_penalty_hint(c.rule_id, c.facts))]
        events += [ClueEvent(clue=c, kind=EventKind.REFRESHED, run=run, payload={"sha256": c.snapshot_sha256}, note="检测数据更新") for c in refreshed]
        events += [ClueEvent(clue_id=pk, kind=EventKind.NOTE, run=run, note="数据条件再次成立") for pk in back]
        ClueEvent.objects.bulk_create(events)
        ledger_append(actor=None, action="clue.detect_batch", object_type="clues.detectionrun", object_id=run.pk, payload={
            "scenario": scenario.code, "version": scenario.version,
            "created": [[c.pk, c.dedup_key, c.snapshot_sha256] for c in created],
            "refreshed": [[c.pk, c.dedup_key, c.snapshot_sha256] for c in refreshed],
        })
    tally.created += len(created)
    tally.refreshed += len(refreshed)
    tally.unchanged += len(seen_ids) - len(refreshed)
    for c in (*created, *refreshed):
        snapshots[c.organisation_id].append((c.pk, canonical_json({"clue": c.pk, "key": c.dedup_key, "sha256": c.snapshot_sha256, "facts": c.facts})))


def _attach_snapshots(run, scenario, snapshots) -> None:
    """CLU-02: the facts of every new or refreshed clue go to the evidence store as one electronic
    data file per organisation and scenario (JSON lines, one per clue, each carrying its hash)."""
    for organisation_id, lines in snapshots.items():
        organisation = Organisation.objects.get(pk=organisation_id)
        item = evidence_register_generated(
            organisation=organisation,
            chunks=(line + b"\n" for _, line in lines),
            filename=f"{scenario.code}-run{run.pk}-org{organisation_id}.jsonl",
            title=f"{scenario.code} 数据比对快照（检测运行 #{run.pk}）",
            production_method=f"{ENGINE_NAME}按场景 {scenario.code} v{scenario.version} 对主体库数据比对生成",
            producer=ENGINE_NAME,
            object_proven=f"{scenario.title}：各线索发现时的数据事实",
            produced_at=timezone.now(),
        )
        Clue.objects.filter(pk__in=[pk for pk, _ in lines]).update(snapshot_evidence=item)


def _close_unseen(run, scenario, organisation_ids: list[int], tally: ScenarioTally) -> None:
    """A clue not seen in this run no longer meets its condition: close it (CONDITION_GONE), or —
    if the enterprise had been reminded — close it as corrected with its education record (CLU-L04).
    Transferred clues belong to the enforcement body: they only get a timeline note."""
    unseen = Clue.objects.filter(rule_id=scenario.code, channel=Channel.DATA_COMPARISON, is_open=True, condition_holds=True,
                                 organisation_id__in=organisation_ids).exclude(last_seen_run=run)
    for batch in _chunks(unseen.iterator(chunk_size=BATCH), BATCH):
        with transaction.atomic():
            for clue in batch:
                if clue.status in (ClueStatus.REMINDED, ClueStatus.ANSWERED):
                    from .services import clue_close_corrected_by_data  # triage services sit above the engine

                    clue_close_corrected_by_data(clue, run)
                elif clue.status in ACTIVE_STATUSES:
                    _close_condition_gone(clue, run)
                else:
                    clue.condition_holds = False
                    clue.save(update_fields=["condition_holds", "updated_at"])
                    ClueEvent.objects.create(clue=clue, kind=EventKind.CONDITION_GONE, run=run, note="数据条件已不再成立（线索已移交，由接收机构处理）")
                    ledger_append(actor=None, action="clue.condition_gone", object_type="clues.clue", object_id=clue.pk, payload={"run": run.pk})
                    tally.gone_transferred += 1
                    continue
                tally.closed += 1


def _close_condition_gone(clue: Clue, run: DetectionRun) -> None:
    clue.is_open, clue.condition_holds, clue.status = False, False, ClueStatus.CLOSED
    clue.close_reason, clue.closed_at = CloseReason.CONDITION_GONE, timezone.now()
    clue.close_note = f"检测运行 #{run.pk}（{run.as_of}）未再发现该情形"
    clue.save(update_fields=["is_open", "condition_holds", "status", "close_reason", "closed_at", "close_note", "updated_at"])
    ClueEvent.objects.create(clue=clue, kind=EventKind.CONDITION_GONE, run=run, note=clue.close_note)
    ledger_append(actor=None, action="clue.close", object_type="clues.clue", object_id=clue.pk,
                  payload={"reason": CloseReason.CONDITION_GONE, "run": run.pk})
