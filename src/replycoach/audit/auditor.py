"""Auditing a history of conversations: how fast, and how well, a team really answered.

The input is read as a stream (JSONL: one conversation a line; CSV: one message a row), so
memory does not grow with the file. What is kept per conversation is one float, the
first-reply time, in a compact `array('d')` per split (8 bytes each): exact medians and
percentiles are worth that, and it is still ~32 MB for a million conversations. A
streaming sketch would have bounded memory further but made the figures approximate,
which a lead comparing their team to the 157-minute reference should not have to doubt.

Agent replies are linted with the same engine and playbook as `replycoach lint`, in
batches on a process pool when the input is big enough to pay for it. Each distinct
(reply text, channel, stage, wait) is linted once: canned replies repeat a lot in real
histories, and the judgement depends on nothing else.

Nothing here prints. Bad rows are counted per reason with their first few line numbers,
never dropped silently; only a file that cannot be read at all raises `UserError`.
"""

from __future__ import annotations

import csv
import json
import os
from array import array
from bisect import insort
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from replycoach.core.errors import UserError
from replycoach.kinds import kind_of

SHOWN_LINES = 5  # line numbers kept per problem reason
MAX_LINE_BYTES = 64 * 1024 * 1024
CSV_WINDOW = 10_000  # conversations kept open while reading a CSV that interleaves them
MAX_AUTHORS = 2_000  # distinct authors tracked; the rest are pooled as "(other authors)"
MEMO_SIZE = 50_000  # distinct lint results remembered
BATCH = 48  # replies per job sent to a worker process
PARALLEL_MIN_BYTES = 200_000  # below this, forking workers costs more than it saves
HISTOGRAM_EDGES = (0, 15, 30, 60, 120, 240, 480, 1440, 2880, 10080)

# Problems with the input: a reason key, what it means, and what was skipped.
SKIPS = {
    "not-utf8": ("line", "not UTF-8 text"),
    "bad-json": ("line", "not valid JSON"),
    "line-too-long": ("line", "longer than 64 MB"),
    "not-a-conversation": ("line", "not a conversation (a JSON object with a \"messages\" list)"),
    "bad-csv-row": ("row", "not a valid CSV row"),
    "missing-conversation-id": ("row", "no conversation_id"),
    "conversation-split": ("row", "belongs to a conversation already closed (its rows are too far apart; "
                                  "sort the CSV by conversation_id)"),
    "bad-message": ("message", "not an object with role, author, at and text"),
    "missing-timestamp": ("message", "no timestamp (\"at\")"),
    "bad-timestamp": ("message", "timestamp is not ISO-8601 (e.g. 2024-05-01T14:30:00Z)"),
    "unknown-role": ("message", "role is neither customer nor agent"),
    "no-messages": ("conversation", "no messages"),
    "no-customer-message": ("conversation", "no customer message to time a reply against"),
    "agent-before-customer": ("message", "agent message before any customer message"),
}
# Things worth knowing that did not cost any data.
NOTES = {
    "naive-timestamp": "timestamps without a time zone, read as UTC",
    "missing-channel": "conversations without a channel: shown as \"(none)\", judged as public",
    "unknown-channel": "conversations on a channel replycoach does not know: visibility unknown, judged as public",
    "missing-author": "messages without an author: shown as \"(unknown)\"",
    "missing-text": "agent messages without text: timed, not linted",
    "unsupported-language": "agent replies in a language the playbook has no lexicon for: timed, not linted",
    "lint-failed": "agent replies the linter failed on (a bug; please report it): timed, not linted",
}
ROLE_ALIASES = {"customer": "customer", "agent": "agent"}
CHANNEL_ALIASES = {"e-mail": "email", "mail": "email", "x.com": "x", "fb": "facebook", "ig": "instagram",
                   "live chat": "chat", "livechat": "chat", "direct message": "dm"}


# --- problems ------------------------------------------------------------------------------


@dataclass
class Tally:
    """How often one problem occurred, and where first (the smallest line numbers)."""

    count: int = 0
    lines: list[int] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)

    def add(self, line: int, example: str | None = None) -> None:
        self.count += 1
        if line in self.lines:
            pass
        elif len(self.lines) < SHOWN_LINES:
            insort(self.lines, line)
        elif line < self.lines[-1]:
            insort(self.lines, line)
            self.lines.pop()
        if example is not None and len(self.examples) < SHOWN_LINES and example not in self.examples:
            self.examples.append(example)


class Problems:
    def __init__(self) -> None:
        self.skips: dict[str, Tally] = {}
        self.notes: dict[str, Tally] = {}
        self.offsets: set[int] = set()  # UTC offsets seen, in minutes

    def skip(self, reason: str, line: int, example: str | None = None) -> None:
        self.skips.setdefault(reason, Tally()).add(line, example)

    def note(self, reason: str, line: int, example: str | None = None) -> None:
        self.notes.setdefault(reason, Tally()).add(line, example)

    def to_dict(self) -> dict:
        skipped = [
            {"reason": key, "unit": SKIPS[key][0], "description": SKIPS[key][1], "count": t.count,
             "first_lines": t.lines, **({"examples": t.examples} if t.examples else {})}
            for key, t in sorted(self.skips.items(), key=lambda kv: list(SKIPS).index(kv[0]))
        ]
        notes = [
            {"note": key, "description": NOTES[key], "count": t.count, "first_lines": t.lines,
             **({"examples": t.examples} if t.examples else {})}
            for key, t in sorted(self.notes.items(), key=lambda kv: list(NOTES).index(kv[0]))
        ]
        if len(self.offsets) > 1:
            shown = ", ".join(_offset_label(m) for m in sorted(self.offsets)[:8])
            notes.append({"note": "mixed-offsets", "count": len(self.offsets), "first_lines": [],
                          "description": f"timestamps in {len(self.offsets)} different UTC offsets ({shown}); "
                                         "all converted to UTC"})
        return {"skipped": skipped, "notes": notes}


def _offset_label(minutes: int) -> str:
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


# --- reading --------------------------------------------------------------------------------


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


def read_jsonl(lines: Iterable[tuple[int, bytes]], problems: Problems) -> Iterator[Conversation]:
    """Conversations from JSON Lines, one per line, lazily."""
    first = True
    for number, raw in lines:
        if raw is None:
            problems.skip("line-too-long", number)
            continue
        if not raw.strip():
            continue
        if first and raw.lstrip(b"\xef\xbb\xbf \t").startswith(b"["):
            raise UserError("this is a JSON array; audit reads JSON Lines (one conversation object per line)")
        first = False
        try:
            data = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            problems.skip("not-utf8", number)
            continue
        except ValueError:
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


def read_csv(lines: Iterable[str], problems: Problems, window: int = CSV_WINDOW) -> Iterator[Conversation]:
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
        raise UserError(f"not a CSV file: {exc}") from None
    if header is None:
        return
    names = [h.strip().lstrip("\ufeff").lower() for h in header]
    missing = [c for c in CSV_REQUIRED if c not in names]
    if missing:
        raise UserError(f"CSV header lacks column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
                        f"(expected: {', '.join(CSV_COLUMNS)})")
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


# --- figures -------------------------------------------------------------------------------


def quantile(values: list[float] | array, p: float) -> float | None:
    """The p-quantile of *sorted* values by linear interpolation between closest ranks.

    This is Hyndman & Fan's type 7: numpy's default, Excel's PERCENTILE.INC, and
    `statistics.quantiles(method="inclusive")`. The median of an even count is the mean
    of the two middle values.
    """
    n = len(values)
    if n == 0:
        return None
    position = (n - 1) * p
    low = int(position)
    high = min(low + 1, n - 1)
    return values[low] + (values[high] - values[low]) * (position - low)


class Group:
    """First-reply figures of one slice of the conversations (a channel, weekends, ...)."""

    __slots__ = ("answered", "conversations", "minutes", "within_reference", "within_target")

    def __init__(self) -> None:
        self.conversations = 0
        self.answered = 0
        self.within_target = 0
        self.within_reference = 0
        self.minutes = array("d")

    def add(self, minutes: float | None, target: float, reference: float) -> None:
        self.conversations += 1
        if minutes is None:
            return
        self.answered += 1
        self.minutes.append(minutes)
        self.within_target += minutes <= target
        self.within_reference += minutes <= reference

    def summary(self, with_rate: bool = True, ordered: list[float] | None = None) -> dict:
        values = ordered if ordered is not None else sorted(self.minutes)
        out = {
            "conversations": self.conversations,
            "answered": self.answered,
            "never_answered": self.conversations - self.answered,
            "reply_rate": _share(self.answered, self.conversations),
            "median_minutes": _round(quantile(values, 0.5)),
            "p90_minutes": _round(quantile(values, 0.9)),
            "mean_minutes": _round(sum(values) / len(values)) if values else None,
            "within_target": self.within_target,
            "within_target_share": _share(self.within_target, self.conversations),
            "within_industry_average_share": _share(self.within_reference, self.conversations),
        }
        if not with_rate:
            for key in ("conversations", "never_answered", "reply_rate"):
                out.pop(key)
            out["within_target_share"] = _share(self.within_target, self.answered)
            out["within_industry_average_share"] = _share(self.within_reference, self.answered)
        return out


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def histogram(minutes: list[float], marks: Iterable[float]) -> list[dict]:
    """Counts per bin; the targets and the industry reference are bin edges, so the chart can mark them."""
    from bisect import bisect_right

    edges = sorted(set(HISTOGRAM_EDGES) | {int(m) if float(m).is_integer() else m for m in marks if m and m > 0})
    counts = [0] * len(edges)
    for value in minutes:
        counts[bisect_right(edges, value) - 1 if value >= 0 else 0] += 1
    out = []
    for i, low in enumerate(edges):
        high = edges[i + 1] if i + 1 < len(edges) else None
        out.append({"from_minutes": low, "to_minutes": high, "count": counts[i]})
    return out


# --- linting replies -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Verdict:
    """What the audit keeps of one linted reply: enough to count, nothing to re-render."""

    status: str  # "ok" | "unsupported-language" | "lint-failed"
    language: str | None = None
    checklist: tuple[bool, ...] = ()
    rules: tuple[tuple[str, str, int], ...] = ()  # (name, code, severity) per rule that fired
    counts: tuple[int, int, int] = (0, 0, 0)  # errors, warnings, infos
    detail: str | None = None


SEVERITY_RANK = {"error": 3, "warning": 2, "info": 1}
_WORKER: dict = {}  # set in the parent before the pool forks, so workers inherit the loaded playbook


def _lint_one(text: str, layer: dict, path: str) -> tuple[Verdict, list[tuple]]:
    from replycoach.lint.engine import lint_document
    from replycoach.reply.document import Document

    playbook, selection, names = _WORKER["playbook"], _WORKER["selection"], _WORKER["checklist"]
    try:
        doc = Document.parse(text, playbook.conventions, path, front_matter=False)
        result = lint_document(doc, playbook, [layer], selection)
    except Exception as exc:  # an engine bug must not end an audit of a million replies
        return Verdict("lint-failed", detail=f"{type(exc).__name__}: {exc}"[:200]), []
    if result.error:
        return Verdict("unsupported-language", language=result.language, detail=result.language), []
    quoting = _WORKER["quoting"]
    fired: dict[str, tuple[str, str, int]] = {}
    counts = [0, 0, 0]
    findings = []
    for d in result.diagnostics:
        severity = int(d.severity)
        counts[3 - severity] += 1
        if d.rule not in fired or fired[d.rule][2] < severity:
            fired[d.rule] = (d.rule, d.code, severity)
        # a missing thing is anchored on a sentence that is not itself the problem: don't quote it
        quoted = d.match[:120] if d.rule in quoting else ""
        findings.append((d.rule, d.code, d.severity.label, d.message, quoted))
    findings.sort(key=lambda f: -SEVERITY_RANK[f[2]])
    checklist = tuple(bool(result.checklist.get(n)) for n in names)
    verdict = Verdict("ok", result.language, checklist, tuple(sorted(fired.values())), tuple(counts))
    return verdict, findings


def _lint_batch(batch: list[tuple]) -> list[tuple]:
    return [(key, *_lint_one(text, layer, path)) for key, text, layer, path in batch]


class QualityTally:
    """Reply-quality aggregates: checklist rates, rule hits, worst replies, per author.

    Folding a reply only bumps a counter for its verdict (replies share verdicts: every
    repeat of a canned reply, and many different replies, are judged alike); the rates
    are expanded from those counts once, at the end.
    """

    def __init__(self, checklist_names: list[str], top: int) -> None:
        self.names = checklist_names
        self.top = top
        self.verdicts: list[Verdict] = []
        self.index: dict[Verdict, int] = {}
        self.counts: list[int] = []  # replies per verdict index
        self.by_author: dict[str, Counter[int]] = {}
        self._worst: dict[str, dict] = {}

    def intern(self, verdict: Verdict) -> int:
        idx = self.index.get(verdict)
        if idx is None:
            idx = self.index[verdict] = len(self.verdicts)
            self.verdicts.append(verdict)
            self.counts.append(0)
        return idx

    def fold(self, author: str, idx: int) -> None:
        self.counts[idx] += 1
        per_author = self.by_author.get(author)
        if per_author is None:
            if len(self.by_author) >= MAX_AUTHORS:
                author = "(other authors)"
            per_author = self.by_author.setdefault(author, Counter())
        per_author[idx] += 1

    def offer_worst(self, line: int, conversation: str, author: str, text: str, verdict: Verdict,
                    findings: list[tuple]) -> None:
        """Keep the `top` worst distinct replies: most errors, then warnings, then earliest line."""
        if not any(verdict.counts) or self.top <= 0:
            return
        known = self._worst.get(text)
        if known is not None and known["line"] <= line:
            return
        self._worst[text] = {
            "line": line, "conversation": conversation, "author": author, "text": text,
            "language": verdict.language, "errors": verdict.counts[0], "warnings": verdict.counts[1],
            "infos": verdict.counts[2],
            "findings": [{"rule": r, "code": c, "severity": s, "message": m, "match": x}
                         for r, c, s, m, x in findings],
        }
        if len(self._worst) > self.top * 4:
            keep = self._ranked()[: self.top]
            self._worst = {w["text"]: w for w in keep}

    def _ranked(self) -> list[dict]:
        return sorted(self._worst.values(), key=lambda w: (-w["errors"], -w["warnings"], -w["infos"], w["line"]))

    def author_rows(self) -> dict[str, dict]:
        rows = {}
        for author, counter in self.by_author.items():
            linted = sum(counter.values())
            errors = sum(n for idx, n in counter.items() if self.verdicts[idx].counts[0])
            hits = [0] * len(self.names)
            for idx, n in counter.items():
                for i, hit in enumerate(self.verdicts[idx].checklist):
                    hits[i] += hit * n
            rates = {name: _share(h, linted) for name, h in zip(self.names, hits, strict=True)}
            rows[author] = {"linted": linted, "with_errors_share": _share(errors, linted), "checklist_rates": rates}
        return rows

    def summary(self, labels: dict[str, str]) -> dict:
        names = {3: "error", 2: "warning", 1: "info"}
        linted = with_errors = 0
        checklist = [0] * len(self.names)
        severities = [0, 0, 0]
        languages: Counter[str] = Counter()
        rules: Counter[tuple[str, str]] = Counter()  # (name, code) -> replies it fired on
        rule_severity: dict[str, set[int]] = {}  # a graded rule can fire at several
        for verdict, n in zip(self.verdicts, self.counts, strict=True):
            linted += n
            with_errors += n if verdict.counts[0] else 0
            languages[verdict.language or "?"] += n
            for i, hit in enumerate(verdict.checklist):
                checklist[i] += hit * n
            for i, count in enumerate(verdict.counts):
                severities[i] += count * n
            for name, code, severity in verdict.rules:
                rules[(name, code)] += n
                rule_severity.setdefault(name, set()).add(severity)
        return {
            "linted": linted,
            "languages": dict(sorted(languages.items(), key=lambda kv: (-kv[1], kv[0]))),
            "replies_with_errors": with_errors,
            "replies_with_errors_share": _share(with_errors, linted),
            "findings": dict(zip(("errors", "warnings", "infos"), severities, strict=True)),
            "checklist": [
                {"name": name, "label": labels.get(name, name), "count": count, "rate": _share(count, linted)}
                for name, count in zip(self.names, checklist, strict=True)
            ],
            "rules": [
                {"rule": name, "code": code, "severity": names[max(rule_severity[name])],
                 "severities": [names[v] for v in sorted(rule_severity[name], reverse=True)],
                 "replies": count, "rate": _share(count, linted)}
                for (name, code), count in sorted(rules.items(), key=lambda kv: (-kv[1], kv[0][1]))
            ],
            "worst": self._ranked()[: self.top],
        }


class ReplyLinter:
    """Sends agent replies to the engine, once per distinct (text, context), in batches.

    With `workers > 1` the batches go to a fork-started process pool; at most a few
    batches per worker are in flight, so memory stays bounded however long the input.
    """

    def __init__(self, tally: QualityTally, problems: Problems, workers: int, language: str | None) -> None:
        self.tally = tally
        self.language = language
        self.problems = problems
        self.workers = workers
        self.memo: OrderedDict[tuple, int | Verdict] = OrderedDict()  # verdict index, or a failed Verdict
        self.pending: dict[tuple, tuple[str, list[tuple[int, str, str]]]] = {}
        self.batch: list[tuple] = []
        self.futures: set = set()
        self.pool = None
        self.linted_distinct = 0
        self.memo_hits = 0
        if workers > 1:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            if "fork" not in multiprocessing.get_all_start_methods():  # Windows: lint in-process
                self.workers = 1
                return
            self.pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"))
            self.pool.submit(int).result()  # fork the workers now, before any progress-bar thread runs

    def submit(self, key: tuple, line: int, conversation: str, author: str,
               received: datetime | None, sent: datetime) -> None:
        """`key` is (text, channel, stage, wait in seconds): all the judgement depends on."""
        known = self.memo.get(key)
        if known is not None:
            self.memo_hits += 1
            self._fold(line, author, known)
            return
        waiting = self.pending.get(key)
        if waiting is not None:
            self.memo_hits += 1
            waiting[1].append((line, conversation, author))
            return
        text, channel, stage, _ = key
        layer: dict = {"stage": stage}
        if channel:
            layer["channel"] = channel
        if self.language:
            layer["language"] = self.language
        if received is not None:
            layer["received_at"], layer["sent_at"] = received, sent
        self.pending[key] = (text, [(line, conversation, author)])
        self.batch.append((key, text, layer, f"{conversation}@{line}"))
        if len(self.batch) >= BATCH:
            self._flush()

    def finish(self) -> None:
        self._flush()
        if self.pool is not None:
            from concurrent.futures import wait

            while self.futures:
                done, self.futures = wait(self.futures)
                for future in done:
                    self._collect(future.result())
            self.pool.shutdown()
            self.pool = None

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = None

    def _flush(self) -> None:
        if not self.batch:
            return
        batch, self.batch = self.batch, []
        if self.pool is None:
            self._collect(_lint_batch(batch))
            return
        from concurrent.futures import FIRST_COMPLETED, wait

        self.futures.add(self.pool.submit(_lint_batch, batch))
        while len(self.futures) >= self.workers * 3:
            done, self.futures = wait(self.futures, return_when=FIRST_COMPLETED)
            for future in done:
                self._collect(future.result())

    def _collect(self, results: list[tuple]) -> None:
        for key, verdict, findings in results:
            text, waiting = self.pending.pop(key)
            self.linted_distinct += 1
            known = self.tally.intern(verdict) if verdict.status == "ok" else verdict
            self.memo[key] = known
            if len(self.memo) > MEMO_SIZE:
                self.memo.popitem(last=False)
            if verdict.status == "ok":
                line, conversation, author = min(waiting)
                self.tally.offer_worst(line, conversation, author, text, verdict, findings)
            for line, _, author in waiting:
                self._fold(line, author, known)

    def _fold(self, line: int, author: str, known: int | Verdict) -> None:
        if type(known) is int:
            self.tally.fold(author, known)
        else:
            self.problems.note(known.status, line, known.detail)


# --- the audit -----------------------------------------------------------------------------


@dataclass
class AuditOptions:
    input_format: str = "auto"
    language: str | None = None
    top: int = 5
    jobs: int = 0  # 0: all cores when the input is big enough
    lint: bool = True
    playbooks: tuple[str, ...] = ()
    config: Path | None = None


def default_workers(size: int | None) -> int:
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 1
    if size is not None and size < PARALLEL_MIN_BYTES:
        return 1
    return cores


class Auditor:
    """Folds conversations into the figures; one instance per run."""

    def __init__(self, playbook, selection, options: AuditOptions, workers: int) -> None:
        self.playbook = playbook
        self.options = options
        self.problems = Problems()
        self.targets = dict(playbook.settings.get("first_reply_target_minutes") or {})
        self.reference = playbook.settings.get("industry_average_minutes") or 157
        self.conversations_read = 0
        self.customer_messages = self.agent_messages = 0
        self.overall = Group()
        self.splits: dict[str, dict[str, Group]] = {"visibility": {}, "channel": {}, "day": {}, "author": {}}
        self.author_replies: Counter[str] = Counter()
        self._channels: dict[str, tuple] = {}  # channel -> (visibility, target, lint channel, groups)
        self._days = (self._group("day", "weekday"), self._group("day", "weekend"))
        names = list(playbook.checklist)
        self.quality = QualityTally(names, options.top)
        self.linter: ReplyLinter | None = None
        if options.lint:
            _WORKER.update(playbook=playbook, selection=selection, checklist=names,
                           quoting={r["name"] for r in playbook.rules if kind_of(r).quotes_match})
            for lang in playbook.languages:
                playbook.matchers(lang)  # compile once here, so forked workers inherit them
            self.linter = ReplyLinter(self.quality, self.problems, workers, options.language)

    def _group(self, split: str, key: str) -> Group:
        groups = self.splits[split]
        group = groups.get(key)
        if group is None:
            if split == "author" and len(groups) >= MAX_AUTHORS:
                key = "(other authors)"
                group = groups.get(key)
            if group is None:
                group = groups[key] = Group()
        return group

    def _channel(self, channel: str) -> tuple:
        """What a conversation's channel implies: visibility, first-reply target, lint context, groups."""
        from replycoach.reply.context import CHANNELS, PRIVATE_CHANNELS, PUBLIC_CHANNELS, target_minutes

        if channel in PUBLIC_CHANNELS:
            visibility = "public"
        elif channel in PRIVATE_CHANNELS:
            visibility = "private"
        else:
            visibility = "unknown"
        # an unknown visibility is judged as the common case, a public complaint (as the linter does)
        target = target_minutes(self.targets, channel, "public" if visibility == "unknown" else visibility)
        info = (visibility, target, channel if channel in CHANNELS else None,
                self._group("visibility", visibility), self._group("channel", channel or "(none)"))
        self._channels[channel] = info
        return info

    def add(self, conv: Conversation) -> None:
        self.conversations_read += 1
        messages = conv.messages
        if len(messages) > 1:
            messages.sort(key=_at)
        first_customer = None
        for m in messages:
            if m.role == "customer":
                self.customer_messages += 1
                if first_customer is None:
                    first_customer = m
            else:
                self.agent_messages += 1
        if first_customer is None:
            if messages:
                self.problems.skip("no-customer-message", conv.line)
            return
        channel = conv.channel
        if not channel:
            self.problems.note("missing-channel", conv.line)
        info = self._channels.get(channel) or self._channel(channel)
        visibility, target, lint_channel, visibility_group, channel_group = info
        if visibility == "unknown" and channel:
            self.problems.note("unknown-channel", conv.line, channel)
        waiting_since: datetime | None = None
        first_reply: Message | None = None
        for m in messages:
            if m.role == "customer":
                if waiting_since is None:
                    waiting_since = m.at
                continue
            if m.at < first_customer.at:
                self.problems.skip("agent-before-customer", m.line)
                continue
            if first_reply is None:
                first_reply = m
                stage = "first"
            else:
                stage = "follow-up"
            self.author_replies[m.author] += 1
            if self.linter is not None:
                if m.text and not m.text.isspace():
                    wait = (m.at - waiting_since).total_seconds() if waiting_since is not None else None
                    self.linter.submit((m.text, lint_channel, stage, wait), m.line, conv.id, m.author,
                                       waiting_since, m.at)
                else:
                    self.problems.note("missing-text", m.line)
            waiting_since = None
        minutes = (first_reply.at - first_customer.at).total_seconds() / 60 if first_reply else None
        reference = self.reference
        self.overall.add(minutes, target, reference)
        visibility_group.add(minutes, target, reference)
        channel_group.add(minutes, target, reference)
        self._days[first_customer.local_weekday >= 5].add(minutes, target, reference)
        if first_reply is not None:
            self._group("author", first_reply.author).add(minutes, target, reference)

    def finish(self) -> None:
        if self.linter is not None:
            self.linter.finish()

    def report(self, source_name: str, source_format: str) -> dict:
        settings = {
            "playbook": self.playbook.name,
            "first_reply_target_minutes": self.targets,
            "targets_used": {(k or "(none)"): v[1] for k, v in sorted(self._channels.items())},
            "industry_average_minutes": self.reference,
            "quantiles": "linear interpolation between closest ranks (type 7, as numpy and Excel PERCENTILE.INC)",
            "weekend": "Saturday and Sunday in the time zone of the customer's first message",
            "within_target": "answered within the channel's target, out of all conversations (never answered "
                             "counts as missed)",
        }
        ordered = sorted(self.overall.minutes)  # the one temporary copy: ~32 bytes a conversation
        overall = self.overall.summary(ordered=ordered)
        marks = [info[1] for info in self._channels.values()] + [self.reference]
        overall["histogram"] = histogram(ordered, marks)
        del ordered
        split = {name: {k: g.summary() for k, g in sorted(groups.items(), key=lambda kv: -kv[1].conversations)}
                 for name, groups in self.splits.items() if name != "author"}
        authors = []
        for name, group in sorted(self.splits["author"].items(), key=lambda kv: (-kv[1].answered, kv[0])):
            authors.append({"author": name, "first_replies": group.answered,
                            "replies": self.author_replies.get(name, 0), **group.summary(with_rate=False)})
        for row in authors:
            row.pop("answered", None)
        vis = split["visibility"]
        gap = {
            "public": _gap_side(vis.get("public")),
            "private": _gap_side(vis.get("private")),
        }
        if gap["public"]["median_minutes"] is not None and gap["private"]["median_minutes"] is not None:
            gap["median_difference_minutes"] = round(gap["private"]["median_minutes"]
                                                     - gap["public"]["median_minutes"], 2)
        if gap["public"]["reply_rate"] is not None and gap["private"]["reply_rate"] is not None:
            gap["reply_rate_difference"] = round(gap["public"]["reply_rate"] - gap["private"]["reply_rate"], 4)
        report = {
            "input": {
                "path": source_name, "format": source_format, "conversations": self.conversations_read,
                "timed_conversations": self.overall.conversations,
                "messages": self.customer_messages + self.agent_messages,
                "customer_messages": self.customer_messages, "agent_messages": self.agent_messages,
            },
            "settings": settings,
            "first_reply": overall,
            "loudness_gap": gap,
            "by_visibility": vis,
            "by_channel": split["channel"],
            "by_day": split["day"],
            "by_author": authors,
            **self.problems.to_dict(),
        }
        if self.linter is not None:
            labels = {name: item.get("label", name) for name, item in self.playbook.checklist.items()}
            quality = self.quality.summary(labels)
            quality["agent_replies"] = sum(self.author_replies.values())
            quality["not_linted"] = sum(t["count"] for t in report["notes"]
                                        if t["note"] in ("missing-text", "unsupported-language", "lint-failed"))
            per_author = self.quality.author_rows()
            for row in authors:
                row.update(per_author.get(row["author"], {}))
            report["quality"] = quality
            report["run"] = {"workers": self.linter.workers, "distinct_replies_linted": self.linter.linted_distinct,
                             "repeats_not_relinted": self.linter.memo_hits}
        return report


def _at(message: Message) -> datetime:
    return message.at


def _gap_side(summary: dict | None) -> dict:
    if not summary:
        return {"conversations": 0, "median_minutes": None, "reply_rate": None}
    return {"conversations": summary["conversations"], "median_minutes": summary["median_minutes"],
            "reply_rate": summary["reply_rate"]}


def run_audit(path: str, options: AuditOptions, progress: Callable[[int, int | None], None] | None = None,
              started: Callable[[Source], None] | None = None) -> dict:
    """Audit one file and return every figure as a JSON-able dict.

    `progress(bytes_read, total_bytes)` is called now and then; `started(source)` once the
    input is open and the workers exist (the moment to show a progress bar).
    """
    from replycoach.lint.runner import Linter, LintOptions

    linter_setup = Linter(LintOptions(playbooks=options.playbooks, config=options.config))
    where = Path(path) if path != "-" else None
    config = linter_setup.configs.for_path(where)
    playbook = linter_setup.playbook_for(config)
    selection = linter_setup.selection_for(config)
    if options.language and options.language not in playbook.languages:
        raise UserError(f"language {options.language!r} has no playbook lexicon "
                        f"(available: {', '.join(playbook.languages)})", "--lang")
    source = open_source(path, options.input_format)
    auditor = None
    try:
        workers = options.jobs or default_workers(source.size)
        auditor = Auditor(playbook, selection, options, workers if options.lint else 1)
        if started is not None:
            started(source)
        lines = source.lines
        if progress is not None:
            lines = _reporting(lines, source, progress)
        if source.format == "csv":
            conversations = read_csv(_csv_text(lines, auditor.problems), auditor.problems)
        else:
            conversations = read_jsonl(lines, auditor.problems)
        for conv in conversations:
            auditor.add(conv)
        auditor.finish()
    finally:
        if auditor is not None and auditor.linter is not None:
            auditor.linter.close()
        source.close()
    if auditor.conversations_read == 0:
        skipped = auditor.problems.skips
        if skipped:
            reason, tally = next(iter(skipped.items()))
            raise UserError(f"no conversation could be read; e.g. line {tally.lines[0]}: {SKIPS[reason][1]}"
                            f" (is this a {source.format.upper()} file of conversations?)", source.name)
        raise UserError("no conversations in this file", source.name)
    if progress is not None:
        progress(source.size or source.position(), source.size)
    return auditor.report(source.name, source.format)


def _reporting(lines, source: Source, progress) -> Iterator:
    every = 2000
    for i, item in enumerate(lines):
        if i % every == 0:
            progress(source.position(), source.size)
        yield item


def minutes_to_text(minutes: float | None) -> str:
    """A duration as people say it: 45 min, 2 h 05 min, 3 d 4 h."""
    if minutes is None:
        return "n/a"
    if minutes < 1:
        return f"{minutes * 60:.0f} s"
    if minutes < 100:
        return f"{minutes:.0f} min"
    delta = timedelta(minutes=round(minutes))
    hours, rest = delta.days * 24 + delta.seconds // 3600, delta.seconds // 60 % 60
    if hours < 48:
        return f"{hours} h {rest:02d} min" if rest else f"{hours} h"
    return f"{delta.days} d {delta.seconds // 3600} h" if delta.seconds // 3600 else f"{delta.days} d"


__all__ = ["AuditOptions", "minutes_to_text", "quantile", "read_csv", "read_jsonl", "run_audit"]
