"""The exit checklist that ships with bporeg, built from common BPO exit practice.

Areas: 1 knowledge transfer back, 2 data return and deletion, 3 access revoked, 4 final invoice,
5 transition to the new provider. Offsets are days from the exit date (negative before it). Written out
here (not imported from the app) so this migration never changes meaning; `create_default` is
idempotent, and the demo and tests call it too.
"""

from django.db import migrations

NAME = "Standard BPO exit"
DESCRIPTION = (
    "An orderly exit over about two months: the knowledge comes back, the work moves to the new "
    "provider, our data is returned and its deletion certified, every access is revoked and the final "
    "invoice is settled."
)
# area, title, responsible, days from the exit date, evidence required, description
ACTIVITIES = [
    (1, "Hand back process documentation and desk procedures", "vendor", -30, False,
     "Current SOPs, desk procedures, knowledge-base articles and open-case notes, as agreed in the contract."),
    (1, "Run knowledge-transfer sessions with our team", "project_manager", -21, False,
     "Walk-throughs of each process with the people (ours or the new provider's) who take it over."),
    (1, "Confirm the knowledge transfer is complete", "manager", -7, False,
     "Check the documentation and sessions against the scope; record any gap and how it is closed."),
    (2, "Return all client data in the agreed format", "vendor", -3, False,
     "Customer records, case history, recordings and reports, exported and handed over securely."),
    (2, "Verify the returned data is complete", "qa", 0, False,
     "Sample the returned data against the source systems and confirm nothing is missing."),
    (2, "Provide the data deletion certificate", "vendor", 14, True,
     "A signed certificate that every copy of our data, backups included, has been destroyed."),
    (3, "Revoke the vendor's system and VPN access", "operations", 0, False,
     "Disable accounts, VPN, MFA tokens and shared mailboxes on the exit date."),
    (3, "Return equipment, badges and tokens", "vendor", 3, False,
     "Laptops, phones, badges and hardware tokens we issued, with a signed return list."),
    (3, "Confirm no access remains", "qa", 7, False,
     "Review access logs and account lists; record that no vendor account is still enabled."),
    (4, "Receive the final invoice", "vendor", 10, False,
     "The last invoice, with service credits and any termination fees as the contract sets out."),
    (4, "Reconcile and settle the final invoice", "manager", 30, False,
     "Check it against the contract and the open disputes, then approve or dispute it."),
    (5, "Agree the transition plan with the new provider", "project_manager", -45, False,
     "Scope, volumes, dates and a parallel-running period with the incoming provider."),
    (5, "Run the parallel period and move the traffic", "project_manager", -5, False,
     "Both providers work side by side; traffic moves in steps with daily checks on the KPIs."),
    (5, "Confirm the new provider is in steady state", "manager", 30, False,
     "KPIs at target for the first weeks; the exit is closed only after this."),
]


def create_default(apps, schema_editor):
    Template = apps.get_model("vendors", "ExitTemplate")
    Activity = apps.get_model("vendors", "ExitActivity")
    template, created = Template.objects.get_or_create(
        name=NAME, defaults={"description": DESCRIPTION, "is_default": True}
    )
    if created:
        Activity.objects.bulk_create(
            Activity(
                template=template,
                area=area,
                title=title,
                responsible=responsible,
                due_offset_days=offset,
                evidence_required=evidence_required,
                description=description,
            )
            for area, title, responsible, offset, evidence_required, description in ACTIVITIES
        )


def remove_default(apps, schema_editor):
    Template = apps.get_model("vendors", "ExitTemplate")
    Template.objects.filter(name=NAME, plans__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("vendors", "0005_exit")]

    operations = [migrations.RunPython(create_default, remove_default)]
