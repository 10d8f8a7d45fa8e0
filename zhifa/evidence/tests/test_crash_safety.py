"""Crash safety (issue 3 item 7): kill the server with SIGKILL in the middle of concurrent uploads.

Every upload the server acknowledged (201) must afterwards be present, hash-valid and in the
ledger; the content-addressed store must contain no partial file. Interrupted uploads may leave
`.part` files in the store's `.tmp/` directory: nothing references them, and
`integrity_check --clean-temp` removes them (docs/evidence.md, "Crash safety").

Runs a real gunicorn against a file SQLite database (WAL, synchronous=FULL) in a temp directory,
independent of the test database.
"""
from __future__ import annotations

import hashlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest

from .samples import jpeg_bytes

BASE_DIR = Path(__file__).resolve().parents[3]
UPLOADS = 20
KILL_AFTER_ACKS = 6
UPLOAD_BYTES = 3 * 1024 * 1024
SEND_PIECE = 64 * 1024

SETUP_SCRIPT = """
from rest_framework.authtoken.models import Token
from zhifa.accounts.choices import Role
from zhifa.accounts.models import Organisation, User
org = Organisation.objects.create(name="普陀区应急管理局", code="SH-PT", kind="DISTRICT", is_enforcement_body=True)
user = User.objects.create(username="crash-officer", role=Role.OFFICER, organisation=org, display_name="李执法")
print("TOKEN=" + Token.objects.create(user=user).key)
"""

CHECK_SCRIPT = """
import json, os
from django.db import connection
from zhifa.evidence.models import EvidenceItem
from zhifa.ledger.models import LedgerEntry
acked = json.loads(os.environ["ACKED"])
report = {}
for item_id, sha in acked.items():
    item = EvidenceItem.objects.select_related("file").filter(pk=int(item_id)).first()
    entries = LedgerEntry.objects.filter(action="evidence.register", object_type="evidence.evidenceitem", object_id=item_id)
    report[item_id] = {
        "row_sha": item.file.sha256 if item else None,
        "ledger_sha": [e.payload.get("sha256") for e in entries],
    }
with connection.cursor() as cur:
    cur.execute("PRAGMA integrity_check")
    report["_sqlite"] = cur.fetchone()[0]
print("REPORT=" + json.dumps(report))
"""


def _env(var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZHIFA_")}
    env.update({"ZHIFA_VAR_DIR": str(var_dir), "DJANGO_SETTINGS_MODULE": "config.settings", "PYTHONUNBUFFERED": "1"})
    return env


def _manage(env, *args, extra_env=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**env, **(extra_env or {})},
        capture_output=True,
        text=True,
        timeout=300,
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_server(env, port: int, log: Path) -> subprocess.Popen:
    cmd = [
        sys.executable, "-m", "gunicorn", "config.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "4", "--timeout", "120",
    ]
    # A new session, so that SIGKILL reaches the master and every worker at once.
    return subprocess.Popen(cmd, cwd=BASE_DIR, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True)


def _wait_ready(port: int, token: str, deadline: float = 90) -> None:
    until = time.monotonic() + deadline
    while time.monotonic() < until:
        try:
            status, _ = _request(port, token, "GET", "/api/v1/evidence/")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError("server did not become ready")


def _request(port: int, token: str, method: str, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, path, headers={"Authorization": f"Token {token}"})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def _multipart(data: bytes, index: int) -> tuple[str, bytes]:
    boundary = uuid.uuid4().hex
    fields = {
        "kind": "AUDIO_VISUAL",
        "title": f"并发上传 {index}",
        "source": "OFFICER",
        "production_method": "现场拍摄",
        "produced_at": "2026-01-05T09:30:00+08:00",
        "producer": "李执法",
        "object_proven": "崩溃测试",
    }
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode() for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="photo{index}.jpg"\r\n'
        f"Content-Type: image/jpeg\r\n\r\n".encode()
        + data
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return f"multipart/form-data; boundary={boundary}", b"".join(parts)


def _upload(port: int, token: str, data: bytes, index: int, results: dict, acked: threading.Semaphore) -> None:
    content_type, body = _multipart(data, index)
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        conn.putrequest("POST", "/api/v1/evidence/")
        conn.putheader("Authorization", f"Token {token}")
        conn.putheader("Content-Type", content_type)
        conn.putheader("Content-Length", str(len(body)))
        conn.endheaders()
        for start in range(0, len(body), SEND_PIECE):  # a slow client, so the kill finds uploads in flight
            conn.send(body[start : start + SEND_PIECE])
            time.sleep(0.004)
        response = conn.getresponse()
        payload = response.read()
        results[index] = (response.status, payload)
        if response.status == 201:
            acked.release()
    except OSError as exc:
        results[index] = (None, repr(exc).encode())


@pytest.mark.slow
def test_crash_safety__acknowledged_uploads_survive_sigkill(tmp_path):
    # given a fresh file-backed installation with one officer and an API token
    var_dir = tmp_path / "var"
    env = _env(var_dir)
    migrated = _manage(env, "migrate", "--noinput", "-v0")
    assert migrated.returncode == 0, migrated.stderr
    setup = _manage(env, "shell", "-c", SETUP_SCRIPT)
    assert setup.returncode == 0, setup.stderr
    token = setup.stdout.split("TOKEN=", 1)[1].split()[0]
    port = _free_port()
    log = tmp_path / "gunicorn.log"
    server = _start_server(env, port, log)
    try:
        _wait_ready(port, token)

        # when 20 uploads run concurrently and the server is SIGKILLed after the 6th acknowledgement
        payloads = {i: jpeg_bytes(64) + os.urandom(UPLOAD_BYTES) for i in range(UPLOADS)}
        results: dict[int, tuple] = {}
        acked = threading.Semaphore(0)
        threads = [threading.Thread(target=_upload, args=(port, token, payloads[i], i, results, acked), daemon=True) for i in range(UPLOADS)]
        for t in threads:
            t.start()
        for _ in range(KILL_AFTER_ACKS):
            assert acked.acquire(timeout=120), f"no acknowledgement in time; log: {log.read_text()[-2000:]}"
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=30)
        for t in threads:
            t.join(timeout=60)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=30)

    acknowledged = {}
    for index, (status, body) in results.items():
        if status == 201:
            item = json.loads(body)
            assert item["file"]["sha256"] == hashlib.sha256(payloads[index]).hexdigest()
            acknowledged[str(item["id"])] = (index, item["file"]["sha256"])
    interrupted = [i for i in range(UPLOADS) if results.get(i, (None,))[0] != 201]
    assert len(acknowledged) >= KILL_AFTER_ACKS
    assert interrupted, "the kill came too late to interrupt any upload"
    assert all(results.get(i, (None,))[0] in (None, 201) for i in range(UPLOADS)), results

    # then after a restart every acknowledged upload is there, byte for byte
    server = _start_server(env, port, log)
    try:
        _wait_ready(port, token)
        for item_id, (index, sha) in acknowledged.items():
            status, body = _request(port, token, "GET", f"/api/v1/evidence/{item_id}/")
            assert status == 200 and json.loads(body)["file"]["sha256"] == sha
            status, content = _request(port, token, "GET", f"/api/v1/evidence/{item_id}/download/")
            assert status == 200 and hashlib.sha256(content).hexdigest() == sha == hashlib.sha256(payloads[index]).hexdigest()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    # and in the ledger, in a sound database
    checked = _manage(env, "shell", "-c", CHECK_SCRIPT, extra_env={"ACKED": json.dumps({k: v[1] for k, v in acknowledged.items()})})
    assert checked.returncode == 0, checked.stderr
    report = json.loads(checked.stdout.split("REPORT=", 1)[1])
    assert report.pop("_sqlite") == "ok"
    for item_id, (_, sha) in acknowledged.items():
        assert report[item_id] == {"row_sha": sha, "ledger_sha": [sha]}

    # and the content-addressed store holds only complete blobs named by their hash
    store = var_dir / "evidence"
    for path in store.rglob("*"):
        if path.is_dir():
            continue
        relative = path.relative_to(store)
        if relative.parts[0] == ".tmp":
            assert path.name.endswith(".part")  # an interrupted upload: ignored, cleaned below
            continue
        assert relative.parts == (path.name[:2], path.name[2:4], path.name)
        assert hashlib.sha256(path.read_bytes()).hexdigest() == path.name

    # and integrity_check passes, removing leftovers of the interrupted uploads
    check = _manage(env, "integrity_check", "--no-progress", "--clean-temp", "--temp-max-age", "0")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "完整性检查通过" in check.stdout
    assert not list((store / ".tmp").glob("*.part"))
