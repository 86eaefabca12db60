"""Due-diligence pages: the question bank, sending, answering (htmx and plain posts), review, downloads,
and what each person may see. The rules themselves are tested in test_diligence.py."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sourcing.models import AnswerReview, DiligenceQuestion, Questionnaire, QuestionnaireStatus, Topic
from tests.sourcing.diligence_builders import due_in, pdf, review_all, sent, submitted
from tests.sourcing.factories import CandidateFactory, SelectionFactory

FAKE_PDF = b"<html><script>alert(1)</script></html>"


@pytest.fixture
def selection(manager, qa):
    return SelectionFactory(owner=manager, evaluators=[manager, qa])


@pytest.fixture
def candidate_a(selection, vendor_a):
    return CandidateFactory(selection=selection, vendor=vendor_a)


@pytest.fixture
def candidate_b(selection, vendor_b):
    return CandidateFactory(selection=selection, vendor=vendor_b)


@pytest.fixture
def questionnaire_a(candidate_a, manager):
    return sent(candidate_a, by=manager)


def page(client, questionnaire):
    return client.get(reverse("sourcing:questionnaire", args=[questionnaire.pk])).content.decode()


# The question bank


def _bank_data(changes=None, new=None):
    questions = list(DiligenceQuestion.objects.all())
    data = {
        "form-TOTAL_FORMS": str(len(questions) + 1),
        "form-INITIAL_FORMS": str(len(questions)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
    }
    for i, question in enumerate(questions):
        row = {
            "id": question.pk,
            "position": question.position,
            "topic": question.topic,
            "text": question.text,
            "evidence_required": "on" if question.evidence_required else "",
            "may_not_apply": "on" if question.may_not_apply else "",
            "retired": "on" if question.retired else "",
        }
        row.update((changes or {}).get(question.pk, {}))
        data.update({f"form-{i}-{field}": value for field, value in row.items() if value != ""})
    for field, value in (new or {}).items():
        data[f"form-{len(questions)}-{field}"] = value
    return data


def test_the_manager_edits_retires_and_adds_questions(client_for, manager):
    client = client_for(manager)
    assert "How is our data encrypted at rest" in client.get(reverse("sourcing:questions")).content.decode()
    first, second = DiligenceQuestion.objects.all()[:2]
    data = _bank_data(
        changes={
            first.pk: {"text": "Who may access our customers' data?", "evidence_required": "on"},
            second.pk: {"retired": "on"},
        },
        new={"position": "99", "topic": Topic.BACKGROUND_CHECKS, "text": "Do you re-check staff yearly?"},
    )
    response = client.post(reverse("sourcing:questions"), data)
    assert response.status_code == 302
    first.refresh_from_db(), second.refresh_from_db()
    assert first.text == "Who may access our customers' data?" and first.evidence_required
    assert second.retired
    assert DiligenceQuestion.objects.get(text="Do you re-check staff yearly?").position == 99


def test_a_duplicate_question_changes_nothing(client_for, manager):
    first = DiligenceQuestion.objects.first()
    data = _bank_data(new={"position": "1", "topic": first.topic, "text": first.text})
    response = client_for(manager).post(reverse("sourcing:questions"), data)
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert DiligenceQuestion.objects.count() == 14


# Sending


def test_the_manager_sends_from_the_selections_questionnaires(client_for, manager, candidate_a, candidate_b):
    client = client_for(manager)
    listing = reverse("sourcing:questionnaire_list", args=[candidate_a.selection_id])
    html = client.get(listing).content.decode()
    assert "Not sent yet" in html
    assert f'href="{candidate_a.selection.get_absolute_url()}"' in html, "the way back to the selection"
    url = reverse("sourcing:questionnaire_send", args=[candidate_a.pk])
    response = client.post(url, {"due_date": due_in(7).isoformat(), "next": listing})
    questionnaire = Questionnaire.objects.get(candidate=candidate_a)
    assert response.url == questionnaire.get_absolute_url()
    again = client.post(url, {"due_date": due_in(7).isoformat(), "next": listing}, follow=True)
    assert "already has its questionnaire" in again.content.decode()
    late = client.post(
        reverse("sourcing:questionnaire_send", args=[candidate_b.pk]),
        {"due_date": due_in(-1).isoformat(), "next": listing},
        follow=True,
    )
    assert "in the past" in late.content.decode()
    assert Questionnaire.objects.count() == 1


def test_sending_says_when_the_candidate_has_no_staff_yet(client_for, manager, selection):
    prospect = CandidateFactory(selection=selection)
    url = reverse("sourcing:questionnaire_send", args=[prospect.pk])
    response = client_for(manager).post(url, {"due_date": due_in().isoformat()}, follow=True)
    assert "has no staff account yet" in response.content.decode()


# Answering, as the candidate's staff


def test_the_staff_see_the_questions_by_topic_and_nothing_of_the_selection(
    client_for, staff_a, questionnaire_a, candidate_b, manager
):
    sent(candidate_b, by=manager)
    html = page(client_for(staff_a), questionnaire_a)
    assert html.index("Data protection") < html.index("Encryption in transit and at rest")
    assert html.count('class="card mb-2 answer-card"') == 14
    assert "Submit the questionnaire" in html and "Save review" not in html
    assert candidate_b.vendor.name not in html and "/scores/" not in html and "/compare" not in html


def test_an_answer_saved_with_htmx_returns_its_card(client_for, staff_a, questionnaire_a):
    answer = questionnaire_a.answers.filter(evidence_required=True).first()
    response = client_for(staff_a).post(
        reverse("sourcing:answer_save", args=[answer.pk]),
        {"response": "By Example Sec, in March.", "evidence": pdf("pentest.pdf")},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="answer-{answer.pk}"' in html and "Saved." in html and "pentest.pdf" in html
    assert 'id="diligence-progress"' in html and 'hx-swap-oob="true"' in html
    answer.refresh_from_db()
    assert answer.response == "By Example Sec, in March." and answer.answered_by == staff_a


def test_a_plain_post_saves_and_returns_to_the_answer(client_for, staff_a, questionnaire_a):
    answer = questionnaire_a.answers.first()
    response = client_for(staff_a).post(
        reverse("sourcing:answer_save", args=[answer.pk]), {"response": "Yes."}
    )
    assert response.url == f"{questionnaire_a.get_absolute_url()}#answer-{answer.pk}"
    answer.refresh_from_db()
    assert answer.response == "Yes."


@pytest.mark.parametrize("htmx", [False, True])
def test_a_fake_pdf_is_refused_and_nothing_changes(client_for, staff_a, questionnaire_a, htmx):
    answer = questionnaire_a.answers.first()
    fake = SimpleUploadedFile("policy.pdf", FAKE_PDF, content_type="application/pdf")
    response = client_for(staff_a).post(
        reverse("sourcing:answer_save", args=[answer.pk]),
        {"response": "See the file.", "evidence": fake},
        headers={"HX-Request": "true"} if htmx else {},
    )
    assert response.status_code == 200
    assert "not an accepted type" in response.content.decode()
    answer.refresh_from_db()
    assert answer.response == "" and not answer.evidence


def test_submitting_an_incomplete_questionnaire_says_what_is_missing(client_for, staff_a, questionnaire_a):
    url = reverse("sourcing:questionnaire_submit", args=[questionnaire_a.pk])
    html = client_for(staff_a).post(url, follow=True).content.decode()
    assert "Answer these questions:" in html and "Attach the evidence asked for:" in html
    questionnaire_a.refresh_from_db()
    assert questionnaire_a.status == QuestionnaireStatus.SENT


def test_certifications_are_added_with_their_file(client_for, staff_a, questionnaire_a):
    client = client_for(staff_a)
    url = reverse("sourcing:questionnaire_certification_add", args=[questionnaire_a.pk])
    bad = client.post(url, {"kind": "soc_2", "issued_on": due_in(0), "expires_on": due_in(-5)})
    assert bad.status_code == 200 and "expires after the day it was issued" in bad.content.decode()
    client.post(url, {"kind": "soc_2", "issued_on": due_in(-30), "evidence": pdf("soc2.pdf")})
    claim = questionnaire_a.certifications.get()
    response = client.get(reverse("sourcing:questionnaire_certification_evidence", args=[claim.pk]))
    assert response["Content-Disposition"].startswith("attachment")


# Review, as a manager; QA reads


def test_the_manager_reviews_with_notes(client_for, manager, candidate_a, staff_a):
    questionnaire = submitted(candidate_a, manager=manager, staff=staff_a)
    answer = questionnaire.answers.first()
    client = client_for(manager)
    assert "Save review" in page(client, questionnaire)
    url = reverse("sourcing:answer_review", args=[answer.pk])
    refused = client.post(url, {"decision": "clarification", "note": ""})
    assert refused.status_code == 200 and "Say what is missing" in refused.content.decode()
    response = client.post(url, {"decision": "clarification", "note": "Which countries?"})
    assert response.url.endswith(f"#answer-{answer.pk}")
    answer.refresh_from_db()
    assert (answer.review, answer.review_note) == (AnswerReview.CLARIFICATION, "Which countries?")


def test_qa_reads_the_answers_and_evidence_but_does_not_review(client_for, qa, manager, candidate_a, staff_a):
    questionnaire = submitted(candidate_a, manager=manager, staff=staff_a)
    answer = questionnaire.answers.exclude(evidence="").first()
    client = client_for(qa)
    html = page(client, questionnaire)
    assert "Our answer to:" in html and "Save review" not in html
    assert client.get(reverse("sourcing:answer_evidence", args=[answer.pk])).status_code == 200
    response = client.post(reverse("sourcing:answer_review", args=[answer.pk]), {"decision": "accepted"})
    assert response.status_code == 403
    answer.refresh_from_db()
    assert answer.review == AnswerReview.PENDING


def test_the_staff_see_their_reviews_once_settled(client_for, manager, candidate_a, staff_a):
    questionnaire = submitted(candidate_a, manager=manager, staff=staff_a)
    review_all(questionnaire, by=manager, decision="clarification", note="Tell us more.")
    html = page(client_for(staff_a), questionnaire)
    assert "Clarification asked" in html and "Tell us more." in html and "Save answer" in html


# Isolation


def test_staff_of_another_vendor_find_nothing_of_a(client_for, staff_b, questionnaire_a, staff_a):
    answer = questionnaire_a.answers.first()
    from sourcing import diligence

    diligence.answer_save(answer=answer, by=staff_a, response="Ours.", does_not_apply=False, evidence=pdf())
    claim = diligence.certification_claim_add(
        questionnaire=questionnaire_a, by=staff_a, kind="iso_27001", issued_on=due_in(-10), evidence=pdf()
    )
    client = client_for(staff_b)
    for url in (
        reverse("sourcing:questionnaire", args=[questionnaire_a.pk]),
        reverse("sourcing:answer_evidence", args=[answer.pk]),
        reverse("sourcing:questionnaire_certification_evidence", args=[claim.pk]),
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(reverse("sourcing:answer_save", args=[answer.pk]), {"response": "Theirs."})
    assert response.status_code == 404
    answer.refresh_from_db()
    assert answer.response == "Ours."


def test_the_staff_list_only_their_own_questionnaires(client_for, manager, staff_a, candidate_a, candidate_b):
    mine = sent(candidate_a, by=manager)
    theirs = sent(candidate_b, by=manager)
    elsewhere = sent(
        CandidateFactory(selection=SelectionFactory(owner=manager), vendor=candidate_a.vendor), by=manager
    )
    html = client_for(staff_a).get(reverse("sourcing:my_questionnaires")).content.decode()
    assert f'data-questionnaire="{mine.pk}"' in html and f'data-questionnaire="{elsewhere.pk}"' in html
    assert f'data-questionnaire="{theirs.pk}"' not in html and candidate_b.vendor.name not in html


# Query counts, at two sizes


def test_the_selections_questionnaires_page_is_flat(
    client_for, manager, selection, django_assert_num_queries
):
    client = client_for(manager)
    url = reverse("sourcing:questionnaire_list", args=[selection.pk])
    for size in (3, 30):
        while selection.candidates.count() < size:
            candidate = CandidateFactory(selection=selection)
            if selection.candidates.count() % 2:
                sent(candidate, by=manager)
        # session, user, profile, selection, candidates, questionnaires with their progress
        with django_assert_num_queries(6):
            assert client.get(url).status_code == 200


def test_my_questionnaires_is_flat(client_for, manager, staff_a, vendor_a, django_assert_num_queries):
    client = client_for(staff_a)
    for size in (2, 12):
        while vendor_a.candidacies.count() < size:
            sent(CandidateFactory(selection=SelectionFactory(owner=manager), vendor=vendor_a), by=manager)
        # session, user, profile, questionnaires with their selection and progress
        with django_assert_num_queries(4):
            assert client.get(reverse("sourcing:my_questionnaires")).status_code == 200


@pytest.mark.parametrize("in_use", [4, 14])
def test_the_questionnaire_page_is_flat(
    client_for, manager, candidate_a, staff_a, in_use, django_assert_num_queries
):
    DiligenceQuestion.objects.filter(pk__in=DiligenceQuestion.objects.order_by("-pk")[: 14 - in_use]).update(
        retired=True
    )
    questionnaire = submitted(candidate_a, manager=manager, staff=staff_a)
    assert questionnaire.answers.count() == in_use
    client = client_for(manager)
    # session, user, profile, questionnaire, answers, certifications
    with django_assert_num_queries(6):
        page(client, questionnaire)
