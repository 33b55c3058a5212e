"""Whether a canned-response template parses, remembered between runs.

The `template-syntax` kind asks this of every template with tags or filters. Importing
Jinja and parsing costs ~40 ms + 0.3 ms a template, and a canned-response repository shows
the pre-commit hook the same templates run after run, so the answer is kept in the user
cache by the template's digest (per installed Jinja). The environment is the sandboxed one
drafting renders with, so what parses here renders there.
"""

from __future__ import annotations

import functools


def environment(loader=None):
    from jinja2 import StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    return ImmutableSandboxedEnvironment(
        loader=loader, undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False
    )


@functools.cache
def _parsing_environment():
    """One environment for syntax checks: making one costs more than parsing a short template."""
    return environment()


def syntax_error(source: str) -> tuple[int | None, str] | None:
    """(line, message) when the template does not parse, else None.

    Results are remembered (by the template's digest, per installed Jinja, in the user
    cache): importing Jinja and parsing a template costs ~40 ms + 0.3 ms each, and a
    canned-response repository shows the hook the same templates run after run.
    """
    known = _known_results()
    digest = _digest(source)
    if digest in known:
        found = known[digest]
        return None if found is None else (found[0], found[1])
    from jinja2 import TemplateSyntaxError

    result = None
    try:
        _parsing_environment().parse(source)
    except TemplateSyntaxError as exc:
        result = exc.lineno, exc.message or "template syntax error"
    except (RecursionError, MemoryError):  # Jinja's parser recurses once per nesting level
        result = 1, "nested too deeply to parse (hundreds of levels of brackets or blocks)"
    known[digest] = _new_results[digest] = None if result is None else list(result)
    if len(_new_results) == 1:
        from replycoach.core.cache import save_at_exit

        save_at_exit(save_known_results)
    return result


KNOWN_RESULTS_LIMIT = 20_000
# the results file as read, and what this run added; keyed by the template's digest: its text
# alone decides whether it parses (for one installed Jinja, which names the file)
_known: dict[str, list | None] | None = None
_new_results: dict[str, list | None] = {}


def _digest(source: str) -> str:
    import hashlib

    return hashlib.blake2b(source.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _known_results_path():
    """The file for the installed Jinja (keyed by its package file, so an upgrade starts afresh)."""
    import importlib.util
    import os
    import zlib

    from replycoach.core.cache import cache_dir

    directory = cache_dir()
    spec = importlib.util.find_spec("jinja2")
    if directory is None or spec is None or not spec.origin:
        return None
    try:
        st = os.stat(spec.origin)
    except OSError:
        return None
    key = zlib.crc32(f"{spec.origin}:{st.st_mtime_ns}:{st.st_size}".encode("utf-8", "surrogatepass"))
    return directory / f"template-syntax-{key:08x}.json"


def _read_results() -> dict[str, list | None]:
    path = _known_results_path()
    if path is None:
        return {}
    import json

    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(stored, dict):
        return {}
    return {k: v for k, v in stored.items()
            if v is None or (isinstance(v, list) and len(v) == 2 and isinstance(v[1], str))}


def _known_results() -> dict[str, list | None]:
    global _known
    if _known is None:
        _known = _read_results()
    return _known


def save_known_results() -> None:
    """Add this run's syntax checks to the file (merged with what is there)."""
    path = _known_results_path()
    if path is None or not _new_results:
        return
    import contextlib
    import json

    from replycoach.core.cache import write_atomically

    stored = _read_results()
    if len(stored) + len(_new_results) > KNOWN_RESULTS_LIMIT:
        stored = {}
    stored.update(_new_results)
    _new_results.clear()
    with contextlib.suppress(OSError):  # a read-only cache is no reason to fail a lint
        write_atomically(path, json.dumps(stored, ensure_ascii=False).encode("utf-8"))
