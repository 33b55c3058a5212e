"""Canned-response collections: a YAML or JSON list of responses in one file.

Each response is linted as its own reply (a template: its placeholders are slots), and
its findings are reported against the collection file at the right line and column. A
response's text is a *decoded* scalar (indentation stripped from a block scalar, escapes
resolved in a JSON or double-quoted string), so every response carries a `SpanMap` from
positions in its text back to positions in the file. `--fix` uses the same map, and only
where it is exact: the file holds the matched text verbatim and the replacement can be
written in that scalar's quoting style.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import NamedTuple

from replycoach.core.errors import NotACollection, UserError
from replycoach.lint.sources import SourceText, Unit

# Keys a response may carry besides its text; anything else is the other tool's metadata
# (tags, category, shortcut ...) and is ignored.
ID_KEYS = ("id", "name", "title", "shortcut")
BLOCK_STYLES = ("|", ">")


class SpanMap(NamedTuple):
    """Where each character of a response's text sits in the collection file.

    `starts[i]`/`ends[i]` are the file offsets of text character i (an escape such as
    `\\n` spans several file characters). `style` is the scalar's quoting style: `json`,
    `"`, `'`, `plain`, `|` or `>`; `approximate` means the text could not be aligned and
    every position falls back to the start of the value.
    """

    starts: tuple[int, ...]
    ends: tuple[int, ...]
    value_start: int
    value_end: int
    style: str
    approximate: bool = False

    def to_file(self, start: int, end: int) -> tuple[int, int]:
        """File offsets of text[start:end]."""
        if self.approximate or not self.starts:
            return self.value_start, self.value_start
        last = len(self.starts) - 1
        file_start = self.starts[min(start, last)] if start <= last else self.ends[last]
        if end <= start:
            return file_start, file_start
        return file_start, self.ends[min(end - 1, last)]

    def to_text(self, file_start: int, file_end: int) -> tuple[int, int] | None:
        """Text offsets of file[file_start:file_end], when both ends are character edges."""
        if self.approximate:
            return None
        i = bisect_right(self.starts, file_start) - 1
        if i < 0 or self.starts[i] != file_start:
            return None
        if file_end == file_start:
            return i, i
        j = bisect_right(self.ends, file_end) - 1
        if j < i or self.ends[j] != file_end:
            return None
        return i, j + 1

    def encode(self, replacement: str) -> str | None:
        """The replacement as it must be written inside this scalar, or None if unsafe."""
        if "\n" in replacement or self.approximate:
            return None
        if self.style in ("json", '"'):
            import json

            return json.dumps(replacement, ensure_ascii=False)[1:-1]
        if self.style == "'":
            return replacement.replace("'", "''")
        if self.style == "plain":
            risky = (": ", " #", "\t")
            return None if any(r in replacement for r in risky) else replacement
        return replacement  # block scalars hold any single line as it is


def read_collection(source: SourceText, explicit: bool = True) -> list[Unit]:
    """Split a collection file into one unit per response, each with its SpanMap."""
    if source.path.lower().endswith(".json"):
        data, located = _load_json(source)
    else:
        data, located = _load_yaml(source)
    items = data.get("responses") if isinstance(data, dict) else data
    if not isinstance(items, list) or not any(isinstance(i, dict) and "text" in i for i in items):
        raise NotACollection(
            "not a canned-response collection (expected a list of responses with `id` and `text`, "
            "or a mapping with `responses:`)", source.path)
    units = []
    for index, item in enumerate(items):
        where = f"response #{index + 1}"
        if not isinstance(item, dict):
            raise UserError(f"{where} is not a mapping with `id` and `text`", source.path)
        label = next((str(item[k]) for k in ID_KEYS if item.get(k) not in (None, "")), "")
        if label:
            where += f" ({label!r})"
        text = item.get("text")
        if not isinstance(text, str) or not text.strip():
            raise UserError(f"{where} has no `text` (a non-empty string)", source.path)
        context = item.get("context") or {}
        if not isinstance(context, dict):
            raise UserError(f"{where}: `context` must be a mapping of context keys", source.path)
        context = dict(context)
        context.setdefault("template", True)
        span_map = located[index]
        line = 0
        if span_map is not None:  # where the text begins: the line after a block scalar's `|`
            line = source.text.count("\n", 0, span_map.value_start)
            line += span_map.style in BLOCK_STYLES
        units.append(Unit(source.path, text, context, line_offset=line, front_matter=False,
                          label=label or f"#{index + 1}", span_map=span_map))
    return units


# --- YAML -------------------------------------------------------------------------------


def _load_yaml(source: SourceText) -> tuple[object, list[SpanMap | None]]:
    """Parse once into both the data and the node tree (the tree has the positions)."""
    import yaml

    from replycoach.core.yamlio import load_yaml_nodes

    node, data = load_yaml_nodes(source.text, source.path)
    items = node
    if isinstance(node, yaml.MappingNode):
        items = _mapping_get(node, "responses")
    located: list[SpanMap | None] = []
    if isinstance(items, yaml.SequenceNode):
        for item in items.value:
            value = _mapping_get(item, "text") if isinstance(item, yaml.MappingNode) else None
            scalar = isinstance(value, yaml.ScalarNode)
            located.append(_yaml_map(source.text, value) if scalar else None)
    return data, located


def _mapping_get(node, key: str):
    for k, v in node.value:
        if getattr(k, "value", None) == key:
            return v
    return None


def _yaml_map(text: str, node) -> SpanMap:
    start, end = node.start_mark.index, node.end_mark.index
    style = node.style or "plain"
    if style in BLOCK_STYLES:
        # the header (`|`, `>-`, `|2` ...) and its line break are not part of the text
        newline = text.find("\n", start, end)
        body = newline + 1 if newline != -1 else end
        tokens = _plain_tokens(text, body, end)
    elif style == "'":
        tokens = _single_quoted_tokens(text, start + 1, end - 1)
    elif style == '"':
        tokens = _escaped_tokens(text, start + 1, end - 1, yaml_escapes=True)
    else:
        tokens = _plain_tokens(text, start, end)
    return _align(node.value, tokens, start, end, style)


# --- JSON -------------------------------------------------------------------------------


class _Located(str):
    """A JSON string value that remembers where its quotes are in the file."""

    span: tuple[int, int]


def _load_json(source: SourceText) -> tuple[object, list[SpanMap | None]]:
    import json
    from json import decoder, scanner

    class LocatingDecoder(json.JSONDecoder):
        def __init__(self) -> None:
            super().__init__()

            def parse_string(s, end, strict=True):
                value, after = decoder.scanstring(s, end, strict)
                located = _Located(value)
                located.span = (end - 1, after)
                return located, after

            self.parse_string = parse_string
            # the pure-Python scanner calls parse_string for string *values*; the C one would not
            self.scan_once = scanner.py_make_scanner(self)

    try:
        data = LocatingDecoder().decode(source.text)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise UserError(f"invalid JSON ({where}): {exc.msg}", source.path) from None
    except RecursionError:
        raise UserError("invalid JSON: nested too deeply", source.path) from None
    items = data.get("responses") if isinstance(data, dict) else data
    located: list[SpanMap | None] = []
    if isinstance(items, list):
        for item in items:
            value = item.get("text") if isinstance(item, dict) else None
            if isinstance(value, _Located):
                start, end = value.span
                tokens = _escaped_tokens(source.text, start + 1, end - 1, yaml_escapes=False)
                located.append(_align(str(value), tokens, start, end, "json"))
            else:
                located.append(None)
    return data, located


# --- aligning decoded text with the file --------------------------------------------------

Token = tuple[int, int, str]  # (file start, file end, the text it decodes to)


def _plain_tokens(text: str, start: int, end: int) -> list[Token]:
    return [(i, i + 1, text[i]) for i in range(start, end)]


def _single_quoted_tokens(text: str, start: int, end: int) -> list[Token]:
    tokens, i = [], start
    while i < end:
        if text.startswith("''", i):
            tokens.append((i, i + 2, "'"))
            i += 2
        else:
            tokens.append((i, i + 1, text[i]))
            i += 1
    return tokens


_SIMPLE_ESCAPES = {
    "n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", '"': '"', "\\": "\\", "/": "/",
    "0": "\0", "a": "\a", "v": "\v", "e": "\x1b", " ": " ", "N": "\x85", "_": "\xa0",
    "L": "\u2028", "P": "\u2029", "\t": "\t",
}
_HEX_ESCAPES = {"x": 2, "u": 4, "U": 8}


def _escaped_tokens(text: str, start: int, end: int, yaml_escapes: bool) -> list[Token]:
    """Tokens of a JSON or YAML double-quoted string body, escapes decoded."""
    tokens, i = [], start
    while i < end:
        if text[i] != "\\" or i + 1 >= end:
            tokens.append((i, i + 1, text[i]))
            i += 1
            continue
        kind = text[i + 1]
        if kind in _HEX_ESCAPES and (yaml_escapes or kind == "u"):
            width = _HEX_ESCAPES[kind]
            try:
                code = int(text[i + 2 : i + 2 + width], 16)
            except ValueError:
                code = None
            after = i + 2 + width
            if code is not None and 0xD800 <= code < 0xDC00 and text.startswith("\\u", after):
                try:
                    low = int(text[after + 2 : after + 6], 16)
                except ValueError:
                    low = 0
                if 0xDC00 <= low < 0xE000:
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    after += 6
            tokens.append((i, after, chr(code) if code is not None else ""))
            i = after
        elif kind == "\n" and yaml_escapes:
            tokens.append((i, i + 2, ""))  # an escaped line break joins the lines
            i += 2
        else:
            tokens.append((i, i + 2, _SIMPLE_ESCAPES.get(kind, kind)))
            i += 2
    return tokens


def _align(value: str, tokens: list[Token], start: int, end: int, style: str) -> SpanMap:
    """Match the decoded text against the file's tokens, in order.

    Folding (a line break read as a space) and indentation mean the file has characters
    the text lacks, never the other way round, so each text character is the next token
    that decodes to it. A text character with no such token means the two disagree in a
    way this does not model; then every position falls back to the start of the value.
    """
    starts, ends = [], []
    j, count = 0, len(tokens)
    for char in value:
        while j < count and tokens[j][2] != char:
            if char in " \n" and tokens[j][2] in " \n\t" and style not in ("json", "|"):
                break  # folding: the text's space or newline stands for the file's white space
            j += 1
        if j >= count:
            return SpanMap((), (), start, end, style, approximate=True)
        starts.append(tokens[j][0])
        ends.append(tokens[j][1])
        j += 1
    return SpanMap(tuple(starts), tuple(ends), start, end, style)
