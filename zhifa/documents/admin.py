"""Admin of the documents app.

- Templates: saving an edit creates the next version through the service (the edited version is
  never changed, so every issued document keeps its exact template); a version can be previewed
  as a PDF with the kind's sample data and made the active one.
- Issuer settings (number prefix, header name, seal text) are saved through the service.
- Issued documents and number sequences are read-only here.
"""
from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html

from zhifa.common.errors import ZhifaError

from . import services
from .forms import DocumentTemplateForm, IssuerProfileForm
from .models import DocumentTemplate, IssuedDocument, IssuerProfile, NumberSequence
from .samples import sample_context


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(admin.ModelAdmin):
    form = DocumentTemplateForm
    list_display = ["kind", "version", "title", "active", "created_by", "created_at", "note"]
    list_filter = ["kind", "active"]
    ordering = ["kind", "-version"]
    actions = ["activate_selected", "preview_selected"]
    readonly_fields = ["version", "active", "created_by", "created_at", "preview_link"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return ["kind", *self.readonly_fields]
        return self.readonly_fields

    def get_fields(self, request, obj=None):
        fields = ["kind", "title", "body", "note"]
        if obj is not None:
            fields = [*fields, "version", "active", "created_by", "created_at", "preview_link"]
        return fields

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="预览")
    def preview_link(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        url = reverse("admin:documents_documenttemplate_preview", args=[obj.pk])
        return format_html('<a href="{}" target="_blank" rel="noopener">用样例数据预览本版本（PDF）</a>', url)

    def get_urls(self):
        custom = [path("<int:pk>/preview/", self.admin_site.admin_view(self.preview_view), name="documents_documenttemplate_preview")]
        return custom + super().get_urls()

    def preview_view(self, request, pk: int):
        template = get_object_or_404(DocumentTemplate, pk=pk)
        try:
            pdf = services.document_render_preview(template.kind, sample_context(template.kind), body=template.body)
        except ZhifaError as err:
            return HttpResponse(f"无法预览：{err.message}", status=err.status, content_type="text/plain; charset=utf-8")
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="preview-{template.kind.lower()}-v{template.version}.pdf"'
        response["X-Content-Type-Options"] = "nosniff"
        return response

    def save_model(self, request, obj, form, change):
        # Never write `obj`: the edit becomes the next version (services).
        created = services.document_template_create_version(
            kind=form.cleaned_data.get("kind") or obj.kind,
            title=form.cleaned_data["title"],
            body=form.cleaned_data["body"],
            note=form.cleaned_data.get("note", ""),
            actor=request.user,
        )
        obj.pk = created.pk
        obj.version = created.version
        obj.active = created.active
        obj._state.adding = False
        messages.info(request, f"已保存为{created}；原版本保持不变。")

    def save_related(self, request, form, formsets, change):
        return None

    @admin.action(description="启用所选版本（新出具的文书使用该版本）")
    def activate_selected(self, request, queryset):
        for template in queryset.order_by("kind", "-version"):
            services.document_template_activate(template=template, actor=request.user)
        messages.success(request, "已启用所选版本")

    @admin.action(description="预览所选版本（样例数据，PDF）")
    def preview_selected(self, request, queryset):
        template = queryset.order_by("kind", "-version").first()
        if template is None:
            return None
        return self.preview_view(request, template.pk)


@admin.register(IssuerProfile)
class IssuerProfileAdmin(admin.ModelAdmin):
    form = IssuerProfileForm
    list_display = ["organisation", "doc_prefix", "header_name", "seal_name"]
    search_fields = ["organisation__name", "doc_prefix", "header_name"]

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return ["organisation"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        profile = services.issuer_profile_save(
            organisation=form.cleaned_data.get("organisation") or obj.organisation,
            doc_prefix=form.cleaned_data["doc_prefix"],
            header_name=form.cleaned_data["header_name"],
            seal_name=form.cleaned_data.get("seal_name", ""),
            footer=form.cleaned_data.get("footer", ""),
            actor=request.user,
        )
        obj.pk = profile.pk
        obj._state.adding = False


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(ReadOnlyAdmin):
    list_display = ["number", "kind", "organisation", "ref", "issued_by", "issued_at", "pdf_link"]
    list_filter = ["kind", "year"]
    search_fields = ["number", "ref", "sha256"]
    list_select_related = ["organisation", "issued_by"]

    @admin.display(description="PDF")
    def pdf_link(self, obj):
        return format_html('<a href="{}">下载</a>', reverse("documents:pdf", args=[obj.pk]))


@admin.register(NumberSequence)
class NumberSequenceAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "year", "kind", "last_serial"]
    list_filter = ["year", "kind"]
