"""Forms of the issue log: raising an issue, a comment, a move through the process, the owners.

The forms only parse; `relationship/issues.py` decides who may do what and reports refusals, which the
views put back on the form.
"""

from django import forms

from bporeg.access import runs_operations
from relationship.issues import operators, person, vendor_staff
from relationship.models import IssueCategory, IssueState, Severity
from vendors.models import Vendor, VendorStatus


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return person(obj)


class IssueForm(forms.Form):
    vendor = forms.ModelChoiceField(queryset=Vendor.objects.none())
    title = forms.CharField(max_length=200, help_text="What went wrong, in a line.")
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}), help_text="What happened, since when, what it affects."
    )
    category = forms.ChoiceField(choices=IssueCategory.choices)
    severity = forms.TypedChoiceField(choices=Severity.choices, coerce=int, initial=Severity.MEDIUM)
    internal_owner = PersonChoiceField(
        queryset=operators().order_by("first_name", "username"),
        required=False,
        label="Our owner",
        empty_label="The vendor's owner, if an operator",
    )
    attachment = forms.FileField(required=False, help_text="Optional: a screenshot, a report, a recording.")

    def __init__(self, *args, user, vendor=None, **kwargs):
        """`vendor` is fixed for vendor staff (their own) and when the issue comes from a source."""
        super().__init__(*args, **kwargs)
        if vendor is not None:
            del self.fields["vendor"]
        else:
            self.fields["vendor"].queryset = Vendor.objects.visible_to(user).exclude(
                status=VendorStatus.ARCHIVED
            )
        if not runs_operations(user):
            del self.fields["internal_owner"]
        self.vendor = vendor

    def raise_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data["vendor"] = self.vendor or data["vendor"]
        data.setdefault("internal_owner", None)
        return data


class CommentForm(forms.Form):
    body = forms.CharField(label="Comment", widget=forms.Textarea(attrs={"rows": 3}))
    attachment = forms.FileField(required=False, help_text="Optional: a file that supports your point.")


class MoveForm(forms.Form):
    """One move to `to` (posted by the form's button): agreeing asks for the agreement, mediation for
    the mediator. Each move is its own form on the page, with its own prefix."""

    agreement = forms.CharField(
        label="What both sides agreed",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="In their words: the vendor's staff read this.",
    )
    mediator = forms.CharField(max_length=120, help_text="Who mediates, and for whom they speak.")
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, to, **kwargs):
        kwargs.setdefault("prefix", f"move-{to}")
        super().__init__(*args, **kwargs)
        self.state = IssueState(to)
        if self.state != IssueState.AGREED:
            del self.fields["agreement"]
        if self.state != IssueState.MEDIATION:
            del self.fields["mediator"]


class OwnersForm(forms.Form):
    internal_owner = PersonChoiceField(queryset=None, required=False, label="Our owner", empty_label="Nobody")
    vendor_owner = PersonChoiceField(
        queryset=None, required=False, label="The vendor's owner", empty_label="Nobody"
    )

    def __init__(self, *args, issue, **kwargs):
        initial = {"internal_owner": issue.internal_owner_id, "vendor_owner": issue.vendor_owner_id}
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.fields["internal_owner"].queryset = operators().order_by("first_name", "username")
        self.fields["vendor_owner"].queryset = vendor_staff(issue.vendor_id).order_by(
            "first_name", "username"
        )
