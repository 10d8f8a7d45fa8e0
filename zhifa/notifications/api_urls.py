"""API routes of the notifications app (mounted under /api/v1/; ids of at most 18 digits)."""
from django.urls import re_path

from . import api

app_name = "notifications_api"
urlpatterns = [
    re_path(r"^notifications/delivery-reports/$", api.DeliveryReportView.as_view(), name="delivery_reports"),
    re_path(r"^notifications/messages/$", api.MessageListView.as_view(), name="messages"),
    re_path(r"^notifications/messages/(?P<pk>[0-9]{1,18})/$", api.MessageDetailView.as_view(), name="message"),
]
