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

import contextlib
import os
from collections.abc import Iterator

from replycoach.core import cache
from replycoach.core.memo import Memo
from replycoach.lint.inputs import Target
from replycoach.lint.results import FileResult, Problem, Skipped
from replycoach.lint.run_level import Linted, judged_across_files

MIN_BATCH = 256  # files; below this one process is faster (measured on the corpus, 2 cores)
CHUNK = 48  # files per task at most: big enough to amortise the round trip
CHUNKS_PER_PROCESS = 4  # at least: a collection file can hold dozens of responses, so balance by count
WARM = 8  # files (or responses) the parent lints before forking: it loads what the workers share

# what forked workers inherit (fork shares the parent's memory: nothing is pickled to them):
# the linter, whether to send sources back, and the parent's per-folder settings; cleared
# when the run ends
_state: dict = {}


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


def lint_all(linter, targets: list[Target], jobs: int = 0,
             sources: dict | None = None) -> Iterator[tuple[Target, list[Linted | Problem]]]:
    """Yield (target, items) for every target, in order; items are what `linter.lint_target` yields.

    A target with a problem yields no items (the caller reports it). `sources` collects what
    was read, as `lint_target` does.
    """
    work = [i for i, target in enumerate(targets) if target.path is not None and not target.problem]
    processes = plan_jobs(len(work), jobs)
    if processes <= 1 or not _can_fork():
        for target in targets:
            yield target, _serial(linter, target, sources)
        return
    done: dict[int, list] = {}
    # keyed by a file's folder as the paths spell it: a folder has one config, so one playbook and selection
    folders = Memo(lambda folder: _folder_settings(linter, folder), limit=10_000)
    _state.update(linter=linter, sources=sources is not None, folders=folders)
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
                team = _Team(processes, [[(i, targets[i]) for i in chunk] for chunk in chunks])
                team.start()  # after `team` is set: a Ctrl-C while forking still stops what started
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

        self.context = multiprocessing.get_context("fork")
        self.size = processes
        self.chunks = chunks
        self.counter = self.context.Value("q", 0)  # the next chunk to take
        self.received: set[int] = set()
        self.readers: list = []
        self.processes: list = []

    def start(self) -> None:
        with interrupts_held():  # no worker is born before it ignores Ctrl-C (in `_serve`)
            for _ in range(self.size):
                reader, writer = self.context.Pipe(duplex=False)
                process = self.context.Process(target=_serve, args=(self.chunks, self.counter, writer), daemon=True)
                self.readers.append(reader)
                self.processes.append(process)
                process.start()
                writer.close()  # the worker holds the other end: its exit ends the pipe

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
        with interrupts_held():  # a second Ctrl-C must not leave workers behind
            stop_processes([p for p in self.processes if p.pid is not None])
            for reader in self.readers:
                reader.close()


def _serve(chunks: list[list], counter, writer) -> None:
    """A worker's life: take chunks until none is left, sending each one's results."""
    ignore_interrupts()
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


def ignore_interrupts() -> None:
    """In a forked worker, first thing: Ctrl-C is the parent's to handle (it stops the workers).

    The parent forks inside `interrupts_held`, so a SIGINT that came meanwhile waits, blocked,
    and is dropped here; a worker never dies of it half-way through a message or a lock.
    """
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


@contextlib.contextmanager
def interrupts_held() -> Iterator[None]:
    """SIGINT waits until the block ends (then raises KeyboardInterrupt as usual): for forking
    workers, which inherit the blocked signal, and for work that must not be cut short (stopping
    the workers, writing a fixed file). Where signals can't be blocked (Windows) it does nothing."""
    import signal

    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def stop_processes(processes: list, grace: float = 1.0) -> None:
    """End worker processes now, without waiting on their work: SIGTERM, then SIGKILL past `grace` s."""
    import time

    for process in processes:
        if process.is_alive():
            process.terminate()
    deadline = time.monotonic() + grace
    for process in processes:
        process.join(max(0.0, deadline - time.monotonic()))
        if process.is_alive():
            process.kill()
            process.join()


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def _serial(linter, target: Target, sources) -> list:
    if target.problem:
        return []
    return list(linter.lint_target(target, sources))


def _work(chunk: list[tuple[int, Target]]) -> list:
    """In a worker: lint a chunk, packing each result small."""
    linter = _state["linter"]
    want_sources = _state["sources"]
    out = []
    for i, target in chunk:
        sources: dict | None = {} if want_sources else None
        items = [_pack(item) for item in linter.lint_target(target, sources)]
        out.append((i, (items, sources.get(target.display) if sources else None)))
    cache.save_all()  # workers end without exit handlers: keep what this chunk compiled or parsed
    return out


def _pack(item: Linted | Problem | Skipped) -> Linted | FileResult | Problem | Skipped:
    """What crosses the pipe for one item: its result alone, unless a run-level rule judges it.

    A FileResult pickles as plain tuples (`FileResult.__reduce__`); a unit that a run-level
    rule (near-duplicate) may judge goes back whole, with its word pairs worked out here.
    """
    if isinstance(item, (Problem, Skipped)):
        return item
    if judged_across_files(item):
        from replycoach.kinds.duplicates import shingles

        item.playbook = None  # the parent has the same playbook; don't pickle it
        item.shingles = shingles(item.doc)  # here, in parallel, rather than in the parent at the end
        return item
    return item.result


def _unpack(linter, target: Target, packed, sources) -> list[Linted | Problem]:
    items, source = packed
    if sources is not None and source is not None:
        sources[target.display] = source
    out: list[Linted | Problem] = []
    for item in items:
        if isinstance(item, (Problem, Skipped)):
            out.append(item)
            continue
        playbook, selection = _settings_for(linter, target.path)
        if isinstance(item, Linted):  # whole, for run-level rules
            item.playbook = playbook
            out.append(item)
        else:
            out.append(Linted(item, playbook, selection))
    return out


def _settings_for(linter, path: str) -> tuple:
    """The playbook and selection of a file's folder, looked up once per folder (resolving
    every path again cost the parent more than unpickling the results)."""
    return _state["folders"][os.path.dirname(path)]  # a string: hashing a Path works out its parts every time


def _folder_settings(linter, folder: str) -> tuple:
    config = linter.configs.for_path(os.path.join(folder, "_"))
    return linter.playbook_for(config), linter.selection_for(config)
