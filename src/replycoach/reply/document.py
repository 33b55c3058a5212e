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

FRONT_MATTER = regexcache.compile(
    r"\A(?:\ufeff)?---[ \t]*\r?\n(.*?)(?:\r?\n)?^(?:---|\.\.\.)[ \t]*$\r?\n?", re.S | re.M)
SUPPRESSION = regexcache.compile(
    r"<!--\s*replycoach:\s*(ignore|ignore-next-line)\s+([\w\-, ]+?)\s*-->|"
    r"\{#\s*replycoach:\s*(ignore|ignore-next-line)\s+([\w\-, ]+?)\s*#\}",
    re.I,
)
# Template slots in the styles canned-response tools use: Jinja/Liquid/Handlebars
# ({{ x }}, {% ... %}), Python/helpdesk ({name}), and hand-typed markers ([CUSTOMER NAME],
# <order number>, XXX), in any of our scripts ([ИМЕ НА КЛИЕНТА], {име}, ХХХ with a Cyrillic
# Х). Which of them are "filled slots" and which are "leftovers" is the rules' call, not the
# document's.
PLACEHOLDER = regexcache.compile(
    r"\{\{[^{}\n]{0,200}?\}\}"
    r"|\{%[^{}\n]{0,200}?%\}"
    r"|\{[ \t]*[^\W\d][\w.]{0,80}[ \t]*\}"
    r"|\[[A-ZĄĆĘŁŃÓŚŹŻА-ЯЁ][A-ZĄĆĘŁŃÓŚŹŻА-ЯЁ0-9 _#.-]{2,40}\]"
    r"|<[a-ząćęłńóśźżа-яё]+(?:[ _][a-ząćęłńóśźżа-яё]+){1,5}>"
    # XXX written so that every alternative starts with a literal character: then re scans
    # for those few characters instead of trying the pattern at every position (4x faster)
    r"|X(?<!\wX)[XХ]{2,}\b|Х(?<!\wХ)[XХ]{2,}\b"
    r"|%[A-Z][A-Z_]{2,40}%"
)
PLACEHOLDER_START = regexcache.compile(r"[{\[<XХ%]")
PLACEHOLDER_NAME = regexcache.compile(r"[A-Za-z_][\w.]*")
# Punctuation (and closing quotes or brackets) before a space or the end, or a line break;
# one character class first, so re skips straight to those characters (2.5x faster than
# the plain `[.!?…]+[\"')\]]*(?=\s|$)|\n`, which it had to try at every position).
SENTENCE_END = regexcache.compile(r"[.!?…\n](?:(?<=\n)|[.!?…]*[\"')\]]*(?=\s|$))")
# A full stop after a common abbreviation ("tel. 0888 ...", "ul. Długa", "Mr. Smith", "т.е.")
# does not end a sentence: rules that look at "the same sentence" (a phone number next to
# "call us") must see these as one.
ABBREVIATION = regexcache.compile(
    r"(?<![\w.])(?:tel|ul|al|os|nr|godz|np|tzn|tj|ds|mr|mrs|ms|dr|st|vs|approx|ext|"
    r"тел|ул|бул|кв|гр|ч|мин|напр|г-н|г-жа|д-р|e\.g|i\.e|m\.in|т\.е|ж\.к)$",
    re.I,
)
WORD = regexcache.compile(r"\w+")


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
        self.opaque: list[tuple[int, int]] | None = None  # URL/@handle spans, once the engine has found them
        self._line_starts: list[int] = []
        self._sentence_starts: list[int] = []

    def __repr__(self) -> str:
        return f"Document(path={self.path!r}, {len(self.text)} characters)"

    @classmethod
    def parse(cls, text: str, path: str = "<text>", line_offset: int = 0, front_matter: bool = True) -> Document:
        doc = cls(path=path, text=text, line_offset=line_offset)
        chars = None
        analysed = text
        if front_matter and (text.startswith("---") or text.startswith("\ufeff---")):
            m = FRONT_MATTER.match(text)
            if m:
                doc.front_matter = _load_front_matter(m.group(1), path)
                analysed = _blank(analysed, 0, m.end())
                doc.body_start = m.end()
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
        doc.placeholders = tuple(_placeholders(analysed))
        doc._line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        doc.sentences = tuple(_sentences(analysed, doc.body_start))
        doc._sentence_starts = [s.start for s in doc.sentences]
        return doc

    @property
    def body(self) -> str:
        return self.analysed[self.body_start :].strip()

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset."""
        index = bisect_right(self._line_starts, offset) - 1
        return index + 1 + self.line_offset, offset - self._line_starts[index] + 1

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
    """The front matter as a dict; a repository's files repeat a few blocks, so each distinct
    block is parsed once per process (a copy is handed out: callers may change theirs)."""
    data = _FRONT_MATTERS.get(raw)
    if data is None:
        from replycoach.core.yamlio import load_yaml

        data = load_yaml(raw, path)
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise UserError("front matter must be a mapping of context keys (e.g. `channel: twitter`)", path)
        if len(_FRONT_MATTERS) < 10_000:
            _FRONT_MATTERS[raw] = data
    return dict(data)


_FRONT_MATTERS: dict[str, dict] = {}


def _placeholders(text: str):
    if PLACEHOLDER_START.search(text) is None:  # what every placeholder starts with
        return
    for m in PLACEHOLDER.finditer(text):
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


def _sentences(text: str, start: int):
    """Split on sentence punctuation and line breaks; good enough for replies, which are short."""
    begin = start
    for m in SENTENCE_END.finditer(text, start):
        if m.group(0) == "." and ABBREVIATION.search(text, max(begin, m.start() - 8), m.start()):
            continue
        end = m.end()
        if text[begin:end].strip():
            yield Span(begin, end)
        begin = end
    if text[begin:].strip():
        yield Span(begin, len(text))


def word_count(text: str) -> int:
    return len(WORD.findall(text))
