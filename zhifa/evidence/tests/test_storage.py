"""Write-once content-addressed storage: streamed hashing, fsync order, no partial blobs."""
from __future__ import annotations

import errno
import hashlib
import os
import stat

import pytest

from zhifa.evidence import storage as storage_module
from zhifa.evidence.storage import BlobCorrupt, BlobTooLarge, LocalEvidenceStorage

from .samples import chunked


def _blob_files(store: LocalEvidenceStorage) -> list[str]:
    return list(store.iter_stored())


def test_put_stream__hash_equals_hashlib(evidence_store):
    # given 3 MB streamed in uneven chunks
    data = os.urandom(3 * 1024 * 1024 + 17)
    # when stored
    blob = evidence_store.put_stream(chunked(data, 77_777))
    # then the streaming hash and size equal hashlib over the whole bytes, and so does the file
    assert blob.sha256 == hashlib.sha256(data).hexdigest()
    assert blob.size == len(data)
    assert blob.created
    path = evidence_store.path_for(blob.sha256)
    assert path.read_bytes() == data
    assert path.relative_to(evidence_store.root).as_posix() == f"{blob.sha256[:2]}/{blob.sha256[2:4]}/{blob.sha256}"


def test_put_stream__blob_is_read_only_and_temp_file_gone(evidence_store):
    blob = evidence_store.put_stream([b"hello evidence"])
    mode = evidence_store.path_for(blob.sha256).stat().st_mode
    assert not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    assert evidence_store.temp_files() == []


def test_put_stream__fsyncs_file_before_link_and_directory_after(evidence_store, monkeypatch):
    # given os.fsync and os.link recording what they are called on, in order
    calls = []
    real_fsync, real_link = os.fsync, os.link

    def fsync(fd):
        target = os.readlink(f"/proc/self/fd/{fd}")
        calls.append(("fsync-dir" if os.path.isdir(target) else "fsync-file", target))
        return real_fsync(fd)

    def link(src, dst):
        calls.append(("link", str(dst)))
        return real_link(src, dst)

    monkeypatch.setattr(storage_module.os, "fsync", fsync)
    monkeypatch.setattr(storage_module.os, "link", link)
    # when a blob is stored
    blob = evidence_store.put_stream([b"abc" * 1000])
    final = evidence_store.path_for(blob.sha256)
    # then the file was fsynced before it got its final name, and its directory after
    kinds = [kind for kind, _ in calls]
    file_sync = kinds.index("fsync-file")
    linked = kinds.index("link")
    dir_after = [i for i, (kind, target) in enumerate(calls) if kind == "fsync-dir" and target == str(final.parent)]
    assert file_sync < linked
    assert calls[linked][1] == str(final)
    assert dir_after and dir_after[-1] > linked
    assert calls[file_sync][1].endswith(".part")


def test_put_stream__duplicate_content_stored_once(evidence_store):
    # given the same bytes stored twice
    first = evidence_store.put_stream([b"same bytes"])
    inode = evidence_store.path_for(first.sha256).stat().st_ino
    second = evidence_store.put_stream(chunked(b"same bytes", 3))
    # then one blob exists, it was not replaced, and the second call reports it existed
    assert first.created and not second.created
    assert first.sha256 == second.sha256
    assert _blob_files(evidence_store) == [first.sha256]
    assert evidence_store.path_for(first.sha256).stat().st_ino == inode
    assert evidence_store.temp_files() == []


def test_put_stream__existing_corrupt_blob_is_never_overwritten(evidence_store):
    # given a stored blob whose bytes were altered behind the store's back
    blob = evidence_store.put_stream([b"original content"])
    path = evidence_store.path_for(blob.sha256)
    path.chmod(0o644)
    path.write_bytes(b"tampered content")
    # when the same content is uploaded again / then the store refuses and leaves the evidence of tampering
    with pytest.raises(BlobCorrupt):
        evidence_store.put_stream([b"original content"])
    assert path.read_bytes() == b"tampered content"
    assert evidence_store.temp_files() == []


def test_put_stream__too_large_leaves_nothing(evidence_store):
    with pytest.raises(BlobTooLarge):
        evidence_store.put_stream(chunked(b"x" * 5000, 1000), max_bytes=4096)
    assert _blob_files(evidence_store) == []
    assert evidence_store.temp_files() == []


def test_put_stream__client_disconnect_midway_leaves_no_partial_blob(evidence_store):
    # given a chunk iterator that dies after 2 chunks (a client that disconnects)
    def interrupted():
        yield b"a" * 65536
        yield b"b" * 65536
        raise ConnectionResetError("client went away")

    # when stored / then the error propagates and neither a blob nor a temp file remains
    with pytest.raises(ConnectionResetError):
        evidence_store.put_stream(interrupted())
    assert _blob_files(evidence_store) == []
    assert evidence_store.temp_files() == []


def test_put_stream__without_hard_links_falls_back_to_rename(evidence_store, monkeypatch):
    # given a file system that refuses hard links
    def no_links(src, dst):
        raise OSError(errno.EPERM, "hard links not supported")

    monkeypatch.setattr(storage_module.os, "link", no_links)
    # when storing new and then duplicate content
    first = evidence_store.put_stream([b"fallback"])
    second = evidence_store.put_stream([b"fallback"])
    # then the blob is stored once and no temp file remains
    assert first.created and not second.created
    assert evidence_store.path_for(first.sha256).read_bytes() == b"fallback"
    assert evidence_store.temp_files() == []


def test_verify__ok_missing_and_corrupt(evidence_store):
    blob = evidence_store.put_stream([b"verify me"])
    assert evidence_store.verify(blob.sha256, expected_size=9).status == "ok"
    assert evidence_store.verify(blob.sha256, expected_size=10).status == "corrupt"
    missing = hashlib.sha256(b"never stored").hexdigest()
    assert not evidence_store.exists(missing)
    assert evidence_store.verify(missing).status == "missing"
    path = evidence_store.path_for(blob.sha256)
    path.chmod(0o644)
    raw = bytearray(path.read_bytes())
    raw[0] ^= 0x01
    path.write_bytes(bytes(raw))
    check = evidence_store.verify(blob.sha256)
    assert check.status == "corrupt" and check.actual_sha256 == hashlib.sha256(bytes(raw)).hexdigest()


def test_paths__refuse_anything_but_a_sha256(evidence_store):
    for bad in ("../../etc/passwd", "AB" * 32, "a" * 63, ""):
        with pytest.raises(ValueError):
            evidence_store.path_for(bad)


def test_cleanup_temp__removes_only_stale_part_files(evidence_store):
    # given a leftover temp file from a crash and a fresh one of an upload in progress
    evidence_store.temp_dir.mkdir(parents=True)
    stale = evidence_store.temp_dir / "dead.part"
    stale.write_bytes(b"partial")
    os.utime(stale, (1, 1))
    fresh = evidence_store.temp_dir / "live.part"
    fresh.write_bytes(b"partial")
    # when cleaned with a one-hour age / then only the stale one is gone
    assert evidence_store.cleanup_temp(older_than_seconds=3600) == [stale]
    assert evidence_store.temp_files() == [fresh]
