"""People in the admin: the account, and its profile (role, vendor, single sign-on identity) inline."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User

from accounts.models import Profile


class ProfileInline(admin.StackedInline):
    model = Profile
    fk_name = "user"
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        # Linking an account to an identity hands it to whoever holds that identity: a superuser's call.
        if request.user.is_superuser:
            return super().get_readonly_fields(request, obj)
        return (*super().get_readonly_fields(request, obj), "sso_subject")


admin.site.unregister(User)


@admin.register(User)
class UserWithRoleAdmin(UserAdmin):
    inlines = [ProfileInline]
    list_display = ("username", "email", "first_name", "last_name", "is_active")
    list_select_related = ("profile",)
