"""Demo accounts for the internal roles."""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from accounts.models import Profile, Role

INTERNAL_PEOPLE = [
    ("manager", "Maya", "Brennan", Role.MANAGER, "BPO manager"),
    ("lead", "Lars", "Okafor", Role.MANAGER, "Head of vendor management"),
    ("qa", "Quinn", "Alvarez", Role.QA, "QA specialist"),
    ("ops", "Omar", "Haddad", Role.OPERATIONS, "Operations specialist"),
    ("pm", "Priya", "Nair", Role.PROJECT_MANAGER, "Project manager"),
]


DEMO_PASSWORD = "demo"


def seed(ctx):
    User = get_user_model()
    # One hash for every demo user: hashing per user would cost minutes at 1,000 vendors.
    ctx.password_hash = make_password(DEMO_PASSWORD)
    for username, first, last, role, title in INTERNAL_PEOPLE:
        user, _ = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@bporeg.example",
                "password": ctx.password_hash,
            },
        )
        Profile.objects.get_or_create(user=user, defaults={"role": role, "job_title": title})
        ctx.users[username] = user
        if username != "lead":
            ctx.logins.append(f"{username:<28} {role.label}")
    # Lars leads Maya: a review she misses is escalated to him.
    Profile.objects.filter(user=ctx.users["manager"]).update(reports_to=ctx.users["lead"])
