"""Survey pages: the list (vendor staff: their vendor's rating of us, to answer and answered; internal
users: every survey, pending by default), one survey (the answer form for who may answer it, otherwise
the answers read-only) and a vendor's results per quarter with the trend chart.

Surveys are looked up in `Survey.objects.visible_to(user)`, which holds no company rating for vendor
staff: our rating of their vendor is a 404 for them, as another vendor's survey is.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from bporeg.access import EVERYONE, INTERNAL, is_internal, role_required
from relationship.models import Survey
from relationship.survey_chart import survey_chart
from relationship.survey_forms import AnswerForm, SurveyFilter
from relationship.surveys import FALL, LOW_SCORE, survey_submit
from relationship.surveys import survey_results as results_of
from vendors.models import Vendor

PAGE_SIZE = 25


def _surveys(user):
    return Survey.objects.visible_to(user).select_related("vendor", "submitted_by")


@role_required(*EVERYONE)
def survey_list(request):
    today = timezone.localdate()
    surveys = _surveys(request.user).order_by("due_on", "vendor__name", "direction", "pk")
    if not is_internal(request.user):
        mine = list(surveys)
        context = {
            "to_answer": [survey for survey in mine if not survey.is_submitted],
            "answered": sorted((s for s in mine if s.is_submitted), key=lambda s: s.quarter, reverse=True),
            "today": today,
        }
        return render(request, "relationship/survey_list_vendor.html", context)
    survey_filter = SurveyFilter(request.GET, queryset=surveys, request=request)
    page = Paginator(survey_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "relationship/survey_list.html", {"filter": survey_filter, "page": page, "today": today}
    )


def _page(request, survey, form=None, status=200):
    may_answer = not survey.is_submitted and survey.may_be_answered_by(request.user)
    context = {
        "survey": survey,
        "form": form or (AnswerForm(survey=survey) if may_answer else None),
        "may_answer": may_answer,
        "today": timezone.localdate(),
    }
    return render(request, "relationship/survey_detail.html", context, status=status)


@role_required(*EVERYONE)
def survey_detail(request, pk):
    survey = get_object_or_404(_surveys(request.user), pk=pk)
    if request.method != "POST":
        return _page(request, survey)
    if not survey.may_be_answered_by(request.user):
        raise PermissionDenied
    form = AnswerForm(request.POST, survey=survey)
    if form.is_valid():
        try:
            survey_submit(survey=survey, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Thank you: your answers for {survey.quarter_label} are recorded.")
            return redirect(survey)
    return _page(request, survey, form=form, status=400)


@role_required(*INTERNAL)
def survey_results(request, slug):
    vendor = get_object_or_404(Vendor.objects.visible_to(request.user), slug=slug)
    results = results_of(vendor)
    context = {
        "vendor": vendor,
        "results": results,
        "quarters": list(reversed(results.quarters)),
        "chart": survey_chart(results.quarters),
        "vendor_scores": results.latest("vendor"),
        "fall": FALL,
        "low_score": LOW_SCORE,
    }
    return render(request, "relationship/survey_results.html", context)
