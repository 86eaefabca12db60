"""Reads for due diligence, always from the scoped querysets: a candidate's staff reach only their own
vendor's questionnaires; lists are counted in SQL, so their query count stays flat as they grow."""

from django.db.models import Count, Prefetch, Q

from sourcing.models import Answer, AnswerReview, Questionnaire, Topic


def with_progress(questionnaires):
    """Each questionnaire with how many questions it has, answered, and reviewed each way."""
    answered = Q(answers__does_not_apply=True) | ~Q(answers__response="")
    return questionnaires.annotate(
        question_count=Count("answers"),
        answered_count=Count("answers", filter=answered),
        accepted_count=Count("answers", filter=Q(answers__review=AnswerReview.ACCEPTED)),
        clarification_count=Count("answers", filter=Q(answers__review=AnswerReview.CLARIFICATION)),
        rejected_count=Count("answers", filter=Q(answers__review=AnswerReview.REJECTED)),
    )


def questionnaires_visible_to(user):
    return Questionnaire.objects.visible_to(user).select_related("candidate__vendor", "candidate__selection")


def questionnaire_for_page(user, pk):
    """One questionnaire with its answers and certification claims, in three queries."""
    answers = Answer.objects.select_related("answered_by")
    queryset = (
        questionnaires_visible_to(user)
        .select_related("submitted_by", "reviewed_by")
        .prefetch_related(Prefetch("answers", queryset=answers), "certifications")
    )
    return queryset.filter(pk=pk)


def answers_by_topic(answers):
    """[(topic label, [answers])] in the topics' order, each topic's answers in the bank's order."""
    grouped = {}
    for answer in answers:
        grouped.setdefault(answer.topic, []).append(answer)
    return [(Topic(topic).label, grouped[topic]) for topic in Topic.values if topic in grouped]


def selection_questionnaires(selection):
    """The selection's candidates, each with its questionnaire (or None) and that questionnaire's progress."""
    candidates = list(selection.candidates.select_related("vendor").order_by("vendor__name"))
    questionnaires = with_progress(Questionnaire.objects.filter(candidate__selection=selection))
    by_candidate = {q.candidate_id: q for q in questionnaires}
    for candidate in candidates:
        candidate.diligence = by_candidate.get(candidate.pk)
    return candidates
