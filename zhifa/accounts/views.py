"""Sign-in and sign-out pages (Django's views with the Chinese login form).

Lockout after repeated failures is done by django-axes (settings.AXES_*), which renders
templates/accounts/locked_out.html; sessions expire per settings.SESSION_* .
"""
from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views

from .forms import LoginForm


class LoginView(auth_views.LoginView):
    """The login page; an already signed-in user goes straight to the home page."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Arriving with ?next= means the session is missing or expired (SESSION_COOKIE_AGE).
        context["needs_login_notice"] = bool(self.request.GET.get(self.redirect_field_name)) and not self.request.user.is_authenticated
        context["failure_limit"] = settings.AXES_FAILURE_LIMIT
        context["lockout_minutes"] = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
        context["session_minutes"] = settings.SESSION_COOKIE_AGE // 60
        return context


class LogoutView(auth_views.LogoutView):
    """Sign-out (POST only, so a link cannot log a user out)."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, "您已安全退出。")
        return response
