"""`replycoach lint` on one reply imports only what linting needs.

Start-up is most of the time a pre-commit hook spends on one reply, and pydantic, jinja2,
rich and yaml each cost more to import than linting the reply. With a warm playbook cache
or none at all (the first run, which reads the built-in playbook as validated when replycoach
was built) none of them may be imported on the plain lint path.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

HEAVY = ("pydantic", "jinja2", "rich", "yaml")


def imported_modules(args, env) -> set[str]:
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "replycoach", *args], capture_output=True,
                            text=True, env=env, timeout=120)
    assert result.returncode in (0, 1), result.stderr[-2000:]
    return {m.group(1) for m in re.finditer(r"^import time:\s+\d+ \|\s+\d+ \|\s+(\S+)", result.stderr, re.M)}


def test_lint_with_a_warm_cache_imports_no_pydantic_jinja_rich_or_yaml(tmp_path):
    reply = tmp_path / "reply.txt"
    reply.write_text("We're so sorry about the delay! DM us your order number and we'll sort it. ^JK\n")
    env = {**os.environ, "REPLYCOACH_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("REPLYCOACH_NO_CACHE", None)
    first = imported_modules(["lint", str(reply)], env)
    # the first run reads the built-in playbook validated at build time (playbook.prebuilt)
    assert not sorted(m for m in first if m.split(".")[0] in HEAVY)
    second = imported_modules(["lint", str(reply)], env)
    heavy = sorted(m for m in second if m.split(".")[0] in HEAVY)
    assert not heavy, f"the lint path imported {heavy}"
    json_run = imported_modules(["lint", str(reply), "--format", "json"], env)
    assert not sorted(m for m in json_run if m.split(".")[0] in HEAVY)
