"""A small unit over a whole round, with expectations computed by hand.

FY 2568 round 2 = 1 Apr - 30 Sep 2025: 131 weekdays; 14 of them national holidays (7, 14, 15,
16 Apr; 5, 9, 12 May; 2, 3 Jun; 10, 11, 28 Jul; 11, 12 Aug; Labour Day 1 May is a working day
for government); 5 Sep declared a holiday below: 116 working days.
"""

import io
from datetime import date, datetime, timezone

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from checkin.database import db
from checkin.checkins.models import CheckIn
from tests.support.api import assert_error
from tests.support.pdf_text import pages_text

WORKING_DAYS = 116


def csv_upload(text: str):
    return {"file": (io.BytesIO(text.encode("utf-8")), "file.csv")}


@pytest.fixture
def scenario(client, make, app, tmp_path, monkeypatch):
    admin = make.user("admin")
    headers = admin["headers"]
    unit = make.unit()
    strict_unit = make.unit(parent_id=unit)  # has its own, tighter late limit
    supervisor = make.staff("supervisor", unit)
    with app.app_context():
        from checkin.org.models import OrgUnit
        strict_code = db.session.get(OrgUnit, strict_unit).code

    def employee(unit_id, hired_on=None):
        employee_id = make.employee(unit_id)
        if hired_on:
            client.patch(f"/api/v1/employees/{employee_id}", json={"hired_on": hired_on}, headers=headers)
        return employee_id, make.employee_code(employee_id)

    people = {name: employee(unit) for name in ("A", "B", "E", "F")}
    people["C"] = employee(unit, hired_on="2025-07-01")
    people["D"] = employee(strict_unit)

    assert client.post("/api/v1/holidays", json={"day": "2025-09-05", "name_th": "วันหยุดราชการกรณีพิเศษ"},
                       headers=headers).status_code == 201
    assert client.post("/api/v1/schedules/overrides", json={"day": "2025-09-08", "start": "10:00:00",
                                                            "note": "ประกาศเลื่อนเวลาเข้างาน"},
                       headers=headers).status_code == 201
    early_shift = client.post("/api/v1/schedules", json={"code": "EARLY", "name_th": "เข้า 07:30",
                                                         "start": "07:30:00", "end": "15:30:00"}, headers=headers)
    client.post("/api/v1/schedules/assignments", json={"schedule_id": early_shift.get_json()["id"],
                                                       "employee_id": people["B"][0], "valid_from": "2025-01-01"},
                headers=headers)
    client.post("/api/v1/exemptions", json={"employee_id": people["C"][0], "start_date": "2025-08-20",
                                            "end_date": "2025-08-22", "note": "ลงพื้นที่สำรวจ"}, headers=headers)

    a, b, c, d = (people[n][1] for n in "ABCD")
    leaves = "\n".join([
        "employee_code,leave_type,start_date,end_date,half_day",
        f"{a},sick,2025-04-10,2025-04-17,",          # Thu-Thu over a weekend and 3 holidays: 3 working days
        f"{a},personal,2025-05-06,2025-05-06,am",     # half day, then a 13:10 arrival: 10 minutes late
        f"{b},maternity,2025-06-01,2025-08-29,",      # 58 working days, not counted
        f"{d},vacation,2025-03-27,2025-04-03,",       # crosses the round's start: 1-3 Apr count here
    ])
    response = client.post("/api/v1/leaves/import", data=csv_upload(leaves), headers=headers,
                           content_type="multipart/form-data")
    assert response.get_json() == {"created": 4, "already_present": 0}

    calendar = client.get(f"/api/v1/calendar?from=2025-04-01&to=2025-09-30&unit={unit}", headers=headers).get_json()
    working = [day["date"] for day in calendar if day["working_day"]]
    assert len(working) == WORKING_DAYS

    skip = {a: {"2025-04-10", "2025-04-11", "2025-04-17"}, b: set(), d: {"2025-04-01", "2025-04-02", "2025-04-03"},
            c: {"2025-08-20", "2025-08-21", "2025-08-22"}, people["E"][1]: {"2025-09-01"},
            people["F"][1]: {"2025-09-02"}}
    special = {
        (a, "2025-04-02"): ("08:30:59", "16:35:00"),  # on time, to the minute
        (a, "2025-04-03"): ("08:31:00", "16:35:00"),  # 1 minute late
        (a, "2025-04-04"): ("08:45:30", "16:35:00"),  # 15 minutes late
        (a, "2025-05-06"): ("13:10:00", "16:35:00"),  # after a morning leave: 10 minutes late
        (a, "2025-05-07"): ("08:20:00", None),        # no check-out
        (a, "2025-05-08"): ("08:20:00", "16:29:59"),  # early leave
        (a, "2025-09-08"): ("09:45:00", "16:35:00"),  # the late-start day: on time
        (b, "2025-04-22"): ("08:00:00", "15:35:00"),  # 07:30 shift: 30 minutes late
        (d, "2025-04-22"): ("08:40:00", "16:35:00"),
        (d, "2025-04-23"): ("08:40:00", "16:35:00"),
        (d, "2025-04-24"): ("08:40:00", "16:35:00"),  # 3 lates: over the strict unit's 2
    }
    rows = ["employee_code,timestamp,kind,device_id"]
    for code in (a, b, c, d, people["E"][1], people["F"][1]):
        for day in working:
            if day in skip.get(code, set()) or (code == c and day < "2025-07-01"):
                continue
            arrive, leave = special.get((code, day), ("07:25:00", "15:35:00") if code == b else ("08:25:00", "16:35:00"))
            rows.append(f"{code},{day}T{arrive}+07:00,in,clock-1")
            if leave:
                rows.append(f"{code},{day}T{leave}+07:00,out,clock-1")
    punches = "\n".join(rows)
    imported = client.post("/api/v1/punches/import", data=csv_upload(punches), headers=headers,
                           content_type="multipart/form-data")
    assert imported.status_code == 200 and imported.get_json()["already_present"] == 0

    # E's 1 Sep: a flagged arrival nobody has decided yet, and a normal departure.
    with app.app_context():
        e_id = people["E"][0]
        for kind, hour, status in (("in", 1, "flagged"), ("out", 9, "accepted")):
            db.session.add(CheckIn(client_event_id=f"00000000-0000-4000-8000-00000000000{hour}", employee_id=e_id,
                                   kind=kind, status=status, reasons=["MOCK_LOCATION"] if status == "flagged" else [],
                                   captured_at=datetime(2025, 9, 1, hour, 20, tzinfo=timezone.utc),
                                   received_at=datetime(2025, 9, 1, hour, 20, tzinfo=timezone.utc)))
        db.session.commit()
    policy = tmp_path / "policy.yaml"
    policy.write_text(f'''version: "test-1"
statutory: {{max_counted_leave_days: 23, max_absent_days: 0, min_months_of_service: 4}}
agency: {{max_leave_occasions: 10, max_late_count: 18, at_risk_fraction: 0.8}}
overrides: {{{strict_code}: {{max_late_count: 2}}}}
''', encoding="utf-8")
    monkeypatch.setitem(app.config, "POLICY_FILE", str(policy))
    yield {"admin": admin, "supervisor": supervisor, "unit": unit, "people": people, "punches": punches,
           "strict_code": strict_code}


def report_rows(client, headers, **query):
    params = "&".join(f"{key}={value}" for key, value in {"fiscal_year": 2568, "round": 2, **query}.items())
    response = client.get(f"/api/v1/reports/salary-step?{params}", headers=headers)
    assert response.status_code == 200, response.get_json()
    return response


def by_code(report: dict) -> dict:
    return {row["employee_code"]: row for row in report["employees"]}


def test_every_count_by_hand(client, scenario):
    report = report_rows(client, scenario["admin"]["headers"]).get_json()
    assert (report["start_date"], report["end_date"], report["policy_version"]) == ("2025-04-01", "2025-09-30", "test-1")
    assert report["round_name_th"] == "ปีงบประมาณ พ.ศ. 2568 ครั้งที่ 2 (1 เม.ย. 2568 - 30 ก.ย. 2568)"
    rows = by_code(report)
    people = {name: rows[code] for name, (_, code) in scenario["people"].items()}

    a = people["A"]
    assert a["working_days"] == WORKING_DAYS
    assert a["days_present"] == WORKING_DAYS - 3
    assert (a["late_count"], a["late_minutes"], a["early_leave_count"]) == (3, 1 + 15 + 10, 1)
    assert (a["sick_occasions"], a["sick_days"], a["personal_occasions"], a["personal_days"]) == (1, 3.0, 1, 0.5)
    assert (a["counted_leave_days"], a["not_counted_leave_days"], a["counted_leave_occasions"]) == (3.5, 0.0, 2)
    assert (a["absence_candidates"], a["absent_days"], a["pending_reviews"]) == (0, 0, 0)
    assert (a["status"], a["reasons"]) == ("NEEDS_REVIEW", ["MISSING_CHECKOUTS"])  # 7 May: no check-out
    assert (a["missing_checkouts"], a["remarks_th"]) == (1, "ไม่มีบันทึกเวลาออก 1 วัน")
    assert (a["service_months"], a["service_days"]) == (6, 0)

    b = people["B"]  # maternity 1 Jun - 29 Aug: 90 calendar days, 58 of them working days
    assert b["leave"]["maternity"] == {"occasions": 1, "days": 90}
    assert (b["counted_leave_days"], b["not_counted_leave_days"]) == (0.0, 58.0)
    assert (b["late_count"], b["late_minutes"], b["days_present"]) == (1, 30, WORKING_DAYS - 58)
    assert b["status"] == "ELIGIBLE"

    c = people["C"]  # hired 1 Jul: 20 + 19 + 21 working days (Jul, Aug, Sep without 5 Sep)
    assert (c["working_days"], c["days_present"], c["service_th"]) == (60, 60, "3 เดือน")
    assert (c["status"], c["reasons"]) == ("NOT_ELIGIBLE", ["SERVICE_BELOW_MINIMUM"])

    d = people["D"]
    assert d["leave"]["vacation"] == {"occasions": 1, "days": 3.0} and d["not_counted_leave_days"] == 3.0
    assert d["late_count"] == 3
    assert (d["status"], d["reasons"]) == ("NOT_ELIGIBLE", ["LATE_OVER_LIMIT"])
    assert d["remarks_th"] == "มาสาย 3 ครั้ง เกินเกณฑ์ 2 ครั้ง" and d["limits"]["max_late_count"] == 2
    assert people["E"]["status"] == "NEEDS_REVIEW" and people["E"]["pending_reviews"] == 1
    assert people["F"]["absence_candidates"] == 1 and people["F"]["status"] == "NEEDS_REVIEW"


def test_approving_the_pending_event_and_confirming_the_absence_change_the_outcome(client, scenario, app):
    supervisor = scenario["supervisor"]
    e_id, e_code = scenario["people"]["E"]
    f_id, f_code = scenario["people"]["F"]
    pending = client.get("/api/v1/reviews", headers=supervisor["headers"]).get_json()
    assert [item["employee_id"] for item in pending] == [e_id]
    assert client.post(f"/api/v1/reviews/{pending[0]['id']}", json={"decision": "approve"},
                       headers=supervisor["headers"]).status_code == 200
    confirmed = client.post("/api/v1/absences", json={"employee_id": f_id, "day": "2025-09-02", "note": "ไม่มาโดยไม่แจ้ง"},
                            headers=supervisor["headers"])
    assert confirmed.status_code == 201

    rows = by_code(report_rows(client, supervisor["headers"]).get_json())
    assert (rows[e_code]["pending_reviews"], rows[e_code]["status"]) == (0, "ELIGIBLE")
    assert (rows[f_code]["absent_days"], rows[f_code]["absence_candidates"]) == (1, 0)
    assert (rows[f_code]["status"], rows[f_code]["reasons"]) == ("NOT_ELIGIBLE", ["ABSENT"])


def test_daily_attendance_compares_to_the_minute(client, scenario):
    a_code = scenario["people"]["A"][1]
    days = client.get(f"/api/v1/reports/attendance?from=2025-04-02&to=2025-04-17&unit={scenario['unit']}",
                      headers=scenario["admin"]["headers"]).get_json()
    a_days = {row["date"]: row for row in days if row["employee_code"] == a_code}
    assert (a_days["2025-04-02"]["status"], a_days["2025-04-02"]["late_minutes"]) == ("on_time", 0)
    assert (a_days["2025-04-03"]["status"], a_days["2025-04-03"]["late_minutes"]) == ("late", 1)
    assert a_days["2025-04-05"]["status"] == "weekend"
    assert (a_days["2025-04-07"]["status"], a_days["2025-04-14"]["status"]) == ("holiday", "holiday")
    assert (a_days["2025-04-10"]["status"], a_days["2025-04-10"]["leave_type"]) == ("on_leave", "sick")
    assert a_days["2025-04-02"]["first_in"].startswith("2025-04-02T08:30:59")


def table(sheet, first_heading: str) -> tuple[dict, list[tuple]]:
    """The column index by heading and the data rows of the table whose first heading is given."""
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        if row and row[0] == first_heading:
            columns = {heading: index for index, heading in enumerate(row) if heading}
            return columns, [data for data in sheet.iter_rows(min_row=number + 1, values_only=True) if data[0]]
    raise AssertionError(f"no table starting with {first_heading} in {sheet.title}")


def test_xlsx_has_typed_cells_unit_totals_the_dates_behind_and_the_policy_in_thai(client, scenario):
    response = report_rows(client, scenario["admin"]["headers"], format="xlsx")
    assert response.mimetype.endswith("spreadsheetml.sheet")
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames[:4] == ["สรุป", "รายบุคคล", "รายละเอียด", "เกณฑ์ที่ใช้"]
    people = book["รายบุคคล"]
    assert any("1 เม.ย. 2568 - 30 ก.ย. 2568" in str(cell.value) for cell in people["A"][:5])
    columns, rows = table(people, "ลำดับที่")
    a_code, d_code = scenario["people"]["A"][1], scenario["people"]["D"][1]
    a_row = next(row for row in rows if row[columns["เลขประจำตัว"]] == a_code)
    assert a_row[columns["มาสาย (ครั้ง)"]] == 3 and a_row[columns["มาสาย (นาที)"]] == 26
    assert a_row[columns["รวมวันลาป่วยและลากิจส่วนตัว (วัน)"]] == 3.5
    assert a_row[columns["ลาป่วย (ครั้ง)"]] == 1 and a_row[columns["ไม่มีบันทึกเวลาออก (วัน)"]] == 1
    assert a_row[columns["ผลการตรวจสอบ"]] == "ต้องตรวจสอบ"
    assert people.auto_filter.ref and people.freeze_panes
    assert people.page_setup.orientation == "landscape"

    details_columns, details = table(book["รายละเอียด"], "เลขประจำตัว")
    late_dates = [row[details_columns["วันที่"]] for row in details if row[0] == d_code]
    assert [moment.date() for moment in late_dates] == [date(2025, 4, 22), date(2025, 4, 23), date(2025, 4, 24)]

    summary = [row for row in book["สรุป"].iter_rows(values_only=True) if row and row[0]]
    parent = next(row for row in summary if isinstance(row[2], int) and row[2] == 7)  # 6 people + the supervisor
    assert parent is not None
    policy = [row for row in book["เกณฑ์ที่ใช้"].iter_rows(values_only=True)]
    assert any(scenario["strict_code"] in row and "มาสายไม่เกิน (ครั้ง)" in row and 2 in row for row in policy)


def test_csv_is_utf8_with_bom_and_the_headings_hr_writes(client, scenario):
    response = report_rows(client, scenario["admin"]["headers"], format="csv")
    assert response.data.startswith(b"\xef\xbb\xbf")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    text = response.data.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("ลำดับที่,เลขประจำตัว,คำนำหน้า,ชื่อ-สกุล,ตำแหน่ง/ระดับ")
    assert "รวมวันลาป่วยและลากิจส่วนตัว (วัน)" in text.splitlines()[0]
    assert "ต้องตรวจสอบ" in text and "ไม่ผ่านเกณฑ์" in text and "มาสาย 3 ครั้ง เกินเกณฑ์ 2 ครั้ง" in text


def test_supervisors_get_their_units_only_and_exports_are_audited(client, scenario, make, app):
    outsider = make.staff("supervisor", make.unit())
    only_own_unit = by_code(report_rows(client, outsider["headers"]).get_json())
    assert list(only_own_unit) == [make.employee_code(outsider["employee_id"])]  # themself, nobody of ours
    assert_error(client.get(f"/api/v1/reports/salary-step?fiscal_year=2568&round=2&unit={scenario['unit']}",
                            headers=outsider["headers"]), 403, "OUT_OF_SCOPE")
    assert len(report_rows(client, scenario["supervisor"]["headers"]).get_json()["employees"]) == 7
    usage = client.get("/api/v1/reports/usage?fiscal_year=2568", headers=scenario["admin"]["headers"]).get_json()
    assert usage["salary_step_reports_produced"] == 2 and usage["months_in_use"] == 1  # E's September event
    assert usage["indicator_met"] is False


def test_reimporting_punches_adds_nothing(client, scenario, app):
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(CheckIn))
    again = client.post("/api/v1/punches/import", data=csv_upload(scenario["punches"]),
                        headers=scenario["admin"]["headers"], content_type="multipart/form-data").get_json()
    assert again["created"] == 0 and again["already_present"] > 1000
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CheckIn)) == before


def test_cli_writes_the_report(runner, scenario, tmp_path):
    out = tmp_path / "round.xlsx"
    result = runner.invoke(args=["report", "salary-step", "--fy", "2568", "--round", "2", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "ข้อมูล ณ วันที่ 30 ก.ย. 2568: 7 employees" in result.output
    assert load_workbook(out).sheetnames[0] == "สรุป"
    pdf = tmp_path / "round.pdf"
    result = runner.invoke(args=["report", "salary-step", "--fy", "2568", "--round", "2", "--as-of", "2025-06-30",
                                 "--out", str(pdf)])
    assert result.exit_code == 0, result.output
    assert "ข้อมูล ณ วันที่ 30 มิ.ย. 2568" in "\n".join(pages_text(pdf.read_bytes()))
    future = runner.invoke(args=["report", "salary-step", "--fy", "2570", "--round", "2", "--out", str(pdf)])
    assert future.exit_code != 0 and "nothing to report" in future.output
    assert runner.invoke(args=["report", "salary-step", "--fy", "2568", "--round", "2", "--unit", "NOPE",
                               "--out", str(out)]).exit_code != 0
