"""`load_document_templates`: installs missing defaults, and with --update a new version when the shipped file changed."""
from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from zhifa.documents.models import DocumentTemplate
from zhifa.ledger.models import LedgerEntry


def test_load_document_templates__installs_once_and_updates_as_new_versions(db):
    # given the defaults installed by the migration, when the command runs, then nothing changes
    assert DocumentTemplate.objects.filter(active=True).count() == 17
    out = StringIO()
    call_command("load_document_templates", stdout=out)
    assert "新增 0 个" in out.getvalue()
    # given an active version that differs from the shipped file, when run with --update,
    old = DocumentTemplate.objects.get(kind="CLOSURE_REPORT", active=True)
    DocumentTemplate.objects.filter(pk=old.pk).update(active=False)
    local = DocumentTemplate.objects.create(kind="CLOSURE_REPORT", version=2, title="结案报告", body=old.body + "<!-- 本地修改 -->", active=True)
    call_command("load_document_templates", "--update", stdout=StringIO())
    # then the shipped source becomes version 3 and the local version is kept, inactive
    latest = DocumentTemplate.objects.get(kind="CLOSURE_REPORT", active=True)
    local.refresh_from_db()
    assert latest.version == 3 and latest.body == old.body and not local.active
    assert LedgerEntry.objects.filter(action="documents.template.install", object_id=str(latest.pk)).exists()
