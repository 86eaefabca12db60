"""Onboarding tasks: vendor staff's "My onboarding", a task's page, its update (htmx or plain POST),
the manager's planning form, and evidence downloads."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from accounts.models import Role
from bporeg.access import EVERYONE, PROJECT_LEADS, role_required
from bporeg.uploads import attachment_response
from vendors.models import OnboardingTask, Responsible, TaskEvidence, Vendor
from vendors.onboarding_forms import TaskPlanForm, TaskUpdateForm
from vendors.onboarding_services import onboarding_task_update
from vendors.selectors import onboarding_progress, onboarding_tasks, tasks_by_phase
from vendors.views import form_page


def _editable(tasks, user):
    for task in tasks:
        task.editable = task.may_update(user)
    return tasks


@role_required(Role.VENDOR_STAFF)
def my_onboarding(request):
    vendor = get_object_or_404(Vendor.objects.visible_to(request.user).select_related("onboarding"))
    show_all = request.GET.get("show") == "all"
    tasks = vendor.onboarding_tasks.all()
    if not show_all:
        tasks = tasks.filter(responsible=Responsible.VENDOR)
    tasks = _editable(list(onboarding_tasks(tasks)), request.user)
    context = {
        "vendor": vendor,
        "plan": getattr(vendor, "onboarding", None),
        "progress": onboarding_progress([vendor])[vendor.pk],
        "phases": tasks_by_phase(tasks),
        "show_all": show_all,
        "open_count": sum(not t.is_done for t in tasks),
        "overdue_count": sum(t.is_overdue for t in tasks),
        "blocked_count": sum(t.status == "blocked" for t in tasks),
        "next_up": min(
            (t for t in tasks if t.editable and not t.is_done), key=lambda t: t.due_date, default=None
        ),
        "next_url": request.get_full_path(),
    }
    return render(request, "vendors/my_onboarding.html", context)


def _task(request, pk):
    queryset = onboarding_tasks(OnboardingTask.objects.visible_to(request.user).select_related("vendor"))
    task = get_object_or_404(queryset, pk=pk)
    task.editable = task.may_update(request.user)
    return task


@role_required(*EVERYONE)
def task_detail(request, pk):
    task = _task(request, pk)
    return render(request, "vendors/task_detail.html", {"task": task, "next_url": request.get_full_path()})


def _next_url(request, task):
    candidate = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}):
        return candidate
    return task.get_absolute_url()


@role_required(*EVERYONE)
def task_update(request, pk):
    """Status, comment and evidence in one go. htmx gets the task card back (and the progress, out of
    band); a plain form post is redirected back, or gets the task page with the errors."""
    task = _task(request, pk)
    if request.method != "POST":
        # Looked up first, so another vendor's id is a 404 whatever the method.
        return redirect(task)
    if not task.editable:
        raise PermissionDenied
    form = TaskUpdateForm(request.POST, request.FILES)
    if form.is_valid():
        onboarding_task_update(task=task, by=request.user, **form.cleaned_data)
        if not request.htmx:
            messages.success(request, f"“{task}” is updated.")
            return redirect(_next_url(request, task))
        task, form = _task(request, pk), None
    context = {"task": task, "form": form, "open": True, "next_url": _next_url(request, task)}
    if request.htmx:
        context["progress"] = onboarding_progress([task.vendor_id])[task.vendor_id]
        return render(request, "vendors/_task_update_response.html", context)
    return render(request, "vendors/task_detail.html", context)


@role_required(*PROJECT_LEADS)
def task_edit(request, pk):
    task = get_object_or_404(OnboardingTask.objects.visible_to(request.user).select_related("vendor"), pk=pk)
    form = TaskPlanForm(request.POST or None, instance=task)
    if form.is_valid():
        form.save()
        messages.success(request, "Task saved.")
        return redirect(f"{task.vendor.get_absolute_url()}#onboarding")
    return form_page(request, form, heading=f"Plan task · {task.vendor}", back=task.get_absolute_url())


@role_required(*EVERYONE)
def evidence_download(request, pk):
    evidence = get_object_or_404(TaskEvidence.objects.visible_to(request.user), pk=pk)
    return attachment_response(evidence.file)
