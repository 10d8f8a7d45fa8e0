"""URL routes of the case pages (mounted at /cases/)."""
from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.workbench, name="workbench"),
    path("new/", views.case_new, name="new"),
    path("reviews/", views.reviews, name="reviews"),
    path("mine/", views.mine, name="mine"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/<slug:action>/", views.case_action, name="action"),
]
