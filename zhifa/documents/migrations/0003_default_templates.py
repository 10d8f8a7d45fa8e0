"""Install the shipped default template of every document kind as version 1.

Reads templates/documents/pdf/kinds/<kind>.html through zhifa.documents.defaults (shared with
the `load_document_templates` command). Reversing removes nothing: template versions may be
referenced by issued documents.
"""
from django.db import migrations


def install(apps, schema_editor):
    from zhifa.documents.defaults import install_default_templates

    install_default_templates(apps.get_model("documents", "DocumentTemplate"))


class Migration(migrations.Migration):

    dependencies = [
        ("documents", "0002_append_only_triggers"),
    ]

    operations = [
        migrations.RunPython(install, migrations.RunPython.noop),
    ]
