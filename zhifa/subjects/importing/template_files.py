"""Downloadable templates and the docs tables, generated from `spec` (never written by hand).

- `xlsx_template(kind)`: sheet 1 = header row + example row (identifier columns formatted as
  text, drop-down lists for closed vocabularies); sheet 2 "说明" describes every column.
- `csv_template(kind)`: UTF-8 with BOM, header row + example row.
- `docs_markdown()`: the template section of docs/import.md (a test keeps the file in sync).
"""
from __future__ import annotations

import csv
import io

from .parsers import Boolean, Choice, IdNumber, Phone, Text, Uscc
from .reading import INSTRUCTIONS_SHEET
from .spec import KINDS, Column, ImportKind

GENERAL_RULES = (
    "第一行为列名（列的顺序不限，可省略非必填列；省略的列在更新时保持原值）。第二行是示例，与示例完全相同的行导入时自动跳过，请删除或覆盖后填写。",
    "选择类的列填写中文名称或代码均可；日期可写作 2026-01-31、2026/1/31、2026年1月31日，或使用 Excel 日期格式。",
    "统一社会信用代码、身份证号码、电话、证书编号请使用文本格式，避免 Excel 按数字处理而丢失位数。",
    "整个文件要么全部导入，要么（发现任何错误时）一行也不导入；重复导入同一文件只更新、不重复新增。",
)


def sheet_title(kind: ImportKind) -> str:
    """Excel sheet names cannot contain / \\ ? * [ ] : and are at most 31 characters."""
    title = kind.label
    for ch in "/\\?*[]:":
        title = title.replace(ch, "、")
    return title[:31]


def column_format(column: Column) -> str:
    text = column.parser.format_help
    if column.help:
        text = f"{text}。{column.help}"
    return text


def column_allowed(column: Column) -> list[str]:
    return column.parser.allowed_values()


def _is_text_column(column: Column) -> bool:
    return isinstance(column.parser, (Uscc, IdNumber, Phone, Text))


def xlsx_template(kind: ImportKind) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title(kind)
    required_font = Font(bold=True, color="C00000")
    optional_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="F2F2F2")
    for index, column in enumerate(kind.columns, start=1):
        letter = get_column_letter(index)
        if _is_text_column(column):
            sheet.column_dimensions[letter].number_format = "@"
        sheet.column_dimensions[letter].width = max(12, min(40, len(column.header) * 2 + 4, len(column.example) * 2 + 4 if column.example else 12))
        header = sheet.cell(row=1, column=index, value=column.header)
        header.font = required_font if column.required else optional_font
        header.fill = header_fill
        example = sheet.cell(row=2, column=index, value=column.example or None)
        if example.value is not None:
            example.data_type = "s"
            example.number_format = "@"
        allowed = column_allowed(column)
        if isinstance(column.parser, (Choice, Boolean)) and allowed:
            labels = [label for _, label in column.parser.pairs] if isinstance(column.parser, Choice) else allowed
            formula = '"' + ",".join(labels) + '"'
            if len(formula) <= 255:
                validation = DataValidation(type="list", formula1=formula, allow_blank=not column.required)
                validation.error = "请从下拉列表中选择"
                validation.errorTitle = column.header
                validation.showErrorMessage = False  # codes are accepted too
                sheet.add_data_validation(validation)
                validation.add(f"{letter}2:{letter}100000")
    sheet.freeze_panes = "A2"

    notes = book.create_sheet(INSTRUCTIONS_SHEET)
    notes.append([f"导入模板：{kind.label}"])
    notes["A1"].font = Font(bold=True, size=14)
    notes.append([kind.description])
    notes.append([f"唯一键（重复导入时据此更新）：{kind.key_label}"])
    notes.append([f"类型代码（命令行 --kind / 接口 kind 参数）：{kind.key}"])
    for line in (*kind.notes, *GENERAL_RULES):
        notes.append([line])
    notes.append([])
    header_row = notes.max_row + 1
    notes.append(["列名", "必填", "格式", "允许的取值", "示例"])
    for cell in notes[header_row]:
        cell.font = Font(bold=True)
        cell.fill = header_fill
    for column in kind.columns:
        notes.append([column.header, "是" if column.required else "否", column_format(column), "、".join(column_allowed(column)), column.example])
    for letter, width in zip("ABCDE", (28, 8, 60, 60, 30)):
        notes.column_dimensions[letter].width = width
    for row in notes.iter_rows(min_row=header_row + 1):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.data_type = "s" if isinstance(cell.value, str) else cell.data_type
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_template(kind: ImportKind) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([c.header for c in kind.columns])
    writer.writerow([c.example for c in kind.columns])
    return buffer.getvalue().encode("utf-8-sig")


def _md(text: str) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")


def docs_markdown() -> str:
    """The generated template reference of docs/import.md."""
    lines = ["## 模板与列（由 `zhifa/subjects/importing/spec.py` 生成）", ""]
    lines.append("| 类型代码 | 模板 | 唯一键 |")
    lines.append("| --- | --- | --- |")
    for kind in KINDS:
        lines.append(f"| `{kind.key}` | {kind.label} | {_md(kind.key_label)} |")
    lines.append("")
    for kind in KINDS:
        lines.append(f"### {kind.label}（`{kind.key}`）")
        lines.append("")
        lines.append(_md(kind.description))
        lines.append("")
        lines.append(f"- 唯一键：{_md(kind.key_label)}")
        for note in kind.notes:
            lines.append(f"- {_md(note)}")
        lines.append("")
        lines.append("| 列名 | 必填 | 格式 | 允许的取值 | 示例 |")
        lines.append("| --- | --- | --- | --- | --- |")
        for column in kind.columns:
            allowed = "、".join(column_allowed(column))
            lines.append(f"| {_md(column.header)} | {'是' if column.required else '否'} | {_md(column_format(column))} | {_md(allowed)} | {_md(column.example)} |")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


DOCS_BEGIN = "<!-- BEGIN GENERATED: import templates -->"
DOCS_END = "<!-- END GENERATED: import templates -->"


def docs_section(document: str) -> str | None:
    """The generated part of docs/import.md, or None when the markers are missing."""
    if DOCS_BEGIN not in document or DOCS_END not in document:
        return None
    return document.split(DOCS_BEGIN, 1)[1].split(DOCS_END, 1)[0].strip("\n") + "\n"


def replace_docs_section(document: str) -> str:
    before = document.split(DOCS_BEGIN, 1)[0]
    after = document.split(DOCS_END, 1)[1]
    return f"{before}{DOCS_BEGIN}\n{docs_markdown()}{DOCS_END}{after}"
