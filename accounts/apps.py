from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("People and roles")

    def ready(self):
        from django.db.models.signals import post_migrate

        from accounts.roles import sync_secretariat_permissions

        post_migrate.connect(sync_secretariat_permissions, dispatch_uid="sync_secretariat_permissions")
