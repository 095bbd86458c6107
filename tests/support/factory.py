"""Rows created through the service layer and committed, for tests to start from."""

from __future__ import annotations

import itertools

from checkin.database import db
from tests.support.faces import face_photo
from tests.support.places import SQUARE_CITY_HALL


class Factory:
    """Creates committed rows; returns plain values (ids, tokens) that outlive the session."""

    _numbers = itertools.count(1)

    def __init__(self, app):
        self.app = app

    def _next(self, prefix: str) -> str:
        return f"{prefix}{next(self._numbers):05d}"

    def site(self, geometry: dict | None = None, drift_tolerance_m: float = 50.0,
             max_accuracy_m: float = 100.0, code: str | None = None, **policy) -> int:
        """A site; `policy`: any other site property (geofences.policy), else its default."""
        from geofences import service
        from geofences.schemas import SiteFeatureSchema

        with self.app.app_context():
            feature = SiteFeatureSchema().load({
                "type": "Feature", "geometry": geometry or SQUARE_CITY_HALL,
                "properties": {"code": code or self._next("S"), "name": "ที่ทำการทดสอบ",
                               "drift_tolerance_m": drift_tolerance_m, "max_accuracy_m": max_accuracy_m, **policy}})
            site = service.create_site(feature)
            db.session.commit()
            return site.id

    def unit(self, parent_id: int | None = None, site_ids: tuple[int, ...] = ()) -> int:
        from checkin.org import service

        with self.app.app_context():
            unit = service.create_unit({"code": self._next("U"), "name_th": "หน่วยงานทดสอบ",
                                        "parent_id": parent_id, "site_ids": list(site_ids)})
            db.session.commit()
            return unit.id

    def employee(self, unit_id: int, site_ids: tuple[int, ...] = ()) -> int:
        from checkin.org import service

        with self.app.app_context():
            employee = service.create_employee({
                "code": self._next("E"), "first_name_th": "ทดสอบ", "last_name_th": "ใจดี",
                "unit_id": unit_id, "site_ids": list(site_ids)})
            db.session.commit()
            return employee.id

    def user(self, role: str, employee_id: int | None = None, password: str = "punch-clock-42") -> dict:
        """A user with a bearer token: {'id', 'username', 'employee_id', 'headers'}."""
        from checkin.accounts import service
        from checkin.accounts.auth import issue_token

        with self.app.app_context():
            user = service.create_user(self._next(role), password, role, employee_id)
            db.session.commit()
            token, _ = issue_token(user)
            return {"id": user.id, "username": user.username, "employee_id": employee_id,
                    "headers": {"Authorization": f"Bearer {token}"}}

    def enrol(self, employee_id: int, photo: str = "obama/obama_1.jpg") -> int:
        """Enrol a face from the fixtures through the service; returns the enrollment id."""
        from checkin.biometrics import service
        from checkin.org.service import get_employee

        with self.app.app_context():
            enrollment = service.enroll_face(get_employee(employee_id), face_photo(photo), consent=True,
                                             recorded_by_id=None, source="cli")
            db.session.commit()
            return enrollment.id

    def sign(self, site_id: int, kind: str = "printed") -> int:
        from geofences import service, signs

        with self.app.app_context():
            sign = signs.create_sign(service.get_site(site_id), kind, None, None)
            db.session.commit()
            return sign.id

    def holiday(self, day: str = "2025-04-10", name_th: str = "วันหยุดพิเศษ", unit_id: int | None = None) -> int:
        from datetime import date

        from checkin.timekeeping.holidays import declare_holiday

        with self.app.app_context():
            holiday = declare_holiday(date.fromisoformat(day), name_th, unit_id)
            db.session.commit()
            return holiday.id

    def schedule(self, start: str = "07:30", end: str = "15:30") -> int:
        from datetime import time

        from checkin.timekeeping.service import create_schedule

        with self.app.app_context():
            schedule = create_schedule({"code": self._next("W"), "name_th": f"เข้า {start}",
                                        "start": time.fromisoformat(start), "end": time.fromisoformat(end),
                                        "lunch_start": time(12), "lunch_end": time(13)})
            db.session.commit()
            return schedule.id

    def employee_code(self, employee_id: int) -> str:
        from checkin.org.models import Employee

        with self.app.app_context():
            return db.session.get(Employee, employee_id).code

    def staff(self, role: str = "employee", unit_id: int | None = None, site_ids=()) -> dict:
        """An employee record with a linked user of the given role."""
        if unit_id is None:
            unit_id = self.unit(site_ids=(self.site(),))
        return self.user(role, self.employee(unit_id, site_ids))
