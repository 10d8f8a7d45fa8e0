"""Choices of the documents app."""
from django.db import models


class DocumentKind(models.TextChoices):
    """The enforcement documents (执法文书) zhifa issues; kinds.py holds each one's contract."""

    FILING_APPROVAL = "FILING_APPROVAL", "立案审批表"
    INQUIRY_RECORD = "INQUIRY_RECORD", "询问笔录"
    CORRECTION_ORDER = "CORRECTION_ORDER", "责令限期整改指令书"
    ONSITE_MEASURE = "ONSITE_MEASURE", "现场处理措施决定书"
    PRE_DECISION_NOTICE = "PRE_DECISION_NOTICE", "行政处罚告知书"
    HEARING_NOTICE = "HEARING_NOTICE", "听证通知书"
    HEARING_RECORD = "HEARING_RECORD", "听证笔录"
    LEGAL_REVIEW_OPINION = "LEGAL_REVIEW_OPINION", "法制审核意见书"
    PENALTY_DECISION = "PENALTY_DECISION", "行政处罚决定书"
    NO_PENALTY_DECISION = "NO_PENALTY_DECISION", "不予行政处罚决定书"
    SIMPLE_PENALTY_DECISION = "SIMPLE_PENALTY_DECISION", "当场行政处罚决定书"
    SERVICE_RECEIPT = "SERVICE_RECEIPT", "送达回证"
    PAYMENT_NOTICE = "PAYMENT_NOTICE", "缴款通知书"
    SEALING_DECISION = "SEALING_DECISION", "查封（扣押）决定书"
    CLOSURE_REPORT = "CLOSURE_REPORT", "结案报告"
    E_SERVICE_CONSENT = "E_SERVICE_CONSENT", "送达地址确认书"
    COMMITTEE_DECISION = "COMMITTEE_DECISION", "案审会集体讨论记录"
