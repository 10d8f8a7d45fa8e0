"""Rendering: template source → HTML (Django templates) → PDF (WeasyPrint, embedded CJK fonts).

Fonts: Noto Serif CJK SC and Noto Sans CJK SC from Debian's fonts-noto-cjk, loaded through
@font-face with local file URLs (documents/pdf/base.html) and embedded as subsets in every PDF.
The packages ship .ttc collections (JP, KR, SC, TC, HK faces); the document's `lang="zh-CN"`
makes fontconfig pick the SC face, so glyphs follow the mainland standard.

WeasyPrint reads resources only through `RestrictedFetcher`: `data:` URLs and files below the
font directory or the project's static directory. A template (editable in the admin) that
points anywhere else — a server file, an intranet URL — is refused with an error, never fetched.

One FontConfiguration is kept per process (loading the ~90 MB of font collections once), and
PDF rendering is serialised by a lock because Pango font maps are not thread-safe.
"""
from __future__ import annotations

import logging
import os
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.template import engines

from .errors import DocumentErrorCode, document_error

log = logging.getLogger(__name__)

DEFAULT_FONT_DIR = "/usr/share/fonts/opentype/noto"
FONT_FILES = {
    "serif_regular": "NotoSerifCJK-Regular.ttc",
    "serif_bold": "NotoSerifCJK-Bold.ttc",
    "sans_regular": "NotoSansCJK-Regular.ttc",
    "sans_bold": "NotoSansCJK-Bold.ttc",
}

_render_lock = threading.Lock()
_font_config = None


def font_dir() -> Path:
    configured = getattr(settings, "ZHIFA_DOCUMENT_FONT_DIR", None) or os.environ.get("ZHIFA_DOCUMENT_FONT_DIR")
    return Path(configured or DEFAULT_FONT_DIR)


def font_urls() -> dict[str, str]:
    """file:// URLs of the four CJK font files; a missing file is a clear error, never a PDF
    silently rendered with boxes or a non-embedded fallback font."""
    root = font_dir()
    urls = {}
    for key, name in FONT_FILES.items():
        path = root / name
        if not path.is_file():
            raise document_error(
                DocumentErrorCode.FONT_MISSING,
                f"缺少中文字体文件 {path}，无法生成 PDF。请安装 Debian 软件包 fonts-noto-cjk（或设置 ZHIFA_DOCUMENT_FONT_DIR）。",
                status=500,
            )
        urls[key] = path.resolve().as_uri()
    return urls


def _allowed_roots() -> list[Path]:
    roots = [font_dir().resolve()]
    roots.extend(Path(p).resolve() for p in getattr(settings, "STATICFILES_DIRS", []))
    return roots


def _restricted_fetcher_class():
    from weasyprint.urls import URLFetcher

    class RestrictedFetcher(URLFetcher):
        """Only data: URLs and files under the font and static directories (see module doc)."""

        def __init__(self, roots: list[Path]):
            super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False)
            self.roots = roots
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
            scheme = url.split(":", 1)[0].lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                path = Path(unquote(urlparse(url).path)).resolve()
                if any(path == root or root in path.parents for root in self.roots):
                    return super().fetch(url, headers)
            self.refused.append(url[:200])
            raise ValueError(f"resource refused by zhifa documents: {url[:200]}")

    return RestrictedFetcher


def render_html(body: str, context: Mapping[str, Any]) -> str:
    """Render template source with the project's Django engine (autoescaping on)."""
    engine = engines["django"]
    try:
        template = engine.from_string(body)
        return template.render(dict(context))
    except Exception as exc:  # noqa: BLE001 - any failure of an admin-edited template is reported, not a 500
        log.warning("document template failed to render: %s", exc)
        raise document_error(DocumentErrorCode.TEMPLATE_INVALID, f"文书模板有误，无法生成：{exc}") from exc


def _fonts():
    global _font_config
    from weasyprint.text.fonts import FontConfiguration

    if _font_config is None:
        _font_config = FontConfiguration()
    return _font_config


def render_pdf(markup: str) -> bytes:
    """HTML → PDF bytes (A4, fonts embedded). Raises DOCUMENT_RESOURCE_REFUSED when the markup
    needs a resource outside the allowed roots, DOCUMENT_RENDER_FAILED on any other failure."""
    from weasyprint import HTML

    fetcher = _restricted_fetcher_class()(_allowed_roots())
    try:
        with _render_lock:
            pdf = HTML(string=markup, url_fetcher=fetcher).write_pdf(font_config=_fonts())
    except Exception as exc:  # noqa: BLE001 - reported with a code instead of a 500
        log.exception("PDF rendering failed")
        raise document_error(DocumentErrorCode.RENDER_FAILED, f"PDF 生成失败：{exc}", status=500) from exc
    if fetcher.refused:
        raise document_error(
            DocumentErrorCode.RESOURCE_REFUSED,
            f"文书模板引用了不允许的外部资源：{'、'.join(fetcher.refused[:3])}。模板只能使用内嵌图片（data: URL）和系统字体。",
        )
    return pdf
