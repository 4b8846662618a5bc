"""A form POSTed from an ended session, kept until its author signs in again.

Nothing is saved on the author's behalf: the form is shown again, filled in, and they press Save.
Only one form is kept, for one path, for a limited time, and never more than ``MAX_BYTES``.
"""

from __future__ import annotations

import time

from django.http import QueryDict

SESSION_KEY = "access_stashed_post"
MAX_BYTES = 200_000
MAX_AGE_SECONDS = 2 * 3600
_SKIPPED = {"csrfmiddlewaretoken"}


def _page(path: str) -> str:
    # After sign-in people land in their own language, so /en/x/ and /ru/x/ are the same page.
    from django.conf import settings

    parts = path.split("/", 2)
    if len(parts) == 3 and parts[1] in {code for code, _name in settings.LANGUAGES}:
        return "/" + parts[2]
    return path


def keep(request) -> None:
    items = [(k, v) for k in request.POST for v in request.POST.getlist(k) if k not in _SKIPPED]
    if sum(len(k) + len(v) for k, v in items) > MAX_BYTES:
        return
    request.session[SESSION_KEY] = {"path": _page(request.path), "items": items, "at": time.time()}


def restore(request) -> QueryDict | None:
    """The form kept for this page, once, for the signed-in person who comes back to it."""
    if not request.user.is_authenticated:
        return None
    kept = request.session.get(SESSION_KEY)
    if not kept or kept.get("path") != _page(request.path):
        return None
    del request.session[SESSION_KEY]
    if time.time() - kept.get("at", 0) > MAX_AGE_SECONDS:
        return None
    data = QueryDict(mutable=True)
    for key, value in kept["items"]:
        data.appendlist(key, value)
    data._mutable = False
    return data
