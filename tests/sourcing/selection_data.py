"""Builders for the selections tests: a draft ready to open, objectives, and formset POST data."""

from decimal import Decimal

from sourcing.models import Objective, SelectionStatus
from tests.kpis.factories import kpi
from tests.sourcing.factories import SelectionFactory


def draft(owner, **fields):
    """A draft with the template's criteria, one objective and its owner as evaluator: ready to open."""
    selection = SelectionFactory(owner=owner, status=SelectionStatus.DRAFT, evaluators=[owner], **fields)
    objective(selection)
    return selection


def objective(selection, code="csat", target="85", warning="82", breach="78"):
    return Objective.objects.create(
        selection=selection,
        kpi=kpi(code),
        target=Decimal(target),
        warning_threshold=Decimal(warning),
        breach_threshold=Decimal(breach),
    )


def formset_data(initial=(), extra=(), prefix="rows"):
    """POST data for a model formset: `initial` rows carry their "id", `extra` rows are new."""
    rows = [*initial, *extra]
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(len(initial)),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
    return data


def criteria_rows(criteria, **weights):
    """The existing criteria as formset rows; `weights` changes some by name (spaces as underscores)."""
    rows = []
    for criterion in criteria:
        key = criterion.name.replace(" ", "_")
        rows.append(
            {
                "id": criterion.pk,
                "name": criterion.name,
                "guidance": criterion.guidance,
                "weight": weights.get(key, criterion.weight),
            }
        )
    return rows


def criteria_data(criteria, *, extra=(), delete=(), **weights):
    rows = criteria_rows(criteria, **weights)
    for row in rows:
        if row["name"] in delete:
            row["DELETE"] = "on"
    return formset_data(rows, extra)
