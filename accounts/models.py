"""People and their role: one of the internal roles, or staff of exactly one vendor."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Role(models.TextChoices):
    MANAGER = "manager", "BPO manager"
    QA = "qa", "QA specialist"
    OPERATIONS = "operations", "Operations specialist"
    PROJECT_MANAGER = "project_manager", "Project manager"
    VENDOR_STAFF = "vendor_staff", "Vendor staff"


# The company's own people; everyone else is staff of one vendor (or has no role, and sees nothing).
INTERNAL_ROLES = (Role.MANAGER, Role.QA, Role.OPERATIONS, Role.PROJECT_MANAGER)


def internal_people() -> Q:
    """Users who hold an internal role: a filter, and `limit_choices_to` for fields that name one."""
    return Q(profile__role__in=INTERNAL_ROLES)


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    role = models.CharField(max_length=20, choices=Role.choices)
    vendor = models.ForeignKey(
        "vendors.Vendor", on_delete=models.PROTECT, null=True, blank=True, related_name="staff_profiles"
    )
    job_title = models.CharField(max_length=100, blank=True)
    reports_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="direct_reports",
        limit_choices_to={"profile__role": Role.MANAGER},
        help_text="Their lead: told when a review they own is missed.",
    )
    # Who this person is at the identity provider: "<issuer>|<subject>", the only stable identity an
    # OpenID Connect provider gives (emails and user names can change). Set at the first single
    # sign-on, or by a superuser in the admin to link an existing account (see README, "Single sign-on").
    sso_subject = models.CharField(
        "single sign-on identity",
        max_length=255,
        unique=True,
        null=True,
        blank=True,
        help_text="The identity provider's issuer and subject as issuer|sub, from the log line of a refused "
        "single sign-on. Empty: not linked.",
    )

    class Meta:
        constraints = [
            # Vendor staff belong to exactly one vendor; internal people to none.
            models.CheckConstraint(
                condition=(Q(role=Role.VENDOR_STAFF) & Q(vendor__isnull=False))
                | (~Q(role=Role.VENDOR_STAFF) & Q(vendor__isnull=True)),
                name="profile_vendor_staff_has_vendor",
            )
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()})"
