"""What the award and reminder tests build on top of the shared factories: objectives, questionnaires
with certification claims, proposal documents, score sheets."""

from datetime import date
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from bporeg.uploads import sample_bytes
from sourcing.models import (
    CertificationClaim,
    Objective,
    ProposalDocument,
    Questionnaire,
    QuestionnaireStatus,
    ScoreSheet,
)
from tests.kpis.factories import kpi
from vendors.models import CertificationKind


def objective(selection, code="csat", target="85", warning="82", breach="78"):
    return Objective.objects.create(
        selection=selection,
        kpi=kpi(code),
        target=Decimal(target),
        warning_threshold=Decimal(warning),
        breach_threshold=Decimal(breach),
    )


def questionnaire(candidate, *, sent_by, due_date=date(2026, 12, 1), status=QuestionnaireStatus.SENT):
    answered = status != QuestionnaireStatus.SENT
    return Questionnaire.objects.create(
        candidate=candidate,
        due_date=due_date,
        status=status,
        sent_by=sent_by,
        submitted_at=timezone.now() if answered else None,
    )


def claim(questionnaire, *, added_by, kind=CertificationKind.ISO_27001, evidence=b"%PDF-1.4 ISO cert"):
    record = CertificationClaim(
        questionnaire=questionnaire,
        kind=kind,
        reference="ISO-27001-4471",
        issued_on=date(2025, 3, 1),
        expires_on=date(2028, 3, 1),
        added_by=added_by,
    )
    if evidence:
        record.evidence.save("iso-27001.pdf", ContentFile(evidence), save=False)
    record.save()
    return record


def document(candidate, *, uploaded_by, name="proposal.pdf"):
    record = ProposalDocument(candidate=candidate, name=name, uploaded_by=uploaded_by)
    record.file.save(name, ContentFile(sample_bytes("pdf")), save=False)
    record.save()
    return record


def sheet(selection, evaluator, *, submitted=False):
    return ScoreSheet.objects.create(
        selection=selection, evaluator=evaluator, submitted_at=timezone.now() if submitted else None
    )
