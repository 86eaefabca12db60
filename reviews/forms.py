"""Forms of the reviews app. Every dropdown of vendor-owned rows is scoped with `visible_to(user)`."""

from django import forms
from django.contrib.auth import get_user_model
from django.forms import formset_factory
from django.utils import timezone

from accounts.models import internal_people
from reviews.models import (
    ActionItem,
    ActionItemStatus,
    Audit,
    AuditTemplate,
    PlanStatus,
    Review,
    Risk,
    Scale,
    TemplateVersion,
)
from vendors.models import Vendor

NOT_APPLICABLE = "na"
YES_NO_CHOICES = [("1", "Yes"), ("0", "No"), (NOT_APPLICABLE, "n.a.")]
RATING_CHOICES = [(str(n), str(n)) for n in range(1, 6)] + [(NOT_APPLICABLE, "n.a.")]
SCORE_CHOICES = [(n, str(n)) for n in range(1, 6)]


class DateInput(forms.DateInput):
    input_type = "date"


class MonthField(forms.DateField):
    """A month picker (<input type="month">) whose value is the month's first day."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")

    def __init__(self, **kwargs):
        super().__init__(input_formats=["%Y-%m", "%Y-%m-%d"], **kwargs)


# Templates ------------------------------------------------------------------------------------------


class TemplateForm(forms.Form):
    name = forms.CharField(max_length=120)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    pass_mark = forms.DecimalField(min_value=0, max_value=100, decimal_places=2, initial=85)
    change_note = forms.CharField(
        max_length=200, required=False, help_text="What changed and why (shown in the version list)."
    )

    def __init__(self, *args, template=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.template = template
        if template is not None:
            # The name identifies the template family; it is fixed once audits refer to it.
            self.fields["name"].disabled = True
            self.initial.setdefault("name", template.name)

    def clean_name(self):
        name = self.cleaned_data["name"]
        if self.template is None and AuditTemplate.objects.filter(name__iexact=name).exists():
            raise forms.ValidationError("A template with this name already exists; edit it instead.")
        return name


SMALL_INPUT = {"class": "form-control form-control-sm"}


class CriterionRowForm(forms.Form):
    section = forms.CharField(max_length=100, widget=forms.TextInput(attrs=SMALL_INPUT))
    label = forms.CharField(max_length=160, label="Criterion", widget=forms.TextInput(attrs=SMALL_INPUT))
    guidance = forms.CharField(max_length=300, required=False, widget=forms.TextInput(attrs=SMALL_INPUT))
    weight = forms.IntegerField(
        min_value=1, max_value=100, initial=1, widget=forms.NumberInput(attrs=SMALL_INPUT)
    )
    scale = forms.ChoiceField(
        choices=Scale.choices, widget=forms.Select(attrs={"class": "form-select form-select-sm"})
    )
    critical = forms.BooleanField(
        required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
    )

    def clean(self):
        data = super().clean()
        if data.get("critical") and data.get("scale") == Scale.RATING:
            # A critical criterion is a hard yes/no rule (a data-protection breach happened or not).
            self.add_error("scale", "A critical criterion uses the yes/no scale.")
        return data


class BaseCriterionFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        rows = [f.cleaned_data for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if not rows:
            raise forms.ValidationError("Add at least one criterion.")

    def rows(self):
        return [f.cleaned_data for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]


CriterionFormSet = formset_factory(
    CriterionRowForm, formset=BaseCriterionFormSet, extra=2, can_delete=True, max_num=80, validate_max=True
)


# Audits ---------------------------------------------------------------------------------------------


class AnswersMixin:
    """One radio group and one comment per criterion of a template version."""

    def add_answer_fields(self, criteria, initial=None):
        self.criteria = criteria
        initial = initial or {}
        for criterion in criteria:
            choices = YES_NO_CHOICES if criterion.scale == Scale.YES_NO else RATING_CHOICES
            value, comment = initial.get(criterion.pk, (None, ""))
            self.fields[f"c{criterion.pk}"] = forms.ChoiceField(
                label=criterion.label,
                choices=choices,
                widget=forms.RadioSelect,
                initial=NOT_APPLICABLE if value is None and criterion.pk in initial else value,
                error_messages={"required": "Answer this criterion (n.a. if it did not apply)."},
            )
            self.fields[f"c{criterion.pk}_comment"] = forms.CharField(
                max_length=300, required=False, label="Comment", initial=comment
            )

    def answer_rows(self):
        """(criterion, bound answer field, bound comment field) for the template to lay out."""
        return [(c, self[f"c{c.pk}"], self[f"c{c.pk}_comment"]) for c in self.criteria]

    def answers(self):
        rows = []
        for criterion in self.criteria:
            raw = self.cleaned_data[f"c{criterion.pk}"]
            value = None if raw == NOT_APPLICABLE else int(raw)
            rows.append((criterion, value, self.cleaned_data.get(f"c{criterion.pk}_comment", "")))
        return rows

    def clean_answers(self):
        if self.criteria and all(self.cleaned_data.get(f"c{c.pk}") == NOT_APPLICABLE for c in self.criteria):
            raise forms.ValidationError("Score at least one criterion: every answer is n.a.")


class AuditForm(AnswersMixin, forms.ModelForm):
    version = forms.ModelChoiceField(queryset=TemplateVersion.objects.none(), widget=forms.HiddenInput)

    class Meta:
        model = Audit
        fields = [
            "vendor",
            "channel",
            "reference",
            "interaction_date",
            "agent",
            "overall_comment",
            "evidence",
        ]
        widgets = {
            "interaction_date": DateInput(),
            "overall_comment": forms.Textarea(attrs={"rows": 3}),
            "evidence": forms.ClearableFileInput(),
        }

    def __init__(self, *args, user, version, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vendor"].queryset = Vendor.objects.visible_to(user).current()
        self.fields["version"].queryset = TemplateVersion.objects.filter(template__archived_at__isnull=True)
        self.fields["version"].initial = version.pk
        self.version = version
        self.add_answer_fields(criteria)

    def clean_interaction_date(self):
        day = self.cleaned_data["interaction_date"]
        if day > timezone.localdate():
            raise forms.ValidationError("The interaction date cannot be in the future.")
        return day

    def clean(self):
        data = super().clean()
        if data.get("version") and data["version"] != self.version:
            raise forms.ValidationError("The scorecard changed while you were filling it in; reload it.")
        try:
            self.clean_answers()
        except forms.ValidationError as error:
            self.add_error(None, error)
        return data


class DisputeForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        min_length=10,
        help_text="Which criteria do you disagree with, and why? Refer to the recording or ticket.",
    )


class DisputeDecisionForm(AnswersMixin, forms.Form):
    decision = forms.ChoiceField(
        choices=[("accept", "Accept and rescore"), ("reject", "Reject")], widget=forms.RadioSelect
    )
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Comment to the vendor")

    def __init__(self, *args, audit, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        current = {s.criterion_id: (s.value, s.comment) for s in audit.scores.all()}
        initial = {pk: (None if v is None else str(v), c) for pk, (v, c) in current.items()}
        self.add_answer_fields(criteria, initial=initial)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "accept":
            try:
                self.clean_answers()
            except forms.ValidationError as error:
                self.add_error(None, error)
        return data


class VoidForm(forms.Form):
    reason = forms.CharField(max_length=200, help_text="Why this audit no longer counts.")


# Reviews --------------------------------------------------------------------------------------------


class ReviewCreateForm(forms.Form):
    vendor = forms.ModelChoiceField(queryset=Vendor.objects.none())
    period = MonthField(help_text="Any month of the period; quarterly vendors get the whole quarter.")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vendor"].queryset = Vendor.objects.visible_to(user).current()


class ReviewForm(forms.ModelForm):
    rating = forms.TypedChoiceField(
        choices=[("", "Not rated yet"), *SCORE_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
        help_text="1 poor · 2 below expectations · 3 meets · 4 exceeds · 5 excellent",
    )

    class Meta:
        model = Review
        fields = ["notes", "decisions", "rating"]
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 4}),
            "decisions": forms.Textarea(attrs={"rows": 3}),
        }


class ActionItemForm(forms.ModelForm):
    class Meta:
        model = ActionItem
        fields = ["title", "owner", "owner_name", "due_date"]
        widgets = {"due_date": DateInput()}


class ActionItemProgressForm(forms.ModelForm):
    status = forms.ChoiceField(choices=ActionItemStatus.choices)

    class Meta:
        model = ActionItem
        fields = ["status", "progress_comment"]
        labels = {"progress_comment": "Comment"}


class ImprovementPlanForm(forms.Form):
    goal = forms.CharField(max_length=200)
    actions = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    deadline = forms.DateField(widget=DateInput())

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline <= timezone.localdate():
            raise forms.ValidationError("The deadline must be in the future.")
        return deadline


class ClosePlanForm(forms.Form):
    status = forms.ChoiceField(
        choices=[(PlanStatus.COMPLETED, "Completed"), (PlanStatus.CANCELLED, "Cancelled")]
    )


# Risks ----------------------------------------------------------------------------------------------


class RiskForm(forms.ModelForm):
    likelihood = forms.TypedChoiceField(
        choices=SCORE_CHOICES, coerce=int, help_text="1 rare … 5 almost certain"
    )
    impact = forms.TypedChoiceField(choices=SCORE_CHOICES, coerce=int, help_text="1 negligible … 5 severe")

    class Meta:
        model = Risk
        fields = [
            "vendor",
            "category",
            "title",
            "description",
            "likelihood",
            "impact",
            "owner",
            "mitigation",
            "status",
            "next_review_date",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "mitigation": forms.Textarea(attrs={"rows": 3}),
            "next_review_date": DateInput(),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vendor"].queryset = Vendor.objects.visible_to(user).current()
        self.fields["owner"].queryset = (
            get_user_model().objects.filter(internal_people()).order_by("first_name")
        )
        self.fields["owner"].label_from_instance = lambda u: u.get_full_name() or u.username
