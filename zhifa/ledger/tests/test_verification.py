"""ledger_verify (REC-16, SEC-09): an intact log passes; every way of editing rows behind the
application's back is detected and the first bad entry is named. Tampering is done as an attacker
with database rights would: drop the triggers, edit with SQL, put the triggers back."""
from __future__ import annotations

import base64
import hashlib

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import QuerySet

from zhifa.ledger import dbguard, keys, merkle, note
from zhifa.ledger.errors import FindingCode
from zhifa.ledger.leaf import canonical_json, entry_bytes
from zhifa.ledger.models import Checkpoint, LedgerEntry
from zhifa.ledger.services import checkpoint_create, checkpoint_note
from zhifa.ledger.verification import ledger_verify


def _tamper(index: int, **fields) -> None:
    """UPDATE one row with the triggers dropped (the base QuerySet bypasses the ORM guard)."""
    with dbguard.suspended(connection):
        assert QuerySet(model=LedgerEntry).filter(index=index).update(**fields) == 1


def _tamper_raw_payload(index: int, text: str) -> None:
    """Overwrite the stored JSON text itself with raw SQL."""
    value = "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"
    with dbguard.suspended(connection), connection.cursor() as cur:
        cur.execute(f'UPDATE ledger_ledgerentry SET payload = {value} WHERE "index" = %s', [text, index])


def _tamper_delete(*indexes: int) -> None:
    with dbguard.suspended(connection):
        QuerySet(model=LedgerEntry).filter(index__in=indexes).delete()


def _rewrite_consistently(index: int, payload: dict) -> None:
    """Change a payload and recompute payload_sha256 and leaf_hash, as a well-informed attacker would."""
    entry = LedgerEntry.objects.get(index=index)
    payload_sha = hashlib.sha256(canonical_json(payload)).hexdigest()
    data = entry_bytes(
        index=entry.index,
        recorded_at=entry.recorded_at,
        actor_id=entry.actor_id,
        actor_label=entry.actor_label,
        action=entry.action,
        object_type=entry.object_type,
        object_id=entry.object_id,
        payload_sha256=payload_sha,
    )
    _tamper(index, payload=payload, payload_sha256=payload_sha, leaf_hash=merkle.leaf_hash(data).hex())


def _codes(report) -> set[FindingCode]:
    return {f.code for f in report.findings}


def test_rec_16__intact_log_with_checkpoints_verifies(append_entries):
    # given entries and two checkpoints, when verified, then there is no finding
    append_entries(10)
    checkpoint_create(actor=None)
    append_entries(5, start=10)
    checkpoint_create(actor=None)
    report = ledger_verify()
    assert report.ok, report.findings
    assert (report.tree_size, report.entries_checked, report.checkpoints_checked) == (17, 17, 2)
    leaves = [bytes.fromhex(h) for h in LedgerEntry.objects.order_by("index").values_list("leaf_hash", flat=True)]
    assert report.root_hash == merkle.tree_hash(leaves)
    assert report.first_bad is None and "账本完整" in report.summary()


def test_rec_16__empty_ledger_verifies(db):
    assert ledger_verify().ok


def test_rec_16__edited_payload_is_named(append_entries):
    # given a payload edited behind the app's back, then entry 6 is named as the first bad entry
    append_entries(12)
    _tamper(6, payload={"n": 999})
    report = ledger_verify()
    assert not report.ok
    assert report.first_bad.index == 6 and report.first_bad.code == FindingCode.PAYLOAD_ALTERED
    assert "第 6 条" in report.summary()


def test_rec_16__edited_leaf_hash_is_named(append_entries):
    append_entries(12)
    _tamper(9, leaf_hash="0" * 64)
    report = ledger_verify()
    assert report.first_bad.index == 9 and report.first_bad.code == FindingCode.ENTRY_ALTERED


def test_rec_16__edited_field_is_named(append_entries):
    # given the actor's name changed on entry 3 (the payload untouched), then entry 3 is named
    append_entries(5)
    _tamper(3, actor_label="别人")
    report = ledger_verify()
    assert report.first_bad.index == 3 and report.first_bad.code == FindingCode.ENTRY_ALTERED


def test_rec_16__first_of_several_edits_is_named(append_entries):
    append_entries(20)
    _tamper(15, payload={"x": 1})
    _tamper(4, object_id="999")
    report = ledger_verify()
    assert report.first_bad.index == 4
    assert {f.index for f in report.findings} == {4, 15}


def test_rec_16__consistent_rewrite_is_caught_by_the_signed_checkpoint(append_entries):
    # given checkpoints at 16 and 40 entries, when entry 21 is rewritten with all hashes
    # recomputed, then no row looks wrong on its own but the checkpoint at 40 no longer matches,
    # and the rewritten range is narrowed to [16, 32): after the good checkpoint, inside the
    # perfect subtree whose signed hash differs
    append_entries(16)
    checkpoint_create(actor=None)  # size 16, then its own log entry is 16
    append_entries(23, start=17)
    last = checkpoint_create(actor=None)
    assert last.tree_size == 40
    _rewrite_consistently(21, {"n": 21, "名称": "伪造"})
    report = ledger_verify()
    assert _codes(report) == {FindingCode.REWRITTEN_RANGE}
    first = report.first_bad
    assert (first.index, first.end) == (16, 32)
    assert "第 16 至 31 条之间" in report.summary()


def test_rec_16__deleted_row_is_named(append_entries):
    append_entries(10)
    _tamper_delete(4, 5)
    report = ledger_verify()
    assert report.first_bad.index == 4 and report.first_bad.code == FindingCode.INDEX_GAP
    assert "缺少第 4 至 5 条" in report.first_bad.message


def test_rec_16__deleted_tail_is_caught_by_the_checkpoint(append_entries):
    # given a checkpoint of 8 entries (and its log entry 8), when entries 6..8 are deleted,
    # then the log is shorter than the signed size and entry 6 is named as the first missing
    append_entries(8)
    checkpoint_create(actor=None)
    _tamper_delete(6, 7, 8)
    report = ledger_verify()
    assert report.first_bad.code == FindingCode.TRUNCATED and report.first_bad.index == 6


def test_sec_09__altered_stored_checkpoint_is_reported(append_entries):
    append_entries(4)
    checkpoint = checkpoint_create(actor=None)
    with dbguard.suspended(connection):
        QuerySet(model=Checkpoint).filter(pk=checkpoint.pk).update(root_hash="ab" * 32)
    report = ledger_verify()
    assert _codes(report) == {FindingCode.CHECKPOINT_SIGNATURE}
    assert "签名无效" in report.findings[0].message


def test_sec_09__checkpoint_signed_by_an_intruders_key_is_reported(append_entries):
    # given a checkpoint inserted with someone else's key, then it is not trusted
    append_entries(3)
    keys.private_key()
    intruder = Ed25519PrivateKey.generate()
    leaves = [bytes.fromhex(h) for h in LedgerEntry.objects.order_by("index").values_list("leaf_hash", flat=True)]
    root = merkle.tree_hash(leaves)
    sig = note.sign_body(note.checkpoint_body("zhifa.test/ledger", 3, root), "zhifa.test/ledger", intruder)
    Checkpoint.objects.create(
        origin="zhifa.test/ledger", tree_size=3, root_hash=root.hex(), signed_at="2026-01-01T00:00:00Z",
        signature=base64.b64encode(sig.signature).decode(), key_id=sig.key_hash.hex(), frontier=[],
    )
    report = ledger_verify()
    assert _codes(report) == {FindingCode.CHECKPOINT_SIGNATURE}


def test_rec_16__missing_triggers_are_reported(append_entries):
    append_entries(2)
    with dbguard.suspended(connection, ("ledger_ledgerentry",)):
        report = ledger_verify()
    assert _codes(report) == {FindingCode.TRIGGERS_MISSING}


def test_sec_09__missing_public_key_is_reported_when_checkpoints_exist(append_entries, ledger_key_file):
    append_entries(2)
    checkpoint_create(actor=None)
    ledger_key_file.unlink()
    assert _codes(ledger_verify()) == {FindingCode.KEY_UNAVAILABLE}


# --- external checkpoints ------------------------------------------------------------------


def test_sec_09__external_checkpoint_verifies_and_then_catches_a_later_rewrite(append_entries):
    # given a checkpoint text kept outside the system, then the log verifies against it ...
    append_entries(7)
    kept = checkpoint_note(checkpoint_create(actor=None))
    append_entries(3, start=8)
    report = ledger_verify(external_notes=[kept])
    assert report.ok and report.checkpoints_checked == 2
    # ... and when the stored checkpoints cannot be trusted and a row is rewritten consistently,
    # the external copy still exposes it
    _rewrite_consistently(2, {"n": 2})
    report = ledger_verify(external_notes=[kept])
    ranges = [f for f in report.findings if f.code == FindingCode.REWRITTEN_RANGE]
    assert any("外部检查点" in f.message and f.index <= 2 < f.end for f in ranges)


def test_sec_09__forged_external_checkpoint_is_a_clear_finding(append_entries):
    append_entries(5)
    checkpoint_create(actor=None)
    leaves = [bytes.fromhex(h) for h in LedgerEntry.objects.order_by("index").values_list("leaf_hash", flat=True)]
    body = note.checkpoint_body("zhifa.test/ledger", 6, merkle.tree_hash(leaves))
    own = keys.verifier_key()
    forged_sig = note.sign_body(body, "zhifa.test/ledger", Ed25519PrivateKey.generate())
    forged = note.format_note(body, [note.Signature("zhifa.test/ledger", own.key_hash, forged_sig.signature)])
    report = ledger_verify(external_notes=[forged])
    assert _codes(report) == {FindingCode.CHECKPOINT_SIGNATURE}
    assert "伪造" in report.findings[0].message


def test_sec_09__external_checkpoint_of_another_log_or_garbage_is_reported(append_entries):
    append_entries(2)
    keys.private_key()
    other = Ed25519PrivateKey.generate()
    body = note.checkpoint_body("other.example/log", 2, merkle.EMPTY_ROOT)
    other_note = note.format_note(body, [note.sign_body(body, "other.example/log", other)])
    report = ledger_verify(external_notes=[other_note, "garbage"])
    assert _codes(report) == {FindingCode.CHECKPOINT_ORIGIN, FindingCode.CHECKPOINT_FORMAT}


def test_sec_09__external_checkpoint_larger_than_the_log_names_the_first_missing_entry(append_entries):
    append_entries(6)
    kept = checkpoint_note(checkpoint_create(actor=None))  # size 6
    _tamper_delete(5, 6)
    report = ledger_verify(external_notes=[kept])
    assert report.first_bad.index == 5


# --- the command -----------------------------------------------------------------------------


def test_rec_16__command_exits_zero_on_an_intact_log(append_entries, capsys):
    append_entries(3)
    checkpoint_create(actor=None)
    call_command("ledger_verify", "--no-progress")
    assert "账本完整" in capsys.readouterr().out


def test_rec_16__command_names_the_first_bad_entry_and_exits_non_zero(append_entries, capsys):
    append_entries(8)
    _tamper(5, payload={"n": -1})
    with pytest.raises(CommandError) as err:
        call_command("ledger_verify", "--no-progress")
    assert err.value.returncode == 1
    assert "第 5 条" in str(err.value)
    assert "LEDGER_PAYLOAD_ALTERED: [第 5 条]" in capsys.readouterr().out


def test_sec_09__command_checks_an_external_checkpoint_file(append_entries, tmp_path, capsys):
    # given a checkpoint file and the public key file an outsider received, then it verifies;
    # a forged copy is a finding and a non-zero exit
    append_entries(4)
    call_command("ledger_checkpoint", "--output", str(tmp_path / "cp.txt"))
    (tmp_path / "key.txt").write_text(keys.verifier_key().text())
    (tmp_path / "key.pem").write_text(keys.verifier_key().pem())
    call_command("ledger_verify", "--no-progress", "--checkpoint", str(tmp_path / "cp.txt"), "--public-key", str(tmp_path / "key.txt"))
    call_command("ledger_verify", "--no-progress", "--checkpoint", str(tmp_path / "cp.txt"), "--public-key", str(tmp_path / "key.pem"))
    text = (tmp_path / "cp.txt").read_text()
    lines = text.split("\n")
    lines[1] = "3"  # claim a smaller size under the same signature
    (tmp_path / "forged.txt").write_text("\n".join(lines))
    with pytest.raises(CommandError) as err:
        call_command("ledger_verify", "--no-progress", "--checkpoint", str(tmp_path / "forged.txt"))
    assert err.value.returncode == 1
    assert "签名无效" in capsys.readouterr().out


def test_sec_09__command_reports_unreadable_input_files(db, tmp_path):
    with pytest.raises(CommandError) as err:
        call_command("ledger_verify", "--checkpoint", str(tmp_path / "missing.txt"))
    assert err.value.returncode == 2 and "无法读取" in str(err.value)
    (tmp_path / "bad.pem").write_text("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")
    with pytest.raises(CommandError) as err:
        call_command("ledger_verify", "--public-key", str(tmp_path / "bad.pem"))
    assert err.value.returncode == 2


def test_sec_09__checkpoint_command_skips_when_nothing_is_new(append_entries, capsys):
    append_entries(2)
    call_command("ledger_checkpoint")
    call_command("ledger_checkpoint")
    assert Checkpoint.objects.count() == 1
    assert "没有新条目" in capsys.readouterr().out
    call_command("ledger_checkpoint", "--force")
    assert Checkpoint.objects.count() == 2


def test_sec_09__checkpoint_is_refused_over_a_tampered_entry(append_entries):
    # given an entry edited after the last checkpoint, then no new checkpoint signs over it
    append_entries(3)
    checkpoint_create(actor=None)
    append_entries(3, start=4)
    _tamper(5, payload={"n": "x"})
    with pytest.raises(CommandError) as err:
        call_command("ledger_checkpoint")
    assert "第 5 条" in str(err.value)
    assert Checkpoint.objects.count() == 1


def test_rec_16__command_shows_progress_on_large_logs(append_entries, capsys, monkeypatch):
    from zhifa.ledger.management.commands import ledger_verify as command

    monkeypatch.setattr(command, "PROGRESS_FROM", 5)
    append_entries(6)
    call_command("ledger_verify")
    assert "核验账本" in capsys.readouterr().err
