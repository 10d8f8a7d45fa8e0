from django.apps import AppConfig


class RulesetsConfig(AppConfig):
    """Versioned, date-effective parameter sets per jurisdiction (JUR-01…JUR-05, RULES §12)."""

    name = "zhifa.rulesets"
    label = "rulesets"
    verbose_name = "规则集"
