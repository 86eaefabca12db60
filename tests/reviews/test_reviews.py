"""Periodic reviews: created on schedule, prepared from data, signed off and then read-only."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from kpis.models import KPI, SLA, SLATarget
from reviews import services
from reviews.models import ActionItem, ActionItemStatus, ImprovementPlan, Owner, Review, ReviewStatus
from tests.factories import ContractFactory, OnboardingPlanFactory, OnboardingTaskFactory, VendorFactory
from tests.reviews.factories import ActionItemFactory, ReviewFactory, RiskFactory, make_audit, make_scorecard
from vendors.models import TaskStatus, VendorStatus

TODAY = date(2026, 11, 10)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


def test_create_due_reviews_is_idempotent_and_follows_cadence(db):
    monthly = VendorFactory(name="Monthly Co")
    quarterly = VendorFactory(name="Quarterly Co", review_cadence="quarterly")
    watched = VendorFactory(name="Watched Co", status=VendorStatus.ON_WATCH)
    VendorFactory(name="Prospect Co", status=VendorStatus.PROSPECT)
    assert services.create_due_reviews(TODAY) == 3
    assert services.create_due_reviews(TODAY) == 0
    assert services.create_due_reviews(date(2026, 11, 28)) == 0
    periods = {r.vendor: (r.period_start, r.period_end) for r in Review.objects.all()}
    assert periods == {
        monthly: (date(2026, 10, 1), date(2026, 10, 31)),
        watched: (date(2026, 10, 1), date(2026, 10, 31)),
        quarterly: (date(2026, 7, 1), date(2026, 9, 30)),
    }
    assert services.create_due_reviews(date(2026, 12, 1)) == 2  # November's, for the monthly vendors


def test_one_current_review_per_vendor_and_period_in_the_database(vendor_a):
    ReviewFactory(vendor=vendor_a)
    with pytest.raises(IntegrityError):
        ReviewFactory(vendor=vendor_a)


def test_rating_is_checked_by_the_database(vendor_a):
    with pytest.raises(IntegrityError):
        ReviewFactory(vendor=vendor_a, rating=6)


def test_manager_creates_a_review_by_hand_and_duplicates_are_refused(client_for, manager, vendor_a):
    url = reverse("reviews:review_create")
    response = client_for(manager).post(url, {"vendor": vendor_a.pk, "period": "2026-09"})
    review = Review.objects.get()
    assert response.status_code == 302 and (review.period_start, review.created_by) == (
        date(2026, 9, 1),
        manager,
    )
    again = client_for(manager).post(url, {"vendor": vendor_a.pk, "period": "2026-09"})
    assert "already exists" in str(again.context["form"].non_field_errors())
    bad = client_for(manager).post(url, {"vendor": 999999, "period": "September"})
    assert set(bad.context["form"].errors) == {"vendor", "period"}
    assert Review.objects.count() == 1


def test_review_is_prepared_from_the_data(client_for, manager, qa, vendor_a, vendor_b):
    contract = ContractFactory(
        vendor=vendor_a,
        end_date=date(2027, 1, 31),
        renewal_notice_days=60,
        next_review_date=date(2026, 11, 20),
    )
    sla = SLA.objects.create(vendor=vendor_a, contract=contract, name="Support SLA")
    SLATarget.objects.create(
        sla=sla,
        kpi=KPI.objects.get(code="qa-score"),
        target=90,
        warning_threshold=85,
        breach_threshold=75,
        effective_from=date(2026, 1, 1),
    )
    version = make_scorecard(qa)
    make_audit(auditor=qa, vendor=vendor_a, version=version)
    make_audit(
        auditor=qa, vendor=vendor_a, version=version, answers={"Greeting": 0, "Verification": 0, "Tone": 2}
    )
    make_audit(auditor=qa, vendor=vendor_b, version=version, answers={"Data protection": 0})
    earlier = ReviewFactory(vendor=vendor_a, period_start=date(2026, 9, 1), period_end=date(2026, 9, 30))
    ActionItemFactory(review=earlier, title="Refresh data-protection training", due_date=date(2026, 10, 31))
    ActionItemFactory(
        review=earlier, title="Done already", due_date=date(2026, 10, 1), status=ActionItemStatus.DONE
    )
    RiskFactory(vendor=vendor_a, owner=manager, title="Agent attrition", likelihood=4, impact=4)
    RiskFactory(vendor=vendor_a, owner=manager, title="Closed one", status="closed")
    RiskFactory(vendor=vendor_b, owner=manager, title="Other vendor's risk")
    plan = OnboardingPlanFactory(vendor=vendor_a)
    OnboardingTaskFactory(plan=plan, title="Grant CRM access", due_date=date(2026, 11, 3))
    OnboardingTaskFactory(plan=plan, title="Not due yet", due_date=date(2026, 12, 3))
    OnboardingTaskFactory(
        plan=plan,
        title="Done late",
        due_date=date(2026, 11, 1),
        status=TaskStatus.DONE,
        completed_at=timezone.now(),
        completed_by=manager,
    )
    OnboardingTaskFactory(
        plan=OnboardingPlanFactory(vendor=vendor_b), title="B's task", due_date=date(2026, 11, 3)
    )
    review = ReviewFactory(vendor=vendor_a)

    pack = client_for(manager).get(review.get_absolute_url()).context["pack"]

    [row] = pack["scorecards"][0]["rows"]
    assert (row["kpi"], row["target"], row["actual"], row["variance"], row["status"]) == (
        "QA score",
        "90.00",
        "79.00",
        "-11.00",
        "warning",
    )
    audits = pack["audits"]
    assert (audits["count"], audits["average"], audits["pass_rate"], audits["critical_fails"]) == (
        2,
        "79.0",
        "50.0",
        0,
    )
    assert [w["criterion"] for w in audits["weakest"]] == ["Greeting", "Tone", "Verification"]
    assert [a["title"] for a in pack["overdue_actions"]] == ["Refresh data-protection training"]
    assert pack["overdue_actions"][0]["days_overdue"] == 10
    assert [(t["title"], t["days_overdue"]) for t in pack["overdue_onboarding"]] == [("Grant CRM access", 7)]
    assert [(r["title"], r["score"], r["band"]) for r in pack["risks"]] == [
        ("Agent attrition", 16, "critical")
    ]
    assert [(c["what"], c["days"]) for c in pack["contract_dates"]] == [
        ("Contract review", 10),
        ("Renewal notice deadline", 22),
        ("Contract ends", 82),
    ]


def test_vendor_staff_do_not_get_the_internal_risk_register(client_for, staff_a, manager, vendor_a):
    RiskFactory(vendor=vendor_a, owner=manager, title="Agent attrition")
    review = ReviewFactory(vendor=vendor_a)
    response = client_for(staff_a).get(review.get_absolute_url())
    assert response.context["pack"]["risks"] is None
    assert b"Agent attrition" not in response.content
    pdf = client_for(staff_a).get(reverse("reviews:review_pdf", args=[review.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_sign_off_locks_the_review_in_services_and_views(client_for, manager, staff_a, vendor_a):
    review = ReviewFactory(vendor=vendor_a, notes="Solid month")
    manager_client = client_for(manager)
    manager_client.post(
        reverse("reviews:action_item_add", args=[review.pk]),
        {
            "title": "Coach on greeting",
            "owner": "vendor",
            "owner_name": "Team lead",
            "due_date": "2026-12-15",
        },
    )
    manager_client.post(reverse("reviews:review_sign", args=[review.pk]))
    review.refresh_from_db()
    assert review.status == ReviewStatus.AWAITING_VENDOR and review.snapshot is not None
    # Content is frozen from the first signature: the view refuses and nothing changes.
    response = manager_client.post(
        reverse("reviews:review_edit", args=[review.pk]), {"notes": "Changed", "rating": "2"}, follow=True
    )
    assert "start a new revision to change it" in response.content.decode()
    manager_client.post(
        reverse("reviews:action_item_add", args=[review.pk]),
        {"title": "Sneaky", "owner": "internal", "due_date": "2026-12-15"},
    )
    client_for(staff_a).post(reverse("reviews:review_sign", args=[review.pk]))
    review.refresh_from_db()
    assert review.status == ReviewStatus.SIGNED_OFF and review.vendor_signed_by == staff_a
    assert review.notes == "Solid month" and review.action_items.count() == 1
    with pytest.raises(ValidationError):
        services.update_review(review=review, notes="x", decisions="", rating=1)
    with pytest.raises(ValidationError):
        services.sign_review(review=review, user=manager)

    # A new revision is a draft copy; the signed one is kept, superseded.
    response = client_for(manager).post(reverse("reviews:review_revise", args=[review.pk]))
    revision = Review.objects.get(revision=2)
    assert response.url == revision.get_absolute_url()
    review.refresh_from_db()
    assert review.status == ReviewStatus.SUPERSEDED
    assert (revision.status, revision.notes, revision.action_items.count()) == (
        ReviewStatus.DRAFT,
        "Solid month",
        1,
    )


def test_signed_snapshot_does_not_move_when_data_changes(manager, staff_a, vendor_a):
    review = ReviewFactory(vendor=vendor_a)
    services.sign_review(review=review, user=manager)
    RiskFactory(vendor=vendor_a, owner=manager, title="New risk after signing")
    review.refresh_from_db()
    from reviews.selectors import review_pack

    assert review_pack(review, today=TODAY, internal=True)["risks"] == []


def test_vendor_staff_update_their_own_action_items_only(client_for, staff_a, staff_b, vendor_a, vendor_b):
    review = ReviewFactory(vendor=vendor_a)
    ours = ActionItemFactory(review=review, owner=Owner.VENDOR)
    internal = ActionItemFactory(review=review, owner=Owner.INTERNAL)
    other = ActionItemFactory(review=ReviewFactory(vendor=vendor_b), owner=Owner.VENDOR)
    client = client_for(staff_a)
    data = {"status": "in_progress", "progress_comment": "Coaching booked"}
    assert client.post(reverse("reviews:action_item_update", args=[ours.pk]), data).status_code == 302
    assert client.post(reverse("reviews:action_item_update", args=[internal.pk]), data).status_code == 403
    assert client.post(reverse("reviews:action_item_update", args=[other.pk]), data).status_code == 404
    assert client.get(reverse("reviews:review_detail", args=[other.review_id])).status_code == 404
    assert client.post(reverse("reviews:review_sign", args=[other.review_id])).status_code == 404
    statuses = dict(ActionItem.objects.values_list("pk", "status"))
    assert statuses == {ours.pk: "in_progress", internal.pk: "open", other.pk: "open"}
    bad = client.post(reverse("reviews:action_item_update", args=[ours.pk]), {"status": "finished"})
    assert bad.status_code == 400 and "status" in bad.context["form"].errors
    assert ActionItem.objects.get(pk=ours.pk).history.count() == 2


def test_action_item_progress_continues_after_sign_off(client_for, manager, staff_a, vendor_a):
    review = ReviewFactory(vendor=vendor_a)
    item = ActionItemFactory(review=review)
    services.sign_review(review=review, user=manager)
    services.sign_review(review=review, user=staff_a)
    response = client_for(staff_a).post(
        reverse("reviews:action_item_update", args=[item.pk]),
        {"status": "done", "progress_comment": "Done"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and b"Saved" in response.content
    item.refresh_from_db()
    assert item.status == "done"


def test_improvement_plan_puts_the_vendor_on_watch(client_for, manager, vendor_a):
    review = ReviewFactory(vendor=vendor_a)
    url = reverse("reviews:improvement_plan_open", args=[review.pk])
    bad = client_for(manager).post(url, {"goal": "Lift QA", "actions": "Coaching", "deadline": "2026-01-01"})
    assert bad.status_code == 400 and not ImprovementPlan.objects.exists()
    client_for(manager).post(
        url, {"goal": "Lift QA to 90%", "actions": "Weekly calibration", "deadline": "2027-02-28"}
    )
    vendor_a.refresh_from_db()
    plan = ImprovementPlan.objects.get()
    assert vendor_a.status == VendorStatus.ON_WATCH and plan.review == review
    client_for(manager).post(
        reverse("reviews:improvement_plan_close", args=[plan.pk]), {"status": "completed"}
    )
    vendor_a.refresh_from_db()
    assert vendor_a.status == VendorStatus.ACTIVE


def test_print_page_and_pdf(client_for, manager, vendor_a):
    review = ReviewFactory(vendor=vendor_a, notes="Strong month", rating=4)
    page = client_for(manager).get(reverse("reviews:review_print", args=[review.pk]))
    assert b"Performance review" in page.content and b"Strong month" in page.content
    pdf = client_for(manager).get(reverse("reviews:review_pdf", args=[review.pk]))
    assert pdf.content.startswith(b"%PDF") and pdf["Content-Disposition"].startswith("attachment;")
    assert Decimal(len(pdf.content)) > 1000


def test_vendor_signs_after_the_manager(client_for, staff_a, vendor_a):
    review = ReviewFactory(vendor=vendor_a)
    response = client_for(staff_a).post(reverse("reviews:review_sign", args=[review.pk]), follow=True)
    assert "The manager signs first" in response.content.decode()
    review.refresh_from_db()
    assert review.status == ReviewStatus.DRAFT and review.vendor_signed_at is None and review.snapshot is None
