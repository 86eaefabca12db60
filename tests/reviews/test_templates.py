"""Scorecard templates are versioned: editing publishes a new version, audits keep theirs."""

from django.urls import reverse

from reviews.models import AuditTemplate, TemplateVersion
from tests.reviews.factories import make_audit, make_scorecard


def formset_data(rows, **fields):
    data = {
        "criteria-TOTAL_FORMS": str(len(rows)),
        "criteria-INITIAL_FORMS": "0",
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "1000",
        **fields,
    }
    for index, (section, label, weight, scale, critical) in enumerate(rows):
        data |= {
            f"criteria-{index}-section": section,
            f"criteria-{index}-label": label,
            f"criteria-{index}-weight": str(weight),
            f"criteria-{index}-scale": scale,
        }
        if critical:
            data[f"criteria-{index}-critical"] = "on"
    return data


def test_qa_creates_a_template(client_for, qa):
    rows = [("Opening", "Greeting", 1, "yes_no", False), ("Compliance", "Data protection", 3, "yes_no", True)]
    response = client_for(qa).post(
        reverse("reviews:template_create"), formset_data(rows, name="Chat support", pass_mark="85")
    )
    assert response.status_code == 302
    version = TemplateVersion.objects.get(template__name="Chat support")
    assert version.number == 1
    assert [(s.title, [c.label for c in s.criteria.all()]) for s in version.sections.all()] == [
        ("Opening", ["Greeting"]),
        ("Compliance", ["Data protection"]),
    ]
    assert version.sections.get(title="Compliance").criteria.get().critical


def test_editing_publishes_a_new_version_and_old_audits_keep_theirs(client_for, qa, vendor_a):
    v1 = make_scorecard(qa)
    audit = make_audit(auditor=qa, vendor=vendor_a, version=v1)
    rows = [
        ("Opening", "Greeting by name", 2, "yes_no", False),
        ("Compliance", "Data protection", 3, "yes_no", True),
    ]
    response = client_for(qa).post(
        reverse("reviews:template_edit", args=[v1.template_id]),
        formset_data(rows, pass_mark="90", change_note="Name the customer"),
    )
    assert response.status_code == 302
    v2 = TemplateVersion.objects.get(template=v1.template, number=2)
    assert v2.pass_mark == 90 and v2.change_note == "Name the customer"
    assert sorted(c.label for s in v2.sections.all() for c in s.criteria.all()) == [
        "Data protection",
        "Greeting by name",
    ]
    audit.refresh_from_db()
    assert audit.version == v1
    assert sorted(s.criterion.label for s in audit.scores.all())[0] == "Data protection"
    assert "Greeting" in [c.label for s in v1.sections.all() for c in s.criteria.all()]
    # The audit form now offers version 2.
    page = client_for(qa).get(reverse("reviews:audit_create"), {"template": v1.template_id})
    assert page.context["version"] == v2


def test_bad_template_input_shows_errors_and_creates_nothing(client_for, qa):
    rows = [("Compliance", "Data protection", 0, "rating", True)]
    response = client_for(qa).post(
        reverse("reviews:template_create"), formset_data(rows, name="Bad", pass_mark="150")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["pass_mark"]
    row_errors = response.context["formset"].errors[0]
    assert "weight" in row_errors and "A critical criterion uses the yes/no scale." in row_errors["scale"]
    empty = client_for(qa).post(
        reverse("reviews:template_create"), formset_data([], name="Empty", pass_mark="80")
    )
    assert "Add at least one criterion." in empty.context["formset"].non_form_errors()
    assert not AuditTemplate.objects.exists()
