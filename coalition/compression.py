"""Compressed HTML for pages that hold no secret: the BREACH-safe subset of Django's GZipMiddleware.

BREACH recovers a secret from the size of compressed responses that also reflect input. So only
responses that carry no secret are compressed: those to signed-out visitors whose page used no CSRF
token (no form that posts) and sets no cookie. Forms, signed-in pages and the admin go uncompressed;
static files are compressed ahead of time by whitenoise.
"""

from django.middleware.gzip import GZipMiddleware


class PublicGZipMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return response
        if request.META.get("CSRF_COOKIE_USED") or response.cookies:
            return response
        return super().process_response(request, response)
