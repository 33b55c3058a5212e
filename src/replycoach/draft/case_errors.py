"""What is wrong with a case file, as one line a user can act on: `complaint.text: required`.

Kept apart from the schema (`draft.case`) so the schema stays readable; nothing here imports
pydantic: it reads the errors pydantic already made.
"""

from __future__ import annotations

import difflib
import re

MAX_DEPTH = 20  # levels of nesting; a case is three deep (`customer.name`), a `_comment` a little more
_UNION_TAGS = {"str", "datetime", "date", "function-before", "function-after", "lax-or-strict"}


def nesting_problem(data, limit: int = MAX_DEPTH) -> str | None:
    """`path: nested more than N levels deep` (or a YAML alias inside itself), else None.

    Walked with a stack, not recursion, and each container once: heights are remembered, so
    a YAML file that shares one list many times over (`*a`) costs what the file costs.
    """
    heights: dict[int, int] = {}
    on_path: set[int] = {id(data)}
    stack = [(data, iter(_children(data)), [])]
    while stack:
        node, children, path = stack[-1]
        for key, child in children:
            if not isinstance(child, dict | list):
                continue
            where = [*path, key]
            if id(child) in on_path:
                return f"{_path(where)}: refers to itself (a YAML alias used inside its own anchor)"
            reach = len(stack) + heights.get(id(child), 1)  # the deepest level below `child`, if known
            if reach > limit:
                return f"{_path(where)}: nested more than {limit} levels deep; a case is a few levels deep"
            if id(child) not in heights:
                on_path.add(id(child))
                stack.append((child, iter(_children(child)), where))
                break
        else:
            stack.pop()
            on_path.discard(id(node))
            heights[id(node)] = 1 + max((heights.get(id(c), 0) for _, c in _children(node)), default=0)
    return None


def _children(node) -> list:
    if isinstance(node, dict):
        return list(node.items())
    if isinstance(node, list):
        return list(enumerate(node))
    return []


def _path(parts: list) -> str:
    shown = ".".join(str(p) for p in parts[:3])
    return shown + (".…" if len(parts) > 3 else "")


def describe(exc, root) -> str:
    """The first problem of a pydantic ValidationError as `field.path: what is expected`; the rest as a count.

    An unknown key close to a known one is most likely a typo, so it goes first, and a
    `required` for the field it was meant to be is left out (`chanel: twitter` is one mistake).
    """
    errors = exc.errors()
    typos = {(*e["loc"][:-1], meant) for e in errors if e["type"] == "extra_forbidden"
             for meant in _close(root, e["loc"]) if meant}
    errors = [e for e in errors if not (e["type"] == "missing" and tuple(e["loc"]) in typos)]
    errors.sort(key=lambda e: e["type"] != "extra_forbidden" or not _close(root, e["loc"]))
    first = errors[0]
    loc = _field_path(first)
    field = ".".join(str(p) for p in loc) or "top level"
    message = _message(first, loc, root)
    more = len({e["loc"][:1] for e in errors[1:]} - {first["loc"][:1]})
    return f"{field}: {message}" + (f" (and {more} more field{'s' if more != 1 else ''})" if more else "")


def _field_path(error: dict) -> list:
    """The location without pydantic's union and validator tags (an unknown key is kept as written)."""
    loc = list(error["loc"])
    last = loc.pop() if error["type"] == "extra_forbidden" and loc else None
    kept = [p for p in loc if not (isinstance(p, str) and ("[" in p or p in _UNION_TAGS))]
    return kept + ([last] if last is not None else [])


def _close(root, loc) -> list[str]:
    parent = _model_at(root, _field_path({"loc": loc[:-1], "type": ""}))
    return difflib.get_close_matches(str(loc[-1]), list(parent.model_fields), n=1) if parent else []


def _message(error: dict, loc: list, root) -> str:
    kind = error["type"]
    value = error.get("input")
    if kind == "missing":
        return "required" + _required_hint(loc)
    if kind == "extra_forbidden":
        parent = _model_at(root, loc[:-1])
        known = list(parent.model_fields) if parent else []
        close = difflib.get_close_matches(str(loc[-1]), known, n=1)
        hint = f"did you mean `{close[0]}`?" if close else f"expected one of: {', '.join(known)}"
        return f"unknown field ({hint})"
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        options = re.findall(r"'([^']*)'", expected)
        return f"expected one of {', '.join(options)} (got {value!r})"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        model = _model_at(root, loc)
        fields = ", ".join(model.model_fields) if model else "fields"
        return f"expected a mapping ({fields}), got {_type_name(value)}"
    if kind in ("string_type", "str_type"):
        return f"expected text, got {_type_name(value)}"
    if kind == "string_too_long":
        return f"too long (at most {error.get('ctx', {}).get('max_length', '?')} characters)"
    return error["msg"].removeprefix("Value error, ")


def _required_hint(loc: list) -> str:
    hints = {
        ("channel",): " (where the complaint was posted: twitter, facebook, email, ...)",
        ("agent", "name"): " (the name the reply is signed with)",
        ("resolution", "action"): " (what you will do, in the first person: \"I'll send a new pair\")",
        ("compensation", "offer"): " (e.g. \"a 20% discount on your next order\")",
    }
    return hints.get(tuple(str(p) for p in loc), "")


def _model_at(root, loc: list):
    """The pydantic model at a field path from `root`, or None where the path leaves the models."""
    model = root
    for part in loc:
        field = model.model_fields.get(str(part)) if isinstance(part, str) else None
        if field is None:
            return None
        annotation = field.annotation
        candidates = getattr(annotation, "__args__", (annotation,))
        nested = next((c for c in candidates if isinstance(c, type) and hasattr(c, "model_fields")), None)
        if nested is None:
            return None
        model = nested
    return model


def _type_name(value) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, str):
        return f"text ({value[:40]!r})"
    if value is None:
        return "nothing"
    return type(value).__name__
