"""The due-diligence events people are told about, through the alerts app (in the app and by email).

A questionnaire sent and clarification asked go to the candidate's own staff; a questionnaire submitted
goes to the selection's owner. The services raise them inside their own transaction, so a refused or
rolled-back change tells nobody, and the alert key keeps each event to one message per person and day.
"""

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.formats import date_format

from accounts.models import Role
from alerts import registry
from alerts.registry import Due
from alerts.services import raise_alerts, schedule_delivery

QUESTIONNAIRE_SENT = registry.event("questionnaire_sent", label="Due-diligence questionnaire received")
QUESTIONNAIRE_CLARIFICATION = registry.event(
    "questionnaire_clarification", label="Due-diligence clarification asked"
)
QUESTIONNAIRE_SUBMITTED = registry.event(
    "questionnaire_submitted", label="Due-diligence questionnaire submitted"
)


def candidate_staff_ids(vendor_id) -> list[int]:
    """The active staff accounts of the candidate's vendor: the people who answer its questionnaire."""
    return list(
        get_user_model()
        .objects.filter(is_active=True, profile__role=Role.VENDOR_STAFF, profile__vendor=vendor_id)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _raise(questionnaire, *, kind, due_on, recipients, title, message):
    due = Due(
        kind=kind,
        subject=questionnaire,
        due_on=due_on,
        recipients=recipients,
        title=title,
        message=message,
        link=questionnaire.get_absolute_url(),
        vendor_id=questionnaire.candidate.vendor_id,
    )
    if raise_alerts([due]):
        schedule_delivery()


def questionnaire_sent(questionnaire):
    due = date_format(questionnaire.due_date, "j F Y")
    _raise(
        questionnaire,
        kind=QUESTIONNAIRE_SENT,
        due_on=questionnaire.due_date,
        recipients=candidate_staff_ids(questionnaire.candidate.vendor_id),
        title=f"Due-diligence questionnaire to answer by {due}",
        message=f"{questionnaire.candidate.selection.title}: please answer our security and compliance "
        f"questions, with the evidence asked for, and submit them by {due}.",
    )


def clarification_asked(questionnaire, *, count):
    _raise(
        questionnaire,
        kind=QUESTIONNAIRE_CLARIFICATION,
        due_on=timezone.localdate(),
        recipients=candidate_staff_ids(questionnaire.candidate.vendor_id),
        title=f"Due diligence: clarification asked on {count} answer(s)",
        message=f"{questionnaire.candidate.selection.title}: we need more on {count} of your answers. "
        "Each one says what is missing; answer them again and submit the questionnaire.",
    )


def questionnaire_submitted(questionnaire):
    candidate = questionnaire.candidate
    _raise(
        questionnaire,
        kind=QUESTIONNAIRE_SUBMITTED,
        due_on=timezone.localdate(),
        recipients=[candidate.selection.owner_id],
        title=f"{candidate.vendor.name} submitted its due-diligence questionnaire",
        message=f"{candidate.selection.title}: {candidate.vendor.name}'s answers are ready for your review.",
    )
