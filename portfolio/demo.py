"""Demo health: computed from the rest of the demo data, after every other app has seeded its part."""

from portfolio.services import refresh_vendor_health


def seed(ctx):
    refresh_vendor_health(today=ctx.today)
