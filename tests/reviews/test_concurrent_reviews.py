"""Two supervisors deciding one check-in at the same moment: exactly one decision stands."""

import threading

from checkin.audit.models import AuditRecord
from checkin.database import db
from tests.support.api import post_checkin

REVIEWERS = 8


def test_simultaneous_reviews_of_one_checkin_give_one_200_and_409s(app, client, make):
    unit = make.unit(site_ids=(make.site(),))
    employee = make.staff("employee", unit)
    supervisors = [make.staff("supervisor", unit) for _ in range(REVIEWERS)]
    checkin_id = post_checkin(client, employee, mock_location="true").get_json()["id"]

    start, answers = threading.Barrier(REVIEWERS), []

    def decide(number: int) -> None:
        body = {"decision": "approve"} if number % 2 else {"decision": "reject", "note": f"ไม่ผ่าน {number}"}
        with app.test_client() as own_client:
            start.wait()
            answers.append(own_client.post(f"/api/v1/reviews/{checkin_id}", json=body,
                                           headers=supervisors[number]["headers"]))

    threads = [threading.Thread(target=decide, args=(number,)) for number in range(REVIEWERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    statuses = sorted(answer.status_code for answer in answers)
    assert statuses == [200] + [409] * (REVIEWERS - 1)
    assert {answer.get_json().get("reason") for answer in answers if answer.status_code == 409} == {"ALREADY_DECIDED"}
    winner = next(answer.get_json() for answer in answers if answer.status_code == 200)
    stored = client.get(f"/api/v1/checkins/{checkin_id}", headers=supervisors[0]["headers"]).get_json()
    assert stored["status"] == winner["status"] and stored["review"] == winner["review"]
    with app.app_context():
        reviewed = db.session.query(AuditRecord).filter_by(action="checkin.reviewed", entity_id=checkin_id).all()
    assert len(reviewed) == 1 and reviewed[0].after["decision"] == winner["review"]["decision"]
