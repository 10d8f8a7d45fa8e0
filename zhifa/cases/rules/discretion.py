"""Discretion (裁量, DSC-01…DSC-05) and the fines of 一案双罚 and accidents (DEC-04…DEC-06, DEC-10).

A benchmark (裁量基准, APL art. 34) is kept in the rule set (`discretion.benchmarks`, a list of
entries read with `benchmark_from_value`): the cited article, its statutory range and the bands of
circumstances inside it. Kinds:

- RANGE: a fine between `statutory_min` and `statutory_max` yuan; bands are amounts in yuan.
- PCT_OF_INCOME: a share of the previous year's income (WSL arts. 95, 96); `statutory_min/max` and
  the bands are shares (0.4 = 40 %). Equal bounds mean a fixed share: the fine is computed, not
  chosen (DSC-03).

Proposing a band (DSC-01, S3 (十二)): the six dimensions are each scored LIGHTER (−1), NORMAL (0)
or HEAVIER (+1); the net score (−6…+6) selects the band: ≤ −2 从轻, −1…+1 一般, +2…+3 从重,
≥ +4 严重 (where the benchmark has a 严重 band, otherwise 从重). One aggravating or mitigating
factor alone does not leave the normal band; two net factors do. A benchmark lacking the selected
band falls back to the nearest band it has (the lighter one on a tie, in the party's favour). The officer then chooses the fine inside the
statutory range; a fine outside the proposed band is flagged for legal review (DSC-03, LRV-04 item
7), a fine outside the statutory range is refused.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from types import MappingProxyType
from typing import Any

from .findings import Finding, RuleInputError, rule_input_error
from .penalties import PenaltyType, parse_types

DIMENSIONS: Mapping[str, str] = MappingProxyType({
    "RISK": "安全风险",
    "CIRCUMSTANCE_MANNER": "违法情节和手段",
    "CONSEQUENCE_IMPACT": "危害后果和社会影响",
    "FAULT": "主观过错程度",
    "CORRECTION": "整改纠正情况",
    "COOPERATION": "配合调查态度",
})
SCORES: Mapping[str, int] = MappingProxyType({"LIGHTER": -1, "NORMAL": 0, "HEAVIER": 1})
SCORE_LABELS: Mapping[str, str] = MappingProxyType({"LIGHTER": "从轻", "NORMAL": "一般", "HEAVIER": "从重"})

BAND_ORDER = ("LIGHTER", "NORMAL", "HEAVIER", "SEVERE")
BAND_LABELS: Mapping[str, str] = MappingProxyType({"LIGHTER": "从轻", "NORMAL": "一般", "HEAVIER": "从重", "SEVERE": "严重", "FIXED": "法定比例"})
KINDS = ("RANGE", "PCT_OF_INCOME")
KIND_LABELS: Mapping[str, str] = MappingProxyType({"RANGE": "罚款幅度", "PCT_OF_INCOME": "按上一年年收入的比例"})

REASONING_KEYS: Mapping[str, str] = MappingProxyType({
    "facts": "认定的事实（事理）",
    "law": "适用的法律依据（法理）",
    "discretion": "裁量的理由（道理）",
    "statements_response": "对当事人陈述、申辩是否采纳及理由（情理）",
})

ACCIDENT_GRADES: Mapping[str, str] = MappingProxyType({
    "GENERAL": "一般事故", "LARGER": "较大事故", "MAJOR": "重大事故", "ESPECIALLY_MAJOR": "特别重大事故",
})
# WSL art. 95: the principal person's fine as a share of the previous year's income.
WSL95_SHARES: Mapping[str, Decimal] = MappingProxyType({
    "GENERAL": Decimal("0.4"), "LARGER": Decimal("0.6"), "MAJOR": Decimal("0.8"), "ESPECIALLY_MAJOR": Decimal("1.0"),
})
# WSL art. 114 para 1: fines on the unit responsible for an accident, by grade (yuan).
WSL114_RANGES: Mapping[str, tuple[Decimal, Decimal]] = MappingProxyType({
    "GENERAL": (Decimal("300000"), Decimal("1000000")),
    "LARGER": (Decimal("1000000"), Decimal("2000000")),
    "MAJOR": (Decimal("2000000"), Decimal("10000000")),
    "ESPECIALLY_MAJOR": (Decimal("10000000"), Decimal("20000000")),
})
WSL114_MULTIPLIER = (Decimal("2"), Decimal("5"))  # para 2: particularly serious circumstances
WSL94_RANGE = (Decimal("20000"), Decimal("50000"))  # para 1: principal person
WSL94_OVERDUE_RANGE = (Decimal("50000"), Decimal("100000"))  # para 1: not corrected in time
WSL96_RANGE = (Decimal("10000"), Decimal("30000"))  # other responsible persons, safety managers
WSL96_ACCIDENT_SHARES = (Decimal("0.2"), Decimal("0.5"))  # ... where an accident resulted

YUAN = Decimal("1")
CENT = Decimal("0.01")
SHARE = Decimal("0.0001")


# --- values -------------------------------------------------------------------------------------


def _dec(value: Any, what: str, rule: str = "DSC-03") -> Decimal:
    if isinstance(value, bool):
        raise rule_input_error(f"{what}不是有效的数值", rule=rule)
    try:
        result = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise rule_input_error(f"{what}「{value}」不是有效的数值", rule=rule) from None
    if not result.is_finite():
        raise rule_input_error(f"{what}不是有效的数值", rule=rule)
    return result


def _yuan(amount: Decimal) -> str:
    text = format(amount.quantize(CENT, ROUND_HALF_UP), "f")
    return text[:-3] if text.endswith(".00") else text


def _pct(share: Decimal) -> str:
    return f"{(share * 100).normalize():f}%"


@dataclass(frozen=True)
class Band:
    """A band of circumstances: amounts in yuan (RANGE) or shares of income (PCT_OF_INCOME)."""

    code: str
    label: str
    min: Decimal
    max: Decimal

    def contains(self, value: Decimal) -> bool:
        return self.min <= value <= self.max  # CAL-11: bounds included


@dataclass(frozen=True)
class Benchmark:
    """One violation's discretion benchmark (DSC-01) with its statutory range (DSC-03)."""

    code: str
    article: str
    statutory_min: Decimal
    statutory_max: Decimal
    kind: str
    bands: tuple[Band, ...]
    title: str = ""
    party_kind: str = ""
    scenarios: tuple[str, ...] = ()
    verification: str = "U"
    valid_from: date | None = None
    valid_to: date | None = None
    superseded_by: str = ""
    accompanying_types: tuple[str, ...] = ()
    notes: str = ""

    @property
    def fixed(self) -> bool:
        """A fixed share of income (WSL art. 95): computed, never chosen."""
        return self.kind == "PCT_OF_INCOME" and self.statutory_min == self.statutory_max

    def band(self, code: str) -> Band:
        for b in self.bands:
            if b.code == code:
                return b
        raise rule_input_error(f"裁量基准「{self.code}」没有「{BAND_LABELS.get(code, code)}」档次", rule="DSC-01", field="band")

    def scale(self, value: Decimal, income: Decimal | None) -> Decimal:
        """An amount in yuan for a bound of this benchmark (shares × income for PCT_OF_INCOME)."""
        if self.kind == "RANGE":
            return value
        if income is None:
            raise rule_input_error(f"「{self.article}」按上一年年收入比例计算罚款，须先取得年收入证据（DEC-05）", rule="DEC-05", field="income")
        return (value * income).quantize(CENT, ROUND_HALF_UP)

    def range_for(self, income: Decimal | None = None) -> tuple[Decimal, Decimal]:
        """The statutory range in yuan."""
        return self.scale(self.statutory_min, income), self.scale(self.statutory_max, income)

    def band_range(self, band: Band, income: Decimal | None = None) -> tuple[Decimal, Decimal]:
        return self.scale(band.min, income), self.scale(band.max, income)

    def describe(self) -> str:
        if self.kind == "RANGE":
            return f"{self.article}：{_yuan(self.statutory_min)}元至{_yuan(self.statutory_max)}元"
        if self.fixed:
            return f"{self.article}：上一年年收入的{_pct(self.statutory_min)}"
        return f"{self.article}：上一年年收入的{_pct(self.statutory_min)}至{_pct(self.statutory_max)}"


def benchmark_from_value(value: Mapping[str, Any]) -> Benchmark:
    """Parse one entry of the rule-set value `discretion.benchmarks` (DSC-01), validating it.

    Bands are written either as shares of the statutory range (`share_from`, `share_to`, 0…1; RANGE
    amounts are rounded to whole yuan) or as explicit bounds (`min`, `max`). They must be in order
    (从轻, 一般, 从重, 严重), lie inside the statutory range and cover it without gaps.
    """
    if not isinstance(value, Mapping):
        raise rule_input_error("裁量基准条目必须是映射", rule="DSC-01")
    code = str(value.get("code") or "").strip()

    def bad(message: str) -> RuleInputError:
        return rule_input_error(f"裁量基准「{code or '（无编号）'}」配置错误：{message}", rule="DSC-01")

    if not code:
        raise bad("缺少编号 code")
    article = str(value.get("article") or "").strip()
    if not article:
        raise bad("缺少法律依据条文 article")
    kind = str(value.get("kind") or "RANGE")
    if kind not in KINDS:
        raise bad(f"种类「{kind}」无效（应为 RANGE 或 PCT_OF_INCOME）")
    try:
        low = _dec(value.get("statutory_min", 0), "法定下限", "DSC-01")
        high = _dec(value.get("statutory_max"), "法定上限", "DSC-01")
    except RuleInputError as exc:
        raise bad(exc.message) from None
    if low < 0 or high < low:
        raise bad(f"法定幅度无效（{low}—{high}）")
    if kind == "PCT_OF_INCOME" and high > 1:
        raise bad("按收入比例的上限不得超过1（100%）")
    quantum = YUAN if kind == "RANGE" else SHARE
    raw_bands = value.get("bands") or []
    if not isinstance(raw_bands, Sequence) or isinstance(raw_bands, str) or not raw_bands:
        raise bad("缺少裁量档次 bands")
    bands: list[Band] = []
    for i, rb in enumerate(raw_bands, start=1):
        if not isinstance(rb, Mapping):
            raise bad(f"第{i}档必须是映射")
        bcode = str(rb.get("code") or "")
        if bcode not in BAND_LABELS:
            raise bad(f"第{i}档的编号「{bcode}」无效（应为 {'、'.join(BAND_LABELS)}）")
        try:
            if "min" in rb or "max" in rb:
                bmin, bmax = _dec(rb.get("min"), "档次下限", "DSC-01"), _dec(rb.get("max"), "档次上限", "DSC-01")
            else:
                s_from, s_to = _dec(rb.get("share_from"), "档次起点比例", "DSC-01"), _dec(rb.get("share_to"), "档次终点比例", "DSC-01")
                if not (0 <= s_from <= s_to <= 1):
                    raise bad(f"第{i}档的比例须满足 0 ≤ 起点 ≤ 终点 ≤ 1")
                span = high - low
                bmin = (low + span * s_from).quantize(quantum, ROUND_HALF_UP)
                bmax = (low + span * s_to).quantize(quantum, ROUND_HALF_UP)
        except RuleInputError as exc:
            raise bad(exc.message) from None
        if bmin > bmax:
            raise bad(f"第{i}档的下限大于上限")
        bands.append(Band(code=bcode, label=str(rb.get("label") or BAND_LABELS[bcode]), min=bmin, max=bmax))
    codes = [b.code for b in bands]
    if len(set(codes)) != len(codes):
        raise bad("档次编号重复")
    if "FIXED" in codes and len(codes) > 1:
        raise bad("法定比例（FIXED）只能单独作为唯一档次")
    if "FIXED" not in codes and codes != sorted(codes, key=BAND_ORDER.index):
        raise bad("档次须按从轻、一般、从重、严重的顺序排列")
    if bands[0].min != low or bands[-1].max != high:
        raise bad("档次须覆盖整个法定幅度")
    for prev, nxt in zip(bands, bands[1:]):
        if nxt.min != prev.max:
            raise bad(f"「{prev.label}」与「{nxt.label}」档次之间有间隔或重叠")
    party_kind = str(value.get("party_kind") or "")
    if party_kind not in ("", "ORG", "INDIVIDUAL"):
        raise bad(f"当事人类别「{party_kind}」无效")
    valid_from, valid_to = (_optional_date(value.get(k), bad) for k in ("valid_from", "valid_to"))
    if valid_from and valid_to and valid_to < valid_from:
        raise bad("失效日期早于生效日期")
    accompanying = tuple(sorted(t.value for t in parse_types(value.get("accompanying_types") or [], rule="DSC-01")))
    return Benchmark(
        code=code, article=article, statutory_min=low, statutory_max=high, kind=kind, bands=tuple(bands),
        title=str(value.get("title") or ""), party_kind=party_kind, scenarios=tuple(str(s) for s in value.get("scenarios") or ()),
        verification=str(value.get("verification") or "U"), valid_from=valid_from, valid_to=valid_to, superseded_by=str(value.get("superseded_by") or ""),
        accompanying_types=accompanying, notes=str(value.get("notes") or ""),
    )


def _optional_date(raw: Any, bad) -> date | None:
    if raw in (None, ""):
        return None
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        raise bad(f"日期「{raw}」无效（应为 YYYY-MM-DD）") from None


def benchmarks_from_table(table: Iterable[Mapping[str, Any]]) -> dict[str, Benchmark]:
    """The whole rule-set table by code; duplicate codes are a configuration error."""
    result: dict[str, Benchmark] = {}
    for entry in table or ():
        bench = benchmark_from_value(entry)
        if bench.code in result:
            raise rule_input_error(f"裁量基准编号「{bench.code}」重复", rule="DSC-01")
        result[bench.code] = bench
    return result


# --- scoring and bands (DSC-01) -------------------------------------------------------------------


def scoring_findings(scores: Mapping[str, str]) -> list[Finding]:
    """DSC-01 (S3 (十二)): every dimension scored LIGHTER/NORMAL/HEAVIER; none unknown."""
    findings: list[Finding] = []
    unknown = [k for k in scores if k not in DIMENSIONS]
    if unknown:
        findings.append(Finding("DSC-01", "UNKNOWN_DIMENSION", "未知的裁量情节：" + "、".join(map(str, unknown))))
    missing = [DIMENSIONS[k] for k in DIMENSIONS if k not in scores or scores[k] in (None, "")]
    if missing:
        findings.append(Finding("DSC-01", "DIMENSION_NOT_SCORED", "裁量情节须逐项评定，尚未评定：" + "、".join(missing)))
    invalid = [DIMENSIONS[k] for k in DIMENSIONS if scores.get(k) not in (None, "") and scores.get(k) not in SCORES]
    if invalid:
        findings.append(Finding("DSC-01", "INVALID_SCORE", "裁量情节的评定只能为从轻、一般或从重：" + "、".join(invalid)))
    return findings


def net_score(scores: Mapping[str, str]) -> int:
    """The sum of the six dimension scores (−6…+6); incomplete scoring is an input error."""
    problems = scoring_findings(scores)
    if problems:
        raise rule_input_error("；".join(f.message for f in problems), rule="DSC-01", field="scores")
    return sum(SCORES[scores[k]] for k in DIMENSIONS)


def band_for_score(net: int) -> str:
    """The band code a net score selects (see the module docstring)."""
    if net <= -2:
        return "LIGHTER"
    if net <= 1:
        return "NORMAL"
    if net <= 3:
        return "HEAVIER"
    return "SEVERE"


def propose_band(benchmark: Benchmark, scores: Mapping[str, str]) -> Band:
    """DSC-01: the band the scored circumstances point to (net score → band, nearest available)."""
    net = net_score(scores)
    if len(benchmark.bands) == 1:
        return benchmark.bands[0]
    target = BAND_ORDER.index(band_for_score(net))
    return min(benchmark.bands, key=lambda b: (abs(BAND_ORDER.index(b.code) - target), BAND_ORDER.index(b.code)))


# --- the fine chosen (DSC-02, DSC-03) ---------------------------------------------------------


def fine_findings(benchmark: Benchmark, fine, band: Band, *, aggravation_reasons: str = "", income=None) -> list[Finding]:
    """DSC-03 (APL art. 5; WSL art. 95): a fine is positive and inside the cited article's statutory
    range (bounds included, CAL-11) — otherwise blocking; a fixed share of income must equal the
    computed amount. A fine outside the proposed band is a non-blocking flag for legal review
    ("偏离裁量基准，须法制审核说明", LRV-04 item 7). DSC-02 (S3 (十二)): the statutory maximum
    needs written aggravation reasons (blocking). `income` is the previous year's income for
    PCT_OF_INCOME benchmarks (DEC-05: its evidence must be collected)."""
    amount = _dec(fine, "罚款金额")
    if amount < 0:
        return [Finding("DSC-03", "NEGATIVE_FINE", "罚款金额不得为负数")]
    if amount == 0:
        return [Finding("DSC-03", "ZERO_FINE", "罚款金额必须大于零")]
    income_amount = None
    if benchmark.kind == "PCT_OF_INCOME":
        if income is None:
            return [Finding("DEC-05", "INCOME_MISSING", f"「{benchmark.article}」按上一年年收入比例计算罚款，须先收集年收入证据")]
        income_amount = _dec(income, "上一年年收入", "DEC-05")
        if income_amount <= 0:
            return [Finding("DEC-05", "INCOME_INVALID", "上一年年收入须为正数")]
    low, high = benchmark.range_for(income_amount)
    if benchmark.fixed:
        if amount != high:
            return [Finding("DSC-03", "FIXED_SHARE_MISMATCH",
                            f"「{benchmark.article}」的罚款为上一年年收入的{_pct(benchmark.statutory_max)}，应为{_yuan(high)}元，由系统计算，不得自行裁量")]
        return []
    if not (low <= amount <= high):
        return [Finding("DSC-03", "OUTSIDE_STATUTORY_RANGE",
                        f"罚款{_yuan(amount)}元超出{benchmark.article}规定的幅度（{_yuan(low)}元至{_yuan(high)}元）")]
    findings: list[Finding] = []
    if amount == high and not (aggravation_reasons or "").strip():
        findings.append(Finding("DSC-02", "MAX_WITHOUT_REASONS", "按法定最高限额罚款的，须在裁量说明中写明从重的具体理由，不得随意顶格处罚"))
    b_low, b_high = benchmark.band_range(band, income_amount)
    if not (b_low <= amount <= b_high):
        findings.append(Finding("DSC-03", "OUTSIDE_BAND",
                                f"偏离裁量基准，须法制审核说明：建议档次「{band.label}」为{_yuan(b_low)}元至{_yuan(b_high)}元，拟罚{_yuan(amount)}元",
                                blocking=False))
    return findings


def basis_findings(benchmark: Benchmark, *, on: date) -> list[Finding]:
    """AMB-18 and LRV-04 item 6: flags (non-blocking) on the basis itself — cited before the
    article applied or after it ceased to (e.g. replaced by a new law), or a statutory range not
    yet verified against the text."""
    findings: list[Finding] = []
    if benchmark.valid_from is not None and on < benchmark.valid_from:
        findings.append(Finding("DSC-03", "BASIS_NOT_YET_IN_FORCE",
                                f"{benchmark.article}自{benchmark.valid_from:%Y-%m-%d}起施行，违法行为发生时适用的规定须法制审核核对", blocking=False))
    if benchmark.valid_to is not None and on > benchmark.valid_to:
        successor = f"，已被{benchmark.superseded_by}取代" if benchmark.superseded_by else ""
        findings.append(Finding("DSC-03", "BASIS_EXPIRED",
                                f"{benchmark.article}适用至{benchmark.valid_to:%Y-%m-%d}{successor}，须法制审核重新核对适用依据和幅度", blocking=False))
    if benchmark.verification == "U":
        findings.append(Finding("DSC-03", "BASIS_UNVERIFIED", f"{benchmark.article}的罚款幅度尚未核对法条原文，须法制审核确认", blocking=False))
    return findings


# --- 一案双罚 and accidents (DEC-04…DEC-06, DEC-10) ------------------------------------------------


def _grade(grade: str, rule: str) -> str:
    if grade not in ACCIDENT_GRADES:
        raise rule_input_error(f"事故等级无效：{grade}（应为一般、较大、重大或特别重大事故）", rule=rule, field="accident_grade")
    return grade


def pct_of_income_fine(accident_grade: str, income_prev_year, *, shares: Mapping[str, Any] | None = None) -> Decimal:
    """DEC-05 (WSL art. 95): the principal person responsible for an accident is fined 40 % (general),
    60 % (larger), 80 % (major) or 100 % (especially major) of the previous year's income — computed
    to the cent, never chosen (DSC-03). `shares` may come from the rule set
    (`penalty.wsl95_income_share`)."""
    grade = _grade(accident_grade, "DEC-05")
    income = _dec(income_prev_year, "上一年年收入", "DEC-05")
    if income < 0:
        raise rule_input_error("上一年年收入不得为负数", rule="DEC-05", field="income")
    share = _dec((shares or WSL95_SHARES)[grade], "收入比例", "DEC-05")
    return (income * share).quantize(CENT, ROUND_HALF_UP)


def manager_fine_range(*, accident: bool, income_prev_year=None, fine_range: tuple[Any, Any] = WSL96_RANGE,
                       accident_shares: tuple[Any, Any] = WSL96_ACCIDENT_SHARES) -> tuple[Decimal, Decimal]:
    """DEC-06 (WSL art. 96): other responsible persons and safety managers who fail their duties are
    fined 10,000–30,000 yuan; if an accident results, 20 %–50 % of the previous year's income."""
    if not accident:
        return _dec(fine_range[0], "下限", "DEC-06"), _dec(fine_range[1], "上限", "DEC-06")
    if income_prev_year is None:
        raise rule_input_error("导致事故的，按上一年年收入的比例罚款，须先取得年收入证据", rule="DEC-06", field="income")
    income = _dec(income_prev_year, "上一年年收入", "DEC-06")
    if income < 0:
        raise rule_input_error("上一年年收入不得为负数", rule="DEC-06", field="income")
    low, high = (_dec(s, "收入比例", "DEC-06") for s in accident_shares)
    return (income * low).quantize(CENT, ROUND_HALF_UP), (income * high).quantize(CENT, ROUND_HALF_UP)


def unit_accident_fine_range(grade: str, *, aggravated: bool, ranges: Mapping[str, tuple[Any, Any]] | None = None,
                             multiplier: tuple[Any, Any] = WSL114_MULTIPLIER) -> tuple[Decimal, Decimal]:
    """DEC-10 (WSL art. 114): the unit responsible for an accident is fined by grade — general
    300,000–1,000,000; larger 1,000,000–2,000,000; major 2,000,000–10,000,000; especially major
    10,000,000–20,000,000 yuan; where circumstances are particularly serious, 2 to 5 times those
    amounts (the range becomes 2 × minimum … 5 × maximum; see `accident_aggravation_findings`)."""
    low, high = (ranges or WSL114_RANGES)[_grade(grade, "DEC-10")]
    low, high = _dec(low, "下限", "DEC-10"), _dec(high, "上限", "DEC-10")
    if aggravated:
        times_low, times_high = (_dec(m, "倍数", "DEC-10") for m in multiplier)
        return low * times_low, high * times_high
    return low, high


def accident_aggravation_findings(*, aggravated: bool, reasons: str) -> list[Finding]:
    """DEC-10 (WSL art. 114 para 2): the 2–5× multiplier needs the recorded reason (情节特别严重、
    影响特别恶劣)."""
    if aggravated and not (reasons or "").strip():
        return [Finding("DEC-10", "AGGRAVATION_REASON_MISSING", "按二倍以上五倍以下罚款的，须写明情节特别严重、影响特别恶劣的事实和理由")]
    return []


def principal_fine_range(*, overdue: bool, normal: tuple[Any, Any] = WSL94_RANGE, overdue_range: tuple[Any, Any] = WSL94_OVERDUE_RANGE) -> tuple[Decimal, Decimal]:
    """DEC-04 (WSL art. 94 para 1): a principal person who fails the statutory safety duties is
    ordered to correct and fined 20,000–50,000 yuan; if not corrected in time, 50,000–100,000 yuan
    (and the unit is ordered to suspend for rectification, `principal_overdue_findings`)."""
    low, high = overdue_range if overdue else normal
    return _dec(low, "下限", "DEC-04"), _dec(high, "上限", "DEC-04")


def principal_overdue_findings(*, overdue: bool, unit_penalty_types: Iterable[str]) -> list[Finding]:
    """DEC-04 (WSL art. 94 para 1): when the principal person has not corrected in time, the unit is
    also ordered to suspend production/business for rectification."""
    if overdue and PenaltyType.SUSPEND_RECTIFY not in parse_types(unit_penalty_types, rule="DEC-04"):
        return [Finding("DEC-04", "UNIT_SUSPENSION_MISSING", "主要负责人逾期未改正的，应当同时责令生产经营单位停产停业整顿")]
    return []


# --- ne bis in idem (DSC-04) ----------------------------------------------------------------------


def ne_bis_in_idem(existing_fine_decisions_for_act: int) -> list[Finding]:
    """DSC-04 (APL art. 29): the same act of the same party is not fined twice."""
    count = int(existing_fine_decisions_for_act)
    if count < 0:
        raise rule_input_error("已有罚款决定数不得为负数", rule="DSC-04")
    if count:
        return [Finding("DSC-04", "ALREADY_FINED", "对当事人的同一个违法行为已经给予罚款，不得再次罚款（一事不二罚）")]
    return []


def highest_fine_basis(candidates: Sequence[Benchmark], *, income=None) -> Benchmark:
    """DSC-04 (APL art. 29): where one act breaches several norms providing fines, apply the one
    with the higher fine — compared by the statutory maximum in yuan (PCT_OF_INCOME candidates need
    `income`); on a tie the first candidate (the one cited first) is kept."""
    if not candidates:
        raise rule_input_error("没有可供比较的处罚依据", rule="DSC-04")
    income_amount = _dec(income, "上一年年收入", "DSC-04") if income is not None else None
    best = candidates[0]
    best_max = best.range_for(income_amount)[1]
    for c in candidates[1:]:
        c_max = c.range_for(income_amount)[1]
        if c_max > best_max:
            best, best_max = c, c_max
    return best


# --- four reasons (DSC-05, RTS-06, DEC-12) ---------------------------------------------------------


def reasoning_findings(reasoning: Mapping[str, str], *, statements_received: bool, non_site_objections: bool) -> list[Finding]:
    """DSC-05 (S3 (七), "四理说清"): the decision explains the facts (事理), the law (法理), the
    discretion (道理) and whether and why the party's statements were adopted (情理) — all four
    non-empty (the fourth may say that no statements were received). RTS-06 (S1 §7 para 6) and
    DEC-12: where the party objected to non-site evidence, the response is required and says why
    the objection was or was not adopted."""
    findings: list[Finding] = []
    for key, label in REASONING_KEYS.items():
        if (reasoning.get(key) or "").strip():
            continue
        if key == "statements_response" and non_site_objections:
            findings.append(Finding("RTS-06", "OBJECTION_RESPONSE_MISSING",
                                    "当事人对非现场证据提出了异议，决定书须写明异议是否采纳及理由（DEC-12）"))
        elif key == "statements_response" and statements_received:
            findings.append(Finding("DSC-05", "STATEMENTS_RESPONSE_MISSING", "当事人提出了陈述、申辩，决定书须写明是否采纳及理由"))
        else:
            findings.append(Finding("DSC-05", f"{key.upper()}_MISSING", f"决定书须说明{label}"))
    return findings
