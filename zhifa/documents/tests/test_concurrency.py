"""Two issuers at the same moment never share a number (PostgreSQL: SELECT … FOR UPDATE on the
sequence row; SQLite: IMMEDIATE transactions serialise writers)."""
from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections

from zhifa.documents.models import IssuedDocument, NumberSequence
from zhifa.documents.samples import sample_context

THREADS = 2
PER_THREAD = 4


def test_numbering__concurrent_issues_never_share_a_number(transactional_db, world, monkeypatch):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip(
            "the in-memory SQLite test database (shared cache) fails table locks at once instead of waiting; "
            "set ZHIFA_TEST_SQLITE_NAME to a file to run this on SQLite"
        )
    from zhifa.documents.services import active_template, document_issue

    # given the templates installed (a transactional test starts from a flushed database), and a
    # pause between reading a sequence and writing it back, so that an issuer that read the
    # serial without locking the row would surely collide with the other thread
    active_template("PAYMENT_NOTICE")
    original_save = NumberSequence.save

    def slow_save(self, *args, **kwargs):
        time.sleep(0.15)
        return original_save(self, *args, **kwargs)

    monkeypatch.setattr(NumberSequence, "save", slow_save)
    organisation, actor = world["putuo"], world["officer"]
    start = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def worker(number: int) -> None:
        try:
            start.wait()
            for i in range(PER_THREAD):
                context = sample_context("PAYMENT_NOTICE")
                context["payment_code"] = f"31010720260000{number}{i:03d}"
                document_issue(kind="PAYMENT_NOTICE", organisation=organisation, context=context, actor=actor, ref=f"cases.Case:{number}")
        except BaseException as exc:  # noqa: BLE001 - reported to the main thread below
            errors.append(exc)
        finally:
            connections.close_all()

    # when two threads, each with its own connection, issue 4 notices each at once,
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # then all 8 succeed with serials exactly 1..8 and distinct numbers
    assert errors == []
    serials = sorted(IssuedDocument.objects.filter(kind="PAYMENT_NOTICE").values_list("serial", flat=True))
    assert serials == list(range(1, THREADS * PER_THREAD + 1))
    assert IssuedDocument.objects.values("number").distinct().count() == THREADS * PER_THREAD
