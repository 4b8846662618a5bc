"""The announcement texts kept in each language (django-modeltranslation: title_en, title_fr, …)."""

from modeltranslation.translator import TranslationOptions, register

from announcements.models import Announcement


@register(Announcement)
class AnnouncementTranslationOptions(TranslationOptions):
    fields = ("title", "body")
    # Which languages need a text is the announcement's own choice (Announcement.languages).
    required_languages = ()
