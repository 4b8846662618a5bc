from django import template
from django.utils.formats import number_format
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def css_string(value) -> str:
    """``value`` as a quoted CSS string, safe inside a <style> element."""
    text = str(value)
    out = []
    for ch in text:
        if ch in '\\"<>&' or ord(ch) < 32:
            out.append(f"\\{ord(ch):X} ")
        else:
            out.append(ch)
    return mark_safe('"' + "".join(out) + '"')


@register.filter
def country_name(country) -> str:
    """The country's name in the active language (CLDR names for Russian and French)."""
    return country.local_name if country is not None else ""


@register.filter
def percent(value, decimals: int = 0) -> str:
    if value is None:
        return "–"
    return number_format(value, decimal_pos=decimals) + " %"


@register.filter
def get(mapping, key):
    return mapping.get(key, 0) if mapping else 0
