"""Demo contacts and certifications: every vendor gets people on both sides and a few certificates,
some of them expired or expiring, so the vendor page has something to warn about."""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from simple_history.utils import bulk_create_with_history

from bporeg.uploads import sample_bytes
from vendors.models import Certification, CertificationKind, Contact, ContactSide, EscalationLevel

FIRST_NAMES = ["Ana", "Ravi", "Jomar", "Kasia", "Thabo", "Lucía", "Marta", "Sipho", "Priya", "Diego"]
LAST_NAMES = ["Santos", "Iyer", "Reyes", "Nowak", "Dlamini", "Gómez", "Silva", "Nkosi", "Shah", "Ruiz"]
# Named vendors get real evidence files; the bulk ones only records, to keep a 1,000-vendor seed quick.
EVIDENCE_FOR_FIRST = 6


def _person(index, offset):
    return f"{FIRST_NAMES[(index + offset) % 10]} {LAST_NAMES[(index * 3 + offset) % 10]}"


def seed_records(ctx):
    _seed_contacts(ctx)
    _seed_certifications(ctx)


def _seed_contacts(ctx):
    done = set(Contact.objects.filter(vendor__in=ctx.vendors).values_list("vendor_id", flat=True))
    contacts = []
    for index, vendor in enumerate(ctx.vendors):
        if vendor.pk in done:
            continue
        domain = f"{vendor.slug}.example"
        owner = vendor.owner
        for side, offset, role, level in [
            (ContactSide.VENDOR, 0, "Account manager", EscalationLevel.OPERATIONAL),
            (ContactSide.VENDOR, 1, "Operations director", EscalationLevel.MANAGEMENT),
            (ContactSide.VENDOR, 2, "Managing director", EscalationLevel.EXECUTIVE),
        ]:
            name = _person(index, offset)
            email = f"{name.split()[0].lower()}@{domain}"
            contacts.append(
                Contact(vendor=vendor, side=side, name=name, role=role, email=email, escalation_level=level)
            )
        contacts.append(
            Contact(
                vendor=vendor,
                side=ContactSide.INTERNAL,
                name=owner.get_full_name() or owner.username,
                role="Vendor relationship owner",
                email=owner.email,
                escalation_level=EscalationLevel.OPERATIONAL,
            )
        )
        contacts.append(
            Contact(
                vendor=vendor,
                side=ContactSide.INTERNAL,
                name="Dana Whitfield",
                role="Head of customer operations",
                email="dana.whitfield@bporeg.example",
                phone="+49 30 5550 1200",
                escalation_level=EscalationLevel.EXECUTIVE,
            )
        )
    Contact.objects.bulk_create(contacts)


def _seed_certifications(ctx):
    done = set(Certification.objects.filter(vendor__in=ctx.vendors).values_list("vendor_id", flat=True))
    certifications = []
    for index, vendor in enumerate(ctx.vendors):
        if vendor.pk in done:
            continue
        # Spread expiry dates: every fourth vendor has an expired ISO certificate, every third an
        # expiring SOC 2 report, the rest are comfortably valid.
        iso_expiry = ctx.today + timedelta(days=-20 if index % 4 == 1 else 400 + 30 * (index % 5))
        soc_expiry = ctx.today + timedelta(days=35 if index % 3 == 2 else 250)
        for kind, issued, expires, reference in [
            (CertificationKind.ISO_27001, iso_expiry - timedelta(days=3 * 365), iso_expiry, "Cert. IS 7301"),
            (
                CertificationKind.SOC_2,
                soc_expiry - timedelta(days=365),
                soc_expiry,
                "Type II, 12-month period",
            ),
            (CertificationKind.GDPR_DPA, ctx.today - timedelta(days=200 + index % 90), None, "Signed DPA"),
        ]:
            certification = Certification(
                vendor=vendor, kind=kind, issued_on=issued, expires_on=expires, reference=reference
            )
            if index < EVIDENCE_FOR_FIRST:
                certification.evidence.name = default_storage.save(
                    f"certifications/demo/{vendor.slug}/{kind}.pdf", ContentFile(sample_bytes("pdf"))
                )
            certifications.append(certification)
    bulk_create_with_history(certifications, Certification, default_user=ctx.users["manager"])
