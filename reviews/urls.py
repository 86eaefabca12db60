from django.urls import path

from reviews.views import audits, meetings, reviews, risks, templates

app_name = "reviews"

# Governance meetings: monthly reviews, QBRs and others, with their minutes and action items
# (views/meetings.py). Progress on their action items goes through `action_item_update` below.
meeting_urls = [
    path("meetings/", meetings.meeting_list, name="meeting_list"),
    path("meetings/new/", meetings.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", meetings.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/action-items/", meetings.meeting_action_item_add, name="meeting_action_item_add"),
]

urlpatterns = [
    # QA audits
    path("audits/", audits.audit_list, name="audit_list"),
    path("audits/new/", audits.audit_create, name="audit_create"),
    path("audits/score-preview/", audits.audit_score_preview, name="audit_score_preview"),
    path("audits/failure-rates/", audits.failure_rate_list, name="failure_rates"),
    path("audits/<int:pk>/", audits.audit_detail, name="audit_detail"),
    path("audits/<int:pk>/evidence/", audits.audit_evidence, name="audit_evidence"),
    path("audits/<int:pk>/dispute/", audits.audit_dispute, name="audit_dispute"),
    path("audits/<int:pk>/void/", audits.audit_void, name="audit_void"),
    path("disputes/<int:pk>/decide/", audits.dispute_decide, name="dispute_decide"),
    # Scorecard templates
    path("templates/", templates.template_list, name="template_list"),
    path("templates/new/", templates.template_edit, name="template_create"),
    path("templates/<int:pk>/", templates.template_detail, name="template_detail"),
    path("templates/<int:pk>/edit/", templates.template_edit, name="template_edit"),
    path("templates/<int:pk>/archive/", templates.template_archive, name="template_archive"),
    # Periodic reviews
    path("", reviews.review_list, name="review_list"),
    path("new/", reviews.review_create, name="review_create"),
    path("<int:pk>/", reviews.review_detail, name="review_detail"),
    path("<int:pk>/edit/", reviews.review_edit, name="review_edit"),
    path("<int:pk>/action-items/", reviews.action_item_add, name="action_item_add"),
    path("<int:pk>/sign/", reviews.review_sign, name="review_sign"),
    path("<int:pk>/revise/", reviews.review_revise, name="review_revise"),
    path("<int:pk>/improvement-plan/", reviews.improvement_plan_open, name="improvement_plan_open"),
    path("<int:pk>/print/", reviews.review_print, name="review_print"),
    path("<int:pk>/pdf/", reviews.review_pdf, name="review_pdf"),
    path("action-items/<int:pk>/", reviews.action_item_update, name="action_item_update"),
    path("improvement-plans/<int:pk>/close/", reviews.improvement_plan_close, name="improvement_plan_close"),
    # Risk register
    path("risks/", risks.risk_list, name="risk_list"),
    path("risks/new/", risks.risk_edit, name="risk_create"),
    path("risks/<int:pk>/", risks.risk_detail, name="risk_detail"),
    path("risks/<int:pk>/edit/", risks.risk_edit, name="risk_edit"),
    *meeting_urls,
]
