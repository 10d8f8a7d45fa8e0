"""Bulk, idempotent writers: one per import kind, called batch by batch inside the single
transaction opened by `zhifa.subjects.services.import_apply`.

Each writer finds existing rows by the kind's natural key (one query per batch), inserts the
missing ones and updates only rows whose values actually changed, both as multi-row
statements (`fastsql`; `bulk_create` where the new primary keys are needed). Re-importing the
same file therefore creates nothing and updates nothing. None of the models written here has a
custom save() or signal receivers, so the multi-row statements store what save() would.

Columns absent from the file's header are left untouched on existing rows (and take the model
default on new rows); a present but blank cell stores the column's blank value.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils import timezone

from zhifa.common.timeutil import today

from ..choices import ChangeField, DataSource, PersonRole
from ..models import (
    ActivitySignal,
    ChemicalProduct,
    EmergencyPlanFiling,
    Enterprise,
    EnterprisePerson,
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
from .fastsql import insert_objects, update_objects
from .spec import ImportKind

Batch = list[tuple[int, dict[str, Any]]]


class ImportConflict(Exception):
    """The database changed between validation and writing (e.g. a concurrent import)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, other: Counts) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged

    def as_dict(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}


def _assign(obj: models.Model, values: dict[str, Any]) -> bool:
    """Set attributes that differ; return True when anything changed."""
    changed = False
    for attname, value in values.items():
        if getattr(obj, attname) != value:
            setattr(obj, attname, value)
            changed = True
    return changed


def _enterprise_ids(usccs: set[str]) -> dict[str, int]:
    ids = dict(Enterprise.objects.filter(uscc__in=usccs).values_list("uscc", "pk"))
    missing = usccs - ids.keys()
    if missing:
        raise ImportConflict(f"企业 {sorted(missing)[0]} 在校验后被删除或不存在，未写入任何数据，请重新导入")
    return ids


class UpsertWriter:
    """Generic writer: natural key → existing row; create or update the columns present."""

    model: type[models.Model]
    key_attrs: tuple[str, ...]
    lookup_attr: str
    # Record keys that are not model fields (resolved references).
    skip_columns: frozenset[str] = frozenset({"uscc"})
    # Writers that use the primary keys of created rows insert with bulk_create (RETURNING).
    needs_pks = False

    def __init__(self, kind: ImportKind, present: frozenset[str]):
        self.kind = kind
        self.present = present
        self.now = timezone.now()
        self.columns = [key for key in present if key not in self.skip_columns]
        self.has_updated_at = any(f.name == "updated_at" for f in self.model._meta.fields)

    def resolve(self, batch: Batch) -> None:
        if self.kind.enterprise_column:
            ids = _enterprise_ids({rec["uscc"] for _, rec in batch})
            for _, rec in batch:
                rec["enterprise_id"] = ids[rec["uscc"]]

    def values(self, rec: dict[str, Any]) -> dict[str, Any]:
        values = {key: rec[key] for key in self.columns}
        if "enterprise_id" in rec:
            values["enterprise_id"] = rec["enterprise_id"]
        return values

    def fetch(self, all_values: list[dict[str, Any]]) -> dict[tuple, models.Model]:
        lookups = {v[self.lookup_attr] for v in all_values}
        existing: dict[tuple, models.Model] = {}
        for obj in self.model.objects.filter(**{f"{self.lookup_attr}__in": lookups}).order_by("pk"):
            existing.setdefault(tuple(getattr(obj, a) for a in self.key_attrs), obj)
        return existing

    def prepare_new(self, obj: models.Model) -> None:
        """Hook: complete a new object before it is inserted."""

    def write(self, batch: Batch) -> Counts:
        self.resolve(batch)
        all_values = [self.values(rec) for _, rec in batch]
        existing = self.fetch(all_values)
        counts = Counts()
        new: list[models.Model] = []
        changed: list[models.Model] = []
        fields: set[str] = set()
        for values in all_values:
            obj = existing.get(tuple(values[a] for a in self.key_attrs))
            if obj is None:
                obj = self.model(**values)
                self.prepare_new(obj)
                new.append(obj)
                continue
            updates = {a: v for a, v in values.items() if a not in self.key_attrs}
            if _assign(obj, updates):
                if self.has_updated_at:
                    obj.updated_at = self.now
                fields.update(updates)
                changed.append(obj)
            else:
                counts.unchanged += 1
        if new:
            if self.needs_pks:
                self.model.objects.bulk_create(new)
            else:
                insert_objects(self.model, new, self.now)
            counts.created += len(new)
        if changed:
            update_objects(self.model, changed, sorted(fields | ({"updated_at"} if self.has_updated_at else set())))
            counts.updated += len(changed)
        self.after_write(new, changed)
        return counts

    def after_write(self, created: list[models.Model], changed: list[models.Model]) -> None:
        """Hook for writers that maintain derived data."""

    def finish(self) -> dict[str, Any]:
        """Called once after the last batch of the table; returns facts for the ledger payload."""
        return {}


class _PersonResolver:
    """Finds or creates natural persons; ID numbers identify a person (Person.id_number is unique)."""

    @staticmethod
    def by_id_number(people: dict[str, dict[str, Any]]) -> tuple[dict[str, int], set[str]]:
        """`people`: id_number → {"name", optional "phone", "address"}. Returns (id_number → pk,
        id_numbers whose person was created or changed)."""
        existing = {p.id_number: p for p in Person.objects.filter(id_number__in=people.keys())}
        new: list[Person] = []
        changed: list[Person] = []
        touched: set[str] = set()
        now = timezone.now()
        for id_number, values in people.items():
            person = existing.get(id_number)
            if person is None:
                person = Person(id_number=id_number, **values)
                new.append(person)
                existing[id_number] = person
                touched.add(id_number)
            elif _assign(person, values):
                person.updated_at = now
                changed.append(person)
                touched.add(id_number)
        insert_objects(Person, new, now)
        update_objects(Person, changed, ["name", "phone", "address", "updated_at"])
        pks = {k: p.pk for k, p in existing.items() if p.pk is not None}
        if new:
            # Inserted without RETURNING: read the keys back by the unique ID number.
            pks.update(Person.objects.filter(id_number__in=[p.id_number for p in new]).values_list("id_number", "pk"))
        return pks, touched


class EnterpriseWriter(UpsertWriter):
    """Enterprises by USCC (SUB-01), with the principal person (SUB-03) and the import feed
    recorded in `data_sources`."""

    model = Enterprise
    key_attrs = ("uscc",)
    lookup_attr = "uscc"
    skip_columns = frozenset({"organisation", "principal_name", "principal_id_number", "principal_phone"})

    def values(self, rec: dict[str, Any]) -> dict[str, Any]:
        values = {key: rec[key] for key in self.columns}
        if "organisation" in self.present:
            values["organisation_id"] = rec["organisation_id"]
        return values

    def write(self, batch: Batch) -> Counts:
        usccs = [rec["uscc"] for _, rec in batch]
        existing = {e.uscc: e for e in Enterprise.objects.filter(uscc__in=usccs).select_related("principal")}
        principal_ids, principal_touched = self._principals(batch, existing)
        counts = Counts()
        new: list[Enterprise] = []
        changed: list[Enterprise] = []
        fields: set[str] = set()
        for row, rec in batch:
            values = self.values(rec)
            if row in principal_ids:
                values["principal_id"] = principal_ids[row]
            enterprise = existing.get(rec["uscc"])
            if enterprise is None:
                values.setdefault("data_sources", [DataSource.IMPORT.value])
                new.append(Enterprise(**values))
                continue
            if DataSource.IMPORT.value not in (enterprise.data_sources or []):
                values["data_sources"] = [*(enterprise.data_sources or []), DataSource.IMPORT.value]
            did_change = _assign(enterprise, {a: v for a, v in values.items() if a != "uscc"})
            if did_change:
                enterprise.updated_at = self.now
                fields.update(a for a in values if a != "uscc")
                changed.append(enterprise)
                counts.updated += 1
            elif row in principal_touched:
                counts.updated += 1
            else:
                counts.unchanged += 1
        insert_objects(Enterprise, new, self.now)
        counts.created += len(new)
        update_objects(Enterprise, changed, sorted(fields | {"updated_at"}))
        new_with_principal = [e for e in new if e.principal_id]
        if new_with_principal:
            # Inserted without RETURNING: read the keys back by USCC.
            pks = dict(Enterprise.objects.filter(uscc__in=[e.uscc for e in new_with_principal]).values_list("uscc", "pk"))
            for enterprise in new_with_principal:
                enterprise.pk = pks[enterprise.uscc]
        # New enterprises have no links yet; changed ones may already have this one.
        insert_objects(EnterprisePerson, [EnterprisePerson(enterprise_id=e.pk, person_id=e.principal_id, role=PersonRole.PRINCIPAL) for e in new_with_principal], self.now)
        links = [EnterprisePerson(enterprise_id=e.pk, person_id=e.principal_id, role=PersonRole.PRINCIPAL) for e in changed if e.principal_id]
        if links:
            EnterprisePerson.objects.bulk_create(links, ignore_conflicts=True)
        return counts

    def _principals(self, batch: Batch, existing: dict[str, Enterprise]) -> tuple[dict[int, int], set[int]]:
        """Row → principal person pk, for rows naming a principal; rows whose person changed."""
        if "principal_name" not in self.present:
            return {}, set()
        with_id: dict[str, dict[str, Any]] = {}
        result: dict[int, int] = {}
        touched_rows: set[int] = set()
        name_only: list[tuple[int, dict[str, Any]]] = []
        for row, rec in batch:
            name = rec.get("principal_name")
            if not name:
                continue
            id_number = rec.get("principal_id_number")
            if id_number:
                values = {"name": name}
                if rec.get("principal_phone"):
                    values["phone"] = rec["principal_phone"]
                with_id[id_number] = values
            else:
                name_only.append((row, rec))
        if with_id:
            pks, touched = _PersonResolver.by_id_number(with_id)
            for row, rec in batch:
                id_number = rec.get("principal_id_number")
                if rec.get("principal_name") and id_number:
                    result[row] = pks[id_number]
                    if id_number in touched:
                        touched_rows.add(row)
        new_people: list[tuple[int, Person]] = []
        changed_people: list[Person] = []
        for row, rec in name_only:
            current = existing.get(rec["uscc"])
            person = current.principal if current is not None and current.principal_id else None
            if person is not None and person.name == rec["principal_name"]:
                if rec.get("principal_phone") and person.phone != rec["principal_phone"]:
                    person.phone = rec["principal_phone"]
                    person.updated_at = self.now
                    changed_people.append(person)
                    touched_rows.add(row)
                result[row] = person.pk
            else:
                new_people.append((row, Person(name=rec["principal_name"], phone=rec.get("principal_phone") or "")))
        if new_people:
            Person.objects.bulk_create([p for _, p in new_people])
            for row, person in new_people:
                result[row] = person.pk
        update_objects(Person, changed_people, ["phone", "updated_at"])
        return result, touched_rows


class PersonWriter(UpsertWriter):
    """Roles of natural persons at enterprises (SUB-03, SUB-17); a current principal (主要负责人)
    also becomes the enterprise's principal person."""

    model = EnterprisePerson
    key_attrs = ("enterprise_id", "person_id", "role")
    lookup_attr = "enterprise_id"

    def write(self, batch: Batch) -> Counts:
        self.resolve(batch)
        person_fields = [k for k in ("phone", "address") if k in self.present]
        with_id = {}
        for _, rec in batch:
            if rec.get("id_number"):
                with_id[rec["id_number"]] = {"name": rec["person_name"], **{k: rec[k] for k in person_fields}}
        pks, touched_ids = _PersonResolver.by_id_number(with_id) if with_id else ({}, set())
        enterprise_ids = {rec["enterprise_id"] for _, rec in batch}
        links = list(EnterprisePerson.objects.filter(enterprise_id__in=enterprise_ids).select_related("person").order_by("pk"))
        by_key = {(ep.enterprise_id, ep.person_id, ep.role): ep for ep in links}
        nameless = {}
        for ep in links:
            if not ep.person.id_number:
                nameless.setdefault((ep.enterprise_id, ep.role, ep.person.name), ep.person)
        counts = Counts()
        new_people: list[tuple[dict[str, Any], Person]] = []
        changed_people: list[Person] = []
        touched_rows: set[int] = set()
        for row, rec in batch:
            if rec.get("id_number"):
                rec["person_id"] = pks[rec["id_number"]]
                if rec["id_number"] in touched_ids:
                    touched_rows.add(row)
                continue
            person = nameless.get((rec["enterprise_id"], rec["role"], rec["person_name"]))
            if person is None:
                person = Person(name=rec["person_name"], **{k: rec[k] for k in person_fields})
                new_people.append((rec, person))
            else:
                if _assign(person, {k: rec[k] for k in person_fields}):
                    person.updated_at = self.now
                    changed_people.append(person)
                    touched_rows.add(row)
                rec["person_id"] = person.pk
        if new_people:
            Person.objects.bulk_create([p for _, p in new_people])
            for rec, person in new_people:
                rec["person_id"] = person.pk
        update_objects(Person, changed_people, ["phone", "address", "updated_at"])
        new_links: list[EnterprisePerson] = []
        changed_links: list[EnterprisePerson] = []
        dates = [k for k in ("valid_from", "valid_to") if k in self.present]
        for row, rec in batch:
            key = (rec["enterprise_id"], rec["person_id"], rec["role"])
            link = by_key.get(key)
            values = {k: rec[k] for k in dates}
            if link is None:
                link = EnterprisePerson(enterprise_id=key[0], person_id=key[1], role=key[2], **values)
                new_links.append(link)
                by_key[key] = link
                counts.created += 1
            elif _assign(link, values):
                link.updated_at = self.now
                changed_links.append(link)
                counts.updated += 1
            elif row in touched_rows:
                counts.updated += 1
            else:
                counts.unchanged += 1
        insert_objects(EnterprisePerson, new_links, self.now)
        update_objects(EnterprisePerson, changed_links, [*dates, "updated_at"])
        self._set_principals(batch)
        return counts

    def _set_principals(self, batch: Batch) -> None:
        day = today()
        principal_of: dict[int, int] = {}
        for _, rec in batch:
            if rec["role"] == PersonRole.PRINCIPAL and (rec.get("valid_to") is None or rec["valid_to"] >= day):
                principal_of[rec["enterprise_id"]] = rec["person_id"]
        if not principal_of:
            return
        enterprises = list(Enterprise.objects.filter(pk__in=principal_of.keys()))
        changed = []
        for enterprise in enterprises:
            if enterprise.principal_id != principal_of[enterprise.pk]:
                enterprise.principal_id = principal_of[enterprise.pk]
                enterprise.updated_at = self.now
                changed.append(enterprise)
        update_objects(Enterprise, changed, ["principal", "updated_at"])


class LicenceWriter(UpsertWriter):
    """Licences by type + number (SUB-04); the holder was checked during validation."""

    model = Licence
    key_attrs = ("licence_type", "number")
    lookup_attr = "number"


class LicenceApplicationWriter(UpsertWriter):
    """Extension/change/renewal applications (SUB-04) keyed by licence, kind, changed particular and date."""

    model = LicenceApplication
    key_attrs = ("licence_id", "kind", "change_field", "submitted_on")
    lookup_attr = "licence_id"
    skip_columns = frozenset({"licence_type", "number"})

    def resolve(self, batch: Batch) -> None:
        numbers = {rec["number"] for _, rec in batch}
        ids = {(t, n): pk for pk, t, n in Licence.objects.filter(number__in=numbers).values_list("pk", "licence_type", "number")}
        for _, rec in batch:
            pk = ids.get((rec["licence_type"], rec["number"]))
            if pk is None:
                raise ImportConflict(f"证照 {rec['number']} 在校验后不存在，未写入任何数据，请重新导入")
            rec["licence_id"] = pk

    def values(self, rec: dict[str, Any]) -> dict[str, Any]:
        values = {key: rec[key] for key in self.columns}
        values["licence_id"] = rec["licence_id"]
        values.setdefault("change_field", "")
        return values


class RegistrationChangeWriter(UpsertWriter):
    """Dated business-registration changes. A newly recorded change that is the latest for its
    enterprise and field is applied to the master record, as `registration_change_record` does;
    licences keep their recorded particulars so unreported changes stay detectable
    (CLU-S04/S08/S11)."""

    model = RegistrationChange
    key_attrs = ("enterprise_id", "field", "changed_on", "new_value")
    lookup_attr = "enterprise_id"
    needs_pks = True

    def __init__(self, kind: ImportKind, present: frozenset[str]):
        super().__init__(kind, present)
        self.created_pairs: set[tuple[int, str]] = set()
        self.created_ids: set[int] = set()

    def write(self, batch: Batch) -> Counts:
        self.resolve(batch)
        self._enterprises = {
            e.pk: e for e in Enterprise.objects.filter(pk__in={rec["enterprise_id"] for _, rec in batch}).select_related("principal")
        }
        return super().write(batch)

    def values(self, rec: dict[str, Any]) -> dict[str, Any]:
        values = super().values(rec)
        if not values.get("old_value"):
            # A blank "变更前" never erases a stored value; new rows take the master record's current value.
            values.pop("old_value", None)
        return values

    def prepare_new(self, obj: models.Model) -> None:
        if not obj.old_value:
            obj.old_value = _current_value(self._enterprises[obj.enterprise_id], obj.field)

    def after_write(self, created: list[models.Model], changed: list[models.Model]) -> None:
        for change in created:
            self.created_pairs.add((change.enterprise_id, change.field))
            self.created_ids.add(change.pk)

    def finish(self) -> dict[str, Any]:
        applied = 0
        pairs = list(self.created_pairs)
        for start in range(0, len(pairs), 500):
            chunk = pairs[start : start + 500]
            enterprise_ids = {e for e, _ in chunk}
            latest: dict[tuple[int, str], RegistrationChange] = {}
            for change in RegistrationChange.objects.filter(enterprise_id__in=enterprise_ids).order_by("-changed_on", "-pk"):
                latest.setdefault((change.enterprise_id, change.field), change)
            to_apply = [latest[p] for p in chunk if p in latest and latest[p].pk in self.created_ids]
            enterprises = {e.pk: e for e in Enterprise.objects.filter(pk__in={c.enterprise_id for c in to_apply}).select_related("principal")}
            new_principals: list[tuple[Enterprise, Person]] = []
            touched: dict[int, Enterprise] = {}
            for change in to_apply:
                enterprise = enterprises[change.enterprise_id]
                if change.field == ChangeField.PRINCIPAL:
                    if not (enterprise.principal_id and enterprise.principal.name == change.new_value):
                        new_principals.append((enterprise, Person(name=change.new_value)))
                elif change.field == ChangeField.NAME:
                    enterprise.name = change.new_value
                elif change.field == ChangeField.REG_ADDRESS:
                    enterprise.registered_address = change.new_value
                elif change.field == ChangeField.AFFILIATION:
                    enterprise.affiliation = change.new_value
                touched[enterprise.pk] = enterprise
            if new_principals:
                Person.objects.bulk_create([p for _, p in new_principals])
                for enterprise, person in new_principals:
                    enterprise.principal_id = person.pk
            for enterprise in touched.values():
                enterprise.updated_at = self.now
            if touched:
                update_objects(Enterprise, list(touched.values()), ["name", "registered_address", "affiliation", "principal", "updated_at"])
                applied += len(to_apply)
        return {"applied_to_master_record": applied} if applied else {}


def _current_value(enterprise: Enterprise, field: str) -> str:
    if field == ChangeField.PRINCIPAL:
        return enterprise.principal.name if enterprise.principal_id else ""
    if field == ChangeField.NAME:
        return enterprise.name
    if field == ChangeField.REG_ADDRESS:
        return enterprise.registered_address
    return enterprise.affiliation


class PlanFilingWriter(UpsertWriter):
    model = EmergencyPlanFiling
    key_attrs = ("enterprise_id", "plan_title", "published_on")
    lookup_attr = "enterprise_id"


class HazardSourceWriter(UpsertWriter):
    model = MajorHazardSource
    key_attrs = ("code",)
    lookup_attr = "code"


class ReportObligationWriter(UpsertWriter):
    model = ReportObligation
    key_attrs = ("enterprise_id", "kind", "period")
    lookup_attr = "enterprise_id"


class PrecursorReportWriter(UpsertWriter):
    model = PrecursorAnnualReport
    key_attrs = ("enterprise_id", "year")
    lookup_attr = "enterprise_id"


class ActivitySignalWriter(UpsertWriter):
    """Activity signals keyed by source system + record reference (re-import never duplicates)."""

    model = ActivitySignal
    key_attrs = ("source", "reference")
    lookup_attr = "reference"


class ChemicalProductWriter(UpsertWriter):
    """Produced/imported chemicals and their registration (SUB-08, CLU-S05), keyed by enterprise, name and role."""

    model = ChemicalProduct
    key_attrs = ("enterprise_id", "name", "role")
    lookup_attr = "enterprise_id"


class PermittedChemicalWriter(UpsertWriter):
    """Varieties an enterprise may store (CLU-S09), keyed by enterprise and CAS number."""

    model = PermittedChemical
    key_attrs = ("enterprise_id", "cas_number")
    lookup_attr = "enterprise_id"


class StorageZoneWriter(UpsertWriter):
    """Storage zones (CLU-S09) keyed by enterprise and zone code. When the file carries the allowed
    classes, they replace the zone's registered classes; a zone whose only change is its class
    list counts as updated."""

    model = StorageZone
    key_attrs = ("enterprise_id", "code")
    lookup_attr = "enterprise_id"
    skip_columns = frozenset({"uscc", "allowed_classes"})
    needs_pks = True

    def after_write(self, created: list[models.Model], changed: list[models.Model]) -> None:
        self._touched = {obj.pk for obj in created} | {obj.pk for obj in changed}

    def write(self, batch: Batch) -> Counts:
        self._touched: set[int] = set()
        counts = super().write(batch)
        if "allowed_classes" not in self.present:
            return counts
        zone_ids: dict[tuple[int, str], int] = {}
        for pk, enterprise_id, code in StorageZone.objects.filter(
            enterprise_id__in={rec["enterprise_id"] for _, rec in batch}, code__in={rec["code"] for _, rec in batch}
        ).values_list("pk", "enterprise_id", "code"):
            zone_ids[(enterprise_id, code)] = pk
        current: dict[int, set[str]] = {}
        for zone_id, hazard_class in StorageZoneClass.objects.filter(zone_id__in=zone_ids.values()).values_list("zone_id", "hazard_class"):
            current.setdefault(zone_id, set()).add(hazard_class)
        new_rows: list[StorageZoneClass] = []
        stale: list[tuple[int, set[str]]] = []
        for _, rec in batch:
            zone_id = zone_ids[(rec["enterprise_id"], rec["code"])]
            wanted, have = set(rec["allowed_classes"]), current.get(zone_id, set())
            if wanted == have:
                continue
            new_rows += [StorageZoneClass(zone_id=zone_id, hazard_class=c) for c in sorted(wanted - have)]
            if have - wanted:
                stale.append((zone_id, have - wanted))
            if zone_id not in self._touched:
                counts.unchanged -= 1
                counts.updated += 1
        for zone_id, classes in stale:
            StorageZoneClass.objects.filter(zone_id=zone_id, hazard_class__in=classes).delete()
        insert_objects(StorageZoneClass, new_rows, self.now)
        return counts


class StorageItemWriter(UpsertWriter):
    """Stock lines of storage zones (CLU-S09), keyed by zone, stock-taking date, name and CAS number."""

    model = StorageItem
    key_attrs = ("zone_id", "recorded_on", "chemical_name", "cas_number")
    lookup_attr = "zone_id"
    skip_columns = frozenset({"uscc", "zone_code"})

    def resolve(self, batch: Batch) -> None:
        enterprise_ids = _enterprise_ids({rec["uscc"] for _, rec in batch})
        zones = {
            (enterprise_id, code): pk
            for pk, enterprise_id, code in StorageZone.objects.filter(
                enterprise_id__in=set(enterprise_ids.values()), code__in={rec["zone_code"] for _, rec in batch}
            ).values_list("pk", "enterprise_id", "code")
        }
        for _, rec in batch:
            pk = zones.get((enterprise_ids[rec["uscc"]], rec["zone_code"]))
            if pk is None:
                raise ImportConflict(f"储存区 {rec['zone_code']} 在校验后不存在，未写入任何数据，请重新导入")
            rec["zone_id"] = pk

    def values(self, rec: dict[str, Any]) -> dict[str, Any]:
        values = {key: rec[key] for key in self.columns}
        values["zone_id"] = rec["zone_id"]
        values.setdefault("cas_number", "")
        return values


WRITERS: dict[str, type[UpsertWriter]] = {
    "enterprises": EnterpriseWriter,
    "persons": PersonWriter,
    "licences": LicenceWriter,
    "licence_applications": LicenceApplicationWriter,
    "registration_changes": RegistrationChangeWriter,
    "plan_filings": PlanFilingWriter,
    "hazard_sources": HazardSourceWriter,
    "report_obligations": ReportObligationWriter,
    "precursor_reports": PrecursorReportWriter,
    "activity_signals": ActivitySignalWriter,
    "chemical_products": ChemicalProductWriter,
    "permitted_chemicals": PermittedChemicalWriter,
    "storage_zones": StorageZoneWriter,
    "storage_items": StorageItemWriter,
}


def writer_for(kind: ImportKind, present: frozenset[str]) -> UpsertWriter:
    return WRITERS[kind.key](kind, present)

