"""Reading import files: .xlsx (openpyxl read-only, streaming) and .csv (UTF-8 ± BOM, UTF-16,
GBK/GB18030), header recognition and kind detection.

A file yields one or more `Table`s: a CSV is one table; every visible worksheet of a workbook
whose header row names at least two template columns is a table (the "说明" sheet of our own
templates and sheets without such a header are skipped). Each table's kind is detected from its
header row, or taken from the caller when given explicitly.
"""
from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .issues import FileRejected, Issue
from .parsers import _FULLWIDTH, UncalculatedFormula, as_text, is_blank
from .spec import KINDS, Column, ImportKind

HEADER_SEARCH_ROWS = 10
INSTRUCTIONS_SHEET = "说明"
_REQUIRED_MARKS = re.compile(r"[*＊]|[(（]\s*必填\s*[)）]")
_CELL_RE = re.compile(r"^([A-Z]{1,3})(\d+)$")
_MERGE_RE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]{1,3}\d+):([A-Z]{1,3}\d+)"')
_FORMULA_RE = re.compile(rb"<(?:\w+:)?f[\s>/]")


def normalize_header(text: Any) -> str:
    """Header cells are matched ignoring spaces, full-width forms, case and required-marks (*, （必填）)."""
    if is_blank(text):
        return ""
    value = as_text(text) if not isinstance(text, UncalculatedFormula) else str(text)
    value = _REQUIRED_MARKS.sub("", value.translate(_FULLWIDTH))
    return re.sub(r"\s+", "", value).lower()


def _header_index(kind: ImportKind) -> dict[str, Column]:
    index: dict[str, Column] = {}
    for column in kind.columns:
        for name in (column.header, column.key, *column.aliases):
            index.setdefault(normalize_header(name), column)
    return index


HEADER_INDEX: dict[str, dict[str, Column]] = {kind.key: _header_index(kind) for kind in KINDS}
KNOWN_HEADERS = frozenset(h for index in HEADER_INDEX.values() for h in index)


@dataclass
class Table:
    """One table of an import file, ready to stream its data rows."""

    sheet: str
    kind: ImportKind
    header_row: int
    columns: dict[int, Column]
    estimated_rows: int | None
    source: Any = field(repr=False)
    sheet_key: Any = field(default=None, repr=False)

    @property
    def present(self) -> frozenset[str]:
        return frozenset(c.key for c in self.columns.values())

    def data_rows(self) -> Iterator[tuple[int, list[Any]]]:
        for number, cells in self.source.rows(self.sheet_key):
            if number > self.header_row:
                yield number, cells


def _is_header_like(cells: list[Any]) -> bool:
    return sum(1 for c in cells if normalize_header(c) in KNOWN_HEADERS) >= 2


def _detect_kind(headers: list[str], explicit: ImportKind | None) -> tuple[ImportKind | None, str]:
    """Choose the kind whose required headers are all present and which matches most headers."""
    present = {h for h in headers if h}
    if explicit is not None:
        return explicit, ""
    best: tuple[int, int, ImportKind] | None = None
    closest: tuple[int, ImportKind] | None = None
    for order, kind in enumerate(KINDS):
        index = HEADER_INDEX[kind.key]
        matched = {index[h].key for h in present if h in index}
        required = {c.key for c in kind.columns if c.required}
        if closest is None or len(matched) > closest[0]:
            closest = (len(matched), kind)
        if required <= matched and (best is None or len(matched) > best[0]):
            best = (len(matched), -order, kind)
    if best is not None:
        return best[2], ""
    if closest is None or closest[0] < 2:
        return None, "无法识别表格类型：表头中没有模板列名，请使用系统提供的导入模板"
    # No template fits completely: check against the closest one, so that every missing and
    # unknown column is reported individually.
    return closest[1], ""


def build_table(source, sheet_key, sheet_name: str, explicit: ImportKind | None, estimated_rows: int | None) -> tuple[Table | None, list[Issue]]:
    """Find the header row among the first rows, detect the kind and map columns to positions."""
    first_rows: list[tuple[int, list[Any]]] = []
    for number, cells in source.rows(sheet_key):
        if not all(is_blank(c) for c in cells):
            first_rows.append((number, cells))
        if len(first_rows) >= HEADER_SEARCH_ROWS:
            break
    header = next(((n, cells) for n, cells in first_rows if _is_header_like(cells)), None)
    if header is None:
        return None, []
    header_row, cells = header
    normalized = [normalize_header(c) for c in cells]
    kind, problem = _detect_kind(normalized, explicit)
    if kind is None:
        return None, [Issue(message=problem, row=header_row, sheet=sheet_name)]
    index = HEADER_INDEX[kind.key]
    issues: list[Issue] = []
    columns: dict[int, Column] = {}
    seen: dict[str, int] = {}
    for position, (raw, name) in enumerate(zip(cells, normalized)):
        if not name:
            continue
        column = index.get(name)
        if column is None:
            issues.append(Issue(message=f"“{kind.label}”模板中没有这一列，请检查列名（允许的列见模板“说明”）", row=header_row, column=as_text(raw), sheet=sheet_name))
            continue
        if column.key in seen:
            issues.append(Issue(message=f"列名重复（与第{seen[column.key] + 1}列相同）", row=header_row, column=column.header, sheet=sheet_name))
            continue
        seen[column.key] = position
        columns[position] = column
    for column in kind.columns:
        if column.required and column.key not in seen:
            issues.append(Issue(message=f"缺少必填列（“{kind.label}”模板）", row=header_row, column=column.header, sheet=sheet_name))
    if estimated_rows is not None:
        estimated_rows = max(estimated_rows - header_row, 0)
    return Table(sheet=sheet_name, kind=kind, header_row=header_row, columns=columns, estimated_rows=estimated_rows, source=source, sheet_key=sheet_key), issues


# --- CSV -------------------------------------------------------------------------------------------


def decode_csv(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name). UTF-8 (with or without BOM) first, then UTF-16 by BOM, then
    GB18030 (a superset of GBK/GB2312, what Excel on Chinese Windows writes as "CSV")."""
    if data.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8", "gb18030"]
    last_error: UnicodeDecodeError | None = None
    for encoding in candidates:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as exc:
            last_error = exc
    position = last_error.start if last_error is not None else 0
    line = data.count(b"\n", 0, position) + 1
    raise FileRejected(
        f"无法识别文件编码：第{line}行含有既不是 UTF-8 也不是 GBK/GB18030 编码的字符。"
        "请在 Excel 中“另存为 → CSV UTF-8（逗号分隔）”，或直接上传 .xlsx 文件"
    )


class CsvSource:
    """A decoded CSV file; rows are numbered as Excel numbers them (one record = one row)."""

    def __init__(self, text: str, encoding: str):
        self.text = text
        self.encoding = encoding
        first_line = text.split("\n", 1)[0]
        if "," not in first_line and "\t" in first_line:
            self.delimiter = "\t"
        elif "," not in first_line and ";" in first_line:
            self.delimiter = ";"
        else:
            self.delimiter = ","

    def rows(self, sheet_key=None) -> Iterator[tuple[int, list[Any]]]:
        reader = csv.reader(io.StringIO(self.text, newline=""), delimiter=self.delimiter)
        number = 0
        try:
            for number, record in enumerate(reader, start=1):  # noqa: B007 (used after the loop on error)
                yield number, record
        except csv.Error as exc:
            raise FileRejected(f"CSV 文件第{number + 1}行格式错误（{exc}），请检查引号和分隔符") from None

    def estimated_rows(self) -> int:
        return self.text.count("\n") + 1

    def close(self) -> None:
        self.text = ""


# --- XLSX ------------------------------------------------------------------------------------------


def _col_index(letters: str) -> int:
    value = 0
    for ch in letters:
        value = value * 26 + (ord(ch) - 64)
    return value - 1


def _cell_ref(ref: str) -> tuple[int, int]:
    match = _CELL_RE.match(ref)
    if not match:
        raise ValueError(ref)
    return int(match.group(2)), _col_index(match.group(1))


@dataclass
class _SheetScan:
    has_formulas: bool
    merges: list[tuple[int, int, int, int]]  # (min_row, min_col, max_row, max_col), 1-based rows, 0-based cols


def _scan_sheet_xml(archive: zipfile.ZipFile, member: str) -> _SheetScan:
    """Stream the raw sheet XML once to find formulas and merged ranges (read-only worksheets of
    openpyxl expose neither)."""
    has_formulas = False
    merges: list[tuple[int, int, int, int]] = []
    tail = b""
    with archive.open(member) as stream:
        while True:
            chunk = stream.read(1 << 20)
            if not chunk:
                break
            window = tail + chunk
            if not has_formulas and _FORMULA_RE.search(window):
                has_formulas = True
            if b"mergeCell" in window:
                for match in _MERGE_RE.finditer(window):
                    (r1, c1), (r2, c2) = _cell_ref(match.group(1).decode()), _cell_ref(match.group(2).decode())
                    merges.append((min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)))
            tail = window[-64:]
    # A match straddling two chunks can be seen twice.
    return _SheetScan(has_formulas, sorted(set(merges)))


class XlsxSource:
    """A workbook opened read-only. Cached values are read (what Excel shows); when a sheet has
    formulas, a second read-only pass runs in lock-step to flag formulas without a stored value.
    Merged ranges are filled with their top-left value so every row of a merged block carries it."""

    def __init__(self, path: Path):
        from openpyxl import load_workbook

        self.path = path
        self._handles: list[Any] = []
        try:
            handle = open(path, "rb")  # noqa: SIM115 (closed in close())
            self._handles.append(handle)
            self.book = load_workbook(handle, read_only=True, data_only=True, keep_links=False)
        except Exception:
            self.close()
            raise FileRejected("无法读取该 Excel 文件：文件已损坏或不是 .xlsx 格式（.xls 旧格式请先另存为 .xlsx）") from None
        self._formula_book = None
        self._scans: dict[str, _SheetScan] = {}

    def sheet_names(self) -> list[str]:
        names = []
        for ws in self.book.worksheets:
            if getattr(ws, "sheet_state", "visible") != "visible" or ws.title == INSTRUCTIONS_SHEET:
                continue
            names.append(ws.title)
        return names

    def estimated_rows(self, name: str) -> int | None:
        try:
            return self.book[name].max_row
        except Exception:
            return None

    def _scan(self, name: str) -> _SheetScan:
        if name not in self._scans:
            ws = self.book[name]
            try:
                self._scans[name] = _scan_sheet_xml(self.book._archive, ws._worksheet_path)
            except Exception:
                self._scans[name] = _SheetScan(False, [])
        return self._scans[name]

    def _formula_sheet(self, name: str):
        from openpyxl import load_workbook

        if self._formula_book is None:
            handle = open(self.path, "rb")  # noqa: SIM115 (closed in close())
            self._handles.append(handle)
            self._formula_book = load_workbook(handle, read_only=True, data_only=False, keep_links=False)
        ws = self._formula_book[name]
        ws.reset_dimensions()
        return ws

    def rows(self, name: str) -> Iterator[tuple[int, list[Any]]]:
        scan = self._scan(name)
        ws = self.book[name]
        ws.reset_dimensions()  # a wrong <dimension> must not truncate rows or columns
        formula_rows = self._formula_sheet(name).iter_rows(values_only=True) if scan.has_formulas else None
        merges = scan.merges  # sorted by top row
        next_merge = 0
        active: list[tuple[tuple[int, int, int, int], Any]] = []
        try:
            for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
                cells = list(values)
                if formula_rows is not None:
                    formulas = next(formula_rows, ())
                    for i, formula in enumerate(formulas):
                        if i < len(cells) and cells[i] is None and isinstance(formula, str) and formula.startswith("="):
                            cells[i] = UncalculatedFormula(formula)
                while next_merge < len(merges) and merges[next_merge][0] <= number:
                    merge = merges[next_merge]
                    next_merge += 1
                    active.append((merge, cells[merge[1]] if merge[1] < len(cells) else None))
                if active:
                    active = [(m, v) for m, v in active if number <= m[2]]
                    for (_top, min_col, _bottom, max_col), top_left in active:
                        if len(cells) <= max_col:
                            cells.extend([None] * (max_col + 1 - len(cells)))
                        for col in range(min_col, max_col + 1):
                            cells[col] = top_left
                yield number, cells
        except FileRejected:
            raise
        except Exception:
            raise FileRejected(f"读取工作表“{name}”时出错：文件内容损坏") from None

    def close(self) -> None:
        for book in (getattr(self, "book", None), getattr(self, "_formula_book", None)):
            if book is not None:
                try:
                    book.close()
                except Exception:  # noqa: S110 (closing a broken workbook must not hide the real error)
                    pass
        for handle in self._handles:
            handle.close()
        self._handles = []


# --- Opening a file --------------------------------------------------------------------------------

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass
class OpenedFile:
    tables: list[Table]
    issues: list[Issue]
    file_format: str
    encoding: str = ""
    sources: list[Any] = field(default_factory=list)

    def close(self) -> None:
        for source in self.sources:
            source.close()


def open_import_file(path: Path, *, kind: ImportKind | None = None) -> OpenedFile:
    """Open a file, find its tables and their kinds. Raises FileRejected for unreadable files;
    header problems are returned as issues so that they appear in the error report."""
    with open(path, "rb") as handle:
        head = handle.read(8)
    if not head:
        raise FileRejected("文件为空")
    if head.startswith(OLE_MAGIC):
        raise FileRejected("不支持 .xls 旧格式或加密（设置了打开密码）的 Excel 文件，请在 Excel 中另存为不加密的 .xlsx 或 CSV UTF-8 后重新导入")
    if head.startswith(XLSX_MAGIC):
        source: Any = XlsxSource(path)
        opened = OpenedFile(tables=[], issues=[], file_format="xlsx", sources=[source])
        try:
            for name in source.sheet_names():
                table, issues = build_table(source, name, name, kind, source.estimated_rows(name))
                opened.issues.extend(issues)
                if table is not None:
                    opened.tables.append(table)
        except FileRejected:
            opened.close()
            raise
        if not opened.tables and not opened.issues:
            opened.close()
            raise FileRejected("工作簿中没有可识别的数据表：请使用系统提供的导入模板，第一行为列名")
    else:
        text, encoding = decode_csv(path.read_bytes())
        source = CsvSource(text, encoding)
        opened = OpenedFile(tables=[], issues=[], file_format="csv", encoding=encoding, sources=[source])
        table, issues = build_table(source, None, "", kind, source.estimated_rows())
        opened.issues.extend(issues)
        if table is None and not issues:
            hint = "（已按 GBK/GB18030 编码读取，如出现乱码请另存为 CSV UTF-8）" if encoding == "gb18030" else ""
            opened.close()
            raise FileRejected(f"无法识别表格类型：前{HEADER_SEARCH_ROWS}行中没有找到模板列名组成的表头{hint}")
        if table is not None:
            opened.tables.append(table)
    order = {k.key: i for i, k in enumerate(KINDS)}
    opened.tables.sort(key=lambda t: order[t.kind.key])
    return opened
