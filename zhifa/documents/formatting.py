"""Pure formatting for documents: Chinese dates, amounts in figures and in capitals, the seal.

Used by the template tags (templatetags/zhifa_documents.py); no database, no Django settings.
"""
from __future__ import annotations

import math
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from xml.sax.saxutils import escape

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_UNITS = ((3, "仟"), (2, "佰"), (1, "拾"), (0, ""))
_GROUP_UNITS = ("", "万", "亿", "万亿")
CENT = Decimal("0.01")


def to_date(value) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def cn_date(value) -> str:
    """2026-03-05 → 2026年3月5日 (the form used on documents); anything else unchanged."""
    day = to_date(value)
    if day is None:
        return "" if value is None else str(value)
    return f"{day.year}年{day.month}月{day.day}日"


def to_amount(value) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    if not amount.is_finite():
        return None
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def yuan(value) -> str:
    """50000 → 50,000.00"""
    amount = to_amount(value)
    return "" if amount is None else f"{amount:,.2f}"


def _group_upper(number: int) -> str:
    """0 < number < 10000 in capitals: 1005 → 壹仟零伍."""
    text, zero = "", False
    for power, unit in _UNITS:
        digit = number // 10**power % 10
        if digit == 0:
            zero = bool(text)
            continue
        if zero:
            text += "零"
            zero = False
        text += _DIGITS[digit] + unit
    return text


def _integer_upper(number: int) -> str:
    groups = []
    while number:
        groups.append(number % 10000)
        number //= 10000
    if len(groups) > len(_GROUP_UNITS):
        raise ValueError("amount too large")
    text, pending_zero = "", False
    for index in reversed(range(len(groups))):
        group = groups[index]
        if group == 0:
            pending_zero = bool(text)
            continue
        if text and (pending_zero or group < 1000):
            text += "零"
        text += _group_upper(group) + _GROUP_UNITS[index]
        pending_zero = False
    return text


def rmb_upper(value) -> str:
    """The amount in Chinese capitals as written on fiscal documents: 50000 → 伍万元整,
    1005.50 → 壹仟零伍元伍角整, 0.05 → 伍分. Negative or invalid amounts give ""."""
    amount = to_amount(value)
    if amount is None or amount < 0:
        return ""
    cents = int(amount * 100)
    whole, jiao, fen = cents // 100, cents // 10 % 10, cents % 10
    if cents == 0:
        return "零元整"
    text = _integer_upper(whole) + "元" if whole else ""
    if jiao == 0 and fen == 0:
        return text + "整"
    if jiao:
        text += _DIGITS[jiao] + "角"
    elif whole:
        text += "零"
    if fen:
        text += _DIGITS[fen] + "分"
    else:
        text += "整"
    return text


def seal_svg(name: str, *, size_mm: float = 42.0, colour: str = "#d7000f", font_family: str = "ZF Sans") -> str:
    """A round official seal drawn in SVG: the organisation's name along the upper arc and a
    five-pointed star in the middle (the layout of an administrative organ's seal).

    Each character is placed and rotated individually (no textPath), so any SVG renderer,
    WeasyPrint's included, draws it the same way. The name is XML-escaped.
    """
    chars = [c for c in (name or "").strip() if not c.isspace()][:24]
    centre, radius = 100.0, 94.0
    text_radius = 72.0
    n = len(chars)
    span = min(260.0, max(100.0, 21.0 * n))  # degrees of arc used by the name
    font_size = 26 if n <= 9 else (23 if n <= 12 else (20 if n <= 16 else 16))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="seal" width="{size_mm}mm" height="{size_mm}mm" viewBox="0 0 200 200" role="img" aria-label="{escape(name or "")}印章">',
        f'<circle cx="{centre}" cy="{centre}" r="{radius}" fill="none" stroke="{colour}" stroke-width="5"/>',
        f'<polygon points="{_star_points(centre, centre + 4, 30.0, 12.0)}" fill="{colour}"/>',
    ]
    for index, char in enumerate(chars):
        angle = -span / 2 + (span * index / (n - 1) if n > 1 else span / 2)
        rad = math.radians(angle)
        x = centre + text_radius * math.sin(rad)
        y = centre - text_radius * math.cos(rad)
        # CJK glyphs are one em wide: start half an em left of the point, baseline ~0.36 em below
        # it, then rotate the glyph about the point so its foot faces the centre.
        parts.append(
            f'<text x="{-font_size / 2:.2f}" y="{font_size * 0.36:.2f}" transform="translate({x:.2f} {y:.2f}) rotate({angle:.2f})" '
            f'font-family="{font_family}" font-weight="bold" font-size="{font_size}" fill="{colour}">{escape(char)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _star_points(cx: float, cy: float, outer: float, inner: float) -> str:
    points = []
    for i in range(10):
        r = outer if i % 2 == 0 else inner
        angle = math.radians(-90 + 36 * i)
        points.append(f"{cx + r * math.cos(angle):.2f},{cy + r * math.sin(angle):.2f}")
    return " ".join(points)
