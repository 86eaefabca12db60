"""The onboarding plan that ships with bporeg, built from common BPO transition practice.

Phases: 1 pre-onboarding, 2 knowledge transfer, 3 go-live, 4 post-go-live. Offsets are days from go-live.
The list is written out here (not imported from the app) so this migration never changes meaning.
"""

from django.db import migrations

NAME = "Standard BPO onboarding"
DESCRIPTION = (
    "From contract to steady state in about five months: agree scope and KPIs, secure access, transfer "
    "knowledge, go live with hypercare, then review monthly and improve continuously."
)
# phase, title, responsible, days from go-live, description
ACTIVITIES = [
    (1, "Define scope, services and KPIs with targets", "manager", -60,
     "Write down what moves to the vendor, volumes, hours of service and the KPIs with their targets."),
    (1, "Agree governance and escalation contacts", "manager", -56,
     "Name the people on both sides, the meeting rhythm and who is called at each escalation level."),
    (1, "Complete security and compliance due diligence", "qa", -45,
     "Check certifications (ISO 27001, SOC 2, PCI DSS…) and the data processing agreement."),
    (1, "Share certificates and compliance evidence", "vendor", -45,
     "Upload current certificates and the latest audit reports."),
    (1, "Confirm the staffing and recruitment plan", "vendor", -40,
     "Headcount per role and language, hiring timeline, team leads named."),
    (1, "Secure data and system access", "manager", -30,
     "Least-privilege accounts, VPN and MFA for vendor staff; data flows approved."),
    (2, "Share process documentation and standard operating procedures", "manager", -28,
     "Hand over current process maps, SOPs, knowledge-base articles and sample cases."),
    (2, "Train vendor staff", "vendor", -21,
     "Product, process and tools training; train-the-trainer sessions for team leads."),
    (2, "Document processes as desk procedures", "vendor", -14,
     "Turn the SOPs into the vendor's own desk procedures; send them for review."),
    (2, "Set up the QA scorecard and calibrate", "qa", -14,
     "Agree the QA form, sampling and a first calibration session with the vendor's QA team."),
    (2, "Test access, tools and reporting end to end", "vendor", -7,
     "Every agent logs in; routing, ticketing and KPI reporting tested with real-looking cases."),
    (3, "Go / no-go decision", "manager", -2,
     "Readiness checklist reviewed with the vendor; the decision and any conditions recorded."),
    (3, "Go live with hypercare support", "vendor", 0,
     "Start live traffic with extra floor support and a daily check-in."),
    (3, "Monitor KPIs daily from go-live", "manager", 14,
     "Watch service level, quality and backlog daily during hypercare."),
    (4, "Address initial issues and their root causes", "vendor", 30,
     "Log issues found after go-live, fix them and report the root causes."),
    (4, "First monthly performance review", "manager", 30,
     "Scorecard against KPI targets, open issues and actions with owners."),
    (4, "Close hypercare and sign off onboarding", "manager", 45,
     "Both sides confirm steady state; onboarding ends."),
    (4, "Hold monthly performance reviews", "manager", 90,
     "Monthly reviews for the first quarter after go-live, then the agreed cadence."),
    (4, "Agree a continuous improvement plan", "vendor", 90,
     "Improvement ideas with expected impact, owners and dates."),
]


def create_default(apps, schema_editor):
    Template = apps.get_model("vendors", "OnboardingTemplate")
    Activity = apps.get_model("vendors", "TemplateActivity")
    template, created = Template.objects.get_or_create(
        name=NAME, defaults={"description": DESCRIPTION, "is_default": True}
    )
    if created:
        Activity.objects.bulk_create(
            Activity(
                template=template,
                phase=phase,
                title=title,
                responsible=responsible,
                due_offset_days=offset,
                description=description,
            )
            for phase, title, responsible, offset, description in ACTIVITIES
        )


def remove_default(apps, schema_editor):
    Template = apps.get_model("vendors", "OnboardingTemplate")
    Template.objects.filter(name=NAME, plans__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("vendors", "0002_contacts_certifications_onboarding")]

    operations = [migrations.RunPython(create_default, remove_default)]
