"""Fixtures of the rulesets tests: small synthetic packs for strategy examples (see helpers.py);
`loaded_rulesets` (the shipped packs in the database) is in the root conftest."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from zhifa.rulesets.packs import PACKS_DIR


@pytest.fixture
def pack_dir(tmp_path) -> Path:
    """A writable copy of the shipped pack directory."""
    target = tmp_path / "packs"
    shutil.copytree(PACKS_DIR, target)
    return target
