"""Project-wide pages: the home redirect by role, liveness and readiness probes, and Prometheus metrics."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.models import Role
from bporeg import health, prometheus
from bporeg.access import role_of


@login_required
def home(request):
    """Internal roles land on the portfolio dashboard; vendor staff on their own vendor's page."""
    role = role_of(request.user)
    if role == Role.VENDOR_STAFF:
        return redirect(request.user.profile.vendor)
    if role is None:
        return render(request, "no_role.html", status=403)
    return redirect("portfolio:dashboard")


@never_cache
@require_GET
def healthz(request):
    """Liveness: the process answers. No dependency is checked, so an orchestrator never restarts a
    healthy web process because the database is briefly away."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request):
    """Readiness: the database, the broker and the file storage all answer; 503 names the part down."""
    checks = health.readiness()
    body = {name: "ok" if ok else "down" for name, ok in checks.items()}
    body["status"] = "ok" if all(checks.values()) else "degraded"
    return JsonResponse(body, status=200 if all(checks.values()) else 503)


@never_cache
@require_GET
def metrics(request):
    """Prometheus exposition, for a scraper holding METRICS_TOKEN; a 404 while no token is set."""
    if not settings.METRICS_TOKEN:
        raise Http404("Metrics are off: set METRICS_TOKEN.")
    if not prometheus.bearer_token_matches(request, settings.METRICS_TOKEN):
        return HttpResponseForbidden("A valid bearer token is required.")
    body, content_type = prometheus.scrape()
    return HttpResponse(body, content_type=content_type)
