from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """PDF reports built by Celery: a separate app because it reads every other app and owns files."""

    name = "reports"
    verbose_name = _("Reports")
