"""An imported punch's identity is its own: a phone cannot claim it first, and it is matched per
employee, so importing a clock file again still adds nothing."""

import uuid
from datetime import datetime

from checkin.timekeeping.punches import PUNCH_NAMESPACE
from tests.support.api import post_checkin, upload_csv

ROW_TIME = "2025-04-01T08:20:00+07:00"


def result(created: int, already_present: int) -> dict:
    return {"created": created, "already_present": already_present, "ignored": 0, "format": "csv_with_kind"}


def test_a_phone_that_sends_a_punchs_old_style_id_first_cannot_make_the_punch_vanish(client, make):
    employee = make.staff()
    code = make.employee_code(employee["employee_id"])
    hr = make.user("hr")["headers"]
    # What an insider can compute: the id imports were given, from a namespace in the source.
    predicted = uuid.uuid5(PUNCH_NAMESPACE, f"{code}|{datetime.fromisoformat(ROW_TIME).isoformat()}|in|FP-01")
    assert post_checkin(client, employee, client_event_id=str(predicted)).status_code == 201

    text = f"employee_code,timestamp,kind,device_id\n{code},{ROW_TIME},in,FP-01\n"
    assert upload_csv(client, "/api/v1/punches/import", text, hr).get_json() == result(1, 0)
    assert upload_csv(client, "/api/v1/punches/import", text, hr).get_json() == result(0, 1)

    listed = client.get("/api/v1/checkins", headers=employee["headers"]).get_json()
    assert sorted(checkin["method"] or "none" for checkin in listed) == ["gps", "import"]
    imported = next(checkin for checkin in listed if checkin["method"] == "import")
    assert imported["received_at"] == ROW_TIME and imported["client_event_id"] != str(predicted)


def test_the_same_clock_row_for_two_employees_is_two_punches(client, make):
    hr = make.user("hr")["headers"]
    codes = [make.employee_code(make.employee(make.unit())) for _ in range(2)]
    text = "employee_code,timestamp,kind,device_id\n" + "".join(f"{code},{ROW_TIME},in,FP-01\n" for code in codes)
    assert upload_csv(client, "/api/v1/punches/import", text, hr).get_json() == result(2, 0)
    assert upload_csv(client, "/api/v1/punches/import", text, hr).get_json() == result(0, 2)
