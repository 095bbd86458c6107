"""Clock files read into punches, the format told from the content (checkin.timekeeping.clock_files)."""

from datetime import datetime, timedelta, timezone

import hypothesis
import hypothesis.strategies as st
import pytest

from checkin.timekeeping.clock_files import (CSV_WITH_KIND, CSV_WITHOUT_KIND, ZKTECO_ATTLOG, ClockFileUnreadable,
                                             read_clock_file)

BANGKOK = timezone(timedelta(hours=7))

# As a ZKTeco clock's USB download writes 1_attlog.dat: the user id right-aligned, tabs, CRLF.
ATTLOG = (b"       17\t2025-04-01 08:25:13\t1\t1\t1\t0\r\n"
          b"       17\t2025-04-01 16:35:02\t1\t0\t1\t0\r\n"
          b"      205\t2025-04-01 08:31:40\t1\t0\t15\t0\r\n")


def problems(data: bytes) -> list[tuple[str, str]]:
    return [problem.texts() for problem in read_clock_file(data).problems]


def test_the_original_csv_with_kind_is_read_as_before():
    read = read_clock_file(b"employee_code,timestamp,kind,device_id\nE1,2025-04-01T08:25:00+07:00,IN,FP-01\n")
    assert read.format == CSV_WITH_KIND and read.problems == []
    [row] = read.rows
    assert (row.line, row.employee_code, row.kind, row.device_id) == (2, "E1", "in", "FP-01")
    assert row.at == datetime(2025, 4, 1, 8, 25, tzinfo=BANGKOK)


def test_a_csv_without_kind_leaves_the_kind_to_the_day_and_columns_may_come_in_any_order():
    read = read_clock_file("\ufeffTimestamp , Employee_Code\n01/04/2568 08:25,E1\n".encode())
    assert read.format == CSV_WITHOUT_KIND and read.problems == []
    [row] = read.rows
    assert (row.employee_code, row.kind, row.device_id) == ("E1", None, "")
    assert row.at == datetime(2025, 4, 1, 8, 25, tzinfo=BANGKOK)


def test_the_zkteco_attendance_log_is_read_by_user_id_and_time_only():
    read = read_clock_file(ATTLOG)
    assert read.format == ZKTECO_ATTLOG and read.problems == []
    assert [(row.line, row.employee_code, row.at.strftime("%H:%M:%S"), row.kind) for row in read.rows] == [
        (1, "17", "08:25:13", None), (2, "17", "16:35:02", None), (3, "205", "08:31:40", None)]
    assert read.rows[0].at == datetime(2025, 4, 1, 8, 25, 13, tzinfo=BANGKOK)


def test_an_attendance_log_with_a_bom_and_unix_line_ends_is_the_same_log():
    read = read_clock_file(b"\xef\xbb\xbf" + ATTLOG.replace(b"\r\n", b"\n"))
    assert read.format == ZKTECO_ATTLOG and len(read.rows) == 3 and read.problems == []


def test_line_numbers_are_the_editors_with_crlf_lone_cr_blank_and_comma_only_lines():
    data = b"employee_code,timestamp\r\n\r\nE1,2025-04-01 08:25\r,,\rE1,31/02/2568 08:25\n"
    assert problems(data) == [("line 5: there is no date and time '31/02/2568 08:25' in the calendar",
                               "บรรทัดที่ 5: ไม่มีวันเวลา '31/02/2568 08:25' ในปฏิทิน")]
    assert [row.line for row in read_clock_file(data).rows] == [3]


def test_every_problem_of_every_line_is_reported_in_english_and_thai():
    data = "\n".join(["employee_code,timestamp,kind,device_id", ",2025-04-01 08:25,lunch," + "x" * 129,
                      "E1,2025-04-01 08:25", "E1,2025-04-01 08:25,in,FP,extra"]).encode()
    found = problems(data)
    assert [english.split(":")[0] for english, _ in found] == ["line 2"] * 3 + ["line 3", "line 4"]
    assert [thai.split(":")[0] for _, thai in found] == ["บรรทัดที่ 2"] * 3 + ["บรรทัดที่ 3", "บรรทัดที่ 4"]
    assert "employee_code is empty" in found[0][0] and "ไม่มีรหัสพนักงาน" in found[0][1]
    assert "kind must be in or out" in found[1][0] and "in (เข้า) หรือ out (ออก)" in found[1][1]
    assert "longer than 128" in found[2][0] and "ยาวเกิน 128" in found[2][1]
    assert "expected 4 columns as in the header, found 2" in found[3][0] and "ต้องมี 4 คอลัมน์" in found[3][1]


def test_mixed_formats_are_refused_line_by_line():
    mixed_csv = b"employee_code,timestamp\nE1,2025-04-01 08:25\n       17\t2025-04-01 16:35:02\t1\t0\t1\t0\n"
    [(english, thai)] = problems(mixed_csv)
    assert english.startswith("line 3: a line of a ZKTeco attendance log in a CSV file")
    assert "หนึ่งไฟล์ต้องมีรูปแบบเดียว" in thai
    mixed_log = ATTLOG + b"17,2025-04-01 17:00:00\n"
    [(english, thai)] = problems(mixed_log)
    assert english.startswith("line 4: not a line of a ZKTeco attendance log")
    assert thai.startswith("บรรทัดที่ 4: ไม่ใช่บรรทัดของไฟล์บันทึกเวลา ZKTeco")


def test_a_bad_date_in_the_attendance_log_is_reported_by_line():
    [(english, _)] = problems(b"       17\t2025-02-30 08:25:13\t1\t0\t1\t0\n")
    assert english == "line 1: there is no date and time '2025-02-30 08:25:13' in the calendar"


@pytest.mark.parametrize("data, english, thai", [
    (b"", "The file is empty.", "ไฟล์ว่างเปล่า"),
    (b"\xef\xbb\xbf\r\n  \r\n", "The file is empty.", "ไฟล์ว่างเปล่า"),
    ("ชื่อ,วันที่,เวลาเข้า\nสมชาย,1/4/2568,08:25\n".encode(), "The first line must be a header",
     "บรรทัดแรกต้องเป็นหัวตาราง"),
    (b"E1,2025-04-01 08:25\n", "The first line must be a header", "หัวตาราง"),  # no header
    (b"employee_code,employee_code,timestamp\n", "The first line must be a header", "หัวตาราง"),
    (b"employee_code,kind\n", "The first line must be a header", "หัวตาราง"),
    (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xb5\x8b", "must be text in UTF-8", "CSV UTF-8"),  # an .xlsx
    (b"employee_code,timestamp\nE1\x00,2025-04-01 08:25\n", "NUL", "NUL"),
])
def test_a_file_that_is_no_clock_file_is_refused_whole(data, english, thai):
    with pytest.raises(ClockFileUnreadable) as raised:
        read_clock_file(data)
    assert english in raised.value.english and thai in raised.value.thai


def test_a_header_alone_is_an_empty_import_not_an_error():
    read = read_clock_file(b"employee_code,timestamp,kind,device_id\r\n")
    assert (read.format, read.rows, read.problems) == (CSV_WITH_KIND, [], [])


PIECES = ["employee_code", "timestamp", "kind", "device_id", ",", "\t", "\n", "\r\n", "\r", " ", "/", "-", ":", "T",
          "+07:00", "Z", "in", "out", "E1", "2568", "2025", "01", "31", "29", "02", "08", "25", "60", "\ufeff", '"',
          "\x00", "๑", "9" * 12]


@hypothesis.settings(max_examples=400, derandomize=True, database=None, deadline=None)
@hypothesis.given(st.one_of(st.binary(max_size=200),
                            st.lists(st.sampled_from(PIECES), max_size=60).map(lambda parts: "".join(parts).encode())))
def test_any_bytes_are_read_or_refused_with_reasons_never_an_unexpected_error(data):
    try:
        read = read_clock_file(data)
    except ClockFileUnreadable as refusal:
        assert refusal.english and refusal.thai
        return
    assert {row.kind for row in read.rows} <= {None, "in", "out"}
    assert all(row.at.tzinfo is not None and row.employee_code for row in read.rows)
    assert all(problem.english and problem.thai and problem.line >= 1 for problem in read.problems)
