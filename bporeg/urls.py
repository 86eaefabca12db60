from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from accounts.views import LoginView
from bporeg import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("metrics", views.metrics, name="metrics"),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("vendors/", include("vendors.urls")),
    path("kpis/", include("kpis.urls")),
    path("api/", include("kpis.api_urls")),
    path("reviews/", include("reviews.urls")),
    path("alerts/", include("alerts.urls")),
    path("sourcing/", include("sourcing.urls")),
    path("costs/", include("costs.urls")),
    path("relationship/", include("relationship.urls")),
    path("portfolio/", include("portfolio.urls")),
    path("admin/", admin.site.urls),
]


def single_sign_on_urls():
    """mozilla-django-oidc's start and callback views (its logout view is not needed), imported only
    when SSO is on."""
    from mozilla_django_oidc import views as oidc

    return [
        path(
            "oidc/authenticate/",
            oidc.OIDCAuthenticationRequestView.as_view(),
            name="oidc_authentication_init",
        ),
        path(
            "oidc/callback/",
            oidc.OIDCAuthenticationCallbackView.as_view(),
            name="oidc_authentication_callback",
        ),
    ]


if settings.OIDC_ENABLED:
    urlpatterns += single_sign_on_urls()
