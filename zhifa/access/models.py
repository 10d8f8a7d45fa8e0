"""Access requests (调阅申请, REC-17): who asks to open which objects, why, for which window, and
the one final decision.

Every table is append-only (REC-16): the ORM refuses updates and deletes, and database triggers
(migration 0002) refuse them too. A request is never edited; its status is computed from its
decision row and the clock (rules.request_status). Rows are written only by zhifa.access.services,
which appends a ledger entry in the same transaction.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models

from zhifa.accounts.models import Organisation
from zhifa.common.models import AppendOnlyModel

from .choices import DecisionOutcome, ObjectType

APPEND_ONLY_MESSAGE = "调阅申请及其审批记录只能追加，不得修改或删除（REC-16、REC-17）"


class AccessRecord(AppendOnlyModel):
    append_only_message = APPEND_ONLY_MESSAGE

    class Meta:
        abstract = True


class AccessRequest(AccessRecord):
    """One application to open named objects for a window (REC-17, SEC-01, SEC-05).

    `organisation` is the requester's organisation when applying; it decides who may approve.
    The window is half-open: [starts_at, ends_at).
    """

    requester = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT, related_name="access_requests")
    organisation = models.ForeignKey(
        Organisation, verbose_name="申请人所在机构", null=True, blank=True, on_delete=models.PROTECT, related_name="access_requests"
    )
    purpose = models.TextField("调阅用途")
    case_reference = models.CharField("案件/检查编号", max_length=100)
    starts_at = models.DateTimeField("调阅开始时间")
    ends_at = models.DateTimeField("调阅结束时间", help_text="不含该时刻")
    created_at = models.DateTimeField("申请时间", auto_now_add=True)

    class Meta:
        verbose_name = "调阅申请"
        verbose_name_plural = "调阅申请"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["requester", "ends_at"], name="access_request_requester_end")]

    def __str__(self) -> str:
        return f"调阅申请 #{self.pk}"


class AccessRequestItem(AccessRecord):
    """One object a request names: a kind and the object's id. `object_label` keeps what the
    requester saw when applying (the approver decides on that)."""

    request = models.ForeignKey(AccessRequest, verbose_name="调阅申请", on_delete=models.PROTECT, related_name="items")
    object_type = models.CharField("对象类型", max_length=32, choices=ObjectType.choices)
    object_id = models.PositiveBigIntegerField("对象ID")
    object_label = models.CharField("对象名称", max_length=200, blank=True)

    class Meta:
        verbose_name = "调阅对象"
        verbose_name_plural = "调阅对象"
        ordering = ["request", "pk"]
        constraints = [models.UniqueConstraint(fields=["request", "object_type", "object_id"], name="access_item_unique")]
        indexes = [models.Index(fields=["object_type", "object_id"], name="access_item_object")]

    def __str__(self) -> str:
        return f"{self.get_object_type_display()} #{self.object_id}"


class AccessDecision(AccessRecord):
    """The one final decision on a request (REC-17): approved or refused by an approver with a
    reason, or withdrawn by the requester while pending. One-to-one, so a second decision (for
    instance two approvers racing) is refused by the database."""

    request = models.OneToOneField(AccessRequest, verbose_name="调阅申请", on_delete=models.PROTECT, related_name="decision")
    outcome = models.CharField("结论", max_length=16, choices=DecisionOutcome.choices)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审批人/撤回人", on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField("决定时间")
    reason = models.TextField("理由", blank=True)

    class Meta:
        verbose_name = "调阅审批"
        verbose_name_plural = "调阅审批"
        ordering = ["-decided_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.request} {self.get_outcome_display()}"
