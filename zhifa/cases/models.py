"""Cases (行政处罚案件): the legal procedure from filing to archive (RULES §6).

The case row holds the current state in a protected FSM field (no code may assign it; only the
declared transitions in `workflow.py` move it). Everything that happened is kept as its own
record — acts, statements, reviews, decisions, service — plus the append-only `CaseEvent`
timeline and one ledger entry per step (REC-16, EVI-09). Per-party records (notice, statement,
hearing, decision, service) exist because in 一案双罚 the unit and its principal person are separate
parties with their own rights (DEC-03, HRG-03).
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django_fsm import FSMField

from zhifa.accounts.models import Organisation
from zhifa.common.models import AppendOnlyModel, TimeStampedModel
from zhifa.subjects.models import Enterprise, Person

from .choices import (
    ActKind,
    CaseState,
    ChangeAuthority,
    CommitteeConclusion,
    Confirmation,
    DecisionChangeKind,
    DecisionKind,
    EventKind,
    HearingOutcome,
    MeasureHandling,
    MeasureKind,
    OfficerRole,
    Origin,
    PartyKind,
    PartyRole,
    Procedure,
    ReadMode,
    ReviewOpinion,
    ServiceMethod,
    StatementChannel,
    StatementReview,
)
from .workflow import CaseWorkflow

MONEY = {"max_digits": 14, "decimal_places": 2}


class CaseNumberSequence(models.Model):
    """The last case number used per organisation and year (案号 are gapless per year)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="cases_seq_org_year")]

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.year}: {self.last}"


class Case(CaseWorkflow, TimeStampedModel):
    """One administrative penalty case. CAS-01: every origin (non-site included) runs the same
    declared workflow; only CAS-03 simple procedure has its own short path."""

    number = models.CharField("案号", max_length=64, unique=True)
    organisation = models.ForeignKey(Organisation, verbose_name="承办机关", on_delete=models.PROTECT, related_name="cases")
    enterprise = models.ForeignKey(Enterprise, verbose_name="当事单位", on_delete=models.PROTECT, related_name="cases")
    clue = models.ForeignKey("clues.Clue", verbose_name="来源线索", null=True, blank=True, on_delete=models.PROTECT, related_name="cases")
    origin = models.CharField("案件来源", max_length=16, choices=Origin.choices)
    procedure = models.CharField("程序", max_length=8, choices=Procedure.choices, default=Procedure.GENERAL)
    title = models.CharField("案由", max_length=300)
    facts = models.TextField("涉嫌违法事实")
    benchmark_code = models.CharField("违法行为（裁量基准编号）", max_length=64, blank=True)
    act_key = models.CharField("违法行为标识", max_length=120, blank=True, help_text="DSC-04：同一违法行为不得重复罚款")
    state = FSMField("状态", max_length=20, choices=CaseState.choices, default=CaseState.PENDING_FILING, protected=True, db_index=True)
    major_public_interest = models.BooleanField("涉及重大公共利益", default=False)
    major_rights = models.BooleanField("直接关系当事人或第三人重大权益", default=False)
    complex_case = models.BooleanField("案情疑难复杂、涉及多个法律关系", default=False)
    crime_suspected = models.BooleanField("涉嫌犯罪", default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="拟立案人", on_delete=models.PROTECT, related_name="+")
    filed_on = models.DateField("立案日期", null=True, blank=True)
    filing_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="立案批准人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decision_extension_days = models.PositiveIntegerField("批准延长办案期限（日）", default=0)
    closed_on = models.DateField("结案日期", null=True, blank=True)
    closure_reason = models.CharField("结案事由", max_length=32, blank=True)
    archived_on = models.DateField("归档日期", null=True, blank=True)

    class Meta:
        verbose_name = "案件"
        verbose_name_plural = "案件"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def ref(self) -> str:
        """The generic reference other apps (documents, notifications, payments) store."""
        return f"cases.Case:{self.pk}"


class CaseParty(TimeStampedModel):
    """A party (当事人). The unit is always a party; in 一案双罚 the principal person is another
    (DEC-03), with its own notice, statement, hearing right, decision and service."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.PROTECT, related_name="parties")
    role = models.CharField("身份", max_length=16, choices=PartyRole.choices)
    kind = models.CharField("类别", max_length=16, choices=PartyKind.choices)
    enterprise = models.ForeignKey(Enterprise, verbose_name="单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, verbose_name="个人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    name = models.CharField("名称/姓名", max_length=200)
    income_prev_year = models.DecimalField("上一年年收入（元）", null=True, blank=True, help_text="DEC-05/DEC-06 按比例罚款的依据", **MONEY)

    class Meta:
        verbose_name = "当事人"
        verbose_name_plural = "当事人"
        ordering = ["case", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "role", "person"], name="cases_party_unique_person")]

    def __str__(self) -> str:
        return f"{self.get_role_display()}：{self.name}"


class CaseOfficer(TimeStampedModel):
    """An officer assigned to the case. A recused officer is removed (RCS-04) — the row keeps
    when and why, and the timeline keeps the event."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.PROTECT, related_name="officers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="执法人员", on_delete=models.PROTECT, related_name="case_assignments")
    role = models.CharField("分工", max_length=8, choices=OfficerRole.choices, default=OfficerRole.ASSIST)
    removed_at = models.DateTimeField("退出时间", null=True, blank=True)
    removed_reason = models.CharField("退出原因", max_length=200, blank=True)

    class Meta:
        verbose_name = "办案人员"
        verbose_name_plural = "办案人员"
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="cases_officer_unique")]


class CaseEvent(AppendOnlyModel):
    """The case timeline (REC-16): one row per step, never changed."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField("时间", auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("事项", max_length=24, choices=EventKind.choices)
    state_from = models.CharField("原状态", max_length=20, blank=True)
    state_to = models.CharField("新状态", max_length=20, blank=True)
    summary = models.CharField("摘要", max_length=300)
    payload = models.JSONField("详情", default=dict)
    ledger_index = models.BigIntegerField("账本序号", null=True)

    class Meta:
        verbose_name = "案件时间线"
        verbose_name_plural = "案件时间线"
        ordering = ["at", "id"]


class InvestigationAct(AppendOnlyModel):
    """An investigative act with its record (CAS-04…CAS-11): who acted, that credentials were
    shown and rights told, how the record was read back and confirmed."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.PROTECT, related_name="acts")
    kind = models.CharField("类别", max_length=20, choices=ActKind.choices)
    occurred_at = models.DateTimeField("时间")
    place = models.CharField("地点", max_length=200)
    officer_ids = models.JSONField("执法人员", default=list)
    credentials_shown = models.BooleanField("已出示执法证件", default=False)
    rights_told = models.BooleanField("已告知权利义务", default=False)
    interviewee = models.CharField("被询问人/在场人", max_length=100, blank=True)
    content = models.TextField("笔录内容/检查情况")
    presented_evidence_ids = models.JSONField("出示的非现场证据", default=list)
    read_mode = models.CharField("核对方式", max_length=16, choices=ReadMode.choices, blank=True)
    confirmation = models.CharField("确认方式", max_length=16, choices=Confirmation.choices, blank=True)
    refusal_note = models.CharField("拒签说明", max_length=200, blank=True)
    correction_deadline = models.DateField("整改期限", null=True, blank=True)
    document = models.ForeignKey("documents.IssuedDocument", verbose_name="文书", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "调查取证记录"
        verbose_name_plural = "调查取证记录"
        ordering = ["occurred_at", "id"]


class CaseEvidence(AppendOnlyModel):
    """Evidence put into the case file (EVI-01…EVI-07). Admissibility is read live from the
    evidence app when it matters (a decision may rest only on admissible evidence)."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.PROTECT, related_name="evidence")
    item = models.ForeignKey("evidence.EvidenceItem", verbose_name="证据", on_delete=models.PROTECT, related_name="+")
    proves = models.CharField("证明事项", max_length=300)
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="关联人", on_delete=models.PROTECT, related_name="+")
    linked_at = models.DateTimeField("关联时间", auto_now_add=True)

    class Meta:
        verbose_name = "案件证据"
        verbose_name_plural = "案件证据"
        constraints = [models.UniqueConstraint(fields=["case", "item"], name="cases_evidence_unique")]


class Proposal(AppendOnlyModel):
    """The handling body's proposal for one party at the end of investigation (CAS-14), with the
    discretion sheet (DSC-01…DSC-05). A changed proposal is a new row; the latest one counts, and a
    change after a legal review triggers a second review (AMB-06)."""

    party = models.ForeignKey(CaseParty, verbose_name="当事人", on_delete=models.PROTECT, related_name="proposals")
    kind = models.CharField("处理意见", max_length=20, choices=DecisionKind.choices)
    penalty_types = models.JSONField("处罚种类", default=list)
    fine = models.DecimalField("罚款（元）", default=0, **MONEY)
    confiscation = models.DecimalField("没收金额（元）", default=0, **MONEY)
    benchmark_code = models.CharField("裁量基准", max_length=64, blank=True)
    band_code = models.CharField("建议裁量档次", max_length=32, blank=True)
    band_min = models.DecimalField("建议幅度下限", null=True, blank=True, **MONEY)
    band_max = models.DecimalField("建议幅度上限", null=True, blank=True, **MONEY)
    scores = models.JSONField("裁量情节", default=dict)
    aggravation_reasons = models.TextField("从重/顶格理由", blank=True)
    deviation_reasons = models.TextField("偏离建议档次的理由", blank=True)
    facts = models.TextField("事理（认定的事实）")
    law = models.TextField("法理（适用的法律）")
    discretion = models.TextField("道理（裁量说明）", blank=True)
    correction_order = models.TextField("责令改正内容", blank=True, help_text="CAS-13")
    education = models.TextField("教育记录", blank=True, help_text="CLU-L04：不予处罚时须记录所作教育")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提出人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("提出时间", auto_now_add=True)

    class Meta:
        verbose_name = "处理意见"
        verbose_name_plural = "处理意见"
        ordering = ["party", "-created_at", "-id"]


class Notice(AppendOnlyModel):
    """The pre-decision notice (告知书) for one party (RTS-01), with the windows it opens."""

    party = models.ForeignKey(CaseParty, verbose_name="当事人", on_delete=models.PROTECT, related_name="notices")
    proposal = models.ForeignKey(Proposal, verbose_name="拟处理意见", on_delete=models.PROTECT, related_name="+")
    document = models.ForeignKey("documents.IssuedDocument", verbose_name="告知书", on_delete=models.PROTECT, related_name="+")
    hearing_right = models.BooleanField("告知听证权利")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="制作人", on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField("制作时间", auto_now_add=True)

    class Meta:
        verbose_name = "行政处罚告知"
        verbose_name_plural = "行政处罚告知"
        ordering = ["-issued_at", "-id"]


class Statement(AppendOnlyModel):
    """A statement or defence (陈述申辩), or an explicit waiver (RTS-02), from one party."""

    party = models.ForeignKey(CaseParty, verbose_name="当事人", on_delete=models.PROTECT, related_name="statements")
    notice = models.ForeignKey(Notice, verbose_name="告知书", on_delete=models.PROTECT, related_name="statements")
    channel = models.CharField("方式", max_length=16, choices=StatementChannel.choices)
    waiver = models.BooleanField("明确放弃陈述申辩", default=False)
    waive_hearing = models.BooleanField("明确放弃听证", default=False)
    text = models.TextField("陈述申辩内容", blank=True)
    objects_to_evidence = models.BooleanField("对非现场证据提出异议", default=False, help_text="EVI-08")
    received_at = models.DateTimeField("收到时间", auto_now_add=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提交人", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "陈述申辩"
        verbose_name_plural = "陈述申辩"
        ordering = ["received_at", "id"]


class StatementReply(AppendOnlyModel):
    """The handling body's review of a statement (RTS-03, EVI-08): adopted or not, and why."""

    statement = models.OneToOneField(Statement, verbose_name="陈述申辩", on_delete=models.PROTECT, related_name="reply")
    result = models.CharField("复核结论", max_length=16, choices=StatementReview.choices)
    reasons = models.TextField("理由")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="复核人", on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField("复核时间", auto_now_add=True)

    class Meta:
        verbose_name = "陈述申辩复核"
        verbose_name_plural = "陈述申辩复核"


class Hearing(TimeStampedModel):
    """A hearing requested by one party (HRG-03…HRG-12)."""

    party = models.ForeignKey(CaseParty, verbose_name="当事人", on_delete=models.PROTECT, related_name="hearings")
    notice = models.ForeignKey(Notice, verbose_name="告知书", on_delete=models.PROTECT, related_name="hearings")
    requested_at = models.DateTimeField("申请时间")
    agents = models.JSONField("委托代理人", default=list)
    presider = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="听证主持人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    scheduled_on = models.DateField("听证日期", null=True, blank=True)
    place = models.CharField("地点", max_length=200, blank=True)
    public = models.BooleanField("公开举行", default=True)
    closed_reason = models.CharField("不公开理由", max_length=200, blank=True)
    notice_document = models.ForeignKey("documents.IssuedDocument", verbose_name="听证通知书", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField("结果", max_length=20, choices=HearingOutcome.choices, blank=True)
    record_document = models.ForeignKey("documents.IssuedDocument", verbose_name="听证笔录", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    party_signed = models.BooleanField("当事人签字", default=False)
    refusal_note = models.CharField("拒签说明", max_length=200, blank=True)
    held_at = models.DateTimeField("举行时间", null=True, blank=True)

    class Meta:
        verbose_name = "听证"
        verbose_name_plural = "听证"


class Recusal(TimeStampedModel):
    """A recusal application against an officer (RCS-01…RCS-04), decided by the head."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.PROTECT, related_name="recusals")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="被申请回避人员", on_delete=models.PROTECT, related_name="+")
    applicant = models.CharField("申请人", max_length=200)
    reason = models.TextField("理由")
    applied_at = models.DateTimeField("申请时间")
    due_on = models.DateField("决定期限")
    granted = models.BooleanField("准予回避", null=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="决定人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)
    decision_reason = models.TextField("决定理由", blank=True)

    class Meta:
        verbose_name = "回避申请"
        verbose_name_plural = "回避申请"


class LegalReview(TimeStampedModel):
    """A legal review round (LRV-01…LRV-11): what was submitted by whom (LRV-10), the reviewer,
    the checklist item by item (LRV-04/05), the opinion. A second round follows changed facts or
    penalty (AMB-06)."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.PROTECT, related_name="reviews")
    round_no = models.PositiveIntegerField("轮次")
    triggers = models.JSONField("审核事由", default=list)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="送审人", on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField("送审时间")
    materials = models.TextField("送审材料说明")
    snapshot = models.JSONField("送审时的事实与处理意见", default=dict)
    snapshot_sha256 = models.CharField("送审快照SHA-256", max_length=64)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    items = models.JSONField("审核清单", default=dict)
    opinion = models.CharField("审核意见", max_length=8, choices=ReviewOpinion.choices, blank=True)
    opinion_text = models.TextField("审核意见书", blank=True)
    completed_at = models.DateTimeField("审核完成时间", null=True, blank=True)
    handler_agrees = models.BooleanField("承办机构同意审核意见", null=True)
    document = models.ForeignKey("documents.IssuedDocument", verbose_name="法制审核意见书", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "法制审核"
        verbose_name_plural = "法制审核"
        ordering = ["case", "round_no"]
        constraints = [models.UniqueConstraint(fields=["case", "round_no"], name="cases_review_round")]


class CommitteeDecision(AppendOnlyModel):
    """The case review committee's collective decision (LRV-09, CAS-14 集体讨论)."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.PROTECT, related_name="committee_decisions")
    review = models.ForeignKey(LegalReview, verbose_name="法制审核", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField("会议日期")
    members = models.TextField("参会人员")
    conclusion = models.CharField("结论", max_length=16, choices=CommitteeConclusion.choices)
    text = models.TextField("讨论记录与决定")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)
    document = models.ForeignKey("documents.IssuedDocument", verbose_name="集体讨论记录", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "集体讨论"
        verbose_name_plural = "集体讨论"


class Decision(AppendOnlyModel):
    """The decision for one party (CAS-14, DEC-01), with the four reasons (DSC-05)."""

    party = models.OneToOneField(CaseParty, verbose_name="当事人", on_delete=models.PROTECT, related_name="decision")
    proposal = models.ForeignKey(Proposal, verbose_name="依据的处理意见", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("决定类别", max_length=20, choices=DecisionKind.choices)
    penalty_types = models.JSONField("处罚种类", default=list)
    fine = models.DecimalField("罚款（元）", default=0, **MONEY)
    confiscation = models.DecimalField("没收金额（元）", default=0, **MONEY)
    reasoning = models.JSONField("四理说明", default=dict)
    decided_on = models.DateField("决定日期")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="决定人", on_delete=models.PROTECT, related_name="+")
    document = models.ForeignKey("documents.IssuedDocument", verbose_name="决定书", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "处理决定"
        verbose_name_plural = "处理决定"


class DecisionChange(AppendOnlyModel):
    """A decision changed, revoked, confirmed illegal or void, or ordered to be re-made after it
    was made (reconsideration, litigation or the bureau's own correction). Recording it sends
    `signals.decision_changed`, which starts the withdrawal clock of PUB-14/PUB-26."""

    decision = models.ForeignKey(Decision, verbose_name="原决定", on_delete=models.PROTECT, related_name="changes")
    kind = models.CharField("变化", max_length=20, choices=DecisionChangeKind.choices)
    authority = models.CharField("作出机关", max_length=16, choices=ChangeAuthority.choices)
    occurred_on = models.DateField("变化日期", help_text="复议决定、判决或本机关决定作出之日")
    reference = models.CharField("文书编号", max_length=100)
    reason = models.TextField("理由（将用于公开说明）")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "决定变化"
        verbose_name_plural = "决定变化"
        ordering = ["decision", "recorded_at"]


class Service(AppendOnlyModel):
    """The service (送达) of one document on one party (SRV-01…SRV-09). For electronic service the
    service date is the arrival in the designated system (SRV-03), read from the notification."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.PROTECT, related_name="services")
    party = models.ForeignKey(CaseParty, verbose_name="受送达人", on_delete=models.PROTECT, related_name="services")
    document = models.ForeignKey("documents.IssuedDocument", verbose_name="送达文书", on_delete=models.PROTECT, related_name="+")
    method = models.CharField("送达方式", max_length=16, choices=ServiceMethod.choices)
    consent = models.ForeignKey("notifications.EServiceConsent", verbose_name="送达地址确认书", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    message = models.ForeignKey("notifications.Message", verbose_name="电子送达消息", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recipient = models.CharField("签收人", max_length=100, blank=True)
    recipient_role = models.CharField("签收人身份", max_length=50, blank=True)
    witnesses = models.CharField("见证人", max_length=200, blank=True)
    av_record = models.CharField("音视频记录编号", max_length=100, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)
    served_on = models.DateField("送达日期", null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="送达人", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "送达记录"
        verbose_name_plural = "送达记录"
        ordering = ["recorded_at", "id"]


class Measure(TimeStampedModel):
    """Registration-preservation of evidence (先行登记保存, CAS-12) or sealing/seizure (查封、扣押,
    CRC-01…CRC-08): prior approval of the head (or, in an emergency, a report within 24 hours,
    CRC-02), the items, the period (CRC-06) and the handling decision within it (CRC-07, CAS-12)."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.PROTECT, related_name="measures")
    kind = models.CharField("措施", max_length=16, choices=MeasureKind.choices)
    items = models.JSONField("物品/场所清单", default=list)
    reason = models.TextField("理由")
    basis = models.CharField("依据", max_length=300)
    hazchem = models.BooleanField("涉及危险化学品", default=False, help_text="CRC-03：须经主要负责人批准")
    emergency = models.BooleanField("情况紧急当场实施", default=False)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField("申请时间")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="批准人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField("批准时间", null=True, blank=True)
    rejected = models.BooleanField("负责人不予批准", default=False)
    started_on = models.DateField("实施日期", null=True, blank=True)
    period_days = models.PositiveIntegerField("期限（日）", default=0)
    extension_days = models.PositiveIntegerField("延长（日）", default=0)
    extension_reason = models.CharField("延长理由", max_length=300, blank=True)
    due_on = models.DateField("处理期限", null=True, blank=True)
    handling = models.CharField("处理决定", max_length=16, choices=MeasureHandling.choices, blank=True)
    handled_on = models.DateField("处理日期", null=True, blank=True)
    handled_note = models.CharField("处理说明", max_length=300, blank=True)
    document = models.ForeignKey("documents.IssuedDocument", verbose_name="决定书", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "证据保存/强制措施"
        verbose_name_plural = "证据保存/强制措施"
        ordering = ["case", "requested_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.case.number}"
