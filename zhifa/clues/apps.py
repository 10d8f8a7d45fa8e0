"""Clue detection (线索发现): scenario rule packs, detection runs, triggers, triage and transfers."""
from django.apps import AppConfig

# Timelines and run records are append-only (REC-16); migration 0002 installs the triggers.
APPEND_ONLY_TABLES = ("clues_clueevent",)


class CluesConfig(AppConfig):
    name = "zhifa.clues"
    label = "clues"
    verbose_name = "线索"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from zhifa.ledger import dbguard

        from . import sqlfuncs

        dbguard.register_tables(APPEND_ONLY_TABLES)
        sqlfuncs.connect_signal()
