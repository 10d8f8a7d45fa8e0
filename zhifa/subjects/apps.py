from django.apps import AppConfig


class SubjectsConfig(AppConfig):
    """Register of regulated enterprises, licences, filings and activity (SUB-01…SUB-17)."""

    name = "zhifa.subjects"
    label = "subjects"
    verbose_name = "监管对象"
