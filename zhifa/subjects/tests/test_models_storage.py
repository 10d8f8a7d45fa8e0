"""Database constraints of the CLU-S05/CLU-S09 tables and the seeded incompatibility table."""
from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from zhifa.subjects.choices import ChemicalRole
from zhifa.subjects.models import ChemicalProduct, HazardClassIncompatibility, StorageZoneClass
from zhifa.subjects.reference.incompatibility import INCOMPATIBLE_CLASS_PAIRS, SOURCE, incompatibility_rows_ensure
from zhifa.subjects.rules import latest_snapshot, storage_zone_defects
from zhifa.subjects.tests.factories import (
    ChemicalProductFactory,
    PermittedChemicalFactory,
    StorageItemFactory,
    StorageZoneFactory,
)


@pytest.mark.django_db
def test_clu_s09__incompatibility_seed_is_complete_idempotent_and_ordered():
    # Given the migrated database (re-seeded in case a flushing test emptied it)
    incompatibility_rows_ensure(HazardClassIncompatibility)
    # When seeding again / Then nothing is added and the table equals the reference data, each row citing its source
    assert incompatibility_rows_ensure(HazardClassIncompatibility) == 0
    assert set(HazardClassIncompatibility.objects.values_list("class_a", "class_b")) == {(a, b) for a, b, _ in INCOMPATIBLE_CLASS_PAIRS}
    assert set(HazardClassIncompatibility.objects.values_list("source", flat=True)) == {SOURCE}
    # And a pair stored in the wrong order or twice is refused by the database
    with pytest.raises(IntegrityError), transaction.atomic():
        HazardClassIncompatibility.objects.create(class_a="5.1", class_b="3", source="测试")
    with pytest.raises(IntegrityError), transaction.atomic():
        HazardClassIncompatibility.objects.create(class_a="3", class_b="5.1", source="测试")


@pytest.mark.django_db
def test_clu_s05__one_product_row_per_enterprise_name_and_role(org_tree):
    product = ChemicalProductFactory(enterprise__organisation=org_tree["putuo"], name="甲苯")
    ChemicalProductFactory(enterprise=product.enterprise, name="甲苯", role=ChemicalRole.IMPORTED)
    with pytest.raises(IntegrityError), transaction.atomic():
        ChemicalProductFactory(enterprise=product.enterprise, name="甲苯", role=ChemicalRole.PRODUCED)
    assert ChemicalProduct.objects.filter(enterprise=product.enterprise).count() == 2


@pytest.mark.django_db
def test_clu_s09__zone_codes_and_classes_are_unique(org_tree):
    zone = StorageZoneFactory(enterprise__organisation=org_tree["putuo"], code="KF-01", allowed=["3"])
    with pytest.raises(IntegrityError), transaction.atomic():
        StorageZoneFactory(enterprise=zone.enterprise, code="KF-01")
    with pytest.raises(IntegrityError), transaction.atomic():
        StorageZoneClass.objects.create(zone=zone, hazard_class="3")


@pytest.mark.django_db
def test_clu_s09__helper_reads_model_instances_and_the_latest_snapshot(org_tree):
    # Given a zone for class 3 of 20 t whose older stock-taking was over quantity and whose latest is clean
    zone = StorageZoneFactory(enterprise__organisation=org_tree["putuo"], max_quantity_t=Decimal("20"), allowed=["3"])
    PermittedChemicalFactory(enterprise=zone.enterprise, cas_number="108-88-3")
    StorageItemFactory(zone=zone, quantity_t=Decimal("25"), recorded_on="2026-05-01")
    StorageItemFactory(zone=zone, quantity_t=Decimal("20"), recorded_on="2026-06-01")
    zone.refresh_from_db()
    items = list(zone.items.all())
    allowed = list(zone.allowed_classes.values_list("hazard_class", flat=True))
    permitted = set(zone.enterprise.permitted_chemicals.values_list("cas_number", flat=True))
    pairs = [("3", "5.1")]
    # When checking the latest snapshot / Then exactly the maximum is fine; all rows together would be over quantity
    assert storage_zone_defects(allowed, zone.max_quantity_t, latest_snapshot(items), permitted, pairs) == []
    assert storage_zone_defects(allowed, zone.max_quantity_t, items, permitted, pairs) == ["OVER_QUANTITY"]
