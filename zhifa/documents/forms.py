"""Forms of the documents pages and admin."""
from __future__ import annotations

from django import forms

from zhifa.common.errors import ZhifaError

from .choices import DocumentKind
from .models import DocumentTemplate, IssuerProfile
from .rules import validate_prefix


class DocumentFilterForm(forms.Form):
    kind = forms.ChoiceField(label="文书种类", required=False, choices=[("", "全部"), *DocumentKind.choices])
    q = forms.CharField(label="文号或当事人", required=False, max_length=100)
    ref = forms.CharField(label="关联对象", required=False, max_length=100, help_text="如 cases.Case:12")


class DocumentTemplateForm(forms.ModelForm):
    """Admin form: saving never changes this version; the service stores the edit as the next
    version, after rendering the kind's sample context with it (syntax, resources, statutory text)."""

    class Meta:
        model = DocumentTemplate
        fields = ["kind", "title", "body", "note"]
        widgets = {"body": forms.Textarea(attrs={"rows": 40, "cols": 140, "spellcheck": "false", "class": "vLargeTextField"})}

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind") or getattr(self.instance, "kind", None)
        body = cleaned.get("body")
        if kind and body:
            from .services import document_template_check

            try:
                document_template_check(kind, body)
            except ZhifaError as err:
                raise forms.ValidationError(f"{err.message}（{err.code_value}）") from err
        return cleaned

    def validate_unique(self):
        # The row saved is a new version (services.document_template_create_version); the
        # instance edited here is never written, so its own uniqueness is not in question.
        return None


class IssuerProfileForm(forms.ModelForm):
    class Meta:
        model = IssuerProfile
        fields = ["organisation", "doc_prefix", "header_name", "seal_name", "footer"]

    def clean_doc_prefix(self):
        try:
            return validate_prefix(self.cleaned_data.get("doc_prefix", ""))
        except ZhifaError as err:
            raise forms.ValidationError(err.message) from err
