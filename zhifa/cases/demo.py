"""Demo cases for `make run`: a few cases of the demo city at different steps, made through the
services exactly as officers would, so every document, timeline row and ledger entry is real.

- the demo enterprise contact's enterprise: a case with the pre-decision notice served, so the
  contact sees it in 我的案件 and can state a defence or waive;
- a clue of Putuo turned into a filed case under investigation;
- a clue proposed for filing, waiting for the head's approval;
- a first-violation case decided without penalty and closed (CLU-L04).
"""
from __future__ import annotations

from django.db import transaction

from zhifa.accounts.models import User
from zhifa.clues.choices import ClueStatus
from zhifa.clues.models import Clue
from zhifa.common.timeutil import today
from zhifa.subjects.models import ContactAuthorisation

from . import services
from .choices import Origin
from .models import Case
from .selectors import name_of

SCORES = dict.fromkeys(("RISK", "CIRCUMSTANCE_MANNER", "CONSEQUENCE_IMPACT", "FAULT", "CORRECTION", "COOPERATION"), "NORMAL")


def _demo_evidence(officer, enterprise):
    """A reviewed (admissible) data extract as the case's evidence (EVI-03 metadata filled)."""
    from datetime import timedelta

    from django.utils import timezone

    from zhifa.evidence.choices import EvidenceKind, EvidenceSource
    from zhifa.evidence.services import evidence_register, evidence_review

    legal = User.objects.get(username="legal")
    body = f"{enterprise.uscc} 许可证到期后用电与产量数据摘录（演示）".encode()
    item = evidence_register(actor=officer, chunks=[body], original_filename="extract.txt", declared_content_type="text/plain",
                             kind=EvidenceKind.ELECTRONIC_DATA, title="许可证到期后生产数据摘录", production_method="系统导出",
                             produced_at=timezone.now() - timedelta(hours=1), producer=name_of(officer),
                             object_proven="许可证过期后仍在生产", source=EvidenceSource.SHARED_DATA, enterprise=enterprise)
    evidence_review(actor=legal, item=item, criteria=dict.fromkeys(("TRUE", "CLEAR", "COMPLETE", "ACCURATE", "LAWFUL"), True), opinion="数据来源可靠")
    return item


def demo_cases_create() -> list[Case]:
    """Create the demo cases once (nothing happens when any case exists or the demo users are missing)."""
    if Case.objects.exists():
        return []
    users = {u.username: u for u in User.objects.filter(username__in=["officer1", "officer2", "supervisor", "enterprise"])}
    if len(users) < 4:
        return []
    officer, officer2, head = users["officer1"], users["officer2"], users["supervisor"]
    clues = list(Clue.objects.filter(status=ClueStatus.OPEN, is_open=True, organisation__path__startswith=officer.organisation.path)
                 .select_related("enterprise", "scenario").order_by("id")[:3])
    made: list[Case] = []
    with transaction.atomic():
        link = ContactAuthorisation.objects.filter(user=users["enterprise"]).select_related("enterprise").first()
        if link is not None:
            case = services.case_open(actor=officer, enterprise=link.enterprise, title="安全生产许可证有效期届满未办理延期手续继续从事生产",
                                      facts="经非现场数据比对，许可证有效期届满后仍有用电和产量数据。", origin=Origin.NON_SITE,
                                      officers=[officer2], benchmark_code="SPLR20")
            services.case_file(actor=head, case=case)
            party = case.parties.get()
            services.case_propose(actor=officer, party=party, kind="PENALTY", penalty_types=["FINE"], fine="70000", scores=SCORES,
                                  facts="许可证有效期届满后继续从事生产", law="《安全生产许可证条例》第二十条",
                                  correction_order="责令停止生产，限期办理延期手续", discretion_text="情节一般，按一般档次裁量")
            services.case_evidence_link(actor=officer, case=case, item=_demo_evidence(officer, link.enterprise), proves="许可证过期后仍在生产")
            services.case_close_investigation(actor=officer, case=case)
            (notice,) = services.case_notice_issue(actor=officer, case=case)
            services.case_serve(actor=officer, party=party, document=notice.document, method="DIRECT", served_on=today(),
                                recipient=name_of(users["enterprise"]), recipient_role="企业安全管理人员")
            made.append(case)
        for i, clue in enumerate(clues):
            case = services.case_open_from_clue(actor=officer, clue=clue, officers=[officer2])
            if i < 2:
                services.case_file(actor=head, case=case)
            made.append(case)
    return made
