"""Fixtures of the notification tests: a real SMTP server on loopback, a temporary SMS outbox and a
small world (Putuo and Jing'an bureaus, an enterprise in each with its authorised contact)."""
from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

import pytest

from zhifa.notifications.smtp_sink import MailSink, SinkServer


@pytest.fixture
def smtp_sink(settings, tmp_path):
    """A real SMTP server (aiosmtpd) on 127.0.0.1 with a free port; the e-mail channel points at
    it. Mails are kept in memory and as .eml files under tmp_path/mail. `sink.reject` refuses
    recipients at RCPT."""
    sink = MailSink(tmp_path / "mail")
    server = SinkServer(sink, host="127.0.0.1", port=0).start()
    settings.ZHIFA_SMTP_HOST = "127.0.0.1"
    settings.ZHIFA_SMTP_PORT = server.port
    settings.ZHIFA_SMTP_TIMEOUT = 10
    settings.ZHIFA_SMTP_ACCEPT_IS_ARRIVAL = True
    sink.port = server.port
    yield sink
    server.stop()


@pytest.fixture
def sms_outbox(settings, tmp_path):
    """The SMS gateway's local outbox in a temporary directory."""
    settings.ZHIFA_SMS_OUTBOX_DIR = tmp_path / "sms-outbox"
    settings.ZHIFA_SMS_REPORT_SECRET = "test-report-secret"
    return settings.ZHIFA_SMS_OUTBOX_DIR


@dataclass
class NotifyWorld:
    officer: object
    supervisor: object
    foreign_officer: object
    auditor: object
    contact: object
    foreign_contact: object
    enterprise: object
    foreign_enterprise: object
    orgs: dict


@pytest.fixture
def nw(org_tree, make_user) -> NotifyWorld:
    """Putuo officer/supervisor and enterprise (with contact), Jing'an officer and enterprise (with contact)."""
    from zhifa.accounts.choices import Role
    from zhifa.subjects.tests.factories import ContactAuthorisationFactory, EnterpriseFactory

    enterprise = EnterpriseFactory(organisation=org_tree["putuo"], name="上海普陀测试化工有限公司")
    foreign_enterprise = EnterpriseFactory(organisation=org_tree["jingan"], name="上海静安测试贸易有限公司")
    contact = make_user(Role.ENTERPRISE_CONTACT, None, display_name="企业联系人甲")
    foreign_contact = make_user(Role.ENTERPRISE_CONTACT, None, display_name="企业联系人乙")
    ContactAuthorisationFactory(enterprise=enterprise, user=contact)
    ContactAuthorisationFactory(enterprise=foreign_enterprise, user=foreign_contact)
    return NotifyWorld(
        officer=make_user(Role.OFFICER, org_tree["putuo"]),
        supervisor=make_user(Role.SUPERVISOR, org_tree["putuo"]),
        foreign_officer=make_user(Role.OFFICER, org_tree["jingan"]),
        auditor=make_user(Role.AUDITOR, org_tree["city"]),
        contact=contact,
        foreign_contact=foreign_contact,
        enterprise=enterprise,
        foreign_enterprise=foreign_enterprise,
        orgs=org_tree,
    )


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """`send(**kwargs)` → notification_send with the after-commit hand-over executed, as it is in
    production once the surrounding transaction commits (tests run inside a transaction)."""
    from zhifa.notifications.services import notification_send

    def _send(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return notification_send(**kwargs)

    return _send


@pytest.fixture
def clock(monkeypatch):
    """`clock.set(aware_datetime)` fixes django.utils.timezone.now for services and channels."""
    from django.utils import timezone

    state = SimpleNamespace(now=None)

    def _set(moment):
        state.now = moment
        monkeypatch.setattr(timezone, "now", lambda: state.now)

    state.set = _set
    return state
