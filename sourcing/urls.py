"""Selection URLs. Fixed words come before `<int:pk>/`; each list belongs to one views module."""

from django.urls import path

from sourcing.views import award

app_name = "sourcing"

# Projects, objectives, criteria, candidates and their proposals (views/selections.py).
selection_urls = []

# Evaluators' score sheets, the comparison and its exports (views/scoring.py).
scoring_urls = []

# The question bank, questionnaires, candidates' answers and their review (views/diligence.py).
diligence_urls = []

# The award and the decision record (views/award.py).
award_urls = [
    path("<int:pk>/award/", award.award, name="award"),
    path("<int:pk>/decision/", award.decision, name="decision"),
]

urlpatterns = [*selection_urls, *scoring_urls, *diligence_urls, *award_urls]
