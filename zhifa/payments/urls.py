"""URL map of the payments pages (/payments/)."""
from django.urls import path

from . import views

app_name = "payments"
urlpatterns = [
    path("", views.notice_list, name="list"),
    path("mine/", views.my_notices, name="mine"),
    path("<int:pk>/", views.notice_detail, name="detail"),
    path("<int:pk>/pause/", views.notice_pause, name="pause"),
    path("<int:pk>/resume/", views.notice_resume, name="resume"),
    path("<int:pk>/remind/", views.notice_remind, name="remind"),
    path("<int:pk>/defer/", views.notice_defer, name="defer"),
    path("<int:pk>/cancel/", views.notice_cancel, name="cancel"),
    # The simulated payment platform's own pages (development; 404 when another platform is configured).
    path("sim/<str:payment_code>/", views.sim_pay, name="sim_pay"),
    path("sim/<str:payment_code>/notify/<str:transaction_id>/", views.sim_renotify, name="sim_renotify"),
]
