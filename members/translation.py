"""Champion texts kept in each language (django-modeltranslation: title_en, biography_fr, …)."""

from modeltranslation.translator import TranslationOptions, register

from members.models import Champion


@register(Champion)
class ChampionTranslationOptions(TranslationOptions):
    fields = ("title", "biography")
    # Only the champion's original language is required (Champion.clean checks it).
    required_languages = ()
