"""URL map of the documents pages (mounted at /documents/)."""
from django.urls import path, re_path

from . import views

app_name = "documents"
urlpatterns = [
    path("", views.document_list, name="list"),
    # At most 18 digits: every id that matches fits a 64-bit column (longer ones are a plain 404).
    re_path(r"^(?P<pk>[0-9]{1,18})/$", views.document_detail, name="detail"),
    re_path(r"^(?P<pk>[0-9]{1,18})\.pdf$", views.document_pdf, name="pdf"),
]
