"""Forms of the evidence pages (parsing only; rules are checked by the services)."""
from __future__ import annotations

from django import forms

from zhifa.accounts.choices import Role
from zhifa.common.timeutil import today
from zhifa.subjects.models import Enterprise
from zhifa.subjects.selectors import enterprises_visible_to

from .choices import AdmissibilityStatus, CopyMethod, EvidenceKind, EvidenceSource, LinkTarget, ReviewCriterion, ReviewResult
from .rules import allowed_sources
from .sniffing import ACCEPTED_EXTENSIONS

DATETIME_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
ACCEPT_ATTR = ",".join(f".{ext}" for ext in ACCEPTED_EXTENSIONS)


def _blank(label: str, choices) -> list[tuple[str, str]]:
    return [("", label), *choices]


class EvidenceFilterForm(forms.Form):
    kind = forms.ChoiceField(label="证据种类", required=False, choices=_blank("全部", EvidenceKind.choices))
    source = forms.ChoiceField(label="来源", required=False, choices=_blank("全部", EvidenceSource.choices))
    review_status = forms.ChoiceField(label="审核状态", required=False, choices=_blank("全部", AdmissibilityStatus.choices))
    enterprise = forms.CharField(label="企业（统一社会信用代码）", required=False, max_length=18)
    q = forms.CharField(label="名称或哈希", required=False, max_length=100)
    all_versions = forms.BooleanField(label="包含已更正的旧版本", required=False)


class EvidenceMetadataForm(forms.Form):
    """EVI-03/EVI-04 metadata shared by the upload and correction forms."""

    kind = forms.ChoiceField(label="证据种类", choices=EvidenceKind.choices)
    title = forms.CharField(label="证据名称", max_length=200)
    description = forms.CharField(label="证据说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    production_method = forms.CharField(label="制作方法", max_length=200, help_text="例如：现场拍摄、设备自动抓取、调取复制（EVI-03）")
    produced_at = forms.DateTimeField(
        label="制作时间", input_formats=DATETIME_INPUT_FORMATS, widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    producer = forms.CharField(label="制作人", max_length=100)
    object_proven = forms.CharField(label="证明对象", widget=forms.Textarea(attrs={"rows": 2}), help_text="该证据拟证明的事实（EVI-03）")
    is_original_carrier = forms.BooleanField(label="原始载体", required=False, initial=True, help_text="提取原始载体确有困难的，取消勾选并注明复制/固定方式（EVI-04）")
    copy_method = forms.ChoiceField(label="复制/固定方式", required=False, choices=_blank("（原始载体无需填写）", CopyMethod.choices))


class EvidenceUploadForm(EvidenceMetadataForm):
    file = forms.FileField(label="证据文件", widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTR}))
    source = forms.ChoiceField(label="来源", choices=EvidenceSource.choices)
    enterprise = forms.CharField(label="涉及企业（统一社会信用代码）", required=False, max_length=18)

    field_order = ["file", "kind", "title", "source", "enterprise"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        contact = user is not None and user.role == Role.ENTERPRISE_CONTACT
        allowed = allowed_sources(is_enterprise_contact=contact)
        self.fields["source"].choices = [c for c in EvidenceSource.choices if c[0] in allowed]
        if contact:
            day = today()
            mine = Enterprise.objects.filter(contact_authorisations__user=user, contact_authorisations__valid_from__lte=day, contact_authorisations__valid_to__gte=day)
            self.fields["enterprise"] = forms.ChoiceField(label="所属企业", choices=[(e.uscc, f"{e.name}（{e.uscc}）") for e in mine.order_by("name")])
            self.fields["source"].initial = EvidenceSource.ENTERPRISE_UPLOAD
        elif user is not None and not self.is_bound:
            self.fields["producer"].initial = str(user)

    def clean_enterprise(self) -> Enterprise | None:
        uscc = (self.cleaned_data.get("enterprise") or "").strip().upper()
        if not uscc:
            return None
        if self.user is not None and self.user.role == Role.ENTERPRISE_CONTACT:
            found = Enterprise.objects.filter(uscc=uscc).first()
        else:
            found = enterprises_visible_to(self.user).filter(uscc=uscc).first() if self.user is not None else None
        if found is None:
            raise forms.ValidationError("未找到该统一社会信用代码对应的企业，或该企业不在您的管辖范围内")
        return found


class EvidenceCorrectionForm(EvidenceMetadataForm):
    file = forms.FileField(label="更正后的文件（不更换文件可不选）", required=False, widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTR}))
    reason = forms.CharField(label="更正理由", widget=forms.Textarea(attrs={"rows": 2}), help_text="更正不会修改原记录，而是生成新版本（EVI-09）")

    field_order = ["reason", "file"]


_RESULT_CHOICES = [(ReviewResult.PASS.value, "符合"), (ReviewResult.FAIL.value, "不符合")]


class EvidenceReviewForm(forms.Form):
    """EVI-06: one pass/fail decision and an optional reason per criterion (required if failed)."""

    opinion = forms.CharField(label="审核意见", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for criterion in ReviewCriterion:
            key = criterion.value.lower()
            self.fields[f"{key}_result"] = forms.ChoiceField(label=criterion.label, choices=_RESULT_CHOICES, widget=forms.RadioSelect)
            self.fields[f"{key}_reason"] = forms.CharField(label=f"{criterion.label}：理由", required=False, max_length=1000)
        self.order_fields([*(f"{c.value.lower()}_{p}" for c in ReviewCriterion for p in ("result", "reason")), "opinion"])

    def criterion_rows(self):
        return [(c.label, self[f"{c.value.lower()}_result"], self[f"{c.value.lower()}_reason"]) for c in ReviewCriterion]

    def criteria(self) -> dict[str, bool]:
        return {c.value: self.cleaned_data[f"{c.value.lower()}_result"] == ReviewResult.PASS for c in ReviewCriterion}

    def reasons(self) -> dict[str, str]:
        return {c.value: self.cleaned_data.get(f"{c.value.lower()}_reason", "") for c in ReviewCriterion}


class EvidenceLinkForm(forms.Form):
    object_type = forms.ChoiceField(label="关联对象类型", choices=LinkTarget.choices)
    object_id = forms.CharField(label="对象编号", max_length=64)
    note = forms.CharField(label="说明", required=False, max_length=200)
