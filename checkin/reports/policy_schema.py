"""The shape of one policy in the salary-step policy file, checked by marshmallow. Pure.

marshmallow reports every problem of a policy at once (unknown keys, wrong types, values out of
range) as nested messages; `policy_problems` turns them into lines that say where each is.
"""

from __future__ import annotations

from datetime import date, datetime

from marshmallow import Schema, ValidationError, fields, pre_load, validate, validates_schema

from ..org.personnel import PERSONNEL_TYPES
from ..timekeeping.leave_types import LEAVE_TYPES

# The regulation's limits, and which way is tighter: a file may tighten them, never loosen them.
STATUTORY = {"max_counted_leave_days": (23, "max"), "max_absent_days": (0, "max"), "min_months_of_service": (4, "min")}
AGENCY = ("max_leave_occasions", "max_late_count", "at_risk_fraction")
ROUND_MONTHS = 6  # a round is six months: a longer minimum of service could never be met
REQUIRED_LEAVE_TYPES = ("sick", "personal")  # the regulation counts them; a policy may only add types
DICT_SECTIONS = ("personnel_types", "overrides")  # keyed by the file's own words (type, unit code)


class _Number(fields.Float):
    """An int or a float as written: marshmallow's Float would also take "23" and turn it into 23.0."""

    default_error_messages = {"invalid": "must be a number (got {input!r})"}

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.make_error("invalid", input=value)
        super()._deserialize(value, attr, data, **kwargs)  # refuses nan and infinity
        return value


class _Count(fields.Integer):
    default_error_messages = {"invalid": "must be a whole number (got {input!r})"}

    def __init__(self, **kwargs):
        super().__init__(strict=True, **kwargs)


class _Day(fields.Date):
    """YAML reads an unquoted 2024-10-01 as a date already; a date with a time is a mistake."""

    default_error_messages = {"invalid": "must be a date written YYYY-MM-DD (got {input!r})"}

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        if not isinstance(value, str):
            raise self.make_error("invalid", input=value)
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise self.make_error("invalid", input=value) from None


def _not_looser(name: str):
    bound, tighter = STATUTORY[name]

    def check(value):
        if (value > bound) if tighter == "max" else (value < bound):
            raise ValidationError(f"{value} loosens the regulation's {bound}; it may only be tightened")
    return check


NOT_NEGATIVE = validate.Range(min=0, error="must be 0 or more (got {input})")


def _limit_fields(required: bool) -> dict[str, fields.Field]:
    """Fresh field objects for each schema: marshmallow binds a field to one schema."""
    return {
        "max_counted_leave_days": _Number(required=required,
                                          validate=[NOT_NEGATIVE, _not_looser("max_counted_leave_days")]),
        "max_absent_days": _Count(required=required, validate=[NOT_NEGATIVE, _not_looser("max_absent_days")]),
        "min_months_of_service": _Count(required=required, validate=[
            _not_looser("min_months_of_service"),
            validate.Range(max=ROUND_MONTHS, error=f"{{input}} months can never be met: a round has {ROUND_MONTHS}")]),
        "max_leave_occasions": _Count(required=required, validate=NOT_NEGATIVE),
        "max_late_count": _Count(required=required, validate=NOT_NEGATIVE),
        "at_risk_fraction": _Number(required=required, validate=validate.Range(
            min=0, max=1, min_inclusive=False, error="must be more than 0 and at most 1 (got {input})")),
    }


def _strict(schema: type[Schema]) -> type[Schema]:
    """Unknown keys are refused (marshmallow's default), naming the known ones: likely a misspelling."""
    schema.error_messages = {"unknown": f"unknown key; known: {', '.join(schema._declared_fields)}",
                             "type": "expected a mapping of keys and values"}
    return schema


def _limits_schema(name: str, keys, required: bool) -> type[Schema]:
    return _strict(Schema.from_dict({key: field for key, field in _limit_fields(required).items() if key in keys},
                                    name=name))


LIMIT_NAMES = tuple(_limit_fields(False))
StatutorySchema = _limits_schema("StatutorySchema", STATUTORY, required=True)
AgencySchema = _limits_schema("AgencySchema", AGENCY, required=True)
PartialLimitsSchema = _limits_schema("PartialLimitsSchema", LIMIT_NAMES, required=False)


def _partial_limits():
    return fields.Nested(PartialLimitsSchema, error_messages={"null": "is empty: name a limit or remove it"})


def _counted_types_are_complete(codes: list[str]) -> None:
    problems = [f"must include {code!r}: the regulation counts it" for code in REQUIRED_LEAVE_TYPES
                if code not in codes]
    problems += [f"{code!r} is listed twice" for code in sorted({c for c in codes if codes.count(c) > 1})]
    if problems:
        raise ValidationError(problems)


@_strict
class PolicySchema(Schema):
    """One policy of a file that lists several: each says from when it is in force."""

    version = fields.String(required=True, validate=validate.Length(min=1),
                            error_messages={"invalid": 'must be text: put it in quotes, e.g. "2568.1"'})
    in_force_from = _Day(required=True)
    in_force_to = _Day(load_default=None)  # the last day in force; none: until further notice
    statutory = fields.Nested(StatutorySchema, required=True)
    agency = fields.Nested(AgencySchema, required=True)
    counted_leave_types = fields.List(
        fields.String(validate=validate.OneOf(LEAVE_TYPES, error="unknown leave type {input!r}; known: {choices}")),
        load_default=lambda: list(REQUIRED_LEAVE_TYPES), validate=_counted_types_are_complete)
    personnel_types = fields.Dict(
        keys=fields.String(validate=validate.OneOf(PERSONNEL_TYPES, error="unknown personnel type; known: {choices}")),
        values=_partial_limits(), load_default=dict)
    # Unit codes must be quoted text: YAML reads an unquoted 0101 as the number 65.
    overrides = fields.Dict(keys=fields.String(validate=validate.Length(min=1), error_messages={
        "invalid": "a unit code must be text: put it in quotes"}), values=_partial_limits(), load_default=dict)

    @pre_load
    def _empty_sections_are_absent(self, data, **_kwargs):
        """`overrides:` with nothing after it is YAML's null: the same as leaving it out."""
        if isinstance(data, dict):
            optional = ("counted_leave_types", *DICT_SECTIONS)
            return {key: value for key, value in data.items() if not (value is None and key in optional)}
        return data

    @validates_schema
    def _dates_in_order(self, data, **_kwargs):
        start, end = data.get("in_force_from"), data.get("in_force_to")
        if start and end and end < start:
            raise ValidationError(f"{end} is before in_force_from {start}", "in_force_to")


@_strict
class SinglePolicySchema(PolicySchema):
    """The older form of the file: one policy at the top level, in force whenever no dates are given."""

    in_force_from = _Day(load_default=None)


# marshmallow's own wording, where ours reads better after "policy "2568.1", agency, max_late_count:".
STOCK_MESSAGES = {"Missing data for required field.": "missing", "Field may not be null.": "empty",
                  "Not a valid string.": "must be text", "Not a valid list.": "must be a list [a, b]",
                  "Invalid input type.": "expected a mapping of keys and values", "Not a valid mapping type.":
                  "expected a mapping of keys and values"}


def policy_problems(label: str, messages: dict) -> list[str]:
    """marshmallow's nested messages as lines `policy "2568.1", overrides, OCSC, max_late_count: …`."""
    lines = []

    def walk(path: tuple, node) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                # A Dict field nests {its key: {"key": [...], "value": {...}}}: the last level says nothing.
                in_dict = bool(path) and path[0] in DICT_SECTIONS
                if key == "_schema" or (in_dict and len(path) == 2 and key in ("key", "value")):
                    walk(path, value)
                else:  # a List's index counts from 0; people count from 1
                    walk((*path, f"#{key + 1}" if isinstance(key, int) and not in_dict else str(key)), value)
        else:
            for message in node if isinstance(node, list) else [node]:
                lines.append(", ".join((label, *path)) + f": {STOCK_MESSAGES.get(message, message)}")

    walk((), messages)
    return lines
