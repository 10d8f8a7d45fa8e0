"""Top-level URL map: one include per capability app."""
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from zhifa.subjects.views import home as home_view

admin.site.site_header = "zhifa 执法平台管理"
admin.site.site_title = "zhifa 管理"
admin.site.index_title = "系统管理"

api_v1 = [
    path("", include("zhifa.subjects.api_urls")),
    path("", include("zhifa.accounts.api_urls")),
    path("", include("zhifa.evidence.api_urls")),
    path("", include("zhifa.subjects.api_import_urls")),
    path("", include("zhifa.access.api_urls")),
    path("", include("zhifa.clues.api_urls")),
    path("", include("zhifa.documents.api_urls")),
    path("", include("zhifa.notifications.api_urls")),
    path("", include("zhifa.payments.api_urls")),
    path("", include("zhifa.cases.api_urls")),
]

urlpatterns = [
    path("", home_view, name="home"),
    path("", include("zhifa.subjects.urls")),
    path("accounts/", include("zhifa.accounts.urls")),
    path("import/", include("zhifa.subjects.urls_import")),
    path("evidence/", include("zhifa.evidence.urls")),
    path("access/", include("zhifa.access.urls")),
    path("clues/", include("zhifa.clues.urls")),
    path("cases/", include("zhifa.cases.urls")),
    path("documents/", include("zhifa.documents.urls")),
    path("notifications/", include("zhifa.notifications.urls")),
    path("payments/", include("zhifa.payments.urls")),
    path("ledger/", include("zhifa.ledger.urls")),
    path("rulesets/", include("zhifa.rulesets.urls")),
    path("calendar/", include("zhifa.common.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]

handler400 = "zhifa.common.views.bad_request"
handler403 = "zhifa.common.views.permission_denied"
handler404 = "zhifa.common.views.page_not_found"
handler500 = "zhifa.common.views.server_error"
