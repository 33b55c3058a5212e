"""Benchmark `replycoach draft --case` end to end, against a bare `python -c "import typer"`.

    python bench/bench_draft.py                     # the bundled English complaint, 15 runs
    python bench/bench_draft.py --runs 30 --case examples/cases/pl/hostile.yaml
    python bench/bench_draft.py --all               # every bundled example case, median each

Each run is a fresh process of the installed `replycoach` script, as an agent's shell
would start it, with stdout and stderr captured (so terminal rendering is not timed).
The baseline is measured in the same session, interleaved with the draft runs, so a busy
machine slows both alike; the ratio is the number to compare across machines, the median
the one to hold against the issue's target (issue 3: under half a second; issue 6: under
0.3 s). `replycoach lint` of one short reply is timed alongside for reference; a draft
pays on top for pydantic (the case is validated), Jinja (the templates) and yaml (a YAML
case), which lint does not import. The playbook cache is warmed first: every run after
the first one on a machine sees a warm cache, and `--cold` measures without it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_lint import replycoach_script  # the same script bench_lint times (this folder is on sys.path)

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CASE = REPO / "examples" / "cases" / "en" / "complaint.yaml"
REFERENCE_REPLY = REPO / "tests" / "fixtures" / "good_reply_en.txt"
TARGETS = {"issue 3": 0.5, "issue 6": 0.3}  # seconds


def timed(command: list[str], env: dict) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, env=env, cwd=REPO)
    elapsed = time.perf_counter() - started
    if result.returncode not in (0, 1):
        sys.exit(f"benchmark command failed ({result.returncode}): {' '.join(command)}\n"
                 f"{result.stderr.decode(errors='replace')}")
    return elapsed


def measure(case: Path, runs: int, env: dict) -> tuple[list[float], list[float], list[float]]:
    """Draft, baseline and (for reference) `replycoach lint` of one reply, interleaved.

    replycoach runs from its installed console script, as a user types it (and as
    `bench_lint.py` runs it); `python -m replycoach` would add runpy's import (~5 ms).
    """
    script = replycoach_script()
    draft = [script, "draft", "--case", str(case)]
    baseline = [sys.executable, "-c", "import typer"]
    lint = [script, "lint", str(REFERENCE_REPLY)]
    timed(draft, env)  # warm the playbook cache and the OS file cache
    timed(lint, env)
    drafts, bases, lints = [], [], []
    for _ in range(runs):
        bases.append(timed(baseline, env))
        drafts.append(timed(draft, env))
        lints.append(timed(lint, env))
    return drafts, bases, lints


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--case", type=Path, default=DEFAULT_CASE, help="case file to draft")
    parser.add_argument("--runs", type=int, default=15, help="runs of each command (default 15)")
    parser.add_argument("--all", action="store_true", help="every case in examples/cases/")
    parser.add_argument("--cold", action="store_true", help="no playbook cache (REPLYCOACH_NO_CACHE=1)")
    args = parser.parse_args()

    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR",)}
    env["NO_COLOR"] = "1"
    with tempfile.TemporaryDirectory() as cache:
        env["REPLYCOACH_CACHE_DIR"] = cache
        if args.cold:
            env["REPLYCOACH_NO_CACHE"] = "1"
        cases = sorted((REPO / "examples" / "cases").glob("*/*.*")) if args.all else [args.case]
        cases = [c for c in cases if c.suffix in (".yaml", ".yml", ".json")]
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {args.runs} runs each, "
              f"playbook cache {'off' if args.cold else 'warm'}")
        print(f"{'case':42} {'draft median':>13} {'min':>7} {'typer':>7} {'ratio':>6} {'lint':>7}")
        medians = []
        for case in cases:
            drafts, bases, lints = measure(case, args.runs, env)
            draft_median, base_median = statistics.median(drafts), statistics.median(bases)
            medians.append(draft_median)
            name = str(case.relative_to(REPO)) if case.is_relative_to(REPO) else str(case)
            print(f"{name:42} {draft_median * 1000:>10.0f} ms {min(drafts) * 1000:>4.0f} ms "
                  f"{base_median * 1000:>4.0f} ms {draft_median / base_median:>6.2f} "
                  f"{statistics.median(lints) * 1000:>4.0f} ms")
        print("typer: `python -c 'import typer'`; ratio: draft median / typer median; "
              "lint: `replycoach lint` of one short reply, for reference")
        worst = max(medians)
        verdicts = ", ".join(f"{'within' if worst < limit else 'OVER'} {issue}'s {limit * 1000:.0f} ms"
                             for issue, limit in TARGETS.items())
        print(f"slowest median {worst * 1000:.0f} ms: {verdicts}")


if __name__ == "__main__":
    main()
