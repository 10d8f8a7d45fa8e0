"""Content-addressed, write-once blob storage for evidence files (EVI-09, REC-16, SEC-09).

The interface is deliberately small (`put_stream`, `open`, `exists`, `verify`, `size`) so that
an S3-compatible adapter with object lock can replace the local one in production
(docs/adr/0006-evidence-storage.md). Only the local-disk implementation exists.

Local layout under the root (settings.ZHIFA_EVIDENCE_DIR, default VAR_DIR/"evidence"):

    ab/cd/abcdef…(64 hex)    one blob per distinct SHA-256, read-only (0444)
    .tmp/<random>.part       uploads in progress; never referenced by the database

Durability protocol of `put_stream` (ARCHITECTURE: fsync before the upload is acknowledged):
1. stream the chunks into a fresh temp file in `.tmp/` (same file system as the blobs), hashing
   SHA-256 while streaming, never holding more than one chunk in memory;
2. `fsync` the temp file;
3. link it to its final name `ab/cd/<sha256>` with `os.link`, which is atomic and refuses to
   replace an existing name, so a stored blob is never overwritten; if the name exists, the
   existing blob is verified and the temp file discarded;
4. `fsync` the blob's directory (and any directory created on the way), then drop the temp name.
Only after `put_stream` returns does the service write database rows, and only after they
commit is the upload acknowledged. A crash at any point leaves either no blob, or a complete
blob that is merely unreferenced; a leftover `.part` file is ignored by everything and removed
by `cleanup_temp` (run by `manage.py integrity_check --clean-temp`).
"""
from __future__ import annotations

import errno
import hashlib
import os
import re
import secrets
import stat
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from django.conf import settings

READ_CHUNK = 1024 * 1024
TEMP_DIR_NAME = ".tmp"
TEMP_SUFFIX = ".part"
_SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")


class StorageError(Exception):
    """Base class for storage failures (mapped to Chinese ZhifaErrors by the services)."""


class BlobTooLarge(StorageError):
    def __init__(self, limit: int):
        super().__init__(f"blob exceeds {limit} bytes")
        self.limit = limit


class BlobCorrupt(StorageError):
    """An existing blob does not hash to its name; it is never overwritten (SEC-09)."""

    def __init__(self, sha256: str):
        super().__init__(f"stored blob {sha256} does not match its hash")
        self.sha256 = sha256


class BlobMissing(StorageError):
    def __init__(self, sha256: str):
        super().__init__(f"blob {sha256} is missing")
        self.sha256 = sha256


@dataclass(frozen=True)
class StoredBlob:
    sha256: str
    size: int
    created: bool  # False when identical content was already stored (stored once)


@dataclass(frozen=True)
class BlobCheck:
    """Outcome of re-hashing one blob: status is "ok", "missing" or "corrupt"."""

    sha256: str
    status: str
    actual_sha256: str = ""
    actual_size: int | None = None

    @property
    def ok(self) -> bool:
        return self.status == "ok"


class EvidenceStorage(Protocol):
    """What the evidence services need from a blob store."""

    def put_stream(self, chunks: Iterable[bytes], *, max_bytes: int | None = None) -> StoredBlob: ...

    def open(self, sha256: str) -> BinaryIO: ...

    def exists(self, sha256: str) -> bool: ...

    def verify(self, sha256: str, *, expected_size: int | None = None) -> BlobCheck: ...

    def size(self, sha256: str) -> int: ...


def validate_sha256(sha256: str) -> str:
    if not isinstance(sha256, str) or not _SHA256_HEX.match(sha256):
        raise ValueError("not a lower-case hex SHA-256")
    return sha256


def fsync_directory(path: Path) -> None:
    """Make a directory entry (a new or renamed name in it) durable."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class LocalEvidenceStorage:
    """Write-once content-addressed storage on a local (or mounted) POSIX file system."""

    def __init__(self, root: Path | str):
        self.root = Path(root)

    # --- layout -------------------------------------------------------------------------
    @property
    def temp_dir(self) -> Path:
        return self.root / TEMP_DIR_NAME

    def relative_name(self, sha256: str) -> str:
        validate_sha256(sha256)
        return f"{sha256[:2]}/{sha256[2:4]}/{sha256}"

    def path_for(self, sha256: str) -> Path:
        return self.root / self.relative_name(sha256)

    def _ensure_dir(self, path: Path) -> None:
        """Create `path` and missing parents, fsyncing each parent whose entries changed."""
        missing = []
        probe = path
        while not probe.exists():
            missing.append(probe)
            probe = probe.parent
        for directory in reversed(missing):
            try:
                directory.mkdir()
            except FileExistsError:
                continue
            fsync_directory(directory.parent)

    # --- writing ------------------------------------------------------------------------
    def put_stream(self, chunks: Iterable[bytes], *, max_bytes: int | None = None) -> StoredBlob:
        """Store the streamed bytes durably and return their SHA-256 and size.

        Raises BlobTooLarge as soon as more than `max_bytes` arrive, and re-raises whatever the
        chunk iterator raises (a client disconnect); in both cases no blob is left behind.
        """
        self._ensure_dir(self.temp_dir)
        fd, tmp_name = _make_temp(self.temp_dir)
        tmp_path = Path(tmp_name)
        try:
            digest = hashlib.sha256()
            size = 0
            with os.fdopen(fd, "wb") as out:
                for chunk in chunks:
                    if not chunk:
                        continue
                    size += len(chunk)
                    if max_bytes is not None and size > max_bytes:
                        raise BlobTooLarge(max_bytes)
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fchmod(out.fileno(), stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
                os.fsync(out.fileno())  # file contents durable before the name appears
            sha256 = digest.hexdigest()
            final = self.path_for(sha256)
            self._ensure_dir(final.parent)
            try:
                _link_no_replace(tmp_path, final)
            except FileExistsError:
                check = self.verify(sha256, expected_size=size)
                if not check.ok:
                    raise BlobCorrupt(sha256) from None
                return StoredBlob(sha256=sha256, size=size, created=False)
            fsync_directory(final.parent)  # the new name durable before we acknowledge
            return StoredBlob(sha256=sha256, size=size, created=True)
        finally:
            _unlink_quietly(tmp_path)

    # --- reading ------------------------------------------------------------------------
    def exists(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def open(self, sha256: str) -> BinaryIO:
        try:
            return open(self.path_for(sha256), "rb")  # noqa: SIM115 - caller closes (FileResponse)
        except FileNotFoundError:
            raise BlobMissing(sha256) from None

    def size(self, sha256: str) -> int:
        try:
            return self.path_for(sha256).stat().st_size
        except FileNotFoundError:
            raise BlobMissing(sha256) from None

    def iter_chunks(self, sha256: str, chunk_size: int = READ_CHUNK) -> Iterator[bytes]:
        with self.open(sha256) as fh:
            while chunk := fh.read(chunk_size):
                yield chunk

    def verify(self, sha256: str, *, expected_size: int | None = None, progress=None) -> BlobCheck:
        """Re-hash a blob. `progress(n)` is called with each number of bytes read."""
        digest = hashlib.sha256()
        size = 0
        try:
            for chunk in self.iter_chunks(sha256):
                digest.update(chunk)
                size += len(chunk)
                if progress is not None:
                    progress(len(chunk))
        except BlobMissing:
            return BlobCheck(sha256=sha256, status="missing")
        actual = digest.hexdigest()
        if actual != sha256 or (expected_size is not None and size != expected_size):
            return BlobCheck(sha256=sha256, status="corrupt", actual_sha256=actual, actual_size=size)
        return BlobCheck(sha256=sha256, status="ok", actual_sha256=actual, actual_size=size)

    # --- housekeeping -------------------------------------------------------------------
    def iter_stored(self) -> Iterator[str]:
        """Names of every blob on disk (used to report unreferenced blobs)."""
        if not self.root.is_dir():
            return
        for first in sorted(self.root.iterdir()):
            if not (first.is_dir() and len(first.name) == 2):
                continue
            for second in sorted(first.iterdir()):
                if second.is_dir():
                    for blob in sorted(second.iterdir()):
                        yield blob.name

    def temp_files(self) -> list[Path]:
        if not self.temp_dir.is_dir():
            return []
        return sorted(p for p in self.temp_dir.iterdir() if p.name.endswith(TEMP_SUFFIX))

    def cleanup_temp(self, *, older_than_seconds: float = 3600) -> list[Path]:
        """Remove `.part` files not written to for `older_than_seconds` (left by a crash).

        An upload in progress keeps touching its temp file, so a generous age never removes it.
        """
        cutoff = time.time() - older_than_seconds
        removed = []
        for path in self.temp_files():
            try:
                if path.stat().st_mtime <= cutoff:
                    path.unlink()
                    removed.append(path)
            except FileNotFoundError:
                continue
        return removed


def _make_temp(directory: Path) -> tuple[int, str]:
    """A new, exclusively created temp file with a server-generated random name."""
    while True:
        name = directory / f"{secrets.token_hex(16)}{TEMP_SUFFIX}"
        try:
            fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600)
        except FileExistsError:
            continue
        return fd, str(name)


_NO_HARD_LINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK}


def _link_no_replace(source: Path, target: Path) -> None:
    """Give `source` the name `target` atomically, raising FileExistsError if it exists.

    `os.link` never replaces an existing name. File systems without hard links fall back to
    `os.rename` after an existence check; two simultaneous writers of the same content can then
    at worst replace a blob with identical, already verified bytes.
    """
    try:
        os.link(source, target)
    except OSError as exc:
        if isinstance(exc, FileExistsError) or exc.errno not in _NO_HARD_LINKS:
            raise
        if target.exists():
            raise FileExistsError(errno.EEXIST, "blob exists", str(target)) from None
        os.rename(source, target)


def _unlink_quietly(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError as exc:
        if exc.errno != errno.ENOENT:
            raise


def evidence_root() -> Path:
    configured = getattr(settings, "ZHIFA_EVIDENCE_DIR", None) or os.environ.get("ZHIFA_EVIDENCE_DIR")
    return Path(configured) if configured else Path(settings.VAR_DIR) / "evidence"


def get_storage() -> LocalEvidenceStorage:
    """The configured store. Only local disk is implemented; see ADR 0006 for the S3 adapter."""
    return LocalEvidenceStorage(evidence_root())
