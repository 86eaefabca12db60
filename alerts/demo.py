"""Demo alerts: the daily job's alerts for the demo's reference date, so the demo manager has a
notification list and an alert log to look at. Idempotent by construction: the alert key."""

from alerts import registry, services


def seed(ctx):
    services.raise_alerts(registry.due_in_job("daily", ctx.today))
