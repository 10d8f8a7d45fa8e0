"""Writes of the payments app. Each service checks permission and every input before it writes
anything, then writes its rows and a ledger entry in one transaction (REC-16): a refused or
malformed request leaves nothing behind.

Who may do what:
- officers and supervisors of the notice's organisation subtree issue notices, record surcharge
  pauses (PAY-07) and reminders (PAY-08) and cancel notices;
- only a supervisor (科室负责人/局领导) approves deferral or instalments (PAY-05);
- payments are recorded only from the platform's signed callback (PAY-02): no user records one;
- auditors and enterprise contacts write nothing here.
"""
from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from zhifa.accounts.access import can_see_organisation, can_write
from zhifa.accounts.access import require_writer as _require_writer
from zhifa.accounts.choices import Role
from zhifa.accounts.models import Organisation
from zhifa.common.errors import ZhifaError
from zhifa.common.ids import ID_NUMBER_RE, InvalidIdentifier, is_valid_uscc, normalize_uscc, validate_id_number
from zhifa.common.masking import mask_id_number
from zhifa.common.timeutil import SHANGHAI, local_date, today
from zhifa.ledger.services import ledger_append
from zhifa.rulesets.errors import RuleNotConfigured
from zhifa.subjects.selectors import enterprises_visible_to

from . import rules, selectors
from .choices import EventKind, PauseKind
from .errors import PaymentErrorCode, not_found, payment_error
from .models import PaymentEvent, PaymentNotice
from .platform import CALLBACK_FIELDS, BillRequest, PlatformError, get_platform, signature_valid
from .signals import payment_settled

log = logging.getLogger(__name__)

HANDLER_ROLES = frozenset({Role.OFFICER, Role.SUPERVISOR})
REF_RE = re.compile(r"^[a-z][a-z0-9_]*\.[A-Za-z][A-Za-z0-9_]*:[A-Za-z0-9_-]{1,40}$")
MASKED_ID_RE = re.compile(r"^[0-9A-Za-z]{1,6}\*{4,}[0-9Xx]{1,4}$")
FUTURE_TOLERANCE = timedelta(minutes=10)
MAX_TEXT = 500


# --- input helpers -------------------------------------------------------------------------------


def _invalid(message: str, field: str | None = None, *, rule: str | None = None, code: PaymentErrorCode = PaymentErrorCode.INVALID_INPUT) -> ZhifaError:
    return payment_error(code, message, field=field, rule=rule)


def _text(value: Any, field: str, *, max_length: int, required: bool = False, label: str = "") -> str:
    text = "" if value is None else str(value)
    text = "".join(ch for ch in text if ch.isprintable() or ch in "\n\t").strip()
    if required and not text:
        raise _invalid(f"请填写{label or field}", field)
    if len(text) > max_length:
        raise _invalid(f"{label or field}不能超过 {max_length} 个字符", field)
    return text


def _date(value: Any, field: str, *, label: str, required: bool = True) -> date | None:
    """A calendar date from a `date` or ISO text (YYYY-MM-DD); anything else is a structured error."""
    if value in (None, ""):
        if required:
            raise _invalid(f"请填写{label}", field)
        return None
    if isinstance(value, datetime):
        raise _invalid(f"{label}应为日期（YYYY-MM-DD），不含时间", field)
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise _invalid(f"{label}格式不正确，应为 YYYY-MM-DD 形式的有效日期", field)


def _amount(value: Any, field: str, *, label: str = "金额") -> Decimal:
    try:
        return rules.parse_amount(value)
    except rules.AmountError as exc:
        raise _invalid(f"{label}：{exc}", field) from None


def _ratio(value: Any, field: str, *, label: str) -> Decimal:
    """A non-negative ratio not above 1 (the surcharge may never exceed the fine, ACL art. 45)."""
    if isinstance(value, bool | float) or not isinstance(value, Decimal | int | str):
        raise _invalid(f"{label}须以文本或十进制数表示", field, rule="PAY-06")
    try:
        ratio = Decimal(str(value).strip())
    except ArithmeticError:
        raise _invalid(f"{label}格式不正确", field, rule="PAY-06") from None
    if not ratio.is_finite() or ratio < 0 or ratio > 1:
        raise _invalid(f"{label}须在 0 到 1 之间（PAY-06：加处罚款不得超出罚款数额）", field, rule="PAY-06")
    return ratio


def payer_id_for_storage(value: Any, *, known_uscc: str = "") -> str:
    """SEC-03: a person's ID number is masked before it is stored; an organisation's USCC is kept as
    it is; an already masked number is accepted. Anything else is refused.

    A valid ID number wins over a USCC that happens to share its form (masking is the safe side),
    except for the USCC of the enterprise named in the same call (`known_uscc`).
    """
    text = _text(value, "payer_id_masked", max_length=32, required=True, label="缴款人证件号")
    uscc = normalize_uscc(text)
    if known_uscc and uscc == known_uscc:
        return uscc
    looks_like_id = bool(ID_NUMBER_RE.fullmatch(text))
    if looks_like_id:
        try:
            return mask_id_number(validate_id_number(text))
        except InvalidIdentifier:
            pass
    if is_valid_uscc(uscc):
        return uscc
    if looks_like_id:
        raise _invalid("身份证号码校验不通过", "payer_id_masked")
    if MASKED_ID_RE.fullmatch(text):
        return text
    raise _invalid("缴款人证件号应为统一社会信用代码或（脱敏后的）身份证号码", "payer_id_masked")


# --- permission helpers --------------------------------------------------------------------------


def is_handler(user) -> bool:
    """Officers and supervisors of an organisation handle payment notices."""
    return bool(getattr(user, "is_authenticated", False) and can_write(user) and user.role in HANDLER_ROLES and user.organisation_id)


def is_approver(user) -> bool:
    return is_handler(user) and user.role == Role.SUPERVISOR


def _require_handler(actor, notice: PaymentNotice, *, supervisor: bool = False) -> None:
    _require_writer(actor)
    if not selectors.notices_visible_to(actor).filter(pk=notice.pk).exists():
        raise not_found()
    if actor.role not in HANDLER_ROLES:
        raise payment_error(PaymentErrorCode.PERMISSION_DENIED, "只有执法人员或科室负责人可以办理缴款事项", status=403)
    if supervisor and actor.role != Role.SUPERVISOR:
        raise payment_error(PaymentErrorCode.PERMISSION_DENIED, "延期或分期缴纳须由科室负责人/局领导批准（PAY-05）", rule="PAY-05", status=403)


def _refuse_closed(status: selectors.NoticeStatus) -> None:
    if status.cancelled:
        raise payment_error(PaymentErrorCode.NOTICE_CANCELLED, "该缴款通知已撤销", status=409)
    if status.settled:
        raise payment_error(PaymentErrorCode.ALREADY_SETTLED, "该缴款通知已缴清", status=409)


def _ledger(actor, action: str, notice: PaymentNotice, payload: Mapping[str, Any]) -> None:
    ledger_append(actor=actor, action=action, object_type="payments.paymentnotice", object_id=notice.pk, payload=dict(payload))


def _platform_call(call, *args, **kwargs):
    try:
        return call(*args, **kwargs)
    except PlatformError as exc:
        log.warning("payment platform refused or unreachable: %s", exc)
        raise payment_error(PaymentErrorCode.PLATFORM_UNAVAILABLE, f"缴款平台暂不可用，未作任何记录，请稍后再试（{exc}）", status=503) from None


def _sync_platform(notice: PaymentNotice) -> None:
    """PAY-05/PAY-07: tell the platform the due date and pause periods the authority now holds."""
    status = selectors.notice_status(notice)
    periods = [(p.start, p.end) for p in status.pauses]
    _platform_call(get_platform().amend, notice.payment_code, due_on=status.due_on, excluded=periods)


def _signal_if_newly_settled(notice: PaymentNotice, was_settled: bool, event: PaymentEvent) -> None:
    """Send `payment_settled` after commit when this write completed the notice (once)."""
    status = selectors.notice_status(notice)
    if was_settled or not status.settled or status.cancelled:
        return

    def send() -> None:
        for receiver, result in payment_settled.send_robust(sender=PaymentNotice, notice=notice, event=event, status=status):
            if isinstance(result, Exception):
                log.error("payment_settled receiver %r failed for notice %s", receiver, notice.pk, exc_info=result)

    transaction.on_commit(send)


# --- issuing -------------------------------------------------------------------------------------


def payment_notice_issue(
    *,
    ref: str,
    organisation: Organisation,
    payer_name: str,
    payer_id_masked: str,
    enterprise_id: int | None,
    amount: Decimal | str | int,
    due_on: date | str,
    rate: Decimal | str | None = None,
    cap_ratio: Decimal | str | None = None,
    actor,
    decision_number: str = "",
    decision_served_on: date | str | None = None,
) -> PaymentNotice:
    """Open a bill on the payment platform and record the payment notice (PAY-01, PAY-02).

    `ref` names the decided object ("cases.Case:12"); `due_on` is the last day to pay, already
    rolled forward over rest days by the caller (rules.payment_due_on, CAL-10). `rate` and
    `cap_ratio` default to the rule set's `payment.late_fee_rate` / `payment.late_fee_cap_ratio`
    for the organisation (PAY-06). A second active notice for the same ref and payer is refused.
    """
    _require_writer(actor)
    if actor.role not in HANDLER_ROLES or not isinstance(organisation, Organisation):
        raise payment_error(PaymentErrorCode.PERMISSION_DENIED, "只有执法人员或科室负责人可以开具缴款通知", status=403)
    if not can_see_organisation(actor, organisation):
        raise payment_error(PaymentErrorCode.PERMISSION_DENIED, "不能以管辖范围以外的机关名义开具缴款通知", status=403)
    ref = _text(ref, "ref", max_length=64, required=True, label="关联对象")
    if not REF_RE.fullmatch(ref):
        raise _invalid("关联对象格式应为「应用.模型:编号」，如 cases.Case:12", "ref")
    name = _text(payer_name, "payer_name", max_length=200, required=True, label="缴款人名称")
    fine = _amount(amount, "amount", label="罚款金额")
    due = _date(due_on, "due_on", label="缴款期限")
    served = _date(decision_served_on, "decision_served_on", label="决定书送达日期", required=False)
    if served is not None and served > due:
        raise _invalid("决定书送达日期不能晚于缴款期限", "decision_served_on", rule="PAY-01")
    number = _text(decision_number, "decision_number", max_length=100, label="处罚决定书文号")
    enterprise = None
    if enterprise_id not in (None, ""):
        if isinstance(enterprise_id, bool) or not str(enterprise_id).isdigit() or len(str(enterprise_id)) > 18:
            raise _invalid("企业编号不正确", "enterprise_id")
        enterprise = enterprises_visible_to(actor).filter(pk=int(enterprise_id)).first()
        if enterprise is None:
            raise payment_error(PaymentErrorCode.NOT_FOUND, "企业不存在或无权查看", field="enterprise_id", status=404)
    payer_id = payer_id_for_storage(payer_id_masked, known_uscc=enterprise.uscc if enterprise else "")
    if enterprise is not None and is_valid_uscc(payer_id) and payer_id != enterprise.uscc:
        raise _invalid("缴款人统一社会信用代码与企业不一致", "payer_id_masked")
    if rate is None or cap_ratio is None:
        try:
            terms = selectors.payment_terms(organisation)
        except RuleNotConfigured as exc:
            raise payment_error(PaymentErrorCode.NOT_CONFIGURED, exc.message, rule="PAY-06", status=409) from None
        rate = terms.rate if rate is None else rate
        cap_ratio = terms.cap_ratio if cap_ratio is None else cap_ratio
    rate_value = _ratio(rate, "rate", label="加处罚款日比例")
    cap_value = _ratio(cap_ratio, "cap_ratio", label="加处罚款上限")

    with transaction.atomic():
        # One issuer per organisation at a time, so the duplicate check below cannot race.
        Organisation.objects.select_for_update(no_key=True).filter(pk=organisation.pk).first()
        for other in PaymentNotice.objects.filter(ref=ref, payer_id_masked=payer_id).prefetch_related("events"):
            if not selectors.notice_status(other).cancelled:
                raise payment_error(
                    PaymentErrorCode.DUPLICATE_NOTICE, f"该对象已对同一缴款人开具缴款通知（缴款码 {other.payment_code}），如需重开请先撤销", status=409
                )
        bill_key = uuid.uuid4()
        platform = get_platform()
        issued = _platform_call(
            platform.issue,
            BillRequest(
                bill_key=bill_key,
                payee_name=organisation.enforcement_body_name or organisation.name,
                payee_code=organisation.code,
                region=(organisation.division_code or "00")[:2],
                payer_name=name,
                payer_id_masked=payer_id,
                fine=fine,
                due_on=due,
                late_fee_rate=rate_value,
                late_fee_cap_ratio=cap_value,
                decision_number=number,
            ),
        )
        notice = PaymentNotice.objects.create(
            ref=ref,
            organisation=organisation,
            enterprise=enterprise,
            payer_name=name,
            payer_id_masked=payer_id,
            decision_number=number,
            decision_served_on=served,
            fine=fine,
            due_on=due,
            late_fee_rate=rate_value,
            late_fee_cap_ratio=cap_value,
            payment_code=issued.payment_code,
            platform_ref=issued.platform_ref,
            platform=platform.name,
            bill_key=bill_key,
            issued_by=actor,
        )
        PaymentEvent.objects.create(notice=notice, kind=EventKind.ISSUED, actor=actor)
        _ledger(actor, "payments.notice.issue", notice, {
            "ref": ref, "organisation": organisation.pk, "enterprise": enterprise.pk if enterprise else None,
            "payer_name": name, "payer_id_masked": payer_id, "fine": str(fine), "due_on": due.isoformat(),
            "rate": str(rate_value), "cap_ratio": str(cap_value), "payment_code": issued.payment_code,
            "platform_ref": issued.platform_ref, "platform": platform.name, "decision_number": number,
        })
    return notice


# --- the platform's callback ---------------------------------------------------------------------


def _callback_field(payload: Mapping[str, Any], key: str, *, max_length: int, required: bool = True) -> str:
    value = payload.get(key)
    if value is None or value == "":
        if required:
            raise _invalid(f"回调缺少字段 {key}", key)
        return ""
    if not isinstance(value, str):
        raise _invalid(f"回调字段 {key} 须为文本", key)
    text = value.strip()
    if len(text) > max_length or any(not ch.isprintable() for ch in text):
        raise _invalid(f"回调字段 {key} 格式不正确", key)
    return text


def _callback_time(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise _invalid("缴款时间格式不正确，应为带时区的 ISO 8601 时间", "paid_at") from None
    if moment.tzinfo is None:
        raise _invalid("缴款时间须带时区（如 +08:00）", "paid_at")
    if moment > timezone.now() + FUTURE_TOLERANCE:
        raise _invalid("缴款时间不能晚于当前时间", "paid_at")
    return moment


def payment_callback_record(payload: dict, signature: str) -> PaymentEvent:
    """Record a payment the platform reports (PAY-01, PAY-02, PAY-04).

    - The HMAC-SHA256 signature over the canonical payload is checked first: a bad one is 403 and
      nothing else is looked at.
    - Idempotent on the platform's `transaction_id`: the same callback again returns the recorded
      event (with `event.duplicate = True`); the same id with different content is 409.
    - An unknown payment code is a structured 404; malformed fields are 400; nothing is written.
    - The payment is PAID when the payments so far reach the fine plus the surcharge accrued up to
      the payment day (PAY-06), otherwise PARTIAL (not settled).
    - Guangdong (PAY-04): a payment without the fiscal e-receipt number is refused.
    - When the notice becomes settled, `payment_settled` is sent after commit.
    """
    if not isinstance(payload, dict):
        raise _invalid("回调内容须为 JSON 对象")
    if not signature_valid(payload, signature):
        log.warning("payment callback with a bad signature refused")
        raise payment_error(PaymentErrorCode.BAD_SIGNATURE, "回调签名校验失败，已拒绝", status=403)
    unknown = sorted(set(payload) - set(CALLBACK_FIELDS))
    if unknown:
        raise _invalid(f"回调包含未知字段：{'、'.join(unknown)}")
    code = _callback_field(payload, "payment_code", max_length=32)
    platform_ref = _callback_field(payload, "platform_ref", max_length=64, required=False)
    txn = _callback_field(payload, "transaction_id", max_length=64)
    amount = _amount(payload.get("amount"), "amount", label="缴款金额")
    paid_at = _callback_time(_callback_field(payload, "paid_at", max_length=40))
    channel = _callback_field(payload, "channel", max_length=64)
    receipt = _callback_field(payload, "fiscal_receipt_no", max_length=64, required=False)
    if not rules.collection_channel_allowed(channel):
        raise payment_error(
            PaymentErrorCode.CHANNEL_NOT_ALLOWED, "缴款渠道不合规：罚款只能通过指定银行或电子支付系统缴纳（罚缴分离，PAY-02）", field="channel", rule="PAY-02"
        )

    with transaction.atomic():
        notice = PaymentNotice.objects.select_for_update(no_key=True).filter(payment_code=code).first()
        if notice is None:
            raise payment_error(PaymentErrorCode.UNKNOWN_PAYMENT_CODE, "缴款码不存在", field="payment_code", status=404)
        if platform_ref and platform_ref != notice.platform_ref:
            raise payment_error(PaymentErrorCode.CALLBACK_CONFLICT, "平台业务流水号与缴款码不一致", field="platform_ref", status=409)
        existing = PaymentEvent.objects.filter(transaction_id=txn).first()
        if existing is not None:
            return _same_callback(existing, notice, amount, paid_at)
        if not receipt and rules.fiscal_receipt_required(notice.organisation.effective_jurisdiction):
            raise payment_error(
                PaymentErrorCode.FISCAL_RECEIPT_REQUIRED, "本辖区缴款须出具财政电子票据，回调缺少票据号（PAY-04）", field="fiscal_receipt_no", rule="PAY-04"
            )
        events = list(notice.events.all())
        before = selectors.notice_status(notice, events=events)
        payments = [*selectors.payments_of(events), (local_date(paid_at), amount)]
        status_pauses = selectors.excluded_until(before.pauses, max(p[0] for p in payments))
        settled_day = rules.settled_on(
            notice.fine, before.due_on, payments, rate=notice.late_fee_rate, cap_ratio=notice.late_fee_cap_ratio, excluded=status_pauses
        )
        kind = EventKind.PAID if settled_day is not None else EventKind.PARTIAL
        try:
            with transaction.atomic():
                event = PaymentEvent.objects.create(
                    notice=notice, kind=kind, amount=amount, paid_at=paid_at, channel=channel, transaction_id=txn,
                    fiscal_receipt_no=receipt, payload=dict(payload),
                    note="缴款通知已撤销，该笔款项须办理退付" if before.cancelled else "",
                )
        except IntegrityError:
            # The same transaction id was recorded meanwhile for another notice.
            existing = PaymentEvent.objects.filter(transaction_id=txn).first()
            if existing is None:
                raise
            return _same_callback(existing, notice, amount, paid_at)
        _ledger(None, "payments.notice.payment", notice, {
            "kind": kind, "payment_code": code, "transaction_id": txn, "amount": str(amount),
            "paid_at": paid_at.astimezone(SHANGHAI).isoformat(), "channel": channel, "fiscal_receipt_no": receipt,
        })
        _signal_if_newly_settled(notice, before.settled, event)
    event.duplicate = False
    return event


def _same_callback(existing: PaymentEvent, notice: PaymentNotice, amount: Decimal, paid_at: datetime) -> PaymentEvent:
    if existing.notice_id != notice.pk or existing.amount != amount or existing.paid_at != paid_at:
        raise payment_error(PaymentErrorCode.CALLBACK_CONFLICT, "同一交易流水号已以不同内容记录，已拒绝", field="transaction_id", status=409)
    existing.duplicate = True
    return existing


# --- PAY-05: deferral / instalments --------------------------------------------------------------


def _instalments(value: Any) -> list[tuple[date, Decimal]]:
    if value in (None, "", []):
        return []
    if not isinstance(value, list | tuple):
        raise _invalid("分期计划格式不正确", "instalments", rule="PAY-05")
    plan = []
    for i, row in enumerate(value, start=1):
        if not isinstance(row, list | tuple) or len(row) != 2:
            raise _invalid(f"第 {i} 期格式不正确，应为（日期，金额）", "instalments", rule="PAY-05")
        plan.append((_date(row[0], "instalments", label=f"第 {i} 期日期"), _amount(row[1], "instalments", label=f"第 {i} 期金额")))
    return plan


def payment_deferral_approve(
    *,
    notice: PaymentNotice,
    new_due_on: date | str,
    applied_on: date | str,
    approver,
    reason: str,
    instalments: Sequence[tuple[date | str, Decimal | str]] | None = None,
) -> PaymentEvent:
    """PAY-05 (APL art. 66 para 2): record a supervisor's approval of the party's application to
    defer or pay in instalments. The due date becomes `new_due_on` (the end of the period; for
    instalments the last instalment's date) and the court-enforcement period runs from it."""
    _require_handler(approver, notice, supervisor=True)
    new_due = _date(new_due_on, "new_due_on", label="批准的缴款期限")
    applied = _date(applied_on, "applied_on", label="当事人申请日期")
    text = _text(reason, "reason", max_length=MAX_TEXT, required=True, label="批准理由（经济困难情况）")
    plan = _instalments(instalments)
    with transaction.atomic():
        notice = PaymentNotice.objects.select_for_update(no_key=True).get(pk=notice.pk)
        status = selectors.notice_status(notice)
        _refuse_closed(status)
        problems = rules.deferral_problems(current_due_on=status.due_on, new_due_on=new_due, applied_on=applied, approved_on=today())
        if plan:
            outstanding = rules.to_fen(max(rules.ZERO, notice.fine - status.paid_total))
            problems += rules.instalment_plan_problems(outstanding=outstanding, new_due_on=new_due, instalments=plan)
        if problems:
            raise _invalid("；".join(problems), "new_due_on", rule="PAY-05")
        event = PaymentEvent.objects.create(
            notice=notice, kind=EventKind.DEFERRED, actor=approver, new_due_on=new_due, applied_on=applied, note=text,
            instalments=[[d.isoformat(), str(a)] for d, a in plan],
        )
        _sync_platform(notice)
        _ledger(approver, "payments.notice.defer", notice, {
            "new_due_on": new_due.isoformat(), "applied_on": applied.isoformat(), "reason": text,
            "instalments": [[d.isoformat(), str(a)] for d, a in plan], "previous_due_on": status.due_on.isoformat(),
        })
        _signal_if_newly_settled(notice, status.settled, event)
    return event


# --- PAY-07: surcharge pauses --------------------------------------------------------------------


def payment_surcharge_pause(
    *, notice: PaymentNotice, kind: str, start: date | str, end: date | str | None = None, actor, note: str = ""
) -> PaymentEvent:
    """PAY-07 (APL art. 73 para 3): record a reconsideration or litigation period during which the
    surcharge is not counted. `end` may stay open while the proceedings run
    (payment_surcharge_resume closes it). Periods may not overlap; at most one is open."""
    _require_handler(actor, notice)
    if kind not in PauseKind.values:
        raise _invalid("请选择停止计算加处罚款的原因：行政复议或行政诉讼", "kind", rule="PAY-07")
    first = _date(start, "start", label="期间起始日期")
    last = _date(end, "end", label="期间结束日期", required=False)
    text = _text(note, "note", max_length=MAX_TEXT, label="说明")
    if last is not None and last < first:
        raise _invalid("期间结束日期不能早于起始日期", "end", rule="PAY-07")
    if first > today() or (last is not None and last > today()):
        raise _invalid("复议/诉讼期间只能记录已经发生的日期", "start", rule="PAY-07")
    with transaction.atomic():
        notice = PaymentNotice.objects.select_for_update(no_key=True).get(pk=notice.pk)
        status = selectors.notice_status(notice)
        _refuse_closed(status)
        for p in status.pauses:
            if last is None and p.end is None:
                raise payment_error(PaymentErrorCode.PAUSE_OVERLAP, "已有尚未结束的复议/诉讼期间，请先记录其结束日期", field="start", rule="PAY-07", status=409)
            p_end = p.end or date.max
            if first <= p_end and (last or date.max) >= p.start:
                raise payment_error(PaymentErrorCode.PAUSE_OVERLAP, "该期间与已记录的复议/诉讼期间重叠", field="start", rule="PAY-07", status=409)
        event = PaymentEvent.objects.create(
            notice=notice, kind=EventKind.SURCHARGE_PAUSED, actor=actor, pause_kind=kind, period_start=first, period_end=last, note=text
        )
        _sync_platform(notice)
        _ledger(actor, "payments.notice.pause", notice, {
            "kind": kind, "start": first.isoformat(), "end": last.isoformat() if last else None, "note": text,
        })
        _signal_if_newly_settled(notice, status.settled, event)
    return event


def payment_surcharge_resume(*, notice: PaymentNotice, end: date | str, actor, note: str = "") -> PaymentEvent:
    """PAY-07: the reconsideration or litigation ended on `end`; the surcharge counts again from
    the next day (closes the open period)."""
    _require_handler(actor, notice)
    last = _date(end, "end", label="期间结束日期")
    text = _text(note, "note", max_length=MAX_TEXT, label="说明")
    if last > today():
        raise _invalid("复议/诉讼期间只能记录已经发生的日期", "end", rule="PAY-07")
    with transaction.atomic():
        notice = PaymentNotice.objects.select_for_update(no_key=True).get(pk=notice.pk)
        status = selectors.notice_status(notice)
        if status.cancelled:
            raise payment_error(PaymentErrorCode.NOTICE_CANCELLED, "该缴款通知已撤销", status=409)
        open_pause = status.open_pause
        if open_pause is None:
            raise payment_error(PaymentErrorCode.NO_OPEN_PAUSE, "没有尚未结束的复议/诉讼期间", field="end", rule="PAY-07", status=409)
        if last < open_pause.start:
            raise _invalid("结束日期不能早于该期间的起始日期", "end", rule="PAY-07")
        event = PaymentEvent.objects.create(
            notice=notice, kind=EventKind.SURCHARGE_RESUMED, actor=actor, pause_kind=open_pause.kind,
            period_start=open_pause.start, period_end=last, note=text,
        )
        _sync_platform(notice)
        _ledger(actor, "payments.notice.resume", notice, {"start": open_pause.start.isoformat(), "end": last.isoformat(), "note": text})
        _signal_if_newly_settled(notice, status.settled, event)
    return event


# --- PAY-08: reminder ----------------------------------------------------------------------------


def payment_reminder_record(*, notice: PaymentNotice, served_on: date | str, actor, document_number: str = "") -> PaymentEvent:
    """PAY-08 (ACL arts. 35, 54): record that the written reminder (催告书) was served on the party.
    Only after the payment period has run out; the court application may follow no earlier than
    10 working days later (selectors.enforcement_window)."""
    _require_handler(actor, notice)
    served = _date(served_on, "served_on", label="催告书送达日期")
    number = _text(document_number, "document_number", max_length=100, label="催告书文号")
    if served > today():
        raise _invalid("送达日期不能晚于今天", "served_on", rule="PAY-08")
    with transaction.atomic():
        notice = PaymentNotice.objects.select_for_update(no_key=True).get(pk=notice.pk)
        status = selectors.notice_status(notice)
        _refuse_closed(status)
        if served <= status.due_on:
            raise _invalid(f"缴款期限（{status.due_on.isoformat()}）届满后方可催告（行政强制法第五十四条）", "served_on", rule="PAY-08")
        event = PaymentEvent.objects.create(notice=notice, kind=EventKind.REMINDED, actor=actor, served_on=served, document_number=number)
        _ledger(actor, "payments.notice.remind", notice, {"served_on": served.isoformat(), "document_number": number})
    return event


# --- cancellation --------------------------------------------------------------------------------


def payment_notice_cancel(*, notice: PaymentNotice, actor, reason: str) -> PaymentEvent:
    """Withdraw a notice that is not settled (e.g. the decision was revoked or corrected): the bill
    is closed on the platform first, then the cancellation recorded. Payments already received stay
    recorded; their refund is the treasury's business."""
    _require_handler(actor, notice)
    text = _text(reason, "reason", max_length=MAX_TEXT, required=True, label="撤销原因")
    with transaction.atomic():
        notice = PaymentNotice.objects.select_for_update(no_key=True).get(pk=notice.pk)
        status = selectors.notice_status(notice)
        _refuse_closed(status)
        _platform_call(get_platform().cancel, notice.payment_code, reason=text)
        event = PaymentEvent.objects.create(notice=notice, kind=EventKind.CANCELLED, actor=actor, note=text)
        _ledger(actor, "payments.notice.cancel", notice, {"reason": text, "paid_total": str(status.paid_total)})
    return event
