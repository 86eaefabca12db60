"""QA audits: the list, logging one (with a live score), the audit page, evidence, disputes, voiding,
and per-criterion failure rates."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.models import Role
from bporeg.access import EVERYONE, INTERNAL, is_internal, role_of, role_required
from bporeg.uploads import attachment_response
from reviews import auditing
from reviews.filters import AuditFilter, FailureRateFilter
from reviews.forms import AuditForm, DisputeDecisionForm, DisputeForm, VoidForm
from reviews.models import Audit, AuditScore, Dispute, DisputeStatus, TemplateVersion
from reviews.scoring import score_audit
from reviews.selectors import audit_rows, failure_rates
from reviews.views.templates import latest_versions


@role_required(*EVERYONE)
def audit_list(request):
    audit_filter = AuditFilter(request.GET, queryset=Audit.objects.visible_to(request.user), request=request)
    page = audit_rows(audit_filter.qs, page=request.GET.get("page"))
    return render(request, "reviews/audit_list.html", {"filter": audit_filter, "page": page})


def _version_from(request):
    """The template version the form is for: the posted one (so a template edited meanwhile does not
    change what the auditor saw), else the current version of the chosen template."""
    version_id = request.POST.get("version") if request.method == "POST" else None
    versions = TemplateVersion.objects.filter(template__archived_at__isnull=True).select_related("template")
    if version_id:
        return get_object_or_404(versions, pk=version_id)
    template_id = request.GET.get("template")
    if not template_id:
        return None
    version = versions.filter(template_id=template_id).order_by("-number").first()
    if version is None:
        raise Http404
    return version


@role_required(Role.QA)
def audit_create(request):
    version = _version_from(request)
    if version is None:
        return render(request, "reviews/audit_pick_template.html", {"versions": latest_versions()})
    criteria = auditing.version_criteria(version)
    form = AuditForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        version=version,
        criteria=criteria,
        initial={"vendor": request.GET.get("vendor")},
    )
    if request.method == "POST" and form.is_valid():
        item = {
            name: form.cleaned_data[name]
            for name in ("channel", "reference", "interaction_date", "agent", "overall_comment")
        }
        try:
            audit = auditing.log_audit(
                auditor=request.user,
                vendor=form.cleaned_data["vendor"],
                version=version,
                answers=form.answers(),
                evidence=form.cleaned_data.get("evidence"),
                **item,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Audit logged: {audit.score}% ({audit.get_result_display()}).")
            if "another" in request.POST:
                return redirect(f"{request.path}?template={version.template_id}&vendor={audit.vendor_id}")
            return redirect(audit)
    outcome = _preview_outcome(form, criteria, version) if request.method == "POST" else None
    return render(
        request,
        "reviews/audit_form.html",
        {"form": form, "version": version, "sections": _by_section(form), "outcome": outcome},
    )


def _by_section(form):
    sections = []
    for criterion, answer, comment in form.answer_rows():
        if not sections or sections[-1][0] != criterion.section:
            sections.append((criterion.section, []))
        sections[-1][1].append((criterion, answer, comment))
    return sections


def _preview_outcome(form, criteria, version):
    answers = []
    for criterion in criteria:
        raw = form.data.get(f"c{criterion.pk}")
        if raw in (None, ""):
            continue
        answers.append((criterion, None if raw == "na" else int(raw) if raw.isdigit() else None))
    return score_audit(answers, pass_mark=version.pass_mark), len(answers), len(criteria)


@require_POST
@role_required(Role.QA)
def audit_score_preview(request):
    """The live score as the form is filled: the server's own scoring of the answers so far (htmx)."""
    version = _version_from(request)
    if version is None:
        raise Http404
    criteria = auditing.version_criteria(version)
    form = AuditForm(request.POST, user=request.user, version=version, criteria=criteria)
    outcome = _preview_outcome(form, criteria, version)
    return render(request, "reviews/_score_preview.html", {"outcome": outcome, "version": version})


@role_required(*EVERYONE)
def audit_detail(request, pk):
    audit = get_object_or_404(
        Audit.objects.visible_to(request.user).select_related("vendor", "version__template", "auditor"), pk=pk
    )
    scores = AuditScore.objects.filter(audit=audit).select_related("criterion__section")
    disputes = audit.disputes.select_related("raised_by", "decided_by")
    open_dispute = next((d for d in disputes if d.status == DisputeStatus.OPEN), None)
    context = {
        "audit": audit,
        "scores": scores,
        "disputes": disputes,
        "open_dispute": open_dispute,
        "can_dispute": role_of(request.user) == Role.VENDOR_STAFF and not open_dispute and not audit.is_void,
        "dispute_form": DisputeForm(),
        "void_form": VoidForm(),
        "internal": is_internal(request.user),
    }
    return render(request, "reviews/audit_detail.html", context)


@role_required(*EVERYONE)
def audit_evidence(request, pk):
    """Evidence only through this view: access checked first, always a download, never sniffed."""
    audit = get_object_or_404(Audit.objects.visible_to(request.user), pk=pk)
    if not audit.evidence:
        raise Http404
    return attachment_response(audit.evidence)


@role_required(Role.VENDOR_STAFF)
def audit_dispute(request, pk):
    audit = get_object_or_404(Audit.objects.visible_to(request.user), pk=pk)
    form = DisputeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            auditing.raise_dispute(audit=audit, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Dispute sent to the QA team.")
            return redirect(audit)
    return render(request, "reviews/audit_dispute.html", {"audit": audit, "form": form})


@role_required(Role.QA)
def dispute_decide(request, pk):
    dispute = get_object_or_404(
        Dispute.objects.visible_to(request.user).select_related("audit__vendor", "audit__version__template"),
        pk=pk,
        status=DisputeStatus.OPEN,
    )
    audit = dispute.audit
    criteria = auditing.version_criteria(audit.version)
    form = DisputeDecisionForm(request.POST or None, audit=audit, criteria=criteria)
    if request.method == "POST" and form.is_valid():
        accept = form.cleaned_data["decision"] == "accept"
        try:
            auditing.decide_dispute(
                dispute=dispute,
                user=request.user,
                accept=accept,
                comment=form.cleaned_data["comment"],
                answers=form.answers() if accept else None,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            audit.refresh_from_db()
            verdict = f"accepted; the audit now scores {audit.score}%" if accept else "rejected"
            messages.success(request, f"Dispute {verdict}.")
            return redirect(audit)
    return render(
        request,
        "reviews/dispute_decide.html",
        {"dispute": dispute, "audit": audit, "form": form, "sections": _by_section(form)},
    )


@require_POST
@role_required(Role.QA)
def audit_void(request, pk):
    audit = get_object_or_404(Audit.objects.visible_to(request.user), pk=pk)
    form = VoidForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give a reason to void the audit.")
        return redirect(audit)
    try:
        auditing.void_audit(audit=audit, user=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "Audit voided: it no longer counts towards the QA score.")
    return redirect(audit)


@role_required(*INTERNAL)
def failure_rate_list(request):
    rate_filter = FailureRateFilter(
        request.GET, queryset=AuditScore.objects.visible_to(request.user), request=request
    )
    rows = list(failure_rates(rate_filter.qs)[:200])
    return render(request, "reviews/failure_rates.html", {"filter": rate_filter, "rows": rows})
