"""One interface for every notification channel, its local implementations and the registry.

A channel takes a stored message and hands it to the outside world:

    class Channel(Protocol):
        kind: str
        def send(self, message) -> SendResult

`SendResult.sent_at` is when the message left zhifa, `provider_ref` the channel's own reference
(later delivery reports name it), and `arrived_at` — only when the channel knows it at once — the
moment the message reached the recipient's designated system, which is the date of electronic
service (SRV-03), not the sending time. A channel raises `ChannelError` (with a Chinese reason)
when the message was not accepted; the service records that as a FAILED delivery.

Local implementations (ARCHITECTURE "External systems"):
- `InAppChannel`: the enterprise portal inbox; storing is arriving (immediate arrival).
- `SmtpEmailChannel`: SMTP to ZHIFA_SMTP_HOST:ZHIFA_SMTP_PORT with smtplib (a loopback sink in
  development and tests: `manage.py smtp_sink`). Arrival = the receiving server's 250 reply to
  DATA, timed when it comes back.
- `SmsOutboxChannel`: the SMS gateway adapter's local form — one fsynced JSON file per message in
  ZHIFA_SMS_OUTBOX_DIR; the gateway's delivery report arrives later through
  `POST /api/v1/notifications/delivery-reports/`. The production adapter contract is in
  docs/notifications.md.

`get_channel(kind)` resolves settings.ZHIFA_NOTIFICATION_CHANNELS (dotted paths), so production
swaps an implementation by configuration and tests by `use_channel(kind, fake)`.
"""
from __future__ import annotations

import json
import os
import smtplib
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from django.conf import settings
from django.core.mail import EmailMessage, make_msgid
from django.utils import timezone
from django.utils.module_loading import import_string

from .choices import ChannelKind

DEFAULT_CHANNELS = {
    ChannelKind.IN_APP: "zhifa.notifications.channels.InAppChannel",
    ChannelKind.EMAIL: "zhifa.notifications.channels.SmtpEmailChannel",
    ChannelKind.SMS: "zhifa.notifications.channels.SmsOutboxChannel",
}
SMS_MAX_CHARS = 500


class OutgoingMessage(Protocol):
    """What a channel reads from a message (notifications.models.Message satisfies it)."""

    pk: int
    channel: str
    address: str
    subject: str
    body: str
    attachments: list


@dataclass(frozen=True)
class SendResult:
    """What a channel reports back: when the message left, the channel's reference, and the arrival
    in the recipient's designated system when the channel knows it (SRV-03)."""

    sent_at: datetime
    provider_ref: str
    arrived_at: datetime | None = None
    detail: str = ""


class ChannelError(Exception):
    """The channel did not accept the message; `message` is the Chinese reason kept on the FAILED event."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@runtime_checkable
class Channel(Protocol):
    kind: str

    def send(self, message: OutgoingMessage) -> SendResult: ...


def _portal_url(path: str) -> str:
    base = str(getattr(settings, "ZHIFA_PORTAL_URL", "") or "http://127.0.0.1:8000").rstrip("/")
    return f"{base}{path}"


def attachment_links(message: OutgoingMessage) -> list[str]:
    """Portal links of the attached documents (the documents app serves /documents/<id>.pdf)."""
    return [_portal_url(f"/documents/{int(doc_id)}.pdf") for doc_id in (message.attachments or [])]


class InAppChannel:
    """The enterprise portal inbox (我的消息). The message row is the inbox entry, so storing it is
    its arrival in the recipient's designated system: arrival is immediate (SRV-03)."""

    kind = ChannelKind.IN_APP

    def send(self, message: OutgoingMessage) -> SendResult:
        now = timezone.now()
        return SendResult(sent_at=now, arrived_at=now, provider_ref=f"inapp-{message.pk}", detail="已存入企业门户“我的消息”")


class SmtpEmailChannel:
    """E-mail over SMTP with smtplib (not Django's mail backend, which hides the server's reply).

    The conversation is MAIL FROM → RCPT TO → DATA; the server's 250 reply to the end of DATA is
    the moment the receiving mail system accepted the message. When ZHIFA_SMTP_HOST is the
    recipient's designated mail system (or a sink standing in for it) that is the arrival (SRV-03);
    when it is only a relay, set ZHIFA_SMTP_ACCEPT_IS_ARRIVAL=0 and the arrival comes from the
    relay's delivery status notification through the delivery-report endpoint.
    """

    kind = ChannelKind.EMAIL

    def __init__(self, host: str | None = None, port: int | None = None, *, timeout: float | None = None) -> None:
        self.host = host or getattr(settings, "ZHIFA_SMTP_HOST", "127.0.0.1")
        self.port = int(port or getattr(settings, "ZHIFA_SMTP_PORT", 8025))
        self.timeout = float(timeout or getattr(settings, "ZHIFA_SMTP_TIMEOUT", 30))

    def build(self, message: OutgoingMessage, message_id: str) -> bytes:
        """The MIME message (UTF-8, Chinese subject encoded) with attachment links in the body."""
        body = message.body
        links = attachment_links(message)
        if links:
            body += "\n\n附件（请登录企业门户查看）：\n" + "\n".join(f"- {link}" for link in links)
        email = EmailMessage(
            subject=message.subject,
            body=body,
            from_email=getattr(settings, "ZHIFA_MAIL_FROM", "zhifa@localhost"),
            to=[message.address],
            headers={"Message-ID": message_id, "X-Zhifa-Message": str(message.pk)},
        )
        return email.message().as_bytes(linesep="\r\n")

    def send(self, message: OutgoingMessage) -> SendResult:
        sender = getattr(settings, "ZHIFA_MAIL_FROM", "zhifa@localhost")
        domain = sender.rpartition("@")[2] or "localhost"
        message_id = make_msgid(idstring=f"zhifa-{message.pk}", domain=domain)
        data = self.build(message, message_id)
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                smtp.ehlo()
                if getattr(settings, "ZHIFA_SMTP_STARTTLS", False):
                    smtp.starttls()
                    smtp.ehlo()
                user = getattr(settings, "ZHIFA_SMTP_USER", "")
                if user:
                    smtp.login(user, getattr(settings, "ZHIFA_SMTP_PASSWORD", ""))
                options = ["BODY=8BITMIME"] if smtp.has_extn("8bitmime") else []
                code, reply = smtp.mail(sender, options)
                if code != 250:
                    raise ChannelError(f"邮件服务器拒绝发件人：{code} {_text(reply)}")
                code, reply = smtp.rcpt(message.address)
                if code not in (250, 251):
                    raise ChannelError(f"邮件服务器拒绝收件人：{code} {_text(reply)}")
                sent_at = timezone.now()
                code, reply = smtp.data(data)
                accepted_at = timezone.now()
        except smtplib.SMTPDataError as exc:
            raise ChannelError(f"邮件服务器拒收邮件：{exc.smtp_code} {_text(exc.smtp_error)}") from exc
        except smtplib.SMTPAuthenticationError as exc:
            raise ChannelError(f"邮件服务器身份认证失败：{exc.smtp_code}") from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise ChannelError(f"无法连接邮件服务器 {self.host}:{self.port}：{exc.__class__.__name__}") from exc
        arrived_at = accepted_at if getattr(settings, "ZHIFA_SMTP_ACCEPT_IS_ARRIVAL", True) else None
        return SendResult(sent_at=sent_at, arrived_at=arrived_at, provider_ref=message_id, detail=f"{code} {_text(reply)}"[:500])


class SmsOutboxChannel:
    """Local SMS gateway adapter: one JSON file per message in ZHIFA_SMS_OUTBOX_DIR, fsynced (file
    and directory) before the send counts as done. The arrival is unknown at sending time; it comes
    with the gateway's delivery report (`delivery_report_record`). `manage.py sms_outbox_deliver`
    plays the gateway in development."""

    kind = ChannelKind.SMS

    def __init__(self, directory: str | os.PathLike | None = None) -> None:
        self.directory = Path(directory or getattr(settings, "ZHIFA_SMS_OUTBOX_DIR", Path(settings.VAR_DIR) / "sms-outbox"))

    def text(self, message: OutgoingMessage) -> str:
        text = f"【{message.subject}】{message.body}"
        if message.attachments:
            text += f" 文书请登录企业门户查看：{_portal_url('/notifications/inbox/')}"
        return text[:SMS_MAX_CHARS]

    def send(self, message: OutgoingMessage) -> SendResult:
        provider_ref = f"sms-{message.pk}-{uuid.uuid4().hex[:12]}"
        sent_at = timezone.now()
        record = {"provider_ref": provider_ref, "message_id": message.pk, "to": message.address, "text": self.text(message), "submitted_at": sent_at.isoformat()}
        try:
            write_durably(self.directory, f"{provider_ref}.json", json.dumps(record, ensure_ascii=False, indent=2).encode("utf-8"))
        except OSError as exc:
            raise ChannelError(f"短信发件箱不可写：{exc.__class__.__name__}") from exc
        return SendResult(sent_at=sent_at, provider_ref=provider_ref, detail="已提交短信网关（本地发件箱）")


def write_durably(directory: Path, name: str, content: bytes) -> Path:
    """Write `content` to directory/name via a temporary file: fsync the file, rename it into place,
    fsync the directory — so an acknowledged file survives a crash (ARCHITECTURE: fsync)."""
    directory.mkdir(parents=True, exist_ok=True)
    final = directory / name
    temp = directory / f".{name}.{uuid.uuid4().hex}.tmp"
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, final)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    dir_fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
    return final


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


# --- registry -------------------------------------------------------------------------------------

_overrides: dict[str, Channel] = {}


def get_channel(kind: str) -> Channel:
    """The channel implementation for `kind`: a test override, else settings, else the default."""
    if kind in _overrides:
        return _overrides[kind]
    configured = dict(getattr(settings, "ZHIFA_NOTIFICATION_CHANNELS", {}) or {})
    path = configured.get(str(kind)) or DEFAULT_CHANNELS.get(kind)
    if not path:
        raise KeyError(kind)
    return import_string(path)()


@contextmanager
def use_channel(kind: str, channel: Channel) -> Iterator[Channel]:
    """Swap the implementation of one channel for the duration of the block (tests, simulations)."""
    previous = _overrides.get(kind)
    _overrides[kind] = channel
    try:
        yield channel
    finally:
        if previous is None:
            _overrides.pop(kind, None)
        else:
            _overrides[kind] = previous
