"""Choices of the subject register (SUB-03, SUB-04, RULES §3.2 vocabulary)."""
from django.db import models


class Industry(models.TextChoices):
    HAZCHEM = "HAZCHEM", "危险化学品"
    CHEMICAL = "CHEMICAL", "化工"
    METALLURGY = "METALLURGY", "冶金"
    NONFERROUS = "NONFERROUS", "有色"
    BUILDING_MATERIALS = "BUILDING_MATERIALS", "建材"
    MACHINERY = "MACHINERY", "机械"
    LIGHT_INDUSTRY = "LIGHT_INDUSTRY", "轻工"
    TEXTILE = "TEXTILE", "纺织"
    TOBACCO = "TOBACCO", "烟草"
    TRADE = "TRADE", "商贸"
    WAREHOUSING = "WAREHOUSING", "仓储物流"
    OTHER = "OTHER", "其他"


class Scale(models.TextChoices):
    LARGE = "LARGE", "大型"
    MEDIUM = "MEDIUM", "中型"
    SMALL = "SMALL", "小型"
    MICRO = "MICRO", "微型"


class Affiliation(models.TextChoices):
    """隶属关系 (SUB-03; decides the filing authority of emergency plans, SUB-10)."""

    CENTRAL = "CENTRAL", "中央"
    CITY = "CITY", "市属"
    DISTRICT = "DISTRICT", "区属"
    TOWN = "TOWN", "街镇属"
    PRIVATE = "PRIVATE", "民营/其他"


class CreditGrade(models.TextChoices):
    """Grades only; treatment is configured separately (AMB-15: never infer it from letter order)."""

    A = "A", "A"
    B = "B", "B"
    C = "C", "C"
    D = "D", "D"


class PrecursorRole(models.TextChoices):
    NONE = "NONE", "无"
    PRODUCER = "PRODUCER", "生产"
    OPERATOR = "OPERATOR", "经营"
    PRODUCER_OPERATOR = "PRODUCER_OPERATOR", "生产和经营"


class EnterpriseStatus(models.TextChoices):
    ACTIVE = "ACTIVE", "存续"
    SUSPENDED = "SUSPENDED", "停产停业"
    CLOSED = "CLOSED", "注销/关闭"


class PersonRole(models.TextChoices):
    PRINCIPAL = "PRINCIPAL", "主要负责人"
    LEGAL_REP = "LEGAL_REP", "法定代表人"
    SAFETY_MANAGER = "SAFETY_MANAGER", "安全管理负责人"
    CONTACT = "CONTACT", "联系人"


class LicenceType(models.TextChoices):
    """SUB-04: licence and certificate types needed by the 13 pilot scenarios."""

    SAFETY_PROD = "LIC_SAFETY_PROD", "危险化学品安全生产许可证"
    HC_OPERATION = "LIC_HC_OPERATION", "危险化学品经营许可证"
    HC_USE = "LIC_HC_USE", "危险化学品安全使用许可证"
    HC_REGISTRATION = "CERT_HC_REG", "危险化学品登记证"
    PRECURSOR = "LIC_PRECURSOR", "非药品类易制毒化学品生产、经营许可证"
    PRECURSOR_FILING = "FILING_PRECURSOR", "非药品类易制毒化学品备案证明"


# Types whose validity has no end date (SUB-04: "except precursor filings").
OPEN_ENDED_LICENCE_TYPES = frozenset({LicenceType.PRECURSOR_FILING})


class LicenceStatus(models.TextChoices):
    VALID = "VALID", "有效"
    SUSPENDED = "SUSPENDED", "暂扣"
    REVOKED = "REVOKED", "吊销"
    CANCELLED = "CANCELLED", "注销"


class ApplicationKind(models.TextChoices):
    EXTENSION = "EXTENSION", "延期"
    CHANGE = "CHANGE", "变更"
    RENEWAL = "RENEWAL", "复核换证"


class ApplicationStatus(models.TextChoices):
    PENDING = "PENDING", "审查中"
    APPROVED = "APPROVED", "已批准"
    REJECTED = "REJECTED", "不予批准"
    WITHDRAWN = "WITHDRAWN", "撤回"


class ChangeField(models.TextChoices):
    """Business-registration fields whose change can require a licence change (CLU-S04/S08/S11)."""

    PRINCIPAL = "principal", "主要负责人"
    NAME = "name", "单位名称"
    REG_ADDRESS = "reg_address", "注册地址"
    AFFILIATION = "affiliation", "隶属关系"


class AuthorityLevel(models.TextChoices):
    CITY = "CITY", "市级应急管理部门"
    DISTRICT = "DISTRICT", "区级应急管理部门"
    TOWN = "TOWN", "街镇"
    OTHER = "OTHER", "其他部门"


class ReportKind(models.TextChoices):
    """Data-report obligations (CLU-S01)."""

    HIDDEN_DANGER = "HIDDEN_DANGER", "重大事故隐患排查治理情况"
    MHS_MONITORING = "MHS_MONITORING", "重大危险源监测数据"
    SAFETY_STATS = "SAFETY_STATS", "安全生产统计报表"
    DUAL_PREVENTION = "DUAL_PREVENTION", "双重预防机制运行数据"


class ActivityKind(models.TextChoices):
    """Operational signals that prove an enterprise continues to operate (RULES §3.2 act())."""

    PRODUCTION = "PRODUCTION", "生产"
    SALE = "SALE", "销售/出库"
    USE = "USE", "使用"
    STORAGE = "STORAGE", "储存"


class ChemicalRole(models.TextChoices):
    """How an enterprise brings a hazardous chemical into circulation (SUB-08 / CLU-S05: producers
    and importers must register it)."""

    PRODUCED = "PRODUCED", "生产"
    IMPORTED = "IMPORTED", "进口"


class StorageDefect(models.TextChoices):
    """Defect codes of a storage zone (CLU-S09), returned by zhifa.subjects.rules.storage_zone_defects."""

    CLASS_NOT_ALLOWED = "CLASS_NOT_ALLOWED", "存放了储存区不允许的危险类别（未分区分类储存）"
    OVER_QUANTITY = "OVER_QUANTITY", "超过储存区最大储存量（超量储存）"
    NOT_PERMITTED_VARIETY = "NOT_PERMITTED_VARIETY", "存放了许可/登记范围以外的品种（超品种储存）"
    INCOMPATIBLE_MIX = "INCOMPATIBLE_MIX", "禁配类别混放混存"


class ChemicalProductDefect(models.TextChoices):
    """Defect codes of a produced/imported chemical (CLU-S05), returned by
    zhifa.subjects.rules.chemical_product_defects."""

    NOT_REGISTERED = "NOT_REGISTERED", "列入目录的危险化学品未办理登记"
    CHANGE_NOT_APPLIED = "CHANGE_NOT_APPLIED", "登记事项或危险特性变化后未按期申请变更登记"


class DataSource(models.TextChoices):
    """SUB-01 feeds integrated into the master record."""

    APPROVAL = "approval", "行政审批"
    ENFORCEMENT = "enforcement", "行政执法"
    HAZCHEM = "hazchem", "危化品全过程监管"
    DUAL_PREVENTION = "dual_prevention", "双重预防"
    IMPORT = "import", "文件导入"
    DEMO = "demo", "演示数据"
