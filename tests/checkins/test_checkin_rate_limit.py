"""One employee cannot flood the store with check-ins (40 uploads of 1.3 MB in ten seconds were
all stored), while a phone's offline queue sent at once on reconnecting still goes through."""

from checkin.checkins.models import CheckIn
from checkin.database import db
from tests.support.api import assert_error, checkin_form, post_checkin


def stored(app, employee) -> int:
    with app.app_context():
        return db.session.query(CheckIn).filter_by(employee_id=employee["employee_id"]).count()


def test_an_offline_queue_of_ten_passes_and_a_flood_is_refused_with_retry_after(client, app, make):
    employee, colleague = make.staff(), make.staff()
    queue = [checkin_form() for _ in range(10)]  # made offline, sent together on reconnecting
    assert [post_checkin(client, employee, client_event_id=form["client_event_id"]).status_code for form in queue] == [201] * 10
    assert [post_checkin(client, employee).status_code for _ in range(2)] == [201, 201]  # 12 in ten minutes

    refused = post_checkin(client, employee)
    assert_error(refused, 429, "CHECKIN_RATE_LIMITED")
    assert 0 < int(refused.headers["Retry-After"]) <= 600
    assert stored(app, employee) == 12  # nothing of the refused one is kept

    # A retry of a check-in already made still gets its first answer; a colleague is not affected.
    retry = post_checkin(client, employee, client_event_id=queue[0]["client_event_id"])
    assert retry.status_code == 200
    assert post_checkin(client, colleague).status_code == 201


def test_the_limit_is_configuration(client, app, make, monkeypatch):
    monkeypatch.setitem(app.config, "CHECKIN_RATE_LIMIT", "2 per minute")
    employee = make.staff()
    assert [post_checkin(client, employee).status_code for _ in range(3)] == [201, 201, 429]


def test_a_check_in_goes_on_when_the_limits_store_is_down(client, app, make, monkeypatch):
    from redis.exceptions import ConnectionError as RedisDown

    from checkin.extensions import limiter

    def store_down(*_args):
        raise RedisDown("Error 111 connecting to redis:6379. Connection refused.")

    with app.app_context():
        monkeypatch.setattr(limiter.limiter, "hit", store_down)
    assert post_checkin(client, make.staff()).status_code == 201
