"""Forms for governance meetings. The vendor is chosen first, so every list in the form is that vendor's."""

from django import forms
from django.utils import timezone

from accounts.models import Role
from reviews.meetings import attendees_allowed
from reviews.models import Meeting, Review
from vendors.models import Vendor


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class VendorPickForm(forms.Form):
    vendor = forms.ModelChoiceField(queryset=Vendor.objects.none(), to_field_name="slug")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vendor"].queryset = Vendor.objects.visible_to(user).current().order_by("name")


class AttendeeField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        name = user.get_full_name() or user.username
        side = "vendor" if user.profile.role == Role.VENDOR_STAFF else user.profile.get_role_display()
        return f"{name} ({side})"


class MeetingForm(forms.ModelForm):
    attendees = AttendeeField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Internal people and the vendor's own staff; others by name below.",
    )

    class Meta:
        model = Meeting
        fields = [
            "kind",
            "title",
            "held_at",
            "location",
            "review",
            "attendees",
            "other_attendees",
            "agenda",
            "minutes",
            "decisions",
        ]
        widgets = {
            "held_at": DateTimeInput(),
            "other_attendees": forms.Textarea(attrs={"rows": 2}),
            "agenda": forms.Textarea(attrs={"rows": 3}),
            "minutes": forms.Textarea(attrs={"rows": 8}),
            "decisions": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, vendor, **kwargs):
        super().__init__(*args, **kwargs)
        self.vendor = vendor
        people = attendees_allowed(vendor).select_related("profile").order_by("first_name", "last_name")
        self.fields["attendees"].queryset = people
        self.fields["attendees"].error_messages["invalid_choice"] = (
            f"Attendees are internal people or {vendor}'s own staff."
        )
        self.fields["review"].queryset = Review.objects.current().filter(vendor=vendor)
        self.fields["review"].label_from_instance = lambda review: f"{review.period_label} review"
        if not self.instance.pk:
            self.fields["held_at"].initial = timezone.localtime().replace(minute=0, second=0, microsecond=0)
