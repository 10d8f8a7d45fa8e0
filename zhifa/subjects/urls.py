"""URL routes of the subjects app."""
from django.urls import path  # noqa: F401

app_name = "subjects"
urlpatterns: list = []
