"""Forms of the clue pages: they parse input only; every rule is checked again by the services."""
from __future__ import annotations

import uuid

from django import forms

from zhifa.accounts.choices import OrgKind
from zhifa.accounts.models import Organisation

from .choices import Category, ClueStatus, Severity, TriggerKind
from .selectors import DEADLINE_FILTERS

MAX_ANSWER_FILES = 5


def _blank(choices) -> list[tuple[str, str]]:
    return [("", "全部"), *choices]


class ClueFilterForm(forms.Form):
    q = forms.CharField(label="关键词", required=False, max_length=100, help_text="线索摘要、企业名称或统一社会信用代码开头")
    scenario = forms.ChoiceField(label="检测场景/触发", required=False)
    organisation = forms.ModelChoiceField(label="区/机构", required=False, queryset=Organisation.objects.none(), empty_label="全部")
    status = forms.ChoiceField(label="状态", required=False, choices=_blank(ClueStatus.choices))
    severity = forms.ChoiceField(label="严重程度", required=False, choices=_blank(Severity.choices))
    category = forms.ChoiceField(label="分类", required=False, choices=_blank(Category.choices))
    deadline = forms.ChoiceField(label="期限", required=False, choices=_blank(list(DEADLINE_FILTERS.items())))

    def __init__(self, *args, scenarios=(), organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scenario"].choices = _blank([(code, f"{code} {title}".strip()) for code, title in scenarios])
        if organisations is not None:
            self.fields["organisation"].queryset = organisations.filter(kind__in=[OrgKind.CITY, OrgKind.DISTRICT, OrgKind.TOWN, OrgKind.PARK]).order_by("path")


class ReminderSendForm(forms.Form):
    text = forms.CharField(label="提醒内容", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4}),
                           help_text="留空则按线索事实、违反的规定和改正期限自动生成")


class ReminderVerifyForm(forms.Form):
    reminder = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1)
    corrected = forms.TypedChoiceField(label="核实结论", choices=[("yes", "已在期限内改正"), ("no", "未改正")], coerce=lambda v: v == "yes",
                                       widget=forms.RadioSelect)
    note = forms.CharField(label="核实意见", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    education = forms.CharField(label="教育记录（CLU-L04）", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
                                help_text="不予处罚的，须记录对当事人进行教育的内容")


class TransferForm(forms.Form):
    facts_summary = forms.CharField(label="移交事实", max_length=10000, widget=forms.Textarea(attrs={"rows": 4}),
                                    help_text="写明违法事实；数据快照和企业答复附件作为证据一并移交（CLU-X02）")
    note = forms.CharField(label="备注", required=False, max_length=500)


class JudicialTransferForm(forms.Form):
    facts_summary = forms.CharField(label="涉嫌犯罪事实", max_length=10000, widget=forms.Textarea(attrs={"rows": 4}))
    to_body = forms.CharField(label="接收的司法机关", max_length=100, help_text="如：上海市公安局普陀分局")


class MajorHazardForm(forms.Form):
    graded_on = forms.DateField(label="认定日期", required=False, widget=forms.DateInput(attrs={"type": "date"}), help_text="留空为今天；移交期限自该日起算")
    note = forms.CharField(label="认定依据", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class DismissForm(forms.Form):
    reason = forms.CharField(label="排除理由", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern for `multiple`)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            files = [single(d, initial) for d in data if d]
        else:
            files = [single(data, initial)] if data else []
        if len(files) > MAX_ANSWER_FILES:
            raise forms.ValidationError(f"一次最多上传 {MAX_ANSWER_FILES} 个附件")
        return files


class AnswerForm(forms.Form):
    text = forms.CharField(label="改正情况说明", max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    files = MultipleFileField(label="证明材料", required=False, help_text="如换发的许可证、整改照片（PDF、图片等，可多选）")


def _new_ref() -> str:
    return uuid.uuid4().hex


class TriggerForm(forms.Form):
    kind = forms.ChoiceField(label="触发类型", choices=[(k, v) for k, v in TriggerKind.choices if k != TriggerKind.COMPLAINT])
    source = forms.CharField(label="来源系统/渠道", max_length=64, initial="人工登记")
    external_ref = forms.CharField(label="来源编号", max_length=100, help_text="同一来源内唯一；重复提交同一编号只登记一次")
    uscc = forms.CharField(label="企业统一社会信用代码", max_length=32)
    occurred_at = forms.DateTimeField(label="发生时间", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
                                      input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"])
    summary = forms.CharField(label="摘要", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("external_ref", f"MAN-{_new_ref()[:12].upper()}")


class ComplaintForm(forms.Form):
    external_ref = forms.CharField(widget=forms.HiddenInput, max_length=100)
    uscc = forms.CharField(label="被举报企业统一社会信用代码", required=False, max_length=32, help_text="不清楚可留空；主体库中有该企业时自动生成线索")
    content = forms.CharField(label="举报内容", max_length=10000, widget=forms.Textarea(attrs={"rows": 4}))
    complainant_name = forms.CharField(label="举报人", required=False, max_length=50)
    complainant_phone = forms.CharField(label="举报人电话", required=False, max_length=20)
    anonymous = forms.BooleanField(label="匿名举报", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("external_ref", f"JB-{_new_ref()[:16].upper()}")


class ComplaintVerifyForm(forms.Form):
    report = forms.CharField(label="书面核查报告", max_length=20000, widget=forms.Textarea(attrs={"rows": 5}))
    substantiated = forms.TypedChoiceField(label="核查结论", choices=[("yes", "举报属实"), ("no", "举报不属实")], coerce=lambda v: v == "yes", widget=forms.RadioSelect)
    needs_rectification = forms.BooleanField(label="需要整改（须负责人签批）", required=False)


class ComplaintTransferOutForm(forms.Form):
    transferred_to = forms.CharField(label="移送的主管部门", max_length=100)
    note = forms.CharField(label="说明", required=False, max_length=2000)


class NoteForm(forms.Form):
    note = forms.CharField(label="说明", required=False, max_length=2000)


class StatsFilterForm(forms.Form):
    date_from = forms.DateField(label="发现日期自", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="至", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError("起始日期不能晚于截止日期")
        return data
