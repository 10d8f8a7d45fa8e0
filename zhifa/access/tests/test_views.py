"""Pages of the access workflow: my requests, new request (pre-filled), request page, approver
queue, decisions and withdrawal, navigation by role; bad input gets Chinese errors, never a 500."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from zhifa.access.choices import ObjectType
from zhifa.access.models import AccessDecision, AccessRequest
from zhifa.access.tests.factories import approved_grant, pending_request
from zhifa.accounts.choices import Role
from zhifa.ledger.models import LedgerEntry

pytestmark = pytest.mark.django_db


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _form(world, clock, **overrides):
    data = {
        "obj": [f"evidence_item:{world.items['own'].pk}"],
        "purpose": "核查仓库超量储存事实",
        "case_reference": "2026-普应急-001",
        "starts_at": _local(clock.current),
        "ends_at": _local(clock.current + timedelta(days=2)),
        "extra_object_type": "",
        "extra_object_id": "",
    }
    data.update(overrides)
    return data


def test_rec_17__new_request_is_prefilled_from_the_evidence_page(client, world):
    client.force_login(world.users["officer"])
    item = world.items["own"]
    response = client.get(reverse("access:new"), {"object_type": "evidence_item", "object_id": item.pk})
    page = response.content.decode()
    assert response.status_code == 200
    assert f'value="evidence_item:{item.pk}" checked' in page and "长寿路仓库照片" in page


def test_sec_01__prefill_drops_objects_the_user_may_not_see(client, world):
    client.force_login(world.users["officer"])
    response = client.get(reverse("access:new"), {"obj": [f"evidence_item:{world.items['foreign'].pk}", "junk", "evidence_item:99999999999999999999"]})
    page = response.content.decode()
    assert response.status_code == 200 and "静安仓库照片" not in page and "有 3 个对象不存在或不在您的可见范围内" in page


def test_rec_17__submitting_the_form_creates_the_request_and_shows_it(client, world, clock):
    client.force_login(world.users["officer"])
    response = client.post(reverse("access:new"), _form(world, clock, extra_object_type="person_personal_data", extra_object_id=world.persons["own"].pk))
    request = AccessRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("access:detail", args=[request.pk])
    assert sorted(request.items.values_list("object_type", flat=True)) == ["evidence_item", "person_personal_data"]
    page = client.get(response["Location"]).content.decode()
    assert "待审批" in page and "核查仓库超量储存事实" in page and "撤回申请" in page
    # the requester is not offered the decision form on their own request
    assert "提交审批结论" not in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"purpose": "看"}, "请写明调阅用途"),
        ({"case_reference": ""}, "该字段是必填项"),
        ({"obj": []}, "请至少选择一个调阅对象"),
        ({"extra_object_type": "evidence_item"}, "另加调阅对象须同时选择类型并填写编号"),
        ({"starts_at": "不是时间"}, "输入一个有效的日期/时间"),
    ],
)
def test_sec_01__bad_input_is_a_chinese_form_error(client, world, clock, overrides, message):
    client.force_login(world.users["officer"])
    response = client.post(reverse("access:new"), _form(world, clock, **overrides))
    assert response.status_code == 400 and message in response.content.decode()
    assert not AccessRequest.objects.exists()


def test_sec_05__a_too_long_window_is_refused_by_the_service(client, world, clock):
    client.force_login(world.users["officer"])
    response = client.post(reverse("access:new"), _form(world, clock, ends_at=_local(clock.current + timedelta(days=40))))
    assert response.status_code == 400 and "调阅期限最长30天" in response.content.decode()


def test_sec_01__a_foreign_object_typed_in_is_refused(client, world, clock):
    client.force_login(world.users["officer"])
    response = client.post(reverse("access:new"), _form(world, clock, obj=[], extra_object_type="evidence_item", extra_object_id=world.items["foreign"].pk))
    assert response.status_code == 400 and "不存在或不在您的可见范围内" in response.content.decode()


def test_sec_01__an_enterprise_contact_cannot_apply(client, world):
    client.force_login(world.users["contact"])
    response = client.get(reverse("access:new"))
    assert response.status_code == 403 and "ACCESS_ROLE_NOT_ALLOWED" in response.content.decode()


def test_rec_17__the_supervisor_approves_from_the_queue(client, world):
    # given a pending request of a 普陀 officer
    request = pending_request(world.users["officer"], [world.items["own"]])
    client.force_login(world.users["supervisor"])
    # when the supervisor opens 调阅审批
    queue = client.get(reverse("access:queue")).content.decode()
    assert f'href="/access/{request.pk}/"' in queue and "李执法" in queue
    # and approves on the request's page
    page = client.get(reverse("access:detail", args=[request.pk])).content.decode()
    assert "提交审批结论" in page
    response = client.post(reverse("access:decide", args=[request.pk]), {"outcome": "APPROVED", "reason": "同意调阅"})
    # then the request is approved and leaves the queue
    assert response.status_code == 302
    assert AccessDecision.objects.get().decided_by == world.users["supervisor"]
    page = client.get(reverse("access:detail", args=[request.pk])).content.decode()
    assert "已批准" in page and "同意调阅" in page and "提交审批结论" not in page
    assert f'href="/access/{request.pk}/"' not in client.get(reverse("access:queue")).content.decode().split("本人最近审批")[0]


def test_rec_17__refusing_without_a_reason_is_a_form_error(client, world):
    request = pending_request(world.users["officer"], [world.items["own"]])
    client.force_login(world.users["supervisor"])
    response = client.post(reverse("access:decide", args=[request.pk]), {"outcome": "REFUSED", "reason": ""})
    assert response.status_code == 400 and "不予批准须说明理由" in response.content.decode()
    response = client.post(reverse("access:decide", args=[request.pk]), {"outcome": "MAYBE"})
    assert response.status_code == 400
    assert not AccessDecision.objects.exists()


def test_rec_17__a_foreign_supervisor_neither_sees_nor_decides(client, world):
    request = pending_request(world.users["officer"], [world.items["own"]])
    client.force_login(world.users["foreign_supervisor"])
    assert client.get(reverse("access:detail", args=[request.pk])).status_code == 404
    assert client.post(reverse("access:decide", args=[request.pk]), {"outcome": "APPROVED"}).status_code == 404
    assert f'href="/access/{request.pk}/"' not in client.get(reverse("access:queue")).content.decode()
    assert not AccessDecision.objects.exists()


def test_rec_17__the_requesters_own_approval_is_refused_on_the_page(client, world):
    request = pending_request(world.users["supervisor"], [world.items["own"]])
    client.force_login(world.users["supervisor"])
    assert f'href="/access/{request.pk}/"' not in client.get(reverse("access:queue")).content.decode()
    response = client.post(reverse("access:decide", args=[request.pk]), {"outcome": "APPROVED"})
    assert response.status_code == 403 and "审批人不得为申请人本人" in response.content.decode()


def test_rec_17__officers_have_no_approval_queue(client, world):
    client.force_login(world.users["officer"])
    assert client.get(reverse("access:queue")).status_code == 403


def test_rec_17__withdrawal_from_the_request_page(client, world):
    request = pending_request(world.users["officer"], [world.items["own"]])
    client.force_login(world.users["officer"])
    response = client.post(reverse("access:withdraw", args=[request.pk]), follow=True)
    assert "已撤回" in response.content.decode()
    assert LedgerEntry.objects.filter(action="access.request.withdraw").count() == 1


def test_rec_17__my_requests_lists_only_mine_with_status(client, world, clock):
    mine = approved_grant(world.users["officer"], [world.items["own"]], ends_at=clock.current + timedelta(hours=1))
    other = pending_request(world.users["officer2"], [world.items["own"]])
    client.force_login(world.users["officer"])
    page = client.get(reverse("access:list")).content.decode()
    assert f'href="/access/{mine.pk}/"' in page and f'href="/access/{other.pk}/"' not in page and "已批准" in page
    clock.advance(timedelta(hours=1))
    assert "已过期" in client.get(reverse("access:list")).content.decode()


def test_rec_17__the_approved_requests_page_opens_the_file_only_in_the_window(client, world, clock):
    grant = approved_grant(world.users["officer"], [world.items["own"]], ends_at=clock.current + timedelta(hours=1))
    client.force_login(world.users["officer"])
    download = reverse("evidence:download", args=[world.items["own"].pk])
    assert f'href="{download}"' in client.get(reverse("access:detail", args=[grant.pk])).content.decode()
    clock.advance(timedelta(hours=1))
    page = client.get(reverse("access:detail", args=[grant.pk])).content.decode()
    assert f'href="{download}"' not in page and "调阅期限已过" in page


def test_rec_17__auditors_see_every_request_read_only(client, world):
    request = pending_request(world.users["foreign_officer"], [world.items["foreign"]])
    client.force_login(world.users["auditor"])
    page = client.get(reverse("access:detail", args=[request.pk])).content.decode()
    assert "静安仓库照片" in page and "提交审批结论" not in page


def test_request_pages__huge_ids_are_404_not_500(client, world):
    client.force_login(world.users["officer"])
    assert client.get("/access/99999999999999999999/").status_code == 404


@pytest.mark.parametrize(
    ("role", "apply_link", "queue_link"),
    [
        (Role.OFFICER, True, False),
        (Role.SUPERVISOR, True, True),
        (Role.AUDITOR, True, False),
        (Role.SYSTEM_ADMIN, True, True),
        (Role.ENTERPRISE_CONTACT, False, False),
    ],
)
def test_navigation__access_links_by_role(client, org_tree, make_user, role, apply_link, queue_link):
    client.force_login(make_user(role, None if role == Role.ENTERPRISE_CONTACT else org_tree["putuo"]))
    nav = client.get(reverse("access:list")).content.decode().split('aria-label="主导航"')[1].split("</nav>")[0]
    assert ('href="/access/"' in nav) is apply_link
    assert ('href="/access/queue/"' in nav) is queue_link


def test_object_types_offer_only_enabled_kinds(client, world):
    client.force_login(world.users["officer"])
    page = client.get(reverse("access:new")).content.decode()
    assert f'value="{ObjectType.EVIDENCE_ITEM.value}"' in page and f'value="{ObjectType.RECORDING.value}"' not in page
