"""Leave, punches and holidays: the refusals (the policy file: tests/unit/test_rounds_and_policy.py)."""

from sqlalchemy import func, select

from checkin.database import db
from checkin.timekeeping.models import Leave
from tests.support.api import assert_error, upload_csv


def leave_count(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Leave))


def test_overlapping_leave_is_409_but_two_halves_of_a_day_are_fine(client, make):
    hr = make.user("hr")["headers"]
    employee = make.employee(make.unit())

    def leave(start, end, half=None, leave_type="sick"):
        return client.post("/api/v1/leaves", json={"employee_id": employee, "leave_type": leave_type,
                                                   "start_date": start, "end_date": end, "half_day": half}, headers=hr)
    assert leave("2025-04-01", "2025-04-03").status_code == 201
    assert_error(leave("2025-04-03", "2025-04-04", leave_type="personal"), 409, "LEAVE_OVERLAP")
    assert leave("2025-04-07", "2025-04-07", "am").status_code == 201
    assert leave("2025-04-07", "2025-04-07", "pm", "personal").status_code == 201
    assert_error(leave("2025-04-07", "2025-04-07"), 409)
    assert_error(leave("2025-04-09", "2025-04-08"), 422)
    assert_error(leave("2025-04-10", "2025-04-11", "am"), 422, "LEAVE_INVALID")
    assert_error(client.post("/api/v1/leaves", json={"employee_id": employee, "leave_type": "holiday",
                                                     "start_date": "2025-05-01", "end_date": "2025-05-01"},
                             headers=hr), 422)


def test_a_bad_csv_line_is_reported_by_number_and_nothing_is_imported(client, make, app):
    hr = make.user("hr")["headers"]
    code = make.employee_code(make.employee(make.unit()))
    text = "\n".join(["employee_code,leave_type,start_date,end_date,half_day",
                      f"{code},sick,2025-04-01,2025-04-01,",
                      f"{code},nap,2025-04-02,2025-04-02,",
                      "NOBODY,sick,2025-04-03,2025-04-03,",
                      f"{code},personal,2025-04-01,2025-04-01,pm",
                      f"{code},vacation,2025-13-01,2025-13-02,"])
    body = assert_error(upload_csv(client, "/api/v1/leaves/import", text, hr), 422, "CSV_INVALID")
    problems = body["errors"]["file"]
    assert [problem.split(":")[0] for problem in problems] == ["line 3", "line 4", "line 5", "line 6"]
    assert "overlaps line 2" in problems[2]  # a pm half on a day already fully on leave
    assert leave_count(app) == 0

    overlapping = "\n".join(["employee_code,leave_type,start_date,end_date,half_day",
                             f"{code},sick,2025-04-01,2025-04-02,", f"{code},personal,2025-04-02,2025-04-02,"])
    body = assert_error(upload_csv(client, "/api/v1/leaves/import", overlapping, hr), 422)
    assert body["errors"]["file"] == ["line 3: overlaps line 2 of this file"]
    assert leave_count(app) == 0
    assert_error(upload_csv(client, "/api/v1/leaves/import", "code,type\nx,y\n", hr), 422, "CSV_INVALID")


def test_import_leaves_cli_is_all_or_nothing(runner, make, app, tmp_path):
    code = make.employee_code(make.employee(make.unit()))
    path = tmp_path / "leave.csv"
    path.write_text(f"employee_code,leave_type,start_date,end_date,half_day\n{code},sick,2025-04-01,2025-04-01,\n"
                    f"{code},sick,2025-04-02,2025-04-02,evening\n", encoding="utf-8")
    result = runner.invoke(args=["import-leaves", str(path)])
    assert result.exit_code != 0 and "line 3" in result.output
    assert leave_count(app) == 0
    path.write_text(f"employee_code,leave_type,start_date,end_date,half_day\n{code},sick,2025-04-01,2025-04-01,\n",
                    encoding="utf-8")
    assert "Imported 1" in runner.invoke(args=["import-leaves", str(path)]).output


def test_punch_lines_need_a_real_time_and_a_known_kind(client, make):
    hr = make.user("hr")["headers"]
    code = make.employee_code(make.employee(make.unit()))
    text = "\n".join(["employee_code,timestamp,kind,device_id", f"{code},31/02/2568 08:20,in,clock",
                      f"{code},2025-04-01T08:20:00+07:00,lunch,clock"])
    body = assert_error(upload_csv(client, "/api/v1/punches/import", text, hr), 422, "CSV_INVALID")
    assert [problem.split(":")[0] for problem in body["errors"]["file"]] == ["line 2", "line 3"]


def test_imported_punches_are_accepted_with_method_import_and_audited(client, make):
    employee = make.staff()
    hr = make.user("hr")["headers"]
    text = f"employee_code,timestamp,kind,device_id\n{make.employee_code(employee['employee_id'])},2025-04-01T08:20:00+07:00,in,FP-01\n"
    assert upload_csv(client, "/api/v1/punches/import", text, hr).get_json() == {
        "created": 1, "already_present": 0, "ignored": 0, "format": "csv_with_kind"}
    [checkin] = client.get("/api/v1/checkins", headers=employee["headers"]).get_json()
    assert (checkin["status"], checkin["method"], checkin["device_id"]) == ("accepted", "import", "FP-01")
    assert checkin["received_at"] == "2025-04-01T08:20:00+07:00"
    trail = client.get(f"/api/v1/checkins/{checkin['id']}/audit", headers=hr).get_json()
    assert [entry["action"] for entry in trail] == ["checkin.imported"]


def test_calendar_has_thai_holidays_without_labour_day_and_declared_ones(client, make, runner):
    headers = make.user("admin")["headers"]
    unit_code = None
    result = runner.invoke(args=["add-holiday", "--date", "2025-05-02", "--name", "วันหยุดพิเศษตามมติคณะรัฐมนตรี"])
    assert result.exit_code == 0, result.output
    days = {day["date"]: day for day in client.get("/api/v1/calendar?from=2025-04-30&to=2025-05-05",
                                                   headers=headers).get_json()}
    assert days["2025-05-01"]["working_day"] is True  # Labour Day: private sector only
    assert days["2025-05-02"] == {"date": "2025-05-02", "working_day": False, "holiday_name": "วันหยุดพิเศษตามมติคณะรัฐมนตรี"}
    assert days["2025-05-05"]["working_day"] is False and days["2025-05-05"]["holiday_name"]
    assert days["2025-05-03"]["working_day"] is False  # Saturday
    assert unit_code is None
    assert runner.invoke(args=["add-holiday", "--date", "2025-05-02", "--name", "ซ้ำ"]).exit_code != 0

