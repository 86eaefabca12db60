"""The demo surveys: four answered quarters and the latest one pending for each surveyed vendor, an
on-watch vendor's falling rating raising the flag; a second run adds nothing."""

from datetime import date

import pytest

from accounts.models import Role
from portfolio.facts import gather
from portfolio.flags import red_flags
from relationship import demo_surveys
from relationship.models import Survey
from relationship.surveys import survey_results
from tests.factories import VendorFactory, make_user
from vendors.management.commands.seed_demo import DemoContext
from vendors.models import VendorStatus

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 15)


@pytest.fixture
def ctx():
    ctx = DemoContext(vendor_count=3, months=15, today=TODAY)
    statuses = [VendorStatus.ACTIVE, VendorStatus.ON_WATCH, VendorStatus.PROSPECT]
    ctx.vendors = [VendorFactory(name=f"Demo {status}", status=status) for status in statuses]
    ctx.users["ops"] = make_user("ops", Role.OPERATIONS)
    for vendor in ctx.vendors:
        ctx.users[f"staff-{vendor.slug}"] = make_user(
            f"staff-{vendor.slug}", Role.VENDOR_STAFF, vendor=vendor
        )
    return ctx


def test_demo_surveys_show_a_trend_a_falling_score_and_the_pending_quarter(ctx):
    demo_surveys.seed(ctx)
    active, watched, prospect = ctx.vendors
    assert Survey.objects.filter(vendor=prospect).count() == 0
    for vendor in (active, watched):
        assert Survey.objects.filter(vendor=vendor).submitted().count() == 8
        assert set(Survey.objects.filter(vendor=vendor).pending().values_list("quarter", flat=True)) == {
            date(2026, 7, 1)
        }
    facts = gather([active, watched], TODAY)
    assert "falling_relationship" in [flag.code for flag in red_flags(facts[watched.pk])]
    assert "falling_relationship" not in [flag.code for flag in red_flags(facts[active.pk])]
    results = survey_results(active)
    assert (results.company_falling, results.vendor_falling) == (False, True)
    count = Survey.objects.count()
    demo_surveys.seed(ctx)
    assert Survey.objects.count() == count
