"""Access rules for the selections URLs (see access_rules.py for the world they run in).

Selections are internal work: vendor staff get 403 on every page, their own candidacy included (they
reach only their questionnaire). The forms that change criteria, objectives and candidates use a second
selection that is still open, so the manager's 200 shows the form and not the "frozen" refusal.
"""

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from bporeg.uploads import sample_bytes
from sourcing.models import ProposalDocument, SelectionStatus
from tests.access import INTERNAL_ONLY, PROJECT_LEADS, Rule
from tests.sourcing.factories import SelectionFactory

# A project lead's POST succeeds and redirects; everyone else is turned away before anything changes.
LEAD_POST = {**PROJECT_LEADS, "manager": 302, "pm": 302}


def setup(world):
    world.open_selection = SelectionFactory(
        owner=world.manager, status=SelectionStatus.OPEN, evaluators=[world.manager]
    )
    world.document_a = ProposalDocument(
        candidate=world.candidate_a, name="proposal.pdf", uploaded_by=world.manager
    )
    world.document_a.file.save("proposal.pdf", ContentFile(sample_bytes("pdf")))


def pk(name):
    return lambda world: {"pk": getattr(world, name).pk}


def upload(world):
    return {"kind": "proposal", "file": SimpleUploadedFile("proposal.pdf", sample_bytes("pdf"))}


RULES = {
    "sourcing:list": Rule(INTERNAL_ONLY),
    "sourcing:create": Rule(PROJECT_LEADS),
    "sourcing:criteria_template": Rule(PROJECT_LEADS),
    "sourcing:detail": Rule(INTERNAL_ONLY, kwargs=pk("selection")),
    "sourcing:edit": Rule(PROJECT_LEADS, kwargs=pk("selection")),
    "sourcing:status": Rule(
        LEAD_POST,
        kwargs=pk("selection"),
        method="post",
        data=lambda world: {"to": "cancelled", "reason": "Budget withdrawn"},
    ),
    "sourcing:objectives": Rule(PROJECT_LEADS, kwargs=pk("open_selection")),
    "sourcing:criteria": Rule(PROJECT_LEADS, kwargs=pk("open_selection")),
    "sourcing:candidate_add": Rule(PROJECT_LEADS, kwargs=pk("open_selection")),
    "sourcing:candidate": Rule(INTERNAL_ONLY, kwargs=pk("candidate_a")),
    "sourcing:candidate_edit": Rule(PROJECT_LEADS, kwargs=pk("candidate_a")),
    "sourcing:document_upload": Rule(LEAD_POST, kwargs=pk("candidate_a"), method="post", data=upload),
    "sourcing:document": Rule(INTERNAL_ONLY, kwargs=pk("document_a")),
}
