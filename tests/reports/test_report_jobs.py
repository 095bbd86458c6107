"""Large exports as jobs: in-process without a broker (done at once)."""

import io

from openpyxl import load_workbook

from tests.support.api import assert_error
from tests.support.pdf_text import pages_text


def test_a_job_without_a_broker_is_done_at_once_and_downloads(client, make):
    hr = make.user("hr")
    make.staff()
    response = client.post("/api/v1/reports/jobs", json={"fiscal_year": 2568, "round": 2, "format": "xlsx"},
                           headers=hr["headers"])
    assert response.status_code == 202
    job = response.get_json()
    assert job["status"] == "done"
    assert job["params"] == {"fiscal_year": 2568, "round": 2, "unit": None, "as_of": None}
    assert client.get(job["status_url"], headers=hr["headers"]).get_json()["status"] == "done"
    download = client.get(job["download_url"], headers=hr["headers"])
    assert download.status_code == 200
    assert load_workbook(io.BytesIO(download.data)).sheetnames[0] == "สรุป"


def test_jobs_are_private_to_who_asked_and_hr(client, make):
    unit = make.unit()
    supervisor, other = make.staff("supervisor", unit), make.staff("supervisor", make.unit())
    job = client.post("/api/v1/reports/jobs", json={"fiscal_year": 2568, "round": 1, "format": "csv"},
                      headers=supervisor["headers"]).get_json()
    assert client.get(job["download_url"], headers=supervisor["headers"]).data.startswith(b"\xef\xbb\xbf")
    assert_error(client.get(job["status_url"], headers=other["headers"]), 403)
    assert client.get(job["status_url"], headers=make.user("hr")["headers"]).status_code == 200
    assert_error(client.post("/api/v1/reports/jobs", json={"fiscal_year": 2568, "round": 1, "unit": unit},
                             headers=other["headers"]), 403, "OUT_OF_SCOPE")
    assert_error(client.post("/api/v1/reports/jobs", json={"fiscal_year": 2568, "round": 3},
                             headers=supervisor["headers"]), 422)


def test_a_pdf_job_gives_a_signable_pdf_in_thai(client, make):
    hr = make.user("hr")
    staff = make.staff()
    job = client.post("/api/v1/reports/jobs", json={"fiscal_year": 2568, "round": 2, "format": "pdf",
                                                    "as_of": "2025-06-30"}, headers=hr["headers"]).get_json()
    assert job["status"] == "done" and job["params"]["as_of"] == "2025-06-30"
    download = client.get(job["download_url"], headers=hr["headers"])
    assert download.headers["Content-Type"] == "application/pdf" and download.data.startswith(b"%PDF")
    text = "\n".join(pages_text(download.data))
    assert "ข้อมูล ณ วันที่ 30 มิ.ย. 2568" in text and make.employee_code(staff["employee_id"]) in text
    assert all(role in text for role in ("ผู้จัดทำ", "ผู้ตรวจสอบ", "หัวหน้าหน่วยงาน"))
