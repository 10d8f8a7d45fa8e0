"""URL routes of the common app."""
from django.urls import path  # noqa: F401

app_name = "common"
urlpatterns: list = []
