"""document_issue and friends: numbering, atomicity, versions, integrity, ledger."""
from __future__ import annotations

import os
from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction

from zhifa.common.errors import ZhifaError
from zhifa.documents import services
from zhifa.documents.models import DocumentTemplate, IssuedDocument, NumberSequence
from zhifa.documents.samples import sample_context
from zhifa.ledger.models import LedgerEntry

from .conftest import compact, pdf_text


def test_numbering__sequential_per_organisation_year_and_kind(issue, world):
    # given Putuo issuing three decisions and a notice, and Jing'an one decision
    first, second, third = (issue("PENALTY_DECISION") for _ in range(3))
    notice = issue("PRE_DECISION_NOTICE")
    jingan = issue("PENALTY_DECISION", organisation=world["jingan"])
    # then each (organisation, year, kind) counts from 1 without gaps
    assert [first.serial, second.serial, third.serial] == [1, 2, 3]
    assert [d.number for d in (first, second, third)] == [f"沪普应急罚决〔2026〕{n}号" for n in (1, 2, 3)]
    assert notice.number == "沪普应急罚告〔2026〕1号"
    assert jingan.number == "沪静应急罚决〔2026〕1号"
    assert NumberSequence.objects.get(organisation=world["putuo"], year=2026, kind="PENALTY_DECISION").last_serial == 3


def test_numbering__restarts_at_1_in_a_new_year(issue):
    # given two decisions dated 2026, when one is dated 2027, then 2027 starts again at 1
    issue(issued_on="2026-12-30")
    issue(issued_on="2026-12-31")
    new_year = issue(issued_on="2027-01-04")
    assert new_year.number == "沪普应急罚决〔2027〕1号" and new_year.year == 2027 and new_year.serial == 1


def test_numbering__configured_prefix_is_used(issue, world):
    services.issuer_profile_save(organisation=world["putuo"], doc_prefix="沪普应急执", header_name="上海市普陀区应急管理局", actor=world["sysadmin"])
    assert issue().number == "沪普应急执罚决〔2026〕1号"


def _state(documents_dir):
    blobs = [p for p in documents_dir.rglob("*") if p.is_file() and ".tmp" not in p.parts] if documents_dir.exists() else []
    return IssuedDocument.objects.count(), NumberSequence.objects.count(), LedgerEntry.objects.count(), blobs


def test_document_issue__missing_field_writes_nothing_and_consumes_no_number(issue, documents_dir):
    # given one issued decision
    issue()
    before = _state(documents_dir)
    # when a decision without the party's address is issued,
    with pytest.raises(ZhifaError) as err:
        issue(party_address="")
    # then the error names the field in Chinese, and no row, number, ledger entry or blob was written
    assert err.value.code_value == "DOCUMENT_FIELD_MISSING" and "当事人地址" in err.value.message
    assert _state(documents_dir) == before
    # and the next decision takes number 2
    assert issue().serial == 2


def test_document_issue__statutory_text_missing_rolls_back_the_number(issue, world, documents_dir):
    # given an active template version that lacks the late-fee sentence (inserted behind the
    # service's back, as a broken import would), when a decision is issued,
    issue()
    active = DocumentTemplate.objects.get(kind="PENALTY_DECISION", active=True)
    DocumentTemplate.objects.filter(pk=active.pk).update(active=False)
    DocumentTemplate.objects.create(kind="PENALTY_DECISION", version=99, title="x", body=active.body.replace("3%", "百分之三"), active=True)
    before = _state(documents_dir)
    with pytest.raises(ZhifaError) as err:
        issue()
    # then PAY-06 refuses it and the serial is not consumed
    assert err.value.rule == "PAY-06"
    assert _state(documents_dir) == before
    assert NumberSequence.objects.get(kind="PENALTY_DECISION").last_serial == 1


def test_template_edit__creates_a_new_version_and_old_documents_keep_theirs(issue, world, tmp_path):
    # given a decision issued from version 1
    old = issue()
    v1 = old.template
    assert v1.version == 1 and v1.active
    # when an admin edits the template (adding a line),
    v2 = services.document_template_create_version(
        kind="PENALTY_DECISION", title="行政处罚决定书", body=v1.body.replace("本决定书一式两份", "本决定书（第二版模板）一式两份"), actor=world["sysadmin"], note="增加版本标注"
    )
    # then version 2 is active, version 1 is unchanged, and the old document still points at it
    v1.refresh_from_db()
    assert (v2.version, v2.active, v1.active) == (2, True, False)
    assert "第二版模板" not in v1.body
    old.refresh_from_db()
    assert old.template_id == v1.pk
    # and the old document renders from its own version, the new one from version 2
    assert "第二版模板" not in compact(pdf_text(services.document_rerender(old), tmp_path))
    assert compact(pdf_text(services.document_pdf(old), tmp_path)) == compact(pdf_text(services.document_rerender(old), tmp_path))
    new = issue()
    assert new.template_id == v2.pk and "第二版模板" in compact(pdf_text(services.document_pdf(new), tmp_path))
    # and a version's body can never be changed in place
    v1.body = "改写"
    with pytest.raises(PermissionError):
        v1.save()
    assert LedgerEntry.objects.filter(action="documents.template.create_version", object_id=str(v2.pk)).exists()


def test_template_edit__a_template_dropping_statutory_text_is_not_saved(world):
    body = DocumentTemplate.objects.get(kind="PENALTY_DECISION", active=True).body
    with pytest.raises(ZhifaError) as err:
        services.document_template_create_version(kind="PENALTY_DECISION", title="x", body=body.replace("60日", "两个月"), actor=world["sysadmin"])
    assert err.value.rule == "DEC-01"
    assert DocumentTemplate.objects.filter(kind="PENALTY_DECISION").count() == 1


def test_template_activate__an_earlier_version_can_be_used_again(world):
    v1 = DocumentTemplate.objects.get(kind="HEARING_NOTICE", active=True)
    services.document_template_create_version(kind="HEARING_NOTICE", title="听证通知书", body=v1.body + "\n", actor=world["sysadmin"])
    services.document_template_activate(template=v1, actor=world["sysadmin"])
    assert services.active_template("HEARING_NOTICE").pk == v1.pk
    assert DocumentTemplate.objects.filter(kind="HEARING_NOTICE", active=True).count() == 1


def test_active_template__installs_the_shipped_default_when_a_kind_has_none(world):
    # given a database whose template rows were flushed (as in transactional tests)
    with connection.cursor() as cur:
        cur.execute("DELETE FROM documents_documenttemplate WHERE kind = %s", ["CLOSURE_REPORT"])
    # when the kind is needed, then version 1 is installed from the shipped file and logged
    template = services.active_template("CLOSURE_REPORT")
    assert (template.version, template.active) == (1, True)
    assert LedgerEntry.objects.filter(action="documents.template.install", object_id=str(template.pk)).exists()


@pytest.mark.parametrize(
    ("markup", "code"),
    [
        ('{% extends "documents/pdf/base.html" %}{% block body %}{% if %}{% endblock %}', "DOCUMENT_TEMPLATE_INVALID"),
        ('{% extends "documents/pdf/base.html" %}{% block body %}回避<img src="file:///etc/passwd">{% endblock %}', "DOCUMENT_RESOURCE_REFUSED"),
        ('{% extends "documents/pdf/base.html" %}{% block body %}回避<img src="http://127.0.0.1:9/x.png">{% endblock %}', "DOCUMENT_RESOURCE_REFUSED"),
    ],
)
def test_preview__broken_or_unsafe_templates_are_refused(markup, code):
    with pytest.raises(ZhifaError) as err:
        services.document_render_preview("HEARING_NOTICE", sample_context("HEARING_NOTICE"), body=markup)
    assert err.value.code_value == code


def test_preview__renders_without_a_number(db, tmp_path):
    data = services.document_render_preview("HEARING_NOTICE", sample_context("HEARING_NOTICE"))
    text = compact(pdf_text(data, tmp_path))
    assert "（预览样稿，未编号）" in text and "听通〔2026〕" not in text
    assert NumberSequence.objects.count() == 0 and IssuedDocument.objects.count() == 0


def test_document_issue__ledger_entry_and_stored_blob(issue, documents_dir):
    doc = issue()
    entry = LedgerEntry.objects.get(action="documents.document.issue", object_id=str(doc.pk))
    assert entry.payload["number"] == doc.number and entry.payload["sha256"] == doc.sha256
    assert entry.payload["template_version"] == 1
    blob = documents_dir / doc.sha256[:2] / doc.sha256[2:4] / doc.sha256
    assert blob.is_file() and blob.stat().st_size == doc.size
    assert doc.context["document_number"] == doc.number and doc.context["party_name"] == "上海申联化工贸易有限公司"


def test_document_pdf__refuses_bytes_that_no_longer_match(issue, documents_dir):
    # given an issued document whose stored file was altered on disk
    doc = issue()
    blob = documents_dir / doc.sha256[:2] / doc.sha256[2:4] / doc.sha256
    os.chmod(blob, 0o644)
    blob.write_bytes(blob.read_bytes().replace(b"%PDF", b"%XDF", 1))
    # when read, then the PDF is refused as corrupt
    with pytest.raises(ZhifaError) as err:
        services.document_pdf(doc)
    assert err.value.code_value == "DOCUMENT_FILE_CORRUPT"
    blob.unlink()
    with pytest.raises(ZhifaError) as err:
        services.document_pdf(doc)
    assert err.value.code_value == "DOCUMENT_FILE_MISSING" and err.value.status == 410


def test_rec_16__issued_documents_are_append_only(issue):
    doc = issue()
    doc.ref = "cases.Case:2"
    with pytest.raises(PermissionError):
        doc.save()
    with pytest.raises(PermissionError):
        IssuedDocument.objects.filter(pk=doc.pk).update(ref="cases.Case:3")
    with pytest.raises(IntegrityError), transaction.atomic():
        with connection.cursor() as cur:
            cur.execute("UPDATE documents_issueddocument SET ref = 'x' WHERE id = %s", [doc.pk])


def test_supersedes__a_correction_is_a_new_numbered_document_once(issue):
    original = issue()
    corrected = issue(supersedes=original, facts=sample_context("PENALTY_DECISION")["facts"] + "（更正）")
    assert corrected.supersedes_id == original.pk and corrected.serial == 2
    with pytest.raises(ZhifaError) as err:
        issue(supersedes=original)
    assert err.value.code_value == "DOCUMENT_ALREADY_SUPERSEDED"
    with pytest.raises(ZhifaError) as err:
        issue("PRE_DECISION_NOTICE", supersedes=corrected)
    assert err.value.code_value == "DOCUMENT_SUPERSEDES_INVALID"
    from zhifa.documents.selectors import versions_of

    assert [d.pk for d in versions_of(original)] == [original.pk, corrected.pk]


def test_document_issue__refuses_bad_calls(issue, world):
    cases = [
        ({"kind": "NO_SUCH_KIND"}, "DOCUMENT_UNKNOWN_KIND"),
        ({"ref": "case 12"}, "DOCUMENT_REF_INVALID"),
        ({"enterprise_id": 987654321}, "DOCUMENT_ENTERPRISE_UNKNOWN"),
        ({"organisation": world["street"]}, "DOCUMENT_NOT_AN_ENFORCEMENT_BODY"),
        ({"actor": world["auditor"]}, "DOCUMENT_PERMISSION_DENIED"),
    ]
    for kwargs, code in cases:
        kind = kwargs.pop("kind", "PENALTY_DECISION")
        if kind == "NO_SUCH_KIND":
            with pytest.raises(ZhifaError) as err:
                services.document_issue(kind=kind, organisation=world["putuo"], context={}, actor=world["officer"], ref="cases.Case:1")
        else:
            with pytest.raises(ZhifaError) as err:
                issue(kind, **kwargs)
        assert err.value.code_value == code, kwargs
    assert IssuedDocument.objects.count() == 0


def test_issuer__derived_from_the_tree_when_not_configured(world):
    issuer = services.issuer_for(world["putuo"])
    assert (issuer.prefix, issuer.header_name) == ("沪普应急", "上海市普陀区应急管理局")


def test_issued_on__defaults_to_today(issue):
    from zhifa.common.timeutil import today

    doc = issue(issued_on=None)
    assert doc.context["issued_on"] == today().isoformat() and doc.year == today().year
    assert isinstance(date.fromisoformat(doc.context["issued_on"]), date)
