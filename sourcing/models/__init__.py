"""Provider selection: RFP projects, candidates, weighted evaluation, due diligence, award."""

from sourcing.models.diligence import (
    Answer,
    AnswerReview,
    CertificationClaim,
    DiligenceQuestion,
    Questionnaire,
    QuestionnaireStatus,
    Topic,
)
from sourcing.models.evaluation import Criterion, Score, ScoreSheet, TemplateCriterion
from sourcing.models.selection import (
    Candidate,
    CandidateSource,
    CandidateStatus,
    DocumentKind,
    Objective,
    ProposalDocument,
    Selection,
    SelectionStatus,
)

__all__ = [
    "Answer",
    "AnswerReview",
    "Candidate",
    "CandidateSource",
    "CandidateStatus",
    "CertificationClaim",
    "Criterion",
    "DiligenceQuestion",
    "DocumentKind",
    "Objective",
    "ProposalDocument",
    "Questionnaire",
    "QuestionnaireStatus",
    "Score",
    "ScoreSheet",
    "Selection",
    "SelectionStatus",
    "TemplateCriterion",
    "Topic",
]
