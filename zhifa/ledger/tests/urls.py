"""Test URL map: the project's URLs plus /ledger/ until config/urls.py includes it."""
from django.urls import include, path

from config.urls import urlpatterns as project_urlpatterns


def _has_ledger(patterns) -> bool:
    return any(getattr(p, "namespace", None) == "ledger" for p in patterns)


urlpatterns = list(project_urlpatterns)
if not _has_ledger(urlpatterns):
    urlpatterns.append(path("ledger/", include("zhifa.ledger.urls")))

handler400 = "zhifa.common.views.bad_request"
handler403 = "zhifa.common.views.permission_denied"
handler404 = "zhifa.common.views.page_not_found"
handler500 = "zhifa.common.views.server_error"
