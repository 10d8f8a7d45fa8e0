"""Choices of the evidence store."""
from django.db import models


class EvidenceKind(models.TextChoices):
    """EVI-01 (APL art. 46): the statutory kinds of evidence."""

    DOCUMENTARY = "DOCUMENTARY", "书证"
    PHYSICAL = "PHYSICAL", "物证"
    AUDIO_VISUAL = "AUDIO_VISUAL", "视听资料"
    ELECTRONIC_DATA = "ELECTRONIC_DATA", "电子数据"
    WITNESS_TESTIMONY = "WITNESS_TESTIMONY", "证人证言"
    PARTY_STATEMENT = "PARTY_STATEMENT", "当事人陈述"
    EXPERT_OPINION = "EXPERT_OPINION", "鉴定意见"
    INSPECTION_RECORD = "INSPECTION_RECORD", "勘验笔录、现场笔录"


class EvidenceSource(models.TextChoices):
    """Where an item came from (issue 3: officer, device, enterprise upload, shared data)."""

    OFFICER = "OFFICER", "执法人员制作"
    DEVICE = "DEVICE", "电子技术监控设备"
    ENTERPRISE_UPLOAD = "ENTERPRISE_UPLOAD", "企业上传"
    SHARED_DATA = "SHARED_DATA", "共享数据"


class CopyMethod(models.TextChoices):
    """EVI-04: how evidence was fixed when the original carrier could not be collected."""

    TRANSCRIPT = "TRANSCRIPT", "抄录"
    PHOTO_VIDEO = "PHOTO_VIDEO", "拍照、录像"
    COPY = "COPY", "复制"


class ReviewCriterion(models.TextChoices):
    """EVI-06: the five review criteria for non-site evidence (真实、清晰、完整、准确、合法)."""

    TRUE = "TRUE", "真实"
    CLEAR = "CLEAR", "清晰"
    COMPLETE = "COMPLETE", "完整"
    ACCURATE = "ACCURATE", "准确"
    LAWFUL = "LAWFUL", "合法"


class ReviewResult(models.TextChoices):
    PASS = "PASS", "通过"
    FAIL = "FAIL", "不通过"


class AdmissibilityStatus(models.TextChoices):
    """Computed by rules.admissibility (EVI-05, EVI-06); never stored."""

    UNREVIEWED = "UNREVIEWED", "未审核"
    ADMISSIBLE = "ADMISSIBLE", "审核通过"
    REJECTED = "REJECTED", "审核未通过"
    SUPERSEDED = "SUPERSEDED", "已被更正版本取代"


class CustodyAction(models.TextChoices):
    """Chain-of-custody events; each one also appends a ledger entry (SEC-02)."""

    CREATED = "CREATED", "登记"
    VIEWED = "VIEWED", "查看"
    DOWNLOADED = "DOWNLOADED", "下载"
    REVIEWED = "REVIEWED", "审核"
    LINKED = "LINKED", "关联"
    SUPERSEDED = "SUPERSEDED", "被更正"
    EXPORTED = "EXPORTED", "导出"


class LinkTarget(models.TextChoices):
    """Objects an item can be linked to. Stored as "app_label.model" strings so that apps above
    evidence (cases, inspections, clues) can be linked without evidence importing them."""

    CASE = "cases.case", "案件"
    INSPECTION = "inspections.inspection", "检查"
    CLUE = "clues.clue", "线索"
    DEVICE_EVENT = "devices.deviceevent", "设备事件"


class FileCategory(models.TextChoices):
    """Coarse file classes used for size limits (settings ZHIFA_EVIDENCE_MAX_BYTES)."""

    IMAGE = "image", "图片"
    DOCUMENT = "document", "文档"
    VIDEO = "video", "视频"
    AUDIO = "audio", "音频"
    TEXT = "text", "文本"
