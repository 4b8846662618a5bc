"""The event texts kept in each language (django-modeltranslation: title_en, title_fr, …)."""

from modeltranslation.translator import TranslationOptions, register

from events.models import Event


@register(Event)
class EventTranslationOptions(TranslationOptions):
    fields = ("title", "description")
    # Only the language the event was written in is required (Event.clean checks it).
    required_languages = ()
