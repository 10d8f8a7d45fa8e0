"""URL routes of the access-request pages; mounted at /access/ by config/urls.py."""
from django.urls import path

from . import views

app_name = "access"
urlpatterns = [
    path("", views.request_list, name="list"),
    path("new/", views.request_new, name="new"),
    path("queue/", views.approval_queue, name="queue"),
    path("<int:pk>/", views.request_detail, name="detail"),
    path("<int:pk>/decide/", views.request_decide, name="decide"),
    path("<int:pk>/withdraw/", views.request_withdraw, name="withdraw"),
]
