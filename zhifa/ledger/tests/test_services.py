"""Appending, signing checkpoints, the signing key, and proofs for outsiders."""
from __future__ import annotations

import base64
import hashlib
import json
import stat
from datetime import date
from decimal import Decimal

import pytest
from django.db import transaction

from zhifa.common.errors import ZhifaError
from zhifa.ledger import keys, merkle, note
from zhifa.ledger.leaf import canonical_json, entry_bytes, format_time
from zhifa.ledger.models import Checkpoint, LedgerEntry
from zhifa.ledger.selectors import consistency_proof, entry_leaf_data, inclusion_proof
from zhifa.ledger.services import CHECKPOINT_ACTION, checkpoint_create, checkpoint_note, ledger_append


def test_sec_02__append_outside_a_transaction_is_refused(transactional_db):
    # given autocommit mode (no test transaction around us), when appending without atomic(),
    # then it is refused; inside atomic() it works. The test database is then flushed although
    # ledger rows refuse DELETE (management/commands/flush.py suspends the triggers for tests).
    with pytest.raises(RuntimeError):
        ledger_append(actor=None, action="x", object_type="y")
    with transaction.atomic():
        ledger_append(actor=None, action="x", object_type="y")
    assert LedgerEntry.objects.count() == 1


def test_sec_02__append_records_who_what_and_hashes(db, make_user):
    # given a user, when a write is logged, then the entry holds actor, action, object and hashes
    user = make_user("OFFICER", display_name="张三")
    with transaction.atomic():
        entry = ledger_append(actor=user, action="case.open", object_type="cases.case", object_id=17, payload={"b": 2, "a": date(2026, 1, 5)})
    entry = LedgerEntry.objects.get(pk=entry.pk)
    assert (entry.index, entry.actor_id, entry.actor_label, entry.object_id) == (0, user.pk, "张三", "17")
    assert entry.payload == {"a": "2026-01-05", "b": 2}
    assert entry.payload_sha256 == hashlib.sha256(b'{"a":"2026-01-05","b":2}').hexdigest()
    data = entry_bytes(
        index=0,
        recorded_at=entry.recorded_at,
        actor_id=user.pk,
        actor_label="张三",
        action="case.open",
        object_type="cases.case",
        object_id="17",
        payload_sha256=entry.payload_sha256,
    )
    assert entry.leaf_hash == hashlib.sha256(b"\x00" + data).hexdigest()
    assert entry_leaf_data(entry) == data
    assert json.loads(data)["t"] == format_time(entry.recorded_at)
    assert json.loads(data)["t"].endswith("Z")


def test_rec_16__indexes_are_consecutive_and_rolled_back_appends_leave_no_gap(append_entries):
    append_entries(3)
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        ledger_append(actor=None, action="x", object_type="y")
        raise ZeroDivisionError
    append_entries(2, start=3)
    assert list(LedgerEntry.objects.values_list("index", flat=True)) == [0, 1, 2, 3, 4]


def test_rec_16__payloads_are_stored_exactly_as_hashed(db):
    # given values that JSON stores could alter (big floats, -0.0, NUL, Decimal, non-ASCII),
    # when appended and read back, then the stored payload still hashes to payload_sha256
    payload = {"big": 1e20, "neg_zero": -0.0, "nul": "a\x00b", "amount": Decimal("12.50"), "名": "值", "small": 1.5e-7, "n": [1, 2.5]}
    with transaction.atomic():
        entry = ledger_append(actor=None, action="x", object_type="y", payload=payload)
    stored = LedgerEntry.objects.get(pk=entry.pk)
    assert hashlib.sha256(canonical_json(stored.payload)).hexdigest() == stored.payload_sha256
    assert stored.payload["big"] == 10**20 and stored.payload["nul"] == "a\ufffdb" and stored.payload["amount"] == "12.50"


def test_rec_16__nan_payloads_are_refused(db):
    with pytest.raises(ValueError), transaction.atomic():
        ledger_append(actor=None, action="x", object_type="y", payload={"v": float("nan")})
    assert not LedgerEntry.objects.exists()


def test_rec_16__overlong_fields_are_refused(db):
    with pytest.raises(ValueError), transaction.atomic():
        ledger_append(actor=None, action="x" * 65, object_type="y")


# --- the signing key ---------------------------------------------------------------------------


def test_sec_09__signing_key_is_created_once_with_mode_0600(db, ledger_key_file):
    # given no key file, when first needed, then it is created private and reused afterwards
    assert not ledger_key_file.exists()
    first = keys.verifier_key()
    assert stat.S_IMODE(ledger_key_file.stat().st_mode) == 0o600
    assert keys.verifier_key().raw == first.raw
    assert not list(ledger_key_file.parent.glob("*.tmp"))


def test_sec_09__loose_key_file_permissions_are_tightened(db, ledger_key_file):
    keys.private_key()
    ledger_key_file.chmod(0o644)
    keys.private_key()
    assert stat.S_IMODE(ledger_key_file.stat().st_mode) == 0o600


def test_sec_09__unusable_key_file_is_a_clear_error(db, ledger_key_file):
    ledger_key_file.parent.mkdir(parents=True)
    ledger_key_file.write_text("not a key")
    with pytest.raises(ZhifaError, match="无法使用账本签名密钥"):
        checkpoint_create(actor=None)
    assert not Checkpoint.objects.exists()


def test_sec_09__missing_key_is_not_created_when_only_reading(db, ledger_key_file):
    with pytest.raises(keys.KeyFileError):
        keys.verifier_key(create=False)
    assert not ledger_key_file.exists()


# --- checkpoints -------------------------------------------------------------------------------


def test_sec_09__checkpoint_signs_the_current_tree_head(append_entries):
    # given five entries, when a checkpoint is created, then it signs size 5 and their root
    entries = append_entries(5)
    checkpoint = checkpoint_create(actor=None)
    leaves = [bytes.fromhex(e.leaf_hash) for e in entries]
    assert checkpoint.tree_size == 5
    assert checkpoint.root_hash == merkle.tree_hash(leaves).hex()
    parsed = note.parse(checkpoint_note(checkpoint))
    assert (parsed.origin, parsed.tree_size, parsed.root_hash.hex()) == ("zhifa.test/ledger", 5, checkpoint.root_hash)
    note.verify(parsed, [keys.verifier_key()])
    # and signing is itself logged, as entry 5
    logged = LedgerEntry.objects.get(index=5)
    assert (logged.action, logged.object_id) == (CHECKPOINT_ACTION, str(checkpoint.pk))


def test_sec_09__next_checkpoint_continues_from_the_frontier(append_entries):
    append_entries(3)
    first = checkpoint_create(actor=None)
    append_entries(6, start=10)
    second = checkpoint_create(actor=None)
    leaves = [bytes.fromhex(h) for h in LedgerEntry.objects.order_by("index").values_list("leaf_hash", flat=True)]
    assert (first.tree_size, second.tree_size) == (3, 10)
    assert second.root_hash == merkle.tree_hash(leaves[:10]).hex()
    assert merkle.root_from_frontier(10, [bytes.fromhex(h) for h in second.frontier]).hex() == second.root_hash


def test_sec_09__checkpoint_of_an_empty_ledger_signs_the_empty_root(db):
    checkpoint = checkpoint_create(actor=None)
    assert (checkpoint.tree_size, checkpoint.root_hash) == (0, merkle.EMPTY_ROOT.hex())


# --- proofs for outsiders --------------------------------------------------------------------


def _b(value: str) -> bytes:
    return base64.b64decode(value)


def test_rec_16__inclusion_proof_service_verifies_against_a_checkpoint(append_entries):
    # given a checkpoint of 9 entries, when an outsider asks for entry 4's proof at size 9,
    # then it verifies against the checkpoint's signed root and the leaf data hashes to the leaf
    append_entries(9)
    checkpoint = note.parse(checkpoint_note(checkpoint_create(actor=None)))
    proof = inclusion_proof(4, 9)
    assert _b(proof["leaf_hash"]) == merkle.leaf_hash(proof["leaf_data"].encode())
    merkle.verify_inclusion(4, checkpoint.tree_size, _b(proof["leaf_hash"]), [_b(p) for p in proof["proof"]], checkpoint.root_hash)
    assert json.loads(proof["leaf_data"])["i"] == 4


def test_rec_16__consistency_proof_service_links_two_checkpoints(append_entries):
    append_entries(5)
    old = note.parse(checkpoint_note(checkpoint_create(actor=None)))
    append_entries(7, start=5)
    new = note.parse(checkpoint_note(checkpoint_create(actor=None)))
    proof = consistency_proof(old.tree_size, new.tree_size)
    merkle.verify_consistency(old.tree_size, new.tree_size, old.root_hash, new.root_hash, [_b(p) for p in proof["proof"]])
    assert _b(proof["old_root"]) == old.root_hash


@pytest.mark.parametrize(
    "call,field",
    [
        (lambda: inclusion_proof(3, 3), "index"),
        (lambda: inclusion_proof(0, 99), "tree_size"),
        (lambda: inclusion_proof("abc"), "index"),
        (lambda: inclusion_proof(-1), "index"),
        (lambda: consistency_proof(0, 2), "old_size"),
        (lambda: consistency_proof(3, 2), "old_size"),
        (lambda: consistency_proof(1, 50), "new_size"),
    ],
)
def test_rec_16__bad_proof_requests_get_structured_errors(append_entries, call, field):
    append_entries(3)
    with pytest.raises(ZhifaError) as err:
        call()
    assert err.value.field == field and err.value.status == 400
