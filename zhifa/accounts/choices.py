"""Choices for accounts: roles and organisation kinds."""
from django.db import models


class Role(models.TextChoices):
    OFFICER = "OFFICER", "执法人员"
    SUPERVISOR = "SUPERVISOR", "科室负责人/局领导"
    LEGAL_REVIEWER = "LEGAL_REVIEWER", "法制审核人员"
    DEVICE_ADMIN = "DEVICE_ADMIN", "设备/数据管理员"
    ENTERPRISE_CONTACT = "ENTERPRISE_CONTACT", "企业联系人"
    AUDITOR = "AUDITOR", "执法监督/审计"
    SYSTEM_ADMIN = "SYSTEM_ADMIN", "系统管理员"


# Roles that work inside the bureau and see the objects of their organisation subtree.
STAFF_ROLES = frozenset({Role.OFFICER, Role.SUPERVISOR, Role.LEGAL_REVIEWER, Role.DEVICE_ADMIN})
# Roles that may write register data through imports and the API.
REGISTER_WRITER_ROLES = frozenset({Role.DEVICE_ADMIN, Role.SYSTEM_ADMIN})


class OrgKind(models.TextChoices):
    CITY = "CITY", "市"
    DISTRICT = "DISTRICT", "区（县、市）"
    TOWN = "TOWN", "街道/镇"
    PARK = "PARK", "功能区/园区"


class EnforcementLevel(models.TextChoices):
    """一企一层级 (SUB-02): the level of the body responsible for an enterprise."""

    CITY = "CITY", "市级"
    DISTRICT = "DISTRICT", "区级"
    TOWN = "TOWN", "街镇级"
