"""Data-quality findings (issue 4, bad input; CLU-02: a clue rests only on data that proves it):
missing or contradictory register data is reported to the data administrators and never becomes a clue. One open finding per (code, object); a
finding whose data was fixed is resolved by the next full run."""
from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from zhifa.ledger.services import ledger_append
from zhifa.subjects.choices import LicenceType
from zhifa.subjects.models import ActivitySignal, Licence, MajorHazardSource, RegistrationChange

from .choices import QualityCode
from .models import DataQualityFinding, DetectionRun

# Licence types that carry an expiry date (a filing certificate does not, SUB-04).
EXPIRING_TYPES = tuple(t.value for t in LicenceType if t != LicenceType.PRECURSOR_FILING)


def _checks(run: DetectionRun) -> Iterable[tuple[str, str, Iterable[tuple[str, int, str]]]]:
    """(code, object type, rows of (object id, enterprise id, message))."""
    as_of = run.as_of
    yield (QualityCode.LICENCE_NO_EXPIRY, "subjects.licence", (
        (str(pk), ent, f"证书 {number} 缺少有效期截止日期")
        for pk, ent, number in Licence.objects.filter(licence_type__in=EXPIRING_TYPES, valid_to__isnull=True).values_list("pk", "enterprise_id", "number").iterator()
    ))
    yield (QualityCode.LICENCE_DATES_INVERTED, "subjects.licence", (
        (str(pk), ent, f"证书 {number} 的有效期截止日期早于起始日期")
        for pk, ent, number in Licence.objects.filter(valid_to__lt=F("valid_from")).values_list("pk", "enterprise_id", "number").iterator()
    ))
    yield (QualityCode.ACTIVITY_IN_FUTURE, "subjects.enterprise", (
        (str(ent), ent, f"存在发生日期晚于 {as_of} 的活动记录，已从比对中排除")
        for ent in ActivitySignal.objects.filter(occurred_on__gt=as_of).values_list("enterprise_id", flat=True).distinct().iterator()
    ))
    yield (QualityCode.CHANGE_IN_FUTURE, "subjects.registrationchange", (
        (str(pk), ent, f"登记变更日期 {day} 晚于检测日期")
        for pk, ent, day in RegistrationChange.objects.filter(changed_on__gt=as_of).values_list("pk", "enterprise_id", "changed_on").iterator()
    ))
    yield (QualityCode.MHS_NO_ASSESSMENT, "subjects.majorhazardsource", (
        (str(pk), ent, f"重大危险源 {code} 未备案且缺少评估报告日期，无法判断备案期限")
        for pk, ent, code in MajorHazardSource.objects.filter(filed_on__isnull=True, assessment_report_on__isnull=True).values_list("pk", "enterprise_id", "code").iterator()
    ))


def quality_scan(run: DetectionRun) -> dict[str, int]:
    """Record new findings, keep existing ones, resolve those no longer present. Returns counts."""
    counts: dict[str, int] = {}
    for code, object_type, rows in _checks(run):
        found: dict[str, tuple[int, str]] = {object_id: (ent, msg) for object_id, ent, msg in rows}
        with transaction.atomic():
            open_ids = set(DataQualityFinding.objects.filter(code=code, is_open=True).values_list("object_id", flat=True))
            new = [DataQualityFinding(code=code, object_type=object_type, object_id=oid, enterprise_id=ent, message=msg[:300],
                                      first_run=run, last_run=run) for oid, (ent, msg) in found.items() if oid not in open_ids]
            DataQualityFinding.objects.bulk_create(new)
            DataQualityFinding.objects.filter(code=code, is_open=True, object_id__in=[o for o in found if o in open_ids]).update(last_run=run)
            gone = [o for o in open_ids if o not in found]
            DataQualityFinding.objects.filter(code=code, is_open=True, object_id__in=gone).update(is_open=False, resolved_at=timezone.now())
            if new or gone:
                ledger_append(actor=None, action="clue.quality_scan", object_type="clues.detectionrun", object_id=run.pk,
                              payload={"code": code, "new": [f.object_id for f in new], "resolved": gone})
        counts[code] = len(found)
    return counts
