"""Forms of the payments pages: they only parse input; the services validate the rules."""
from __future__ import annotations

from django import forms

from .choices import Channel, PauseKind

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_ERRORS = {"invalid": "请输入有效日期（YYYY-MM-DD）", "required": "请填写日期"}


def _date_field(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DATE_WIDGET, input_formats=["%Y-%m-%d"], error_messages=DATE_ERRORS, help_text=help_text)


class NoticeFilterForm(forms.Form):
    q = forms.CharField(label="检索", required=False, max_length=100, help_text="缴款码、缴款人、决定书文号或关联对象")


class PauseForm(forms.Form):
    """PAY-07: a reconsideration or litigation period."""

    kind = forms.ChoiceField(label="原因", choices=PauseKind.choices, widget=forms.RadioSelect)
    start = _date_field("起始日期", help_text="申请复议或提起诉讼之日")
    end = _date_field("结束日期", required=False, help_text="尚未结束的可不填，结束后再记录")
    note = forms.CharField(label="说明", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class ResumeForm(forms.Form):
    end = _date_field("结束日期", help_text="复议决定或判决生效之日")
    note = forms.CharField(label="说明", required=False, max_length=500)


class ReminderForm(forms.Form):
    """PAY-08: the written reminder (催告书) served."""

    served_on = _date_field("催告书送达日期")
    document_number = forms.CharField(label="催告书文号", required=False, max_length=100)


class DeferralForm(forms.Form):
    """PAY-05: a supervisor's approval of deferral or instalments."""

    applied_on = _date_field("当事人申请日期")
    new_due_on = _date_field("批准的缴款期限", help_text="延期的截止日；分期的为最后一期日期")
    reason = forms.CharField(label="批准理由（经济困难情况）", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    instalments = forms.CharField(
        label="分期计划（可选）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "2026-07-01 500.00\n2026-08-01 500.00"}),
        help_text="每行一期：日期 金额；只延期不分期的留空",
    )

    def clean_instalments(self) -> list[list[str]]:
        rows = []
        for number, line in enumerate((self.cleaned_data.get("instalments") or "").splitlines(), start=1):
            parts = line.replace("，", " ").replace(",", " ").split()
            if not parts:
                continue
            if len(parts) != 2:
                raise forms.ValidationError(f"第 {number} 行格式不正确，应为「日期 金额」，如 2026-07-01 500.00")
            rows.append(parts)
        return rows


class CancelForm(forms.Form):
    reason = forms.CharField(label="撤销原因", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class SimPayForm(forms.Form):
    """The simulated platform's payment form (platform side)."""

    channel = forms.ChoiceField(
        label="缴款方式",
        choices=[(Channel.ONLINE_BANK.value, "网银"), (Channel.E_PAY.value, "电子支付"), (Channel.BANK.value, "银行柜台")],
        widget=forms.RadioSelect,
        error_messages={"required": "请选择缴款方式", "invalid_choice": "请选择缴款方式：网银、电子支付或银行柜台"},
    )
    amount = forms.CharField(label="缴款金额（元）", required=False, max_length=20, help_text="默认为今日应缴全额；模拟部分缴款时可改小")
