"""Choices of the publicity app (行政执法公示, RULES §8)."""
from django.db import models


class ItemKind(models.TextChoices):
    """What is published. Before enforcement (事前, PUB-04…PUB-09) and after (事后, PUB-11…PUB-19, PUB-28)."""

    POWER_ITEM = "POWER_ITEM", "行政执法权力事项/权责清单"
    SERVICE_GUIDE = "SERVICE_GUIDE", "办事指南与流程图"
    RANDOM_CHECK_LIST = "RANDOM_CHECK_LIST", "随机抽查事项清单"
    OFFICER_CREDENTIAL = "OFFICER_CREDENTIAL", "执法人员执法证件信息"
    PENALTY_BASIS = "PENALTY_BASIS", "行政处罚的实施机关、立案依据、程序和救济渠道"
    DISCRETION_BENCHMARK = "DISCRETION_BENCHMARK", "行政处罚裁量基准"
    ANNUAL_PLAN = "ANNUAL_PLAN", "年度执法计划"
    MONTHLY_TARGETS = "MONTHLY_TARGETS", "下月执法对象和事项"
    DEVICE_SITE = "DEVICE_SITE", "电子技术监控设备设置地点"
    ENTRUSTMENT = "ENTRUSTMENT", "行政处罚委托书"
    PENALTY = "PENALTY", "行政处罚决定"
    NO_PENALTY = "NO_PENALTY", "不予行政处罚决定"
    LICENSING = "LICENSING", "行政许可决定"
    COERCION = "COERCION", "行政强制决定"
    INSPECTION_RESULT = "INSPECTION_RESULT", "抽查检查结果"
    ANNUAL_STATISTICS = "ANNUAL_STATISTICS", "上年度行政执法总体数据"


BEFORE_KINDS = frozenset({
    ItemKind.POWER_ITEM, ItemKind.SERVICE_GUIDE, ItemKind.RANDOM_CHECK_LIST, ItemKind.OFFICER_CREDENTIAL, ItemKind.PENALTY_BASIS,
    ItemKind.DISCRETION_BENCHMARK, ItemKind.ANNUAL_PLAN, ItemKind.MONTHLY_TARGETS, ItemKind.DEVICE_SITE, ItemKind.ENTRUSTMENT,
})
# Decisions on a party: searchable by enterprise, with a display period (PUB-17) and withdrawal (PUB-14, PUB-26).
DECISION_KINDS = frozenset({ItemKind.PENALTY, ItemKind.NO_PENALTY, ItemKind.LICENSING, ItemKind.COERCION, ItemKind.INSPECTION_RESULT})


class ItemStatus(models.TextChoices):
    PENDING = "PENDING", "待审核"
    RETURNED = "RETURNED", "退回修改"
    APPROVED = "APPROVED", "已审核待发布"
    PUBLISHED = "PUBLISHED", "已公示"
    EXPIRED = "EXPIRED", "公示期满"
    TERMINATED = "TERMINATED", "信用修复后终止公示"
    SUPERSEDED = "SUPERSEDED", "已被更新替代"
    WITHDRAWN = "WITHDRAWN", "已撤下"
    EXEMPT = "EXEMPT", "依法不予公开"


OPEN_STATUSES = frozenset({ItemStatus.PENDING, ItemStatus.RETURNED, ItemStatus.APPROVED})


class Trigger(models.TextChoices):
    """The event that created the publication duty; each has its deadline rule (rules.due_rule)."""

    DECISION_MADE = "DECISION_MADE", "作出执法决定"
    DECISION_CHANGED = "DECISION_CHANGED", "执法决定依法变更"
    CREDENTIAL_CHANGED = "CREDENTIAL_CHANGED", "执法证件信息变化"
    LAW_CHANGED = "LAW_CHANGED", "法律法规规章颁布、修改、废止、失效"
    ORG_CHANGED = "ORG_CHANGED", "机构设置变化（三定方案等批准）"
    CATALOGUE = "CATALOGUE", "事前公示目录首次录入"
    PLAN_APPROVED = "PLAN_APPROVED", "年度执法计划批准"
    MONTHLY_TARGETS = "MONTHLY_TARGETS", "下月执法对象和事项确定"
    DEVICE_APPROVED = "DEVICE_APPROVED", "监控设备设置地点批准"
    ENTRUSTED = "ENTRUSTED", "委托实施行政处罚"
    CORRECTION = "CORRECTION", "发现公示信息不准确"
    ANNUAL = "ANNUAL", "年度数据公开"


class ChangeEvent(models.TextChoices):
    """Events after which published decision information must come down (PUB-14, PUB-26, AMB-02: union of both lists)."""

    CHANGED = "CHANGED", "决定被变更"
    REVOKED = "REVOKED", "决定被撤销"
    CONFIRMED_ILLEGAL = "CONFIRMED_ILLEGAL", "决定被确认违法"
    CONFIRMED_VOID = "CONFIRMED_VOID", "决定被确认无效"
    REMAKE_ORDERED = "REMAKE_ORDERED", "决定被责令重新作出"


class EndReason(models.TextChoices):
    EXPIRED = "EXPIRED", "公示期满"
    CREDIT_REPAIR = "CREDIT_REPAIR", "信用修复"
    SUPERSEDED = "SUPERSEDED", "已更新"


class ExemptReason(models.TextChoices):
    """SEC-07, APL art. 48/50, OGI art. 14–16: what is never published."""

    STATE_SECRET = "STATE_SECRET", "涉及国家秘密"
    TRADE_SECRET = "TRADE_SECRET", "涉及商业秘密且不公开不会对公共利益造成重大影响"
    PERSONAL_PRIVACY = "PERSONAL_PRIVACY", "涉及个人隐私"
    SAFETY_STABILITY = "SAFETY_STABILITY", "公开后可能危及国家安全、公共安全、经济安全、社会稳定"
    LAW_EXEMPT = "LAW_EXEMPT", "法律、行政法规规定不予公开"
    INDIVIDUAL_POLICY = "INDIVIDUAL_POLICY", "本辖区规则集规定对个人处罚信息不予公示（AMB-20）"


class RequestStatus(models.TextChoices):
    RECEIVED = "RECEIVED", "已受理，核实中"
    CORRECTED = "CORRECTED", "已更正"
    REJECTED = "REJECTED", "经核实不予更正"


class RequesterKind(models.TextChoices):
    CITIZEN = "CITIZEN", "公民"
    LEGAL_PERSON = "LEGAL_PERSON", "法人"
    ORGANISATION = "ORGANISATION", "其他组织"


class RevisionReason(models.TextChoices):
    INITIAL = "INITIAL", "首次编制"
    EDITED = "EDITED", "审核前修改"
    CORRECTION = "CORRECTION", "更正"
