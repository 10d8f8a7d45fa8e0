"""Chemicals and storage-zone templates for the demo city (CLU-S05, CLU-S09). Plain data.

Names follow the 《危险化学品目录》 (2015) wording loosely; CAS numbers are the substances' real
ones; hazard classes use the class/division numbering of GB 6944 (UN Model Regulations), with the
older corrosive subdivisions 8.1 (acidic) and 8.2 (basic) — see
zhifa.subjects.reference.incompatibility. Demo data only: not a reference for classification.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Chemical:
    name: str
    cas: str
    hazard_class: str  # "" for chemicals outside the catalogue


# Catalogued hazardous chemicals (列入《危险化学品目录》), by hazard class.
CATALOGUED: tuple[Chemical, ...] = (
    Chemical("甲苯", "108-88-3", "3"),
    Chemical("二甲苯异构体混合物", "1330-20-7", "3"),
    Chemical("丙酮", "67-64-1", "3"),
    Chemical("乙醇[无水]", "64-17-5", "3"),
    Chemical("甲醇", "67-56-1", "3"),
    Chemical("乙酸乙酯", "141-78-6", "3"),
    Chemical("正己烷", "110-54-3", "3"),
    Chemical("石油醚", "8032-32-4", "3"),
    Chemical("苯乙烯[稳定的]", "100-42-5", "3"),
    Chemical("异丙醇", "67-63-0", "3"),
    Chemical("乙酸正丁酯", "123-86-4", "3"),
    Chemical("环己酮", "108-94-1", "3"),
    Chemical("氢", "1333-74-0", "2.1"),
    Chemical("丙烯", "115-07-1", "2.1"),
    Chemical("乙炔", "74-86-2", "2.1"),
    Chemical("甲烷", "74-82-8", "2.1"),
    Chemical("液化石油气", "68476-85-7", "2.1"),
    Chemical("氮[压缩的或液化的]", "7727-37-9", "2.2"),
    Chemical("氩[压缩的或液化的]", "7440-37-1", "2.2"),
    Chemical("二氧化碳[压缩的或液化的]", "124-38-9", "2.2"),
    Chemical("硫磺", "7704-34-9", "4.1"),
    Chemical("红磷", "7723-14-0", "4.1"),
    Chemical("萘", "91-20-3", "4.1"),
    Chemical("碳化钙", "75-20-7", "4.3"),
    Chemical("过氧化氢溶液[含量>8%]", "7722-84-1", "5.1"),
    Chemical("高锰酸钾", "7722-64-7", "5.1"),
    Chemical("硝酸钾", "7757-79-1", "5.1"),
    Chemical("氯酸钠", "7775-09-9", "5.1"),
    Chemical("硝酸钠", "7631-99-4", "5.1"),
    Chemical("过氧化苯甲酰", "94-36-0", "5.2"),
    Chemical("苯酚", "108-95-2", "6.1"),
    Chemical("二氯甲烷", "75-09-2", "6.1"),
    Chemical("三氯甲烷", "67-66-3", "6.1"),
    Chemical("苯胺", "62-53-3", "6.1"),
    Chemical("硫酸", "7664-93-9", "8.1"),
    Chemical("盐酸", "7647-01-0", "8.1"),
    Chemical("磷酸", "7664-38-2", "8.1"),
    Chemical("乙酸[含量>80%]", "64-19-7", "8.1"),
    Chemical("氢氧化钠", "1310-73-2", "8.2"),
    Chemical("氢氧化钾", "1310-58-3", "8.2"),
    Chemical("氨溶液[含氨>10%]", "1336-21-6", "8.2"),
)

# Products outside the catalogue (no registration needed, CLU-S05 near-miss `not_in_catalogue`).
UNCATALOGUED: tuple[Chemical, ...] = (
    Chemical("聚乙烯", "9002-88-4", ""),
    Chemical("聚丙烯", "9003-07-0", ""),
    Chemical("聚氯乙烯", "9002-86-2", ""),
    Chemical("碳酸钙", "471-34-1", ""),
    Chemical("氯化钠", "7647-14-5", ""),
    Chemical("二氧化钛", "13463-67-7", ""),
)

BY_CLASS: dict[str, tuple[Chemical, ...]] = {}
for _chem in CATALOGUED:
    BY_CLASS[_chem.hazard_class] = (*BY_CLASS.get(_chem.hazard_class, ()), _chem)

# Chemicals producers make (not gases in cylinders, not explosives-adjacent salts) — keeps
# product lists plausible for a chemical plant.
PRODUCIBLE: tuple[Chemical, ...] = tuple(c for c in CATALOGUED if c.hazard_class in ("3", "4.1", "5.1", "6.1", "8.1", "8.2", "2.1"))


@dataclass(frozen=True)
class ZoneTemplate:
    name: str
    allowed: tuple[str, ...]  # pairwise compatible classes (checked by a test)
    capacities_t: tuple[int, ...]
    weight: int


ZONE_TEMPLATES: tuple[ZoneTemplate, ...] = (
    ZoneTemplate("甲类仓库", ("3",), (20, 30, 50, 80, 100), 30),
    ZoneTemplate("易燃液体储罐区", ("3",), (500, 1000, 2000, 5000), 12),
    ZoneTemplate("气瓶库", ("2.1", "2.2"), (5, 10, 20), 8),
    ZoneTemplate("氧化剂仓库", ("5.1",), (20, 30, 50), 7),
    ZoneTemplate("毒害品仓库", ("6.1",), (10, 20, 50), 8),
    ZoneTemplate("酸类仓库", ("8.1",), (30, 50, 100), 8),
    ZoneTemplate("碱类仓库", ("8.2",), (30, 50, 100), 6),
    ZoneTemplate("乙类仓库", ("4.1",), (20, 30, 50), 6),
    ZoneTemplate("综合仓库", ("3", "6.1"), (50, 80, 100), 15),
)

# Planted CLU-S09 zones: a single-class store (for `class_not_allowed`, which adds a compatible
# 6.1 item), a store configured for two incompatible classes (`incompatible_mix`: the mix is the
# defect, not the class) and a compatible mixed store (`compatible_mix`).
FLAMMABLE_STORE = ZONE_TEMPLATES[0]
INCOMPATIBLE_STORE = ZoneTemplate("综合仓库", ("3", "5.1"), (50, 80, 100), 0)
COMPATIBLE_MIXED_STORE = ZONE_TEMPLATES[-1]
