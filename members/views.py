from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from accounts.access import public_page, secretariat_required
from coalition.stored_files import file_response
from coalition.http import public_cache
from members.models import LetterOfInterest

PRIVATE = {"Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"}


@secretariat_required
def letter_file(request, pk):
    """The signed letter, for the Secretariat only; everyone else is told it does not exist."""
    letter = get_object_or_404(LetterOfInterest, pk=pk)
    return file_response(request, letter.letter, what=_("signed letter"), about=letter, headers=PRIVATE,
                         content_type="application/pdf", as_attachment=False,
                         filename=f"letter-{letter.country.iso3}-{letter.received_on}.pdf")


@secretariat_required
def notice_file(request, pk, which):
    """The scanned notice, or the letter withdrawing it: the Secretariat's record, like the letters."""
    from members.models import Notice

    notice = get_object_or_404(Notice.objects.select_related("membership__country"), pk=pk)
    document = notice.document if which == "notice" else notice.withdrawal_document
    if not document:
        raise Http404
    day = notice.received_on if which == "notice" else notice.withdrawn_on
    what = _("scanned notice") if which == "notice" else _("scanned withdrawal")
    return file_response(request, document, what=what, about=notice, headers=PRIVATE,
                         content_type="application/pdf", as_attachment=False,
                         filename=f"{which}-{notice.membership.country.iso3}-{day}.pdf")


@public_page
@public_cache
def champions(request):
    """Current PHC champions; past ones stay in the record but not on this page."""
    from django.shortcuts import render
    from django.utils import timezone

    from members import selectors

    today = timezone.localdate()
    current = selectors.current_champions(today).prefetch_related("commitments")
    return render(request, "members/champions.html", {"champions": current, "today": today})


@public_page
def champion_photo(request, pk):
    """Champions' photos are public; served here so the site needs no separate media server."""

    from members.models import Champion

    champion = get_object_or_404(Champion, pk=pk)
    return file_response(request, champion.photo, what=_("photo"), about=champion,
                         headers={"Cache-Control": "public, max-age=86400"}, content_type="image/jpeg")
