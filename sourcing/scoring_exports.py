"""The comparison as CSV, XLSX (formula-safe, through kpis.exports' table writers) and a PDF for the decision.

All three are built from the same `Comparison` as the page, so the figures never disagree. The views
serve them only to users who may see the scores (`may_see_scores`).
"""

from io import BytesIO
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from kpis.exports import Header, table_csv, table_xlsx
from reviews.pdf import NAVY, STYLES

DISAGREEMENT_RED = "#b02a37"


def _who(user):
    return user.get_full_name() or user.username


def comparison_rows(comparison):
    """A title block, the ranking, then one row per candidate and criterion (easy to filter and pivot)."""
    selection = comparison.selection
    yield ["Selection", selection.title]
    yield ["Reference", selection.reference]
    yield ["Submitted score sheets", comparison.sheets_submitted]
    yield ["Submitted by", ", ".join(_who(sheet.evaluator) for sheet in comparison.submitted)]
    yield []
    yield Header(["Rank", "Candidate", "Status", "Weighted total (1-5)", "% of maximum", "Disagreements"])
    for result in comparison.candidates:
        yield [
            result.rank,
            result.candidate.vendor.name,
            result.candidate.get_status_display(),
            result.weighted_total,
            result.percent,
            result.disagreements,
        ]
    yield []
    yield Header(
        [
            "Candidate",
            "Criterion",
            "Weight (%)",
            "Average",
            "Lowest",
            "Highest",
            "Spread",
            "Disagreement",
            "Scores",
        ]
    )
    for result in comparison.candidates:
        for cell in result.cells:
            yield [
                result.candidate.vendor.name,
                cell.criterion.name,
                cell.criterion.weight,
                cell.average,
                cell.low,
                cell.high,
                cell.spread,
                "yes" if cell.disagreement else "no",
                cell.scores,
            ]


def comparison_csv(comparison) -> bytes:
    return table_csv(comparison_rows(comparison))


def comparison_xlsx(comparison) -> bytes:
    return table_xlsx(comparison_rows(comparison), title=comparison.selection.reference[:31])


def _p(text, style="cell"):
    return Paragraph(escape(str(text if text not in (None, "") else "—")), STYLES[style])


def _table(header, rows, widths):
    table = Table(
        [[Paragraph(f"<b>{escape(h)}</b>", STYLES["cell"]) for h in header], *rows],
        colWidths=widths,
        repeatRows=1,
    )
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, NAVY),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f7f9fb")]),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _cell(cell):
    if cell.average is None:
        return _p("—", "num")
    if cell.disagreement:
        return Paragraph(
            f'<font color="{DISAGREEMENT_RED}"><b>{cell.average}</b><br/>'
            f"<font size=7>spread {cell.spread} — disagree</font></font>",
            STYLES["num"],
        )
    return Paragraph(f"{cell.average}<br/><font size=7>spread {cell.spread}</font>", STYLES["num"])


def _ranking(comparison):
    rows = [
        [
            _p(result.rank or "—"),
            _p(result.candidate.vendor.name),
            _p(result.candidate.get_status_display()),
            _p(result.weighted_total, "num"),
            _p(f"{result.percent}%" if result.percent is not None else None, "num"),
            _p(result.disagreements, "num"),
        ]
        for result in comparison.candidates
    ]
    header = ["Rank", "Candidate", "Status", "Weighted total (1–5)", "% of maximum", "Disagreements"]
    return _table(header, rows, [14 * mm, 90 * mm, 40 * mm, 38 * mm, 32 * mm, 30 * mm])


def _by_criterion(comparison):
    criteria = comparison.criteria
    width = (261 - 60) * mm / max(len(criteria), 1)
    header = ["Candidate", *(f"{criterion.name} ({criterion.weight}%)" for criterion in criteria)]
    rows = [
        [_p(result.candidate.vendor.name), *(_cell(cell) for cell in result.cells)]
        for result in comparison.candidates
    ]
    return _table(header, rows, [60 * mm, *([width] * len(criteria))])


def comparison_pdf(comparison) -> bytes:
    selection = comparison.selection
    buffer = BytesIO()
    title = f"Provider comparison — {selection.title}"
    doc = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=14 * mm,
        bottomMargin=14 * mm,
        title=title,
        author="bporeg",
    )
    submitted = ", ".join(
        f"{_who(sheet.evaluator)} ({timezone.localtime(sheet.submitted_at):%d %b %Y})"
        for sheet in comparison.submitted
    )
    pending = ", ".join(_who(user) for user in comparison.pending)
    story = [
        Paragraph(escape(title), STYLES["title"]),
        Paragraph(
            f"{escape(selection.reference)} · {escape(selection.get_status_display())} · "
            f"decision due {selection.decision_date:%d %b %Y} · "
            f"printed {timezone.localtime():%d %b %Y %H:%M}",
            STYLES["subtitle"],
        ),
        Paragraph("Weighted totals", STYLES["h2"]),
        Paragraph(
            "Σ weight × average score ÷ 100, on the 1–5 scale, from the submitted score sheets only.",
            STYLES["muted"],
        ),
        Spacer(1, 2 * mm),
        _ranking(comparison),
        Paragraph("Average score by criterion", STYLES["h2"]),
        Paragraph(
            "Spread = highest − lowest score among the evaluators; 2 or more is marked as a disagreement.",
            STYLES["muted"],
        ),
        Spacer(1, 2 * mm),
        _by_criterion(comparison),
        Paragraph("Evaluators", STYLES["h2"]),
        _p(f"Submitted: {submitted or 'nobody yet'}.", "body"),
    ]
    if pending:
        story.append(_p(f"Not submitted yet: {pending}.", "body"))
    doc.build(story)
    return buffer.getvalue()
