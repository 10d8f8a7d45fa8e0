"""Shared helpers and fixtures of the import tests (no tests here).

Test modules import the autouse fixture `import_var_dir` so that uploads, progress files and
error reports go to a temporary VAR_DIR.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from zhifa.common.ids import id_check_char, make_uscc
from zhifa.subjects.importing import runner
from zhifa.subjects.importing.issues import Issue
from zhifa.subjects.importing.spec import KINDS_BY_KEY, ImportKind
from zhifa.subjects.models import ImportJob

U1 = make_uscc("310107", 7001)
U2 = make_uscc("310107", 7002)
U3 = make_uscc("310107", 7003)


def id_number(serial: int) -> str:
    first17 = f"31010719800101{serial:03d}"
    return first17 + id_check_char(first17)


@pytest.fixture(autouse=True)
def import_var_dir(settings, tmp_path):
    """Imports write under VAR_DIR/imports: keep each test's files in its own directory."""
    settings.VAR_DIR = tmp_path / "var"
    settings.ZHIFA_IMPORT_BACKGROUND = False
    return settings.VAR_DIR


def headers(kind: ImportKind | str) -> list[str]:
    kind = KINDS_BY_KEY[kind] if isinstance(kind, str) else kind
    return [c.header for c in kind.columns]


def table(kind: ImportKind | str, rows: list[dict[str, Any]], *, columns: list[str] | None = None) -> list[list[Any]]:
    """Header row + data rows; each data row is {Chinese header: value}, missing cells blank."""
    head = columns or headers(kind)
    unknown = {h for row in rows for h in row} - set(head)
    assert not unknown, f"test data uses unknown headers {unknown}"
    return [head, *[[row.get(h, "") for h in head] for row in rows]]


def csv_bytes(rows: list[list[Any]], encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding)


def write_csv(path: Path, rows: list[list[Any]], encoding: str = "utf-8-sig") -> Path:
    path.write_bytes(csv_bytes(rows, encoding))
    return path


def write_xlsx(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def import_file(path: Path, **kwargs) -> ImportJob:
    return runner.import_local_file(path=path, **kwargs)


def issues_of(job: ImportJob) -> list[Issue]:
    return runner.job_issues(job, limit=None)[0]


def enterprise_row(uscc: str, name: str = "上海甲化工有限公司", **overrides: Any) -> dict[str, Any]:
    row = {
        "统一社会信用代码": uscc,
        "单位名称": name,
        "注册地址": "上海市普陀区真南路1号",
        "行业领域": "危险化学品",
        "规模": "小型",
        "隶属关系": "民营/其他",
        "执法层级": "区级",
        "负责机构": "SH-PT",
        "主要负责人": "张三",
    }
    row.update(overrides)
    return row


def licence_row(uscc: str, number: str, **overrides: Any) -> dict[str, Any]:
    row = {
        "统一社会信用代码": uscc,
        "证照类型": "危险化学品经营许可证",
        "证书编号": number,
        "有效期自": "2024-01-01",
        "有效期至": "2026-12-31",
        "证载单位名称": "上海甲化工有限公司",
        "证载地址": "上海市普陀区真南路1号",
        "证载主要负责人": "张三",
    }
    row.update(overrides)
    return row
