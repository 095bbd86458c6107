"""A retry with the same client_event_id never double-counts, even when retries race."""

import threading
import uuid

from sqlalchemy import func, select

from checkin.database import db
from checkin.checkins.models import CheckIn
from tests.support.api import post_checkin


def count_checkins(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(CheckIn))


def test_retry_returns_200_with_the_same_body_and_no_second_row(client, make, app):
    employee = make.staff()
    event_id = str(uuid.uuid4())
    first = post_checkin(client, employee, client_event_id=event_id)
    # The retry may differ (a new GPS reading): the first answer stands.
    retry = post_checkin(client, employee, client_event_id=event_id, latitude="13.80", longitude="100.60")
    assert first.status_code == 201
    assert retry.status_code == 200
    assert retry.get_json() == first.get_json()
    assert count_checkins(app) == 1


def test_concurrent_retries_create_exactly_one_row(app, make):
    employee = make.staff()
    event_id = str(uuid.uuid4())
    attempts = 8
    barrier = threading.Barrier(attempts)
    results = []

    def attempt():
        client = app.test_client()
        barrier.wait()
        response = post_checkin(client, employee, client_event_id=event_id)
        results.append((response.status_code, response.get_json()))

    threads = [threading.Thread(target=attempt) for _ in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    statuses = sorted(status for status, _ in results)
    assert statuses == [200] * (attempts - 1) + [201], results
    assert len({body["id"] for _, body in results}) == 1
    assert count_checkins(app) == 1
