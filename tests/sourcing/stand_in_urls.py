"""The project's URLs, plus stand-ins for the sourcing URL names the other areas' branches add.

The award pages and the reminders link to the selection page, the score sheet, the comparison, the
questionnaire and proposal documents (COMMON names, built by the selections, scoring and diligence
areas). Tests that check those links use this URLconf (`@pytest.mark.urls`) until the branches merge;
a name that exists is left alone, so once all are merged the stand-ins add nothing and this module can go.
"""

from django.http import HttpResponse
from django.urls import include, path

from bporeg import urls as project
from sourcing import urls as sourcing

LINKED = {
    "detail": "<int:pk>/",
    "score_sheet": "<int:pk>/scores/",
    "compare": "<int:pk>/compare/",
    "questionnaire": "questionnaires/<int:pk>/",
    "document": "documents/<int:pk>/",
}


def stand_in(request, pk):
    return HttpResponse("Stand-in page")


existing = {pattern.name for pattern in sourcing.urlpatterns}
stand_ins = [path(route, stand_in, name=name) for name, route in LINKED.items() if name not in existing]
urlpatterns = [
    *(pattern for pattern in project.urlpatterns if getattr(pattern, "namespace", None) != "sourcing"),
    path("sourcing/", include(([*sourcing.urlpatterns, *stand_ins], "sourcing"))),
]
