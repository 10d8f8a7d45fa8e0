"""Every kind renders to a PDF with an embedded CJK font and its key fields (issue 5 item 7).

Each kind is issued once with its realistic sample context; `pdffonts` must list an embedded
Noto CJK font and `pdftotext` must find the party, the number and the kind's key values.
"""
from __future__ import annotations

import time

import pytest

from zhifa.documents.choices import DocumentKind
from zhifa.documents.samples import sample_context

from .conftest import compact, pdf_fonts, pdf_text

# Values from each sample context that must be legible in the PDF text.
KEY_TEXT = {
    "FILING_APPROVAL": ["未取得危险化学品经营许可证经营危险化学品案", "同意立案"],
    "INQUIRY_RECORD": ["陈建国", "3101************1X", "属实，我签字确认", "配合调查"],
    "CORRECTION_ORDER": ["2026年3月31日", "未分区存放", "60日内"],
    "ONSITE_MEASURE": ["责令立即将甲苯转移至合规储存场所"],
    "PRE_DECISION_NOTICE": ["罚款人民币120,000元", "2026年3月23日", "要求举行听证"],
    "HEARING_NOTICE": ["2026年4月8日14时00分", "孙伟（法制科）", "回避"],
    "HEARING_RECORD": ["刘律师", "请求从轻处罚"],
    "LEGAL_REVIEW_OPINION": ["审核结论：通过", "执法主体是否合法"],
    "PENALTY_DECISION": ["壹拾贰万元整", "¥120,000.00", "每日按罚款数额的3%加处罚款", "60日内", "6个月内", "2026年4月15日"],
    "NO_PENALTY_DECISION": ["不予行政处罚", "安全生产法律法规教育"],
    "SIMPLE_PENALTY_DECISION": ["贰仟元整", "3%", "特种作业人员未按规定持证上岗"],
    "SERVICE_RECEIPT": ["沪普应急罚决〔2026〕21号", "直接送达"],
    "PAYMENT_NOTICE": ["3101072026000002137", "壹拾贰万元整", "3%", "不直接收取罚款"],
    "SEALING_DECISION": ["甲苯储罐", "期限为30日", "一式两份"],
    "CLOSURE_REPORT": ["行政处罚决定已履行完毕"],
    "E_SERVICE_CONSENT": ["safety@shenlian-chem.example.cn", "到达受送达人特定系统的日期"],
    "COMMITTEE_DECISION": ["经集体讨论", "赵局长"],
}


def test_key_text__covers_every_kind():
    assert set(KEY_TEXT) == {k.value for k in DocumentKind}


@pytest.mark.parametrize("kind", [k.value for k in DocumentKind])
def test_document_issue__every_kind_embeds_a_cjk_font_and_shows_its_fields(kind, issue, world, tmp_path):
    from zhifa.documents.services import document_pdf

    # given the kind's realistic Chinese context, when issued for Putuo,
    started = time.perf_counter()
    doc = issue(kind)
    print(f"document_issue {kind}: {time.perf_counter() - started:.2f} s")  # shown with -s / -rP
    data = document_pdf(doc)
    # then the PDF embeds a Noto CJK font (pdffonts: emb = yes) and no font is left unembedded,
    fonts = pdf_fonts(data, tmp_path)
    assert fonts, "pdffonts listed no fonts"
    assert all(f["emb"] == "yes" for f in fonts), fonts
    assert any(f["type"].startswith("CID") and "ZF-" in f["name"] for f in fonts), fonts
    # and pdftotext finds the party, the number and the kind's key values
    text = compact(pdf_text(data, tmp_path))
    assert data.startswith(b"%PDF-")
    assert sample_context(kind)["party_name"] in text
    assert doc.number in text
    assert doc.number.startswith("沪普应急") and doc.number.endswith("〔2026〕1号")
    for item in KEY_TEXT[kind]:
        assert compact(item) in text, (kind, item)


def test_render_time__is_reasonable(issue):
    # given one warm render per kind above (or a fresh process), when one more document is issued,
    started = time.perf_counter()
    issue("PAYMENT_NOTICE")
    elapsed = time.perf_counter() - started
    # then it takes well under the few seconds a user would notice (measured ≈0.2–0.3 s warm)
    assert elapsed < 5.0, elapsed
