"""The demo's issues: a handful on the first reviewed vendors, each with its thread, added once."""

from datetime import date

from relationship import demo
from relationship.models import Issue, IssueState
from tests.factories import VendorFactory, make_user
from vendors.management.commands.seed_demo import DemoContext


def test_demo_issues_are_seeded_once(manager, ops, pm, qa):
    ctx = DemoContext(vendor_count=3, months=1, today=date(2026, 11, 15))
    ctx.users = {"manager": manager, "ops": ops, "pm": pm, "qa": qa}
    ctx.vendors = [VendorFactory(name=name) for name in ("North", "Atlas", "Keystroke")]
    for vendor in ctx.vendors:
        ctx.users[f"staff-{vendor.slug}"] = make_user(f"staff-{vendor.slug}", "vendor_staff", vendor=vendor)

    demo.seed(ctx)
    demo.seed(ctx)

    states = sorted(Issue.objects.values_list("vendor__name", "state"))
    assert states == [
        ("Atlas", IssueState.IDENTIFIED),
        ("Keystroke", IssueState.IDENTIFIED),
        ("North", IssueState.DISCUSSED),
        ("North", IssueState.RESOLVED),
    ]
    assert Issue.objects.get(state=IssueState.RESOLVED).agreement
    assert all(issue.comments.first().body == issue.description for issue in Issue.objects.all())
