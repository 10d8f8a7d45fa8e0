"""Playwright fixtures: Debian's /usr/bin/chromium driven headless against Django's live server.

Never downloads a browser. Each test gets a fresh browser context (no shared cookies); the
browser itself is launched once per session with a fresh temporary profile.
"""
from __future__ import annotations

import os
import shutil
import tempfile

import pytest

CHROMIUM = os.environ.get("ZHIFA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (make test does this)")
    from playwright.sync_api import sync_playwright

    # launch() starts Chromium from a fresh, throw-away user-data directory that the Playwright
    # driver creates in its temporary directory; point that at a directory of our own so nothing
    # of any existing profile is used and everything is removed afterwards.
    profile_parent = tempfile.mkdtemp(prefix="zhifa-chromium-")
    saved = {key: os.environ.get(key) for key in ("TMPDIR", "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD")}
    os.environ.update({"TMPDIR": profile_parent, "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD": "1"})
    try:
        manager = sync_playwright().start()
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    try:
        instance = manager.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield instance
        finally:
            instance.close()
    finally:
        manager.stop()
        shutil.rmtree(profile_parent, ignore_errors=True)


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(15_000)
    tab = context.new_page()
    try:
        yield tab
    finally:
        context.close()


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def login(page):
    """Sign in through the login page as `username` (password of the test factories)."""
    from zhifa.accounts.tests.factories import TEST_PASSWORD

    def _login(username: str) -> None:
        page.goto("/")
        # an anonymous visitor is sent to the login page
        assert "/accounts/login/" in page.url
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(TEST_PASSWORD)
        page.get_by_role("button", name="登录", exact=True).click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)

    return _login


@pytest.fixture
def logout(page):
    def _logout() -> None:
        page.get_by_role("button", name="退出登录").click()
        page.wait_for_url("**/accounts/login/**")

    return _logout
