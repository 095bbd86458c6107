"""Which way the packages depend on each other (docs/ARCHITECTURE.md), read from the source."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# What geofences may use of checkin/: the app shell's bases, the auth decorators, and the audit
# trail every domain writes to. Nothing of the check-in domain or of other domains.
GEOFENCES_MAY_IMPORT = {"checkin.database", "checkin.api", "checkin.errors", "checkin.accounts.auth",
                        "checkin.accounts.roles", "checkin.audit.service"}
HTTP_LAYER = ("checkin.api", "flask_smorest")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every module a file imports (relative imports resolved), at any depth of the file."""
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            stem = ".".join([*base, node.module] if node.module else base)
            found.add(stem)
            found |= {f"{stem}.{alias.name}" for alias in node.names}  # `from . import service`
    return found


def sources(folder: str) -> list[Path]:
    return sorted(path for path in (ROOT / folder).rglob("*.py") if "migrations" not in path.parts)


def allowed_in_geofences(name: str) -> bool:
    """An allowed module, a name inside one, or a package on the way to one (`from checkin.audit
    import service`)."""
    return any(name == ok or name.startswith(ok + ".") or ok.startswith(name + ".") for ok in GEOFENCES_MAY_IMPORT)


def test_geofences_imports_nothing_of_the_checkin_domains():
    wrong = {}
    for path in sources("geofences"):
        found = sorted(name for name in imports_of(path)
                       if name.startswith("checkin") and not allowed_in_geofences(name))
        if found:
            wrong[path.name] = found
    assert wrong == {}


def test_timekeeping_imports_nothing_from_reports():
    wrong = {path.name: sorted(name for name in imports_of(path) if name.startswith("checkin.reports"))
             for path in sources("checkin/timekeeping")}
    assert {name: found for name, found in wrong.items() if found} == {}


def test_no_service_module_imports_the_http_layer():
    """Only routes (and the app shell that builds the API) know flask-smorest and checkin.api;
    services, models, rules and tasks are called the same way by routes, workers and the CLI."""
    http_aware = {"routes.py", "sign_routes.py", "schemas.py", "api.py", "app.py", "extensions.py"}
    wrong = {}
    for path in sources("checkin") + sources("geofences"):
        if path.name in http_aware or "web" in path.relative_to(ROOT).parts:
            continue
        found = sorted(name for name in imports_of(path)
                       if name.startswith(HTTP_LAYER) or name.split(".")[-1] in ("routes", "sign_routes"))
        if found:
            wrong[module_name(path)] = found
    assert wrong == {}


def test_the_rules_find_imports_at_all():
    """The rules above would pass on a parser that finds nothing: they must see these."""
    assert "checkin.database" in imports_of(ROOT / "geofences/models.py")
    assert "checkin.timekeeping.calendar" in imports_of(ROOT / "checkin/reports/facts.py")
    assert "checkin.checkins.service" in imports_of(ROOT / "checkin/checkins/routes.py")
    assert "checkin.api" in imports_of(ROOT / "checkin/checkins/routes.py")
    assert not allowed_in_geofences("checkin.checkins.models") and not allowed_in_geofences("checkin.org")
