"""Settings that the foundation issue promises (login hashing, sessions, time zone)."""
import pytest
from django.conf import settings
from django.contrib.auth.hashers import get_hasher


@pytest.mark.real_hasher
def test_password_hashing__argon2_is_the_default():
    # given the production settings, when a password is hashed, then argon2 is used
    assert get_hasher("default").algorithm == "argon2"


def test_cal_01__time_zone_is_shanghai():
    assert settings.TIME_ZONE == "Asia/Shanghai" and settings.USE_TZ


def test_sessions__expire_after_inactivity_and_browser_close():
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE and settings.SESSION_SAVE_EVERY_REQUEST


def test_login__lockout_after_repeated_failures_is_configured():
    assert settings.AXES_ENABLED and 3 <= settings.AXES_FAILURE_LIMIT <= 10
