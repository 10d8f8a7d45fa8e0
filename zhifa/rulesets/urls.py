"""URL routes of the rulesets app (mounted at /rulesets/)."""
from django.urls import path

from . import views

app_name = "rulesets"
urlpatterns = [
    path("", views.index, name="index"),
    path("<str:code>/", views.jurisdiction_detail, name="jurisdiction"),
]
