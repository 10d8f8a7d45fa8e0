"""Property-based fuzzing of every operation in the OpenAPI schema (schemathesis).

Given the schema served in-process at /api/schema/ and an officer with a token, when schemathesis
generates valid and invalid requests for every operation, then no response is a server error
(issue 2, "Bad input": no endpoint returns 500 for any input).
"""
from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error

# Bounded so the whole run stays well under a minute on two cores.
EXAMPLES_PER_OPERATION = 20


def _load_schema():
    # Loaded at collection (pytest-django has configured Django by then); serving the schema
    # touches no database. (`schemathesis.pytest.from_fixture` would defer this, but its lazy
    # runner does not work with pytest 9.)
    from config.wsgi import application

    return schemathesis.openapi.from_wsgi("/api/schema/", application)


schema = _load_schema()


@pytest.fixture
def files_in_tmp(settings, tmp_path):
    """Operations that accept uploads (e.g. evidence) must not write into the real var/ dir."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ZHIFA_EVIDENCE_DIR = tmp_path / "evidence"


@pytest.fixture
def keep_test_connection():
    """Requests go through the real WSGI handler, which closes "old" database connections at
    request start and end; inside the test transaction that would close the connection (on
    PostgreSQL). Django's own test client detaches the same handler for the same reason."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.slow
@schema.parametrize()
@hypothesis_settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_schema_fuzz__no_server_error(case, world, keep_test_connection, files_in_tmp):
    # given an officer authenticated with a token
    token, _ = Token.objects.get_or_create(user=world.users["officer"])
    # when schemathesis sends a generated request, then the answer is never a 5xx
    case.call_and_validate(headers={"Authorization": f"Token {token.key}"}, checks=[not_a_server_error])
