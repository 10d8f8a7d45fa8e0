"""The detection engine end to end (issue 4 item 2): exact results over the demo city, idempotent
runs, refreshed facts, closure when the condition is gone, limitation, data-quality findings, the
evidence snapshot and the scenario pack rules (CLU-02, CLU-03, CLU-04, JUR-01)."""
from __future__ import annotations

import hashlib
import json
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from zhifa.clues.choices import Channel, CloseReason, ClueStatus, EventKind, QualityCode, RunStatus
from zhifa.clues.engine import detection_run
from zhifa.clues.models import Clue, DataQualityFinding, DetectionRun, Scenario
from zhifa.clues.packs import PACK_PATH, scenario_pack_sync
from zhifa.clues.rules import canonical_json, snapshot_hash
from zhifa.common.errors import ZhifaError
from zhifa.evidence.storage import get_storage
from zhifa.ledger.models import LedgerEntry
from zhifa.subjects.choices import ActivityKind, ApplicationKind, ApplicationStatus, LicenceType, ReportKind
from zhifa.subjects.demo.generator import DemoOptions, demo_city_generate
from zhifa.subjects.models import LicenceApplication, ReportObligation
from zhifa.subjects.tests.factories import ActivitySignalFactory, EnterpriseFactory, LicenceFactory

AS_OF = date(2026, 6, 15)
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _expired_operation_licence(putuo, *, valid_to=date(2026, 3, 31), activity_on=date(2026, 5, 20)):
    """A hazardous-chemical operation licence expired without extension, sales after expiry (CLU-S07)."""
    enterprise = EnterpriseFactory(organisation=putuo)
    licence = LicenceFactory(enterprise=enterprise, licence_type=LicenceType.HC_OPERATION, valid_from=valid_to - timedelta(days=3 * 365), valid_to=valid_to)
    ActivitySignalFactory(enterprise=enterprise, kind=ActivityKind.SALE, occurred_on=activity_on)
    return enterprise, licence


# --- the demo city: exactly the planted violations --------------------------------------------


@pytest.fixture(scope="module")
def demo_detection(django_db_setup, django_db_blocker, tmp_path_factory):
    """A 300-enterprise demo city and one detection run over it; rolled back after the module."""
    root = tmp_path_factory.mktemp("clue-evidence")
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS, ZHIFA_EVIDENCE_DIR=root):
        with transaction.atomic():
            from zhifa.rulesets.selectors import clear_rulebook_cache
            from zhifa.rulesets.services import ruleset_load_packs

            clear_rulebook_cache()
            ruleset_load_packs()
            result = demo_city_generate(DemoOptions(enterprises=300, seed=5, as_of=AS_OF, progress=False))
            run = detection_run(as_of=AS_OF)
            second = detection_run(as_of=AS_OF)
            yield result.manifest, run, second, root
            transaction.set_rollback(True)
            clear_rulebook_cache()


@pytest.mark.parametrize("code", [f"CLU-S{n:02d}" for n in range(1, 14)])
def test_clu_s__demo_city_detection_finds_exactly_the_planted_violations(demo_detection, code):
    # Given the demo city with its manifest of planted violations and near-misses
    manifest, run, _, _ = demo_detection
    spec = manifest["scenarios"][code]
    # When detection has run over it
    found = set(Clue.objects.filter(rule_id=code, is_open=True).values_list("enterprise__uscc", flat=True))
    # Then exactly the violating enterprises have an open clue, and no near-miss does
    assert spec["planted"], f"{code} is not planted in the demo city"
    assert found == set(spec["violating"])
    assert not found & set(spec["near_misses"])
    assert run.counts[code]["disagreements"] == 0
    assert run.status == RunStatus.DONE


def test_clu_02__every_demo_clue_carries_channel_rule_snapshot_hash_and_evidence(demo_detection):
    # Given the clues of the demo run
    _, run, _, root = demo_detection
    clues = list(Clue.objects.filter(detection_run=run).select_related("snapshot_evidence__file"))
    assert clues
    with override_settings(ZHIFA_EVIDENCE_DIR=root):
        storage = get_storage()
    for clue in clues[:40]:
        # Then each records channel, rule and version, subject, organisation and detection time
        assert clue.channel == Channel.DATA_COMPARISON and clue.rule_id and clue.rule_version >= 1
        assert clue.enterprise_id and clue.organisation_id and clue.detected_at
        # and sha256(snapshot) == snapshot_hash (CLU-02)
        assert snapshot_hash(clue.facts) == clue.snapshot_sha256
        # and its facts are in the evidence snapshot file, with the same hash
        with storage.open(clue.snapshot_evidence.file.sha256) as fh:
            lines = [json.loads(line) for line in fh.read().decode().splitlines()]
        mine = [line for line in lines if line["clue"] == clue.pk]
        assert mine and mine[0]["sha256"] == clue.snapshot_sha256
        assert hashlib.sha256(canonical_json(mine[0]["facts"])).hexdigest() == clue.snapshot_sha256


def test_detection__second_run_is_idempotent(demo_detection):
    # Given two runs over unchanged data
    _, run, second, _ = demo_detection
    # Then the second creates, refreshes and closes nothing, and still sees every hit
    for code, tally in second.counts.items():
        if code == "quality":
            continue
        assert tally["created"] == 0 and tally["refreshed"] == 0 and tally["closed"] == 0, code
        assert tally["hits"] == run.counts[code]["hits"], code
    assert Clue.objects.filter(is_open=True).count() == sum(t["created"] for c, t in run.counts.items() if c != "quality")


def test_detection__run_is_recorded_with_versions_counts_duration_and_ledger(demo_detection):
    _, run, _, _ = demo_detection
    assert run.rule_versions == {f"CLU-S{n:02d}": 1 for n in range(1, 14)}
    assert run.duration_ms is not None and run.finished_at is not None
    assert LedgerEntry.objects.filter(action="clue.detection_run", object_id=str(run.pk)).exists()
    assert LedgerEntry.objects.filter(action="clue.detect_batch", object_id=str(run.pk)).exists()


# --- refresh and closure -----------------------------------------------------------------------


def test_detection__ongoing_violation_keeps_one_clue_and_its_facts_are_refreshed(org_tree, loaded_rulesets):
    # Given an expired operation licence with sales after expiry, detected once
    enterprise, licence = _expired_operation_licence(org_tree["putuo"])
    detection_run(as_of=AS_OF)
    clue = Clue.objects.get(enterprise=enterprise, rule_id="CLU-S07", is_open=True)
    first_hash = clue.snapshot_sha256
    # When another sale is recorded and detection runs again
    ActivitySignalFactory(enterprise=enterprise, kind=ActivityKind.SALE, occurred_on=date(2026, 6, 10))
    run = detection_run(as_of=AS_OF)
    # Then the same clue holds the new facts, with a REFRESHED event
    clue.refresh_from_db()
    assert Clue.objects.filter(enterprise=enterprise, rule_id="CLU-S07").count() == 1
    assert clue.snapshot_sha256 != first_hash and clue.facts["activity"]["count"] == 2
    assert clue.events.filter(kind=EventKind.REFRESHED, run=run).exists()
    assert run.counts["CLU-S07"]["refreshed"] == 1


def test_detection__clue_closed_with_reason_when_extension_is_approved(org_tree, loaded_rulesets):
    # Given a detected CLU-S07 clue
    enterprise, licence = _expired_operation_licence(org_tree["putuo"])
    detection_run(as_of=AS_OF)
    clue = Clue.objects.get(enterprise=enterprise, rule_id="CLU-S07", is_open=True)
    # When the extension is approved and detection runs again
    LicenceApplication.objects.create(licence=licence, kind=ApplicationKind.EXTENSION, submitted_on=date(2025, 12, 1),
                                      status=ApplicationStatus.APPROVED, decided_on=date(2026, 6, 1), new_valid_to=date(2029, 3, 31))
    run = detection_run(as_of=AS_OF)
    # Then the clue is closed because its condition no longer holds, with the reason recorded
    clue.refresh_from_db()
    assert not clue.is_open and clue.status == ClueStatus.CLOSED and clue.close_reason == CloseReason.CONDITION_GONE
    assert clue.events.filter(kind=EventKind.CONDITION_GONE, run=run).exists()
    assert LedgerEntry.objects.filter(action="clue.close", object_id=str(clue.pk)).exists()
    # And a later relapse opens a new clue, not the closed one
    LicenceApplication.objects.all().delete()
    detection_run(as_of=AS_OF)
    assert Clue.objects.filter(enterprise=enterprise, rule_id="CLU-S07").count() == 2


def test_clu_03__violation_past_the_limitation_period_is_not_a_clue(org_tree, loaded_rulesets):
    # Given a report submitted late, but more than 24 months ago (a completed act, CLU-03)
    enterprise = EnterpriseFactory(organisation=org_tree["putuo"])
    ReportObligation.objects.create(enterprise=enterprise, kind=ReportKind.SAFETY_STATS, period="2023-Q4", due_on=date(2024, 1, 31),
                                    submitted_on=date(2024, 2, 10), validation_passed=True)
    recent = EnterpriseFactory(organisation=org_tree["putuo"])
    ReportObligation.objects.create(enterprise=recent, kind=ReportKind.SAFETY_STATS, period="2025-Q4", due_on=date(2026, 1, 31),
                                    submitted_on=date(2026, 2, 10), validation_passed=True)
    # When detection runs
    run = detection_run(as_of=AS_OF, only_rule="CLU-S01")
    # Then only the recent late report is a clue; the old one is counted as past limitation
    assert list(Clue.objects.filter(rule_id="CLU-S01").values_list("enterprise_id", flat=True)) == [recent.pk]
    assert run.counts["CLU-S01"]["limitation"] == 1


# --- bad input: data-quality findings, never false clues --------------------------------------


def test_detection__licence_without_expiry_is_a_quality_finding_not_a_clue(org_tree, loaded_rulesets):
    enterprise = EnterpriseFactory(organisation=org_tree["putuo"])
    licence = LicenceFactory(enterprise=enterprise, licence_type=LicenceType.HC_OPERATION, valid_to=None)
    ActivitySignalFactory(enterprise=enterprise, kind=ActivityKind.SALE, occurred_on=date(2026, 6, 1))
    detection_run(as_of=AS_OF)
    assert not Clue.objects.filter(enterprise=enterprise).exists()
    finding = DataQualityFinding.objects.get(code=QualityCode.LICENCE_NO_EXPIRY, is_open=True)
    assert finding.object_id == str(licence.pk) and finding.enterprise == enterprise
    # A second run keeps one open finding; fixing the data resolves it
    detection_run(as_of=AS_OF)
    assert DataQualityFinding.objects.filter(code=QualityCode.LICENCE_NO_EXPIRY, is_open=True).count() == 1
    licence.valid_to = date(2027, 1, 1)
    licence.save()
    detection_run(as_of=AS_OF)
    assert not DataQualityFinding.objects.filter(code=QualityCode.LICENCE_NO_EXPIRY, is_open=True).exists()


def test_detection__activity_dated_in_the_future_is_not_proof_and_is_reported(org_tree, loaded_rulesets):
    # Given an expired licence whose only "activity after expiry" is dated after the detection day
    enterprise, _ = _expired_operation_licence(org_tree["putuo"], activity_on=AS_OF + timedelta(days=30))
    # When detection runs
    detection_run(as_of=AS_OF)
    # Then no clue, but a quality finding on the enterprise
    assert not Clue.objects.filter(enterprise=enterprise).exists()
    assert DataQualityFinding.objects.filter(code=QualityCode.ACTIVITY_IN_FUTURE, object_id=str(enterprise.pk), is_open=True).exists()


# --- runs, rules and packs -----------------------------------------------------------------------


def test_detection__a_second_concurrent_run_is_refused(org_tree, loaded_rulesets):
    DetectionRun.objects.create(as_of=AS_OF, status=RunStatus.RUNNING)
    with pytest.raises(ZhifaError) as exc:
        detection_run(as_of=AS_OF)
    assert exc.value.status == 409


def test_detection__unknown_rule_is_a_clear_error(org_tree, loaded_rulesets):
    with pytest.raises(ZhifaError) as exc:
        detection_run(as_of=AS_OF, only_rule="CLU-S99")
    assert "CLU-S99" in exc.value.message


def test_jur_01__scenario_runs_only_in_its_jurisdictions(org_tree, loaded_rulesets):
    # Given a CLU-S07 violation in a district outside the scenario's jurisdiction (Zhejiang)
    scenario_pack_sync()
    org_tree["jingan"].jurisdiction = "CN-ZJ"
    org_tree["jingan"].save()
    outside, _ = _expired_operation_licence(org_tree["jingan"])
    inside, _ = _expired_operation_licence(org_tree["putuo"])
    # When detection runs
    detection_run(as_of=AS_OF, only_rule="CLU-S07")
    # Then only the Shanghai enterprise gets a clue
    assert set(Clue.objects.values_list("enterprise_id", flat=True)) == {inside.pk}


def test_clu_04__active_scenario_needs_legal_basis_and_approval(db):
    text = """
scenarios:
  - {code: CLU-S14, version: 1, title: 无人机巡查发现露天堆放, evaluator: report_overdue, condition: x,
     jurisdictions: [CN-SH], effective_from: 2026-01-01, status: ACTIVE, legal_basis: []}
"""
    with pytest.raises(ZhifaError) as exc:
        scenario_pack_sync(text)
    assert exc.value.rule == "CLU-04"
    assert not Scenario.objects.filter(code="CLU-S14").exists()


def test_clu_04__new_scenario_is_data_plus_a_registered_evaluator(db):
    # Given a district scenario registered with basis and approval, reusing an evaluator
    text = """
scenarios:
  - {code: CLU-S14, version: 1, title: 区级扩展场景, evaluator: report_overdue, condition: 逾期报送, legal_basis: [某区规定],
     jurisdictions: [CN-SH-PUTUO], effective_from: 2026-01-01, status: ACTIVE, approved_by: 普陀区应急管理局, approved_on: 2026-01-01}
"""
    result = scenario_pack_sync(text)
    assert result.created == ["CLU-S14 v1"]
    # A changed entry under the same version is refused; a new version is accepted
    with pytest.raises(ZhifaError):
        scenario_pack_sync(text.replace("逾期报送", "逾期或未报送"))
    assert scenario_pack_sync(text.replace("version: 1", "version: 2").replace("逾期报送", "逾期或未报送")).created == ["CLU-S14 v2"]
    with pytest.raises(ZhifaError):
        scenario_pack_sync(text.replace("report_overdue", "no_such_evaluator").replace("version: 1", "version: 3"))


def test_clu_04__shipped_pack_loads_idempotently(db):
    first = scenario_pack_sync()
    again = scenario_pack_sync()
    assert len(first.created) == 13 and again.created == [] and len(again.unchanged) == 13
    assert PACK_PATH.exists()


def test_detect_command__prints_progress_and_json(org_tree, loaded_rulesets, capsys):
    _expired_operation_licence(org_tree["putuo"])
    call_command("detect", "--as-of", AS_OF.isoformat(), "--rule", "CLU-S07")
    out = capsys.readouterr().out
    assert "CLU-S07" in out and "完成" in out
    call_command("detect", "--as-of", AS_OF.isoformat(), "--json")
    data = json.loads(capsys.readouterr().out)
    assert data["counts"]["CLU-S07"]["hits"] == 1


def test_detect_command__bad_date_is_a_clear_error(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("detect", "--as-of", "2026-13-45")


def test_detection__daily_task_runs_detection_as_scheduled_origin(org_tree, loaded_rulesets):
    # Given a violation and the scheduled task (Huey periodic task, ADR 0004)
    from zhifa.clues.choices import RunOrigin
    from zhifa.clues.tasks import daily_detection

    _expired_operation_licence(org_tree["putuo"])
    # When the schedule fires
    run_id = daily_detection.call_local()
    # Then a run with origin SCHEDULE found the clue; a second firing during a run is skipped, not an error
    run = DetectionRun.objects.get(pk=run_id)
    assert run.origin == RunOrigin.SCHEDULE and run.counts["CLU-S07"]["created"] == 1
    DetectionRun.objects.create(as_of=AS_OF, status=RunStatus.RUNNING)
    assert daily_detection.call_local() is None


def test_rec_16__clue_timeline_refuses_update_and_delete(org_tree, loaded_rulesets):
    # Given a clue with its DETECTED event
    from django.db import DatabaseError, connection

    from zhifa.clues.models import ClueEvent
    from zhifa.ledger import dbguard

    _expired_operation_licence(org_tree["putuo"])
    detection_run(as_of=AS_OF)
    event = ClueEvent.objects.get(kind=EventKind.DETECTED)
    assert dbguard.installed(connection, "clues_clueevent") and "clues_clueevent" in dbguard.guarded_tables()
    # When the ORM tries to change or remove it, then it refuses
    with pytest.raises(PermissionError):
        ClueEvent.objects.filter(pk=event.pk).update(note="偷改")
    with pytest.raises(PermissionError):
        ClueEvent.objects.filter(pk=event.pk).delete()
    # And so does the database, behind the ORM's back
    for sql in ("UPDATE clues_clueevent SET note = 'x'", "DELETE FROM clues_clueevent"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert ClueEvent.objects.get(pk=event.pk).note == event.note


def test_clu_x01__new_clue_is_triaged_minor_first_or_general(org_tree, loaded_rulesets):
    # Given a first CLU-S07 violation (default severity SERIOUS) and a CLU-S02 one (LOW)
    from zhifa.clues.choices import Category
    from zhifa.subjects.models import EmergencyPlanFiling

    enterprise, licence = _expired_operation_licence(org_tree["putuo"])
    plan_unit = EnterpriseFactory(organisation=org_tree["putuo"], plan_filing_obliged=True)
    EmergencyPlanFiling.objects.create(enterprise=plan_unit, plan_title="预案", published_on=date(2026, 1, 5))
    # When detection runs
    detection_run(as_of=AS_OF)
    # Then the licence clue is a first violation (CLU-L02) and the plan clue is minor (APL art. 33)
    assert Clue.objects.get(enterprise=enterprise, is_open=True).category == Category.FIRST
    assert Clue.objects.get(enterprise=plan_unit, is_open=True).category == Category.MINOR
    # And after the first clue closed, a relapse of the same rule is no longer a first violation
    LicenceApplication.objects.create(licence=licence, kind=ApplicationKind.EXTENSION, submitted_on=date(2025, 12, 1),
                                      status=ApplicationStatus.APPROVED, decided_on=date(2026, 6, 1), new_valid_to=date(2026, 6, 5))
    detection_run(as_of=AS_OF)
    # (the closed clue was found on an earlier day: same-day clues count as one occasion)
    Clue.objects.filter(enterprise=enterprise).update(detected_at=timezone.now() - timedelta(days=3))
    ActivitySignalFactory(enterprise=enterprise, kind=ActivityKind.SALE, occurred_on=date(2026, 6, 10))
    detection_run(as_of=AS_OF)
    assert Clue.objects.get(enterprise=enterprise, is_open=True).category == Category.GENERAL


def test_dec_03__dual_penalty_hint_recorded_on_detection(org_tree, loaded_rulesets):
    # Given a missing hidden-danger report (the principal person's duty, WSL art. 21) and a missing statistics report
    danger = EnterpriseFactory(organisation=org_tree["putuo"])
    ReportObligation.objects.create(enterprise=danger, kind=ReportKind.HIDDEN_DANGER, period="2026-Q1", due_on=date(2026, 4, 15))
    stats = EnterpriseFactory(organisation=org_tree["putuo"])
    ReportObligation.objects.create(enterprise=stats, kind=ReportKind.SAFETY_STATS, period="2026-Q1", due_on=date(2026, 4, 15))
    # When detection runs
    detection_run(as_of=AS_OF, only_rule="CLU-S01")
    # Then only the hidden-danger clue carries the 一案双罚 hint, with its timeline event
    hinted = Clue.objects.get(enterprise=danger)
    assert hinted.dual_penalty_hint and hinted.events.filter(kind=EventKind.DUAL_PENALTY_HINT).exists()
    assert not Clue.objects.get(enterprise=stats).dual_penalty_hint


@pytest.mark.django_db
def test_engine__batch_session_gives_detection_more_memory_and_gives_it_back(settings):
    from django.db import connection

    from zhifa.clues.engine import _batch_session

    if connection.vendor != "postgresql":
        pytest.skip("work_mem exists on PostgreSQL only; elsewhere the session is a no-op")
    settings.ZHIFA_DETECTION_WORK_MEM = "96MB"
    with connection.cursor() as cursor:
        cursor.execute("SHOW work_mem")
        before = cursor.fetchone()[0]
        with _batch_session():
            cursor.execute("SHOW work_mem")
            assert cursor.fetchone()[0] == "96MB"
        cursor.execute("SHOW work_mem")
        assert cursor.fetchone()[0] == before
