"""Selection URLs. Fixed words come before `<int:pk>/`; each list belongs to one views module."""

from django.urls import path

from sourcing.views import award, diligence, scoring, selections

app_name = "sourcing"

# Projects, objectives, criteria, candidates and their proposals (views/selections.py).
selection_urls = [
    path("", selections.selection_list, name="list"),
    path("new/", selections.selection_create, name="create"),
    path("criteria-template/", selections.criteria_template, name="criteria_template"),
    path("candidates/<int:pk>/", selections.candidate_detail, name="candidate"),
    path("candidates/<int:pk>/edit/", selections.candidate_edit, name="candidate_edit"),
    path("candidates/<int:pk>/documents/new/", selections.document_upload, name="document_upload"),
    path("documents/<int:pk>/", selections.document_download, name="document"),
    path("<int:pk>/", selections.selection_detail, name="detail"),
    path("<int:pk>/edit/", selections.selection_edit, name="edit"),
    path("<int:pk>/status/", selections.selection_status, name="status"),
    path("<int:pk>/objectives/", selections.selection_objectives, name="objectives"),
    path("<int:pk>/criteria/", selections.selection_criteria, name="criteria"),
    path("<int:pk>/candidates/new/", selections.candidate_add, name="candidate_add"),
]

# Evaluators' score sheets, the comparison and its exports (views/scoring.py).
scoring_urls = [
    path("<int:pk>/scores/", scoring.score_sheet, name="score_sheet"),
    path("<int:pk>/scores/submit/", scoring.score_submit, name="score_submit"),
    path("<int:pk>/compare/", scoring.compare, name="compare"),
    path("<int:pk>/compare.csv", scoring.compare_csv, name="compare_csv"),
    path("<int:pk>/compare.xlsx", scoring.compare_xlsx, name="compare_xlsx"),
    path("<int:pk>/compare.pdf", scoring.compare_pdf, name="compare_pdf"),
]

# The question bank, questionnaires, candidates' answers and their review (views/diligence.py).
diligence_urls = [
    path("questions/", diligence.questions, name="questions"),
    path("my-questionnaires/", diligence.my_questionnaires, name="my_questionnaires"),
    path("<int:pk>/questionnaires/", diligence.questionnaire_list, name="questionnaire_list"),
    path("candidates/<int:pk>/questionnaire/send/", diligence.questionnaire_send, name="questionnaire_send"),
    path("questionnaires/<int:pk>/", diligence.questionnaire, name="questionnaire"),
    path("questionnaires/<int:pk>/submit/", diligence.questionnaire_submit, name="questionnaire_submit"),
    path(
        "questionnaires/<int:pk>/certifications/new/",
        diligence.questionnaire_certification_add,
        name="questionnaire_certification_add",
    ),
    path(
        "certification-claims/<int:pk>/remove/",
        diligence.questionnaire_certification_remove,
        name="questionnaire_certification_remove",
    ),
    path(
        "certification-claims/<int:pk>/evidence/",
        diligence.questionnaire_certification_evidence,
        name="questionnaire_certification_evidence",
    ),
    path("answers/<int:pk>/", diligence.answer_save, name="answer_save"),
    path("answers/<int:pk>/review/", diligence.answer_review, name="answer_review"),
    path("answers/<int:pk>/evidence/", diligence.answer_evidence, name="answer_evidence"),
]

# The award and the decision record (views/award.py).
award_urls = [
    path("<int:pk>/award/", award.award, name="award"),
    path("<int:pk>/decision/", award.decision, name="decision"),
]

urlpatterns = [*selection_urls, *scoring_urls, *diligence_urls, *award_urls]
