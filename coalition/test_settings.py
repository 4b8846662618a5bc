"""Settings for the test suite: the same as production's shape, with throwaway local servers."""

import os
import tempfile

# Without URLs in the environment, tests start their own servers in a directory that
# is deleted afterwards, so a developer's .data/ is never touched.
if not (os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL")):
    os.environ.setdefault("COALITION_DATA_DIR", tempfile.mkdtemp(prefix="coalition-test-"))
    os.environ.setdefault("COALITION_THROWAWAY_DATA", "1")
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-" + "x" * 20)
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("STAFF_REQUIRE_2FA", "0")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
# Playwright's sync API runs an event loop in the test thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from coalition.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# Cookies must travel over the live server's plain http in browser tests.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
_files = Path(tempfile.mkdtemp(prefix="coalition-test-files-"))  # noqa: F405
MEDIA_ROOT = _files / "media"
PRIVATE_MEDIA_ROOT = _files / "private"
CELERY_BEAT_SCHEDULE_FILENAME = str(_files / "celerybeat-schedule")
# Rate-limit counters and other cache entries must not leak between tests; a per-process
# cache keeps the shared Redis (which is also the broker) free of test keys.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
    "fragments": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "fragments"},
    "reads": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "reads"},
}
# Static files come from the finders in tests (no collectstatic step).
STATIC_ROOT = _files / "static"
STATIC_ROOT.mkdir()
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Pages are rendered afresh in tests; tests/coalition/test_public_cache.py turns the cache on.
PUBLIC_PAGE_CACHE_SECONDS = 0
# Tests post the public forms many times from one address; tests/accounts/test_access_holes.py
# sets the production limits where it tries them.
PUBLIC_FORM_RATE_PER_IP = "10000/m"
PUBLIC_FORM_RATE_PER_EMAIL = "10000/m"
