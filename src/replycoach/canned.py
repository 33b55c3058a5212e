"""Canned-response collections: a YAML or JSON list of responses in one file.

Each response is linted as its own reply (a template: its placeholders are slots), and
findings are reported against the collection file at the response's own lines.
"""

from __future__ import annotations

from replycoach.errors import UserError
from replycoach.inputs import SourceText, Unit


class NotACollection(UserError):
    """A YAML/JSON file that is not a list of responses; skipped when found by walking."""


def read_collection(source: SourceText, explicit: bool) -> list[Unit]:
    import json

    from replycoach.yamlio import load_yaml

    if source.path.lower().endswith(".json"):
        try:
            data = json.loads(source.text)
        except json.JSONDecodeError as exc:
            raise UserError(f"invalid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}", source.path) from None
    else:
        data = load_yaml(source.text, source.path)
    items = data.get("responses") if isinstance(data, dict) else data
    if not isinstance(items, list) or not all(isinstance(i, dict) and "text" in i for i in items):
        raise NotACollection(
            "not a canned-response collection (expected a list of responses with `id` and `text`, "
            "or a mapping with `responses:`)", source.path)
    lines = _text_lines(source.text, len(items))
    units = []
    for index, item in enumerate(items):
        text = item.get("text")
        label = str(item.get("id") or item.get("title") or f"#{index + 1}")
        if not isinstance(text, str) or not text.strip():
            raise UserError(f"response {label!r} has no text", source.path)
        context = dict(item.get("context") or {})
        context.setdefault("template", True)
        units.append(Unit(source.path, text, context, line_offset=lines[index], front_matter=False, label=label))
    return units


def _text_lines(text: str, count: int) -> list[int]:
    """0-based line of each response's `text` value, so findings point into the file."""
    offsets = []
    search_from = 0
    for _ in range(count):
        at = -1
        for key in ('"text"', "text:"):
            found = text.find(key, search_from)
            if found != -1 and (at == -1 or found < at):
                at = found
        if at == -1:
            offsets.append(0)
            continue
        line = text.count("\n", 0, at)
        rest = text[at:].split("\n", 1)[0]
        value = rest.split(":", 1)[1].strip() if ":" in rest else ""
        # a block scalar (`text: |`) starts on the next line; an inline value on this one
        offsets.append(line + 1 if value in ("|", ">", "|-", ">-", "|+", ">+") else line)
        search_from = at + 4
    return offsets
