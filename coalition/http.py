"""HTTP helpers shared by the public pages."""

from functools import wraps

from django.conf import settings
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.cache import cache_page

PUBLIC_MAX_AGE = 300


def public_cache(view):
    """Let a shared proxy cache the page for anonymous visitors; signed-in people get private pages.

    Public pages carry no CSRF token or session data for anonymous visitors (the language
    switcher is plain links), so a proxy may serve one copy to all of them.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.user.is_authenticated:
            patch_cache_control(response, private=True, no_cache=True)
        elif response.status_code == 200:
            patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
        patch_vary_headers(response, ["Cookie", "Accept-Language"])
        return response

    # The site's own cache (Redis) keeps anonymous copies for a short while too: Django's cache
    # honours Vary and never stores a response marked private.
    seconds = settings.PUBLIC_PAGE_CACHE_SECONDS
    return cache_page(seconds, key_prefix="public")(wrapper) if seconds else wrapper
