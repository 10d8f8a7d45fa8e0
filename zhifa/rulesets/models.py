"""Loaded rule-set versions and their parameters (JUR-01, RULES §12).

Rows are written only by `services.ruleset_load_packs` from the YAML packs and are never edited:
a changed pack becomes a new revision row, the old revision stays for history and for cases that
pinned it ("every case pins the rule-set versions in force", RULES §12).
"""
from __future__ import annotations

from django.db import models

from zhifa.common.models import AppendOnlyModel

from .choices import STATUTE_BOUND_LABELS, STRATEGY_LABELS, UNIT_LABELS, VERIFICATION_LABELS, as_choices


class RuleSet(AppendOnlyModel):
    """One revision of one version of a jurisdiction's rule pack, as loaded from a file."""

    jurisdiction = models.CharField("辖区", max_length=32, db_index=True)
    name = models.CharField("名称", max_length=100)
    version = models.CharField("版本", max_length=32)
    revision = models.PositiveIntegerField("修订号", default=1, help_text="同一版本的文件内容变化后重新载入，修订号加一")
    effective_from = models.DateField("生效日期")
    effective_to = models.DateField("失效日期", null=True, blank=True, help_text="最后一个有效日（含当日）")
    inherits = models.JSONField("继承链", default=list, help_text="由全国到上级，如 [\"CN\", \"CN-SH\"]")
    sources = models.JSONField("来源文件", default=list)
    notes = models.TextField("说明", blank=True)
    file_name = models.CharField("规则包文件", max_length=200)
    sha256 = models.CharField("文件SHA-256", max_length=64)
    loaded_at = models.DateTimeField("载入时间")
    loaded_by = models.CharField("载入人", max_length=150, blank=True)

    # A loaded version is history: new content becomes a new revision (JUR-01, AMB-18).
    append_only_message = "已载入的规则集版本不可修改，请修改规则包文件后重新载入"

    class Meta:
        verbose_name = "规则集版本"
        verbose_name_plural = "规则集版本"
        ordering = ["jurisdiction", "effective_from", "version", "revision"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "version", "revision"], name="ruleset_unique_revision"),
        ]

    def __str__(self) -> str:
        return f"{self.jurisdiction} {self.version} 第{self.revision}版"



class RuleParameter(AppendOnlyModel):
    """One value of one parameter (key, kind, dated period) inside a loaded rule set."""

    append_only_message = "已载入的规则参数不可修改，请修改规则包文件后重新载入"

    ruleset = models.ForeignKey(RuleSet, verbose_name="规则集版本", on_delete=models.PROTECT, related_name="parameters")
    key = models.CharField("参数键", max_length=100, db_index=True)
    kind = models.CharField("种类", max_length=40, blank=True)
    value = models.JSONField("取值", null=True, blank=True)
    missing = models.BooleanField("数值未知", default=False, help_text="未知数值不推测：解析时报「未配置」")
    unit = models.CharField("单位", max_length=16, blank=True, choices=as_choices(UNIT_LABELS))
    strategy = models.CharField("解决策略", max_length=20, choices=as_choices(STRATEGY_LABELS))
    statute_bound = models.CharField("法定值方向", max_length=8, choices=as_choices(STATUTE_BOUND_LABELS), default="upper")
    source = models.TextField("来源")
    verification = models.CharField("核实标记", max_length=1, choices=as_choices(VERIFICATION_LABELS))
    rule_ids = models.JSONField("规则编号", default=list)
    effective_from = models.DateField("生效日期")
    effective_to = models.DateField("失效日期", null=True, blank=True)
    flags = models.JSONField("标志", default=list)
    meaning = models.TextField("含义", blank=True)
    notes = models.TextField("说明", blank=True)
    superseded_by = models.CharField("已被取代于", max_length=200, blank=True)
    aliases = models.JSONField("别名", default=list)
    legal_signoff = models.JSONField("法律顾问确认", null=True, blank=True)
    position = models.PositiveIntegerField("顺序", default=0)

    # A loaded version is history: new content becomes a new revision (JUR-01, AMB-18).
    append_only_message = "已载入的规则集版本不可修改，请修改规则包文件后重新载入"

    class Meta:
        verbose_name = "规则参数"
        verbose_name_plural = "规则参数"
        ordering = ["ruleset", "position"]
        constraints = [
            models.UniqueConstraint(fields=["ruleset", "key", "kind", "effective_from"], name="ruleparam_unique_period"),
        ]
        indexes = [models.Index(fields=["key", "kind"], name="ruleparam_key_kind")]

    def __str__(self) -> str:
        return f"{self.key}{('[' + self.kind + ']') if self.kind else ''}"

