"""`manage.py load_document_templates [--update]`: install the shipped document templates.

Without --update, only kinds that have no template get version 1 (the data migration does the
same). With --update, every kind whose active version differs from the shipped source gets a
new active version; older versions (and the documents issued from them) are untouched.
"""
from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from zhifa.documents import defaults
from zhifa.documents.models import DocumentTemplate
from zhifa.documents.services import log_template_version


class Command(BaseCommand):
    help = "安装系统默认的执法文书模板（--update：默认模板有更新时生成新版本）"

    def add_arguments(self, parser):
        parser.add_argument("--update", action="store_true", help="默认模板与当前版本不同时，生成新的当前版本")

    def handle(self, *args, update=False, **options):
        with transaction.atomic():
            created = defaults.install_default_templates(DocumentTemplate, update=update)
            for row in created:
                log_template_version(actor=None, template=row, action="documents.template.install")
        for row in created:
            self.stdout.write(f"已安装：{row}")
        self.stdout.write(self.style.SUCCESS(f"完成：新增 {len(created)} 个模板版本。"))
