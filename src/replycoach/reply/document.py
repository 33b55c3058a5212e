"""A reply as the engine sees it: text, where its lines and sentences are, and its metadata.

Front matter and suppression comments are *masked* (overwritten by spaces, newlines kept)
rather than cut out, so every offset the engine finds is an offset into the user's file and
line/column numbers need no translation.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import NamedTuple

from replycoach.core import regexcache
from replycoach.core.errors import UserError
from replycoach.core.memo import Memo
from replycoach.matching import opaque_spans

FRONT_MATTER = regexcache.compile(
    r"\A(?:\ufeff)?---[ \t]*\r?\n(.*?)(?:\r?\n)?^(?:---|\.\.\.)[ \t]*$\r?\n?", re.S | re.M)
FRONT_MATTER_OPENED = regexcache.compile(r"\A(?:\ufeff)?---[ \t]*\r?\n")
SUPPRESSION = regexcache.compile(
    r"<!--\s*replycoach:\s*(ignore|ignore-next-line)\s+([\w\-, ]+?)\s*-->|"
    r"\{#\s*replycoach:\s*(ignore|ignore-next-line)\s+([\w\-, ]+?)\s*#\}",
    re.I,
)
# Punctuation (and closing quotes or brackets) before a space or the end, or a line break;
# one character class first, so re skips straight to those characters (2.5x faster than
# the plain `[.!?…]+[\"')\]]*(?=\s|$)|\n`, which it had to try at every position).
SENTENCE_END = regexcache.compile(r"[.!?…\n](?:(?<=\n)|[.!?…]*[\"')\]]*(?=\s|$))")
PLACEHOLDER_NAME = regexcache.compile(r"[A-Za-z_][\w.]*")
WORD = regexcache.compile(r"\w+")
_NEWLINE = regexcache.compile("\n")


class Span(NamedTuple):
    start: int
    end: int


class Placeholder(NamedTuple):
    start: int
    end: int
    raw: str
    name: str  # dotted variable name where the style has one ("customer.name"), else the raw text
    style: str  # "jinja" | "jinja-tag" | "brace" | "marker"


class Document:
    """Built by `parse`; `analysed` is `text` with front matter and suppression comments blanked."""

    __slots__ = ("path", "text", "analysed", "front_matter", "ignored_rules", "ignored_lines", "placeholders",
                 "sentences", "body_start", "line_offset", "opaque", "_line_starts", "_sentence_starts")

    # Template slots come in the styles canned-response tools use: Jinja/Liquid/Handlebars
    # ({{ x }}, {% ... %}), Python/helpdesk ({name}), and hand-typed markers ([CUSTOMER NAME],
    # <order number>, XXX), in any script of the playbook's languages ([ИМЕ НА КЛИЕНТА],
    # ХХХ with a Cyrillic Х): the playbook's `TextConventions` say which. Which slots are
    # "filled" and which are "leftovers" is the rules' call, not the document's.

    def __init__(self, path: str, text: str, line_offset: int = 0) -> None:
        self.path = path
        self.text = text
        self.analysed = text
        self.front_matter: dict = {}
        self.ignored_rules: frozenset[str] = frozenset()
        self.ignored_lines: dict[int, frozenset[str]] = {}
        self.placeholders: tuple[Placeholder, ...] = ()
        self.sentences: tuple[Span, ...] = ()
        self.body_start = 0
        self.line_offset = line_offset  # added to every reported line (a response inside a collection file)
        self.opaque: list[tuple[int, int]] = []  # where the URLs and @handles are
        self._line_starts: list[int] = []
        self._sentence_starts: list[int] = []

    def __repr__(self) -> str:
        return f"Document(path={self.path!r}, {len(self.text)} characters)"

    @classmethod
    def parse(cls, text: str, conventions, path: str = "<text>", line_offset: int = 0,
              front_matter: bool = True) -> Document:
        """`conventions`: the playbook's `TextConventions` (placeholders, abbreviations)."""
        doc = cls(path=path, text=text, line_offset=line_offset)
        chars = None
        analysed = text
        if front_matter and (text.startswith("---") or text.startswith("\ufeff---")):
            m = FRONT_MATTER.match(text)
            if m:
                doc.front_matter = _load_front_matter(m.group(1), path)
                analysed = _blank(analysed, 0, m.end())
                doc.body_start = m.end()
            elif FRONT_MATTER_OPENED.match(text):
                raise UserError("front matter opened with --- on the first line is never closed: end it with a "
                                "line of ---, or start the reply with something else", path)
        if "replycoach" in analysed:
            ignored: set[str] = set()
            for m in SUPPRESSION.finditer(analysed):
                mode = (m.group(1) or m.group(3)).lower()
                names = {n.strip() for n in (m.group(2) or m.group(4)).replace(",", " ").split() if n.strip()}
                if mode == "ignore":
                    ignored |= names
                else:
                    line = analysed.count("\n", 0, m.start()) + 2
                    doc.ignored_lines[line] = frozenset(names) | doc.ignored_lines.get(line, frozenset())
                chars = chars or list(analysed)
                analysed = _blank(analysed, m.start(), m.end())
            doc.ignored_rules = frozenset(ignored)
        doc.analysed = analysed
        doc.placeholders = tuple(_placeholders(analysed, conventions))
        doc._line_starts = [0] + [m.end() for m in _NEWLINE.finditer(text)]
        doc.sentences = tuple(_sentences(analysed, doc.body_start, conventions.abbreviation))
        doc.opaque = opaque_spans(analysed)
        doc._sentence_starts = [s.start for s in doc.sentences]
        return doc

    @property
    def body(self) -> str:
        return self.analysed[self.body_start :].strip()

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset."""
        index = bisect_right(self._line_starts, offset) - 1
        return index + 1 + self.line_offset, offset - self._line_starts[index] + 1

    def line_start(self, line: int) -> int:
        """The offset where a 1-based line of the text begins (the last line's, past the end)."""
        return self._line_starts[min(line, len(self._line_starts)) - 1]

    @property
    def marker_spans(self) -> list[tuple[int, int]]:
        """Hand-typed slot markers ([NAME], XXX): their words are not the reply's words."""
        return [(p.start, p.end) for p in self.placeholders if p.style == "marker"]

    def sentence_index(self, offset: int) -> int:
        return max(bisect_right(self._sentence_starts, offset) - 1, 0)

    def in_placeholder(self, start: int, end: int) -> bool:
        if not self.placeholders:  # nearly every reply: no generator to start
            return False
        return any(p.start < end and start < p.end for p in self.placeholders)

    def is_ignored(self, rule: str, line: int) -> bool:
        if rule in self.ignored_rules or "all" in self.ignored_rules:
            return True
        names = self.ignored_lines.get(line - self.line_offset)
        return bool(names) and (rule in names or "all" in names)


def _blank(text: str, start: int, end: int) -> str:
    """Overwrite text[start:end] with spaces, keeping newlines so lines stay where they are."""
    return text[:start] + re.sub(r"[^\n]", " ", text[start:end]) + text[end:]


def _load_front_matter(raw: str, path: str) -> dict:
    """The front matter as a dict (a copy: callers may change theirs)."""
    data = _FRONT_MATTERS[raw]
    if isinstance(data, str):
        raise UserError(data, path)
    return dict(data)


def _parse_front_matter(raw: str) -> dict | str:
    """A block's data, or what is wrong with it."""
    from replycoach.core.yamlio import load_yaml

    try:
        data = load_yaml(raw, "front matter")
    except UserError as exc:
        return exc.message
    if data is None:
        return {}
    if not isinstance(data, dict):
        return "front matter must be a mapping of context keys (e.g. `channel: twitter`)"
    return data


# keyed by the block's text, which alone decides its data: a repository's files repeat a few blocks
_FRONT_MATTERS = Memo(_parse_front_matter, limit=10_000)


def _placeholders(text: str, conventions):
    if conventions.placeholder_start.search(text) is None:  # what every placeholder starts with
        return
    for m in conventions.placeholder.finditer(text):
        raw = m.group(0)
        if raw.startswith("{{"):
            style = "jinja"
            name_match = PLACEHOLDER_NAME.search(raw[2:-2])
            name = name_match.group(0) if name_match else raw
        elif raw.startswith("{%"):
            style, name = "jinja-tag", raw
        elif raw.startswith("{"):
            style, name = "brace", raw[1:-1].strip()
        else:
            style, name = "marker", raw
        yield Placeholder(m.start(), m.end(), raw, name, style)


def _sentences(text: str, start: int, abbreviation):
    """Split on sentence punctuation and line breaks; good enough for replies, which are short.

    A full stop after a common abbreviation ("tel. 0888 ...", "ul. Długa", "Mr. Smith") does
    not end a sentence: rules that look at "the same sentence" (a phone number next to
    "call us") must see these as one."""
    begin = start
    for m in SENTENCE_END.finditer(text, start):
        if m.group(0) == "." and abbreviation.search(text, max(begin, m.start() - 8), m.start()):
            continue
        end = m.end()
        if text[begin:end].strip():
            yield Span(begin, end)
        begin = end
    if text[begin:].strip():
        yield Span(begin, len(text))


def word_count(text: str) -> int:
    return len(WORD.findall(text))
