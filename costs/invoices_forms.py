"""Forms of the invoices area: an invoice with its lines, the import upload, the PDF, the list filter."""

import django_filters
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from costs.invoicing import InvoiceData, LineData, validate_invoice_document
from costs.models import Invoice, InvoiceStatus
from reviews.filters import MonthFilter, visible_vendors
from vendors.models import Contract, Vendor

# The file is kept in the session between the preview and the confirmation: invoice files are small.
IMPORT_MAX_BYTES = 1024 * 1024


class ContractChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, contract):
        return f"{contract.reference} · {contract.vendor} · {contract.currency}"


class InvoiceForm(forms.Form):
    vendor = forms.ModelChoiceField(queryset=Vendor.objects.current())
    contract = ContractChoiceField(
        queryset=Contract.objects.current().select_related("vendor").order_by("vendor__name", "-start_date"),
        help_text="The vendor's contract in force in the invoiced month.",
    )
    number = forms.CharField(label="Invoice number", max_length=60)
    period = forms.DateField(
        label="Month invoiced",
        input_formats=["%Y-%m", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    issued_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    currency = forms.CharField(max_length=3, help_text="The contract's currency, e.g. EUR.")
    total = forms.DecimalField(max_digits=14, decimal_places=2, help_text="The total the vendor asks for.")
    document = forms.FileField(
        label="Invoice PDF",
        required=False,
        validators=[validate_invoice_document],
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
    )

    def clean_currency(self):
        return self.cleaned_data["currency"].strip().upper()

    def invoice_data(self) -> InvoiceData:
        data = self.cleaned_data
        return InvoiceData(data["number"], data["period"], data["issued_on"], data["currency"], data["total"])


class InvoiceLineForm(forms.Form):
    category = forms.SlugField(max_length=40, help_text="agent-seat, contacts, setup, service-credit…")
    description = forms.CharField(max_length=200, required=False)
    quantity = forms.DecimalField(max_digits=12, decimal_places=2)
    unit_price = forms.DecimalField(max_digits=12, decimal_places=4)
    amount = forms.DecimalField(
        max_digits=14, decimal_places=2, required=False, help_text="Empty: quantity × unit price."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Rendered as table cells, not through crispy: the widgets carry Bootstrap's class themselves.
        for field in self.fields.values():
            field.widget.attrs.update({"class": "form-control form-control-sm", "aria-label": field.label})


class BaseInvoiceLineFormSet(forms.BaseFormSet):
    def filled(self):
        return [form.cleaned_data for form in self.forms if form.cleaned_data]

    def clean(self):
        if not any(self.errors) and not self.filled():
            raise ValidationError("An invoice needs at least one line.")

    def lines(self) -> list[LineData]:
        return [
            LineData(
                category=row["category"],
                description=row["description"],
                quantity=row["quantity"],
                unit_price=row["unit_price"],
                amount=row["amount"],
            )
            for row in self.filled()
        ]


InvoiceLineFormSet = forms.formset_factory(
    InvoiceLineForm, formset=BaseInvoiceLineFormSet, extra=5, max_num=100, validate_max=True
)


class InvoiceImportForm(forms.Form):
    file = forms.FileField(
        label="CSV or XLSX file",
        help_text="One row per invoice line; the lines of one invoice number become one invoice.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > min(IMPORT_MAX_BYTES, settings.UPLOAD_MAX_BYTES):
            raise ValidationError("An invoice file is at most 1 MB: split a larger one.")
        if not upload.name.lower().endswith((".csv", ".xlsx", ".txt")):
            raise ValidationError("Upload a .csv or .xlsx file.")
        return upload


class InvoiceDocumentForm(forms.Form):
    document = forms.FileField(
        label="Invoice PDF",
        validators=[validate_invoice_document],
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
    )


class InvoiceFilter(django_filters.FilterSet):
    vendor = django_filters.ModelChoiceFilter(queryset=visible_vendors, empty_label="All vendors")
    period = MonthFilter(field_name="period", label="Month")
    status = django_filters.ChoiceFilter(choices=InvoiceStatus.choices, empty_label="Any status")

    class Meta:
        model = Invoice
        fields = ["vendor", "period", "status"]

    def __init__(self, *args, show_vendor=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not show_vendor:
            # Vendor staff see one vendor: their own.
            del self.filters["vendor"]
