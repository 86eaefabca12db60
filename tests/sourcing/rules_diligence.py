"""Access rules for the diligence URLs (see access_rules.py for the world they run in).

Vendor A's candidate has a questionnaire just sent (with one answer's evidence and a certification);
in a second selection vendor A's questionnaire is submitted, for the manager's review.
"""

from sourcing import diligence
from tests.access import INTERNAL_ONLY, PROJECT_LEADS, STAFF_OF_A, STAFF_ONLY, VENDOR_A, Rule
from tests.sourcing.diligence_builders import due_in, pdf, sent, submitted
from tests.sourcing.factories import CandidateFactory, SelectionFactory

# A project lead's POST succeeds and redirects; everyone else is turned away before anything changes.
LEAD_POST = {**PROJECT_LEADS, "manager": 302, "pm": 302}
# The candidate's own staff change their questionnaire; B's staff find nothing; internal people may not.
STAFF_A_POST = {**STAFF_OF_A, "staff_a": 302}


def setup(world):
    world.questionnaire_a = sent(world.candidate_a, by=world.manager)
    world.answer_a = world.questionnaire_a.answers.filter(evidence_required=True).first()
    diligence.answer_save(
        answer=world.answer_a, by=world.staff_a, response="Last May.", does_not_apply=False, evidence=pdf()
    )
    world.claim_a = diligence.certification_claim_add(
        questionnaire=world.questionnaire_a,
        by=world.staff_a,
        kind="iso_27001",
        issued_on=due_in(-100),
        evidence=pdf("iso.pdf"),
    )
    other = CandidateFactory(selection=SelectionFactory(owner=world.manager), vendor=world.vendor_a)
    world.submitted_a = submitted(other, manager=world.manager, staff=world.staff_a)
    world.answer_to_review = world.submitted_a.answers.first()


def pk(name):
    return lambda world: {"pk": getattr(world, name).pk}


RULES: dict[str, Rule] = {
    "sourcing:questions": Rule(PROJECT_LEADS),
    "sourcing:my_questionnaires": Rule(STAFF_ONLY),
    "sourcing:questionnaire_list": Rule(INTERNAL_ONLY, kwargs=pk("selection")),
    "sourcing:questionnaire_send": Rule(
        LEAD_POST,
        kwargs=pk("candidate_b"),
        method="post",
        data=lambda world: {"due_date": due_in().isoformat()},
    ),
    "sourcing:questionnaire": Rule(VENDOR_A, kwargs=pk("questionnaire_a")),
    "sourcing:questionnaire_submit": Rule(STAFF_A_POST, kwargs=pk("questionnaire_a"), method="post"),
    "sourcing:questionnaire_certification_add": Rule(
        STAFF_A_POST,
        kwargs=pk("questionnaire_a"),
        method="post",
        data=lambda world: {"kind": "soc_2", "issued_on": due_in(-30).isoformat()},
    ),
    "sourcing:questionnaire_certification_remove": Rule(STAFF_A_POST, kwargs=pk("claim_a"), method="post"),
    "sourcing:questionnaire_certification_evidence": Rule(VENDOR_A, kwargs=pk("claim_a")),
    "sourcing:answer_save": Rule(
        STAFF_A_POST,
        kwargs=pk("answer_a"),
        method="post",
        data=lambda world: {"response": "Last May, by an outside firm."},
    ),
    "sourcing:answer_review": Rule(
        LEAD_POST,
        kwargs=pk("answer_to_review"),
        method="post",
        data=lambda world: {"decision": "accepted"},
    ),
    "sourcing:answer_evidence": Rule(VENDOR_A, kwargs=pk("answer_a")),
}
