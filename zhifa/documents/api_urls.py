"""API routes of the documents app (mounted under /api/v1/)."""
from django.urls import re_path

from zhifa.common.api_views import ID_PATH_REGEX

from . import api

app_name = "documents_api"
urlpatterns = [
    re_path(rf"^documents/(?P<pk>{ID_PATH_REGEX})/$", api.DocumentDetailView.as_view(), name="detail"),
    re_path(rf"^documents/(?P<pk>{ID_PATH_REGEX})/pdf$", api.DocumentPdfView.as_view(), name="pdf"),
]
