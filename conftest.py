"""Project-wide pytest fixtures: an organisation tree and one user per role."""
from __future__ import annotations

import os

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM guard must allow it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_password_hashing(request, settings):
    """Argon2 (the production hasher) costs ~1 s per test user; tests that are not about hashing use MD5.

    Mark a test `@pytest.mark.real_hasher` to keep the production hashers.
    """
    if "real_hasher" not in request.keywords:
        settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture
def org_tree(db):
    """市 → 区 (Putuo) → 街道, plus a sibling district; returns a dict of organisations."""
    from zhifa.accounts.choices import OrgKind
    from zhifa.accounts.tests.factories import OrganisationFactory

    city = OrganisationFactory(name="上海市应急管理局", code="SH", kind=OrgKind.CITY, jurisdiction="CN-SH", is_enforcement_body=True)
    putuo = OrganisationFactory(name="普陀区应急管理局", code="SH-PT", kind=OrgKind.DISTRICT, parent=city, jurisdiction="CN-SH-PUTUO", is_enforcement_body=True)
    street = OrganisationFactory(name="长寿路街道", code="SH-PT-CS", kind=OrgKind.TOWN, parent=putuo)
    jingan = OrganisationFactory(name="静安区应急管理局", code="SH-JA", kind=OrgKind.DISTRICT, parent=city, is_enforcement_body=True)
    return {"city": city, "putuo": putuo, "street": street, "jingan": jingan}


@pytest.fixture
def make_user(db):
    from zhifa.accounts.tests.factories import UserFactory

    def _make(role, organisation=None, **kwargs):
        return UserFactory(role=role, organisation=organisation, **kwargs)

    return _make


@pytest.fixture
def loaded_rulesets(db):
    """The shipped rule-set packs loaded through their service (each test loads its own)."""
    from zhifa.rulesets.selectors import clear_rulebook_cache
    from zhifa.rulesets.services import ruleset_load_packs

    clear_rulebook_cache()
    report = ruleset_load_packs()
    yield report
    clear_rulebook_cache()
