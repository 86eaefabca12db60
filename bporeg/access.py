"""Who may see what: roles, the vendor scoping every query goes through, and view guards.

One door: every model that belongs to a vendor gets its rows through `visible_to(user)`. Internal
roles (BPO manager, QA specialist, operations specialist, project manager) see the whole portfolio;
vendor staff see only their own vendor; anyone else sees nothing. Views look objects up in that scoped
queryset, so another vendor's id is a 404.
"""

from functools import wraps

from django.conf import settings
from django.contrib.auth.mixins import AccessMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models

from accounts.models import INTERNAL_ROLES, Role


def role_of(user) -> Role | None:
    if not getattr(user, "is_authenticated", False):
        return None
    profile = getattr(user, "profile", None)
    if profile is not None:
        return Role(profile.role)
    return Role.MANAGER if user.is_superuser else None


INTERNAL = INTERNAL_ROLES
EVERYONE = (*INTERNAL, Role.VENDOR_STAFF)
# The project manager owns onboarding checklists, selection projects and exits, as the manager may.
PROJECT_LEADS = (Role.MANAGER, Role.PROJECT_MANAGER)
# The operations specialist owns issues and the day-to-day: action items, meetings, surveys.
OPERATORS = (Role.MANAGER, Role.OPERATIONS)


def is_internal(user) -> bool:
    return role_of(user) in INTERNAL


def is_manager(user) -> bool:
    return role_of(user) == Role.MANAGER


def leads_projects(user) -> bool:
    return role_of(user) in PROJECT_LEADS


def runs_operations(user) -> bool:
    return role_of(user) in OPERATORS


def require_manager(user) -> None:
    """Services that only a BPO manager may run check it themselves, whatever door the call came through."""
    if not is_manager(user):
        raise PermissionDenied("Only a BPO manager may do this.")


def require_project_lead(user) -> None:
    if not leads_projects(user):
        raise PermissionDenied("Only a BPO manager or a project manager may do this.")


def require_operator(user) -> None:
    if not runs_operations(user):
        raise PermissionDenied("Only a BPO manager or an operations specialist may do this.")


def staff_vendor_id(user) -> int | None:
    """The vendor a vendor-staff user belongs to; None for everyone else."""
    if role_of(user) != Role.VENDOR_STAFF:
        return None
    return user.profile.vendor_id


class VendorScopedQuerySet(models.QuerySet):
    """A queryset of rows that belong to one vendor, reached through `vendor_lookup`."""

    vendor_lookup = "vendor"

    def visible_to(self, user):
        if is_internal(user):
            return self
        vendor_id = staff_vendor_id(user)
        if vendor_id is None:
            return self.none()
        return self.filter(**{self.vendor_lookup: vendor_id})


def client_ip(request) -> str:
    """The caller's address for login throttling.

    X-Forwarded-For is trusted only as far as PROXY_COUNT proxies we run ourselves: the entry our
    outermost proxy appended. Anything a client writes in front of it is ignored.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    if not settings.PROXY_COUNT:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < settings.PROXY_COUNT:
        return remote
    return forwarded[-settings.PROXY_COUNT]


def _check_role(request, roles):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if role_of(request.user) not in roles:
        raise PermissionDenied
    return None


def role_required(*roles):
    """Function-view guard: anonymous users go to the login page, other roles get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            return _check_role(request, roles) or view(request, *args, **kwargs)

        return wrapped

    return decorator


class RoleRequiredMixin(AccessMixin):
    """Class-view guard with the same rule; set `allowed_roles` on the view."""

    allowed_roles: tuple[Role, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        return _check_role(request, self.allowed_roles) or super().dispatch(request, *args, **kwargs)


def role_context(request):
    """Template context: the user's role, for navigation only (views enforce access)."""
    role = role_of(request.user)
    return {
        "role": role,
        "is_manager": role == Role.MANAGER,
        "leads_projects": role in PROJECT_LEADS,
        "runs_operations": role in OPERATORS,
        "is_internal": role in INTERNAL,
        "is_vendor_staff": role == Role.VENDOR_STAFF,
    }


def not_a_password_attempt(request, credentials) -> bool:
    """Login throttling counts password guesses only: an SSO callback carries no password, and a login
    bporeg refuses there (no role) must not lock out everyone else behind the same address."""
    return credentials is not None and "password" not in credentials
