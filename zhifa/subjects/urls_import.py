"""Routes of the register import pages, included by config/urls.py at /import/."""
from django.urls import path, re_path

from zhifa.common.api_views import ID_PATH_REGEX

from . import views_import

app_name = "imports"

urlpatterns = [
    path("", views_import.import_upload, name="upload"),
    re_path(r"^templates/(?P<kind>[a-z_]{1,40})\.(?P<fmt>xlsx|csv)$", views_import.import_template, name="template"),
    re_path(rf"^(?P<pk>{ID_PATH_REGEX})/$", views_import.import_job, name="job"),
    re_path(rf"^(?P<pk>{ID_PATH_REGEX})/status/$", views_import.import_status, name="status"),
    re_path(rf"^(?P<pk>{ID_PATH_REGEX})/errors\.(?P<fmt>xlsx|csv)$", views_import.import_error_report, name="errors"),
]
