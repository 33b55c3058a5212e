"""Benchmark `replycoach audit` on a million messages: wall time and peak memory.

    python bench/bench_audit.py                      # 1,000,000 messages from the corpus
    python bench/bench_audit.py --messages 200000 --corpus examples/conversations.jsonl

The input is built by repeating the corpus (`../shared/corpus/twitter-care` next to the
repository when it is there, else the bundled example) into `bench/.work/` (git-ignored):
each copy gets new conversation ids and its timestamps moved on by whole weeks, so the
weekday/weekend split and every wait stay what they were.

Because the copies repeat the same replies, the audit lints each distinct reply once and
counts the repeats (see `run` in its JSON). That is what a real history full of canned
replies gets too, but it flatters a corpus repeated verbatim, so the benchmark also
audits a sample in which every reply is made distinct and reports that lint rate, and
what a million fully distinct messages would take at it.

Peak memory is `getrusage(RUSAGE_CHILDREN).ru_maxrss`: the largest single process of the
audit (the reader or a worker), not their sum.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WORK = REPO / "bench" / ".work"
CORPUS = REPO.parent / "shared" / "corpus" / "twitter-care" / "conversations.jsonl"
EXAMPLE = REPO / "examples" / "conversations.jsonl"


def corpus_path(given: str | None) -> Path:
    if given:
        path = Path(given)
        return path / "conversations.jsonl" if path.is_dir() else path
    return CORPUS if CORPUS.is_file() else EXAMPLE


def shifted(at: str, weeks: int) -> str:
    if not weeks or not at:
        return at
    moment = datetime.fromisoformat(at)
    text = (moment + timedelta(weeks=weeks)).isoformat()
    return text.replace("+00:00", "Z") if at.endswith("Z") else text


def build(source: Path, messages: int, target: Path, distinct: bool = False) -> tuple[int, int]:
    """Repeat `source` until `messages` messages; returns (messages, conversations) written."""
    conversations = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    written = count = copy = 0
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as out:
        while written < messages:
            for conv in conversations:
                if written >= messages:
                    break
                clone = dict(conv, id=f"{conv.get('id')}-{copy}")
                clone["messages"] = []
                for m in conv.get("messages", []):
                    m = dict(m, at=shifted(m.get("at"), copy))
                    if distinct and m.get("role") == "agent" and m.get("text"):
                        m["text"] = f"@bench{count} {m['text']}"  # a different handle makes every reply unique
                    clone["messages"].append(m)
                out.write(json.dumps(clone, ensure_ascii=False) + "\n")
                written += len(clone["messages"])
                count += 1
            copy += 1
    tmp.replace(target)
    return written, count


def audit(path: Path, jobs: int) -> tuple[float, float, dict]:
    """Run the audit in a subprocess: (wall seconds, CPU seconds of it and its workers, report)."""
    command = [sys.executable, "-m", "replycoach", "audit", str(path), "--format", "json", "--no-progress"]
    if jobs:
        command += ["--jobs", str(jobs)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"audit failed ({done.returncode}): {done.stderr.strip()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu, json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", help="conversations.jsonl (or its folder) to repeat")
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--distinct-sample", type=int, default=20_000,
                        help="messages in the all-distinct sample (0: skip it)")
    parser.add_argument("--jobs", type=int, default=0, help="worker processes (0: the audit decides)")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the input even if it exists")
    args = parser.parse_args()

    source = corpus_path(args.corpus)
    big = WORK / f"audit-{args.messages}-{source.stem}.jsonl"
    stamp = big.with_suffix(".json")
    if args.rebuild or not big.is_file() or not stamp.is_file():
        started = time.perf_counter()
        messages, conversations = build(source, args.messages, big)
        stamp.write_text(json.dumps({"messages": messages, "conversations": conversations}), encoding="utf-8")
        print(f"built {big.relative_to(REPO)}: {messages:,} messages, {conversations:,} conversations, "
              f"{big.stat().st_size / 1e6:.0f} MB in {time.perf_counter() - started:.1f} s")
    info = json.loads(stamp.read_text(encoding="utf-8"))

    elapsed, cpu, report = audit(big, args.jobs)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB on Linux
    first, run = report["first_reply"], report.get("run", {})
    print(f"\naudit of {info['messages']:,} messages ({info['conversations']:,} conversations, from {source})")
    print(f"  wall time        {elapsed:.1f} s  ({info['messages'] / elapsed:,.0f} messages/s)")
    print(f"  CPU time         {cpu:.1f} s  (all processes; wall time also counts whatever else runs)")
    print(f"  peak memory      {peak_mb:.0f} MB  (largest single process)")
    print(f"  workers          {run.get('workers')}")
    print(f"  replies linted   {report['quality']['linted']:,} ({run.get('distinct_replies_linted', 0):,} distinct, "
          f"{run.get('repeats_not_relinted', 0):,} repeats counted without re-linting)")
    print(f"  first reply      median {first['median_minutes']} min, p90 {first['p90_minutes']} min, "
          f"mean {first['mean_minutes']} min, never answered {first['never_answered']:,}")

    if args.distinct_sample:
        sample = WORK / f"audit-distinct-{args.distinct_sample}-{source.stem}.jsonl"
        build(source, args.distinct_sample, sample, distinct=True)
        s_elapsed, s_cpu, s_report = audit(sample, args.jobs)
        distinct = s_report["run"]["distinct_replies_linted"]
        workers = s_report["run"]["workers"]
        rate = s_report["quality"]["linted"] / s_elapsed
        per_cpu = s_report["quality"]["linted"] / s_cpu
        replies = report["quality"]["linted"] / info["messages"] * args.messages
        print(f"\nall-distinct sample: {args.distinct_sample:,} messages, {distinct:,} distinct replies linted "
              f"in {s_elapsed:.1f} s ({s_cpu:.1f} s CPU) on {workers} worker(s): {rate:,.0f} replies/s, "
              f"{per_cpu:,.0f} per CPU-second")
        print(f"  a history of {args.messages:,} messages with no repeated reply ({replies:,.0f} replies) would "
              f"take about {replies / rate / 60:.1f} min at the rate measured, "
              f"{replies / per_cpu / workers / 60:.1f} min on {workers} otherwise idle cores")

if __name__ == "__main__":
    main()
