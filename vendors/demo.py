"""Demo vendors, their contracts, contacts, certifications, onboarding, one exit, and one vendor-staff
login each."""

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model

from accounts.models import Profile, Role
from vendors import demo_exit
from vendors.demo_onboarding import seed_onboarding
from vendors.demo_records import seed_records
from vendors.models import Contract, PricingModel, Service, Vendor

SERVICES = [
    ("customer-support", "Customer support"),
    ("back-office", "Back office"),
    ("data-entry", "Data entry"),
    ("technical-support", "Technical support"),
    ("collections", "Collections"),
    ("content-moderation", "Content moderation"),
]

# name, services, locations, time zone, languages, status
NAMED_VENDORS = [
    ("Northwind Contact", ["customer-support"], "Manila, Cebu", "Asia/Manila", "English, Tagalog", "active"),
    (
        "Atlas Back Office",
        ["back-office", "data-entry"],
        "Kraków",
        "Europe/Warsaw",
        "English, Polish, German",
        "active",
    ),
    ("Keystroke Data Services", ["data-entry"], "Pune", "Asia/Kolkata", "English, Hindi", "on_watch"),
    (
        "Helios Tech Support",
        ["technical-support", "customer-support"],
        "Cape Town",
        "Africa/Johannesburg",
        "English, Afrikaans",
        "active",
    ),
    ("Meridian Collections", ["collections"], "Bogotá", "America/Bogota", "Spanish, English", "onboarding"),
    (
        "Clearview Moderation",
        ["content-moderation"],
        "Lisbon",
        "Europe/Lisbon",
        "Portuguese, English, Spanish",
        "prospect",
    ),
]

OBJECTIVES = (
    "Resolve 80% of contacts at first touch, keep CSAT above 85%, "
    "and cut cost per contact by 10% within the first year."
)


def _vendor_specs(count, rng):
    specs = list(NAMED_VENDORS[:count])
    zones = ["Asia/Manila", "Europe/Warsaw", "Asia/Kolkata", "Africa/Johannesburg", "America/Bogota"]
    for number in range(len(specs) + 1, count + 1):
        service = SERVICES[number % len(SERVICES)][0]
        status = rng.choice(["active", "active", "active", "onboarding", "on_watch"])
        specs.append(
            (f"Vendor {number:04d} Ltd", [service], "Remote", zones[number % len(zones)], "English", status)
        )
    return specs


def _slug(name):
    return name.lower().replace(" ", "-")


def seed(ctx):
    services = {}
    for code, name in SERVICES:
        services[code], _ = Service.objects.get_or_create(code=code, defaults={"name": name})

    specs = _vendor_specs(ctx.vendor_count, ctx.rng)
    owners = [ctx.users["manager"], ctx.users["lead"]]
    Vendor.objects.bulk_create(
        [
            Vendor(
                name=name,
                slug=_slug(name),
                locations=locations,
                time_zone=tz,
                languages=languages,
                status=status,
                owner=owners[index % 2],
                objectives=OBJECTIVES,
            )
            for index, (name, _services, locations, tz, languages, status) in enumerate(specs)
        ],
        ignore_conflicts=True,
    )
    by_slug = Vendor.objects.in_bulk([_slug(spec[0]) for spec in specs], field_name="slug")
    ctx.vendors = [by_slug[_slug(spec[0])] for spec in specs]

    Through = Vendor.services.through
    Through.objects.bulk_create(
        [
            Through(vendor_id=vendor.pk, service_id=services[code].pk)
            for vendor, spec in zip(ctx.vendors, specs, strict=True)
            for code in spec[1]
        ],
        ignore_conflicts=True,
    )
    _seed_contracts(ctx)
    _seed_staff(ctx)
    seed_records(ctx)
    seed_onboarding(ctx)
    demo_exit.seed(ctx)


def _seed_contracts(ctx):
    contracts = []
    for index, vendor in enumerate(ctx.vendors):
        start = ctx.today.replace(day=1) - timedelta(days=30 * (ctx.months + index % 6))
        monthly_fee = Decimal(20000 + 5000 * (index % 7))
        contracts.append(
            Contract(
                vendor=vendor,
                reference=f"MSA-{2024 + index % 3}-{index + 1:04d}",
                start_date=start,
                end_date=start + timedelta(days=730 + 30 * (index % 4)),
                renewal_notice_days=90,
                auto_renew=index % 3 == 0,
                monthly_fee=monthly_fee,
                value=monthly_fee * 24,
                currency="EUR",
                pricing_model=[PricingModel.PER_FTE, PricingModel.PER_TRANSACTION, PricingModel.FIXED][
                    index % 3
                ],
                service_credit_terms="2% of the monthly fee per breached KPI, capped at 10%.",
                next_review_date=ctx.today + timedelta(days=20 + 37 * (index % 9)),
            )
        )
    Contract.objects.bulk_create(contracts, ignore_conflicts=True)


def _seed_staff(ctx):
    User = get_user_model()
    usernames = [f"staff-{vendor.slug}" for vendor in ctx.vendors]
    User.objects.bulk_create(
        [
            User(
                username=username,
                email=f"{username}@vendor.example",
                password=ctx.password_hash,
                first_name="Vendor",
                last_name=vendor.name.split()[0],
            )
            for username, vendor in zip(usernames, ctx.vendors, strict=True)
        ],
        ignore_conflicts=True,
    )
    users = User.objects.in_bulk(usernames, field_name="username")
    Profile.objects.bulk_create(
        [
            Profile(user=users[username], role=Role.VENDOR_STAFF, vendor=vendor, job_title="Team lead")
            for username, vendor in zip(usernames, ctx.vendors, strict=True)
        ],
        ignore_conflicts=True,
    )
    for username, vendor in zip(usernames, ctx.vendors, strict=True):
        ctx.users[username] = users[username]
        ctx.logins.append(f"{username:<28} Vendor staff, {vendor.name}")
