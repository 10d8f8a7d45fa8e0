"""REST API: the signed delivery-report endpoint (SMS gateway) and the staff message endpoints.
Errors are the structured {"error": {...}} body; never a 500."""
from __future__ import annotations

import json
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from zhifa.notifications import selectors
from zhifa.notifications.choices import ChannelKind, DeliveryKind
from zhifa.notifications.models import Delivery
from zhifa.notifications.signing import report_signature

URL = "/api/v1/notifications/delivery-reports/"
SECRET = "test-report-secret"
SH = ZoneInfo("Asia/Shanghai")


def post_report(payload, *, secret=SECRET, body: bytes | None = None, signature: str | None = None):
    body = body if body is not None else json.dumps(payload).encode("utf-8")
    headers = {}
    sig = signature if signature is not None else report_signature(secret, body)
    if sig:
        headers["HTTP_X_ZHIFA_SIGNATURE"] = sig
    return Client().post(URL, data=body, content_type="application/json", **headers)


@pytest.fixture
def sms_sent(nw, send, sms_outbox):
    message = send(channel=ChannelKind.SMS, address="13812345678", subject="缴款提醒", body="正文", actor=nw.officer, enterprise_id=nw.enterprise.pk)
    return message, Delivery.objects.get(message=message, kind=DeliveryKind.SENT).provider_ref


def test_srv_03__sms_delivery_report_through_the_api_records_the_arrival(sms_sent):
    # given an SMS in the outbox
    message, ref = sms_sent
    arrived = timezone.now().astimezone(SH).replace(microsecond=0)
    # when the gateway posts a signed DELIVERED report
    response = post_report({"provider_ref": ref, "status": "DELIVERED", "arrived_at": arrived.isoformat()})
    # then 201 and the arrival (hence the service date) is the reported time
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["message"] == message.pk and body["kind"] == "ARRIVED" and body["duplicate"] is False
    assert selectors.message_arrived_at(message) == arrived
    assert selectors.message_service_date(message) == arrived.date()


def test_report__replayed_report_is_idempotent(sms_sent):
    message, ref = sms_sent
    payload = {"provider_ref": ref, "status": "DELIVERED", "arrived_at": timezone.now().isoformat()}
    assert post_report(payload).status_code == 201
    again = post_report(payload)
    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert Delivery.objects.filter(message=message, kind=DeliveryKind.ARRIVED).count() == 1


@pytest.mark.parametrize("signature", ["", "sha256=" + "0" * 64, "wrong"])
def test_report__bad_or_missing_signature_is_403_structured(sms_sent, signature):
    message, ref = sms_sent
    response = post_report({"provider_ref": ref, "status": "DELIVERED", "arrived_at": timezone.now().isoformat()}, signature=signature)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "NOTIFY_REPORT_SIGNATURE_INVALID"
    assert not Delivery.objects.filter(message=message, kind=DeliveryKind.ARRIVED).exists()


def test_report__signed_with_another_secret_is_403(sms_sent):
    _, ref = sms_sent
    response = post_report({"provider_ref": ref, "status": "DELIVERED", "arrived_at": timezone.now().isoformat()}, secret="someone-else")
    assert response.status_code == 403


def test_report__unknown_provider_ref_is_404_structured(sms_sent):
    response = post_report({"provider_ref": "sms-999-unknown", "status": "DELIVERED", "arrived_at": timezone.now().isoformat()})
    assert response.status_code == 404 and response.json()["error"]["code"] == "NOTIFY_UNKNOWN_PROVIDER_REF"


@pytest.mark.parametrize(
    ("payload", "body"),
    [
        (None, b"not json"),
        (None, b"[1, 2]"),
        (None, "{\"provider_ref\": \"x\"}".encode("utf-16")),
        ({"status": "DELIVERED"}, None),
        ({"provider_ref": "x", "status": "MAYBE"}, None),
        ({"provider_ref": "REF", "status": "DELIVERED", "arrived_at": "yesterday"}, None),
        ({"provider_ref": "REF", "status": "DELIVERED", "arrived_at": "2026-05-01T00:01:00"}, None),
    ],
)
def test_report__bad_input_is_400_structured(sms_sent, payload, body):
    _, ref = sms_sent
    if payload is not None:
        payload = {k: (ref if v == "REF" else v) for k, v in payload.items()}
    response = post_report(payload, body=body)
    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"] in {"NOTIFY_INVALID_INPUT", "COMMON_INVALID_INPUT"}


def test_report__conflicting_arrival_is_409(sms_sent):
    _, ref = sms_sent
    now = timezone.now()
    assert post_report({"provider_ref": ref, "status": "DELIVERED", "arrived_at": now.isoformat()}).status_code == 201
    response = post_report({"provider_ref": ref, "status": "DELIVERED", "arrived_at": (now - timedelta(seconds=30)).isoformat()})
    assert response.status_code == 409 and response.json()["error"]["code"] == "NOTIFY_REPORT_CONFLICT"


def test_report__command_plays_the_gateway(sms_sent, sms_outbox):
    from django.core.management import call_command

    message, ref = sms_sent
    at = timezone.now().astimezone(SH).replace(microsecond=0)
    call_command("sms_outbox_deliver", "--at", at.isoformat())
    assert selectors.message_arrived_at(message) == at
    assert (sms_outbox / "reported" / f"{ref}.json").exists() and not (sms_outbox / f"{ref}.json").exists()


def test_messages_api__scoped_and_masked(nw, send, sms_sent):
    message, _ = sms_sent
    client = APIClient()
    client.force_authenticate(nw.officer)
    listing = client.get("/api/v1/notifications/messages/")
    assert listing.status_code == 200
    [row] = listing.json()["results"]
    assert row["id"] == message.pk and row["address_masked"] == "138****5678" and row["status"] == "SENT"
    assert "13812345678" not in listing.content.decode()
    detail = client.get(f"/api/v1/notifications/messages/{message.pk}/")
    assert detail.status_code == 200 and [e["kind"] for e in detail.json()["events"]] == ["SENT"]
    # a Jing'an officer and an enterprise contact do not see it
    for user in (nw.foreign_officer, nw.contact):
        client.force_authenticate(user)
        assert client.get(f"/api/v1/notifications/messages/{message.pk}/").status_code == 404
        assert client.get("/api/v1/notifications/messages/").json()["results"] == []
