"""Vendor registry and onboarding URLs. Fixed words come before `<slug>/` (see forms.RESERVED_SLUGS)."""

from django.urls import path

from vendors.views import exit as exit_views
from vendors.views import onboarding, records, registry, tasks

app_name = "vendors"
# A vendor's exit: its checklist's tasks, their evidence, and starting and completing it.
exit_urls = [
    path("exit/tasks/<int:pk>/update/", exit_views.exit_task_update_view, name="exit_task_update"),
    path("exit/evidence/<int:pk>/", exit_views.exit_task_evidence, name="exit_task_evidence"),
    path("<slug:slug>/exit/start/", exit_views.exit_start_view, name="exit_start"),
    path("<slug:slug>/exit/complete/", exit_views.exit_complete_view, name="exit_complete"),
]
urlpatterns = [
    path("", registry.vendor_list, name="list"),
    path("new/", registry.vendor_create, name="create"),
    path("my-onboarding/", tasks.my_onboarding, name="my_onboarding"),
    # A vendor's records
    path("contacts/<int:pk>/edit/", records.record_edit, {"kind": "contact"}, name="contact_edit"),
    path(
        "contacts/<int:pk>/archive/", records.record_archive_view, {"kind": "contact"}, name="contact_archive"
    ),
    path("contracts/<int:pk>/edit/", records.record_edit, {"kind": "contract"}, name="contract_edit"),
    path(
        "contracts/<int:pk>/archive/",
        records.record_archive_view,
        {"kind": "contract"},
        name="contract_archive",
    ),
    path("contracts/<int:pk>/document/", records.contract_document, name="contract_document"),
    path(
        "certifications/<int:pk>/edit/",
        records.record_edit,
        {"kind": "certification"},
        name="certification_edit",
    ),
    path(
        "certifications/<int:pk>/archive/",
        records.record_archive_view,
        {"kind": "certification"},
        name="certification_archive",
    ),
    path("certifications/<int:pk>/evidence/", records.certification_evidence, name="certification_evidence"),
    # Onboarding templates
    path("onboarding/templates/", onboarding.template_list, name="template_list"),
    path("onboarding/templates/new/", onboarding.template_create, name="template_create"),
    path("onboarding/templates/<int:pk>/", onboarding.template_detail, name="template_detail"),
    path("onboarding/templates/<int:pk>/edit/", onboarding.template_edit, name="template_edit"),
    path("onboarding/templates/<int:pk>/activities/new/", onboarding.activity_create, name="activity_create"),
    path("onboarding/activities/<int:pk>/edit/", onboarding.activity_edit, name="activity_edit"),
    path("onboarding/activities/<int:pk>/delete/", onboarding.activity_delete, name="activity_delete"),
    # Onboarding tasks
    path("tasks/<int:pk>/", tasks.task_detail, name="task_detail"),
    path("tasks/<int:pk>/update/", tasks.task_update, name="task_update"),
    path("tasks/<int:pk>/edit/", tasks.task_edit, name="task_edit"),
    path("tasks/evidence/<int:pk>/", tasks.evidence_download, name="evidence_download"),
    # One vendor
    path("<slug:slug>/", registry.vendor_detail, name="detail"),
    path("<slug:slug>/edit/", registry.vendor_edit, name="edit"),
    path("<slug:slug>/archive/", registry.vendor_archive_view, name="archive"),
    path("<slug:slug>/restore/", registry.vendor_restore_view, name="restore"),
    path("<slug:slug>/contacts/new/", records.record_create, {"kind": "contact"}, name="contact_create"),
    path("<slug:slug>/contracts/new/", records.record_create, {"kind": "contract"}, name="contract_create"),
    path(
        "<slug:slug>/certifications/new/",
        records.record_create,
        {"kind": "certification"},
        name="certification_create",
    ),
    path("<slug:slug>/onboarding/start/", onboarding.onboarding_apply, name="onboarding_apply"),
    path("<slug:slug>/onboarding/go-live/", onboarding.onboarding_go_live, name="onboarding_go_live"),
    *exit_urls,
]
