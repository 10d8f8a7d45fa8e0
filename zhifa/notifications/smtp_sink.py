"""A real SMTP server on loopback for development and tests (aiosmtpd).

`MailSink` accepts every message (unless its recipient is in `reject`), keeps it in memory and,
given a directory, stores it as an .eml file (fsynced) — it plays the recipient's mail system, so
its 250 reply to DATA is the arrival the e-mail channel records (SRV-03). `SinkServer` runs it on
an event loop in a background thread (tests: fixture `smtp_sink` in tests/conftest.py) or in the
foreground (`manage.py smtp_sink`). aiosmtpd is a development dependency (requirements-dev.txt);
production never imports this module.
"""
from __future__ import annotations

import asyncio
import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from aiosmtpd.smtp import SMTP, Envelope, Session

from .channels import write_durably


@dataclass(frozen=True)
class ReceivedMail:
    queue_id: str
    mail_from: str
    rcpt_tos: tuple[str, ...]
    content: bytes
    received_at: datetime
    path: Path | None


class MailSink:
    """aiosmtpd handler standing in for the recipients' mail system."""

    def __init__(self, directory: str | Path | None = None, *, reject: set[str] | None = None) -> None:
        self.directory = Path(directory) if directory else None
        self.reject = {a.lower() for a in (reject or set())}
        self.received: list[ReceivedMail] = []
        self._lock = threading.Lock()

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope, address: str, rcpt_options: list[str]) -> str:
        if address.lower() in self.reject:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        queue_id = uuid.uuid4().hex[:12].upper()
        received_at = datetime.now(UTC)
        content = envelope.original_content or envelope.content or b""
        if isinstance(content, str):
            content = content.encode("utf-8")
        path = None
        if self.directory is not None:
            name = f"{received_at:%Y%m%dT%H%M%S}-{queue_id}.eml"
            path = await asyncio.get_running_loop().run_in_executor(None, write_durably, self.directory, name, content)
        mail = ReceivedMail(queue_id, str(envelope.mail_from), tuple(envelope.rcpt_tos), content, received_at, path)
        with self._lock:
            self.received.append(mail)
        return f"250 2.0.0 Ok: queued as {queue_id}"

    def messages(self) -> list[ReceivedMail]:
        with self._lock:
            return list(self.received)


class SinkServer:
    """An SMTP server for `handler` on host:port (port 0 picks a free port; see `.port`)."""

    def __init__(self, handler: MailSink, host: str = "127.0.0.1", port: int = 0) -> None:
        self.handler = handler
        self.host = host
        self.requested_port = port
        self.port: int | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.AbstractServer | None = None
        self._thread: threading.Thread | None = None

    def _factory(self) -> SMTP:
        return SMTP(self.handler, hostname="zhifa-mail-sink", ident="zhifa mail sink")

    async def _open(self) -> None:
        self._server = await asyncio.get_running_loop().create_server(self._factory, self.host, self.requested_port)
        self.port = self._server.sockets[0].getsockname()[1]

    def start(self) -> SinkServer:
        """Run the server in a daemon thread; returns once it is listening."""
        ready = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(self._open())
            except BaseException as exc:
                failure.append(exc)
                ready.set()
                loop.close()
                return
            ready.set()
            loop.run_forever()
            self._server.close()
            loop.run_until_complete(self._server.wait_closed())
            loop.close()

        self._thread = threading.Thread(target=run, name="zhifa-smtp-sink", daemon=True)
        self._thread.start()
        ready.wait(10)
        if failure:
            raise failure[0]
        if self.port is None:
            raise RuntimeError("SMTP sink did not start within 10 s")
        return self

    def stop(self) -> None:
        if self._loop is not None and self._thread is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)

    def serve_forever(self) -> None:
        """Run in the calling thread until interrupted (the management command)."""
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        self._loop = loop
        loop.run_until_complete(self._open())
        try:
            loop.run_forever()
        finally:
            self._server.close()
            loop.run_until_complete(self._server.wait_closed())
            loop.close()
