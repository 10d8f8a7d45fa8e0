"""Writes of the publicity app: publication duties and their lifecycle (RULES §8).

Every function runs in one transaction that also appends to the ledger. Duties are created by the
events that require them — `on_decision_made`, `on_decision_changed`, `on_coercion_decided`
(signals of the cases app), `credential_duties_sync` (officers' credentials), `update_event_record`
(laws and institutions), `catalogue_load`, `annual_statistics_build` — with their deadline
computed from the owning jurisdiction's rule set when they are created. Content is masked when it
is built (SEC-03): nothing unmasked is ever stored in an item.
"""
from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.utils import timezone

from zhifa.accounts.access import can_see_organisation, require_writer
from zhifa.accounts.choices import Role
from zhifa.accounts.models import OfficerCredential, Organisation
from zhifa.common.calendar_store import get_calendar
from zhifa.common.errors import ZhifaError
from zhifa.common.text import clean_text
from zhifa.common.timeutil import today
from zhifa.ledger.services import ledger_append
from zhifa.rulesets.errors import RuleNotConfigured
from zhifa.rulesets.selectors import rs

from . import rules
from .cache import bump_portal_version
from .choices import (
    BEFORE_KINDS,
    DECISION_KINDS,
    OPEN_STATUSES,
    EndReason,
    ExemptReason,
    ItemKind,
    ItemStatus,
    RequesterKind,
    RequestStatus,
    RevisionReason,
    Trigger,
)
from .errors import PublicityErrorCode, not_found, pub_error
from .models import CorrectionRequest, PublicationItem, PublicationRevision, UpdateEvent

REVIEWER_ROLES = frozenset({Role.SUPERVISOR, Role.LEGAL_REVIEWER})
COLLECTOR_ROLES = frozenset({Role.OFFICER, Role.SUPERVISOR, Role.LEGAL_REVIEWER})
EDITABLE_FIELDS = ("title", "subject_name", "unit", "object", "category", "conclusion", "basis", "text")


# --- helpers -------------------------------------------------------------------------------------


def _param(key: str, organisation: Organisation, on: date, kind: str | None = None) -> Any:
    try:
        return rs(key, organisation=organisation, on=on, kind=kind).value
    except RuleNotConfigured as exc:
        raise pub_error(PublicityErrorCode.CONFIG_MISSING, exc.message, rule=(exc.rule if hasattr(exc, "rule") else None), status=409) from exc


def _deadline(rule: rules.DueRule, organisation: Organisation, event_on: date):
    value = _param(rule.key, organisation, event_on, rule.param_kind) if rule.key else None
    return rules.compute_due(rule, event_on, value, get_calendar())


def district_code_of(organisation: Organisation) -> str:
    """The 6-digit division code of the organisation or its nearest ancestor that has one."""
    node: Organisation | None = organisation
    while node is not None:
        if node.division_code:
            return node.division_code
        node = node.parent
    return ""


def unit_name(organisation: Organisation) -> str:
    """PUB-01: the enforcement body that acted (the nearest body up the tree)."""
    node: Organisation | None = organisation
    while node is not None:
        if node.is_enforcement_body:
            return node.enforcement_body_name or node.name
        node = node.parent
    return organisation.name


def _check_content(content: Mapping[str, Any], *extra: str) -> None:
    try:
        rules.assert_no_pii({**content, "_": list(extra)})
    except rules.PersonalDataLeft as exc:
        raise pub_error(PublicityErrorCode.PERSONAL_DATA, str(exc), rule="SEC-03", status=409) from exc


def _revision(item: PublicationItem, reason: str, actor, note: str = "") -> PublicationRevision:
    number = item.revisions.count() + 1
    return PublicationRevision.objects.create(item=item, number=number, reason=reason, note=note, content=item.content,
                                              content_hash=item.content_hash, created_by=actor)


PUBLIC_ACTIONS = frozenset({"publish", "withdraw", "correct", "credit_repair", "supersede"})


def _log(actor, action: str, item: PublicationItem, **payload) -> None:
    if action in PUBLIC_ACTIONS:
        bump_portal_version()
    ledger_append(actor=actor, action=f"publicity.{action}", object_type="publicity.item", object_id=item.pk,
                  payload={"kind": item.kind, "status": item.status, "content_hash": item.content_hash, **payload})


def item_create(*, kind: str, organisation: Organisation, title: str, content: Mapping[str, Any], trigger: str, event_on: date,
                subject_name: str = "", subject_code: str = "", district_code: str = "", source: tuple[str, int] | None = None,
                actor=None, replaces: PublicationItem | None = None, minor: bool = False, status: str = ItemStatus.PENDING,
                exempt_reason: str = "", exempt_note: str = "") -> PublicationItem:
    """Create one publication duty with its deadline (rules.due_rule) and the first revision.
    Idempotent per (source, kind, trigger): the same event never creates two duties."""
    if source is not None:
        existing = PublicationItem.objects.filter(source_type=source[0], source_id=source[1], kind=kind, trigger=trigger).first()
        if existing is not None:
            return existing
    content = dict(content)
    title = clean_text(title, 300)
    _check_content(content, title, subject_name)
    rule = rules.due_rule(kind, trigger)
    deadline = _deadline(rule, organisation, event_on)
    with transaction.atomic():
        item = PublicationItem.objects.create(
            kind=kind, organisation=organisation, status=status, title=title, subject_name=subject_name[:200], subject_code=subject_code,
            district_code=district_code or district_code_of(organisation), content=content, content_hash=rules.content_hash(content),
            trigger=trigger, source_type=source[0] if source else "", source_id=source[1] if source else None, event_on=event_on,
            due_on=deadline.due_date, due_rule=rule.label, due_provisional=deadline.provisional, replaces=replaces,
            prepared_by=actor if getattr(actor, "is_authenticated", False) else None, minor=minor,
            exempt_reason=exempt_reason, exempt_note=exempt_note,
        )
        _revision(item, RevisionReason.INITIAL, item.prepared_by)
        _log(actor, "create", item, trigger=trigger, due_on=item.due_on.isoformat(), rule=rule.label)
    return item


def _lock(item: PublicationItem) -> PublicationItem:
    return PublicationItem.objects.select_for_update().get(pk=item.pk)


def _require_staff(actor, item: PublicationItem, roles: frozenset, what: str) -> None:
    require_writer(actor)
    if not can_see_organisation(actor, item.organisation):
        raise not_found()
    if actor.role not in roles and not actor.is_superuser:
        raise pub_error(PublicityErrorCode.PERMISSION_DENIED, f"您的角色不能{what}", rule="PUB-02", status=403)


# --- decisions (signals of the cases app) ----------------------------------------------------------


def _decision_item_kind(decision) -> str | None:
    from zhifa.cases.choices import NO_PENALTY_KINDS, DecisionKind

    if decision.kind == DecisionKind.PENALTY:
        return ItemKind.PENALTY
    if decision.kind in NO_PENALTY_KINDS:
        return ItemKind.NO_PENALTY
    return None  # facts not established / transfer to the judiciary: nothing to publish


def decision_facts(decision) -> rules.DecisionFacts:
    """The publishable fields of a decision (PUB-13) — only these leave the case."""
    from zhifa.cases.choices import PartyKind
    from zhifa.cases.rules.penalties import LABELS

    party = decision.party
    case = party.case
    by_name = {str(k.value): v for k, v in LABELS.items()}
    labels = [by_name.get(t, t) for t in decision.penalty_types]
    if decision.kind == "PENALTY":
        conclusion = rules.fine_conclusion(labels, decision.fine, decision.confiscation)
        category = "行政处罚" + (f"（{'、'.join(labels)}）" if labels else "")
    else:
        conclusion = decision.get_kind_display()
        category = "不予行政处罚"
    individual = party.kind != PartyKind.ORG
    return rules.DecisionFacts(
        unit=unit_name(case.organisation), party_name=party.name, party_code="" if individual else (party.enterprise.uscc if party.enterprise_id else ""),
        individual=individual, category=category, conclusion=conclusion, basis=decision.proposal.law, decided_on=decision.decided_on,
        document_number=decision.document.number,
    )


def on_decision_made(decision, actor=None) -> PublicationItem | None:
    """PUB-11/PUB-12: a penalty decision (and a no-penalty decision where `pub.no_penalty_publish`
    says so) becomes a duty due `pub.deadline_wd` working days after `decided_on` (AMB-28). An
    individual in 一案双罚 follows `pub.individual_policy` (AMB-20); when it says not to publish, the
    duty is recorded as exempt so that statistics still count it."""
    kind = _decision_item_kind(decision)
    if kind is None:
        return None
    case = decision.party.case
    org = case.organisation
    if kind == ItemKind.NO_PENALTY and not _param("pub.no_penalty_publish", org, decision.decided_on):
        return None
    facts = decision_facts(decision)
    policy = _param("pub.individual_policy", org, decision.decided_on) if facts.individual else "PUBLISH"
    content = rules.decision_content(facts, individual_policy=policy)
    source = ("cases.decision", decision.pk)
    if content is None:
        return item_create(kind=kind, organisation=org, title=f"{facts.document_number}（依规则集不予公示）", content={}, trigger=Trigger.DECISION_MADE,
                           event_on=decision.decided_on, source=source, actor=actor, status=ItemStatus.EXEMPT,
                           exempt_reason=ExemptReason.INDIVIDUAL_POLICY, exempt_note="pub.individual_policy = NOT_PUBLISH（AMB-20）")
    minor = decision.kind != "PENALTY"
    return item_create(kind=kind, organisation=org, title=f"{content['object']} {facts.category}", content=content, trigger=Trigger.DECISION_MADE,
                       event_on=decision.decided_on, subject_name=content["object"], subject_code=content["object_code"],
                       district_code=district_code_of(case.enterprise.organisation), source=source, actor=actor, minor=minor)


def on_coercion_decided(measure, actor=None) -> PublicationItem:
    """PUB-12 (AMB-01): a sealing or seizure decision, due `pub.deadline_wd[COERCION]` working days."""
    case = measure.case
    enterprise = case.enterprise
    day = measure.started_on or today()
    content = {
        "unit": unit_name(case.organisation), "object": enterprise.name, "object_code": enterprise.uscc,
        "category": f"行政强制（{measure.get_kind_display()}）", "conclusion": f"{measure.get_kind_display()}，期限{measure.period_days}日",
        "basis": rules.scrub_public(measure.basis), "decided_on": day.isoformat(), "document_number": measure.document.number if measure.document_id else "",
    }
    return item_create(kind=ItemKind.COERCION, organisation=case.organisation, title=f"{enterprise.name} {content['category']}", content=content,
                       trigger=Trigger.DECISION_MADE, event_on=day, subject_name=enterprise.name, subject_code=enterprise.uscc,
                       district_code=district_code_of(enterprise.organisation), source=("cases.measure", measure.pk), actor=actor)


def on_decision_changed(change, actor=None) -> list[PublicationItem]:
    """PUB-14, PUB-26 (AMB-02): once a decision is changed, revoked, confirmed illegal or void, or
    ordered to be re-made, its published information comes down within `pub.withdraw_wd` working
    days (penalties 3, APL art. 48) with a public explanation. A duty not yet published lapses at
    once. A changed decision is also published anew within `pub.update_wd` (PUB-23)."""
    touched = []
    items = PublicationItem.objects.select_for_update().filter(source_type="cases.decision", source_id=change.decision_id)
    for item in items:
        if item.status == ItemStatus.PUBLISHED:
            rule = rules.withdrawal_rule(item.kind)
            deadline = _deadline(rule, item.organisation, change.occurred_on)
            item.change_event, item.change_event_on = change.kind, change.occurred_on
            item.withdrawal_due_on, item.withdrawal_due_rule = deadline.due_date, rule.label
            item.withdrawal_reason = f"{change.get_kind_display()}（{change.get_authority_display()}，{change.reference}）：{clean_text(change.reason, 1000)}"
            item.save()
            _log(actor, "withdrawal_due", item, change=change.kind, due_on=item.withdrawal_due_on.isoformat(), rule=rule.label)
        elif item.status in OPEN_STATUSES:
            item.status, item.withdrawn_at, item.withdrawn_by = ItemStatus.WITHDRAWN, timezone.now(), actor
            item.withdrawal_reason = f"尚未公示即{change.get_kind_display()}"
            item.save()
            _log(actor, "lapse", item, change=change.kind)
        else:
            continue
        touched.append(item)
        if change.kind == "CHANGED" and item.content:
            content = {**item.content, "conclusion": f"（变更后，请按变更决定修改）{item.content.get('conclusion', '')}"}
            touched.append(item_create(kind=item.kind, organisation=item.organisation, title=item.title, content=content, trigger=Trigger.DECISION_CHANGED,
                                       event_on=change.occurred_on, subject_name=item.subject_name, subject_code=item.subject_code,
                                       district_code=item.district_code, source=("cases.decisionchange", change.pk), actor=actor, replaces=item))
    return touched


# --- officers' credentials (PUB-04, PUB-22) ---------------------------------------------------------


def credential_content(cred: OfficerCredential) -> dict[str, str]:
    """PUB-04: name, credential number, enforcement body and area — nothing else personal."""
    state = "已注销" if cred.revoked_on else "有效"
    return {
        "name": cred.user.display_name or cred.user.username, "credential_number": cred.number,
        "unit": cred.enforcement_body.enforcement_body_name or cred.enforcement_body.name, "area": cred.enforcement_area,
        "valid": f"{cred.valid_from:%Y-%m-%d} 至 {cred.valid_to:%Y-%m-%d}", "state": state,
    }


def credential_duties_sync(*, actor=None, organisation: Organisation | None = None) -> list[PublicationItem]:
    """Make every credential's public information current (PUB-04 first entry; PUB-22 update
    within `pub.update_wd` of the change). The clock runs from the credential's change date
    (`updated_at`, or the revocation date), so the time this sync runs never moves a deadline."""
    creds = OfficerCredential.objects.select_related("user", "enforcement_body").order_by("pk")
    if organisation is not None:
        creds = creds.filter(enforcement_body__path__startswith=organisation.path)
    made = []
    for cred in creds:
        content = credential_content(cred)
        digest = rules.content_hash(content)
        current = (PublicationItem.objects.filter(kind=ItemKind.OFFICER_CREDENTIAL, source_type="accounts.credential", source_id=cred.pk)
                   .exclude(status__in=[ItemStatus.SUPERSEDED, ItemStatus.WITHDRAWN]).order_by("-pk").first())
        if current is not None and current.content_hash == digest:
            continue
        changed_on = cred.revoked_on or timezone.localdate(cred.updated_at)
        trigger = Trigger.CATALOGUE if current is None else Trigger.CREDENTIAL_CHANGED
        with transaction.atomic():
            if current is not None and current.status in OPEN_STATUSES:
                current.status = ItemStatus.SUPERSEDED
                current.save()
                _log(actor, "supersede", current)
            replaces = current if current is not None and current.status == ItemStatus.PUBLISHED else None
            made.append(PublicationItem.objects.create(
                kind=ItemKind.OFFICER_CREDENTIAL, organisation=cred.enforcement_body, title=f"执法证件信息：{content['name']}（{cred.number}）",
                content=content, content_hash=digest, trigger=trigger, source_type="accounts.credential", source_id=cred.pk, event_on=changed_on,
                district_code=district_code_of(cred.enforcement_body), replaces=replaces,
                **_due_fields(ItemKind.OFFICER_CREDENTIAL, trigger, cred.enforcement_body, changed_on)))
            _revision(made[-1], RevisionReason.INITIAL, None)
            _log(actor, "create", made[-1], trigger=trigger, due_on=made[-1].due_on.isoformat())
    return made


def _due_fields(kind: str, trigger: str, organisation: Organisation, event_on: date) -> dict[str, Any]:
    rule = rules.due_rule(kind, trigger)
    deadline = _deadline(rule, organisation, event_on)
    return {"due_on": deadline.due_date, "due_rule": rule.label, "due_provisional": deadline.provisional}


# --- laws and institutions (PUB-05, PUB-20, PUB-21) --------------------------------------------------


def update_event_record(*, actor, organisation: Organisation, trigger: str, title: str, event_on: date, note: str = "") -> tuple[UpdateEvent, list[PublicationItem]]:
    """Record a law issued/amended/repealed/lapsed (PUB-20) or an approved institutional change
    (PUB-21); every published pre-enforcement item it touches gets an update duty due
    `pub.update_wd` working days after the event. A law touches the items whose content cites its
    title; an institutional change touches all of the organisation's pre-enforcement items."""
    require_writer(actor)
    if actor.role not in COLLECTOR_ROLES or not can_see_organisation(actor, organisation):
        raise pub_error(PublicityErrorCode.PERMISSION_DENIED, "只有本单位执法人员可以登记公示更新事由", status=403)
    if trigger not in (Trigger.LAW_CHANGED, Trigger.ORG_CHANGED):
        raise pub_error(PublicityErrorCode.INVALID_INPUT, "请选择法规变化或机构变化", field="trigger")
    title = clean_text(title, 200)
    if not title:
        raise pub_error(PublicityErrorCode.INVALID_INPUT, "请填写文件或机构变化的名称", field="title")
    if not isinstance(event_on, date) or event_on > today():
        raise pub_error(PublicityErrorCode.INVALID_INPUT, "日期须为不晚于今天的有效日期", field="event_on")
    stale = PublicationItem.objects.filter(organisation__path__startswith=organisation.path, status=ItemStatus.PUBLISHED,
                                           kind__in=[k for k in BEFORE_KINDS if k != ItemKind.OFFICER_CREDENTIAL])
    if trigger == Trigger.LAW_CHANGED:
        stale = [i for i in stale if title in " ".join(str(v) for v in i.content.values())]
    with transaction.atomic():
        event = UpdateEvent.objects.create(organisation=organisation, trigger=trigger, title=title, event_on=event_on, note=clean_text(note, 2000),
                                           recorded_by=actor)
        ledger_append(actor=actor, action="publicity.update_event", object_type="publicity.updateevent", object_id=event.pk,
                      payload={"trigger": trigger, "title": title, "event_on": event_on.isoformat()})
        duties = [item_create(kind=i.kind, organisation=i.organisation, title=i.title, content=i.content, trigger=trigger, event_on=event_on,
                              subject_name=i.subject_name, subject_code=i.subject_code, district_code=i.district_code,
                              source=("publicity.updateevent", event.pk * 1_000_000 + i.pk), actor=actor, replaces=i) for i in stale]
    return event, duties


# --- officer actions -----------------------------------------------------------------------------------


def item_edit(*, actor, item: PublicationItem, changes: Mapping[str, str], note: str = "") -> PublicationItem:
    """The collector completes or fixes a duty before review (PENDING or RETURNED)."""
    _require_staff(actor, item, COLLECTOR_ROLES, "编辑公示信息")
    with transaction.atomic():
        item = _lock(item)
        if item.status not in (ItemStatus.PENDING, ItemStatus.RETURNED):
            raise pub_error(PublicityErrorCode.WRONG_STATE, "只有待审核或退回修改的公示信息可以编辑", status=409)
        _apply_changes(item, changes)
        item.prepared_by, item.status = actor, ItemStatus.PENDING
        item.save()
        _revision(item, RevisionReason.EDITED, actor, clean_text(note, 300))
        _log(actor, "edit", item)
    return item


def _apply_changes(item: PublicationItem, changes: Mapping[str, str]) -> None:
    content = dict(item.content)
    for key, value in changes.items():
        if key not in EDITABLE_FIELDS:
            raise pub_error(PublicityErrorCode.INVALID_INPUT, f"字段「{key}」不能修改", field=key)
        text = rules.scrub_public(clean_text(value, 2000))
        if key == "title":
            item.title = text[:300]
        elif key == "subject_name":
            item.subject_name = text[:200]
        else:
            content[key] = text
    if "object" in changes and content.get("object"):
        item.subject_name = content["object"][:200]
    if not item.title:
        raise pub_error(PublicityErrorCode.INVALID_INPUT, "标题不能为空", field="title")
    _check_content(content, item.title, item.subject_name)
    item.content, item.content_hash = content, rules.content_hash(content)


def item_review(*, actor, item: PublicationItem, approve: bool, note: str = "") -> PublicationItem:
    """PUB-02: a reviewer other than the collector approves the content or returns it."""
    _require_staff(actor, item, REVIEWER_ROLES, "审核公示信息")
    note = clean_text(note, 300)
    with transaction.atomic():
        item = _lock(item)
        if item.status != ItemStatus.PENDING:
            raise pub_error(PublicityErrorCode.WRONG_STATE, "只有待审核的公示信息可以审核", status=409)
        if item.prepared_by_id == actor.pk:
            raise pub_error(PublicityErrorCode.FORBIDDEN_BY_RULE, "采集人不能审核自己录入的公示信息", rule="PUB-02", status=409)
        if not approve and not note:
            raise pub_error(PublicityErrorCode.INVALID_INPUT, "退回修改须写明意见", field="note")
        item.status = ItemStatus.APPROVED if approve else ItemStatus.RETURNED
        item.reviewed_by, item.reviewed_at, item.review_note = actor, timezone.now(), note
        item.save()
        _log(actor, "approve" if approve else "return", item, note=note)
    return item


def item_publish(*, actor, item: PublicationItem) -> PublicationItem:
    """Publish a reviewed item (PUB-02: `reviewed_by` before `published_at`; the publisher is not
    the collector). The channels come from `pub.required_channels` (PUB-03); decision information
    gets its display end (PUB-17); an update supersedes the item it replaces (PUB-20…PUB-23)."""
    _require_staff(actor, item, REVIEWER_ROLES, "发布公示信息")
    with transaction.atomic():
        item = _lock(item)
        if item.status != ItemStatus.APPROVED or item.reviewed_by_id is None:
            raise pub_error(PublicityErrorCode.FORBIDDEN_BY_RULE, "公示信息须经审核后方可发布", rule="PUB-02", status=409)
        if item.prepared_by_id == actor.pk:
            raise pub_error(PublicityErrorCode.FORBIDDEN_BY_RULE, "采集人不能发布自己录入的公示信息", rule="PUB-02", status=409)
        _check_content(item.content, item.title, item.subject_name)
        day = today()
        try:
            item.channels = list(rs("pub.required_channels", organisation=item.organisation, on=day).value)
        except RuleNotConfigured:
            item.channels = []
        if item.kind in DECISION_KINDS:
            item.expires_on = rules.display_end(day, max_months=_param("pub.max_months", item.organisation, day), minor=item.minor,
                                                min_months_minor=_param("pub.min_months_minor", item.organisation, day))
        item.status, item.published_by, item.published_at, item.published_on = ItemStatus.PUBLISHED, actor, timezone.now(), day
        item.save()
        if item.replaces_id:
            old = _lock(item.replaces)
            if old.status == ItemStatus.PUBLISHED:
                old.status, old.ended_on, old.end_reason = ItemStatus.SUPERSEDED, day, EndReason.SUPERSEDED
                old.save()
                _log(actor, "supersede", old, by=item.pk)
        _log(actor, "publish", item, late=day > item.due_on, due_on=item.due_on.isoformat(), channels=item.channels)
    return item


def item_exempt(*, actor, item: PublicationItem, reason: str, note: str) -> PublicationItem:
    """SEC-07, APL art. 48: a reviewer records that an item is legally exempt from publication
    (state secret, …) with the reason; it never reaches the portal."""
    _require_staff(actor, item, REVIEWER_ROLES, "决定不予公开")
    if reason not in ExemptReason.values:
        raise pub_error(PublicityErrorCode.INVALID_INPUT, "请选择不予公开的法定事由", field="reason")
    note = clean_text(note, 300)
    if not note:
        raise pub_error(PublicityErrorCode.INVALID_INPUT, "请写明不予公开的具体理由", field="note")
    with transaction.atomic():
        item = _lock(item)
        if item.status not in OPEN_STATUSES:
            raise pub_error(PublicityErrorCode.WRONG_STATE, "只有尚未发布的公示信息可以决定不予公开", status=409)
        item.status, item.exempt_reason, item.exempt_note = ItemStatus.EXEMPT, reason, note
        item.reviewed_by, item.reviewed_at = actor, timezone.now()
        item.save()
        _log(actor, "exempt", item, reason=reason)
    return item


def item_withdraw(*, actor, item: PublicationItem, explanation: str) -> PublicationItem:
    """PUB-14, PUB-26: take published information down, with the public explanation of why."""
    _require_staff(actor, item, REVIEWER_ROLES, "撤下公示信息")
    explanation = clean_text(explanation, 2000) or item.withdrawal_reason
    if not explanation:
        raise pub_error(PublicityErrorCode.INVALID_INPUT, "撤下公示信息须公开说明理由", field="explanation", rule="PUB-14")
    explanation = rules.scrub_public(explanation)
    with transaction.atomic():
        item = _lock(item)
        if item.status != ItemStatus.PUBLISHED:
            raise pub_error(PublicityErrorCode.WRONG_STATE, "只有公示中的信息可以撤下", status=409)
        item.status, item.withdrawn_at, item.withdrawn_by, item.withdrawal_reason = ItemStatus.WITHDRAWN, timezone.now(), actor, explanation
        item.ended_on = today()
        item.save()
        late = item.withdrawal_due_on is not None and item.ended_on > item.withdrawal_due_on
        _log(actor, "withdraw", item, late=late, due_on=item.withdrawal_due_on.isoformat() if item.withdrawal_due_on else None)
    return item


def item_correct(*, actor, item: PublicationItem, changes: Mapping[str, str], note: str) -> PublicationItem:
    """PUB-24: correct published information at once; the previous version stays in the revisions."""
    _require_staff(actor, item, REVIEWER_ROLES, "更正公示信息")
    note = clean_text(note, 300)
    if not note:
        raise pub_error(PublicityErrorCode.INVALID_INPUT, "请写明更正原因", field="note")
    if not changes:
        raise pub_error(PublicityErrorCode.INVALID_INPUT, "请填写更正后的内容", field="changes")
    with transaction.atomic():
        item = _lock(item)
        if item.status != ItemStatus.PUBLISHED:
            raise pub_error(PublicityErrorCode.WRONG_STATE, "只有公示中的信息可以更正", status=409)
        _apply_changes(item, changes)
        item.save()
        _revision(item, RevisionReason.CORRECTION, actor, note)
        _log(actor, "correct", item, note=note)
    return item


def item_end_after_credit_repair(*, actor, item: PublicationItem, repair_approved_on: date) -> PublicationItem:
    """PUB-18, AMB-03: after a successful credit repair the display ends early where the rule set
    allows it (`credit.repair_may_end_publicity`), not before the minimum period
    (`credit.min_pub_period`); the item's display end becomes that day."""
    _require_staff(actor, item, REVIEWER_ROLES, "终止公示")
    if item.kind not in DECISION_KINDS:
        raise pub_error(PublicityErrorCode.INVALID_INPUT, "只有执法决定信息适用信用修复", field="kind")
    day = today()
    try:
        allowed = rs("credit.repair_may_end_publicity", organisation=item.organisation, on=day).value
    except RuleNotConfigured:
        allowed = False
    if not allowed:
        raise pub_error(PublicityErrorCode.FORBIDDEN_BY_RULE, "本辖区规则集未允许信用修复后提前终止公示", rule="PUB-18", status=409)
    if not isinstance(repair_approved_on, date) or repair_approved_on > day:
        raise pub_error(PublicityErrorCode.INVALID_INPUT, "信用修复日期须为不晚于今天的有效日期", field="repair_approved_on")
    with transaction.atomic():
        item = _lock(item)
        if item.status != ItemStatus.PUBLISHED or item.published_on is None:
            raise pub_error(PublicityErrorCode.WRONG_STATE, "只有公示中的信息可以终止公示", status=409)
        end = rules.credit_repair_end(item.published_on, repair_approved_on, min_months=_param("credit.min_pub_period", item.organisation, day))
        if end <= day:
            item.status, item.ended_on, item.end_reason = ItemStatus.TERMINATED, day, EndReason.CREDIT_REPAIR
        item.expires_on = min(item.expires_on or end, end)
        item.save()
        _log(actor, "credit_repair", item, repair_approved_on=repair_approved_on.isoformat(), ends_on=end.isoformat())
    return item


def expire_due(*, on: date | None = None, actor=None) -> int:
    """PUB-17: end the display of every item whose display end has passed (daily task). The portal
    never shows such items even before this runs (selectors filter on `expires_on`)."""
    day = on or today()
    with transaction.atomic():
        ids = list(PublicationItem.objects.select_for_update().filter(status=ItemStatus.PUBLISHED, expires_on__lt=day).values_list("pk", flat=True))
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            PublicationItem.objects.filter(pk__in=chunk).update(status=ItemStatus.EXPIRED, ended_on=day, end_reason=EndReason.EXPIRED)
        if ids:
            bump_portal_version()
            ledger_append(actor=actor, action="publicity.expire", object_type="publicity.item", object_id=f"{len(ids)} items",
                          payload={"on": day.isoformat(), "ids": ids[:10000]})
    return len(ids)


# --- correction requests (PUB-25) -------------------------------------------------------------------


def correction_request_submit(*, item: PublicationItem, requester_kind: str, requester_name: str, requester_contact: str, what_is_wrong: str,
                              evidence_text: str = "", evidence_chunks: Iterable[bytes] | None = None, evidence_filename: str = "") -> CorrectionRequest:
    """A member of the public asks for a correction; the section must verify and answer within
    `pub.correction_request_wd` working days of receipt (PUB-25). Anonymous: the tracking code is
    the requester's way back to the answer."""
    if item.status != ItemStatus.PUBLISHED:
        raise not_found()
    if requester_kind not in RequesterKind.values:
        raise pub_error(PublicityErrorCode.INVALID_INPUT, "请选择申请人类别", field="requester_kind")
    name = clean_text(requester_name, 100)
    contact = clean_text(requester_contact, 100)
    wrong = clean_text(what_is_wrong, 4000)
    for value, field, label in ((name, "requester_name", "申请人姓名或名称"), (contact, "requester_contact", "联系方式"), (wrong, "what_is_wrong", "不准确的内容及理由")):
        if not value:
            raise pub_error(PublicityErrorCode.INVALID_INPUT, f"请填写{label}", field=field)
    now = timezone.now()
    rule = rules.correction_request_rule()
    deadline = _deadline(rule, item.organisation, timezone.localdate(now))
    blob = None
    if evidence_chunks is not None:
        from zhifa.evidence.storage import get_storage

        blob = get_storage().put_stream(evidence_chunks, max_bytes=10 * 1024 * 1024)
    with transaction.atomic():
        req = CorrectionRequest.objects.create(
            code=secrets.token_hex(6).upper(), item=item, requester_kind=requester_kind, requester_name=name, requester_contact=contact,
            what_is_wrong=wrong, evidence_text=clean_text(evidence_text, 2000), evidence_sha256=blob.sha256 if blob else "",
            evidence_size=blob.size if blob else 0, evidence_filename=clean_text(evidence_filename, 200) if blob else "",
            received_at=now, due_on=deadline.due_date, due_rule=rule.label,
        )
        ledger_append(actor=None, action="publicity.correction_request", object_type="publicity.correctionrequest", object_id=req.pk,
                      payload={"item": item.pk, "due_on": req.due_on.isoformat(), "evidence_sha256": req.evidence_sha256})
    return req


def correction_request_handle(*, actor, request: CorrectionRequest, corrected: bool, answer: str, changes: Mapping[str, str] | None = None) -> CorrectionRequest:
    """PUB-25: the verified outcome — corrected (the item is corrected at once, PUB-24) or rejected
    with the reason — is the answer the requester reads with the tracking code."""
    _require_staff(actor, request.item, REVIEWER_ROLES, "处理更正申请")
    answer = rules.scrub_public(clean_text(answer, 2000))
    if not answer:
        raise pub_error(PublicityErrorCode.INVALID_INPUT, "请填写给申请人的答复" + ("（不予更正须说明理由）" if not corrected else ""), field="answer", rule="PUB-25")
    with transaction.atomic():
        req = CorrectionRequest.objects.select_for_update().get(pk=request.pk)
        if req.status != RequestStatus.RECEIVED:
            raise pub_error(PublicityErrorCode.WRONG_STATE, "该更正申请已处理", status=409)
        if corrected:
            item_correct(actor=actor, item=req.item, changes=changes or {}, note=f"依更正申请 {req.code} 更正")
        req.status = RequestStatus.CORRECTED if corrected else RequestStatus.REJECTED
        req.answer, req.handled_by, req.handled_at = answer, actor, timezone.now()
        req.save()
        if "@" in req.requester_contact:
            _answer_by_email(actor, req)
        ledger_append(actor=actor, action="publicity.correction_handle", object_type="publicity.correctionrequest", object_id=req.pk,
                      payload={"status": req.status, "late": timezone.localdate(req.handled_at) > req.due_on})
    return req


def _answer_by_email(actor, req: CorrectionRequest) -> None:
    """PUB-25: the answer also goes to the requester's e-mail address when one was given (the
    tracking-code page shows it in any case). A bad address never blocks the handling."""
    from zhifa.notifications.services import notification_send

    try:
        notification_send(channel="EMAIL", address=req.requester_contact, subject=f"公示信息更正申请 {req.code} 的答复",
                          body=f"{req.requester_name}：\n您对「{req.item.title}」提出的更正申请（查询码 {req.code}）{req.get_status_display()}。\n{req.answer}",
                          actor=actor, ref=f"publicity.CorrectionRequest:{req.pk}")
    except ZhifaError:
        pass


def overdue_reminders_send(*, on: date | None = None) -> int:
    """PUB-27: tell each responsible section what is overdue — duties not published by their
    deadline, withdrawals not made, correction requests not answered — by an in-app message to its
    heads and reviewers (daily task). Returns the number of messages."""
    from zhifa.accounts.models import User
    from zhifa.notifications.services import notification_send

    day = on or today()
    overdue = (PublicationItem.objects.filter(status__in=list(OPEN_STATUSES), due_on__lt=day)
               | PublicationItem.objects.filter(status=ItemStatus.PUBLISHED, withdrawal_due_on__lt=day))
    counts: dict[int, int] = {}
    for org_id in overdue.values_list("organisation_id", flat=True):
        counts[org_id] = counts.get(org_id, 0) + 1
    for org_id in CorrectionRequest.objects.filter(status=RequestStatus.RECEIVED, due_on__lt=day).values_list("item__organisation_id", flat=True):
        counts[org_id] = counts.get(org_id, 0) + 1
    sent = 0
    with transaction.atomic():
        for user in User.objects.filter(organisation_id__in=counts, role__in=list(REVIEWER_ROLES), is_active=True):
            notification_send(channel="IN_APP", address="", recipient=user, subject=f"执法公示：{counts[user.organisation_id]} 项已超过期限",
                              body="以下公示、撤下或更正事项已超过法定期限，请在「执法公示」待办中处理（PUB-27）。", actor=None)
            sent += 1
    return sent


# --- pre-enforcement catalogue (PUB-04…PUB-07) -------------------------------------------------------

CATALOGUE_PATH = Path(__file__).with_name("catalogue.yaml")


def _stable_id(*parts: Any) -> int:
    """A stable 60-bit id for catalogue entries, so loading twice never creates a second duty."""
    return int(hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:15], 16)


def _bands_text(entry: Mapping[str, Any]) -> str:
    bands = entry.get("bands") or []
    return "；".join(f"{b.get('label', b.get('code'))} {float(b['share_from']):.0%}–{float(b['share_to']):.0%}" for b in bands)


def catalogue_entries(organisation: Organisation, on: date) -> list[tuple[str, str, dict[str, str]]]:
    """(kind, title, content) of the catalogue: the data file plus, from the rule set, one penalty
    power item and one published benchmark per discretion benchmark entry (PUB-05, PUB-07)."""
    data = yaml.safe_load(CATALOGUE_PATH.read_text(encoding="utf-8"))
    unit = unit_name(organisation)
    out: list[tuple[str, str, dict[str, str]]] = []
    for p in data["power_items"]:
        out.append((ItemKind.POWER_ITEM, f"{p['category']}：{p['name']}", {"name": p["name"], "category": p["category"], "basis": p["basis"],
                                                                         "unit": unit, "process": p["process"]}))
    for g in data["service_guides"]:
        out.append((ItemKind.SERVICE_GUIDE, g["name"], {k: str(v) for k, v in g.items()}))
    for r in data["random_check_list"]:
        out.append((ItemKind.RANDOM_CHECK_LIST, f"随机抽查事项：{r['name']}", {k: str(v) for k, v in r.items()}))
    out.append((ItemKind.PENALTY_BASIS, "行政处罚的实施机关、立案依据、实施程序和救济渠道", {k: str(v) for k, v in data["penalty_basis"].items()}))
    for b in _param("discretion.benchmarks", organisation, on):
        party = "单位" if b.get("party_kind") == "ORG" else "个人"
        out.append((ItemKind.POWER_ITEM, f"行政处罚：{b['title']}", {"name": b["title"], "category": "行政处罚", "basis": b["article"], "unit": unit,
                                                                 "process": "立案 → 调查取证 → 告知 → 陈述申辩/听证 → 法制审核 → 决定 → 送达 → 执行"}))
        rng = f"{b['statutory_min']:,}–{b['statutory_max']:,}元" if b.get("statutory_max") is not None else str(b.get("kind", ""))
        out.append((ItemKind.DISCRETION_BENCHMARK, f"裁量基准 {b['code']}：{b['title']}", {
            "code": b["code"], "title": b["title"], "basis": b["article"], "party_kind": party, "statutory_range": rng, "bands": _bands_text(b),
        }))
    return out


def catalogue_load(*, actor, organisation: Organisation) -> list[PublicationItem]:
    """Create the pre-enforcement duties of an enforcement unit (PUB-04), each due
    `ogi.proactive_wd` working days from today (AMB-32), plus its officers' credentials."""
    require_writer(actor)
    if actor.role not in COLLECTOR_ROLES or not can_see_organisation(actor, organisation):
        raise pub_error(PublicityErrorCode.PERMISSION_DENIED, "只有本单位执法人员可以录入事前公示目录", status=403)
    day = today()
    made = []
    with transaction.atomic():
        for kind, title, content in catalogue_entries(organisation, day):
            source = ("publicity.catalogue", _stable_id(organisation.pk, kind, title))
            if PublicationItem.objects.filter(source_type=source[0], source_id=source[1]).exists():
                continue
            made.append(item_create(kind=kind, organisation=organisation, title=title, content={k: rules.scrub_public(v) for k, v in content.items()},
                                    trigger=Trigger.CATALOGUE, event_on=day, source=source, actor=actor))
        made += credential_duties_sync(actor=actor, organisation=organisation)
    return made


# --- annual data (PUB-28) ------------------------------------------------------------------------------


def annual_statistics_build(*, actor, organisation: Organisation, year: int) -> PublicationItem:
    """PUB-28: the previous year's overall enforcement data, generated from the records of the
    organisation's subtree, due by `pub.annual_data_due` (31 January) of the next year."""
    require_writer(actor)
    if actor.role not in COLLECTOR_ROLES or not can_see_organisation(actor, organisation):
        raise pub_error(PublicityErrorCode.PERMISSION_DENIED, "只有本单位执法人员可以生成年度数据", status=403)
    if not isinstance(year, int) or not (2000 <= year < today().year):
        raise pub_error(PublicityErrorCode.INVALID_INPUT, "只能生成已结束年度的数据", field="year")
    from .annual import annual_figures

    figures = annual_figures(organisation, year)
    content = {"year": str(year), "unit": unit_name(organisation), **{label: str(value) for label, value in figures}}
    return item_create(kind=ItemKind.ANNUAL_STATISTICS, organisation=organisation, title=f"{unit_name(organisation)}{year}年度行政执法总体数据",
                       content=content, trigger=Trigger.ANNUAL, event_on=date(year, 12, 31), source=("publicity.annual", organisation.pk * 10_000 + year),
                       actor=actor)
