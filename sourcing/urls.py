"""Selection URLs. Fixed words come before `<int:pk>/`; each list belongs to one views module."""

from django.urls import path

from sourcing.views import scoring

app_name = "sourcing"

# Projects, objectives, criteria, candidates and their proposals (views/selections.py).
selection_urls = []

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
diligence_urls = []

# The award and the decision record (views/award.py).
award_urls = []

urlpatterns = [*selection_urls, *scoring_urls, *diligence_urls, *award_urls]
