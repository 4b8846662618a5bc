from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# Sections appear in the menu as soon as the app that serves them is installed.
SECTIONS = [
    ("members:directory", _("Members")),
    ("pledges:list", _("Pledges")),
    ("events:list", _("Events")),
    ("members:champions", _("Champions")),
    ("members:indicators", _("Indicators")),
]


def navigation(request):
    items = []
    for url_name, label in SECTIONS:
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        items.append({"url": url, "label": label, "current": request.path.startswith(url)})
    return {"navigation": items}
