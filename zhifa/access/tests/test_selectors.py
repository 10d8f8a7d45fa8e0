"""Reads of the access workflow: the SQL status mirrors rules.request_status; scopes per role."""
from __future__ import annotations

from datetime import timedelta

import pytest

from zhifa.access import selectors
from zhifa.access.models import AccessRequest
from zhifa.access.services import access_request_withdraw
from zhifa.access.tests.factories import approved_grant, pending_request, refused_request

pytestmark = pytest.mark.django_db


def test_rec_17__sql_status_agrees_with_the_rule_at_every_moment(world, clock):
    # given one request in each state, with windows ending at different times
    start = clock.current
    approved_grant(world.users["officer"], [world.items["own"]], ends_at=start + timedelta(hours=1))
    pending_request(world.users["officer"], [world.items["own"]], ends_at=start + timedelta(hours=2))
    refused_request(world.users["officer"], [world.items["own"]], ends_at=start + timedelta(hours=1))
    withdrawn = pending_request(world.users["officer"], [world.items["own"]], ends_at=start + timedelta(hours=3))
    access_request_withdraw(actor=world.users["officer"], request=withdrawn)
    # when the status is computed in SQL and in Python before, at and after each window's end
    for offset in (0, 59, 60, 61, 119, 120, 200):
        at = start + timedelta(minutes=offset)
        annotated = dict(selectors.with_status(AccessRequest.objects.all(), at).values_list("pk", "status"))
        # then both agree
        for request in AccessRequest.objects.select_related("decision"):
            assert annotated[request.pk] == selectors.status_of(request, at), (offset, request.pk)


def test_sec_01__who_sees_which_requests(world):
    own = pending_request(world.users["officer"], [world.items["own"]])
    foreign = pending_request(world.users["foreign_officer"], [world.items["foreign"]])

    def seen(who):
        return set(selectors.requests_visible_to(world.users[who]).values_list("pk", flat=True))

    assert seen("officer") == {own.pk}
    assert seen("officer2") == set()
    assert seen("supervisor") == {own.pk}
    assert seen("foreign_supervisor") == {foreign.pk}
    assert seen("auditor") == seen("system_admin") == {own.pk, foreign.pk}
    assert seen("contact") == set()


def test_rec_17__the_queue_holds_pending_requests_the_user_may_decide(world, clock):
    own = pending_request(world.users["officer"], [world.items["own"]], ends_at=clock.current + timedelta(hours=1))
    mine = pending_request(world.users["supervisor"], [world.items["own"]])
    decided = approved_grant(world.users["officer2"], [world.items["own"]])

    def queue(who):
        return set(selectors.approval_queue(world.users[who]).values_list("pk", flat=True))

    assert queue("supervisor") == {own.pk}
    assert queue("city_supervisor") == queue("system_admin") == {own.pk, mine.pk}
    assert queue("street_supervisor") == queue("foreign_supervisor") == queue("officer") == queue("auditor") == set()
    assert decided.pk not in queue("system_admin")
    # when the pending request's window ends / then it leaves the queue
    clock.advance(timedelta(hours=1))
    assert queue("supervisor") == set()
