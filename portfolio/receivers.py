"""After the writes that change a vendor's health, refresh it (in a worker, once the write commits).

Receivers rather than calls from the domain apps, so that those apps do not depend on the portfolio:
it reads them all, none of them reads it. They only enqueue a refresh of a derived snapshot (no business
rule lives here), and they are best effort: the beat job refreshes every vendor within minutes anyway.
Measurements are written in bulk with SQL, so `kpis.services` announces them with its own signal.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver

from costs.models import Budget, Invoice
from kpis.signals import measurements_saved
from portfolio.services import schedule_refresh
from relationship.models import Issue
from relationship.surveys import survey_submitted
from reviews.models import ActionItem, Review, Risk
from vendors.models import Contract, OnboardingTask, Vendor


@receiver(measurements_saved)
def measurements_changed(sender, vendor_ids, **kwargs):
    schedule_refresh(vendor_ids)


@receiver(post_save, sender=Issue)
@receiver(post_save, sender=OnboardingTask)
@receiver(post_save, sender=ActionItem)
@receiver(post_save, sender=Risk)
@receiver(post_save, sender=Review)
@receiver(post_save, sender=Contract)
# Approved invoices and budgets: the cost-overrun flag and the manager's value tile.
@receiver(post_save, sender=Invoice)
@receiver(post_save, sender=Budget)
def vendor_record_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        schedule_refresh([instance.vendor_id])


@receiver(post_save, sender=Vendor)
def vendor_saved(sender, instance, raw=False, **kwargs):
    # A new vendor joins the dashboard; a changed status changes which rules apply.
    if not raw:
        schedule_refresh([instance.pk])


@receiver(survey_submitted)
def survey_answered(sender, survey, **kwargs):
    # Our rating of the vendor feeds the "falling relationship score" flag.
    if survey.by_company:
        schedule_refresh([survey.vendor_id])
