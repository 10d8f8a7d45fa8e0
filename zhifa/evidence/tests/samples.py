"""Small, real file samples for evidence tests (built in code, no binary fixtures)."""
from __future__ import annotations

import hashlib
import io
import struct
import zipfile
import zlib
from datetime import timedelta

from django.utils import timezone

from zhifa.evidence.choices import EvidenceKind, EvidenceSource


def png_bytes(width: int = 2, height: int = 2, seed: int = 0) -> bytes:
    """A valid RGB PNG; `seed` varies the pixels so that different samples hash differently."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + bytes(((x * 40 + y * 7 + seed) % 256) for x in range(width * 3)) for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def jpeg_bytes(size: int = 4096, seed: int = 0) -> bytes:
    """JPEG magic (SOI + APP0 JFIF) followed by deterministic filler and EOI."""
    head = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    filler = hashlib.sha256(f"jpeg-{seed}".encode()).digest() * (size // 32 + 1)
    return head + filler[: max(0, size - len(head) - 2)] + b"\xff\xd9"


def pdf_bytes(text: str = "evidence") -> bytes:
    return b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% " + text.encode() + b"\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def mp4_head(brand: bytes = b"isom") -> bytes:
    return struct.pack(">I", 24) + b"ftyp" + brand + b"\x00\x00\x02\x00" + brand + b"mp41"


def ooxml_bytes(main_part: str) -> bytes:
    """A minimal docx ("word/document.xml") or xlsx ("xl/workbook.xml") container."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        zf.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships/>')
        zf.writestr(main_part, '<?xml version="1.0"?><root/>')
    return buf.getvalue()


def chunked(data: bytes, size: int = 64 * 1024):
    for i in range(0, len(data), size):
        yield data[i : i + size]


def metadata(**overrides):
    data = {
        "kind": EvidenceKind.AUDIO_VISUAL,
        "title": "仓库现场照片",
        "production_method": "现场拍摄",
        "produced_at": timezone.now() - timedelta(hours=1),
        "producer": "李执法",
        "object_proven": "仓库内超量储存危险化学品",
        "source": EvidenceSource.OFFICER,
        "is_original_carrier": True,
        "copy_method": "",
    }
    data.update(overrides)
    return data


ALL_PASS = {"TRUE": True, "CLEAR": True, "COMPLETE": True, "ACCURATE": True, "LAWFUL": True}
