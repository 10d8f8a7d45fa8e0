"""docs/rulesets.md lists every parameter of the packs (generated table must be current)."""
from __future__ import annotations

from zhifa.rulesets.doc_table import DOC_PATH, current_doc_table, render
from zhifa.rulesets.packs import read_pack_dir


def test_jur_01__documented_parameter_table_matches_the_packs():
    # given the committed documentation / when the table is regenerated from the packs
    generated = render()
    # then they are identical (run `python -m zhifa.rulesets.doc_table --write` after changing a pack)
    assert current_doc_table(DOC_PATH.read_text(encoding="utf-8")) == generated
    for pack in read_pack_dir():
        for entry in pack.entries:
            assert f"`{entry.key}`" in generated
