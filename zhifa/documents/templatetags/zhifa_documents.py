"""Template filters and tags for document templates: {% load zhifa_documents %}.

- `value|cn_date`     2026-03-05 → 2026年3月5日
- `value|yuan`        50000 → 50,000.00
- `value|rmb_upper`   50000 → 伍万元整
- `{% seal_svg name %}` the round seal with the organisation's name (inline SVG)
- `value|blank:"8em"`  the value, or a line to fill in by hand when it is empty
"""
from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from zhifa.documents import formatting

register = template.Library()


@register.filter
def cn_date(value) -> str:
    return formatting.cn_date(value)


@register.filter
def yuan(value) -> str:
    return formatting.yuan(value)


@register.filter
def rmb_upper(value) -> str:
    return formatting.rmb_upper(value)


@register.filter
def blank(value, width: str = "8em"):
    """A printed line for handwriting when the value is empty (e.g. 签收日期)."""
    if value in (None, "", [], {}):
        return format_html('<span class="fill" style="min-width:{}"></span>', width)
    return value


@register.simple_tag
def seal_svg(name: str, size_mm: float = 42.0):
    # formatting.seal_svg escapes the name; the markup itself is ours.
    return mark_safe(formatting.seal_svg(str(name or ""), size_mm=float(size_mm)))  # noqa: S308
