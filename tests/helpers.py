"""Running the CLI the way a user does: in this process (fast), or as a real process.

`run_cli` runs a command line in the test's process, with its arguments, working folder,
environment and standard input as a user's shell would give them, and returns what a
subprocess run would (exit status, stdout, stderr). Tests that need a real process (the
console script itself, signals, pipes, forked workers, start-up imports, pre-commit) use
`run_cli_process`.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"


def run_cli(*args: str, cwd: Path | str | None = None, input: str | bytes | None = None,
            env: dict | None = None) -> subprocess.CompletedProcess:
    from replycoach.cli import run

    binary = isinstance(input, bytes)
    data = input if binary else (input or "").encode("utf-8")
    saved_env = dict(os.environ)
    saved_cwd = os.getcwd()
    saved_streams = sys.stdin, sys.stdout, sys.stderr
    stdout, stderr = io.BytesIO(), io.BytesIO()
    try:
        for name in ("FORCE_COLOR", "NO_COLOR"):
            os.environ.pop(name, None)
        os.environ.update(env or {})
        if cwd is not None:
            os.chdir(cwd)
        streams = (io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"),
                   io.TextIOWrapper(stdout, encoding="utf-8", write_through=True),
                   io.TextIOWrapper(stderr, encoding="utf-8", write_through=True))
        sys.stdin, sys.stdout, sys.stderr = streams
        status = run(list(args))
        for stream in streams[1:]:
            stream.flush()
        out, err = stdout.getvalue(), stderr.getvalue()
        for stream in streams:
            stream.detach()  # the buffers are read: don't let the wrappers close them when collected
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved_streams
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
    if not binary:
        out, err = out.decode("utf-8"), err.decode("utf-8")
    return subprocess.CompletedProcess(["replycoach", *args], status, out, err)


def run_cli_process(*args: str, cwd: Path | str | None = None, input: str | bytes | None = None,
                    env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR")}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "replycoach", *args],
        cwd=cwd, input=input, capture_output=True, text=not isinstance(input, bytes), env=full_env,
        timeout=120,
    )
