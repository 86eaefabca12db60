"""The reviews app's records: QA audits, periodic reviews, governance meetings, and the risk register."""

from reviews.models.audits import (
    Audit,
    AuditResult,
    AuditScore,
    AuditTemplate,
    Channel,
    Criterion,
    Dispute,
    DisputeStatus,
    Scale,
    Section,
    TemplateVersion,
)
from reviews.models.meetings import Meeting, MeetingKind
from reviews.models.reviews import (
    ActionItem,
    ActionItemStatus,
    ImprovementPlan,
    Owner,
    PlanStatus,
    Review,
    ReviewStatus,
)
from reviews.models.risks import Risk, RiskCategory, RiskStatus

__all__ = [
    "ActionItem",
    "ActionItemStatus",
    "Audit",
    "AuditResult",
    "AuditScore",
    "AuditTemplate",
    "Channel",
    "Criterion",
    "Dispute",
    "DisputeStatus",
    "ImprovementPlan",
    "Meeting",
    "MeetingKind",
    "Owner",
    "PlanStatus",
    "Review",
    "ReviewStatus",
    "Risk",
    "RiskCategory",
    "RiskStatus",
    "Scale",
    "Section",
    "TemplateVersion",
]
