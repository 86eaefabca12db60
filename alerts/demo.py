"""Demo alerts: what the daily and monthly jobs raise on the demo's reference date (contract dates,
certifications, onboarding tasks, action items, review reminders), so the demo people have a
notification list and the admin an alert log to look at. Idempotent by construction: the alert key."""

from alerts import registry, services


def seed(ctx):
    for job in registry.JOBS:
        services.raise_alerts(registry.due_in_job(job, ctx.today))
