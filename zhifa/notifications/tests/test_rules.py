"""Pure rules: address normalisation, SRV-02 consent coverage, SRV-03 service date, derived status,
masking and the delivery-report signature. No database."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhifa.notifications import rules
from zhifa.notifications.choices import ChannelKind, DeliveryKind, MessageStatus
from zhifa.notifications.signing import report_signature, signature_valid

SH = ZoneInfo("Asia/Shanghai")
SIGNED = datetime(2026, 4, 1, 9, 0, tzinfo=SH)


def consent(channels, *, signed_at=SIGNED, revoked_at=None):
    return SimpleNamespace(channels=channels, signed_at=signed_at, revoked_at=revoked_at, party_name="上海测试化工有限公司")


EMAIL = {"channel": "EMAIL", "address": "legal@example.com"}
SMS = {"channel": "SMS", "address": "13812345678"}


# --- addresses ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("channel", "raw", "expected"),
    [
        (ChannelKind.EMAIL, "  Legal@Example.COM ", "legal@example.com"),
        (ChannelKind.SMS, "+86 138-1234-5678", "13812345678"),
        (ChannelKind.SMS, "0086 13812345678", "13812345678"),
        (ChannelKind.IN_APP, "enterprise:12", "enterprise:12"),
        (ChannelKind.IN_APP, "user:7", "user:7"),
    ],
)
def test_normalise_address__canonical_forms(channel, raw, expected):
    assert rules.normalise_address(channel, raw) == expected


@pytest.mark.parametrize(
    ("channel", "raw"),
    [
        (ChannelKind.EMAIL, "not-an-address"),
        (ChannelKind.EMAIL, ""),
        (ChannelKind.SMS, "021-62345678"),  # a landline cannot receive SMS
        (ChannelKind.SMS, "1381234567"),
        (ChannelKind.IN_APP, "enterprise:abc"),
        ("FAX", "021-62345678"),
    ],
)
def test_normalise_address__invalid_is_refused_in_chinese(channel, raw):
    with pytest.raises(rules.AddressInvalid) as info:
        rules.normalise_address(channel, raw)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(info.value))


@given(st.sampled_from(["13812345678", "+86 13812345678", "138-1234-5678", "Legal@Example.com", " legal@example.com "]))
def test_normalise_address__is_idempotent(raw):
    channel = ChannelKind.EMAIL if "@" in raw else ChannelKind.SMS
    once = rules.normalise_address(channel, raw)
    assert rules.normalise_address(channel, once) == once


def test_sec_03__addresses_are_masked_for_display():
    assert rules.mask_address_for(ChannelKind.SMS, "13812345678") == "138****5678"
    assert rules.mask_address_for(ChannelKind.EMAIL, "legal@example.com") == "l***@example.com"
    assert rules.mask_address_for(ChannelKind.IN_APP, "enterprise:3") == "enterprise:3"


# --- SRV-02 ---------------------------------------------------------------------------------------


def test_srv_02__no_consent_covers_nothing():
    # given no consent, when asked, then electronic service is not allowed
    assert rules.consent_covers(None, ChannelKind.EMAIL, "legal@example.com") is False


def test_srv_02__consent_covers_designated_channel_and_address_in_any_spelling():
    # given a consent designating an e-mail address and a mobile number
    c = consent([EMAIL, SMS])
    # when the same addresses are used, however typed, then it covers them
    assert rules.consent_covers(c, ChannelKind.EMAIL, "LEGAL@example.com", at=SIGNED + timedelta(days=1))
    assert rules.consent_covers(c, ChannelKind.SMS, "+86 138 1234 5678", at=SIGNED + timedelta(days=1))


def test_srv_02__consent_for_a_different_channel_or_address_does_not_cover():
    # given a consent designating only the e-mail address
    c = consent([EMAIL])
    at = SIGNED + timedelta(days=1)
    # when serving by SMS, or to another mailbox, then it is not covered
    assert rules.consent_covers(c, ChannelKind.SMS, "13812345678", at=at) is False
    assert rules.consent_covers(c, ChannelKind.EMAIL, "boss@example.com", at=at) is False
    # and the same address string on another channel does not count either
    assert rules.consent_covers(consent([{"channel": "SMS", "address": "13812345678"}]), ChannelKind.EMAIL, "13812345678", at=at) is False


def test_srv_02__consent_must_be_signed_before_sending():
    # given a consent signed at 09:00
    c = consent([EMAIL])
    # when the message is sent at 09:00 or earlier, then it is not covered (signed_at < sent_at)
    assert rules.consent_covers(c, ChannelKind.EMAIL, "legal@example.com", at=SIGNED) is False
    assert rules.consent_covers(c, ChannelKind.EMAIL, "legal@example.com", at=SIGNED - timedelta(minutes=1)) is False
    assert rules.consent_covers(c, ChannelKind.EMAIL, "legal@example.com", at=SIGNED + timedelta(seconds=1)) is True


def test_srv_02__revoked_consent_covers_nothing_after_revocation():
    # given a consent revoked on 10 April
    revoked = datetime(2026, 4, 10, 12, 0, tzinfo=SH)
    c = consent([EMAIL], revoked_at=revoked)
    # when sending before the revocation, then it was covered; at or after it, it is not
    assert rules.consent_covers(c, ChannelKind.EMAIL, "legal@example.com", at=revoked - timedelta(hours=1)) is True
    assert rules.consent_covers(c, ChannelKind.EMAIL, "legal@example.com", at=revoked) is False
    assert rules.consent_covers(c, ChannelKind.EMAIL, "legal@example.com") is False


def test_srv_02__malformed_consent_entries_are_ignored():
    c = consent([{"channel": "EMAIL"}, "junk", {"channel": "SMS", "address": "bad"}, EMAIL])
    assert rules.consent_covers(c, ChannelKind.EMAIL, "legal@example.com", at=SIGNED + timedelta(hours=1))
    assert not rules.consent_covers(c, ChannelKind.SMS, "bad", at=SIGNED + timedelta(hours=1))


def test_srv_02__consent_channels_are_validated_and_in_app_means_own_inbox():
    # given channels as a contact typed them, when normalised, then in-app is the enterprise's inbox
    result = rules.normalise_consent_channels(
        [{"channel": "IN_APP"}, {"channel": "EMAIL", "address": " Legal@Example.com"}, {"channel": "SMS", "address": "138 1234 5678"}], enterprise_id=5
    )
    assert result == [
        {"channel": "IN_APP", "address": "enterprise:5"},
        {"channel": "EMAIL", "address": "legal@example.com"},
        {"channel": "SMS", "address": "13812345678"},
    ]
    # and an empty list, a duplicate, another enterprise's inbox or an unknown channel is refused
    for bad in (
        [],
        [EMAIL, {"channel": "EMAIL", "address": "LEGAL@example.com"}],
        [{"channel": "IN_APP", "address": "enterprise:6"}],
        [{"channel": "FAX", "address": "021-1"}],
    ):
        with pytest.raises(rules.AddressInvalid):
            rules.normalise_consent_channels(bad, enterprise_id=5)


def test_srv_02__statement_names_channels_and_the_legal_effect():
    text = rules.consent_statement("上海测试化工有限公司", [{"channel": "EMAIL", "address": "legal@example.com"}])
    assert "上海测试化工有限公司" in text and "legal@example.com" in text
    assert "到达" in text and "送达日期" in text and "撤回" in text
    masked = rules.consent_statement_masked(consent([EMAIL, SMS]))
    assert "l***@example.com" in masked and "138****5678" in masked and "13812345678" not in masked


# --- SRV-03 ---------------------------------------------------------------------------------------


def test_srv_03__service_date_is_the_arrival_date_not_the_sending_date():
    # given an SMS sent at 23:59 on 30 April that arrived at 00:01 on 1 May (Shanghai)
    sent = datetime(2026, 4, 30, 23, 59, tzinfo=SH)
    arrived = datetime(2026, 5, 1, 0, 1, tzinfo=SH)
    events = [(DeliveryKind.SENT, sent), (DeliveryKind.ARRIVED, arrived)]
    # when the service date is derived
    served = rules.service_date(rules.arrival_from_events(events))
    # then it is 1 May, the arrival date
    assert served == date(2026, 5, 1)


def test_srv_03__service_date_uses_shanghai_calendar_for_utc_timestamps():
    # given an arrival stored in UTC as 16:30 on 30 April (= 00:30 on 1 May in Shanghai)
    arrived = datetime(2026, 4, 30, 16, 30, tzinfo=UTC)
    # then the service date is 1 May (CAL-01)
    assert rules.service_date(arrived) == date(2026, 5, 1)


def test_srv_03__no_arrival_no_service_date():
    # given a message that was only sent (or failed), then it has no service date
    sent = datetime(2026, 4, 30, 23, 59, tzinfo=SH)
    assert rules.arrival_from_events([(DeliveryKind.SENT, sent), (DeliveryKind.FAILED, sent)]) is None
    assert rules.service_date(None) is None


def test_srv_03__earliest_arrival_counts():
    a = datetime(2026, 5, 1, 0, 1, tzinfo=SH)
    assert rules.arrival_from_events([(DeliveryKind.ARRIVED, a + timedelta(days=1)), (DeliveryKind.ARRIVED, a)]) == a


# --- status and signature -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kinds", "expected"),
    [
        ([], MessageStatus.PENDING),
        (["SENT"], MessageStatus.SENT),
        (["SENT", "FAILED"], MessageStatus.FAILED),
        (["SENT", "ARRIVED"], MessageStatus.ARRIVED),
        (["SENT", "ARRIVED", "FAILED"], MessageStatus.ARRIVED),
        (["SENT", "ARRIVED", "READ"], MessageStatus.READ),
    ],
)
def test_message_status__derived_from_events(kinds, expected):
    assert rules.message_status(kinds) == expected


def test_report_signature__hmac_of_exact_body():
    body = b'{"provider_ref": "sms-1-abc", "status": "DELIVERED"}'
    header = report_signature("secret", body)
    assert header.startswith("sha256=") and len(header) == 7 + 64
    assert signature_valid("secret", body, header)
    assert not signature_valid("secret", body + b" ", header)
    assert not signature_valid("other", body, header)
    assert not signature_valid("", body, report_signature("", body))
    assert not signature_valid("secret", body, None)
    assert not signature_valid("secret", body, "sha256=签名")
