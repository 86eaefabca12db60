"""Selection URLs. Fixed words come before `<int:pk>/`; each list belongs to one views module."""

from django.urls import path

from sourcing.views import diligence

app_name = "sourcing"

# Projects, objectives, criteria, candidates and their proposals (views/selections.py).
selection_urls = []

# Evaluators' score sheets, the comparison and its exports (views/scoring.py).
scoring_urls = []

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
award_urls = []

urlpatterns = [*selection_urls, *scoring_urls, *diligence_urls, *award_urls]
