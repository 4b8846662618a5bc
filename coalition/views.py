import hmac

from django.conf import settings
from django.db import connection
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from accounts.access import deny, is_staff_account, public_page
from coalition.http import public_cache


@public_page
@public_cache
def home(request):
    return render(request, "home.html")


@public_page
@require_safe
def chinese(request, rest=""):
    """/zh/… and /zh-cn/…, the addresses people type for Chinese, lead to the site's /zh-hans/…."""
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(f"/zh-hans/{rest}" + (f"?{query}" if query else ""))


@public_page
@never_cache
def healthz(request):
    """Liveness for load balancers and docker-compose: the database and the broker answer."""
    from coalition.celery import app

    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means unhealthy
        checks["database"] = f"error: {exc.__class__.__name__}"
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1)
        checks["broker"] = "ok"
    except Exception as exc:  # noqa: BLE001
        checks["broker"] = f"error: {exc.__class__.__name__}"
    healthy = all(v == "ok" for v in checks.values())
    return JsonResponse(checks, status=200 if healthy else 503)


def _has_health_token(request) -> bool:
    expected = settings.HEALTH_TOKEN
    given = request.GET.get("token") or request.headers.get("X-Health-Token") or ""
    return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


@public_page
@never_cache
@require_safe
def healthz_deep(request):
    """Database, Redis, a worker, beat and the outbox, for monitoring: staff, or the HEALTH_TOKEN."""
    from coalition import health

    if not (_has_health_token(request) or is_staff_account(request.user)):
        deny(request)
    report = health.run()
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503)
