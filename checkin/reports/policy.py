"""The attendance limits of the salary-step review, from a versioned YAML file. Pure.

Statutory limits (the 23 counted leave days, no absence, 4 months of service) may be tightened
by an agency or unit but never loosened: a file that tries is refused at load.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from pathlib import Path

import yaml

DEFAULT_POLICY_FILE = Path(__file__).with_name("policy.yaml")


class PolicyError(ValueError):
    pass


@dataclass(frozen=True)
class Limits:
    max_counted_leave_days: float  # sick + personal, working days
    max_absent_days: int
    min_months_of_service: float
    max_leave_occasions: int
    max_late_count: int
    at_risk_fraction: float  # "near a limit" from this share of it


# The regulation's limits and which way is tighter; nothing may loosen them, not even the file.
REGULATION = {"max_counted_leave_days": (23, "max"), "max_absent_days": (0, "max"), "min_months_of_service": (4, "min")}


@dataclass(frozen=True)
class Policy:
    version: str
    defaults: Limits
    overrides: dict[str, dict]  # unit code -> partial limits

    def limits_for(self, unit_codes_root_first: list[str]) -> Limits:
        """The limits of a unit: defaults, then each ancestor's overrides, the unit's own last."""
        limits = self.defaults
        for code in unit_codes_root_first:
            if code in self.overrides:
                limits = replace(limits, **self.overrides[code])
        return limits

    def as_rows(self) -> list[tuple[str, str, object]]:
        rows = [("(ทั้งหมด / all)", key, value) for key, value in asdict(self.defaults).items()]
        rows += [(code, key, value) for code, values in sorted(self.overrides.items()) for key, value in values.items()]
        return rows


def load_policy(path: str | Path | None = None) -> Policy:
    path = Path(path or DEFAULT_POLICY_FILE)
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise PolicyError(f"cannot read policy file {path}: {error}") from error
    return parse_policy(document)


def parse_policy(document: dict) -> Policy:
    if not isinstance(document, dict) or "version" not in document:
        raise PolicyError("a policy needs a version")
    sections = {"statutory": document.get("statutory") or {}, "agency": document.get("agency") or {}}
    overrides = document.get("overrides") or {}
    for scope, values in [*sections.items(), *overrides.items()]:
        _check(str(scope), values)
    try:
        defaults = Limits(**sections["statutory"], **sections["agency"])
    except TypeError as error:
        raise PolicyError(f"statutory and agency limits must together name every limit once: {error}") from error
    return Policy(str(document["version"]), defaults, {str(code): dict(values) for code, values in overrides.items()})


def _check(scope: str, values: dict) -> None:
    if not isinstance(values, dict):
        raise PolicyError(f"{scope}: expected a mapping of limits")
    unknown = set(values) - set(Limits.__dataclass_fields__)
    if unknown:
        raise PolicyError(f"{scope}: unknown limits {sorted(unknown)}")
    for key, value in values.items():
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise PolicyError(f"{scope}: {key} must be a number >= 0")
        if key in REGULATION:
            statutory, tighter = REGULATION[key]
            if (tighter == "max" and value > statutory) or (tighter == "min" and value < statutory):
                raise PolicyError(f"{scope}: {key} = {value} loosens the regulation's {statutory}; "
                                  "it may only be tightened")
