"""The review as a PDF a manager can send on: reportlab's page layout (pure Python, no system
libraries), built from the same prepared pack as the page so the two never disagree."""

from io import BytesIO
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

NAVY = colors.HexColor("#1f4e79")
STATUS_COLOURS = {"met": "#0f5132", "warning": "#8a6d03", "breached": "#b02a37"}
RATING_WORDS = {
    1: "Poor",
    2: "Below expectations",
    3: "Meets expectations",
    4: "Exceeds expectations",
    5: "Excellent",
}

_base = getSampleStyleSheet()
STYLES = {
    "title": ParagraphStyle(
        "title", parent=_base["Title"], alignment=0, textColor=NAVY, fontSize=20, spaceAfter=2 * mm
    ),
    "subtitle": ParagraphStyle("subtitle", parent=_base["Normal"], textColor=colors.grey, fontSize=10),
    "h2": ParagraphStyle(
        "h2", parent=_base["Heading2"], textColor=NAVY, fontSize=13, spaceBefore=5 * mm, spaceAfter=2 * mm
    ),
    "body": ParagraphStyle("body", parent=_base["BodyText"], fontSize=9.5, leading=13),
    "cell": ParagraphStyle("cell", parent=_base["BodyText"], fontSize=8.5, leading=11),
    "num": ParagraphStyle("num", parent=_base["BodyText"], fontSize=8.5, leading=11, alignment=TA_RIGHT),
    "muted": ParagraphStyle("muted", parent=_base["BodyText"], fontSize=8.5, textColor=colors.grey),
}


def _p(text, style="cell"):
    return Paragraph(
        escape(str(text if text not in (None, "") else "—")).replace("\n", "<br/>"), STYLES[style]
    )


def _table(header, rows, widths):
    data = [[Paragraph(f"<b>{escape(h)}</b>", STYLES["cell"]) for h in header], *rows]
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, NAVY),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f7f9fb")]),
                ("LINEBELOW", (0, -1), (-1, -1), 0.3, colors.lightgrey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def _signature(label, person, when):
    if person:
        return (
            f"<b>{escape(label)}</b><br/>{escape(person.get_full_name() or person.username)}<br/>"
            f"{timezone.localtime(when):%d %b %Y %H:%M}"
        )
    return f"<b>{escape(label)}</b><br/>Not signed yet"


def _scorecard_section(pack):
    story = [Paragraph("Scorecard against SLA targets", STYLES["h2"])]
    for card in pack["scorecards"]:
        headline = (
            f"<b>{escape(card['period'])}</b> — overall score {card['score'] or '—'}, "
            f"targets met {card['adherence'] + '%' if card['adherence'] else '—'}, "
            f"service credits {card['service_credits']}"
        )
        story.append(Paragraph(headline, STYLES["body"]))
        if not card["rows"]:
            story.append(Paragraph("No SLA targets in force for this period.", STYLES["muted"]))
            continue
        rows = []
        for row in card["rows"]:
            colour = STATUS_COLOURS.get(row["status"], "#6c757d")
            rows.append(
                [
                    _p(row["kpi"]),
                    _p(row["target"], "num"),
                    _p(row["actual"], "num"),
                    _p(row["variance"], "num"),
                    Paragraph(
                        f'<font color="{colour}"><b>{escape(row["status_label"])}</b></font>', STYLES["cell"]
                    ),
                ]
            )
        story.append(
            _table(
                ["KPI", "Target", "Actual", "Variance", "Status"],
                rows,
                [70 * mm, 24 * mm, 24 * mm, 24 * mm, 32 * mm],
            )
        )
        story.append(Spacer(1, 3 * mm))
    return story


def _audit_section(pack):
    audits = pack["audits"]
    story = [Paragraph("Quality audits", STYLES["h2"])]
    if not audits["count"]:
        return [*story, Paragraph("No audit was logged for this period.", STYLES["muted"])]
    story.append(
        Paragraph(
            f"{audits['count']} audits, average score <b>{audits['average']}%</b>, "
            f"pass rate {audits['pass_rate']}%, "
            f"{audits['critical_fails']} critical fail(s), {audits['disputed']} disputed.",
            STYLES["body"],
        )
    )
    if audits["weakest"]:
        rows = [
            [_p(w["criterion"]), _p(w["failed"], "num"), _p(f"{w['rate']}%", "num")]
            for w in audits["weakest"]
        ]
        story.append(Spacer(1, 2 * mm))
        story.append(
            _table(
                ["Most-missed criteria (training focus)", "Misses", "Miss rate"],
                rows,
                [110 * mm, 30 * mm, 34 * mm],
            )
        )
    return story


def _lists_section(pack, items):
    story = [Paragraph("Action items agreed", STYLES["h2"])]
    if items:
        rows = [
            [
                _p(i.title),
                _p(f"{i.get_owner_display()} ({i.owner_name})" if i.owner_name else i.get_owner_display()),
                _p(f"{i.due_date:%d %b %Y}"),
                _p(i.get_status_display()),
            ]
            for i in items
        ]
        story.append(_table(["Action", "Owner", "Due", "Status"], rows, [88 * mm, 36 * mm, 26 * mm, 24 * mm]))
    else:
        story.append(Paragraph("No action items.", STYLES["muted"]))
    if pack["overdue_actions"]:
        story.append(Paragraph("Overdue from earlier reviews and meetings", STYLES["h2"]))
        rows = [
            [_p(a["title"]), _p(a["owner"]), _p(a["due_date"]), _p(f"{a['days_overdue']} days", "num")]
            for a in pack["overdue_actions"]
        ]
        story.append(
            _table(["Action", "Owner", "Was due", "Overdue by"], rows, [88 * mm, 30 * mm, 28 * mm, 28 * mm])
        )
    if pack.get("overdue_onboarding"):
        story.append(Paragraph("Overdue onboarding tasks", STYLES["h2"]))
        rows = [
            [_p(t["title"]), _p(t["responsible"]), _p(t["due_date"]), _p(f"{t['days_overdue']} days", "num")]
            for t in pack["overdue_onboarding"]
        ]
        story.append(
            _table(
                ["Task", "Responsible", "Was due", "Overdue by"], rows, [88 * mm, 30 * mm, 28 * mm, 28 * mm]
            )
        )
    if pack.get("risks"):
        story.append(Paragraph("Open risks", STYLES["h2"]))
        rows = [
            [
                _p(r["title"]),
                _p(r["category"]),
                _p(f"{r['likelihood']}×{r['impact']} = {r['score']}", "num"),
                _p(r["owner"]),
                _p(r["next_review"]),
            ]
            for r in pack["risks"]
        ]
        story.append(
            _table(
                ["Risk", "Category", "L×I", "Owner", "Next review"],
                rows,
                [64 * mm, 36 * mm, 22 * mm, 28 * mm, 24 * mm],
            )
        )
    if pack["contract_dates"]:
        story.append(Paragraph("Contract dates coming up", STYLES["h2"]))
        rows = [
            [_p(c["date"]), _p(c["what"]), _p(c["reference"]), _p(f"in {c['days']} days", "num")]
            for c in pack["contract_dates"]
        ]
        story.append(_table(["Date", "What", "Contract", ""], rows, [28 * mm, 70 * mm, 46 * mm, 30 * mm]))
    return story


def review_pdf(review, pack, items) -> bytes:
    buffer = BytesIO()
    title = f"Performance review — {review.vendor.name}"

    def footer(canvas, doc):
        canvas.saveState()
        canvas.setFont("Helvetica", 7.5)
        canvas.setFillColor(colors.grey)
        canvas.drawString(18 * mm, 10 * mm, f"{title} · {review.period_label} · revision {review.revision}")
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, f"Page {doc.page}")
        canvas.restoreState()

    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=18 * mm,
        title=title,
        author="bporeg",
    )
    rating = f"{review.rating} / 5 — {RATING_WORDS[review.rating]}" if review.rating else "Not rated"
    story = [
        Paragraph(escape(title), STYLES["title"]),
        Paragraph(
            f"{escape(review.period_label)} ({review.period_start:%d %b} – {review.period_end:%d %b %Y}) · "
            f"revision {review.revision} · {escape(review.get_status_display())} · "
            f"data as of {escape(pack['prepared_on'])}",
            STYLES["subtitle"],
        ),
        Paragraph("Summary", STYLES["h2"]),
        Paragraph(f"<b>Overall rating:</b> {escape(rating)}", STYLES["body"]),
        Spacer(1, 2 * mm),
        _p(review.notes or "No notes.", "body"),
        *_scorecard_section(pack),
        *_audit_section(pack),
        Paragraph("Decisions", STYLES["h2"]),
        _p(review.decisions or "No decisions recorded.", "body"),
        *_lists_section(pack, items),
    ]
    signatures = Table(
        [
            [
                Paragraph(
                    _signature("BPO manager", review.manager_signed_by, review.manager_signed_at),
                    STYLES["body"],
                ),
                Paragraph(
                    _signature(f"For {review.vendor.name}", review.vendor_signed_by, review.vendor_signed_at),
                    STYLES["body"],
                ),
            ]
        ],
        colWidths=[87 * mm, 87 * mm],
    )
    signatures.setStyle(
        TableStyle([("LINEABOVE", (0, 0), (-1, 0), 0.6, NAVY), ("TOPPADDING", (0, 0), (-1, -1), 6)])
    )
    story.append(KeepTogether([Paragraph("Sign-off", STYLES["h2"]), signatures]))
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
