from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from accounts import access
from accounts.models import User

# What only a superuser may change: who is staff or superuser, and what they may do.
PRIVILEGE_FIELDS = ["is_staff", "is_superuser", "groups", "user_permissions"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "language", "is_staff", "is_active", "last_login"]
    list_filter = ["is_staff", "is_active", "language", "groups"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["full_name", "language"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "language", "password1", "password2"]}),
    ]

    def _guards_staff_account(self, request, obj) -> bool:
        # A Secretariat user may edit people (focal points' names and languages) but not take over
        # a staff account: changing its e-mail or activity would let them reset its password.
        return access.is_privileged_account(obj) and obj.pk != request.user.pk

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if access.may_change_privileges(request.user):
            return readonly
        readonly += PRIVILEGE_FIELDS
        if self._guards_staff_account(request, obj):
            readonly += ["email", "is_active"]
        return readonly

    def user_change_password(self, request, id, form_url=""):
        user = self.get_object(request, id)
        if (not access.may_change_privileges(request.user) and access.is_privileged_account(user)
                and user.pk != request.user.pk):
            raise Http404
        return super().user_change_password(request, id, form_url)
