"""Rule packs: parsing and validation of the YAML files in `zhifa/rulesets/packs/` (pure, no Django).

One file = one version of one jurisdiction's rule set (JUR-01, RULES §12.1). The parser turns a
file into a `Pack` holding flat `ParamEntry` rows (one per key, kind and dated period) and reports
every problem in Chinese at once, naming the file and the parameter.

File layout (see docs/rulesets.md for the full description)::

    jurisdiction: CN-SH-PUTUO
    name: 上海市普陀区
    inherits: [CN, CN-SH]
    version: "2023-11-21"
    effective_from: 2023-11-21
    sources: [{code: S2-P, title: ..., verification: S}]
    params:
      pub.withdraw_wd:
        meaning: 决定被撤销/变更后撤下公示信息的期限
        unit: WD
        rule_ids: [PUB-26, AMB-02]
        kinds:
          PENALTY: {value: 7, strategy: LOCAL_OVERRIDE, source: "S2-P §9(三)", verification: S}

Attributes given on the parameter apply to its kinds and periods unless they set their own;
`rule_ids` and `flags` accumulate.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from .choices import PERIOD_UNIT_RANK, UNIT_LABELS, Flag, StatuteBound, Strategy, Verification
from .errors import PackValidationError

PACKS_DIR = Path(__file__).resolve().parent / "packs"

JURISDICTION_RE = re.compile(r"^CN(-[A-Z]+)*$")
KEY_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
KIND_RE = re.compile(r"^[A-Z][A-Z0-9_]*$")
RULE_ID_RE = re.compile(r"^[A-Z]{2,4}-[A-Z]?\d{2}$")

TOP_KEYS = {"jurisdiction", "name", "inherits", "version", "effective_from", "effective_to", "sources", "params", "notes"}
REQUIRED_TOP_KEYS = ("jurisdiction", "name", "version", "effective_from", "sources", "params")
SOURCE_KEYS = {"code", "title", "document_no", "issued", "in_force", "until", "verification", "notes"}
ENTRY_ATTRS = {
    "meaning", "value", "missing", "unit", "strategy", "statute_bound", "source", "verification",
    "rule_ids", "effective_from", "effective_to", "flags", "notes", "superseded_by", "legal_signoff",
}
PARAM_ONLY_ATTRS = {"kinds", "aliases"}
ACCUMULATING_ATTRS = ("rule_ids", "flags")


@dataclass(frozen=True)
class ParamEntry:
    """One value of one parameter (key, kind) for one dated period in one pack."""

    key: str
    kind: str
    value: Any
    missing: bool
    unit: str
    strategy: str
    statute_bound: str
    source: str
    verification: str
    rule_ids: tuple[str, ...]
    effective_from: date
    effective_to: date | None
    flags: frozenset[str] = frozenset()
    meaning: str = ""
    notes: str = ""
    superseded_by: str = ""
    aliases: tuple[str, ...] = ()
    legal_signoff: dict | None = None

    def in_force_on(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)

    @property
    def signed_off(self) -> bool:
        return bool(self.legal_signoff)


@dataclass(frozen=True)
class Pack:
    """One version (and revision) of one jurisdiction's rule set.

    `effective_to` is the last day in force (inclusive), as in JUR-03 ("S1 … to 2025-11-30").
    `revision` counts changed re-loads of the same version (0 for a pack read from a file);
    `ruleset_id` is the database row once loaded.
    """

    jurisdiction: str
    name: str
    version: str
    effective_from: date
    effective_to: date | None
    inherits: tuple[str, ...]
    sources: tuple[dict, ...]
    entries: tuple[ParamEntry, ...]
    sha256: str
    file_name: str = ""
    notes: str = ""
    revision: int = 0
    ruleset_id: int | None = None
    _by_key: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        index: dict[str, list[ParamEntry]] = {}
        for entry in self.entries:
            index.setdefault(entry.key, []).append(entry)
        object.__setattr__(self, "_by_key", {k: tuple(v) for k, v in index.items()})

    def entries_for(self, key: str) -> tuple[ParamEntry, ...]:
        return self._by_key.get(key, ())

    @property
    def keys(self) -> list[str]:
        return sorted(self._by_key)

    @property
    def label(self) -> str:
        return f"{self.jurisdiction} {self.version}" + (f"（修订{self.revision}）" if self.revision > 1 else "")


# --- parsing ------------------------------------------------------------------------------------


def _as_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _plain_value(value: Any, where: str, problems: list[str]) -> Any:
    """Make a YAML value JSON-safe (dates become ISO strings)."""
    if isinstance(value, date):
        return value.isoformat()
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, list):
        return [_plain_value(v, where, problems) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain_value(v, where, problems) for k, v in value.items()}
    problems.append(f"{where}：不支持的取值类型 {type(value).__name__}")
    return None


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def is_period_unit(value: Any) -> bool:
    return isinstance(value, str) and value in PERIOD_UNIT_RANK


def parse_pack(raw: bytes | str, file_name: str = "<内存>") -> Pack:
    """Parse and validate one pack; raises PackValidationError listing every problem (JUR-01)."""
    data = raw.encode("utf-8") if isinstance(raw, str) else raw
    sha = hashlib.sha256(data).hexdigest()
    try:
        doc = yaml.safe_load(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise PackValidationError.from_problems([f"{file_name}：文件不是 UTF-8 编码"]) from None
    except ValueError as exc:  # e.g. an impossible date such as 2024-13-01 written unquoted
        raise PackValidationError.from_problems([f"{file_name}：YAML 中有无效的取值（{exc}），日期应为 YYYY-MM-DD"]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第{mark.line + 1}行第{mark.column + 1}列" if mark is not None else ""
        raise PackValidationError.from_problems([f"{file_name}：YAML 格式错误 {where}（{getattr(exc, 'problem', exc)}）"]) from None
    problems: list[str] = []
    pack = _build_pack(doc, file_name, sha, problems)
    if problems or pack is None:
        raise PackValidationError.from_problems(problems)
    return pack


def _build_pack(doc: Any, fn: str, sha: str, problems: list[str]) -> Pack | None:
    if not isinstance(doc, dict):
        problems.append(f"{fn}：文件顶层必须是映射（jurisdiction、version、params 等）")
        return None
    for extra in sorted(set(map(str, doc)) - TOP_KEYS):
        problems.append(f"{fn}：未知的顶层字段「{extra}」")
    for required in REQUIRED_TOP_KEYS:
        if doc.get(required) in (None, "", [], {}):
            hint = "（JUR-01：每条规则须有生效日期）" if required == "effective_from" else ""
            problems.append(f"{fn}：缺少必填字段「{required}」{hint}")
    jurisdiction = str(doc.get("jurisdiction") or "")
    if jurisdiction and not JURISDICTION_RE.match(jurisdiction):
        problems.append(f"{fn}：辖区代码「{jurisdiction}」格式不正确（应如 CN、CN-SH、CN-SH-PUTUO）")
    version = str(doc.get("version") or "")
    pack_from = _as_date(doc.get("effective_from"))
    if doc.get("effective_from") not in (None, "") and pack_from is None:
        problems.append(f"{fn}：effective_from「{doc.get('effective_from')}」不是有效日期（应为 YYYY-MM-DD）")
    pack_to = None
    if doc.get("effective_to") not in (None, ""):
        pack_to = _as_date(doc.get("effective_to"))
        if pack_to is None:
            problems.append(f"{fn}：effective_to「{doc.get('effective_to')}」不是有效日期")
        elif pack_from and pack_to < pack_from:
            problems.append(f"{fn}：effective_to 早于 effective_from")
    inherits = doc.get("inherits") or []
    if not isinstance(inherits, list) or not all(isinstance(i, str) and JURISDICTION_RE.match(i) for i in inherits):
        problems.append(f"{fn}：inherits 必须是辖区代码列表（如 [CN, CN-SH]）")
        inherits = []
    if jurisdiction in inherits:
        problems.append(f"{fn}：辖区不能继承自身")
    if jurisdiction and jurisdiction != "CN" and inherits[:1] != ["CN"]:
        problems.append(f"{fn}：地方规则集必须以全国规则集 CN 为继承链起点（JUR-01）")
    sources = _parse_sources(doc.get("sources"), fn, problems)
    params = doc.get("params")
    entries: list[ParamEntry] = []
    if params is not None and not isinstance(params, dict):
        problems.append(f"{fn}：params 必须是「参数键: 定义」的映射")
    elif isinstance(params, dict) and pack_from is not None:
        for key, spec in params.items():
            entries.extend(_parse_param(str(key), spec, fn, pack_from, pack_to, problems))
    if problems:
        return None
    return Pack(
        jurisdiction=jurisdiction,
        name=str(doc["name"]),
        version=version,
        effective_from=pack_from,
        effective_to=pack_to,
        inherits=tuple(inherits),
        sources=tuple(sources),
        entries=tuple(entries),
        sha256=sha,
        file_name=fn,
        notes=str(doc.get("notes") or ""),
    )


def _parse_sources(sources: Any, fn: str, problems: list[str]) -> list[dict]:
    if sources is None:
        return []
    if not isinstance(sources, list):
        problems.append(f"{fn}：sources 必须是来源文件列表")
        return []
    result = []
    for i, src in enumerate(sources, start=1):
        if not isinstance(src, dict):
            problems.append(f"{fn}：sources 第{i}项必须是映射")
            continue
        for extra in sorted(set(map(str, src)) - SOURCE_KEYS):
            problems.append(f"{fn}：sources 第{i}项有未知字段「{extra}」")
        if not src.get("code") or not src.get("title"):
            problems.append(f"{fn}：sources 第{i}项缺少 code 或 title")
        tag = src.get("verification")
        if tag is not None and tag not in Verification.__members__:
            problems.append(f"{fn}：sources 第{i}项的核实标记「{tag}」未知（应为 L/W/S/U）")
        result.append(_plain_value(src, f"{fn} sources 第{i}项", problems))
    return result


def _merge(outer: dict, inner: dict) -> dict:
    merged = dict(outer)
    for name, value in inner.items():
        if name in ACCUMULATING_ATTRS:
            merged[name] = list(outer.get(name) or []) + list(value or [])
        else:
            merged[name] = value
    return merged


def _split(spec: dict, allowed: set[str], where: str, problems: list[str]) -> dict:
    for extra in sorted(set(map(str, spec)) - allowed):
        problems.append(f"{where}：未知字段「{extra}」")
    return {k: v for k, v in spec.items() if k in ENTRY_ATTRS}


def _parse_param(key: str, spec: Any, fn: str, pack_from: date, pack_to: date | None, problems: list[str]) -> list[ParamEntry]:
    where = f"{fn} 参数「{key}」"
    if not KEY_RE.match(key):
        problems.append(f"{where}：参数键格式不正确（应为小写点分，如 pub.deadline_wd）")
    if not isinstance(spec, dict):
        problems.append(f"{where}：定义必须是映射")
        return []
    aliases = spec.get("aliases") or []
    if not isinstance(aliases, list) or not all(isinstance(a, str) and KEY_RE.match(a) for a in aliases):
        problems.append(f"{where}：aliases 必须是参数键列表")
        aliases = []
    base = _split(spec, ENTRY_ATTRS | PARAM_ONLY_ATTRS | {"periods"}, where, problems)
    kinds = spec.get("kinds")
    if kinds is not None and "periods" in spec:
        problems.append(f"{where}：已按种类（kinds）配置时，时段（periods）须写在各种类之下")
    raw: list[tuple[str, dict, str]] = []  # (kind, attrs, where)
    if kinds is not None:
        if not isinstance(kinds, dict) or not kinds:
            problems.append(f"{where}：kinds 必须是「种类: 定义」的非空映射")
            return []
        for kind, kspec in kinds.items():
            kwhere = f"{where} 种类「{kind}」"
            if not isinstance(kind, str) or not KIND_RE.match(kind):
                problems.append(f"{kwhere}：种类名须为大写字母、数字或下划线")
                continue
            if not isinstance(kspec, dict):
                problems.append(f"{kwhere}：定义必须是映射")
                continue
            kattrs = _merge(base, _split(kspec, ENTRY_ATTRS | {"periods"}, kwhere, problems))
            raw.extend(_expand_periods(kind, kattrs, kspec.get("periods"), kwhere, problems))
    else:
        raw.extend(_expand_periods("", base, spec.get("periods"), where, problems))
    entries = [e for e in (_make_entry(key, kind, attrs, w, pack_from, pack_to, tuple(aliases), problems) for kind, attrs, w in raw) if e]
    _check_overlaps(entries, where, problems)
    return entries


def _expand_periods(kind: str, attrs: dict, periods: Any, where: str, problems: list[str]) -> list[tuple[str, dict, str]]:
    if periods is None:
        return [(kind, attrs, where)]
    if not isinstance(periods, list) or not periods:
        problems.append(f"{where}：periods 必须是非空列表")
        return []
    result = []
    for i, pspec in enumerate(periods, start=1):
        pwhere = f"{where} 第{i}时段"
        if not isinstance(pspec, dict):
            problems.append(f"{pwhere}：定义必须是映射")
            continue
        result.append((kind, _merge(attrs, _split(pspec, ENTRY_ATTRS, pwhere, problems)), pwhere))
    return result


def _make_entry(key: str, kind: str, a: dict, where: str, pack_from: date, pack_to: date | None,
                aliases: tuple[str, ...], problems: list[str]) -> ParamEntry | None:
    count = len(problems)
    strategy = a.get("strategy")
    if strategy is None:
        problems.append(f"{where}：缺少解决策略 strategy")
    elif strategy not in Strategy.__members__:
        problems.append(f"{where}：未知的解决策略「{strategy}」（应为 STATUTE_FLOOR、LOCAL_OVERRIDE、PARTY_FAVOURABLE 或 AUTHORITY_STRICT）")
    tag = a.get("verification")
    if tag is None:
        problems.append(f"{where}：缺少核实标记 verification（L/W/S/U）")
    elif tag not in Verification.__members__:
        problems.append(f"{where}：未知的核实标记「{tag}」（应为 L、W、S 或 U）")
    source = a.get("source")
    if not isinstance(source, str) or not source.strip():
        problems.append(f"{where}：缺少来源 source（法条或种子文件条款，JUR-01）")
    rule_ids = a.get("rule_ids") or []
    if not isinstance(rule_ids, list) or not rule_ids:
        problems.append(f"{where}：缺少所服务的规则编号 rule_ids")
        rule_ids = []
    for rid in rule_ids:
        if not isinstance(rid, str) or not RULE_ID_RE.match(rid):
            problems.append(f"{where}：规则编号「{rid}」格式不正确（应如 HRG-04、CLU-S03）")
    unit = a.get("unit") or ""
    if unit and unit not in UNIT_LABELS:
        problems.append(f"{where}：未知的单位「{unit}」（可用：{'、'.join(UNIT_LABELS)}）")
    flags = a.get("flags") or []
    if not isinstance(flags, list):
        problems.append(f"{where}：flags 必须是列表")
        flags = []
    for flag in flags:
        if flag not in {f.value for f in Flag}:
            problems.append(f"{where}：未知的标志「{flag}」")
    eff_from = pack_from
    if a.get("effective_from") not in (None, ""):
        eff_from = _as_date(a.get("effective_from"))
        if eff_from is None:
            problems.append(f"{where}：effective_from「{a.get('effective_from')}」不是有效日期")
        elif eff_from < pack_from:
            problems.append(f"{where}：生效日期 {eff_from} 早于规则集生效日期 {pack_from}")
    eff_to = pack_to
    if a.get("effective_to") not in (None, ""):
        eff_to = _as_date(a.get("effective_to"))
        if eff_to is None:
            problems.append(f"{where}：effective_to「{a.get('effective_to')}」不是有效日期")
        elif eff_from and eff_to < eff_from:
            problems.append(f"{where}：effective_to 早于 effective_from")
        elif pack_to and eff_to > pack_to:
            problems.append(f"{where}：失效日期晚于规则集失效日期 {pack_to}")
    missing = a.get("missing", False)
    if not isinstance(missing, bool):
        problems.append(f"{where}：missing 只能是 true 或 false")
        missing = False
    has_value = "value" in a and a.get("value") is not None
    if missing and has_value:
        problems.append(f"{where}：标记为 missing（数值未知）时不能同时给出 value")
    if not missing and not has_value:
        problems.append(f"{where}：缺少 value；数值未知时须写 missing: true 并标注 verification: U，不得编造")
    value = _plain_value(a.get("value"), where, problems) if has_value else None
    bound = a.get("statute_bound")
    if bound is not None and strategy != Strategy.STATUTE_FLOOR:
        problems.append(f"{where}：statute_bound 只适用于 STATUTE_FLOOR")
    if bound is not None and bound not in {b.value for b in StatuteBound}:
        problems.append(f"{where}：statute_bound 应为 upper 或 lower")
    if has_value and strategy in Strategy.__members__:
        _check_value_for_strategy(Strategy(strategy), value, where, problems)
    signoff = a.get("legal_signoff")
    if signoff is not None:
        if not isinstance(signoff, dict) or not signoff.get("by") or _as_date(signoff.get("date")) is None or not signoff.get("reference"):
            problems.append(f"{where}：legal_signoff 须写明 by（签署人）、date（日期）和 reference（文号）")
        else:
            signoff = _plain_value(signoff, where, problems)
    for text_attr in ("meaning", "notes", "superseded_by"):
        if a.get(text_attr) is not None and not isinstance(a.get(text_attr), str):
            problems.append(f"{where}：{text_attr} 必须是文本")
    if len(problems) > count:
        return None
    return ParamEntry(
        key=key,
        kind=kind,
        value=value,
        missing=missing,
        unit=unit,
        strategy=str(strategy),
        statute_bound=str(bound or StatuteBound.UPPER),
        source=source.strip(),
        verification=str(tag),
        rule_ids=tuple(dict.fromkeys(rule_ids)),
        effective_from=eff_from,
        effective_to=eff_to,
        flags=frozenset(flags),
        meaning=str(a.get("meaning") or ""),
        notes=str(a.get("notes") or ""),
        superseded_by=str(a.get("superseded_by") or ""),
        aliases=aliases,
        legal_signoff=signoff or None,
    )


def _check_value_for_strategy(strategy: Strategy, value: Any, where: str, problems: list[str]) -> None:
    comparable = is_number(value) or is_period_unit(value)
    if strategy in (Strategy.STATUTE_FLOOR, Strategy.PARTY_FAVOURABLE) and not comparable:
        problems.append(f"{where}：策略 {strategy} 需要可比较的数值（数字或 CD/WD），实际为「{value}」")
    if strategy == Strategy.AUTHORITY_STRICT and not (comparable or isinstance(value, list)):
        problems.append(f"{where}：策略 AUTHORITY_STRICT 需要数字、CD/WD 或清单（清单取并集）")


def _check_overlaps(entries: list[ParamEntry], where: str, problems: list[str]) -> None:
    by_kind: dict[str, list[ParamEntry]] = {}
    for e in entries:
        by_kind.setdefault(e.kind, []).append(e)
    for kind, group in by_kind.items():
        group.sort(key=lambda e: e.effective_from)
        for prev, nxt in zip(group, group[1:]):
            if prev.effective_to is None or prev.effective_to >= nxt.effective_from:
                label = f"种类「{kind}」" if kind else ""
                problems.append(f"{where}{label}：时段重叠（{prev.effective_from} 起与 {nxt.effective_from} 起）")


# --- directories and cross-pack checks ------------------------------------------------------------


def pack_files(directory: Path | str = PACKS_DIR) -> list[Path]:
    return sorted(p for p in Path(directory).iterdir() if p.suffix in {".yaml", ".yml"} and p.is_file())


def read_pack_dir(directory: Path | str = PACKS_DIR) -> list[Pack]:
    """Parse every pack in a directory and check them together; all problems are reported at once."""
    packs: list[Pack] = []
    problems: list[str] = []
    files = pack_files(directory)
    if not files:
        raise PackValidationError.from_problems([f"目录 {directory} 中没有规则包（*.yaml）"])
    for path in files:
        try:
            packs.append(parse_pack(path.read_bytes(), path.name))
        except PackValidationError as exc:
            problems.extend(exc.problems)
    if not problems:
        problems.extend(check_pack_set(packs))
    if problems:
        raise PackValidationError.from_problems(problems)
    return sorted(packs, key=lambda p: (len(p.inherits), p.jurisdiction, p.effective_from))


def check_pack_set(packs: Iterable[Pack]) -> list[str]:
    """Cross-pack checks: versions unique, inheritance chains consistent, keys used consistently."""
    problems: list[str] = []
    packs = list(packs)
    by_jur: dict[str, list[Pack]] = {}
    for p in packs:
        by_jur.setdefault(p.jurisdiction, []).append(p)
    if "CN" not in by_jur:
        problems.append("缺少全国规则集 CN（JUR-01：以全国规则集为基础）")
    seen: dict[tuple[str, str, int], str] = {}
    for p in packs:
        ident = (p.jurisdiction, p.version, p.revision)
        if ident in seen:
            problems.append(f"{p.file_name}：辖区 {p.jurisdiction} 的版本 {p.version} 与 {seen[ident]} 重复")
        seen[ident] = p.file_name
    for jur, group in by_jur.items():
        latest = latest_revisions(group)
        starts: dict[date, str] = {}
        for p in latest:
            if p.effective_from in starts:
                problems.append(f"{p.file_name}：辖区 {jur} 的两个版本自同一日期 {p.effective_from} 生效（{starts[p.effective_from]}）")
            starts[p.effective_from] = p.version
    for p in packs:
        for parent in p.inherits:
            if parent not in by_jur:
                problems.append(f"{p.file_name}：继承的辖区 {parent} 没有规则集")
        if p.inherits and p.inherits[-1] in by_jur:
            parent_pack = max(by_jur[p.inherits[-1]], key=lambda x: (x.effective_from, x.revision))
            if tuple(parent_pack.inherits) != tuple(p.inherits[:-1]):
                problems.append(
                    f"{p.file_name}：继承链不一致：{p.jurisdiction} 继承 {list(p.inherits)}，"
                    f"但上级 {parent_pack.jurisdiction} 继承 {list(parent_pack.inherits)}"
                )
    kinded: dict[str, set[bool]] = {}
    meanings: dict[str, bool] = {}
    alias_of: dict[str, str] = {}
    for p in packs:
        for e in p.entries:
            kinded.setdefault(e.key, set()).add(bool(e.kind))
            meanings[e.key] = meanings.get(e.key, False) or bool(e.meaning)
            for alias in e.aliases:
                if alias_of.setdefault(alias, e.key) != e.key:
                    problems.append(f"{p.file_name}：别名 {alias} 同时指向 {alias_of[alias]} 和 {e.key}")
    for key, flags in sorted(kinded.items()):
        if len(flags) > 1:
            problems.append(f"参数「{key}」在有的规则集中按种类配置、在有的规则集中不分种类，须统一")
        if not meanings[key]:
            problems.append(f"参数「{key}」在任何规则集中都没有 meaning（含义说明）")
    for alias, key in sorted(alias_of.items()):
        if alias in kinded:
            problems.append(f"别名 {alias}（指向 {key}）与一个参数键重名")
    return problems


def latest_revisions(packs: Iterable[Pack]) -> list[Pack]:
    """Per version keep only the highest revision: a re-loaded changed file supersedes its predecessor."""
    best: dict[str, Pack] = {}
    for p in packs:
        if p.version not in best or p.revision > best[p.version].revision:
            best[p.version] = p
    return list(best.values())
