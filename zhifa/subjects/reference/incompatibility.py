"""Hazard classes and the storage incompatibility table (禁配类别) used by CLU-S09.

Plain data. The data migration `subjects.0004_seed_hazard_class_incompatibility` loads
`INCOMPATIBLE_CLASS_PAIRS` into `HazardClassIncompatibility`; `incompatibility_rows_ensure`
does the same at run time (the demo generator calls it, and tests that flush tables can too).

Honesty notes (RULES CLU-S09):
- The applicable storage standard is the GB 15603 series; which edition applies (GB 15603-2022
  《危险化学品仓库储存通则》 or an older one), its clause numbers and its incompatibility table
  were NOT verified — RULES marks them `[U]`. The pairs below are a small, documented table built
  from the segregation principles that standard states (classified, zoned storage; incompatible
  substances never stored together); they are not a copy of the standard's table and must be
  confirmed by the legal team before detection results are treated as more than clues.
- Class codes follow the class/division numbering of GB 6944 (UN Model Regulations). The
  corrosive subdivisions 8.1 (acidic) / 8.2 (basic) / 8.3 (other) come from the older Chinese
  numbering (GB 13690-92, 危规号 81xxx/82xxx/83xxx) and are used so that acids and bases can be
  kept apart; "8" means a corrosive that is not subdivided.
- Incompatibility is judged per class, not per substance and not by subsidiary hazards (e.g.
  chlorine, class 2.3 with an oxidising subsidiary hazard, is not paired with 2.1; cyanides in 6.1
  are not paired with acids). A substance-level table would need data the register does not hold.
"""
from __future__ import annotations

HAZARD_CLASSES: dict[str, str] = {
    "1": "爆炸品",
    "2.1": "易燃气体",
    "2.2": "非易燃无毒气体",
    "2.3": "毒性气体",
    "3": "易燃液体",
    "4.1": "易燃固体、自反应物质和固态退敏爆炸品",
    "4.2": "易于自燃的物质",
    "4.3": "遇水放出易燃气体的物质",
    "5.1": "氧化性物质",
    "5.2": "有机过氧化物",
    "6.1": "毒性物质",
    "6.2": "感染性物质",
    "7": "放射性物质",
    "8": "腐蚀性物质（未细分）",
    "8.1": "酸性腐蚀品",
    "8.2": "碱性腐蚀品",
    "8.3": "其他腐蚀品",
    "9": "杂项危险物质和物品",
}

SOURCE = (
    "依据 GB 15603《危险化学品仓库储存通则》系列关于分类分区储存、禁配物质不得混存的原则整理的最小禁配表"
    "（适用版本、条款号及标准所附禁配表原文未核实，RULES CLU-S09 标注 [U]）；类别编号采用 GB 6944（联合国《规章范本》）类项，"
    "8.1/8.2/8.3 为 GB 13690-92 的腐蚀品旧细分。按类别判断，不含物质级与次要危险性禁配。须经法制审核确认。"
)

_FLAMMABLES = ("2.1", "3", "4.1", "4.2", "4.3")
_CORROSIVES = ("8", "8.1", "8.2", "8.3")


def canonical_pair(a: str, b: str) -> tuple[str, str]:
    """A pair of class codes stored once, smaller code first (lexicographic order)."""
    return (a, b) if a <= b else (b, a)


def _pairs() -> tuple[tuple[str, str, str], ...]:
    rows: dict[tuple[str, str], str] = {}

    def add(a: str, b: str, reason: str) -> None:
        rows.setdefault(canonical_pair(a, b), reason)

    for other in HAZARD_CLASSES:
        if other != "1":
            add("1", other, "爆炸品应专库储存，不得与其他类别危险化学品同库混存")
    for flammable in _FLAMMABLES:
        add("5.1", flammable, "氧化性物质与易燃物质接触可引起燃烧、爆炸")
        add("5.2", flammable, "有机过氧化物与易燃物质接触可引起燃烧、爆炸")
    add("5.1", "5.2", "氧化性物质与有机过氧化物混存可加剧分解、燃烧")
    for corrosive in _CORROSIVES:
        add("4.3", corrosive, "遇水放出易燃气体的物质不得与含水的腐蚀品（酸、碱溶液）混存")
    add("8.1", "8.2", "酸性腐蚀品与碱性腐蚀品接触发生剧烈中和反应")
    return tuple((a, b, reason) for (a, b), reason in sorted(rows.items()))


# (class_a, class_b, reason) with class_a < class_b; see the module docstring for sources and limits.
INCOMPATIBLE_CLASS_PAIRS: tuple[tuple[str, str, str], ...] = _pairs()


def incompatible_pair_set() -> frozenset[tuple[str, str]]:
    """The table as a set of canonical pairs, the form `rules.storage_zone_defects` takes."""
    return frozenset((a, b) for a, b, _ in INCOMPATIBLE_CLASS_PAIRS)


def incompatibility_rows_ensure(model) -> int:
    """Create the missing rows of the table in `model` (the real or a migration's historical
    HazardClassIncompatibility); existing rows are left as they are. Returns rows created."""
    existing = set(model.objects.values_list("class_a", "class_b"))
    new = [model(class_a=a, class_b=b, reason=reason, source=SOURCE) for a, b, reason in INCOMPATIBLE_CLASS_PAIRS if (a, b) not in existing]
    model.objects.bulk_create(new)
    return len(new)
