"""Playwright: the enterprise contact pays a fine on the simulated platform's page in a real browser
(Debian's /usr/bin/chromium against the live server). The platform's callback then travels the
production path, the notice is settled after commit and `payment_settled` is received."""
from __future__ import annotations

import os
import re

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client

from zhifa.payments import selectors
from zhifa.payments.models import PaymentNotice, SimulatedPayment
from zhifa.payments.signals import payment_settled

from .helpers import issue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()
            # Playwright's sync API runs in a greenlet with its own database connection.
            connections.close_all()


def _shot(page, name: str) -> None:
    """Save a full-page screenshot when ZHIFA_SCREENSHOT_DIR is set (for looking at the pages)."""
    folder = os.environ.get("ZHIFA_SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


def _signed_in_page(browser, live_server, user):
    client = Client()
    client.force_login(user)
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    host = live_server.url.split("//", 1)[1].split(":")[0]
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "domain": host, "path": "/"}])
    context.set_default_timeout(15_000)
    return context, context.new_page()


def test_pay_02__contact_pays_on_the_platform_page_in_the_browser(w, browser, live_server):
    # given a payment notice for the contact's enterprise and a receiver of payment_settled
    notice = issue(w)
    received: list[int] = []

    def on_settled(sender, notice, **kwargs):
        received.append(notice.pk)

    payment_settled.connect(on_settled, sender=PaymentNotice, dispatch_uid="payments-browser-test")
    context, page = _signed_in_page(browser, live_server, w.users["contact"])
    try:
        # when the contact opens 我的缴款 and follows 去缴款
        page.goto(f"{live_server.url}/payments/mine/")
        card = page.locator(f"#notice-{notice.pk}")
        assert notice.payment_code in card.inner_text() and "10000.00 元" in card.inner_text()
        _shot(page, "payments-mine")
        card.get_by_role("link", name="去缴款").click()
        page.wait_for_url(re.compile(rf"/payments/sim/{notice.payment_code}/$"))
        # then the page is the platform's, not the bureau's
        assert "不是执法机关的页面" in page.locator(".sim-warning").inner_text()
        # when it pays by e-payment
        _shot(page, "payments-sim-before")
        page.get_by_label("电子支付").check()
        page.get_by_role("button", name="确认缴款").click()
        page.wait_for_selector("text=缴款成功")
        # then the receipt is shown and the authority acknowledged the callback
        payment = SimulatedPayment.objects.get(bill__payment_code=notice.payment_code)
        assert payment.fiscal_receipt_no in page.locator(".sim-receipt").inner_text()
        assert payment.acknowledged
        _shot(page, "payments-sim-after")
        page.goto(f"{live_server.url}/payments/{notice.pk}/")
        _shot(page, "payments-detail-contact")
    finally:
        context.close()
        payment_settled.disconnect(dispatch_uid="payments-browser-test")
    # and the notice is settled on the authority's side, with the signal received after commit
    assert selectors.notice_status(PaymentNotice.objects.get(pk=notice.pk)).settled
    assert received == [notice.pk]
