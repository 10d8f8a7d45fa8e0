"""REST routes of the clue triage under /api/v1/ (ids: at most 18 digits, longer ones are a plain 404)."""
from django.urls import re_path

from . import api

app_name = "clues_api"
ID = r"(?P<pk>[0-9]{1,18})"
urlpatterns = [
    re_path(r"^clues/$", api.ClueListView.as_view(), name="list"),
    re_path(r"^clues/statistics/$", api.ClueStatisticsView.as_view(), name="statistics"),
    re_path(rf"^clues/{ID}/$", api.ClueDetailView.as_view(), name="detail"),
    re_path(rf"^clues/{ID}/remind/$", api.ClueRemindView.as_view(), name="remind"),
    re_path(rf"^clues/{ID}/major-hazard/$", api.ClueMajorHazardView.as_view(), name="major_hazard"),
    re_path(rf"^clues/{ID}/transfer/$", api.ClueTransferView.as_view(), name="transfer"),
    re_path(rf"^clues/{ID}/judicial-transfer/$", api.ClueJudicialView.as_view(), name="judicial"),
    re_path(rf"^clues/{ID}/dismiss/$", api.ClueDismissView.as_view(), name="dismiss"),
    re_path(r"^reminders/$", api.ReminderListView.as_view(), name="reminders"),
    re_path(rf"^reminders/{ID}/$", api.ReminderDetailView.as_view(), name="reminder"),
    re_path(rf"^reminders/{ID}/answers/$", api.ReminderAnswerView.as_view(), name="reminder_answers"),
    re_path(rf"^reminders/{ID}/verify/$", api.ReminderVerifyView.as_view(), name="reminder_verify"),
    re_path(r"^triggers/$", api.TriggerListCreateView.as_view(), name="triggers"),
    re_path(rf"^triggers/{ID}/$", api.TriggerDetailView.as_view(), name="trigger"),
    re_path(r"^complaints/$", api.ComplaintListCreateView.as_view(), name="complaints"),
    re_path(rf"^complaints/{ID}/$", api.ComplaintDetailView.as_view(), name="complaint"),
    re_path(rf"^complaints/{ID}/verify/$", api.ComplaintVerifyView.as_view(), name="complaint_verify"),
    re_path(rf"^complaints/{ID}/signoff/$", api.ComplaintSignoffView.as_view(), name="complaint_signoff"),
    re_path(rf"^complaints/{ID}/transfer-out/$", api.ComplaintTransferOutView.as_view(), name="complaint_transfer_out"),
    re_path(rf"^complaints/{ID}/close/$", api.ComplaintCloseView.as_view(), name="complaint_close"),
]
