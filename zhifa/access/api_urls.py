"""REST routes of the access-request workflow under /api/v1/."""
from django.urls import path

from . import api

app_name = "access_api"
urlpatterns = [
    path("access-requests/", api.AccessRequestListCreateView.as_view(), name="list"),
    path("access-requests/queue/", api.AccessQueueView.as_view(), name="queue"),
    path("access-requests/<int:pk>/", api.AccessRequestDetailView.as_view(), name="detail"),
    path("access-requests/<int:pk>/decision/", api.AccessDecisionView.as_view(), name="decision"),
    path("access-requests/<int:pk>/withdraw/", api.AccessWithdrawView.as_view(), name="withdraw"),
]
