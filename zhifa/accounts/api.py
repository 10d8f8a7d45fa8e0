"""REST API of accounts under /api/v1/: token sign-in, the signed-in user, the organisation tree."""
from __future__ import annotations

import django_filters as filters
from django.conf import settings
from django.contrib.auth import authenticate
from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from zhifa.common.api_views import ZhifaAPIMixin, ZhifaReadOnlyViewSet
from zhifa.common.errors import CommonErrorCode, ZhifaError
from zhifa.common.openapi import ErrorResponseSerializer, ZhifaAutoSchema

from .access import sees_everything
from .choices import STAFF_ROLES, OrgKind
from .models import OfficerCredential, Organisation, User
from .serializers import MeSerializer, OrganisationSerializer, TokenRequestSerializer, TokenResponseSerializer


def organisations_visible_to(user: User) -> QuerySet[Organisation]:
    """Staff see their organisation and its children; auditors and admins the whole tree;
    enterprise contacts (who belong to no bureau organisation) none."""
    qs = Organisation.objects.order_by("path")
    if not user.is_authenticated:
        return qs.none()
    if sees_everything(user):
        return qs
    if user.role in STAFF_ROLES and user.organisation_id:
        return qs.filter(path__startswith=user.organisation.path)
    return qs.none()


def _me_queryset() -> QuerySet[User]:
    credentials = OfficerCredential.objects.select_related("enforcement_body").order_by("-valid_from", "-id")
    return User.objects.select_related("organisation").prefetch_related(Prefetch("credentials", queryset=credentials))


class OrganisationFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=OrgKind.choices, label="层级")
    is_enforcement_body = filters.ChoiceFilter(choices=[("true", "是"), ("false", "否")], method="filter_bool", label="是否执法主体（true/false）")

    class Meta:
        model = Organisation
        fields: list[str] = []

    def filter_bool(self, qs, name, value):
        return qs.filter(**{name: value == "true"})


@extend_schema_view(
    list=extend_schema(
        summary="机构树（可见部分）",
        description="按层级路径排序的机构列表，parent 与 depth 可用于还原树形结构。工作人员可见本机构及下级机构；执法监督与系统管理员可见全部；企业联系人无可见机构。",
        tags=["账户与机构"],
    ),
    retrieve=extend_schema(summary="机构详情", description="可见范围外的机构按不存在处理（404）。", tags=["账户与机构"]),
)
class OrganisationViewSet(ZhifaReadOnlyViewSet):
    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilter

    def get_queryset(self):
        return organisations_visible_to(self.request.user)

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)


class MeView(ZhifaAPIMixin, APIView):
    @extend_schema(
        summary="当前用户",
        description="当前登录用户的角色、所属机构、执法证（含今日是否有效）与权限概要。联系电话脱敏显示。",
        tags=["账户与机构"],
        responses={200: MeSerializer},
    )
    def get(self, request):
        return Response(MeSerializer(_me_queryset().get(pk=request.user.pk)).data)


class TokenObtainView(APIView):
    """Exchange username and password for an API token.

    Authentication goes through `django.contrib.auth.authenticate(request=...)`, so django-axes
    counts failures and locks the username/address out exactly as on the login page.
    """

    authentication_classes: list = []
    permission_classes = [AllowAny]
    schema = ZhifaAutoSchema()

    @extend_schema(
        summary="获取API令牌",
        description=(
            "用户名和密码换取令牌（已有令牌则返回原令牌）。之后在请求头中携带 Authorization: Token <令牌>。"
            "连续登录失败达到上限后该用户名与地址被临时锁定（与登录页面共用计数），返回 429 COMMON_RATE_LIMITED；"
            "用户名或密码错误返回 400 COMMON_NOT_AUTHENTICATED。"
        ),
        tags=["账户与机构"],
        request=TokenRequestSerializer,
        responses={
            200: TokenResponseSerializer,
            429: OpenApiResponse(ErrorResponseSerializer, description="登录失败次数过多，已被临时锁定（COMMON_RATE_LIMITED）"),
        },
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(request=request, username=serializer.validated_data["username"], password=serializer.validated_data["password"])
        if getattr(request, "axes_locked_out", False):
            minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
            raise ZhifaError(
                CommonErrorCode.RATE_LIMITED,
                f"登录失败次数过多，账户已被临时锁定，请{minutes}分钟后再试或联系系统管理员",
                details={"cooloff_minutes": minutes},
                status=429,
            )
        if user is None:
            raise ZhifaError(CommonErrorCode.NOT_AUTHENTICATED, "用户名或密码错误", status=400)
        # Issuing a token is authentication plumbing, like django.contrib.auth.login() writing a
        # session row; axes records the successful sign-in in its access log.
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key, "user": MeSerializer(_me_queryset().get(pk=user.pk)).data})
