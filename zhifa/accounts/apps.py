from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Users, roles, the organisation tree and officers' enforcement credentials."""

    name = "zhifa.accounts"
    label = "accounts"
    verbose_name = "账户与机构"
