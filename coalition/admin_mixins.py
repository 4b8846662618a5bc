"""Admin behaviour shared by the apps."""


class ReadOnlyAdminMixin:
    """Records written only by the services (logs, e-mail rows): the admin reads them, never edits them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
