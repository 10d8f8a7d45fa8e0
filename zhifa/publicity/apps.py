"""Publicity (行政执法公示): what must be published, when, for how long; the public portal."""
from django.apps import AppConfig

APPEND_ONLY_TABLES = ("publicity_publicationrevision", "publicity_updateevent")


class PublicityConfig(AppConfig):
    name = "zhifa.publicity"
    label = "publicity"
    verbose_name = "执法公示"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from zhifa.cases import signals
        from zhifa.ledger import dbguard

        dbguard.register_tables(APPEND_ONLY_TABLES)
        signals.decision_made.connect(_on_decision_made, dispatch_uid="publicity.decision_made")
        signals.decision_changed.connect(_on_decision_changed, dispatch_uid="publicity.decision_changed")
        signals.coercion_decided.connect(_on_coercion_decided, dispatch_uid="publicity.coercion_decided")


# The receivers run inside the case's transaction: the duty is created with the decision or not at all.
def _on_decision_made(sender, decision, actor=None, **kwargs) -> None:
    from .services import on_decision_made

    on_decision_made(decision, actor)


def _on_decision_changed(sender, change, actor=None, **kwargs) -> None:
    from .services import on_decision_changed

    on_decision_changed(change, actor)


def _on_coercion_decided(sender, measure, actor=None, **kwargs) -> None:
    from .services import on_coercion_decided

    on_coercion_decided(measure, actor)
