"""Operator commands: `flask --app wsgi <command>`."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from marshmallow import ValidationError

from ..accounts import service as accounts
from ..accounts.roles import ALL_ROLES
from ..database import db
from ..errors import DomainError
from .policy import check_policy


def register_cli(app: Flask) -> None:
    for command in (init_db, create_user, load_demo, import_sites, enroll_faces, import_leaves, import_punches,
                    add_holiday, report, requeue_verifications, purge_biometrics, check_policy):
        app.cli.add_command(command)


def _fail(message: str) -> None:
    raise click.ClickException(message)


def _unit_id(code: str | None) -> int | None:
    """The id of the unit with this code (None for None); fails the command when unknown."""
    from sqlalchemy import select

    from ..org.models import OrgUnit

    if code is None:
        return None
    unit_id = db.session.scalar(select(OrgUnit.id).where(OrgUnit.code == code))
    if unit_id is None:
        _fail(f"No unit with code {code!r}.")
    return unit_id


def _import_csv(run, path: Path):
    """Run a CSV import service; on bad lines, print each and fail (nothing was imported)."""
    try:
        result = run(path.read_bytes(), None)
    except DomainError as error:
        _fail(f"{error.message}\n" + "\n".join((error.errors or {}).get("file", [])))
    db.session.commit()
    return result


@click.command("init-db")
@with_appcontext
def init_db():
    """Create or migrate the database schema to the latest version."""
    from ..migrations import upgrade_to_head

    upgrade_to_head(current_app.config["DATABASE_URL"])
    click.echo("Database is at the latest schema version.")


@click.command("create-user")
@with_appcontext
@click.option("--username", required=True)
@click.option("--password", required=True)
@click.option("--role", required=True, type=click.Choice(ALL_ROLES))
@click.option("--employee-code", default=None, help="Link the account to this employee.")
def create_user(username, password, role, employee_code):
    """Create a user account."""
    from sqlalchemy import select

    from ..org.models import Employee

    employee_id = None
    if employee_code:
        employee_id = db.session.scalar(select(Employee.id).where(Employee.code == employee_code))
        if employee_id is None:
            _fail(f"No employee with code {employee_code!r}.")
    try:
        user = accounts.create_user(username, password, role, employee_id)
    except DomainError as error:
        _fail(error.message)
    db.session.commit()
    click.echo(f"Created user {user.username} (id {user.id}, role {user.role}).")


@click.command("load-demo")
@with_appcontext
def load_demo():
    """Load demo units, sites, employees and one user per role (safe to run twice)."""
    from .demo import load_demo_data

    for line in load_demo_data():
        click.echo(line)
    db.session.commit()


@click.command("import-sites")
@with_appcontext
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_sites(path: Path):
    """Create or update sites from a GeoJSON FeatureCollection (matched by properties.code)."""
    from geofences import service
    from geofences.schemas import SiteCollectionSchema

    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        collection = SiteCollectionSchema().load(document)
    except json.JSONDecodeError as error:
        _fail(f"{path} is not valid JSON: {error}")
    except ValidationError as error:
        _fail(f"{path} has invalid sites, nothing was imported:\n{json.dumps(error.messages, ensure_ascii=False, indent=2)}")
    try:
        created, updated = service.import_sites(collection)
    except DomainError as error:
        _fail(f"{error.message} Nothing was imported.")
    db.session.commit()
    click.echo(f"Imported {created + updated} sites: {created} created, {updated} updated.")


@click.command("enroll-faces")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--consent-confirmed", is_flag=True, required=True,
              help="Confirm each employee gave explicit, separate consent to face data (PDPA s. 26).")
@click.option("--by", "recorded_by", required=True, help="Username of the admin or HR user recording the consent.")
@with_appcontext
def enroll_faces(directory: Path, consent_confirmed: bool, recorded_by: str):
    """Enrol faces from DIRECTORY: a sub-folder per employee code (CODE/*.jpg), or files named
    CODE.jpg / CODE_2.jpg. Photos that fail are reported and skipped; the rest are kept."""
    from sqlalchemy import select

    from ..accounts.models import User
    from ..accounts.roles import ADMIN, HR
    from ..biometrics.service import enroll_face
    from ..org.models import Employee

    recorder = db.session.scalar(select(User).where(User.username == recorded_by))
    if recorder is None or recorder.role not in (ADMIN, HR):
        _fail(f"--by must name an admin or HR user; {recorded_by!r} is not one.")
    photos = sorted(path for path in directory.rglob("*")
                    if path.is_file() and path.suffix.lower() in {".jpg", ".jpeg", ".png", ".heic"})
    enrolled = failed = 0
    for path in photos:
        code = path.parent.name if path.parent != directory else path.stem.rsplit("_", 1)[0]
        employee = db.session.scalar(select(Employee).where(Employee.code == code))
        if employee is None:
            click.echo(f"skip {path.relative_to(directory)}: no employee with code {code!r}", err=True)
            failed += 1
            continue
        try:
            enroll_face(employee, path.read_bytes(), consent=consent_confirmed, recorded_by_id=recorder.id,
                        source="cli")
        except DomainError as error:
            db.session.rollback()
            click.echo(f"skip {path.relative_to(directory)}: {error.reason or ''} {error.message}", err=True)
            failed += 1
            continue
        db.session.commit()
        enrolled += 1
        click.echo(f"enrolled {path.relative_to(directory)} for {code}")
    click.echo(f"{enrolled} faces enrolled, {failed} photos skipped.")


@click.command("import-leaves")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_leaves(path: Path):
    """Import leave from CSV: employee_code,leave_type,start_date,end_date,half_day (all or nothing)."""
    from ..timekeeping.leave import import_leaves as run

    click.echo(f"Imported {_import_csv(run, path)} leave records.")


@click.command("import-punches")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_punches(path: Path):
    """Import old time-clock punches from CSV: employee_code,timestamp,kind,device_id."""
    from ..timekeeping.punches import import_punches as run

    result = _import_csv(run, path)
    click.echo(f"Imported {result.created} punches; {result.already_present} were already present.")


@click.command("add-holiday")
@click.option("--date", "day", required=True, type=click.DateTime(formats=["%Y-%m-%d"]))
@click.option("--name", required=True, help="Thai name, e.g. 'วันหยุดราชการเพิ่มเติมตามมติคณะรัฐมนตรี'")
@click.option("--unit", "unit_code", default=None, help="Only for this unit (and those below it).")
@with_appcontext
def add_holiday(day, name: str, unit_code: str | None):
    """Declare a holiday beyond the national calendar (cabinet, BMA, governor)."""
    from ..timekeeping.holidays import declare_holiday

    try:
        declare_holiday(day.date(), name, _unit_id(unit_code))
    except DomainError as error:
        _fail(error.message)
    db.session.commit()
    click.echo(f"Declared {day.date()} a holiday: {name}")


@click.command("requeue-verifications")
@click.option("--older-than", default=60.0, help="Only check-ins queued at least this many seconds ago.")
@with_appcontext
def requeue_verifications(older_than: float):
    """Send check-ins whose photo check still waits to the workers again (after a broker outage)."""
    from ..checkins.tasks import requeue_all

    click.echo(f"Re-queued {requeue_all(older_than)} photo checks.")


@click.group("report")
def report():
    """Produce reports to files."""


@report.command("salary-step")
@click.option("--fy", "fiscal_year", required=True, type=int, help="Fiscal year in Buddhist Era, e.g. 2568.")
@click.option("--round", "round_number", required=True, type=click.Choice(["1", "2"]))
@click.option("--unit", "unit_code", default=None, help="A unit code: that unit and those below it.")
@click.option("--as-of", "as_of", default=None, type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Nothing after this day counts (default: today, or the round's end once it is past).")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="FILE.xlsx, FILE.csv, FILE.pdf or FILE.json")
@with_appcontext
def salary_step(fiscal_year: int, round_number: str, unit_code: str | None, as_of, out: Path):
    """The salary-step review report of a round, for every unit or one."""
    from ..audit import service as audit
    from ..reports import service

    unit_id = _unit_id(unit_code)
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in ("xlsx", "csv", "pdf", "json"):
        _fail("--out must end in .xlsx, .csv, .pdf or .json")
    try:
        data = service.salary_step_report(None, fiscal_year, int(round_number), unit_id, as_of and as_of.date())
    except DomainError as error:
        _fail(error.message)
    out.write_bytes(service.salary_step_file(data, fmt))
    audit.record("report.exported", "salary_step_report", fiscal_year, actor_id=None,
                 after={"round": int(round_number), "unit": unit_id, "format": fmt, "via": "cli",
                        "as_of": data["as_of"].isoformat(), "employees": len(data["employees"]),
                        "policy_version": data["policy_version"]})
    db.session.commit()
    click.echo(f"{data['round_name_th']} {data['as_of_th']}: {len(data['employees'])} employees -> {out}")


@click.command("purge-biometrics")
@click.option("--selfie-days", type=click.IntRange(min=1), default=None,
              help="Keep selfies this many days (default SELFIE_RETENTION_DAYS, 90).")
@with_appcontext
def purge_biometrics(selfie_days: int | None):
    """PDPA retention: purge selfies past the period and the face data of former employees."""
    from ..database import utcnow
    from ..privacy.retention import purge_expired

    days = selfie_days or current_app.config["SELFIE_RETENTION_DAYS"]
    result = purge_expired(utcnow(), days)
    db.session.commit()
    click.echo(f"Selfies older than {days} days purged: {result.selfies_purged} check-ins, "
               f"{result.files_deleted} files deleted; former employees' face data erased: {result.employees_erased}.")
