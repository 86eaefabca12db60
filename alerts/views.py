"""Each person's own alerts: the in-app notification list, the navbar's unread count, preferences."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from alerts import services
from alerts.forms import PreferencesForm
from alerts.models import Alert
from bporeg.access import EVERYONE, role_required

PAGE_SIZE = 25


@role_required(*EVERYONE)
def notification_list(request):
    alerts = Alert.objects.for_recipient(request.user)
    unread_only = request.GET.get("unread") == "1"
    if unread_only:
        alerts = alerts.unread()
    page = Paginator(
        alerts.only("pk", "kind", "title", "message", "link", "created_at", "read_at"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(request, "alerts/notification_list.html", {"page": page, "unread_only": unread_only})


@role_required(*EVERYONE)
def unread_count(request):
    count = Alert.objects.for_recipient(request.user).unread().count()
    return render(request, "alerts/_unread_badge.html", {"count": count})


@require_POST
@role_required(*EVERYONE)
def mark_read(request, pk):
    alert = get_object_or_404(Alert.objects.for_recipient(request.user), pk=pk)
    services.mark_read(user=request.user, alert_ids=[alert.pk])
    if request.htmx:
        alert.refresh_from_db()
        return render(request, "alerts/_notification.html", {"alert": alert})
    return redirect("alerts:list")


@require_POST
@role_required(*EVERYONE)
def mark_all_read(request):
    count = services.mark_read(user=request.user)
    messages.success(request, f"{count} alert{'s' if count != 1 else ''} marked as read.")
    return redirect("alerts:list")


@role_required(*EVERYONE)
def preferences(request):
    form = PreferencesForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your alert preferences are saved.")
        return redirect("alerts:preferences")
    return render(request, "alerts/preferences.html", {"form": form})
