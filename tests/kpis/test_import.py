"""Imports: every row checked, nothing imported on any error, a preview, then a confirmed upsert."""

import io
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from kpis.models import ImportStatus, Measurement, MeasurementImport, MeasurementImportRow
from tests.kpis.factories import SLATargetFactory, kpi, measure

pytestmark = [pytest.mark.django_db]
OCT = date(2025, 10, 1)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2025-11-15 10:00 +01:00", tick=False):
        yield


def upload(client, content, name="export.csv"):
    data = content.encode("utf-8") if isinstance(content, str) else content
    return client.post(reverse("kpis:import"), {"file": SimpleUploadedFile(name, data)})


def confirm(client, response):
    assert response.status_code == 302, response.content.decode()[:2000]
    measurement_import = MeasurementImport.objects.latest("uploaded_at")
    preview = client.get(response["Location"])
    client.post(reverse("kpis:import-confirm", kwargs={"pk": measurement_import.pk}))
    return preview


def values(vendor):
    return {(m.kpi.code, m.period): m.value for m in Measurement.objects.filter(vendor=vendor)}


def test_one_bad_row_imports_nothing_and_the_report_names_each_bad_row(client_for, manager, vendor_a):
    csv = (
        "vendor,kpi,period,value\n"
        f"{vendor_a.name},csat,2025-10,85%\n"
        "Nobody Ltd,csat,2025-10,85%\n"
        f"{vendor_a.slug},speed,2025-10,1\n"
        f"{vendor_a.slug},aht,2025-10,four minutes\n"
        f"{vendor_a.slug},fcr,2031-01,80\n"
        f"{vendor_a.slug},csat,2025-10,86%\n"
    )
    response = upload(client_for(manager), csv)

    assert response.status_code == 400
    report = {error.line: error.reasons for error in response.context["parsed"].errors}
    assert report == {
        3: ["unknown vendor “Nobody Ltd”"],
        4: ["unknown KPI “speed”"],
        5: ["Average handling time: “four minutes” is not a duration (write 4:30 or 270)"],
        6: ["period 2031-01-01 is out of range (2020-11 to 2025-11-01)"],
        7: ["duplicate of line 2 (same vendor, KPI and period)"],
    }
    assert "Nothing was imported" in response.content.decode()
    assert not Measurement.objects.exists() and not MeasurementImport.objects.exists()


def test_semicolons_bom_decimal_commas_and_durations_preview_then_confirm(client_for, manager, vendor_a):
    csv = (
        "\ufeffVendor;KPI;Month;Value;Volume\n"
        f"{vendor_a.name};Customer satisfaction (CSAT);10/2025;85,5%;1200\n"
        f"{vendor_a.slug};aht;2025-10-01;4:30;1200\n"
        f"{vendor_a.slug};fcr;2025-10;0,78;\n"
    )
    client = client_for(manager)
    preview = confirm(client, upload(client, csv))

    assert preview.context["preview"].counts == {"new": 3}
    assert values(vendor_a) == {
        ("csat", OCT): Decimal("85.5"),
        ("aht", OCT): Decimal(270),
        ("fcr", OCT): Decimal(78),
    }
    assert MeasurementImport.objects.get().status == ImportStatus.CONFIRMED
    assert set(Measurement.objects.values_list("source", flat=True)) == {"import"}


def test_reimporting_a_period_updates_with_history_and_never_duplicates(client_for, manager, vendor_a):
    measure(vendor_a, "csat", OCT, 80)
    measure(vendor_a, "fcr", OCT, 70)
    csv = f"vendor,kpi,period,value\n{vendor_a.slug},csat,2025-10,84\n{vendor_a.slug},fcr,2025-10,70\n"
    client = client_for(manager)

    preview = confirm(client, upload(client, csv))

    assert preview.context["preview"].counts == {"changed": 1, "unchanged": 1}
    csat = Measurement.objects.get(vendor=vendor_a, kpi=kpi("csat"))
    assert csat.value == Decimal(84) and csat.entered_by == manager
    assert [h.value for h in csat.history.order_by("history_date", "history_id")] == [
        Decimal(80),
        Decimal(84),
    ]
    assert Measurement.objects.filter(vendor=vendor_a).count() == 2
    imported = MeasurementImport.objects.get()
    assert (imported.created_count, imported.updated_count, imported.unchanged_count) == (0, 1, 1)


def test_xlsx_export_with_typed_cells(client_for, manager, vendor_a):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["vendor", "kpi", "period", "value", "volume"])
    sheet.append([vendor_a.name, "csat", date(2025, 10, 1), 0.855, 1500])
    sheet.append([vendor_a.name, "aht", "2025-10", "4:30", 1500])
    buffer = io.BytesIO()
    workbook.save(buffer)
    client = client_for(manager)

    confirm(client, upload(client, buffer.getvalue(), "export.xlsx"))

    assert values(vendor_a) == {("csat", OCT): Decimal("85.5"), ("aht", OCT): Decimal(270)}


def test_confirming_imports_the_stored_rows_once(client_for, manager, vendor_a):
    client = client_for(manager)
    response = upload(client, f"vendor,kpi,period,value\n{vendor_a.slug},csat,2025-10,85\n")
    measurement_import = MeasurementImport.objects.get()
    url = reverse("kpis:import-confirm", kwargs={"pk": measurement_import.pk})

    client.post(url, {"rows": "[[1, 1, '2025-10-01', '1', null]]"})  # re-posted values are ignored
    client.post(url)

    assert response.status_code == 302
    assert values(vendor_a) == {("csat", OCT): Decimal(85)}
    assert Measurement.history.count() == 1


def test_a_weekly_kpi_is_imported_by_its_monday(client_for, manager, vendor_a):
    SLATargetFactory(sla__vendor=vendor_a, kpi=kpi("csat"), frequency="weekly")
    csv = f"vendor,kpi,period,value\n{vendor_a.slug},csat,2025-10-06,85\n{vendor_a.slug},csat,2025-10-08,85\n"

    response = upload(client_for(manager), csv)

    [error] = response.context["parsed"].errors
    assert error.line == 3 and "not the Monday" in error.reasons[0]


def test_vendor_staff_cannot_import_for_another_vendor(client_for, staff_a, vendor_a, vendor_b):
    SLATargetFactory(sla__vendor=vendor_a, sla__vendor_may_submit=True)
    csv = f"vendor,kpi,period,value\n{vendor_a.slug},csat,2025-10,85\n{vendor_b.slug},csat,2025-10,85\n"

    response = upload(client_for(staff_a), csv)

    [error] = response.context["parsed"].errors
    assert error.reasons == [f"unknown vendor “{vendor_b.slug}”"]


def test_a_file_without_the_columns_is_refused(client_for, manager):
    response = upload(client_for(manager), "name,amount\nA,1\n")

    assert response.status_code == 400
    assert "missing: vendor, kpi, period, value" in response.content.decode()


def test_the_preview_lists_changes_in_file_order_with_the_value_they_replace(client_for, manager, vendor_a):
    measure(vendor_a, "fcr", OCT, 70)
    csv = (
        "vendor,kpi,period,value,volume\n"
        f"{vendor_a.slug},fcr,2025-10,72,900\n"
        f"{vendor_a.slug},csat,2025-10,85,\n"
        f"{vendor_a.slug},csat,2025-09,85,\n"
    )
    client = client_for(manager)

    preview = client.get(upload(client, csv)["Location"]).context["preview"]

    assert preview.counts == {"changed": 1, "new": 2}
    assert [(c["kind"], c["kpi"].code, c["entry"].period, c["old"]) for c in preview.changes] == [
        ("changed", "fcr", OCT, Decimal(70)),
        ("new", "csat", OCT, None),
        ("new", "csat", date(2025, 9, 1), None),
    ]
    assert not Measurement.objects.filter(kpi=kpi("csat")).exists(), "nothing is saved before confirming"


def test_an_import_keeps_its_rows_only_until_it_is_confirmed_or_discarded(client_for, manager, vendor_a):
    client = client_for(manager)
    csv = f"vendor,kpi,period,value\n{vendor_a.slug},csat,2025-10,85\n"
    upload(client, csv)
    upload(client, csv)
    confirmed, discarded = MeasurementImport.objects.order_by("pk")
    assert MeasurementImportRow.objects.count() == 2

    client.post(reverse("kpis:import-confirm", kwargs={"pk": confirmed.pk}))
    client.post(reverse("kpis:import-discard", kwargs={"pk": discarded.pk}))
    response = client.post(reverse("kpis:import-confirm", kwargs={"pk": discarded.pk}), follow=True)

    assert "already confirmed or discarded" in response.content.decode()
    assert not MeasurementImportRow.objects.exists()
    assert list(MeasurementImport.objects.order_by("pk").values_list("status", flat=True)) == [
        ImportStatus.CONFIRMED,
        ImportStatus.DISCARDED,
    ]
    assert Measurement.history.count() == 1


def test_spreadsheet_cells_equal_as_numbers_are_read_by_their_type(client_for, manager, vendor_a):
    # True == 1 for Python's dictionaries: the importer's per-cell memory must not mix them up.
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["vendor", "kpi", "period", "value"])
    sheet.append([vendor_a.name, "csat", "2025-10", 1])  # a fraction: 100%
    sheet.append([vendor_a.name, "qa-score", "2025-10", True])
    buffer = io.BytesIO()
    workbook.save(buffer)

    response = upload(client_for(manager), buffer.getvalue(), "export.xlsx")

    [error] = response.context["parsed"].errors
    assert (error.line, error.reasons) == (3, ["QA score: the value is missing"])


def test_confirming_a_preview_whose_rows_the_database_lost_imports_nothing_and_says_why(
    client_for, manager, vendor_a
):
    # The rows wait in an unlogged table, which PostgreSQL empties after a crash.
    client = client_for(manager)
    upload(client, f"vendor,kpi,period,value\n{vendor_a.slug},csat,2025-10,85\n")
    measurement_import = MeasurementImport.objects.get()
    MeasurementImportRow.objects.all().delete()

    response = client.post(reverse("kpis:import-confirm", kwargs={"pk": measurement_import.pk}), follow=True)

    assert "rows were lost when the database restarted: upload the file again" in response.content.decode()
    measurement_import.refresh_from_db()
    assert measurement_import.status == ImportStatus.PREVIEWED
    assert not Measurement.objects.exists()
