"""Onboarding set-up by the manager: plan templates and their activities, starting a vendor's plan,
and moving its go-live date."""

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from bporeg.access import PROJECT_LEADS, role_required
from vendors.models import OnboardingPlan, OnboardingTemplate, TemplateActivity, Vendor, VendorStatus
from vendors.onboarding_forms import ActivityForm, ApplyTemplateForm, GoLiveForm, TemplateForm
from vendors.onboarding_services import (
    onboarding_apply_template,
    onboarding_move_go_live,
    onboarding_template_save,
)
from vendors.selectors import tasks_by_phase
from vendors.views import form_page


@role_required(*PROJECT_LEADS)
def template_list(request):
    templates = OnboardingTemplate.objects.annotate(activity_count=Count("activities", distinct=True))
    templates = templates.annotate(plan_count=Count("plans", distinct=True))
    return render(request, "vendors/template_list.html", {"templates": templates})


@role_required(*PROJECT_LEADS)
def template_detail(request, pk):
    template = get_object_or_404(OnboardingTemplate, pk=pk)
    context = {"template": template, "phases": tasks_by_phase(template.activities.all())}
    return render(request, "vendors/template_detail.html", context)


@role_required(*PROJECT_LEADS)
def template_create(request):
    form = TemplateForm(request.POST or None)
    if form.is_valid():
        template = onboarding_template_save(form=form)
        messages.success(request, "Template created. Add its activities, phase by phase.")
        return redirect(template)
    return form_page(request, form, heading="New onboarding template", back=reverse("vendors:template_list"))


@role_required(*PROJECT_LEADS)
def template_edit(request, pk):
    template = get_object_or_404(OnboardingTemplate, pk=pk)
    form = TemplateForm(request.POST or None, instance=template)
    if form.is_valid():
        onboarding_template_save(form=form)
        messages.success(request, "Template saved.")
        return redirect(template)
    return form_page(request, form, heading=f"Edit {template}", back=template.get_absolute_url())


@role_required(*PROJECT_LEADS)
def activity_create(request, pk):
    template = get_object_or_404(OnboardingTemplate, pk=pk)
    form = ActivityForm(request.POST or None, template=template)
    if form.is_valid():
        form.save()
        messages.success(request, "Activity added.")
        return redirect(template)
    return form_page(request, form, heading=f"New activity · {template}", back=template.get_absolute_url())


@role_required(*PROJECT_LEADS)
def activity_edit(request, pk):
    activity = get_object_or_404(TemplateActivity.objects.select_related("template"), pk=pk)
    form = ActivityForm(request.POST or None, instance=activity, template=activity.template)
    if form.is_valid():
        form.save()
        messages.success(request, "Activity saved. Plans already started keep their tasks as they are.")
        return redirect(activity.template)
    back = activity.template.get_absolute_url()
    return form_page(request, form, heading=f"Edit activity · {activity.template}", back=back)


@require_POST
@role_required(*PROJECT_LEADS)
def activity_delete(request, pk):
    # Removing an activity from a template touches no vendor: started plans own copies of their tasks.
    activity = get_object_or_404(TemplateActivity.objects.select_related("template"), pk=pk)
    activity.delete()
    messages.success(request, f"“{activity}” is removed from the template.")
    return redirect(activity.template)


@role_required(*PROJECT_LEADS)
def onboarding_apply(request, slug):
    vendors = Vendor.objects.visible_to(request.user).current().exclude(status=VendorStatus.EXITED)
    vendor = get_object_or_404(vendors, slug=slug)
    default = OnboardingTemplate.objects.filter(is_default=True).first()
    form = ApplyTemplateForm(request.POST or None, vendor=vendor, initial={"template": default})
    if form.is_valid():
        onboarding_apply_template(
            vendor=vendor,
            template=form.cleaned_data["template"],
            go_live=form.cleaned_data["go_live"],
            by=request.user,
        )
        messages.success(request, "Onboarding started: every task has its due date.")
        return redirect(f"{vendor.get_absolute_url()}#onboarding")
    intro = "Each activity of the template becomes a task, due the set number of days from go-live."
    return form_page(
        request, form, heading=f"Start onboarding · {vendor}", back=vendor.get_absolute_url(), intro=intro
    )


@role_required(*PROJECT_LEADS)
def onboarding_go_live(request, slug):
    plan = get_object_or_404(
        OnboardingPlan.objects.visible_to(request.user)
        .exclude(vendor__status=VendorStatus.EXITED)
        .select_related("vendor"),
        vendor__slug=slug,
    )
    form = GoLiveForm(request.POST or None, initial={"go_live": plan.go_live})
    if form.is_valid():
        moved = onboarding_move_go_live(plan=plan, go_live=form.cleaned_data["go_live"], by=request.user)
        messages.success(request, f"Go-live moved; {moved} open task(s) rescheduled.")
        return redirect(f"{plan.vendor.get_absolute_url()}#onboarding")
    heading = f"Move go-live · {plan.vendor}"
    intro = f"Go-live is now {plan.go_live:%d %b %Y}."
    return form_page(request, form, heading=heading, back=plan.vendor.get_absolute_url(), intro=intro)
