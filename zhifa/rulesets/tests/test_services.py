"""Loading packs into versioned rows (JUR-01): idempotent, new revisions for changed packs, old
revisions kept untouched, all-or-nothing with ledger entries; `rs()` for other apps."""
from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from zhifa.accounts.choices import Role
from zhifa.ledger.models import LedgerEntry
from zhifa.rulesets import selectors
from zhifa.rulesets.choices import WarningCode as W
from zhifa.rulesets.errors import PackValidationError, RuleNotConfigured
from zhifa.rulesets.models import RuleParameter, RuleSet
from zhifa.rulesets.packs import PACKS_DIR, pack_files
from zhifa.rulesets.rules import Rulebook, file_rulebook
from zhifa.rulesets.selectors import clear_rulebook_cache, loaded_rulebook, rs
from zhifa.rulesets.services import ruleset_load_packs

D = date(2025, 6, 2)
PUTUO_FILE = "cn-sh-putuo_2023-11-21.yaml"


def _bump_putuo(pack_dir):
    path = pack_dir / PUTUO_FILE
    text = path.read_text(encoding="utf-8")
    old = "  pub.correction_request_wd:\n    meaning: 收到更正公示信息的书面要求后核实处理的期限\n    value: 5\n"
    assert old in text
    path.write_text(text.replace(old, old.replace("value: 5", "value: 4")), encoding="utf-8")


def test_jur_01__load_creates_one_revision_per_pack_with_ledger_entries(loaded_rulesets):
    # given the shipped packs loaded by the fixture (possibly already loaded by the test setup)
    # then every file is present as a revision with the file's hash and all its parameter rows
    for pack in file_rulebook().packs:
        row = RuleSet.objects.get(jurisdiction=pack.jurisdiction, version=pack.version, sha256=pack.sha256)
        assert row.parameters.count() == len(pack.entries)
        assert row.inherits == list(pack.inherits) and row.effective_from == pack.effective_from
        # and its load was logged in the same transaction
        entry = LedgerEntry.objects.get(action="ruleset.load", object_id=str(row.pk))
        assert entry.payload["sha256"] == pack.sha256 and entry.payload["parameters"] == len(pack.entries)


def test_jur_01__loading_twice_is_idempotent(loaded_rulesets):
    # when the same packs are loaded again
    before = (RuleSet.objects.count(), RuleParameter.objects.count(), LedgerEntry.objects.count())
    report = ruleset_load_packs()
    # then nothing is written and every pack is reported unchanged
    assert not report.changed and len(report.unchanged) == before[0]
    assert (RuleSet.objects.count(), RuleParameter.objects.count(), LedgerEntry.objects.count()) == before


def test_jur_01__changed_pack_becomes_a_new_revision_and_the_old_one_is_kept(db, pack_dir):
    # given the packs loaded from a copy of the directory
    ruleset_load_packs(directory=pack_dir)
    old = RuleSet.objects.filter(jurisdiction="CN-SH-PUTUO").order_by("-revision").first()
    count_before = RuleSet.objects.filter(jurisdiction="CN-SH-PUTUO").count()
    old_params = list(old.parameters.values_list("key", "kind", "value"))
    # when the Putuo file changes and the packs are loaded again
    _bump_putuo(pack_dir)
    report = ruleset_load_packs(directory=pack_dir)
    # then only Putuo gets the next revision; the old revision and its parameters are untouched
    assert [(r.jurisdiction, r.revision) for r in report.created] == [("CN-SH-PUTUO", old.revision + 1)]
    old.refresh_from_db()
    assert list(old.parameters.values_list("key", "kind", "value")) == old_params
    assert RuleSet.objects.filter(jurisdiction="CN-SH-PUTUO").count() == count_before + 1
    # and resolution uses the new revision
    clear_rulebook_cache()
    r = rs("pub.correction_request_wd", jurisdiction="CN-SH-PUTUO", on=D)
    assert (r.value, r.revision) == (4, old.revision + 1)
    assert r.ruleset_id == report.created[0].pk


def test_jur_01__invalid_pack_writes_nothing(db, pack_dir):
    # given one broken pack among valid ones
    (pack_dir / PUTUO_FILE).write_text(
        (pack_dir / PUTUO_FILE).read_text(encoding="utf-8").replace("strategy: AUTHORITY_STRICT", "strategy: WHATEVER", 1),
        encoding="utf-8",
    )
    before = (RuleSet.objects.count(), RuleParameter.objects.count(), LedgerEntry.objects.count())
    # when loading / then a Chinese validation error, and no row or ledger entry at all
    with pytest.raises(PackValidationError) as exc:
        ruleset_load_packs(directory=pack_dir)
    assert "未知的解决策略「WHATEVER」" in exc.value.message
    assert (RuleSet.objects.count(), RuleParameter.objects.count(), LedgerEntry.objects.count()) == before


def test_jur_01__loaded_rows_are_never_edited_in_place(loaded_rulesets):
    ruleset = RuleSet.objects.first()
    ruleset.version = "changed"
    with pytest.raises(PermissionError):
        ruleset.save()
    with pytest.raises(PermissionError):
        RuleParameter.objects.filter(ruleset=ruleset).update(value=1)
    param = RuleParameter.objects.first()
    with pytest.raises(PermissionError):
        param.save()
    with pytest.raises(PermissionError):
        param.delete()
    with pytest.raises(PermissionError):
        RuleSet.objects.filter(pk=ruleset.pk).delete()


def test_jur_01__database_rulebook_resolves_exactly_like_the_files(loaded_rulesets):
    # given the loaded rows rebuilt into a rulebook / then every parameter resolves as from the files
    db_book, files = loaded_rulebook(), file_rulebook()
    for jur in files.jurisdictions:
        db_rows = [(k, kind, getattr(r, "value", None), getattr(r, "source", None), type(r).__name__) for k, kind, r in db_book.resolve_all(jur, D)]
        file_rows = [(k, kind, getattr(r, "value", None), getattr(r, "source", None), type(r).__name__) for k, kind, r in files.resolve_all(jur, D)]
        assert db_rows == file_rows, jur


def test_jur_01__rs_uses_the_organisations_effective_jurisdiction(loaded_rulesets, org_tree):
    # given a street under Putuo (no jurisdiction of its own) and Jing'an (inherits Shanghai)
    street, jingan = org_tree["street"], org_tree["jingan"]
    # when resolving Putuo's minimum keeping period of non-archived inspection recordings
    r = rs("av.non_archived_min_months", organisation=street, on=D)
    # then Putuo's rule set is used for the street; Jing'an has no such rule (no invented default)
    assert (r.value, r.jurisdiction_used, r.jurisdiction_requested) == (6, "CN-SH-PUTUO", "CN-SH-PUTUO")
    assert r.ruleset_id == RuleSet.objects.filter(jurisdiction="CN-SH-PUTUO").order_by("-revision").first().pk
    with pytest.raises(RuleNotConfigured):
        rs("av.non_archived_min_months", organisation=jingan, on=D)
    assert rs("payment.days", organisation=jingan, on=D).value == 15


def test_jur_01__rs_defaults_to_today_and_warns_on_unverified_values(loaded_rulesets):
    r = rs("mhs.filing_days", jurisdiction="CN")
    assert r.value == 15 and W.UNVERIFIED in r.warning_codes


def test_jur_01__rs_without_loaded_rule_sets_is_not_configured(db, monkeypatch):
    # given a database in which nothing has been loaded
    monkeypatch.setattr(selectors, "loaded_rulebook", lambda: Rulebook([]))
    # then rs() explains how to load instead of guessing
    with pytest.raises(RuleNotConfigured) as exc:
        rs("payment.days", jurisdiction="CN", on=D)
    assert "load_rulesets" in exc.value.message
    with pytest.raises(ValueError):
        rs("payment.days")


def test_jur_01__load_service_records_the_actor(db, make_user, org_tree, pack_dir):
    # given a changed pack loaded by a system administrator
    ruleset_load_packs(directory=pack_dir)
    _bump_putuo(pack_dir)
    admin = make_user(Role.SYSTEM_ADMIN, org_tree["city"])
    report = ruleset_load_packs(actor=admin, directory=pack_dir)
    # then the new revision and its ledger entry name the administrator
    assert [r.loaded_by for r in report.created] == [str(admin)]
    entry = LedgerEntry.objects.get(action="ruleset.load", object_id=str(report.created[0].pk))
    assert entry.actor_id == admin.pk


# --- the management command -----------------------------------------------------------------


def test_jur_01__load_rulesets_command_is_idempotent(db, capsys):
    call_command("load_rulesets")
    first = capsys.readouterr().out
    count = RuleSet.objects.count()
    call_command("load_rulesets")
    second = capsys.readouterr().out
    n = len(pack_files(PACKS_DIR))
    assert "规则集载入完成" in first and count >= n
    assert f"新增 0 个修订版本，{n} 个未变化" in second
    assert RuleSet.objects.count() == count


def test_jur_01__load_rulesets_check_validates_without_writing(db, capsys):
    before = RuleSet.objects.count()
    call_command("load_rulesets", "--check")
    assert "校验通过" in capsys.readouterr().out
    assert RuleSet.objects.count() == before


def test_jur_01__load_rulesets_reports_invalid_packs_in_chinese(db, tmp_path):
    before = RuleSet.objects.count()
    (tmp_path / "bad.yaml").write_text("jurisdiction: CN\nname: 全国\nversion: '1'\nsources: []\nparams: {}\n", encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        call_command("load_rulesets", "--dir", str(tmp_path))
    assert "缺少必填字段「effective_from」" in str(exc.value)
    with pytest.raises(CommandError) as exc:
        call_command("load_rulesets", "--dir", str(tmp_path / "nope"))
    assert "规则包目录不存在" in str(exc.value)
    assert RuleSet.objects.count() == before
