"""Reads of the evidence store, always scoped to what the user may see."""
from __future__ import annotations

from django.db.models import Case, CharField, Exists, OuterRef, Q, QuerySet, Subquery, Value, When

from zhifa.accounts.access import org_scope_q, sees_everything
from zhifa.accounts.choices import Role

from .choices import AdmissibilityStatus, EvidenceSource, ReviewResult
from .models import CustodyEvent, EvidenceItem, EvidenceReview
from .rules import Admissibility, admissibility


def evidence_visible_to(user) -> QuerySet[EvidenceItem]:
    """Per-object access: staff see items of their organisation subtree; auditors and admins see
    everything (auditors change nothing); an enterprise contact sees only its own uploads."""
    qs = EvidenceItem.objects.all()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    if sees_everything(user):
        return qs
    if user.role == Role.ENTERPRISE_CONTACT:
        return qs.filter(created_by=user, source=EvidenceSource.ENTERPRISE_UPLOAD)
    return qs.filter(org_scope_q(user))


def with_review_status(qs: QuerySet[EvidenceItem]) -> QuerySet[EvidenceItem]:
    """Annotate `latest_result` (latest review's result or None), `is_superseded` and
    `review_status`, the SQL mirror of rules.admissibility (a test keeps the two in step)."""
    latest = EvidenceReview.objects.filter(item=OuterRef("pk")).order_by("-reviewed_at", "-pk").values("result")[:1]
    successor = EvidenceItem.objects.filter(previous_version=OuterRef("pk"))
    return qs.annotate(latest_result=Subquery(latest), is_superseded=Exists(successor)).annotate(
        review_status=Case(
            When(is_superseded=True, then=Value(AdmissibilityStatus.SUPERSEDED.value)),
            When(latest_result__isnull=True, then=Value(AdmissibilityStatus.UNREVIEWED.value)),
            When(latest_result=ReviewResult.PASS.value, then=Value(AdmissibilityStatus.ADMISSIBLE.value)),
            default=Value(AdmissibilityStatus.REJECTED.value),
            output_field=CharField(),
        )
    )


def filter_evidence(
    qs: QuerySet[EvidenceItem],
    *,
    kind: str = "",
    source: str = "",
    review_status: str = "",
    enterprise_id: int | None = None,
    current_only: bool = True,
    text: str = "",
) -> QuerySet[EvidenceItem]:
    qs = with_review_status(qs)
    if kind:
        qs = qs.filter(kind=kind)
    if source:
        qs = qs.filter(source=source)
    if enterprise_id:
        qs = qs.filter(enterprise_id=enterprise_id)
    if review_status:
        qs = qs.filter(review_status=review_status)
    if current_only and review_status != AdmissibilityStatus.SUPERSEDED:
        qs = qs.filter(is_superseded=False)
    text = (text or "").strip()
    if text:
        qs = qs.filter(Q(title__contains=text) | Q(file__sha256__startswith=text.lower()))
    return qs


def latest_review(item: EvidenceItem) -> EvidenceReview | None:
    return item.reviews.order_by("-reviewed_at", "-pk").first()


def is_superseded(item: EvidenceItem) -> bool:
    return EvidenceItem.objects.filter(previous_version=item).exists()


def admissibility_of(item: EvidenceItem) -> Admissibility:
    """EVI-05/EVI-06 for one item: the latest review of the current version counts."""
    review = latest_review(item)
    return admissibility(latest_review_result=review.result if review else None, superseded=is_superseded(item))


def versions_of(item: EvidenceItem) -> QuerySet[EvidenceItem]:
    """Every version of the item's chain, oldest first (EVI-09 audit trail)."""
    return EvidenceItem.objects.filter(chain_id=item.chain_id).select_related("created_by").order_by("version_no")


def custody_timeline(item: EvidenceItem) -> QuerySet[CustodyEvent]:
    return item.custody_events.select_related("actor").order_by("occurred_at", "pk")
