"""Error reports of a failed import: errors.json (for pages and the API) plus downloadable
errors.xlsx and errors.csv with 工作表, 行号, 列名, 值, 错误说明."""
from __future__ import annotations

import csv
import json
from pathlib import Path

from .issues import Issue

REPORT_HEADERS = ("工作表", "行号", "列名", "值", "错误说明")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(text: str) -> str:
    """Values come from the uploaded file: never let a spreadsheet program run them as formulas."""
    return "'" + text if text and text.startswith(_FORMULA_START) else text


def write_reports(directory: Path, issues: list[Issue], *, truncated: bool = False) -> dict[str, Path]:
    """Write errors.json, errors.xlsx and errors.csv; return their paths by format."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    directory.mkdir(parents=True, exist_ok=True)
    paths = {"json": directory / "errors.json", "xlsx": directory / "errors.xlsx", "csv": directory / "errors.csv"}
    with open(paths["json"], "w", encoding="utf-8") as handle:
        json.dump({"truncated": truncated, "errors": [i.as_dict() for i in issues]}, handle, ensure_ascii=False)

    book = Workbook(write_only=True)
    sheet = book.create_sheet("错误报告")
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["C"].width = 24
    sheet.column_dimensions["D"].width = 30
    sheet.column_dimensions["E"].width = 80
    header = []
    for title in REPORT_HEADERS:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for issue in issues:
        row = []
        for value in (issue.sheet, issue.row, issue.column, issue.value, issue.message):
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # stored as text even when it starts with "="
            row.append(cell)
        sheet.append(row)
    if truncated:
        sheet.append(["", None, "", "", f"错误过多，仅列出前{len(issues)}条"])
    book.save(paths["xlsx"])

    # UTF-8 with BOM so that Excel on Chinese Windows opens it without garbling.
    with open(paths["csv"], "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(REPORT_HEADERS)
        for issue in issues:
            writer.writerow([_safe(issue.sheet), issue.row or "", _safe(issue.column), _safe(issue.value), _safe(issue.message)])
        if truncated:
            writer.writerow(["", "", "", "", f"错误过多，仅列出前{len(issues)}条"])
    return paths


def read_issues(directory: Path, limit: int | None = None) -> tuple[list[Issue], bool]:
    """Issues stored by write_reports (first `limit`), and whether the list was truncated."""
    try:
        with open(directory / "errors.json", encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return [], False
    errors = data.get("errors", [])
    shown = errors if limit is None else errors[:limit]
    return [Issue.from_dict(e) for e in shown], bool(data.get("truncated")) or (limit is not None and len(errors) > limit)
