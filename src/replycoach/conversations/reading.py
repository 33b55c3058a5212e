"""Reading a history of conversations as a stream: JSON Lines (a conversation a line) or CSV
(a message a row), plain or gzip, from a file or stdin. Memory does not grow with the file.
"""

from __future__ import annotations

import csv
import json
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from replycoach.conversations.problems import Problems
from replycoach.core.errors import UserError

MAX_LINE_BYTES = 64 * 1024 * 1024
CSV_WINDOW = 10_000  # conversations kept open while reading a CSV that interleaves them
ROLE_ALIASES = {"customer": "customer", "agent": "agent"}
CHANNEL_ALIASES = {"e-mail": "email", "mail": "email", "x.com": "x", "fb": "facebook", "ig": "instagram",
                   "live chat": "chat", "livechat": "chat", "direct message": "dm"}


@dataclass(slots=True)
class Message:
    at: datetime  # UTC
    local_weekday: int  # 0 = Monday, in the timestamp's own time zone
    role: str
    author: str
    text: str | None
    line: int


@dataclass(slots=True)
class Conversation:
    id: str
    channel: str  # normalised, "" when missing
    line: int
    messages: list[Message] = field(default_factory=list)


def parse_message(raw, line: int, problems: Problems) -> Message | None:
    """One message from a JSON object or a CSV row's dict; None (and a counted reason) if unusable.

    Written for the common case first (exact role, ISO time in UTC): it runs once per
    message of a file that may hold millions.
    """
    if type(raw) is not dict:
        problems.skip("bad-message", line)
        return None
    role_value = raw.get("role")
    role = ROLE_ALIASES.get(role_value) if type(role_value) is str else None
    if role is None:
        role = ROLE_ALIASES.get(role_value.strip().lower()) if isinstance(role_value, str) else None
        if role is None:
            problems.skip("unknown-role", line, repr(role_value)[:40])
            return None
    at = raw.get("at")
    if type(at) is not str or not at or at.isspace():
        if at is None or isinstance(at, str):
            problems.skip("missing-timestamp", line)
        else:
            problems.skip("bad-timestamp", line, repr(at)[:40])
        return None
    try:
        moment = datetime.fromisoformat(at)
    except ValueError:
        try:
            moment = datetime.fromisoformat(at.strip())
        except ValueError:
            problems.skip("bad-timestamp", line, at[:40])
            return None
    tz = moment.tzinfo
    weekday = moment.weekday()  # in the timestamp's own time zone
    if tz is UTC:
        problems.offsets.add(0)
    elif tz is None:
        problems.note("naive-timestamp", line)
        moment = moment.replace(tzinfo=UTC)
    else:
        offset = moment.utcoffset()
        problems.offsets.add(int(offset.total_seconds() // 60))
        moment = moment.astimezone(UTC)
    author = raw.get("author")
    if type(author) is not str:
        author = "" if author is None else str(author)
    author = author.strip()
    if not author:
        problems.note("missing-author", line)
        author = "(unknown)"
    text = raw.get("text")
    if text is not None and type(text) is not str:
        text = str(text)
    return Message(moment, weekday, role, author, text, line)


def normalise_channel(value) -> str:
    if value is None:
        return ""
    text = str(value).strip().lower()
    return CHANNEL_ALIASES.get(text, text)


def read_jsonl(lines: Iterable[tuple[int, bytes]], problems: Problems,
               name: str | None = None) -> Iterator[Conversation]:
    """Conversations from JSON Lines, one per line, lazily."""
    first = True
    for number, raw in lines:
        if raw is None:
            problems.skip("line-too-long", number)
            continue
        if not raw.strip():
            continue
        if first and raw.lstrip(b"\xef\xbb\xbf \t").startswith(b"["):
            raise UserError("this is a JSON array; a history is JSON Lines (one conversation object per line)", name)
        first = False
        try:
            data = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            problems.skip("not-utf8", number)
            continue
        except (ValueError, RecursionError):  # nested thousands deep is no conversation either
            problems.skip("bad-json", number)
            continue
        messages = data.get("messages") if isinstance(data, dict) else None
        if not isinstance(messages, list):
            problems.skip("not-a-conversation", number)
            continue
        conv = Conversation(str(data.get("id") or f"line-{number}"), normalise_channel(data.get("channel")), number)
        for item in messages:
            message = parse_message(item, number, problems)
            if message is not None:
                conv.messages.append(message)
        if not messages:
            problems.skip("no-messages", number)
            continue
        yield conv


CSV_COLUMNS = ("conversation_id", "channel", "role", "author", "at", "text")
CSV_REQUIRED = ("conversation_id", "role", "at", "text")


def read_csv(lines: Iterable[str], problems: Problems, window: int = CSV_WINDOW,
             name: str | None = None) -> Iterator[Conversation]:
    """Conversations from CSV rows (one message each), grouped by conversation_id.

    Rows of a conversation need not be adjacent (an export sorted by time interleaves
    them): up to `window` conversations stay open, and the least recently seen one is
    closed when more arrive. A row for a conversation closed that way is counted, not used.
    """
    csv.field_size_limit(MAX_LINE_BYTES)
    reader = csv.reader(lines)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise UserError(f"not a CSV file: {exc}", name) from None
    if header is None:
        return
    names = [h.strip().lstrip("\ufeff").lower() for h in header]
    missing = [c for c in CSV_REQUIRED if c not in names]
    if missing:
        raise UserError(f"CSV header lacks column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
                        f"(expected: {', '.join(CSV_COLUMNS)})", name)
    index = {name: names.index(name) for name in CSV_COLUMNS if name in names}
    open_convs: OrderedDict[str, Conversation] = OrderedDict()
    closed: OrderedDict[str, None] = OrderedDict()
    previous_end = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error:
            problems.skip("bad-csv-row", reader.line_num)
            previous_end = reader.line_num
            continue
        number, previous_end = previous_end + 1, reader.line_num
        if not row or not any(cell.strip() for cell in row):
            continue
        values = {name: (row[i] if i < len(row) else "") for name, i in index.items()}
        conv_id = values["conversation_id"].strip()
        if not conv_id:
            problems.skip("missing-conversation-id", number)
            continue
        if conv_id in closed:
            problems.skip("conversation-split", number)
            continue
        conv = open_convs.get(conv_id)
        if conv is None:
            conv = open_convs[conv_id] = Conversation(conv_id, normalise_channel(values.get("channel") or None), number)
            if len(open_convs) > window:
                old_id, old = open_convs.popitem(last=False)
                closed[old_id] = None
                if len(closed) > window * 20:
                    closed.popitem(last=False)
                yield old
        else:
            open_convs.move_to_end(conv_id)
            if not conv.channel and values.get("channel"):
                conv.channel = normalise_channel(values["channel"])
        message = parse_message({k: (v if v != "" else None) for k, v in values.items()}, number, problems)
        if message is not None:
            conv.messages.append(message)
    yield from open_convs.values()


@dataclass
class Source:
    """An opened input: its lines, its size for the progress bar, and its format."""

    name: str
    format: str  # "jsonl" | "csv"
    size: int | None
    position: Callable[[], int]
    lines: Iterator[tuple[int, bytes | None]]
    close: Callable[[], None]


def open_source(path: str, input_format: str = "auto") -> Source:
    """Open a file (or `-` for stdin), plain or gzip, and decide its format."""
    import sys

    if path == "-":
        raw = sys.stdin.buffer
        size = None
        name = "<stdin>"
    else:
        p = Path(path)
        if not p.exists():
            raise UserError("no such file", path)
        if p.is_dir():
            raise UserError("is a directory; give a .jsonl or .csv file", path)
        try:
            raw = open(p, "rb")  # noqa: SIM115 - closed by Source.close
        except OSError as exc:
            raise UserError(f"cannot read: {exc.strerror or exc}", path) from None
        size = p.stat().st_size
        name = path
    stream = raw
    suffixes = [s.lower() for s in Path(name).suffixes]
    if suffixes[-1:] == [".gz"] or _peek(raw, 2) == b"\x1f\x8b":
        import gzip

        stream = gzip.GzipFile(fileobj=raw, mode="rb")
        suffixes = suffixes[:-1] if suffixes[-1:] == [".gz"] else suffixes
    fmt = input_format
    if fmt == "auto":
        ext = suffixes[-1] if suffixes else ""
        if ext in (".jsonl", ".ndjson", ".json"):
            fmt = "jsonl"
        elif ext == ".csv":
            fmt = "csv"
        else:
            head = _peek(stream, 512) if stream is raw else b""
            fmt = "jsonl" if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith((b"{", b"[")) else "csv"

    def position() -> int:
        try:
            return raw.tell()
        except (OSError, ValueError):
            return 0

    def close() -> None:
        if raw is not sys.stdin.buffer:
            raw.close()

    return Source(name, fmt, size, position, _numbered_lines(stream, name), close)


def _peek(stream, n: int) -> bytes:
    try:
        return stream.peek(n)[:n]
    except (AttributeError, OSError, ValueError):
        return b""


def _numbered_lines(stream, name: str) -> Iterator[tuple[int, bytes | None]]:
    """(line number, bytes) pairs; None for a line longer than MAX_LINE_BYTES (its rest is skipped)."""
    number = 0
    try:
        while True:
            raw = stream.readline(MAX_LINE_BYTES)
            if not raw:
                return
            number += 1
            if len(raw) >= MAX_LINE_BYTES and not raw.endswith(b"\n"):
                while True:
                    rest = stream.readline(MAX_LINE_BYTES)
                    if not rest or rest.endswith(b"\n"):
                        break
                yield number, None
                continue
            yield number, raw
    except (OSError, EOFError) as exc:
        raise UserError(f"cannot read past line {number}: {exc}", name) from None


def _csv_text(lines: Iterable[tuple[int, bytes | None]], problems: Problems) -> Iterator[str]:
    for number, raw in lines:
        if raw is None:
            problems.skip("line-too-long", number)
            yield "\n"
            continue
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError:
            problems.skip("not-utf8", number)
            yield "\n"
