"""Texts people wrote, in the reader's language where a translation exists, marked with their own.

{% translated event "title" %} prints the text in a <span lang="…" dir="auto"> of the language it
is really in (for screen readers, hyphenation and right-to-left pages), and, when the reader's
language has no translation, the original with "(original in Russian)" beside it.
"""

from django import template
from django.utils.html import format_html, linebreaks
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_info, gettext

from coalition.content_language import text_in_reader_language

register = template.Library()


@register.simple_tag
def translated(obj, field: str, paragraphs: bool = False):
    text, language, fallback = text_in_reader_language(obj, field)
    body = mark_safe(linebreaks(text, autoescape=True)) if paragraphs else text  # linebreaks escaped it
    tag = "div" if paragraphs else "span"
    shown = format_html('<{} lang="{}" dir="auto">{}</{}>', tag, language, body, tag)
    if not fallback:
        return shown
    mark = gettext("original in %(language)s") % {"language": get_language_info(language)["name_translated"]}
    return format_html('{} <span class="original-language">({})</span>', shown, mark)
