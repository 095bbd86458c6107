"""Demo data: three real BMA places with plausible fences, a small unit tree, one user per role.

Coordinates are approximate outlines drawn around the buildings; fine for a demo, not a survey.
"""

from __future__ import annotations

from sqlalchemy import select

from geofences import service as sites
from geofences import signs
from geofences.models import Sign, Site
from geofences.schemas import SiteFeatureSchema

from ..accounts import service as accounts
from ..accounts.models import User
from ..database import db
from ..org.models import Employee, OrgUnit


def _ring(*points: tuple[float, float]) -> dict:
    coordinates = [list(point) for point in points]
    return {"type": "Polygon", "coordinates": [coordinates + [coordinates[0]]]}


DEMO_SITES = [
    ("BMA-CH1", "ศาลาว่าการกรุงเทพมหานคร (เสาชิงช้า)", _ring(
        (100.49985, 13.75245), (100.50175, 13.75245), (100.50175, 13.75395), (100.49985, 13.75395))),
    ("BMA-CH2", "ศาลาว่าการกรุงเทพมหานคร 2 (ดินแดง)", _ring(
        (100.54640, 13.76440), (100.54930, 13.76440), (100.54930, 13.76700), (100.54640, 13.76700))),
    ("DIST-CHATUCHAK", "สำนักงานเขตจตุจักร", _ring(
        (100.55970, 13.82790), (100.56120, 13.82790), (100.56120, 13.82920), (100.55970, 13.82920))),
]

# (code, Thai name, parent code, site codes)
DEMO_UNITS = [
    ("BMA", "กรุงเทพมหานคร", None, []),
    ("OCSC", "สำนักงานคณะกรรมการข้าราชการกรุงเทพมหานคร (สำนักงาน ก.ก.)", "BMA", ["BMA-CH1"]),
    ("OCSC-REC", "กองสรรหาบุคคล", "OCSC", []),
    ("PWD", "สำนักการโยธา", "BMA", ["BMA-CH2"]),
    ("CHATUCHAK", "สำนักงานเขตจตุจักร", "BMA", ["DIST-CHATUCHAK"]),
]

# (code, title, first name, last name, unit code, position, personnel type)
DEMO_EMPLOYEES = [
    ("E0001", "นาย", "สมชาย", "ใจดี", "OCSC", "ผู้อำนวยการกอง", "civil_servant"),
    ("E0002", "นางสาว", "สมหญิง", "รักงาน", "OCSC-REC", "นักทรัพยากรบุคคลปฏิบัติการ", "civil_servant"),
    ("E0003", "นาย", "ประเสริฐ", "มั่นคง", "PWD", "วิศวกรโยธาชำนาญการ", "civil_servant"),
    ("E0004", "นาง", "วิไลวรรณ", "ศรีสุข", "CHATUCHAK", "เจ้าพนักงานธุรการ", "permanent_employee"),
    ("E0005", "นาย", "ณัฐพล", "ทองดี", "OCSC-REC", "นักทรัพยากรบุคคล", "employee"),
]

# (username, password, role, employee code)
DEMO_USERS = [
    ("admin", "setup-desk-2569", "admin", None),
    ("hrofficer", "payroll-desk-2569", "hr", None),
    ("supervisor", "review-desk-2569", "supervisor", "E0001"),
    ("employee", "clock-in-2569", "employee", "E0002"),
]


def load_demo_data() -> list[str]:
    """Create whatever of the demo set is missing; returns what was done. Flushes only."""
    done: list[str] = []
    for code, name, geometry in DEMO_SITES:
        if sites.find_site_by_code(code) is None:
            sites.create_site(SiteFeatureSchema().load({"type": "Feature", "geometry": geometry, "properties": {
                "code": code, "name": name, "drift_tolerance_m": 50.0, "max_accuracy_m": 100.0}}))
            done.append(f"site {code}")
    site_by_code = {site.code: site for site in db.session.scalars(select(Site))}

    for code, name, parent_code, site_codes in DEMO_UNITS:
        if _by_code(OrgUnit, code) is None:
            unit = OrgUnit(code=code, name_th=name, parent=_by_code(OrgUnit, parent_code) if parent_code else None)
            unit.sites = [site_by_code[site_code] for site_code in site_codes]
            db.session.add(unit)
            db.session.flush()
            done.append(f"unit {code}")

    for code, title, first, last, unit_code, position, personnel_type in DEMO_EMPLOYEES:
        if _by_code(Employee, code) is None:
            db.session.add(Employee(code=code, title_th=title, first_name_th=first, last_name_th=last,
                                    unit=_by_code(OrgUnit, unit_code), position=position,
                                    personnel_type=personnel_type))
            db.session.flush()
            done.append(f"employee {code}")

    for username, password, role, employee_code in DEMO_USERS:
        if db.session.scalar(select(User).where(User.username == username)) is None:
            employee = _by_code(Employee, employee_code) if employee_code else None
            accounts.create_user(username, password, role, employee.id if employee else None)
            done.append(f"user {username} ({role})")

    # A printed sign at every demo site, and a screen at City Hall.
    for site in site_by_code.values():
        if db.session.scalar(select(Sign.id).where(Sign.site_id == site.id).limit(1)) is None:
            printed = signs.create_sign(site, "printed", "ทางเข้าหลัก", None)
            done.append(f"sign {printed.id} at {site.code}: poster at "
                        f"/api/v1/sites/{site.id}/signs/{printed.id}/poster.pdf (admin)")
            if site.code == "BMA-CH1":
                screen = signs.create_sign(site, "display", "จอหน้าห้องสำนักงาน ก.ก.", None)
                done.append(f"sign {screen.id} at {site.code}: screen page at "
                            f"/signs/{screen.id}/display?token={signs.display_token(screen)}")
    return done or ["demo data already present"]


def _by_code(model, code: str):
    return db.session.scalar(select(model).where(model.code == code))
