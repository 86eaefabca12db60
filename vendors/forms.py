"""Forms of the vendor registry: the vendor itself, its contacts, contracts and certifications."""

from datetime import timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import internal_people as internal_role
from vendors.models import Certification, Contact, Contract, Vendor, VendorStatus

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# Path segments the vendors URLs use for pages of their own: a vendor cannot take them as its slug.
RESERVED_SLUGS = {
    "new",
    "my-onboarding",
    "onboarding",
    "exit",
    "tasks",
    "contacts",
    "contracts",
    "certifications",
}
REVIEW_AT_LEAST_EVERY_DAYS = 366


def internal_people():
    return get_user_model().objects.filter(internal_role()).order_by("first_name")


class VendorForm(forms.ModelForm):
    class Meta:
        model = Vendor
        fields = [
            "name",
            "slug",
            "status",
            "owner",
            "services",
            "locations",
            "time_zone",
            "languages",
            "objectives",
            "review_cadence",
        ]
        widgets = {"services": forms.CheckboxSelectMultiple, "objectives": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "slug": "Used in the vendor's address; leave empty to build it from the name.",
            "objectives": "The goals agreed up front, in plain words.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["owner"].queryset = internal_people()
        # Archiving has its own button, so that it is always a deliberate, recorded act.
        self.fields["status"].choices = [c for c in VendorStatus.choices if c[0] != VendorStatus.ARCHIVED]

    def clean_slug(self):
        slug = self.cleaned_data.get("slug") or slugify(self.cleaned_data.get("name", ""))[:60]
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError("This address is used by the application; choose another.")
        if Vendor.objects.exclude(pk=self.instance.pk).filter(slug=slug).exists():
            raise forms.ValidationError("Another vendor already uses this address.")
        return slug


class VendorRecordForm(forms.ModelForm):
    """A form for a record that belongs to `vendor` (given by the view, never by the request body)."""

    def __init__(self, *args, vendor, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.vendor = vendor


class ContactForm(VendorRecordForm):
    class Meta:
        model = Contact
        fields = ["side", "name", "role", "email", "phone", "escalation_level"]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("email") and not cleaned.get("phone") and "email" not in self.errors:
            raise forms.ValidationError("Give an email address or a phone number, so they can be reached.")
        return cleaned


class ContractForm(VendorRecordForm):
    class Meta:
        model = Contract
        fields = [
            "reference",
            "start_date",
            "end_date",
            "renewal_notice_days",
            "auto_renew",
            "value",
            "currency",
            "monthly_fee",
            "pricing_model",
            "service_credit_terms",
            "next_review_date",
            "signed_document",
        ]
        widgets = {
            "start_date": DATE,
            "end_date": DATE,
            "next_review_date": DATE,
            "service_credit_terms": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"renewal_notice_days": "Renewal notice (days)", "auto_renew": "Renews automatically"}
        help_texts = {"next_review_date": "Contracts are reviewed at least once a year."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["next_review_date"].required = True

    def clean_currency(self):
        return self.cleaned_data["currency"].strip().upper()

    def clean_reference(self):
        reference = self.cleaned_data["reference"].strip()
        others = Contract.objects.filter(vendor=self.instance.vendor, reference__iexact=reference)
        if others.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("This vendor already has a contract with this reference.")
        return reference

    def clean(self):
        cleaned = super().clean()
        start, end, review = (cleaned.get(name) for name in ("start_date", "end_date", "next_review_date"))
        if start and end and end <= start:
            self.add_error("end_date", "The end date must be after the start date.")
        if start and review:
            earliest_from = max(start, timezone.localdate())
            if review < start:
                self.add_error("next_review_date", "The review cannot be before the contract starts.")
            elif review > earliest_from + timedelta(days=REVIEW_AT_LEAST_EVERY_DAYS):
                self.add_error(
                    "next_review_date",
                    "Review the contract at least yearly: pick a date within 12 months "
                    f"of {earliest_from:%d %b %Y}.",
                )
        return cleaned


class CertificationForm(VendorRecordForm):
    class Meta:
        model = Certification
        fields = ["kind", "reference", "issued_on", "expires_on", "evidence"]
        widgets = {"issued_on": DATE, "expires_on": DATE}

    def clean(self):
        cleaned = super().clean()
        issued, expires = cleaned.get("issued_on"), cleaned.get("expires_on")
        if issued and expires and expires <= issued:
            self.add_error("expires_on", "The expiry date must be after the issue date.")
        return cleaned
