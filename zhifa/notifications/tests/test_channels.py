"""Channel implementations against their real local counterparts: SMTP over TCP to the loopback
sink, the fsynced SMS outbox, the in-app inbox; and the registry that swaps them."""
from __future__ import annotations

import email
import json
import socket
from email.header import decode_header, make_header
from types import SimpleNamespace

import pytest
from django.utils import timezone

from zhifa.notifications.channels import (
    ChannelError,
    InAppChannel,
    SendResult,
    SmsOutboxChannel,
    SmtpEmailChannel,
    get_channel,
    use_channel,
)
from zhifa.notifications.choices import ChannelKind


def outgoing(**kw):
    base = {"pk": 41, "channel": ChannelKind.EMAIL, "address": "legal@example.com", "subject": "行政处罚决定书送达", "body": "请查收。\n.以点开头的行", "attachments": [7]}
    base.update(kw)
    return SimpleNamespace(**base)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_email__sent_over_tcp_to_loopback_server_and_accept_time_is_arrival(smtp_sink):
    # given the SMTP sink on loopback
    before = timezone.now()
    # when the e-mail channel sends a Chinese message
    result = SmtpEmailChannel().send(outgoing())
    # then the sink received it over TCP, and the 250 reply time is reported as the arrival
    [mail] = smtp_sink.messages()
    assert mail.rcpt_tos == ("legal@example.com",)
    assert before <= result.sent_at <= result.arrived_at <= timezone.now()
    assert mail.received_at <= result.arrived_at
    assert result.detail.startswith("250") and mail.queue_id in result.detail
    parsed = email.message_from_bytes(mail.content)
    assert str(make_header(decode_header(parsed["Subject"]))) == "行政处罚决定书送达"
    assert parsed["Message-ID"] == result.provider_ref
    text = parsed.get_payload(decode=True).decode(parsed.get_content_charset())
    assert "请查收" in text and "\n.以点开头的行" in text  # dot-stuffing undone by the server
    assert "/documents/7.pdf" in text
    # and the sink stored it as an .eml file
    assert mail.path is not None and mail.path.read_bytes() == mail.content


def test_email__relay_mode_reports_no_arrival(smtp_sink, settings):
    # given the SMTP host is only a relay
    settings.ZHIFA_SMTP_ACCEPT_IS_ARRIVAL = False
    # when sending, then the channel reports the sending but leaves the arrival to the DSN report
    result = SmtpEmailChannel().send(outgoing())
    assert result.arrived_at is None and result.provider_ref


def test_email__refused_recipient_is_a_channel_error(smtp_sink):
    smtp_sink.reject.add("gone@example.com")
    with pytest.raises(ChannelError) as info:
        SmtpEmailChannel().send(outgoing(address="gone@example.com"))
    assert "拒绝收件人" in info.value.message and "550" in info.value.message
    assert smtp_sink.messages() == []


def test_email__unreachable_server_is_a_channel_error(settings):
    settings.ZHIFA_SMTP_PORT = free_port()
    with pytest.raises(ChannelError) as info:
        SmtpEmailChannel(timeout=2).send(outgoing())
    assert "无法连接邮件服务器" in info.value.message


def test_sms__outbox_file_written_and_arrival_unknown(sms_outbox):
    # when the SMS channel sends
    result = SmsOutboxChannel().send(outgoing(channel=ChannelKind.SMS, address="13812345678"))
    # then one JSON file named after the provider reference is in the outbox, and no arrival yet
    path = sms_outbox / f"{result.provider_ref}.json"
    record = json.loads(path.read_text(encoding="utf-8"))
    assert record["to"] == "13812345678" and record["message_id"] == 41 and "行政处罚决定书送达" in record["text"]
    assert result.arrived_at is None and result.provider_ref.startswith("sms-41-")
    assert not list(sms_outbox.glob(".*.tmp"))


def test_sms__unwritable_outbox_is_a_channel_error(settings, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    settings.ZHIFA_SMS_OUTBOX_DIR = blocker / "sub"
    with pytest.raises(ChannelError):
        SmsOutboxChannel().send(outgoing(channel=ChannelKind.SMS, address="13812345678"))


def test_in_app__arrival_is_immediate():
    result = InAppChannel().send(outgoing(channel=ChannelKind.IN_APP, address="enterprise:1"))
    assert result.arrived_at == result.sent_at and result.provider_ref == "inapp-41"


def test_registry__settings_choose_and_tests_override(settings):
    # given the default configuration, then each kind resolves to its local implementation
    assert isinstance(get_channel(ChannelKind.EMAIL), SmtpEmailChannel)
    assert isinstance(get_channel(ChannelKind.SMS), SmsOutboxChannel)
    # when a test swaps the SMS channel, then the fake is used only inside the block
    fake = SimpleNamespace(kind=ChannelKind.SMS, send=lambda m: SendResult(sent_at=timezone.now(), provider_ref="fake"))
    with use_channel(ChannelKind.SMS, fake):
        assert get_channel(ChannelKind.SMS) is fake
    assert isinstance(get_channel(ChannelKind.SMS), SmsOutboxChannel)
    # and settings can point a kind at another implementation
    settings.ZHIFA_NOTIFICATION_CHANNELS = {"SMS": "zhifa.notifications.channels.InAppChannel"}
    assert isinstance(get_channel(ChannelKind.SMS), InAppChannel)
