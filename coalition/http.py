"""HTTP helpers shared by the public pages."""

from __future__ import annotations

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponseNotModified, QueryDict
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language

from coalition import versioning

PUBLIC_MAX_AGE = 300
PAGE_CACHE = "pages"
# A copy is kept only for query strings a person could plausibly make by clicking.
MAX_VALUE_LENGTH = 100


def known_query(query: QueryDict, params) -> QueryDict:
    """Only the parameters the page knows, non-empty, in one order: the rest changes nothing on the page."""
    kept = QueryDict(mutable=True)
    for name in sorted(set(params) & set(query.keys())):
        for value in sorted({v for v in query.getlist(name) if v and len(v) <= MAX_VALUE_LENGTH}):
            kept.appendlist(name, value)
    return kept


def _key(request, etag: str) -> str:
    # The ETag holds the host, path, known query, language, day, release and data version; cookies and
    # headers are left out on purpose, so that nobody can make copies by sending made-up ones
    # (anonymous pages do not depend on them). A copy is never stale: new data, new key.
    return "public-page:" + hashlib.sha256(etag.encode()).hexdigest()


def _conditional(request) -> bool:
    # A pending message (cookie or session) must reach the reader: such a request is always answered in full.
    return "messages" not in request.COOKIES and settings.SESSION_COOKIE_NAME not in request.COOKIES


def _storable(response) -> bool:
    # A response that sets a cookie (a CSRF token, a consumed message) belongs to one visitor.
    return response.status_code == 200 and not response.streaming and not response.cookies


def public_cache(view=None, *, params=(), moment=None):
    """Let proxies and the site's page cache keep one copy of the page for anonymous visitors.

    ``params`` are the query parameters the page understands; the others are dropped before the
    view sees the request, so they can neither change the page nor fill the cache. ``moment``, for a
    page that changes with the time of day as well as with the data and the day (upcoming events),
    gives what the page depends on at this moment. Signed-in people always get a fresh, private
    page. The page cache is its own bounded store (``CACHES["pages"]``, evicting least-recently-used
    copies), never the Celery broker.
    """
    if view is None:
        return lambda v: public_cache(v, params=params, moment=moment)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method in ("GET", "HEAD"):
            query = known_query(request.GET, params)
            request.GET = query
            request.META["QUERY_STRING"] = query.urlencode()
        anonymous = not request.user.is_authenticated
        readable = anonymous and request.method in ("GET", "HEAD")
        etag = None
        if readable:
            query = request.GET.urlencode() + (f"#{moment()}" if moment is not None else "")
            etag = versioning.etag(request, query, get_language() or "", timezone.localdate())
            if _conditional(request) and etag in request.headers.get("If-None-Match", ""):
                unchanged = HttpResponseNotModified()
                unchanged["ETag"] = etag
                patch_cache_control(unchanged, public=True, max_age=PUBLIC_MAX_AGE)
                patch_vary_headers(unchanged, ["Cookie"])
                return unchanged
        seconds = settings.PUBLIC_PAGE_CACHE_SECONDS
        use_cache = bool(seconds) and readable
        if use_cache:
            cached = caches[PAGE_CACHE].get(_key(request, etag))
            if cached is not None:
                return cached
        response = view(request, *args, **kwargs)
        if not anonymous:
            patch_cache_control(response, private=True, no_cache=True)
        elif response.status_code == 200:
            patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
            if etag is not None and _storable(response):
                response["ETag"] = etag
        patch_vary_headers(response, ["Cookie"])
        if use_cache and _storable(response):
            if hasattr(response, "render") and callable(response.render):
                response.render()
            caches[PAGE_CACHE].set(_key(request, etag), response, seconds)
        return response

    return wrapper
