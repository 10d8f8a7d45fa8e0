"""Organisations (市 → 区 → 街镇/园区), users with roles, and officers' enforcement credentials."""
from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

from zhifa.common.models import TimeStampedModel

from .choices import STAFF_ROLES, OrgKind, Role


class Organisation(TimeStampedModel):
    """A node of the administrative tree; enforcement bodies are flagged.

    `path` is a materialised path ("/1/4/17/") so that "this organisation and its children"
    is one indexed prefix query (per-object access, ARCHITECTURE "Who uses it").
    `jurisdiction` selects the rule set (JUR-01), e.g. CN-SH-PUTUO; children inherit it when blank.
    """

    name = models.CharField("名称", max_length=100)
    code = models.CharField("机构代码", max_length=32, unique=True)
    kind = models.CharField("层级", max_length=16, choices=OrgKind.choices)
    parent = models.ForeignKey("self", verbose_name="上级机构", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    path = models.CharField("层级路径", max_length=255, db_index=True, editable=False, default="")
    division_code = models.CharField("行政区划代码", max_length=6, blank=True)
    jurisdiction = models.CharField("适用规则集辖区", max_length=32, blank=True)
    is_enforcement_body = models.BooleanField("执法主体", default=False)
    enforcement_body_name = models.CharField("执法主体名称", max_length=100, blank=True)

    class Meta:
        verbose_name = "机构"
        verbose_name_plural = "机构"
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # The path needs the primary key, so a new row is saved twice inside the caller's transaction.
        super().save(*args, **kwargs)
        expected = (self.parent.path if self.parent_id else "/") + f"{self.pk}/"
        if self.path != expected:
            self.path = expected
            super().save(update_fields=["path"])

    @property
    def effective_jurisdiction(self) -> str:
        node: Organisation | None = self
        while node is not None:
            if node.jurisdiction:
                return node.jurisdiction
            node = node.parent
        return "CN"


class User(AbstractUser):
    """A person who signs in. Staff belong to an organisation; enterprise contacts are linked
    to enterprises through subjects.ContactAuthorisation (SUB-17)."""

    role = models.CharField("角色", max_length=32, choices=Role.choices, default=Role.OFFICER)
    organisation = models.ForeignKey(Organisation, verbose_name="所属机构", null=True, blank=True, on_delete=models.PROTECT, related_name="users")
    display_name = models.CharField("姓名", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=20, blank=True)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def is_staff_role(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def is_read_only(self) -> bool:
        """Auditors read everything and change nothing."""
        return self.role == Role.AUDITOR


class OfficerCredential(TimeStampedModel):
    """An enforcement credential (执法证). A change is a new row; the old one is kept (history
    feeds the publicity of officers' credential information, PUB rules)."""

    user = models.ForeignKey(User, verbose_name="执法人员", on_delete=models.PROTECT, related_name="credentials")
    number = models.CharField("执法证号", max_length=32, unique=True)
    issuing_body = models.CharField("发证机关", max_length=100)
    enforcement_body = models.ForeignKey(Organisation, verbose_name="执法主体", on_delete=models.PROTECT, related_name="credentials")
    enforcement_area = models.CharField("执法区域/类别", max_length=100, blank=True)
    valid_from = models.DateField("有效期自")
    valid_to = models.DateField("有效期至")
    revoked_on = models.DateField("注销日期", null=True, blank=True)
    legal_review_qualified = models.BooleanField("具备法制审核资格", default=False, help_text="LRV: 初次从事法制审核须取得法律职业资格")
    hearing_host_qualified = models.BooleanField("可担任听证主持人", default=False)
    device_review_qualified = models.BooleanField("可审核电子监控设备", default=False)

    class Meta:
        verbose_name = "执法证"
        verbose_name_plural = "执法证"
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return f"{self.user} {self.number}"

    def is_valid_on(self, day) -> bool:
        return self.valid_from <= day <= self.valid_to and (self.revoked_on is None or day < self.revoked_on)
