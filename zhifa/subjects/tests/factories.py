"""factory_boy factories for the subject register."""
from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

import factory

from zhifa.accounts.choices import EnforcementLevel
from zhifa.accounts.tests.factories import OrganisationFactory
from zhifa.common.ids import make_id_number, make_uscc
from zhifa.subjects.choices import ActivityKind, Affiliation, ChemicalRole, Industry, LicenceType, Scale
from zhifa.subjects.models import (
    ActivitySignal,
    ChemicalProduct,
    ContactAuthorisation,
    Enterprise,
    HazardClassIncompatibility,
    Licence,
    PermittedChemical,
    Person,
    StorageItem,
    StorageZone,
    StorageZoneClass,
)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"张{n}")
    id_number = factory.Sequence(lambda n: make_id_number(random.Random(n)))
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    address = "上海市普陀区长寿路100弄1号101室"


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    uscc = factory.Sequence(lambda n: make_uscc("310107", 500_000 + n))
    name = factory.Sequence(lambda n: f"上海测试化工有限公司{n}")
    registered_address = factory.Sequence(lambda n: f"上海市普陀区真南路{n}号")
    industry = Industry.HAZCHEM
    scale = Scale.SMALL
    affiliation = Affiliation.PRIVATE
    enforcement_level = EnforcementLevel.DISTRICT
    organisation = factory.SubFactory(OrganisationFactory)
    principal = factory.SubFactory(PersonFactory)


class LicenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Licence

    enterprise = factory.SubFactory(EnterpriseFactory)
    licence_type = LicenceType.HC_OPERATION
    number = factory.Sequence(lambda n: f"沪普应急经字〔2024〕{n:06d}")
    issuing_authority = "上海市普陀区应急管理局"
    valid_from = date(2024, 1, 1)
    valid_to = date(2026, 12, 31)
    recorded_name = factory.LazyAttribute(lambda o: o.enterprise.name)
    recorded_address = factory.LazyAttribute(lambda o: o.enterprise.registered_address)
    recorded_principal = factory.LazyAttribute(lambda o: o.enterprise.principal.name if o.enterprise.principal_id else "")
    recorded_affiliation = factory.LazyAttribute(lambda o: o.enterprise.affiliation)


class ActivitySignalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActivitySignal

    enterprise = factory.SubFactory(EnterpriseFactory)
    kind = ActivityKind.SALE
    occurred_on = date(2026, 6, 1)
    source = "hazchem"
    reference = factory.Sequence(lambda n: f"REF{n:08d}")


class ContactAuthorisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactAuthorisation

    enterprise = factory.SubFactory(EnterpriseFactory)
    user = None
    authorised_by = "王法人"
    valid_from = date(2024, 1, 1)
    valid_to = date(2030, 12, 31)


class ChemicalProductFactory(factory.django.DjangoModelFactory):
    """A registered, catalogued chemical the enterprise produces (clean for CLU-S05)."""

    class Meta:
        model = ChemicalProduct

    enterprise = factory.SubFactory(EnterpriseFactory)
    name = factory.Sequence(lambda n: f"甲苯{n}")
    cas_number = "108-88-3"
    role = ChemicalRole.PRODUCED
    in_catalogue = True
    registration_number = factory.Sequence(lambda n: f"31{n:010d}")
    registered_on = date(2024, 3, 1)
    hazard_class = "3"


class StorageZoneFactory(factory.django.DjangoModelFactory):
    """A storage zone; give it classes with StorageZoneClassFactory (or `allowed=[...]`)."""

    class Meta:
        model = StorageZone
        skip_postgeneration_save = True

    enterprise = factory.SubFactory(EnterpriseFactory)
    code = factory.Sequence(lambda n: f"KF-{n:03d}")
    name = "甲类仓库"
    max_quantity_t = Decimal("50.000")

    @factory.post_generation
    def allowed(self, create, extracted, **kwargs):
        for hazard_class in extracted or ():
            StorageZoneClass.objects.create(zone=self, hazard_class=hazard_class)


class StorageZoneClassFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StorageZoneClass

    zone = factory.SubFactory(StorageZoneFactory)
    hazard_class = "3"


class StorageItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StorageItem

    zone = factory.SubFactory(StorageZoneFactory)
    chemical_name = "甲苯"
    cas_number = "108-88-3"
    hazard_class = "3"
    quantity_t = Decimal("10.000")
    recorded_on = date(2026, 6, 1)
    source = "hazchem"
    reference = factory.Sequence(lambda n: f"KC{n:010d}")


class PermittedChemicalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PermittedChemical

    enterprise = factory.SubFactory(EnterpriseFactory)
    cas_number = "108-88-3"
    name = "甲苯"


class HazardClassIncompatibilityFactory(factory.django.DjangoModelFactory):
    """Reference rows are seeded by migration; use django_get_or_create to avoid clashing with them."""

    class Meta:
        model = HazardClassIncompatibility
        django_get_or_create = ("class_a", "class_b")

    class_a = "3"
    class_b = "5.1"
    reason = "氧化性物质与易燃物质接触可引起燃烧、爆炸"
    source = "测试数据"
