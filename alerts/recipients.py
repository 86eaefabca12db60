"""Who is told: the vendor's internal owner, or every BPO manager when the vendor has none."""

from django.contrib.auth import get_user_model

from accounts.models import Role


def manager_ids() -> list[int]:
    """Active BPO managers, in one query; callers fetch this once per run, not per vendor."""
    return list(
        get_user_model()
        .objects.filter(is_active=True, profile__role=Role.MANAGER)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def accountable(vendor, managers: list[int]) -> list[int]:
    return [vendor.owner_id] if vendor.owner_id else managers
