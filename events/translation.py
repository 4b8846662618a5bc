"""The event texts kept in each language (django-modeltranslation: title_en, title_fr, …)."""

from modeltranslation.translator import TranslationOptions, register

from events.models import Event, Material


@register(Event)
class EventTranslationOptions(TranslationOptions):
    fields = ("title", "description")
    # Only the language the event was written in is required (Event.clean checks it).
    required_languages = ()


@register(Material)
class MaterialTranslationOptions(TranslationOptions):
    # Agendas and reports of meetings (the Core Group's among them) are titled in each language too.
    fields = ("title",)
    required_languages = ()
