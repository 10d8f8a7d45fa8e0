"""PUB-28 (S2-P §7 para 4): the figures of a unit's yearly enforcement data, computed from the
records (never typed in). Reads only; the item is built by services.annual_statistics_build."""
from __future__ import annotations

from datetime import date

from django.db.models import Count, F, Q, Sum

from zhifa.accounts.models import Organisation

from .choices import DECISION_KINDS, ItemStatus
from .models import CorrectionRequest, PublicationItem


def annual_figures(organisation: Organisation, year: int) -> list[tuple[str, object]]:
    """(label, value) rows for the organisation's subtree in `year`."""
    from zhifa.cases.choices import NO_PENALTY_KINDS, DecisionKind, MeasureKind
    from zhifa.cases.models import Case, Decision, Hearing, Measure
    from zhifa.clues.models import Clue

    first, last = date(year, 1, 1), date(year, 12, 31)
    scope = organisation.path
    cases = Case.objects.filter(organisation__path__startswith=scope)
    decisions = Decision.objects.filter(party__case__organisation__path__startswith=scope, decided_on__range=(first, last))
    d = decisions.aggregate(
        penalties=Count("id", filter=Q(kind=DecisionKind.PENALTY)),
        no_penalty=Count("id", filter=Q(kind__in=list(NO_PENALTY_KINDS))),
        fines=Sum("fine", filter=Q(kind=DecisionKind.PENALTY)),
    )
    clues = Clue.objects.filter(organisation__path__startswith=scope, detected_at__date__range=(first, last))
    pubs = PublicationItem.objects.filter(organisation__path__startswith=scope, kind__in=list(DECISION_KINDS), published_on__range=(first, last))
    requests = CorrectionRequest.objects.filter(item__organisation__path__startswith=scope, received_at__date__range=(first, last))
    return [
        ("立案数（件）", cases.filter(filed_on__range=(first, last)).count()),
        ("行政处罚决定数（件）", d["penalties"] or 0),
        ("罚款金额（元）", f"{d['fines'] or 0:,.2f}"),
        ("不予行政处罚决定数（件）", d["no_penalty"] or 0),
        ("行政强制措施数（件）", Measure.objects.filter(case__organisation__path__startswith=scope, started_on__range=(first, last))
         .exclude(kind=MeasureKind.PRESERVATION).count()),
        ("举行听证数（次）", Hearing.objects.filter(party__case__organisation__path__startswith=scope, held_at__date__range=(first, last)).count()),
        ("非现场监管发现线索数（条）", clues.count()),
        ("公示执法决定数（条）", pubs.count()),
        ("其中逾期公示（条）", pubs.filter(published_on__gt=F("due_on")).count()),
        ("撤下执法决定公示数（条）", PublicationItem.objects.filter(organisation__path__startswith=scope, status=ItemStatus.WITHDRAWN,
                                                            withdrawn_at__date__range=(first, last), published_on__isnull=False).count()),
        ("收到更正申请数（件）", requests.count()),
    ]


