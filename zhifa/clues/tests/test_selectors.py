"""Reads: scoping, inbox filters, counts, overdue selectors and the aggregate statistics."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from zhifa.accounts.choices import OrgKind
from zhifa.accounts.tests.factories import OrganisationFactory
from zhifa.clues import selectors
from zhifa.clues.choices import Category, CloseReason, ClueStatus, Owner, ReminderStatus, Severity, TransferKind, TransferReason
from zhifa.clues.models import Transfer
from zhifa.common.timeutil import SHANGHAI, today
from zhifa.subjects.tests.factories import EnterpriseFactory

from .factories import ClueFactory, ReminderFactory, TriggerFactory, triage_world


@pytest.fixture
def w(org_tree):
    return triage_world(org_tree)


def test_sub_17__scoping_by_role(w):
    # given a Putuo clue with a reminder, a Putuo clue without one, and a Jing'an clue
    reminded = ClueFactory(enterprise=w["enterprise"], status=ClueStatus.REMINDED)
    ReminderFactory(clue=reminded, sent_by=w["officer"])
    quiet = ClueFactory(enterprise=w["enterprise"])
    foreign = ClueFactory(enterprise=w["other_enterprise"])
    # then staff see their subtree, auditors everything
    assert set(selectors.clues_visible_to(w["officer"])) == {reminded, quiet}
    assert set(selectors.clues_visible_to(w["jingan_officer"])) == {foreign}
    assert set(selectors.clues_visible_to(w["auditor"])) == {reminded, quiet, foreign}
    # and a contact only the reminder-facing clue of its enterprise, and no internals at all
    assert set(selectors.clues_visible_to(w["contact"])) == {reminded}
    assert not selectors.clues_for_staff(w["contact"]).exists()
    assert set(selectors.reminders_visible_to(w["contact"])) == set(reminded.reminders.all())
    assert not selectors.reminders_visible_to(w["other_contact"]).exists()


def test_clu_t01__triggers_and_complaints_scoped_by_organisation(w):
    own = TriggerFactory(enterprise=w["enterprise"])
    foreign = TriggerFactory(enterprise=w["other_enterprise"])
    assert set(selectors.triggers_visible_to(w["officer"])) == {own}
    assert set(selectors.triggers_visible_to(w["auditor"])) == {own, foreign}
    assert not selectors.triggers_visible_to(w["contact"]).exists()


def test_clu_x02__filters_and_overdue(w, org_tree):
    day = today()
    overdue = ClueFactory(enterprise=w["enterprise"], category=Category.MAJOR_HAZARD, severity=Severity.MAJOR, transfer_due_on=day - timedelta(days=1))
    pending = ClueFactory(enterprise=w["enterprise"], category=Category.REPEATED, transfer_due_on=day + timedelta(days=3))
    done = ClueFactory(enterprise=w["enterprise"], category=Category.MAJOR_HAZARD, transfer_due_on=day - timedelta(days=5), status=ClueStatus.TRANSFERRED, owner=Owner.ENFORCEMENT)
    reminded = ClueFactory(enterprise=w["enterprise"], status=ClueStatus.REMINDED)
    ReminderFactory(clue=reminded, correction_due_on=day - timedelta(days=1), sent_by=w["officer"])
    qs = selectors.clues_visible_to(w["officer"])
    assert list(selectors.filter_clues(qs, deadline="transfer_overdue")) == [overdue]
    assert list(selectors.transfers_overdue(day)) == [overdue]
    assert set(selectors.filter_clues(qs, deadline="transfer_pending")) == {overdue, pending}
    assert list(selectors.filter_clues(qs, deadline="reminder_overdue")) == [reminded]
    assert list(selectors.filter_clues(qs, severity=Severity.MAJOR)) == [overdue]
    assert set(selectors.filter_clues(qs, organisation=org_tree["street"])) == {overdue, pending, done, reminded}
    assert not selectors.filter_clues(qs, organisation=org_tree["jingan"]).exists()
    assert list(selectors.filter_clues(qs, text=w["enterprise"].uscc[:10])) != []
    assert [r.clue for r in selectors.reminders_overdue(day)] == [reminded]


def test_clu_x01__counts_per_scenario(w):
    ClueFactory(enterprise=w["enterprise"])
    ClueFactory(enterprise=w["enterprise"], status=ClueStatus.CLOSED, is_open=False)
    ClueFactory(enterprise=w["enterprise"], scenario=None, rule_id="CLU-T01")
    rows = {r["rule_id"]: r for r in selectors.counts_per_scenario(selectors.clues_visible_to(w["officer"]))}
    assert (rows["CLU-S07"]["total"], rows["CLU-S07"]["open"]) == (2, 1)
    assert rows["CLU-T01"]["title"] == "预警触发"


def test_clu_x02__statistics_per_scenario_district_month_and_share(w, org_tree):
    # given clues in two months and two districts, one closed corrected, one dismissed after a transfer, one open
    town = OrganisationFactory(name="石泉路街道", code="SH-PT-SQ", kind=OrgKind.TOWN, parent=org_tree["putuo"])
    other_ent = EnterpriseFactory(organisation=town)
    may = datetime(2026, 5, 31, 23, 30, tzinfo=SHANGHAI)  # still May in Shanghai, June in UTC
    june = datetime(2026, 6, 2, 10, 0, tzinfo=SHANGHAI)
    ClueFactory(enterprise=w["enterprise"], detected_at=may, status=ClueStatus.CLOSED, is_open=False, close_reason=CloseReason.CORRECTED)
    transferred = ClueFactory(enterprise=other_ent, detected_at=june, status=ClueStatus.CLOSED, is_open=False, close_reason=CloseReason.DISMISSED)
    Transfer.objects.create(clue=transferred, kind=TransferKind.ENFORCEMENT, reason=TransferReason.OTHER, triggered_on=june.date(), due_on=june.date(),
                            sent_at=timezone.now(), sent_by=w["officer"], to_body="普陀区应急管理局", facts_summary="事实", late=True)
    ClueFactory(enterprise=w["other_enterprise"], detected_at=june, scenario=None, rule_id="CLU-T01")
    # when computing the statistics over everything
    stats = selectors.clue_statistics(selectors.clues_visible_to(w["auditor"]))
    # then months follow Shanghai time, districts are the 区 of each clue's organisation
    assert {r["month"]: r["n"] for r in stats.per_month} == {"2026-05": 1, "2026-06": 2}
    assert {r["district"]: r["n"] for r in stats.per_district} == {"普陀区应急管理局": 2, "静安区应急管理局": 1}
    assert {r["rule_id"]: r["n"] for r in stats.per_scenario} == {"CLU-S07": 2, "CLU-T01": 1}
    assert len(stats.per_scenario_district_month) == 3
    # and only the corrected clue without a transfer counts as handled non-site
    assert (stats.closed, stats.closed_non_site, stats.share_non_site) == (2, 1, 0.5)
    assert (stats.transfers, stats.late_transfers) == (1, 1)
    # and the period filter is applied in Shanghai dates
    assert selectors.clue_statistics(selectors.clues_visible_to(w["auditor"]), date_from=june.date()).closed == 1


def test_clu_x01__latest_open_reminder(w):
    clue = ClueFactory(enterprise=w["enterprise"], status=ClueStatus.REMINDED)
    ReminderFactory(clue=clue, status=ReminderStatus.NOT_CORRECTED, sent_by=w["officer"])
    current = ReminderFactory(clue=clue, sent_by=w["officer"])
    assert selectors.latest_open_reminder(clue) == current
