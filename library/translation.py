"""Library texts kept in each language (django-modeltranslation: title_en, summary_fr, …)."""

from modeltranslation.translator import TranslationOptions, register

from library.models import Resource


@register(Resource)
class ResourceTranslationOptions(TranslationOptions):
    fields = ("title", "summary")
    # Only the original language is required (Resource.clean checks it).
    required_languages = ()
