"""What the demo city plants for each pilot scenario (RULES §3.2, CLU-S01…CLU-S13) and the
classification convention it follows. Pure data and functions, no database.

Every planted enterprise gets exactly one scenario-relevant defect (or, for a near-miss, a
situation that looks like one but does not meet the RULES §3.2 condition); all other demo
enterprises are generated clean with respect to all thirteen conditions, so a detection run over
a freshly generated city must find exactly the manifest's `violating` lists.

Dates are planted with margins wide enough that the classification holds whatever the rule set
says within reason: "late" means at least 60 calendar days past the event (more than 30 working
days even across the Spring Festival), "within the deadline" means at most 5 calendar days.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..choices import ActivityKind, Affiliation, AuthorityLevel, ChangeField, Industry, LicenceType, Scale

# Values are plain strings (not enum members) because they go straight into bulk rows: psycopg
# would dump an Enum member by its name, which differs from the stored value for several choices.
HIGH_RISK_INDUSTRIES = frozenset(i.value for i in (Industry.HAZCHEM, Industry.CHEMICAL, Industry.METALLURGY, Industry.NONFERROUS))


def expected_authority_level(affiliation: str, industry: str, scale: str) -> str:
    """The authority level an emergency plan is filed with, by affiliation, industry and scale
    (分级属地, SUB-10 / CLU-S02 `expected_authority`); the demo also uses it as the responsible
    enforcement level (一企一层级, SUB-02) of enterprises outside functional parks.

    The sources leave the exact scheme to each jurisdiction ([U] in SUB-10); this is the demo
    city's documented convention: units affiliated to the central or city government → city;
    district- and town-affiliated units → their level; other units → city if large and in a
    high-risk industry, district if high-risk or large/medium, otherwise the town.
    """
    if affiliation in (Affiliation.CENTRAL, Affiliation.CITY):
        return AuthorityLevel.CITY.value
    if affiliation == Affiliation.DISTRICT:
        return AuthorityLevel.DISTRICT.value
    if affiliation == Affiliation.TOWN:
        return AuthorityLevel.TOWN.value
    high_risk = industry in HIGH_RISK_INDUSTRIES
    if high_risk and scale == Scale.LARGE:
        return AuthorityLevel.CITY.value
    if high_risk or scale in (Scale.LARGE, Scale.MEDIUM):
        return AuthorityLevel.DISTRICT.value
    return AuthorityLevel.TOWN.value


def same_level_affiliation(affiliation: str, industry: str, scale: str) -> str | None:
    """A different affiliation that keeps `expected_authority_level` unchanged, or None.

    Used for affiliation changes of otherwise clean enterprises: their existing plan filing must
    stay with the right authority (CLU-S02) after the change.
    """
    level = expected_authority_level(affiliation, industry, scale)
    for candidate in (Affiliation.DISTRICT, Affiliation.TOWN, Affiliation.CITY, Affiliation.CENTRAL, Affiliation.PRIVATE):
        if candidate != affiliation and expected_authority_level(candidate, industry, scale) == level:
            return candidate.value
    return None


# Which activity proves that a licence holder keeps operating (RULES §3.2 act()).
LICENCE_ACTIVITY = {
    LicenceType.SAFETY_PROD.value: ActivityKind.PRODUCTION.value,  # CLU-S03, CLU-S04
    LicenceType.HC_REGISTRATION.value: ActivityKind.PRODUCTION.value,  # CLU-S06
    LicenceType.HC_OPERATION.value: ActivityKind.SALE.value,  # CLU-S07, CLU-S08
    LicenceType.HC_USE.value: ActivityKind.USE.value,  # CLU-S10, CLU-S11
}

# Advance-application periods used by ext_ok() (SUB-05/06/07/08: three months). A planted
# "timely" application is filed 150 days ahead, a "late" one 10 days ahead — clear either way.
TIMELY_APPLICATION_DAYS = 150
LATE_APPLICATION_DAYS = 10


@dataclass(frozen=True)
class ScenarioSpec:
    rule_id: str
    title: str
    violating: tuple[str, ...] = ()
    near_misses: tuple[str, ...] = ()
    licence_type: str | None = None
    activity: str | None = None
    change_fields: tuple[str, ...] = ()
    not_planted_reason: str = ""

    @property
    def planted(self) -> bool:
        return bool(self.violating)


_EXPIRY_VIOLATING = ("no_application", "late_application", "rejected_application")
_EXPIRY_NEAR = ("ext_ok_pending", "ext_approved", "no_activity_after_expiry", "activity_on_expiry_day")
_CHANGE_NEAR = ("within_deadline", "change_app_pending", "no_activity_after_change", "licence_updated")
_ALL_FIELDS = tuple(f.value for f in (ChangeField.PRINCIPAL, ChangeField.NAME, ChangeField.REG_ADDRESS, ChangeField.AFFILIATION))

SCENARIOS: dict[str, ScenarioSpec] = {
    s.rule_id: s
    for s in (
        ScenarioSpec("CLU-S01", "未按规定报送安全生产数据",
                     violating=("missing", "late", "validation_failed"),
                     near_misses=("due_today", "submitted_on_due_date", "not_yet_due")),
        ScenarioSpec("CLU-S02", "应急预案未按规定备案",
                     violating=("not_filed", "wrong_authority"),
                     near_misses=("within_deadline", "not_obliged", "filed_late")),
        ScenarioSpec("CLU-S03", "安全生产许可证过期未延期仍从事生产",
                     violating=_EXPIRY_VIOLATING, near_misses=_EXPIRY_NEAR,
                     licence_type=LicenceType.SAFETY_PROD.value, activity=ActivityKind.PRODUCTION.value),
        ScenarioSpec("CLU-S04", "危化品生产企业变更主要负责人、名称、注册地址或隶属关系未办理许可证变更仍从事生产",
                     violating=tuple(f"changed_{f}" for f in _ALL_FIELDS), near_misses=_CHANGE_NEAR,
                     licence_type=LicenceType.SAFETY_PROD.value, activity=ActivityKind.PRODUCTION.value, change_fields=_ALL_FIELDS),
        ScenarioSpec("CLU-S05", "未办理危险化学品登记及变更",
                     violating=("not_registered", "change_not_applied"),
                     near_misses=("not_in_catalogue", "change_applied_in_time", "change_recent")),
        ScenarioSpec("CLU-S06", "危险化学品登记证过期未复核换证仍从事生产",
                     violating=_EXPIRY_VIOLATING, near_misses=_EXPIRY_NEAR,
                     licence_type=LicenceType.HC_REGISTRATION.value, activity=ActivityKind.PRODUCTION.value),
        ScenarioSpec("CLU-S07", "危险化学品经营许可证过期未延期仍从事经营",
                     violating=_EXPIRY_VIOLATING, near_misses=_EXPIRY_NEAR,
                     licence_type=LicenceType.HC_OPERATION.value, activity=ActivityKind.SALE.value),
        ScenarioSpec("CLU-S08", "危化品经营企业变更主要负责人、名称或注册地址未办理许可证变更仍从事经营",
                     violating=tuple(f"changed_{f}" for f in _ALL_FIELDS[:3]), near_misses=_CHANGE_NEAR + ("affiliation_not_in_scope",),
                     licence_type=LicenceType.HC_OPERATION.value, activity=ActivityKind.SALE.value, change_fields=_ALL_FIELDS[:3]),
        ScenarioSpec("CLU-S09", "未按国家标准分区分类储存、超量超品种储存、禁配物质混放混存",
                     violating=("class_not_allowed", "over_quantity", "not_permitted_variety", "incompatible_mix"),
                     near_misses=("at_max_quantity", "compatible_mix")),
        ScenarioSpec("CLU-S10", "安全使用许可证过期未延期仍使用危险化学品且达到数量标准",
                     violating=_EXPIRY_VIOLATING, near_misses=_EXPIRY_NEAR + ("below_quantity_standard",),
                     licence_type=LicenceType.HC_USE.value, activity=ActivityKind.USE.value),
        ScenarioSpec("CLU-S11", "安全使用许可证持证单位变更主要负责人、名称、注册地址或隶属关系未办理变更仍使用",
                     violating=tuple(f"changed_{f}" for f in _ALL_FIELDS), near_misses=_CHANGE_NEAR,
                     licence_type=LicenceType.HC_USE.value, activity=ActivityKind.USE.value, change_fields=_ALL_FIELDS),
        ScenarioSpec("CLU-S12", "重大危险源未备案或者核销",
                     violating=("not_filed", "not_cancelled", "reassessed_not_refiled"),
                     near_misses=("within_filing_period", "cancelled", "refiled")),
        ScenarioSpec("CLU-S13", "非药品类易制毒化学品生产经营单位未如实或按时报告年度生产经营情况",
                     violating=("missing", "late", "imbalance"),
                     near_misses=("on_deadline",)),
    )
}


@dataclass(frozen=True)
class PlantItem:
    """One planted enterprise: scenario, whether it violates, the variant, and whether it is
    placed in 普陀区 (so the demo officers, who work there, see one of each)."""

    rule_id: str
    violating: bool
    variant: str
    in_putuo: bool = False


def default_violations_per_scenario(enterprises: int) -> int:
    """A known number per scenario: at least one of each variant, then one per 2,000 enterprises."""
    return max(4, enterprises // 2000)


def plant_items(violations_per_scenario: int) -> list[PlantItem]:
    """The planting plan: for each planted scenario, `violations_per_scenario` violations cycling
    through the variants and about half as many near-misses (at least one of each variant).
    The first violation and the first near-miss of each scenario are placed in 普陀区."""
    items: list[PlantItem] = []
    for spec in SCENARIOS.values():
        if not spec.planted:
            continue
        count = max(violations_per_scenario, len(spec.violating))
        for n in range(count):
            items.append(PlantItem(spec.rule_id, True, spec.violating[n % len(spec.violating)], in_putuo=n == 0))
        near = max(len(spec.near_misses), violations_per_scenario // 2)
        for n in range(near):
            items.append(PlantItem(spec.rule_id, False, spec.near_misses[n % len(spec.near_misses)], in_putuo=n == 0))
    return items
