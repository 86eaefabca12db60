"""Writes to QA audits: publishing template versions, logging audits, disputes, voiding, and keeping
the vendor's "qa-score" KPI equal to the average of the period's audits.

Every change that moves an audit's score calls `recalculate_qa_score` in the same transaction, so the
KPI never disagrees with the audits behind it.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Avg, Count, Max
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from kpis.library import STANDARD_KPIS
from kpis.models import KPI, Measurement, Source
from kpis.periods import month_start
from kpis.services import record_measurement
from reviews.models import (
    Audit,
    AuditScore,
    AuditTemplate,
    Criterion,
    Dispute,
    DisputeStatus,
    Section,
    TemplateVersion,
)
from reviews.scoring import is_failed, score_audit

QA_KPI_CODE = "qa-score"


@transaction.atomic
def publish_template_version(*, user, rows, pass_mark, template=None, name="", description="", note=""):
    """Create a template (when `template` is None) or a new version of it from `rows`: dicts with
    section, label, guidance, weight, scale, critical, in display order. Old versions stay untouched."""
    if not rows:
        raise ValidationError("A scorecard needs at least one criterion.")
    if template is None:
        template = AuditTemplate.objects.create(name=name, description=description)
    else:
        template = AuditTemplate.objects.select_for_update().get(pk=template.pk)
        if description:
            template.description = description
            template.save(update_fields=["description"])
    last = template.versions.aggregate(last=Max("number"))["last"] or 0
    version = TemplateVersion.objects.create(
        template=template, number=last + 1, pass_mark=pass_mark, change_note=note, created_by=user
    )
    sections = {}
    criteria = []
    for position, row in enumerate(rows, start=1):
        title = row["section"].strip()
        if title not in sections:
            sections[title] = Section.objects.create(version=version, title=title, position=len(sections) + 1)
        criteria.append(
            Criterion(
                section=sections[title],
                label=row["label"],
                guidance=row.get("guidance", ""),
                weight=row["weight"],
                scale=row["scale"],
                critical=row["critical"],
                position=position,
            )
        )
    Criterion.objects.bulk_create(criteria)
    return version


def current_version(template):
    return template.versions.order_by("-number").first()


def version_criteria(version):
    return list(
        Criterion.objects.filter(section__version=version)
        .select_related("section")
        .order_by("section__position", "position")
    )


@transaction.atomic
def log_audit(*, auditor, vendor, version, answers, evidence=None, **item):
    """Save an audit and its per-criterion scores. `answers`: (criterion, value, comment) triples,
    value None for n.a.; `item`: channel, reference, interaction_date, agent, overall_comment."""
    outcome = score_audit([(c, value) for c, value, _ in answers], pass_mark=version.pass_mark)
    if outcome.score is None:
        raise ValidationError("Score at least one criterion: every answer is n.a.")
    audit = Audit(
        vendor=vendor,
        version=version,
        auditor=auditor,
        period=month_start(item["interaction_date"]),
        score=outcome.score,
        result=outcome.result,
        **item,
    )
    if evidence:
        audit.evidence_name = evidence.name[:200]
        audit.evidence = evidence
    audit.save()
    bulk_create_with_history(
        [
            AuditScore(
                audit=audit, criterion=c, value=value, failed=is_failed(c, value), comment=comment or ""
            )
            for c, value, comment in answers
        ],
        AuditScore,
    )
    recalculate_qa_score(vendor=vendor, period=audit.period, user=auditor)
    return audit


def _rescore(audit, answers):
    """Replace the answers of an existing audit and recompute its score (history keeps the old ones)."""
    by_criterion = {score.criterion_id: score for score in audit.scores.select_related("criterion")}
    outcome = score_audit([(c, value) for c, value, _ in answers], pass_mark=audit.version.pass_mark)
    if outcome.score is None:
        raise ValidationError("Score at least one criterion: every answer is n.a.")
    for criterion, value, comment in answers:
        score = by_criterion[criterion.pk]
        if (score.value, score.comment) != (value, comment or ""):
            score.value, score.comment, score.failed = value, comment or "", is_failed(criterion, value)
            score.save()
    audit.score, audit.result = outcome.score, outcome.result
    audit.save(update_fields=["score", "result"])


@transaction.atomic
def raise_dispute(*, audit, user, reason):
    audit = Audit.objects.select_for_update().get(pk=audit.pk)
    if audit.is_void:
        raise ValidationError("This audit was voided; there is nothing to dispute.")
    if audit.disputes.filter(status=DisputeStatus.OPEN).exists():
        raise ValidationError("This audit already has an open dispute.")
    return Dispute.objects.create(audit=audit, raised_by=user, reason=reason, score_before=audit.score)


@transaction.atomic
def decide_dispute(*, dispute, user, accept, comment, answers=None):
    """QA's answer to a dispute: accept (and rescore with `answers`) or reject; both with a comment."""
    dispute = Dispute.objects.select_for_update().select_related("audit__version").get(pk=dispute.pk)
    if dispute.status != DisputeStatus.OPEN:
        raise ValidationError("This dispute has already been decided.")
    audit = dispute.audit
    if accept:
        _rescore(audit, answers)
        recalculate_qa_score(vendor=audit.vendor, period=audit.period, user=user)
    dispute.status = DisputeStatus.ACCEPTED if accept else DisputeStatus.REJECTED
    dispute.decided_by, dispute.decided_at = user, timezone.now()
    dispute.decision_comment = comment
    dispute.score_after = audit.score
    dispute.save()
    return dispute


@transaction.atomic
def void_audit(*, audit, user, reason):
    """Take an audit out of every figure but keep the record: it was logged by mistake or on the wrong
    vendor. Open disputes on it are closed as moot."""
    audit = Audit.objects.select_for_update().get(pk=audit.pk)
    if audit.is_void:
        raise ValidationError("This audit is already void.")
    audit.voided_at, audit.voided_by, audit.void_reason = timezone.now(), user, reason
    audit.save(update_fields=["voided_at", "voided_by", "void_reason"])
    for dispute in audit.disputes.filter(status=DisputeStatus.OPEN):
        dispute.status, dispute.decided_by, dispute.decided_at = DisputeStatus.REJECTED, user, timezone.now()
        dispute.decision_comment = f"Audit voided: {reason}"
        dispute.save()
    recalculate_qa_score(vendor=audit.vendor, period=audit.period, user=user)
    return audit


def _qa_kpi():
    """The library's qa-score KPI; recreated from the library if someone removed it (or a test flushed the
    data migration's rows), so an audit never fails to save for want of its KPI."""
    code, name, unit, direction, aggregation, description = next(
        row for row in STANDARD_KPIS if row[0] == QA_KPI_CODE
    )
    kpi, _ = KPI.objects.get_or_create(
        code=code,
        defaults={
            "name": name,
            "unit": unit,
            "direction": direction,
            "aggregation": aggregation,
            "description": description,
        },
    )
    return kpi


def recalculate_qa_score(*, vendor, period, user=None):
    """Set the vendor's qa-score for `period` to the average of its live audits, through the KPI
    service; with no audit left, remove the measurement the audits had produced."""
    kpi = _qa_kpi()
    figures = (
        Audit.objects.active()
        .filter(vendor=vendor, period=period)
        .aggregate(average=Avg("score"), count=Count("pk"))
    )
    if not figures["count"]:
        # The single exception to "measurements go through the service": nothing is left to measure.
        Measurement.objects.filter(vendor=vendor, kpi=kpi, period=period, source=Source.AUDIT).delete()
        return None
    measurement, _ = record_measurement(
        vendor=vendor,
        kpi=kpi,
        period=period,
        value=round(figures["average"], 2),
        source=Source.AUDIT,
        entered_by=user,
        volume=figures["count"],
    )
    return measurement
