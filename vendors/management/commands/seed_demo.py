"""Build the demo portfolio: every app's `demo.seed(ctx)`, in INSTALLED_APPS order.

Deterministic (a fixed random seed and a reference date) and idempotent: each app's seed upserts by
natural keys, so running it twice changes nothing.
"""

import random
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.demo import DEMO_PASSWORD


@dataclass
class DemoContext:
    vendor_count: int
    months: int
    today: date
    rng: random.Random = field(default_factory=lambda: random.Random(20261125))
    users: dict = field(default_factory=dict)
    vendors: list = field(default_factory=list)
    logins: list = field(default_factory=list)
    password_hash: str = ""

    def is_steady(self, vendor) -> bool:
        """Every third vendor is a steady partner: targets met, work on time, reviews signed. The other
        vendors carry the problems the demo shows; together the portfolio has green, amber and red."""
        return vendor.pk in self._steady_ids

    @cached_property
    def _steady_ids(self):
        return {vendor.pk for vendor in self.vendors[::3]}


class Command(BaseCommand):
    help = "Load a realistic, deterministic demo portfolio (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument("--vendors", type=int, default=6)
        parser.add_argument("--months", type=int, default=15)
        parser.add_argument(
            "--today", type=date.fromisoformat, default=None, help="Reference date, YYYY-MM-DD."
        )

    def handle(self, *args, vendors, months, today, **options):
        if vendors < 1 or months < 1:
            raise CommandError("--vendors and --months must be at least 1.")
        ctx = DemoContext(vendor_count=vendors, months=months, today=today or timezone.localdate())
        with transaction.atomic():
            for app in apps.get_app_configs():
                if find_spec(f"{app.name}.demo") is not None:
                    import_module(f"{app.name}.demo").seed(ctx)
                    self.stdout.write(f"  {app.verbose_name}: done")
        self.stdout.write(self.style.SUCCESS(f"Demo portfolio ready: {len(ctx.vendors)} vendors."))
        self.stdout.write(f"Log in with password '{DEMO_PASSWORD}' as one of:")
        for login in ctx.logins[:12]:
            self.stdout.write(f"  {login}")
        if len(ctx.logins) > 12:
            self.stdout.write(f"  … and {len(ctx.logins) - 12} more vendor staff (staff-<vendor-slug>)")
