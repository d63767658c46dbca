"""Schema validation with errors an editor can act on: located, in plain words, with a hint."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from ..primitives.frontmatter import Source
from ..primitives.problems import Problem, did_you_mean
from .fields import ALIASES, LABELS, Schema


def validate(schema: type[Schema], data: dict, source: Source) -> tuple[Any, list[Problem]]:
    try:
        return schema.model_validate(data), []
    except ValidationError as exc:
        errors = exc.errors()
    problems = [_problem(schema, error, source) for error in errors]
    # When unknown fields are the only fault, validate without them so that the cross-file
    # rules still run on this file and the editor sees every problem in one pass.
    if all(e["type"] == "extra_forbidden" for e in errors):
        cleaned = _without(data, [tuple(e["loc"]) for e in errors])
        try:
            return schema.model_validate(cleaned), problems
        except ValidationError:
            pass
    return None, problems


def _without(data: Any, locs: list[tuple]) -> Any:
    import copy

    cleaned = copy.deepcopy(data)
    for loc in locs:
        target = cleaned
        for part in loc[:-1]:
            target = target[part]
        target.pop(loc[-1], None)
    return cleaned


def _shown(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "…"


def _schema_at(schema: type[Schema], loc: tuple) -> type[Schema]:
    """The nested schema that holds the field at loc (for did-you-mean on unknown fields)."""
    current: Any = schema
    for part in loc[:-1]:
        if isinstance(part, int) or not hasattr(current, "model_fields") or part not in current.model_fields:
            continue
        annotation = current.model_fields[part].annotation
        for candidate in getattr(annotation, "__args__", ()) or (annotation,):
            if isinstance(candidate, type) and issubclass(candidate, Schema):
                current = candidate
                break
    return current if hasattr(current, "model_fields") else schema


def _problem(schema: type[Schema], error: dict, source: Source) -> Problem:
    loc = tuple(error["loc"])
    kind = error["type"]
    value = error.get("input")
    ctx = error.get("ctx") or {}
    message, hint = error["msg"].removeprefix("Value error, "), ""
    if kind == "missing":
        message = "required field is missing"
        # A nested field's own label first ('office.phone' is 联系电话, not a unit's 咨询电话).
        names = [str(p) for p in loc if not isinstance(p, int)]
        label = LABELS.get(".".join(names[-2:])) or LABELS.get(names[-1])
        hint = f"add '{loc[-1]}:'" + (f" ({label})" if label else "")
    elif kind == "extra_forbidden":
        name = str(loc[-1])
        fields = _schema_at(schema, loc).model_fields
        message = f"unknown field '{name}'"
        if name in ALIASES and ALIASES[name] in fields:
            hint = f"did you mean {ALIASES[name]}?"
        elif name in {LABELS.get(f) for f in fields}:
            hint = f"did you mean {next(f for f in fields if LABELS.get(f) == name)}?"
        else:
            hint = did_you_mean(name, fields)
        hint = hint or "the fields are: " + ", ".join(fields)
    elif kind == "gk_choice":
        message = error["msg"]
        hint = did_you_mean(value, ctx["options"], cutoff=0.3) or "one of: " + "、".join(ctx["options"])
    elif kind in ("gk_date", "gk_row", "gk_format"):
        hint = ctx.get("hint", "")
    elif kind in ("string_type",):
        message = f"expected text, got {type(value).__name__} '{_shown(value)}'"
    elif kind in ("int_type", "int_parsing", "int_from_float"):
        message = f"expected a whole number, got '{_shown(value)}'"
    elif kind in ("bool_type", "bool_parsing"):
        message = f"expected true or false, got '{_shown(value)}'"
    elif kind == "list_type":
        message = "expected a list"
        hint = "write one entry per line, each starting with '- '"
    elif kind in ("dict_type", "model_type", "model_attributes_type"):
        message = "expected fields (name: value lines)"
    elif kind == "too_short":
        message = "must not be empty"
    elif kind == "string_too_short":
        message = "must not be empty"
    elif kind == "string_too_long":
        message = f"is too long: at most {ctx.get('max_length')} characters"
    elif kind == "string_pattern_mismatch":
        message = f"'{_shown(value)}' cannot be used here"
        hint = "use letters, digits, '-', '_' and '.' only"
    elif kind in ("greater_than_equal", "greater_than"):
        message = f"must be at least {ctx.get('ge', ctx.get('gt'))}, got {_shown(value)}"
    elif kind in ("less_than_equal", "less_than"):
        message = f"must be at most {ctx.get('le', ctx.get('lt'))}, got {_shown(value)}"
    elif kind in ("decimal_type", "decimal_parsing", "float_type", "float_parsing", "finite_number"):
        message = f"expected a number, got '{_shown(value)}'"
    elif kind in ("decimal_max_places", "decimal_max_digits", "decimal_whole_digits"):
        message = f"'{_shown(value)}' has too many digits"
        hint = (f"write at most {ctx['decimal_places']} decimal places" if "decimal_places" in ctx
                else f"write at most {ctx.get('max_digits', ctx.get('whole_digits'))} digits")
    return source.problem(loc, message, hint)
