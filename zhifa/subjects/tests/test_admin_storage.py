"""Admin pages of the CLU-S05/CLU-S09 register tables: they render, and stock/class inlines are read-only."""
from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import RequestFactory

from zhifa.accounts.choices import Role
from zhifa.subjects.models import ChemicalProduct, HazardClassIncompatibility, StorageZone
from zhifa.subjects.reference.incompatibility import incompatibility_rows_ensure
from zhifa.subjects.tests.factories import (
    ChemicalProductFactory,
    EnterpriseFactory,
    PermittedChemicalFactory,
    StorageItemFactory,
    StorageZoneFactory,
)


@pytest.fixture
def storage(org_tree):
    enterprise = EnterpriseFactory(organisation=org_tree["putuo"])
    zone = StorageZoneFactory(enterprise=enterprise, allowed=["3", "6.1"])
    StorageItemFactory(zone=zone)
    ChemicalProductFactory(enterprise=enterprise)
    PermittedChemicalFactory(enterprise=enterprise)
    return zone


@pytest.mark.django_db
def test_admin__storage_and_product_pages_render_for_the_system_administrator(client, make_user, org_tree, storage):
    # Given a superuser system administrator and a zone with classes, stock, products and permitted varieties
    user = make_user(Role.SYSTEM_ADMIN, org_tree["city"], is_staff=True, is_superuser=True)
    client.force_login(user)
    # When opening each change list and the zone's page / Then they render with the zone's data
    for name in ("chemicalproduct", "storagezone", "storageitem", "permittedchemical", "hazardclassincompatibility"):
        assert client.get(f"/admin/subjects/{name}/").status_code == 200, name
    page = client.get(f"/admin/subjects/storagezone/{storage.pk}/change/").content.decode()
    assert "甲苯" in page and "6.1" in page
    # And the seeded incompatibility table is listed with its reasons
    incompatibility_rows_ensure(HazardClassIncompatibility)  # a flushing test earlier in this worker may have emptied it
    assert "酸性腐蚀品与碱性腐蚀品接触发生剧烈中和反应" in client.get("/admin/subjects/hazardclassincompatibility/?q=8.1").content.decode()


@pytest.mark.django_db
def test_admin__inlines_of_a_zone_never_write(make_user, org_tree, storage):
    # Given the zone admin / When a superuser system administrator opens it
    user = make_user(Role.SYSTEM_ADMIN, org_tree["city"], is_staff=True, is_superuser=True)
    request = RequestFactory().get("/")
    request.user = user
    zone_admin = admin.site._registry[StorageZone]
    # Then the zone itself may be corrected, its classes and stock lines only read (inline edits would bypass the ledger)
    assert zone_admin.has_change_permission(request, storage)
    for inline in zone_admin.get_inline_instances(request, storage):
        assert not inline.has_add_permission(request, storage) and not inline.has_change_permission(request, storage)
    # And a device administrator without superuser rights cannot correct products
    clerk = make_user(Role.DEVICE_ADMIN, org_tree["putuo"], is_staff=True)
    request.user = clerk
    assert not admin.site._registry[ChemicalProduct].has_change_permission(request)
