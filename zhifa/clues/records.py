"""Plain, database-free records of one enterprise's register data (RULES §3.2 inputs).

The pure evaluators read these; `load_records` builds them from the database for a batch of
enterprises (a fixed number of queries per batch, never one per enterprise). The engine uses them
to turn the SQL hits into facts, and the property tests use them to check that SQL and pure
conditions agree.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from django.apps import apps


@dataclass(frozen=True)
class ApplicationRec:
    id: int
    kind: str
    change_field: str
    submitted_on: date
    status: str
    decided_on: date | None
    new_valid_to: date | None


@dataclass(frozen=True)
class LicenceRec:
    id: int
    licence_type: str
    number: str
    status: str
    valid_from: date
    valid_to: date | None
    recorded: dict[str, str]
    applications: tuple[ApplicationRec, ...] = ()


@dataclass(frozen=True)
class ChangeRec:
    id: int
    field: str
    old_value: str
    new_value: str
    changed_on: date


@dataclass(frozen=True)
class PlanRec:
    id: int
    title: str
    published_on: date
    filed_on: date | None
    authority_level: str


@dataclass(frozen=True)
class HazardSourceRec:
    id: int
    code: str
    name: str
    identified_on: date
    assessment_report_on: date | None
    filed_on: date | None
    reassessed_on: date | None
    refiled_on: date | None
    no_longer_major_since: date | None
    cancellation_applied_on: date | None


@dataclass(frozen=True)
class ObligationRec:
    id: int
    kind: str
    period: str
    due_on: date
    submitted_on: date | None
    validation_passed: bool | None


@dataclass(frozen=True)
class PrecursorReportRec:
    id: int
    year: int
    submitted_on: date | None
    opening: Decimal
    produced: Decimal
    purchased: Decimal
    sold: Decimal
    used: Decimal
    closing: Decimal


@dataclass(frozen=True)
class ProductRec:
    id: int
    name: str
    cas_number: str
    role: str
    in_catalogue: bool
    registration_number: str
    properties_changed_on: date | None
    change_applied_on: date | None


@dataclass(frozen=True)
class StorageItemRec:
    chemical_name: str
    cas_number: str
    hazard_class: str
    quantity_t: Decimal
    recorded_on: date


@dataclass(frozen=True)
class ZoneRec:
    id: int
    code: str
    name: str
    max_quantity_t: Decimal
    allowed_classes: frozenset[str]
    items: tuple[StorageItemRec, ...] = ()


@dataclass
class EnterpriseRecord:
    id: int
    organisation_id: int
    name: str
    affiliation: str
    industry: str
    scale: str
    status: str
    plan_filing_obliged: bool
    hc_use_ratio: Decimal | None
    precursor_role: str
    licences: list[LicenceRec] = field(default_factory=list)
    changes: list[ChangeRec] = field(default_factory=list)
    activities: list[tuple[str, date]] = field(default_factory=list)
    plans: list[PlanRec] = field(default_factory=list)
    hazard_sources: list[HazardSourceRec] = field(default_factory=list)
    obligations: list[ObligationRec] = field(default_factory=list)
    precursor_reports: list[PrecursorReportRec] = field(default_factory=list)
    products: list[ProductRec] = field(default_factory=list)
    zones: list[ZoneRec] = field(default_factory=list)
    permitted_cas: frozenset[str] = frozenset()

    def activity_after(self, kind: str, after: date, as_of: date) -> list[date]:
        """RULES §3.2 act(s, kind, after=t): signals of `kind` strictly after `t`; signals dated
        after the detection day are data errors (a quality finding), never proof."""
        return sorted(d for k, d in self.activities if k == kind and after < d <= as_of)

    def as_stood_on(self, day: date) -> EnterpriseRecord:
        """The register as it stood on `day`: anything recorded as happening later — a filing,
        a submission, an application, a decision, a change, an activity, a stock count — had not
        happened yet (a date after the detection day is a data error or a later fact, never a
        completed duty). Every pure evaluator sees this view; the SQL predicates say the same with
        `done_by`/`not_done_by` (scenarios/base.py)."""
        def by(value: date | None) -> date | None:
            return value if value is not None and value <= day else None

        def application(a: ApplicationRec) -> ApplicationRec:
            if a.status in ("APPROVED", "REJECTED") and a.decided_on is not None and a.decided_on > day:
                return replace(a, status="PENDING", decided_on=None, new_valid_to=None)
            return a

        def obligation(o: ObligationRec) -> ObligationRec:
            if by(o.submitted_on) is None:
                return replace(o, submitted_on=None, validation_passed=None)
            return o

        def plan(p: PlanRec) -> PlanRec:
            return p if by(p.filed_on) is not None else replace(p, filed_on=None, authority_level="")

        return replace(
            self,
            licences=[replace(lic, applications=tuple(application(a) for a in lic.applications if a.submitted_on <= day))
                      for lic in self.licences if lic.valid_from <= day],
            changes=[c for c in self.changes if c.changed_on <= day],
            activities=[(k, d) for k, d in self.activities if d <= day],
            plans=[plan(p) for p in self.plans],
            hazard_sources=[replace(m, assessment_report_on=by(m.assessment_report_on), filed_on=by(m.filed_on), reassessed_on=by(m.reassessed_on),
                                    refiled_on=by(m.refiled_on), no_longer_major_since=by(m.no_longer_major_since),
                                    cancellation_applied_on=by(m.cancellation_applied_on)) for m in self.hazard_sources],
            obligations=[obligation(o) for o in self.obligations],
            precursor_reports=[replace(r, submitted_on=by(r.submitted_on)) for r in self.precursor_reports],
            products=[replace(p, properties_changed_on=by(p.properties_changed_on), change_applied_on=by(p.change_applied_on)) for p in self.products],
            zones=[replace(z, items=tuple(i for i in z.items if i.recorded_on <= day)) for z in self.zones],
        )


def _model(name: str):
    return apps.get_model("subjects", name)


def load_records(enterprise_ids: Iterable[int]) -> dict[int, EnterpriseRecord]:
    """Records for the given enterprises, with every related table read once per batch."""
    ids = sorted(set(enterprise_ids))
    if not ids:
        return {}
    out: dict[int, EnterpriseRecord] = {}
    for e in _model("Enterprise").objects.filter(pk__in=ids).values(
        "id", "organisation_id", "name", "affiliation", "industry", "scale", "status", "plan_filing_obliged", "hc_use_ratio", "precursor_role"
    ):
        out[e["id"]] = EnterpriseRecord(**e)

    apps_by_licence: dict[int, list[ApplicationRec]] = defaultdict(list)
    for a in _model("LicenceApplication").objects.filter(licence__enterprise_id__in=ids).values(
        "id", "licence_id", "kind", "change_field", "submitted_on", "status", "decided_on", "new_valid_to"
    ).order_by("id"):
        licence_id = a.pop("licence_id")
        apps_by_licence[licence_id].append(ApplicationRec(**a))
    for lic in _model("Licence").objects.filter(enterprise_id__in=ids).values(
        "id", "enterprise_id", "licence_type", "number", "status", "valid_from", "valid_to",
        "recorded_name", "recorded_address", "recorded_principal", "recorded_affiliation",
    ).order_by("id"):
        recorded = {"name": lic["recorded_name"], "reg_address": lic["recorded_address"],
                    "principal": lic["recorded_principal"], "affiliation": lic["recorded_affiliation"]}
        out[lic["enterprise_id"]].licences.append(LicenceRec(
            lic["id"], lic["licence_type"], lic["number"], lic["status"], lic["valid_from"], lic["valid_to"], recorded,
            tuple(apps_by_licence.get(lic["id"], ())),
        ))
    for ch in _model("RegistrationChange").objects.filter(enterprise_id__in=ids).values(
        "id", "enterprise_id", "field", "old_value", "new_value", "changed_on"
    ).order_by("changed_on", "id"):
        out[ch.pop("enterprise_id")].changes.append(ChangeRec(**ch))
    for ent, kind, day in _model("ActivitySignal").objects.filter(enterprise_id__in=ids).values_list("enterprise_id", "kind", "occurred_on"):
        out[ent].activities.append((kind, day))
    for p in _model("EmergencyPlanFiling").objects.filter(enterprise_id__in=ids).values(
        "id", "enterprise_id", "plan_title", "published_on", "filed_on", "authority_level"
    ).order_by("id"):
        out[p["enterprise_id"]].plans.append(PlanRec(p["id"], p["plan_title"], p["published_on"], p["filed_on"], p["authority_level"]))
    for m in _model("MajorHazardSource").objects.filter(enterprise_id__in=ids).values(
        "id", "enterprise_id", "code", "name", "identified_on", "assessment_report_on", "filed_on", "reassessed_on", "refiled_on",
        "no_longer_major_since", "cancellation_applied_on",
    ).order_by("id"):
        out[m.pop("enterprise_id")].hazard_sources.append(HazardSourceRec(**m))
    for o in _model("ReportObligation").objects.filter(enterprise_id__in=ids).values(
        "id", "enterprise_id", "kind", "period", "due_on", "submitted_on", "validation_passed"
    ).order_by("id"):
        out[o.pop("enterprise_id")].obligations.append(ObligationRec(**o))
    for r in _model("PrecursorAnnualReport").objects.filter(enterprise_id__in=ids).values(
        "id", "enterprise_id", "year", "submitted_on", "opening_kg", "produced_kg", "purchased_kg", "sold_kg", "used_kg", "closing_kg"
    ).order_by("year", "id"):
        out[r["enterprise_id"]].precursor_reports.append(PrecursorReportRec(
            r["id"], r["year"], r["submitted_on"], r["opening_kg"], r["produced_kg"], r["purchased_kg"], r["sold_kg"], r["used_kg"], r["closing_kg"]
        ))
    _load_chemicals(ids, out)
    return out


def _load_chemicals(ids: list[int], out: dict[int, EnterpriseRecord]) -> None:
    """CLU-S05/S09 inputs (chemical products, storage zones, permitted varieties)."""
    for p in _model("ChemicalProduct").objects.filter(enterprise_id__in=ids).values(
        "id", "enterprise_id", "name", "cas_number", "role", "in_catalogue", "registration_number", "properties_changed_on", "change_applied_on"
    ).order_by("id"):
        out[p.pop("enterprise_id")].products.append(ProductRec(**p))
    allowed: dict[int, set[str]] = defaultdict(set)
    for zone_id, hazard_class in _model("StorageZoneClass").objects.filter(zone__enterprise_id__in=ids).values_list("zone_id", "hazard_class"):
        allowed[zone_id].add(hazard_class)
    items: dict[int, list[StorageItemRec]] = defaultdict(list)
    for i in _model("StorageItem").objects.filter(zone__enterprise_id__in=ids).values(
        "zone_id", "chemical_name", "cas_number", "hazard_class", "quantity_t", "recorded_on"
    ).order_by("id"):
        items[i.pop("zone_id")].append(StorageItemRec(**i))
    for z in _model("StorageZone").objects.filter(enterprise_id__in=ids).values("id", "enterprise_id", "code", "name", "max_quantity_t").order_by("id"):
        out[z["enterprise_id"]].zones.append(ZoneRec(
            z["id"], z["code"], z["name"], z["max_quantity_t"], frozenset(allowed.get(z["id"], ())), tuple(items.get(z["id"], ()))
        ))
    permitted: dict[int, set[str]] = defaultdict(set)
    for ent, cas in _model("PermittedChemical").objects.filter(enterprise_id__in=ids).values_list("enterprise_id", "cas_number"):
        permitted[ent].add(cas)
    for ent, cas_set in permitted.items():
        out[ent].permitted_cas = frozenset(cas_set)
