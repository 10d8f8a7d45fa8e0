"""Clues (线索) and everything that happens to them before a case is filed.

A clue is a suspicion, never a decision (CLU-01): it can lead to a penalty only through case
filing and the general procedure. The clue row holds the current state; its history is the
append-only `ClueEvent` timeline plus one ledger entry per step (REC-16).
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhifa.accounts.models import Organisation
from zhifa.common.models import AppendOnlyModel, TimeStampedModel
from zhifa.subjects.models import Enterprise

from .choices import (
    Category,
    Channel,
    CloseReason,
    ClueStatus,
    EventKind,
    Owner,
    QualityCode,
    ReminderStatus,
    RunOrigin,
    RunStatus,
    ScenarioStatus,
    Severity,
    TransferKind,
    TransferReason,
    TriggerKind,
)


class Scenario(TimeStampedModel):
    """One version of a non-site detection scenario (CLU-S01…S14, CLU-04), loaded from the
    scenario pack (`zhifa/clues/packs/scenarios.yaml`). A new version is a new row; a row is
    applied on the dates and in the jurisdictions it names (JUR-01)."""

    code = models.CharField("场景编号", max_length=16, db_index=True)
    version = models.PositiveIntegerField("版本")
    title = models.CharField("场景名称", max_length=200)
    evaluator = models.CharField("判定器", max_length=64, help_text="zhifa.clues.scenarios 中登记的判定器名称")
    params = models.JSONField("判定参数", default=dict, blank=True)
    condition = models.TextField("数据条件（说明）")
    legal_basis = models.JSONField("法律依据（候选）", default=list)
    default_severity = models.CharField("默认严重程度", max_length=16, choices=Severity.choices, default=Severity.GENERAL)
    jurisdictions = models.JSONField("适用辖区", default=list)
    effective_from = models.DateField("生效日期")
    effective_to = models.DateField("失效日期", null=True, blank=True)
    status = models.CharField("状态", max_length=16, choices=ScenarioStatus.choices, default=ScenarioStatus.DRAFT)
    approved_by = models.CharField("批准机关/人", max_length=100, blank=True)
    approved_on = models.DateField("批准日期", null=True, blank=True)
    non_site_capable = models.BooleanField("可非现场处置", default=True)
    life_health_or_financial = models.BooleanField("涉及生命健康安全", default=True, help_text="CLU-03：影响追责时效")
    source_sha256 = models.CharField("场景包SHA-256", max_length=64)

    class Meta:
        verbose_name = "检测场景"
        verbose_name_plural = "检测场景"
        ordering = ["code", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="clues_scenario_code_version")]

    def __str__(self) -> str:
        return f"{self.code} v{self.version} {self.title}"


class DetectionRun(models.Model):
    """One execution of the detection engine (issue 4 item 2): which scenario versions ran, what
    they found, how long it took."""

    started_at = models.DateTimeField("开始时间", auto_now_add=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    as_of = models.DateField("检测基准日")
    origin = models.CharField("发起方式", max_length=16, choices=RunOrigin.choices, default=RunOrigin.COMMAND)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发起人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    only_rule = models.CharField("仅运行场景", max_length=16, blank=True)
    rule_versions = models.JSONField("场景版本", default=dict)
    counts = models.JSONField("统计", default=dict)
    duration_ms = models.PositiveIntegerField("耗时(毫秒)", null=True, blank=True)
    status = models.CharField("状态", max_length=16, choices=RunStatus.choices, default=RunStatus.RUNNING)
    error = models.TextField("错误", blank=True)

    class Meta:
        verbose_name = "检测运行"
        verbose_name_plural = "检测运行"
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"检测运行 #{self.pk}（{self.as_of}）"


class Trigger(TimeStampedModel):
    """An incoming event that may start supervision (CLU-T01/T02): an alarm, an overdue approval,
    a patrol finding, a complaint, a transfer or an assignment. Idempotent on (source, external_ref):
    an alarm posted twice is one trigger."""

    kind = models.CharField("触发类型", max_length=32, choices=TriggerKind.choices)
    source = models.CharField("来源系统", max_length=64)
    external_ref = models.CharField("来源编号", max_length=100)
    enterprise = models.ForeignKey(Enterprise, verbose_name="企业", null=True, blank=True, on_delete=models.PROTECT, related_name="triggers")
    subject_uscc = models.CharField("报送的统一社会信用代码", max_length=32, blank=True)
    occurred_at = models.DateTimeField("发生时间")
    summary = models.CharField("摘要", max_length=500)
    payload = models.JSONField("原始内容", default=dict, blank=True)
    payload_sha256 = models.CharField("原始内容SHA-256", max_length=64)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="接收人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # Scope of the trigger (per-object access): the enterprise's body, or the receiver's
    # organisation when the subject is unknown (services.trigger_receive).
    organisation = models.ForeignKey(Organisation, verbose_name="负责机构", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "触发事件"
        verbose_name_plural = "触发事件"
        ordering = ["-occurred_at"]
        constraints = [models.UniqueConstraint(fields=["source", "external_ref"], name="clues_trigger_source_ref")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.source}/{self.external_ref}"


class Complaint(TimeStampedModel):
    """Complaint/report handling (举报投诉, CLU-T03, WSL art. 73): verified and documented in
    writing; rectification signed off by the responsible leader; out-of-remit matters passed on."""

    trigger = models.OneToOneField(Trigger, verbose_name="触发事件", on_delete=models.PROTECT, related_name="complaint")
    complainant_name = models.CharField("举报人", max_length=50, blank=True)
    complainant_phone = models.CharField("举报人电话", max_length=20, blank=True)
    anonymous = models.BooleanField("匿名", default=False)
    content = models.TextField("举报内容")
    verification_report = models.TextField("核查报告", blank=True)
    verified_at = models.DateTimeField("核查时间", null=True, blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="核查人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    substantiated = models.BooleanField("举报属实", null=True, blank=True)
    needs_rectification = models.BooleanField("需要整改", default=False)
    leader_signoff_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="负责人签批", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    leader_signoff_at = models.DateTimeField("签批时间", null=True, blank=True)
    out_of_scope = models.BooleanField("不属于本部门职责", default=False)
    transferred_to = models.CharField("移送部门", max_length=100, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)

    class Meta:
        verbose_name = "投诉举报"
        verbose_name_plural = "投诉举报"


class Clue(TimeStampedModel):
    """A suspected violation (CLU-02): channel, detecting rule and version, data snapshot with its
    hash, subject, suspected violation date (CLU-03 limitation) and the responsible unit."""

    channel = models.CharField("线索来源", max_length=32, choices=Channel.choices)
    scenario = models.ForeignKey(Scenario, verbose_name="检测场景", null=True, blank=True, on_delete=models.PROTECT, related_name="clues")
    rule_id = models.CharField("规则编号", max_length=16, db_index=True)
    rule_version = models.PositiveIntegerField("规则版本", default=1)
    trigger = models.ForeignKey(Trigger, verbose_name="触发事件", null=True, blank=True, on_delete=models.PROTECT, related_name="clues")
    enterprise = models.ForeignKey(Enterprise, verbose_name="企业", on_delete=models.PROTECT, related_name="clues")
    organisation = models.ForeignKey(Organisation, verbose_name="负责机构", on_delete=models.PROTECT, related_name="clues")
    dedup_key = models.CharField("去重键", max_length=120)
    is_open = models.BooleanField("未办结", default=True)
    condition_holds = models.BooleanField("数据条件仍成立", default=True)
    title = models.CharField("线索摘要", max_length=300)
    facts = models.JSONField("事实")
    snapshot_sha256 = models.CharField("数据快照SHA-256", max_length=64)
    snapshot_evidence = models.ForeignKey("evidence.EvidenceItem", verbose_name="数据快照证据", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    detected_at = models.DateTimeField("发现时间")
    detection_run = models.ForeignKey(DetectionRun, verbose_name="发现于检测运行", null=True, blank=True, on_delete=models.PROTECT, related_name="new_clues")
    last_seen_run = models.ForeignKey(DetectionRun, verbose_name="最近一次检出", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    violation_on = models.DateField("涉嫌违法行为发生日期", null=True, blank=True)
    ongoing = models.BooleanField("违法行为持续", default=True)
    severity = models.CharField("严重程度", max_length=16, choices=Severity.choices, default=Severity.GENERAL)
    category = models.CharField("分类", max_length=20, choices=Category.choices, default=Category.FIRST)
    owner = models.CharField("承办单位", max_length=16, choices=Owner.choices, default=Owner.SUPERVISION)
    status = models.CharField("状态", max_length=16, choices=ClueStatus.choices, default=ClueStatus.OPEN, db_index=True)
    close_reason = models.CharField("办结原因", max_length=20, choices=CloseReason.choices, blank=True)
    close_note = models.TextField("办结说明", blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="办结人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    harmful_consequence = models.BooleanField("造成危害后果", default=False)
    life_health_or_financial = models.BooleanField("涉及生命健康或金融安全", default=True)
    crime_suspected = models.BooleanField("涉嫌犯罪", default=False)
    dual_penalty_hint = models.BooleanField("一案双罚提示", default=False)
    transfer_due_on = models.DateField("移交期限", null=True, blank=True)
    transfer_due_provisional = models.BooleanField("移交期限为暂定", default=False)
    # CLU-X02 trigger dates: transfer deadline runs from min(major_hazard_on, repeat_reached_on).
    major_hazard_on = models.DateField("认定重大事故隐患日期", null=True, blank=True)
    repeat_reached_on = models.DateField("达到屡教不改标准日期", null=True, blank=True)

    class Meta:
        verbose_name = "线索"
        verbose_name_plural = "线索"
        ordering = ["-detected_at", "-id"]
        constraints = [
            # One open clue per ongoing violation (issue 4 item 2: idempotent runs).
            models.UniqueConstraint(fields=["dedup_key"], condition=Q(is_open=True), name="clues_clue_open_dedup"),
        ]
        indexes = [
            models.Index(fields=["rule_id", "is_open"], name="clues_clue_rule_open"),
            models.Index(fields=["organisation", "status"], name="clues_clue_org_status"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def number(self) -> str:
        """Human reference (线索编号): year of detection and the row id."""
        year = self.detected_at.year if self.detected_at else 0
        return f"XS{year}{self.pk or 0:07d}"


class ClueEvent(AppendOnlyModel):
    """One step in a clue's timeline (full-process record, REC-16). Never changed or deleted."""

    append_only_message = "线索处置记录只能追加，不得修改或删除"

    clue = models.ForeignKey(Clue, verbose_name="线索", on_delete=models.PROTECT, related_name="events")
    kind = models.CharField("事项", max_length=32, choices=EventKind.choices)
    at = models.DateTimeField("时间", auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.TextField("说明", blank=True)
    payload = models.JSONField("内容", default=dict, blank=True)
    run = models.ForeignKey(DetectionRun, verbose_name="检测运行", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "线索处置记录"
        verbose_name_plural = "线索处置记录"
        ordering = ["at", "id"]


class Reminder(TimeStampedModel):
    """告知提醒 (CLU-X01, CLU-L02): the supervision unit's first response to a first-time or minor
    clue — the rule broken, what to correct and by when (rule-set period, working days)."""

    clue = models.ForeignKey(Clue, verbose_name="线索", on_delete=models.PROTECT, related_name="reminders")
    sent_at = models.DateTimeField("发出时间")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发出人", on_delete=models.PROTECT, related_name="+")
    text = models.TextField("提醒内容")
    rule_citation = models.CharField("违反的规定", max_length=300)
    correction_due_on = models.DateField("改正期限")
    correction_due_provisional = models.BooleanField("期限为暂定", default=False)
    status = models.CharField("状态", max_length=16, choices=ReminderStatus.choices, default=ReminderStatus.PENDING)
    verified_at = models.DateTimeField("核实时间", null=True, blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="核实人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    verification_note = models.TextField("核实意见", blank=True)
    education_record = models.TextField("教育记录", blank=True, help_text="CLU-L04：不予处罚时的教育内容")
    correction_period_wd = models.PositiveSmallIntegerField("改正期限（工作日）", null=True, blank=True)
    not_corrected_on = models.DateField("认定未改正日期", null=True, blank=True, help_text="CLU-X02/AMB-08：屡教不改计数以此日期为准")

    class Meta:
        verbose_name = "告知提醒"
        verbose_name_plural = "告知提醒"
        ordering = ["-sent_at"]


class ReminderAnswer(TimeStampedModel):
    """The enterprise's answer to a reminder, with documents (e.g. the renewed licence)."""

    reminder = models.ForeignKey(Reminder, verbose_name="告知提醒", on_delete=models.PROTECT, related_name="answers")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="答复人", on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField("答复时间")
    text = models.TextField("答复内容")
    evidence_items = models.ManyToManyField("evidence.EvidenceItem", verbose_name="附件", blank=True, related_name="+")

    class Meta:
        verbose_name = "企业答复"
        verbose_name_plural = "企业答复"
        ordering = ["submitted_at"]


class Transfer(TimeStampedModel):
    """Hand-over of a clue's facts and evidence (CLU-X02 within 5 days to the enforcement body;
    CLU-X03 suspected crimes to the judicial organs; CLU-T03 out-of-remit complaints)."""

    clue = models.ForeignKey(Clue, verbose_name="线索", on_delete=models.PROTECT, related_name="transfers")
    kind = models.CharField("移交类型", max_length=20, choices=TransferKind.choices)
    reason = models.CharField("移交原因", max_length=20, choices=TransferReason.choices)
    triggered_on = models.DateField("移交事由发生日")
    due_on = models.DateField("移交期限", null=True, blank=True)
    sent_at = models.DateTimeField("移交时间")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="移交人", on_delete=models.PROTECT, related_name="+")
    to_organisation = models.ForeignKey(Organisation, verbose_name="接收机构", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    to_body = models.CharField("接收单位", max_length=100, blank=True)
    facts_summary = models.TextField("移交事实")
    evidence_items = models.ManyToManyField("evidence.EvidenceItem", verbose_name="移交证据", blank=True, related_name="+")
    late = models.BooleanField("逾期移交", default=False)

    class Meta:
        verbose_name = "线索移交"
        verbose_name_plural = "线索移交"
        ordering = ["-sent_at"]


class DataQualityFinding(TimeStampedModel):
    """Missing or contradictory register data found by a detection run or an incoming event; never
    a clue (issue 4, bad input). One open finding per (code, object)."""

    code = models.CharField("问题类型", max_length=32, choices=QualityCode.choices)
    object_type = models.CharField("对象类型", max_length=32)
    object_id = models.CharField("对象编号", max_length=64)
    enterprise = models.ForeignKey(Enterprise, verbose_name="企业", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    message = models.CharField("说明", max_length=300)
    first_run = models.ForeignKey(DetectionRun, verbose_name="首次发现", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    last_run = models.ForeignKey(DetectionRun, verbose_name="最近发现", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    is_open = models.BooleanField("未处理", default=True)
    resolved_at = models.DateTimeField("解决时间", null=True, blank=True)

    class Meta:
        verbose_name = "数据质量问题"
        verbose_name_plural = "数据质量问题"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["code", "object_type", "object_id"], condition=Q(is_open=True), name="clues_quality_open"),
        ]
