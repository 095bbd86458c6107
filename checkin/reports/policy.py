"""The attendance limits of the salary-step review, from a YAML file of dated policies. Pure.

The file lists policies, each with the dates it is in force, so a past round is judged by the
policy of its time (the older form, one policy at the top level, is one policy in force always).
Statutory limits (the 23 counted leave days, no absence, 4 months of service) may be tightened
by the agency, a personnel type or a unit, never loosened. Every problem of a file is reported
at once, each saying where it is, so an operator fixes a file in one pass.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

import yaml
from marshmallow import ValidationError

from ..org.personnel import PERSONNEL_TYPES
from ..timekeeping.leave_types import LEAVE_TYPES
from .policy_schema import REQUIRED_LEAVE_TYPES, PolicySchema, SinglePolicySchema, policy_problems
from .rounds import thai_date

DEFAULT_POLICY_FILE = Path(__file__).with_name("policy.yaml")

LIMIT_TH = {
    "in_force": "วันที่ใช้บังคับ",
    "counted_leave_types": "ประเภทการลาที่นับรวมเป็นวันลา",
    "max_counted_leave_days": "วันลาป่วยและลากิจส่วนตัวรวมไม่เกิน (วัน)",
    "max_absent_days": "ขาดราชการได้ไม่เกิน (วัน)",
    "min_months_of_service": "ปฏิบัติราชการในรอบไม่น้อยกว่า (เดือน)",
    "max_leave_occasions": "ลาป่วยและลากิจส่วนตัวไม่เกิน (ครั้ง)",
    "max_late_count": "มาสายไม่เกิน (ครั้ง)",
    "at_risk_fraction": "ใกล้เกณฑ์เมื่อถึงสัดส่วนของเกณฑ์",
}
ALL_UNITS, ALL_UNITS_TH = "all", "ทุกหน่วยงาน"


class PolicyError(ValueError):
    """A policy file that cannot be used, with every problem found in it."""

    def __init__(self, problems: list[str], source: str | Path | None = None):
        self.problems, self.source = list(problems), source
        where = f"policy file {source}" if source else "policy"
        count = "1 problem" if len(self.problems) == 1 else f"{len(self.problems)} problems"
        super().__init__(f"{where}: {count}:\n" + "\n".join(f"  - {problem}" for problem in self.problems))


@dataclass(frozen=True)
class Limits:
    max_counted_leave_days: float  # the counted leave types together, working days
    max_absent_days: int
    min_months_of_service: int  # whole months
    max_leave_occasions: int
    max_late_count: int
    at_risk_fraction: float  # "near a limit" from this share of it


@dataclass(frozen=True, kw_only=True)
class Policy:
    version: str
    defaults: Limits
    counted_leave_types: tuple[str, ...] = REQUIRED_LEAVE_TYPES
    personnel_types: dict[str, dict] = field(default_factory=dict)  # personnel type -> partial limits
    overrides: dict[str, dict] = field(default_factory=dict)  # unit code -> partial limits
    in_force_from: date | None = None  # None: since always
    in_force_to: date | None = None  # the last day in force; None: until further notice

    def covers(self, day: date) -> bool:
        return (self.in_force_from is None or self.in_force_from <= day) and (
            self.in_force_to is None or day <= self.in_force_to)

    def limits_for(self, unit_codes_root_first: list[str], personnel_type: str = "civil_servant") -> Limits:
        """The defaults, then the personnel type's limits, then each ancestor unit's overrides, the unit's own last."""
        if personnel_type not in PERSONNEL_TYPES:
            raise ValueError(f"unknown personnel type {personnel_type!r}; known: {', '.join(PERSONNEL_TYPES)}")
        limits = replace(self.defaults, **self.personnel_types.get(personnel_type, {}))
        for code in unit_codes_root_first:
            limits = replace(limits, **self.overrides.get(code, {}))
        return limits

    def unit_codes(self) -> set[str]:
        return set(self.overrides)

    def in_force_th(self) -> str:
        start, end = self.in_force_from, self.in_force_to
        if start and end:
            return f"{thai_date(start)} ถึง {thai_date(end)}"
        if start:
            return f"ตั้งแต่ {thai_date(start)}"
        return f"จนถึง {thai_date(end)}" if end else "ทุกรอบ"

    def as_rows(self) -> list[dict]:
        """The policy as HR reads it: in-force dates, counted leave types, then every limit by scope."""
        rows = [_row(ALL_UNITS, ALL_UNITS_TH, "in_force", self.in_force_th()),
                _row(ALL_UNITS, ALL_UNITS_TH, "counted_leave_types",
                     ", ".join(LEAVE_TYPES[code] for code in self.counted_leave_types))]
        rows += [_row(ALL_UNITS, ALL_UNITS_TH, name, value) for name, value in asdict(self.defaults).items()]
        rows += [_row(kind, PERSONNEL_TYPES[kind], name, value) for kind in PERSONNEL_TYPES
                 for name, value in self.personnel_types.get(kind, {}).items()]
        rows += [_row(code, code, name, value) for code in sorted(self.overrides)
                 for name, value in self.overrides[code].items()]
        return rows


def _row(scope: str, scope_th: str, limit: str, value) -> dict:
    return {"scope": scope, "scope_th": scope_th, "limit": limit, "limit_th": LIMIT_TH[limit], "value": value}


@dataclass(frozen=True)
class PolicyBook:
    """The policies of one file, oldest first, no two in force on the same day."""

    policies: tuple[Policy, ...]
    source: str | None = None

    def in_force_on(self, day: date) -> Policy:
        for policy in self.policies:
            if policy.covers(day):
                return policy
        spans = "; ".join(f"{policy.version}: {policy.in_force_from or '…'} to {policy.in_force_to or '…'}"
                          for policy in self.policies)
        raise PolicyError([f"no policy is in force on {day} (the file has {spans})"], self.source)

    def unit_codes(self) -> set[str]:
        return set().union(*(policy.unit_codes() for policy in self.policies))


def check_unit_codes(book: PolicyBook, known_codes: set[str]) -> None:
    """An override for a unit that does not exist would be ignored without a word: refuse it."""
    problems = [f'policy "{policy.version}", overrides, {code}: no unit has this code'
                for policy in book.policies for code in sorted(policy.unit_codes() - known_codes)]
    if problems:
        raise PolicyError(problems, book.source)


def load_policies(path: str | Path | None = None) -> PolicyBook:
    path = Path(path or DEFAULT_POLICY_FILE)
    loader = None
    try:
        loader = _Loader(path.read_text(encoding="utf-8"))
        document = loader.get_single_data()
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise PolicyError([f"cannot be read: {error}"], path) from error
    finally:
        if loader is not None:
            loader.dispose()
    try:
        book = parse_policies(document, source=str(path))
    except PolicyError as error:
        raise PolicyError(loader.duplicates + error.problems, path) from None
    if loader.duplicates:
        raise PolicyError(loader.duplicates, path)
    return book


def parse_policies(document, source: str | None = None) -> PolicyBook:
    if isinstance(document, dict) and "policies" not in document:
        entries, schema, labels = [document], SinglePolicySchema(), None  # the older one-policy form
    elif isinstance(document, dict):
        unknown = sorted(set(document) - {"policies"}, key=str)
        if unknown:
            raise PolicyError([f"top level: unknown keys {unknown}; a file lists `policies` (or is one policy "
                               "with `version`, `statutory`, `agency`… at the top level)"], source)
        entries, schema, labels = document["policies"], PolicySchema(), "policies"
        if not isinstance(entries, list) or not entries:
            raise PolicyError(["policies: expected a list of at least one policy"], source)
    else:
        raise PolicyError(["the file holds no policy (expected a mapping with `policies`, or one policy)"], source)

    loaded, problems = [], []
    for position, entry in enumerate(entries, start=1):
        label = _label(entry, position if labels else None)
        try:
            loaded.append((label, schema.load(entry)))
        except ValidationError as error:
            problems += policy_problems(label, error.messages)
            loaded.append((label, error.valid_data if isinstance(error.valid_data, dict) else {}))
    problems += _book_problems(loaded)
    if problems:
        raise PolicyError(problems, source)
    return PolicyBook(tuple(_policy(data) for _label_, data in loaded), source)


def _label(entry, position: int | None) -> str:
    version = entry.get("version") if isinstance(entry, dict) else None
    if isinstance(version, str) and version:
        return f'policy "{version}"'
    return f"policy #{position}" if position else "policy"


def _book_problems(loaded: list[tuple[str, dict]]) -> list[str]:
    """What no single policy shows: a version used twice, policies out of order or overlapping."""
    problems, seen = [], set()
    for label, data in loaded:
        version = data.get("version")
        if version and version in seen:
            problems.append(f"{label}: the version is used by an earlier policy too; each change needs its own")
        seen.add(version)
    dated = [(label, data) for label, data in loaded if data.get("in_force_from")]
    for (before, earlier), (label, later) in zip(dated, dated[1:]):
        if later["in_force_from"] <= earlier["in_force_from"]:
            problems.append(f"{label}: listed after {before} but in force from an earlier or equal date; "
                            "list policies oldest first")
    ordered = sorted(dated, key=lambda item: item[1]["in_force_from"])
    for (before, earlier), (label, later) in zip(ordered, ordered[1:]):
        start, end = later["in_force_from"], earlier.get("in_force_to")
        if end is None:
            problems.append(f"{before}: has no in_force_to but {label} is in force from {start}; "
                            f"give {before} in_force_to: {start - timedelta(days=1)}")
        elif end >= start:
            problems.append(f"{before}: in force to {end}, overlapping {label} in force from {start}")
    return problems


def _policy(data: dict) -> Policy:
    return Policy(version=data["version"], defaults=Limits(**data["statutory"], **data["agency"]),
                  counted_leave_types=tuple(data["counted_leave_types"]), personnel_types=data["personnel_types"],
                  overrides=data["overrides"], in_force_from=data["in_force_from"], in_force_to=data["in_force_to"])


class _Loader(yaml.SafeLoader):
    """PyYAML keeps the last of two equal keys without a word: a unit listed twice would lose its
    first override. This loader notes each repeated key (and loads on, so all problems come at once)."""

    def __init__(self, stream):
        super().__init__(stream)
        self.duplicates: list[str] = []

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                repeated = key in seen
                seen.add(key)
            except TypeError:  # an unhashable key: the base class reports it
                continue
            if repeated:
                self.duplicates.append(f"line {key_node.start_mark.line + 1}: {key!r} is given twice "
                                       "(YAML would keep only the last)")
        return super().construct_mapping(node, deep=deep)
