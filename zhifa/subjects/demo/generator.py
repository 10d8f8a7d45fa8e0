"""The demo city: organisations, demo users, and N enterprises with licences, filings, reports,
changes, activity, hazardous-chemical products and storage zones — with a known set of planted
violations and near-misses of each pilot scenario (RULES §3.2) recorded in a manifest.

Entry point: `demo_city_generate(DemoOptions)`, called by `manage.py demo_data`. It runs in one
transaction (all or nothing) that ends with one ledger entry for the run (seed, counts).

Speed and memory: enterprises are generated in batches of `batch_size` by a worker thread and
written with `executemany` (SQLite) or `COPY` (PostgreSQL) on the connection's thread while the
next batch is built; at most two batches wait in between, so memory stays flat whatever N is. Unique identifiers derive from primary keys (see names.py), so no set of
used values is kept either. The only per-run state that grows is the manifest (planted
enterprises only, about 0.8 % of N).

Reproducibility: one `random.Random(seed)` stream drives every choice and primary keys start at
MAX(id)+1, so the same seed on an empty register gives the same city (same USCCs, names,
licences, dates relative to --as-of).
"""
from __future__ import annotations

import hashlib
import json
import queue
import random
import threading
import time
from bisect import bisect
from dataclasses import dataclass, field
from datetime import date
from itertools import accumulate
from pathlib import Path
from types import SimpleNamespace

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from zhifa.accounts.choices import EnforcementLevel, OrgKind, Role
from zhifa.accounts.models import OfficerCredential, Organisation, User
from zhifa.ledger.services import ledger_append

from ..choices import (
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
from ..models import (
    ActivitySignal,
    ChemicalProduct,
    ContactAuthorisation,
    EmergencyPlanFiling,
    Enterprise,
    EnterprisePerson,
    HazardClassIncompatibility,
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
from ..reference.incompatibility import incompatibility_rows_ensure
from . import chemicals, names
from .scenarios import (
    HIGH_RISK_INDUSTRIES,
    LATE_APPLICATION_DAYS,
    LICENCE_ACTIVITY,
    SCENARIOS,
    TIMELY_APPLICATION_DAYS,
    PlantItem,
    default_violations_per_scenario,
    expected_authority_level,
    plant_items,
    same_level_affiliation,
)
from .shanghai import CITY_DIVISION_CODE, CITY_NAME, DISTRICTS, HAZCHEMS, PARKS, PRECURSORS, PUTUO, District, Park
from .writer import Table, reset_sequences

DEMO_PASSWORD = "zhifa-demo-2026"
MANIFEST_VERSION = 1
LICENCE_DAYS = 1094  # three-year validity (SUB-05/07/08), valid_from … valid_to inclusive


class DemoDataError(Exception):
    """A demo-data run cannot start or finish; the message is Chinese and shown to the operator."""


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    display_name: str
    org: str | None  # "putuo", "city" or None
    credential: bool = False
    legal_review_qualified: bool = False
    hearing_host_qualified: bool = False
    device_review_qualified: bool = False
    superuser: bool = False
    note: str = ""


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("officer1", Role.OFFICER, "李建国", "putuo", credential=True, hearing_host_qualified=True, note="普陀区执法人员"),
    DemoUser("officer2", Role.OFFICER, "王芳", "putuo", credential=True, note="普陀区执法人员（两人执法的第二人）"),
    DemoUser("supervisor", Role.SUPERVISOR, "陈志强", "putuo", credential=True, note="普陀区科室负责人"),
    DemoUser("legal", Role.LEGAL_REVIEWER, "周静", "putuo", credential=True, legal_review_qualified=True, note="普陀区法制审核人员（具备法制审核资格）"),
    DemoUser("dataadmin", Role.DEVICE_ADMIN, "孙浩", "putuo", credential=True, device_review_qualified=True, note="普陀区设备/数据管理员"),
    DemoUser("auditor", Role.AUDITOR, "赵敏", "city", note="市局执法监督（只读）"),
    DemoUser("sysadmin", Role.SYSTEM_ADMIN, "吴磊", "city", superuser=True, note="系统管理员（可进入管理后台）"),
    DemoUser("enterprise", Role.ENTERPRISE_CONTACT, "刘洋", None, note="企业联系人（仅被授权的一家企业，其许可证已过期）"),
)


@dataclass
class DemoOptions:
    enterprises: int
    seed: int
    as_of: date
    mode: str = "fresh"  # fresh | force | append
    batch_size: int = 2000
    violations_per_scenario: int | None = None
    progress: bool = True
    manifest_path: Path | None = None


@dataclass
class DemoResult:
    counts: dict[str, int]
    manifest: dict
    manifest_path: Path | None
    users: list[dict]
    seconds: float = 0.0
    deleted: dict[str, int] = field(default_factory=dict)

    @property
    def rows_written(self) -> int:
        return sum(self.counts.values())


# Bulk tables in foreign-key order (parents first) and the columns the generator fills.
_COLUMNS = {
    Person: ("id", "name", "id_number", "phone", "address"),
    Enterprise: ("id", "uscc", "name", "registered_address", "business_address", "industry", "scale", "affiliation",
                 "enforcement_level", "organisation_id", "principal_id", "status", "is_key_unit", "is_chemical_enterprise",
                 "hc_producer", "hc_operator", "hc_user", "hc_storage", "hc_importer", "hc_use_ratio", "precursor_role",
                 "credit_grade", "plan_filing_obliged", "data_sources"),
    EnterprisePerson: ("id", "enterprise_id", "person_id", "role", "valid_from", "valid_to"),
    Licence: ("id", "enterprise_id", "licence_type", "number", "issuing_authority", "valid_from", "valid_to", "status", "scope",
              "recorded_name", "recorded_address", "recorded_principal", "recorded_affiliation"),
    LicenceApplication: ("id", "licence_id", "kind", "change_field", "submitted_on", "status", "decided_on", "new_valid_to"),
    RegistrationChange: ("id", "enterprise_id", "field", "old_value", "new_value", "changed_on", "source"),
    EmergencyPlanFiling: ("id", "enterprise_id", "plan_title", "published_on", "filed_on", "authority_level", "filing_number"),
    MajorHazardSource: ("id", "enterprise_id", "code", "name", "grade", "identified_on", "assessment_report_on", "filed_on",
                        "filing_number", "reassessed_on", "refiled_on", "no_longer_major_since", "cancellation_applied_on"),
    ReportObligation: ("id", "enterprise_id", "kind", "period", "due_on", "submitted_on", "validation_passed"),
    PrecursorAnnualReport: ("id", "enterprise_id", "year", "submitted_on", "opening_kg", "produced_kg", "purchased_kg",
                            "sold_kg", "used_kg", "closing_kg"),
    ActivitySignal: ("id", "enterprise_id", "kind", "occurred_on", "quantity", "unit", "source", "reference"),
    ChemicalProduct: ("id", "enterprise_id", "name", "cas_number", "role", "in_catalogue", "registration_number", "registered_on",
                      "hazard_class", "properties_changed_on", "change_applied_on"),
    PermittedChemical: ("id", "enterprise_id", "cas_number", "name"),
    StorageZone: ("id", "enterprise_id", "code", "name", "max_quantity_t"),
    StorageZoneClass: ("id", "zone_id", "hazard_class"),
    StorageItem: ("id", "zone_id", "chemical_name", "cas_number", "hazard_class", "quantity_t", "recorded_on", "source", "reference"),
}
BULK_MODELS = tuple(_COLUMNS)
# Children first, for --force.
WIPE_ORDER = (StorageItem, StorageZoneClass, StorageZone, PermittedChemical, ChemicalProduct, ActivitySignal, PrecursorAnnualReport, ReportObligation, MajorHazardSource, EmergencyPlanFiling,
              RegistrationChange, LicenceApplication, Licence, ContactAuthorisation, EnterprisePerson, Enterprise, Person)


def _values(enum_cls) -> SimpleNamespace:
    """Plain-string values of a choices enum. Bulk rows must hold plain strings: psycopg dumps an
    Enum member by its *name*, which differs from the stored value (e.g. LIC_SAFETY_PROD)."""
    return SimpleNamespace(**{member.name: member.value for member in enum_cls})


ACT = _values(ActivityKind)
CHEMROLE = _values(ChemicalRole)
AFF = _values(Affiliation)
APPK = _values(ApplicationKind)
APPS = _values(ApplicationStatus)
AUTH = _values(AuthorityLevel)
CHG = _values(ChangeField)
IND = _values(Industry)
LEVEL = _values(EnforcementLevel)
LIC = _values(LicenceType)
PREC = _values(PrecursorRole)
REP = _values(ReportKind)
ROLE = _values(PersonRole)
SCALE = _values(Scale)
STATUS = _values(EnterpriseStatus)
LIC_VALID = LicenceStatus.VALID.value


def _weighted(pairs):
    values = [getattr(v, "value", v) for v, _ in pairs]
    cum = list(accumulate(w for _, w in pairs))
    return values, cum, cum[-1]


_INDUSTRY = _weighted([(Industry.HAZCHEM, 30), (Industry.CHEMICAL, 18), (Industry.TRADE, 10), (Industry.WAREHOUSING, 7),
                       (Industry.MACHINERY, 9), (Industry.LIGHT_INDUSTRY, 6), (Industry.BUILDING_MATERIALS, 4),
                       (Industry.METALLURGY, 3), (Industry.NONFERROUS, 2), (Industry.TEXTILE, 3), (Industry.TOBACCO, 0.3),
                       (Industry.OTHER, 7.7)])
_SCALE = _weighted([(Scale.LARGE, 3), (Scale.MEDIUM, 14), (Scale.SMALL, 45), (Scale.MICRO, 38)])
_AFFILIATION = _weighted([(Affiliation.CENTRAL, 1), (Affiliation.CITY, 3), (Affiliation.DISTRICT, 5), (Affiliation.TOWN, 4),
                          (Affiliation.PRIVATE, 87)])
_CREDIT = _weighted([(CreditGrade.A, 25), (CreditGrade.B, 50), (CreditGrade.C, 15), (CreditGrade.D, 4), ("", 6)])
_CHANGE_FIELD = _weighted([(ChangeField.PRINCIPAL, 40), (ChangeField.REG_ADDRESS, 30), (ChangeField.NAME, 15),
                           (ChangeField.AFFILIATION, 15)])
_CHEM_DISTRICTS = _weighted([(d, d.chem_weight) for d in DISTRICTS])
_ZONE_TEMPLATES = _weighted([(t, t.weight) for t in chemicals.ZONE_TEMPLATES])
_OTHER_DISTRICTS = _weighted([(d, d.other_weight) for d in DISTRICTS])

_SOURCES_HAZCHEM = json.dumps(["approval", "enforcement", "hazchem", "dual_prevention", "demo"])
_SOURCES_OTHER = json.dumps(["approval", "enforcement", "dual_prevention", "demo"])
_ACTIVITY_SOURCE = {ActivityKind.PRODUCTION: "energy", ActivityKind.SALE: "hazchem", ActivityKind.USE: "hazchem",
                    ActivityKind.STORAGE: "hazchem"}
_INDUSTRIAL = frozenset({Industry.CHEMICAL, Industry.METALLURGY, Industry.NONFERROUS, Industry.BUILDING_MATERIALS,
                         Industry.MACHINERY, Industry.LIGHT_INDUSTRY, Industry.TEXTILE, Industry.TOBACCO})


def _pick(rng: random.Random, table):
    values, cum, total = table
    return values[bisect(cum, rng.random() * total)]


class _Profile:
    """What an enterprise is, before rows are written."""

    __slots__ = ("district", "park", "industry", "scale", "affiliation", "producer", "operator", "user", "storage",
                 "importer", "chemical", "ratio", "precursor", "key_unit", "status", "mhs")

    def obliged(self) -> bool:
        """Emergency-plan filing obligation (SUB-10): hazchem roles, chemical or high-risk industry,
        key units and large/medium units."""
        return bool(self.producer or self.operator or self.user or self.storage or self.importer or self.chemical
                    or self.key_unit or self.industry in HIGH_RISK_INDUSTRIES or self.scale in (SCALE.LARGE, SCALE.MEDIUM))

    def needs_use_licence(self) -> bool:
        """SUB-07: chemical enterprises whose use reaches the quantity standard."""
        return bool(self.user and self.chemical and self.ratio is not None and self.ratio >= 1)


@dataclass
class _Orgs:
    city: int
    districts: dict[str, int]
    towns: dict[str, list[tuple[int, str]]]
    parks: list[tuple[Park, int, str]]


class CityGenerator:
    """Builds the rows. One instance per run; not thread-safe."""

    def __init__(self, options: DemoOptions, orgs: _Orgs):
        self.opt = options
        self.rng = random.Random(options.seed)
        rnd = self.rng.random

        # random.randrange/choice cost ~1 µs each; these float-based equivalents are several times
        # cheaper and just as reproducible (all draws come from the same seeded stream).
        def rr(a: int, b: int | None = None) -> int:
            return int(rnd() * a) if b is None else a + int(rnd() * (b - a))

        def ch(seq):
            return seq[int(rnd() * len(seq))]

        self.rr, self.ch = rr, ch
        self.A = options.as_of.toordinal()
        self.orgs = orgs
        now = timezone.now()
        self.tables = {model: Table(model, cols, now=now) for model, cols in _COLUMNS.items()}
        self.ids = {model: t.next_id() for model, t in self.tables.items()}
        # ISO strings of every day the generator can touch, computed once.
        self._d0 = self.A - 4200
        self._days = [date.fromordinal(self._d0 + k).isoformat() for k in range(4200 + 2400)]
        self.manifest_lists: dict[str, dict[str, list]] = {
            rid: {"violating": [], "near_misses": [], "variants": {}} for rid in SCENARIOS
        }
        self.contact_enterprise: tuple[int, str] | None = None
        rng = self.rng
        self._scopes = ["、".join(rng.sample(HAZCHEMS, self.rr(2, 6))) for _ in range(256)]
        self._precursor_scopes = ["、".join(rng.sample(PRECURSORS, self.rr(1, 4))) for _ in range(64)]
        # Quarterly report periods around --as-of: two past quarters and the current one (CLU-S01).
        q_year, q = options.as_of.year, (options.as_of.month - 1) // 3
        self._quarters = []
        for back in (2, 1, 0):
            y, qq = q_year, q - back
            while qq < 0:
                y, qq = y - 1, qq + 4
            end = date(y + (qq == 3), 1 if qq == 3 else qq * 3 + 4, 1).toordinal() - 1
            self._quarters.append((f"{y}-Q{qq + 1}", end, end + 15))
        # Precursor annual reports (SUB-11): last year whose 31 March deadline has passed.
        self.report_year = options.as_of.year - 1 if options.as_of > date(options.as_of.year, 3, 31) else options.as_of.year - 2
        # Planting plan spread evenly over the run, in a seeded order.
        vps = options.violations_per_scenario or default_violations_per_scenario(options.enterprises)
        items = plant_items(vps)
        if options.violations_per_scenario is None and len(items) * 2 > options.enterprises:
            items = plant_items(1)  # a small city: one of each variant
        if len(items) > options.enterprises:
            raise DemoDataError(
                f"企业数量过少：植入 {len(items)} 家违法/临界企业至少需要 {len(items)} 家企业（--enterprises），"
                f"或用 --violations-per-scenario 减少植入数量"
            )
        rng.shuffle(items)
        n = options.enterprises
        self.plan: dict[int, PlantItem] = {(j * n) // len(items): item for j, item in enumerate(items)}

    # --- small helpers -----------------------------------------------------------------------

    def d(self, ordinal: int | None) -> str | None:
        if ordinal is None:
            return None
        return self._days[ordinal - self._d0]

    def _id(self, model) -> int:
        value = self.ids[model]
        self.ids[model] = value + 1
        return value

    def _add(self, model, row: tuple) -> None:
        self.tables[model].rows.append(row)

    @property
    def counts(self) -> dict[str, int]:
        return {model._meta.db_table: t.written for model, t in self.tables.items()}

    # --- profile -----------------------------------------------------------------------------

    def _profile(self) -> _Profile:
        rng = self.rng
        p = _Profile()
        p.industry = _pick(rng, _INDUSTRY)
        chem = p.industry in (IND.HAZCHEM, IND.CHEMICAL)
        p.district = _pick(rng, _CHEM_DISTRICTS if chem else _OTHER_DISTRICTS)
        p.park = None
        if chem and p.district.name in ("金山区", "奉贤区") and rng.random() < 0.35:
            candidates = [entry for entry in self.orgs.parks if entry[0].district == p.district.name]
            p.park = candidates[self.rr(len(candidates))] if candidates else None
        p.scale = _pick(rng, _SCALE)
        p.affiliation = _pick(rng, _AFFILIATION)
        p.producer = p.operator = p.user = p.storage = p.importer = False
        p.chemical = p.industry == IND.CHEMICAL
        r = rng.random()
        if p.industry == IND.HAZCHEM:
            p.producer = r < 0.25
            p.operator = not p.producer or rng.random() < 0.3
            p.storage = rng.random() < 0.3
            p.importer = rng.random() < 0.05
            p.user = rng.random() < 0.15
            p.chemical = p.producer
        elif p.industry == IND.CHEMICAL:
            p.user = r < 0.7
            p.producer = rng.random() < 0.2
            p.storage = rng.random() < 0.2
        elif p.industry == IND.TRADE:
            p.operator = r < 0.15
        elif p.industry == IND.WAREHOUSING:
            p.storage = r < 0.35
            p.operator = rng.random() < 0.08
        elif p.industry in _INDUSTRIAL:
            p.user = r < 0.12
        p.ratio = None
        if p.user:
            p.ratio = self.ch((0.2, 0.35, 0.5, 0.7, 0.9, 1.1, 1.3, 1.6, 2.0, 3.5)) if p.chemical else round(rng.uniform(0.05, 0.9), 2)
        p.precursor = PREC.NONE
        if chem and rng.random() < 0.05:
            p.precursor = self.ch((PREC.PRODUCER, PREC.OPERATOR, PREC.OPERATOR, PREC.PRODUCER_OPERATOR))
        p.mhs = (p.producer or p.storage) and rng.random() < 0.2
        p.key_unit = p.mhs or (p.producer and rng.random() < 0.5) or (p.scale == SCALE.LARGE and p.industry in HIGH_RISK_INDUSTRIES)
        s = rng.random()
        p.status = STATUS.ACTIVE if s < 0.97 else (STATUS.SUSPENDED if s < 0.99 else STATUS.CLOSED)
        return p

    def _force_profile(self, p: _Profile, item: PlantItem) -> None:
        """Shape a planted enterprise so that it holds what its scenario needs and nothing odd."""
        rid = item.rule_id
        p.status = STATUS.ACTIVE
        p.producer = p.operator = p.user = p.storage = p.importer = False
        p.precursor = PREC.NONE
        p.mhs = False
        p.ratio = None
        if rid in ("CLU-S03", "CLU-S04", "CLU-S06", "CLU-S12"):
            p.industry, p.producer, p.chemical = IND.HAZCHEM, True, True
            p.storage = rid == "CLU-S12"
            p.key_unit = True
        elif rid in ("CLU-S07", "CLU-S08", "CLU-S02", "CLU-S01"):
            p.industry, p.operator, p.chemical = IND.HAZCHEM, True, False
        elif rid in ("CLU-S10", "CLU-S11"):
            p.industry, p.user, p.chemical = IND.CHEMICAL, True, True
            p.ratio = self.ch((1.2, 1.5, 2.0, 3.0))
            if item.variant == "below_quantity_standard":
                p.ratio = self.ch((0.5, 0.7, 0.9))
        elif rid == "CLU-S13":
            p.industry, p.operator, p.chemical = IND.HAZCHEM, True, False
            p.precursor = self.ch((PREC.PRODUCER, PREC.OPERATOR))
        elif rid == "CLU-S05":
            # A producer or an importer (both roles must register, SUB-08).
            p.industry = IND.HAZCHEM
            if self.rng.random() < 0.6:
                p.producer, p.chemical = True, True
            else:
                p.importer, p.operator, p.chemical = True, True, False
        elif rid == "CLU-S09":
            p.industry, p.operator, p.storage, p.chemical = IND.HAZCHEM, True, True, False
        if rid == "CLU-S02" and item.variant == "not_obliged":
            p.industry, p.operator, p.chemical, p.scale, p.key_unit = IND.TRADE, False, False, SCALE.SMALL, False
        if item.variant in ("changed_affiliation", "affiliation_not_in_scope"):
            # A private unit of a high-risk industry can always change affiliation without changing
            # its filing authority (same_level_affiliation), so no CLU-S02 defect comes with it.
            p.affiliation = AFF.PRIVATE
        if item.in_putuo or p.park is not None and p.industry not in (IND.HAZCHEM, IND.CHEMICAL):
            p.park = None
        if item.in_putuo:
            p.district, p.affiliation = PUTUO, AFF.PRIVATE
            if p.scale == SCALE.LARGE:
                p.scale = SCALE.MEDIUM

    # --- one enterprise ----------------------------------------------------------------------

    def enterprise(self, index: int) -> None:
        rng, A = self.rng, self.A
        item = self.plan.get(index)
        p = self._profile()
        if item is not None:
            self._force_profile(p, item)
        district: District = p.district
        ent_id = self._id(Enterprise)
        # Responsible level and body (一企一层级, SUB-02).
        if p.park is not None:
            park, park_org, park_level = p.park
            level, org_id = park_level, park_org
            roads = park.roads
        else:
            level = expected_authority_level(p.affiliation, p.industry, p.scale)
            roads = district.roads
            if level == LEVEL.CITY:
                org_id = self.orgs.city
            elif level == LEVEL.DISTRICT:
                org_id = self.orgs.districts[district.name]
            else:
                towns = self.orgs.towns[district.name]
                org_id = towns[self.rr(len(towns))][0]
        town_name = None
        if self.orgs.towns[district.name]:
            town_name = self.orgs.towns[district.name][self.rr(len(self.orgs.towns[district.name]))][1]
        words = names.INDUSTRY_WORDS[p.industry]
        name = names.enterprise_name(ent_id, district.short if rng.random() < 0.25 else None, words[self.rr(len(words))])
        address = names.street_address(rng, district.name, roads, town_name)
        business_address = address if rng.random() < 0.7 else names.street_address(rng, district.name, roads, town_name)
        uscc = names.enterprise_uscc(ent_id, district.division_code)

        # Principal person (主要负责人), also legal representative — stored once (SEC-03).
        principal_id, principal_name = self._person(district)

        # A business-registration change (background: 4 %, fully followed up; planted: per variant).
        change = None
        if item is not None and item.rule_id in ("CLU-S04", "CLU-S08", "CLU-S11"):
            change = self._planned_change(item)
        elif item is None and rng.random() < 0.04:
            change = {"field": _pick(rng, _CHANGE_FIELD), "date": A - self.rr(40, 900), "stale": None}
        current = {"name": name, "address": address, "principal": principal_name, "affiliation": p.affiliation}
        old = dict(current)
        since, until = A - self.rr(200, 3000), None
        if change is not None:
            self._apply_change(change, p, current, old, ent_id, district)
            if change["field"] == CHG.PRINCIPAL:
                since, until = min(since, change["date"] - 30), self.d(change["date"])
        affiliation = current["affiliation"]
        self._add(EnterprisePerson, (self._id(EnterprisePerson), ent_id, principal_id, ROLE.PRINCIPAL, self.d(since), until))
        self._add(EnterprisePerson, (self._id(EnterprisePerson), ent_id, principal_id, ROLE.LEGAL_REP, self.d(since), until))
        if rng.random() < 0.3:
            contact_id, _ = self._person(district)
            self._add(EnterprisePerson, (self._id(EnterprisePerson), ent_id, contact_id, ROLE.CONTACT, self.d(A - self.rr(30, 900)), None))

        ratio = None if p.ratio is None else f"{p.ratio:.3f}"
        self._add(Enterprise, (
            ent_id, uscc, current["name"], current["address"], business_address, p.industry, p.scale, affiliation, level, org_id,
            change["principal_id"] if change and change.get("principal_id") else principal_id, p.status, p.key_unit, p.chemical,
            p.producer, p.operator, p.user, p.storage, p.importer, ratio, p.precursor, _pick(rng, _CREDIT), p.obliged(),
            _SOURCES_HAZCHEM if (p.producer or p.operator or p.user or p.storage or p.importer) else _SOURCES_OTHER,
        ))

        # Activity cut-offs: no signal of a kind after this day (closed/suspended, expired licence).
        cutoff: dict[str, int] = {}
        if p.status != STATUS.ACTIVE:
            stop = A - self.rr(60, 400)
            cutoff = {k: stop for k in list(vars(ACT).values())}
        extra_activity: list[tuple[str, int]] = []

        # Licences required by the hazchem roles (SUB-04…SUB-08, SUB-11).
        types: list[str] = []
        if p.producer:
            types += [LIC.SAFETY_PROD, LIC.HC_REGISTRATION]
        elif p.importer:
            types.append(LIC.HC_REGISTRATION)
        if p.operator and p.industry in (IND.HAZCHEM, IND.TRADE, IND.WAREHOUSING):
            types.append(LIC.HC_OPERATION)
        if p.needs_use_licence() or (item is not None and item.variant == "below_quantity_standard"):
            types.append(LIC.HC_USE)
        if p.precursor != PREC.NONE:
            types.append(LIC.PRECURSOR if p.precursor != PREC.OPERATOR or rng.random() < 0.3 else LIC.PRECURSOR_FILING)
        spec = SCENARIOS[item.rule_id] if item is not None else None
        registration = None  # (certificate number, issue day) of the 危险化学品登记证, for CLU-S05
        for lic_type in types:
            planted_here = spec is not None and spec.licence_type == lic_type and item.rule_id not in ("CLU-S04", "CLU-S08", "CLU-S11")
            issued = self._licence(ent_id, lic_type, district, p, current, old, change, cutoff, extra_activity,
                                   planted=item if planted_here else None, clean=item is not None)
            if lic_type == LIC.HC_REGISTRATION:
                registration = issued

        if change is not None:
            self._add(RegistrationChange, (self._id(RegistrationChange), ent_id, change["field"], change["old"], change["new"],
                                           self.d(change["date"]), "market_regulation"))
            kind = change.get("activity")
            if kind:
                if change["stale"] == "no_activity_after_change":
                    cutoff[kind] = min(cutoff.get(kind, A), change["date"] - 1)
                else:
                    extra_activity += self._activity_after(kind, change["date"])

        self._plan_filing(ent_id, p, current, item)
        self._hazard_sources(ent_id, p, district, item)
        self._obligations(ent_id, p, item)
        self._precursor_reports(ent_id, p, item)
        self._chemical_products(ent_id, p, registration, item)
        self._storage(ent_id, p, item)
        self._activities(ent_id, p, cutoff, extra_activity)

        if item is not None:
            lists = self.manifest_lists[item.rule_id]
            lists["violating" if item.violating else "near_misses"].append(uscc)
            lists["variants"][uscc] = item.variant
            if (self.contact_enterprise is None and item.rule_id == "CLU-S07" and item.violating and item.in_putuo):
                self.contact_enterprise = (ent_id, uscc)

    def _person(self, district: District) -> tuple[int, str]:
        rng = self.rng
        person_id = self._id(Person)
        id_number, male = names.person_id_number(person_id)
        person_name = names.person_name(rng, male)
        home = self.ch(DISTRICTS) if rng.random() < 0.4 else district
        self._add(Person, (person_id, person_name, id_number, names.mobile(rng), names.home_address(rng, home.name, home.roads)))
        return person_id, person_name

    # --- registration changes (CLU-S04/S08/S11) -----------------------------------------------

    def _planned_change(self, item: PlantItem) -> dict:
        A = self.A
        spec = SCENARIOS[item.rule_id]
        variant = item.variant
        if variant.startswith("changed_"):
            field_name = variant.removeprefix("changed_")
        elif variant == "affiliation_not_in_scope":
            field_name = CHG.AFFILIATION
        else:
            field_name = self.ch((CHG.PRINCIPAL, CHG.REG_ADDRESS, CHG.NAME))
        day = A - 3 if variant == "within_deadline" else A - self.rr(60, 300)
        return {"field": field_name, "date": day, "stale": variant, "licence_type": spec.licence_type, "activity": spec.activity}

    def _apply_change(self, change: dict, p: _Profile, current: dict, old: dict, ent_id: int, district: District) -> None:
        """Move `current` to the new value; `old` keeps the value before the change."""
        rng = self.rng
        field_name = change["field"]
        if field_name == CHG.AFFILIATION:
            new = same_level_affiliation(p.affiliation, p.industry, p.scale)
            if new is None:  # no affiliation keeps the filing authority: change the address instead
                field_name = change["field"] = CHG.REG_ADDRESS
            else:
                change["old"], change["new"] = p.affiliation, new
                current["affiliation"] = new
        if field_name == CHG.PRINCIPAL:
            new_id, new_name = self._person(district)
            while new_name == current["principal"]:
                new_name += "明"
            change["old"], change["new"], change["principal_id"] = current["principal"], new_name, new_id
            current["principal"] = new_name
            # Keep the person row and the change record in agreement after the uniqueness tweak above.
            table = self.tables[Person].rows
            row = table[-1]
            table[-1] = (row[0], new_name, *row[2:])
            # The new principal (and legal representative) from the change day; the old one's tenure ends then.
            for role in (ROLE.PRINCIPAL, ROLE.LEGAL_REP):
                self._add(EnterprisePerson, (self._id(EnterprisePerson), ent_id, new_id, role, self.d(change["date"]), None))
        elif field_name == CHG.NAME:
            change["old"], change["new"] = current["name"], names.renamed_enterprise_name(current["name"])
            current["name"] = change["new"]
        elif field_name == CHG.REG_ADDRESS:
            new = names.street_address(rng, district.name, district.roads)
            while new == current["address"]:
                new = names.street_address(rng, district.name, district.roads)
            change["old"], change["new"] = current["address"], new
            current["address"] = new

    # --- licences ------------------------------------------------------------------------------

    def _licence(self, ent_id, lic_type, district, p, current, old, change, cutoff, extra_activity, *, planted: PlantItem | None, clean: bool):
        A = self.A
        lic_id = self._id(Licence)
        kind = LICENCE_ACTIVITY.get(lic_type)
        applications: list[tuple] = []  # (kind, change_field, submitted, status, decided, new_valid_to)
        if lic_type == LIC.PRECURSOR_FILING:
            vf, vt = A - self.rr(30, 2000), None
        elif lic_type == LIC.PRECURSOR or kind is None:
            vt = A + self.rr(91, 1000)
            vf = vt - LICENCE_DAYS
        elif planted is not None:
            vt, vf = self._planted_expiry(planted, kind, applications, cutoff, extra_activity)
        elif change is not None and change.get("licence_type") == lic_type:
            # The licence of a change scenario was issued before the change and is still valid.
            vf = min(change["date"] - 30, A - self.rr(400, 900))
            vt = vf + LICENCE_DAYS
        else:
            vt, vf = self._background_expiry(kind, applications, cutoff, clean)
        # Recorded particulars (SUB-04): those in force when the licence was issued or last changed.
        recorded = current
        if change is not None and vf <= change["date"]:
            covered = vt is None or change["date"] <= vt
            stale = change.get("stale")
            if not covered:
                recorded = old  # expired before the change: never updated
            elif change.get("licence_type") == lic_type and stale not in (None, "licence_updated"):
                recorded = old
                if stale == "change_app_pending":
                    applications.append((APPK.CHANGE, change["field"], change["date"] + self.rr(2, 9),
                                         APPS.PENDING, None, None))
            else:
                submitted = min(change["date"] + self.rr(2, 9), A)
                decided = submitted + self.rr(1, 11)
                if decided <= A:
                    applications.append((APPK.CHANGE, change["field"], submitted, APPS.APPROVED, decided, None))
                else:
                    recorded = old  # change applied for in time, not yet decided
                    applications.append((APPK.CHANGE, change["field"], submitted, APPS.PENDING, None, None))
        number = self._licence_number(lic_type, lic_id, vf, district)
        if lic_type in (LIC.PRECURSOR, LIC.PRECURSOR_FILING):
            scope = self._precursor_scopes[self.rr(64)]
        else:
            scope = self._scopes[self.rr(256)]
        self._add(Licence, (lic_id, ent_id, lic_type, number, self._issuer(lic_type, district), self.d(vf), self.d(vt),
                            LIC_VALID, scope, recorded["name"], recorded["address"], recorded["principal"],
                            recorded["affiliation"]))
        for app_kind, change_field, submitted, status, decided, new_vt in applications:
            self._add(LicenceApplication, (self._id(LicenceApplication), lic_id, app_kind, change_field, self.d(submitted), status,
                                           self.d(decided), self.d(new_vt)))
        return number, vf

    def _background_expiry(self, kind, applications, cutoff, clean: bool) -> tuple[int, int]:
        """Validity spread: most valid, some expiring within 90 days, some expired — the expired
        ones either with a timely pending extension (ext_ok) or with no activity after expiry, so
        that no background enterprise meets CLU-S03/S06/S07/S10."""
        rng, A = self.rng, self.A
        r = rng.random() if not clean else 1.0
        if r < 0.03:
            vt = A - self.rr(1, 60)
            applications.append((APPK.EXTENSION, "", vt - self.rr(TIMELY_APPLICATION_DAYS, 200),
                                 APPS.PENDING, None, None))
        elif r < 0.07:
            vt = A - self.rr(30, 700)
            cutoff[kind] = min(cutoff.get(kind, A), vt - self.rr(0, 30))
        elif r < 0.17:
            vt = A + self.rr(0, 91)
            last = min(A, vt - 95)
            first = vt - 180
            if last >= first and rng.random() < 0.6:
                applications.append((APPK.EXTENSION, "", first + self.rr(last - first + 1),
                                     APPS.PENDING, None, None))
        else:
            vt = A + self.rr(91, 1000)
        return vt, vt - LICENCE_DAYS

    def _planted_expiry(self, item: PlantItem, kind, applications, cutoff, extra_activity) -> tuple[int, int]:
        """CLU-S03/S06/S07/S10: an expired licence and what happened around its expiry."""
        A = self.A
        variant = item.variant
        if variant in ("ext_ok_pending", "ext_approved"):
            vt = A - self.rr(5, 60)
        else:
            vt = A - self.rr(20, 400)
        if variant == "late_application":
            applications.append((APPK.EXTENSION, "", vt - LATE_APPLICATION_DAYS, APPS.PENDING, None, None))
        elif variant == "rejected_application":
            applications.append((APPK.EXTENSION, "", vt - TIMELY_APPLICATION_DAYS, APPS.REJECTED, vt - 20, None))
        elif variant == "ext_ok_pending":
            applications.append((APPK.EXTENSION, "", vt - TIMELY_APPLICATION_DAYS, APPS.PENDING, None, None))
        elif variant == "ext_approved":
            applications.append((APPK.EXTENSION, "", vt - TIMELY_APPLICATION_DAYS, APPS.APPROVED, vt - 20,
                                 vt + LICENCE_DAYS + 1))
        if variant == "no_activity_after_expiry":
            cutoff[kind] = min(cutoff.get(kind, A), vt - self.rr(0, 30))
        elif variant == "activity_on_expiry_day":
            cutoff[kind] = min(cutoff.get(kind, A), vt)
            extra_activity.append((kind, vt))
        else:
            extra_activity.extend(self._activity_after(kind, vt))
        return vt, vt - LICENCE_DAYS

    def _activity_after(self, kind: str, day: int) -> list[tuple[str, int]]:
        """One to three signals strictly after `day` and not after --as-of (act(s, kind, after=day))."""
        A = self.A
        span = A - day
        return [(kind, day + 1 + self.rr(span)) for _ in range(1 + self.rr(3))]

    def _licence_number(self, lic_type: str, lic_id: int, vf: int, district: District) -> str:
        year = date.fromordinal(vf).year
        if lic_type == LIC.SAFETY_PROD:
            return f"（沪）WH安许证字〔{year}〕{lic_id:07d}"
        if lic_type == LIC.HC_OPERATION:
            return f"沪{district.short}应急经字〔{year}〕{lic_id:07d}"
        if lic_type == LIC.HC_USE:
            return f"沪应急使证字〔{year}〕{lic_id:07d}"
        if lic_type == LIC.HC_REGISTRATION:
            return f"31{lic_id:010d}"
        if lic_type == LIC.PRECURSOR:
            return f"（沪）1S{district.division_code}{lic_id:08d}"
        return f"（沪）3J{district.division_code}{lic_id:08d}"

    @staticmethod
    def _issuer(lic_type: str, district: District) -> str:
        if lic_type in (LIC.HC_OPERATION, LIC.PRECURSOR_FILING):
            return f"上海市{district.name}应急管理局"
        if lic_type == LIC.HC_REGISTRATION:
            return "应急管理部化学品登记中心"
        return CITY_NAME

    # --- filings, hazard sources, reports, activity ----------------------------------------------

    def _plan_filing(self, ent_id: int, p: _Profile, current: dict, item: PlantItem | None) -> None:
        """SUB-10 / CLU-S02: obliged units file their plan within 20 working days with the right level."""
        rng, A = self.rng, self.A
        expected = expected_authority_level(current["affiliation"], p.industry, p.scale)
        title = f"{current['name']}生产安全事故应急预案"
        if item is not None and item.rule_id == "CLU-S02":
            v = item.variant
            published = A - (self.rr(1, 6) if v == "within_deadline" else self.rr(60, 400))
            filed, level = None, ""
            if v == "wrong_authority":
                filed = published + self.rr(2, 16)
                level = self.ch([lv for lv in (AUTH.CITY, AUTH.DISTRICT, AUTH.TOWN) if lv != expected])
            elif v == "filed_late":
                published = A - self.rr(200, 400)
                filed, level = published + self.rr(60, 121), expected
            self._add(EmergencyPlanFiling, (self._id(EmergencyPlanFiling), ent_id, title, self.d(published), self.d(filed), level,
                                            f"{ent_id:08d}-{date.fromordinal(filed).year}" if filed else ""))
            return
        if not p.obliged() or rng.random() < 0.15:
            return
        published = A - self.rr(30, 1000)
        filed = published + self.rr(2, 16)
        self._add(EmergencyPlanFiling, (self._id(EmergencyPlanFiling), ent_id, title, self.d(published), self.d(filed), expected,
                                        f"{ent_id:08d}-{date.fromordinal(filed).year}"))

    def _hazard_sources(self, ent_id: int, p: _Profile, district: District, item: PlantItem | None) -> None:
        """SUB-09 / CLU-S12: filed within 15 days of the assessment; reassessed ones refiled;
        sources no longer major have a cancellation application."""
        rng, A = self.rng, self.A
        if item is not None and item.rule_id == "CLU-S12":
            v = item.variant
            if v in ("not_filed", "within_filing_period"):
                assessed = A - (self.rr(2, 11) if v == "within_filing_period" else self.rr(30, 300))
                self._mhs(ent_id, district, assessed - self.rr(10, 60), assessed, None)
            else:
                assessed = A - self.rr(800, 2000)
                filed = assessed + self.rr(1, 15)
                event = A - self.rr(30, 300)
                if v == "not_cancelled":
                    self._mhs(ent_id, district, assessed - 20, assessed, filed, no_longer=event)
                elif v == "cancelled":
                    self._mhs(ent_id, district, assessed - 20, assessed, filed, no_longer=event, cancel=event + self.rr(1, 20))
                elif v == "reassessed_not_refiled":
                    self._mhs(ent_id, district, assessed - 20, assessed, filed, reassessed=event)
                else:  # refiled
                    self._mhs(ent_id, district, assessed - 20, assessed, filed, reassessed=event, refiled=event + self.rr(1, 15))
            return
        if not p.mhs or item is not None:
            return
        for _ in range(1 + (rng.random() < 0.3)):
            identified = A - self.rr(200, 2500)
            assessed = identified + self.rr(10, 60)
            filed = assessed + self.rr(1, 15)
            r = rng.random()
            if r < 0.2 and filed + 400 < A - 30:
                reassessed = filed + self.rr(365, min(1095, A - 30 - filed) + 1)
                self._mhs(ent_id, district, identified, assessed, filed, reassessed=reassessed, refiled=reassessed + self.rr(1, 15))
            elif r < 0.3:
                since = A - self.rr(30, 150)
                self._mhs(ent_id, district, identified, assessed, filed, no_longer=since, cancel=since + self.rr(1, 20))
            else:
                self._mhs(ent_id, district, identified, assessed, filed)

    def _mhs(self, ent_id, district, identified, assessed, filed, *, reassessed=None, refiled=None, no_longer=None, cancel=None):
        mhs_id = self._id(MajorHazardSource)
        name = f"{HAZCHEMS[self.rr(len(HAZCHEMS))]}{self.ch(('储罐区', '仓库', '生产装置', '装卸区'))}"
        filing_number = f"沪应急危备〔{date.fromordinal(filed).year}〕{mhs_id:06d}" if filed else ""
        self._add(MajorHazardSource, (mhs_id, ent_id, f"MHS-{district.division_code}-{mhs_id:08d}", name, self.ch((1, 2, 3, 3, 4, 4)),
                                      self.d(identified), self.d(assessed), self.d(filed), filing_number, self.d(reassessed),
                                      self.d(refiled), self.d(no_longer), self.d(cancel)))

    def _obligations(self, ent_id: int, p: _Profile, item: PlantItem | None) -> None:
        """CLU-S01: quarterly reports, on time and complete; the current quarter not yet due."""
        rng, A = self.rng, self.A
        if p.status == STATUS.CLOSED:
            return
        kinds = []
        if p.obliged() or rng.random() < 0.3:
            kinds.append(REP.SAFETY_STATS)
        if p.key_unit:
            kinds.append(REP.HIDDEN_DANGER)
        if p.mhs:
            kinds.append(REP.MHS_MONITORING)
        for report_kind in kinds:
            for label, end, due in self._quarters:
                submitted, valid = None, None
                if due < A or (end < A and rng.random() < 0.4):
                    submitted = end + 1 + self.rr(min(due, A) - end)
                    valid = True
                self._add(ReportObligation, (self._id(ReportObligation), ent_id, report_kind, label, self.d(due), self.d(submitted), valid))
        if item is not None and item.rule_id == "CLU-S01":
            v = item.variant
            due = {"due_today": A, "not_yet_due": A + self.rr(5, 60)}.get(v, A - self.rr(30, 100))
            submitted, valid = None, None
            if v == "late":
                submitted, valid = due + self.rr(1, 21), True
            elif v == "validation_failed":
                submitted, valid = due - self.rr(0, 6), False
            elif v == "submitted_on_due_date":
                submitted, valid = due, True
            period = date.fromordinal(due - 20)
            self._add(ReportObligation, (self._id(ReportObligation), ent_id, REP.DUAL_PREVENTION, f"{period:%Y-%m}",
                                         self.d(due), self.d(submitted), valid))

    def _precursor_reports(self, ent_id: int, p: _Profile, item: PlantItem | None) -> None:
        """SUB-11 / CLU-S13: the previous year's report by 31 March, balanced
        (opening + produced + purchased − sold − used = closing)."""
        if p.precursor == PREC.NONE:
            return
        A = self.A
        variant = item.variant if item is not None and item.rule_id == "CLU-S13" else None
        opening = self.rr(0, 50_000)
        years = [self.report_year - 1, self.report_year]
        not_yet_due = self.report_year + 1 if self.report_year + 1 < self.opt.as_of.year else None
        if not_yet_due is not None:
            years.append(not_yet_due)
        for year in years:
            deadline = date(year + 1, 3, 31).toordinal()
            submitted = date(year + 1, 1, 5).toordinal() + self.rr(deadline - date(year + 1, 1, 5).toordinal() + 1)
            if year == not_yet_due:
                if submitted > A:
                    continue  # not due yet and not yet sent: nothing to report
            elif year == self.report_year and variant is not None:
                if variant == "missing":
                    continue
                if variant == "late":
                    submitted = deadline + 1 + self.rr(min(60, A - deadline))
                elif variant == "on_deadline":
                    submitted = deadline
            produced = self.rr(0, 200_000) if p.precursor != PREC.OPERATOR else 0
            purchased = self.rr(0, 100_000)
            available = opening + produced + purchased
            sold = self.rr(0, available + 1)
            used = self.rr(0, available - sold + 1)
            closing = available - sold - used
            reported_closing = closing
            if variant == "imbalance" and year == self.report_year:
                reported_closing = closing + self.rr(500, 5000)
            self._add(PrecursorAnnualReport, (self._id(PrecursorAnnualReport), ent_id, year, self.d(submitted), f"{opening}.000",
                                              f"{produced}.000", f"{purchased}.000", f"{sold}.000", f"{used}.000", f"{reported_closing}.000"))
            opening = closing

    # --- hazardous-chemical products and storage (CLU-S05, CLU-S09) ---------------------------------

    def _chemical_products(self, ent_id: int, p: _Profile, registration: tuple[str, int] | None, item: PlantItem | None) -> None:
        """SUB-08 / CLU-S05: what a producer or importer makes or imports. Background: every
        catalogued product registered under the enterprise's 登记证; a few products whose
        registration particulars changed, each with a change application 1–5 days later; some
        producers also make an uncatalogued product (no registration needed)."""
        if not (p.producer or p.importer):
            return
        rng, A = self.rng, self.A
        variant = item.variant if item is not None and item.rule_id == "CLU-S05" else None
        number, registered = registration if registration is not None else ("", None)
        roles = ([CHEMROLE.PRODUCED] if p.producer else []) + ([CHEMROLE.IMPORTED] if p.importer else [])
        pool = chemicals.PRODUCIBLE if p.producer else chemicals.CATALOGUED
        picks = rng.sample(pool, 1 + self.rr(4))
        rows = []  # [name, cas, role, in_catalogue, number, registered, class, changed, applied]
        for n, chem in enumerate(picks):
            rows.append([chem.name, chem.cas, roles[n % len(roles)], True, number, registered, chem.hazard_class, None, None])
        if item is None:
            for row in rows:
                if registered is not None and rng.random() < 0.06 and A - registered > 40:
                    changed = A - self.rr(20, min(700, A - registered))
                    row[7], row[8] = changed, changed + self.rr(1, 6)
            if p.producer and rng.random() < 0.1:
                other = self.ch(chemicals.UNCATALOGUED)
                rows.append([other.name, other.cas, CHEMROLE.PRODUCED, False, "", None, "", None, None])
        elif variant == "not_registered":
            spare = [c for c in pool if c not in picks]
            chem = self.ch(spare)
            rows.append([chem.name, chem.cas, roles[0], True, "", None, chem.hazard_class, None, None])
        elif variant == "not_in_catalogue":
            chem = self.ch(chemicals.UNCATALOGUED)
            rows.append([chem.name, chem.cas, roles[0], False, "", None, "", None, None])
        elif variant in ("change_not_applied", "change_applied_in_time"):
            changed = A - self.rr(60, 300)
            rows[0][7] = changed
            if variant == "change_applied_in_time":
                rows[0][8] = changed + self.rr(1, 6)
        elif variant == "change_recent":
            rows[0][7] = A - self.rr(0, 6)
        for name, cas, role, catalogued, reg_number, reg_day, hazard_class, changed, applied in rows:
            self._add(ChemicalProduct, (self._id(ChemicalProduct), ent_id, name, cas, role, catalogued, reg_number, self.d(reg_day),
                                        hazard_class, self.d(changed), self.d(applied)))

    def _storage(self, ent_id: int, p: _Profile, item: PlantItem | None) -> None:
        """CLU-S09: storage zones with their allowed classes and maximum quantity, one stock-taking
        per zone, and the varieties the enterprise may store. Background zones hold only allowed,
        permitted, mutually compatible chemicals at 20–90 % of the maximum; a planted zone carries
        exactly its variant's defect (or near-miss)."""
        if not p.storage:
            return
        rng, A = self.rng, self.A
        variant = item.variant if item is not None and item.rule_id == "CLU-S09" else None
        planted_template = {"class_not_allowed": chemicals.FLAMMABLE_STORE, "incompatible_mix": chemicals.INCOMPATIBLE_STORE,
                            "compatible_mix": chemicals.COMPATIBLE_MIXED_STORE}.get(variant)
        zone_count = 1 if variant is not None else 1 + self.rr(3)
        permitted: dict[str, str] = {}
        forbidden: set[str] = set()
        for n in range(zone_count):
            template = planted_template if (n == 0 and planted_template is not None) else _pick(rng, _ZONE_TEMPLATES)
            zone_id = self._id(StorageZone)
            max_kg = self.ch(template.capacities_t) * 1000
            prefix = "GQ" if template.name.endswith("储罐区") else "KF"
            self._add(StorageZone, (zone_id, ent_id, f"{prefix}-{n + 1:02d}", f"{n + 1}号{template.name}", f"{max_kg // 1000}.000"))
            for hazard_class in template.allowed:
                self._add(StorageZoneClass, (self._id(StorageZoneClass), zone_id, hazard_class))
            # Chemicals: at least one of each allowed class when the zone mixes classes on purpose.
            classes = list(template.allowed)
            count = max(len(classes), 1 + self.rr(3)) if variant in ("incompatible_mix", "compatible_mix") else 1 + self.rr(3)
            stock: list = []
            for k in range(count):
                pool = [c for c in chemicals.BY_CLASS[classes[k % len(classes)]] if c not in stock]
                if pool:
                    stock.append(self.ch(pool))
            if n == 0 and variant == "class_not_allowed":
                stock.append(self.ch(chemicals.BY_CLASS["6.1"]))  # toxic in a flammables store: compatible, not allowed
            if n == 0 and variant == "not_permitted_variety":
                forbidden.add(stock[-1].cas)
            # Quantities in kilograms, split over the items (every item ≥ 1 kg).
            if n == 0 and variant == "at_max_quantity":
                total = max_kg
            elif n == 0 and variant == "over_quantity":
                total = max_kg + self.rr(500, max_kg // 5 + 1000)
            else:
                total = int(max_kg * (0.2 + 0.7 * rng.random()))
            cuts = sorted(self.rr(1, total) for _ in range(len(stock) - 1)) if total > len(stock) else []
            shares = [b - a for a, b in zip([0, *cuts], [*cuts, total])]
            if any(share < 1 for share in shares):
                shares = [total - (len(stock) - 1)] + [1] * (len(stock) - 1)
            day = self.d(A - self.rr(0, 31))
            for chem, kg in zip(stock, shares):
                item_id = self._id(StorageItem)
                self._add(StorageItem, (item_id, zone_id, chem.name, chem.cas, chem.hazard_class, f"{kg // 1000}.{kg % 1000:03d}", day,
                                        "hazchem", f"KC{item_id:012d}"))
                permitted[chem.cas] = chem.name
        # Permitted varieties (licence scope / registration): what is stored plus a few more.
        for chem in rng.sample(chemicals.CATALOGUED, self.rr(4)):
            permitted.setdefault(chem.cas, chem.name)
        for cas in forbidden:
            permitted.pop(cas, None)
        for cas, name in permitted.items():
            self._add(PermittedChemical, (self._id(PermittedChemical), ent_id, cas, name))

    def _activities(self, ent_id: int, p: _Profile, cutoff: dict, extra: list[tuple[str, int]]) -> None:
        """A few operational signals in the last four months (or before the cut-off of their kind)."""
        A = self.A
        kinds = []
        if p.producer:
            kinds.append(ACT.PRODUCTION)
        if p.operator:
            kinds.append(ACT.SALE)
        if p.user:
            kinds.append(ACT.USE)
        if p.storage:
            kinds.append(ACT.STORAGE)
        if not kinds:
            kinds.append(ACT.PRODUCTION)  # energy use as the generic "still operating" signal
        rows = []
        for n in range(2 + self.rr(3)):
            kind = kinds[n % len(kinds)]
            last = cutoff.get(kind, A)
            rows.append((kind, last - self.rr(120)))
        rows.extend(extra)
        table = self.tables[ActivitySignal].rows
        for kind, day in rows:
            act_id = self._id(ActivitySignal)
            energy = kind == ACT.PRODUCTION and not (p.producer or p.chemical)
            q = self.rr(1_000, 50_000_000)
            table.append((act_id, ent_id, kind, self.d(day), f"{q // 1000}.{q % 1000:03d}", "千瓦时" if energy else "吨",
                          _ACTIVITY_SOURCE[kind] if not energy else "energy", f"DEMO{act_id:012d}"))


# --- organisations and users (few rows: ordinary ORM) ----------------------------------------------

def ensure_org_tree() -> _Orgs:
    """上海市应急管理局 → 16 districts → several 街道/镇 each, plus functional parks; get-or-create by code."""

    def get(code: str, **fields) -> Organisation:
        org = Organisation.objects.filter(code=code).first()
        if org is None:
            org = Organisation(code=code, **fields)
            org.save()
        return org

    city = get(CITY_DIVISION_CODE, name=CITY_NAME, kind=OrgKind.CITY, division_code=CITY_DIVISION_CODE, jurisdiction="CN-SH",
               is_enforcement_body=True, enforcement_body_name=CITY_NAME)
    districts: dict[str, int] = {}
    towns: dict[str, list[tuple[int, str]]] = {}
    for d in DISTRICTS:
        body = f"上海市{d.name}应急管理局"
        org = get(d.division_code, name=f"{d.name}应急管理局", kind=OrgKind.DISTRICT, parent=city, division_code=d.division_code,
                  jurisdiction="CN-SH-PUTUO" if d is PUTUO else "", is_enforcement_body=True, enforcement_body_name=body)
        districts[d.name] = org.pk
        towns[d.name] = []
        for n, town in enumerate(d.towns, start=1):
            office = f"{town}办事处" if town.endswith("街道") else f"{town}人民政府"
            t = get(f"{d.division_code}-{n:02d}", name=town, kind=OrgKind.TOWN, parent=org, is_enforcement_body=True,
                    enforcement_body_name=office)
            towns[d.name].append((t.pk, town))
    parks = []
    for park in PARKS:
        parent = city if park.parent_is_city else Organisation.objects.get(pk=districts[park.district])
        org = get(f"PARK-{park.code_suffix}", name=park.name, kind=OrgKind.PARK, parent=parent, is_enforcement_body=True,
                  enforcement_body_name=park.body_name)
        parks.append((park, org.pk, LEVEL.CITY if park.parent_is_city else LEVEL.DISTRICT))
    return _Orgs(city=city.pk, districts=districts, towns=towns, parks=parks)


def ensure_demo_users(orgs: _Orgs, as_of: date) -> list[dict]:
    """One user per role with the documented demo password; existing usernames are left untouched."""
    from django.contrib.auth.hashers import make_password

    by_key = {"putuo": orgs.districts[PUTUO.name], "city": orgs.city}
    # One argon2 hash for the shared, documented demo password (hashing costs ~0.5 s each).
    encoded = make_password(DEMO_PASSWORD)
    report = []
    for n, spec in enumerate(DEMO_USERS, start=1):
        user = User.objects.filter(username=spec.username).first()
        created = user is None
        if created:
            user = User(username=spec.username, role=spec.role, display_name=spec.display_name,
                        organisation_id=by_key.get(spec.org) if spec.org else None,
                        is_staff=spec.superuser, is_superuser=spec.superuser)
            user.password = encoded
            user.save()
            if spec.credential:
                start = as_of.toordinal() - 400 - 30 * n
                OfficerCredential.objects.create(
                    user=user, number=f"3101072026{n:04d}", issuing_body="上海市人民政府",
                    enforcement_body_id=by_key[spec.org], enforcement_area="安全生产",
                    valid_from=date.fromordinal(start), valid_to=date.fromordinal(start + 5 * 365),
                    legal_review_qualified=spec.legal_review_qualified, hearing_host_qualified=spec.hearing_host_qualified,
                    device_review_qualified=spec.device_review_qualified,
                )
        report.append({"username": spec.username, "role": spec.role, "role_label": Role(spec.role).label,
                       "password": DEMO_PASSWORD if created else "（账户已存在，密码未修改）", "note": spec.note, "created": created})
    return report


def _wipe_register() -> dict[str, int]:
    """--force: delete the whole subject register (children first). Ledger entries stay (append-only);
    organisations and users stay and are reused."""
    deleted = {}
    with connection.cursor() as cursor:
        for model in WIPE_ORDER:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
            deleted[model._meta.db_table] = max(cursor.rowcount, 0)
    return deleted


def register_is_empty() -> bool:
    return not Enterprise.objects.exists()


def demo_city_generate(options: DemoOptions) -> DemoResult:
    """Generate the demo city in one transaction with one ledger entry (issue 2 item 7)."""
    started = time.perf_counter()
    if options.enterprises < 1:
        raise DemoDataError("--enterprises 必须为正整数")
    if options.mode not in ("fresh", "force", "append"):
        raise DemoDataError(f"未知的运行方式：{options.mode}")
    if options.mode == "fresh" and not register_is_empty():
        raise DemoDataError("主体库中已有企业数据。如需清空后重新生成请加 --force；如需在现有数据上追加请加 --append；"
                            "仅在空库时生成请用 --if-empty。")
    try:
        with transaction.atomic():
            deleted = _wipe_register() if options.mode == "force" else {}
            if connection.vendor == "sqlite":
                with connection.cursor() as cursor:
                    cursor.execute("PRAGMA cache_size=-262144")  # 256 MB page cache for index building
            else:
                with connection.cursor() as cursor:
                    # Check foreign keys per statement: the deferred-trigger queue would otherwise hold
                    # one event per row until commit (memory growing with N).
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            orgs = ensure_org_tree()
            # CLU-S09 reads the incompatibility table; a flushed test database may have lost the seed rows.
            incompatibility_rows_ensure(HazardClassIncompatibility)
            gen = CityGenerator(options, orgs)
            _run_batches(gen, options)
            reset_sequences(BULK_MODELS)
            users = ensure_demo_users(orgs, options.as_of)
            contact = _authorise_contact(gen, options.as_of)
            manifest = _manifest(gen, options, contact)
            manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            ledger_append(
                actor=None,
                action="subjects.demo_data.generate",
                object_type="subjects.register",
                object_id="demo",
                payload={
                    "seed": options.seed,
                    "as_of": options.as_of,
                    "mode": options.mode,
                    "enterprises": options.enterprises,
                    "counts": gen.counts,
                    "deleted": deleted,
                    "planted": {rid: len(v["violating"]) for rid, v in gen.manifest_lists.items()},
                    "manifest_sha256": hashlib.sha256(manifest_bytes).hexdigest(),
                },
            )
    except IntegrityError as exc:
        raise DemoDataError(f"写入失败，已全部回滚（数据库约束冲突：{exc}）。若其他业务数据引用了企业，请改用 --append 或新数据库。") from exc
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # Planner statistics and the visibility map for the freshly bulk-loaded tables, as
        # autovacuum would leave them: without them the detection queries are planned blind and
        # index-only scans still visit the heap. (VACUUM cannot run inside a transaction; tests
        # that load demo data inside one keep the lighter ANALYZE below.)
        with connection.cursor() as cursor:
            for model in BULK_MODELS:
                cursor.execute(f'VACUUM (ANALYZE) "{model._meta.db_table}"')
    elif connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in BULK_MODELS:
                cursor.execute(f'ANALYZE "{model._meta.db_table}"')
    path = options.manifest_path
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_bytes(manifest_bytes)
        tmp.replace(path)
    return DemoResult(counts=gen.counts, manifest=manifest, manifest_path=path, users=users,
                      seconds=time.perf_counter() - started, deleted=deleted)


def _run_batches(gen: CityGenerator, options: DemoOptions) -> None:
    """Generate in a worker thread and write on this thread, one batch apart.

    The database driver releases the GIL while SQLite or the PostgreSQL server works, so building
    the next batch overlaps with writing the previous one. The queue holds at most two batches:
    memory stays flat. Only the worker draws random numbers, so the result stays reproducible;
    only this thread touches the database connection (and its transaction).
    """
    from tqdm import tqdm

    n, size = options.enterprises, options.batch_size
    batches: queue.Queue = queue.Queue(maxsize=2)
    stop = threading.Event()

    def put(item) -> None:
        while not stop.is_set():
            try:
                batches.put(item, timeout=0.2)
                return
            except queue.Full:
                continue

    def produce() -> None:
        try:
            for start in range(0, n, size):
                if stop.is_set():
                    return
                end = min(start + size, n)
                for index in range(start, end):
                    gen.enterprise(index)
                put((end - start, [(table, table.take()) for table in gen.tables.values()]))
            put(None)
        except BaseException as exc:  # handed to the writer thread, which re-raises it
            put(exc)

    worker = threading.Thread(target=produce, name="demo-data-generator", daemon=True)
    bar = tqdm(total=n, unit="家", desc="生成演示企业", disable=None if options.progress else True, dynamic_ncols=True)
    worker.start()
    try:
        while True:
            item = batches.get()
            if item is None:
                break
            if isinstance(item, BaseException):
                raise item
            done, tables = item
            for table, rows in tables:  # parents first (BULK_MODELS order)
                table.write(rows)
            bar.update(done)
    finally:
        stop.set()
        worker.join()
        bar.close()


def _authorise_contact(gen: CityGenerator, as_of: date) -> dict | None:
    """SUB-17: the demo enterprise contact is authorised for one Putuo enterprise whose
    hazardous-chemical operation licence has expired (a planted CLU-S07 violation)."""
    if gen.contact_enterprise is None:
        return None
    ent_id, uscc = gen.contact_enterprise
    user = User.objects.filter(username="enterprise", role=Role.ENTERPRISE_CONTACT).first()
    if user is None or ContactAuthorisation.objects.filter(user=user).exists():
        return None  # --append: the contact keeps the enterprise it already has
    ContactAuthorisation.objects.get_or_create(
        enterprise_id=ent_id, user=user,
        defaults={"authorised_by": "法定代表人", "valid_from": date.fromordinal(as_of.toordinal() - 365),
                  "valid_to": date.fromordinal(as_of.toordinal() + 730)},
    )
    return {"username": user.username, "uscc": uscc}


def _manifest(gen: CityGenerator, options: DemoOptions, contact: dict | None) -> dict:
    scenarios = {}
    for rid, spec in SCENARIOS.items():
        lists = gen.manifest_lists[rid]
        entry = {"title": spec.title, "planted": spec.planted, "violating": lists["violating"], "near_misses": lists["near_misses"],
                 "variants": lists["variants"]}
        if not spec.planted:
            entry["reason"] = spec.not_planted_reason
        scenarios[rid] = entry
    return {
        "generator": "zhifa.subjects.demo",
        "version": MANIFEST_VERSION,
        "seed": options.seed,
        "as_of": options.as_of.isoformat(),
        "mode": options.mode,
        "enterprises": options.enterprises,
        "counts": gen.counts,
        "note": ("在新库（或 --force）上生成时，除 violating 所列企业外，其余企业均不满足 RULES §3.2 的任一场景条件；"
                 "--append 时本清单只列出本次追加的企业。"),
        "conventions": {
            "expected_authority": "应急预案备案层级 = zhifa.subjects.demo.scenarios.expected_authority_level(隶属关系, 行业, 规模)"
                                  "：中央/市属→市级；区属→区级；街镇属→街镇；其他单位：高危行业且大型→市级，高危行业或大中型→区级，其余→街镇。",
            "timely_extension": f"按时申请延期 = 有效期届满前 {TIMELY_APPLICATION_DAYS} 日提出；逾期申请 = 届满前 {LATE_APPLICATION_DAYS} 日提出。",
            "late_margin": "植入的“逾期”均在事件后至少 60 个自然日；“期限内”均在事件后 5 个自然日以内。",
            "precursor_report_year": gen.report_year,
            "S13_mismatch": "mismatch(rep, system_flows) 未植入：主体库的活动记录不区分化学品品种，无法与年报逐项核对。",
            "S05": "品种表 subjects_chemicalproduct：列入目录（in_catalogue）且生产/进口而登记证编号为空 = 未登记；"
                   "登记事项/危险特性变化（properties_changed_on）后未在 lic.hc_reg.change_wd 个工作日内申请变更（change_applied_on）= 未变更。"
                   "植入的“未申请”变化在基准日前 60–300 日，“按时申请”在变化后 1–5 日，“最近变化”在基准日前 0–5 日。",
            "S09": "每个储存区只有一个盘点日期（recorded_on），即为该区的当前库存；禁配按 subjects_hazardclassincompatibility 表按类别判断；"
                   "品种按 CAS 号与 subjects_permittedchemical 比对；最大储存量恰好等于合计数量时不超量。",
        },
        "demo_contact": contact,
        "scenarios": scenarios,
    }
