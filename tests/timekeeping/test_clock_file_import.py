"""Clock files as devices and Thai offices write them, through POST /api/v1/punches/import: what
is stored (kind, received_at in UTC) and what the daily attendance report then shows."""

from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select

from checkin.checkins.models import CheckIn
from checkin.database import db
from checkin.timekeeping.csv_files import MAX_CSV_BYTES
from tests.support.api import assert_error, upload_csv, upload_file

IMPORT = "/api/v1/punches/import"


def utc(*parts) -> datetime:
    return datetime(*parts, tzinfo=timezone.utc)


def stored(app, employee_id: int) -> list[tuple[str, datetime]]:
    with app.app_context():
        return [tuple(row) for row in db.session.execute(select(CheckIn.kind, CheckIn.received_at).where(
            CheckIn.employee_id == employee_id).order_by(CheckIn.received_at))]


def checkin_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(CheckIn))


def attendance(client, headers, code: str, start: str, end: str) -> dict[str, tuple]:
    rows = client.get(f"/api/v1/reports/attendance?from={start}&to={end}", headers=headers).get_json()
    return {row["date"]: (row["first_in"], row["last_out"], row["status"]) for row in rows
            if row["employee_code"] == code}


@pytest.fixture
def hr(make):
    return make.user("hr")["headers"]


@pytest.fixture
def staff(make):
    employee_id = make.employee(make.unit())
    return employee_id, make.employee_code(employee_id)


def test_a_csv_without_kind_with_buddhist_years_gives_each_day_its_first_and_last_punch(client, app, hr, staff):
    employee_id, code = staff
    text = "\n".join(["employee_code,timestamp,device_id",
                      f"{code},01/04/2568 08:25,FP-01",
                      f"{code},01/04/2568 12:02:10,FP-01",   # lunch: between, ignored
                      f"{code},01/04/2568 16:35,FP-02",
                      f"{code},02/04/2568 08:40:00,FP-01"])   # one punch: an arrival only
    body = upload_csv(client, IMPORT, text, hr).get_json()
    assert body == {"created": 3, "already_present": 0, "ignored": 1, "format": "csv_without_kind"}
    assert stored(app, employee_id) == [("in", utc(2025, 4, 1, 1, 25)), ("out", utc(2025, 4, 1, 9, 35)),
                                        ("in", utc(2025, 4, 2, 1, 40))]
    days = attendance(client, hr, code, "2025-04-01", "2025-04-02")
    assert days["2025-04-01"] == ("2025-04-01T08:25:00+07:00", "2025-04-01T16:35:00+07:00", "on_time")
    assert days["2025-04-02"] == ("2025-04-02T08:40:00+07:00", None, "missing_checkout")

    again = upload_csv(client, IMPORT, text, hr).get_json()
    assert again == {"created": 0, "already_present": 3, "ignored": 1, "format": "csv_without_kind"}
    assert len(stored(app, employee_id)) == 3


def test_the_zkteco_attendance_log_ignores_its_in_out_column(client, app, hr, staff):
    employee_id, code = staff
    # The morning punch says "check-out" (1) and the evening one "check-in" (0): a person pressed
    # the wrong key, or nobody pressed one. First and last decide.
    log = (f"{code:>9}\t2025-04-01 08:31:05\t1\t1\t1\t0\r\n"
           f"{code:>9}\t2025-04-01 08:31:09\t1\t1\t1\t0\r\n"   # the finger again, 4 s later
           f"{code:>9}\t2025-04-01 16:40:00\t1\t0\t15\t0\r\n").encode()
    body = upload_file(client, IMPORT, log, hr, "1_attlog.dat").get_json()
    assert body == {"created": 2, "already_present": 0, "ignored": 1, "format": "zkteco_attlog"}
    assert stored(app, employee_id) == [("in", utc(2025, 4, 1, 1, 31, 5)), ("out", utc(2025, 4, 1, 9, 40))]
    first_in, last_out, status = attendance(client, hr, code, "2025-04-01", "2025-04-01")["2025-04-01"]
    assert (first_in, last_out, status) == ("2025-04-01T08:31:05+07:00", "2025-04-01T16:40:00+07:00", "late")
    assert upload_file(client, IMPORT, log, hr, "1_attlog.dat").get_json()["created"] == 0


def test_a_day_split_over_two_downloads_has_one_arrival_and_one_departure(client, app, hr, staff):
    employee_id, code = staff
    morning = f"{code}\t2025-04-01 08:20:00\t1\t0\t1\t0\n".encode()
    rest_of_the_day = f"{code}\t2025-04-01 12:00:00\t1\t0\t1\t0\n{code}\t2025-04-01 16:45:00\t1\t0\t1\t0\n".encode()
    assert upload_file(client, IMPORT, morning, hr).get_json()["created"] == 1
    body = upload_file(client, IMPORT, rest_of_the_day, hr).get_json()
    assert (body["created"], body["already_present"], body["ignored"]) == (1, 0, 1)  # 12:00 is no second arrival
    assert stored(app, employee_id) == [("in", utc(2025, 4, 1, 1, 20)), ("out", utc(2025, 4, 1, 9, 45))]
    body = upload_file(client, IMPORT, morning + rest_of_the_day, hr).get_json()  # the whole log again
    assert (body["created"], body["already_present"], body["ignored"]) == (0, 2, 1)


def test_a_time_without_an_offset_is_bangkok_time_and_keeps_the_identity_of_the_same_punch(client, app, hr, staff):
    employee_id, code = staff
    header = "employee_code,timestamp,kind,device_id"
    with_offset = upload_csv(client, IMPORT, f"{header}\n{code},2025-04-01T08:25:00+07:00,in,FP-01\n", hr)
    assert with_offset.get_json()["created"] == 1
    for same_punch in ("2025-04-01T08:25:00", "2025-04-01 08:25:00", "01/04/2568 08:25", "01/04/2025 08:25:00"):
        body = upload_csv(client, IMPORT, f"{header}\n{code},{same_punch},in,FP-01\n", hr).get_json()
        assert (body["created"], body["already_present"]) == (0, 1), same_punch
    assert stored(app, employee_id) == [("in", utc(2025, 4, 1, 1, 25))]


def test_bad_lines_are_reported_by_number_in_english_and_thai_and_nothing_is_stored(client, app, hr, staff):
    _, code = staff
    text = "\r\n".join(["employee_code,timestamp", f"{code},01/04/2568 08:25", "NOBODY,01/04/2568 08:30",
                        f"{code},31/02/2568 08:25", "", f"{code},2025-04-01 16:35"])
    body = assert_error(upload_csv(client, IMPORT, text, hr), 422, "CSV_INVALID")  # with a BOM and CRLF
    assert body["message"] == "2 line(s) of the file are invalid; nothing was imported."
    assert body["errors"]["file"] == ["line 3: no employee with code 'NOBODY'",
                                      "line 4: there is no date and time '31/02/2568 08:25' in the calendar"]
    assert body["errors"]["file_th"] == ["บรรทัดที่ 3: ไม่พบพนักงานรหัส 'NOBODY'",
                                         "บรรทัดที่ 4: ไม่มีวันเวลา '31/02/2568 08:25' ในปฏิทิน"]
    assert checkin_count(app) == 0


@pytest.mark.parametrize("data, english, thai", [
    (b"", "The file is empty.", "ไฟล์ว่างเปล่า"),
    ("รหัส,ชื่อ,เวลาเข้า,เวลาออก\n001,สมชาย,08:25,16:35\n".encode(), "The first line must be a header",
     "บรรทัดแรกต้องเป็นหัวตาราง"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "must be text in UTF-8", "UTF-8"),
])
def test_a_file_of_another_format_is_a_422_in_both_languages(client, app, hr, data, english, thai):
    body = assert_error(upload_file(client, IMPORT, data, hr), 422, "CSV_INVALID")
    assert english in body["errors"]["file"][0]
    assert thai in body["errors"]["file_th"][0]
    assert checkin_count(app) == 0


def test_mixed_formats_in_one_file_are_refused_by_line(client, app, hr, staff):
    _, code = staff
    data = f"employee_code,timestamp\n{code},2025-04-01 08:25\n{code}\t2025-04-01 16:35:00\t1\t1\t1\t0\n".encode()
    body = assert_error(upload_file(client, IMPORT, data, hr), 422, "CSV_INVALID")
    assert body["errors"]["file"] == ["line 3: a line of a ZKTeco attendance log in a CSV file: one format per file"]
    assert body["errors"]["file_th"][0].startswith("บรรทัดที่ 3: ")
    assert checkin_count(app) == 0


def test_a_file_over_5_mb_is_refused_before_it_is_read(client, app, hr, staff):
    _, code = staff
    line = f"{code},2025-04-01 08:25\n".encode()
    data = b"employee_code,timestamp\n" + line * (MAX_CSV_BYTES // len(line) + 1)
    body = assert_error(upload_file(client, IMPORT, data, hr), 422, "CSV_TOO_LARGE")
    assert "5 MB" in body["errors"]["file_th"][0]
    assert checkin_count(app) == 0


def test_a_file_of_many_bad_lines_lists_the_first_200_problems(client, app, hr):
    data = "employee_code,timestamp\n" + "NOBODY,2025-04-01 08:25\n" * 250
    body = assert_error(upload_csv(client, IMPORT, data, hr), 422, "CSV_INVALID")
    assert body["message"] == "250 line(s) of the file are invalid; nothing was imported."
    assert len(body["errors"]["file"]) == len(body["errors"]["file_th"]) == 201
    assert body["errors"]["file"][-1] == "and 50 more problems"
    assert body["errors"]["file_th"][-1] == "และปัญหาอื่นอีก 50 รายการ"


def test_the_cli_imports_an_attendance_log(runner, app, staff, tmp_path):
    employee_id, code = staff
    path = tmp_path / "1_attlog.dat"
    path.write_bytes(f"{code:>9}\t2025-04-01 08:25:00\t1\t0\t1\t0\r\n{code:>9}\t2025-04-01 16:35:00\t1\t0\t1\t0\r\n"
                     .encode())
    assert "Imported 2 punches; 0 were already present." in runner.invoke(args=["import-punches", str(path)]).output
    assert [kind for kind, _ in stored(app, employee_id)] == ["in", "out"]
    path.write_bytes(b"NOBODY\t2025-04-01 08:25:00\t1\t0\t1\t0\r\n")
    result = runner.invoke(args=["import-punches", str(path)])
    assert result.exit_code != 0 and "line 1: no employee with code 'NOBODY'" in result.output


def test_a_line_with_several_problems_counts_once_and_lists_each(client, hr):
    text = "employee_code,timestamp,kind\n,31/02/2568 08:25,lunch\n"
    body = assert_error(upload_csv(client, IMPORT, text, hr), 422, "CSV_INVALID")
    assert body["message"] == "1 line(s) of the file are invalid; nothing was imported."
    assert [problem.split(":")[0] for problem in body["errors"]["file"]] == ["line 2"] * 3
    assert [problem.split(":")[0] for problem in body["errors"]["file_th"]] == ["บรรทัดที่ 2"] * 3
