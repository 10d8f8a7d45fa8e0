"""Parameter resolution across the jurisdiction chain (pure; JUR-01, JUR-02, JUR-03, RULES §12).

`Rulebook(packs).resolve(key, jurisdiction, on_date, kind)` walks child → parents → CN, picks in
each jurisdiction the pack version and the dated entry in force on `on_date`, and combines the
candidates by strategy:

- STATUTE_FLOOR (JUR-02): if any candidate declares it, the most general such candidate is the
  statutory value; the most specific local value is used only if at least as strict
  (`statute_bound: upper` — authority deadlines: not longer; `lower` — party periods: not
  shorter), otherwise the statutory value, with a warning.
- LOCAL_OVERRIDE: the most specific candidate wins. An override flagged `needs_legal_signoff`
  without a recorded `legal_signoff` does not displace a parent value (AMB-01).
- PARTY_FAVOURABLE: the longer period; AUTHORITY_STRICT: the shorter period (lists: the union
  of obligations, AMB-12). Calendar days count as the shorter reading of the same number (CAL-13).

Missing values are never invented: a candidate marked `missing` that the strategy would need, or
no candidate at all, raises `RuleNotConfigured` with a Chinese message (AMB-19, HRG-02).
Warnings travel with the value: past `effective_to`, superseded source (AMB-18), unverified
(`U`), pending legal sign-off, pilot extension unverified (JUR-03), analogy (CAL-10).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from .choices import (
    PERIOD_UNIT_RANK,
    SERIOUS_WARNINGS,
    STRATEGY_LABELS,
    UNIT_LABELS,
    UNIT_SUFFIX,
    Flag,
    StatuteBound,
    Strategy,
    Verification,
    WarningCode,
)
from .errors import RuleConflict, RuleNotConfigured, RulesetErrorCode
from .packs import PACKS_DIR, Pack, ParamEntry, is_number, is_period_unit, latest_revisions, read_pack_dir

# Trust order of verification tags, strongest first (RULES §0.2).
_TAG_ORDER = [Verification.L, Verification.W, Verification.S, Verification.U]


@dataclass(frozen=True)
class RuleWarning:
    """A Chinese warning attached to a resolved value; `code` is stable for tests and styling."""

    code: WarningCode
    message: str

    def __str__(self) -> str:
        return self.message

    @property
    def serious(self) -> bool:
        return self.code in SERIOUS_WARNINGS


@dataclass(frozen=True)
class Resolved:
    """The value of one parameter for one jurisdiction and date, with its provenance."""

    key: str
    kind: str | None
    value: Any
    unit: str
    jurisdiction_requested: str
    jurisdiction_used: str
    version: str
    revision: int
    ruleset_id: int | None
    source: str
    verification: str
    strategy: str
    rule_ids: tuple[str, ...]
    effective_from: date
    effective_to: date | None
    flags: frozenset[str]
    on_date: date
    meaning: str
    warnings: tuple[RuleWarning, ...]

    @property
    def warning_codes(self) -> set[WarningCode]:
        return {w.code for w in self.warnings}

    @property
    def has_serious_warning(self) -> bool:
        return any(w.serious for w in self.warnings)

    @property
    def display_value(self) -> str:
        return format_value(self.value, self.unit)

    @property
    def unit_label(self) -> str:
        return UNIT_LABELS.get(self.unit, self.unit)

    @property
    def strategy_label(self) -> str:
        return STRATEGY_LABELS.get(Strategy(self.strategy), self.strategy)


@dataclass(frozen=True)
class _Candidate:
    jurisdiction: str
    pack: Pack
    entry: ParamEntry


def format_value(value: Any, unit: str) -> str:
    """A value written out in Chinese, e.g. 20个工作日, 50000元, [A, B]."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(map(str, value)) if value else "（空）"
    if isinstance(value, dict):
        return "；".join(f"{k}: {v}" for k, v in value.items())
    if is_number(value):
        return f"{value}{UNIT_SUFFIX.get(unit, unit)}"
    return str(value)


_fmt = format_value


class Rulebook:
    """A set of loaded packs (all versions and revisions) answering `resolve` queries."""

    def __init__(self, packs: list[Pack]):
        self.packs = list(packs)
        grouped: dict[str, list[Pack]] = {}
        for p in self.packs:
            grouped.setdefault(p.jurisdiction, []).append(p)
        # Only the newest revision of each version takes part in resolution; older ones are history.
        self._active = {j: sorted(latest_revisions(g), key=lambda p: p.effective_from) for j, g in grouped.items()}
        self.aliases: dict[str, str] = {}
        for p in self.packs:
            for e in p.entries:
                for alias in e.aliases:
                    self.aliases[alias] = e.key

    # --- structure -------------------------------------------------------------------------------

    @property
    def jurisdictions(self) -> list[str]:
        return sorted(self._active)

    def versions(self, jurisdiction: str) -> list[Pack]:
        """Active versions of a jurisdiction, oldest first."""
        return list(self._active.get(jurisdiction, []))

    def pack_on(self, jurisdiction: str, on_date: date) -> Pack | None:
        """The version in force on a date: the latest whose effective_from is not after it."""
        current = None
        for p in self._active.get(jurisdiction, []):
            if p.effective_from <= on_date:
                current = p
        return current

    def known_jurisdiction(self, jurisdiction: str) -> tuple[str, bool]:
        """(jurisdiction with a rule set, whether it was found by dropping code segments)."""
        code = (jurisdiction or "").strip().upper()
        candidate = code
        while candidate:
            if candidate in self._active:
                return candidate, candidate != code
            candidate = candidate.rpartition("-")[0]
        raise RuleNotConfigured.make(
            f"辖区「{jurisdiction}」没有规则集，也找不到其上级辖区的规则集",
            key="", jurisdiction=jurisdiction, on_date="", code=RulesetErrorCode.UNKNOWN_JURISDICTION,
        )

    def chain(self, jurisdiction: str, on_date: date) -> list[str]:
        """Most specific first: the jurisdiction, then its parents, ending with CN (JUR-01)."""
        versions = self._active[jurisdiction]
        structure = self.pack_on(jurisdiction, on_date) or versions[0]
        return [jurisdiction, *reversed(structure.inherits)]

    def keys_for(self, jurisdiction: str, on_date: date) -> list[tuple[str, str]]:
        """Every (key, kind) declared anywhere in the chain on a date."""
        jur, _ = self.known_jurisdiction(jurisdiction)
        found: set[tuple[str, str]] = set()
        for j in self.chain(jur, on_date):
            pack = self.pack_on(j, on_date)
            if pack is not None:
                found.update((e.key, e.kind) for e in pack.entries)
        return sorted(found)

    def meaning(self, key: str) -> str:
        for p in self.packs:
            for e in p.entries_for(key):
                if e.meaning:
                    return e.meaning
        return ""

    # --- resolution ------------------------------------------------------------------------------

    def resolve(self, key: str, jurisdiction: str, on_date: date, kind: str | None = None) -> Resolved:
        """Resolve one parameter (see module docstring). Raises RuleNotConfigured, never guesses."""
        canonical = self.aliases.get(key, key)
        kind = kind or None

        def not_configured(message: str, cls=RuleNotConfigured) -> RuleNotConfigured:
            return cls.make(message, key=canonical, jurisdiction=jurisdiction, on_date=on_date, kind=kind,
                            code=RulesetErrorCode.CONFLICT if cls is RuleConflict else RulesetErrorCode.NOT_CONFIGURED)

        warnings: list[RuleWarning] = []
        jur, fell_back = self.known_jurisdiction(jurisdiction)
        if fell_back:
            warnings.append(RuleWarning(WarningCode.JURISDICTION_FALLBACK, f"辖区 {jurisdiction} 没有单独的规则集，按上级辖区 {jur} 的规则集执行"))
        what = f"参数「{canonical}」" + (f"（种类 {kind}）" if kind else "")
        chain_packs = [(j, self.pack_on(j, on_date)) for j in self.chain(jur, on_date)]
        all_entries = [e for _, p in chain_packs if p is not None for e in p.entries_for(canonical)]
        if not all_entries:
            raise not_configured(f"{what}未配置：{jur}（含上级辖区）在 {on_date} 有效的规则集中没有该参数，系统不使用默认值")
        kinds = sorted({e.kind for e in all_entries if e.kind})
        if kinds and kind is None:
            raise not_configured(f"{what}按种类配置（{'、'.join(kinds)}），调用时须指定 kind")
        if not kinds and kind is not None:
            raise not_configured(f"参数「{canonical}」不分种类，不应指定 kind={kind}")
        candidates: list[_Candidate] = []
        for j, pack in chain_packs:
            if pack is None:
                continue
            entry = _entry_on([e for e in pack.entries_for(canonical) if e.kind == (kind or "")], on_date)
            if entry is not None:
                candidates.append(_Candidate(j, pack, entry))
        if not candidates:
            raise not_configured(f"{what}未配置：{jur}（含上级辖区）在 {on_date} 没有该种类的有效值（已配置种类：{'、'.join(kinds)}）")

        def missing_error(c: _Candidate) -> RuleNotConfigured:
            note = f"（{c.entry.notes}）" if c.entry.notes else ""
            return not_configured(
                f"{what}未配置：{c.jurisdiction} 规则集 {c.pack.version} 标明该数值未知（来源：{c.entry.source}{note}），"
                "须由管理员在规则包中配置后方可使用，系统不推测数值"
            )

        statute_idx = max((i for i, c in enumerate(candidates) if c.entry.strategy == Strategy.STATUTE_FLOOR), default=None)
        if statute_idx is not None:
            strategy = Strategy.STATUTE_FLOOR
            statute = candidates[statute_idx]
            if statute.entry.missing:
                raise missing_error(statute)
            local_pool = _drop_unapproved_overrides(candidates[: statute_idx + 1], warnings)
            local_pool = [c for c in local_pool if c is not statute]
            winners = [statute]
            if local_pool:
                local = local_pool[0]
                if local.entry.missing:
                    raise missing_error(local)
                bound = StatuteBound(statute.entry.statute_bound)
                if bound == StatuteBound.UPPER:
                    local_ok = _at_most(local.entry, statute.entry, not_configured)
                else:
                    local_ok = _at_most(statute.entry, local.entry, not_configured)
                if _equal(local.entry, statute.entry):
                    winners = [statute]  # same value: cite the higher-ranking, verified source
                elif local_ok:
                    winners = [local]
                else:
                    direction = "长于" if bound == StatuteBound.UPPER else "短于"
                    warnings.append(RuleWarning(
                        WarningCode.STATUTE_FLOOR_APPLIED,
                        f"{local.jurisdiction} 的规定（{_fmt(local.entry.value, local.entry.unit)}，{local.entry.source}）{direction}"
                        f"上位法（{_fmt(statute.entry.value, statute.entry.unit)}，{statute.entry.source}），依上位法优先适用法定值（JUR-02）",
                    ))
            value = winners[0].entry.value
        else:
            pool = _drop_unapproved_overrides(candidates, warnings)
            strategy = Strategy(pool[0].entry.strategy)
            if strategy == Strategy.LOCAL_OVERRIDE:
                if pool[0].entry.missing:
                    raise missing_error(pool[0])
                winners = [pool[0]]
                value = pool[0].entry.value
            else:
                for c in pool:
                    if c.entry.missing:
                        raise missing_error(c)
                if all(isinstance(c.entry.value, list) for c in pool):
                    if strategy != Strategy.AUTHORITY_STRICT:
                        raise not_configured(f"{what}：清单型参数只能用 AUTHORITY_STRICT（取并集）或 LOCAL_OVERRIDE", RuleConflict)
                    # AMB-12: the obligations of every level apply together (national baseline + local list).
                    winners = list(pool)
                    value = list(dict.fromkeys(item for c in reversed(pool) for item in c.entry.value))
                else:
                    best = pool[0]
                    for c in pool[1:]:
                        if strategy == Strategy.AUTHORITY_STRICT:
                            better = _at_most(c.entry, best.entry, not_configured) and not _equal(c.entry, best.entry)
                        else:
                            better = _at_most(best.entry, c.entry, not_configured) and not _equal(c.entry, best.entry)
                        if better:
                            best = c
                    winners = [best]
                    value = best.entry.value
        top = winners[0]
        for w in winners:
            warnings.extend(_entry_warnings(w, on_date))
        unique: list[RuleWarning] = list(dict.fromkeys(warnings))
        tag = max((w.entry.verification for w in winners), key=lambda t: _TAG_ORDER.index(Verification(t)))
        return Resolved(
            key=canonical,
            kind=kind,
            value=value,
            unit=top.entry.unit,
            jurisdiction_requested=jurisdiction,
            jurisdiction_used=top.jurisdiction if len(winners) == 1 else "、".join(w.jurisdiction for w in winners),
            version=top.pack.version,
            revision=top.pack.revision,
            ruleset_id=top.pack.ruleset_id,
            source="；".join(dict.fromkeys(w.entry.source for w in winners)),
            verification=tag,
            strategy=str(strategy),
            rule_ids=tuple(dict.fromkeys(r for w in winners for r in w.entry.rule_ids)),
            effective_from=top.entry.effective_from,
            effective_to=top.entry.effective_to,
            flags=frozenset().union(*(w.entry.flags for w in winners)),
            on_date=on_date,
            meaning=top.entry.meaning or self.meaning(canonical),
            warnings=tuple(unique),
        )

    def resolve_all(self, jurisdiction: str, on_date: date) -> list[tuple[str, str, Resolved | RuleNotConfigured]]:
        """Every parameter of the chain resolved for one jurisdiction and date (pages, docs)."""
        rows: list[tuple[str, str, Resolved | RuleNotConfigured]] = []
        for key, kind in self.keys_for(jurisdiction, on_date):
            try:
                rows.append((key, kind, self.resolve(key, jurisdiction, on_date, kind or None)))
            except RuleNotConfigured as exc:
                rows.append((key, kind, exc))
        return rows


def _entry_on(entries: list[ParamEntry], on_date: date) -> ParamEntry | None:
    """The dated entry in force; failing that the latest one already past its end (used with a
    warning, AMB-18); None if every entry starts after the date."""
    started = [e for e in entries if e.effective_from <= on_date]
    if not started:
        return None
    for e in started:
        if e.in_force_on(on_date):
            return e
    return max(started, key=lambda e: e.effective_from)


def _drop_unapproved_overrides(candidates: list[_Candidate], warnings: list[RuleWarning]) -> list[_Candidate]:
    """AMB-01: a local override awaiting legal sign-off does not displace a parent value."""
    kept: list[_Candidate] = []
    for i, c in enumerate(candidates):
        e = c.entry
        pending = e.strategy == Strategy.LOCAL_OVERRIDE and Flag.NEEDS_LEGAL_SIGNOFF in e.flags and not e.signed_off
        if pending and i < len(candidates) - 1:
            warnings.append(RuleWarning(
                WarningCode.OVERRIDE_NOT_APPROVED,
                f"{c.jurisdiction} 的地方规定（{_fmt(e.value, e.unit)}，{e.source}）须经法律顾问确认后方可适用，"
                "确认前按上级规定执行",
            ))
            continue
        kept.append(c)
    return kept


def _rank(entry: ParamEntry) -> tuple[Any, int | None]:
    if is_period_unit(entry.value):
        return 0, PERIOD_UNIT_RANK[entry.value]
    return entry.value, PERIOD_UNIT_RANK.get(entry.unit)


def _equal(a: ParamEntry, b: ParamEntry) -> bool:
    return a.value == b.value and (a.unit == b.unit or is_period_unit(a.value))


def _at_most(a: ParamEntry, b: ParamEntry, not_configured) -> bool:
    """True if `a` is no longer/larger than `b`. n CD is never longer than n WD (CAL-10 vs CAL-08);
    a pair like 3 WD vs 5 CD cannot be ordered and is a configuration conflict."""
    (av, au), (bv, bu) = _rank(a), _rank(b)
    if a.unit != b.unit and not (is_period_unit(a.value) and is_period_unit(b.value)):
        if au is None or bu is None:
            raise not_configured(f"参数「{a.key}」各级取值单位不同（{a.unit or '无'} 与 {b.unit or '无'}），无法比较", RuleConflict)
    if not (is_number(av) and is_number(bv)):
        raise not_configured(f"参数「{a.key}」的取值「{a.value}」与「{b.value}」无法比较大小", RuleConflict)
    if au is None or bu is None or au == bu:
        return av <= bv
    if av <= bv and au <= bu:
        return True
    if bv <= av and bu <= au:
        return False
    raise not_configured(
        f"参数「{a.key}」的取值 {_fmt(a.value, a.unit)} 与 {_fmt(b.value, b.unit)} 单位不同且无法判断长短，请在规则包中统一",
        RuleConflict,
    )


def _entry_warnings(c: _Candidate, on_date: date) -> list[RuleWarning]:
    e, result = c.entry, []
    if e.effective_to is not None and on_date > e.effective_to:
        result.append(RuleWarning(WarningCode.EXPIRED, f"该规定有效期至 {e.effective_to}，已过期且尚无后续规定，仍沿用并提示（AMB-18）"))
        if e.superseded_by:
            result.append(RuleWarning(WarningCode.SUPERSEDED, f"所依据的规定已被{e.superseded_by}取代，须由法律团队重新核对（AMB-18）"))
        if Flag.EXTENSION_UNVERIFIED in e.flags:
            result.append(RuleWarning(WarningCode.EXTENSION_UNVERIFIED, f"试点期已于 {e.effective_to} 届满，是否延期未核实（JUR-03）"))
    if c.pack.effective_to is not None and on_date > c.pack.effective_to:
        result.append(RuleWarning(WarningCode.RULESET_EXPIRED, f"{c.pack.label} 规则集有效期至 {c.pack.effective_to}，已过期"))
    if e.verification == Verification.U:
        result.append(RuleWarning(WarningCode.UNVERIFIED, "未核实，仅作提示"))
    if Flag.NEEDS_LEGAL_SIGNOFF in e.flags and not e.signed_off:
        result.append(RuleWarning(WarningCode.NEEDS_SIGNOFF, "需法律顾问确认，尚未签署"))
    if Flag.POSSIBLY_SUPERSEDED in e.flags:
        result.append(RuleWarning(WarningCode.POSSIBLY_SUPERSEDED, "该规定可能已被后续规定取代，请核实（AMB-18）"))
    if Flag.ANALOGY in e.flags:
        result.append(RuleWarning(WarningCode.ANALOGY, "类推适用，法律未明文规定（CAL-10）"))
    if Flag.ADVISORY in e.flags:
        result.append(RuleWarning(WarningCode.ADVISORY, "建议性规定：超出时提示并记录理由，不阻断"))
    if Flag.LOCAL_POLICY in e.flags:
        result.append(RuleWarning(WarningCode.LOCAL_POLICY, "地方政策取值，须在界面中标明（AMB-08）"))
    if Flag.DESIGN_CHOICE in e.flags:
        result.append(RuleWarning(WarningCode.DESIGN_CHOICE, "设计默认值，非法定数值"))
    return result


@functools.lru_cache(maxsize=4)
def file_rulebook(directory: str = str(PACKS_DIR)) -> Rulebook:
    """The rulebook of the pack files shipped in the repository (pure; no database)."""
    return Rulebook(read_pack_dir(Path(directory)))


def resolve(key: str, jurisdiction: str, on_date: date, kind: str | None = None, *, rulebook: Rulebook | None = None) -> Resolved:
    """Resolve a parameter from `rulebook` (default: the shipped pack files)."""
    return (rulebook or file_rulebook()).resolve(key, jurisdiction, on_date, kind)
