"""The salary-step report tried as a Thai HR officer would (issue 17): new hires just under four
months, a report run before the round ends, people who left service, leave in the unit the
regulation uses, consecutive leave as one occasion, the columns HR expects and the dates behind
them. FY 2568 round 2 = 1 Apr - 30 Sep 2025; every person punches in at 08:25 and out at 16:35 on
every working day they serve, unless the case says otherwise."""

import io
from datetime import date, datetime

import pytest

from checkin.timezones import BANGKOK
from tests.support.api import assert_error
from tests.support.pdf_text import pages_text

LATE_DAYS = 19  # one over the default 18


def upload(client, headers, path: str, text: str):
    response = client.post(path, data={"file": (io.BytesIO(text.encode("utf-8")), "file.csv")}, headers=headers,
                           content_type="multipart/form-data")
    assert response.status_code in (200, 201), response.get_json()
    return response.get_json()


def working_days(client, headers, unit: int, start: str, end: str) -> list[str]:
    calendar = client.get(f"/api/v1/calendar?from={start}&to={end}&unit={unit}", headers=headers).get_json()
    return [day["date"] for day in calendar if day["working_day"]]


@pytest.fixture
def office(client, make):
    """A district office with one section below it, and its people."""
    admin = make.user("admin")
    headers = admin["headers"]
    unit = make.unit()
    section = make.unit(parent_id=unit)
    people = {}

    def person(name: str, unit_id: int = unit, **fields) -> str:
        code = f"HR{len(people) + 1:03d}"
        body = {"code": code, "first_name_th": name, "last_name_th": "ทดสอบระบบ", "unit_id": unit_id,
                "hired_on": "2015-05-01", **fields}
        response = client.post("/api/v1/employees", json=body, headers=headers)
        assert response.status_code == 201, response.get_json()
        people[name] = {"code": code, "id": response.get_json()["id"], **body}
        return code

    person("มานะ", title_th="นาย", position="นักทรัพยากรบุคคลชำนาญการ")          # a full round, on time
    person("ใหม่", title_th="นางสาว", hired_on="2025-06-02")                   # 3 months 29 days
    person("มิถุนา", hired_on="2025-06-01")                                  # 4 months exactly
    person("กรกฎ", hired_on="2025-07-01")                                   # not in service on 30 Jun
    person("ลาออก", hired_on="2010-01-01", employment_ended_on="2025-08-15", employment_end_reason="resigned",
           active=False)
    person("แม่", title_th="นาง")                                           # maternity 1 May - 29 Jul
    person("ป่วยบ่อย", section)                                              # sick leave entered in pieces
    person("สาย", section, title_th="นางสาว", position="เจ้าพนักงานธุรการปฏิบัติงาน",
           personnel_type="permanent_employee")                             # 19 late arrivals, 1 no check-out

    upload(client, headers, "/api/v1/leaves/import", "\n".join([
        "employee_code,leave_type,start_date,end_date,half_day",
        f"{people['แม่']['code']},maternity,2025-05-01,2025-07-29,",
        f"{people['ป่วยบ่อย']['code']},sick,2025-07-14,2025-07-15,",  # Mon-Tue
        f"{people['ป่วยบ่อย']['code']},sick,2025-07-16,2025-07-17,",  # Wed-Thu: the same illness
        f"{people['ป่วยบ่อย']['code']},sick,2025-08-22,2025-08-22,",  # Fri
        f"{people['ป่วยบ่อย']['code']},sick,2025-08-25,2025-08-25,",  # Mon: over the weekend, still one
        f"{people['ป่วยบ่อย']['code']},sick,2025-08-04,2025-08-04,am",  # two mornings with work between
        f"{people['ป่วยบ่อย']['code']},sick,2025-08-05,2025-08-05,am",
        f"{people['ป่วยบ่อย']['code']},paternity,2025-09-01,2025-09-05,",  # not counted by the policy
    ]))
    working = working_days(client, headers, unit, "2025-04-01", "2025-09-30")
    late_days = set(working[:LATE_DAYS])
    rows = ["employee_code,timestamp,kind,device_id"]
    for info in people.values():
        first = max(info["hired_on"], "2025-04-01")
        last = info.get("employment_ended_on", "2025-09-30")
        for day in working:
            if not first <= day <= last or _on_full_leave(info["first_name_th"], day):
                continue
            arrive = "12:50:00" if info["first_name_th"] == "ป่วยบ่อย" and day in ("2025-08-04", "2025-08-05") \
                else "08:40:00" if info["first_name_th"] == "สาย" and day in late_days else "08:25:00"
            rows.append(f"{info['code']},{day}T{arrive}+07:00,in,clock-1")
            if not (info["first_name_th"] == "สาย" and day == working[-1]):
                rows.append(f"{info['code']},{day}T16:35:00+07:00,out,clock-1")
    upload(client, headers, "/api/v1/punches/import", "\n".join(rows))
    return {"headers": headers, "unit": unit, "section": section, "people": people, "working": working,
            "late_days": sorted(late_days)}


def _on_full_leave(name: str, day: str) -> bool:
    return (name == "แม่" and "2025-05-01" <= day <= "2025-07-29") or (name == "ป่วยบ่อย" and (
        "2025-07-14" <= day <= "2025-07-17" or day in ("2025-08-22", "2025-08-25")
        or "2025-09-01" <= day <= "2025-09-05"))


def salary_step(client, headers, **query):
    params = "&".join(f"{key}={value}" for key, value in {"fiscal_year": 2568, "round": 2, **query}.items())
    return client.get(f"/api/v1/reports/salary-step?{params}", headers=headers)


def rows_by_name(report: dict) -> dict:
    return {row["name_th"].split()[0]: row for row in report["employees"]}


def test_service_in_whole_months_and_days_and_who_left(client, office):
    report = salary_step(client, office["headers"]).get_json()
    assert report["as_of"] == "2025-09-30" and report["as_of_th"] == "ข้อมูล ณ วันที่ 30 ก.ย. 2568"
    rows = rows_by_name(report)

    new = rows["ใหม่"]  # hired 2 Jun: 3 months 29 days is not 4 months
    assert (new["service_months"], new["service_days"], new["service_th"]) == (3, 29, "3 เดือน 29 วัน")
    assert (new["status"], new["status_th"], new["reasons"]) == ("NOT_ELIGIBLE", "ไม่ผ่านเกณฑ์",
                                                                 ["SERVICE_BELOW_MINIMUM"])
    assert new["remarks_th"] == "ปฏิบัติราชการในรอบ 3 เดือน 29 วัน ไม่ถึง 4 เดือน"
    assert "เกินเกณฑ์" not in new["remarks_th"]
    june = rows["มิถุนา"]
    assert (june["service_th"], june["status"], june["status_th"]) == ("4 เดือน", "ELIGIBLE", "ผ่านเกณฑ์")

    left = rows["ลาออก"]  # inactive, resigned 15 Aug: keeps the days served, no day after counts
    served = [day for day in office["working"] if day <= "2025-08-15"]
    assert (left["working_days"], left["days_present"], left["absence_candidates"]) == (len(served), len(served), 0)
    assert (left["employment_ended_on"], left["employment_end_reason"]) == ("2025-08-15", "resigned")
    assert left["status"] == "ELIGIBLE" and left["service_th"] == "4 เดือน 15 วัน"
    assert left["remarks_th"] == "พ้นจากราชการ 15 ส.ค. 2568 (ลาออก)"

    days = client.get(f"/api/v1/reports/attendance?from=2025-08-14&to=2025-08-19&unit={office['unit']}",
                      headers=office["headers"]).get_json()
    left_days = {row["date"]: row["status"] for row in days if row["employee_code"] == office["people"]["ลาออก"]["code"]}
    assert left_days == {"2025-08-14": "on_time", "2025-08-15": "on_time", "2025-08-16": "not_employed",
                         "2025-08-17": "not_employed", "2025-08-18": "not_employed", "2025-08-19": "not_employed"}
    next_round = salary_step(client, office["headers"], fiscal_year=2569, round=1, as_of="2025-10-31").get_json()
    assert "ลาออก" not in rows_by_name(next_round)  # left before that round began


def test_the_end_of_service_needs_its_reason(client, office):
    someone = office["people"]["มานะ"]["id"]
    response = client.patch(f"/api/v1/employees/{someone}", json={"employment_ended_on": "2025-09-01"},
                            headers=office["headers"])
    assert_error(response, 422, "EMPLOYMENT_END_INCOMPLETE")
    assert_error(client.patch(f"/api/v1/employees/{someone}", json={"employment_ended_on": "2014-01-01",
                                                                    "employment_end_reason": "retired"},
                              headers=office["headers"]), 422, "EMPLOYMENT_END_BEFORE_START")
    assert_error(client.patch(f"/api/v1/employees/{someone}", json={"employment_ended_on": "2025-09-01",
                                                                    "employment_end_reason": "fired"},
                              headers=office["headers"]), 422)
    done = client.patch(f"/api/v1/employees/{someone}", json={"employment_ended_on": "2025-09-01",
                                                              "employment_end_reason": "transferred"},
                        headers=office["headers"])
    assert done.status_code == 200 and done.get_json()["employment_end_reason"] == "transferred"


def test_leave_in_the_regulations_unit_and_consecutive_records_as_one_occasion(client, office):
    rows = rows_by_name(salary_step(client, office["headers"]).get_json())
    mother = rows["แม่"]  # 1 May - 29 Jul: 90 calendar days, not the 56 working days among them
    assert mother["leave"]["maternity"] == {"occasions": 1, "days": 90}
    assert mother["counted_leave_days"] == 0 and mother["status"] == "ELIGIBLE"
    assert mother["not_counted_leave_days"] == 56

    sick = rows["ป่วยบ่อย"]
    # 14-17 Jul (two records) = 1, 22 + 25 Aug over a weekend = 1, two separate mornings = 2.
    assert (sick["sick_occasions"], sick["sick_days"]) == (4, 7.0)
    assert (sick["counted_leave_occasions"], sick["counted_leave_days"]) == (4, 7.0)
    assert sick["leave"]["paternity"] == {"occasions": 1, "days": 5}
    assert sick["not_counted_leave_days"] == 5
    assert sick["late_count"] == 0  # the afternoons after a morning's leave start at 13:00


def test_the_columns_and_the_dates_behind_them(client, office):
    report = salary_step(client, office["headers"]).get_json()
    assert "เฉพาะข้อมูลการมาปฏิบัติราชการ" in report["notice_th"]
    rows = rows_by_name(report)
    assert [row["seq"] for row in report["employees"]] == list(range(1, len(report["employees"]) + 1))
    # Tree order: the office's people first, then its section's.
    assert [row["unit_code"] for row in report["employees"]][-2:] == [rows["ป่วยบ่อย"]["unit_code"]] * 2

    late = rows["สาย"]
    assert (late["title_th"], late["position"], late["personnel_type"], late["personnel_type_th"]) == (
        "นางสาว", "เจ้าพนักงานธุรการปฏิบัติงาน", "permanent_employee", "ลูกจ้างประจำ")
    assert (late["late_count"], late["missing_checkouts"], late["status"]) == (LATE_DAYS, 1, "NOT_ELIGIBLE")
    assert late["reasons"] == ["LATE_OVER_LIMIT", "MISSING_CHECKOUTS"]
    assert late["remarks_th"] == f"มาสาย {LATE_DAYS} ครั้ง เกินเกณฑ์ 18 ครั้ง; ไม่มีบันทึกเวลาออก 1 วัน"
    assert late["limits"]["max_late_count"] == 18 and "สายไม่เกิน 18 ครั้ง" in late["limits_th"]
    assert rows["มานะ"]["status"] == "ELIGIBLE" and rows["มานะ"]["remarks_th"] == ""

    behind = [(row["date"], row["kind"]) for row in report["details"] if row["employee_code"] == late["employee_code"]]
    assert behind == [(day, "late") for day in office["late_days"]] + [(office["working"][-1], "missing_checkout")]
    first = next(row for row in report["details"] if row["kind"] == "late")
    assert first["first_in"].endswith("08:40:00+07:00") and first["late_minutes"] == 10 and first["kind_th"] == "มาสาย"

    totals = {row["unit_code"]: row for row in report["units"]}
    office_total, section_total = totals[rows["มานะ"]["unit_code"]], totals[late["unit_code"]]
    assert (section_total["employees"], section_total["depth"], section_total["NOT_ELIGIBLE"]) == (2, 1, 1)
    assert office_total["employees"] == len(report["employees"])  # the section rolled up into its office
    assert office_total["NOT_ELIGIBLE"] == 3 and office_total["depth"] == 0  # ใหม่, กรกฎ (3 months), สาย


def test_as_of_counts_nothing_after_it(client, office):
    report = salary_step(client, office["headers"], as_of="2025-06-30").get_json()
    assert report["as_of_th"] == "ข้อมูล ณ วันที่ 30 มิ.ย. 2568"
    rows = rows_by_name(report)
    until_june = [day for day in office["working"] if day <= "2025-06-30"]
    assert rows["มานะ"]["working_days"] == len(until_june) and rows["มานะ"]["absence_candidates"] == 0
    assert rows["แม่"]["leave"]["maternity"]["days"] == 61  # 1 May - 30 Jun
    assert "กรกฎ" not in rows  # hired 1 Jul: not yet in service
    assert rows["ใหม่"]["service_th"] == "3 เดือน 29 วัน"  # service is judged over the whole round

    tomorrow = date.fromordinal(datetime.now(BANGKOK).date().toordinal() + 1).isoformat()
    assert_error(salary_step(client, office["headers"], fiscal_year=2570, round=1, as_of=tomorrow), 422,
                 "AS_OF_IN_FUTURE")
    assert_error(salary_step(client, office["headers"], as_of="2025-03-31"), 422, "ROUND_NOT_STARTED")
    assert_error(client.post("/api/v1/reports/jobs", json={"fiscal_year": 2570, "round": 1, "as_of": tomorrow},
                             headers=office["headers"]), 422, "AS_OF_IN_FUTURE")


def test_a_round_still_open_counts_up_to_today_only(client, office):
    """Committees meet before the round closes: days still to come are not absences."""
    today = datetime.now(BANGKOK).date()
    fiscal_year = today.year + 543 + (1 if today.month >= 10 else 0)
    number = 1 if today.month >= 10 or today.month <= 3 else 2
    report = salary_step(client, office["headers"], fiscal_year=fiscal_year, round=number).get_json()
    assert report["as_of"] == today.isoformat()
    so_far = working_days(client, office["headers"], office["unit"], report["start_date"], today.isoformat())
    nobody_punched = rows_by_name(report)["มานะ"]
    assert nobody_punched["working_days"] == len(so_far) == nobody_punched["absence_candidates"]
    assert all(row["date"] <= today.isoformat() for row in report["details"])


def test_the_pdf_has_a_table_per_unit_and_the_people_in_thai(client, office):
    response = salary_step(client, office["headers"], format="pdf")
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"] == 'attachment; filename="salary-step-2568-2.pdf"'
    text = "\n".join(pages_text(response.data))
    assert "ข้อมูล ณ วันที่ 30 ก.ย. 2568" in text and "หน้า 1/" in text
    # Long cells wrap, so a name or a remark may come back over two lines.
    assert "HR002 นางสาวใหม่" in text and "ปฏิบัติราชการในรอบ 3 เดือน 29" in text
    assert "ลาคลอดบุตร 90 วัน" in text
