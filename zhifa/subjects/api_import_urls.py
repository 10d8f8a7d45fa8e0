"""REST routes of register imports, included under /api/v1/ by config/urls.py."""
from django.urls import path, re_path

from zhifa.common.api_views import ID_PATH_REGEX

from . import api_import

app_name = "imports_api"

urlpatterns = [
    path("imports/", api_import.ImportCreateView.as_view(), name="import-create"),
    re_path(rf"^imports/(?P<pk>{ID_PATH_REGEX})/$", api_import.ImportDetailView.as_view(), name="import-detail"),
]
