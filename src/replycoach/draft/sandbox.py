"""Jinja, sandboxed: templates come from users and canned-response repositories.

`SandboxedEnvironment` refuses attribute access to Python internals, `StrictUndefined`
turns a missing variable into an error instead of an empty string in a sent reply, and
the environment has no loader that could read arbitrary files.

Drafting renders whole templates, some of them the user's (`--templates DIR`), so it gets
more: a loader that reads only inside its template folders (no absolute paths, no `..`, no
symlink that points out), and render-time limits. The sandbox alone lets a template loop
forever, build a gigabyte string with `'x' * 10**9` or `"{0:3000000000}".format(1)`, or
recurse without end; here a render has a time budget, an output budget, and the size limits
of `draft.limits` (no value over 100,000 characters, small format widths and ranges, capped
numeric arguments), checked before the call that would take the memory, and every way it
can fail comes back as one `TemplateProblem` naming the file and line.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import sys
import threading
import time
from pathlib import Path

from replycoach.core.memo import Memo
from replycoach.draft import limits
from replycoach.draft.limits import security as _security

MAX_OUTPUT = 20_000  # characters a rendered reply may have; a reply is a few hundred
MAX_TEMPLATE_BYTES = 256_000
TIMEOUT = 2.0  # seconds; rendering a built-in template takes a few milliseconds
CODE_VERSION = 2  # of the code templates compile to (draft.limits); older cached bytecode is not used


class TemplateProblem(Exception):
    """A template that cannot be rendered safely: `where` is file[:line], `message` says why."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}")
        self.where = where
        self.message = message


class _Timeout(BaseException):
    """Raised inside a render that ran out of time (BaseException: templates can't catch it)."""


def limited_environment(folders: list[Path]):
    """A sandboxed environment for whole-reply templates read from `folders`, first wins.

    One per set of folders and process: Jinja keeps the templates it compiled, and
    compiling is most of the cost of a draft (a draft may render twice to fit a tweet).
    """
    from replycoach.core.cache import cache_dir

    where = tuple((Path(f), Path(f).absolute()) for f in folders)  # a relative folder means another one elsewhere
    return _ENVIRONMENTS[(where, str(cache_dir()))]


def _limited_environment(key: tuple[tuple[tuple[Path, Path], ...], str]):
    folders = [given for given, _ in key[0]]
    from jinja2 import ChoiceLoader, StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class LimitedSandbox(ImmutableSandboxedEnvironment):
        """Every value a template makes is size-checked before it can take memory (see draft.limits)."""

        intercepted_binops = frozenset({"*", "**", "%", "+"})
        code_generator_class = limits.code_generator()  # literals and `~` checked too
        concat = staticmethod(limits.sized_concat)  # the output of blocks and macros
        sized = staticmethod(limits.checked)
        sized_join = staticmethod(limits.sized_join)

        def call_binop(self, context, operator, left, right):
            limits.check_binop(operator, left, right)
            return limits.checked(super().call_binop(context, operator, left, right))

        def call(__self, __context, __obj, *args, **kwargs):
            limits.check_arguments(args, kwargs)
            args = limits.before_call(__obj, args, kwargs)
            return limits.checked(super().call(__context, __obj, *args, **kwargs))

        def wrap_str_format(self, value):
            return limits.capped_str_format(self, value)

    env = LimitedSandbox(
        loader=ChoiceLoader([folder_loader(folder) for folder in folders]),
        bytecode_cache=_bytecode_cache(),
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        auto_reload=False,
        finalize=limits.bounded,  # every value printed
    )
    env.globals["range"] = limits.small_range
    env.filters = {name: limits.capped_filter(name, f) for name, f in env.filters.items()}
    return env


# keyed by (template folders as given and as absolute paths, cache folder): an environment reads only those
# folders (named in its messages as the user gave them) and that cache
_ENVIRONMENTS = Memo(_limited_environment, limit=16)


def _bytecode_cache():
    """Compiled templates kept between runs: compiling is most of a draft's time.

    Jinja's bytecode is code, so it is only read from a folder that nobody but this user
    can write to (the rule Jinja applies to its own default cache, and ssh to its keys);
    anything else, or REPLYCOACH_NO_CACHE, means compiling every time.
    """
    import stat

    from replycoach.core.cache import cache_dir

    base = cache_dir()
    if base is None or not hasattr(os, "getuid"):
        return None
    folder = base / "templates"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.stat()
    except OSError:
        return None
    if info.st_uid != os.getuid() or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH) or not stat.S_ISDIR(info.st_mode):
        return None
    from jinja2 import FileSystemBytecodeCache

    class QuietCache(FileSystemBytecodeCache):
        """A cache that can't be read or written is no reason to fail a draft."""

        def load_bytecode(self, bucket) -> None:
            try:
                super().load_bytecode(bucket)
            except (OSError, ValueError, EOFError):
                bucket.reset()

        def dump_bytecode(self, bucket) -> None:
            with contextlib.suppress(OSError):
                super().dump_bytecode(bucket)

    return QuietCache(str(folder), f"%s.v{CODE_VERSION}.jinja")


@functools.cache
def _folder_loader_class():
    """Built on first use, so importing this module does not import Jinja."""
    from jinja2 import BaseLoader, TemplateNotFound

    class FolderLoader(BaseLoader):
        """Reads templates from one folder and nothing outside it.

        Names are relative paths inside the folder. An absolute path, a `..`, or a symlink
        whose target lies outside the folder is refused with a SecurityError, so a template
        cannot `{% include "/etc/passwd" %}` its way to a file.
        """

        def __init__(self, folder: Path) -> None:
            self.folder = Path(folder)
            self.real = self.folder.resolve()

        def get_source(self, environment, template: str):
            if template.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", template) or "\0" in template:
                raise _outside(template)
            pieces = [p for p in re.split(r"[/\\]", template) if p not in ("", ".")]
            if any(p == ".." for p in pieces):
                raise _outside(template)
            path = self.folder.joinpath(*pieces)
            try:
                real = path.resolve()
            except (OSError, RuntimeError):
                raise TemplateNotFound(template) from None
            if not real.is_relative_to(self.real):
                raise _outside(template)
            if not real.is_file():
                raise TemplateNotFound(template)
            try:
                if real.stat().st_size > MAX_TEMPLATE_BYTES:
                    raise _security(f"a template file over {MAX_TEMPLATE_BYTES // 1000} kB")
                source = real.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                raise TemplateProblem(str(path), "not UTF-8 text") from None
            except OSError as exc:
                raise TemplateProblem(str(path), f"cannot read: {exc.strerror or exc}") from None
            mtime = real.stat().st_mtime
            return source, str(path), lambda: _unchanged(real, mtime)

        def list_templates(self) -> list[str]:
            return sorted(str(p.relative_to(self.folder)) for p in self.folder.rglob("*") if p.is_file())

    return FolderLoader


def folder_loader(folder: Path):
    return _folder_loader_class()(folder)


def _outside(name: str):
    return _security(f"reading {name!r}, outside the template folder,")


def _unchanged(path: Path, mtime: float) -> bool:
    try:
        return path.stat().st_mtime == mtime
    except OSError:
        return False


def render(env, name: str, variables: dict, *, timeout: float = TIMEOUT, max_output: int = MAX_OUTPUT) -> str:
    """Render template `name`; any failure becomes one TemplateProblem naming file and line."""
    from jinja2 import TemplateNotFound, TemplateSyntaxError, UndefinedError
    from jinja2.exceptions import SecurityError

    template = None
    limits.start_render()
    try:
        template = env.get_template(name)
        with _deadline(timeout):
            chunks, size = [], 0
            for chunk in template.generate(**variables):
                size += len(chunk)
                if size > max_output:
                    raise TemplateProblem(_where(template, None), f"the output passed {max_output} characters; "
                                          "a reply template must not produce that much (a runaway loop?)")
                chunks.append(chunk)
        return "".join(chunks)
    except TemplateProblem:
        raise
    except TemplateSyntaxError as exc:
        where = exc.filename or (template.filename if template else name)
        raise TemplateProblem(f"{where}:{exc.lineno}" if exc.lineno else where,
                              f"does not parse: {exc.message}") from None
    except TemplateNotFound as exc:
        raise TemplateProblem(_where(template, exc) if template else name,
                              f"template {exc.name!r} not found") from None
    except SecurityError as exc:
        raise TemplateProblem(_where(template, exc, name), f"stopped by the sandbox: {exc}") from None
    except UndefinedError as exc:
        raise TemplateProblem(_where(template, exc, name), f"uses an undefined variable: {exc}") from None
    except _Timeout:
        raise TemplateProblem(_where(template, None, name), f"stopped after {timeout:g} s: "
                              "the template takes too long (a loop that never ends?)") from None
    except RecursionError:
        raise TemplateProblem(_where(template, None, name), "stopped: the template recurses without end") from None
    except MemoryError:
        raise TemplateProblem(_where(template, None, name), "stopped: the template ran out of memory") from None
    except OverflowError as exc:
        raise TemplateProblem(_where(template, exc, name), f"stopped by the sandbox: {exc}") from None
    except Exception as exc:  # a template's own runtime error: a user's bug, not ours
        raise TemplateProblem(_where(template, exc, name),
                              f"fails while rendering: {type(exc).__name__}: {exc}") from None


def _where(template, exc, name: str = "") -> str:
    """The template file and, when the traceback shows it, the line that failed."""
    filename = template.filename if template is not None else name
    if exc is not None and exc.__traceback__ is not None:
        import traceback

        files = set()
        if template is not None:
            files.add(template.filename)
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if frame.filename and (frame.filename in files or frame.filename.endswith((".j2", ".jinja", ".jinja2"))):
                return f"{frame.filename}:{frame.lineno}"
    return filename or name


@contextlib.contextmanager
def _deadline(seconds: float):
    """Interrupt the block after `seconds`: SIGALRM in the main thread, a tracer elsewhere."""
    import signal

    if seconds <= 0:
        yield
        return
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
        def on_alarm(signum, frame):
            raise _Timeout()

        previous = signal.signal(signal.SIGALRM, on_alarm)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        return
    end = time.monotonic() + seconds
    counter = [0]

    def tracer(frame, event, arg):
        counter[0] += 1
        if counter[0] % 256 == 0 and time.monotonic() > end:
            raise _Timeout()
        return tracer

    previous_trace = sys.gettrace()
    sys.settrace(tracer)
    try:
        yield
    finally:
        sys.settrace(previous_trace)


def template_folders(user_dir: str | os.PathLike | None, language: str) -> list[Path]:
    """The folders a language's templates come from: the user's first, then the built-in ones."""
    from replycoach.core.resources import builtin_dir

    folders = []
    if user_dir is not None:
        folders.append(Path(user_dir) / language)
    folders.append(builtin_dir("templates") / language)
    return folders
