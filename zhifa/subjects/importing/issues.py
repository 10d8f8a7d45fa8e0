"""One problem found in an import file, located as the user sees it in the spreadsheet."""
from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Issue:
    """`row` is the spreadsheet row number (1 = first row) or None for file-level problems;
    `column` is the Chinese column header; `message` is Chinese."""

    message: str
    row: int | None = None
    column: str = ""
    value: str = ""
    sheet: str = ""

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Issue:
        return cls(
            message=str(data.get("message", "")),
            row=data.get("row"),
            column=str(data.get("column", "")),
            value=str(data.get("value", "")),
            sheet=str(data.get("sheet", "")),
        )

    def describe(self) -> str:
        """One line for the command output: 工作表“企业” 第3行 “统一社会信用代码”（值：…）：message."""
        parts = []
        if self.sheet:
            parts.append(f"工作表“{self.sheet}”")
        if self.row:
            parts.append(f"第{self.row}行")
        if self.column:
            parts.append(f"“{self.column}”列")
        where = " ".join(parts)
        value = f"（值：{self.value}）" if self.value else ""
        return f"{where}{value}：{self.message}" if where else f"{self.message}{value}"


class FileRejected(Exception):
    """The file as a whole cannot be imported (too large, unreadable, unknown encoding…)."""

    def __init__(self, message: str, *, issues: list[Issue] | None = None):
        super().__init__(message)
        self.message = message
        self.issues = issues or [Issue(message=message)]
