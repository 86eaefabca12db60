"""The manager sets a vendor's budget for a year."""

from django import forms

from costs.money import company_currency


class BudgetForm(forms.Form):
    amount = forms.DecimalField(min_value=0, max_digits=14, decimal_places=2)
    note = forms.CharField(required=False, max_length=200)

    def __init__(self, *args, year, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].label = f"Budget for {year} ({company_currency()})"
