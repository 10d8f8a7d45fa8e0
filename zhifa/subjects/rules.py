"""Pure rules over subject-register facts (no database, no calendar lookups).

Each function takes plain values (or any objects with the named attributes, such as model
instances) and returns defect codes; the clue engine (zhifa.clues) decides what a defect means
for a clue. Codes are the values of `choices.StorageDefect` / `choices.ChemicalProductDefect`.
"""
from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from .choices import ChemicalProductDefect, ChemicalRole, StorageDefect

# The order in which storage defects are reported (stable, for display and tests).
STORAGE_DEFECT_ORDER = (
    StorageDefect.CLASS_NOT_ALLOWED.value,
    StorageDefect.OVER_QUANTITY.value,
    StorageDefect.NOT_PERMITTED_VARIETY.value,
    StorageDefect.INCOMPATIBLE_MIX.value,
)


class StockLine(Protocol):
    """What `storage_zone_defects` reads from an item (a `StorageItem` has these attributes)."""

    cas_number: str
    hazard_class: str
    quantity_t: Decimal


@dataclass(frozen=True)
class Stock:
    """A plain stock line, for callers without model instances."""

    cas_number: str
    hazard_class: str
    quantity_t: Decimal
    recorded_on: date | None = None


def _pair_set(pairs: Iterable[tuple[str, str]] | Collection[frozenset[str]]) -> frozenset[frozenset[str]]:
    """Incompatible pairs in any order/shape → a set of unordered pairs."""
    return frozenset(frozenset(pair) for pair in pairs)


def incompatible_classes_present(classes: Iterable[str], incompatible_pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """CLU-S09 禁配物质混放混存: the incompatible class pairs among `classes`, each as (smaller, larger).

    A class is never incompatible with itself here (the table holds pairs of distinct classes).
    """
    present = sorted(set(classes))
    table = _pair_set(incompatible_pairs)
    found = []
    for i, a in enumerate(present):
        for b in present[i + 1:]:
            if frozenset((a, b)) in table:
                found.append((a, b))
    return found


def storage_zone_defects(
    zone_allowed_classes: Collection[str],
    max_qty: Decimal | int | float | str,
    items: Iterable[StockLine],
    permitted_cas: Collection[str],
    incompatible_pairs: Iterable[tuple[str, str]],
) -> list[str]:
    """CLU-S09 (未按国家标准分区分类储存、超量超品种储存、禁配物质混放混存; HCR arts. 24, 80(4)(5)):
    the defects of one storage zone's current stock.

    - CLASS_NOT_ALLOWED: an item's hazard class is not among the zone's allowed classes;
    - OVER_QUANTITY: the items' total quantity exceeds the zone's maximum (exactly the maximum is allowed);
    - NOT_PERMITTED_VARIETY: an item's CAS number is not among the enterprise's permitted varieties
      (exact string match; an item without a CAS number cannot be shown to be permitted);
    - INCOMPATIBLE_MIX: two items in the zone belong to an incompatible class pair
      (`incompatible_pairs`, e.g. from `HazardClassIncompatibility`; order inside a pair does not matter).

    `items` must be the zone's current snapshot (see `latest_snapshot`). An empty zone has no
    defect. Codes come back in `STORAGE_DEFECT_ORDER`, each at most once.
    """
    lines = list(items)
    if not lines:
        return []
    allowed = set(zone_allowed_classes)
    permitted = set(permitted_cas)
    found: set[str] = set()
    if any(line.hazard_class not in allowed for line in lines):
        found.add(StorageDefect.CLASS_NOT_ALLOWED.value)
    total = sum((Decimal(str(line.quantity_t)) for line in lines), Decimal(0))
    if total > Decimal(str(max_qty)):
        found.add(StorageDefect.OVER_QUANTITY.value)
    if any(line.cas_number not in permitted for line in lines):
        found.add(StorageDefect.NOT_PERMITTED_VARIETY.value)
    if incompatible_classes_present((line.hazard_class for line in lines), incompatible_pairs):
        found.add(StorageDefect.INCOMPATIBLE_MIX.value)
    return [code for code in STORAGE_DEFECT_ORDER if code in found]


def latest_snapshot(items: Iterable[Any]) -> list[Any]:
    """CLU-S09 reads a zone's current stock: the items whose `recorded_on` equals the zone's latest
    `recorded_on` (older stock-takings are history). Items of one zone in, the latest ones out."""
    lines = list(items)
    if not lines:
        return []
    last = max(line.recorded_on for line in lines)
    return [line for line in lines if line.recorded_on == last]


def chemical_product_defects(
    *,
    role: str,
    in_catalogue: bool,
    registration_number: str,
    properties_changed_on: date | None,
    change_applied_on: date | None,
    change_due: date | None,
    as_of: date,
) -> list[str]:
    """CLU-S05 (未办理危险化学品登记及变更; SUB-08, HCR arts. 67, 78(12)) for one produced/imported chemical.

    - NOT_REGISTERED: produced or imported, listed in the hazardous-chemicals catalogue, and no
      registration number;
    - CHANGE_NOT_APPLIED: the registered particulars changed or a new hazard property was found
      (`properties_changed_on`), the change-application deadline `change_due` has passed
      (`as_of > change_due`), and no change was applied for by `change_due`.

    `change_due` is `add_working_days(properties_changed_on, rs("lic.hc_reg.change_wd"))`, computed
    by the caller with the working-day calendar (15 working days in the CN pack, SUB-08 [W]); it
    is ignored when nothing changed.
    """
    found = []
    if role in (ChemicalRole.PRODUCED, ChemicalRole.IMPORTED) and in_catalogue and not registration_number:
        found.append(ChemicalProductDefect.NOT_REGISTERED.value)
    if properties_changed_on is not None:
        if change_due is None:
            raise ValueError("change_due is required when properties_changed_on is set")
        applied_in_time = change_applied_on is not None and change_applied_on <= change_due
        if as_of > change_due and not applied_in_time:
            found.append(ChemicalProductDefect.CHANGE_NOT_APPLIED.value)
    return found
