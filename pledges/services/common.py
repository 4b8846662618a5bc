"""What every pledge service checks first: who acts, and whether the object is in a state that allows it."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts import access
from pledges.models import Pledge


def now():
    return timezone.now()


def today() -> date:
    return timezone.localdate()


def fmt(day: date) -> str:
    return date_format(day, "DATE_FORMAT")


def require_secretariat(user) -> None:
    if not access.is_secretariat(user):
        raise ValidationError(_("Only secretariat staff may do this."), code="not_secretariat")


def require_editor(user, country) -> None:
    if not access.may_edit_for(user, country):
        raise ValidationError(
            _("Only an active focal point of %(country)s, while it is a member, may do this.") % {"country": country},
            code="not_focal_point",
        )


def lock_pledge(pledge: Pledge) -> Pledge:
    return Pledge.objects.select_for_update(of=("self",)).select_related("country", "term", "membership").get(pk=pledge.pk)


def require_status(obj, *allowed) -> None:
    if obj.status not in allowed:
        raise ValidationError(
            _("This cannot be done now: it is %(status)s.") % {"status": obj.get_status_display().lower()},
            code="wrong_status",
        )
