"""Upload safety: decide what a file is from its bytes, never from its name (issue 3, item 3).

Only the first `SNIFF_BYTES` of an upload are inspected, so a multi-gigabyte video costs the
same as a photo. The declared content type and the file-name extension must agree with the
bytes; active content (HTML, SVG, script) is refused wherever it hides, so that a file served
back to a browser can never run in the platform's origin. Downloads are additionally sent as
attachments with `X-Content-Type-Options: nosniff` (views.py).

Pure functions: no database, no Django models. Size limits read settings.
"""
from __future__ import annotations

import codecs
import re
import struct
from dataclasses import dataclass

from django.conf import settings

from zhifa.common.errors import ZhifaError

from .choices import FileCategory
from .errors import EvidenceErrorCode

SNIFF_BYTES = 64 * 1024

MB = 1024 * 1024
GB = 1024 * MB
DEFAULT_MAX_BYTES = {
    FileCategory.IMAGE.value: 20 * MB,
    FileCategory.DOCUMENT.value: 50 * MB,
    FileCategory.TEXT.value: 50 * MB,
    FileCategory.AUDIO.value: 1 * GB,
    FileCategory.VIDEO.value: 4 * GB,
}

# Declared types that say nothing; only the extension is then compared with the bytes.
GENERIC_DECLARED_TYPES = frozenset({"", "application/octet-stream", "binary/octet-stream", "application/unknown", "application/x-download"})

# Markup that a browser would execute or render as a document. The tag must be followed by
# whitespace, ">" or "/" so that random compressed bytes practically never match.
_ACTIVE_CONTENT = re.compile(
    rb"<(?:script|html|svg|iframe|object|embed|body|xml-stylesheet)[\s>/]|<!doctype\s+html|<\?xml-stylesheet",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class FileType:
    """A recognised file format: canonical MIME type, class, and what may be declared for it."""

    key: str
    mime: str
    category: FileCategory
    extensions: frozenset[str]
    declared_aliases: frozenset[str]
    label: str
    download_extension: str


def _ft(key, mime, category, extensions, aliases, label, download_extension=None) -> FileType:
    return FileType(key, mime, category, frozenset(extensions), frozenset({mime, *aliases}), label, download_extension or key)

JPEG = _ft("jpeg", "image/jpeg", FileCategory.IMAGE, {"jpg", "jpeg", "jpe"}, {"image/jpg", "image/pjpeg"}, "JPEG 图片", "jpg")
PNG = _ft("png", "image/png", FileCategory.IMAGE, {"png"}, {"image/x-png"}, "PNG 图片")
GIF = _ft("gif", "image/gif", FileCategory.IMAGE, {"gif"}, set(), "GIF 图片")
WEBP = _ft("webp", "image/webp", FileCategory.IMAGE, {"webp"}, set(), "WebP 图片")
PDF = _ft("pdf", "application/pdf", FileCategory.DOCUMENT, {"pdf"}, {"application/x-pdf"}, "PDF 文档")
# MP4 and QuickTime share the ISO base media container; either extension is accepted for either brand.
_ISO_EXTS = {"mp4", "m4v", "mov"}
_ISO_ALIASES = {"video/mp4", "video/quicktime", "video/x-m4v"}
MP4 = _ft("mp4", "video/mp4", FileCategory.VIDEO, _ISO_EXTS, _ISO_ALIASES, "MP4 视频")
MOV = _ft("mov", "video/quicktime", FileCategory.VIDEO, _ISO_EXTS, _ISO_ALIASES, "QuickTime 视频")
M4A = _ft("m4a", "audio/mp4", FileCategory.AUDIO, {"m4a"}, {"audio/x-m4a", "audio/m4a"}, "M4A 音频")
AVI = _ft("avi", "video/x-msvideo", FileCategory.VIDEO, {"avi"}, {"video/avi", "video/msvideo"}, "AVI 视频")
WAV = _ft("wav", "audio/wav", FileCategory.AUDIO, {"wav"}, {"audio/x-wav", "audio/wave", "audio/vnd.wave"}, "WAV 音频")
MP3 = _ft("mp3", "audio/mpeg", FileCategory.AUDIO, {"mp3"}, {"audio/mp3", "audio/x-mp3", "audio/mpeg3"}, "MP3 音频")
DOCX = _ft(
    "docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    FileCategory.DOCUMENT,
    {"docx"},
    set(),
    "Word 文档（docx）",
)
XLSX = _ft(
    "xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    FileCategory.DOCUMENT,
    {"xlsx"},
    set(),
    "Excel 表格（xlsx）",
)
TEXT = _ft("text", "text/plain", FileCategory.TEXT, {"txt", "csv", "log", "jsonl"}, {"text/csv", "text/x-log"}, "纯文本", "txt")

ALL_TYPES = (JPEG, PNG, GIF, WEBP, PDF, MP4, MOV, M4A, AVI, WAV, MP3, DOCX, XLSX, TEXT)
ACCEPTED_EXTENSIONS = sorted({ext for t in ALL_TYPES for ext in t.extensions})


def find_active_content(head: bytes) -> str | None:
    """The first active-content marker (e.g. "<script ") in `head`, or None."""
    match = _ACTIVE_CONTENT.search(head)
    return match.group(0).decode("latin-1").strip() if match else None


def _zip_member_names(head: bytes) -> list[str]:
    """Names from the ZIP local file headers found in `head` (APPNOTE 4.3.7: name at offset 30)."""
    names = []
    pos = head.find(b"PK\x03\x04")
    while pos != -1 and pos + 30 <= len(head):
        name_len = struct.unpack_from("<H", head, pos + 26)[0]
        raw = head[pos + 30 : pos + 30 + name_len]
        if len(raw) == name_len:
            names.append(raw.decode("utf-8", "replace"))
        pos = head.find(b"PK\x03\x04", pos + 4)
    return names


def _sniff_ooxml(head: bytes) -> FileType | None:
    names = _zip_member_names(head)
    if "[Content_Types].xml" not in names:
        return None
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        return None  # macro-enabled documents are active content, never accepted
    if any(n.startswith("word/") for n in names):
        return DOCX
    if any(n.startswith("xl/") for n in names):
        return XLSX
    return None


def _is_mp3_frame(head: bytes) -> bool:
    """MPEG audio frame sync: 11 set bits, a valid version and layer (ISO/IEC 11172-3 2.4.1.3)."""
    if len(head) < 4 or head[0] != 0xFF or (head[1] & 0xE0) != 0xE0:
        return False
    version = (head[1] >> 3) & 0x3
    layer = (head[1] >> 1) & 0x3
    bitrate = head[2] >> 4
    return version != 0x1 and layer != 0x0 and bitrate != 0xF


_TEXT_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")


def _is_text(head: bytes) -> bool:
    """Plain text: no control bytes, and decodes as UTF-8 (with or without BOM) or GB18030.

    The head may end inside a multi-byte character, so decoding is incremental (final=False).
    """
    if not head or _TEXT_CONTROL.search(head):
        return False
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(head, final=False)
            return True
        except UnicodeDecodeError:
            continue
    return False


def sniff(head: bytes) -> FileType | None:
    """The file type the bytes show, or None if they match no accepted format."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if head.startswith(b"%PDF-"):
        return PDF
    if head[:4] == b"RIFF" and len(head) >= 12:
        return {b"WEBP": WEBP, b"AVI ": AVI, b"WAVE": WAV}.get(head[8:12])
    if head[4:8] == b"ftyp" and len(head) >= 12:
        brand = head[8:12]
        if brand == b"qt  ":
            return MOV
        if brand.startswith(b"M4A"):
            return M4A
        return MP4
    if head.startswith(b"ID3") or _is_mp3_frame(head):
        return MP3
    if head.startswith(b"PK\x03\x04"):
        return _sniff_ooxml(head)
    if _is_text(head):
        return TEXT
    return None


def max_bytes_for(category: FileCategory | str) -> int:
    """Size limit for a file class; defaults overridable by settings.ZHIFA_EVIDENCE_MAX_BYTES."""
    limits = {**DEFAULT_MAX_BYTES, **getattr(settings, "ZHIFA_EVIDENCE_MAX_BYTES", {})}
    return int(limits[FileCategory(category).value])


def file_extension(filename: str) -> str:
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def normalise_declared_type(declared: str | None) -> str:
    return (declared or "").split(";", 1)[0].strip().lower()


def human_size(n: int) -> str:
    for unit, size in (("GB", GB), ("MB", MB), ("KB", 1024)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{n} B"


def check_upload(head: bytes, *, filename: str, declared_type: str | None, size_hint: int | None = None) -> FileType:
    """Accept the upload's first bytes or raise a ZhifaError that says why (never a 500).

    `head` is the first SNIFF_BYTES of the file (less only if the file is shorter).
    """
    if not head:
        raise ZhifaError(EvidenceErrorCode.FILE_EMPTY, "上传的文件为空", field="file")
    marker = find_active_content(head)
    if marker:
        raise ZhifaError(
            EvidenceErrorCode.ACTIVE_CONTENT,
            f"文件含有网页或脚本等可执行内容（{marker}），不予接收",
            field="file",
        )
    detected = sniff(head)
    if detected is None:
        raise ZhifaError(
            EvidenceErrorCode.FILE_TYPE_UNKNOWN,
            "无法识别的文件格式。可接收：JPEG、PNG、GIF、WebP 图片，PDF、docx、xlsx、纯文本文档，MP4/MOV、AVI 视频，WAV、MP3、M4A 音频",
            field="file",
        )
    ext = file_extension(filename)
    if not ext:
        raise ZhifaError(EvidenceErrorCode.FILE_TYPE_MISMATCH, f"文件名缺少扩展名；文件内容为{detected.label}", field="file")
    if ext not in detected.extensions:
        raise ZhifaError(
            EvidenceErrorCode.FILE_TYPE_MISMATCH,
            f"文件扩展名“.{ext}”与文件内容（{detected.label}）不符",
            field="file",
        )
    declared = normalise_declared_type(declared_type)
    if declared not in GENERIC_DECLARED_TYPES and declared not in detected.declared_aliases:
        raise ZhifaError(
            EvidenceErrorCode.FILE_TYPE_MISMATCH,
            f"声明的文件类型“{declared}”与文件内容（{detected.label}）不符",
            field="file",
        )
    if size_hint is not None:
        check_size(size_hint, detected)
    return detected


def check_size(size: int, detected: FileType) -> None:
    limit = max_bytes_for(detected.category)
    if size > limit:
        raise ZhifaError(
            EvidenceErrorCode.FILE_TOO_LARGE,
            f"{detected.category.label}文件不得超过 {human_size(limit)}（本文件 {human_size(size)}）",
            field="file",
        )
