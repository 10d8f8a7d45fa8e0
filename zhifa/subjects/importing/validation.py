"""Row-by-row validation of an opened import file, collecting every error.

One streaming pass over each table: cells are parsed (`spec` parsers), row rules applied,
duplicate natural keys within the file detected, and — per batch of rows — references checked
against the file and the database (enterprises by USCC, licences by type+number) as well as
keys already registered to another enterprise. Clean rows are spooled to a local pickle file
so the write pass does not read the spreadsheet again and memory stays bounded for large files.
Nothing here writes to the database.
"""
from __future__ import annotations

import pickle
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

from zhifa.common.masking import scrub_text

from ..choices import ChangeField
from ..models import ActivitySignal, Enterprise, Licence, MajorHazardSource, StorageZone
from .issues import FileRejected, Issue
from .parsers import CellError, display_value, is_blank
from .progress import ImportProgress
from .reading import OpenedFile, Table, normalize_header
from .spec import AFFILIATION, ENTERPRISES, LICENCE_APPLICATIONS, LICENCES, PERSONS, STORAGE_ITEMS, STORAGE_ZONES, ImportKind

BATCH_SIZE = 1000
DEFAULT_MAX_ERRORS = 50_000
DEFAULT_MAX_ROWS = 1_000_000
PROGRESS_EVERY = 200


def max_rows() -> int:
    return int(getattr(settings, "ZHIFA_IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS))


def max_errors() -> int:
    return int(getattr(settings, "ZHIFA_IMPORT_MAX_ERRORS", DEFAULT_MAX_ERRORS))


class IssueCollector:
    """All issues of a file, capped so a garbage file cannot exhaust memory."""

    def __init__(self, limit: int):
        self.limit = limit
        self.items: list[Issue] = []
        self.truncated = False

    def add(self, issue: Issue) -> None:
        if len(self.items) < self.limit:
            self.items.append(issue)
        else:
            self.truncated = True

    def __bool__(self) -> bool:
        return bool(self.items)


class Spool:
    """Clean rows of a file, pickled batch by batch to a local file (our own data, never user input)."""

    def __init__(self, path: Path):
        self.path = path
        self._handle = open(path, "wb")  # noqa: SIM115 (closed in finish_writing())
        self.batches_written = 0

    def write(self, table_index: int, batch: list[tuple[int, dict[str, Any]]]) -> None:
        pickle.dump((table_index, batch), self._handle, protocol=pickle.HIGHEST_PROTOCOL)
        self.batches_written += 1

    def finish_writing(self) -> None:
        if not self._handle.closed:
            self._handle.close()

    def batches(self) -> Iterator[tuple[int, list[tuple[int, dict[str, Any]]]]]:
        self.finish_writing()
        with open(self.path, "rb") as handle:
            while True:
                try:
                    yield pickle.load(handle)  # noqa: S301 (a file this process wrote a moment ago)
                except EOFError:
                    return

    def discard(self) -> None:
        self.finish_writing()
        try:
            self.path.unlink()
        except OSError:
            pass


@dataclass
class TableSummary:
    sheet: str
    kind: str
    present: frozenset[str]
    rows: int = 0


@dataclass
class ValidationResult:
    issues: list[Issue]
    truncated: bool
    rows: int
    tables: list[TableSummary] = field(default_factory=list)
    skipped_examples: int = 0

    @property
    def ok(self) -> bool:
        return not self.issues


class FileContext:
    """What the rows of one file know about each other and about the database."""

    def __init__(self) -> None:
        self.enterprises_in_file: set[str] = set()
        self.licences_in_file: set[tuple[str, str]] = set()
        self.zones_in_file: set[tuple[str, str]] = set()
        self.known_usccs: set[str] = set()
        self.person_names: dict[str, tuple[str, int, str]] = {}
        # Natural keys seen per kind (two sheets of the same kind are one data set).
        self.seen_keys: dict[str, dict[tuple, tuple[int, str]]] = {}
        self._orgs_by_code: dict[str, int] | None = None
        self._orgs_by_name: dict[str, list[int]] = {}

    def organisation_id(self, text: str) -> int:
        """Resolve the responsible organisation (SUB-02 一企一层级) by code, else by unique full name."""
        if self._orgs_by_code is None:
            from zhifa.accounts.models import Organisation

            self._orgs_by_code = {}
            for pk, code, name in Organisation.objects.values_list("pk", "code", "name"):
                self._orgs_by_code[code.lower()] = pk
                self._orgs_by_name.setdefault(name, []).append(pk)
        found = self._orgs_by_code.get(text.lower())
        if found is not None:
            return found
        by_name = self._orgs_by_name.get(text, [])
        if len(by_name) == 1:
            return by_name[0]
        if len(by_name) > 1:
            raise CellError(f"机构名称“{text}”对应多个机构，请填写机构代码")
        raise CellError(f"未知的机构代码“{text}”：系统中没有该代码或名称的机构")

    def missing_enterprises(self, usccs: set[str]) -> set[str]:
        unknown = usccs - self.enterprises_in_file - self.known_usccs
        if unknown:
            found = set(Enterprise.objects.filter(uscc__in=unknown).values_list("uscc", flat=True))
            self.known_usccs |= found
            unknown -= found
        return unknown


class TableValidator:
    """Validates the rows of one table; see the module docstring."""

    def __init__(self, table: Table, ctx: FileContext, issues: IssueCollector):
        self.table = table
        self.kind: ImportKind = table.kind
        self.ctx = ctx
        self.issues = issues
        self.headers = {c.key: c.header for c in self.kind.columns}
        self.positions = {c.key: pos for pos, c in table.columns.items()}
        self.seen_keys = ctx.seen_keys.setdefault(self.kind.key, {})
        self.required_keys = [k for k in self.kind.key_columns if self.kind.column(k).required]
        self.example = {pos: normalize_header(c.example) for pos, c in table.columns.items()}

    def _issue(self, row: int, key: str, message: str, value: Any = None, cells: list[Any] | None = None) -> None:
        if value is None and cells is not None and key in self.positions and self.positions[key] < len(cells):
            value = cells[self.positions[key]]
        # Error lists are shown and downloaded: personal data in them is masked like everywhere (SEC-03).
        self.issues.add(Issue(message=message, row=row, column=self.headers.get(key, key), value=scrub_text(display_value(value)), sheet=self.table.sheet))

    def is_example(self, cells: list[Any]) -> bool:
        """The template's example row (all template example values) is skipped, never imported."""
        for pos, expected in self.example.items():
            actual = normalize_header(display_value(cells[pos])) if pos < len(cells) else ""
            if actual != expected:
                return False
        return True

    def clean(self, row: int, cells: list[Any]) -> tuple[dict[str, Any], bool]:
        rec: dict[str, Any] = {}
        failed: set[str] = set()
        for pos, column in self.table.columns.items():
            raw = cells[pos] if pos < len(cells) else None
            if is_blank(raw):
                if column.required:
                    self._issue(row, column.key, "必填项不能为空", "")
                    failed.add(column.key)
                else:
                    rec[column.key] = column.blank
                continue
            try:
                rec[column.key] = column.parser.parse(raw)
            except CellError as exc:
                self._issue(row, column.key, exc.message, raw)
                failed.add(column.key)
        ok = not failed
        if ok:
            for rule in self.kind.rules:
                for key, message in rule(rec):
                    self._issue(row, key, message, cells=cells)
                    ok = False
        ok = self._row_context(row, rec, cells) and ok
        if ok:
            self._normalize(rec)
        # Duplicates are reported even on rows with other errors, as long as the key itself parsed.
        if not failed.intersection(self.kind.key_columns) and all(k in rec for k in self.required_keys):
            key = self.kind.natural_key(rec)
            first = self.seen_keys.get(key)
            if first is not None:
                where = f"工作表“{first[1]}”" if first[1] != self.table.sheet else ""
                self._issue(row, self.kind.key_columns[-1], f"与{where}第{first[0]}行重复（{self.kind.key_label}相同）", cells=cells)
                ok = False
            else:
                self.seen_keys[key] = (row, self.table.sheet)
        return rec, ok

    def _row_context(self, row: int, rec: dict[str, Any], cells: list[Any]) -> bool:
        ok = True
        if self.kind is ENTERPRISES:
            if rec.get("uscc"):
                self.ctx.enterprises_in_file.add(rec["uscc"])
            if rec.get("organisation"):
                try:
                    rec["organisation_id"] = self.ctx.organisation_id(rec["organisation"])
                except CellError as exc:
                    self._issue(row, "organisation", exc.message, cells=cells)
                    ok = False
            ok = self._person_consistent(row, rec.get("principal_id_number"), rec.get("principal_name"), "principal_id_number", cells) and ok
        elif self.kind is PERSONS:
            ok = self._person_consistent(row, rec.get("id_number"), rec.get("person_name"), "id_number", cells) and ok
        elif self.kind is LICENCES and rec.get("licence_type") and rec.get("number"):
            self.ctx.licences_in_file.add((rec["licence_type"], rec["number"]))
        elif self.kind is STORAGE_ZONES and rec.get("uscc") and rec.get("code"):
            self.ctx.zones_in_file.add((rec["uscc"], rec["code"]))
        return ok

    def _person_consistent(self, row: int, id_number: str | None, name: str | None, column: str, cells: list[Any]) -> bool:
        """One ID number is one person (Person.id_number is unique): it cannot carry two names in one file."""
        if not id_number or not name:
            return True
        first = self.ctx.person_names.get(id_number)
        if first is None:
            self.ctx.person_names[id_number] = (name, row, self.table.sheet)
            return True
        if first[0] != name:
            where = f"工作表“{first[2]}”" if first[2] and first[2] != self.table.sheet else ""
            self._issue(row, column, f"同一身份证号码在{where}第{first[1]}行对应的姓名为“{first[0]}”，与本行“{name}”不一致", cells=cells)
            return False
        return True

    def _normalize(self, rec: dict[str, Any]) -> None:
        """Store vocabulary values as codes (registration changes of 隶属关系 keep free text otherwise)."""
        if self.kind.key == "registration_changes" and rec.get("field") == ChangeField.AFFILIATION:
            for key in ("new_value", "old_value"):
                if rec.get(key):
                    rec[key] = AFFILIATION.parse(rec[key])

    # --- checks against the database, per batch ---------------------------------------------------

    def check_batch(self, batch: list[tuple[int, dict[str, Any], bool]]) -> None:
        if self.kind.enterprise_column:
            col = self.kind.enterprise_column
            usccs = {rec[col] for _, rec, _ in batch if rec.get(col)}
            missing = self.ctx.missing_enterprises(usccs)
            if missing:
                for row, rec, _ in batch:
                    if rec.get(col) in missing:
                        self._issue(row, col, "该统一社会信用代码的企业未在系统中登记，也不在本文件中（请先导入企业）", rec[col])
        if self.kind is LICENCES:
            self._check_owner(batch, Licence, "number", ("licence_type", "number"), "number", "该证书编号已登记在另一家企业（{uscc}）名下，不能改为其他持证单位")
        elif self.kind.key == "hazard_sources":
            self._check_owner(batch, MajorHazardSource, "code", ("code",), "code", "该危险源编号已登记在另一家企业（{uscc}）名下")
        elif self.kind.key == "activity_signals":
            self._check_owner(batch, ActivitySignal, "reference", ("source", "reference"), "reference", "该来源记录号已登记在另一家企业（{uscc}）名下")
        elif self.kind is LICENCE_APPLICATIONS:
            self._check_licence_refs(batch)
        elif self.kind is STORAGE_ITEMS:
            self._check_zone_refs(batch)

    def _check_owner(self, batch, model, lookup: str, key_fields: tuple[str, ...], column: str, message: str) -> None:
        """Keys that do not contain the enterprise must not silently move a record to another enterprise."""
        values = {rec[lookup] for _, rec, _ in batch if rec.get(lookup)}
        if not values:
            return
        owners = {
            tuple(row[:-1]): row[-1]
            for row in model.objects.filter(**{f"{lookup}__in": values}).values_list(*key_fields, "enterprise__uscc")
        }
        for row, rec, _ in batch:
            owner = owners.get(tuple(rec.get(k) for k in key_fields))
            if owner is not None and rec.get("uscc") and owner != rec["uscc"]:
                self._issue(row, column, message.format(uscc=owner), rec.get(column))

    def _check_licence_refs(self, batch) -> None:
        wanted = {(rec["licence_type"], rec["number"]) for _, rec, _ in batch if rec.get("licence_type") and rec.get("number")}
        unknown = wanted - self.ctx.licences_in_file
        if not unknown:
            return
        found = set(Licence.objects.filter(number__in={n for _, n in unknown}).values_list("licence_type", "number"))
        self.ctx.licences_in_file |= found & unknown
        for row, rec, _ in batch:
            if (rec.get("licence_type"), rec.get("number")) in unknown - found:
                self._issue(row, "number", "所引用的证照（证照类型+证书编号）未在系统中登记，也不在本文件中", rec.get("number"))


    def _check_zone_refs(self, batch) -> None:
        """CLU-S09 stock lines belong to a registered storage zone of the same enterprise (or one in this file)."""
        wanted = {(rec["uscc"], rec["zone_code"]) for _, rec, _ in batch if rec.get("uscc") and rec.get("zone_code")}
        unknown = wanted - self.ctx.zones_in_file
        if not unknown:
            return
        found = set(
            StorageZone.objects.filter(enterprise__uscc__in={u for u, _ in unknown}, code__in={c for _, c in unknown}).values_list("enterprise__uscc", "code")
        )
        self.ctx.zones_in_file |= found & unknown
        for row, rec, _ in batch:
            if (rec.get("uscc"), rec.get("zone_code")) in unknown - found:
                self._issue(row, "zone_code", "所引用的储存区（企业+储存区编号）未在系统中登记，也不在本文件中", rec.get("zone_code"))


def validate_file(opened: OpenedFile, spool: Spool, progress: ImportProgress) -> ValidationResult:
    """Validate every table of an opened file; spool clean rows while no error has been found."""
    issues = IssueCollector(max_errors())
    for issue in opened.issues:
        issues.add(issue)
    ctx = FileContext()
    summaries: list[TableSummary] = []
    total_estimate = sum(t.estimated_rows or 0 for t in opened.tables) or None
    processed = 0
    skipped = 0
    limit = max_rows()
    progress.advance("validating", 0, total_estimate)
    for index, table in enumerate(opened.tables):
        validator = TableValidator(table, ctx, issues)
        summary = TableSummary(sheet=table.sheet, kind=table.kind.key, present=table.present)
        summaries.append(summary)
        batch: list[tuple[int, dict[str, Any], bool]] = []

        def flush(batch=batch, index=index, validator=validator) -> None:
            validator.check_batch(batch)
            if not issues:
                spool.write(index, [(row, rec) for row, rec, _ in batch])
            batch.clear()

        for row, cells in table.data_rows():
            if all(is_blank(c) for c in cells):
                continue
            if validator.is_example(cells):
                skipped += 1
                continue
            processed += 1
            summary.rows += 1
            if processed > limit:
                raise FileRejected(f"文件数据行数超过上限（{limit:,}行），请拆分为多个文件导入")
            rec, ok = validator.clean(row, cells)
            batch.append((row, rec, ok))
            if len(batch) >= BATCH_SIZE:
                flush()
            if processed % PROGRESS_EVERY == 0:
                progress.advance("validating", processed, total_estimate)
        if batch:
            flush()
    if processed == 0 and not issues:
        issues.add(Issue(message="文件中没有数据行（模板示例行不计入），未导入任何数据"))
    progress.advance("validating", processed, processed)
    return ValidationResult(issues=issues.items, truncated=issues.truncated, rows=processed, tables=summaries, skipped_examples=skipped)
