"""factory_boy factories for the subject register."""
from __future__ import annotations

import random
from datetime import date

import factory

from zhifa.accounts.choices import EnforcementLevel
from zhifa.accounts.tests.factories import OrganisationFactory
from zhifa.common.ids import make_id_number, make_uscc
from zhifa.subjects.choices import ActivityKind, Affiliation, Industry, LicenceType, Scale
from zhifa.subjects.models import ActivitySignal, ContactAuthorisation, Enterprise, Licence, Person


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
