"""The preferences form: for each alert kind, in the app or not, and email right away, daily or never."""

from django import forms

from alerts import registry
from alerts.models import AlertPreference, EmailMode


class PreferencesForm(forms.Form):
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        saved = {p.kind: p for p in AlertPreference.objects.filter(user=user)}
        self.rows = []
        for kind in registry.KINDS.values():
            preference = saved.get(kind.code) or AlertPreference(kind=kind.code)
            in_app, email = f"{kind.code}-in_app", f"{kind.code}-email"
            self.fields[in_app] = forms.BooleanField(
                required=False, initial=preference.in_app, label=f"{kind.label}: in the app"
            )
            self.fields[email] = forms.ChoiceField(
                choices=EmailMode.choices, initial=preference.email, label=f"{kind.label}: email"
            )
            self.rows.append((kind, self[in_app], self[email]))

    def save(self) -> None:
        AlertPreference.objects.bulk_create(
            [
                AlertPreference(
                    user=self.user,
                    kind=kind.code,
                    in_app=self.cleaned_data[f"{kind.code}-in_app"],
                    email=self.cleaned_data[f"{kind.code}-email"],
                )
                for kind, _, _ in self.rows
            ],
            update_conflicts=True,
            unique_fields=["user", "kind"],
            update_fields=["in_app", "email"],
        )
