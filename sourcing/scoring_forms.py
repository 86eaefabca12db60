"""The evaluator's score sheet as one form: a 1–5 choice and a comment for each candidate × criterion."""

from django import forms

from sourcing.scoring import ScoreRow

SCALE_CHOICES = [
    ("", "—"),
    (1, "1 · Poor"),
    (2, "2 · Weak"),
    (3, "3 · Adequate"),
    (4, "4 · Good"),
    (5, "5 · Excellent"),
]


class ScoreSheetForm(forms.Form):
    def __init__(self, *args, candidates, criteria, scores=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates, self.criteria = candidates, criteria
        given = {(score.candidate_id, score.criterion_id): score for score in scores}
        for criterion in criteria:
            for candidate in candidates:
                score = given.get((candidate.pk, criterion.pk))
                value, comment = self._names(candidate, criterion)
                self.fields[value] = forms.TypedChoiceField(
                    label=f"{candidate.vendor.name} on {criterion.name}",
                    choices=SCALE_CHOICES,
                    coerce=int,
                    empty_value=None,
                    required=False,
                    initial=score.value if score else None,
                    widget=forms.Select(attrs={"class": "form-select form-select-sm mb-1"}),
                )
                self.fields[comment] = forms.CharField(
                    label=f"Comment on {candidate.vendor.name}, {criterion.name}",
                    required=False,
                    max_length=2000,
                    widget=forms.Textarea(
                        attrs={
                            "rows": 2,
                            "class": "form-control form-control-sm",
                            "placeholder": "Why this score",
                        }
                    ),
                    initial=score.comment if score else "",
                )

    @staticmethod
    def _names(candidate, criterion):
        return f"value-{candidate.pk}-{criterion.pk}", f"comment-{candidate.pk}-{criterion.pk}"

    def clean(self):
        cleaned = super().clean()
        for criterion in self.criteria:
            for candidate in self.candidates:
                value, comment = self._names(candidate, criterion)
                if cleaned.get(value) is None and cleaned.get(comment, "").strip():
                    self.add_error(value, "Choose a score for this comment.")
        return cleaned

    def grid(self):
        """Criteria as rows, candidates as columns: [(criterion, [(candidate, value, comment)])]."""
        return [
            (
                criterion,
                [
                    (candidate, *(self[name] for name in self._names(candidate, criterion)))
                    for candidate in self.candidates
                ],
            )
            for criterion in self.criteria
        ]

    def rows(self):
        """The cells the browser sent; a cell missing from the request is left as it was."""
        rows = []
        for criterion in self.criteria:
            for candidate in self.candidates:
                value, comment = self._names(candidate, criterion)
                if value in self.data:
                    rows.append(
                        ScoreRow(
                            candidate.pk, criterion.pk, self.cleaned_data[value], self.cleaned_data[comment]
                        )
                    )
        return rows
