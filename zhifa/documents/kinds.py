"""The registry of enforcement document kinds (执法文书种类) and their context contracts.

Each kind declares its Chinese title, the word of its number (文号, e.g. 罚决 in
沪普应急罚决〔2026〕12号), the context keys its template needs (with Chinese labels, used in
error messages) and the statutory text its rendered document must contain. The contract is
data: `zhifa.documents.rules.validate_context` checks a context against it, the issuing
service refuses a rendered document that lacks a statutory phrase (so an edited template cannot
drop it), and docs/documents.md lists the same table for the callers (cases, inspections).

Documents never import the apps that use them; a caller passes plain values.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from .choices import DocumentKind


class FieldType(str, enum.Enum):
    TEXT = "text"  # a non-empty string
    TEXT_LIST = "text_list"  # a list of non-empty strings
    RECORD = "record"  # a dict with the keys of `parts`
    RECORDS = "records"  # a list of such dicts
    BOOL = "bool"
    DATE = "date"  # datetime.date or ISO "YYYY-MM-DD"; stored as the ISO string
    MONEY = "money"  # Decimal, int or decimal string, yuan, >= 0; stored as "12345.00"
    INT = "int"


@dataclass(frozen=True)
class Field:
    """One context key. `parts` are the keys of a RECORD or of each item of RECORDS."""

    key: str
    label: str
    type: FieldType = FieldType.TEXT
    required: bool = True
    parts: tuple[Field, ...] = ()
    min_items: int = 1
    min_value: int | None = None
    max_value: int | None = None
    default: Any = None
    required_if: str | None = None  # required when this boolean key of the context is true
    rule: str = ""  # the RULES.md ID that makes the key necessary
    help: str = ""


@dataclass(frozen=True)
class StatutoryText:
    """Phrases the rendered document must contain because a rule says the party must be told."""

    phrases: tuple[str, ...]
    label: str
    rule: str
    when: str | None = None  # only when this context key is truthy


@dataclass(frozen=True)
class KindSpec:
    code: str
    title: str
    number_word: str
    fields: tuple[Field, ...]
    party_facing: bool = True  # False: internal form, never shown to the enterprise portal
    statutory: tuple[StatutoryText, ...] = ()
    description: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def required_fields(self) -> dict[str, str]:
        """Key → Chinese label of every key that must be present (conditional ones excluded)."""
        return {f.key: f.label for f in self.fields if f.required and not f.required_if}

    @property
    def optional_fields(self) -> dict[str, str]:
        return {f.key: f.label for f in self.fields if not f.required or f.required_if}

    def field(self, key: str) -> Field | None:
        return next((f for f in self.fields if f.key == key), None)


# --- shared pieces ------------------------------------------------------------------------------

NAME = Field("name", "姓名")
CREDENTIAL_NO = Field("credential_no", "执法证号")


def officers(min_items: int = 2, label: str = "执法人员", key: str = "officers") -> Field:
    """CAS-04 (APL art. 42): at least two officers with enforcement credentials act together."""
    return Field(key, label, FieldType.RECORDS, parts=(NAME, CREDENTIAL_NO), min_items=min_items, rule="CAS-04" if min_items >= 2 else "")


ORGANISATION_NAME = Field(
    "organisation_name", "执法机关名称", required=False, help="缺省取本机构发文设置中的机关全称（红头、落款和印章）"
)
CASE_NUMBER = Field("case_number", "案号")
CASE_NUMBER_OPTIONAL = Field("case_number", "案号", required=False)
PARTY_NAME = Field("party_name", "当事人")
PARTY_USCC = Field("party_uscc", "统一社会信用代码（身份证件号码）", required=False, help="自然人证件号码由调用方按需脱敏")
PARTY_ADDRESS = Field("party_address", "当事人地址", rule="DEC-01")
PARTY_ADDRESS_OPTIONAL = Field("party_address", "当事人地址", required=False)
PARTY_REPRESENTATIVE = Field("party_representative", "法定代表人（负责人）", required=False)
ISSUED_ON = Field("issued_on", "成文日期", FieldType.DATE, required=False, help="缺省为当天（上海时间）；文号年度取此日期的年份")
RECONSIDERATION_BODY = Field("reconsideration_body", "行政复议机关", rule="DEC-01", help="如：上海市普陀区人民政府")
LITIGATION_COURT = Field("litigation_court", "管辖人民法院", rule="DEC-01", help="如：上海市普陀区人民法院")
EVIDENCE = Field("evidence", "证据", FieldType.TEXT_LIST)
FINDINGS = Field("findings", "发现的问题（违法行为）", FieldType.TEXT_LIST)
REASONING = Field(
    "reasoning",
    "说理（四理说清）",
    FieldType.RECORD,
    rule="DSC-05",
    parts=(
        Field("facts", "事理（认定的事实）"),
        Field("law", "法理（适用的法律）"),
        Field("discretion", "道理（裁量理由）"),
        Field("statements_response", "情理（陈述申辩采纳情况）", rule="RTS-06"),
    ),
)


def common(*, case_number: bool = True, address: bool = True) -> tuple[Field, ...]:
    return (
        ORGANISATION_NAME,
        CASE_NUMBER if case_number else CASE_NUMBER_OPTIONAL,
        PARTY_NAME,
        PARTY_USCC,
        PARTY_ADDRESS if address else PARTY_ADDRESS_OPTIONAL,
        PARTY_REPRESENTATIVE,
        ISSUED_ON,
    )


REMEDIES = StatutoryText(("60日", "6个月"), "申请行政复议（60日内）和提起行政诉讼（6个月内）的途径和期限", "DEC-01")
LATE_FEE = StatutoryText(("3%",), "逾期不缴纳罚款每日按罚款数额的3%加处罚款", "PAY-06", when="fine_amount")
FIRST_CONTACT_RIGHTS = StatutoryText(
    ("陈述", "申辩", "听证", "回避", "配合调查"), "陈述、申辩、申请听证、申请回避的权利和配合调查的义务", "RTS-05"
)
NOTICE_RIGHTS = StatutoryText(("陈述", "申辩"), "陈述、申辩的权利及提出渠道", "RTS-01")
NOTICE_HEARING = StatutoryText(("听证",), "要求听证的权利", "HRG-01", when="hearing_right")


# --- the kinds -------------------------------------------------------------------------------------

_SPECS: tuple[KindSpec, ...] = (
    KindSpec(
        DocumentKind.FILING_APPROVAL,
        "立案审批表",
        "立",
        (
            *common(address=False),
            Field("cause", "案由"),
            Field("case_source", "案件来源", help="如：非现场监管线索、投诉举报、监督检查"),
            Field("discovered_on", "发现日期", FieldType.DATE, required=False),
            Field("case_summary", "简要案情"),
            Field("basis", "立案依据"),
            officers(label="承办人"),
            Field("handler_opinion", "承办人意见"),
            Field("approver_opinion", "审批意见", required=False),
            Field("approver", "审批人", required=False),
            Field("approved_on", "审批日期", FieldType.DATE, required=False),
        ),
        party_facing=False,
        description="内部审批表（CAS-02）：立案由机关负责人审批。",
    ),
    KindSpec(
        DocumentKind.INQUIRY_RECORD,
        "询问笔录",
        "询",
        (
            *common(address=False),
            Field("started_at", "询问开始时间", help="如：2026年3月5日 9时30分"),
            Field("ended_at", "询问结束时间"),
            Field("place", "询问地点"),
            Field("mode", "询问方式", help="当面询问 / 固定取证室 / 线上视频询问（CAS-08…CAS-10）"),
            Field(
                "interviewee",
                "被询问人",
                FieldType.RECORD,
                parts=(
                    NAME,
                    Field("gender", "性别", required=False),
                    Field("id_number", "身份证件号码", required=False),
                    Field("position", "工作单位及职务", required=False),
                    Field("phone", "联系电话", required=False),
                ),
            ),
            Field("recorder", "记录人"),
            officers(),
            Field("evidence_presented", "出示的证据", FieldType.TEXT_LIST, required=False, rule="CAS-09"),
            Field("qa", "询问内容", FieldType.RECORDS, parts=(Field("q", "问"), Field("a", "答"))),
            Field("read_back", "核对方式", help="如：以上笔录已向我宣读，与我所说一致（CAS-11）", rule="CAS-11"),
        ),
        statutory=(FIRST_CONTACT_RIGHTS,),
        description="首次接触当事人的笔录，载明执法人员出示证件并告知权利义务（CAS-05、RTS-05）。",
    ),
    KindSpec(
        DocumentKind.CORRECTION_ORDER,
        "责令限期整改指令书",
        "责改",
        (
            *common(case_number=False),
            FINDINGS,
            Field("basis", "依据"),
            Field("deadline", "整改期限", FieldType.DATE),
            Field("requirements", "整改要求", required=False),
            officers(),
            RECONSIDERATION_BODY,
            LITIGATION_COURT,
        ),
        statutory=(REMEDIES,),
        description="责令限期改正（CAS-09、CAS-13），与询问笔录同时出具。",
    ),
    KindSpec(
        DocumentKind.ONSITE_MEASURE,
        "现场处理措施决定书",
        "现决",
        (
            *common(case_number=False),
            FINDINGS,
            Field("measures", "现场处理措施", FieldType.TEXT_LIST, help="如：责令立即从危险区域内撤出作业人员"),
            Field("basis", "依据"),
            Field("measure_until", "措施期限", required=False),
            officers(),
            RECONSIDERATION_BODY,
            LITIGATION_COURT,
        ),
        statutory=(REMEDIES,),
        description="现场处理措施（WSL 第65条，CAS-09）。",
    ),
    KindSpec(
        DocumentKind.PRE_DECISION_NOTICE,
        "行政处罚告知书",
        "罚告",
        (
            *common(),
            Field("facts", "违法事实", rule="RTS-01"),
            Field("evidence", "证据", FieldType.TEXT_LIST, rule="RTS-01"),
            Field("basis", "法律依据", rule="RTS-01"),
            Field("proposed_penalty", "拟作出的行政处罚", rule="RTS-01"),
            Field("reasons", "理由", rule="RTS-01"),
            Field("discretion", "裁量说明", required=False, rule="DSC-05"),
            Field("rights", "其他权利", FieldType.TEXT_LIST, required=False),
            Field("statement_deadline", "陈述申辩截止日期", FieldType.DATE, rule="RTS-04"),
            Field("hearing_right", "是否告知听证权利", FieldType.BOOL, rule="HRG-01"),
            Field("hearing_deadline", "听证申请截止日期", FieldType.DATE, required_if="hearing_right", rule="HRG-04"),
            Field("channels", "陈述申辩渠道", FieldType.TEXT_LIST, rule="RTS-01"),
            Field("contact", "联系人及电话", required=False),
        ),
        statutory=(NOTICE_RIGHTS, NOTICE_HEARING),
        description="处罚决定前的告知（RTS-01、HRG-01、DSC-05）。",
    ),
    KindSpec(
        DocumentKind.HEARING_NOTICE,
        "听证通知书",
        "听通",
        (
            *common(),
            Field("request_received_on", "听证申请日期", FieldType.DATE),
            Field("hearing_at", "听证时间", help="如：2026年4月10日 14时00分"),
            Field("hearing_place", "听证地点"),
            Field("presiding_officer", "听证主持人", rule="HRG-08"),
            Field("clerk", "书记员", required=False),
            Field("public", "是否公开举行", FieldType.BOOL, rule="HRG-07"),
            Field("non_public_reason", "不公开举行的理由", required=False),
            Field("contact", "联系人及电话", required=False),
        ),
        statutory=(StatutoryText(("回避",), "申请主持人回避的权利", "HRG-08"),),
        description="听证通知，于听证7个工作日前送达（HRG-05）。",
    ),
    KindSpec(
        DocumentKind.HEARING_RECORD,
        "听证笔录",
        "听录",
        (
            *common(address=False),
            Field("hearing_at", "听证时间"),
            Field("hearing_place", "听证地点"),
            Field("presiding_officer", "听证主持人", rule="HRG-08"),
            Field("clerk", "书记员"),
            Field("public", "是否公开举行", FieldType.BOOL, rule="HRG-07"),
            officers(label="案件调查人员", key="investigators"),
            Field("attendees", "当事人及其代理人", FieldType.RECORDS, parts=(NAME, Field("role", "身份"))),
            Field("proceedings", "听证过程", FieldType.RECORDS, parts=(Field("speaker", "发言人"), Field("content", "内容"))),
            Field("party_signature_note", "当事人核对签名情况", required=False, rule="HRG-10"),
        ),
        description="听证笔录，当事人核对签名；拒签由主持人注明（HRG-10）。",
    ),
    KindSpec(
        DocumentKind.LEGAL_REVIEW_OPINION,
        "法制审核意见书",
        "审核",
        (
            *common(address=False),
            Field("submitted_by", "送审机构（承办人）"),
            Field("submitted_on", "送审日期", FieldType.DATE),
            Field("case_summary", "案件概要"),
            Field("proposed_decision", "拟作出的处理决定"),
            Field(
                "review_items",
                "审核事项",
                FieldType.RECORDS,
                rule="LRV-04",
                parts=(Field("item", "审核事项"), Field("result", "结论"), Field("comment", "说明", required=False)),
            ),
            Field("conclusion", "审核结论", help="通过 / 建议修改 / 退回补充调查"),
            Field("opinion", "审核意见"),
            Field("reviewers", "审核人员", FieldType.TEXT_LIST, rule="LRV-06"),
        ),
        party_facing=False,
        description="法制审核意见（LRV-04、LRV-05、LRV-09），入卷。",
    ),
    KindSpec(
        DocumentKind.PENALTY_DECISION,
        "行政处罚决定书",
        "罚决",
        (
            *common(),
            Field("facts", "违法事实", rule="DEC-01"),
            Field("evidence", "证据", FieldType.TEXT_LIST, rule="DEC-01"),
            Field("basis", "处罚依据", rule="DEC-01"),
            Field("penalty", "行政处罚的种类和内容", rule="DEC-01"),
            Field("fine_amount", "罚款金额（元）", FieldType.MONEY, required=False),
            Field("correction", "责令改正内容", required=False, rule="CAS-13"),
            REASONING,
            Field("payment_manner", "履行方式", rule="DEC-01", help="如：通过非税收入电子缴款平台或代收银行缴纳（PAY-02）"),
            Field("payment_due_days", "缴纳期限（日）", FieldType.INT, required=False, default=15, min_value=15, rule="PAY-01"),
            Field("decided_on", "决定日期", FieldType.DATE, rule="DEC-01"),
            RECONSIDERATION_BODY,
            LITIGATION_COURT,
        ),
        statutory=(REMEDIES, LATE_FEE),
        description="行政处罚决定书（DEC-01、DSC-05、PAY-06）。",
    ),
    KindSpec(
        DocumentKind.NO_PENALTY_DECISION,
        "不予行政处罚决定书",
        "不罚",
        (
            *common(),
            Field("facts", "违法事实"),
            Field("evidence", "证据", FieldType.TEXT_LIST),
            Field("basis", "不予处罚的依据", help="如：《中华人民共和国行政处罚法》第三十三条第一款"),
            Field("reasons", "不予处罚的理由"),
            Field("education", "教育情况", rule="CLU-L04", help="对当事人进行教育的方式和内容"),
            Field("decided_on", "决定日期", FieldType.DATE),
            RECONSIDERATION_BODY,
            LITIGATION_COURT,
        ),
        statutory=(REMEDIES,),
        description="首违不罚等不予处罚决定，附教育记录（CAS-14、CLU-L04）。",
    ),
    KindSpec(
        DocumentKind.SIMPLE_PENALTY_DECISION,
        "当场行政处罚决定书",
        "简罚",
        (
            *common(case_number=False),
            Field("occurred_at", "违法行为时间"),
            Field("place", "违法行为地点"),
            Field("facts", "违法行为"),
            Field("basis", "处罚依据"),
            Field("penalty", "处罚种类", help="警告，或罚款（CAS-03 限额）"),
            Field("fine_amount", "罚款金额（元）", FieldType.MONEY, required=False),
            Field("payment_manner", "履行方式", required=False),
            officers(),
            RECONSIDERATION_BODY,
            LITIGATION_COURT,
        ),
        statutory=(REMEDIES, LATE_FEE),
        description="简易程序当场处罚决定书：预定格式、编有号码（CAS-03）。",
    ),
    KindSpec(
        DocumentKind.SERVICE_RECEIPT,
        "送达回证",
        "送回",
        (
            *common(case_number=False, address=False),
            Field("documents", "送达文书", FieldType.RECORDS, parts=(Field("title", "文书名称"), Field("number", "文号"))),
            Field("recipient", "受送达人"),
            Field("service_method", "送达方式", help="直接送达 / 留置送达 / 邮寄送达 / 公告送达 / 电子送达"),
            Field("service_place", "送达地点", required=False),
            Field("served_on", "送达日期", FieldType.DATE, required=False, rule="SRV-04", help="留空时由签收人手填"),
            Field("signer", "签收人", required=False, rule="SRV-04"),
            Field("signer_role", "签收人身份", required=False, rule="SRV-04"),
            Field("remarks", "备注", required=False, rule="SRV-05", help="留置送达的理由、见证人等"),
            officers(min_items=1, label="送达人", key="servers"),
        ),
        description="送达回证（SRV-04、SRV-05）。",
    ),
    KindSpec(
        DocumentKind.PAYMENT_NOTICE,
        "缴款通知书",
        "缴通",
        (
            *common(),
            Field("decision_number", "处罚决定书文号"),
            Field("fine_amount", "应缴罚款（元）", FieldType.MONEY),
            Field("payment_code", "缴款码"),
            Field("due_date", "缴款截止日期", FieldType.DATE, rule="PAY-01"),
            Field("payment_channels", "缴款渠道", FieldType.TEXT_LIST, rule="PAY-02"),
            Field("payee", "收款单位（代收银行）", required=False),
        ),
        statutory=(
            StatutoryText(("3%",), "逾期不缴纳罚款每日按罚款数额的3%加处罚款", "PAY-06"),
            StatutoryText(("不直接收取罚款",), "作出处罚决定的机关及执法人员不直接收取罚款（罚缴分离）", "PAY-02"),
        ),
        description="缴款通知（PAY-01、PAY-02、PAY-06）。",
    ),
    KindSpec(
        DocumentKind.SEALING_DECISION,
        "查封（扣押）决定书",
        "查扣",
        (
            *common(),
            Field("measure", "强制措施", help="查封 / 扣押 / 查封、扣押"),
            Field("reasons", "理由", rule="CRC-05"),
            Field("basis", "依据", rule="CRC-05"),
            Field(
                "items",
                "查封（扣押）的场所、设施或者财物",
                FieldType.RECORDS,
                rule="CRC-05",
                parts=(Field("name", "名称"), Field("specification", "规格型号", required=False), Field("quantity", "数量"), Field("location", "存放地点", required=False)),
            ),
            Field("period_days", "期限（日）", FieldType.INT, min_value=1, max_value=30, rule="CRC-06"),
            Field("start_on", "起始日期", FieldType.DATE, rule="CRC-06"),
            Field("place", "实施地点"),
            officers(),
            RECONSIDERATION_BODY,
            LITIGATION_COURT,
        ),
        statutory=(REMEDIES, StatutoryText(("一式两份",), "查封（扣押）物品清单一式两份", "CRC-05")),
        description="查封扣押决定书，当场交付，附清单一式两份（CRC-05、CRC-06）。",
    ),
    KindSpec(
        DocumentKind.CLOSURE_REPORT,
        "结案报告",
        "结案",
        (
            *common(address=False),
            Field("cause", "案由"),
            Field("filed_on", "立案日期", FieldType.DATE),
            Field("case_summary", "案件概要"),
            Field("decision_summary", "处理决定"),
            Field("performance", "执行情况", rule="CLS-01"),
            Field("closure_reason", "结案理由", rule="CLS-01"),
            officers(label="承办人"),
            Field("approver_opinion", "审批意见", required=False),
            Field("closed_on", "结案日期", FieldType.DATE),
        ),
        party_facing=False,
        description="结案报告（CLS-01）。",
    ),
    KindSpec(
        DocumentKind.E_SERVICE_CONSENT,
        "送达地址确认书",
        "送确",
        (
            *common(case_number=False),
            Field("contact_person", "联系人"),
            Field("channels", "电子送达方式及地址", FieldType.RECORDS, rule="SRV-02", parts=(Field("channel", "方式"), Field("address", "地址（号码、账户）"))),
            Field("postal_address", "邮寄送达地址", required=False),
            Field("consent_scope", "同意电子送达的文书范围", required=False),
        ),
        statutory=(
            StatutoryText(("同意", "电子"), "当事人同意采用电子方式送达", "SRV-02"),
            StatutoryText(("到达受送达人特定系统的日期",), "电子送达以到达受送达人特定系统的日期为送达日期", "SRV-03"),
        ),
        description="送达地址及电子送达确认书，当事人签名确认（SRV-02、SRV-03）。",
    ),
    KindSpec(
        DocumentKind.COMMITTEE_DECISION,
        "案审会集体讨论记录",
        "集议",
        (
            *common(address=False),
            Field("meeting_at", "讨论时间"),
            Field("place", "地点"),
            Field("chair", "主持人"),
            Field("attendees", "出席人员", FieldType.TEXT_LIST),
            Field("recorder", "记录人"),
            Field("case_summary", "案件概要"),
            Field("disagreement", "分歧意见", required=False, rule="LRV-09"),
            Field("discussion", "讨论意见", FieldType.RECORDS, parts=(Field("speaker", "发言人"), Field("opinion", "意见"))),
            Field("decision", "集体讨论决定", rule="CAS-14"),
        ),
        party_facing=False,
        description="案件审理委员会（负责人）集体讨论记录（CAS-14、LRV-09）。",
    ),
)

KINDS: dict[str, KindSpec] = {str(spec.code): spec for spec in _SPECS}
assert set(KINDS) == {str(k) for k in DocumentKind}, "every DocumentKind needs a spec"

# Keys the service sets; a caller may not supply them.
RESERVED_KEYS = frozenset({"document_number", "document_title", "document_kind", "year", "serial", "seal_name", "is_preview", "font_urls"})


def get_kind(code: str) -> KindSpec | None:
    return KINDS.get(str(code))
