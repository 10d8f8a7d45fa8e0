"""Importing files end to end (reading, validation, writing, ledger) through the runner used by
the web page, the API and the command."""
from __future__ import annotations

import hashlib
import json
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from zhifa.common.ids import make_uscc
from zhifa.ledger.models import LedgerEntry
from zhifa.subjects.choices import Affiliation, ApplicationStatus, LicenceType, PersonRole
from zhifa.subjects.importing import validation
from zhifa.subjects.importing import writers as writers_module
from zhifa.subjects.importing.issues import FileRejected
from zhifa.subjects.importing.spec import KINDS
from zhifa.subjects.importing.template_files import DOCS_BEGIN, csv_template, docs_markdown, docs_section, xlsx_template
from zhifa.subjects.models import (
    ActivitySignal,
    ChemicalProduct,
    EmergencyPlanFiling,
    Enterprise,
    EnterprisePerson,
    ImportJob,
    Licence,
    LicenceApplication,
    MajorHazardSource,
    PermittedChemical,
    Person,
    PrecursorAnnualReport,
    RegistrationChange,
    ReportObligation,
    StorageItem,
    StorageZone,
    StorageZoneClass,
)
from zhifa.subjects.tests.factories import EnterpriseFactory, LicenceFactory, StorageZoneFactory

from .test_import_support import (  # noqa: F401 (import_var_dir is an autouse fixture)
    U1,
    U2,
    U3,
    enterprise_row,
    headers,
    id_number,
    import_file,
    import_var_dir,
    issues_of,
    licence_row,
    table,
    write_csv,
    write_xlsx,
)

REPO = Path(__file__).resolve().parents[3]

# Two data rows per kind (enterprise U1 exists beforehand for every kind but "enterprises").
SAMPLES = {
    "enterprises": (Enterprise, [enterprise_row(U1), enterprise_row(U2, "上海乙贸易有限公司", 主要负责人身份证号码=id_number(2), 主要负责人联系电话="13900000002")]),
    "persons": (
        EnterprisePerson,
        [
            {"统一社会信用代码": U1, "姓名": "李四", "职务": "联系人", "身份证号码": id_number(3), "联系电话": "13800000001", "住址": "上海市普陀区1弄1号", "任职起始": "2024-01-01"},
            {"统一社会信用代码": U1, "姓名": "王五", "职务": "主要负责人", "联系电话": "13800000002", "任职起始": "2025-01-01"},
        ],
    ),
    "licences": (
        Licence,
        [
            licence_row(U1, "沪经-0001", 发证机关="普陀区应急管理局", 证载隶属关系="民营/其他", **{"许可范围/品种": "汽油"}),
            licence_row(U1, "备-0001", 证照类型="非药品类易制毒化学品备案证明", 有效期至=""),
        ],
    ),
    "licence_applications": (
        LicenceApplication,
        [
            {"证照类型": "危险化学品经营许可证", "证书编号": "沪经-0009", "申请类型": "延期", "申请日期": "2026-09-01"},
            {"证照类型": "LIC_HC_OPERATION", "证书编号": "沪经-0009", "申请类型": "变更", "变更事项": "单位名称", "申请日期": "2026-03-01", "申请状态": "已批准", "决定日期": "2026-03-10"},
        ],
    ),
    "registration_changes": (
        RegistrationChange,
        [
            {"统一社会信用代码": U1, "变更事项": "单位名称", "变更前": "旧名称", "变更后": "上海新名称化工有限公司", "变更日期": "2026-02-01", "来源": "市场监管"},
            {"统一社会信用代码": U1, "变更事项": "隶属关系", "变更后": "区属", "变更日期": "2026-02-02"},
        ],
    ),
    "plan_filings": (
        EmergencyPlanFiling,
        [
            {"统一社会信用代码": U1, "预案名称": "综合应急预案", "预案发布日期": "2026-01-10", "备案日期": "2026-01-20", "备案部门层级": "区级应急管理部门", "备案编号": "备-01"},
            {"统一社会信用代码": U1, "预案名称": "专项应急预案", "预案发布日期": "2026年2月1日"},
        ],
    ),
    "hazard_sources": (
        MajorHazardSource,
        [
            {"统一社会信用代码": U1, "危险源编号": "MHS-1", "危险源名称": "罐区", "危险源等级": "二级", "辨识日期": "2025-01-01", "评估报告日期": "2025-02-01", "备案日期": "2025-02-10"},
            {"统一社会信用代码": U1, "危险源编号": "MHS-2", "危险源名称": "仓库", "危险源等级": "4", "辨识日期": "2025/1/1"},
        ],
    ),
    "report_obligations": (
        ReportObligation,
        [
            {"统一社会信用代码": U1, "报送事项": "安全生产统计报表", "报送期间": "2026-Q3", "截止日期": "2026-10-15", "报送日期": "2026-10-10", "完整性校验通过": "是"},
            {"统一社会信用代码": U1, "报送事项": "HIDDEN_DANGER", "报送期间": "2026-10", "截止日期": "2026-11-05"},
        ],
    ),
    "precursor_reports": (
        PrecursorAnnualReport,
        [
            {"统一社会信用代码": U1, "报告年度": "2025", "报告日期": "2026-03-20", "期初库存（kg）": "100", "购买量（kg）": "50", "销售量（kg）": "30", "期末库存（kg）": "120"},
            {"统一社会信用代码": U1, "报告年度": "2024"},
        ],
    ),
    "activity_signals": (
        ActivitySignal,
        [
            {"统一社会信用代码": U1, "活动类型": "销售/出库", "发生日期": "2026-06-01", "数量": "2.5", "单位": "吨", "来源系统": "hazchem", "来源记录号": "R-1"},
            {"统一社会信用代码": U1, "活动类型": "PRODUCTION", "发生日期": "2026-06-02", "来源系统": "hazchem", "来源记录号": "R-2"},
        ],
    ),
    "chemical_products": (
        ChemicalProduct,
        [
            {"统一社会信用代码": U1, "品名": "甲苯", "CAS号": "108-88-3", "生产/进口": "生产", "列入危险化学品目录": "是", "登记证编号": "310000000001",
             "登记日期": "2024-03-01", "危险类别": "3"},
            {"统一社会信用代码": U1, "品名": "硫酸", "CAS号": "7664-93-9", "生产/进口": "IMPORTED", "列入危险化学品目录": "是", "危险类别": "酸性腐蚀品",
             "登记事项/危险特性变化日期": "2026-02-01", "变更登记申请日期": "2026-02-05"},
        ],
    ),
    "permitted_chemicals": (
        PermittedChemical,
        [
            {"统一社会信用代码": U1, "CAS号": "108-88-3", "品名": "甲苯"},
            {"统一社会信用代码": U1, "CAS号": "67-64-1", "品名": "丙酮"},
        ],
    ),
    "storage_zones": (
        StorageZone,
        [
            {"统一社会信用代码": U1, "储存区编号": "KF-11", "储存区名称": "1号甲类仓库", "最大储存量（吨）": "50", "允许存放的危险类别": "3"},
            {"统一社会信用代码": U1, "储存区编号": "KF-12", "储存区名称": "综合仓库", "最大储存量（吨）": "80.5", "允许存放的危险类别": "3、毒性物质"},
        ],
    ),
    "storage_items": (
        StorageItem,
        [
            {"统一社会信用代码": U1, "储存区编号": "KF-01", "品名": "甲苯", "CAS号": "108-88-3", "危险类别": "3", "数量（吨）": "12.5", "盘点日期": "2026-06-01",
             "来源系统": "hazchem", "来源记录号": "KC-1"},
            {"统一社会信用代码": U1, "储存区编号": "KF-01", "品名": "丙酮", "危险类别": "易燃液体", "数量（吨）": "3", "盘点日期": "2026/6/1"},
        ],
    ),
}


@pytest.fixture
def enterprise(org_tree):
    return EnterpriseFactory(uscc=U1, name="上海甲化工有限公司", organisation=org_tree["putuo"], affiliation=Affiliation.PRIVATE)


def test_samples_cover_every_kind():
    assert set(SAMPLES) == {k.key for k in KINDS}


@pytest.mark.parametrize("kind", [k.key for k in KINDS])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_import__each_kind_imports_and_reimport_never_duplicates(kind, fmt, org_tree, tmp_path):
    # given the register (an enterprise, a licence for the applications) and a file of two rows
    if kind != "enterprises":
        holder = EnterpriseFactory(uscc=U1, name="上海甲化工有限公司", organisation=org_tree["putuo"])
        LicenceFactory(enterprise=holder, licence_type=LicenceType.HC_OPERATION, number="沪经-0009")
        StorageZoneFactory(enterprise=holder, code="KF-01", allowed=["3"])
    model, rows = SAMPLES[kind]
    before = model.objects.count()
    data = table(kind, rows)
    path = write_csv(tmp_path / "f.csv", data) if fmt == "csv" else write_xlsx(tmp_path / "f.xlsx", {"数据": data})
    # when it is imported twice
    first = import_file(path)
    second = import_file(path)
    # then the first creates both rows, the second changes nothing, and nothing is duplicated
    assert first.status == ImportJob.Status.SUCCEEDED, issues_of(first)
    assert first.kind == kind
    assert (first.created_count, first.updated_count, first.unchanged_count) == (2, 0, 0)
    assert second.status == ImportJob.Status.SUCCEEDED, issues_of(second)
    assert (second.created_count, second.updated_count, second.unchanged_count) == (0, 0, 2)
    assert model.objects.count() == before + 2


def test_import__values_are_stored_as_parsed(enterprise, tmp_path):
    # given licences, activity signals and a precursor report using labels, codes and Chinese dates
    LicenceFactory(enterprise=enterprise, licence_type=LicenceType.HC_OPERATION, number="沪经-0009")
    for kind in ("licences", "activity_signals", "precursor_reports", "licence_applications", "persons", "registration_changes"):
        job = import_file(write_csv(tmp_path / f"{kind}.csv", table(kind, SAMPLES[kind][1])))
        assert job.status == ImportJob.Status.SUCCEEDED, issues_of(job)
    # then the rows hold the parsed values
    licence = Licence.objects.get(number="沪经-0001")
    assert (licence.licence_type, licence.valid_to, licence.scope, licence.recorded_affiliation) == (LicenceType.HC_OPERATION, date(2026, 12, 31), "汽油", "PRIVATE")
    assert Licence.objects.get(number="备-0001").valid_to is None
    signal = ActivitySignal.objects.get(reference="R-1")
    assert (signal.kind, signal.quantity, signal.unit) == ("SALE", Decimal("2.500"), "吨")
    report = PrecursorAnnualReport.objects.get(year=2025)
    assert (report.opening_kg, report.closing_kg, report.produced_kg) == (Decimal("100"), Decimal("120"), Decimal("0"))
    approved = LicenceApplication.objects.get(change_field="name")
    assert (approved.status, approved.decided_on) == (ApplicationStatus.APPROVED, date(2026, 3, 10))
    # a current principal in the persons file becomes the enterprise's principal (SUB-03)
    enterprise.refresh_from_db()
    assert enterprise.principal.name == "王五"
    assert EnterprisePerson.objects.get(person__id_number=id_number(3)).role == PersonRole.CONTACT
    # the newest registration changes were applied to the master record; licences keep their particulars
    assert (enterprise.name, enterprise.affiliation) == ("上海新名称化工有限公司", "DISTRICT")
    assert RegistrationChange.objects.get(field="affiliation").old_value == "PRIVATE"
    assert licence.recorded_name == "上海甲化工有限公司"


def test_import__enterprise_principal_and_organisation(org_tree, tmp_path):
    # given an enterprise file naming the organisation by code and by full name
    rows = [
        enterprise_row(U1, 负责机构="SH-PT", 主要负责人身份证号码=id_number(7), 主要负责人联系电话="13900000007", 重点单位="是", 危化品使用量与数量标准之比="1.25"),
        enterprise_row(U2, "上海乙有限公司", 负责机构="长寿路街道", 执法层级="街镇级"),
    ]
    job = import_file(write_csv(tmp_path / "e.csv", table("enterprises", rows)))
    assert job.status == ImportJob.Status.SUCCEEDED, issues_of(job)
    first, second = Enterprise.objects.get(uscc=U1), Enterprise.objects.get(uscc=U2)
    assert first.organisation == org_tree["putuo"] and second.organisation == org_tree["street"]
    assert (first.principal.name, first.principal.id_number, first.principal.phone) == ("张三", id_number(7), "13900000007")
    assert first.is_key_unit and first.hc_use_ratio == Decimal("1.250") and first.data_sources == ["import"]
    assert EnterprisePerson.objects.filter(enterprise=first, role=PersonRole.PRINCIPAL, person=first.principal).exists()
    # when the file is imported again with a changed name and phone
    rows[0]["单位名称"] = "上海甲化工（集团）有限公司"
    rows[0]["主要负责人联系电话"] = "13900000008"
    again = import_file(write_csv(tmp_path / "e2.csv", table("enterprises", rows)))
    # then exactly that enterprise is updated, the same person is kept, nothing is duplicated
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 1, 1)
    first.refresh_from_db()
    assert first.name == "上海甲化工（集团）有限公司" and first.principal.phone == "13900000008"
    assert Person.objects.filter(id_number=id_number(7)).count() == 1
    assert Enterprise.objects.count() == 2


def test_import__absent_columns_keep_existing_values(enterprise, tmp_path):
    # given an existing enterprise with a business address, and a file without that column
    Enterprise.objects.filter(pk=enterprise.pk).update(business_address="上海市普陀区经营路9号", is_key_unit=True)
    columns = ["统一社会信用代码", "单位名称", "注册地址", "行业领域", "规模", "隶属关系", "执法层级", "负责机构"]
    job = import_file(write_csv(tmp_path / "e.csv", table("enterprises", [{k: v for k, v in enterprise_row(U1).items() if k in columns}], columns=columns)))
    assert job.status == ImportJob.Status.SUCCEEDED, issues_of(job)
    enterprise.refresh_from_db()
    assert enterprise.business_address == "上海市普陀区经营路9号" and enterprise.is_key_unit


def test_import__one_bad_row_writes_nothing_and_names_row_and_column(org_tree, tmp_path):
    # given three enterprise rows of which the third has an impossible date in a licence sheet
    ledger_before = LedgerEntry.objects.count()
    path = write_xlsx(
        tmp_path / "mixed.xlsx",
        {
            "企业": table("enterprises", [enterprise_row(U1), enterprise_row(U2, "乙公司"), enterprise_row(U3, "丙公司")]),
            "许可证照": table("licences", [licence_row(U1, "L-1"), licence_row(U2, "L-2"), licence_row(U3, "L-3", 有效期至="2026-02-30")]),
        },
    )
    # when imported
    job = import_file(path)
    # then nothing at all is written, and the error names sheet, spreadsheet row and Chinese column
    assert job.status == ImportJob.Status.FAILED
    assert Enterprise.objects.count() == 0 and Licence.objects.count() == 0
    assert LedgerEntry.objects.count() == ledger_before
    [issue] = issues_of(job)
    assert (issue.sheet, issue.row, issue.column, issue.value) == ("许可证照", 4, "有效期至", "2026-02-30")
    assert issue.message == "日期不存在：2026年2月30日"
    assert "校验未通过" in job.message and job.error_count == 1


def test_import__all_errors_are_collected(org_tree, tmp_path):
    # given a file with many different problems
    bad_uscc = U1[:-1] + ("0" if U1[-1] != "0" else "1")
    rows = [
        enterprise_row(bad_uscc),
        enterprise_row(U2, 行业领域="餐饮", 负责机构="NOPE"),
        enterprise_row(U3, 主要负责人身份证号码="310107198001011230", 主要负责人联系电话="12345"),
        enterprise_row(U2, "重复"),
        enterprise_row(make_uscc("310107", 9), 单位名称=""),
    ]
    job = import_file(write_csv(tmp_path / "e.csv", table("enterprises", rows)))
    found = {(i.row, i.column) for i in issues_of(job)}
    # then every one is reported with its row number (header = row 1)
    assert {
        (2, "统一社会信用代码"),
        (3, "行业领域"),
        (3, "负责机构"),
        (4, "主要负责人身份证号码"),
        (4, "主要负责人联系电话"),
        (5, "统一社会信用代码"),
        (6, "单位名称"),
    } <= found
    messages = {(i.row, i.column): i.message for i in issues_of(job)}
    assert messages[(5, "统一社会信用代码")] == "与第3行重复（统一社会信用代码相同）"
    assert messages[(3, "负责机构")] == "未知的机构代码“NOPE”：系统中没有该代码或名称的机构"
    assert messages[(6, "单位名称")] == "必填项不能为空"
    assert Enterprise.objects.count() == 0


def test_import__unknown_licence_type_is_rejected(enterprise, tmp_path):
    job = import_file(write_csv(tmp_path / "l.csv", table("licences", [licence_row(U1, "L-1", 证照类型="营业执照")])))
    [issue] = issues_of(job)
    assert (issue.row, issue.column, issue.value) == (2, "证照类型", "营业执照")
    assert issue.message.startswith("未知的证照类型“营业执照”，允许：")
    assert Licence.objects.count() == 0


def test_import__duplicate_rows_in_file_are_rejected(enterprise, tmp_path):
    rows = [licence_row(U1, "L-1"), licence_row(U1, "L-2"), licence_row(U1, "L-1", 有效期至="2027-12-31")]
    job = import_file(write_csv(tmp_path / "l.csv", table("licences", rows)))
    [issue] = issues_of(job)
    assert (issue.row, issue.column, issue.value) == (4, "证书编号", "L-1")
    assert issue.message == "与第2行重复（证照类型+证书编号相同）"
    assert Licence.objects.count() == 0


def test_sub_04__licence_without_expiry_is_rejected_on_import(enterprise, tmp_path):
    # given a work-safety licence row with no 有效期至 (SUB-04)
    job = import_file(write_csv(tmp_path / "l.csv", table("licences", [licence_row(U1, "L-1", 证照类型="LIC_SAFETY_PROD", 有效期至="")])))
    [issue] = issues_of(job)
    assert (issue.row, issue.column) == (2, "有效期至") and "SUB-04" in issue.message


def test_import__references_must_exist_in_file_or_register(org_tree, tmp_path):
    # given licences of an enterprise that is neither registered nor in the file
    job = import_file(write_csv(tmp_path / "l.csv", table("licences", [licence_row(U2, "L-1")])))
    [issue] = issues_of(job)
    assert (issue.column, issue.value) == ("统一社会信用代码", U2)
    assert "未在系统中登记，也不在本文件中" in issue.message
    # and an application for an unknown licence
    job = import_file(write_csv(tmp_path / "a.csv", table("licence_applications", [SAMPLES["licence_applications"][1][0]])))
    assert "所引用的证照" in issues_of(job)[0].message


def test_import__workbook_with_enterprises_and_licences(org_tree, tmp_path):
    # given one workbook whose licence sheet refers to enterprises of its enterprise sheet (sheet order reversed)
    path = write_xlsx(
        tmp_path / "book.xlsx",
        {
            "证照": table("licences", [licence_row(U1, "L-1"), licence_row(U2, "L-2")]),
            "企业": table("enterprises", [enterprise_row(U1), enterprise_row(U2, "乙公司")]),
            "备注": [["这是备注，不是数据表"]],
        },
    )
    job = import_file(path)
    assert job.status == ImportJob.Status.SUCCEEDED, issues_of(job)
    assert job.kind == "enterprises,licences"
    assert job.counts["enterprises"]["created"] == 2 and job.counts["licences"]["created"] == 2
    assert Licence.objects.get(number="L-2").enterprise.uscc == U2


def test_import__licence_number_of_another_enterprise_is_rejected(enterprise, org_tree, tmp_path):
    other = EnterpriseFactory(uscc=U2, organisation=org_tree["putuo"])
    LicenceFactory(enterprise=other, licence_type=LicenceType.HC_OPERATION, number="L-9")
    job = import_file(write_csv(tmp_path / "l.csv", table("licences", [licence_row(U1, "L-9")])))
    [issue] = issues_of(job)
    assert issue.column == "证书编号" and U2 in issue.message
    assert Licence.objects.get(number="L-9").enterprise == other


def test_import__gbk_csv(org_tree, tmp_path):
    # given a CSV saved by Excel on Chinese Windows (GBK, no BOM)
    path = write_csv(tmp_path / "gbk.csv", table("enterprises", [enterprise_row(U1, "上海甲化工有限公司")]), encoding="gbk")
    job = import_file(path)
    assert job.status == ImportJob.Status.SUCCEEDED, issues_of(job)
    assert Enterprise.objects.get(uscc=U1).name == "上海甲化工有限公司"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_import__csv_encodings(org_tree, tmp_path, encoding):
    path = write_csv(tmp_path / "e.csv", table("enterprises", [enterprise_row(U1, "上海㐀化工有限公司" if encoding == "gb18030" else "上海甲化工有限公司")]), encoding=encoding)
    job = import_file(path)
    assert job.status == ImportJob.Status.SUCCEEDED, issues_of(job)


def test_import__undecodable_csv_is_rejected_clearly(org_tree, tmp_path):
    data = "统一社会信用代码,单位名称\n".encode() + b"\xff\xfe\xfa\x80\x80,x\n"
    path = tmp_path / "bad.csv"
    path.write_bytes(data[2:] if data.startswith(b"\xff\xfe") else data)
    job = import_file(path)
    assert job.status == ImportJob.Status.FAILED
    assert "无法识别文件编码：第2行" in job.message
    assert Enterprise.objects.count() == 0


def test_import__xlsx_with_excel_date_cells(enterprise, tmp_path):
    # given licence dates stored as Excel dates, serial numbers and text
    data = table("licences", [licence_row(U1, "L-1"), licence_row(U1, "L-2"), licence_row(U1, "L-3")])
    data[1][headers("licences").index("有效期自")] = datetime(2024, 3, 1)
    data[1][headers("licences").index("有效期至")] = date(2027, 2, 28)
    data[2][headers("licences").index("有效期至")] = 46053  # Excel serial of 2026-01-31
    data[3][headers("licences").index("有效期至")] = "2026年12月31日"
    job = import_file(write_xlsx(tmp_path / "d.xlsx", {"证照": data}))
    assert job.status == ImportJob.Status.SUCCEEDED, issues_of(job)
    assert Licence.objects.get(number="L-1").valid_from == date(2024, 3, 1)
    assert Licence.objects.get(number="L-1").valid_to == date(2027, 2, 28)
    assert Licence.objects.get(number="L-2").valid_to == date(2026, 1, 31)
    assert Licence.objects.get(number="L-3").valid_to == date(2026, 12, 31)


def _set_cached_value(path: Path, cell: str, cached: str) -> None:
    """Give a formula cell the cached result Excel would have stored when saving."""
    with zipfile.ZipFile(path) as source:
        items = {i.filename: source.read(i.filename) for i in source.infolist()}
    xml = items["xl/worksheets/sheet1.xml"].decode()
    start = xml.index(f'<c r="{cell}"')
    end = xml.index("</c>", start) + 4
    formula = xml[start:end].split("<f>")[1].split("</f>")[0]
    xml = xml[:start] + f'<c r="{cell}" t="str"><f>{formula}</f><v>{cached}</v></c>' + xml[end:]
    items["xl/worksheets/sheet1.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w") as target:
        for name, content in items.items():
            target.writestr(name, content)


def test_import__formula_cells_use_their_value_or_are_reported(enterprise, tmp_path):
    # given a licence sheet whose 证书编号 cells are formulas: one with a stored result, one without
    data = table("licences", [licence_row(U1, "L-1"), licence_row(U1, "L-2")])
    column = headers("licences").index("证书编号")
    data[1][column] = '="L-"&"1"'
    data[2][column] = '="L-"&"2"'
    path = write_xlsx(tmp_path / "f.xlsx", {"证照": data})
    letter = "ABCDEFGHIJKL"[column]
    _set_cached_value(path, f"{letter}2", "L-1")
    job = import_file(path)
    # then the stored result is imported, and the uncalculated formula is an error of its cell
    [issue] = issues_of(job)
    assert (issue.row, issue.column) == (3, "证书编号") and "公式" in issue.message
    # when the second formula gets a result too, the file imports
    _set_cached_value(path, f"{letter}3", "L-2")
    job = import_file(path)
    assert job.status == ImportJob.Status.SUCCEEDED, issues_of(job)
    assert set(Licence.objects.values_list("number", flat=True)) == {"L-1", "L-2"}


def test_import__merged_cells_title_rows_and_empty_rows(enterprise, tmp_path):
    # given a sheet with a merged title row, the USCC merged down over two licence rows, and empty rows
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "证照"
    data = table("licences", [licence_row(U1, "L-1"), licence_row("", "L-2")])
    sheet.append(["普陀区危险化学品经营许可证台账"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=6)
    sheet.append([])
    for row in data:
        sheet.append(row)
    sheet.append([])
    sheet.append(["", "  ", None])
    sheet.merge_cells(start_row=4, start_column=1, end_row=5, end_column=1)
    path = tmp_path / "merged.xlsx"
    book.save(path)
    job = import_file(path)
    assert job.status == ImportJob.Status.SUCCEEDED, issues_of(job)
    assert job.total_rows == 2
    assert Licence.objects.filter(enterprise=enterprise).count() == 2


def test_import__header_problems_are_reported(enterprise, tmp_path):
    # given a licence file with a misspelt column and without a required one
    head = [h for h in headers("licences") if h != "证载地址"] + ["证照备注"]
    job = import_file(write_csv(tmp_path / "l.csv", [head, ["x"] * len(head)]))
    found = {(i.row, i.column, i.message) for i in issues_of(job)}
    assert (1, "证照备注", "“许可证照”模板中没有这一列，请检查列名（允许的列见模板“说明”）") in found
    assert (1, "证载地址", "缺少必填列（“许可证照”模板）") in found


def test_import__unrecognisable_file_is_rejected(org_tree, tmp_path):
    path = write_csv(tmp_path / "x.csv", [["姓名", "年龄"], ["张三", "30"]])
    job = import_file(path)
    assert job.status == ImportJob.Status.FAILED and "无法识别表格类型" in job.message
    xls = tmp_path / "old.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    assert "不支持 .xls" in import_file(xls).message
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04" + b"garbage" * 10)
    assert "无法读取该 Excel 文件" in import_file(broken).message


def test_import__explicit_kind(enterprise, tmp_path):
    path = write_csv(tmp_path / "l.csv", table("licences", [licence_row(U1, "L-1")]))
    assert import_file(path, requested_kind="许可证照").status == ImportJob.Status.SUCCEEDED
    # a kind that does not fit the header is reported as missing/unknown columns
    job = import_file(path, requested_kind="activity_signals")
    assert job.status == ImportJob.Status.FAILED
    assert any(i.message.startswith("缺少必填列") for i in issues_of(job))


def test_import__file_over_the_size_limit_is_rejected(org_tree, tmp_path, settings):
    # given a 50 MB file (sparse: cheap to create) and the default 40 MB limit
    settings.ZHIFA_IMPORT_MAX_BYTES = 40 * 1024 * 1024
    path = tmp_path / "huge.csv"
    with open(path, "wb") as handle:
        handle.write("统一社会信用代码,单位名称\n".encode())
        handle.truncate(50 * 1024 * 1024)
    # when imported; then a clear Chinese error, no job, nothing written
    with pytest.raises(FileRejected) as info:
        import_file(path)
    assert info.value.message.startswith("文件大小为 50.0 MB，超过导入上限 40 MB")
    assert ImportJob.objects.count() == 0 and Enterprise.objects.count() == 0


def test_import__row_limit(org_tree, tmp_path, settings):
    settings.ZHIFA_IMPORT_MAX_ROWS = 2
    job = import_file(write_csv(tmp_path / "e.csv", table("enterprises", [enterprise_row(U1), enterprise_row(U2, "乙"), enterprise_row(U3, "丙")])))
    assert job.status == ImportJob.Status.FAILED and "行数超过上限" in job.message


def test_import__exactly_one_ledger_entry_per_file(enterprise, tmp_path):
    # given a workbook with two kinds and 2 + 2 rows
    path = write_xlsx(
        tmp_path / "book.xlsx",
        {"证照": table("licences", SAMPLES["licences"][1]), "活动": table("activity_signals", SAMPLES["activity_signals"][1])},
    )
    before = LedgerEntry.objects.count()
    job = import_file(path)
    # then one entry records the file's hash, kinds and counts
    assert LedgerEntry.objects.count() == before + 1
    entry = LedgerEntry.objects.get(action="subjects.import")
    assert entry.index == job.ledger_index and entry.object_id == str(job.pk)
    assert entry.payload["file_sha256"] == hashlib.sha256(path.read_bytes()).hexdigest() == job.sha256
    assert entry.payload["created"] == 4 and entry.payload["counts"]["licences"]["created"] == 2
    assert entry.payload["kind"] == "licences,activity_signals"


def test_import__failure_while_writing_rolls_back_everything(org_tree, tmp_path, monkeypatch):
    # given small batches and a writer that fails on its second batch (after the first was written)
    monkeypatch.setattr(validation, "BATCH_SIZE", 2)
    original = writers_module.EnterpriseWriter.write
    calls = {"n": 0}

    def failing(self, batch):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk on fire")
        return original(self, batch)

    monkeypatch.setattr(writers_module.EnterpriseWriter, "write", failing)
    rows = [enterprise_row(make_uscc("310107", 100 + i), f"企业{i}") for i in range(5)]
    job = import_file(write_csv(tmp_path / "e.csv", table("enterprises", rows)))
    # then the job reports a system error and not one row is left behind
    assert job.status == ImportJob.Status.ERROR and "未写入任何数据" in job.message
    assert Enterprise.objects.count() == 0 and Person.objects.count() == 0
    assert not LedgerEntry.objects.filter(action="subjects.import").exists()


def test_import__error_report_files(org_tree, tmp_path):
    job = import_file(write_csv(tmp_path / "e.csv", table("enterprises", [enterprise_row(U1, 单位名称="=HYPERLINK(\"x\")", 规模="巨型")])))
    directory = Path(job.error_report).parent
    sheet = load_workbook(directory / "errors.xlsx").active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("工作表", "行号", "列名", "值", "错误说明")
    assert rows[1][1:4] == (2, "规模", "巨型")
    csv_text = (directory / "errors.csv").read_text(encoding="utf-8-sig")
    assert csv_text.splitlines()[0] == "工作表,行号,列名,值,错误说明"
    assert json.loads((directory / "errors.json").read_text(encoding="utf-8"))["errors"][0]["column"] == "规模"


def test_import__personal_data_in_errors_is_masked(org_tree, tmp_path):
    bad_id = id_number(4)[:-1] + ("0" if id_number(4)[-1] != "0" else "1")
    job = import_file(write_csv(tmp_path / "e.csv", table("enterprises", [enterprise_row(U1, 主要负责人身份证号码=bad_id)])))
    [issue] = issues_of(job)
    assert issue.column == "主要负责人身份证号码" and bad_id not in issue.value and issue.value.startswith(bad_id[:4])


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.key)
def test_templates__round_trip(kind, enterprise, tmp_path):
    # given the downloadable templates: the example row alone imports nothing
    for suffix, content in (("xlsx", xlsx_template(kind)), ("csv", csv_template(kind))):
        path = tmp_path / f"t.{suffix}"
        path.write_bytes(content)
        job = import_file(path)
        assert job.status == ImportJob.Status.FAILED and "没有数据行" in job.message
    book = load_workbook(tmp_path / "t.xlsx")
    assert book.sheetnames[1] == "说明"
    assert [c.value for c in book.worksheets[0][1]] == headers(kind)


def test_templates__filled_xlsx_template_imports(enterprise, tmp_path):
    # given the licence template with the example kept and one real row appended below it
    path = tmp_path / "t.xlsx"
    path.write_bytes(xlsx_template(KINDS[2]))
    book = load_workbook(path)
    row = licence_row(U1, "沪经-7777")
    book.worksheets[0].append([row.get(h, "") for h in headers("licences")])
    book.save(path)
    job = import_file(path)
    assert job.status == ImportJob.Status.SUCCEEDED, issues_of(job)
    assert list(Licence.objects.values_list("number", flat=True)) == ["沪经-7777"]
    assert "已跳过模板示例行 1 行" in job.message


def test_docs__import_md_contains_the_generated_template_tables():
    # docs/import.md is generated from the spec: regenerate with `manage.py import_subjects --docs`
    document = (REPO / "docs" / "import.md").read_text(encoding="utf-8")
    assert DOCS_BEGIN in document
    assert docs_section(document) == docs_markdown()


# --- CLU-S05 / CLU-S09 data ------------------------------------------------------------------------

def test_import__chemical_products_and_storage_are_stored_as_parsed(enterprise, tmp_path):
    # given one workbook with products, permitted varieties, zones and the stock of a zone defined in the same file
    items = [dict(row, 储存区编号="KF-11") for row in SAMPLES["storage_items"][1]]
    path = write_xlsx(
        tmp_path / "storage.xlsx",
        {
            "库存": table("storage_items", items),
            "储存区": table("storage_zones", SAMPLES["storage_zones"][1]),
            "品种": table("chemical_products", SAMPLES["chemical_products"][1]),
            "许可品种": table("permitted_chemicals", SAMPLES["permitted_chemicals"][1]),
        },
    )
    # when imported
    job = import_file(path)
    # then every table is written with codes, decimals and dates as parsed
    assert job.status == ImportJob.Status.SUCCEEDED, issues_of(job)
    assert job.kind == "chemical_products,permitted_chemicals,storage_zones,storage_items"
    toluene = ChemicalProduct.objects.get(name="甲苯")
    assert (toluene.role, toluene.in_catalogue, toluene.registration_number, toluene.registered_on, toluene.hazard_class) == (
        "PRODUCED", True, "310000000001", date(2024, 3, 1), "3")
    acid = ChemicalProduct.objects.get(name="硫酸")
    assert (acid.role, acid.hazard_class, acid.registration_number, acid.properties_changed_on, acid.change_applied_on) == (
        "IMPORTED", "8.1", "", date(2026, 2, 1), date(2026, 2, 5))
    mixed = StorageZone.objects.get(enterprise=enterprise, code="KF-12")
    assert mixed.max_quantity_t == Decimal("80.5")
    assert sorted(mixed.allowed_classes.values_list("hazard_class", flat=True)) == ["3", "6.1"]
    stock = StorageItem.objects.filter(zone__code="KF-11").order_by("chemical_name")
    assert [(i.chemical_name, i.cas_number, i.hazard_class, i.quantity_t, i.recorded_on) for i in stock] == [
        ("丙酮", "", "3", Decimal("3"), date(2026, 6, 1)), ("甲苯", "108-88-3", "3", Decimal("12.5"), date(2026, 6, 1))]
    assert set(PermittedChemical.objects.values_list("cas_number", flat=True)) == {"108-88-3", "67-64-1"}


def test_import__zone_classes_are_replaced_and_count_as_an_update(enterprise, tmp_path):
    # given a zone registered for 3 and 6.1
    zone = StorageZoneFactory(enterprise=enterprise, code="KF-12", name="综合仓库", max_quantity_t=Decimal("80.5"), allowed=["3", "6.1"])
    # when a file lists the same zone for 3 and 8.1
    row = dict(SAMPLES["storage_zones"][1][1], 允许存放的危险类别="8.1，3")
    job = import_file(write_csv(tmp_path / "z.csv", table("storage_zones", [row])))
    # then the classes are replaced and the zone counts as updated, not unchanged
    assert job.status == ImportJob.Status.SUCCEEDED, issues_of(job)
    assert (job.created_count, job.updated_count, job.unchanged_count) == (0, 1, 0)
    assert sorted(StorageZoneClass.objects.filter(zone=zone).values_list("hazard_class", flat=True)) == ["3", "8.1"]
    # and importing it again changes nothing
    again = import_file(write_csv(tmp_path / "z2.csv", table("storage_zones", [row])))
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 1)


def test_import__storage_item_of_an_unknown_zone_is_rejected(enterprise, tmp_path):
    job = import_file(write_csv(tmp_path / "i.csv", table("storage_items", [dict(SAMPLES["storage_items"][1][0], 储存区编号="NOPE")])))
    [issue] = issues_of(job)
    assert (issue.column, issue.value) == ("储存区编号", "NOPE") and "所引用的储存区" in issue.message
    assert StorageItem.objects.count() == 0


def test_import__bad_cas_numbers_and_hazard_classes_are_rejected(enterprise, tmp_path):
    # given a wrong CAS check digit, a malformed CAS number and an unknown class
    rows = [
        dict(SAMPLES["permitted_chemicals"][1][0], CAS号="108-88-4"),
        dict(SAMPLES["permitted_chemicals"][1][1], CAS号="67641"),
    ]
    job = import_file(write_csv(tmp_path / "p.csv", table("permitted_chemicals", rows)))
    messages = {(i.row, i.column): i.message for i in issues_of(job)}
    assert messages[(2, "CAS号")] == "CAS号“108-88-4”校验位不正确"
    assert "格式无效" in messages[(3, "CAS号")]
    zone = dict(SAMPLES["storage_zones"][1][0], 允许存放的危险类别="3、甲类")
    job = import_file(write_csv(tmp_path / "z.csv", table("storage_zones", [zone])))
    [issue] = issues_of(job)
    assert issue.column == "允许存放的危险类别" and issue.message.startswith("未知的危险类别“甲类”")
    assert PermittedChemical.objects.count() == 0 and StorageZone.objects.count() == 0


def test_sub_08__registration_date_without_number_and_application_without_change_are_rejected(enterprise, tmp_path):
    # given a product with a registration date but no number, and a change application without the change date
    row = dict(SAMPLES["chemical_products"][1][0], 登记证编号="", 变更登记申请日期="2026-03-01")
    job = import_file(write_csv(tmp_path / "c.csv", table("chemical_products", [row])))
    # then both are reported against their columns and nothing is written
    found = {(i.column, i.message) for i in issues_of(job)}
    assert ("登记证编号", "填写了登记日期时必须填写登记证编号（未登记的品种两列均留空）") in found
    assert any(column == "登记事项/危险特性变化日期" and "SUB-08" in message for column, message in found)
    assert ChemicalProduct.objects.count() == 0
