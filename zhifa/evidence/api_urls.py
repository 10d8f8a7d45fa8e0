"""REST routes of the evidence store under /api/v1/."""
from django.urls import path

from . import api

app_name = "evidence_api"
urlpatterns = [
    path("evidence/", api.EvidenceListCreateView.as_view(), name="list"),
    path("evidence/<int:pk>/", api.EvidenceDetailView.as_view(), name="detail"),
    path("evidence/<int:pk>/reviews/", api.EvidenceReviewView.as_view(), name="reviews"),
    path("evidence/<int:pk>/corrections/", api.EvidenceCorrectionView.as_view(), name="corrections"),
    path("evidence/<int:pk>/download/", api.EvidenceDownloadView.as_view(), name="download"),
]
