"""The news page, its Atom feed and the newsletter subscription, all without an account.

Links in e-mails never act on a GET (mail scanners open them): confirming and unsubscribing are a
button on the page the link opens; mail programs' one-click unsubscribe (RFC 8058) POSTs directly.
"""

from django.contrib.syndication.views import Feed
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import linebreaks
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import public_page
from announcements import selectors, services, tokens
from announcements.forms import SubscribeForm
from announcements.models import Subscriber
from coalition import throttle
from coalition.content_language import text_in_reader_language
from coalition.http import public_cache

PAGE_SIZE = 10
FEED_SIZE = 20


def _private(response):
    # Pages behind a personal link: neither cached nor indexed.
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@public_page
@public_cache(params=("page",))
@require_GET
def news_list(request):
    page = Paginator(selectors.published(), PAGE_SIZE).get_page(request.GET.get("page"))
    items = []
    for announcement in page.object_list:
        text, language, _fallback = text_in_reader_language(announcement, "body")
        items.append({"announcement": announcement, "excerpt": Truncator(text).words(40), "excerpt_language": language})
    return render(request, "announcements/list.html", {"page": page, "items": items})


@public_page
@public_cache
@require_GET
def news_detail(request, pk):
    announcement = get_object_or_404(selectors.published(), pk=pk)
    return render(request, "announcements/detail.html", {"announcement": announcement})


class NewsFeed(Feed):
    """The public announcements, an Atom feed per language (/en/news/feed.atom, /fr/news/feed.atom, …)."""

    feed_type = Atom1Feed
    access = "public"

    def title(self):
        return _("PHC Coalition news")

    def subtitle(self):
        return _("Announcements of the Secretariat of the Primary Health Care Coalition of Countries.")

    def link(self):
        return reverse("announcements:list")

    def feed_url(self):
        return reverse("announcements:feed")

    def items(self):
        return selectors.published()[:FEED_SIZE]

    def item_title(self, item):
        return text_in_reader_language(item, "title")[0]

    def item_description(self, item):
        return linebreaks(text_in_reader_language(item, "body")[0], autoescape=True)

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.sent_at

    def item_updateddate(self, item):
        return item.sent_at


@public_page
@require_http_methods(["GET", "POST"])
def subscribe(request):
    initial = {"language": get_language()}
    form = SubscribeForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST":
        refusal = throttle.refusal(request, "news-subscription", email=request.POST.get("email", ""))
        if refusal:
            form.is_valid()
            form.add_error(None, refusal)
        elif form.is_valid():
            try:
                services.subscribe(email=form.cleaned_data["email"], language=form.cleaned_data["language"])
            except ValidationError as error:
                form.add_error("email", error)
            else:
                # The same answer whether the address was new, pending, confirmed or unsubscribed.
                return redirect("announcements:subscribe-sent")
    return render(request, "announcements/subscribe.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


@public_page
@require_GET
def subscribe_sent(request):
    return render(request, "announcements/subscribe_sent.html")


def _invalid_link(request, *, expired=False):
    return _private(render(request, "announcements/invalid_link.html", {"expired": expired}, status=400))


@public_page
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    try:
        found = tokens.read_confirmation(token)
    except tokens.Expired:
        return _invalid_link(request, expired=True)
    subscriber = Subscriber.objects.filter(pk=found[0]).first() if found else None
    if subscriber is None:
        return _invalid_link(request)
    done = False
    if request.method == "POST":
        subscriber = services.confirm(subscriber=subscriber, language=found[1])
        done = True
    return _private(render(request, "announcements/confirm.html", {"subscriber": subscriber, "done": done}))


@csrf_exempt  # the signed token authorises the POST; mail programs send it without a CSRF token (RFC 8058)
@public_page
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    pk = tokens.read_unsubscribe(token)
    subscriber = Subscriber.objects.filter(pk=pk).first() if pk else None
    if subscriber is None:
        return _invalid_link(request)
    if request.method == "POST":
        subscriber = services.unsubscribe(subscriber=subscriber)
    return _private(render(request, "announcements/unsubscribe.html", {
        "subscriber": subscriber, "done": subscriber.status == Subscriber.Status.UNSUBSCRIBED,
    }))
