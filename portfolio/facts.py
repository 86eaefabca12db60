"""What the red-flag rules look at, gathered for many vendors at once in a fixed number of queries.

`gather(vendor_ids, today)` returns one `VendorFacts` per vendor: its SLA targets and monthly values over
the last WINDOW months, onboarding tasks, overdue action items, recent reviews, contracts, live
risks, open issues and our last two survey ratings. Eleven queries, whatever the number of vendors, KPIs
and months.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, F, Min, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from costs.budgets import actual_by_month
from costs.models import Invoice, InvoiceStatus
from costs.money import MissingRate, Rates, company_currency
from kpis.models import Measurement, SLATarget
from kpis.periods import add_months, last_months, month_end, month_start
from kpis.selectors import Scorecard, ScorecardRow, default_period, roll_up
from relationship.models import Direction, Issue, Severity, Survey
from relationship.models.surveys import QUESTIONS
from reviews.models import ActionItem, Review, Risk
from vendors.models import Contract, EscalationLevel, OnboardingTask, TaskStatus, Vendor, VendorStatus

# Months of history kept per vendor: the portfolio charts show a year.
WINDOW = 12


@dataclass
class VendorFacts:
    vendor: Vendor
    today: date
    period: date
    periods: list
    targets: list = field(default_factory=list)
    values: dict = field(default_factory=dict)  # {(kpi_id, month): value}
    volumes: dict = field(default_factory=dict)  # {(kpi_id, month): contacts}
    tasks_total: int = 0
    tasks_done: int = 0
    tasks_overdue: int = 0
    oldest_task_due: date | None = None
    actions_overdue: int = 0
    oldest_action_due: date | None = None
    reviews: dict = field(default_factory=dict)  # {period_start: (pk, status)}
    contracts: list = field(default_factory=list)
    top_risk: dict | None = None
    rates: Rates | None = None
    invoiced: dict = field(default_factory=dict)  # {month: approved invoices, company currency}
    invoiced_months: set = field(default_factory=set)  # months with approved invoices, converted or not
    ratings: list = field(default_factory=list)  # [(quarter, average)] of our last two ratings, newest first
    issues_open: int = 0
    issues_overdue: int = 0
    issues_overdue_severe: int = 0  # critical or high severity, overdue
    issues_executive: int = 0  # open and escalated to the executive level
    issues_overdue_other: int = 0  # overdue, neither severe nor at the executive level

    def targets_in_force(self, month):
        return [
            t
            for t in self.targets
            if t.effective_from <= month and (t.effective_to is None or t.effective_to > month)
        ]

    def scorecard(self, month) -> Scorecard:
        rows = [
            ScorecardRow(
                t, self.values.get((t.kpi_id, month)), self.values.get((t.kpi_id, add_months(month, -1)))
            )
            for t in self.targets_in_force(month)
        ]
        return Scorecard(vendor=self.vendor, period=month, rows=rows)

    def kpi_series(self, code, months):
        """[(month, value)] of the KPI with this code over the last `months` months, oldest first."""
        kpi_ids = {t.kpi_id for t in self.targets if t.kpi.code == code}
        series = []
        for month in self.periods[-months:]:
            value = next((self.values[(k, month)] for k in kpi_ids if (k, month) in self.values), None)
            series.append((month, value))
        return series

    def budget(self, month) -> Decimal | None:
        """The monthly fees of the contracts in force that month: what the vendor should cost. In the
        company's currency like invoiced spend; None when a fee's currency has no rate for the month."""
        last_day = month_end(month)
        fees = [
            (c["monthly_fee"], c["currency"])
            for c in self.contracts
            if c["start_date"] <= last_day and c["end_date"] >= month
        ]
        if not fees:
            return None
        try:
            return sum((self._company(fee, currency, last_day) for fee, currency in fees), Decimal(0))
        except MissingRate:
            return None

    def _company(self, amount, currency, day):
        if currency == company_currency() or self.rates is None:
            return amount
        return self.rates.convert(amount, currency, day)

    def spend(self, month) -> Decimal | None:
        """What the vendor cost that month: its approved invoices when it has any for the month (None while
        one of them lacks an exchange rate), otherwise cost per contact × contacts handled, as the vendor
        reported it."""
        if month in self.invoiced_months:
            return self.invoiced.get(month)
        for target in self.targets:
            if target.kpi.code == "cost-per-contact":
                value = self.values.get((target.kpi_id, month))
                volume = self.volumes.get((target.kpi_id, month))
                if value is not None and volume:
                    return (value * volume).quantize(Decimal("1"))
        return None


def vendors_to_refresh(vendor_ids):
    vendors = Vendor.objects.exclude(status=VendorStatus.ARCHIVED).only(
        "pk", "slug", "name", "status", "review_cadence"
    )
    if vendor_ids is not None:
        vendors = vendors.filter(pk__in=list(vendor_ids))
    return list(vendors)


def gather(vendors, today) -> dict[int, VendorFacts]:
    period = default_period(today)
    periods = last_months(period, WINDOW)
    first = periods[0]
    ids = [vendor.pk for vendor in vendors]
    facts = {v.pk: VendorFacts(vendor=v, today=today, period=period, periods=periods) for v in vendors}
    _targets(facts, ids, first, period)
    _values(facts, ids, first, period)
    _tasks(facts, ids, today)
    _actions(facts, ids, today)
    _reviews(facts, ids, first)
    _contracts(facts, ids)
    _risks(facts, ids)
    _ratings(facts, ids)
    _issues(facts, ids, today)
    # Loaded on every refresh, invoices or not, so the refresh's queries stay the same.
    rates = Rates.load()
    for f in facts.values():
        f.rates = rates
    _invoices(facts, ids, first, period, rates)
    return facts


def _targets(facts, ids, first, last):
    targets = (
        SLATarget.objects.filter(sla__vendor_id__in=ids, effective_from__lte=last)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gt=first))
        .select_related("kpi", "sla__contract")
        .order_by("kpi__name", "effective_from")
    )
    for target in targets:
        facts[target.sla.vendor_id].targets.append(target)


def _values(facts, ids, first, last):
    """Monthly values, weekly and daily ones rolled up with the KPI's own aggregation, and contacts."""
    kpis = {t.kpi_id: t.kpi for f in facts.values() for t in f.targets}
    grouped = defaultdict(list)
    rows = Measurement.objects.filter(
        vendor_id__in=ids, kpi_id__in=list(kpis), period__gte=first, period__lt=add_months(last, 1)
    ).values_list("vendor_id", "kpi_id", "period", "value", "volume")
    for vendor_id, kpi_id, day, value, volume in rows:
        grouped[(vendor_id, kpi_id, month_start(day))].append((day, value, volume))
    for (vendor_id, kpi_id, month), values in grouped.items():
        facts[vendor_id].values[(kpi_id, month)] = roll_up(kpis[kpi_id], values)
        facts[vendor_id].volumes[(kpi_id, month)] = sum(v or 0 for _, _, v in values)


def _tasks(facts, ids, today):
    open_late = ~Q(status=TaskStatus.DONE) & Q(due_date__lt=today)
    rows = (
        OnboardingTask.objects.filter(vendor_id__in=ids)
        .order_by()
        .values("vendor_id")
        .annotate(
            total=Count("pk"),
            done=Count("pk", filter=Q(status=TaskStatus.DONE)),
            overdue=Count("pk", filter=open_late),
            oldest=Min("due_date", filter=open_late),
        )
    )
    for row in rows:
        f = facts[row["vendor_id"]]
        f.tasks_total, f.tasks_done, f.tasks_overdue = row["total"], row["done"], row["overdue"]
        f.oldest_task_due = row["oldest"]


def _actions(facts, ids, today):
    rows = (
        ActionItem.objects.filter(vendor_id__in=ids)
        .overdue(today)
        .order_by()
        .values("vendor_id")
        .annotate(overdue=Count("pk"), oldest=Min("due_date"))
    )
    for row in rows:
        f = facts[row["vendor_id"]]
        f.actions_overdue, f.oldest_action_due = row["overdue"], row["oldest"]


def _reviews(facts, ids, first):
    # A quarter's review starts up to two months before the window's first month.
    rows = (
        Review.objects.current()
        .filter(vendor_id__in=ids, period_start__gte=add_months(first, -3))
        .values_list("vendor_id", "period_start", "pk", "status")
    )
    for vendor_id, period_start, pk, status in rows:
        facts[vendor_id].reviews[period_start] = (pk, status)


def _contracts(facts, ids):
    rows = (
        Contract.objects.current()
        .filter(vendor_id__in=ids)
        .values(
            "vendor_id",
            "start_date",
            "end_date",
            "renewal_notice_days",
            "monthly_fee",
            "currency",
            "next_review_date",
        )
    )
    for row in rows:
        facts[row["vendor_id"]].contracts.append(row)


def _risks(facts, ids):
    rows = (
        Risk.objects.live()
        .filter(vendor_id__in=ids)
        .order_by("vendor_id", "-score", "pk")
        .values("vendor_id", "pk", "score", "title")
    )
    for row in rows:
        f = facts[row["vendor_id"]]
        if f.top_risk is None:
            f.top_risk = row


def _ratings(facts, ids):
    """Our two latest submitted ratings of each vendor (the surveys the company answers), one query."""
    newest_first = Window(RowNumber(), partition_by=[F("vendor_id")], order_by=F("quarter").desc())
    rows = (
        Survey.objects.submitted()
        .filter(vendor_id__in=ids, direction=Direction.COMPANY_RATES_VENDOR)
        .annotate(rank=newest_first)
        .filter(rank__lte=2)
        .order_by("vendor_id", "rank")
        .values_list("vendor_id", "quarter", *QUESTIONS)
    )
    for vendor_id, quarter, *scores in rows:
        facts[vendor_id].ratings.append((quarter, sum(scores) / len(scores)))


def _invoices(facts, ids, first, last, rates):
    rows = defaultdict(list)
    invoices = Invoice.objects.filter(
        vendor_id__in=ids, status=InvoiceStatus.APPROVED, period__gte=first, period__lte=last
    ).values_list("vendor_id", "period", "currency", "total")
    for vendor_id, period, currency, total in invoices:
        rows[vendor_id].append((period, currency, total))
    for vendor_id, vendor_rows in rows.items():
        f = facts[vendor_id]
        f.invoiced, _ = actual_by_month(vendor_rows, rates)
        f.invoiced_months = {period for period, _, _ in vendor_rows}


def _issues(facts, ids, today):
    """Open issues per vendor, and which are overdue (as IssueQuerySet.overdue says) as of now, or as of
    the end of `today` for a day in the past."""
    now = min(timezone.now(), timezone.make_aware(datetime.combine(today + timedelta(days=1), time.min)))
    overdue = Q(resolution_due_at__lt=now) | Q(first_response_at__isnull=True, response_due_at__lt=now)
    severe = Q(severity__in=[Severity.CRITICAL, Severity.HIGH])
    executive = Q(escalation_level=EscalationLevel.EXECUTIVE)
    rows = (
        Issue.objects.open()
        .filter(vendor_id__in=ids)
        .order_by()
        .values("vendor_id")
        .annotate(
            open=Count("pk"),
            overdue=Count("pk", filter=overdue),
            severe=Count("pk", filter=overdue & severe),
            executive=Count("pk", filter=executive),
            other=Count("pk", filter=overdue & ~severe & ~executive),
        )
    )
    for row in rows:
        f = facts[row["vendor_id"]]
        f.issues_open, f.issues_overdue, f.issues_overdue_other = row["open"], row["overdue"], row["other"]
        f.issues_overdue_severe, f.issues_executive = row["severe"], row["executive"]
