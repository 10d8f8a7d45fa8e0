"""Enumerations of the clue app (English identifiers, Chinese labels)."""
from django.db import models


class Channel(models.TextChoices):
    """How a clue was found (CLU-02)."""

    DATA_COMPARISON = "DATA_COMPARISON", "数据比对"
    WARNING = "WARNING", "预警触发"
    DEVICE = "DEVICE", "电子技术监控设备"
    ONLINE_SYSTEM = "ONLINE_SYSTEM", "在线监管系统"
    COMPLAINT = "COMPLAINT", "投诉举报"
    TRANSFER = "TRANSFER", "转办交办"


class Severity(models.TextChoices):
    LOW = "LOW", "轻微"
    GENERAL = "GENERAL", "一般"
    SERIOUS = "SERIOUS", "较重"
    MAJOR = "MAJOR", "重大事故隐患"


class Category(models.TextChoices):
    """Triage category (CLU-X01/X02/X03, CLU-L01/L02)."""

    FIRST = "FIRST", "首次违法"
    MINOR = "MINOR", "轻微违法"
    GENERAL = "GENERAL", "一般违法"
    REPEATED = "REPEATED", "屡教不改"
    MAJOR_HAZARD = "MAJOR_HAZARD", "重大事故隐患"
    CRIME_SUSPECTED = "CRIME_SUSPECTED", "涉嫌犯罪"


class Owner(models.TextChoices):
    """Which unit holds the clue (S1 §4: supervision unit first, enforcement body after transfer)."""

    SUPERVISION = "SUPERVISION", "监管机构"
    ENFORCEMENT = "ENFORCEMENT", "执法机构"


class ClueStatus(models.TextChoices):
    OPEN = "OPEN", "待处置"
    REMINDED = "REMINDED", "已告知提醒"
    ANSWERED = "ANSWERED", "企业已答复"
    TRANSFERRED = "TRANSFERRED", "已移交执法机构"
    JUDICIAL = "JUDICIAL", "已移送司法机关"
    CLOSED = "CLOSED", "已办结"


ACTIVE_STATUSES = (ClueStatus.OPEN, ClueStatus.REMINDED, ClueStatus.ANSWERED)


class CloseReason(models.TextChoices):
    CONDITION_GONE = "CONDITION_GONE", "数据条件不再成立"
    CORRECTED = "CORRECTED", "已改正，不予处罚并已教育"
    DISMISSED = "DISMISSED", "经核实排除"
    LIMITATION = "LIMITATION", "超过行政处罚追责时效"
    SCENARIO_RETIRED = "SCENARIO_RETIRED", "检测场景已停用"
    CASE_OPENED = "CASE_OPENED", "已立案转入案件办理"
    TRANSFERRED_OUT = "TRANSFERRED_OUT", "不属于本部门职责，已移送主管部门"


class EventKind(models.TextChoices):
    DETECTED = "DETECTED", "发现线索"
    REFRESHED = "REFRESHED", "事实更新"
    CONDITION_GONE = "CONDITION_GONE", "数据条件不再成立"
    REMINDER_SENT = "REMINDER_SENT", "告知提醒"
    ANSWER_RECEIVED = "ANSWER_RECEIVED", "企业答复"
    CORRECTION_VERIFIED = "CORRECTION_VERIFIED", "核实已改正"
    CORRECTION_REJECTED = "CORRECTION_REJECTED", "核实未改正"
    REMINDER_OVERDUE = "REMINDER_OVERDUE", "逾期未改正"
    TRANSFERRED = "TRANSFERRED", "移交执法机构"
    JUDICIAL_TRANSFER = "JUDICIAL_TRANSFER", "移送司法机关"
    DISMISSED = "DISMISSED", "排除"
    CLOSED = "CLOSED", "办结"
    NOTE = "NOTE", "备注"
    DUAL_PENALTY_HINT = "DUAL_PENALTY_HINT", "一案双罚提示"
    # Triage steps (zhifa.clues.services).
    MAJOR_HAZARD_MARKED = "MAJOR_HAZARD_MARKED", "认定重大事故隐患"
    REPEAT_THRESHOLD_REACHED = "REPEAT_THRESHOLD_REACHED", "达到屡教不改标准"
    TRIGGER_RECEIVED = "TRIGGER_RECEIVED", "收到触发事件"
    COMPLAINT_VERIFIED = "COMPLAINT_VERIFIED", "举报核查"
    COMPLAINT_SIGNED_OFF = "COMPLAINT_SIGNED_OFF", "负责人签批整改"
    COMPLAINT_TRANSFERRED_OUT = "COMPLAINT_TRANSFERRED_OUT", "举报移送主管部门"
    COMPLAINT_CLOSED = "COMPLAINT_CLOSED", "举报办结"


class ScenarioStatus(models.TextChoices):
    """CLU-04: a scenario is active only with a legal basis and an approval."""

    DRAFT = "DRAFT", "草案"
    ACTIVE = "ACTIVE", "启用"
    RETIRED = "RETIRED", "停用"


class RunStatus(models.TextChoices):
    RUNNING = "RUNNING", "运行中"
    DONE = "DONE", "完成"
    FAILED = "FAILED", "失败"


class RunOrigin(models.TextChoices):
    COMMAND = "COMMAND", "命令行"
    SCHEDULE = "SCHEDULE", "每日定时"
    WEB = "WEB", "页面发起"


class TriggerKind(models.TextChoices):
    """CLU-T01 (warning-triggered) and CLU-T02 (event-triggered)."""

    RISK_ALARM = "RISK_ALARM", "安全风险监测报警"
    APPROVAL_OR_FILING_OVERDUE = "APPROVAL_OR_FILING_OVERDUE", "行政审批备案超期"
    PATROL_FINDING = "PATROL_FINDING", "督查巡查发现问题"
    COMPLAINT = "COMPLAINT", "投诉举报"
    TRANSFER = "TRANSFER", "转办"
    ASSIGNMENT = "ASSIGNMENT", "交办"


WARNING_TRIGGERS = (TriggerKind.RISK_ALARM, TriggerKind.APPROVAL_OR_FILING_OVERDUE, TriggerKind.PATROL_FINDING)
EVENT_TRIGGERS = (TriggerKind.COMPLAINT, TriggerKind.TRANSFER, TriggerKind.ASSIGNMENT)


class ReminderStatus(models.TextChoices):
    PENDING = "PENDING", "待改正"
    ANSWERED = "ANSWERED", "企业已答复"
    CORRECTED = "CORRECTED", "已核实改正"
    NOT_CORRECTED = "NOT_CORRECTED", "未改正"


class TransferKind(models.TextChoices):
    ENFORCEMENT = "ENFORCEMENT", "移交本部门执法机构"
    JUDICIAL = "JUDICIAL", "移送司法机关"
    OTHER_DEPARTMENT = "OTHER_DEPARTMENT", "移送其他主管部门"


class TransferReason(models.TextChoices):
    MAJOR_HAZARD = "MAJOR_HAZARD", "存在重大事故隐患"
    REPEATED = "REPEATED", "屡教不改"
    CRIME_SUSPECTED = "CRIME_SUSPECTED", "涉嫌犯罪"
    OUT_OF_SCOPE = "OUT_OF_SCOPE", "不属于本部门职责"
    OTHER = "OTHER", "其他"


class QualityCode(models.TextChoices):
    """Data-quality findings: contradictory or missing data never becomes a clue (issue 4, bad input)."""

    LICENCE_NO_EXPIRY = "LICENCE_NO_EXPIRY", "证照缺少有效期截止日期"
    LICENCE_DATES_INVERTED = "LICENCE_DATES_INVERTED", "证照有效期截止早于起始"
    ACTIVITY_IN_FUTURE = "ACTIVITY_IN_FUTURE", "活动记录日期晚于检测日期"
    CHANGE_IN_FUTURE = "CHANGE_IN_FUTURE", "登记变更日期晚于检测日期"
    MHS_NO_ASSESSMENT = "MHS_NO_ASSESSMENT", "重大危险源缺少评估报告日期"
    UNKNOWN_SUBJECT = "UNKNOWN_SUBJECT", "报警/举报对象不在主体库中"
