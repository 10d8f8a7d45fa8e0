"""REST routes of the subject register under /api/v1/ (read-only; writes via imports and admin)."""
from rest_framework.routers import SimpleRouter

from . import api

app_name = "subjects_api"

router = SimpleRouter()
router.register("enterprises", api.EnterpriseViewSet, basename="enterprise")
router.register("licences", api.LicenceViewSet, basename="licence")
router.register("licence-applications", api.LicenceApplicationViewSet, basename="licence-application")
router.register("registration-changes", api.RegistrationChangeViewSet, basename="registration-change")
router.register("plan-filings", api.PlanFilingViewSet, basename="plan-filing")
router.register("hazard-sources", api.HazardSourceViewSet, basename="hazard-source")
router.register("report-obligations", api.ReportObligationViewSet, basename="report-obligation")
router.register("precursor-reports", api.PrecursorReportViewSet, basename="precursor-report")
router.register("activities", api.ActivityViewSet, basename="activity")
router.register("persons", api.PersonRevealViewSet, basename="person")

urlpatterns = [*router.urls]
