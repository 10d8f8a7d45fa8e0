"""REST API of the case procedure under /api/v1/ (issue 5).

- GET  cases/                      the caller's visible cases (staff: org subtree; enterprise: its own)
- GET  cases/{id}/                 state, parties, decisions, deadlines, allowed transitions, timeline
- POST cases/{id}/actions/{name}/  one step of the procedure; the body is the step's form (JSON or
  form-encoded, same fields as the page). A refused step answers 409 with
  `{"error": {"code": "CASE_FORBIDDEN_BY_RULE", "rule": "RTS-02", "message": "…", "details": {"findings": [...]}}}`.

Access is per object: a foreign case answers 404 like a missing one.
"""
from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from zhifa.common.api_views import ZhifaAPIMixin
from zhifa.common.errors import CommonErrorCode, ZhifaError
from zhifa.common.pagination import ZhifaPageNumberPagination

from . import selectors, views
from .choices import CaseState
from .errors import CaseErrorCode, not_found
from .models import Case, CaseEvent
from .workflow import allowed_from

TAG = "案件"


class CaseSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = Case
        fields = ["id", "number", "title", "origin", "procedure", "state", "state_label", "enterprise", "enterprise_name", "organisation",
                  "filed_on", "closed_on", "closure_reason", "archived_on", "created_at"]


class EventSerializer(serializers.ModelSerializer):
    class Meta:
        model = CaseEvent
        fields = ["at", "kind", "state_from", "state_to", "summary", "ledger_index"]


@extend_schema(tags=[TAG])
class CaseListView(ZhifaAPIMixin, generics.ListAPIView):
    serializer_class = CaseSerializer
    pagination_class = ZhifaPageNumberPagination

    def get_queryset(self):
        qs = selectors.cases_visible_to(self.request.user).order_by("-created_at", "-id")
        state = self.request.query_params.get("state")
        return qs.filter(state=state) if state in CaseState.values else qs


def _case(request, pk) -> Case:
    case = selectors.cases_visible_to(request.user).filter(pk=int(pk)).first()
    if case is None:
        raise not_found()
    return case


@extend_schema(tags=[TAG])
class CaseDetailView(ZhifaAPIMixin, APIView):
    def get(self, request, pk):
        case = _case(request, pk)
        parties = []
        for row in views._parties(case):
            d = row["decision"]
            parties.append({"id": row["party"].pk, "name": row["party"].name, "role": row["party"].role,
                            "notice_served_on": row["notice_served_on"], "statement_window_end": row["statement_end"], "hearing_request_deadline": row["hearing_end"],
                            "decision": {"kind": d.kind, "fine": str(d.fine), "document": d.document_id, "served_on": row["decision_served_on"]} if d else None,
                            "payment_code": row["payment"].payment_code if row["payment"] else None})
        body = CaseSerializer(case).data | {
            "parties": parties,
            "deadlines": [{"label": x.label, "due_on": x.due_on, "rule": x.rule} for x in selectors.case_deadlines(case)],
            "allowed_transitions": allowed_from(case.state),
            "timeline": EventSerializer(case.events.all(), many=True).data if request.user.role != "ENTERPRISE_CONTACT" else [],
        }
        return Response(body)


@extend_schema(tags=[TAG], request=None)
class CaseActionView(ZhifaAPIMixin, APIView):
    def post(self, request, pk, action):
        case = _case(request, pk)
        if action not in views.ACTIONS:
            raise ZhifaError(CommonErrorCode.NOT_FOUND, "没有这个办理步骤", status=404)
        call = views.ACTIONS[action][1]
        form = views.action_form(case, action, request.data)
        if not form.is_valid():
            raise ZhifaError(CaseErrorCode.INVALID_INPUT, "提交的内容有误", status=400, details={"fields": {k: [str(e) for e in v] for k, v in form.errors.items()}})
        message = call(request, case, form.cleaned_data)
        case.refresh_from_db()
        return Response({"message": message, "case": CaseSerializer(case).data})
