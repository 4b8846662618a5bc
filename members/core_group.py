"""Core Group seats, co-leads and champions: the rules of the terms of reference."""

from __future__ import annotations

import io
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from coalition.audit import audited
from members import dates, selectors
from members.models import Champion, ChampionCommitment, CoLead, CoreGroupSeat, Country, Membership

PERMANENT_SEAT_ISO2 = "KZ"
MAX_PHOTO_BYTES = 5 * 1024 * 1024
# A small file can declare a huge canvas (a 48 KB PNG of 20000 x 20000): the size is read from the
# header and refused before anything is decoded, or one upload costs gigabytes of memory.
MAX_PHOTO_PIXELS = 40_000_000
PHOTO_MAX_SIDE = 600


def _membership_on(country: Country, day: date) -> Membership | None:
    return Membership.objects.of(country, on=day)


@transaction.atomic
@audited("seat.granted")
def grant_seat(*, country: Country, start: date, by=None) -> CoreGroupSeat:
    """A Core Group seat from ``start``: permanent for Kazakhstan, three years for others.

    A seat never outlasts membership: a country that gave notice holds its seat until its
    membership ends.
    """
    Country.objects.select_for_update().filter(pk=country.pk).first()
    membership = _membership_on(country, start)
    if membership is None:
        raise ValidationError(
            _("%(country)s is not a member of the Coalition on %(date)s; only member countries join the Core Group.")
            % {"country": country, "date": date_format(start)},
            code="not_member",
        )
    end = None if country.iso2 == PERMANENT_SEAT_ISO2 else dates.years_after(start, dates.CORE_GROUP_SEAT_YEARS)
    reason = CoreGroupSeat.EndReason.TERM
    if membership.ends_on is not None and (end is None or membership.ends_on < end):
        end, reason = membership.ends_on, CoreGroupSeat.EndReason.MEMBERSHIP_ENDED
    overlapping = CoreGroupSeat.objects.filter(country=country).filter(Q(end__isnull=True) | Q(end__gt=start))
    if end is not None:
        overlapping = overlapping.filter(start__lt=end)
    clash = overlapping.first()
    if clash is not None:
        raise ValidationError(
            _("%(country)s already holds a seat for part of that period (%(seat)s).") % {"country": country, "seat": clash},
            code="overlap",
        )
    seat = CoreGroupSeat(country=country, start=start, end=end, end_reason=reason)
    seat.save()
    return seat


@transaction.atomic
@audited("seat.ended", about="seat")
def end_seat(*, seat: CoreGroupSeat, on: date, reason: str = CoreGroupSeat.EndReason.STEPPED_DOWN, by=None) -> CoreGroupSeat:
    """End a seat early (the country steps down, or its membership ends)."""
    seat = CoreGroupSeat.objects.select_for_update().select_related("country").get(pk=seat.pk)
    if on <= seat.start:
        raise ValidationError(
            _("A seat cannot end (%(date)s) on or before it began (%(start)s).")
            % {"date": date_format(on), "start": date_format(seat.start)},
            code="before_start",
        )
    if seat.end is not None and on >= seat.end:
        raise ValidationError(
            _("This seat already ends on %(end)s.") % {"end": date_format(seat.end)}, code="after_end"
        )
    seat.end = on
    seat.end_reason = reason
    seat.save(update_fields=["end", "end_reason"])
    return seat


def end_seats_with_membership(*, country, on: date) -> None:
    """Ending a membership ends the country's seat the same day (called by the renewal job)."""
    for seat in CoreGroupSeat.objects.filter(country=country, start__lt=on).filter(Q(end__isnull=True) | Q(end__gt=on)):
        seat.end = on
        seat.end_reason = CoreGroupSeat.EndReason.MEMBERSHIP_ENDED
        seat.save(update_fields=["end", "end_reason"])
    # A seat that would only have started after the end never begins.
    CoreGroupSeat.objects.filter(country=country, start__gte=on).delete()


@transaction.atomic
@audited("co_lead.appointed")
def appoint_co_lead(*, year: int, line: str, country: Country, by=None) -> CoLead:
    """A co-lead of one line of work for ``year``; the country must hold a seat in that year."""
    if not selectors.holds_seat_in(country, year):
        raise ValidationError(
            _("%(country)s holds no Core Group seat in %(year)s; co-leads are chosen among Core Group countries.")
            % {"country": country, "year": year},
            code="no_seat",
        )
    co_lead, created = CoLead.objects.get_or_create(year=year, line=line, country=country)
    if not created:
        raise ValidationError(_("%(country)s already co-leads this line in %(year)s.") % {"country": country, "year": year},
                              code="duplicate")
    return co_lead


def validate_photo(upload) -> None:
    """An image by its content (not its name), at most 5 MB and 40 megapixels."""
    from PIL import Image, UnidentifiedImageError

    if upload.size > MAX_PHOTO_BYTES:
        raise ValidationError(_("The photo is larger than 5 MB; choose a smaller file."), code="too_large")
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            width, height = image.size
            if width * height > MAX_PHOTO_PIXELS:
                raise ValidationError(
                    _("The photo is %(width)s × %(height)s pixels; photos may be at most 40 megapixels. "
                      "Resize it and try again.") % {"width": width, "height": height},
                    code="too_many_pixels",
                )
            image.verify()
    except Image.DecompressionBombError:
        raise ValidationError(_("The photo has too many pixels; photos may be at most 40 megapixels."),
                              code="too_many_pixels") from None
    except (UnidentifiedImageError, OSError, SyntaxError):
        raise ValidationError(_("This file is not an image. Upload a JPEG or PNG photo."), code="not_image") from None
    finally:
        upload.seek(0)


def _resized_jpeg(upload) -> ContentFile:
    from PIL import Image, ImageOps

    upload.seek(0)
    with Image.open(upload) as image:
        image = ImageOps.exif_transpose(image).convert("RGB")
        image.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=85, optimize=True)
    return ContentFile(out.getvalue(), name="photo.jpg")


@transaction.atomic
@audited("champion.saved", about="champion")
def save_champion(*, champion: Champion, photo=None, by=None) -> Champion:
    """Save a champion; a new photo is checked, then stored as a resized JPEG without metadata."""
    if photo is not None:
        validate_photo(photo)
        champion.photo.save("photo.jpg", _resized_jpeg(photo), save=False)
    champion.full_clean(exclude=["photo"])
    champion.save()
    return champion


@transaction.atomic
@audited("champion.commitment_added")
def add_commitment(*, champion: Champion, start: date, by=None) -> ChampionCommitment:
    """A two-year commitment from ``start``; renewing is adding the next one."""
    end = dates.years_after(start, dates.CHAMPION_YEARS)
    Champion.objects.select_for_update().filter(pk=champion.pk).first()
    clash = champion.commitments.filter(start__lt=end, end__gt=start).first()
    if clash is not None:
        raise ValidationError(
            _("%(name)s already has a commitment for part of that period (%(start)s – %(end)s).")
            % {"name": champion.name, "start": date_format(clash.start), "end": date_format(clash.end)},
            code="overlap",
        )
    commitment = ChampionCommitment(champion=champion, start=start, end=end)
    commitment.save()
    return commitment


def renew_commitment(*, champion: Champion, by=None) -> ChampionCommitment:
    """A new two-year period starting where the latest one ends."""
    latest = champion.commitments.order_by("-end").first()
    if latest is None:
        raise ValidationError(_("There is no commitment to renew; add the first one."), code="none")
    return add_commitment(champion=champion, start=latest.end, by=by)


def send_seat_reminders(*, today: date) -> int:
    """E-mail the secretariat three months before a seat ends; once per seat, never after the end.

    Returns the number of e-mails queued in the outbox.
    """
    from django.conf import settings
    from django.utils import timezone

    from coalition import mail

    sent = 0
    due = CoreGroupSeat.objects.filter(
        reminder_sent_at__isnull=True, end__gt=today, end__lte=dates.months_before(today, -3)
    ).values_list("pk", flat=True)
    for pk in list(due):
        with transaction.atomic():
            seat = (CoreGroupSeat.objects.select_for_update(skip_locked=True, of=("self",)).select_related("country")
                    .filter(pk=pk, reminder_sent_at__isnull=True).first())
            if seat is None:
                continue
            mail.queue(
                kind="members/seat_ending", key=mail.key("members.seat_ending", seat.pk),
                to=[settings.SECRETARIAT_EMAIL], language=settings.LANGUAGE_CODE,
                context={"seat": seat, "country": seat.country}, about=seat, country=seat.country,
            )
            seat.reminder_sent_at = timezone.now()
            seat.save(update_fields=["reminder_sent_at"])
            sent += 1
    return sent
