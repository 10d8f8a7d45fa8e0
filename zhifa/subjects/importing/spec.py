"""The import templates as data: one `ImportKind` per file kind, each a tuple of `Column`s.

Everything else is derived from these definitions: the downloadable .xlsx/.csv templates
(`template_files`), the column tables in docs/import.md (`template_files.docs_markdown`), header
recognition and the row validators (`validation`). Changing a column here changes all of them.

Cross-field rules of a row are small pure functions below, each citing its RULES.md ID.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from zhifa.accounts.choices import EnforcementLevel
from zhifa.common.ids import make_uscc

from ..choices import (
    OPEN_ENDED_LICENCE_TYPES,
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
from ..reference.incompatibility import HAZARD_CLASSES
from .parsers import (
    Boolean,
    CasNumber,
    CellError,
    Choice,
    ChoiceList,
    Date,
    DecimalNumber,
    IdNumber,
    Integer,
    OrganisationRef,
    Parser,
    Period,
    Phone,
    Text,
    Uscc,
)

# A finding of a row rule: (column key the message is attached to, Chinese message).
RowFinding = tuple[str, str]
RowRule = Callable[[dict[str, Any]], list[RowFinding]]

_UNSET = object()


@dataclass(frozen=True)
class Column:
    """One template column: record key (= model field where possible), Chinese header, parser."""

    key: str
    header: str
    parser: Parser
    required: bool = False
    help: str = ""
    example: str = ""
    # Value stored when the cell is blank (only for optional columns).
    blank: Any = None
    # Extra header spellings accepted on import (older exports, abbreviations).
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportKind:
    """One kind of import file (one template). `key_columns` form the natural key that makes
    re-import idempotent; `key_label` names it in Chinese for duplicate-row messages."""

    key: str
    label: str
    description: str
    columns: tuple[Column, ...]
    key_columns: tuple[str, ...]
    key_label: str
    rules: tuple[RowRule, ...] = ()
    # The column holding the enterprise's USCC, if rows belong to an enterprise.
    enterprise_column: str | None = "uscc"
    notes: tuple[str, ...] = field(default=())
    # Natural key of a clean record; defaults to the values of `key_columns`.
    key_function: Callable[[dict[str, Any]], tuple] | None = None

    def natural_key(self, rec: dict[str, Any]) -> tuple:
        if self.key_function is not None:
            return self.key_function(rec)
        return tuple(rec.get(k) for k in self.key_columns)

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    @property
    def required_headers(self) -> tuple[str, ...]:
        return tuple(c.header for c in self.columns if c.required)


# --- Example values shared by the templates (they describe one fictitious enterprise) -------------
EXAMPLE_USCC = make_uscc("310107", 900_001)
EXAMPLE_NAME = "示例：上海某某化工有限公司"
EXAMPLE_ADDRESS = "上海市普陀区示例路100号"
EXAMPLE_PRINCIPAL = "张示例"

INDUSTRY = Choice(Industry.choices, what="行业领域")
SCALE = Choice(Scale.choices, what="规模")
AFFILIATION = Choice(Affiliation.choices, what="隶属关系")
LEVEL = Choice(EnforcementLevel.choices, what="执法层级")
LICENCE_TYPE = Choice(LicenceType.choices, what="证照类型")
GRADE = Choice([(1, "一级"), (2, "二级"), (3, "三级"), (4, "四级")], what="危险源等级")
HAZARD_CLASS = Choice(list(HAZARD_CLASSES.items()), what="危险类别")


def _uscc_column(header: str = "统一社会信用代码", help_text: str = "所属企业的统一社会信用代码；企业须已在系统中登记，或在同一工作簿的“企业”工作表中") -> Column:
    return Column("uscc", header, Uscc(), required=True, help=help_text, example=EXAMPLE_USCC, aliases=("信用代码", "社会信用代码"))


# --- Row rules (pure; each cites its rule) ---------------------------------------------------------


def rule_sub_04_licence_validity(rec: dict[str, Any]) -> list[RowFinding]:
    """SUB-04: every licence has `valid_to` except precursor filings, and `valid_to >= valid_from`
    (the register's CheckConstraint subj_licence_valid_range enforces the same)."""
    findings: list[RowFinding] = []
    licence_type, valid_from, valid_to = rec.get("licence_type"), rec.get("valid_from"), rec.get("valid_to")
    if licence_type is not None and valid_to is None and "valid_to" in rec and licence_type not in OPEN_ENDED_LICENCE_TYPES:
        findings.append(("valid_to", f"“{LICENCE_TYPE.label_of(licence_type)}”必须填写有效期至（SUB-04，仅易制毒化学品备案证明可不填）"))
    elif licence_type is not None and "valid_to" not in rec and licence_type not in OPEN_ENDED_LICENCE_TYPES:
        findings.append(("valid_to", "缺少“有效期至”列，该类证照必须填写有效期至（SUB-04）"))
    if isinstance(valid_from, date) and isinstance(valid_to, date) and valid_to < valid_from:
        findings.append(("valid_to", f"有效期至（{valid_to.isoformat()}）早于有效期自（{valid_from.isoformat()}）"))
    return findings


def rule_sub_04_application(rec: dict[str, Any]) -> list[RowFinding]:
    """SUB-04 pending extension/change applications: a change application names the changed
    particular (SUB-06/SUB-07/SUB-08 deadlines run from that change); a decision cannot precede
    the application."""
    findings: list[RowFinding] = []
    if rec.get("kind") == ApplicationKind.CHANGE and not rec.get("change_field"):
        findings.append(("change_field", "申请类型为“变更”时必须填写变更事项"))
    submitted, decided = rec.get("submitted_on"), rec.get("decided_on")
    if isinstance(submitted, date) and isinstance(decided, date) and decided < submitted:
        findings.append(("decided_on", f"决定日期（{decided.isoformat()}）早于申请日期（{submitted.isoformat()}）"))
    return findings


def rule_sub_03_principal_identity(rec: dict[str, Any]) -> list[RowFinding]:
    """SUB-03: the principal person is a named natural person; an ID number or phone without a
    name cannot be attached to anybody."""
    if not rec.get("principal_name") and (rec.get("principal_id_number") or rec.get("principal_phone")):
        return [("principal_name", "填写了主要负责人身份证号码或电话时，必须填写主要负责人姓名")]
    return []


def rule_sub_17_person_validity(rec: dict[str, Any]) -> list[RowFinding]:
    """SUB-17: roles and contact authorisations carry validity dates; the end cannot precede the start."""
    start, end = rec.get("valid_from"), rec.get("valid_to")
    if isinstance(start, date) and isinstance(end, date) and end < start:
        return [("valid_to", f"任职截止（{end.isoformat()}）早于任职起始（{start.isoformat()}）")]
    return []


def rule_sub_03_affiliation_change(rec: dict[str, Any]) -> list[RowFinding]:
    """SUB-03/SUB-07: an affiliation (隶属关系) change must name a known affiliation, because the
    master record stores the code and the emergency-plan filing authority depends on it (SUB-10)."""
    if rec.get("field") != ChangeField.AFFILIATION:
        return []
    findings: list[RowFinding] = []
    for key in ("new_value", "old_value"):
        value = rec.get(key)
        if not value:
            continue
        try:
            AFFILIATION.parse(value)
        except CellError as exc:
            findings.append((key, exc.message))
    return findings


def rule_sub_10_filing_after_publication(rec: dict[str, Any]) -> list[RowFinding]:
    """SUB-10: an emergency plan is filed after it is published (the 20-working-day filing period
    runs from publication), so a filing date before the publication date is a data error."""
    published, filed = rec.get("published_on"), rec.get("filed_on")
    if isinstance(published, date) and isinstance(filed, date) and filed < published:
        return [("filed_on", f"备案日期（{filed.isoformat()}）早于预案发布日期（{published.isoformat()}）")]
    return []


def rule_sub_09_hazard_dates(rec: dict[str, Any]) -> list[RowFinding]:
    """SUB-09: the filing follows the assessment report (15-day filing period) and a cancellation
    is applied for after the source stopped qualifying; reversed dates are data errors."""
    findings: list[RowFinding] = []
    report, filed = rec.get("assessment_report_on"), rec.get("filed_on")
    if isinstance(report, date) and isinstance(filed, date) and filed < report:
        findings.append(("filed_on", f"备案日期（{filed.isoformat()}）早于评估报告日期（{report.isoformat()}）"))
    since, applied = rec.get("no_longer_major_since"), rec.get("cancellation_applied_on")
    if isinstance(since, date) and isinstance(applied, date) and applied < since:
        findings.append(("cancellation_applied_on", f"申请核销日期（{applied.isoformat()}）早于不再构成重大危险源日期（{since.isoformat()}）"))
    return findings


def rule_sub_08_registration_particulars(rec: dict[str, Any]) -> list[RowFinding]:
    """SUB-08 / CLU-S05: a registration date belongs to a registration (certificate number); a change
    application answers a dated change of the registered particulars or a newly found hazard
    property, so it needs that date (the change period runs from it)."""
    findings: list[RowFinding] = []
    if rec.get("registered_on") and not rec.get("registration_number"):
        findings.append(("registration_number", "填写了登记日期时必须填写登记证编号（未登记的品种两列均留空）"))
    if rec.get("change_applied_on") and not rec.get("properties_changed_on"):
        findings.append(("properties_changed_on", "填写了变更登记申请日期时必须填写登记事项/危险特性变化日期（SUB-08）"))
    return findings


# --- The kinds -------------------------------------------------------------------------------------

ENTERPRISES = ImportKind(
    key="enterprises",
    label="企业",
    description="生产经营单位主档（SUB-01/SUB-02/SUB-03），以统一社会信用代码为键：已存在则更新，不存在则新增。",
    key_columns=("uscc",),
    key_label="统一社会信用代码",
    enterprise_column=None,
    rules=(rule_sub_03_principal_identity,),
    notes=(
        "主要负责人三列留空时不修改已登记的主要负责人；填写身份证号码时按身份证号码识别同一人。",
        "“负责机构”填写机构代码（或机构全称），决定该企业由哪一级执法主体负责（一企一层级，SUB-02）。",
    ),
    columns=(
        Column("uscc", "统一社会信用代码", Uscc(), required=True, example=EXAMPLE_USCC, aliases=("信用代码", "社会信用代码")),
        Column("name", "单位名称", Text(200), required=True, example=EXAMPLE_NAME, aliases=("企业名称",)),
        Column("registered_address", "注册地址", Text(255), required=True, example=EXAMPLE_ADDRESS),
        Column("business_address", "经营地址", Text(255), blank="", example=EXAMPLE_ADDRESS),
        Column("industry", "行业领域", INDUSTRY, required=True, example=Industry.HAZCHEM.label),
        Column("scale", "规模", SCALE, required=True, example=Scale.SMALL.label, aliases=("企业规模",)),
        Column("affiliation", "隶属关系", AFFILIATION, required=True, example=Affiliation.PRIVATE.label),
        Column("enforcement_level", "执法层级", LEVEL, required=True, example=EnforcementLevel.DISTRICT.label),
        Column("organisation", "负责机构", OrganisationRef(), required=True, example="SH-PT", aliases=("负责机构代码", "属地/负责机构")),
        Column("principal_name", "主要负责人", Text(50), blank="", example=EXAMPLE_PRINCIPAL),
        Column("principal_id_number", "主要负责人身份证号码", IdNumber(), blank="", example="110101199003074514"),
        Column("principal_phone", "主要负责人联系电话", Phone(), blank="", example="13912345678"),
        Column("status", "经营状态", Choice(EnterpriseStatus.choices, what="经营状态"), blank=EnterpriseStatus.ACTIVE, example=EnterpriseStatus.ACTIVE.label),
        Column("is_key_unit", "重点单位", Boolean(), blank=False, example="否"),
        Column("is_chemical_enterprise", "化工企业", Boolean(), blank=False, example="是"),
        Column("hc_producer", "危化品生产", Boolean(), blank=False, example="否"),
        Column("hc_operator", "危化品经营", Boolean(), blank=False, example="是"),
        Column("hc_user", "危化品使用", Boolean(), blank=False, example="否"),
        Column("hc_storage", "危化品储存", Boolean(), blank=False, example="是"),
        Column("hc_importer", "危化品进口", Boolean(), blank=False, example="否"),
        Column("hc_use_ratio", "危化品使用量与数量标准之比", DecimalNumber(8, 3), help="≥1 时须取得安全使用许可证（SUB-07）", example="0.5"),
        Column("precursor_role", "非药品类易制毒化学品", Choice(PrecursorRole.choices, what="易制毒化学品类别"), blank=PrecursorRole.NONE, example=PrecursorRole.NONE.label),
        Column("credit_grade", "信用/分级等级", Choice(CreditGrade.choices, what="等级"), blank="", example="B"),
        Column("plan_filing_obliged", "应急预案备案义务", Boolean(), blank=False, example="是"),
    ),
)

def _person_key(rec: dict[str, Any]) -> tuple:
    """A person at an enterprise is identified by ID number when given, else by name."""
    who = ("id", rec.get("id_number")) if rec.get("id_number") else ("name", rec.get("person_name"))
    return (rec.get("uscc"), rec.get("role"), *who)


PERSONS = ImportKind(
    key="persons",
    label="企业人员",
    description="企业的主要负责人、法定代表人、安全管理负责人和联系人（SUB-03/SUB-17）。身份证号码、电话、住址只保存一次，显示时脱敏。",
    key_columns=("uscc", "role", "id_number", "person_name"),
    key_label="企业+职务+身份证号码（无身份证号码时为姓名）",
    key_function=_person_key,
    rules=(rule_sub_17_person_validity,),
    notes=("职务为“主要负责人”且任职未截止的人员，同时设为该企业的主要负责人。",),
    columns=(
        _uscc_column(),
        Column("person_name", "姓名", Text(50), required=True, example=EXAMPLE_PRINCIPAL),
        Column("role", "职务", Choice(PersonRole.choices, what="职务"), required=True, example=PersonRole.CONTACT.label),
        Column("id_number", "身份证号码", IdNumber(), blank="", example="110101199003074514"),
        Column("phone", "联系电话", Phone(), blank="", example="13912345678"),
        Column("address", "住址", Text(200), blank="", example="上海市普陀区示例路1弄1号"),
        Column("valid_from", "任职起始", Date(), example="2024-01-01"),
        Column("valid_to", "任职截止", Date(), example=""),
    ),
)

LICENCES = ImportKind(
    key="licences",
    label="许可证照",
    description="许可证和证书（SUB-04—SUB-08），以“证照类型+证书编号”为键。证载事项是证书上记载的单位名称、地址、主要负责人，用于发现未办理变更的情形。",
    key_columns=("licence_type", "number"),
    key_label="证照类型+证书编号",
    rules=(rule_sub_04_licence_validity,),
    notes=("除“非药品类易制毒化学品备案证明”外，必须填写有效期至（SUB-04）。", "同一证书编号已登记在其他企业名下时拒绝导入。"),
    columns=(
        _uscc_column(help_text="持证单位的统一社会信用代码；企业须已登记，或在同一工作簿的“企业”工作表中"),
        Column("licence_type", "证照类型", LICENCE_TYPE, required=True, example=LicenceType.HC_OPERATION.label),
        Column("number", "证书编号", Text(64), required=True, example="沪普应急经字〔2024〕000001"),
        Column("issuing_authority", "发证机关", Text(100), blank="", example="上海市普陀区应急管理局"),
        Column("valid_from", "有效期自", Date(), required=True, example="2024-01-01"),
        Column("valid_to", "有效期至", Date(), help="SUB-04：除易制毒化学品备案证明外必填", example="2026-12-31"),
        Column("status", "证照状态", Choice(LicenceStatus.choices, what="证照状态"), blank=LicenceStatus.VALID, example=LicenceStatus.VALID.label),
        Column("scope", "许可范围/品种", Text(2000), blank="", example="汽油、柴油（不带储存设施）"),
        Column("recorded_name", "证载单位名称", Text(200), required=True, example=EXAMPLE_NAME),
        Column("recorded_address", "证载地址", Text(255), required=True, example=EXAMPLE_ADDRESS),
        Column("recorded_principal", "证载主要负责人", Text(50), required=True, example=EXAMPLE_PRINCIPAL),
        Column("recorded_affiliation", "证载隶属关系", AFFILIATION, blank="", example=Affiliation.PRIVATE.label),
    ),
)

LICENCE_APPLICATIONS = ImportKind(
    key="licence_applications",
    label="证照延期/变更申请",
    description="证照的延期、变更、复核换证申请（SUB-04 待办申请），以“证照+申请类型+变更事项+申请日期”为键。",
    key_columns=("licence_type", "number", "kind", "change_field", "submitted_on"),
    key_label="证照类型+证书编号+申请类型+变更事项+申请日期",
    enterprise_column=None,
    rules=(rule_sub_04_application,),
    notes=("所引用的证照须已在系统中登记，或在同一工作簿的“许可证照”工作表中。",),
    columns=(
        Column("licence_type", "证照类型", LICENCE_TYPE, required=True, example=LicenceType.HC_OPERATION.label),
        Column("number", "证书编号", Text(64), required=True, example="沪普应急经字〔2024〕000001"),
        Column("kind", "申请类型", Choice(ApplicationKind.choices, what="申请类型"), required=True, example=ApplicationKind.EXTENSION.label),
        Column("change_field", "变更事项", Choice(ChangeField.choices, what="变更事项"), blank="", help="申请类型为“变更”时必填", example=""),
        Column("submitted_on", "申请日期", Date(), required=True, example="2026-09-15"),
        Column("status", "申请状态", Choice(ApplicationStatus.choices, what="申请状态"), blank=ApplicationStatus.PENDING, example=ApplicationStatus.PENDING.label),
        Column("decided_on", "决定日期", Date(), example=""),
        Column("new_valid_to", "批准后的有效期至", Date(), example=""),
    ),
)

REGISTRATION_CHANGES = ImportKind(
    key="registration_changes",
    label="工商登记变更",
    description="工商登记变更记录（主要负责人、单位名称、注册地址、隶属关系），以“企业+变更事项+变更日期+变更后”为键。",
    key_columns=("uscc", "field", "changed_on", "new_value"),
    key_label="企业+变更事项+变更日期+变更后",
    rules=(rule_sub_03_affiliation_change,),
    notes=(
        "新增的变更记录若是该企业该事项最新的一条，同时更新企业主档；证照的证载事项不变，以便发现未办理变更（CLU-S04/S08/S11）。",
        "变更事项为“隶属关系”时，变更前/变更后须为允许的隶属关系。",
    ),
    columns=(
        _uscc_column(),
        Column("field", "变更事项", Choice(ChangeField.choices, what="变更事项"), required=True, example=ChangeField.PRINCIPAL.label),
        Column("old_value", "变更前", Text(255), blank="", example=EXAMPLE_PRINCIPAL),
        Column("new_value", "变更后", Text(255), required=True, example="李示例"),
        Column("changed_on", "变更日期", Date(), required=True, example="2026-03-01"),
        Column("source", "来源", Text(32), blank="", example="市场监管"),
    ),
)

PLAN_FILINGS = ImportKind(
    key="plan_filings",
    label="应急预案备案",
    description="应急预案及其备案（SUB-10），以“企业+预案名称+预案发布日期”为键。",
    key_columns=("uscc", "plan_title", "published_on"),
    key_label="企业+预案名称+预案发布日期",
    rules=(rule_sub_10_filing_after_publication,),
    columns=(
        _uscc_column(),
        Column("plan_title", "预案名称", Text(200), required=True, example="生产安全事故综合应急预案"),
        Column("published_on", "预案发布日期", Date(), required=True, example="2026-01-10"),
        Column("filed_on", "备案日期", Date(), example="2026-01-25"),
        Column("authority_level", "备案部门层级", Choice(AuthorityLevel.choices, what="备案部门层级"), blank="", example=AuthorityLevel.DISTRICT.label),
        Column("filing_number", "备案编号", Text(64), blank="", example="普应急预备〔2026〕001"),
    ),
)

HAZARD_SOURCES = ImportKind(
    key="hazard_sources",
    label="重大危险源",
    description="重大危险源的辨识、评估、备案和核销（SUB-09），以危险源编号为键。",
    key_columns=("code",),
    key_label="危险源编号",
    rules=(rule_sub_09_hazard_dates,),
    notes=("同一危险源编号已登记在其他企业名下时拒绝导入。",),
    columns=(
        _uscc_column(),
        Column("code", "危险源编号", Text(64), required=True, example="MHS-310107-0001"),
        Column("name", "危险源名称", Text(200), required=True, example="甲类仓库"),
        Column("grade", "危险源等级", GRADE, required=True, example="三级"),
        Column("identified_on", "辨识日期", Date(), required=True, example="2025-06-01"),
        Column("assessment_report_on", "评估报告日期", Date(), example="2025-07-01"),
        Column("filed_on", "备案日期", Date(), example="2025-07-10"),
        Column("filing_number", "备案编号", Text(64), blank="", example="普危备〔2025〕012"),
        Column("reassessed_on", "重新评估日期", Date(), example=""),
        Column("refiled_on", "重新备案日期", Date(), example=""),
        Column("no_longer_major_since", "不再构成重大危险源日期", Date(), example=""),
        Column("cancellation_applied_on", "申请核销日期", Date(), example=""),
    ),
)

REPORT_OBLIGATIONS = ImportKind(
    key="report_obligations",
    label="数据报送义务",
    description="定期数据报送义务及报送情况（CLU-S01），以“企业+报送事项+报送期间”为键。",
    key_columns=("uscc", "kind", "period"),
    key_label="企业+报送事项+报送期间",
    columns=(
        _uscc_column(),
        Column("kind", "报送事项", Choice(ReportKind.choices, what="报送事项"), required=True, example=ReportKind.SAFETY_STATS.label),
        Column("period", "报送期间", Period(), required=True, example="2026-Q3"),
        Column("due_on", "截止日期", Date(), required=True, example="2026-10-15"),
        Column("submitted_on", "报送日期", Date(), example="2026-10-12"),
        Column("validation_passed", "完整性校验通过", Boolean(), blank=None, help="留空表示尚未校验", example="是"),
    ),
)

PRECURSOR_REPORTS = ImportKind(
    key="precursor_reports",
    label="易制毒化学品年度报告",
    description="非药品类易制毒化学品上一年度生产、销售、购买、库存情况（SUB-11，每年3月31日前报告），以“企业+报告年度”为键。",
    key_columns=("uscc", "year"),
    key_label="企业+报告年度",
    columns=(
        _uscc_column(),
        Column("year", "报告年度", Integer(2000, 2100), required=True, example="2025"),
        Column("submitted_on", "报告日期", Date(), help="空表示未报告", example="2026-03-20"),
        Column("opening_kg", "期初库存（kg）", DecimalNumber(14, 3), blank=0, example="1200"),
        Column("produced_kg", "生产量（kg）", DecimalNumber(14, 3), blank=0, example="0"),
        Column("purchased_kg", "购买量（kg）", DecimalNumber(14, 3), blank=0, example="5000"),
        Column("sold_kg", "销售量（kg）", DecimalNumber(14, 3), blank=0, example="4800"),
        Column("used_kg", "使用量（kg）", DecimalNumber(14, 3), blank=0, example="0"),
        Column("closing_kg", "期末库存（kg）", DecimalNumber(14, 3), blank=0, example="1400"),
    ),
)

ACTIVITY_SIGNALS = ImportKind(
    key="activity_signals",
    label="经营活动记录",
    description="生产、销售/出库、使用、储存记录，用于证明企业仍在经营（RULES §3.2 act()），以“来源系统+来源记录号”为键。",
    key_columns=("source", "reference"),
    key_label="来源系统+来源记录号",
    notes=("同一来源记录号已登记在其他企业名下时拒绝导入。",),
    columns=(
        _uscc_column(),
        Column("kind", "活动类型", Choice(ActivityKind.choices, what="活动类型"), required=True, example=ActivityKind.SALE.label),
        Column("occurred_on", "发生日期", Date(), required=True, example="2026-06-01"),
        Column("quantity", "数量", DecimalNumber(14, 3), example="2.5"),
        Column("unit", "单位", Text(16), blank="", example="吨"),
        Column("source", "来源系统", Text(32), required=True, example="hazchem"),
        Column("reference", "来源记录号", Text(64), required=True, example="CK2026060100001"),
    ),
)

CHEMICAL_PRODUCTS = ImportKind(
    key="chemical_products",
    label="危险化学品品种",
    description="企业生产或进口的化学品品种及其危险化学品登记情况（SUB-08，CLU-S05），以“企业+品名+生产/进口”为键。",
    key_columns=("uscc", "name", "role"),
    key_label="企业+品名+生产/进口",
    rules=(rule_sub_08_registration_particulars,),
    notes=(
        "登记证编号留空表示该品种未办理危险化学品登记；列入《危险化学品目录》的生产、进口品种未登记即构成 CLU-S05 线索。",
        "登记事项（名称、登记品种、应急咨询电话等）变化或发现新的危险特性时，填写变化日期；已申请变更登记的，填写申请日期。",
    ),
    columns=(
        _uscc_column(),
        Column("name", "品名", Text(200), required=True, example="甲苯", aliases=("化学品名称",)),
        Column("cas_number", "CAS号", CasNumber(), blank="", example="108-88-3"),
        Column("role", "生产/进口", Choice(ChemicalRole.choices, what="生产/进口"), required=True, example=ChemicalRole.PRODUCED.label),
        Column("in_catalogue", "列入危险化学品目录", Boolean(), required=True, example="是", aliases=("列入《危险化学品目录》",)),
        Column("registration_number", "登记证编号", Text(64), blank="", help="空表示未办理危险化学品登记", example="310000000001"),
        Column("registered_on", "登记日期", Date(), example="2024-03-01"),
        Column("hazard_class", "危险类别", HAZARD_CLASS, blank="", example="3"),
        Column("properties_changed_on", "登记事项/危险特性变化日期", Date(), example=""),
        Column("change_applied_on", "变更登记申请日期", Date(), example=""),
    ),
)

PERMITTED_CHEMICALS = ImportKind(
    key="permitted_chemicals",
    label="许可储存品种",
    description="企业经许可或登记可以经营、储存的化学品品种（CLU-S09 超品种储存的比对依据），以“企业+CAS号”为键。",
    key_columns=("uscc", "cas_number"),
    key_label="企业+CAS号",
    columns=(
        _uscc_column(),
        Column("cas_number", "CAS号", CasNumber(), required=True, example="108-88-3"),
        Column("name", "品名", Text(200), required=True, example="甲苯", aliases=("化学品名称",)),
    ),
)

STORAGE_ZONES = ImportKind(
    key="storage_zones",
    label="储存区/库房",
    description="企业的储存区（库房、罐区）、允许存放的危险类别和最大储存量（CLU-S09），以“企业+储存区编号”为键。",
    key_columns=("uscc", "code"),
    key_label="企业+储存区编号",
    notes=("“允许存放的危险类别”列出现时，以文件内容替换该储存区已登记的类别。",),
    columns=(
        _uscc_column(),
        Column("code", "储存区编号", Text(32), required=True, example="KF-01"),
        Column("name", "储存区名称", Text(100), required=True, example="1号甲类仓库"),
        Column("max_quantity_t", "最大储存量（吨）", DecimalNumber(12, 3), required=True, example="50"),
        Column("allowed_classes", "允许存放的危险类别", ChoiceList(HAZARD_CLASS), required=True, example="3、6.1",
               help="危险类别的类项编号或名称"),
    ),
)

STORAGE_ITEMS = ImportKind(
    key="storage_items",
    label="库存明细",
    description="储存区的库存盘点或上报明细（CLU-S09）：同一储存区最新盘点日期的明细即为当前库存。以“企业+储存区编号+盘点日期+品名+CAS号”为键。",
    key_columns=("uscc", "zone_code", "recorded_on", "chemical_name", "cas_number"),
    key_label="企业+储存区编号+盘点日期+品名+CAS号",
    notes=("所引用的储存区须已在系统中登记，或在同一工作簿的“储存区/库房”工作表中。",),
    columns=(
        _uscc_column(),
        Column("zone_code", "储存区编号", Text(32), required=True, example="KF-01"),
        Column("chemical_name", "品名", Text(200), required=True, example="甲苯", aliases=("化学品名称",)),
        Column("cas_number", "CAS号", CasNumber(), blank="", example="108-88-3"),
        Column("hazard_class", "危险类别", HAZARD_CLASS, required=True, example="3"),
        Column("quantity_t", "数量（吨）", DecimalNumber(12, 3), required=True, example="12.5"),
        Column("recorded_on", "盘点日期", Date(), required=True, example="2026-06-01", aliases=("上报日期", "盘点/上报日期")),
        Column("source", "来源系统", Text(32), blank="", example="hazchem"),
        Column("reference", "来源记录号", Text(64), blank="", example="KC2026060100001"),
    ),
)

# Order matters: kinds are validated and written in this order, so a workbook may carry the
# enterprises a licence sheet refers to, and the licences an application sheet refers to.
KINDS: tuple[ImportKind, ...] = (
    ENTERPRISES,
    PERSONS,
    LICENCES,
    LICENCE_APPLICATIONS,
    REGISTRATION_CHANGES,
    PLAN_FILINGS,
    HAZARD_SOURCES,
    REPORT_OBLIGATIONS,
    PRECURSOR_REPORTS,
    ACTIVITY_SIGNALS,
    CHEMICAL_PRODUCTS,
    PERMITTED_CHEMICALS,
    STORAGE_ZONES,
    STORAGE_ITEMS,
)
KINDS_BY_KEY = {k.key: k for k in KINDS}
KIND_CHOICES = [(k.key, k.label) for k in KINDS]


def kind_from_text(text: str | None) -> ImportKind | None:
    """Resolve an explicitly given kind by key ("licences") or Chinese label ("许可证照")."""
    value = (text or "").strip()
    if not value:
        return None
    for kind in KINDS:
        if value.lower() == kind.key or value == kind.label:
            return kind
    raise CellError(f"未知的导入类型“{value}”，允许：{'、'.join(f'{k.label}（{k.key}）' for k in KINDS)}")


def kind_label(keys: str) -> str:
    """Chinese label of a stored kind value (comma-separated keys for multi-sheet workbooks)."""
    return "、".join(KINDS_BY_KEY[k].label if k in KINDS_BY_KEY else k for k in (keys or "").split(",") if k)
