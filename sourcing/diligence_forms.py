"""Forms of due diligence: the question bank, sending, an answer, a certification claim, a review.

They parse input only; the rules (dates, who may answer, notes a review needs, what a file may be) are
the services' in `sourcing.diligence`, whose refusals the views add back to these forms.
"""

from django import forms

from bporeg.uploads import ACCEPTED_TYPES
from sourcing.models import AnswerReview, DiligenceQuestion
from vendors.forms import DATE
from vendors.models import CertificationKind

EVIDENCE_HELP = f"{ACCEPTED_TYPES}."


class QuestionForm(forms.ModelForm):
    class Meta:
        model = DiligenceQuestion
        fields = ["position", "topic", "text", "evidence_required", "may_not_apply", "retired"]
        widgets = {
            "position": forms.NumberInput(attrs={"class": "form-control form-control-sm", "min": 0}),
            "topic": forms.Select(attrs={"class": "form-select form-select-sm"}),
            "text": forms.TextInput(attrs={"class": "form-control form-control-sm"}),
            "evidence_required": forms.CheckboxInput(attrs={"class": "form-check-input"}),
            "may_not_apply": forms.CheckboxInput(attrs={"class": "form-check-input"}),
            "retired": forms.CheckboxInput(attrs={"class": "form-check-input"}),
        }


# One row per question of the bank, and an empty one to add a question. Questions are retired, never
# deleted: the questionnaires already sent point at them.
QuestionFormSet = forms.modelformset_factory(DiligenceQuestion, form=QuestionForm, extra=1, can_delete=False)


class SendForm(forms.Form):
    due_date = forms.DateField(
        label="Answers due", widget=DATE, error_messages={"required": "Enter the date the answers are due."}
    )


class AnswerForm(forms.Form):
    response = forms.CharField(label="Your answer", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    does_not_apply = forms.BooleanField(label="Does not apply to us", required=False)
    evidence = forms.FileField(label="Evidence", required=False, help_text=EVIDENCE_HELP)

    def __init__(self, *args, answer, **kwargs):
        kwargs.setdefault("auto_id", f"answer-{answer.pk}-%s")
        kwargs.setdefault("initial", {"response": answer.response, "does_not_apply": answer.does_not_apply})
        super().__init__(*args, **kwargs)
        self.answer = answer
        if not answer.may_not_apply:
            del self.fields["does_not_apply"]

    def clean(self):
        cleaned = super().clean()
        cleaned.setdefault("does_not_apply", False)
        return cleaned


class CertificationClaimForm(forms.Form):
    kind = forms.ChoiceField(label="Certification", choices=CertificationKind.choices)
    reference = forms.CharField(
        max_length=120, required=False, help_text="Certificate number, scope or issuing body."
    )
    issued_on = forms.DateField(label="Issued on", widget=DATE)
    expires_on = forms.DateField(label="Expires on", widget=DATE, required=False)
    evidence = forms.FileField(label="Certificate", required=False, help_text=EVIDENCE_HELP)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[
            (AnswerReview.ACCEPTED, "Accept"),
            (AnswerReview.CLARIFICATION, "Ask for clarification"),
            (AnswerReview.REJECTED, "Reject"),
        ],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    note = forms.CharField(
        label="Note to the candidate",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required to ask for clarification or reject: what is missing, or why.",
    )

    def __init__(self, *args, answer, **kwargs):
        kwargs.setdefault("auto_id", f"review-{answer.pk}-%s")
        if answer.review != AnswerReview.PENDING:
            kwargs.setdefault("initial", {"decision": answer.review})
        super().__init__(*args, **kwargs)
        self.answer = answer
