"""Project-wide pages: the home redirect by role, the health check, and error pages."""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.models import Role
from bporeg import health
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
    checks = {"database": health.database_ok(), "broker": health.broker_ok()}
    body = {name: "ok" if ok else "down" for name, ok in checks.items()}
    body["status"] = "ok" if all(checks.values()) else "degraded"
    return JsonResponse(body, status=200 if all(checks.values()) else 503)
