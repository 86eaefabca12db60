"""Survey pages: vendor staff answer only their own vendor's rating of us and never see ours; operators
answer ours, other internal users read it; a bad answer changes nothing; the results show the trend."""

from datetime import date, datetime

import pytest
import time_machine
from django.urls import reverse

from relationship.models import Direction, Survey
from relationship.surveys import survey_submit
from tests.alerts.days import BERLIN
from tests.factories import VendorFactory
from tests.relationship.factories import SurveyFactory

pytestmark = pytest.mark.django_db
ANSWERS = {
    "communication": "4",
    "responsiveness": "5",
    "clarity": "3",
    "collaboration": "4",
    "comments": "Ok.",
}
SCORES = {"communication": 4, "responsiveness": 5, "clarity": 3, "collaboration": 4}


@pytest.fixture(autouse=True)
def _in_october():
    with time_machine.travel(datetime(2026, 10, 6, 10, 0, tzinfo=BERLIN), tick=False):
        yield


@pytest.fixture
def ours(vendor_a):
    return SurveyFactory(vendor=vendor_a, direction=Direction.COMPANY_RATES_VENDOR)


@pytest.fixture
def theirs(vendor_a):
    return SurveyFactory(vendor=vendor_a, direction=Direction.VENDOR_RATES_COMPANY)


def shown(response):
    """The survey ids a list page shows."""
    return {int(part.split('"')[0]) for part in response.content.decode().split('data-survey="')[1:]}


# Isolation


def test_staff_of_a_see_and_answer_only_their_vendors_rating_of_us(client_for, staff_a, ours, theirs):
    client = client_for(staff_a)
    assert shown(client.get(reverse("relationship:survey_list"))) == {theirs.pk}
    assert client.get(ours.get_absolute_url()).status_code == 404
    assert client.post(ours.get_absolute_url(), ANSWERS).status_code == 404
    page = client.get(theirs.get_absolute_url())
    assert page.status_code == 200
    assert "How clear were our expectations" in page.content.decode()
    assert client.post(theirs.get_absolute_url(), ANSWERS).status_code == 302
    theirs.refresh_from_db()
    assert (theirs.submitted_by, theirs.average) == (staff_a, 4.0)
    ours.refresh_from_db()
    assert not ours.is_submitted


def test_staff_of_b_get_404_on_vendor_as_surveys(client_for, staff_b, ours, theirs):
    client = client_for(staff_b)
    assert shown(client.get(reverse("relationship:survey_list"))) == set()
    for survey in (ours, theirs):
        assert client.get(survey.get_absolute_url()).status_code == 404
        assert client.post(survey.get_absolute_url(), ANSWERS).status_code == 404
    assert Survey.objects.submitted().count() == 0


@pytest.mark.parametrize("reader", ["qa", "pm"])
def test_qa_and_project_managers_read_our_rating_but_cannot_give_it(request, client_for, ours, reader):
    client = client_for(request.getfixturevalue(reader))
    page = client.get(ours.get_absolute_url())
    assert page.status_code == 200
    assert "Submit answers" not in page.content.decode()
    assert client.post(ours.get_absolute_url(), ANSWERS).status_code == 403
    ours.refresh_from_db()
    assert not ours.is_submitted


def test_an_operator_answers_ours_and_internal_users_read_both(client_for, ops, qa, staff_a, ours, theirs):
    page = client_for(ops).get(ours.get_absolute_url())
    assert "How well did the vendor keep us informed" in page.content.decode()
    assert client_for(ops).post(ours.get_absolute_url(), ANSWERS).status_code == 302
    survey_submit(survey=theirs, by=staff_a, **SCORES, comments="Clear targets, slow answers.")
    page = client_for(qa).get(theirs.get_absolute_url()).content.decode()
    assert "Clear targets, slow answers." in page
    assert "Submit answers" not in page


def test_a_second_submission_is_refused_with_a_message(client_for, ops, manager, ours):
    assert client_for(ops).post(ours.get_absolute_url(), ANSWERS).status_code == 302
    response = client_for(manager).post(ours.get_absolute_url(), {**ANSWERS, "communication": "1"})
    assert response.status_code == 400
    assert "already been answered" in response.content.decode()
    ours.refresh_from_db()
    assert (ours.communication, ours.submitted_by) == (4, ops)


# Validation


@pytest.mark.parametrize(
    "answers",
    [
        {**ANSWERS, "clarity": "0"},
        {**ANSWERS, "clarity": "6"},
        {key: value for key, value in ANSWERS.items() if key != "clarity"},
        {"comments": "No scores at all."},
    ],
)
def test_a_bad_answer_re_renders_the_form_and_saves_nothing(client_for, staff_a, theirs, answers):
    response = client_for(staff_a).post(theirs.get_absolute_url(), answers)
    assert response.status_code == 400
    assert "Submit answers" in response.content.decode()
    theirs.refresh_from_db()
    assert not theirs.is_submitted


# The list


def test_internal_list_shows_pending_by_default_and_filters(client_for, ops, ours, theirs, vendor_b):
    other = SurveyFactory(vendor=vendor_b, quarter=date(2026, 4, 1), opened_on=date(2026, 7, 1))
    survey_submit(survey=ours, by=ops, **SCORES)
    client = client_for(ops)
    url = reverse("relationship:survey_list")
    assert shown(client.get(url)) == {theirs.pk, other.pk}
    assert shown(client.get(url, {"state": "submitted"})) == {ours.pk}
    assert shown(client.get(url, {"state": "all", "vendor": vendor_b.pk})) == {other.pk}
    assert shown(client.get(url, {"state": "all", "quarter": "2026-07-01"})) == {ours.pk, theirs.pk}
    assert shown(client.get(url, {"state": "all", "direction": Direction.VENDOR_RATES_COMPANY})) == {
        theirs.pk
    }


def surveys_for(count, staff_vendor):
    """`count` surveys of each side over as many vendors, the staff's vendor among them."""
    vendors = [staff_vendor, *VendorFactory.create_batch(count - 1)]
    for index, vendor in enumerate(vendors):
        SurveyFactory(vendor=vendor, direction=Direction.COMPANY_RATES_VENDOR)
        SurveyFactory(
            vendor=staff_vendor,
            direction=Direction.VENDOR_RATES_COMPANY,
            quarter=date(2026 - index // 4, 1 + 3 * (index % 4), 1),
        )


# Session, user, profile and the surveys; internal users add the page count and the filter's vendors
# and quarters.
@pytest.mark.parametrize("count", [1, 20])
@pytest.mark.parametrize(("persona", "queries"), [("ops", 7), ("staff_a", 4)])
def test_the_survey_list_costs_the_same_queries_at_any_size(
    request, client_for, django_assert_num_queries, vendor_a, count, persona, queries
):
    client = client_for(request.getfixturevalue(persona))
    surveys_for(count, vendor_a)
    url = reverse("relationship:survey_list")
    with django_assert_num_queries(queries):
        # The one side each sees whole on a page: our ratings for us, theirs of us for the staff.
        response = client.get(url, {"state": "all", "direction": Direction.COMPANY_RATES_VENDOR})
    assert len(shown(response)) == count


# Results and trend


def answered(survey, by, *scores, when=None):
    with time_machine.travel(when or datetime(2026, 10, 6, 10, 0, tzinfo=BERLIN), tick=False):
        survey_submit(survey=survey, by=by, **dict(zip(SCORES, scores, strict=True)))


def test_results_show_each_quarter_the_change_and_a_falling_score(client_for, qa, ops, staff_a, vendor_a):
    q2 = {
        d: SurveyFactory(vendor=vendor_a, direction=d, quarter=date(2026, 4, 1), opened_on=date(2026, 7, 1))
        for d in Direction.values
    }
    q3 = {d: SurveyFactory(vendor=vendor_a, direction=d) for d in Direction.values}
    answered(q2[Direction.COMPANY_RATES_VENDOR], ops, 5, 4, 5, 4)  # 4.50
    answered(q3[Direction.COMPANY_RATES_VENDOR], ops, 4, 3, 4, 4)  # 3.75
    answered(q2[Direction.VENDOR_RATES_COMPANY], staff_a, 4, 4, 4, 4)
    answered(
        q3[Direction.VENDOR_RATES_COMPANY],
        staff_a,
        3,
        3,
        3,
        3,
        when=datetime(2026, 10, 20, 9, 0, tzinfo=BERLIN),
    )
    page = client_for(qa).get(reverse("relationship:survey_results", kwargs={"slug": vendor_a.slug}))
    html = page.content.decode()
    assert page.status_code == 200
    q3_row = html.split('data-quarter="2026-07-01"')[1].split("</tr>")[0]
    assert "3.75" in q3_row and "−0.75" in q3_row and "−1.00" in q3_row and "late" in q3_row
    assert 'data-testid="company-falling"' in html
    assert "rating of us went from 4.00 to 3.00" in html
    assert "<svg" in html and "Q3 2026: we rated them 3.75 of 5" in html


def test_results_without_answers_show_no_chart_and_no_warning(client_for, manager, vendor_a, ours):
    html = client_for(manager).get(reverse("relationship:survey_results", kwargs={"slug": vendor_a.slug}))
    html = html.content.decode()
    assert "No survey answered yet." in html and "Not answered" in html
    assert "company-falling" not in html and "<svg" not in html


def test_the_vendor_page_links_internal_users_to_the_results(client_for, qa, staff_a, vendor_a):
    results = reverse("relationship:survey_results", kwargs={"slug": vendor_a.slug})
    assert results in client_for(qa).get(vendor_a.get_absolute_url()).content.decode()
    staff_page = client_for(staff_a).get(vendor_a.get_absolute_url())
    assert staff_page.status_code == 200
    assert results not in staff_page.content.decode()
