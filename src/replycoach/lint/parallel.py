"""Linting a big batch on every core: forked workers, chunks of paths, results in input order.

Linting one reply takes a fraction of a millisecond, so for a few hundred files starting
worker processes costs more than it saves; past that, the batch is split into chunks that
forked workers lint with the parent's loaded playbooks and configs (fork shares them, no
pickling of playbooks). The parent lints the first chunk itself before forking, which both
warms what the workers inherit (compiled regexes, the word index) and returns the first
results at once. A language the first files didn't need is built by each worker that
meets one (in parallel); building every language here held up every batch, nearly all of
them in one language, by ~40 ms before any worker started. Workers take chunks in turn
(see `_Team`) and send back the findings, not the parsed documents; a unit that a
run-level rule (near-duplicate) may judge comes back whole, because that rule compares
documents across the run. Output order is the input order, whatever finishes first.

`REPLYCOACH_JOBS` (or `LintOptions.jobs`) sets the number of processes; 1 turns this off.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from functools import partial
from pathlib import Path

MIN_BATCH = 256  # files; below this one process is faster (measured on the corpus, 2 cores)
CHUNK = 48  # files per task at most: big enough to amortise the round trip
CHUNKS_PER_PROCESS = 4  # at least: a collection file can hold dozens of responses, so balance by count
WARM = 8  # files (or responses) the parent lints before forking: it loads what the workers share

_state: dict = {}  # what forked workers inherit: the linter and whether to send sources back


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def plan_jobs(batch: int, requested: int = 0) -> int:
    """How many processes lint a batch of `batch` files."""
    env = os.environ.get("REPLYCOACH_JOBS", "").strip()
    if env.isdigit() and int(env) > 0:
        requested = int(env)
    if requested > 0:
        return max(1, min(requested, max(1, batch // CHUNK)))
    if batch < MIN_BATCH:
        return 1
    return max(1, min(cpu_count(), batch // CHUNK))


def lint_all(linter, targets: list, jobs: int = 0, sources: dict | None = None) -> Iterator[tuple]:
    """Yield (target, items) for every target, in order; items are what `linter.lint_path` yields.

    `targets` are `inputs.expand` tuples (display, path, problem, explicit); a target with a
    problem yields no items (the caller reports it). `sources` collects what was read, as
    `lint_path` does.
    """
    work = [i for i, (_, path, problem, _) in enumerate(targets) if path is not None and not problem]
    processes = plan_jobs(len(work), jobs)
    if processes <= 1 or not _can_fork():
        for target in targets:
            yield target, _serial(linter, target, sources)
        return
    done: dict[int, list] = {}
    _state.update(linter=linter, sources=sources is not None)
    pending = set(work)
    owner: set[int] = set()
    team = None
    warmed = 0  # responses linted here so far
    try:
        for index, target in enumerate(targets):
            if team is None and warmed >= WARM and index in pending:
                # fork now: the parent has loaded the playbook, matchers and regexes (warm);
                # a collection file holds many responses, so warming counts responses
                rest = [i for i in work if i >= index]
                size = max(1, min(CHUNK, -(-len(rest) // (processes * CHUNKS_PER_PROCESS))))
                chunks = [rest[i : i + size] for i in range(0, len(rest), size)]
                owner = set(rest)
                import gc

                gc.freeze()  # workers share the parent's objects; a collection would copy their pages
                team = _Team(processes, [[(i, _job(targets[i])) for i in chunk] for chunk in chunks])
            if index in owner:
                while index not in done:
                    done.update(team.next_results())
                yield target, _unpack(linter, target, done.pop(index), sources)
            else:  # the first few responses, stdin, and inputs with a problem: here, in order
                items = _serial(linter, target, sources)
                warmed += len(items)
                yield target, items
    finally:
        _state.clear()
        if team is not None:
            team.close()
            import gc

            gc.unfreeze()


class _Team:
    """Forked workers that take chunks in turn and send each chunk's results back.

    Every worker inherits the list of chunks and a shared counter, takes the next chunk
    from the counter when it is free, and sends the chunk's results down its own pipe.
    Nothing is sent to a worker: with `multiprocessing.Pool`, a thread of the parent
    pickled and wrote every task and another read every result, and the two cost the
    parent ~0.5 s of CPU on 11,390 replies, taken from the workers on a two-core machine.
    A chunk that no worker sends back (a worker was killed, or failed on it) is linted
    here, so the run still reports every file.
    """

    def __init__(self, processes: int, chunks: list[list]) -> None:
        import multiprocessing

        context = multiprocessing.get_context("fork")
        self.chunks = chunks
        self.counter = context.Value("q", 0)  # the next chunk to take
        self.received: set[int] = set()
        self.readers = []
        self.processes = []
        for _ in range(processes):
            reader, writer = context.Pipe(duplex=False)
            process = context.Process(target=_serve, args=(chunks, self.counter, writer), daemon=True)
            process.start()
            writer.close()  # the worker holds the other end: its exit ends the pipe
            self.readers.append(reader)
            self.processes.append(process)

    def next_results(self) -> list:
        """[(index, packed)] of the next chunk a worker finishes (or of a lost one, linted here)."""
        from multiprocessing.connection import wait

        while self.readers:
            for reader in wait(self.readers):
                try:
                    k, packed = reader.recv()
                except (EOFError, OSError):  # that worker is done (or gone)
                    self.readers.remove(reader)
                    continue
                self.received.add(k)
                if packed is not None:
                    return packed
                return _work(self.chunks[k])  # it failed on this chunk: here the error shows as in a serial run
        lost = next((k for k in range(len(self.chunks)) if k not in self.received), None)
        if lost is None:
            raise RuntimeError("every chunk was received, yet a result is still awaited")
        self.received.add(lost)
        return _work(self.chunks[lost])

    def close(self) -> None:
        for process in self.processes:
            if process.is_alive():
                process.terminate()
            process.join()
        for reader in self.readers:
            reader.close()


def _serve(chunks: list[list], counter, writer) -> None:
    """A worker's life: take chunks until none is left, sending each one's results."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle (it stops the workers)
    while True:
        with counter.get_lock():
            k = counter.value
            counter.value = k + 1
        if k >= len(chunks):
            break
        try:
            packed = _work(chunks[k])
        except Exception:  # the parent lints this chunk again, and reports what goes wrong there
            packed = None
        try:
            writer.send((k, packed))
        except OSError:  # the parent has stopped reading (its output was closed): stop quietly
            return
        except Exception:  # results that won't pickle (nothing was written): the parent lints the chunk
            writer.send((k, None))
    writer.close()


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def _serial(linter, target, sources) -> list:
    display, path, problem, explicit = target
    if problem:
        return []
    return list(linter.lint_path(display, path, explicit, sources))


def _job(target) -> tuple:
    display, path, _, explicit = target
    return display, str(path), explicit


def _work(chunk: list) -> list:
    """In a worker: lint a chunk, packing each result small."""
    linter = _state["linter"]
    want_sources = _state["sources"]
    out = []
    for i, (display, path, explicit) in chunk:
        sources: dict | None = {} if want_sources else None
        items = [_pack(item) for item in linter.lint_path(display, path, explicit, sources)]  # a str: no Path to build
        out.append((i, (items, sources.get(display) if sources else None)))
    _save_caches()
    return out


def _save_caches() -> None:
    """Workers end without running atexit handlers: keep what this chunk compiled or parsed."""
    import sys

    from replycoach.core import regexcache

    regexcache.save()
    templating = sys.modules.get("replycoach.draft.sandbox")
    if templating is not None:
        templating.save_known_results()


def _pack(item):
    if not hasattr(item, "result"):  # a Problem: small already
        return item
    from replycoach.lint.runner import may_be_judged_across_files

    if may_be_judged_across_files(item):
        from replycoach.lint.duplicates import shingles

        item.playbook = None  # the parent has the same playbook; don't pickle it
        item.shingles = shingles(item.doc)  # here, in parallel, rather than in the parent at the end
        return item
    # plain tuples: pickle writes and reads them in C, where a FileResult and its Diagnostic
    # NamedTuples each went through Python (~34 -> ~12 us a result, both ends together)
    result = item.result
    return (result.path, result.language, result.context, result.checklist, list(map(tuple, result.diagnostics)),
            result.error)


def _result_of(packed: tuple):
    """The FileResult `_pack` sent as tuples; its Diagnostics made by `tuple.__new__`, which is
    what `Diagnostic._make` calls, without `_make`'s Python frame per finding."""
    from replycoach.core.diagnostic import Diagnostic
    from replycoach.lint.engine import FileResult

    path, language, context, checklist, diagnostics, error = packed
    return FileResult(path, language, context, checklist, list(map(partial(tuple.__new__, Diagnostic), diagnostics)),
                      error)


def _unpack(linter, target, packed, sources) -> list:
    items, source = packed
    display, path, _, _ = target
    if sources is not None and source is not None:
        sources[display] = source
    out = []
    for item in items:
        if hasattr(item, "where"):  # Problem
            out.append(item)
            continue
        playbook, selection = _settings_for(linter, path)
        if hasattr(item, "result"):  # a whole Linted, for run-level rules
            item.playbook = playbook
            out.append(item)
        else:
            out.append(_Linted(_result_of(item), playbook, selection))
    return out


def _settings_for(linter, path: Path) -> tuple:
    """The playbook and selection of a file's folder, looked up once per folder (resolving
    every path again cost the parent more than unpickling the results)."""
    memo = _state.setdefault("folders", {})
    folder = os.path.dirname(path)  # a string: hashing a Path works out its parts every time
    found = memo.get(folder)
    if found is None:
        config = linter.configs.for_path(path)
        found = memo[folder] = (linter.playbook_for(config), linter.selection_for(config))
    return found


class _Linted:
    """What the runner reads of a unit no run-level rule can judge: its result."""

    __slots__ = ("playbook", "result", "selection")
    unit = doc = index = None

    def __init__(self, result, playbook, selection) -> None:
        self.result = result
        self.playbook = playbook
        self.selection = selection
