"""The ledger's Ed25519 signing key, kept in `settings.ZHIFA_LEDGER_KEY_FILE` (PKCS#8 PEM, mode 0600).

Created on first use. Creation is race-free: the key is written to a private temporary file,
fsynced, and hard-linked into place, so two processes starting together end up with one key.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, load_pem_private_key
from django.conf import settings

from .note import VerifierKey, check_name


class KeyFileError(RuntimeError):
    """The key file exists but cannot be used (unreadable, not an Ed25519 key)."""


def key_path() -> Path:
    return Path(settings.ZHIFA_LEDGER_KEY_FILE)


def origin() -> str:
    """The log's name: first line of every checkpoint and the signing key's name."""
    return check_name(settings.ZHIFA_LEDGER_ORIGIN)


def _load(path: Path) -> Ed25519PrivateKey:
    try:
        key = load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise KeyFileError(f"账本签名密钥文件无法读取：{path}") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError(f"账本签名密钥文件不是 Ed25519 私钥：{path}")
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        # The private key must be readable by the service account only.
        os.chmod(path, 0o600)
    return key


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _create(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = Ed25519PrivateKey.generate().private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, pem)
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.link(tmp, path)  # fails if another process won the race; then its key is used
    except FileExistsError:
        pass
    finally:
        tmp.unlink()
    _fsync_dir(path.parent)


def private_key(create: bool = True) -> Ed25519PrivateKey:
    """The signing key; created (mode 0600) if missing and `create` is true."""
    path = key_path()
    if not path.exists():
        if not create:
            raise KeyFileError(f"账本签名密钥文件不存在：{path}")
        _create(path)
    return _load(path)


def verifier_key(create: bool = True) -> VerifierKey:
    """The public half under the log's origin name (safe to publish)."""
    return VerifierKey(origin(), private_key(create=create).public_key())
