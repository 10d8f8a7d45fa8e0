"""Services: sending over each channel with its arrival recorded, e-service consent (SRV-02), the
service date (SRV-03), delivery reports, reading, and that no record is ever lost or rewritten."""
from __future__ import annotations

from datetime import datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from zhifa.accounts.tests.factories import TEST_PASSWORD
from zhifa.common.errors import ZhifaError
from zhifa.ledger.models import LedgerEntry
from zhifa.notifications import selectors, services
from zhifa.notifications.channels import use_channel
from zhifa.notifications.choices import ChannelKind, DeliveryKind, MessageStatus, ReportStatus, SignatureMethod
from zhifa.notifications.errors import NotificationErrorCode
from zhifa.notifications.models import Delivery, EServiceConsent, Message

SH = ZoneInfo("Asia/Shanghai")


def sign(nw, channels, *, user=None, password=TEST_PASSWORD, **kw):
    return services.eservice_consent_sign(
        enterprise_id=nw.enterprise.pk, party_name=nw.enterprise.name, channels=channels, user=user or nw.contact, password=password, **kw
    )


def kinds(message) -> list[str]:
    return list(Delivery.objects.filter(message=message).order_by("pk").values_list("kind", flat=True))


def code_of(info) -> str:
    return info.value.code_value


# --- channels end to end ----------------------------------------------------------------------------


def test_in_app__arrival_is_immediate_and_it_appears_in_the_inbox(nw, send):
    # when an officer sends an in-app message to the enterprise (address derived)
    message = send(channel=ChannelKind.IN_APP, address="", subject="整改提醒", body="请按期整改。", actor=nw.officer, enterprise_id=nw.enterprise.pk)
    # then it is SENT and ARRIVED at the same moment, and the contact's inbox holds it
    assert message.address == f"enterprise:{nw.enterprise.pk}"
    assert kinds(message) == [DeliveryKind.SENT, DeliveryKind.ARRIVED]
    sent = Delivery.objects.get(message=message, kind=DeliveryKind.SENT)
    assert selectors.message_arrived_at(message) == sent.occurred_at
    assert list(selectors.inbox_for(nw.contact).values_list("pk", flat=True)) == [message.pk]
    assert selectors.message_status(message) == MessageStatus.ARRIVED
    assert message.organisation == nw.orgs["putuo"]


def test_email__really_sent_over_tcp_and_arrival_recorded(nw, send, smtp_sink):
    # when an officer e-mails the enterprise
    message = send(channel=ChannelKind.EMAIL, address="Legal@Example.com", subject="听证告知书", body="见附件。", actor=nw.officer,
                   enterprise_id=nw.enterprise.pk, attachments=[3, 3, 4], ref="cases.Case:12")
    # then the loopback SMTP server received it and the 250 reply time is the recorded arrival
    [mail] = smtp_sink.messages()
    assert mail.rcpt_tos == ("legal@example.com",)
    arrived = Delivery.objects.get(message=message, kind=DeliveryKind.ARRIVED)
    assert arrived.occurred_at >= mail.received_at and mail.queue_id in arrived.detail
    assert selectors.message_arrived_at(message) == arrived.occurred_at
    assert message.attachments == [3, 4] and message.ref == "cases.Case:12"
    assert list(selectors.messages_for_ref("cases.Case:12")) == [message]


def test_email__server_refusal_is_recorded_as_failed_and_the_message_kept(nw, send, smtp_sink):
    smtp_sink.reject.add("gone@example.com")
    message = send(channel=ChannelKind.EMAIL, address="gone@example.com", subject="通知", body="正文", actor=nw.officer, enterprise_id=nw.enterprise.pk)
    assert kinds(message) == [DeliveryKind.FAILED]
    failed = Delivery.objects.get(message=message)
    assert "550" in failed.detail
    assert selectors.message_status(message) == MessageStatus.FAILED and selectors.message_arrived_at(message) is None


def test_sms__sent_to_outbox_and_arrives_only_with_the_delivery_report(nw, send, sms_outbox):
    # when an SMS is sent
    message = send(channel=ChannelKind.SMS, address="138 1234 5678", subject="缴款提醒", body="请于期限内缴纳罚款。", actor=nw.officer, enterprise_id=nw.enterprise.pk)
    # then it is SENT (file in the outbox) but has not arrived
    sent = Delivery.objects.get(message=message, kind=DeliveryKind.SENT)
    assert (sms_outbox / f"{sent.provider_ref}.json").exists()
    assert selectors.message_arrived_at(message) is None and selectors.message_status(message) == MessageStatus.SENT
    # when the gateway reports the delivery, then the arrival is the reported time
    at = timezone.now()
    outcome = services.delivery_report_record(provider_ref=sent.provider_ref, arrived_at=at, status=ReportStatus.DELIVERED)
    assert outcome.created and selectors.message_arrived_at(message) == at


def test_channel_bug__recorded_as_failed_never_lost(nw, send):
    # given a channel implementation that crashes
    def boom(message):
        raise RuntimeError("adapter bug")

    with use_channel(ChannelKind.SMS, SimpleNamespace(kind=ChannelKind.SMS, send=boom)):
        message = send(channel=ChannelKind.SMS, address="13812345678", subject="通知", body="正文", actor=nw.officer)
    # then the message exists with a FAILED event naming the error class
    assert Message.objects.filter(pk=message.pk).exists()
    assert Delivery.objects.get(message=message).detail == "通道内部错误：RuntimeError"


def test_send_after_commit__rolled_back_caller_sends_nothing(nw, django_capture_on_commit_callbacks):
    # given a caller whose transaction fails after asking for a message
    calls = []
    fake = SimpleNamespace(kind=ChannelKind.SMS, send=lambda m: calls.append(m.pk))
    with use_channel(ChannelKind.SMS, fake), django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                services.notification_send(channel=ChannelKind.SMS, address="13812345678", subject="通知", body="正文", actor=nw.officer)
                raise RuntimeError("case step failed")
    # then no message exists and nothing left zhifa
    assert calls == [] and not Message.objects.exists()


def test_send_after_commit__nothing_leaves_before_commit(nw, django_capture_on_commit_callbacks):
    # given a fake channel that records whether the message row is visible when it is called
    seen = []
    fake = SimpleNamespace(kind=ChannelKind.SMS, send=lambda m: seen.append(Message.objects.filter(pk=m.pk).exists()) or _ok(m))
    with use_channel(ChannelKind.SMS, fake), django_capture_on_commit_callbacks(execute=False) as callbacks:
        message = services.notification_send(channel=ChannelKind.SMS, address="13812345678", subject="通知", body="正文", actor=nw.officer)
        # when the caller has not committed yet, then nothing was sent
        assert seen == [] and kinds(message) == []
    # when it commits, then the channel is called once, with the record already stored
    with use_channel(ChannelKind.SMS, fake):
        for callback in callbacks:
            callback()
    assert seen == [True] and kinds(message) == [DeliveryKind.SENT]


def _ok(message):
    from zhifa.notifications.channels import SendResult

    return SendResult(sent_at=timezone.now(), provider_ref=f"fake-{message.pk}")


def test_dispatch_pending__sends_messages_whose_hand_over_was_lost(nw, sms_outbox):
    # given a message stored but never handed over (the callback was lost with the process)
    message = services.notification_send(channel=ChannelKind.SMS, address="13812345678", subject="通知", body="正文", actor=nw.officer)
    assert kinds(message) == []
    # when the periodic recovery runs (too early, then after the grace period)
    assert services.messages_dispatch_pending() == 0
    assert services.messages_dispatch_pending(older_than=timedelta(0)) == 1
    # then it was sent once; running again sends nothing more
    assert kinds(message) == [DeliveryKind.SENT]
    assert services.messages_dispatch_pending(older_than=timedelta(0)) == 0
    services.message_dispatch(message.pk)
    assert kinds(message) == [DeliveryKind.SENT]


def test_send__ledgered_without_raw_personal_data(nw, send, sms_outbox):
    message = send(channel=ChannelKind.SMS, address="13812345678", subject="通知", body="正文", actor=nw.officer)
    entries = LedgerEntry.objects.filter(object_type="notifications.message", object_id=str(message.pk))
    assert set(entries.values_list("action", flat=True)) == {"notifications.message.create", "notifications.delivery.sent"}
    create = entries.get(action="notifications.message.create")
    assert create.payload["address_masked"] == "138****5678" and "13812345678" not in str(create.payload)


@pytest.mark.parametrize(
    ("kwargs", "code", "field"),
    [
        ({"channel": "FAX", "address": "021-1"}, NotificationErrorCode.UNKNOWN_CHANNEL, "channel"),
        ({"channel": ChannelKind.SMS, "address": "021-62345678"}, NotificationErrorCode.INVALID_ADDRESS, "address"),
        ({"channel": ChannelKind.EMAIL, "address": "x@y.cn", "subject": "  "}, NotificationErrorCode.INVALID_INPUT, "subject"),
        ({"channel": ChannelKind.EMAIL, "address": "x@y.cn", "attachments": ["a"]}, NotificationErrorCode.INVALID_INPUT, "attachments"),
        ({"channel": ChannelKind.EMAIL, "address": "x@y.cn", "attachments": [-1]}, NotificationErrorCode.INVALID_INPUT, "attachments"),
        ({"channel": ChannelKind.EMAIL, "address": "x@y.cn", "ref": "bad ref!"}, NotificationErrorCode.INVALID_INPUT, "ref"),
        ({"channel": ChannelKind.IN_APP, "address": ""}, NotificationErrorCode.INVALID_ADDRESS, "address"),
        ({"channel": ChannelKind.IN_APP, "address": "enterprise:999999", "enterprise": True}, NotificationErrorCode.INVALID_ADDRESS, "address"),
    ],
)
def test_send__bad_input_refused_with_nothing_written(nw, kwargs, code, field):
    args = {"subject": "通知", "body": "正文", "actor": nw.officer, **kwargs}
    if args.pop("enterprise", False):
        args["enterprise_id"] = nw.enterprise.pk
    with pytest.raises(ZhifaError) as info:
        services.notification_send(**args)
    assert code_of(info) == code.value and info.value.field == field
    assert not Message.objects.exists()


def test_send__permissions(nw):
    args = {"channel": ChannelKind.IN_APP, "address": "", "subject": "通知", "body": "正文"}
    # an enterprise contact and an auditor cannot send
    for actor in (nw.contact, nw.auditor):
        with pytest.raises(ZhifaError) as info:
            services.notification_send(actor=actor, enterprise_id=nw.enterprise.pk, **args)
        assert info.value.status == 403
    # a Jing'an officer cannot write to a Putuo enterprise (it is not found for them)
    with pytest.raises(ZhifaError) as info:
        services.notification_send(actor=nw.foreign_officer, enterprise_id=nw.enterprise.pk, **args)
    assert info.value.status == 404
    assert not Message.objects.exists()


# --- SRV-02: e-service only under a covering consent ------------------------------------------------------


def test_srv_02__no_consent_refuses_electronic_service(nw, send):
    # given no consent on file, when an officer serves electronically, then it is refused citing SRV-02
    with pytest.raises(ZhifaError) as info:
        send(channel=ChannelKind.EMAIL, address="legal@example.com", subject="行政处罚决定书", body="见附件", actor=nw.officer,
             enterprise_id=nw.enterprise.pk, eservice=True)
    assert code_of(info) == NotificationErrorCode.CONSENT_MISSING.value and info.value.rule == "SRV-02"
    assert not Message.objects.exists()


def test_srv_02__consent_for_another_channel_or_address_refuses(nw, send):
    # given a consent designating only an e-mail address
    sign(nw, [{"channel": "EMAIL", "address": "legal@example.com"}])
    for channel, address in ((ChannelKind.SMS, "13812345678"), (ChannelKind.EMAIL, "boss@example.com"), (ChannelKind.IN_APP, "")):
        # when serving by another channel or to another address, then it is refused
        with pytest.raises(ZhifaError) as info:
            send(channel=channel, address=address, subject="决定书", body="见附件", actor=nw.officer, enterprise_id=nw.enterprise.pk, eservice=True)
        assert code_of(info) == NotificationErrorCode.CONSENT_NOT_COVERING.value and info.value.rule == "SRV-02"
    assert not Message.objects.exists()


def test_srv_02__covering_consent_allows_and_is_recorded_on_the_message(nw, send, smtp_sink):
    consent = sign(nw, [{"channel": "EMAIL", "address": "legal@example.com"}, {"channel": "IN_APP"}])
    message = send(channel=ChannelKind.EMAIL, address="LEGAL@example.com", subject="决定书", body="见附件", actor=nw.officer,
                   enterprise_id=nw.enterprise.pk, eservice=True)
    assert message.is_eservice and message.consent == consent
    assert len(smtp_sink.messages()) == 1


def test_srv_02__revoked_consent_refuses(nw, send):
    # given a consent the contact has revoked
    consent = sign(nw, [{"channel": "IN_APP"}])
    services.eservice_consent_revoke(consent=consent, user=nw.contact, password=TEST_PASSWORD, reason="不再使用")
    # when an officer serves through the inbox, then it is refused
    with pytest.raises(ZhifaError) as info:
        send(channel=ChannelKind.IN_APP, address="", subject="决定书", body="见附件", actor=nw.officer, enterprise_id=nw.enterprise.pk, eservice=True)
    assert code_of(info) == NotificationErrorCode.CONSENT_MISSING.value
    assert selectors.active_consent(nw.enterprise.pk) is None
    # and the consent was in force before the revocation
    assert selectors.active_consent(nw.enterprise.pk, on=consent.revocation.revoked_at - timedelta(microseconds=1)) == consent


def test_srv_02__newer_consent_supersedes(nw, send):
    sign(nw, [{"channel": "EMAIL", "address": "old@example.com"}])
    newer = sign(nw, [{"channel": "EMAIL", "address": "new@example.com"}])
    assert selectors.active_consent(nw.enterprise.pk) == newer
    with pytest.raises(ZhifaError):
        send(channel=ChannelKind.EMAIL, address="old@example.com", subject="决定书", body="见附件", actor=nw.officer, enterprise_id=nw.enterprise.pk, eservice=True)


def test_srv_02__consent_of_another_enterprise_does_not_count(nw, send):
    services.eservice_consent_sign(enterprise_id=nw.foreign_enterprise.pk, party_name=nw.foreign_enterprise.name,
                                   channels=[{"channel": "EMAIL", "address": "legal@example.com"}], user=nw.foreign_contact, password=TEST_PASSWORD)
    with pytest.raises(ZhifaError) as info:
        send(channel=ChannelKind.EMAIL, address="legal@example.com", subject="决定书", body="见附件", actor=nw.officer, enterprise_id=nw.enterprise.pk, eservice=True)
    assert code_of(info) == NotificationErrorCode.CONSENT_MISSING.value


# --- SRV-03: service date = arrival ------------------------------------------------------------------


def test_srv_03__sms_sent_before_midnight_arriving_after_is_served_next_day(nw, send, sms_outbox, clock):
    # given a consent designating the mobile number, signed in April
    clock.set(datetime(2026, 4, 20, 10, 0, tzinfo=SH))
    sign(nw, [{"channel": "SMS", "address": "13812345678"}])
    # when the decision is served by SMS at 23:59 on 30 April
    clock.set(datetime(2026, 4, 30, 23, 59, tzinfo=SH))
    message = send(channel=ChannelKind.SMS, address="13812345678", subject="行政处罚决定书", body="请登录门户查看", actor=nw.officer,
                   enterprise_id=nw.enterprise.pk, eservice=True, attachments=[9])
    sent = Delivery.objects.get(message=message, kind=DeliveryKind.SENT)
    assert selectors.message_service_date(message) is None  # sent is not served
    # and the gateway reports its arrival at 00:01 on 1 May
    clock.set(datetime(2026, 5, 1, 0, 3, tzinfo=SH))
    services.delivery_report_record(provider_ref=sent.provider_ref, arrived_at=datetime(2026, 5, 1, 0, 1, tzinfo=SH), status=ReportStatus.DELIVERED)
    # then the date of service is 1 May (the arrival), not 30 April (the sending)
    assert timezone.localtime(sent.occurred_at, SH).date().isoformat() == "2026-04-30"
    assert selectors.message_service_date(message).isoformat() == "2026-05-01"


def test_srv_03__reading_later_does_not_move_the_service_date(nw, send, clock):
    clock.set(datetime(2026, 4, 30, 22, 0, tzinfo=SH))
    message = send(channel=ChannelKind.IN_APP, address="", subject="决定书", body="正文", actor=nw.officer, enterprise_id=nw.enterprise.pk)
    clock.set(datetime(2026, 5, 6, 9, 0, tzinfo=SH))
    services.message_mark_read(message=message, user=nw.contact)
    assert selectors.message_service_date(message).isoformat() == "2026-04-30"
    assert selectors.message_status(message) == MessageStatus.READ


# --- delivery reports -------------------------------------------------------------------------------


@pytest.fixture
def sms_sent(nw, send, sms_outbox):
    message = send(channel=ChannelKind.SMS, address="13812345678", subject="通知", body="正文", actor=nw.officer, enterprise_id=nw.enterprise.pk)
    return message, Delivery.objects.get(message=message, kind=DeliveryKind.SENT).provider_ref


def test_report__replay_is_idempotent(sms_sent):
    message, ref = sms_sent
    at = timezone.now()
    first = services.delivery_report_record(provider_ref=ref, arrived_at=at, status=ReportStatus.DELIVERED)
    again = services.delivery_report_record(provider_ref=ref, arrived_at=at, status=ReportStatus.DELIVERED)
    assert first.created and not again.created and first.delivery.pk == again.delivery.pk
    assert kinds(message).count(DeliveryKind.ARRIVED) == 1


def test_report__contradicting_arrival_or_failure_after_arrival_is_refused(sms_sent):
    _, ref = sms_sent
    at = timezone.now()
    services.delivery_report_record(provider_ref=ref, arrived_at=at, status=ReportStatus.DELIVERED)
    for status, when in ((ReportStatus.DELIVERED, at - timedelta(seconds=30)), (ReportStatus.FAILED, at)):
        with pytest.raises(ZhifaError) as info:
            services.delivery_report_record(provider_ref=ref, arrived_at=when, status=status)
        assert info.value.status == 409 and code_of(info) == NotificationErrorCode.REPORT_CONFLICT.value


def test_report__failure_recorded(sms_sent):
    message, ref = sms_sent
    outcome = services.delivery_report_record(provider_ref=ref, arrived_at=None, status=ReportStatus.FAILED, detail="空号")
    assert outcome.delivery.kind == DeliveryKind.FAILED and outcome.delivery.detail == "空号"
    assert selectors.message_status(message) == MessageStatus.FAILED


@pytest.mark.parametrize(
    ("arrived_at", "field"),
    [
        (datetime(2026, 5, 1, 0, 1), "arrived_at"),  # naive
        ("future", "arrived_at"),
        ("before_sent", "arrived_at"),
        (None, "arrived_at"),  # DELIVERED without a time
    ],
)
def test_report__bad_times_refused(sms_sent, arrived_at, field):
    message, ref = sms_sent
    if arrived_at == "future":
        arrived_at = timezone.now() + timedelta(hours=1)
    elif arrived_at == "before_sent":
        arrived_at = timezone.now() - timedelta(days=1)
    with pytest.raises(ZhifaError) as info:
        services.delivery_report_record(provider_ref=ref, arrived_at=arrived_at, status=ReportStatus.DELIVERED)
    assert info.value.field == field
    assert DeliveryKind.ARRIVED not in kinds(message)


def test_report__unknown_provider_ref_is_404(nw):
    with pytest.raises(ZhifaError) as info:
        services.delivery_report_record(provider_ref="sms-0-nothing", arrived_at=timezone.now(), status=ReportStatus.DELIVERED)
    assert info.value.status == 404 and code_of(info) == NotificationErrorCode.UNKNOWN_PROVIDER_REF.value


def test_report__arrival_signal_sent_after_commit(sms_sent, django_capture_on_commit_callbacks):
    from zhifa.notifications.signals import message_arrived

    message, ref = sms_sent
    received = []

    def listener(sender, message, arrived_at, **kwargs):
        received.append((message.pk, arrived_at))

    message_arrived.connect(listener)
    try:
        at = timezone.now()
        with django_capture_on_commit_callbacks(execute=True):
            services.delivery_report_record(provider_ref=ref, arrived_at=at, status=ReportStatus.DELIVERED)
    finally:
        message_arrived.disconnect(listener)
    assert received == [(message.pk, at)]


# --- inbox ---------------------------------------------------------------------------------------


def test_inbox__only_the_enterprises_contacts_see_and_read(nw, send):
    message = send(channel=ChannelKind.IN_APP, address="", subject="通知", body="正文", actor=nw.officer, enterprise_id=nw.enterprise.pk)
    # the other enterprise's contact does not see it and cannot mark it read
    assert not selectors.inbox_for(nw.foreign_contact).exists()
    with pytest.raises(ZhifaError) as info:
        services.message_mark_read(message=message, user=nw.foreign_contact)
    assert info.value.status == 404
    # the own contact reads it once, however often it is opened
    first = services.message_mark_read(message=message, user=nw.contact)
    second = services.message_mark_read(message=message, user=nw.contact)
    assert first.pk == second.pk and first.actor == nw.contact
    assert kinds(message).count(DeliveryKind.READ) == 1


def test_inbox__message_not_yet_arrived_is_not_in_the_inbox(nw):
    message = services.notification_send(channel=ChannelKind.IN_APP, address="", subject="通知", body="正文", actor=nw.officer, enterprise_id=nw.enterprise.pk)
    assert not selectors.inbox_for(nw.contact).filter(pk=message.pk).exists()


def test_inbox__personal_in_app_message_to_a_user(nw, send):
    message = send(channel=ChannelKind.IN_APP, address="", subject="个人通知", body="正文", actor=nw.officer, recipient=nw.supervisor)
    assert message.address == f"user:{nw.supervisor.pk}"
    assert list(selectors.inbox_for(nw.supervisor)) == [message]
    assert not selectors.inbox_for(nw.contact).exists()


# --- consent signing and revocation -------------------------------------------------------------------


def test_srv_02__portal_consent_requires_the_contacts_password(nw):
    with pytest.raises(ZhifaError) as info:
        sign(nw, [{"channel": "IN_APP"}], password="wrong-password")
    assert code_of(info) == NotificationErrorCode.PASSWORD_INVALID.value and info.value.field == "password"
    assert not EServiceConsent.objects.exists()
    consent = sign(nw, [{"channel": "IN_APP"}, {"channel": "SMS", "address": "+86 13812345678"}])
    assert consent.method == SignatureMethod.PORTAL_CONFIRMATION and consent.signed_by == nw.contact
    assert consent.channels == [{"channel": "IN_APP", "address": f"enterprise:{nw.enterprise.pk}"}, {"channel": "SMS", "address": "13812345678"}]
    assert "13812345678" in consent.statement
    entry = LedgerEntry.objects.get(action="notifications.consent.sign", object_id=str(consent.pk))
    assert "13812345678" not in str(entry.payload)


def test_srv_02__only_own_enterprise_and_only_contacts_sign_in_the_portal(nw):
    with pytest.raises(ZhifaError) as info:
        services.eservice_consent_sign(enterprise_id=nw.enterprise.pk, party_name="x", channels=[{"channel": "IN_APP"}], user=nw.foreign_contact, password=TEST_PASSWORD)
    assert info.value.status == 404
    with pytest.raises(ZhifaError) as info:
        sign(nw, [{"channel": "IN_APP"}], user=nw.officer)
    assert info.value.status == 403
    with pytest.raises(ZhifaError) as info:
        sign(nw, [{"channel": "FAX", "address": "021-1"}])
    assert code_of(info) == NotificationErrorCode.INVALID_ADDRESS.value and info.value.field == "channels"


def test_srv_02__officer_records_a_signed_paper_consent_with_its_scan(nw):
    with pytest.raises(ZhifaError) as info:
        sign(nw, [{"channel": "EMAIL", "address": "legal@example.com"}], user=nw.officer, method=SignatureMethod.UPLOADED_SIGNED_SCAN)
    assert code_of(info) == NotificationErrorCode.EVIDENCE_REQUIRED.value
    consent = sign(nw, [{"channel": "EMAIL", "address": "legal@example.com"}], user=nw.officer,
                   method=SignatureMethod.UPLOADED_SIGNED_SCAN, evidence_ref="evidence.EvidenceItem:5")
    assert consent.evidence_ref == "evidence.EvidenceItem:5" and selectors.active_consent(nw.enterprise.pk) == consent
    with pytest.raises(ZhifaError) as info:
        sign(nw, [{"channel": "IN_APP"}], user=nw.foreign_officer, method=SignatureMethod.UPLOADED_SIGNED_SCAN, evidence_ref="evidence.EvidenceItem:5")
    assert info.value.status == 404


def test_srv_02__revocation_rules(nw):
    consent = sign(nw, [{"channel": "IN_APP"}])
    with pytest.raises(ZhifaError) as info:
        services.eservice_consent_revoke(consent=consent, user=nw.foreign_contact, password=TEST_PASSWORD)
    assert info.value.status == 404
    with pytest.raises(ZhifaError) as info:
        services.eservice_consent_revoke(consent=consent, user=nw.officer, password=TEST_PASSWORD, reason="")
    assert info.value.field == "reason"
    with pytest.raises(ZhifaError) as info:
        services.eservice_consent_revoke(consent=consent, user=nw.contact, password="wrong")
    assert code_of(info) == NotificationErrorCode.PASSWORD_INVALID.value
    services.eservice_consent_revoke(consent=consent, user=nw.contact, password=TEST_PASSWORD)
    with pytest.raises(ZhifaError) as info:
        services.eservice_consent_revoke(consent=consent, user=nw.contact, password=TEST_PASSWORD)
    assert info.value.status == 409


# --- append-only --------------------------------------------------------------------------------------


def test_rec_16__messages_events_and_consents_cannot_be_changed(nw, send):
    message = send(channel=ChannelKind.IN_APP, address="", subject="通知", body="正文", actor=nw.officer, enterprise_id=nw.enterprise.pk)
    consent = sign(nw, [{"channel": "IN_APP"}])
    # the ORM refuses
    message.subject = "改过的标题"
    with pytest.raises(PermissionError):
        message.save()
    with pytest.raises(PermissionError):
        Delivery.objects.filter(message=message).update(occurred_at=timezone.now())
    with pytest.raises(PermissionError):
        consent.delete()
    # and so does the database for raw SQL
    from django.db import connection

    for table, pk in (("notifications_message", message.pk), ("notifications_eserviceconsent", consent.pk)):
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cur:
            cur.execute(f"UPDATE {table} SET id = id WHERE id = %s", [pk])
