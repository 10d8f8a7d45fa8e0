"""REST routes of the case procedure under /api/v1/ (ids: at most 18 digits)."""
from django.urls import re_path

from . import api

app_name = "cases_api"
ID = r"(?P<pk>[0-9]{1,18})"
urlpatterns = [
    re_path(r"^cases/$", api.CaseListView.as_view(), name="list"),
    re_path(rf"^cases/{ID}/$", api.CaseDetailView.as_view(), name="detail"),
    re_path(rf"^cases/{ID}/actions/(?P<action>[a-z_]{{1,40}})/$", api.CaseActionView.as_view(), name="action"),
]
