"""The admin's date-and-time widget for an event's times, which are entered in the event's zone."""

from django.contrib.admin.widgets import AdminSplitDateTime
from django.utils.translation import gettext as _


class EventZoneSplitDateTime(AdminSplitDateTime):
    """Says which zone the time is in, instead of the admin's "You are N hours behind server time".

    The admin's script compares the browser's offset with the page's and warns under every date
    and time field; on the event form the page is in the event's zone, so the warning only tells
    the difference between the reader's zone and the event's, and reads as if the time would be
    shifted. The script adds no warning where one is already there (``.timezonewarning``): this
    widget puts the zone there.
    """

    template_name = "events/widgets/event_zone_datetime.html"

    def __init__(self, attrs=None, *, zone_name: str | None = None):
        super().__init__(attrs)
        self.zone_name = zone_name

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if self.zone_name:
            context["zone_note"] = _("In the event's time zone: %(zone)s.") % {"zone": self.zone_name}
        else:
            context["zone_note"] = _("In the event's time zone, chosen above.")
        return context
