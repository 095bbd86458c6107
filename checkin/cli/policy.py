"""`flask check-policy`: what the app would say of a salary-step policy file, before it is put in
place (the app itself refuses to start with a bad one)."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from ..reports.policy import Policy, PolicyError
from ..reports.policy_config import check_policy_file, policy_path


@click.command("check-policy")
@click.option("--file", "path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The file to check; default: POLICY_FILE, else the shipped checkin/reports/policy.yaml.")
@with_appcontext
def check_policy(path: Path | None):
    """Check a salary-step policy file (unit codes against the database) and print its policies."""
    path = path or policy_path(current_app)
    try:
        checked = check_policy_file(path)
    except PolicyError as error:
        click.echo(str(error), err=True)
        raise click.exceptions.Exit(1) from None
    click.echo(f"{path}: {len(checked.book.policies)} {'policy' if len(checked.book.policies) == 1 else 'policies'}")
    for policy in checked.book.policies:
        click.echo(describe(policy))
    if checked.units_checked:
        click.echo("OK: every unit code names a unit in the database.")
    else:
        click.echo("OK, but unit codes not checked: the database has no units yet (or did not answer).")


def describe(policy: Policy) -> str:
    lines = [f"version {policy.version}: in force {policy.in_force_from or 'since always'} to "
             f"{policy.in_force_to or 'further notice'}",
             f"  counted leave types: {', '.join(policy.counted_leave_types)}",
             "  limits: " + _limits(vars(policy.defaults))]
    lines += [f"  personnel type {kind}: {_limits(limits)}" for kind, limits in policy.personnel_types.items()]
    lines += [f"  unit {code}: {_limits(limits)}" for code, limits in sorted(policy.overrides.items())]
    if not policy.overrides:
        lines.append("  no unit overrides")
    return "\n".join(lines)


def _limits(limits: dict) -> str:
    return ", ".join(f"{name} {value}" for name, value in limits.items()) or "(none)"
