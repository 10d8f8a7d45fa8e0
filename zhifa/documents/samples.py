"""A realistic sample context per document kind.

Used to check a template before a version is saved (services.document_template_check), by the
admin preview, and by the tests. The data is fictitious; personal data is masked as a caller
would mask it.
"""
from __future__ import annotations

import copy
from typing import Any

from .choices import DocumentKind

PARTY = {
    "organisation_name": "上海市普陀区应急管理局",
    "case_number": "沪普应急立〔2026〕37号",
    "party_name": "上海申联化工贸易有限公司",
    "party_uscc": "91310107001234562E",
    "party_address": "上海市普陀区真南路1288号3幢201室",
    "party_representative": "陈建国",
    "issued_on": "2026-03-18",
}
OFFICERS = [{"name": "李明", "credential_no": "31010726000123"}, {"name": "王芳", "credential_no": "31010726000456"}]
REMEDY_BODIES = {"reconsideration_body": "上海市普陀区人民政府", "litigation_court": "上海铁路运输法院"}
FACTS = (
    "2026年2月26日，本机关通过危险化学品全流程监管平台发现，你单位在《危险化学品经营许可证》"
    "（沪普应急经字〔2023〕000128号）有效期届满后，于2026年1月5日至2月20日期间继续经营甲苯、"
    "乙酸乙酯等危险化学品，共计销售11批次、28.6吨。"
)
EVIDENCE = [
    "危险化学品全流程监管平台销售记录截图（电子数据，已审核）",
    "《危险化学品经营许可证》复印件",
    "询问笔录（沪普应急询〔2026〕15号）",
    "销售发票及出库单复印件11份",
    "现场检查照片6张",
]
BASIS = "《危险化学品安全管理条例》第七十七条第三款"

_SAMPLES: dict[str, dict[str, Any]] = {
    DocumentKind.FILING_APPROVAL: {
        **PARTY,
        "cause": "未取得危险化学品经营许可证经营危险化学品案",
        "case_source": "非现场监管线索（许可证过期后仍有经营活动）",
        "discovered_on": "2026-02-26",
        "case_summary": FACTS,
        "basis": "《中华人民共和国行政处罚法》第五十四条；《危险化学品安全管理条例》第七十七条第三款",
        "officers": OFFICERS,
        "handler_opinion": "当事人涉嫌未取得危险化学品经营许可证经营危险化学品，符合立案条件，建议立案调查。",
        "approver_opinion": "同意立案，由李明、王芳承办。",
        "approver": "赵局长",
        "approved_on": "2026-03-02",
    },
    DocumentKind.INQUIRY_RECORD: {
        **PARTY,
        "started_at": "2026年3月5日 9时30分",
        "ended_at": "2026年3月5日 10时45分",
        "place": "普陀区应急管理局固定取证室",
        "mode": "固定取证室当面询问（全程录音录像）",
        "interviewee": {"name": "陈建国", "gender": "男", "id_number": "3101************1X", "position": "上海申联化工贸易有限公司 法定代表人", "phone": "139****5678"},
        "recorder": "王芳",
        "officers": OFFICERS,
        "evidence_presented": ["危险化学品全流程监管平台销售记录截图", "《危险化学品经营许可证》复印件"],
        "qa": [
            {"q": "我们的身份和执法证件你看清楚了吗？你的权利和义务听清楚了吗？", "a": "看清楚了，听清楚了，不申请回避。"},
            {"q": "你单位的危险化学品经营许可证有效期到什么时候？", "a": "到2025年12月31日，我们以为延续申请提交后可以继续经营。"},
            {"q": "许可证到期后是否继续销售危险化学品？", "a": "1月到2月中旬卖过甲苯和乙酸乙酯，一共11批，平台上有记录。"},
            {"q": "请核对向你出示的平台销售记录截图是否属实。", "a": "属实，我签字确认。"},
        ],
        "read_back": "以上笔录已向我宣读，与我所说一致。",
    },
    DocumentKind.CORRECTION_ORDER: {
        **PARTY,
        "findings": ["《危险化学品经营许可证》有效期届满后未取得新证，仍在经营危险化学品。", "储存场所甲苯与氧化剂未分区存放。"],
        "basis": "《中华人民共和国安全生产法》第六十五条第一款第（三）项",
        "deadline": "2026-03-31",
        "requirements": "立即停止危险化学品经营活动；依法办理许可证延续手续；按相互禁忌要求分区分类储存。",
        "officers": OFFICERS,
        **REMEDY_BODIES,
    },
    DocumentKind.ONSITE_MEASURE: {
        **PARTY,
        "findings": ["仓库内违规存放甲苯约2吨，未设置防火分隔。"],
        "measures": ["责令立即将甲苯转移至合规储存场所", "责令暂时停止仓库内危险化学品的装卸作业"],
        "basis": "《中华人民共和国安全生产法》第六十五条第一款第（三）项",
        "measure_until": "至隐患整改完毕并经复查合格之日",
        "officers": OFFICERS,
        **REMEDY_BODIES,
    },
    DocumentKind.PRE_DECISION_NOTICE: {
        **PARTY,
        "facts": FACTS,
        "evidence": EVIDENCE,
        "basis": BASIS,
        "proposed_penalty": "没收违法所得人民币3,600元，并处罚款人民币120,000元",
        "reasons": "当事人未取得危险化学品经营许可证经营危险化学品，违反《危险化学品安全管理条例》第三十三条第一款的规定。",
        "discretion": "依据《上海市应急管理行政处罚裁量基准》，违法经营数量较大，属一般情形，按基准中档确定罚款数额。",
        "rights": ["有权委托代理人"],
        "statement_deadline": "2026-03-23",
        "hearing_right": True,
        "hearing_deadline": "2026-03-25",
        "channels": ["登录 zhifa 企业端在线提交陈述申辩意见", "向本机关提交书面陈述申辩材料", "到本机关当面陈述申辩"],
        "contact": "李明 021-5256****",
    },
    DocumentKind.HEARING_NOTICE: {
        **PARTY,
        "request_received_on": "2026-03-20",
        "hearing_at": "2026年4月8日 14时00分",
        "hearing_place": "上海市普陀区应急管理局第一听证室",
        "presiding_officer": "孙伟（法制科）",
        "clerk": "周敏",
        "public": True,
        "non_public_reason": "",
        "contact": "周敏 021-5256****",
    },
    DocumentKind.HEARING_RECORD: {
        **PARTY,
        "hearing_at": "2026年4月8日 14时00分至15时20分",
        "hearing_place": "上海市普陀区应急管理局第一听证室",
        "presiding_officer": "孙伟",
        "clerk": "周敏",
        "public": True,
        "investigators": OFFICERS,
        "attendees": [{"name": "陈建国", "role": "当事人法定代表人"}, {"name": "刘律师", "role": "委托代理人"}],
        "proceedings": [
            {"speaker": "主持人", "content": "宣布听证纪律，核对身份，告知权利义务，询问是否申请回避。当事人表示不申请回避。"},
            {"speaker": "调查人员", "content": "陈述违法事实、证据和拟作出的行政处罚。"},
            {"speaker": "当事人", "content": "对事实无异议，认为许可证延续申请已提交，主观过错较小，请求从轻处罚。"},
            {"speaker": "代理人", "content": "当事人积极整改，已停止经营，请求减轻罚款。"},
        ],
        "party_signature_note": "当事人已核对，签名确认。",
    },
    DocumentKind.LEGAL_REVIEW_OPINION: {
        **PARTY,
        "submitted_by": "执法大队一中队（承办人：李明、王芳）",
        "submitted_on": "2026-04-10",
        "case_summary": FACTS,
        "proposed_decision": "没收违法所得人民币3,600元，并处罚款人民币120,000元",
        "review_items": [
            {"item": "执法主体是否合法", "result": "通过", "comment": ""},
            {"item": "执法人员是否具备执法资格", "result": "通过", "comment": "两名执法人员均持有效执法证"},
            {"item": "程序是否合法", "result": "通过", "comment": "已告知并举行听证"},
            {"item": "事实是否清楚、证据是否确凿充分", "result": "通过", "comment": ""},
            {"item": "适用法律是否准确", "result": "通过", "comment": ""},
            {"item": "裁量基准运用是否适当", "result": "通过", "comment": "在基准中档内"},
            {"item": "非现场执法视听资料、电子数据是否真实、清晰、完整、准确、合法", "result": "通过", "comment": ""},
        ],
        "conclusion": "通过",
        "opinion": "事实清楚，证据确凿，适用依据正确，程序合法，裁量适当，同意承办机构意见。",
        "reviewers": ["孙伟", "钱丽"],
    },
    DocumentKind.PENALTY_DECISION: {
        **PARTY,
        "facts": FACTS,
        "evidence": EVIDENCE,
        "basis": BASIS,
        "penalty": "没收违法所得人民币3,600元，并处罚款",
        "fine_amount": "120000",
        "correction": "立即停止违法经营活动，依法办理危险化学品经营许可",
        "reasoning": {
            "facts": "当事人在许可证有效期届满后继续经营危险化学品11批次，有平台电子数据、销售票据和询问笔录相互印证。",
            "law": "该行为违反《危险化学品安全管理条例》第三十三条第一款，应依照第七十七条第三款处罚。",
            "discretion": "违法经营数量较大，但当事人如实陈述、积极整改，依据裁量基准在中档内确定罚款12万元。",
            "statements_response": "当事人在听证中提出主观过错较小的意见，经复核，其延续申请提交时许可证已过期，该意见不予采纳；积极整改的情节已在裁量中予以考虑。",
        },
        "payment_manner": "通过上海市非税收入电子缴款平台或代收银行缴纳罚款",
        "payment_due_days": 15,
        "decided_on": "2026-04-15",
        **REMEDY_BODIES,
    },
    DocumentKind.NO_PENALTY_DECISION: {
        **PARTY,
        "facts": "2026年3月3日，本机关通过非现场监管发现你单位未按规定在规定期限内报送生产安全事故应急预案备案材料，经提醒后于3月10日完成备案。",
        "evidence": ["应急预案备案系统记录", "整改提醒送达记录", "备案回执"],
        "basis": "《中华人民共和国行政处罚法》第三十三条第一款",
        "reasons": "当事人系初次违法，危害后果轻微并及时改正，依法可以不予行政处罚。",
        "education": "2026年3月12日，执法人员通过视频方式对当事人主要负责人进行安全生产法律法规教育，并告知再次违法的法律后果。",
        "decided_on": "2026-03-18",
        **REMEDY_BODIES,
    },
    DocumentKind.SIMPLE_PENALTY_DECISION: {
        **PARTY,
        "case_number": "",
        "occurred_at": "2026年3月18日 10时20分",
        "place": "上海市普陀区真南路1288号仓库",
        "facts": "特种作业人员未按规定持证上岗，从事叉车危险化学品装卸作业。",
        "basis": "《中华人民共和国安全生产法》第九十七条第（七）项",
        "penalty": "罚款",
        "fine_amount": "2000",
        "payment_manner": "自收到本决定书之日起15日内，通过上海市非税收入电子缴款平台或代收银行缴纳",
        "officers": OFFICERS,
        **REMEDY_BODIES,
    },
    DocumentKind.SERVICE_RECEIPT: {
        **PARTY,
        "documents": [{"title": "行政处罚决定书", "number": "沪普应急罚决〔2026〕21号"}, {"title": "缴款通知书", "number": "沪普应急缴通〔2026〕21号"}],
        "recipient": "上海申联化工贸易有限公司",
        "service_method": "直接送达",
        "service_place": "上海市普陀区真南路1288号3幢201室",
        "served_on": "",
        "signer": "",
        "signer_role": "",
        "remarks": "",
        "servers": OFFICERS,
    },
    DocumentKind.PAYMENT_NOTICE: {
        **PARTY,
        "decision_number": "沪普应急罚决〔2026〕21号",
        "fine_amount": "120000",
        "payment_code": "3101072026000002137",
        "due_date": "2026-05-06",
        "payment_channels": ["上海市非税收入电子缴款平台（“随申办”或网上银行）", "代收银行柜面：中国工商银行、中国建设银行在沪网点"],
        "payee": "上海市普陀区财政局（国库）",
    },
    DocumentKind.SEALING_DECISION: {
        **PARTY,
        "measure": "查封",
        "reasons": "现场存放的危险化学品储存设施不符合国家标准，存在重大事故隐患，需依法采取查封措施。",
        "basis": "《中华人民共和国安全生产法》第六十五条第一款第（四）项；《中华人民共和国行政强制法》第二十四条",
        "items": [
            {"name": "甲苯储罐", "specification": "5立方米 立式", "quantity": "2台", "location": "真南路1288号仓库东侧"},
            {"name": "甲苯", "specification": "桶装 200升", "quantity": "12桶", "location": "真南路1288号仓库2号库"},
        ],
        "period_days": 30,
        "start_on": "2026-03-18",
        "place": "上海市普陀区真南路1288号仓库",
        "officers": OFFICERS,
        **REMEDY_BODIES,
    },
    DocumentKind.CLOSURE_REPORT: {
        **PARTY,
        "cause": "未取得危险化学品经营许可证经营危险化学品案",
        "filed_on": "2026-03-02",
        "case_summary": FACTS,
        "decision_summary": "沪普应急罚决〔2026〕21号：没收违法所得人民币3,600元，并处罚款人民币120,000元。",
        "performance": "当事人于2026年4月28日通过非税收入电子缴款平台缴清罚没款，电子票据号 3100260428000123。",
        "closure_reason": "行政处罚决定已履行完毕",
        "officers": OFFICERS,
        "approver_opinion": "同意结案。",
        "closed_on": "2026-05-08",
    },
    DocumentKind.E_SERVICE_CONSENT: {
        **PARTY,
        "contact_person": "陈建国",
        "channels": [{"channel": "zhifa 企业端账户", "address": "shenlian-chem（企业联系人账户）"}, {"channel": "电子邮箱", "address": "safety@shenlian-chem.example.cn"}],
        "postal_address": "上海市普陀区真南路1288号3幢201室",
        "consent_scope": "本案全部执法文书",
    },
    DocumentKind.COMMITTEE_DECISION: {
        **PARTY,
        "meeting_at": "2026年4月13日 9时00分",
        "place": "上海市普陀区应急管理局三楼会议室",
        "chair": "赵局长",
        "attendees": ["赵局长", "钱副局长", "孙伟（法制科）", "吴科长（执法大队）", "李明（承办人）"],
        "recorder": "周敏",
        "case_summary": FACTS,
        "disagreement": "承办机构拟罚款12万元；法制审核认为当事人积极整改，建议罚款10万元。",
        "discussion": [
            {"speaker": "吴科长", "opinion": "违法经营数量较大，维持12万元。"},
            {"speaker": "孙伟", "opinion": "整改情节应在裁量中体现，建议10万元。"},
            {"speaker": "赵局长", "opinion": "综合考虑，按裁量基准中档下限确定。"},
        ],
        "decision": "经集体讨论，决定没收违法所得人民币3,600元，并处罚款人民币110,000元。",
    },
}


def sample_context(kind: str) -> dict[str, Any]:
    """A deep copy of the sample context of `kind` (callers may change it freely)."""
    return copy.deepcopy(_SAMPLES[str(kind)])


SAMPLE_KINDS = tuple(str(k) for k in _SAMPLES)
