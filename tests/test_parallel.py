"""A big batch linted by several processes reports exactly what one process reports, in order."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from replycoach.lint.parallel import CHUNK, MIN_BATCH, plan_jobs

REPLIES = [
    "We're so sorry about the delay, Anna. DM us your order number and we'll sort it out today. ^JK",
    "As stated in our terms, you should have read the policy. Thank you for your patience.",
    "Przepraszamy za opóźnienie! Napisz do nas na priv, sprawdzimy zamówienie. Pozdrawiam, Ola",
    "Много съжаляваме за неудобството. Пишете ни на лично съобщение с номера на поръчката. - Мария",
    "PLEASE SEND YOUR CARD NUMBER 4111 1111 1111 1111 HERE!!!",
    "Hi there, thanks for reaching out. We've passed this on to the team.",
]


def lint(args, jobs, stdin=None):
    env = {**os.environ, "REPLYCOACH_JOBS": str(jobs), "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "replycoach", "lint", *args], input=stdin, capture_output=True,
                          text=True, env=env, timeout=300)


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    root = tmp_path_factory.mktemp("batch")
    count = MIN_BATCH + 2 * CHUNK + 7  # past the threshold, with a ragged last chunk
    for i in range(count):
        (root / f"r{i:04d}.txt").write_text(REPLIES[i % len(REPLIES)] + f" #{i}\n", encoding="utf-8")
    (root / "r0100.txt").write_bytes(b"\x00\x01binary")  # a problem in the middle of the batch
    (root / "r0200.txt").write_text("---\nchannel: email\nkind: question\n---\nHi Tom, sorry! ^A\n")
    return root, count


@pytest.mark.parametrize("output", ["json", "text"])
def test_several_processes_report_the_same_as_one_in_the_same_order(batch, output):
    root, count = batch
    one = lint([str(root), "--format", output], 1)
    two = lint([str(root), "--format", output], 2)
    assert one.returncode == two.returncode == 2  # the binary file is a problem
    assert one.stdout == two.stdout
    assert one.stderr == two.stderr and "binary" in one.stderr
    if output == "json":
        report = json.loads(two.stdout)
        paths = [f["path"] for f in report["files"]]
        assert paths == sorted(paths) and len(paths) == count - 1
        assert report["summary"]["problems"] == 1


def test_stdin_and_missing_files_keep_their_place_among_parallel_results(batch):
    root, _ = batch
    args = ["/no/such/reply.txt", str(root), "-", "--format", "json"]
    outs = [lint(args, jobs, stdin="Sorry for any inconvenience caused.") for jobs in (1, 2)]
    assert outs[0].stdout == outs[1].stdout
    report = json.loads(outs[1].stdout)
    assert report["files"][-1]["path"] == "<stdin>"
    assert report["problems"][0]["path"] == "/no/such/reply.txt"


def test_small_batches_stay_in_one_process(monkeypatch):
    monkeypatch.delenv("REPLYCOACH_JOBS", raising=False)
    assert plan_jobs(1) == 1
    assert plan_jobs(MIN_BATCH - 1) == 1
    assert plan_jobs(10_000) >= 1
    monkeypatch.setenv("REPLYCOACH_JOBS", "1")
    assert plan_jobs(10_000) == 1


def test_near_duplicates_across_the_batch_are_found_whichever_process_linted_them(tmp_path):
    """Near-duplicates are judged across the whole run: two copies that land in different
    workers' chunks (first and last file) are still reported, as in one process."""
    late = ("Hi {{ customer.first_name }}, I'm sorry your parcel is late. It missed the van at our warehouse, "
            "so I've booked it on tomorrow's first delivery. DM us if it hasn't arrived by 6 pm. - {{ agent.name }}")
    count = MIN_BATCH + 2 * CHUNK
    for i in range(count):
        text = late if i in (0, count - 1) else f"Hi {{{{ customer.first_name }}}}, ticket {i} is on its way. - Ann"
        (tmp_path / f"r{i:04d}.j2").write_text(text + "\n", encoding="utf-8")
    one = lint([str(tmp_path), "--format", "json"], 1)
    two = lint([str(tmp_path), "--format", "json"], 2)
    assert one.stdout == two.stdout
    report = json.loads(two.stdout)
    flagged = [f["path"] for f in report["files"] if any(d["rule"] == "near-duplicate" for d in f["diagnostics"])]
    assert flagged == [str(tmp_path / "r0000.j2"), str(tmp_path / f"r{count - 1:04d}.j2")]


def test_a_worker_that_dies_or_fails_loses_no_file(batch, monkeypatch, capfd):
    """A worker killed mid-chunk (out of memory, a signal), failing on a chunk or unable to
    send its results must not hang the run or drop files: the parent lints what did not
    come back, and no worker prints a traceback."""
    from replycoach.lint import parallel
    from replycoach.lint.runner import LintOptions, run_lint

    monkeypatch.delenv("REPLYCOACH_JOBS", raising=False)
    root, _ = batch
    parent, real = os.getpid(), parallel._work

    def flaky(chunk):
        if os.getpid() != parent:
            indices = {i for i, _ in chunk}
            if 300 in indices:
                os._exit(9)
            if 150 in indices:
                raise RuntimeError("a bug that only shows in a worker")
            if 200 in indices:
                return [(i, lambda: None) for i in indices]  # results that won't pickle
        return real(chunk)

    monkeypatch.setattr(parallel, "_work", flaky)
    one = run_lint([str(root)], LintOptions(jobs=1))
    two = run_lint([str(root)], LintOptions(jobs=2))
    assert "Traceback" not in capfd.readouterr().err
    assert [(r.path, r.diagnostics) for r in two.results] == [(r.path, r.diagnostics) for r in one.results]
    assert two.problems == one.problems and len(two.results) > 300
