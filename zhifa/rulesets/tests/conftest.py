"""Fixtures of the rulesets tests: the shipped packs loaded into the database, and small synthetic
packs for strategy examples (see helpers.py)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from zhifa.rulesets.packs import PACKS_DIR


@pytest.fixture
def loaded_rulesets(db):
    """Load the shipped packs through the service (each test loads its own; no ordering dependence)."""
    from zhifa.rulesets.selectors import clear_rulebook_cache
    from zhifa.rulesets.services import ruleset_load_packs

    clear_rulebook_cache()
    report = ruleset_load_packs()
    yield report
    clear_rulebook_cache()


@pytest.fixture
def pack_dir(tmp_path) -> Path:
    """A writable copy of the shipped pack directory."""
    target = tmp_path / "packs"
    shutil.copytree(PACKS_DIR, target)
    return target
