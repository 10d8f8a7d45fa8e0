"""SEC-03 over the demo city: no API response body carries a raw ID number or mobile number.

Given the demo data generator's city (persons with checksum-valid ID numbers and mobiles), when
an auditor (who sees everything) reads every list and detail endpoint, and every demo user reads
/me/, then no body contains an 18-digit ID number or an 11-digit mobile: persons are masked by
their serializer, free text is scrubbed.
"""
from __future__ import annotations

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from zhifa.accounts.choices import Role
from zhifa.accounts.models import User
from zhifa.accounts.tests.factories import UserFactory
from zhifa.common.ids import ID_NUMBER_RE, MOBILE_RE, InvalidIdentifier, is_valid_uscc, validate_id_number
from zhifa.subjects.models import Person

ENDPOINTS = [
    "enterprises",
    "licences",
    "licence-applications",
    "registration-changes",
    "plan-filings",
    "hazard-sources",
    "report-obligations",
    "precursor-reports",
    "activities",
    "organisations",
]
DETAILS_PER_ENDPOINT = 25


def leaked_identifiers(body: str) -> list[str]:
    """Raw ID numbers (checksum-valid, and not a USCC that happens to look like one) and mobiles."""
    leaks = [m.group(0) for m in MOBILE_RE.finditer(body)]
    for match in ID_NUMBER_RE.finditer(body):
        text = match.group(0)
        try:
            validate_id_number(text)
        except InvalidIdentifier:
            continue
        if not is_valid_uscc(text):
            leaks.append(text)
    return leaks


@pytest.mark.slow
def test_sec_03__demo_city_responses_contain_no_raw_id_number_or_mobile(db, tmp_path, settings):
    # given a small demo city
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("demo_data", "--enterprises", "200", "--seed", "11", "--no-progress", "--manifest", str(tmp_path / "manifest.json"))
    sample = Person.objects.exclude(id_number=None).exclude(phone="").first()
    assert sample is not None
    assert len(leaked_identifiers(f"{sample.id_number} / {sample.phone}")) == 2  # the detector sees raw values
    auditor = UserFactory(role=Role.AUDITOR, organisation=None)
    client = APIClient()
    client.force_authenticate(auditor)
    bodies: list[str] = []
    # when every endpoint is listed and a sample of details is read
    for endpoint in ENDPOINTS:
        response = client.get(f"/api/v1/{endpoint}/", {"page_size": 200})
        assert response.status_code == 200, (endpoint, response.content[:300])
        bodies.append(response.content.decode())
        for row in response.json()["results"][:DETAILS_PER_ENDPOINT]:
            bodies.append(client.get(f"/api/v1/{endpoint}/{row['id']}/").content.decode())
    for user in User.objects.all():
        me = APIClient()
        me.force_authenticate(user)
        bodies.append(me.get("/api/v1/me/").content.decode())
    # then none of them leaks a raw identifier, while masked values are present
    assert [leak for body in bodies for leak in leaked_identifiers(body)] == []
    assert any("id_number_masked" in body and "****" in body for body in bodies)
