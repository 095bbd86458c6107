"""The usage report (the innovation indicator) and the attendance exports."""

import io
from datetime import datetime

from openpyxl import load_workbook

from checkin.reports.rounds import fiscal_year_of
from checkin.timezones import BANGKOK
from tests.support.api import post_checkin


def test_usage_counts_checkins_shares_and_review_time_this_month(client, make):
    site = make.site()
    unit = make.unit(site_ids=(site,))
    supervisor = make.staff("supervisor", unit)
    alice, bob = make.staff("employee", unit), make.staff("employee", unit)
    post_checkin(client, alice)  # accepted by GPS
    post_checkin(client, bob)
    flagged = post_checkin(client, alice, mock_location="true").get_json()["id"]
    client.post(f"/api/v1/reviews/{flagged}", json={"decision": "approve"}, headers=supervisor["headers"])
    hr = make.user("hr")["headers"]
    year = fiscal_year_of(datetime.now(BANGKOK).date())

    usage = client.get(f"/api/v1/reports/usage?fiscal_year={year}", headers=hr).get_json()
    this_month = datetime.now(BANGKOK).strftime("%Y-%m")
    [month] = [m for m in usage["months"] if m["month"] == this_month]
    assert (month["checkins"], month["active_employees"]) == (3, 2)
    assert (month["accepted_by_gps"], month["accepted_by_photo"], month["flagged"]) == (0.667, 0.0, 0.333)
    assert month["median_review_minutes"] is not None and month["median_review_minutes"] < 1
    assert len(usage["months"]) == 12 and usage["months_in_use"] == 1 and usage["indicator_met"] is False
    assert usage["months"][0]["month"].endswith("-10")  # a fiscal year starts in October


def test_attendance_csv_and_xlsx(client, make):
    hr = make.user("hr")["headers"]
    employee = make.staff()
    code = make.employee_code(employee["employee_id"])
    client.post("/api/v1/punches/import", headers=hr, content_type="multipart/form-data", data={"file": (io.BytesIO(
        f"employee_code,timestamp,kind,device_id\n{code},2025-04-02T08:31:00+07:00,in,c\n{code},2025-04-02T16:40:00+07:00,out,c\n"
        .encode()), "p.csv")})
    csv_response = client.get("/api/v1/reports/attendance?from=2025-04-01&to=2025-04-03&format=csv", headers=hr)
    lines = csv_response.data.decode("utf-8-sig").splitlines()
    assert csv_response.data.startswith(b"\xef\xbb\xbf") and lines[0].startswith("รหัสพนักงาน")
    row = next(line for line in lines if "2 เม.ย. 2568" in line and code in line)
    assert "มาสาย" in row and "08:31:00" in row

    book = load_workbook(io.BytesIO(client.get("/api/v1/reports/attendance?from=2025-04-01&to=2025-04-03&format=xlsx",
                                               headers=hr).data))
    sheet = book["การลงเวลา"]
    assert "1 เม.ย. 2568 - 3 เม.ย. 2568" in sheet["A1"].value and sheet.freeze_panes == "A4"
    values = [row for row in sheet.iter_rows(min_row=4, values_only=True) if row[0] == code]
    assert [row[4] for row in values] == ["ไม่มีบันทึกเวลา (รอยืนยัน)", "มาสาย", "ไม่มีบันทึกเวลา (รอยืนยัน)"]
    too_long = client.get("/api/v1/reports/attendance?from=2025-01-01&to=2025-12-31", headers=hr)
    assert too_long.status_code == 422


def test_import_punches_cli(runner, make, tmp_path):
    code = make.employee_code(make.employee(make.unit()))
    path = tmp_path / "punches.csv"
    path.write_text(f"employee_code,timestamp,kind,device_id\n{code},2025-04-02T08:20:00+07:00,in,FP\n", encoding="utf-8")
    assert "Imported 1 punches; 0 were already present." in runner.invoke(args=["import-punches", str(path)]).output
    assert "Imported 0 punches; 1 were already present." in runner.invoke(args=["import-punches", str(path)]).output
