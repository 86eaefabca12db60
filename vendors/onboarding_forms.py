"""Forms of onboarding: templates and their activities, starting a plan, moving go-live, tasks."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from accounts.models import internal_people
from bporeg.uploads import ACCEPTED_TYPES, validate_upload
from vendors.forms import DATE
from vendors.models import (
    OnboardingPlan,
    OnboardingTask,
    OnboardingTemplate,
    TaskStatus,
    TemplateActivity,
)

GO_LIVE_REQUIRED = "Enter the go-live date: every task's due date is counted from it."


class TemplateForm(forms.ModelForm):
    class Meta:
        model = OnboardingTemplate
        fields = ["name", "description", "is_default"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class ActivityForm(forms.ModelForm):
    class Meta:
        model = TemplateActivity
        fields = ["phase", "title", "responsible", "due_offset_days", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, template, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.template = template

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        others = TemplateActivity.objects.filter(template=self.instance.template, title__iexact=title)
        if others.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("This template already has an activity with this title.")
        return title


class ApplyTemplateForm(forms.Form):
    template = forms.ModelChoiceField(queryset=OnboardingTemplate.objects.all(), empty_label=None)
    go_live = forms.DateField(
        label="Go-live date", widget=DATE, error_messages={"required": GO_LIVE_REQUIRED}
    )

    def __init__(self, *args, vendor, **kwargs):
        super().__init__(*args, **kwargs)
        self.vendor = vendor

    def clean(self):
        if OnboardingPlan.objects.filter(vendor=self.vendor).exists():
            raise forms.ValidationError(
                "This vendor's onboarding has already started; move its go-live instead."
            )
        return super().clean()


class GoLiveForm(forms.Form):
    go_live = forms.DateField(
        label="New go-live date",
        widget=DATE,
        error_messages={"required": GO_LIVE_REQUIRED},
        help_text="Open tasks move by the same number of days; done tasks keep their dates.",
    )


class TaskUpdateForm(forms.Form):
    """What anyone who may update a task changes: status (with a reason when blocked), a comment, a file."""

    status = forms.ChoiceField(choices=TaskStatus.choices)
    blocked_reason = forms.CharField(label="Why is it blocked?", max_length=300, required=False, strip=True)
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=4000)
    evidence = forms.FileField(
        label="Evidence", required=False, validators=[validate_upload], help_text=f"{ACCEPTED_TYPES}."
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == TaskStatus.BLOCKED and not cleaned.get("blocked_reason"):
            self.add_error(
                "blocked_reason", "Say why the task is blocked, so the right person can unblock it."
            )
        return cleaned


class TaskPlanForm(forms.ModelForm):
    """The manager's side of a task: what it is, who does it, and when it is due."""

    class Meta:
        model = OnboardingTask
        fields = ["title", "description", "phase", "responsible", "assignee", "due_date"]
        widgets = {"due_date": DATE, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Internal people, or staff of this task's vendor: never someone from another vendor.
        self.fields["assignee"].queryset = (
            get_user_model()
            .objects.filter(internal_people() | Q(profile__vendor=self.instance.vendor_id))
            .order_by("first_name", "username")
        )
