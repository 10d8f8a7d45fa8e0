"""Name, identifier and address generators for the demo city.

Identifiers that must be unique (USCC, enterprise trade name, ID number) are computed from a
row's primary key through a fixed bijection, never drawn at random: they stay unique for any N,
across `--append` runs and without keeping a set of used values in memory (the generator's
memory must not grow with N). Everything else is drawn from the caller's seeded `random.Random`.
"""
from __future__ import annotations

import random
from datetime import date

from zhifa.common.ids import id_check_char, make_uscc

from .shanghai import DISTRICTS, GIVEN_FEMALE, GIVEN_MALE, ID_REGIONS, INDUSTRY_WORDS, SURNAMES, TRADE_NAME_CHARS


class FeistelPermutation:
    """A keyed bijection of range(size) (balanced Feistel network with cycle walking).

    Used to turn sequential keys into identifiers that look random but can never collide.
    """

    ROUNDS = 4

    def __init__(self, size: int, key: int):
        if size < 2:
            raise ValueError("size must be at least 2")
        self.size = size
        bits = max(2, (size - 1).bit_length())
        self.half = (bits + 1) // 2
        self.mask = (1 << self.half) - 1
        self.keys = [(key * 0x9E3779B97F4A7C15 + r * 0xBF58476D1CE4E5B9) & 0xFFFFFFFF for r in range(self.ROUNDS)]

    def _round(self, value: int, k: int) -> int:
        x = (value * 0x45D9F3B + k) & 0xFFFFFFFF
        x ^= x >> 15
        x = (x * 0x2C1B3C6D) & 0xFFFFFFFF
        x ^= x >> 12
        return x & self.mask

    def __call__(self, x: int) -> int:
        if not 0 <= x < self.size:
            raise ValueError(f"{x} outside 0..{self.size - 1}")
        half, mask, rnd = self.half, self.mask, self._round
        while True:
            left, right = x >> half, x & mask
            for k in self.keys:
                left, right = right, left ^ rnd(right, k)
            x = (left << half) | right
            if x < self.size:  # cycle walking keeps the result inside the domain
                return x


def _trade_chars() -> str:
    forbidden = {w[0] for words in INDUSTRY_WORDS.values() for w in words} | {d.short[0] for d in DISTRICTS}
    seen: list[str] = []
    for ch in TRADE_NAME_CHARS:
        if ch not in forbidden and ch not in seen:
            seen.append(ch)
    return "".join(seen)


TRADE_CHARS = _trade_chars()
_B = len(TRADE_CHARS)
# Tiers of trade-name length: the first pks get two-character names (the commonest real form),
# later ones three, then four characters.
_TIERS = ((2, _B**2), (3, _B**3), (4, _B**4))
_TIER_PERMS = tuple(FeistelPermutation(size, key=0x5A17 + length) for length, size in _TIERS)
TRADE_NAME_CAPACITY = sum(size for _, size in _TIERS)


def trade_name(key: int) -> str:
    """The trade name (字号) of the enterprise with primary key `key` (≥ 1); injective in key."""
    index = key - 1
    for (length, size), perm in zip(_TIERS, _TIER_PERMS):
        if index < size:
            value = perm(index)
            chars = []
            for _ in range(length):
                value, digit = divmod(value, _B)
                chars.append(TRADE_CHARS[digit])
            return "".join(chars)
        index -= size
    raise ValueError("enterprise key beyond the trade-name capacity")


def enterprise_name(key: int, district_short: str | None, industry_word: str) -> str:
    """上海[区]＋字号＋行业＋有限公司.

    Unique for distinct keys: the trade name is injective in the key, its characters never begin
    an industry word or a district short name, so the name splits back into exactly one
    (region, trade name, industry word).
    """
    region = "上海" + (district_short or "")
    return f"{region}{trade_name(key)}{industry_word}有限公司"


def renamed_enterprise_name(old_name: str) -> str:
    """The name after a 改制 to a joint-stock company; still unique (no original ends in 股份有限公司)."""
    return old_name.removesuffix("有限公司") + "股份有限公司"


USCC_SERIAL_SPACE = 961_000_000  # make_uscc accepts serials below this
_USCC_PERM = FeistelPermutation(USCC_SERIAL_SPACE, key=0x0C0DE)


def enterprise_uscc(key: int, division_code: str) -> str:
    """A GB 32100-valid enterprise USCC (市场监管, 企业) unique per enterprise primary key."""
    return make_uscc(division_code, _USCC_PERM(key))


_ID_DAYS = 16_000  # births from 1960-01-01 on: everyone is an adult in the demo years
_ID_BIRTH_BASE = date(1960, 1, 1).toordinal()
_ID_SPACE = len(ID_REGIONS) * _ID_DAYS * 1000
_ID_PERM = FeistelPermutation(_ID_SPACE, key=0x1D1D)


def person_id_number(key: int) -> tuple[str, bool]:
    """(ID number, is_male) for the person with primary key `key`.

    Checksum-valid per GB 11643-1999 (same construction as zhifa.common.ids.make_id_number,
    which draws at random and therefore could repeat at a million people); injective in key.
    The sequence digit's parity is the sex (odd = male).
    """
    value = _ID_PERM(key % _ID_SPACE)
    value, seq = divmod(value, 1000)
    region_index, day = divmod(value, _ID_DAYS)
    born = date.fromordinal(_ID_BIRTH_BASE + day)
    first17 = f"{ID_REGIONS[region_index]}{born:%Y%m%d}{seq:03d}"
    return first17 + id_check_char(first17), bool(seq % 2)


def person_name(rng: random.Random, male: bool) -> str:
    r = rng.random
    given = GIVEN_MALE if male else GIVEN_FEMALE
    surname = SURNAMES[int(r() * len(SURNAMES))]
    first = given[int(r() * len(given))]
    if r() < 0.6:
        return surname + first + given[int(r() * len(given))]
    return surname + first


_MOBILE_PREFIXES = ("130", "131", "133", "135", "136", "137", "138", "139", "150", "151", "153", "155", "158", "159",
                    "176", "177", "180", "181", "185", "186", "187", "189", "199")


def mobile(rng: random.Random) -> str:
    r = rng.random
    return f"{_MOBILE_PREFIXES[int(r() * len(_MOBILE_PREFIXES))]}{int(r() * 100_000_000):08d}"


def street_address(rng: random.Random, district_name: str, roads: tuple[str, ...], town: str | None = None) -> str:
    """A registered/business address: 上海市＋区＋[镇]＋路＋号."""
    r = rng.random
    road = roads[int(r() * len(roads))]
    number = 1 + int(r() * 2999)
    middle = town if town and town.endswith(("镇", "乡")) else ""
    if r() < 0.3:
        return f"上海市{district_name}{middle}{road}{number}号{1 + int(r() * 19)}幢"
    return f"上海市{district_name}{middle}{road}{number}号"


def home_address(rng: random.Random, district_name: str, roads: tuple[str, ...]) -> str:
    """A personal residential address (personal data: shown masked, SEC-03)."""
    r = rng.random
    return (f"上海市{district_name}{roads[int(r() * len(roads))]}{1 + int(r() * 1499)}弄{1 + int(r() * 79)}号"
            f"{1 + int(r() * 29)}{1 + int(r() * 4):02d}室")
