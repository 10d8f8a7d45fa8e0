"""Evidence rules as pure functions (no database): each cites its RULES.md ID and source.

- EVI-01 (APL art. 46): the kinds of evidence; evidence must be verified before it founds facts.
- EVI-03 (S1 §7 para 3; S5 art. 33(6)): production method, time, producer, object proven.
- EVI-04 (S1 §7 para 3): a derived copy records how it was fixed (transcript, photo/video, copy).
- EVI-05 (S5 art. 36; APL art. 46 para 3): what may not found a decision.
- EVI-06 (S1 §7 para 5; APL art. 41 para 2): review for true, clear, complete, accurate, lawful.
- EVI-09 (S5 art. 20; S2-R §9): never altered; corrections are new versions.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from .choices import AdmissibilityStatus, CopyMethod, EvidenceSource, ReviewCriterion, ReviewResult

# Clock skew tolerated between a device or phone and the server for "produced in the future".
PRODUCED_AT_SKEW = timedelta(minutes=10)

CRITERIA = tuple(ReviewCriterion)  # EVI-06: 真实、清晰、完整、准确、合法, in this order


def missing_production_metadata(*, production_method: str, produced_at: datetime | None, producer: str, object_proven: str) -> list[str]:
    """EVI-03: the names of the required metadata fields that are empty (in form order)."""
    missing = []
    if not (production_method or "").strip():
        missing.append("production_method")
    if produced_at is None:
        missing.append("produced_at")
    if not (producer or "").strip():
        missing.append("producer")
    if not (object_proven or "").strip():
        missing.append("object_proven")
    return missing


def produced_at_problem(produced_at: datetime, now: datetime) -> str | None:
    """EVI-03: the production time is a fact about the past; a future time is an input error."""
    if produced_at > now + PRODUCED_AT_SKEW:
        return "制作时间不能晚于当前时间"
    return None


def carrier_problem(*, is_original_carrier: bool, copy_method: str) -> str | None:
    """EVI-04: a derived copy names its fixing method (抄录、拍照录像、复制); an original names none."""
    if is_original_carrier:
        return "原始载体无需填写复制/固定方式" if copy_method else None
    if copy_method not in CopyMethod.values:
        return "非原始载体须注明复制/固定方式（抄录、拍照录像或复制）（EVI-04）"
    return None


def allowed_sources(*, is_enterprise_contact: bool) -> frozenset[str]:
    """Which sources a registrant may claim: an enterprise contact's uploads are always
    ENTERPRISE_UPLOAD; bureau staff register officer-made, device or shared-data evidence."""
    if is_enterprise_contact:
        return frozenset({EvidenceSource.ENTERPRISE_UPLOAD.value})
    return frozenset({EvidenceSource.OFFICER.value, EvidenceSource.DEVICE.value, EvidenceSource.SHARED_DATA.value})


def review_result(criteria: Mapping[str, bool]) -> str:
    """EVI-06: a review passes only if every one of the five criteria passes."""
    missing = [c for c in CRITERIA if c.value not in criteria]
    if missing:
        raise ValueError(f"review lacks criteria: {', '.join(c.value for c in missing)}")
    return ReviewResult.PASS.value if all(bool(criteria[c.value]) for c in CRITERIA) else ReviewResult.FAIL.value


def review_reason_problems(criteria: Mapping[str, bool], reasons: Mapping[str, str]) -> list[str]:
    """EVI-06: each failed criterion states its reason (the finding must be reviewable)."""
    return [c.value for c in CRITERIA if not criteria.get(c.value, False) and not (reasons.get(c.value) or "").strip()]


def reviewer_qualification_problem(*, role: str, is_staff_role: bool, holds_valid_credential: bool, read_only: bool) -> str | None:
    """EVI-06: the review is a legal review (法制审核), done by a legal reviewer or a supervisor,
    or by an officer holding a valid enforcement credential; never by read-only or outside roles."""
    if read_only or not is_staff_role:
        return "您的角色无权审核证据"
    if role in {"LEGAL_REVIEWER", "SUPERVISOR"}:
        return None
    if role == "OFFICER" and holds_valid_credential:
        return None
    if role == "OFFICER":
        return "执法人员须持有有效执法证方可审核证据"
    return "仅法制审核人员、科室负责人或持有效执法证的执法人员可审核证据"


def reviewer_independence_problem(*, reviewer_id: int, uploader_id: int) -> str | None:
    """EVI-05 (S5 art. 36): whether evidence is authentic and lawful is judged by someone other
    than the person who produced or registered it; nobody reviews their own upload."""
    if reviewer_id == uploader_id:
        return "审核人不得审核本人登记的证据（EVI-05 审核独立性）"
    return None


@dataclass(frozen=True)
class Admissibility:
    """Whether an item may found a decision (可作为定案依据), and why."""

    status: AdmissibilityStatus
    usable: bool
    reason: str

    @property
    def label(self) -> str:
        return "可作为定案依据" if self.usable else "不得作为定案依据"


def admissibility(*, latest_review_result: str | None, superseded: bool) -> Admissibility:
    """EVI-05, EVI-06 (and EVI-01: verified before it founds facts).

    - a version replaced by a correction is not used; its successor is (EVI-09);
    - unreviewed evidence is not usable as the basis of a decision (EVI-01, EVI-06);
    - the latest review counts; if it failed any criterion the item is not usable (EVI-05, EVI-06);
    - only a passed latest review of the current version makes the item usable.
    """
    if superseded:
        return Admissibility(AdmissibilityStatus.SUPERSEDED, False, "该版本已被更正，应使用最新版本（EVI-09）")
    if latest_review_result is None:
        return Admissibility(AdmissibilityStatus.UNREVIEWED, False, "尚未经审核，未审核的证据不得作为定案依据（EVI-06）")
    if latest_review_result == ReviewResult.PASS:
        return Admissibility(AdmissibilityStatus.ADMISSIBLE, True, "经审核真实、清晰、完整、准确、合法（EVI-06）")
    return Admissibility(AdmissibilityStatus.REJECTED, False, "最近一次审核未通过，不得作为定案依据（EVI-05、EVI-06）")
