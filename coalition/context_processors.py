from functools import lru_cache

from django.conf import settings
from django.urls import NoReverseMatch, get_urlconf, reverse, translate_url
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _

# Sections appear in the menu as soon as the app that serves them is installed.
SECTIONS = [
    ("members:directory", _("Members")),
    ("pledges:list", _("Pledges")),
    ("events:list", _("Events")),
    ("members:champions", _("Champions")),
    ("members:indicators", _("Indicators")),
    ("governance:work-plan", _("Work plan")),
    ("announcements:list", _("News")),
    ("library:list", _("Library")),
]
# The other links every page's header carries.
SITE_LINKS = {"home": "home", "sign_in": "account_login", "sign_out": "account_logout", "admin": "admin:index"}


@lru_cache(maxsize=64)
def _links(urlconf, language):
    # Every page asks for the same dozen addresses; they depend only on the URLconf and the language
    # prefix, so they are reversed once per process and language instead of on every request.
    sections = []
    for url_name, label in SECTIONS:
        try:
            sections.append((reverse(url_name, urlconf=urlconf), label))
        except NoReverseMatch:
            continue
    return tuple(sections), {key: reverse(name, urlconf=urlconf) for key, name in SITE_LINKS.items()}


def navigation(request):
    sections, site_links = _links(get_urlconf(), get_language())
    items = [{"url": url, "label": label, "current": request.path.startswith(url)} for url, label in sections]
    from accounts import access

    return {"navigation": items, "site_links": site_links,
            "may_use_admin": access.may_use_admin(getattr(request, "user", None))}


@lru_cache(maxsize=16)
def _language_names():
    # As a menu item, "Français" and "Español" take a capital (CLDR writes them in lower case).
    names = ((code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES)
    return tuple((code, name[:1].upper() + name[1:]) for code, name in names)


def language_links(request):
    """The same page in each language: plain links (no form, no cookie), so pages stay cacheable."""
    current = get_language()
    path = request.get_full_path()
    prefix = f"/{current}/"
    links = []
    for code, name in _language_names():
        # The site's paths are the same in every language but for their prefix, so swapping it is the
        # translation; translate_url (resolve, then reverse) is kept for paths without one.
        url = f"/{code}/{path[len(prefix):]}" if path.startswith(prefix) else translate_url(path, code)
        links.append({"code": code, "name": name, "url": url, "current": code == current})
    return {"language_links": links}
