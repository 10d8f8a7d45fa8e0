"""The auditor page /ledger/: who may see it, the verify button, downloads and JSON proofs."""
from __future__ import annotations

import base64

import pytest
from django.db import connection
from django.db.models import QuerySet
from django.urls import reverse

from zhifa.accounts.choices import Role
from zhifa.ledger import dbguard, keys, merkle, note
from zhifa.ledger.models import Checkpoint, LedgerEntry
from zhifa.ledger.services import checkpoint_create

pytestmark = pytest.mark.urls("zhifa.ledger.tests.urls")

ALLOWED = {Role.AUDITOR, Role.SYSTEM_ADMIN, Role.SUPERVISOR}


def _login(client, make_user, role):
    user = make_user(role)
    client.force_login(user)
    return user


@pytest.mark.parametrize("role", list(Role))
def test_sec_02__ledger_page_is_for_auditors_admins_and_supervisors_only(client, make_user, append_entries, role):
    # given a user of each role, when they open the page and its downloads, then only the three
    # supervising roles get in; everyone else gets the Chinese 403 page
    append_entries(2)
    checkpoint = checkpoint_create(actor=None)
    _login(client, make_user, role)
    urls = [
        reverse("ledger:index"),
        reverse("ledger:checkpoint_text", args=[checkpoint.pk]),
        reverse("ledger:checkpoint_latest"),
        reverse("ledger:public_key_pem"),
        reverse("ledger:public_key_note"),
        reverse("ledger:proof_inclusion") + "?index=0",
        reverse("ledger:proof_consistency") + "?old_size=1&new_size=2",
    ]
    expected = 200 if role in ALLOWED else 403
    for url in urls:
        assert client.get(url).status_code == expected, url
    response = client.post(reverse("ledger:verify"))
    assert response.status_code == expected
    if expected == 403:
        assert "无权访问" in response.content.decode()


def test_sec_02__anonymous_visitors_are_sent_to_login(client, db):
    response = client.get(reverse("ledger:index"))
    assert response.status_code == 302 and "/accounts/" in response["Location"]


def test_rec_16__page_shows_size_checkpoint_and_public_key(client, make_user, append_entries):
    append_entries(3)
    checkpoint_create(actor=None)
    _login(client, make_user, Role.AUDITOR)
    html = client.get(reverse("ledger:index")).content.decode()
    assert "验证账本" in html
    assert '<dd id="tree-size">4</dd>' in html
    assert keys.verifier_key().text() in html
    assert "zhifa.test/ledger\n3\n" in html


def test_rec_16__page_without_checkpoints_or_key_explains_that(client, make_user, db):
    _login(client, make_user, Role.AUDITOR)
    html = client.get(reverse("ledger:index")).content.decode()
    assert "尚无检查点" in html and "尚未生成签名密钥" in html


def test_rec_16__verify_button_shows_an_intact_result_and_logs_the_run(client, make_user, append_entries):
    append_entries(5)
    checkpoint_create(actor=None)
    user = _login(client, make_user, Role.AUDITOR)
    response = client.post(reverse("ledger:verify"))
    html = response.content.decode()
    assert response.status_code == 200 and "账本完整" in html
    logged = LedgerEntry.objects.order_by("-index").first()
    assert (logged.action, logged.actor_id, logged.payload["ok"]) == ("ledger.verify", user.pk, True)


def test_rec_16__verify_button_names_the_first_bad_entry(client, make_user, append_entries):
    append_entries(6)
    with dbguard.suspended(connection):
        QuerySet(model=LedgerEntry).filter(index=2).update(payload={"n": "改"})
    _login(client, make_user, Role.SUPERVISOR)
    html = client.post(reverse("ledger:verify")).content.decode()
    assert "第一个有问题的条目：第 2 条" in html
    assert "LEDGER_PAYLOAD_ALTERED" in html


def test_sec_09__supervisor_can_sign_a_checkpoint_but_an_auditor_cannot(client, make_user, append_entries):
    append_entries(2)
    _login(client, make_user, Role.AUDITOR)
    assert client.post(reverse("ledger:checkpoint_new")).status_code == 403
    assert not Checkpoint.objects.exists()
    _login(client, make_user, Role.SUPERVISOR)
    response = client.post(reverse("ledger:checkpoint_new"), follow=True)
    assert "已签署检查点" in response.content.decode()
    assert Checkpoint.objects.get().tree_size == 2


def test_sec_09__checkpoint_download_is_the_signed_text(client, make_user, append_entries):
    append_entries(4)
    checkpoint = checkpoint_create(actor=None)
    _login(client, make_user, Role.AUDITOR)
    response = client.get(reverse("ledger:checkpoint_text", args=[checkpoint.pk]))
    assert response["Content-Type"].startswith("text/plain")
    assert "attachment" in response["Content-Disposition"]
    parsed = note.parse(response.content.decode())
    note.verify(parsed, [note.parse_verifier_key(client.get(reverse("ledger:public_key_note")).content.decode())])
    assert parsed.tree_size == 4
    assert client.get(reverse("ledger:checkpoint_text", args=[checkpoint.pk + 100])).status_code == 404


def test_rec_16__inclusion_proof_json_verifies(client, make_user, append_entries):
    append_entries(10)
    checkpoint_create(actor=None)
    _login(client, make_user, Role.AUDITOR)
    checkpoint = note.parse(client.get(reverse("ledger:checkpoint_latest")).content.decode())
    body = client.get(reverse("ledger:proof_inclusion"), {"index": 7, "tree_size": checkpoint.tree_size}).json()
    proof = [base64.b64decode(p) for p in body["proof"]]
    merkle.verify_inclusion(7, checkpoint.tree_size, merkle.leaf_hash(body["leaf_data"].encode()), proof, checkpoint.root_hash)


@pytest.mark.parametrize("query", [{"index": "x"}, {"index": 50}, {"index": 1, "tree_size": -3}, {}])
def test_rec_16__bad_proof_queries_get_json_errors_not_500(client, make_user, append_entries, query):
    append_entries(3)
    _login(client, make_user, Role.AUDITOR)
    response = client.get(reverse("ledger:proof_inclusion"), query)
    assert response.status_code == 400
    assert response.json()["error"]["code"].startswith("LEDGER_")
