"""Who may open each portfolio URL: the dashboard and health pages are internal; "Refresh now" is the
manager's. Vendor staff have their own vendor's page instead."""

from portfolio.services import refresh_vendor_health
from tests.access import INTERNAL_ONLY, MANAGER_ONLY, Rule


def setup(world):
    refresh_vendor_health()


RULES = {
    "portfolio:dashboard": Rule(INTERNAL_ONLY),
    "portfolio:vendor": Rule(INTERNAL_ONLY, kwargs=lambda world: {"slug": world.vendor_a.slug}),
    "portfolio:refresh": Rule({**MANAGER_ONLY, "manager": 302}, method="post"),
}
