"""Seed the storage incompatibility table (CLU-S09) from zhifa.subjects.reference.incompatibility.

The data lives in that module (documented there, including what is unverified); this migration
only loads it. Reversing removes the rows it would create.
"""
from django.db import migrations


def seed(apps, schema_editor):
    from zhifa.subjects.reference.incompatibility import incompatibility_rows_ensure

    incompatibility_rows_ensure(apps.get_model("subjects", "HazardClassIncompatibility"))


def unseed(apps, schema_editor):
    from zhifa.subjects.reference.incompatibility import INCOMPATIBLE_CLASS_PAIRS

    model = apps.get_model("subjects", "HazardClassIncompatibility")
    for class_a, class_b, _ in INCOMPATIBLE_CLASS_PAIRS:
        model.objects.filter(class_a=class_a, class_b=class_b).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("subjects", "0003_chemical_products_and_storage"),
    ]

    operations = [
        migrations.RunPython(seed, unseed),
    ]
