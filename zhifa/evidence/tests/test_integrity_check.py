"""`manage.py integrity_check` names every tampered or missing file and exits non-zero (SEC-09)."""
from __future__ import annotations

import io
import os

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def _run(*args):
    out = io.StringIO()
    call_command("integrity_check", "--no-progress", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_integrity_check__clean_store_passes(users, register):
    register(users["officer"], seed=1)
    register(users["officer"], seed=2)
    output = _run()
    assert "已校验 2 个文件" in output and "完整性检查通过" in output


def test_integrity_check__flipped_byte_is_named_and_exit_code_nonzero(users, register, evidence_store):
    # given two stored files, one with a single bit flipped behind the application's back
    good = register(users["officer"], seed=1, title="完好的照片")
    bad = register(users["officer"], seed=2, title="被篡改的照片")
    path = evidence_store.path_for(bad.file.sha256)
    path.chmod(0o644)
    raw = bytearray(path.read_bytes())
    raw[len(raw) // 2] ^= 0x01
    path.write_bytes(bytes(raw))
    # when checked / then the command fails and names exactly the tampered file and its item
    with pytest.raises(CommandError) as exc:
        _run()
    assert exc.value.returncode != 0
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("integrity_check", "--no-progress", stdout=out)
    text = out.getvalue()
    assert f"内容不符：{path}" in text and f"#{bad.pk}「被篡改的照片」" in text
    assert good.file.sha256 not in text


def test_integrity_check__missing_file_is_named(users, register, evidence_store):
    item = register(users["officer"], seed=3, title="丢失的录像")
    path = evidence_store.path_for(item.file.sha256)
    os.unlink(path)
    out = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("integrity_check", "--no-progress", stdout=out)
    assert exc.value.returncode != 0
    assert f"缺失：{path}" in out.getvalue() and "丢失的录像" in out.getvalue()


def test_integrity_check__orphan_blobs_and_temp_files_are_reported_not_failed(users, register, evidence_store):
    register(users["officer"], seed=4)
    orphan = evidence_store.put_stream([b"stored but never committed"])
    evidence_store.temp_dir.mkdir(parents=True, exist_ok=True)
    stale = evidence_store.temp_dir / "crashed.part"
    stale.write_bytes(b"half")
    os.utime(stale, (1, 1))
    output = _run()
    assert orphan.sha256 in output and "1 个临时文件" in output
    output = _run("--clean-temp")
    assert "已删除 1 个" in output and not stale.exists()


def test_integrity_check__progress_bar_on_stderr(users, register):
    register(users["officer"], seed=5)
    err = io.StringIO()
    call_command("integrity_check", "--progress", stdout=io.StringIO(), stderr=err)
    assert "校验证据文件" in err.getvalue() and "100%" in err.getvalue()
