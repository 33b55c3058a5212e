"""Ctrl-C stops any command at once: exit 130 within seconds, no traceback, no worker process
left, no temporary file left.

Each test starts `replycoach` as a real process in a session of its own, lets it get well
into a big input with forked workers (two, forced), then sends SIGINT either to the parent
alone (`kill -INT`) or to the whole process group (what Ctrl-C on a terminal does).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX signals and process groups")

WORDS = ["parcel", "invoice", "refund", "order", "delivery", "account", "app", "card", "box", "size"]
NAMES = ["Tom", "Ewa", "Ola", "Ann", "Kim"]
CHANNELS = ["twitter", "email", "facebook", "chat"]
STOP_WITHIN = 5.0  # seconds from SIGINT to exit


def _history(folder: Path, conversations: int = 20_000) -> Path:
    """A JSON Lines history whose agent replies all differ (the memo lints each one)."""
    path = folder / "history.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for i in range(conversations):
            word, name = WORDS[i % len(WORDS)], NAMES[i % len(NAMES)]
            conv = {"id": f"c{i}", "channel": CHANNELS[i % len(CHANNELS)], "messages": [
                {"role": "customer", "author": f"u{i}", "at": "2024-03-04T10:00:00Z",
                 "text": f"My {word} number {i} is late again"},
                {"role": "agent", "author": name, "at": f"2024-03-04T10:{i % 60:02d}:00Z",
                 "text": f"Hi, I'm so sorry your {word} #{i} is late. Please note that we will check it "
                         f"today. Thank you for your patience. - {name}"}]}
            out.write(json.dumps(conv) + "\n")
    return path


def _replies(folder: Path, files: int = 3_000, lines: int = 20) -> Path:
    """A folder of replies, each with findings `--fix` can fix ("Please note that")."""
    root = folder / "replies"
    root.mkdir()
    for i in range(files):
        word = WORDS[i % len(WORDS)]
        body = "".join(f"Hi, I'm so sorry your {word} #{i}-{j} is late. Please note that we will check it "
                       f"today. Thank you for your patience.\n" for j in range(lines))
        (root / f"r{i:05d}.txt").write_text(body + "- Tom\n", encoding="utf-8")
    return root


def _group(pgid: int) -> list[int]:
    """The live (not zombie) processes of a process group."""
    proc = Path("/proc")
    if not proc.is_dir():
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return []
        return [pgid]
    members = []
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # it ended meanwhile
            continue
        fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (command) "
        state, pgrp = fields[0], int(fields[2])
        if pgrp == pgid and state != "Z":
            members.append(int(entry.name))
    return members


def _start(args: list[str], cwd: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR", "REPLYCOACH_DEBUG")}
    env["REPLYCOACH_JOBS"] = "2"
    return subprocess.Popen([sys.executable, "-m", "replycoach", *args], cwd=cwd, env=env,
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)


def _wait_for(condition, process: subprocess.Popen, what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert process.poll() is None, f"replycoach ended ({process.returncode}) before {what}: " + (
            process.stderr.read().decode("utf-8", "replace") if process.stderr else "")
        assert time.monotonic() < deadline, f"no {what} after {timeout} s"
        time.sleep(0.02)


def _interrupt_and_check(process: subprocess.Popen, whom: str, folder: Path) -> float:
    """Send SIGINT, then check the way out; returns the seconds it took to exit."""
    pgid = process.pid
    assert process.poll() is None, "replycoach finished before it could be interrupted: make the input bigger"
    sent = time.monotonic()
    if whom == "parent":
        os.kill(process.pid, signal.SIGINT)
    else:
        os.killpg(pgid, signal.SIGINT)
    try:
        _, err = process.communicate(timeout=STOP_WITHIN)
    except subprocess.TimeoutExpired:
        left = _group(pgid)
        pytest.fail(f"still running {STOP_WITHIN} s after SIGINT to the {whom}: processes {left}")
    took = time.monotonic() - sent
    stderr = err.decode("utf-8", "replace")
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr, stderr
    deadline = time.monotonic() + 0.5
    while _group(pgid) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert _group(pgid) == [], "worker processes outlived the interrupted run"
    assert not [p for p in folder.rglob("*") if p.name.endswith(".replycoach-fix") or p.name.startswith(".tmp")]
    print(f"exited 130 {took:.3f} s after SIGINT to the {whom}")
    return took


@pytest.fixture
def reap():
    """Kill what a failed test left running."""
    started: list[subprocess.Popen] = []
    yield started.append
    for process in started:
        if process.poll() is None or _group(process.pid):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.mark.parametrize("whom", ["parent", "group"])
def test_ctrl_c_stops_an_audit_and_its_workers(tmp_path, whom, reap):
    history = _history(tmp_path)
    process = _start(["audit", str(history), "--jobs", "2", "--no-progress"], tmp_path)
    reap(process)
    _wait_for(lambda: len(_group(process.pid)) >= 3, process, "worker processes")
    time.sleep(1.0)  # well into linting the replies
    _interrupt_and_check(process, whom, tmp_path)


@pytest.mark.parametrize("whom", ["parent", "group"])
def test_ctrl_c_stops_a_parallel_lint_and_its_workers(tmp_path, whom, reap):
    root = _replies(tmp_path)
    process = _start(["lint", str(root), "--format", "json"], tmp_path)
    reap(process)
    _wait_for(lambda: len(_group(process.pid)) >= 3, process, "worker processes")
    time.sleep(0.5)
    _interrupt_and_check(process, whom, tmp_path)


@pytest.mark.parametrize("whom", ["parent", "group"])
def test_ctrl_c_while_fix_writes_leaves_every_file_whole_and_no_temporary_file(tmp_path, whom, reap):
    root = _replies(tmp_path, lines=5)
    files = sorted(root.iterdir())
    before = {path: path.read_text(encoding="utf-8") for path in files}
    process = _start(["lint", str(root), "--fix", "--select", "corporate-speak", "--lang", "en"], tmp_path)
    reap(process)
    _wait_for(lambda: files[0].read_text(encoding="utf-8") != before[files[0]], process, "a fixed file")
    _interrupt_and_check(process, whom, tmp_path)
    fixed = 0
    for path in files:
        text = path.read_text(encoding="utf-8")
        if text != before[path]:  # fixed whole, or not at all
            assert text == before[path].replace("Please note that we", "We"), path
            fixed += 1
    assert 0 < fixed < len(files), "the interrupt did not land while --fix was writing"
