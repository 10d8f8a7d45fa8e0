"""Read API of payment notices: per-object access (foreign → structured 404) and the derived status."""
from __future__ import annotations

from datetime import timedelta

import pytest
from rest_framework.test import APIClient

from zhifa.common.timeutil import today

from .helpers import issue
from .test_views import SEES


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize("role", sorted(SEES))
def test_pay_02__api_access_matrix(w, role):
    notices = {"own": issue(w), "foreign": issue(w, foreign=True)}
    client = api(w.users[role])
    listed = {row["payment_code"] for row in client.get("/api/v1/payment-notices/").json()["results"]}
    for which, notice in notices.items():
        visible = which in SEES[role]
        assert (notice.payment_code in listed) == visible, (role, which)
        response = client.get(f"/api/v1/payment-notices/{notice.pk}/")
        assert response.status_code == (200 if visible else 404)
        if not visible:
            assert response.json()["error"]["code"] == "COMMON_NOT_FOUND"


def test_pay_06__api_detail_carries_status_and_events(w):
    notice = issue(w, due_on=today() - timedelta(days=2))
    body = api(w.users["officer"]).get(f"/api/v1/payment-notices/{notice.pk}/").json()
    assert body["status"]["state"] == "OVERDUE" and body["status"]["late_fee_due"] == "600.00"
    assert body["status"]["amount_due"] == "10600.00" and body["events"][0]["kind"] == "ISSUED"


def test_pay_02__api_is_read_only_and_needs_login(w):
    notice = issue(w)
    assert APIClient().get("/api/v1/payment-notices/").status_code == 401
    response = api(w.users["officer"]).post("/api/v1/payment-notices/", {"ref": "x"})
    assert response.status_code == 405 and "error" in response.json()
    assert api(w.users["officer"]).delete(f"/api/v1/payment-notices/{notice.pk}/").status_code == 405
