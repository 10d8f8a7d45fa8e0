"""URL routes of the subjects app: the site home page, the enterprise list and detail."""
from django.urls import path

from . import views

app_name = "subjects"
urlpatterns = [
    path("", views.home, name="home"),
    path("enterprises/", views.enterprise_list, name="enterprise_list"),
    path("enterprises/<int:pk>/", views.enterprise_detail, name="enterprise_detail"),
    path("enterprises/<int:pk>/people/<int:person_pk>/reveal/", views.person_reveal, name="person_reveal"),
]
