"""URL routes of the clue pages (mounted at /clues/)."""
from django.urls import path

from . import views

app_name = "clues"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/", views.clue_detail, name="detail"),
    path("<int:pk>/remind/", views.clue_remind, name="remind"),
    path("<int:pk>/verify/", views.clue_verify, name="verify"),
    path("<int:pk>/transfer/", views.clue_transfer, name="transfer"),
    path("<int:pk>/judicial/", views.clue_transfer_judicial, name="judicial"),
    path("<int:pk>/major-hazard/", views.clue_major_hazard, name="major_hazard"),
    path("<int:pk>/dismiss/", views.clue_dismiss, name="dismiss"),
    path("triggers/", views.trigger_list, name="triggers"),
    path("triggers/new/", views.trigger_new, name="trigger_new"),
    path("complaints/", views.complaint_list, name="complaints"),
    path("complaints/new/", views.complaint_new, name="complaint_new"),
    path("complaints/<int:pk>/", views.complaint_detail, name="complaint"),
    path("complaints/<int:pk>/<slug:step>/", views.complaint_step, name="complaint_step"),
    path("stats/", views.statistics, name="stats"),
    path("my/reminders/", views.my_reminders, name="my_reminders"),
    path("my/reminders/<int:pk>/answer/", views.reminder_answer, name="reminder_answer"),
]
