from django import template

from accounts import access

register = template.Library()


@register.filter
def may_hold_calendar_feed(user) -> bool:
    return access.may_hold_calendar_feed(user)
