"""Payment pages: access matrix (role × page × own/foreign notice), the enterprise's 我的缴款, the
staff list and detail, and the detail page's actions with their refusals (never a 500)."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from zhifa.common.timeutil import today
from zhifa.payments.choices import EventKind
from zhifa.payments.models import PaymentEvent

from .helpers import issue, login

# role → which notices it sees: own (普陀区), foreign (静安区)
SEES = {
    "officer": {"own"},
    "supervisor": {"own"},
    "legal_reviewer": {"own"},
    "device_admin": {"own"},
    "street_officer": set(),  # 长寿路街道 is below 普陀区: the district's notices are above its scope
    "foreign_officer": {"foreign"},
    "auditor": {"own", "foreign"},
    "system_admin": {"own", "foreign"},
    "contact": {"own"},
    "foreign_contact": {"foreign"},
}


@pytest.fixture
def two_notices(w):
    return {"own": issue(w), "foreign": issue(w, foreign=True)}


@pytest.mark.parametrize("role", sorted(SEES))
def test_pay_02__access_matrix_detail_pages(w, two_notices, role):
    # given one notice of 普陀区 and one of 静安区
    client = login(w.users[role])
    for which, notice in two_notices.items():
        # when the user opens each notice's page
        response = client.get(f"/payments/{notice.pk}/")
        # then it is shown exactly when the notice is in the user's scope, otherwise the 404 page
        expected = 200 if which in SEES[role] else 404
        assert response.status_code == expected, (role, which)
        if expected == 404:
            assert "不存在" in response.content.decode()


@pytest.mark.parametrize("role", sorted(r for r in SEES if "contact" not in r))
def test_pay_02__access_matrix_staff_list(w, two_notices, role):
    html = login(w.users[role]).get("/payments/").content.decode()
    for which, notice in two_notices.items():
        assert (notice.payment_code in html) == (which in SEES[role]), (role, which)


@pytest.mark.parametrize("role", ["contact", "foreign_contact"])
def test_sub_17__enterprise_contact_sees_only_its_enterprises_notices(w, two_notices, role):
    client = login(w.users[role])
    assert client.get("/payments/").status_code == 302
    html = client.get("/payments/mine/").content.decode()
    for which, notice in two_notices.items():
        assert (notice.payment_code in html) == (which in SEES[role])


def test_sub_17__expired_authorisation_hides_the_notices(w, two_notices):
    authorisation = w.users["contact"].contact_authorisations.get()
    authorisation.valid_to = today() - timedelta(days=1)
    authorisation.save()
    client = login(w.users["contact"])
    assert two_notices["own"].payment_code not in client.get("/payments/mine/").content.decode()
    assert client.get(f"/payments/{two_notices['own'].pk}/").status_code == 404


def test_pay_02__anonymous_users_are_sent_to_login(w, two_notices):
    for url in ["/payments/", "/payments/mine/", f"/payments/{two_notices['own'].pk}/"]:
        response = Client().get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_pay_06__my_notices_show_amount_due_today_with_surcharge(w):
    # given a notice overdue by 4 days
    notice = issue(w, due_on=today() - timedelta(days=4))
    html = login(w.users["contact"]).get("/payments/mine/").content.decode()
    # then the contact sees fine, surcharge, the total due today, the due date, the code and the link
    assert "1200.00 元" in html and "11200.00 元" in html and "已逾期 4 日" in html
    assert (today() - timedelta(days=4)).isoformat() in html and notice.payment_code in html
    assert f'href="/payments/sim/{notice.payment_code}/"' in html and "罚缴分离" in html


def test_pay_02__staff_pages_offer_no_way_to_record_a_payment(w, two_notices):
    html = login(w.users["officer"]).get(f"/payments/{two_notices['own'].pk}/").content.decode()
    assert "记录复议/诉讼期间" in html and "撤销缴款通知" in html
    assert "缴款只能由缴款平台通知记录" in html
    assert "批准延期或分期缴纳" not in html  # only supervisors approve (PAY-05)
    assert "批准延期或分期缴纳" in login(w.users["supervisor"]).get(f"/payments/{two_notices['own'].pk}/").content.decode()
    contact_html = login(w.users["contact"]).get(f"/payments/{two_notices['own'].pk}/").content.decode()
    assert "办理" not in contact_html and "去缴款" in contact_html


def test_pay_02__list_search_by_payment_code(w, two_notices):
    other = issue(w)
    html = login(w.users["officer"]).get("/payments/", {"q": other.payment_code}).content.decode()
    assert other.payment_code in html and two_notices["own"].payment_code not in html


# --- actions ---------------------------------------------------------------------------------------


def test_pay_07__officer_records_a_pause_through_the_page(w):
    notice = issue(w, due_on=today() - timedelta(days=10))
    client = login(w.users["officer"])
    response = client.post(f"/payments/{notice.pk}/pause/", {"kind": "RECONSIDERATION", "start": (today() - timedelta(days=5)).isoformat(), "end": ""})
    assert response.status_code == 302
    assert PaymentEvent.objects.filter(notice=notice, kind=EventKind.SURCHARGE_PAUSED).count() == 1
    page = client.get(f"/payments/{notice.pk}/").content.decode()
    assert "复议/诉讼期间停止计算加处罚款" in page and "（尚未结束）" in page and "记录结束" in page
    response = client.post(f"/payments/{notice.pk}/resume/", {"end": (today() - timedelta(days=1)).isoformat()})
    assert response.status_code == 302
    assert PaymentEvent.objects.filter(notice=notice, kind=EventKind.SURCHARGE_RESUMED).count() == 1


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("pause", {"kind": "RECONSIDERATION", "start": "2026-02-30"}),
        ("pause", {"kind": "APPEAL", "start": "2026-02-01"}),
        ("remind", {"served_on": "soon"}),
        ("defer", {"applied_on": "2026-01-01", "new_due_on": "", "reason": "x"}),
        ("defer", {"applied_on": "2026-01-01", "new_due_on": "2099-01-01", "reason": "困难", "instalments": "2099-01-01"}),
        ("cancel", {"reason": ""}),
    ],
)
def test_pay_05__malformed_form_input_is_400_and_nothing_is_written(w, path, data):
    notice = issue(w)
    response = login(w.users["supervisor"]).post(f"/payments/{notice.pk}/{path}/", data)
    assert response.status_code == 400
    assert "提交的内容有误" in response.content.decode() or "form-errors" in response.content.decode()
    assert notice.events.count() == 1


def test_pay_08__refused_step_is_shown_next_to_the_form_with_its_rule(w):
    notice = issue(w)
    response = login(w.users["officer"]).post(f"/payments/{notice.pk}/remind/", {"served_on": today().isoformat()})
    assert response.status_code == 400 and "届满后方可催告" in response.content.decode()
    assert notice.events.count() == 1


@pytest.mark.parametrize(("role", "status"), [("legal_reviewer", 403), ("contact", 403), ("auditor", 403), ("foreign_officer", 404)])
def test_pay_02__actions_refused_for_other_roles(w, role, status):
    notice = issue(w, due_on=today() - timedelta(days=3))
    response = login(w.users[role]).post(f"/payments/{notice.pk}/cancel/", {"reason": "试图撤销"})
    assert response.status_code == status
    assert notice.events.count() == 1


def test_pay_05__officer_cannot_approve_deferral_through_the_page(w):
    notice = issue(w)
    data = {"applied_on": today().isoformat(), "new_due_on": (today() + timedelta(days=60)).isoformat(), "reason": "经营困难"}
    response = login(w.users["officer"]).post(f"/payments/{notice.pk}/defer/", data)
    assert response.status_code == 403 and "科室负责人" in response.content.decode()
    assert login(w.users["supervisor"]).post(f"/payments/{notice.pk}/defer/", data).status_code == 302
    assert notice.events.filter(kind=EventKind.DEFERRED).count() == 1


def test_pay_02__huge_ids_are_plain_404(w):
    client = login(w.users["officer"])
    assert client.get("/payments/99999999999999999999999/").status_code == 404
    assert client.post("/payments/99999999999999999999999/cancel/", {"reason": "x"}).status_code == 404


def test_pay_06__detail_states_the_surcharge_standard_in_percent(w):
    notice = issue(w)
    html = login(w.users["contact"]).get(f"/payments/{notice.pk}/").content.decode()
    assert "逾期每日按罚款数额的 3% 加处罚款，总额不超过罚款数额的 100%" in html
    assert notice.ref not in html  # the internal reference is for staff
    assert notice.ref in login(w.users["officer"]).get(f"/payments/{notice.pk}/").content.decode()
