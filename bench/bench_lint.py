"""Benchmark `replycoach lint` against the prose linters people would otherwise use.

    python bench/bench_lint.py                       # corpus from ../shared/corpus/twitter-care
    python bench/bench_lint.py PATH/TO/CORPUS --runs 7
    python bench/bench_lint.py --no-install          # only the peers already in bench/.work

Peers: proselint (from PyPI, into bench/.work/venv-peers) and write-good (from npm, into
bench/.work/node; skipped with a note when node/npm are missing). Corpora (bench/.work/,
git-ignored): every agent reply of the corpus as one file (the twitter-care corpus has
1,139), the same ten times over (11,390 files), and one short reply. A corpus is a folder
with a `conversations.jsonl` (one conversation a line, `messages` with `role` and `text`);
without one, the replies are generated from the built-in playbooks' good and bad examples
(en, pl, bg). Each tool gets the same list of files.

Tools run alternately, one fresh process per run, `--runs` times; the table shows median
wall time, the ratio replycoach/peer, and the peak resident memory of the run (the largest
process of its tree, from getrusage(RUSAGE_CHILDREN) in a small wrapper). replycoach runs
from its installed console script with a warm playbook cache, as a pre-commit hook does
after its first run. Floors for comparison: `python -c pass` and `python -c "import typer"`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import sysconfig
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / ".work"
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "twitter-care"
PROSELINT = "proselint==0.16.0"
WRITE_GOOD = "write-good@1.0.8"

# Runs a command, then prints its wall time and the peak RSS (KiB) of the largest process in
# its tree: a fresh wrapper per run, so RUSAGE_CHILDREN covers that run alone.
WRAPPER = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
    "wall = time.perf_counter() - t\n"
    "print(wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS,
                        help="folder with conversations.jsonl (default: ../shared/corpus/twitter-care)")
    parser.add_argument("--runs", type=int, default=5, help="runs per tool and corpus (median shown)")
    parser.add_argument("--no-install", action="store_true", help="don't install missing peers")
    parser.add_argument("--only", choices=["one", "1x", "10x"], action="append",
                        help="run only these corpora (repeatable)")
    args = parser.parse_args()

    WORK.mkdir(parents=True, exist_ok=True)
    replies, source = corpus_replies(args.corpus)
    corpora = build_corpora(replies)
    tools = find_tools(install=not args.no_install)
    print(f"corpus: {len(replies)} replies ({source}); {args.runs} runs each; "
          f"{os.cpu_count()} CPUs; python {sys.version.split()[0]}")
    for name, (_, note) in tools.items():
        if note:
            print(f"  {name}: {note}")
    tools = {name: command for name, (command, note) in tools.items() if command}

    warm_up(tools["replycoach"], corpora["one"])
    columns = [c for c in ("one", "1x", "10x") if not args.only or c in args.only]
    results: dict[tuple[str, str], list[tuple[float, int]]] = {}
    for column in columns:
        files = corpora[column]
        for _ in range(args.runs):
            for name, command in tools.items():  # alternate tools within each round
                if name.startswith("python") and column != "one":
                    continue
                argv = command + ([] if name.startswith("python") else files)
                results.setdefault((name, column), []).append(measure(argv))
    print_table(results, tools, columns, corpora)
    out = WORK / "results.json"
    out.write_text(json.dumps({f"{n}|{c}": v for (n, c), v in results.items()}, indent=1))
    print(f"\nraw runs: {out.relative_to(ROOT)}")
    return 0


def corpus_replies(corpus: Path) -> tuple[list[str], str]:
    source = corpus / "conversations.jsonl"
    if source.is_file():
        replies = []
        with open(source, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    for message in json.loads(line).get("messages", ()):
                        if message.get("role") == "agent" and message.get("text", "").strip():
                            replies.append(message["text"])
        if replies:
            return replies, str(source)
    print(f"no conversations.jsonl under {corpus}: using replies made from the playbook examples")
    from replycoach.playbook.loader import load_playbook

    book = load_playbook()
    replies = [text for sets in book.examples.values() for example in sets.values()
               for key in ("bad", "good") for text in example.get(key) or () if isinstance(text, str)]
    return (replies * (1139 // max(len(replies), 1) + 1))[:1139], "playbook examples"


def build_corpora(replies: list[str]) -> dict:
    """One file per reply (1x), the same ten times (10x), and one short reply; rebuilt when changed."""
    stamp = WORK / "corpus.stamp"
    key = hashlib.sha1("\0".join(replies).encode()).hexdigest()
    one_x, ten_x, one = WORK / "corpus-1x", WORK / "corpus-10x", WORK / "one"
    if not stamp.is_file() or stamp.read_text() != key:
        for folder in (one_x, ten_x, one):
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
        for i, text in enumerate(replies):
            (one_x / f"r{i:05d}.txt").write_text(text, encoding="utf-8")
            for k in range(10):
                (ten_x / f"r{k}_{i:05d}.txt").write_text(text, encoding="utf-8")
        short = sorted(replies, key=len)[len(replies) // 2]  # the median reply
        (one / "reply.txt").write_text(short, encoding="utf-8")
        stamp.write_text(key)
    return {
        "one": [str(one / "reply.txt")],
        "1x": sorted(str(p) for p in one_x.iterdir()),
        "10x": sorted(str(p) for p in ten_x.iterdir()),
    }


def find_tools(install: bool) -> dict[str, tuple[list[str] | None, str]]:
    python = sys.executable
    tools: dict[str, tuple[list[str] | None, str]] = {
        "python -c pass": ([python, "-c", "pass"], ""),
        "python -c 'import typer'": ([python, "-c", "import typer"], ""),
        "replycoach": ([replycoach_script(), "lint"], ""),
    }
    tools["proselint"] = proselint(install)
    tools["write-good"] = write_good(install)
    return tools


def replycoach_script() -> str:
    """The installed console script itself (not a version manager's shim in front of it)."""
    script = Path(sysconfig.get_path("scripts")) / "replycoach"
    if script.is_file():
        return str(script)
    found = shutil.which("replycoach")
    if not found:
        sys.exit("replycoach is not installed: pip install -e . (see README)")
    return found


def proselint(install: bool) -> tuple[list[str] | None, str]:
    venv = WORK / "venv-peers"
    exe = venv / "bin" / "proselint"
    if not exe.is_file() and install:
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", PROSELINT], check=True)
    if not exe.is_file():
        return None, "skipped (not installed; run without --no-install)"
    help_text = subprocess.run([str(exe), "--help"], capture_output=True, text=True).stdout
    return ([str(exe), "check"] if "check" in help_text.split() else [str(exe)]), ""


def write_good(install: bool) -> tuple[list[str] | None, str]:
    prefix = WORK / "node"
    exe = prefix / "node_modules" / ".bin" / "write-good"
    if not shutil.which("node") or not shutil.which("npm"):
        return None, "skipped: node/npm not found (install Node.js to include write-good)"
    if not exe.is_file() and install:
        subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(prefix), WRITE_GOOD],
                       check=True)
    if not exe.is_file():
        return None, "skipped (not installed; run without --no-install)"
    return [str(exe)], ""


def warm_up(command: list[str], files: list[str]) -> None:
    """Fill replycoach's playbook cache and byte-compile the package, as an installed copy has it.

    pip byte-compiles a wheel when it installs it; an editable install under
    PYTHONDONTWRITEBYTECODE=1 (as some CI and containers set) would otherwise recompile every
    module from source on every run, about 0.1 s that no user pays.
    """
    import importlib.util

    spec = importlib.util.find_spec("replycoach")
    if spec and spec.submodule_search_locations:
        subprocess.run([sys.executable, "-m", "compileall", "-q", *spec.submodule_search_locations],
                       stdout=subprocess.DEVNULL)
    subprocess.run(command + files, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def measure(argv: list[str]) -> tuple[float, int]:
    out = subprocess.run([sys.executable, "-c", WRAPPER, *argv], capture_output=True, text=True, check=True).stdout
    wall, rss = out.split()
    return float(wall), int(rss)


def print_table(results, tools, columns, corpora) -> None:
    labels = {"one": "one reply", "1x": f"{len(corpora['1x']):,} replies", "10x": f"{len(corpora['10x']):,} replies"}
    head = f"{'tool':<26}" + "".join(f"{labels[c]:>24}" for c in columns)
    print("\nmedian wall time, s (peak memory, MiB)\n" + head + "\n" + "-" * len(head))
    medians: dict[tuple[str, str], float] = {}
    for name in tools:
        cells = []
        for column in columns:
            runs = results.get((name, column))
            if not runs:
                cells.append(f"{'':>24}")
                continue
            wall = statistics.median(r[0] for r in runs)
            rss = max(r[1] for r in runs) / 1024
            medians[(name, column)] = wall
            cells.append(f"{wall:>14.3f} ({rss:>5.0f})   ")
        print(f"{name:<26}" + "".join(cells))
    print("\nreplycoach / peer (wall; below 1 is faster)")
    for peer in tools:
        if peer == "replycoach":
            continue
        cells = []
        for column in columns:
            ours, theirs = medians.get(("replycoach", column)), medians.get((peer, column))
            cells.append(f"{ours / theirs:>24.2f}" if ours and theirs else f"{'':>24}")
        print(f"{peer:<26}" + "".join(cells))
    if ("replycoach", "one") in medians and ("python -c 'import typer'", "one") in medians:
        gap = medians[("replycoach", "one")] - medians[("python -c 'import typer'", "one")]
        print(f"\none reply: replycoach - (python -c 'import typer') = {gap:+.3f} s")


if __name__ == "__main__":
    sys.exit(main())
