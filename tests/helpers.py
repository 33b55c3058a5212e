"""Running the real CLI in a subprocess, the way a user (or pre-commit) does."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"


def run_cli(*args: str, cwd: Path | str | None = None, input: str | bytes | None = None,
            env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR")}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "replycoach", *args],
        cwd=cwd, input=input, capture_output=True, text=not isinstance(input, bytes), env=full_env,
        timeout=120,
    )
