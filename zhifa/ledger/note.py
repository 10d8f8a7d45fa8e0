"""Checkpoint text in the C2SP signed-note / checkpoint format, signed with Ed25519.

Pure module (no Django): an outsider can verify an exported checkpoint with this file, `merkle.py`
and the `cryptography` package. Format (each line ends with LF):

    <origin>                      e.g. zhifa.local/ledger
    <tree size, decimal>          e.g. 1024
    <root hash, standard base64>  32 bytes of SHA-256
    <empty line>
    — <key name> <base64(key hash (4 bytes) ‖ Ed25519 signature (64 bytes))>

The signature covers the three body lines including their final LF. The key name is the origin;
the key hash is SHA-256(name ‖ LF ‖ 0x01 ‖ 32-byte public key)[:4]; the public "verifier key" is
written `<name>+<key hash hex>+<base64(0x01 ‖ public key)>`. This matches
https://c2sp.org/signed-note and https://c2sp.org/tlog-checkpoint, so standard tools can read it.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from .merkle import HASH_SIZE

ALG_ED25519 = 0x01
SIG_PREFIX = "\u2014 "  # em dash and space
_NAME_RE = re.compile(r"^[^\s+]+$")
_SIZE_RE = re.compile(r"^(0|[1-9][0-9]{0,19})$")


class NoteError(ValueError):
    """A checkpoint text that is malformed or not validly signed; `reason` is Chinese."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class VerifierKey:
    """An Ed25519 public key under a name, as in the signed-note spec."""

    name: str
    public_key: Ed25519PublicKey

    @property
    def raw(self) -> bytes:
        return self.public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)

    @property
    def key_hash(self) -> bytes:
        return key_hash(self.name, self.raw)

    @property
    def key_id(self) -> str:
        return self.key_hash.hex()

    def text(self) -> str:
        """`<name>+<hash hex>+<base64(0x01 ‖ key)>`: the form to publish next to checkpoints."""
        return f"{self.name}+{self.key_id}+{base64.b64encode(bytes([ALG_ED25519]) + self.raw).decode()}"

    def pem(self) -> str:
        return self.public_key.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo).decode()


@dataclass(frozen=True)
class Signature:
    name: str
    key_hash: bytes
    signature: bytes


@dataclass(frozen=True)
class Checkpoint:
    """A parsed checkpoint note. `body` is the exact signed text."""

    origin: str
    tree_size: int
    root_hash: bytes
    body: str
    signatures: tuple[Signature, ...] = ()


def check_name(name: str) -> str:
    if not name or not _NAME_RE.match(name):
        raise NoteError("密钥名称/日志标识不能为空，且不能含空白或“+”")
    return name


def key_hash(name: str, raw_public_key: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + bytes([ALG_ED25519]) + raw_public_key).digest()[:4]


def parse_verifier_key(text: str) -> VerifierKey:
    """Parse `<name>+<hash hex>+<base64(0x01 ‖ key)>`; the hash must match the key."""
    parts = text.strip().split("+", 2)  # base64 may itself contain "+"
    if len(parts) != 3:
        raise NoteError("公钥格式无效：应为 名称+密钥哈希+Base64 公钥")
    name, hash_hex, key_b64 = parts
    check_name(name)
    try:
        blob = base64.b64decode(key_b64, validate=True)
        expected = bytes.fromhex(hash_hex)
    except (binascii.Error, ValueError) as exc:
        raise NoteError("公钥格式无效：编码错误") from exc
    if len(blob) != 33 or blob[0] != ALG_ED25519:
        raise NoteError("公钥格式无效：不是 Ed25519 公钥")
    if key_hash(name, blob[1:]) != expected:
        raise NoteError("公钥格式无效：密钥哈希与公钥不符")
    return VerifierKey(name, Ed25519PublicKey.from_public_bytes(blob[1:]))


def checkpoint_body(origin: str, tree_size: int, root_hash: bytes) -> str:
    check_name(origin)
    if tree_size < 0:
        raise NoteError("树大小不能为负数")
    if len(root_hash) != HASH_SIZE:
        raise NoteError("根哈希长度不是 32 字节")
    return f"{origin}\n{tree_size}\n{base64.b64encode(root_hash).decode()}\n"


def sign_body(body: str, name: str, private_key: Ed25519PrivateKey) -> Signature:
    raw = private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return Signature(name, key_hash(name, raw), private_key.sign(body.encode()))


def format_note(body: str, signatures: list[Signature] | tuple[Signature, ...]) -> str:
    lines = [f"{SIG_PREFIX}{s.name} {base64.b64encode(s.key_hash + s.signature).decode()}\n" for s in signatures]
    return body + "\n" + "".join(lines)


def parse(text: str) -> Checkpoint:
    """Parse a checkpoint note strictly (CRLF line ends and a BOM are tolerated and normalised)."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    if not text.endswith("\n"):
        raise NoteError("检查点文本必须以换行结束")
    body, sep, sig_block = text.partition("\n\n")
    if not sep:
        raise NoteError("检查点文本缺少签名前的空行")
    body += "\n"
    lines = body[:-1].split("\n")
    if len(lines) < 3:
        raise NoteError("检查点正文至少应有三行：日志标识、树大小、根哈希")
    origin, size_text, root_text = lines[0], lines[1], lines[2]
    check_name(origin)
    if not _SIZE_RE.match(size_text):
        raise NoteError("检查点第二行不是有效的树大小（十进制非负整数）")
    try:
        root = base64.b64decode(root_text, validate=True)
    except binascii.Error as exc:
        raise NoteError("检查点第三行不是有效的 Base64 根哈希") from exc
    if len(root) != HASH_SIZE:
        raise NoteError("检查点根哈希长度不是 32 字节")
    signatures = []
    for line in sig_block[:-1].split("\n"):
        if not line.startswith(SIG_PREFIX):
            raise NoteError("签名行格式无效：应以“— ”开头")
        name, _, blob_text = line[len(SIG_PREFIX):].partition(" ")
        check_name(name)
        try:
            blob = base64.b64decode(blob_text, validate=True)
        except binascii.Error as exc:
            raise NoteError("签名行格式无效：Base64 编码错误") from exc
        if len(blob) < 5:
            raise NoteError("签名行格式无效：签名过短")
        signatures.append(Signature(name, blob[:4], blob[4:]))
    if not signatures:
        raise NoteError("检查点没有签名")
    return Checkpoint(origin, int(size_text), root, body, tuple(signatures))


def verify(checkpoint: Checkpoint, keys: list[VerifierKey] | tuple[VerifierKey, ...]) -> VerifierKey:
    """Return the trusted key that validly signed `checkpoint`; raise NoteError otherwise.

    A signature by a known key that does not verify is reported as forged, even if another
    signature is good: a checkpoint carrying a bad signature under our name is suspicious.
    """
    good: VerifierKey | None = None
    for sig in checkpoint.signatures:
        for key in keys:
            if sig.name == key.name and sig.key_hash == key.key_hash:
                try:
                    key.public_key.verify(sig.signature, checkpoint.body.encode())
                except InvalidSignature as exc:
                    raise NoteError(f"检查点签名无效（伪造或内容被改动）：密钥 {key.name}+{key.key_id}") from exc
                good = key
    if good is None:
        raise NoteError("检查点没有受信任密钥的签名（密钥名称或密钥哈希不符）")
    return good
