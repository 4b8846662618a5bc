from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecretariatConfig(AppConfig):
    """The Secretariat's day across the apps: the Today page (the admin index)."""

    name = "secretariat"
    verbose_name = _("Secretariat")
