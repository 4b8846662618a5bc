from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from members.models import LetterOfInterest


def letter_file(request, pk):
    """The signed letter, for secretariat staff only; everyone else is told it does not exist."""
    if not (request.user.is_authenticated and request.user.is_staff and request.user.has_perm("members.view_letterofinterest")):
        raise Http404
    letter = get_object_or_404(LetterOfInterest, pk=pk)
    if not letter.letter:
        raise Http404
    response = FileResponse(letter.letter.open("rb"), content_type="application/pdf", as_attachment=False,
                            filename=f"letter-{letter.country.iso3}-{letter.received_on}.pdf")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
