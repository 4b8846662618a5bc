from django.conf import settings
from django.urls import NoReverseMatch, reverse, translate_url
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


def navigation(request):
    items = []
    for url_name, label in SECTIONS:
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        items.append({"url": url, "label": label, "current": request.path.startswith(url)})
    from accounts import access

    return {"navigation": items, "may_use_admin": access.may_use_admin(getattr(request, "user", None))}


def language_links(request):
    """The same page in each language: plain links (no form, no cookie), so pages stay cacheable."""
    current = get_language()
    links = []
    for code, _name in settings.LANGUAGES:
        own_name = get_language_info(code)["name_local"]
        links.append({
            "code": code,
            # As a menu item, "Français" and "Español" take a capital (CLDR writes them in lower case).
            "name": own_name[:1].upper() + own_name[1:],
            "url": translate_url(request.get_full_path(), code),
            "current": code == current,
        })
    return {"language_links": links}
