"""`--fix` and `--diff`: apply the playbook's pure substitutions to the linted files.

A finding is fixable when its rule gives a plain replacement (corporate phrasing with a
plain-words equivalent). Nothing here decides what to replace: it only applies what the
diagnostics carry, and only where that is certainly safe:

- the file still holds exactly the text that was linted (else it is left alone);
- inside a YAML/JSON collection, the matched text stands in the file verbatim and the
  replacement can be written in that scalar's quoting style; afterwards the collection is
  parsed again and every response must read exactly as intended, or the file is skipped;
- the file is written atomically (a temporary file in the same folder, then `os.replace`),
  with its encoding, byte-order mark, line endings and permissions kept;
- a file with nothing to fix is never touched, and a read-only file is reported, not
  made writable.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from replycoach.core.errors import UserError
from replycoach.lint.inputs import COLLECTION_SUFFIXES
from replycoach.lint.sources import SourceText

STDIN = "<stdin>"
FOLD = re.compile(r"[ \t]*\n[ \t]*")


@dataclass(frozen=True)
class Edit:
    start: int  # offsets into the file's text (line endings normalised to \n)
    end: int
    text: str  # as written into the file (escaped for a collection's scalar)
    rule: str
    line: int


@dataclass
class FilePlan:
    path: str
    source: SourceText
    edits: list[Edit]
    new_text: str


@dataclass
class FixOutcome:
    diff: str = ""
    messages: list[str] = field(default_factory=list)
    fixed: int = 0
    files: int = 0


def plan_fixes(run) -> tuple[list[FilePlan], list[str]]:
    """What --fix would write, per file, and notes on findings it leaves alone."""
    by_path: dict[str, list] = {}
    for result in run.results:
        for d in result.diagnostics:
            if d.replacement is not None:
                by_path.setdefault(d.path, []).append(d)
    plans, notes = [], []
    for path, diagnostics in by_path.items():
        source = run.sources.get(path)
        if source is None:
            notes.append(f"{path}: not fixed (the text that was linted is not at hand)")
            continue
        plan = _plan_file(source, diagnostics, notes)
        if plan is not None:
            plans.append(plan)
    return plans, notes


def _plan_file(source: SourceText, diagnostics: list, notes: list[str]) -> FilePlan | None:
    text = source.text
    collection = source.path.lower().endswith(COLLECTION_SUFFIXES)
    units, maps = [], []
    if collection:
        from replycoach.lint.canned import read_collection

        units = read_collection(source)
        maps = [u.span_map for u in units]
    edits: list[Edit] = []
    for d in sorted(diagnostics, key=lambda d: (d.start, d.end)):
        where = f"{source.path}:{d.line}:{d.column}: {d.rule}"
        written = text[d.start : d.end][: len(d.match)]
        # in a collection a phrase may be folded over two lines; the read-back check below
        # makes sure rewriting it on one line means the same
        folded = collection and FOLD.sub(" ", text[d.start : d.end]) == d.match
        if not d.match or (written != d.match and not folded):
            notes.append(f"{where}: not fixed (the file writes these words differently: escaped or split)")
            continue
        start, end, replacement = _with_case_and_spacing(text, d.start, d.end, d.replacement)
        if collection:
            span_map = next((m for m in maps if m and m.value_start <= start < m.value_end), None)
            located = span_map.to_text(start, end) if span_map else None
            encoded = span_map.encode(replacement) if span_map else None
            if located is None or encoded is None:
                notes.append(f"{where}: not fixed (cannot be rewritten safely inside this "
                             f"{'JSON string' if source.path.lower().endswith('.json') else 'YAML value'})")
                continue
            replacement = encoded
        if edits and start < edits[-1].end:
            notes.append(f"{where}: not fixed in this pass (overlaps another fix; run --fix again)")
            continue
        edits.append(Edit(start, end, replacement, d.rule, d.line))
    if not edits:
        return None
    new_text = apply_edits(text, edits)
    if collection and not _collection_reads_as_intended(units, new_text, edits):
        notes.append(f"{source.path}: not fixed (the collection would not read back as intended)")
        return None
    return FilePlan(source.path, source, edits, new_text)


def _with_case_and_spacing(text: str, start: int, end: int, replacement: str) -> tuple[int, int, str]:
    """Keep a sentence-initial capital, and don't leave a double space behind a deletion."""
    capital = text[start : start + 1].isupper()
    if replacement:
        if capital and replacement[0].islower():
            replacement = replacement[0].upper() + replacement[1:]
        return start, end, replacement
    after = end
    while after < len(text) and text[after] in " \t":
        after += 1
    if after > end:
        end = after
        if capital and after < len(text) and text[after].islower():
            return start, end + 1, text[after].upper()  # "Please note that the box" -> "The box"
        return start, end, ""
    before = start
    while before > 0 and text[before - 1] in " \t":
        before -= 1
    return before, end, ""


def apply_edits(text: str, edits: list[Edit]) -> str:
    parts, last = [], 0
    for edit in edits:
        parts.append(text[last : edit.start])
        parts.append(edit.text)
        last = edit.end
    parts.append(text[last:])
    return "".join(parts)


def _collection_reads_as_intended(units: list, new_text: str, edits: list[Edit]) -> bool:
    """Parse the fixed collection again: each response must be its old text with the edits."""
    from replycoach.lint.canned import read_collection

    try:
        fixed = read_collection(SourceText(units[0].path, new_text))
    except UserError:
        return False
    if [u.label for u in fixed] != [u.label for u in units]:
        return False
    for unit, new_unit in zip(units, fixed, strict=True):
        span_map, expected = unit.span_map, unit.text
        mine = [e for e in edits if span_map and span_map.value_start <= e.start < span_map.value_end]
        for edit in reversed(mine):
            i, j = span_map.to_text(edit.start, edit.end)
            decoded = read_decoded(edit, span_map)
            expected = expected[:i] + decoded + expected[j:]
        if new_unit.text != expected:
            return False
    return True


def read_decoded(edit: Edit, span_map) -> str:
    """The replacement as the response will read it (undoing the scalar's escaping)."""
    if span_map.style in ("json", '"'):
        import json

        return json.loads(f'"{edit.text}"')
    if span_map.style == "'":
        return edit.text.replace("''", "'")
    return edit.text


def unified_diff(plans: list[FilePlan]) -> str:
    import difflib

    chunks = []
    for plan in plans:
        name = Path(plan.path).as_posix()
        chunks.extend(difflib.unified_diff(
            plan.source.text.splitlines(keepends=True), plan.new_text.splitlines(keepends=True),
            fromfile=f"a/{name}", tofile=f"b/{name}"))
    text = "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
                   for line in chunks)
    return text


# --- writing ------------------------------------------------------------------------------

_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def write_plan(plan: FilePlan) -> None:
    """Write one file's fixes atomically, keeping its bytes' conventions. UserError if not."""
    import stat

    path = Path(os.path.realpath(plan.path))
    try:
        info = path.stat()
        raw = path.read_bytes()
    except OSError as exc:
        raise UserError(f"cannot read for --fix: {exc.strerror or exc}", plan.path) from None
    if not os.access(path, os.W_OK) or not info.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        raise UserError("read-only file: not fixed (make it writable to let --fix change it)", plan.path)
    bom, codec = next(((b, c) for b, c in _BOMS if raw.startswith(b)), (b"", "utf-8"))
    try:
        decoded = raw[len(bom) :].decode(codec)
    except UnicodeDecodeError:
        decoded = None
    if decoded is None or decoded.replace("\r\n", "\n") != plan.source.text:
        raise UserError("changed since it was linted: not fixed (run again)", plan.path)
    endings = re.findall(r"\r\n|\n", decoded)
    lines = plan.new_text.split("\n")
    if len(lines) == len(endings) + 1:  # each line keeps its own ending, even in a mixed file
        restored = "".join(line + ending for line, ending in zip(lines, [*endings, ""], strict=True))
    elif len(set(endings)) == 1:  # a phrase folded over two lines became one: one ending style
        restored = plan.new_text.replace("\n", endings[0])
    else:
        raise UserError("a fix would join lines of a file with mixed line endings: not fixed", plan.path)
    from replycoach.lint.parallel import interrupts_held

    # Ctrl-C waits for this file to be written whole (or not at all): it then stops the run
    # between two files, and never between making the temporary file and removing it
    with interrupts_held():
        _replace(path, bom + restored.encode(codec), info, plan.path)


def _replace(path: Path, data: bytes, info: os.stat_result, where: str) -> None:
    """Write `data` to a temporary file beside `path`, then move it over `path`. The temporary
    file is removed on every way out but success (an error, a KeyboardInterrupt)."""
    import stat
    import tempfile

    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".replycoach-fix")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, stat.S_IMODE(info.st_mode))
        if hasattr(os, "chown"):
            with contextlib.suppress(OSError):  # not ours to give away; the mode is kept anyway
                os.chown(tmp, info.st_uid, info.st_gid)
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:  # a read-only folder, a full disk, an immutable file ...
        raise UserError(f"cannot write: {exc.strerror or exc}", where) from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def fix_run(run, relint: Callable[[], object], write: bool) -> tuple[object, FixOutcome]:
    """Plan the fixes of a lint run; with `write`, apply them and lint again.

    Returns the run to report (the fresh one after writing) and what happened.
    """
    from replycoach.lint.results import Problem

    plans, notes = plan_fixes(run)
    outcome = FixOutcome(messages=list(notes))
    if not write:
        outcome.diff = unified_diff(plans)
        count = sum(len(p.edits) for p in plans)
        outcome.messages.append(f"--diff: {count} fix{'es' if count != 1 else ''} in {len(plans)} "
                                f"file{'s' if len(plans) != 1 else ''} (nothing written)")
        return run, outcome
    failed = []
    for plan in plans:
        if plan.path == STDIN:
            outcome.messages.append(f"{STDIN}: not fixed (use --diff to see the fixes for standard input)")
            continue
        try:
            write_plan(plan)
        except UserError as exc:
            failed.append(Problem(exc.where or plan.path, exc.message))
            continue
        outcome.fixed += len(plan.edits)
        outcome.files += 1
    summary = (f"fixed {outcome.fixed} finding{'s' if outcome.fixed != 1 else ''} in "
               f"{outcome.files} file{'s' if outcome.files != 1 else ''}")
    if failed:  # each is reported on its own line with the run's problems
        summary += f"; {len(failed)} file{'s' if len(failed) != 1 else ''} could not be written"
    outcome.messages.append(summary)
    fresh = relint() if outcome.files else run
    fresh.problems.extend(failed)
    return fresh, outcome
