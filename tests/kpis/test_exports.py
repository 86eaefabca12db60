"""Scorecard exports: CSV and XLSX with the numbers, and no formula a spreadsheet would run."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kpis.exports import neutralise, table_csv
from tests.factories import VendorFactory
from tests.kpis.factories import SLATargetFactory, measure

pytestmark = pytest.mark.django_db
EVIL = '=HYPERLINK("http://evil.example","click")'


@pytest.fixture
def evil_vendor():
    vendor = VendorFactory(name=EVIL, slug="evil")
    SLATargetFactory(sla__vendor=vendor)
    measure(vendor, "csat", date(2025, 10, 1), 77)
    return vendor


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_formula_starts_are_neutralised(text):
    assert neutralise(text) == "'" + text


def test_round_decimals_are_written_without_an_exponent():
    assert table_csv([[Decimal("80.0000"), Decimal("12.5000")]]).decode("utf-8-sig") == "80,12.5\r\n"


def test_numbers_and_plain_text_are_left_alone():
    assert neutralise(-5) == -5
    assert neutralise("Acme") == "Acme"


def test_csv_export(client_for, manager, evil_vendor):
    response = client_for(manager).get(
        reverse("kpis:scorecard-csv", kwargs={"slug": "evil"}), {"period": "2025-10"}
    )
    assert response["Content-Disposition"] == 'attachment; filename="scorecard-evil-2025-10.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Vendor", "'" + EVIL]
    assert rows[4][:2] == ["Customer satisfaction (CSAT)", "Percent"]
    assert rows[4][6:9] == ["77", "-8", "Breached"]  # a negative number stays a number


def test_xlsx_export_keeps_text_as_text(client_for, manager, evil_vendor):
    response = client_for(manager).get(
        reverse("kpis:scorecard-xlsx", kwargs={"slug": "evil"}), {"period": "2025-10"}
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["B1"].value == "'" + EVIL
    assert sheet["B1"].data_type == "s"
    assert sheet["G5"].value == 77 and sheet["I5"].value == "Breached"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_staff_cannot_export_another_vendors_scorecard(client_for, staff_b, evil_vendor):
    response = client_for(staff_b).get(reverse("kpis:scorecard-csv", kwargs={"slug": "evil"}))
    assert response.status_code == 404
