"""Management commands: the development SMTP sink refuses a bad port with a Chinese error; the SMS
gateway simulator reports failures on request."""
from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from zhifa.notifications import selectors
from zhifa.notifications.choices import ChannelKind, DeliveryKind, MessageStatus
from zhifa.notifications.models import Delivery


def test_smtp_sink__bad_port_is_a_chinese_error():
    with pytest.raises(CommandError) as info:
        call_command("smtp_sink", "--port", "0")
    assert "端口" in str(info.value)


def test_sms_outbox_deliver__reports_failure_for_named_refs(nw, send, sms_outbox):
    # given two SMS in the outbox
    first = send(channel=ChannelKind.SMS, address="13812345678", subject="一", body="正文", actor=nw.officer)
    second = send(channel=ChannelKind.SMS, address="13912345678", subject="二", body="正文", actor=nw.officer)
    failing = Delivery.objects.get(message=second, kind=DeliveryKind.SENT).provider_ref
    # when the simulated gateway reports, failing the second
    call_command("sms_outbox_deliver", "--fail", failing)
    # then the first arrived, the second failed, and the outbox is empty
    assert selectors.message_status(first) == MessageStatus.ARRIVED
    assert selectors.message_status(second) == MessageStatus.FAILED
    assert not list(sms_outbox.glob("sms-*.json")) and len(list((sms_outbox / "reported").glob("*.json"))) == 2


def test_sms_outbox_deliver__naive_time_refused(sms_outbox):
    with pytest.raises(CommandError):
        call_command("sms_outbox_deliver", "--at", "2026-05-01T00:01:00")
