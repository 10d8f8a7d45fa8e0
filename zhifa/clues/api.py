"""REST API of the clue triage under /api/v1/ (issue 4 items 3–5).

- GET  clues/                         inbox list (filters: scenario, status, severity, category, deadline, organisation)
- GET  clues/statistics/              per scenario / district / month, share handled non-site, overdue transfers
- GET  clues/{id}/                    detail: facts, suggestion, timeline, reminders, transfers
- POST clues/{id}/remind/             告知提醒 (CLU-X01)
- POST clues/{id}/major-hazard/       认定重大事故隐患 → transfer deadline (CLU-X02)
- POST clues/{id}/transfer/           移交执法机构 with facts and evidence (CLU-X02)
- POST clues/{id}/judicial-transfer/  移送司法机关 (CLU-X03, supervisors)
- POST clues/{id}/dismiss/            排除 with reason
- GET  reminders/, reminders/{id}/    reminders (an enterprise contact: those of its enterprises)
- POST reminders/{id}/answers/        the enterprise's answer with documents (multipart)
- POST reminders/{id}/verify/         the officer's verification (CLU-L01/L02/L04)
- GET  triggers/, triggers/{id}/; POST triggers/   alarms and other triggers (CLU-T01/T02), idempotent
- GET  complaints/, complaints/{id}/; POST complaints/, complaints/{id}/{verify,signoff,transfer-out,close}/ (CLU-T03)

Access is per object (selectors.*_visible_to): a foreign object answers 404 like a missing one.
Every error is the structured `{"error": {...}}` body of zhifa.common.api.
"""
from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from zhifa.accounts.models import Organisation
from zhifa.common.api_views import ZhifaAPIMixin
from zhifa.common.errors import CommonErrorCode, ZhifaError
from zhifa.common.masking import mask_phone
from zhifa.common.pagination import ZhifaPageNumberPagination
from zhifa.common.timeutil import today
from zhifa.evidence.models import EvidenceItem

from . import selectors, services, triage
from .choices import Category, ClueStatus, Severity, TriggerKind
from .errors import ClueErrorCode, clue_error
from .models import Clue, ClueEvent, Complaint, Reminder, ReminderAnswer, Transfer, Trigger

TAG = "线索"
MAX_ID = 2**63 - 1


# --- serializers ----------------------------------------------------------------------------------


class ClueSerializer(serializers.ModelSerializer):
    number = serializers.CharField(read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    enterprise_uscc = serializers.CharField(source="enterprise.uscc", read_only=True)
    transfer_overdue = serializers.SerializerMethodField()

    class Meta:
        model = Clue
        fields = [
            "id", "number", "title", "rule_id", "rule_version", "channel", "category", "severity", "status", "owner", "is_open",
            "enterprise", "enterprise_name", "enterprise_uscc", "organisation", "trigger", "detected_at", "violation_on", "ongoing",
            "transfer_due_on", "transfer_due_provisional", "transfer_overdue", "major_hazard_on", "repeat_reached_on",
            "dual_penalty_hint", "crime_suspected", "close_reason", "closed_at",
        ]

    def get_transfer_overdue(self, obj: Clue) -> bool:
        untransferred = obj.is_open and obj.status in selectors.UNTRANSFERRED_STATUSES
        return triage.transfer_overdue(due_on=obj.transfer_due_on, transferred=not untransferred, as_of=today()) and obj.is_open


class ClueEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = ClueEvent
        fields = ["kind", "at", "actor", "note", "payload", "run"]


class EvidenceRefSerializer(serializers.ModelSerializer):
    sha256 = serializers.CharField(source="file.sha256", read_only=True)

    class Meta:
        model = EvidenceItem
        fields = ["id", "title", "source", "sha256"]


class AnswerSerializer(serializers.ModelSerializer):
    evidence = EvidenceRefSerializer(source="evidence_items", many=True, read_only=True)

    class Meta:
        model = ReminderAnswer
        fields = ["id", "submitted_at", "submitted_by", "text", "evidence"]


class ReminderSerializer(serializers.ModelSerializer):
    clue_number = serializers.CharField(source="clue.number", read_only=True)
    enterprise_name = serializers.CharField(source="clue.enterprise.name", read_only=True)
    answers = AnswerSerializer(many=True, read_only=True)

    class Meta:
        model = Reminder
        fields = [
            "id", "clue", "clue_number", "enterprise_name", "sent_at", "rule_citation", "text", "correction_due_on",
            "correction_due_provisional", "correction_period_wd", "status", "verified_at", "verification_note", "education_record", "answers",
        ]


class TransferSerializer(serializers.ModelSerializer):
    evidence = EvidenceRefSerializer(source="evidence_items", many=True, read_only=True)

    class Meta:
        model = Transfer
        fields = ["id", "kind", "reason", "triggered_on", "due_on", "sent_at", "sent_by", "to_organisation", "to_body", "facts_summary", "late", "evidence"]


class SuggestionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=[(a.value, triage.ACTION_LABELS[a]) for a in triage.TriageAction])
    label = serializers.CharField()
    rule = serializers.CharField()
    reason = serializers.CharField()
    deadline_required = serializers.BooleanField()


class ClueDetailSerializer(ClueSerializer):
    suggestion = serializers.SerializerMethodField()
    events = serializers.SerializerMethodField()
    reminders = serializers.SerializerMethodField()
    transfers = serializers.SerializerMethodField()

    class Meta(ClueSerializer.Meta):
        fields = [*ClueSerializer.Meta.fields, "facts", "snapshot_sha256", "snapshot_evidence", "close_note", "suggestion", "events", "reminders", "transfers"]

    @extend_schema_field(SuggestionSerializer)
    def get_suggestion(self, obj: Clue) -> dict:
        s = triage.suggest_triage(category=obj.category, crime_suspected=obj.crime_suspected)
        return {"action": s.action.value, "label": s.label, "rule": s.rule, "reason": s.reason, "deadline_required": s.deadline_required}

    @extend_schema_field(ClueEventSerializer(many=True))
    def get_events(self, obj: Clue) -> list:
        return ClueEventSerializer(selectors.clue_timeline(obj), many=True).data

    @extend_schema_field(ReminderSerializer(many=True))
    def get_reminders(self, obj: Clue) -> list:
        return ReminderSerializer(obj.reminders.order_by("-sent_at", "-pk"), many=True).data

    @extend_schema_field(TransferSerializer(many=True))
    def get_transfers(self, obj: Clue) -> list:
        return TransferSerializer(obj.transfers.order_by("-sent_at"), many=True).data


class ClueFilterSerializer(serializers.Serializer):
    scenario = serializers.CharField(required=False, max_length=16, help_text="规则编号，如 CLU-S03、CLU-T01")
    status = serializers.ChoiceField(choices=ClueStatus.choices, required=False)
    severity = serializers.ChoiceField(choices=Severity.choices, required=False)
    category = serializers.ChoiceField(choices=Category.choices, required=False)
    deadline = serializers.ChoiceField(choices=list(selectors.DEADLINE_FILTERS.items()), required=False)
    organisation = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID, help_text="机构ID（含下级机构）")


class StatisticsFilterSerializer(serializers.Serializer):
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)


class StatisticsSerializer(serializers.Serializer):
    per_scenario = serializers.ListField(child=serializers.DictField())
    per_district = serializers.ListField(child=serializers.DictField())
    per_month = serializers.ListField(child=serializers.DictField())
    per_scenario_district_month = serializers.ListField(child=serializers.DictField())
    closed = serializers.IntegerField()
    closed_non_site = serializers.IntegerField()
    share_non_site = serializers.FloatField(allow_null=True)
    overdue_transfers = serializers.IntegerField()
    late_transfers = serializers.IntegerField()
    transfers = serializers.IntegerField()


class RemindInputSerializer(serializers.Serializer):
    text = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000, help_text="留空自动生成")


class MajorHazardInputSerializer(serializers.Serializer):
    graded_on = serializers.DateField(required=False, allow_null=True, default=None, help_text="认定日期，默认今天")
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class TransferInputSerializer(serializers.Serializer):
    facts_summary = serializers.CharField(max_length=10000, allow_blank=True, help_text="移交事实（CLU-X02）")
    evidence_ids = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=MAX_ID), required=False, default=list, max_length=100)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class JudicialInputSerializer(serializers.Serializer):
    facts_summary = serializers.CharField(max_length=10000, allow_blank=True)
    to_body = serializers.CharField(max_length=100, allow_blank=True, help_text="接收移送的司法机关")
    evidence_ids = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=MAX_ID), required=False, default=list, max_length=100)


class DismissInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, allow_blank=True)


class AnswerInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=5000, allow_blank=True, help_text="改正情况说明")
    files = serializers.ListField(child=serializers.FileField(), required=False, default=list, max_length=5, help_text="证明材料（multipart，可多个）")


class VerifyInputSerializer(serializers.Serializer):
    corrected = serializers.BooleanField(help_text="true：已在期限内改正；false：未改正")
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    education = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000, help_text="教育记录（已改正时必填，CLU-L04）")


class TriggerSerializer(serializers.ModelSerializer):
    clues = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Trigger
        fields = ["id", "kind", "source", "external_ref", "enterprise", "subject_uscc", "occurred_at", "summary", "payload_sha256", "received_by", "organisation", "created_at", "clues"]


class TriggerInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=TriggerKind.choices, help_text="CLU-T01：RISK_ALARM、APPROVAL_OR_FILING_OVERDUE、PATROL_FINDING；CLU-T02：COMPLAINT、TRANSFER、ASSIGNMENT")
    source = serializers.CharField(max_length=64, help_text="来源系统，如 iot-platform")
    external_ref = serializers.CharField(max_length=100, help_text="来源系统内的事件编号；(source, external_ref) 去重")
    uscc = serializers.CharField(max_length=32, allow_blank=True, help_text="涉及企业的统一社会信用代码")
    occurred_at = serializers.DateTimeField(help_text="发生时间，ISO 8601 含时区")
    summary = serializers.CharField(max_length=500)
    payload = serializers.JSONField(required=False, default=dict, help_text="原始报警内容（JSON 对象，≤64 KB）")


class FindingSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


class TriggerResultSerializer(serializers.Serializer):
    trigger = TriggerSerializer()
    created = serializers.BooleanField(help_text="true：新登记；false：此前已登记（重复推送）")
    clue = serializers.IntegerField(allow_null=True, help_text="生成的线索ID")


class ComplaintSerializer(serializers.ModelSerializer):
    complainant_phone = serializers.SerializerMethodField(help_text="脱敏")
    clue = serializers.SerializerMethodField()
    enterprise = serializers.IntegerField(source="trigger.enterprise_id", read_only=True, allow_null=True)

    class Meta:
        model = Complaint
        fields = [
            "id", "trigger", "enterprise", "clue", "content", "anonymous", "complainant_name", "complainant_phone", "verification_report",
            "verified_at", "verified_by", "substantiated", "needs_rectification", "leader_signoff_by", "leader_signoff_at",
            "out_of_scope", "transferred_to", "closed_at", "created_at",
        ]

    def get_complainant_phone(self, obj: Complaint) -> str:
        return mask_phone(obj.complainant_phone)

    def get_clue(self, obj: Complaint) -> int | None:
        clue = obj.trigger.clues.order_by("pk").first()
        return clue.pk if clue else None


class ComplaintInputSerializer(serializers.Serializer):
    content = serializers.CharField(max_length=10000, allow_blank=True)
    uscc = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    external_ref = serializers.CharField(max_length=100, required=False, allow_blank=True, default="", help_text="来源编号（去重）；留空自动生成")
    source = serializers.CharField(max_length=64, required=False, default="举报投诉登记")
    complainant_name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    complainant_phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    anonymous = serializers.BooleanField(required=False, default=False)


class ComplaintVerifyInputSerializer(serializers.Serializer):
    report = serializers.CharField(max_length=20000, allow_blank=True, help_text="书面核查报告（CLU-T03）")
    substantiated = serializers.BooleanField()
    needs_rectification = serializers.BooleanField(required=False, default=False)


class ComplaintTransferInputSerializer(serializers.Serializer):
    transferred_to = serializers.CharField(max_length=100, allow_blank=True)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class NoteInputSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


# --- views ------------------------------------------------------------------------------------------


def _by_pk(qs, pk, what: str):
    pk = int(pk)
    obj = qs.filter(pk=pk).first() if pk <= MAX_ID else None
    if obj is None:
        raise ZhifaError(CommonErrorCode.NOT_FOUND, f"{what}不存在或无权查看", status=404)
    return obj


def _evidence(ids) -> list[EvidenceItem]:
    items = list(EvidenceItem.objects.filter(pk__in=ids))
    missing = set(ids) - {i.pk for i in items}
    if missing:
        raise clue_error(ClueErrorCode.NOT_FOUND, f"证据 #{min(missing)} 不存在或无权查看", field="evidence_ids", status=404)
    return items


class ClueObjectMixin(ZhifaAPIMixin):
    def get_queryset(self):
        return selectors.clues_for_staff(self.request.user).select_related("enterprise")

    def get_clue(self) -> Clue:
        return _by_pk(self.get_queryset(), self.kwargs["pk"], "线索")


class ClueListView(ClueObjectMixin, generics.GenericAPIView):
    """线索列表（按可见范围）。"""

    pagination_class = ZhifaPageNumberPagination
    serializer_class = ClueSerializer

    @extend_schema(tags=[TAG], summary="线索列表", parameters=[ClueFilterSerializer], responses=ClueSerializer(many=True))
    def get(self, request):
        params = ClueFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        f = params.validated_data
        organisation = None
        if f.get("organisation"):
            organisation = Organisation.objects.filter(pk=f["organisation"]).first()
            if organisation is None:
                raise ZhifaError(CommonErrorCode.INVALID_INPUT, "机构不存在", field="organisation")
        qs = selectors.filter_clues(
            self.get_queryset(), scenario=f.get("scenario", ""), organisation=organisation, status=f.get("status", ""),
            severity=f.get("severity", ""), category=f.get("category", ""), deadline=f.get("deadline", ""),
        ).order_by("-detected_at", "-pk")
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(ClueSerializer(page, many=True).data)


class ClueStatisticsView(ClueObjectMixin, generics.GenericAPIView):
    """线索统计：按场景、区、月；非现场办结占比；逾期移交。"""

    serializer_class = StatisticsSerializer

    @extend_schema(tags=[TAG], summary="线索统计", parameters=[StatisticsFilterSerializer], responses=StatisticsSerializer)
    def get(self, request):
        params = StatisticsFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        stats = selectors.clue_statistics(self.get_queryset(), **params.validated_data)
        return Response(StatisticsSerializer(stats.__dict__).data)


class ClueDetailView(ClueObjectMixin, generics.GenericAPIView):
    """线索详情：事实、处置建议、处置记录、告知提醒、移交。"""

    serializer_class = ClueDetailSerializer

    @extend_schema(tags=[TAG], summary="线索详情", responses=ClueDetailSerializer)
    def get(self, request, pk: int):
        return Response(ClueDetailSerializer(self.get_clue()).data)


class _ClueAction(ClueObjectMixin, generics.GenericAPIView):
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    def _input(self, serializer_class):
        data = serializer_class(data=self.request.data)
        data.is_valid(raise_exception=True)
        return data.validated_data


class ClueRemindView(_ClueAction):
    serializer_class = RemindInputSerializer

    @extend_schema(tags=[TAG], summary="告知提醒（CLU-X01）", request=RemindInputSerializer, responses={201: ReminderSerializer, 409: OpenApiResponse(description="状态或分类不允许")})
    def post(self, request, pk: int):
        clue = self.get_clue()
        reminder = services.reminder_send(actor=request.user, clue=clue, text=self._input(RemindInputSerializer)["text"])
        return Response(ReminderSerializer(reminder).data, status=status.HTTP_201_CREATED)


class ClueMajorHazardView(_ClueAction):
    serializer_class = MajorHazardInputSerializer

    @extend_schema(tags=[TAG], summary="认定重大事故隐患（CLU-X02）", request=MajorHazardInputSerializer, responses={200: ClueDetailSerializer})
    def post(self, request, pk: int):
        clue = self.get_clue()
        v = self._input(MajorHazardInputSerializer)
        clue = services.clue_mark_major_hazard(actor=request.user, clue=clue, graded_on=v["graded_on"], note=v["note"])
        return Response(ClueDetailSerializer(clue).data)


class ClueTransferView(_ClueAction):
    serializer_class = TransferInputSerializer

    @extend_schema(tags=[TAG], summary="移交执法机构（CLU-X02）", request=TransferInputSerializer, responses={201: TransferSerializer})
    def post(self, request, pk: int):
        clue = self.get_clue()
        v = self._input(TransferInputSerializer)
        transfer = services.clue_transfer(actor=request.user, clue=clue, facts_summary=v["facts_summary"], evidence_items=_evidence(v["evidence_ids"]), note=v["note"])
        return Response(TransferSerializer(transfer).data, status=status.HTTP_201_CREATED)


class ClueJudicialView(_ClueAction):
    serializer_class = JudicialInputSerializer

    @extend_schema(tags=[TAG], summary="移送司法机关（CLU-X03，科室负责人）", request=JudicialInputSerializer, responses={201: TransferSerializer})
    def post(self, request, pk: int):
        clue = self.get_clue()
        v = self._input(JudicialInputSerializer)
        transfer = services.clue_transfer_judicial(actor=request.user, clue=clue, facts_summary=v["facts_summary"], to_body=v["to_body"], evidence_items=_evidence(v["evidence_ids"]))
        return Response(TransferSerializer(transfer).data, status=status.HTTP_201_CREATED)


class ClueDismissView(_ClueAction):
    serializer_class = DismissInputSerializer

    @extend_schema(tags=[TAG], summary="排除线索", request=DismissInputSerializer, responses={200: ClueDetailSerializer})
    def post(self, request, pk: int):
        clue = self.get_clue()
        clue = services.clue_dismiss(actor=request.user, clue=clue, reason=self._input(DismissInputSerializer)["reason"])
        return Response(ClueDetailSerializer(clue).data)


class ReminderMixin(ZhifaAPIMixin):
    def get_queryset(self):
        return selectors.reminders_visible_to(self.request.user).select_related("clue", "clue__enterprise").prefetch_related("answers__evidence_items__file")

    def get_reminder(self) -> Reminder:
        return _by_pk(self.get_queryset(), self.kwargs["pk"], "告知提醒")


class ReminderListView(ReminderMixin, generics.GenericAPIView):
    """告知提醒列表；企业联系人只看到本企业的提醒（SUB-17）。"""

    pagination_class = ZhifaPageNumberPagination
    serializer_class = ReminderSerializer

    @extend_schema(tags=[TAG], summary="告知提醒列表", responses=ReminderSerializer(many=True))
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset().order_by("-sent_at", "-pk"))
        return self.get_paginated_response(ReminderSerializer(page, many=True).data)


class ReminderDetailView(ReminderMixin, generics.GenericAPIView):
    serializer_class = ReminderSerializer

    @extend_schema(tags=[TAG], summary="告知提醒详情", responses=ReminderSerializer)
    def get(self, request, pk: int):
        return Response(ReminderSerializer(self.get_reminder()).data)


class ReminderAnswerView(ReminderMixin, generics.GenericAPIView):
    """企业答复（企业联系人），附件作为企业上传的证据登记。"""

    parser_classes = [MultiPartParser, FormParser, JSONParser]
    serializer_class = AnswerInputSerializer

    @extend_schema(tags=[TAG], summary="企业答复告知提醒", request={"multipart/form-data": AnswerInputSerializer}, responses={201: AnswerSerializer})
    def post(self, request, pk: int):
        reminder = self.get_reminder()
        data = AnswerInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        answer = services.reminder_answer_submit(actor=request.user, reminder=reminder, text=data.validated_data["text"], files=data.validated_data["files"])
        return Response(AnswerSerializer(answer).data, status=status.HTTP_201_CREATED)


class ReminderVerifyView(ReminderMixin, generics.GenericAPIView):
    """核实改正：已改正则线索办结（不予处罚并教育，CLU-L04）；未改正则计入屡教不改（AMB-08）。"""

    parser_classes = [JSONParser, FormParser, MultiPartParser]
    serializer_class = VerifyInputSerializer

    @extend_schema(tags=[TAG], summary="核实改正情况", request=VerifyInputSerializer, responses={200: ReminderSerializer})
    def post(self, request, pk: int):
        reminder = self.get_reminder()
        data = VerifyInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        reminder = services.reminder_verify(actor=request.user, reminder=reminder, corrected=v["corrected"], note=v["note"], education=v["education"])
        return Response(ReminderSerializer(reminder).data)


def _trigger_result_response(result: services.TriggerResult) -> Response:
    if result.finding is not None:
        raise clue_error(
            ClueErrorCode.UNKNOWN_SUBJECT,
            f"统一社会信用代码 {result.trigger.subject_uscc} 不在主体库中：触发事件已记录，数据质量问题已登记，未生成线索",
            field="uscc",
            status=422,
            trigger=result.trigger.pk,
            finding=result.finding.pk,
            duplicate=result.duplicate,
        )
    body = {"trigger": TriggerSerializer(result.trigger).data, "created": result.created, "clue": result.clue.pk if result.clue else None}
    return Response(body, status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK)


class TriggerListCreateView(ZhifaAPIMixin, generics.GenericAPIView):
    """触发事件：列表与接收（报警等，按 source + external_ref 幂等）。"""

    pagination_class = ZhifaPageNumberPagination
    parser_classes = [JSONParser, FormParser, MultiPartParser]
    serializer_class = TriggerSerializer

    def get_queryset(self):
        return selectors.triggers_visible_to(self.request.user).prefetch_related("clues")

    @extend_schema(tags=[TAG], summary="触发事件列表", responses=TriggerSerializer(many=True))
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset().order_by("-occurred_at", "-pk"))
        return self.get_paginated_response(TriggerSerializer(page, many=True).data)

    @extend_schema(
        tags=[TAG],
        summary="接收触发事件（CLU-T01、CLU-T02）",
        description="同一 (source, external_ref) 重复推送返回 200 和首次登记的事件；新事件返回 201；"
        "统一社会信用代码不在主体库中时返回 422（CLUE_UNKNOWN_SUBJECT），事件和数据质量问题已记录、不生成线索。",
        request=TriggerInputSerializer,
        responses={201: TriggerResultSerializer, 200: TriggerResultSerializer, 422: OpenApiResponse(description="主体库中无此企业")},
    )
    def post(self, request):
        data = TriggerInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        result = services.trigger_receive(actor=request.user, kind=v["kind"], source=v["source"], external_ref=v["external_ref"], uscc=v["uscc"],
                                          occurred_at=v["occurred_at"], summary=v["summary"], payload=v["payload"])
        return _trigger_result_response(result)


class TriggerDetailView(ZhifaAPIMixin, generics.GenericAPIView):
    serializer_class = TriggerSerializer

    @extend_schema(tags=[TAG], summary="触发事件详情", responses=TriggerSerializer)
    def get(self, request, pk: int):
        return Response(TriggerSerializer(_by_pk(selectors.triggers_visible_to(request.user), pk, "触发事件")).data)


class ComplaintListCreateView(ZhifaAPIMixin, generics.GenericAPIView):
    """举报投诉：列表与登记（CLU-T02、CLU-T03）。"""

    pagination_class = ZhifaPageNumberPagination
    parser_classes = [JSONParser, FormParser, MultiPartParser]
    serializer_class = ComplaintSerializer

    def get_queryset(self):
        return selectors.complaints_visible_to(self.request.user).select_related("trigger")

    @extend_schema(tags=[TAG], summary="举报投诉列表", responses=ComplaintSerializer(many=True))
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset().order_by("-created_at", "-pk"))
        return self.get_paginated_response(ComplaintSerializer(page, many=True).data)

    @extend_schema(tags=[TAG], summary="登记举报投诉", request=ComplaintInputSerializer, responses={201: ComplaintSerializer, 200: ComplaintSerializer, 422: OpenApiResponse(description="主体库中无此企业")})
    def post(self, request):
        data = ComplaintInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = services.complaint_register(actor=request.user, **data.validated_data)
        body = ComplaintSerializer(result.complaint).data if result.complaint else {}
        if result.finding is not None:
            body = {**body, "warning": f"统一社会信用代码 {result.trigger.subject_uscc} 不在主体库中，已登记数据质量问题，未生成线索"}
        return Response(body, status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK)


class ComplaintDetailView(ZhifaAPIMixin, generics.GenericAPIView):
    serializer_class = ComplaintSerializer

    @extend_schema(tags=[TAG], summary="举报投诉详情", responses=ComplaintSerializer)
    def get(self, request, pk: int):
        return Response(ComplaintSerializer(_by_pk(selectors.complaints_visible_to(request.user), pk, "举报")).data)


class _ComplaintStep(ZhifaAPIMixin, generics.GenericAPIView):
    parser_classes = [JSONParser, FormParser, MultiPartParser]
    input_class: type[serializers.Serializer] = NoteInputSerializer

    def _run(self, request, pk: int, call) -> Response:
        complaint = _by_pk(selectors.complaints_visible_to(request.user), pk, "举报")
        data = self.input_class(data=request.data)
        data.is_valid(raise_exception=True)
        complaint = call(complaint, data.validated_data)
        return Response(ComplaintSerializer(complaint).data)


class ComplaintVerifyView(_ComplaintStep):
    serializer_class = input_class = ComplaintVerifyInputSerializer

    @extend_schema(tags=[TAG], summary="举报核查（书面核查报告，CLU-T03）", request=ComplaintVerifyInputSerializer, responses={200: ComplaintSerializer})
    def post(self, request, pk: int):
        return self._run(request, pk, lambda c, v: services.complaint_verify(actor=request.user, complaint=c, **v))


class ComplaintSignoffView(_ComplaintStep):
    serializer_class = input_class = NoteInputSerializer

    @extend_schema(tags=[TAG], summary="负责人签批整改（CLU-T03）", request=NoteInputSerializer, responses={200: ComplaintSerializer})
    def post(self, request, pk: int):
        return self._run(request, pk, lambda c, v: services.complaint_leader_signoff(actor=request.user, complaint=c, **v))


class ComplaintTransferOutView(_ComplaintStep):
    serializer_class = input_class = ComplaintTransferInputSerializer

    @extend_schema(tags=[TAG], summary="移送主管部门（CLU-T03）", request=ComplaintTransferInputSerializer, responses={200: ComplaintSerializer})
    def post(self, request, pk: int):
        return self._run(request, pk, lambda c, v: services.complaint_transfer_out(actor=request.user, complaint=c, **v))


class ComplaintCloseView(_ComplaintStep):
    serializer_class = input_class = NoteInputSerializer

    @extend_schema(tags=[TAG], summary="举报办结（须有核查报告和签批，CLU-T03）", request=NoteInputSerializer, responses={200: ComplaintSerializer})
    def post(self, request, pk: int):
        return self._run(request, pk, lambda c, v: services.complaint_close(actor=request.user, complaint=c, **v))
