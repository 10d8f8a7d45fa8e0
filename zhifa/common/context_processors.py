"""Template context shared by every page: the signed-in user's role label and navigation flags."""
from __future__ import annotations


def zhifa(request):
    user = getattr(request, "user", None)
    role_label = user.get_role_display() if user is not None and user.is_authenticated else ""
    return {"zhifa_role_label": role_label}
