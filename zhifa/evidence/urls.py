"""URL routes of the evidence pages."""
from django.urls import path

from . import views

app_name = "evidence"
urlpatterns = [
    path("", views.evidence_list, name="list"),
    path("upload/", views.evidence_upload, name="upload"),
    path("<int:pk>/", views.evidence_detail, name="detail"),
    path("<int:pk>/correct/", views.evidence_correct, name="correct"),
    path("<int:pk>/review/", views.evidence_review, name="review"),
    path("<int:pk>/link/", views.evidence_link, name="link"),
    path("<int:pk>/download/", views.evidence_download, name="download"),
]
