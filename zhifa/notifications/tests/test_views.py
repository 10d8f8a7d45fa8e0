"""Pages: the enterprise's 我的消息 and 电子送达确认书, the staff message list. Per-object access (a
foreign message is the 404 page), masked personal data, Chinese errors next to the form."""
from __future__ import annotations

import pytest
from django.test import Client

from zhifa.accounts.tests.factories import TEST_PASSWORD
from zhifa.notifications import selectors, services
from zhifa.notifications.choices import ChannelKind, DeliveryKind
from zhifa.notifications.models import Delivery, EServiceConsent


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def inbox_message(nw, send):
    return send(channel=ChannelKind.IN_APP, address="", subject="行政处罚事先告知书", body="请于五个工作日内陈述申辩。", actor=nw.officer,
                enterprise_id=nw.enterprise.pk, attachments=[17], ref="cases.Case:3")


def test_inbox__lists_own_enterprise_messages_only(nw, inbox_message):
    # when the enterprise's contact opens 我的消息, then the message is listed as unread
    html = login(nw.contact).get("/notifications/inbox/").content.decode()
    assert "我的消息" in html and "行政处罚事先告知书" in html and "1 条未读" in html
    # and the other enterprise's contact sees nothing of it
    other = login(nw.foreign_contact)
    assert "行政处罚事先告知书" not in other.get("/notifications/inbox/").content.decode()
    assert other.get(f"/notifications/inbox/{inbox_message.pk}/").status_code == 404
    assert not Delivery.objects.filter(message=inbox_message, kind=DeliveryKind.READ).exists()


def test_inbox__opening_a_message_records_read_and_links_attachments(nw, inbox_message):
    client = login(nw.contact)
    response = client.get(f"/notifications/inbox/{inbox_message.pk}/")
    html = response.content.decode()
    assert response.status_code == 200 and "请于五个工作日内陈述申辩" in html
    assert 'href="/documents/17.pdf"' in html
    read = Delivery.objects.get(message=inbox_message, kind=DeliveryKind.READ)
    assert read.actor == nw.contact
    # opening again records nothing new, and the list no longer counts it unread
    client.get(f"/notifications/inbox/{inbox_message.pk}/")
    assert Delivery.objects.filter(message=inbox_message, kind=DeliveryKind.READ).count() == 1
    assert "条未读" not in client.get("/notifications/inbox/").content.decode()


def test_inbox__huge_id_is_404(nw):
    assert login(nw.contact).get(f"/notifications/inbox/{2**70}/").status_code == 404


def test_srv_02__consent_page_explains_the_legal_effect(nw):
    html = login(nw.contact).get("/notifications/consent/").content.decode()
    assert "电子送达确认书" in html and nw.enterprise.name in html
    assert "文书到达您指定的系统之日即为送达日期" in html and "撤回" in html
    assert "尚未签署有效的确认书" in html


def test_srv_02__consent_signed_in_the_portal_with_password(nw):
    client = login(nw.contact)
    form = {"enterprise": nw.enterprise.pk, "use_in_app": "on", "email": "Legal@Example.com", "sms": "13812345678", "agree": "on"}
    # when the password is wrong, then nothing is signed and the error is shown
    wrong = client.post("/notifications/consent/", {**form, "password": "not-my-password"})
    assert wrong.status_code == 400 and "登录密码不正确" in wrong.content.decode()
    assert not EServiceConsent.objects.exists()
    # when confirmed with the password, then the consent is in force with the designated channels
    response = client.post("/notifications/consent/", {**form, "password": TEST_PASSWORD})
    assert response.status_code == 302
    consent = selectors.active_consent(nw.enterprise.pk)
    assert consent is not None and consent.signed_by == nw.contact
    assert {c["channel"] for c in consent.channels} == {"IN_APP", "EMAIL", "SMS"}
    # and the page shows it with masked addresses
    html = client.get(response["Location"]).content.decode()
    assert "当前有效的确认书" in html and "138****5678" in html and "l***@example.com" in html
    assert "13812345678" not in html and "legal@example.com" not in html


def test_srv_02__consent_form_errors(nw):
    client = login(nw.contact)
    bad_email = client.post("/notifications/consent/", {"enterprise": nw.enterprise.pk, "email": "nope", "agree": "on", "password": TEST_PASSWORD})
    assert bad_email.status_code == 400 and "电子邮箱地址格式无效" in bad_email.content.decode()
    nothing = client.post("/notifications/consent/", {"enterprise": nw.enterprise.pk, "agree": "on", "password": TEST_PASSWORD})
    assert nothing.status_code == 400 and "请至少指定一种接收方式" in nothing.content.decode()
    landline = client.post("/notifications/consent/", {"enterprise": nw.enterprise.pk, "sms": "021-62345678", "agree": "on", "password": TEST_PASSWORD})
    assert landline.status_code == 400 and "固定电话不能接收短信" in landline.content.decode()
    not_agreed = client.post("/notifications/consent/", {"enterprise": nw.enterprise.pk, "use_in_app": "on", "password": TEST_PASSWORD})
    assert not_agreed.status_code == 400
    foreign = client.post("/notifications/consent/", {"enterprise": nw.foreign_enterprise.pk, "use_in_app": "on", "agree": "on", "password": TEST_PASSWORD})
    assert foreign.status_code == 404
    assert not EServiceConsent.objects.exists()


def test_srv_02__consent_revoked_in_the_portal(nw):
    consent = services.eservice_consent_sign(enterprise_id=nw.enterprise.pk, party_name=nw.enterprise.name, channels=[{"channel": "IN_APP"}],
                                             user=nw.contact, password=TEST_PASSWORD)
    client = login(nw.contact)
    # the other enterprise's contact cannot revoke it
    assert login(nw.foreign_contact).post(f"/notifications/consent/{consent.pk}/revoke/", {"password": TEST_PASSWORD}).status_code == 404
    wrong = client.post(f"/notifications/consent/{consent.pk}/revoke/", {"password": "wrong-one"})
    assert wrong.status_code == 400 and "登录密码不正确" in wrong.content.decode()
    response = client.post(f"/notifications/consent/{consent.pk}/revoke/", {"password": TEST_PASSWORD, "reason": "改用纸质送达"})
    assert response.status_code == 302 and selectors.active_consent(nw.enterprise.pk) is None
    assert "已撤回" in client.get(response["Location"]).content.decode()


def test_staff_list__scoped_with_status_and_masked_phone(nw, send, sms_outbox):
    message = send(channel=ChannelKind.SMS, address="13812345678", subject="缴款提醒短信", body="正文", actor=nw.officer, enterprise_id=nw.enterprise.pk)
    response = login(nw.officer).get("/notifications/")
    html = response.content.decode()
    assert response.status_code == 200 and "缴款提醒短信" in html
    assert "138****5678" in html and "13812345678" not in html
    assert "已发出，待回执" in html
    detail = login(nw.officer).get(f"/notifications/messages/{message.pk}/").content.decode()
    assert "138****5678" in detail and "13812345678" not in detail and "送达记录" in detail
    # a Jing'an officer neither lists nor opens it
    foreign = login(nw.foreign_officer)
    assert "缴款提醒短信" not in foreign.get("/notifications/").content.decode()
    assert foreign.get(f"/notifications/messages/{message.pk}/").status_code == 404
    # an auditor reads everything
    assert "缴款提醒短信" in login(nw.auditor).get("/notifications/").content.decode()


def test_staff_list__filters(nw, send, sms_outbox):
    send(channel=ChannelKind.SMS, address="13812345678", subject="短信一", body="正文", actor=nw.officer, enterprise_id=nw.enterprise.pk)
    send(channel=ChannelKind.IN_APP, address="", subject="站内一", body="正文", actor=nw.officer, enterprise_id=nw.enterprise.pk)
    client = login(nw.officer)
    arrived = client.get("/notifications/", {"status": "ARRIVED"}).content.decode()
    assert "站内一" in arrived and "短信一" not in arrived
    sms = client.get("/notifications/", {"channel": "SMS"}).content.decode()
    assert "短信一" in sms and "站内一" not in sms
    assert client.get("/notifications/", {"status": "NOPE"}).status_code == 400


def test_staff_consents__masked(nw):
    services.eservice_consent_sign(enterprise_id=nw.enterprise.pk, party_name=nw.enterprise.name,
                                   channels=[{"channel": "SMS", "address": "13812345678"}], user=nw.contact, password=TEST_PASSWORD)
    html = login(nw.officer).get("/notifications/consents/").content.decode()
    assert nw.enterprise.name in html and "138****5678" in html and "13812345678" not in html and "有效" in html
    assert nw.enterprise.name not in login(nw.foreign_officer).get("/notifications/consents/").content.decode()


def test_pages__role_redirects(nw):
    assert login(nw.contact).get("/notifications/")["Location"].endswith("/notifications/inbox/")
    assert login(nw.contact).get("/notifications/consents/")["Location"].endswith("/notifications/consent/")
    assert login(nw.officer).get("/notifications/consent/")["Location"].endswith("/notifications/consents/")
    assert Client().get("/notifications/inbox/").status_code == 302  # login required
