"""The login page: the password form, and the single sign-on button when SSO is on."""

from django.conf import settings
from django.contrib.auth import views as auth_views


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            single_sign_on=settings.OIDC_ENABLED,
            password_for_internal=not settings.OIDC_ENABLED or settings.OIDC_PASSWORD_LOGIN_FOR_INTERNAL,
            **kwargs,
        )
