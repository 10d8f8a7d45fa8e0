"""URL map of the notifications pages (mounted at /notifications/)."""
from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.message_list, name="list"),
    path("messages/<int:pk>/", views.message_detail, name="message"),
    path("consents/", views.consent_list, name="consents"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:pk>/", views.inbox_item, name="inbox_item"),
    path("consent/", views.consent, name="consent"),
    path("consent/<int:pk>/revoke/", views.consent_revoke, name="consent_revoke"),
]
