"""The case's documents: builds each kind's context (the contract in zhifa/documents/kinds.py and
docs/documents.md) from the case and issues it through the documents service.

Personal data: a document carries the party's identity and address only where the law needs it
(DEC-01 names the party and its address on a decision); a natural person's ID number is masked, and
a principal person is addressed at the unit (工作单位地址), never at home.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from zhifa.common.masking import mask_id_number
from zhifa.common.timeutil import local_date, today
from zhifa.documents.kinds import get_kind
from zhifa.documents.services import document_issue

from .choices import ActKind, PartyKind
from .rules import penalties
from .rules import review as review_rules
from .selectors import name_of

STATEMENT_CHANNELS = ["登录企业端“案件办理”页面在线提交", "向承办机关递交书面材料", "到承办机关当面陈述（记录在案）"]


def title_of(document) -> str:
    spec = get_kind(document.kind)
    return spec.title if spec else document.kind


def _officers(case) -> list[dict[str, str]]:
    out = []
    for row in case.officers.filter(removed_at__isnull=True).select_related("user").order_by("id"):
        cred = next((c for c in row.user.credentials.all() if c.is_valid_on(today())), None)
        out.append({"name": name_of(row.user), "credential_no": cred.number if cred else "（无有效执法证）"})
    return out


def _organisation_bodies(case) -> dict[str, str]:
    """The reconsideration body is the people's government at the organ's level (Administrative
    Reconsideration Law 2023 art. 24) and the court the basic court of the same district; both are
    derived from the organ's name, e.g. 上海市普陀区应急管理局 → 上海市普陀区人民政府 / 人民法院."""
    name = case.organisation.name
    base = name.replace("应急管理局", "").replace("应急局", "") or name
    return {"reconsideration_body": f"{base}人民政府", "litigation_court": f"{base}人民法院"}


def _party(case, party=None) -> dict[str, Any]:
    ent = case.enterprise
    if party is None or party.kind == PartyKind.ORG:
        return {"party_name": ent.name, "party_uscc": ent.uscc, "party_address": ent.business_address or ent.registered_address,
                "party_representative": ent.principal.name if ent.principal_id else ""}
    person = party.person
    return {"party_name": party.name, "party_uscc": mask_id_number(person.id_number) if person and person.id_number else "",
            "party_address": f"{ent.name}（{ent.business_address or ent.registered_address}）", "party_representative": ""}


def _evidence(case) -> list[str]:
    """EVI-01/EVI-05: only admissible evidence may found the facts a notice or decision states."""
    from zhifa.evidence.selectors import admissibility_of

    items = [f"{link.item.title}（{link.proves}）" for link in case.evidence.select_related("item").order_by("id") if admissibility_of(link.item).usable]
    return items or ["（见案卷证据目录）"]


def _penalty_text(proposal) -> str:
    parts = [penalties.PenaltyType[t].label for t in proposal.penalty_types if t in penalties.PenaltyType.__members__]
    text = "、".join(parts)
    if proposal.fine:
        text += f"，罚款人民币{proposal.fine:,.2f}元"
    if proposal.confiscation:
        text += f"，没收{proposal.confiscation:,.2f}元"
    return text or "—"


def _stamp(value: datetime) -> str:
    local = timezone.localtime(value)
    return f"{local.year}年{local.month}月{local.day}日 {local.hour}时{local.minute:02d}分"


def context_for(case, kind: str, *, party=None, **objs) -> dict[str, Any]:
    ctx: dict[str, Any] = {"organisation_name": case.organisation.name, "case_number": case.number, **_party(case, party)}
    bodies = _organisation_bodies(case)
    if kind == "FILING_APPROVAL":
        ctx |= {"cause": case.title, "case_source": case.get_origin_display(), "case_summary": case.facts, "basis": case.benchmark_code or "见案件事实",
                "officers": _officers(case), "handler_opinion": "建议立案调查", "approver_opinion": "同意立案",
                "approver": name_of(case.filing_approved_by) if case.filing_approved_by else "", "approved_on": case.filed_on}
    elif kind in ("INQUIRY_RECORD", "CORRECTION_ORDER", "ONSITE_MEASURE"):
        act = objs["act"]
        officers = [o for o in _officers(case)]
        if kind == "INQUIRY_RECORD":
            mode = {ActKind.EVIDENCE_ROOM: "固定取证室", ActKind.ONLINE_INQUIRY: "线上视频询问", ActKind.INSPECTION: "勘验检查"}.get(act.kind, "当面询问")
            ctx |= {"started_at": _stamp(act.occurred_at), "ended_at": _stamp(act.occurred_at), "place": act.place, "mode": mode,
                    "interviewee": {"name": act.interviewee or "当事人"}, "recorder": officers[0]["name"] if officers else "", "officers": officers,
                    "evidence_presented": [str(i) for i in act.presented_evidence_ids],
                    "qa": [{"q": "执法人员已出示执法证件，并告知你有陈述、申辩、申请听证、申请回避的权利和配合调查的义务，听清楚了吗？", "a": "听清楚了。"},
                           {"q": "请陈述有关情况。", "a": act.content}],
                    "read_back": f"以上笔录已{act.get_read_mode_display()}，" + ("当事人拒绝签名：" + act.refusal_note if act.refusal_note else "与所述一致")}
        else:
            ctx |= {"findings": [case.title], "basis": case.benchmark_code or "《中华人民共和国安全生产法》", "officers": officers, **bodies}
            if kind == "CORRECTION_ORDER":
                ctx |= {"deadline": act.correction_deadline, "requirements": act.content}
            else:
                ctx |= {"measures": [act.content]}
    elif kind == "PRE_DECISION_NOTICE":
        p = objs["proposal"]
        ctx |= {"facts": p.facts, "evidence": _evidence(case), "basis": p.law, "proposed_penalty": _penalty_text(p), "reasons": p.facts,
                "discretion": p.discretion or (f"适用裁量基准 {p.benchmark_code} {p.band_code} 档" if p.band_code else ""),
                "statement_deadline": objs.get("statement_deadline") or today(), "hearing_right": bool(objs["hearing_right"]),
                "hearing_deadline": objs.get("hearing_deadline") or today(), "channels": STATEMENT_CHANNELS,
                "rights": ["申请执法人员回避"]}
    elif kind == "HEARING_NOTICE":
        h = objs["hearing"]
        ctx |= {"request_received_on": local_date(h.requested_at), "hearing_at": f"{h.scheduled_on.year}年{h.scheduled_on.month}月{h.scheduled_on.day}日",
                "hearing_place": h.place, "presiding_officer": name_of(h.presider), "public": h.public,
                "non_public_reason": h.closed_reason}
    elif kind == "HEARING_RECORD":
        h = objs["hearing"]
        ctx |= {"hearing_at": str(h.scheduled_on), "hearing_place": h.place, "presiding_officer": name_of(h.presider),
                "clerk": name_of(h.presider), "public": h.public, "investigators": _officers(case),
                "attendees": [{"name": party.name, "role": "当事人"}] + [{"name": a, "role": "委托代理人"} for a in h.agents],
                "proceedings": [{"speaker": "记录", "content": objs["summary"]}],
                "party_signature_note": "当事人已核对签名" if h.party_signed else (h.refusal_note or "当事人缺席")}
    elif kind == "LEGAL_REVIEW_OPINION":
        r = objs["review"]
        labels = {**review_rules.CHECKLIST, review_rules.NON_SITE_ITEM: "非现场视听资料、电子数据真实、清晰、完整、准确、合法"}
        ctx |= {"submitted_by": name_of(r.submitted_by), "submitted_on": local_date(r.submitted_at),
                "case_summary": case.facts, "proposed_decision": "；".join(f"{p['kind']} {p['fine'] or ''}" for p in r.snapshot.get("parties", [])),
                "review_items": [{"item": labels.get(k, k), "result": "通过" if v["result"] == "PASS" else "不通过", "comment": v.get("comment", "")} for k, v in r.items.items()],
                "conclusion": r.get_opinion_display(), "opinion": r.opinion_text, "reviewers": [name_of(r.reviewer)]}
    elif kind == "COMMITTEE_DECISION":
        c = objs["committee"]
        ctx |= {"meeting_at": str(c.held_on), "place": case.organisation.name, "chair": name_of(c.recorded_by),
                "attendees": [m.strip() for m in c.members.replace("，", ",").split(",") if m.strip()] or [c.members], "recorder": name_of(c.recorded_by),
                "case_summary": case.facts, "disagreement": c.review.opinion_text if c.review else "", "discussion": [{"speaker": "集体讨论", "opinion": c.text}],
                "decision": c.get_conclusion_display() + "：" + c.text}
    elif kind == "PENALTY_DECISION":
        d = objs["decision"]
        ctx |= {"facts": d.reasoning["facts"], "evidence": _evidence(case), "basis": d.reasoning["law"], "penalty": _penalty_text(d),
                "fine_amount": d.fine if d.fine else None, "correction": d.proposal.correction_order, "reasoning": d.reasoning,
                "payment_manner": "自收到本决定书之日起十五日内，通过非税收入电子缴款平台或代收银行缴纳（本机关不直接收取罚款）",
                "payment_due_days": 15, "decided_on": d.decided_on, **bodies}
    elif kind == "NO_PENALTY_DECISION":
        d = objs["decision"]
        basis = {"NO_PENALTY_FIRST": "《中华人民共和国行政处罚法》第三十三条第一款（初次违法且危害后果轻微并及时改正）",
                 "NO_PENALTY_MINOR": "《中华人民共和国行政处罚法》第三十三条第一款（违法行为轻微并及时改正，没有造成危害后果）",
                 "NOT_ESTABLISHED": "《中华人民共和国行政处罚法》第五十七条第一款第（四）项（违法事实不能成立）"}.get(d.kind, d.get_kind_display())
        ctx |= {"facts": d.reasoning["facts"], "evidence": _evidence(case), "basis": basis, "reasons": d.reasoning.get("discretion") or d.get_kind_display(),
                "education": d.proposal.education or "（不适用）", "decided_on": d.decided_on, **bodies}
    elif kind == "SEALING_DECISION":
        m = objs["measure"]
        ctx |= {"measure": m.get_kind_display(), "reasons": m.reason, "basis": m.basis,
                "items": [{"name": i["name"], "quantity": i["quantity"], "location": i.get("location", "")} for i in m.items],
                "period_days": m.period_days, "start_on": m.started_on, "place": case.enterprise.business_address or case.enterprise.registered_address,
                "officers": _officers(case), **bodies}
    elif kind == "SIMPLE_PENALTY_DECISION":
        d = objs["decision"]
        ctx.pop("case_number", None)
        ctx |= {"occurred_at": _stamp(timezone.now()), "place": objs["place"], "facts": d.reasoning["facts"], "basis": d.reasoning["law"],
                "penalty": _penalty_text(d), "fine_amount": d.fine if d.fine else None,
                "payment_manner": "自收到本决定书之日起十五日内，通过非税收入电子缴款平台或代收银行缴纳（本机关不直接收取罚款）",
                "officers": _officers(case), **bodies}
    elif kind == "CLOSURE_REPORT":
        decisions = [p.decision for p in case.parties.all() if hasattr(p, "decision")]
        ctx |= {"cause": case.title, "filed_on": case.filed_on or local_date(case.created_at), "case_summary": case.facts,
                "decision_summary": "；".join(f"{d.party.name}：{d.get_kind_display()}" + (f"，罚款{d.fine:,.2f}元" if d.fine else "") for d in decisions) or "—",
                "performance": "罚款已由缴款平台确认缴清" if any(d.fine for d in decisions) else "决定书已送达",
                "closure_reason": case.closure_reason, "officers": _officers(case), "closed_on": case.closed_on or today()}
    return ctx


def issue(case, kind: str, *, actor, party=None, **objs):
    """Issue a document of `kind` for the case (numbered per organisation and year)."""
    ctx = context_for(case, kind, party=party, **objs)
    return document_issue(kind=kind, organisation=case.organisation, context=ctx, actor=actor, ref=case.ref,
                          enterprise_id=case.enterprise_id if get_kind(kind) and get_kind(kind).party_facing else None)

