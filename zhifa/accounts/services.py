"""Account writes shared by other apps."""
from __future__ import annotations

from django.db import transaction

from .choices import Role
from .models import User

SYSTEM_USERNAME = "zhifa-system"


def system_account() -> User:
    """The account that automatic processes (detection runs, schedules) act as in records that
    need a person: an inactive user with no usable password, so nobody can sign in as it, and every
    record it makes is plainly marked as made by the system (REC-16: who did what)."""
    with transaction.atomic():
        user, created = User.objects.get_or_create(
            username=SYSTEM_USERNAME,
            defaults={"role": Role.SYSTEM_ADMIN, "is_active": False, "first_name": "系统自动"},
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
    return user
