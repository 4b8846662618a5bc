"""What every answer of the public API goes through, whichever resource it is: one wrapper around each URL.

- **Who asks does not matter.** The API shows what the public sees, to everyone: the session is set
  aside before the view runs (``request.user`` is anonymous), so a signed-in focal point or a member of
  the Secretariat gets exactly the public answer, and a browser's cookies can never widen it.
- **Language**: ``?lang=`` first, then ``Accept-Language``, then English; never the site's language
  cookie (a script on another site should get the same answer for the same request).
- **Conditional GET**: the site's data-version ETag (``coalition.versioning``), with the day, the
  language and the query; ``If-None-Match`` is answered ``304`` without running the view.
- **CORS**: any origin may read (``Access-Control-Allow-Origin: *``), with GET, HEAD and OPTIONS only and
  never credentials. Written here rather than with django-cors-headers: it is a dozen lines for one
  prefix, where that package is a site-wide middleware configured by patterns.
- **Rate limit** per IP address (django-ratelimit, in the shared cache like the public forms'
  limits): ``429`` with ``Retry-After`` and a JSON body.
"""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse, HttpResponseNotAllowed, HttpResponseNotModified, JsonResponse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation.trans_real import parse_accept_lang_header
from django_ratelimit.core import get_usage

from coalition import versioning

LANGUAGE_PARAM = "lang"
MAX_AGE = 300
ALLOWED_METHODS = "GET, HEAD, OPTIONS"
# What a script on another origin may read besides the simple headers.
EXPOSED_HEADERS = "ETag, Retry-After, Content-Language, X-RateLimit-Limit, X-RateLimit-Remaining"
RATE_GROUP = "api:ip"


def reader_language(request) -> str:
    """``?lang=`` if it is one of the site's languages, else the first of ``Accept-Language`` the site has."""
    codes = [code for code, _name in settings.LANGUAGES]
    asked = request.GET.get(LANGUAGE_PARAM)
    if asked in codes:
        return asked
    for accepted, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        if accepted == "*":
            break
        try:
            return translation.get_supported_language_variant(accepted)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


def _query(request) -> str:
    # Every parameter counts (the view validates them); their order does not.
    return urlencode(sorted((k, v) for k in request.GET for v in request.GET.getlist(k)))


def _cors(response):
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    return response


def _preflight(request):
    response = HttpResponse(status=204)
    response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
    asked = request.headers.get("Access-Control-Request-Headers")
    # Only what a reader sends: conditional GETs and the language. Nothing that carries credentials.
    response["Access-Control-Allow-Headers"] = "Accept, Accept-Language, If-None-Match"
    response["Access-Control-Max-Age"] = "86400"
    response["Allow"] = ALLOWED_METHODS
    if asked:
        patch_vary_headers(response, ["Access-Control-Request-Headers"])
    return _cors(response)


def too_many(seconds: int):
    response = JsonResponse(
        {"detail": f"Too many requests from this address. Try again in {seconds} seconds.",
         "retry_after": seconds},
        status=429,
    )
    response["Retry-After"] = str(seconds)
    return response


def _limit(request):
    """``(refusal or None, usage)``: counts this request against the address's allowance."""
    usage = get_usage(request, group=RATE_GROUP, key="ip", rate=settings.API_RATE_PER_IP, increment=True)
    if usage is not None and usage["should_limit"]:
        return too_many(max(1, usage["time_left"])), usage
    return None, usage


def _rate_headers(response, usage):
    if usage is not None:
        response["X-RateLimit-Limit"] = str(usage["limit"])
        response["X-RateLimit-Remaining"] = str(max(0, usage["limit"] - usage["count"]))


def edge(view):
    """Wrap one of the API's views (ninja's operations, its schema and its documentation page)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "OPTIONS":
            return _preflight(request)
        if request.method not in ("GET", "HEAD"):
            return _cors(HttpResponseNotAllowed(["GET", "HEAD", "OPTIONS"]))
        head = request.method == "HEAD"
        if head:
            # Answered as the GET would be, headers and all, without the body.
            request.method = "GET"
        request.user = AnonymousUser()
        refusal, usage = _limit(request)
        if refusal is not None:
            _rate_headers(refusal, usage)
            return _cors(refusal)
        language = reader_language(request)
        with translation.override(language):
            etag = None
            if request.method in ("GET", "HEAD"):
                etag = versioning.etag(request, _query(request), language, timezone.localdate())
            if etag is not None and etag in request.headers.get("If-None-Match", ""):
                response = HttpResponseNotModified()
            else:
                response = view(request, *args, **kwargs)
        if response.status_code in (200, 304) and etag is not None:
            response["ETag"] = etag
            patch_cache_control(response, public=True, max_age=MAX_AGE)
        response["Content-Language"] = language
        patch_vary_headers(response, ["Accept-Language"])
        _rate_headers(response, usage)
        if head and not response.streaming:
            response.content = b""
        return _cors(response)

    # Nothing is written through the API, and no request of it acts on a session: no CSRF token to ask for.
    wrapper.csrf_exempt = True
    wrapper.access = "public"
    return wrapper
