"""The subject register: one master record per enterprise, keyed by USCC (SUB-01…SUB-17).

Rows here are written only by zhifa.subjects.services (and the bulk demo generator), each write
appending to the ledger in the same transaction.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhifa.accounts.choices import EnforcementLevel
from zhifa.accounts.models import Organisation
from zhifa.common.masking import mask_address, mask_id_number, mask_phone
from zhifa.common.models import TimeStampedModel

from .choices import (
    ActivityKind,
    Affiliation,
    ApplicationKind,
    ApplicationStatus,
    AuthorityLevel,
    ChangeField,
    ChemicalRole,
    CreditGrade,
    EnterpriseStatus,
    Industry,
    LicenceStatus,
    LicenceType,
    PersonRole,
    PrecursorRole,
    ReportKind,
    Scale,
)


class Person(TimeStampedModel):
    """A natural person (principal, legal representative, contact). ID number and phone are
    stored once, here, and shown masked everywhere except a logged reveal (SEC-03)."""

    name = models.CharField("姓名", max_length=50)
    id_number = models.CharField("身份证号码", max_length=18, unique=True, null=True, blank=True)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    address = models.CharField("住址", max_length=200, blank=True)

    class Meta:
        verbose_name = "自然人"
        verbose_name_plural = "自然人"

    def __str__(self) -> str:
        return self.name

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)

    @property
    def address_masked(self) -> str:
        return mask_address(self.address)


class Enterprise(TimeStampedModel):
    """A regulated production or business unit (生产经营单位), SUB-01/SUB-03.

    `organisation` is the one responsible enforcement level's body (一企一层级, SUB-02).
    """

    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True)
    name = models.CharField("单位名称", max_length=200, db_index=True)
    registered_address = models.CharField("注册地址", max_length=255)
    business_address = models.CharField("经营地址", max_length=255, blank=True)
    industry = models.CharField("行业领域", max_length=32, choices=Industry.choices, db_index=True)
    scale = models.CharField("规模", max_length=16, choices=Scale.choices)
    affiliation = models.CharField("隶属关系", max_length=16, choices=Affiliation.choices)
    enforcement_level = models.CharField("执法层级", max_length=16, choices=EnforcementLevel.choices)
    organisation = models.ForeignKey(Organisation, verbose_name="属地/负责机构", on_delete=models.PROTECT, related_name="enterprises")
    principal = models.ForeignKey(Person, verbose_name="主要负责人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    status = models.CharField("经营状态", max_length=16, choices=EnterpriseStatus.choices, default=EnterpriseStatus.ACTIVE)
    is_key_unit = models.BooleanField("重点单位", default=False)
    is_chemical_enterprise = models.BooleanField("化工企业", default=False)
    hc_producer = models.BooleanField("危化品生产", default=False)
    hc_operator = models.BooleanField("危化品经营", default=False)
    hc_user = models.BooleanField("危化品使用", default=False)
    hc_storage = models.BooleanField("危化品储存", default=False)
    hc_importer = models.BooleanField("危化品进口", default=False)
    hc_use_ratio = models.DecimalField("危化品使用量与数量标准之比", max_digits=8, decimal_places=3, null=True, blank=True, help_text="≥1 时需取得安全使用许可证（SUB-07）")
    precursor_role = models.CharField("非药品类易制毒化学品", max_length=20, choices=PrecursorRole.choices, default=PrecursorRole.NONE)
    credit_grade = models.CharField("信用/分级等级", max_length=1, choices=CreditGrade.choices, blank=True)
    plan_filing_obliged = models.BooleanField("应急预案备案义务", default=False)
    data_sources = models.JSONField("数据来源", default=list, blank=True)

    class Meta:
        verbose_name = "企业"
        verbose_name_plural = "企业"
        ordering = ["name"]
        indexes = [models.Index(fields=["organisation", "industry"], name="subj_ent_org_ind")]

    def __str__(self) -> str:
        return self.name


class EnterprisePerson(TimeStampedModel):
    """A person's role at an enterprise over time (principal person, legal representative, contacts)."""

    enterprise = models.ForeignKey(Enterprise, verbose_name="企业", on_delete=models.PROTECT, related_name="people")
    person = models.ForeignKey(Person, verbose_name="人员", on_delete=models.PROTECT, related_name="roles")
    role = models.CharField("职务", max_length=20, choices=PersonRole.choices)
    valid_from = models.DateField("任职起始", null=True, blank=True)
    valid_to = models.DateField("任职截止", null=True, blank=True)

    class Meta:
        verbose_name = "企业人员"
        verbose_name_plural = "企业人员"
        constraints = [models.UniqueConstraint(fields=["enterprise", "person", "role"], name="subj_entperson_unique")]


class ContactAuthorisation(TimeStampedModel):
    """SUB-17: a user the legal person authorised as the enterprise's platform contact, with validity."""

    enterprise = models.ForeignKey(Enterprise, verbose_name="企业", on_delete=models.PROTECT, related_name="contact_authorisations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="联系人账户", on_delete=models.PROTECT, related_name="contact_authorisations")
    authorised_by = models.CharField("授权人（法定代表人）", max_length=50)
    valid_from = models.DateField("授权起始")
    valid_to = models.DateField("授权截止")

    class Meta:
        verbose_name = "企业联系人授权"
        verbose_name_plural = "企业联系人授权"
        constraints = [models.UniqueConstraint(fields=["enterprise", "user"], name="subj_contact_unique")]


class Licence(TimeStampedModel):
    """SUB-04: a licence or certificate with validity, recorded particulars and status.

    The `recorded_*` fields are the particulars printed on the licence; comparing them with the
    business registration detects unreported changes (CLU-S04/S08/S11).
    """

    enterprise = models.ForeignKey(Enterprise, verbose_name="持证单位", on_delete=models.PROTECT, related_name="licences")
    licence_type = models.CharField("证照类型", max_length=20, choices=LicenceType.choices)
    number = models.CharField("证书编号", max_length=64)
    issuing_authority = models.CharField("发证机关", max_length=100, blank=True)
    valid_from = models.DateField("有效期自")
    valid_to = models.DateField("有效期至", null=True, blank=True)
    status = models.CharField("状态", max_length=16, choices=LicenceStatus.choices, default=LicenceStatus.VALID)
    scope = models.TextField("许可范围/品种", blank=True)
    recorded_name = models.CharField("证载单位名称", max_length=200)
    recorded_address = models.CharField("证载地址", max_length=255)
    recorded_principal = models.CharField("证载主要负责人", max_length=50)
    recorded_affiliation = models.CharField("证载隶属关系", max_length=16, choices=Affiliation.choices, blank=True)

    class Meta:
        verbose_name = "许可证照"
        verbose_name_plural = "许可证照"
        ordering = ["valid_to"]
        constraints = [
            models.UniqueConstraint(fields=["licence_type", "number"], name="subj_licence_type_number"),
            models.CheckConstraint(condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")), name="subj_licence_valid_range"),
        ]
        indexes = [models.Index(fields=["licence_type", "valid_to"], name="subj_lic_type_to")]

    def __str__(self) -> str:
        return f"{self.get_licence_type_display()} {self.number}"


class LicenceApplication(TimeStampedModel):
    """An extension, change or renewal application for a licence (SUB-04 "pending applications").

    A timely extension application undecided at expiry counts as granted (行政许可法 art. 50,
    see ext_ok in RULES §3.2).
    """

    licence = models.ForeignKey(Licence, verbose_name="证照", on_delete=models.PROTECT, related_name="applications")
    kind = models.CharField("申请类型", max_length=16, choices=ApplicationKind.choices)
    change_field = models.CharField("变更事项", max_length=16, choices=ChangeField.choices, blank=True)
    submitted_on = models.DateField("申请日期")
    status = models.CharField("状态", max_length=16, choices=ApplicationStatus.choices, default=ApplicationStatus.PENDING)
    decided_on = models.DateField("决定日期", null=True, blank=True)
    new_valid_to = models.DateField("批准后的有效期至", null=True, blank=True)

    class Meta:
        verbose_name = "证照延期/变更申请"
        verbose_name_plural = "证照延期/变更申请"
        ordering = ["-submitted_on"]


class RegistrationChange(TimeStampedModel):
    """A dated business-registration change (工商登记变更) of principal, name, address or affiliation."""

    enterprise = models.ForeignKey(Enterprise, verbose_name="企业", on_delete=models.PROTECT, related_name="registration_changes")
    field = models.CharField("变更事项", max_length=16, choices=ChangeField.choices)
    old_value = models.CharField("变更前", max_length=255, blank=True)
    new_value = models.CharField("变更后", max_length=255)
    changed_on = models.DateField("变更日期")
    source = models.CharField("来源", max_length=32, blank=True)

    class Meta:
        verbose_name = "工商登记变更"
        verbose_name_plural = "工商登记变更"
        ordering = ["-changed_on"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "field", "changed_on", "new_value"], name="subj_regchange_unique")]


class EmergencyPlanFiling(TimeStampedModel):
    """SUB-10: an emergency plan and its filing with the authority of the right level."""

    enterprise = models.ForeignKey(Enterprise, verbose_name="企业", on_delete=models.PROTECT, related_name="plan_filings")
    plan_title = models.CharField("预案名称", max_length=200)
    published_on = models.DateField("预案发布日期")
    filed_on = models.DateField("备案日期", null=True, blank=True)
    authority_level = models.CharField("备案部门层级", max_length=16, choices=AuthorityLevel.choices, blank=True)
    filing_number = models.CharField("备案编号", max_length=64, blank=True)

    class Meta:
        verbose_name = "应急预案备案"
        verbose_name_plural = "应急预案备案"
        ordering = ["-published_on"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "plan_title", "published_on"], name="subj_plan_unique")]


class MajorHazardSource(TimeStampedModel):
    """SUB-09: a major hazard source (重大危险源) with filing, reassessment and cancellation dates."""

    enterprise = models.ForeignKey(Enterprise, verbose_name="企业", on_delete=models.PROTECT, related_name="hazard_sources")
    code = models.CharField("危险源编号", max_length=64, unique=True)
    name = models.CharField("名称", max_length=200)
    grade = models.PositiveSmallIntegerField("等级", choices=[(1, "一级"), (2, "二级"), (3, "三级"), (4, "四级")])
    identified_on = models.DateField("辨识日期")
    assessment_report_on = models.DateField("评估报告日期", null=True, blank=True)
    filed_on = models.DateField("备案日期", null=True, blank=True)
    filing_number = models.CharField("备案编号", max_length=64, blank=True)
    reassessed_on = models.DateField("重新评估日期", null=True, blank=True)
    refiled_on = models.DateField("重新备案日期", null=True, blank=True)
    no_longer_major_since = models.DateField("不再构成重大危险源日期", null=True, blank=True)
    cancellation_applied_on = models.DateField("申请核销日期", null=True, blank=True)

    class Meta:
        verbose_name = "重大危险源"
        verbose_name_plural = "重大危险源"


class ReportObligation(TimeStampedModel):
    """CLU-S01: a periodic data-report obligation and whether it was met on time and complete."""

    enterprise = models.ForeignKey(Enterprise, verbose_name="企业", on_delete=models.PROTECT, related_name="report_obligations")
    kind = models.CharField("报送事项", max_length=32, choices=ReportKind.choices)
    period = models.CharField("报送期间", max_length=16, help_text="如 2026-Q3、2026-10")
    due_on = models.DateField("截止日期")
    submitted_on = models.DateField("报送日期", null=True, blank=True)
    validation_passed = models.BooleanField("完整性校验通过", null=True, blank=True)

    class Meta:
        verbose_name = "数据报送义务"
        verbose_name_plural = "数据报送义务"
        ordering = ["-due_on"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "kind", "period"], name="subj_report_unique")]
        indexes = [models.Index(fields=["due_on", "submitted_on"], name="subj_report_due")]


class PrecursorAnnualReport(TimeStampedModel):
    """SUB-11/CLU-S13: previous year's production, sales, purchase and stock, due by 31 March."""

    enterprise = models.ForeignKey(Enterprise, verbose_name="企业", on_delete=models.PROTECT, related_name="precursor_reports")
    year = models.PositiveSmallIntegerField("报告年度")
    submitted_on = models.DateField("报告日期", null=True, blank=True)
    opening_kg = models.DecimalField("期初库存(kg)", max_digits=14, decimal_places=3, default=0)
    produced_kg = models.DecimalField("生产量(kg)", max_digits=14, decimal_places=3, default=0)
    purchased_kg = models.DecimalField("购买量(kg)", max_digits=14, decimal_places=3, default=0)
    sold_kg = models.DecimalField("销售量(kg)", max_digits=14, decimal_places=3, default=0)
    used_kg = models.DecimalField("使用量(kg)", max_digits=14, decimal_places=3, default=0)
    closing_kg = models.DecimalField("期末库存(kg)", max_digits=14, decimal_places=3, default=0)

    class Meta:
        verbose_name = "易制毒化学品年度报告"
        verbose_name_plural = "易制毒化学品年度报告"
        constraints = [models.UniqueConstraint(fields=["enterprise", "year"], name="subj_precursor_unique")]


HAZARD_CLASS_HELP = "类项编号，如 2.1、3、4.1、5.1、6.1、8.1（GB 6944 / 联合国《规章范本》类项；8.1/8.2/8.3 为酸性/碱性/其他腐蚀品旧细分）"


class ChemicalProduct(TimeStampedModel):
    """危险化学品品种: a chemical an enterprise produces or imports, with its hazardous-chemical
    registration particulars (SUB-08; CLU-S05 未办理危险化学品登记及变更).

    CLU-S05 reads two facts per row: a catalogued (`in_catalogue`) chemical produced or imported
    with no `registration_number` (not registered, HCR art. 67), and a dated change of the
    registered particulars or a newly discovered hazard property (`properties_changed_on`) without
    a change application (`change_applied_on`) within `rs("lic.hc_reg.change_wd")` working days.
    The foreign key's own index serves per-enterprise reads.
    """

    enterprise = models.ForeignKey(Enterprise, verbose_name="企业", on_delete=models.PROTECT, related_name="chemical_products")
    name = models.CharField("品名", max_length=200)
    cas_number = models.CharField("CAS号", max_length=20, blank=True)
    role = models.CharField("生产/进口", max_length=16, choices=ChemicalRole.choices)
    in_catalogue = models.BooleanField("列入《危险化学品目录》", default=False)
    registration_number = models.CharField("登记证编号", max_length=64, blank=True, help_text="空表示该品种未办理危险化学品登记")
    registered_on = models.DateField("登记日期", null=True, blank=True)
    hazard_class = models.CharField("危险类别", max_length=8, blank=True, help_text=HAZARD_CLASS_HELP)
    properties_changed_on = models.DateField(
        "登记内容/危险特性变化日期", null=True, blank=True, help_text="登记品种等登记事项变化或发现新的危险特性的日期（SUB-08）"
    )
    change_applied_on = models.DateField("变更登记申请日期", null=True, blank=True)

    class Meta:
        verbose_name = "危险化学品品种"
        verbose_name_plural = "危险化学品品种"
        ordering = ["enterprise", "name"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "name", "role"], name="subj_chem_unique")]
        indexes = [models.Index(fields=["in_catalogue", "registration_number"], name="subj_chem_cat_reg")]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_role_display()}）"


class StorageZone(TimeStampedModel):
    """储存区/库房: a storage area of an enterprise with its maximum quantity (CLU-S09; HCR art. 24
    requires storage by class in designated areas, GB 15603 series [U])."""

    enterprise = models.ForeignKey(Enterprise, verbose_name="企业", on_delete=models.PROTECT, related_name="storage_zones")
    code = models.CharField("储存区编号", max_length=32)
    name = models.CharField("储存区名称", max_length=100)
    max_quantity_t = models.DecimalField("最大储存量（吨）", max_digits=12, decimal_places=3)

    class Meta:
        verbose_name = "储存区/库房"
        verbose_name_plural = "储存区/库房"
        ordering = ["enterprise", "code"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "code"], name="subj_zone_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class StorageZoneClass(models.Model):
    """A hazard class a storage zone may hold (储存区允许存放的危险类别, CLU-S09 "分区分类储存")."""

    zone = models.ForeignKey(StorageZone, verbose_name="储存区", on_delete=models.CASCADE, related_name="allowed_classes")
    hazard_class = models.CharField("危险类别", max_length=8, help_text=HAZARD_CLASS_HELP)

    class Meta:
        verbose_name = "储存区允许类别"
        verbose_name_plural = "储存区允许类别"
        constraints = [models.UniqueConstraint(fields=["zone", "hazard_class"], name="subj_zoneclass_unique")]

    def __str__(self) -> str:
        return self.hazard_class


class StorageItem(models.Model):
    """库存明细: one chemical in a storage zone on a stock-taking/report date (CLU-S09).

    A zone's current stock is its latest snapshot: the items whose `recorded_on` equals the zone's
    maximum `recorded_on`. The (zone, recorded_on) index serves both the per-zone read and that
    maximum, so the foreign key carries no separate index.
    """

    zone = models.ForeignKey(StorageZone, verbose_name="储存区", on_delete=models.PROTECT, related_name="items", db_index=False)
    chemical_name = models.CharField("品名", max_length=200)
    cas_number = models.CharField("CAS号", max_length=20, blank=True)
    hazard_class = models.CharField("危险类别", max_length=8, help_text=HAZARD_CLASS_HELP)
    quantity_t = models.DecimalField("数量（吨）", max_digits=12, decimal_places=3)
    recorded_on = models.DateField("盘点/上报日期")
    source = models.CharField("来源系统", max_length=32, blank=True)
    reference = models.CharField("来源记录号", max_length=64, blank=True)

    class Meta:
        verbose_name = "库存明细"
        verbose_name_plural = "库存明细"
        ordering = ["zone", "-recorded_on", "chemical_name"]
        indexes = [models.Index(fields=["zone", "recorded_on"], name="subj_stitem_zone_on")]

    def __str__(self) -> str:
        return f"{self.chemical_name} {self.quantity_t}吨（{self.recorded_on}）"


class PermittedChemical(TimeStampedModel):
    """许可/登记的经营储存品种: a chemical (by CAS number) an enterprise is licensed or registered to
    store; anything else in its zones is over-variety storage (超品种储存, CLU-S09)."""

    enterprise = models.ForeignKey(Enterprise, verbose_name="企业", on_delete=models.PROTECT, related_name="permitted_chemicals")
    cas_number = models.CharField("CAS号", max_length=20)
    name = models.CharField("品名", max_length=200)

    class Meta:
        verbose_name = "许可储存品种"
        verbose_name_plural = "许可储存品种"
        ordering = ["enterprise", "cas_number"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "cas_number"], name="subj_permitted_unique")]

    def __str__(self) -> str:
        return f"{self.name}（{self.cas_number}）"


class HazardClassIncompatibility(TimeStampedModel):
    """禁配类别: two hazard classes that must not be stored together (CLU-S09 禁配物质混放混存).

    Each pair is stored once with `class_a < class_b`. Reference data seeded from
    zhifa.subjects.reference.incompatibility; the applicable GB 15603 edition and its table are
    unverified ([U] in RULES CLU-S09), which `source` says on every row.
    """

    class_a = models.CharField("类别甲", max_length=8)
    class_b = models.CharField("类别乙", max_length=8)
    reason = models.CharField("禁配理由", max_length=200, blank=True)
    source = models.TextField("依据")

    class Meta:
        verbose_name = "禁配类别"
        verbose_name_plural = "禁配类别"
        ordering = ["class_a", "class_b"]
        constraints = [
            models.UniqueConstraint(fields=["class_a", "class_b"], name="subj_incompat_unique"),
            models.CheckConstraint(condition=Q(class_a__lt=models.F("class_b")), name="subj_incompat_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.class_a} ✕ {self.class_b}"


class ActivitySignal(models.Model):
    """An operational signal (production, sale, use, storage record) proving that an enterprise
    continues to operate (act() in RULES §3.2). Append-only in practice; `reference` is the
    source system's record id and makes re-import idempotent."""

    enterprise = models.ForeignKey(Enterprise, verbose_name="企业", on_delete=models.PROTECT, related_name="activities")
    kind = models.CharField("类型", max_length=16, choices=ActivityKind.choices)
    occurred_on = models.DateField("发生日期")
    quantity = models.DecimalField("数量", max_digits=14, decimal_places=3, null=True, blank=True)
    unit = models.CharField("单位", max_length=16, blank=True)
    source = models.CharField("来源系统", max_length=32)
    reference = models.CharField("来源记录号", max_length=64)
    recorded_at = models.DateTimeField("入库时间", auto_now_add=True)

    class Meta:
        verbose_name = "经营活动记录"
        verbose_name_plural = "经营活动记录"
        constraints = [models.UniqueConstraint(fields=["source", "reference"], name="subj_activity_source_ref")]
        indexes = [models.Index(fields=["enterprise", "kind", "occurred_on"], name="subj_act_ent_kind_on")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_on}"


class ImportJob(TimeStampedModel):
    """One uploaded import file and its progress (issue 2 item 4).

    The job row records the outcome; live progress while the single import transaction is open
    is read from a JSON file (see zhifa.subjects.importing.progress). A successful import
    appends exactly one ledger entry, whose index is kept in `ledger_index`.
    """

    class Status(models.TextChoices):
        PENDING = "PENDING", "排队中"
        RUNNING = "RUNNING", "导入中"
        SUCCEEDED = "SUCCEEDED", "导入成功"
        FAILED = "FAILED", "校验未通过"
        ERROR = "ERROR", "系统错误"

    class Source(models.TextChoices):
        WEB = "web", "网页上传"
        API = "api", "接口"
        COMMAND = "command", "命令行"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="导入人", null=True, blank=True, on_delete=models.PROTECT, related_name="import_jobs")
    source = models.CharField("导入方式", max_length=16, choices=Source.choices, default=Source.WEB)
    file_name = models.CharField("文件名", max_length=255)
    file_path = models.CharField("存储路径", max_length=500)
    file_size = models.BigIntegerField("文件大小（字节）", default=0)
    sha256 = models.CharField("文件SHA-256", max_length=64, db_index=True)
    requested_kind = models.CharField("指定类型", max_length=32, blank=True)
    kind = models.CharField("数据类型", max_length=255, blank=True, help_text="识别出的类型，多个工作表时以逗号分隔")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True)
    message = models.TextField("结果说明", blank=True)
    total_rows = models.PositiveIntegerField("数据行数", default=0)
    processed_rows = models.PositiveIntegerField("已处理行数", default=0)
    created_count = models.PositiveIntegerField("新增", default=0)
    updated_count = models.PositiveIntegerField("更新", default=0)
    unchanged_count = models.PositiveIntegerField("未变化", default=0)
    error_count = models.PositiveIntegerField("错误数", default=0)
    counts = models.JSONField("分类型统计", default=dict, blank=True)
    error_report = models.CharField("错误报告文件", max_length=500, blank=True)
    ledger_index = models.BigIntegerField("账本序号", null=True, blank=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = "导入任务"
        verbose_name_plural = "导入任务"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name}（{self.get_status_display()}）"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.SUCCEEDED, self.Status.FAILED, self.Status.ERROR}
