"""Forms of the case pages: they only parse input; every rule is checked by the services."""
from __future__ import annotations

from django import forms

from .choices import (
    ActKind,
    CommitteeConclusion,
    Confirmation,
    DecisionKind,
    HearingOutcome,
    Origin,
    ReadMode,
    ReviewOpinion,
    ServiceMethod,
    StatementReview,
)
from .rules import penalties

DATE = forms.DateInput(attrs={"type": "date"})
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class CaseOpenForm(forms.Form):
    enterprise = forms.IntegerField(label="当事单位（企业编号）", min_value=1)
    title = forms.CharField(label="案由", max_length=300)
    facts = forms.CharField(label="涉嫌违法事实", widget=forms.Textarea(attrs={"rows": 4}))
    origin = forms.ChoiceField(label="案件来源", choices=Origin.choices)
    benchmark_code = forms.CharField(label="违法行为（裁量基准编号）", max_length=64, required=False)
    officers = forms.MultipleChoiceField(label="协办执法人员", choices=(), required=False, widget=forms.CheckboxSelectMultiple)
    dual_penalty = forms.BooleanField(label="一案双罚（同时处罚主要负责人）", required=False)

    def __init__(self, *args, officer_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officers"].choices = officer_choices


class FromClueForm(forms.Form):
    officers = forms.MultipleChoiceField(label="协办执法人员", choices=(), required=True, widget=forms.CheckboxSelectMultiple)
    dual_penalty = forms.BooleanField(label="一案双罚（同时处罚主要负责人）", required=False)

    def __init__(self, *args, officer_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officers"].choices = officer_choices


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 2}))


class EmptyForm(forms.Form):
    pass


class ActForm(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=ActKind.choices)
    occurred_at = forms.DateTimeField(label="时间", widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    place = forms.CharField(label="地点", max_length=200)
    officer_ids = forms.MultipleChoiceField(label="在场执法人员", choices=(), widget=forms.CheckboxSelectMultiple)
    interviewee = forms.CharField(label="被询问人/在场人", max_length=100, required=False)
    content = forms.CharField(label="笔录内容/检查情况", widget=forms.Textarea(attrs={"rows": 4}))
    credentials_shown = forms.BooleanField(label="已出示执法证件", required=False)
    rights_told = forms.BooleanField(label="已告知权利义务", required=False)
    read_mode = forms.ChoiceField(label="核对方式", choices=[("", "—"), *ReadMode.choices], required=False)
    confirmation = forms.ChoiceField(label="确认方式", choices=[("", "—"), *Confirmation.choices], required=False)
    refusal_note = forms.CharField(label="拒签说明", max_length=200, required=False)
    correction_deadline = forms.DateField(label="整改期限", required=False, widget=DATE)

    def __init__(self, *args, officer_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer_ids"].choices = officer_choices


class EvidenceLinkForm(forms.Form):
    item = forms.IntegerField(label="证据编号", min_value=1)
    proves = forms.CharField(label="证明事项", max_length=300)


class ProposalForm(forms.Form):
    party = forms.IntegerField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(label="处理意见", choices=DecisionKind.choices)
    penalty_types = forms.MultipleChoiceField(label="处罚种类", choices=[(t.name, t.label) for t in penalties.PenaltyType], required=False,
                                              widget=forms.CheckboxSelectMultiple)
    fine = forms.CharField(label="罚款（元）", required=False, max_length=20)
    confiscation = forms.CharField(label="没收金额（元）", required=False, max_length=20)
    benchmark_code = forms.CharField(label="裁量基准编号", required=False, max_length=64)
    RISK = forms.ChoiceField(label="安全风险", choices=[("LIGHTER", "从轻"), ("NORMAL", "一般"), ("HEAVIER", "从重")], initial="NORMAL")
    CIRCUMSTANCE_MANNER = forms.ChoiceField(label="情节与手段", choices=[("LIGHTER", "从轻"), ("NORMAL", "一般"), ("HEAVIER", "从重")], initial="NORMAL")
    CONSEQUENCE_IMPACT = forms.ChoiceField(label="危害后果与社会影响", choices=[("LIGHTER", "从轻"), ("NORMAL", "一般"), ("HEAVIER", "从重")], initial="NORMAL")
    FAULT = forms.ChoiceField(label="主观过错", choices=[("LIGHTER", "从轻"), ("NORMAL", "一般"), ("HEAVIER", "从重")], initial="NORMAL")
    CORRECTION = forms.ChoiceField(label="整改情况", choices=[("LIGHTER", "从轻"), ("NORMAL", "一般"), ("HEAVIER", "从重")], initial="NORMAL")
    COOPERATION = forms.ChoiceField(label="配合调查态度", choices=[("LIGHTER", "从轻"), ("NORMAL", "一般"), ("HEAVIER", "从重")], initial="NORMAL")
    facts = forms.CharField(label="事理（认定的事实）", widget=forms.Textarea(attrs={"rows": 3}))
    law = forms.CharField(label="法理（适用的法律）", widget=forms.Textarea(attrs={"rows": 2}))
    discretion_text = forms.CharField(label="道理（裁量说明）", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    deviation_reasons = forms.CharField(label="偏离建议档次的理由", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    aggravation_reasons = forms.CharField(label="顶格处罚理由", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    correction_order = forms.CharField(label="责令改正内容", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    education = forms.CharField(label="教育记录（不予处罚时必填）", widget=forms.Textarea(attrs={"rows": 2}), required=False)

    DIMENSIONS = ("RISK", "CIRCUMSTANCE_MANNER", "CONSEQUENCE_IMPACT", "FAULT", "CORRECTION", "COOPERATION")


class StatementForm(forms.Form):
    party = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField(label="陈述申辩内容", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    objects_to_evidence = forms.BooleanField(label="对非现场证据的真实性提出异议", required=False)
    waiver = forms.BooleanField(label="明确放弃陈述申辩", required=False)
    waive_hearing = forms.BooleanField(label="明确放弃听证", required=False)


class StatementReplyForm(forms.Form):
    statement = forms.IntegerField(widget=forms.HiddenInput)
    result = forms.ChoiceField(label="复核结论", choices=StatementReview.choices)
    reasons = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 2}))


class HearingRequestForm(forms.Form):
    party = forms.IntegerField(widget=forms.HiddenInput)
    agents = forms.CharField(label="委托代理人（每行一人，最多两人）", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class HearingScheduleForm(forms.Form):
    hearing = forms.IntegerField(widget=forms.HiddenInput)
    presider = forms.ChoiceField(label="听证主持人", choices=())
    scheduled_on = forms.DateField(label="听证日期", widget=DATE)
    place = forms.CharField(label="地点", max_length=200)
    public = forms.BooleanField(label="公开举行", required=False, initial=True)
    closed_reason = forms.CharField(label="不公开理由", max_length=200, required=False)

    def __init__(self, *args, presider_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presider"].choices = presider_choices


class HearingRecordForm(forms.Form):
    hearing = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(label="结果", choices=HearingOutcome.choices)
    summary = forms.CharField(label="听证笔录内容", widget=forms.Textarea(attrs={"rows": 4}))
    party_signed = forms.BooleanField(label="当事人已核对签字", required=False)
    refusal_note = forms.CharField(label="拒签说明", max_length=200, required=False)


class RecusalApplyForm(forms.Form):
    officer = forms.ChoiceField(label="申请回避的执法人员", choices=())
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, officer_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].choices = officer_choices


class RecusalDecideForm(forms.Form):
    recusal = forms.IntegerField(widget=forms.HiddenInput)
    granted = forms.TypedChoiceField(label="决定", choices=[("1", "准予回避"), ("0", "驳回申请")], coerce=lambda v: v == "1")
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 2}))


class ReviewSubmitForm(forms.Form):
    materials = forms.CharField(label="送审材料说明", widget=forms.Textarea(attrs={"rows": 2}))


class ReviewCompleteForm(forms.Form):
    review = forms.IntegerField(widget=forms.HiddenInput)
    opinion = forms.ChoiceField(label="审核意见", choices=ReviewOpinion.choices)
    opinion_text = forms.CharField(label="审核意见书", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in items:
            self.fields[f"item_{code}"] = forms.ChoiceField(label=label, choices=[("PASS", "通过"), ("FAIL", "不通过")])
            self.fields[f"comment_{code}"] = forms.CharField(label="说明", required=False, max_length=1000)


class ReviewRespondForm(forms.Form):
    review = forms.IntegerField(widget=forms.HiddenInput)
    agrees = forms.TypedChoiceField(label="承办机构意见", choices=[("1", "同意审核意见"), ("0", "不同意，提交案审会")], coerce=lambda v: v == "1")
    note = forms.CharField(label="说明", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class CommitteeForm(forms.Form):
    held_on = forms.DateField(label="会议日期", widget=DATE)
    members = forms.CharField(label="参会人员（逗号分隔）", max_length=2000)
    conclusion = forms.ChoiceField(label="结论", choices=CommitteeConclusion.choices)
    text = forms.CharField(label="讨论记录与决定", widget=forms.Textarea(attrs={"rows": 3}))


class DecideForm(forms.Form):
    statements_response = forms.CharField(label="情理（陈述申辩采纳情况，可留空自动汇总复核结论）", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ServeForm(forms.Form):
    party = forms.IntegerField(widget=forms.HiddenInput)
    document = forms.IntegerField(widget=forms.HiddenInput)
    method = forms.ChoiceField(label="送达方式", choices=ServiceMethod.choices)
    served_on = forms.DateField(label="送达日期（电子送达以到达日为准，无需填写）", required=False, widget=DATE)
    recipient = forms.CharField(label="签收人", max_length=100, required=False)
    recipient_role = forms.CharField(label="签收人身份", max_length=50, required=False)
    witnesses = forms.CharField(label="见证人", max_length=200, required=False)
    av_record = forms.CharField(label="音视频记录编号", max_length=100, required=False)
    channel = forms.ChoiceField(label="电子送达渠道", choices=[("", "—"), ("IN_APP", "企业端站内送达"), ("EMAIL", "电子邮件"), ("SMS", "短信")], required=False)
    address = forms.CharField(label="电子送达地址", max_length=200, required=False)


class MeasureRequestForm(forms.Form):
    kind = forms.ChoiceField(label="措施", choices=[("PRESERVATION", "先行登记保存"), ("SEAL", "查封"), ("SEIZE", "扣押")])
    items = forms.CharField(label="物品/场所清单（每行：名称,数量,存放地点）", widget=forms.Textarea(attrs={"rows": 3}))
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 2}))
    basis = forms.CharField(label="依据", max_length=300)
    period_days = forms.IntegerField(label="期限（日，查封扣押）", required=False, min_value=1, max_value=60)
    hazchem = forms.BooleanField(label="涉及危险化学品", required=False)
    emergency = forms.BooleanField(label="情况紧急，当场实施（24小时内报告负责人）", required=False)
    related_confirmed = forms.BooleanField(label="确认仅涉及与违法行为有关的场所、设施或财物，不含生活必需品", required=False)


def parse_items(text: str) -> list[dict[str, str]]:
    """One item per line: 名称,数量,存放地点 (full-width commas accepted)."""
    rows = []
    for line in (text or "").splitlines():
        parts = [p.strip() for p in line.replace("，", ",").split(",")]
        if parts and parts[0]:
            rows.append({"name": parts[0], "quantity": parts[1] if len(parts) > 1 else "", "location": parts[2] if len(parts) > 2 else ""})
    return rows


class MeasureDecisionForm(forms.Form):
    measure = forms.IntegerField(widget=forms.HiddenInput)
    approve = forms.TypedChoiceField(label="审批", choices=[("1", "批准"), ("0", "不予批准")], coerce=lambda v: v == "1")


class MeasureExtendForm(forms.Form):
    measure = forms.IntegerField(widget=forms.HiddenInput)
    days = forms.IntegerField(label="延长天数", min_value=1, max_value=60)
    reason = forms.CharField(label="延长理由", max_length=300)


class MeasureHandleForm(forms.Form):
    measure = forms.IntegerField(widget=forms.HiddenInput)
    handling = forms.ChoiceField(label="处理决定", choices=[("RELEASE", "解除（返还财物）"), ("CONFISCATE", "依法没收"), ("DESTROY", "依法销毁"), ("TRANSFER", "移送有关部门")])
    note = forms.CharField(label="说明", max_length=300, required=False)


class ExtensionForm(forms.Form):
    days = forms.IntegerField(label="延长天数", min_value=1, max_value=365)
    reason = forms.CharField(label="延长理由", max_length=1000)


class EnforcementForm(forms.Form):
    party = forms.IntegerField(widget=forms.HiddenInput)
    court = forms.CharField(label="受理法院", max_length=100)


class PartyAddForm(forms.Form):
    person = forms.ChoiceField(label="人员", choices=())
    role = forms.ChoiceField(label="身份", choices=[("PRINCIPAL", "主要负责人（一案双罚）"), ("RESPONSIBLE", "其他直接责任人员")])
    reason = forms.CharField(label="理由（依据的条款）", max_length=500)

    def __init__(self, *args, person_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = person_choices
