"""The relationship's records: the issue and escalation log, and the quarterly two-way surveys."""

from relationship.models.issues import (
    RESOLUTION_TIME,
    RESPONSE_TIME,
    Issue,
    IssueCategory,
    IssueComment,
    IssueState,
    Severity,
    Side,
)
from relationship.models.surveys import Direction, Survey

__all__ = [
    "RESOLUTION_TIME",
    "RESPONSE_TIME",
    "Direction",
    "Issue",
    "IssueCategory",
    "IssueComment",
    "IssueState",
    "Severity",
    "Side",
    "Survey",
]
