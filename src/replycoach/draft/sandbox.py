"""Jinja, sandboxed: templates come from users and canned-response repositories.

`SandboxedEnvironment` refuses attribute access to Python internals, `StrictUndefined`
turns a missing variable into an error instead of an empty string in a sent reply, and
the environment has no loader that could read arbitrary files.

Drafting renders whole templates, some of them the user's (`--templates DIR`), so it gets
more: a loader that reads only inside its template folders (no absolute paths, no `..`, no
symlink that points out), and render-time limits. The sandbox alone lets a template loop
forever, build a gigabyte string with `'x' * 10**9`, or recurse without end; here a render
has a time budget, an output budget, small ranges and capped numeric arguments, and every
way it can fail comes back as one `TemplateProblem` naming the file and line.
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

MAX_OUTPUT = 20_000  # characters a rendered reply may have; a reply is a few hundred
MAX_RANGE = 1_000  # items in range(); reply templates loop over a handful of things
MAX_NUMBER = 100_000  # numeric argument to a call or filter (widths, repeats, counts)
MAX_TEMPLATE_BYTES = 256_000
TIMEOUT = 2.0  # seconds; rendering a built-in template takes a few milliseconds
_HUGE_FORMAT = re.compile(r"%[-+ #0]*\d{6,}|\{[^{}]*:[^{}]*\d{6,}[^{}]*\}")


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

    return _ENVIRONMENTS[(tuple(Path(f) for f in folders), str(cache_dir()))]


def _limited_environment(key: tuple[tuple[Path, ...], str]):
    folders, _ = key
    from jinja2 import ChoiceLoader, StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class LimitedSandbox(ImmutableSandboxedEnvironment):
        intercepted_binops = frozenset({"*", "**", "%"})

        def call_binop(self, context, operator, left, right):
            _check_binop(operator, left, right)
            return super().call_binop(context, operator, left, right)

        def call(__self, __context, __obj, *args, **kwargs):
            _check_arguments(args, kwargs)
            bound_to = getattr(__obj, "__self__", None)
            if isinstance(bound_to, str) and _HUGE_FORMAT.search(bound_to):
                raise _security("a format width over 99999 characters")
            return super().call(__context, __obj, *args, **kwargs)

    env = LimitedSandbox(
        loader=ChoiceLoader([folder_loader(folder) for folder in folders]),
        bytecode_cache=_bytecode_cache(),
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        auto_reload=False,
    )
    env.globals["range"] = _small_range
    env.filters = {name: _capped(f) for name, f in env.filters.items()}
    return env


# keyed by (template folders, cache folder): an environment reads only those folders and that cache
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

    return QuietCache(str(folder), "%s.jinja")


def _security(what: str):
    from jinja2.exceptions import SecurityError

    return SecurityError(f"{what} is not allowed in a reply template")


def _small_range(*args):
    _check_arguments(args, {})
    values = range(*args)
    if len(values) > MAX_RANGE:
        raise _security(f"range() of more than {MAX_RANGE} items")
    return values


def _check_arguments(args, kwargs) -> None:
    for value in (*args, *kwargs.values()):
        if isinstance(value, int | float) and not isinstance(value, bool) and abs(value) > MAX_NUMBER:
            raise _security(f"a number larger than {MAX_NUMBER} as an argument")
        if isinstance(value, str) and _HUGE_FORMAT.search(value):
            raise _security("a format width over 99999 characters")


def _check_binop(operator: str, left, right) -> None:
    if operator == "*":
        for seq, times in ((left, right), (right, left)):
            if isinstance(seq, str | list | tuple) and isinstance(times, int) and len(seq) * times > MAX_OUTPUT:
                raise _security(f"repeating text past {MAX_OUTPUT} characters")
    elif operator == "**":
        if isinstance(right, int | float) and abs(right) > 64:
            raise _security("a power above 64")
    elif operator == "%" and isinstance(left, str) and _HUGE_FORMAT.search(left):
        raise _security("a format width over 99999 characters")


def _capped(filter_function):
    """Wrap a filter so numeric arguments are capped (`center(10**9)` would eat the memory)."""

    @functools.wraps(filter_function)  # keeps Jinja's pass_context/pass_environment marks
    def wrapper(*args, **kwargs):
        _check_arguments(args[1:], kwargs)
        if args and isinstance(args[0], str) and _HUGE_FORMAT.search(args[0]):  # "%0999999999d"|format(1)
            raise _security("a format width over 99999 characters")
        return filter_function(*args, **kwargs)

    return wrapper


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
