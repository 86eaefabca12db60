"""A vendor's exit: the manager starts it, the checklist's tasks are updated (htmx or plain POST) by
whoever is responsible, evidence is downloaded, and a project lead completes it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.models import Role
from bporeg.access import EVERYONE, PROJECT_LEADS, role_required
from bporeg.uploads import attachment_response
from vendors.exit_forms import ExitStartForm
from vendors.exit_selectors import ExitProgress, exit_tasks
from vendors.exit_services import exit_complete, exit_start, exit_task_update
from vendors.models import ExitPlan, ExitTask, ExitTaskEvidence, ExitTemplate, Vendor
from vendors.onboarding_forms import TaskUpdateForm
from vendors.views import form_page


def _exit_section(vendor):
    return f"{vendor.get_absolute_url()}#exit"


@role_required(Role.MANAGER)
def exit_start_view(request, slug):
    vendor = get_object_or_404(Vendor.objects.visible_to(request.user), slug=slug)
    default = ExitTemplate.objects.filter(is_default=True).first()
    form = ExitStartForm(request.POST or None, vendor=vendor, initial={"template": default})
    if form.is_valid():
        try:
            exit_start(vendor=vendor, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{vendor}'s exit has started: every task has its due date.")
            return redirect(_exit_section(vendor))
    intro = (
        "Ending the partnership is a portfolio decision. Each activity of the template becomes a task, "
        "due the set number of days from the exit date; the vendor's whole record is kept."
    )
    return form_page(
        request,
        form,
        heading=f"Start exit · {vendor}",
        back=vendor.get_absolute_url(),
        button="Start exit",
        intro=intro,
        status=400 if form.is_bound else 200,
    )


def _task(request, pk):
    queryset = ExitTask.objects.visible_to(request.user).select_related(
        "vendor", "plan", "assignee", "completed_by"
    )
    task = get_object_or_404(queryset, pk=pk)
    task.editable = task.may_update(request.user)
    return task


def _fresh(request, pk, plan):
    """The task as the vendor page shows it (with its log), after an update."""
    return next(task for task in exit_tasks(plan, request.user) if task.pk == pk)


@role_required(*EVERYONE)
def exit_task_update_view(request, pk):
    """Status, comment and evidence in one go. htmx gets the task card back (and the progress, out of
    band); a plain form post is redirected to the vendor page, or gets the task with its errors (400)."""
    task = _task(request, pk)
    if request.method != "POST":
        # Looked up first, so another vendor's id is a 404 whatever the method.
        return redirect(f"{task.vendor.get_absolute_url()}#exit-task-{task.pk}")
    if not task.editable:
        raise PermissionDenied
    form = TaskUpdateForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            exit_task_update(task=task, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)  # the missing evidence lands on its field
        else:
            if not request.htmx:
                messages.success(request, f"“{task}” is updated.")
                return redirect(_exit_section(task.vendor))
            task, form = _fresh(request, pk, task.plan), None
    if form is not None:
        task = _fresh(request, pk, task.plan)
    context = {"task": task, "form": form, "open": True, "vendor": task.vendor}
    if request.htmx:
        # htmx swaps only 2xx answers: the card comes back with its errors shown in it.
        context["exit_progress"] = ExitProgress.of(list(task.plan.tasks.all()))
        return render(request, "vendors/_exit_task_update_response.html", context)
    return render(request, "vendors/exit_task_page.html", context, status=400)


@role_required(*EVERYONE)
def exit_task_evidence(request, pk):
    """A file of an exit task; the final invoice's files are a 404 to internal roles but the manager."""
    evidence = get_object_or_404(ExitTaskEvidence.objects.visible_to(request.user), pk=pk)
    return attachment_response(evidence.file)


@require_POST
@role_required(*PROJECT_LEADS)
def exit_complete_view(request, slug):
    plan = get_object_or_404(
        ExitPlan.objects.visible_to(request.user).select_related("vendor"), vendor__slug=slug
    )
    try:
        deactivated = exit_complete(plan=plan, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"{plan.vendor} has exited: {deactivated} staff account(s) deactivated; its record is kept.",
        )
    return redirect(_exit_section(plan.vendor))
