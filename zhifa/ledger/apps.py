from django.apps import AppConfig


class LedgerConfig(AppConfig):
    """Append-only, tamper-evident log of every service write (RFC 9162 Merkle tree)."""

    name = "zhifa.ledger"
    label = "ledger"
    verbose_name = "防篡改账本"
