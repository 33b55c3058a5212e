"""`--diff-base REF`: report only the findings on lines changed since a git ref.

What Vale users script by hand in CI (vale-action PR #23): on a pull request, the findings a
reviewer can act on are those on the lines it changes. A finding about the whole reply (a
missing apology, no fix: anchored on its first sentence, not on the words at fault) is kept
when any line of its file changed, since any edit changes the reply it judges. Files git
does not track yet count as changed throughout; an input that is not a file in the
repository (standard input) keeps all its findings.
"""

from __future__ import annotations

import os
import re
import subprocess

from replycoach.core.diagnostic import Diagnostic
from replycoach.core.errors import UserError

HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@", re.M)
EVERY_LINE = None  # a file changed throughout (new, or untracked)


class ChangedLines:
    """The lines of each file that differ from `base` in the working tree."""

    def __init__(self, base: str, cwd: str | None = None) -> None:
        self.base = base
        self.root = _git(["rev-parse", "--show-toplevel"], cwd, "needs a git repository (run it inside one)").strip()
        _git(["rev-parse", "--verify", "--quiet", f"{base}^{{commit}}"], cwd,
             f"{base!r} is not a commit in this repository")
        self.files: dict[str, set[int] | None] = {}
        diff = _git(["diff", "--no-color", "--no-ext-diff", "--unified=0", base, "--"], self.root, "git diff failed")
        for chunk in re.split(r"^diff --git ", diff, flags=re.M)[1:]:
            target = re.search(r"^\+\+\+ (?:b/(.*)|/dev/null)$", chunk, re.M)
            if target is None or target.group(1) is None:
                continue  # deleted: nothing left to lint
            path = os.path.realpath(os.path.join(self.root, _unquoted(target.group(1))))
            if re.search(r"^new file mode", chunk, re.M):
                self.files[path] = EVERY_LINE
                continue
            lines = self.files.setdefault(path, set())
            for m in HUNK.finditer(chunk):
                start, count = int(m.group(1)), int(m.group(2) if m.group(2) is not None else 1)
                # a pure deletion (count 0) changes the text between line `start` and the next
                lines.update(range(start, start + count) if count else (start, start + 1))
        untracked = _git(["ls-files", "--others", "--exclude-standard", "-z"], self.root, "git ls-files failed")
        for name in filter(None, untracked.split("\0")):
            self.files[os.path.realpath(os.path.join(self.root, name))] = EVERY_LINE

    def kept(self, path: str, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
        """The findings in `path` (a collection entry's `file#id` too) that are on changed lines;
        the file is looked up once, not once per finding."""
        file = path.split("#", 1)[0]
        if not os.path.isfile(file):
            return diagnostics  # standard input, or something git cannot know
        real = os.path.realpath(file)
        if real not in self.files:
            return []  # unchanged since the base
        changed = self.files[real]
        if changed is EVERY_LINE:
            return diagnostics
        return [d for d in diagnostics if _about_the_whole_reply(d)
                or any(line in changed for line in range(d.line, d.end_line + 1))]


def _about_the_whole_reply(diagnostic: Diagnostic) -> bool:
    return any(key == "looked_for" for key, _ in diagnostic.evidence)


def _unquoted(name: str) -> str:
    """A path as git prints it with core.quotePath off: C-quoted only when it holds a quote,
    a backslash or a control character."""
    if name.startswith('"') and name.endswith('"'):
        raw = name[1:-1].encode("utf-8", "surrogateescape").decode("unicode_escape")
        return raw.encode("latin-1", "surrogateescape").decode("utf-8", "replace")
    return name


def _git(args: list[str], cwd: str | None, failure: str) -> str:
    try:
        done = subprocess.run(["git", "-c", "core.quotePath=false", *args], cwd=cwd, capture_output=True,
                              text=True, encoding="utf-8", errors="surrogateescape", timeout=120)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise UserError(f"{failure}: {exc}", "--diff-base") from None
    if done.returncode != 0:
        raise UserError(failure, "--diff-base")
    return done.stdout
