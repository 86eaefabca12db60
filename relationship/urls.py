"""Relationship URLs; each list belongs to one views module."""

from django.urls import path

from relationship.views import issues, surveys

app_name = "relationship"

# The issue and escalation log: raise, read the thread, comment, move through the process (views/issues.py).
issue_urls = [
    path("issues/", issues.issue_list, name="issue_list"),
    path("issues/new/", issues.issue_create, name="issue_create"),
    path("issues/<int:pk>/", issues.issue_detail, name="issue_detail"),
    path("issues/<int:pk>/comment/", issues.issue_comment, name="issue_comment"),
    path("issues/<int:pk>/move/", issues.issue_move, name="issue_move"),
    path("issues/<int:pk>/owners/", issues.issue_owners, name="issue_owners"),
    path("issues/comments/<int:pk>/attachment/", issues.comment_attachment, name="comment_attachment"),
]

# Quarterly two-way surveys: what is waiting for me, answering one, results per vendor (views/surveys.py).
survey_urls = [
    path("surveys/", surveys.survey_list, name="survey_list"),
    path("surveys/<int:pk>/", surveys.survey_detail, name="survey_detail"),
    path("vendors/<slug:slug>/surveys/", surveys.survey_results, name="survey_results"),
]

urlpatterns = [*issue_urls, *survey_urls]
