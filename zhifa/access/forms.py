"""Forms of the access pages (parsing only; the services check every rule)."""
from __future__ import annotations

from django import forms
from django.utils import timezone

from . import clock, objects, rules
from .choices import DecisionOutcome, ObjectType

DATETIME_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


def _datetime_field(label: str, help_text: str = "") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        input_formats=DATETIME_INPUT_FORMATS,
        help_text=help_text,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


def default_window() -> tuple:
    """Now (to the minute, local time) and DEFAULT_WINDOW later."""
    start = timezone.localtime(clock.now()).replace(second=0, microsecond=0)
    return start, start + rules.DEFAULT_WINDOW


class AccessRequestForm(forms.Form):
    """A new request. The objects come as repeated `obj=<kind>:<id>` values (pre-filled from the
    page the user came from) plus one optional extra object typed in."""

    purpose = forms.CharField(
        label="调阅用途",
        max_length=rules.PURPOSE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=f"写明为何需要查看（至少{rules.PURPOSE_MIN_LENGTH}个字），将记入账本（SEC-01、SEC-02）",
    )
    case_reference = forms.CharField(label="案件/检查编号", max_length=rules.CASE_REFERENCE_MAX_LENGTH, help_text="例如：沪普应急罚〔2026〕12号")
    starts_at = _datetime_field("调阅开始时间")
    ends_at = _datetime_field("调阅结束时间", f"最长{rules.MAX_WINDOW.days}天；到期后不能再查看（REC-17）")
    extra_object_type = forms.ChoiceField(label="另加调阅对象：类型", required=False)
    extra_object_id = forms.IntegerField(label="另加调阅对象：编号", required=False, min_value=1, max_value=objects.MAX_OBJECT_ID)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["extra_object_type"].choices = [("", "（不另加）")] + [(k, ObjectType(k).label) for k in objects.enabled_kinds()]

    def selected_refs(self) -> list[objects.ObjectRef]:
        """The pre-filled objects the user kept ticked (malformed values are dropped)."""
        values = self.data.getlist("obj") if hasattr(self.data, "getlist") else []
        refs = [objects.parse_ref(v) for v in values]
        return [r for r in refs if r is not None]

    def clean(self):
        cleaned = super().clean()
        kind, number = cleaned.get("extra_object_type"), cleaned.get("extra_object_id")
        if bool(kind) != bool(number):
            self.add_error("extra_object_id" if kind else "extra_object_type", "另加调阅对象须同时选择类型并填写编号")
        refs = self.selected_refs()
        if kind and number:
            refs.append(objects.ObjectRef(kind, number))
        if not refs and not self.errors:
            raise forms.ValidationError("请至少选择一个调阅对象")
        cleaned["refs"] = refs
        return cleaned


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label="审批结论", choices=[(DecisionOutcome.APPROVED, "批准"), (DecisionOutcome.REFUSED, "不予批准")], widget=forms.RadioSelect
    )
    reason = forms.CharField(label="理由", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}), help_text="不予批准时必填")


class WithdrawForm(forms.Form):
    reason = forms.CharField(label="撤回说明", required=False, max_length=2000)


def initial_window() -> dict:
    start, end = default_window()
    return {"starts_at": start, "ends_at": end}

