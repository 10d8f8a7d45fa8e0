"""Evidence services: registration, corrections, reviews, links, views and downloads."""
from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone

from zhifa.access.tests.factories import approved_grant
from zhifa.common.errors import ZhifaError
from zhifa.evidence import services
from zhifa.evidence.choices import CustodyAction, EvidenceSource, ReviewResult
from zhifa.evidence.errors import EvidenceErrorCode
from zhifa.evidence.models import CustodyEvent, EvidenceFile, EvidenceItem, EvidenceReview
from zhifa.evidence.selectors import admissibility_of, evidence_visible_to
from zhifa.ledger.models import LedgerEntry

from .samples import ALL_PASS, chunked, jpeg_bytes, metadata, pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db


def _ledger(action, item):
    return LedgerEntry.objects.filter(action=action, object_type="evidence.evidenceitem", object_id=str(item.pk))


# --- register -----------------------------------------------------------------------------------


def test_register__stores_file_rows_custody_and_ledger_together(users, register, evidence_store):
    # given an officer and a photo
    data = jpeg_bytes(seed=1)
    # when registered
    item = register(users["officer"], data=data)
    # then the blob is stored under its hash, the rows exist, custody starts and the ledger knows
    assert item.file.sha256 == hashlib.sha256(data).hexdigest()
    assert item.file.size == len(data)
    assert item.file.detected_content_type == "image/jpeg"
    assert item.file.storage_name == evidence_store.relative_name(item.file.sha256)
    assert evidence_store.path_for(item.file.sha256).read_bytes() == data
    assert item.organisation == users["officer"].organisation
    assert [e.action for e in item.custody_events.all()] == [CustodyAction.CREATED]
    entry = _ledger("evidence.register", item).get()
    assert entry.payload["sha256"] == item.file.sha256
    assert item.custody_events.get().ledger_index == entry.index


def test_register__original_filename_is_metadata_only(users, register, evidence_store):
    item = register(users["officer"], filename="../../etc/passwd\x00.jpg")
    assert item.file.original_filename == "passwd.jpg"
    assert item.file.storage_name.endswith(item.file.sha256)
    assert "passwd" not in str(evidence_store.path_for(item.file.sha256))


def test_register__duplicate_content_stores_once(users, register, evidence_store):
    a = register(users["officer"], seed=5, title="第一次")
    b = register(users["officer"], seed=5, title="第二次")
    assert a.file.sha256 == b.file.sha256 and a.file_id != b.file_id
    assert list(evidence_store.iter_stored()) == [a.file.sha256]


@pytest.mark.parametrize(
    ("data", "filename", "content_type", "code"),
    [
        (b"<html><script>alert(1)</script></html>", "photo.jpg", "image/jpeg", EvidenceErrorCode.ACTIVE_CONTENT),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>x()</script></svg>', "photo.jpg", "image/jpeg", EvidenceErrorCode.ACTIVE_CONTENT),
        (pdf_bytes(), "photo.jpg", "image/jpeg", EvidenceErrorCode.FILE_TYPE_MISMATCH),
        (png_bytes(), "photo.png", "image/jpeg", EvidenceErrorCode.FILE_TYPE_MISMATCH),
        (b"", "photo.jpg", "image/jpeg", EvidenceErrorCode.FILE_EMPTY),
    ],
)
def test_register__bad_file_leaves_nothing(users, register, evidence_store, data, filename, content_type, code):
    # given a disguised, mismatched or empty file / when registered / then refused, nothing stored
    with pytest.raises(ZhifaError) as exc:
        register(users["officer"], data=data, filename=filename, content_type=content_type)
    assert exc.value.code == code
    assert EvidenceItem.objects.count() == 0 and EvidenceFile.objects.count() == 0
    assert list(evidence_store.iter_stored()) == [] and evidence_store.temp_files() == []
    assert not LedgerEntry.objects.filter(action="evidence.register").exists()


def test_register__size_limit_enforced_while_streaming(users, settings, evidence_store):
    # given a 10 KB image limit and a 20 KB image whose size is not announced
    settings.ZHIFA_EVIDENCE_MAX_BYTES = {"image": 10 * 1024}
    with pytest.raises(ZhifaError) as exc:
        services.evidence_register(
            actor=users["officer"], chunks=chunked(jpeg_bytes(20 * 1024), 4096), original_filename="big.jpg", declared_content_type="image/jpeg", **metadata()
        )
    # then it is refused once the limit is passed, and nothing remains
    assert exc.value.code == EvidenceErrorCode.FILE_TOO_LARGE
    assert list(evidence_store.iter_stored()) == [] and evidence_store.temp_files() == []
    assert EvidenceItem.objects.count() == 0


def test_register__truncated_upload_leaves_no_blob_and_no_row(users, evidence_store):
    # given a client that disconnects after 128 KB of a photo
    def interrupted():
        data = jpeg_bytes(512 * 1024)
        yield data[:65536]
        yield data[65536:131072]
        raise ConnectionResetError("client disconnected")

    # when registered / then a clear error, no partial blob, no temp file, no row, no ledger entry
    with pytest.raises(ZhifaError) as exc:
        services.evidence_register(actor=users["officer"], chunks=interrupted(), original_filename="a.jpg", declared_content_type="image/jpeg", **metadata())
    assert exc.value.code == EvidenceErrorCode.UPLOAD_INCOMPLETE
    assert list(evidence_store.iter_stored()) == [] and evidence_store.temp_files() == []
    assert EvidenceItem.objects.count() == 0 and EvidenceFile.objects.count() == 0
    assert not LedgerEntry.objects.filter(action="evidence.register").exists()


def test_register__database_failure_after_storing_leaves_no_row(users, register, monkeypatch):
    # given the ledger failing inside the transaction
    def broken(**kwargs):
        raise RuntimeError("ledger unavailable")

    monkeypatch.setattr(services, "ledger_append", broken)
    with pytest.raises(RuntimeError):
        register(users["officer"])
    # then neither the file row nor the item row was committed
    assert EvidenceItem.objects.count() == 0 and EvidenceFile.objects.count() == 0


def test_evi_03__registration_without_producer_rejected_before_storing(users, register, evidence_store):
    with pytest.raises(ZhifaError) as exc:
        register(users["officer"], producer=" ")
    assert exc.value.rule == "EVI-03" and exc.value.field == "producer"
    assert list(evidence_store.iter_stored()) == []


def test_evi_03__future_production_time_rejected(users, register):
    with pytest.raises(ZhifaError) as exc:
        register(users["officer"], produced_at=timezone.now() + timedelta(days=1))
    assert exc.value.field == "produced_at"


def test_evi_04__copy_needs_method(users, register):
    with pytest.raises(ZhifaError) as exc:
        register(users["officer"], is_original_carrier=False, copy_method="")
    assert exc.value.rule == "EVI-04"
    item = register(users["officer"], is_original_carrier=False, copy_method="PHOTO_VIDEO")
    assert item.copy_method == "PHOTO_VIDEO"


def test_register__auditor_is_read_only(users, register):
    with pytest.raises(ZhifaError) as exc:
        register(users["auditor"])
    assert exc.value.status == 403


def test_register__staff_may_not_claim_enterprise_upload(users, register):
    with pytest.raises(ZhifaError) as exc:
        register(users["officer"], source=EvidenceSource.ENTERPRISE_UPLOAD)
    assert exc.value.code == EvidenceErrorCode.SOURCE_NOT_ALLOWED


def test_register__staff_may_not_name_a_foreign_enterprise(users, register):
    with pytest.raises(ZhifaError) as exc:
        register(users["officer"], enterprise=users["other_enterprise"])
    assert exc.value.status == 403


def test_register__enterprise_contact_uploads_for_own_enterprise_only(users, register):
    contact = users["contact"]
    # when uploading for the authorised enterprise / then the item belongs to that enterprise's body
    item = register(contact, source=EvidenceSource.ENTERPRISE_UPLOAD, enterprise=users["enterprise"])
    assert item.organisation == users["enterprise"].organisation and item.source == EvidenceSource.ENTERPRISE_UPLOAD
    # and another enterprise, or another source, is refused
    with pytest.raises(ZhifaError):
        register(contact, source=EvidenceSource.ENTERPRISE_UPLOAD, enterprise=users["other_enterprise"])
    with pytest.raises(ZhifaError):
        register(contact, source=EvidenceSource.OFFICER, enterprise=users["enterprise"])


# --- visibility --------------------------------------------------------------------------------


def test_visibility__org_subtree_auditor_and_own_uploads(users, register):
    officer_item = register(users["officer"], seed=1)
    contact_item = register(users["contact"], seed=2, source=EvidenceSource.ENTERPRISE_UPLOAD, enterprise=users["enterprise"])
    street_item = register(users["officer2"], seed=3)

    def visible(user):
        return set(evidence_visible_to(user).values_list("pk", flat=True))

    everything = {officer_item.pk, contact_item.pk, street_item.pk}
    assert visible(users["officer"]) == everything  # Putuo sees Putuo and its street
    assert visible(users["officer2"]) == {street_item.pk}  # the street sees only itself
    assert visible(users["city_officer"]) == everything
    assert visible(users["foreign_reviewer"]) == set()  # Jing'an sees nothing of Putuo
    assert visible(users["auditor"]) == everything
    assert visible(users["contact"]) == {contact_item.pk}


# --- corrections ---------------------------------------------------------------------------------


def test_evi_09__correction_is_a_new_version_linked_to_the_old(users, register):
    old = register(users["officer"], title="原标题")
    new = services.evidence_correct(actor=users["officer"], previous=old, reason="标题写错", title="新标题")
    old.refresh_from_db()
    # then the old row is unchanged, the new one points to it and shares the chain
    assert old.title == "原标题" and new.title == "新标题"
    assert new.previous_version == old and new.chain_id == old.chain_id and new.version_no == 2
    assert new.file_id == old.file_id and new.correction_reason == "标题写错"
    assert admissibility_of(old).status == "SUPERSEDED"
    assert [e.action for e in old.custody_events.all()] == [CustodyAction.CREATED, CustodyAction.SUPERSEDED]
    assert _ledger("evidence.correct", new).exists()


def test_evi_09__correction_with_new_file(users, register):
    old = register(users["officer"], seed=1)
    new = services.evidence_correct(
        actor=users["officer"], previous=old, reason="更换清晰照片", chunks=[png_bytes(seed=9)], original_filename="new.png", declared_content_type="image/png"
    )
    assert new.file.detected_content_type == "image/png" and new.file_id != old.file_id


def test_evi_09__only_the_latest_version_can_be_corrected(users, register):
    old = register(users["officer"])
    services.evidence_correct(actor=users["officer"], previous=old, reason="第一次更正", title="二")
    with pytest.raises(ZhifaError) as exc:
        services.evidence_correct(actor=users["officer"], previous=old, reason="再次更正", title="三")
    assert exc.value.code == EvidenceErrorCode.ALREADY_CORRECTED


def test_evi_09__correction_needs_reason(users, register):
    old = register(users["officer"])
    with pytest.raises(ZhifaError) as exc:
        services.evidence_correct(actor=users["officer"], previous=old, reason=" ", title="x")
    assert exc.value.code == EvidenceErrorCode.CORRECTION_REASON_REQUIRED


def test_correction__contact_only_own_uploads_and_auditor_never(users, register):
    item = register(users["officer"])
    with pytest.raises(ZhifaError) as exc:
        services.evidence_correct(actor=users["auditor"], previous=item, reason="审计", title="x")
    assert exc.value.status == 403
    with pytest.raises(ZhifaError) as exc:
        services.evidence_correct(actor=users["contact"], previous=item, reason="企业", title="x")
    assert exc.value.status == 404  # not even visible


# --- reviews ---------------------------------------------------------------------------------------


def test_evi_06__legal_reviewer_review_makes_item_admissible(users, register):
    item = register(users["officer"])
    assert admissibility_of(item).usable is False
    review = services.evidence_review(actor=users["reviewer"], item=item, criteria=ALL_PASS, opinion="符合要求")
    assert review.result == ReviewResult.PASS
    assert admissibility_of(item).label == "可作为定案依据"
    assert item.custody_events.filter(action=CustodyAction.REVIEWED).exists()
    assert _ledger("evidence.review", item).get().payload["result"] == "PASS"


def test_evi_05__uploader_may_not_review_own_evidence(users, register):
    # given a supervisor who registered an item themselves
    item = register(users["supervisor"])
    # when they review it / then refused for independence
    with pytest.raises(ZhifaError) as exc:
        services.evidence_review(actor=users["supervisor"], item=item, criteria=ALL_PASS)
    assert exc.value.code == EvidenceErrorCode.REVIEWER_NOT_INDEPENDENT and exc.value.rule == "EVI-05"
    assert EvidenceReview.objects.count() == 0


@pytest.mark.parametrize("who", ["uncredentialled", "expired", "device_admin", "auditor", "contact"])
def test_evi_06__unqualified_users_cannot_review(users, register, who):
    item = register(users["officer"], seed=3)
    with pytest.raises(ZhifaError) as exc:
        services.evidence_review(actor=users[who], item=item, criteria=ALL_PASS)
    assert exc.value.status in (403, 404)
    assert EvidenceReview.objects.count() == 0


def test_evi_06__officer_with_valid_credential_may_review_colleagues_evidence(users, register):
    item = register(users["officer2"])
    review = services.evidence_review(actor=users["officer"], item=item, criteria=ALL_PASS)
    assert review.result == ReviewResult.PASS


def test_evi_06__reviewer_outside_the_organisation_sees_nothing(users, register):
    item = register(users["officer"])
    with pytest.raises(ZhifaError) as exc:
        services.evidence_review(actor=users["foreign_reviewer"], item=item, criteria=ALL_PASS)
    assert exc.value.status == 404


def test_evi_06__failed_criterion_without_reason_refused_and_with_reason_not_admissible(users, register):
    item = register(users["officer"])
    failing = {**ALL_PASS, "CLEAR": False}
    with pytest.raises(ZhifaError) as exc:
        services.evidence_review(actor=users["reviewer"], item=item, criteria=failing)
    assert exc.value.code == EvidenceErrorCode.REVIEW_REASON_REQUIRED
    services.evidence_review(actor=users["reviewer"], item=item, criteria=failing, reasons={"CLEAR": "夜间画面模糊，无法辨认车牌"})
    verdict = admissibility_of(item)
    assert verdict.status == "REJECTED" and not verdict.usable


def test_evi_06__the_latest_review_counts(users, register):
    item = register(users["officer"])
    services.evidence_review(actor=users["reviewer"], item=item, criteria={**ALL_PASS, "LAWFUL": False}, reasons={"LAWFUL": "取证程序存疑"})
    assert not admissibility_of(item).usable
    services.evidence_review(actor=users["supervisor"], item=item, criteria=ALL_PASS, opinion="补正后合法")
    assert admissibility_of(item).usable
    services.evidence_review(actor=users["reviewer"], item=item, criteria={**ALL_PASS, "TRUE": False}, reasons={"TRUE": "疑似剪辑"})
    assert not admissibility_of(item).usable


def test_evi_09__superseded_version_cannot_be_reviewed_and_new_version_starts_unreviewed(users, register):
    item = register(users["officer"])
    services.evidence_review(actor=users["reviewer"], item=item, criteria=ALL_PASS)
    new = services.evidence_correct(actor=users["officer"], previous=item, reason="补充说明", description="补充")
    with pytest.raises(ZhifaError) as exc:
        services.evidence_review(actor=users["reviewer"], item=item, criteria=ALL_PASS)
    assert exc.value.code == EvidenceErrorCode.REVIEW_SUPERSEDED
    assert admissibility_of(new).status == "UNREVIEWED"


# --- links, views, downloads ------------------------------------------------------------------------


def test_link__staff_links_once_and_it_is_logged(users, register):
    item = register(users["officer"])
    link = services.evidence_link(actor=users["officer"], item=item, object_type="cases.case", object_id=42, note="立案")
    assert link.object_id == "42"
    assert item.custody_events.filter(action=CustodyAction.LINKED).exists()
    with pytest.raises(ZhifaError) as exc:
        services.evidence_link(actor=users["officer"], item=item, object_type="cases.case", object_id="42")
    assert exc.value.code == EvidenceErrorCode.LINK_EXISTS
    with pytest.raises(ZhifaError) as exc:
        services.evidence_link(actor=users["officer"], item=item, object_type="auth.user", object_id="1")
    assert exc.value.code == EvidenceErrorCode.LINK_INVALID


def test_view_and_download__logged_as_custody_and_ledger(users, register):
    data = jpeg_bytes(seed=11)
    item = register(users["officer"], data=data)
    services.evidence_view(actor=users["auditor"], item=item, purpose="执法监督抽查")
    grant = approved_grant(users["reviewer"], [item])  # REC-17: the reviewer opens the bytes under an approved request
    handle, evidence_file = services.evidence_open_for_download(actor=users["reviewer"], item=item, purpose="审核")
    with handle:
        assert handle.read() == data
    actions = list(item.custody_events.values_list("action", "actor", "purpose"))
    assert (CustodyAction.VIEWED, users["auditor"].pk, "执法监督抽查") in actions
    assert (CustodyAction.DOWNLOADED, users["reviewer"].pk, "审核") in actions
    assert _ledger("evidence.view", item).get().payload == {"purpose": "执法监督抽查"}
    assert _ledger("evidence.download", item).get().actor_id == users["reviewer"].pk
    assert _ledger("evidence.download", item).get().payload["access_request"] == grant.pk


def test_download__missing_blob_is_a_clear_error_not_a_crash(users, register, evidence_store):
    item = register(users["officer"])
    path = evidence_store.path_for(item.file.sha256)
    path.unlink()
    with pytest.raises(ZhifaError) as exc:
        services.evidence_open_for_download(actor=users["officer"], item=item)
    assert exc.value.code == EvidenceErrorCode.FILE_MISSING
    assert not CustodyEvent.objects.filter(action=CustodyAction.DOWNLOADED).exists()


def test_view__outside_scope_is_not_found(users, register):
    item = register(users["officer"])
    with pytest.raises(ZhifaError) as exc:
        services.evidence_view(actor=users["foreign_reviewer"], item=item)
    assert exc.value.status == 404
