from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from bporeg import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("metrics", views.metrics, name="metrics"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
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
