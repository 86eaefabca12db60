"""Who is told: the vendor's internal owner (or every BPO manager when it has none), its staff, leads.

`Directory.load()` reads everyone with a role in one query, so a "what is due" function resolves the
recipients of any number of items without a query per vendor.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model

from accounts.models import Profile, Role


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


@dataclass
class Directory:
    """Active people by role: managers, QA specialists, each vendor's staff, and who leads whom."""

    managers: list[int] = field(default_factory=list)
    qa: list[int] = field(default_factory=list)
    staff: dict[int, list[int]] = field(default_factory=dict)
    leads: dict[int, int] = field(default_factory=dict)

    @classmethod
    def load(cls) -> "Directory":
        directory = cls(staff=defaultdict(list))
        people = (
            Profile.objects.filter(user__is_active=True)
            .order_by("user_id")
            .values_list("user_id", "role", "vendor_id", "reports_to_id")
        )
        for user_id, role, vendor_id, lead_id in people:
            if role == Role.MANAGER:
                directory.managers.append(user_id)
            elif role == Role.QA:
                directory.qa.append(user_id)
            elif role == Role.VENDOR_STAFF:
                directory.staff[vendor_id].append(user_id)
            if lead_id:
                directory.leads[user_id] = lead_id
        return directory

    def accountable(self, vendor) -> list[int]:
        """The vendor's internal owner, or every manager when it has none."""
        return accountable(vendor, self.managers)

    def vendor_staff(self, vendor_id) -> list[int]:
        return list(self.staff.get(vendor_id, ()))

    def lead_of(self, vendor) -> list[int]:
        """The owner's lead (Profile.reports_to); failing that, every manager but the owner."""
        lead = self.leads.get(vendor.owner_id)
        if lead:
            return [lead]
        return [pk for pk in self.managers if pk != vendor.owner_id]

    def escalate_to(self, vendor, told) -> list[int]:
        """One level above whoever was told: the vendor's owner, or the owner's lead when the owner was
        the one told (an internal item they hold themselves)."""
        owners = self.accountable(vendor)
        if set(owners) <= set(told):
            return self.lead_of(vendor)
        return owners
