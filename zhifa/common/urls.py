"""URL routes of the common app (mounted at /calendar/)."""
from django.urls import path

from .views_calendar import calendar_page

app_name = "common"
urlpatterns = [
    path("", calendar_page, name="calendar"),
]
