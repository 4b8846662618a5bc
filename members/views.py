from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from accounts.access import public_page, secretariat_required
from members.models import LetterOfInterest


@secretariat_required
def letter_file(request, pk):
    """The signed letter, for the Secretariat only; everyone else is told it does not exist."""
    letter = get_object_or_404(LetterOfInterest, pk=pk)
    if not letter.letter:
        raise Http404
    response = FileResponse(letter.letter.open("rb"), content_type="application/pdf", as_attachment=False,
                            filename=f"letter-{letter.country.iso3}-{letter.received_on}.pdf")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@secretariat_required
def notice_file(request, pk, which):
    """The scanned notice, or the letter withdrawing it: the Secretariat's record, like the letters."""
    from members.models import Notice

    notice = get_object_or_404(Notice.objects.select_related("membership__country"), pk=pk)
    document = notice.document if which == "notice" else notice.withdrawal_document
    if not document:
        raise Http404
    day = notice.received_on if which == "notice" else notice.withdrawn_on
    response = FileResponse(document.open("rb"), content_type="application/pdf", as_attachment=False,
                            filename=f"{which}-{notice.membership.country.iso3}-{day}.pdf")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@public_page
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
    if not champion.photo:
        raise Http404
    response = FileResponse(champion.photo.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=86400"
    return response
