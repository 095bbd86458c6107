"""The salary-step report lists people in the order of the org tree (a unit, then the units below
it), which need not be the order of their ids: a section's people may have been entered before
their office's. Each person must still get their own check-ins."""

import io

from checkin.reports import facts


def test_people_listed_out_of_id_order_keep_their_own_check_ins(client, make, monkeypatch):
    monkeypatch.setattr(facts, "EMPLOYEES_PER_QUERY", 2)  # so the five people span three queries
    headers = make.user("admin")["headers"]
    office = make.unit()
    section = make.unit(parent_id=office)
    people = [make.employee(section) for _ in range(2)] + [make.employee(office) for _ in range(3)]
    codes = [make.employee_code(employee_id) for employee_id in people]
    working = ["2025-04-01", "2025-04-02", "2025-04-03", "2025-04-04"]
    present = dict(zip(codes, [4, 1, 3, 0, 2]))  # days each person came, all different
    rows = ["employee_code,timestamp,kind,device_id"]
    for code, days in present.items():
        for day in working[:days]:
            rows += [f"{code},{day}T08:25:00+07:00,in,clock-1", f"{code},{day}T16:35:00+07:00,out,clock-1"]
    imported = client.post("/api/v1/punches/import", headers=headers, content_type="multipart/form-data",
                           data={"file": (io.BytesIO("\n".join(rows).encode()), "punches.csv")})
    assert imported.status_code in (200, 201), imported.get_json()

    report = client.get("/api/v1/reports/salary-step?fiscal_year=2568&round=2&as_of=2025-04-04",
                        headers=headers).get_json()
    listed = [row["employee_code"] for row in report["employees"]]
    assert listed == codes[2:] + codes[:2]  # the office's people first: not the order of ids
    figures = {row["employee_code"]: (row["days_present"], row["absence_candidates"]) for row in report["employees"]}
    assert figures == {code: (days, 4 - days) for code, days in present.items()}
