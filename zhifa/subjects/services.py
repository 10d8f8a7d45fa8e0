"""Writes of the subject register. Each runs in one transaction that also appends to the ledger."""
from __future__ import annotations

from django.db import transaction

from zhifa.access.choices import ObjectType as AccessObjectType
from zhifa.access.services import access_authorise
from zhifa.accounts.access import can_write
from zhifa.accounts.choices import STAFF_ROLES, Role
from zhifa.common.errors import ZhifaError
from zhifa.ledger.services import ledger_append

from .choices import ChangeField
from .errors import SubjectErrorCode
from .models import Enterprise, Person, RegistrationChange

# Which roles may see a natural person's raw ID number/phone/address, and only with a purpose (SEC-03, SEC-05).
REVEAL_ROLES = frozenset(STAFF_ROLES) | {Role.SYSTEM_ADMIN}
REVEALABLE_FIELDS = {"id_number": "身份证号码", "phone": "联系电话", "address": "住址"}


def person_reveal_field(*, user, person: Person, field: str, purpose: str) -> str:
    """Return one unmasked personal-data field and log the view to the ledger (SEC-02, SEC-03).

    Only bureau staff may reveal, always with a stated purpose and under an approved, in-window
    access request for this person (REC-17, zhifa.access); auditors and enterprise contacts see
    masked values only.
    """
    if field not in REVEALABLE_FIELDS:
        raise ZhifaError(SubjectErrorCode.REVEAL_NOT_ALLOWED, "该字段不可查看", field=field)
    if not can_write(user) or user.role not in REVEAL_ROLES:
        raise ZhifaError(SubjectErrorCode.REVEAL_NOT_ALLOWED, "您的角色无权查看未脱敏的个人信息", rule="SEC-03", status=403)
    purpose = (purpose or "").strip()
    if len(purpose) < 2:
        raise ZhifaError(SubjectErrorCode.REVEAL_PURPOSE_REQUIRED, "查看未脱敏个人信息须填写用途", field="purpose", rule="SEC-02")
    # REC-17, SEC-01: only under an approved access request whose window covers this moment; a
    # refusal is logged by the gate and raised as a 403. The ledger entry names the request.
    authorisation = access_authorise(actor=user, object_type=AccessObjectType.PERSON_PERSONAL_DATA, object_id=person.pk)
    with transaction.atomic():
        ledger_append(
            actor=user,
            action="personal_data.reveal",
            object_type="subjects.person",
            object_id=person.pk,
            payload={"field": field, "purpose": purpose, **authorisation.ledger_payload()},
        )
    return getattr(person, field) or ""


def registration_change_record(*, actor, enterprise: Enterprise, field: str, new_value: str, changed_on, source: str = "") -> RegistrationChange:
    """Record a dated business-registration change and apply it to the master record.

    Licences keep their recorded particulars, so an unreported change stays visible to the
    clue rules (CLU-S04/S08/S11).
    """
    with transaction.atomic():
        enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        old_value = _current_value(enterprise, field)
        change, created = RegistrationChange.objects.get_or_create(
            enterprise=enterprise,
            field=field,
            changed_on=changed_on,
            new_value=new_value,
            defaults={"old_value": old_value, "source": source},
        )
        if created:
            _apply_change(enterprise, field, new_value)
            ledger_append(
                actor=actor,
                action="subjects.registration_change.record",
                object_type="subjects.enterprise",
                object_id=enterprise.pk,
                payload={"field": field, "old": old_value, "new": new_value, "changed_on": changed_on},
            )
    return change


def _current_value(enterprise: Enterprise, field: str) -> str:
    if field == ChangeField.PRINCIPAL:
        return enterprise.principal.name if enterprise.principal_id else ""
    if field == ChangeField.NAME:
        return enterprise.name
    if field == ChangeField.REG_ADDRESS:
        return enterprise.registered_address
    if field == ChangeField.AFFILIATION:
        return enterprise.affiliation
    raise ZhifaError(SubjectErrorCode.IMPORT_INVALID, f"未知的变更事项：{field}", field="field")


def _apply_change(enterprise: Enterprise, field: str, new_value: str) -> None:
    if field == ChangeField.PRINCIPAL:
        person = Person.objects.create(name=new_value)
        enterprise.principal = person
        enterprise.save(update_fields=["principal", "updated_at"])
    elif field == ChangeField.NAME:
        enterprise.name = new_value
        enterprise.save(update_fields=["name", "updated_at"])
    elif field == ChangeField.REG_ADDRESS:
        enterprise.registered_address = new_value
        enterprise.save(update_fields=["registered_address", "updated_at"])
    elif field == ChangeField.AFFILIATION:
        enterprise.affiliation = new_value
        enterprise.save(update_fields=["affiliation", "updated_at"])


# --- Import of register data (issue 2 item 4) --------------------------------------------------------


def import_job_create(*, user, source: str, file_name: str, file_path: str = "", file_size: int = 0, sha256: str = "", requested_kind: str = ""):
    """Register an uploaded or local file as an ImportJob (operational record, not ledgered: the
    ledger records the import itself, once, when it commits — see `import_apply`)."""
    from .models import ImportJob

    return ImportJob.objects.create(
        user=user if getattr(user, "pk", None) else None,
        source=source,
        file_name=file_name[:255],
        file_path=file_path,
        file_size=file_size,
        sha256=sha256,
        requested_kind=requested_kind,
    )


def import_job_save(job, **fields) -> None:
    """Update an ImportJob's progress/outcome fields, outside the import transaction."""
    for name, value in fields.items():
        setattr(job, name, value)
    job.save(update_fields=[*fields, "updated_at"])


def import_apply(*, actor, job, tables, spool, progress) -> dict:
    """Write the validated rows of one file, all or nothing, and append exactly one ledger entry.

    `tables` are the validation summaries (kind, sheet, columns present, rows), `spool` yields
    the clean rows batch by batch in table order. Writes are bulk and idempotent (natural keys,
    see importing.writers); any exception rolls the whole file back. Returns the counts per
    kind, the totals and the ledger entry's index.
    """
    from .importing.spec import KINDS_BY_KEY
    from .importing.writers import Counts, writer_for

    total_rows = sum(t.rows for t in tables)
    per_kind: dict[str, Counts] = {}
    facts: dict[str, dict] = {}
    written = 0
    with transaction.atomic():
        current_index: int | None = None
        writer = None

        def finish_current() -> None:
            if writer is not None:
                extra = writer.finish()
                if extra:
                    facts.setdefault(writer.kind.key, {}).update(extra)

        for table_index, batch in spool.batches():
            if table_index != current_index:
                finish_current()
                table = tables[table_index]
                writer = writer_for(KINDS_BY_KEY[table.kind], table.present)
                current_index = table_index
            per_kind.setdefault(writer.kind.key, Counts()).add(writer.write(batch))
            written += len(batch)
            progress.advance("writing", written, total_rows)
        finish_current()
        totals = Counts()
        for counts in per_kind.values():
            totals.add(counts)
        counts_payload = {kind: {**c.as_dict(), **facts.get(kind, {})} for kind, c in per_kind.items()}
        entry = ledger_append(
            actor=actor,
            action="subjects.import",
            object_type="subjects.importjob",
            object_id=job.pk,
            payload={
                "file_name": job.file_name,
                "file_sha256": job.sha256,
                "file_size": job.file_size,
                "kind": job.kind,
                "rows": total_rows,
                "created": totals.created,
                "updated": totals.updated,
                "unchanged": totals.unchanged,
                "counts": counts_payload,
                "source": job.source,
            },
        )
    return {"counts": counts_payload, "totals": totals, "rows": total_rows, "ledger_index": entry.index}
