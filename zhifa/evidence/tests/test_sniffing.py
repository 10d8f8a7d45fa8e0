"""Upload safety: the bytes decide the type; names and declared types must agree (issue 3 item 3)."""
from __future__ import annotations

import struct

import pytest

from zhifa.common.errors import ZhifaError
from zhifa.evidence import sniffing
from zhifa.evidence.errors import EvidenceErrorCode

from .samples import jpeg_bytes, mp4_head, ooxml_bytes, pdf_bytes, png_bytes


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (jpeg_bytes(), "jpeg"),
        (png_bytes(), "png"),
        (b"GIF89a" + b"\x01\x00" * 10, "gif"),
        (b"RIFF" + struct.pack("<I", 100) + b"WEBPVP8 " + b"\x00" * 20, "webp"),
        (pdf_bytes(), "pdf"),
        (mp4_head(b"isom") + b"\x00" * 100, "mp4"),
        (mp4_head(b"qt  ") + b"\x00" * 100, "mov"),
        (mp4_head(b"M4A ") + b"\x00" * 100, "m4a"),
        (b"RIFF" + struct.pack("<I", 100) + b"AVI LIST" + b"\x00" * 20, "avi"),
        (b"RIFF" + struct.pack("<I", 100) + b"WAVEfmt " + b"\x00" * 20, "wav"),
        (b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\x00" * 20, "mp3"),
        (b"\xff\xfb\x90\x64" + b"\x00" * 100, "mp3"),
        (ooxml_bytes("word/document.xml"), "docx"),
        (ooxml_bytes("xl/workbook.xml"), "xlsx"),
        ("现场检查笔录：仓库内储存甲醇约 30 吨。\n".encode(), "text"),
        ("现场检查笔录".encode("gb18030"), "text"),
        (b"a,b,c\n1,2,3\n", "text"),
    ],
)
def test_sniff__recognises_accepted_formats(head, expected):
    # given the first bytes of a file of a known format / when sniffed / then the format is named
    assert sniffing.sniff(head).key == expected


@pytest.mark.parametrize(
    "head",
    [
        b"\x00\x01\x02\x03binary junk",
        b"PK\x03\x04" + b"\x00" * 60,  # a zip that is no OOXML document
        ooxml_bytes("word/vbaProject.bin"),  # macro-enabled → never accepted
        b"\x7fELF\x02\x01\x01" + b"\x00" * 50,
        b"MZ\x90\x00\x03" + b"\x00" * 50,
    ],
)
def test_sniff__unknown_or_executable_formats_are_not_recognised(head):
    assert sniffing.sniff(head) is None


def test_sniff__text_cut_inside_a_multibyte_character_is_still_text():
    # given UTF-8 text whose sniff window ends in the middle of a character
    head = ("证据" * 10).encode()[:-1]
    # then it is still recognised as text
    assert sniffing.sniff(head).key == "text"


def test_check_upload__matching_name_and_type_is_accepted():
    detected = sniffing.check_upload(jpeg_bytes(), filename="现场照片.JPG", declared_type="image/jpeg")
    assert detected.mime == "image/jpeg"


def test_check_upload__generic_declared_type_relies_on_extension():
    detected = sniffing.check_upload(pdf_bytes(), filename="笔录.pdf", declared_type="application/octet-stream")
    assert detected.mime == "application/pdf"


@pytest.mark.parametrize(
    ("data", "filename", "declared"),
    [
        (pdf_bytes(), "photo.jpg", "image/jpeg"),  # extension lies
        (jpeg_bytes(), "photo.jpg", "application/pdf"),  # declared type lies
        (png_bytes(), "photo.jpg", "image/png"),  # extension of another image type
        (ooxml_bytes("word/document.xml"), "table.xlsx", ""),  # docx named xlsx
        (b"plain words\n", "notes.pdf", "application/pdf"),
        (jpeg_bytes(), "photo", "image/jpeg"),  # no extension
    ],
)
def test_check_upload__declared_vs_sniffed_mismatch_rejected(data, filename, declared):
    with pytest.raises(ZhifaError) as exc:
        sniffing.check_upload(data, filename=filename, declared_type=declared)
    assert exc.value.code == EvidenceErrorCode.FILE_TYPE_MISMATCH


@pytest.mark.parametrize(
    "data",
    [
        b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b"<svg onload=alert(1)>",
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 100 + b"<script>fetch('/api/')</script>",  # JPEG/HTML polyglot
        b"%PDF-1.4\n<html><body>hi</body></html>",
        b"GIF89a/*\x00\x00*/=1;<SCRIPT src=x></SCRIPT>",
    ],
)
def test_check_upload__active_content_disguised_as_image_or_pdf_rejected(data):
    # given HTML/SVG/script, alone or behind an image/PDF magic number, named like a photo
    # when checked / then refused as active content, whatever the declared type
    for filename, declared in (("photo.jpg", "image/jpeg"), ("doc.pdf", "application/pdf"), ("x.gif", "image/gif")):
        with pytest.raises(ZhifaError) as exc:
            sniffing.check_upload(data, filename=filename, declared_type=declared)
        assert exc.value.code == EvidenceErrorCode.ACTIVE_CONTENT


def test_check_upload__empty_file_rejected():
    with pytest.raises(ZhifaError) as exc:
        sniffing.check_upload(b"", filename="a.jpg", declared_type="image/jpeg")
    assert exc.value.code == EvidenceErrorCode.FILE_EMPTY


def test_check_upload__unknown_format_rejected():
    with pytest.raises(ZhifaError) as exc:
        sniffing.check_upload(b"\x00\x00\x00binary", filename="a.bin", declared_type="")
    assert exc.value.code == EvidenceErrorCode.FILE_TYPE_UNKNOWN


def test_size_limit__per_category_from_settings(settings):
    # given a 1 KB limit for images from settings
    settings.ZHIFA_EVIDENCE_MAX_BYTES = {"image": 1024}
    # when a 2 KB image is announced / then it is refused with the limit named
    with pytest.raises(ZhifaError) as exc:
        sniffing.check_upload(jpeg_bytes(), filename="a.jpg", declared_type="image/jpeg", size_hint=2048)
    assert exc.value.code == EvidenceErrorCode.FILE_TOO_LARGE
    assert "1.0 KB" in exc.value.message
    # and other categories keep their defaults
    assert sniffing.max_bytes_for("video") == 4 * sniffing.GB
    assert sniffing.max_bytes_for("document") == 50 * sniffing.MB


def test_default_size_limits__images_20mb_documents_50mb_video_4gb():
    assert sniffing.DEFAULT_MAX_BYTES == {
        "image": 20 * sniffing.MB,
        "document": 50 * sniffing.MB,
        "text": 50 * sniffing.MB,
        "audio": 1 * sniffing.GB,
        "video": 4 * sniffing.GB,
    }
