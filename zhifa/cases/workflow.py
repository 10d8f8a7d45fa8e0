"""The case state machine, declared once (ARCHITECTURE "Where rules live").

`Case.state` is a protected FSM field: only these transitions move it, and only from the listed
sources. The guards (guards.py, pure) decide whether a move is lawful; the services call them,
then the transition, inside one transaction with the ledger entry. CAS-01: there is no shortcut
for non-site cases — the only short path is the simple procedure (CAS-03), which skips filing,
notice windows and review exactly as APL arts. 51–52 allow.
"""
from __future__ import annotations

from django_fsm import transition

from .choices import CaseState as S

# (transition, sources, target) — the whole procedure at a glance; docs/cases.md draws it.
TRANSITIONS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("file", (S.PENDING_FILING,), S.INVESTIGATING),
    ("refuse_filing", (S.PENDING_FILING,), S.NOT_FILED),
    ("propose", (S.INVESTIGATING,), S.PROPOSED),
    ("return_to_investigation", (S.PROPOSED, S.NOTICED, S.REVIEW, S.COMMITTEE, S.READY), S.INVESTIGATING),
    ("issue_notice", (S.PROPOSED,), S.NOTICED),
    ("open_hearing", (S.NOTICED,), S.HEARING),
    ("submit_review", (S.PROPOSED, S.NOTICED, S.HEARING, S.READY), S.REVIEW),
    ("review_done", (S.REVIEW,), S.READY),
    ("to_committee", (S.REVIEW,), S.COMMITTEE),
    ("committee_done", (S.COMMITTEE,), S.READY),
    ("skip_review", (S.PROPOSED, S.NOTICED, S.HEARING), S.READY),
    ("decide", (S.READY,), S.DECIDED),
    ("decide_simple", (S.PENDING_FILING,), S.DECIDED),
    ("served", (S.DECIDED,), S.SERVED),
    ("close", (S.SERVED, S.DECIDED), S.CLOSED),
    ("archive", (S.CLOSED,), S.ARCHIVED),
)


def _declare(name: str, sources: tuple[str, ...], target: str):
    @transition(field="state", source=list(sources), target=target)
    def move(self) -> None:
        """Moves the protected state; the calling service has checked the guards."""

    move.__name__ = f"do_{name}"
    return move


class CaseWorkflow:
    """Mixin giving Case one `do_<transition>()` method per declared transition."""

    def refresh_from_db(self, *args, **kwargs):
        # A protected FSM field refuses assignment once loaded; reloading from the database is not
        # an assignment by code, so the stale value is dropped first.
        self.__dict__.pop("state", None)
        return super().refresh_from_db(*args, **kwargs)


for _name, _sources, _target in TRANSITIONS:
    setattr(CaseWorkflow, f"do_{_name}", _declare(_name, _sources, _target))


def allowed_from(state: str) -> list[str]:
    """The transitions declared from `state` that a page may offer (the simple procedure is its own
    form, never a step of a general-procedure case)."""
    return [name for name, sources, _ in TRANSITIONS if state in sources and name != "decide_simple"]
