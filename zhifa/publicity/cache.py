"""The portal's cache generation: every change of what the public may see (publish, withdraw,
correct, expire) bumps one counter, and portal pages are cached under keys that include it. So
public load is served from the cache, and a change is visible on the next request — no stale page
outlives a withdrawal (PUB-14)."""
from __future__ import annotations

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "publicity:portal-version"


def portal_version() -> int:
    value = cache.get(VERSION_KEY)
    if value is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        value = cache.get(VERSION_KEY) or 1
    return int(value)


def bump_portal_version() -> None:
    """Called by the services inside their transaction; takes effect when it commits."""
    def bump() -> None:
        try:
            cache.incr(VERSION_KEY)
        except ValueError:
            cache.set(VERSION_KEY, 2, timeout=None)

    transaction.on_commit(bump)
