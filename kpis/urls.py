from django.urls import path

from kpis.views import library, scorecards, slas, tokens, values

app_name = "kpis"
urlpatterns = [
    path("", scorecards.portfolio_view, name="portfolio"),
    path("my-scorecard/", scorecards.my_scorecard, name="my-scorecard"),
    path("vendors/<slug:slug>/", scorecards.scorecard, name="scorecard"),
    path("vendors/<slug:slug>/scorecard.csv", scorecards.scorecard_csv_view, name="scorecard-csv"),
    path("vendors/<slug:slug>/scorecard.xlsx", scorecards.scorecard_xlsx_view, name="scorecard-xlsx"),
    path("vendors/<slug:slug>/trends/", scorecards.trends, name="trends"),
    path("vendors/<slug:slug>/values/", values.month_values, name="month-values"),
    path("import/", values.import_upload, name="import"),
    path("import/<int:pk>/", values.import_preview, name="import-preview"),
    path("import/<int:pk>/confirm/", values.import_confirm, name="import-confirm"),
    path("import/<int:pk>/discard/", values.import_discard, name="import-discard"),
    path("library/", library.kpi_list, name="kpi-list"),
    path("library/new/", library.kpi_edit, name="kpi-create"),
    path("library/<slug:code>/", library.kpi_detail, name="kpi-detail"),
    path("library/<slug:code>/edit/", library.kpi_edit, name="kpi-edit"),
    path("slas/", slas.sla_list, name="sla-list"),
    path("slas/new/", slas.sla_edit, name="sla-create"),
    path("slas/<int:pk>/", slas.sla_detail, name="sla-detail"),
    path("slas/<int:pk>/edit/", slas.sla_edit, name="sla-edit"),
    path("slas/<int:pk>/targets/new/", slas.target_add, name="target-add"),
    path("targets/<int:pk>/change/", slas.target_change, name="target-change"),
    path("targets/<int:pk>/end/", slas.target_end, name="target-end"),
    path("api-token/", tokens.api_token, name="api-token"),
]
