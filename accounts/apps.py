from django.apps import AppConfig
from django.conf import settings


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self):
        if settings.OIDC_ENABLED:
            # A typo in the role map stops the process at start, not at somebody's first login.
            from accounts.sso import parse_role_map

            parse_role_map(settings.OIDC_ROLE_MAP)
