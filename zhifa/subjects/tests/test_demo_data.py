"""Tests of `manage.py demo_data` and the demo city (issue 2 item 7).

One small city (300 enterprises) is generated once per module inside an outer transaction that is
rolled back at the end; tests that regenerate or append run inside their own savepoint.

The scenario checks below are written directly from the RULES.md §3.2 conditions (not from the
generator's code): for each planted scenario, the set of enterprises that meet the condition
must be exactly the manifest's `violating` list — planted near-misses and every background
enterprise must not meet it.
"""
from __future__ import annotations

import json
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.test import RequestFactory, override_settings

from zhifa.accounts.choices import Role
from zhifa.accounts.models import OfficerCredential, Organisation, User
from zhifa.common.ids import is_valid_uscc, validate_id_number
from zhifa.common.workdays import package_calendar
from zhifa.ledger.models import LedgerEntry
from zhifa.subjects.choices import (
    ActivityKind,
    Affiliation,
    ApplicationKind,
    ApplicationStatus,
    AuthorityLevel,
    ChangeField,
    Industry,
    LicenceType,
    PrecursorRole,
    Scale,
)
from zhifa.subjects.demo import chemicals, names
from zhifa.subjects.demo.generator import DEMO_PASSWORD, DEMO_USERS, DemoOptions, demo_city_generate
from zhifa.subjects.demo.scenarios import SCENARIOS, expected_authority_level, same_level_affiliation
from zhifa.subjects.demo.shanghai import DISTRICTS
from zhifa.subjects.models import (
    ActivitySignal,
    ChemicalProduct,
    EmergencyPlanFiling,
    Enterprise,
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
from zhifa.subjects.reference.incompatibility import HAZARD_CLASSES, incompatible_pair_set
from zhifa.subjects.rules import chemical_product_defects, incompatible_classes_present, latest_snapshot, storage_zone_defects
from zhifa.subjects.selectors import enterprises_visible_to, licence_state

AS_OF = date(2026, 6, 15)
N = 300
SEED = 11
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CAL = package_calendar()

# Deadlines the checks use (RULES: SUB-06 20 wd; CLU-S04/S11 10 wd [U]; SUB-09 15 days [U];
# SUB-10 20 wd [U]; SUB-11 31 March). The planted margins hold for any value up to 30 wd.
CHANGE_WD = {"CLU-S04": 10, "CLU-S08": 20, "CLU-S11": 10}
HC_REG_CHANGE_WD = 15  # SUB-08 / CLU-S05, rs("lic.hc_reg.change_wd") in the CN pack
PLAN_FILING_WD = 20
MHS_FILING_DAYS = 15


@pytest.fixture(scope="module")
def city(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo city, generated once; rolled back after the module."""
    manifest_path = tmp_path_factory.mktemp("demo") / "manifest.json"
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        with transaction.atomic():
            result = demo_city_generate(DemoOptions(enterprises=N, seed=SEED, as_of=AS_OF, progress=False, manifest_path=manifest_path))
            yield result
            transaction.set_rollback(True)


@pytest.fixture
def fast_hashers(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


def add_wd(day: date, n: int) -> date:
    return CAL.add_working_days(day, n).due_date


def add_months(day: date, n: int) -> date:
    month = day.month - 1 + n
    year, month = day.year + month // 12, month % 12 + 1
    last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(day.day, last))


class Register:
    """The register read back into plain Python, keyed by enterprise id."""

    def __init__(self):
        self.enterprises = {e.pk: e for e in Enterprise.objects.select_related("principal")}
        self.licences = defaultdict(list)
        for lic in Licence.objects.all():
            self.licences[lic.enterprise_id].append(lic)
        self.apps = defaultdict(list)
        for app in LicenceApplication.objects.all():
            self.apps[app.licence_id].append(app)
        self.activity = defaultdict(list)
        for act in ActivitySignal.objects.all():
            self.activity[act.enterprise_id].append(act)
        self.changes = defaultdict(list)
        for ch in RegistrationChange.objects.all():
            self.changes[ch.enterprise_id].append(ch)
        self.plans = defaultdict(list)
        for plan in EmergencyPlanFiling.objects.all():
            self.plans[plan.enterprise_id].append(plan)
        self.mhs = defaultdict(list)
        for m in MajorHazardSource.objects.all():
            self.mhs[m.enterprise_id].append(m)
        self.obligations = defaultdict(list)
        for ob in ReportObligation.objects.all():
            self.obligations[ob.enterprise_id].append(ob)
        self.precursor = defaultdict(list)
        for rep in PrecursorAnnualReport.objects.all():
            self.precursor[rep.enterprise_id].append(rep)

    def act(self, ent_id: int, kind: str, after: date) -> bool:
        """RULES §3.2 act(s, kind, after=t)."""
        return any(a.kind == kind and after < a.occurred_on <= AS_OF for a in self.activity[ent_id])

    def ext_ok(self, lic: Licence) -> bool:
        """RULES §3.2 ext_ok(l, d): an extension/renewal approved, or applied for in time (three
        months ahead, SUB-05/07/08) and not decided before expiry (行政许可法 art. 50)."""
        for app in self.apps[lic.pk]:
            if app.kind not in (ApplicationKind.EXTENSION, ApplicationKind.RENEWAL):
                continue
            if app.status == ApplicationStatus.APPROVED:
                return True
            timely = app.submitted_on <= add_months(lic.valid_to, -3)
            undecided = app.decided_on is None or app.decided_on > lic.valid_to
            if timely and undecided and app.status == ApplicationStatus.PENDING:
                return True
        return False


def recorded_value(lic: Licence, field: str) -> str:
    return {ChangeField.PRINCIPAL: lic.recorded_principal, ChangeField.NAME: lic.recorded_name,
            ChangeField.REG_ADDRESS: lic.recorded_address, ChangeField.AFFILIATION: lic.recorded_affiliation}[field]


def expired_and_operating(reg: Register, lic_type: str, kind: str, *, min_ratio: bool = False) -> set[str]:
    """CLU-S03/S06/S07/S10: l.type == T and l.valid_to < today() and not ext_ok(l, l.valid_to)
    and act(s, KIND, after=l.valid_to) [and usage_ratio(s) >= 1 for S10]."""
    found = set()
    for ent_id, lics in reg.licences.items():
        ent = reg.enterprises[ent_id]
        if min_ratio and not (ent.hc_use_ratio is not None and ent.hc_use_ratio >= 1):
            continue
        for lic in lics:
            if lic.licence_type == lic_type and lic.valid_to and lic.valid_to < AS_OF and not reg.ext_ok(lic) and reg.act(ent_id, kind, lic.valid_to):
                found.add(ent.uscc)
    return found


def changed_without_licence_change(reg: Register, lic_type: str, fields: set[str], wd: int, kind: str) -> set[str]:
    """CLU-S04 (and S08/S11 "as CLU-S04 with …"): a registration change of a listed field during the
    licence's validity, not on the licence, no pending change application, deadline passed, and
    activity after the change."""
    found = set()
    for ent_id, changes in reg.changes.items():
        ent = reg.enterprises[ent_id]
        for ch in changes:
            if ch.field not in fields:
                continue
            for lic in reg.licences[ent_id]:
                if lic.licence_type != lic_type or not (lic.valid_from <= ch.changed_on <= (lic.valid_to or date.max)):
                    continue
                if recorded_value(lic, ch.field) == ch.new_value:
                    continue
                pending = any(a.kind == ApplicationKind.CHANGE and a.submitted_on >= ch.changed_on
                              and a.status in (ApplicationStatus.PENDING, ApplicationStatus.APPROVED) for a in reg.apps[lic.pk])
                if pending or not AS_OF > add_wd(ch.changed_on, wd):
                    continue
                if reg.act(ent_id, kind, ch.changed_on):
                    found.add(ent.uscc)
    return found


def manifest_sets(city, rule_id: str) -> tuple[set[str], set[str]]:
    entry = city.manifest["scenarios"][rule_id]
    return set(entry["violating"]), set(entry["near_misses"])


def assert_exactly_planted(city, rule_id: str, found: set[str]) -> None:
    violating, near = manifest_sets(city, rule_id)
    spec = SCENARIOS[rule_id]
    assert len(violating) >= len(spec.violating) and len(near) >= len(spec.near_misses)
    assert set(city.manifest["scenarios"][rule_id]["variants"][u] for u in violating) == set(spec.violating)
    assert set(city.manifest["scenarios"][rule_id]["variants"][u] for u in near) == set(spec.near_misses)
    existing = set(Enterprise.objects.filter(uscc__in=violating | near).values_list("uscc", flat=True))
    assert existing == violating | near, "every planted USCC exists"
    assert found == violating, f"{rule_id}: missed {sorted(violating - found)}, unexpected {sorted(found - violating)}"
    assert not (found & near)


# --- the city --------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_demo_data__usccs_valid_unique_and_names_unique(city):
    # Given the demo city / When reading all enterprises
    rows = list(Enterprise.objects.values_list("uscc", "name"))
    usccs = [u for u, _ in rows]
    # Then every USCC passes GB 32100 (SUB-01) and USCCs and names are unique
    assert len(rows) == N
    assert all(is_valid_uscc(u) for u in usccs)
    assert len(set(usccs)) == N
    assert len({n for _, n in rows}) == N
    assert all(n.startswith("上海") and n.endswith("有限公司") for _, n in rows)


@pytest.mark.django_db
def test_demo_data__people_have_valid_unique_id_numbers(city):
    ids = list(Person.objects.values_list("id_number", flat=True))
    assert ids and len(set(ids)) == len(ids)
    assert all(validate_id_number(i) for i in ids)


@pytest.mark.django_db
def test_demo_data__organisation_tree_and_one_level_per_enterprise(city):
    # Given the city / Then the tree is 市局 → 16 districts (real division codes) → 街镇 and parks
    city_org = Organisation.objects.get(code="310000")
    assert city_org.jurisdiction == "CN-SH" and city_org.is_enforcement_body
    districts = Organisation.objects.filter(parent=city_org, kind="DISTRICT")
    assert {d.division_code for d in districts} == {d.division_code for d in DISTRICTS}
    putuo = districts.get(division_code="310107")
    assert putuo.effective_jurisdiction == "CN-SH-PUTUO"
    assert all(d.effective_jurisdiction == "CN-SH" for d in districts.exclude(pk=putuo.pk))
    assert Organisation.objects.filter(parent=putuo, kind="TOWN").count() >= 5
    assert Organisation.objects.filter(kind="PARK", name="上海化学工业区").exists()
    # SUB-02: every enterprise has exactly one level and an owning organisation of that level's tree
    for ent in Enterprise.objects.select_related("organisation"):
        assert ent.enforcement_level in ("CITY", "DISTRICT", "TOWN")
        assert ent.organisation.path.startswith(city_org.path)


@pytest.mark.django_db
def test_demo_data__licence_validity_is_spread(city):
    # Given the city / Then licences are mostly valid, some expiring, some expired (SUB-13 demo needs)
    states = [licence_state(lic, AS_OF) for lic in Licence.objects.all()]
    assert states.count("VALID") > states.count("EXPIRING") > 0
    assert states.count("EXPIRED") > 0
    assert {lic.licence_type for lic in Licence.objects.all()} >= {
        LicenceType.SAFETY_PROD, LicenceType.HC_OPERATION, LicenceType.HC_USE, LicenceType.HC_REGISTRATION}
    assert LicenceApplication.objects.filter(status=ApplicationStatus.PENDING).exists()


@pytest.mark.django_db
def test_demo_data__industries_weighted_towards_hazchem(city):
    hazchem = Enterprise.objects.filter(industry__in=[Industry.HAZCHEM, Industry.CHEMICAL]).count()
    assert hazchem > N * 0.3


@pytest.mark.django_db
def test_demo_data__manifest_file_and_ledger_entry(city):
    # Given the run / Then the manifest on disk equals the returned one, and one ledger entry records the run
    on_disk = json.loads(city.manifest_path.read_text())
    assert on_disk == city.manifest
    assert on_disk["seed"] == SEED and on_disk["as_of"] == AS_OF.isoformat()
    entries = LedgerEntry.objects.filter(action="subjects.demo_data.generate")
    assert entries.count() == 1
    payload = entries.get().payload
    assert payload["seed"] == SEED and payload["counts"]["subjects_enterprise"] == N


@pytest.mark.django_db
def test_demo_data__every_scenario_is_planted_with_the_same_manifest_structure(city):
    # Given the manifest / Then all thirteen scenarios are planted, none carries a not-planted reason
    for rule_id, entry in city.manifest["scenarios"].items():
        assert entry["planted"] is True and entry["violating"] and entry["near_misses"], rule_id
        assert "reason" not in entry, rule_id
        assert set(entry["variants"]) == set(entry["violating"]) | set(entry["near_misses"]), rule_id
    assert {"S05", "S09"} <= set(city.manifest["conventions"])


# --- scenario conditions (RULES §3.2) -----------------------------------------------------------------

@pytest.mark.django_db
def test_clu_s01__planted_exactly_the_enterprises_with_missing_late_or_invalid_reports(city):
    # Given the city / When checking: exists ob: (ob.submitted_at is None and today() > ob.due_at)
    # or ob.submitted_at > ob.due_at or not ob.validation_passed (validation judged on submitted reports)
    reg = Register()
    found = set()
    for ent_id, obs in reg.obligations.items():
        for ob in obs:
            missing = ob.submitted_on is None and AS_OF > ob.due_on
            late = ob.submitted_on is not None and ob.submitted_on > ob.due_on
            invalid = ob.submitted_on is not None and ob.validation_passed is not True
            if missing or late or invalid:
                found.add(reg.enterprises[ent_id].uscc)
    # Then exactly the planted violations meet it
    assert_exactly_planted(city, "CLU-S01", found)


@pytest.mark.django_db
def test_clu_s02__planted_exactly_the_unfiled_or_wrongly_filed_plans(city):
    # When: s.filing_obliged and plan.published_at and ((filing is None and today() > add_wd(published, 20))
    #        or (filing is not None and filing.authority_level != expected_authority(affiliation, industry, scale)))
    reg = Register()
    found = set()
    for ent_id, plans in reg.plans.items():
        ent = reg.enterprises[ent_id]
        if not ent.plan_filing_obliged:
            continue
        for plan in plans:
            unfiled = plan.filed_on is None and AS_OF > add_wd(plan.published_on, PLAN_FILING_WD)
            wrong = plan.filed_on is not None and plan.authority_level != expected_authority_level(ent.affiliation, ent.industry, ent.scale)
            if unfiled or wrong:
                found.add(ent.uscc)
    assert_exactly_planted(city, "CLU-S02", found)


@pytest.mark.django_db
def test_clu_s03__planted_exactly_the_expired_safety_licences_with_production(city):
    found = expired_and_operating(Register(), LicenceType.SAFETY_PROD, ActivityKind.PRODUCTION)
    assert_exactly_planted(city, "CLU-S03", found)


@pytest.mark.django_db
def test_clu_s04__planted_exactly_the_unreported_changes_of_producers(city):
    fields = {ChangeField.PRINCIPAL, ChangeField.NAME, ChangeField.REG_ADDRESS, ChangeField.AFFILIATION}
    found = changed_without_licence_change(Register(), LicenceType.SAFETY_PROD, fields, CHANGE_WD["CLU-S04"], ActivityKind.PRODUCTION)
    assert_exactly_planted(city, "CLU-S04", found)


@pytest.mark.django_db
def test_clu_s06__planted_exactly_the_expired_registration_certificates_with_production(city):
    found = expired_and_operating(Register(), LicenceType.HC_REGISTRATION, ActivityKind.PRODUCTION)
    assert_exactly_planted(city, "CLU-S06", found)


@pytest.mark.django_db
def test_clu_s07__planted_exactly_the_expired_operation_licences_with_sales(city):
    found = expired_and_operating(Register(), LicenceType.HC_OPERATION, ActivityKind.SALE)
    assert_exactly_planted(city, "CLU-S07", found)


@pytest.mark.django_db
def test_clu_s08__planted_exactly_the_unreported_changes_of_operators_affiliation_excluded(city):
    fields = {ChangeField.PRINCIPAL, ChangeField.NAME, ChangeField.REG_ADDRESS}
    found = changed_without_licence_change(Register(), LicenceType.HC_OPERATION, fields, CHANGE_WD["CLU-S08"], ActivityKind.SALE)
    assert_exactly_planted(city, "CLU-S08", found)


@pytest.mark.django_db
def test_clu_s10__planted_exactly_the_expired_use_licences_above_quantity_standard(city):
    found = expired_and_operating(Register(), LicenceType.HC_USE, ActivityKind.USE, min_ratio=True)
    assert_exactly_planted(city, "CLU-S10", found)


@pytest.mark.django_db
def test_clu_s11__planted_exactly_the_unreported_changes_of_use_licence_holders(city):
    fields = {ChangeField.PRINCIPAL, ChangeField.NAME, ChangeField.REG_ADDRESS, ChangeField.AFFILIATION}
    found = changed_without_licence_change(Register(), LicenceType.HC_USE, fields, CHANGE_WD["CLU-S11"], ActivityKind.USE)
    assert_exactly_planted(city, "CLU-S11", found)


@pytest.mark.django_db
def test_clu_s12__planted_exactly_the_unfiled_uncancelled_or_unrefiled_hazard_sources(city):
    # When: (identified and not filed and today() > add_cd(assessment_report, 15)) or
    #       (no_longer_major_since and not cancellation_applied) or (reassessed > filed and not refiled)
    reg = Register()
    found = set()
    for ent_id, sources in reg.mhs.items():
        for m in sources:
            unfiled = m.filed_on is None and m.assessment_report_on and AS_OF > m.assessment_report_on + timedelta(days=MHS_FILING_DAYS)
            uncancelled = m.no_longer_major_since is not None and m.cancellation_applied_on is None
            unrefiled = m.reassessed_on is not None and m.filed_on is not None and m.reassessed_on > m.filed_on and m.refiled_on is None
            if unfiled or uncancelled or unrefiled:
                found.add(reg.enterprises[ent_id].uscc)
    assert_exactly_planted(city, "CLU-S12", found)


@pytest.mark.django_db
def test_clu_s13__planted_exactly_the_missing_late_or_unbalanced_precursor_reports(city):
    # When, for the last year Y-1 whose 31 March deadline has passed: (rep is None and today() > date(Y,3,31))
    # or rep.submitted_at > date(Y,3,31) or |opening + produced + purchased − sold − used − closing| > tolerance
    reg = Register()
    last_year = AS_OF.year - 1 if AS_OF > date(AS_OF.year, 3, 31) else AS_OF.year - 2
    found = set()
    for ent in reg.enterprises.values():
        if ent.precursor_role == PrecursorRole.NONE:
            continue
        reports = {r.year: r for r in reg.precursor[ent.pk]}
        if last_year not in reports and AS_OF > date(last_year + 1, 3, 31):
            found.add(ent.uscc)
        for year, rep in reports.items():
            deadline = date(year + 1, 3, 31)
            balance = rep.opening_kg + rep.produced_kg + rep.purchased_kg - rep.sold_kg - rep.used_kg - rep.closing_kg
            if (rep.submitted_on and rep.submitted_on > deadline) or abs(balance) > Decimal("0.001"):
                found.add(ent.uscc)
    assert_exactly_planted(city, "CLU-S13", found)


def s05_defective_usccs(change_wd: int = HC_REG_CHANGE_WD) -> set[str]:
    """CLU-S05 from RULES §3.2 and the clue engine's reading: a catalogued chemical produced or
    imported without registration, or a particulars/hazard change not applied for within the
    change period whose deadline has passed (pure helper per product)."""
    found = set()
    for product in ChemicalProduct.objects.select_related("enterprise"):
        due = add_wd(product.properties_changed_on, change_wd) if product.properties_changed_on else None
        if chemical_product_defects(role=product.role, in_catalogue=product.in_catalogue, registration_number=product.registration_number,
                                    properties_changed_on=product.properties_changed_on, change_applied_on=product.change_applied_on,
                                    change_due=due, as_of=AS_OF):
            found.add(product.enterprise.uscc)
    return found


@pytest.mark.django_db
def test_clu_s05__planted_exactly_the_unregistered_or_unchanged_registrations(city):
    # Given the city / When applying the CLU-S05 condition to every produced/imported chemical
    found = s05_defective_usccs()
    # Then exactly the planted violations meet it
    assert_exactly_planted(city, "CLU-S05", found)
    # And a plain query finds the unregistered ones among them, nothing else
    unregistered = set(ChemicalProduct.objects.filter(in_catalogue=True, registration_number="").values_list("enterprise__uscc", flat=True))
    variants = city.manifest["scenarios"]["CLU-S05"]["variants"]
    assert unregistered == {u for u, v in variants.items() if v == "not_registered"}


@pytest.mark.django_db
def test_clu_s05__classification_holds_for_other_change_periods(city):
    # Given the planted margins (≥ 60 days late, ≤ 5 days in time or recent)
    # When the rule set's change period is anything from 10 to 30 working days / Then the same enterprises fire
    violating, _ = manifest_sets(city, "CLU-S05")
    for wd in (10, 20, 30):
        assert s05_defective_usccs(wd) == violating, wd


@pytest.mark.django_db
def test_clu_s05__producers_and_importers_carry_registered_products(city):
    # Given the city / Then every producer or importer has products, background ones registered under
    # the enterprise's registration certificate (登记证)
    holders = Enterprise.objects.filter(Q(hc_producer=True) | Q(hc_importer=True))
    assert holders.exists()
    assert not holders.exclude(pk__in=ChemicalProduct.objects.values("enterprise_id")).exists()
    certificates = set(Licence.objects.filter(licence_type=LicenceType.HC_REGISTRATION).values_list("enterprise_id", "number"))
    registered = ChemicalProduct.objects.exclude(registration_number="")
    assert registered.exists()
    assert all((p.enterprise_id, p.registration_number) in certificates for p in registered)
    assert set(ChemicalProduct.objects.values_list("role", flat=True)) == {"PRODUCED", "IMPORTED"}
    assert all(p.hazard_class in HAZARD_CLASSES for p in ChemicalProduct.objects.filter(in_catalogue=True))


def s09_defects_by_uscc() -> dict[str, set[str]]:
    """CLU-S09 through the pure helper: each zone's latest snapshot against its allowed classes,
    maximum, the enterprise's permitted varieties and the seeded incompatibility table."""
    pairs = list(HazardClassIncompatibility.objects.values_list("class_a", "class_b"))
    allowed = defaultdict(set)
    for zone_id, hazard_class in StorageZoneClass.objects.values_list("zone_id", "hazard_class"):
        allowed[zone_id].add(hazard_class)
    items = defaultdict(list)
    for stock in StorageItem.objects.all():
        items[stock.zone_id].append(stock)
    permitted = defaultdict(set)
    for ent_id, cas in PermittedChemical.objects.values_list("enterprise_id", "cas_number"):
        permitted[ent_id].add(cas)
    found: dict[str, set[str]] = defaultdict(set)
    for zone in StorageZone.objects.select_related("enterprise"):
        codes = storage_zone_defects(allowed[zone.pk], zone.max_quantity_t, latest_snapshot(items[zone.pk]), permitted[zone.enterprise_id], pairs)
        if codes:
            found[zone.enterprise.uscc].update(codes)
    return found


S09_CODE = {"class_not_allowed": "CLASS_NOT_ALLOWED", "over_quantity": "OVER_QUANTITY",
            "not_permitted_variety": "NOT_PERMITTED_VARIETY", "incompatible_mix": "INCOMPATIBLE_MIX"}


@pytest.mark.django_db
def test_clu_s09__planted_exactly_the_misstored_zones_each_with_its_own_defect(city):
    # Given the city / When checking every storage zone's latest stock
    found = s09_defects_by_uscc()
    # Then exactly the planted violations have defects, and each exactly the one its variant names
    assert_exactly_planted(city, "CLU-S09", set(found))
    variants = city.manifest["scenarios"]["CLU-S09"]["variants"]
    for uscc, codes in found.items():
        assert codes == {S09_CODE[variants[uscc]]}, (uscc, variants[uscc], codes)


@pytest.mark.django_db
def test_clu_s09__plain_queries_agree_on_quantity_and_variety(city):
    # Given the city / When summing each zone's stock and looking for unpermitted CAS numbers with plain queries
    over = set(
        StorageZone.objects.annotate(total=Sum("items__quantity_t")).filter(total__gt=F("max_quantity_t")).values_list("enterprise__uscc", flat=True)
    )
    at_max = set(
        StorageZone.objects.annotate(total=Sum("items__quantity_t")).filter(total=F("max_quantity_t")).values_list("enterprise__uscc", flat=True)
    )
    unpermitted = set(
        StorageItem.objects.exclude(
            Exists(PermittedChemical.objects.filter(enterprise_id=OuterRef("zone__enterprise_id"), cas_number=OuterRef("cas_number")))
        ).values_list("zone__enterprise__uscc", flat=True)
    )
    # Then they find the planted variants and nothing else
    variants = city.manifest["scenarios"]["CLU-S09"]["variants"]
    assert over == {u for u, v in variants.items() if v == "over_quantity"}
    assert at_max == {u for u, v in variants.items() if v == "at_max_quantity"}
    assert unpermitted == {u for u, v in variants.items() if v == "not_permitted_variety"}


@pytest.mark.django_db
def test_clu_s09__storage_enterprises_have_zones_one_snapshot_each_and_realistic_content(city):
    # Given the city / Then every hazchem storer has zones with allowed classes, stock and permitted varieties
    storers = Enterprise.objects.filter(hc_storage=True)
    assert storers.exists()
    assert not storers.exclude(pk__in=StorageZone.objects.values("enterprise_id")).exists()
    assert not StorageZone.objects.exclude(pk__in=StorageZoneClass.objects.values("zone_id")).exists()
    assert not StorageZone.objects.exclude(pk__in=StorageItem.objects.values("zone_id")).exists()
    assert not storers.exclude(pk__in=PermittedChemical.objects.values("enterprise_id")).exists()
    # one stock-taking date per zone, within the last month
    days = StorageItem.objects.values("zone_id").annotate(n=Count("recorded_on", distinct=True))
    assert {row["n"] for row in days} == {1}
    assert all(AS_OF - timedelta(days=31) <= d <= AS_OF for d in StorageItem.objects.values_list("recorded_on", flat=True))
    assert set(StorageItem.objects.values_list("hazard_class", flat=True)) <= set(HAZARD_CLASSES)
    # mixed zones exist (a compatible mix is normal)
    assert StorageZone.objects.annotate(n=Count("allowed_classes")).filter(n__gt=1).exists()
    # and the incompatibility table is seeded
    assert HazardClassIncompatibility.objects.filter(class_a="3", class_b="5.1").exists()


def test_clu_s09__demo_zone_templates_allow_only_compatible_classes():
    # Given the demo's storage-zone templates / Then no background template allows an incompatible pair
    pairs = incompatible_pair_set()
    for template in chemicals.ZONE_TEMPLATES:
        assert not incompatible_classes_present(template.allowed, pairs), template.name
        assert all(chemicals.BY_CLASS.get(c) for c in template.allowed), template.name
    assert incompatible_classes_present(chemicals.INCOMPATIBLE_STORE.allowed, pairs)
    cas = [c.cas for c in chemicals.CATALOGUED + chemicals.UNCATALOGUED]
    assert len(cas) == len(set(cas))


# --- the convention used for CLU-S02 ---------------------------------------------------------------------

@pytest.mark.parametrize(
    ("affiliation", "industry", "scale", "expected"),
    [
        (Affiliation.CENTRAL, Industry.TRADE, Scale.MICRO, AuthorityLevel.CITY),
        (Affiliation.CITY, Industry.HAZCHEM, Scale.SMALL, AuthorityLevel.CITY),
        (Affiliation.DISTRICT, Industry.HAZCHEM, Scale.LARGE, AuthorityLevel.DISTRICT),
        (Affiliation.TOWN, Industry.CHEMICAL, Scale.MEDIUM, AuthorityLevel.TOWN),
        (Affiliation.PRIVATE, Industry.HAZCHEM, Scale.LARGE, AuthorityLevel.CITY),
        (Affiliation.PRIVATE, Industry.CHEMICAL, Scale.MICRO, AuthorityLevel.DISTRICT),
        (Affiliation.PRIVATE, Industry.TRADE, Scale.MEDIUM, AuthorityLevel.DISTRICT),
        (Affiliation.PRIVATE, Industry.TRADE, Scale.SMALL, AuthorityLevel.TOWN),
    ],
)
def test_sub_10__expected_authority_level_convention(affiliation, industry, scale, expected):
    # Given an enterprise's affiliation, industry and scale / When classifying / Then the filing level follows the documented scheme
    assert expected_authority_level(affiliation, industry, scale) == expected


@pytest.mark.parametrize("affiliation", list(Affiliation))
@pytest.mark.parametrize("industry", [Industry.HAZCHEM, Industry.TRADE])
@pytest.mark.parametrize("scale", list(Scale))
def test_sub_10__same_level_affiliation_keeps_the_filing_authority(affiliation, industry, scale):
    new = same_level_affiliation(affiliation, industry, scale)
    if new is not None:
        assert new != affiliation
        assert expected_authority_level(new, industry, scale) == expected_authority_level(affiliation, industry, scale)


# --- names and identifiers ---------------------------------------------------------------------------------

def test_demo_names__trade_names_injective_and_names_parse_uniquely():
    # Given many keys across the 2- and 3-character tiers / When naming / Then no two coincide
    keys = list(range(1, 3000)) + list(range(35_000, 38_000))
    trade = [names.trade_name(k) for k in keys]
    assert len(set(trade)) == len(keys)
    industry_first = {w[0] for words in names.INDUSTRY_WORDS.values() for w in words}
    assert not set(names.TRADE_CHARS) & industry_first
    full = {names.enterprise_name(k, None, "化工") for k in keys} | {names.enterprise_name(k, "普陀", "化学品") for k in keys}
    assert len(full) == 2 * len(keys)
    assert names.renamed_enterprise_name("上海华鑫化工有限公司") == "上海华鑫化工股份有限公司"


def test_demo_names__uscc_and_id_numbers_are_valid_and_distinct():
    usccs = {names.enterprise_uscc(k, "310107") for k in range(1, 5000)}
    assert len(usccs) == 4999 and all(is_valid_uscc(u) for u in usccs)
    ids = {names.person_id_number(k)[0] for k in range(1, 5000)}
    assert len(ids) == 4999 and all(validate_id_number(i) for i in ids)


def test_demo_names__feistel_is_a_permutation():
    perm = names.FeistelPermutation(1000, key=7)
    assert sorted(perm(x) for x in range(1000)) == list(range(1000))


# --- users --------------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_demo_data__demo_logins_authenticate(city, fast_hashers):
    # Given the demo users / When logging in with the documented password / Then each authenticates with its role
    for spec in DEMO_USERS:
        request = RequestFactory().post("/accounts/login/")
        user = authenticate(request=request, username=spec.username, password=DEMO_PASSWORD)
        assert user is not None, spec.username
        assert user.role == spec.role
    assert {u.role for u in DEMO_USERS} == set(Role.values)


@pytest.mark.django_db
def test_demo_data__officers_hold_valid_credentials_and_legal_reviewer_is_qualified(city):
    for username in ("officer1", "officer2"):
        cred = OfficerCredential.objects.get(user__username=username)
        assert cred.is_valid_on(AS_OF) and cred.issuing_body and cred.enforcement_body.division_code == "310107"
    assert OfficerCredential.objects.get(user__username="legal").legal_review_qualified
    assert User.objects.get(username="sysadmin").is_superuser


@pytest.mark.django_db
def test_demo_data__enterprise_contact_sees_only_its_enterprise_with_an_expired_licence(city):
    # Given the enterprise contact (SUB-17) / When listing visible enterprises on a day the authorisation is valid
    user = User.objects.get(username="enterprise")
    visible = list(enterprises_visible_to(user))
    # Then exactly one, the manifest's demo contact enterprise, whose licence has expired
    assert [e.uscc for e in visible] == [city.manifest["demo_contact"]["uscc"]]
    assert any(licence_state(lic, AS_OF) == "EXPIRED" for lic in visible[0].licences.all())


@pytest.mark.django_db
def test_demo_data__officers_see_planted_violations_in_putuo(city):
    # Given officer1 in 普陀区 / Then one violation of each planted scenario is within the officer's scope
    officer = User.objects.get(username="officer1")
    scope = set(Enterprise.objects.filter(organisation__path__startswith=officer.organisation.path).values_list("uscc", flat=True))
    for rule_id, entry in city.manifest["scenarios"].items():
        if entry["planted"]:
            assert scope & set(entry["violating"]), rule_id
    # And a near-miss of the storage and registration scenarios too
    for rule_id in ("CLU-S05", "CLU-S09"):
        assert scope & set(city.manifest["scenarios"][rule_id]["near_misses"]), rule_id


# --- the command --------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_demo_data__same_seed_gives_same_city_other_seed_differs(city, tmp_path, fast_hashers):
    # Given the city generated with SEED / When regenerating with --force and the same seed
    before = list(Enterprise.objects.order_by("pk").values_list("uscc", "name", "registered_address"))
    lic_before = list(Licence.objects.order_by("pk").values_list("number", "valid_to"))
    call_command("demo_data", enterprises=str(N), seed=str(SEED), as_of=AS_OF.isoformat(), force=True,
                 manifest=str(tmp_path / "m.json"), no_progress=True, stdout=StringIO())
    # Then the same enterprises and licences come back
    assert list(Enterprise.objects.order_by("pk").values_list("uscc", "name", "registered_address")) == before
    assert list(Licence.objects.order_by("pk").values_list("number", "valid_to")) == lic_before
    assert json.loads((tmp_path / "m.json").read_text())["scenarios"] == city.manifest["scenarios"]
    # And another seed gives another city
    call_command("demo_data", enterprises=str(N), seed=str(SEED + 1), as_of=AS_OF.isoformat(), force=True,
                 manifest=str(tmp_path / "m2.json"), no_progress=True, stdout=StringIO())
    assert list(Enterprise.objects.order_by("pk").values_list("uscc", "name", "registered_address")) != before


@pytest.mark.django_db
def test_demo_data__if_empty_does_nothing_on_a_non_empty_register(city, tmp_path):
    # Given a register with enterprises / When running with --if-empty
    count, ledger = Enterprise.objects.count(), LedgerEntry.objects.count()
    out = StringIO()
    call_command("demo_data", enterprises="500", if_empty=True, manifest=str(tmp_path / "m.json"), stdout=out)
    # Then nothing is written, the demo logins are printed
    assert Enterprise.objects.count() == count and LedgerEntry.objects.count() == ledger
    assert "未生成演示数据" in out.getvalue() and "officer1" in out.getvalue()
    assert not (tmp_path / "m.json").exists()


@pytest.mark.django_db
def test_demo_data__refuses_a_non_empty_register_without_force_or_append(city):
    with pytest.raises(CommandError, match="--force"):
        call_command("demo_data", enterprises="300", no_progress=True, stdout=StringIO())


@pytest.mark.django_db
def test_demo_data__bad_input_gives_chinese_errors(city):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("demo_data", enterprises="300", as_of="2026-13-01", force=True, stdout=StringIO())
    with pytest.raises(CommandError, match="正整数"):
        call_command("demo_data", enterprises="-5", force=True, stdout=StringIO())
    with pytest.raises(CommandError, match="企业数量过少"):
        call_command("demo_data", enterprises="20", force=True, no_progress=True, stdout=StringIO())
    # And nothing was half-written
    assert Enterprise.objects.count() == N


@pytest.mark.django_db
def test_demo_data__append_adds_enterprises_with_fresh_unique_usccs(city, tmp_path, fast_hashers):
    # Given the city / When appending 200 more
    call_command("demo_data", enterprises="200", seed="99", as_of=AS_OF.isoformat(), append=True,
                 manifest=str(tmp_path / "m.json"), no_progress=True, violations_per_scenario="1", stdout=StringIO())
    # Then 500 enterprises with unique valid USCCs and unique ID numbers, and the demo users unchanged
    usccs = list(Enterprise.objects.values_list("uscc", flat=True))
    assert len(usccs) == N + 200 == len(set(usccs))
    ids = list(Person.objects.values_list("id_number", flat=True))
    assert len(ids) == len(set(ids))
    assert User.objects.filter(username="officer1").count() == 1
    assert LedgerEntry.objects.filter(action="subjects.demo_data.generate").count() == 2


@pytest.mark.django_db
def test_demo_data__small_city_plants_one_of_each_variant(city, tmp_path, fast_hashers):
    # Given a city too small for the default count / When generating 100 enterprises
    call_command("demo_data", enterprises="100", seed="3", as_of=AS_OF.isoformat(), force=True,
                 manifest=str(tmp_path / "m.json"), no_progress=True, stdout=StringIO())
    manifest = json.loads((tmp_path / "m.json").read_text())
    # Then every variant of every planted scenario is there once
    for rule_id, spec in SCENARIOS.items():
        variants = sorted(manifest["scenarios"][rule_id]["variants"].values())
        assert variants == sorted(spec.violating + spec.near_misses), rule_id
    assert Enterprise.objects.count() == 100
