"""Every model change has its migration (a missing one would surface only on a fresh database)."""
from __future__ import annotations

import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_migrations__no_model_change_lacks_a_migration():
    out = io.StringIO()
    # makemigrations --check exits with status 1 (SystemExit) when a migration is missing
    call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    assert "No changes detected" in out.getvalue()
