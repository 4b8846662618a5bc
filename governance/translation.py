"""The Core Group's texts kept in each language (django-modeltranslation: agenda_en, agenda_fr, …)."""

from modeltranslation.translator import TranslationOptions, register

from governance.models import Activity, Decision, Meeting


@register(Meeting)
class MeetingTranslationOptions(TranslationOptions):
    fields = ("agenda", "minutes")
    required_languages = ()


@register(Decision)
class DecisionTranslationOptions(TranslationOptions):
    fields = ("text",)
    # Only the original language is required (the services check it).
    required_languages = ()


@register(Activity)
class ActivityTranslationOptions(TranslationOptions):
    fields = ("title", "description")
    required_languages = ()
