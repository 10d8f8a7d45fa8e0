"""Choices of the access-request workflow (调阅申请)."""
from django.db import models


class ObjectType(models.TextChoices):
    """What an access request can name. Each kind is resolved through the owning app's selector
    (settings.ZHIFA_ACCESS_OBJECT_KINDS), so this app imports no app above it."""

    EVIDENCE_ITEM = "evidence_item", "证据文件"
    PERSON_PERSONAL_DATA = "person_personal_data", "个人信息（未脱敏）"
    RECORDING = "recording", "执法音像记录（预留）"


# The ledger's object type for each kind, so that a refusal appears in the object's own history.
LEDGER_OBJECT_TYPES = {
    ObjectType.EVIDENCE_ITEM: "evidence.evidenceitem",
    ObjectType.PERSON_PERSONAL_DATA: "subjects.person",
    ObjectType.RECORDING: "recordings.recording",
}


class RequestStatus(models.TextChoices):
    """Computed by rules.request_status, never stored (EXPIRED depends on the clock)."""

    PENDING = "PENDING", "待审批"
    APPROVED = "APPROVED", "已批准"
    REFUSED = "REFUSED", "不予批准"
    WITHDRAWN = "WITHDRAWN", "已撤回"
    EXPIRED = "EXPIRED", "已过期"


class DecisionOutcome(models.TextChoices):
    """The one final decision on a request (REC-17): an approver's approval or refusal, or the
    requester's withdrawal of a pending request."""

    APPROVED = "APPROVED", "批准"
    REFUSED = "REFUSED", "不予批准"
    WITHDRAWN = "WITHDRAWN", "撤回"


class Exemption(models.TextChoices):
    """Views that need no access request (docs/access.md explains why)."""

    UPLOADER = "UPLOADER", "上传人查看本人上传的文件"
