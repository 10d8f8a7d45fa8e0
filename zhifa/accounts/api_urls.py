"""REST routes of accounts under /api/v1/."""
from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api

app_name = "accounts_api"

router = SimpleRouter()
router.register("organisations", api.OrganisationViewSet, basename="organisation")

urlpatterns = [
    path("me/", api.MeView.as_view(), name="me"),
    path("auth/token/", api.TokenObtainView.as_view(), name="token"),
    *router.urls,
]
