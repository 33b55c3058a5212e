"""Linting a history's agent replies: once per distinct (text, context), in batches on forked workers.

Each distinct (reply text, channel, stage, wait) is linted once: canned replies repeat a lot
in real histories, and the judgement depends on nothing else. With `workers > 1` the
batches go to a fork-started process pool that inherits the loaded playbook (`_WORKER`).
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import datetime
from typing import NamedTuple

from replycoach.audit.quality import QualityTally, Verdict
from replycoach.conversations.problems import Problems

MEMO_SIZE = 50_000  # distinct lint results remembered
BATCH = 48  # replies per job sent to a worker process
SEVERITY_RANK = {"error": 3, "warning": 2, "info": 1}
_WORKER: dict = {}  # set in the parent before the pool forks, so workers inherit the loaded playbook


def _lint_one(text: str, layer: dict, path: str) -> tuple[Verdict, list[tuple]]:
    from replycoach.lint.engine import lint_document
    from replycoach.reply.document import Document

    playbook, selection, names = _WORKER["playbook"], _WORKER["selection"], _WORKER["checklist"]
    try:
        doc = Document.parse(text, playbook.conventions, path, front_matter=False)
        result = lint_document(doc, playbook, [{}, layer], selection)
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


class ReplyKey(NamedTuple):
    """All a reply's verdict depends on: the same key is linted once a run."""

    text: str
    channel: str | None  # a channel the linter knows, or None
    stage: str  # first | follow-up
    wait_seconds: float | None  # since the customer's message it answers
    message: tuple | None = None  # what the classifier read in that message: (kind, tone, needs_details)


class Job(NamedTuple):
    """One distinct reply sent to be linted (in a worker, or here)."""

    key: ReplyKey
    layer: dict  # its context
    path: str  # what its findings name: conversation@line


def _lint_batch(batch: list[Job]) -> list[tuple]:
    return [(job.key, *_lint_one(job.key.text, job.layer, job.path)) for job in batch]




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
        self.messages: OrderedDict[str, tuple] = OrderedDict()  # customer text -> what it was read as
        self.pending: dict[tuple, tuple[str, list[tuple[int, str, str]]]] = {}
        self.batch: list[Job] = []
        self.futures: set = set()
        self.pool = None
        self.processes: list = []  # the pool's workers, to stop at once on Ctrl-C
        self.linted_distinct = 0
        self.memo_hits = 0
        if workers > 1:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            if "fork" not in multiprocessing.get_all_start_methods():  # Windows: lint in-process
                self.workers = 1
                return
            from replycoach.lint.parallel import ignore_interrupts, interrupts_held

            self.pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"),
                                            initializer=ignore_interrupts)
            try:
                before = set(multiprocessing.active_children())
                with interrupts_held():  # no worker is born before it ignores Ctrl-C
                    started = self.pool.submit(int)  # forks every worker now, before any progress-bar thread runs
                    self.processes = [p for p in multiprocessing.active_children() if p not in before]
                started.result()
            except BaseException:  # Ctrl-C while starting: stop what started
                self.close()
                raise

    def read_message(self, text: str) -> tuple | None:
        """The customer's message as the engine will read it (kind, tone, needs_details), so
        replies to messages read alike share one lint. Remembered by text: a history repeats."""
        if not text or text.isspace():
            return None
        known = self.messages.get(text)
        if known is None:
            from replycoach.triage import classify_message

            playbook = _WORKER["playbook"]
            language = playbook.detect(text)
            if language not in playbook.languages:
                known = ()
            else:
                verdict = classify_message(text, playbook, language)
                known = (verdict.kind, verdict.tone, verdict.needs_details)
            self.messages[text] = known
            if len(self.messages) > MEMO_SIZE:
                self.messages.popitem(last=False)
        return known or None

    def submit(self, key: ReplyKey, line: int, conversation: str, author: str,
               received: datetime | None, sent: datetime, message: str = "") -> None:
        """`key` is (text, channel, stage, wait in seconds, what the message says): all the
        judgement depends on; `message` is the customer's text it answers."""
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
        text, channel, stage = key.text, key.channel, key.stage
        layer: dict = {"stage": stage}
        if channel:
            layer["channel"] = channel
        if self.language:
            layer["language"] = self.language
        if received is not None:
            layer["received_at"], layer["sent_at"] = received, sent
        if key.message:
            layer["in_reply_to"] = message
        self.pending[key] = (text, [(line, conversation, author)])
        self.batch.append(Job(key, layer, f"{conversation}@{line}"))
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
        """Stop the pool at once, if `finish` did not end it (Ctrl-C, an error): nothing more is
        waited for. The workers ignore SIGINT, so they are terminated here; otherwise exiting
        would join workers that never get the pool's sentinels (its manager thread is not
        waited for), and hang."""
        if self.pool is None:
            return
        from replycoach.lint.parallel import interrupts_held, stop_processes

        pool, self.pool = self.pool, None
        with interrupts_held():  # a second Ctrl-C must not leave workers behind
            for future in self.futures:
                future.cancel()
            self.futures.clear()
            # exit joins the thread feeding the pool's call queue, which may be stuck writing to a
            # pipe no worker reads any more: let exit skip it (shutdown drops the queue, so take it first)
            call_queue = getattr(pool, "_call_queue", None)
            pool.shutdown(wait=False, cancel_futures=True)
            stop_processes(self.processes)
            self.processes = []
            if call_queue is not None:
                call_queue.cancel_join_thread()

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
