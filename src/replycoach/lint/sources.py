"""Reading a reply from disk or stdin safely, and the unit of linting it becomes.

A unit is one reply: a plain file is one unit, a collection (YAML/JSON list of canned
responses) is one unit per response. What is not a reply (binary, huge, not UTF-8, empty)
is refused here with one clear line, and the rest of the run goes on.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

from replycoach.core.errors import UserError


class SourceText:
    """A file's text plus how to write it back unchanged (for --fix)."""

    __slots__ = ("path", "text", "encoding", "newline", "bom")

    def __init__(self, path: str, text: str, encoding: str = "utf-8", newline: str = "\n", bom: bool = False) -> None:
        self.path, self.text, self.encoding, self.newline, self.bom = path, text, encoding, newline, bom


class Unit:
    """One reply to lint: a whole file, or one response of a collection."""

    __slots__ = ("path", "text", "context", "line_offset", "front_matter", "label", "span_map")

    def __init__(self, path: str, text: str, context: dict | None = None, line_offset: int = 0,
                 front_matter: bool = True, label: str = "", span_map: object | None = None) -> None:
        self.path = path
        self.text = text
        self.context = context if context is not None else {}
        self.line_offset = line_offset
        self.front_matter = front_matter
        self.label = label  # e.g. the response id inside a collection
        self.span_map = span_map  # canned.SpanMap: text offsets -> file offsets (collections)


def read_source(path: Path | str | None, display: str, max_bytes: int) -> SourceText:
    """Read a reply as text, refusing what is not a reply: binary, huge, not UTF-8, empty."""
    try:
        if path is None:
            raw = sys.stdin.buffer.read(max_bytes + 1)
        else:  # os.open/os.read, not open(): a buffered file object costs as much as the read itself
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
            try:
                status = os.fstat(fd)
                if status.st_size > max_bytes:
                    raise UserError(
                        f"file is {status.st_size / 1e6:.1f} MB, over the {max_bytes / 1e6:.1f} MB limit for a reply "
                        "(raise max_file_bytes in the config if this is intended)", display)
                raw = _read_up_to(fd, max_bytes + 1, status)
            finally:
                os.close(fd)
    except OSError as exc:
        raise UserError(f"cannot read: {exc.strerror or exc}", display) from None
    if len(raw) > max_bytes:
        raise UserError(f"input is over the {max_bytes / 1e6:.1f} MB limit for a reply", display)
    encoding, bom = "utf-8", False
    if raw.startswith(b"\xef\xbb\xbf"):
        raw, bom = raw[3:], True
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    if encoding == "utf-8" and b"\x00" in raw[:8192]:
        raise UserError("binary file, not a text reply", display)
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise UserError(
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}); save the file as UTF-8",
            display) from None
    if not text.strip():
        raise UserError("empty file: nothing to lint", display)
    newline = "\r\n" if "\r\n" in text else "\n"
    if newline == "\r\n":
        text = text.replace("\r\n", "\n")
    return SourceText(display, text, encoding, newline, bom)


def _read_up_to(fd: int, limit: int, status: os.stat_result) -> bytes:
    """At most `limit` bytes of an open file; a size of 0 may be a device or /proc file, so
    the size only says how much to ask for first, and reading goes on to the end."""
    regular = stat.S_ISREG(status.st_mode)
    want = min(limit, status.st_size + 1) if status.st_size else min(limit, 1 << 16)
    parts: list[bytes] = []
    total = 0
    while total < limit:
        chunk = os.read(fd, min(want, limit - total))
        if not chunk:
            break
        parts.append(chunk)
        total += len(chunk)
        if regular and len(chunk) < want:
            break  # a short read of a regular file is its end
        want = 1 << 20
    return parts[0] if len(parts) == 1 else b"".join(parts)


def read_message(source: str, max_bytes: int = 1_000_000) -> str:
    """The customer's message a reply answers (`--in-reply-to FILE`, `-` for stdin): a file's
    text without its front matter, refused like a reply when it is not text."""
    from replycoach.reply.document import FRONT_MATTER

    text = read_source(None if source == "-" else source, source if source != "-" else "<stdin>", max_bytes).text
    match = FRONT_MATTER.match(text.lstrip("\ufeff"))
    return text.lstrip("\ufeff")[match.end():] if match else text
