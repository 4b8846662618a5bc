"""Texts the Secretariat writes in several languages (django-modeltranslation's columns), read
in the reader's language or, failing that, in the original one the object names."""

from django.conf import settings
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname


def localized_fields(field: str) -> list[str]:
    """title → [title_en, title_fr, …]: the form fields of one text in every language."""
    return [build_localized_fieldname(field, code) for code, _name in settings.LANGUAGES]


def text_in_reader_language(obj, field: str) -> tuple[str, str, bool]:
    """(text, its language, whether it is the original shown for want of a translation)."""
    reader = get_language() or settings.LANGUAGE_CODE
    text = getattr(obj, build_localized_fieldname(field, reader), None)
    if text:
        return text, reader, False
    original = getattr(obj, "original_language", settings.LANGUAGE_CODE)
    # The original first; if it is empty too (a material titled in another language than its
    # event), whichever language has the text.
    for language in [original, *(code for code, _name in settings.LANGUAGES if code != original)]:
        text = getattr(obj, build_localized_fieldname(field, language), None)
        if text:
            return text, language, language != reader
    return "", original, False


def original_title_missing(obj) -> dict:
    """The error of a model's clean() when its title is empty in the object's original language."""
    name = build_localized_fieldname("title", obj.original_language)
    if getattr(obj, name, None):
        return {}
    language = get_language_info(obj.original_language)["name_translated"]
    return {name: _("Give the title in the original language (%(language)s).") % {"language": language}}
