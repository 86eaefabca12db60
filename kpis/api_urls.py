"""The REST API's URLs (mounted at /api/) and its OpenAPI schema."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from kpis.api import HasRole, KPIViewSet, MeasurementViewSet, VendorViewSet

router = SimpleRouter()
router.register("vendors", VendorViewSet, basename="vendor")
router.register("kpis", KPIViewSet, basename="kpi")
router.register("measurements", MeasurementViewSet, basename="measurement")

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(permission_classes=[HasRole]), name="schema"),
    path("", include(router.urls)),
]
