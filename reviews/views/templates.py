"""Audit scorecard templates: QA edits them; each save publishes a new version."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Max, OuterRef, Subquery
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.models import Role
from bporeg.access import INTERNAL, role_required
from reviews.auditing import current_version, publish_template_version, version_criteria
from reviews.forms import CriterionFormSet, TemplateForm
from reviews.models import AuditTemplate, TemplateVersion


@role_required(*INTERNAL)
def template_list(request):
    templates = AuditTemplate.objects.annotate(
        latest=Max("versions__number"), audit_count=Count("versions__audits")
    ).order_by("archived_at", "name")
    return render(request, "reviews/template_list.html", {"templates": templates})


@role_required(*INTERNAL)
def template_detail(request, pk):
    template = get_object_or_404(AuditTemplate, pk=pk)
    versions = list(template.versions.annotate(audit_count=Count("audits")).select_related("created_by"))
    number = request.GET.get("version")
    shown = next((v for v in versions if str(v.number) == number), versions[0] if versions else None)
    return render(
        request,
        "reviews/template_detail.html",
        {
            "template": template,
            "versions": versions,
            "shown": shown,
            "criteria": version_criteria(shown) if shown else [],
        },
    )


def _initial_rows(version):
    return [
        {
            "section": c.section.title,
            "label": c.label,
            "guidance": c.guidance,
            "weight": c.weight,
            "scale": c.scale,
            "critical": c.critical,
        }
        for c in version_criteria(version)
    ]


@role_required(Role.QA)
def template_edit(request, pk=None):
    """Create a template (no pk) or publish its next version; audits keep the version they used."""
    template = get_object_or_404(AuditTemplate, pk=pk, archived_at__isnull=True) if pk else None
    version = current_version(template) if template else None
    if request.method == "POST":
        form = TemplateForm(request.POST, template=template)
        formset = CriterionFormSet(request.POST, prefix="criteria")
        if form.is_valid() and formset.is_valid():
            try:
                version = publish_template_version(
                    user=request.user,
                    template=template,
                    name=form.cleaned_data["name"],
                    description=form.cleaned_data["description"],
                    pass_mark=form.cleaned_data["pass_mark"],
                    note=form.cleaned_data["change_note"],
                    rows=formset.rows(),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"Published {version}. Audits already logged keep their version.")
                return redirect(version.template)
    else:
        initial = {"pass_mark": 85}
        if template:
            initial = {
                "name": template.name,
                "description": template.description,
                "pass_mark": version.pass_mark,
            }
        form = TemplateForm(initial=initial, template=template)
        formset = CriterionFormSet(prefix="criteria", initial=_initial_rows(version) if version else None)
    return render(
        request,
        "reviews/template_form.html",
        {"form": form, "formset": formset, "template": template, "version": version},
    )


@require_POST
@role_required(Role.QA)
def template_archive(request, pk):
    template = get_object_or_404(AuditTemplate, pk=pk)
    if template.archived_at is None:
        template.archived_at = timezone.now()
        template.save(update_fields=["archived_at"])
        messages.info(request, f"{template} is archived: no new audits use it; past audits are untouched.")
    return redirect(template)


def latest_versions():
    """The current version of every live template, for the "log an audit" picker."""
    newest = (
        TemplateVersion.objects.filter(template=OuterRef("template")).order_by("-number").values("pk")[:1]
    )
    return (
        TemplateVersion.objects.filter(template__archived_at__isnull=True, pk=Subquery(newest))
        .select_related("template")
        .annotate(criteria_count=Count("sections__criteria"))
        .order_by("template__name")
    )
