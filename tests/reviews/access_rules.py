"""Who may open each reviews URL. Objects belong to vendor A; staff of vendor B get 404."""

from datetime import date

from accounts.models import Role
from tests.access import (
    ANY_ROLE,
    INTERNAL_ONLY,
    INTERNAL_PERSONAS,
    MANAGER_AND_STAFF_A,
    MANAGER_ONLY,
    QA_ONLY,
    STAFF_OF_A,
    VENDOR_A,
    Rule,
)
from tests.factories import make_user
from tests.reviews import rules_meetings
from tests.reviews.factories import ActionItemFactory, ReviewFactory, RiskFactory, make_audit, make_scorecard

# Vendor staff only, and only for their own vendor's objects.
# The manager and vendor A's staff (signing, action item progress).
SIGNERS_OF_A = MANAGER_AND_STAFF_A
# POSTs that redirect after doing their work (or after a friendly refusal).
STAFF_OF_A_REDIRECT = {**STAFF_OF_A, "staff_a": 302}
QA_REDIRECT = {**QA_ONLY, "qa": 302}
MANAGER_REDIRECT = {**MANAGER_ONLY, "manager": 302}
SIGNERS_REDIRECT = {**SIGNERS_OF_A, "manager": 302, "staff_a": 302}


def setup(world):
    author = make_user("quinn-author", Role.QA)
    world.version = make_scorecard(author)
    world.audit = make_audit(auditor=author, vendor=world.vendor_a, version=world.version)
    world.dispute = world.audit.disputes.create(raised_by=world.staff_a, reason="Greeting was given.")
    world.review = ReviewFactory(vendor=world.vendor_a)
    world.item = ActionItemFactory(review=world.review)
    world.plan = world.review.improvement_plans.create(
        vendor=world.vendor_a,
        goal="Lift FCR",
        actions="Coaching",
        deadline=date(2027, 1, 31),
        opened_by=author,
    )
    world.risk = RiskFactory(vendor=world.vendor_a, owner=author)
    rules_meetings.setup(world)


def audit(world):
    return {"pk": world.audit.pk}


def review(world):
    return {"pk": world.review.pk}


RULES = {
    "reviews:audit_list": Rule(ANY_ROLE),
    "reviews:audit_create": Rule(QA_ONLY),
    "reviews:audit_score_preview": Rule(
        QA_ONLY, method="post", data=lambda world: {"version": world.version.pk}
    ),
    "reviews:failure_rates": Rule(INTERNAL_ONLY),
    "reviews:audit_detail": Rule(VENDOR_A, kwargs=audit),
    "reviews:audit_evidence": Rule(
        {**VENDOR_A, **dict.fromkeys(INTERNAL_PERSONAS, 404), "staff_a": 404}, kwargs=audit
    ),
    "reviews:audit_dispute": Rule(STAFF_OF_A, kwargs=audit),
    "reviews:audit_void": Rule({**QA_ONLY, "qa": 302}, kwargs=audit, method="post"),
    "reviews:dispute_decide": Rule(QA_ONLY, kwargs=lambda world: {"pk": world.dispute.pk}),
    "reviews:template_list": Rule(INTERNAL_ONLY),
    "reviews:template_create": Rule(QA_ONLY),
    "reviews:template_detail": Rule(INTERNAL_ONLY, kwargs=lambda world: {"pk": world.version.template_id}),
    "reviews:template_edit": Rule(QA_ONLY, kwargs=lambda world: {"pk": world.version.template_id}),
    "reviews:template_archive": Rule(
        QA_REDIRECT, kwargs=lambda world: {"pk": world.version.template_id}, method="post"
    ),
    "reviews:review_list": Rule(ANY_ROLE),
    "reviews:review_create": Rule(MANAGER_ONLY),
    "reviews:review_detail": Rule(VENDOR_A, kwargs=review),
    "reviews:review_edit": Rule(
        MANAGER_REDIRECT, kwargs=review, method="post", data=lambda world: {"notes": "Fine", "rating": "4"}
    ),
    "reviews:action_item_add": Rule(
        MANAGER_REDIRECT,
        kwargs=review,
        method="post",
        data=lambda world: {"title": "Coach", "owner": "vendor", "due_date": "2026-12-01"},
    ),
    "reviews:review_sign": Rule(SIGNERS_REDIRECT, kwargs=review, method="post"),
    "reviews:review_revise": Rule(MANAGER_REDIRECT, kwargs=review, method="post"),
    "reviews:improvement_plan_open": Rule({**MANAGER_ONLY, "manager": 400}, kwargs=review, method="post"),
    "reviews:improvement_plan_close": Rule(
        {**MANAGER_REDIRECT, "staff_a": 403}, kwargs=lambda world: {"pk": world.plan.pk}, method="post"
    ),
    "reviews:review_print": Rule(VENDOR_A, kwargs=review),
    "reviews:review_pdf": Rule(VENDOR_A, kwargs=review),
    "reviews:action_item_update": Rule(
        {**SIGNERS_OF_A, "ops": 200}, kwargs=lambda world: {"pk": world.item.pk}
    ),
    "reviews:risk_list": Rule(INTERNAL_ONLY),
    "reviews:risk_create": Rule(INTERNAL_ONLY),
    "reviews:risk_detail": Rule(INTERNAL_ONLY, kwargs=lambda world: {"pk": world.risk.pk}),
    "reviews:risk_edit": Rule(INTERNAL_ONLY, kwargs=lambda world: {"pk": world.risk.pk}),
    **rules_meetings.RULES,
}
