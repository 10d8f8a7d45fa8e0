"""The SQL review-status annotation agrees with the pure admissibility rule (EVI-05/EVI-06)."""
from __future__ import annotations

import pytest

from zhifa.evidence import selectors, services
from zhifa.evidence.choices import EvidenceKind, EvidenceSource

from .samples import ALL_PASS

pytestmark = pytest.mark.django_db


def test_evi_06__list_status_matches_rule_for_every_state(users, register):
    unreviewed = register(users["officer"], seed=1)
    passed = register(users["officer"], seed=2)
    services.evidence_review(actor=users["reviewer"], item=passed, criteria=ALL_PASS)
    failed = register(users["officer"], seed=3)
    services.evidence_review(actor=users["reviewer"], item=failed, criteria={**ALL_PASS, "COMPLETE": False}, reasons={"COMPLETE": "缺页"})
    old = register(users["officer"], seed=4)
    services.evidence_review(actor=users["reviewer"], item=old, criteria=ALL_PASS)
    services.evidence_correct(actor=users["officer"], previous=old, reason="补充", description="补充说明")
    annotated = {i.pk: i.review_status for i in selectors.with_review_status(selectors.evidence_visible_to(users["officer"]))}
    for item in (unreviewed, passed, failed, old):
        assert annotated[item.pk] == selectors.admissibility_of(item).status
    assert annotated[old.pk] == "SUPERSEDED"


def test_filter_evidence__kind_source_status_enterprise_and_versions(users, register):
    photo = register(users["officer"], seed=1, kind=EvidenceKind.AUDIO_VISUAL, enterprise=users["enterprise"])
    record = register(users["officer"], seed=2, kind=EvidenceKind.INSPECTION_RECORD, source=EvidenceSource.DEVICE)
    services.evidence_review(actor=users["reviewer"], item=record, criteria=ALL_PASS)
    newer = services.evidence_correct(actor=users["officer"], previous=photo, reason="补充", description="补充")
    base = selectors.evidence_visible_to(users["officer"])

    def pks(**kw):
        return set(selectors.filter_evidence(base, **kw).values_list("pk", flat=True))

    assert pks() == {record.pk, newer.pk}
    assert pks(current_only=False) == {photo.pk, record.pk, newer.pk}
    assert pks(kind=EvidenceKind.INSPECTION_RECORD) == {record.pk}
    assert pks(source=EvidenceSource.DEVICE) == {record.pk}
    assert pks(review_status="ADMISSIBLE") == {record.pk}
    assert pks(review_status="UNREVIEWED") == {newer.pk}
    assert pks(review_status="SUPERSEDED") == {photo.pk}
    assert pks(enterprise_id=users["enterprise"].pk) == {newer.pk}
    assert pks(text=record.file.sha256[:10]) == {record.pk}
