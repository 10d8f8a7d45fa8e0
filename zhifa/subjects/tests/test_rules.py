"""Pure rules of the subject register (zhifa.subjects.rules) and the incompatibility reference data.

No database: CLU-S09 storage-zone defects, the latest-snapshot selection, CLU-S05 product
defects, and the shape of the seeded incompatibility table.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhifa.subjects.choices import ChemicalRole
from zhifa.subjects.reference.incompatibility import (
    HAZARD_CLASSES,
    INCOMPATIBLE_CLASS_PAIRS,
    SOURCE,
    canonical_pair,
    incompatible_pair_set,
)
from zhifa.subjects.rules import (
    STORAGE_DEFECT_ORDER,
    Stock,
    chemical_product_defects,
    incompatible_classes_present,
    latest_snapshot,
    storage_zone_defects,
)

PAIRS = incompatible_pair_set()
TOLUENE = Stock("108-88-3", "3", Decimal("10"))
ACETONE = Stock("67-64-1", "3", Decimal("5"))
PHENOL = Stock("108-95-2", "6.1", Decimal("2"))
H2O2 = Stock("7722-84-1", "5.1", Decimal("1"))
PERMITTED = {"108-88-3", "67-64-1", "108-95-2", "7722-84-1"}


def defects(allowed=("3",), max_qty="20", items=(TOLUENE, ACETONE), permitted=PERMITTED, pairs=PAIRS):
    return storage_zone_defects(allowed, Decimal(max_qty), list(items), permitted, pairs)


# --- CLU-S09 ---------------------------------------------------------------------------------------

def test_clu_s09__clean_zone_has_no_defect():
    # Given a flammable-liquids zone holding two permitted class-3 liquids below its maximum
    # When checking / Then nothing is found
    assert defects() == []


def test_clu_s09__empty_zone_has_no_defect():
    assert defects(items=()) == []


def test_clu_s09__class_not_allowed():
    # Given a class-3 zone that also holds a toxic (6.1) substance
    # When checking / Then only CLASS_NOT_ALLOWED (3 and 6.1 are not an incompatible pair)
    assert defects(items=(TOLUENE, PHENOL)) == ["CLASS_NOT_ALLOWED"]


def test_clu_s09__over_quantity_but_exactly_the_maximum_is_allowed():
    # Given a zone of 15 t holding 10 t + 5 t / Then at the maximum nothing is found
    assert defects(max_qty="15") == []
    # When the maximum is 14.999 t / Then the zone is over quantity
    assert defects(max_qty="14.999") == ["OVER_QUANTITY"]


def test_clu_s09__over_quantity_accepts_plain_numbers():
    # Given quantities and the maximum as int/float/str (e.g. read from a spreadsheet)
    items = [Stock("108-88-3", "3", 7), Stock("67-64-1", "3", "0.5")]
    assert storage_zone_defects({"3"}, 7.5, items, PERMITTED, PAIRS) == []
    assert storage_zone_defects({"3"}, "7.499", items, PERMITTED, PAIRS) == ["OVER_QUANTITY"]


def test_clu_s09__not_permitted_variety():
    # Given toluene is not among the enterprise's permitted varieties
    assert defects(permitted=PERMITTED - {"108-88-3"}) == ["NOT_PERMITTED_VARIETY"]


def test_clu_s09__item_without_cas_cannot_be_shown_permitted():
    assert defects(items=(Stock("", "3", Decimal(1)),)) == ["NOT_PERMITTED_VARIETY"]


def test_clu_s09__incompatible_mix_in_either_order():
    # Given a mixed zone allowed for 3 and 5.1 holding toluene and hydrogen peroxide
    # When checking with the pair given as (3, 5.1) or (5.1, 3) / Then INCOMPATIBLE_MIX
    assert defects(allowed=("3", "5.1"), items=(TOLUENE, H2O2)) == ["INCOMPATIBLE_MIX"]
    assert defects(allowed=("3", "5.1"), items=(TOLUENE, H2O2), pairs=[("5.1", "3")]) == ["INCOMPATIBLE_MIX"]


def test_clu_s09__compatible_mix_is_not_a_defect():
    # Given a zone allowed for 3 and 6.1 holding both / Then nothing is found
    assert defects(allowed=("3", "6.1"), items=(TOLUENE, PHENOL)) == []


def test_clu_s09__same_class_twice_is_never_incompatible():
    assert incompatible_classes_present(["3", "3"], [("3", "5.1")]) == []


def test_clu_s09__all_defects_reported_once_in_fixed_order():
    # Given a zone that breaks every condition at once
    items = (TOLUENE, H2O2, Stock("9999-99-9", "5.1", Decimal(100)))
    # When checking / Then each code appears once, in STORAGE_DEFECT_ORDER
    assert defects(allowed=("3",), max_qty="1", items=items) == list(STORAGE_DEFECT_ORDER)


def test_clu_s09__latest_snapshot_keeps_only_the_last_recorded_day():
    # Given two stock-takings of a zone, the older one over quantity
    old = [Stock("108-88-3", "3", Decimal(90), date(2026, 5, 1))]
    new = [Stock("108-88-3", "3", Decimal(9), date(2026, 6, 1)), Stock("67-64-1", "3", Decimal(1), date(2026, 6, 1))]
    # When selecting the current stock / Then only the latest day's items count
    current = latest_snapshot(old + new)
    assert current == new
    assert storage_zone_defects({"3"}, 10, current, PERMITTED, PAIRS) == []
    assert storage_zone_defects({"3"}, 10, old + new, PERMITTED, PAIRS) == ["OVER_QUANTITY"]
    assert latest_snapshot([]) == []


_classes = st.sampled_from(sorted(HAZARD_CLASSES))
_lines = st.lists(st.builds(Stock, st.sampled_from(["108-88-3", "67-64-1", "7722-84-1", ""]), _classes,
                            st.decimals(min_value=0, max_value=50, places=3)), max_size=6)


@settings(max_examples=200, deadline=None)
@given(allowed=st.sets(_classes), max_qty=st.decimals(min_value=0, max_value=200, places=3), items=_lines,
       permitted=st.sets(st.sampled_from(["108-88-3", "67-64-1", "7722-84-1"])))
def test_clu_s09__property_each_code_matches_its_own_definition(allowed, max_qty, items, permitted):
    # Given any zone / When checking / Then each code is present exactly when its RULES §3.2 clause holds
    found = storage_zone_defects(allowed, max_qty, items, permitted, PAIRS)
    assert ("CLASS_NOT_ALLOWED" in found) == any(i.hazard_class not in allowed for i in items)
    assert ("OVER_QUANTITY" in found) == (bool(items) and sum(i.quantity_t for i in items) > max_qty)
    assert ("NOT_PERMITTED_VARIETY" in found) == any(i.cas_number not in permitted for i in items)
    mixed = any(canonical_pair(a.hazard_class, b.hazard_class) in PAIRS for a in items for b in items)
    assert ("INCOMPATIBLE_MIX" in found) == mixed
    assert found == [c for c in STORAGE_DEFECT_ORDER if c in found]


# --- the incompatibility table ---------------------------------------------------------------------

def test_clu_s09__incompatibility_table_is_canonical_known_and_sourced():
    # Given the reference table / Then every pair is stored once, smaller code first, of known classes
    pairs = [(a, b) for a, b, _ in INCOMPATIBLE_CLASS_PAIRS]
    assert len(pairs) == len(set(pairs))
    assert all(a < b and a in HAZARD_CLASSES and b in HAZARD_CLASSES for a, b in pairs)
    assert all(reason for _, _, reason in INCOMPATIBLE_CLASS_PAIRS)
    # And it holds the documented core pairs and says that the standard's edition is unverified
    for pair in [("3", "5.1"), ("2.1", "5.1"), ("4.1", "5.1"), ("4.2", "5.1"), ("4.3", "5.1"), ("8.1", "8.2"), ("1", "3")]:
        assert pair in PAIRS, pair
    assert ("3", "6.1") not in PAIRS and ("2.1", "2.2") not in PAIRS
    assert "GB 15603" in SOURCE and "[U]" in SOURCE


# --- CLU-S05 ---------------------------------------------------------------------------------------

AS_OF = date(2026, 6, 15)


def product(**overrides):
    values = {"role": ChemicalRole.PRODUCED, "in_catalogue": True, "registration_number": "310000000123",
              "properties_changed_on": None, "change_applied_on": None, "change_due": None, "as_of": AS_OF}
    values.update(overrides)
    return chemical_product_defects(**values)


def test_clu_s05__registered_catalogued_product_is_clean():
    assert product() == []


@pytest.mark.parametrize("role", [ChemicalRole.PRODUCED, ChemicalRole.IMPORTED])
def test_clu_s05__catalogued_product_without_registration(role):
    # Given a produced or imported catalogued chemical with no registration number / Then NOT_REGISTERED
    assert product(role=role, registration_number="") == ["NOT_REGISTERED"]


def test_clu_s05__uncatalogued_product_needs_no_registration():
    assert product(in_catalogue=False, registration_number="") == []


def test_clu_s05__change_not_applied_after_the_deadline():
    # Given properties changed on 2026-03-02 with the change due by 2026-03-20 (15 working days)
    changed, due = date(2026, 3, 2), date(2026, 3, 20)
    # When nothing was applied for / Then CHANGE_NOT_APPLIED
    assert product(properties_changed_on=changed, change_due=due) == ["CHANGE_NOT_APPLIED"]
    # When applied one day late / Then still CHANGE_NOT_APPLIED
    assert product(properties_changed_on=changed, change_due=due, change_applied_on=date(2026, 3, 21)) == ["CHANGE_NOT_APPLIED"]
    # When applied on the last day / Then clean
    assert product(properties_changed_on=changed, change_due=due, change_applied_on=due) == []


def test_clu_s05__change_before_its_deadline_is_not_yet_a_defect():
    # Given a change whose deadline is today or later / Then nothing is due yet (as_of > due is required)
    assert product(properties_changed_on=date(2026, 6, 1), change_due=AS_OF) == []
    assert product(properties_changed_on=date(2026, 6, 1), change_due=date(2026, 6, 14)) == ["CHANGE_NOT_APPLIED"]


def test_clu_s05__both_defects_at_once():
    assert product(registration_number="", properties_changed_on=date(2026, 1, 5), change_due=date(2026, 1, 26)) == [
        "NOT_REGISTERED", "CHANGE_NOT_APPLIED"]


def test_clu_s05__a_change_without_its_due_date_is_a_programming_error():
    with pytest.raises(ValueError):
        product(properties_changed_on=date(2026, 1, 5))
