"""Access rules for the issues URLs (see tests/test_access_matrix.py for the world they run in).

The world's issue belongs to vendor A, raised by staff_a with a file on its first thread entry.
"""

from django.core.files.uploadedfile import SimpleUploadedFile

from bporeg.uploads import sample_bytes
from relationship.issues import issue_raise
from relationship.models import IssueCategory, IssueState, Severity
from tests.access import (
    ANY_ROLE,
    INTERNAL_PERSONAS,
    NOBODY_INSIDE,
    OPERATORS,
    VENDOR_A,
    Rule,
)


def setup(world):
    world.issue = issue_raise(
        vendor=world.vendor_a,
        by=world.staff_a,
        title="Callers told the wrong refund rules",
        description="Since Monday agents quote the old refund policy.",
        category=IssueCategory.QUALITY,
        severity=Severity.HIGH,
        attachment=SimpleUploadedFile("calls.txt", sample_bytes("txt")),
    )
    world.issue_comment = world.issue.comments.get()


def issue(world):
    return {"pk": world.issue.pk}


# Posting is a redirect back to the issue for whoever may do it; staff of B do not see the issue at all.
POSTED = {**NOBODY_INSIDE, **dict.fromkeys(INTERNAL_PERSONAS, 302), "staff_a": 302, "staff_b": 404}

RULES = {
    "relationship:issue_list": Rule(ANY_ROLE),
    "relationship:issue_create": Rule(ANY_ROLE),
    "relationship:issue_detail": Rule(VENDOR_A, kwargs=issue),
    "relationship:issue_comment": Rule(
        POSTED, kwargs=issue, method="post", data=lambda world: {"body": "We are looking into it."}
    ),
    # Gathering information is a move the vendor's staff may make; QA and project managers move nothing.
    "relationship:issue_move": Rule(
        {**POSTED, "qa": 403, "pm": 403},
        kwargs=issue,
        method="post",
        data=lambda world: {"to": IssueState.INFORMATION_GATHERED},
    ),
    "relationship:issue_owners": Rule(
        {**OPERATORS, "manager": 302, "ops": 302},
        kwargs=issue,
        method="post",
        data=lambda world: {"internal_owner": world.ops.pk, "vendor_owner": world.staff_a.pk},
    ),
    "relationship:comment_attachment": Rule(VENDOR_A, kwargs=lambda world: {"pk": world.issue_comment.pk}),
}
