from django.apps import AppConfig


class CommonConfig(AppConfig):
    """Bottom layer: base model, error codes, working days, masking, identifiers."""

    name = "zhifa.common"
    label = "common"
    verbose_name = "基础"
