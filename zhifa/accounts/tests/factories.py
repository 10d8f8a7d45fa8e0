"""factory_boy factories for organisations, users and credentials (shared by every app's tests)."""
from __future__ import annotations

from datetime import date

import factory

from zhifa.accounts.choices import OrgKind, Role
from zhifa.accounts.models import OfficerCredential, Organisation, User

TEST_PASSWORD = "zhifa-Test-2026!"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"测试机构{n}")
    code = factory.Sequence(lambda n: f"ORG{n:05d}")
    kind = OrgKind.DISTRICT
    jurisdiction = ""
    is_enforcement_body = False


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"用户{n}")
    role = Role.OFFICER
    organisation = factory.SubFactory(OrganisationFactory)
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class OfficerCredentialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfficerCredential

    user = factory.SubFactory(UserFactory)
    number = factory.Sequence(lambda n: f"31010726{n:06d}")
    issuing_body = "上海市人民政府"
    enforcement_body = factory.LazyAttribute(lambda o: o.user.organisation)
    valid_from = date(2024, 1, 1)
    valid_to = date(2029, 12, 31)
