"""Vocabularies of the case procedure (RULES §6). Chinese labels are what users see."""
from django.db import models


class CaseState(models.TextChoices):
    """The declared states of a case (RULES §6 preamble; CAS-01: one path for every origin)."""

    PENDING_FILING = "PENDING_FILING", "待立案审批"
    INVESTIGATING = "INVESTIGATING", "调查取证"
    PROPOSED = "PROPOSED", "调查终结（拟处理）"
    NOTICED = "NOTICED", "已告知（陈述申辩期）"
    HEARING = "HEARING", "听证"
    REVIEW = "REVIEW", "法制审核"
    COMMITTEE = "COMMITTEE", "集体讨论"
    READY = "READY", "待决定"
    DECIDED = "DECIDED", "已作出决定"
    SERVED = "SERVED", "已送达（履行中）"
    CLOSED = "CLOSED", "已结案"
    ARCHIVED = "ARCHIVED", "已归档"
    NOT_FILED = "NOT_FILED", "不予立案"


OPEN_STATES = frozenset(s for s in CaseState.values if s not in {CaseState.CLOSED, CaseState.ARCHIVED, CaseState.NOT_FILED})


class Origin(models.TextChoices):
    NON_SITE = "NON_SITE", "非现场监管线索"
    COMPLAINT = "COMPLAINT", "投诉举报"
    INSPECTION = "INSPECTION", "检查发现"
    TRANSFER = "TRANSFER", "移送/交办"
    OTHER = "OTHER", "其他"


class Procedure(models.TextChoices):
    GENERAL = "GENERAL", "普通程序"
    SIMPLE = "SIMPLE", "简易程序"


class PartyRole(models.TextChoices):
    UNIT = "UNIT", "生产经营单位"
    PRINCIPAL = "PRINCIPAL", "主要负责人"
    RESPONSIBLE = "RESPONSIBLE", "其他直接责任人员"


class PartyKind(models.TextChoices):
    ORG = "ORG", "单位"
    INDIVIDUAL = "INDIVIDUAL", "个人"


class OfficerRole(models.TextChoices):
    LEAD = "LEAD", "主办"
    ASSIST = "ASSIST", "协办"


class ActKind(models.TextChoices):
    INQUIRY = "INQUIRY", "询问（现场）"
    EVIDENCE_ROOM = "EVIDENCE_ROOM", "固定取证室询问"
    ONLINE_INQUIRY = "ONLINE_INQUIRY", "在线询问"
    INSPECTION = "INSPECTION", "勘验检查"
    CORRECTION_ORDER = "CORRECTION_ORDER", "责令限期整改"
    ONSITE_MEASURE = "ONSITE_MEASURE", "现场处理措施"


class ReadMode(models.TextChoices):
    READ_ALOUD = "READ_ALOUD", "向当事人宣读"
    PARTY_READ = "PARTY_READ", "当事人自行阅读"


class Confirmation(models.TextChoices):
    SIGNED = "SIGNED", "当事人签名"
    ORAL_ON_AV = "ORAL_ON_AV", "音视频中口头确认"
    E_SIGNATURE = "E_SIGNATURE", "电子签名"
    REFUSED = "REFUSED", "拒绝签名（已注明）"


class DecisionKind(models.TextChoices):
    """CAS-14 outcomes; the no-penalty kinds carry CLU-L01…L03 leniency."""

    PENALTY = "PENALTY", "给予行政处罚"
    NO_PENALTY_MINOR = "NO_PENALTY_MINOR", "不予处罚（违法行为轻微并及时改正）"
    NO_PENALTY_FIRST = "NO_PENALTY_FIRST", "不予处罚（初次违法且危害后果轻微并及时改正）"
    NOT_ESTABLISHED = "NOT_ESTABLISHED", "不予处罚（违法事实不能成立）"
    TRANSFER = "TRANSFER", "移送司法机关"


NO_PENALTY_KINDS = frozenset({DecisionKind.NO_PENALTY_MINOR, DecisionKind.NO_PENALTY_FIRST})


class StatementChannel(models.TextChoices):
    PORTAL = "PORTAL", "网上提交"
    WRITTEN = "WRITTEN", "书面"
    ORAL = "ORAL", "口头（记录在案）"


class StatementReview(models.TextChoices):
    ADOPTED = "ADOPTED", "采纳"
    PARTLY = "PARTLY", "部分采纳"
    REJECTED = "REJECTED", "不予采纳"


class HearingOutcome(models.TextChoices):
    HELD = "HELD", "听证已举行"
    TERMINATED_WAIVED = "TERMINATED_WAIVED", "当事人无正当理由缺席/中途退出，视为放弃"


class ReviewOpinion(models.TextChoices):
    PASS = "PASS", "同意（审核通过）"
    AMEND = "AMEND", "修改后通过"
    RETURN = "RETURN", "退回补充调查"


class CommitteeConclusion(models.TextChoices):
    HANDLER = "HANDLER", "采纳承办机构意见"
    REVIEWER = "REVIEWER", "采纳法制审核意见"
    OTHER = "OTHER", "另行决定"


class ServiceMethod(models.TextChoices):
    DIRECT = "DIRECT", "直接送达"
    LEFT = "LEFT", "留置送达"
    POSTAL = "POSTAL", "邮寄送达"
    PUBLIC_NOTICE = "PUBLIC_NOTICE", "公告送达"
    ELECTRONIC = "ELECTRONIC", "电子送达"


class EventKind(models.TextChoices):
    CREATED = "CREATED", "拟立案"
    FILED = "FILED", "立案"
    NOT_FILED = "NOT_FILED", "不予立案"
    OFFICER_ASSIGNED = "OFFICER_ASSIGNED", "指派执法人员"
    OFFICER_REMOVED = "OFFICER_REMOVED", "执法人员回避/调离"
    ACT_RECORDED = "ACT_RECORDED", "调查取证"
    EVIDENCE_LINKED = "EVIDENCE_LINKED", "关联证据"
    PROPOSED = "PROPOSED", "调查终结"
    PROPOSAL = "PROPOSAL", "提出处理意见"
    PARTY_ADDED = "PARTY_ADDED", "追加当事人"
    NOTICE_ISSUED = "NOTICE_ISSUED", "制作告知书"
    DOCUMENT_SERVED = "DOCUMENT_SERVED", "文书送达"
    STATEMENT = "STATEMENT", "陈述申辩"
    STATEMENT_REVIEWED = "STATEMENT_REVIEWED", "陈述申辩复核"
    WAIVER = "WAIVER", "放弃陈述申辩/听证"
    HEARING_REQUESTED = "HEARING_REQUESTED", "申请听证"
    HEARING_SCHEDULED = "HEARING_SCHEDULED", "听证通知"
    HEARING_RECORDED = "HEARING_RECORDED", "听证笔录"
    RECUSAL_APPLIED = "RECUSAL_APPLIED", "申请回避"
    RECUSAL_DECIDED = "RECUSAL_DECIDED", "回避决定"
    REVIEW_SUBMITTED = "REVIEW_SUBMITTED", "提交法制审核"
    REVIEW_OPINION = "REVIEW_OPINION", "法制审核意见"
    COMMITTEE = "COMMITTEE", "案审会集体讨论"
    DECIDED = "DECIDED", "作出决定"
    PAYMENT_NOTICE = "PAYMENT_NOTICE", "开具缴款通知"
    PAID = "PAID", "罚款缴清"
    CLOSED = "CLOSED", "结案"
    ARCHIVED = "ARCHIVED", "归档"
    MEASURE = "MEASURE", "证据保存/行政强制措施"
    EXTENDED = "EXTENDED", "延长办案期限"
    ENFORCEMENT = "ENFORCEMENT", "申请法院强制执行"
    DECISION_CHANGED = "DECISION_CHANGED", "决定被变更/撤销/确认违法或无效"


class MeasureKind(models.TextChoices):
    PRESERVATION = "PRESERVATION", "先行登记保存"
    SEAL = "SEAL", "查封"
    SEIZE = "SEIZE", "扣押"


class MeasureHandling(models.TextChoices):
    """CRC-07 / CAS-12: what becomes of the items when the measure ends."""

    RELEASE = "RELEASE", "解除（返还财物）"
    CONFISCATE = "CONFISCATE", "依法没收"
    DESTROY = "DESTROY", "依法销毁"
    TRANSFER = "TRANSFER", "移送有关部门"


class DecisionChangeKind(models.TextChoices):
    """What happened to a decision after it was made (reconsideration, litigation, self-correction);
    PUB-14 and PUB-26 together (AMB-02: the union of both lists)."""

    CHANGED = "CHANGED", "决定被变更"
    REVOKED = "REVOKED", "决定被撤销"
    CONFIRMED_ILLEGAL = "CONFIRMED_ILLEGAL", "决定被确认违法"
    CONFIRMED_VOID = "CONFIRMED_VOID", "决定被确认无效"
    REMAKE_ORDERED = "REMAKE_ORDERED", "决定被责令重新作出"


class ChangeAuthority(models.TextChoices):
    SELF = "SELF", "本机关依法自行纠正"
    RECONSIDERATION = "RECONSIDERATION", "行政复议机关"
    COURT = "COURT", "人民法院"
