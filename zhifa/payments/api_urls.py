"""API routes of the payments app (mounted under /api/v1/)."""
from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api

app_name = "payments_api"

router = SimpleRouter()
router.register("payment-notices", api.PaymentNoticeViewSet, basename="notice")

urlpatterns = [
    path("payments/callback/", api.PaymentCallbackView.as_view(), name="callback"),
    *router.urls,
]
