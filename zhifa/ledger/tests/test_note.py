"""Checkpoint text (C2SP signed note): signing, strict parsing, forged and altered checkpoints."""
from __future__ import annotations

import base64
import hashlib

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from hypothesis import given, settings
from hypothesis import strategies as st

from zhifa.ledger import merkle, note

ORIGIN = "zhifa.test/ledger"
ROOT = hashlib.sha256(b"root").digest()


def _signed(private_key: Ed25519PrivateKey, size: int = 42, root: bytes = ROOT, origin: str = ORIGIN) -> str:
    body = note.checkpoint_body(origin, size, root)
    return note.format_note(body, [note.sign_body(body, origin, private_key)])


@pytest.fixture
def private_key():
    return Ed25519PrivateKey.generate()


@pytest.fixture
def verifier(private_key):
    return note.VerifierKey(ORIGIN, private_key.public_key())


def test_sec_09__checkpoint_text_has_the_documented_layout(private_key, verifier):
    # given a signed checkpoint, when formatted, then it is origin, size, base64 root, blank, signature
    text = _signed(private_key)
    lines = text.split("\n")
    assert lines[:4] == [ORIGIN, "42", base64.b64encode(ROOT).decode(), ""]
    assert lines[4].startswith("\u2014 " + ORIGIN + " ")
    assert text.endswith("\n") and lines[5] == ""
    blob = base64.b64decode(lines[4].split(" ")[2])
    raw = private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    # the key hash is SHA-256(name ‖ LF ‖ 0x01 ‖ key)[:4] (C2SP signed-note)
    assert blob[:4] == hashlib.sha256(ORIGIN.encode() + b"\n\x01" + raw).digest()[:4] == verifier.key_hash
    assert len(blob) == 4 + 64


def test_sec_09__valid_checkpoint_parses_and_verifies(private_key, verifier):
    parsed = note.parse(_signed(private_key, size=7))
    assert (parsed.origin, parsed.tree_size, parsed.root_hash) == (ORIGIN, 7, ROOT)
    assert note.verify(parsed, [verifier]) == verifier


def test_sec_09__crlf_line_ends_are_tolerated(private_key, verifier):
    # given a checkpoint re-saved on Windows, when parsed, then it still verifies
    text = _signed(private_key).replace("\n", "\r\n")
    note.verify(note.parse(text), [verifier])


def test_sec_09__forged_signature_is_rejected(private_key, verifier):
    # given a checkpoint signed by another key under our name and key hash, then it is forged
    forger = Ed25519PrivateKey.generate()
    body = note.checkpoint_body(ORIGIN, 42, ROOT)
    sig = note.sign_body(body, ORIGIN, forger)
    forged = note.format_note(body, [note.Signature(ORIGIN, verifier.key_hash, sig.signature)])
    with pytest.raises(note.NoteError, match="签名无效"):
        note.verify(note.parse(forged), [verifier])


def test_sec_09__signature_by_unknown_key_is_rejected(verifier):
    other = Ed25519PrivateKey.generate()
    with pytest.raises(note.NoteError, match="没有受信任密钥的签名"):
        note.verify(note.parse(_signed(other)), [verifier])


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_sec_09__any_one_bit_flip_in_the_body_breaks_the_signature(data):
    # given a signed checkpoint, when one bit of the signed body changes (size, root or origin),
    # then it no longer parses or no longer verifies: the signature pins (size, root)
    key = Ed25519PrivateKey.generate()
    verifier = note.VerifierKey(ORIGIN, key.public_key())
    text = _signed(key, size=data.draw(st.integers(min_value=0, max_value=10**9)))
    body_len = text.index("\n\n") + 1
    pos = data.draw(st.integers(min_value=0, max_value=body_len - 1))
    bit = data.draw(st.integers(min_value=0, max_value=6))
    changed = text[:pos] + chr(ord(text[pos]) ^ (1 << bit)) + text[pos + 1 :]
    with pytest.raises(note.NoteError):
        note.verify(note.parse(changed), [verifier])


def test_sec_09__changing_the_size_of_a_signed_checkpoint_is_rejected(private_key, verifier):
    # the size that an inclusion proof cannot pin (see test_merkle) is pinned here
    text = _signed(private_key, size=5)
    for other in (4, 6, 7, 13, 5 ^ (1 << 40)):
        changed = text.replace("\n5\n", f"\n{other}\n", 1)
        with pytest.raises(note.NoteError, match="签名无效"):
            note.verify(note.parse(changed), [verifier])


@pytest.mark.parametrize(
    "text,reason",
    [
        ("", "必须以换行结束"),
        ("zhifa.test/ledger\n1\n", "缺少签名前的空行"),
        ("zhifa.test/ledger\n1\n\n\u2014 x AAAAAAA=\n", "至少应有三行"),
        ("zhifa.test/ledger\n01\n" + base64.b64encode(ROOT).decode() + "\n\n\u2014 x AAAAAAA=\n", "树大小"),
        ("zhifa.test/ledger\n-1\n" + base64.b64encode(ROOT).decode() + "\n\n\u2014 x AAAAAAA=\n", "树大小"),
        ("zhifa.test/ledger\n1\nnot base64!\n\n\u2014 x AAAAAAA=\n", "Base64"),
        ("zhifa.test/ledger\n1\n" + base64.b64encode(b"short").decode() + "\n\n\u2014 x AAAAAAA=\n", "32 字节"),
        ("zhifa.test/ledger\n1\n" + base64.b64encode(ROOT).decode() + "\n\n- x AAAAAAA=\n", "签名行格式无效"),
        ("zhifa.test/ledger\n1\n" + base64.b64encode(ROOT).decode() + "\n\n\u2014 x AAA=\n", "签名过短"),
        ("zhifa test\n1\n" + base64.b64encode(ROOT).decode() + "\n\n\u2014 x AAAAAAA=\n", "不能含空白"),
    ],
)
def test_sec_09__malformed_checkpoint_text_gets_a_clear_reason(text, reason):
    with pytest.raises(note.NoteError) as err:
        note.parse(text)
    assert reason in err.value.reason


def test_sec_09__verifier_key_text_round_trips_and_is_checked(verifier):
    assert note.parse_verifier_key(verifier.text()).raw == verifier.raw
    name, key_hash, blob = verifier.text().split("+", 2)
    with pytest.raises(note.NoteError, match="密钥哈希与公钥不符"):
        note.parse_verifier_key(f"{name}+00000000+{blob}")
    with pytest.raises(note.NoteError):
        note.parse_verifier_key("garbage")


def test_sec_09__checkpoint_body_refuses_bad_values():
    with pytest.raises(note.NoteError):
        note.checkpoint_body(ORIGIN, -1, ROOT)
    with pytest.raises(note.NoteError):
        note.checkpoint_body(ORIGIN, 1, b"short")
    with pytest.raises(note.NoteError):
        note.checkpoint_body("", 1, ROOT)
    assert note.checkpoint_body(ORIGIN, 0, merkle.EMPTY_ROOT).startswith(ORIGIN + "\n0\n")
