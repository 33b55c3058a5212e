"""Fuzz replycoach with random files, as a new user's repository might hold them.

    python bench/fuzz_files.py [--files 10000] [--seed 1] [--batch 500]

Writes that many random files (plain replies with random front matter, CRLF, BOMs, random
Unicode, control characters; YAML/JSON collections, some broken; Jinja templates, some
deeply nested; binary and non-UTF-8 bytes; broken `.replycoach.yaml` files in some folders)
into a temporary folder, lints them in batches with `replycoach lint --format json`, audits
random conversation histories, and reports the exit statuses, how many files were linted or
refused, and every run that printed a traceback or an internal error. It exits 1 if any
did (or any exit status is not 0, 1 or 2), so it can gate a release; it is not part of the
test suite because 10,000 files take minutes (the suite runs a small hypothesis version,
tests/test_fuzz_inputs.py).
"""

from __future__ import annotations

import argparse
import collections
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = ("sorry", "we", "will", "fix", "your", "order", "please", "DM", "us", "the", "number", "thanks", "Anna",
         "przepraszamy", "naprawimy", "zamówienie", "napisz", "do", "nas", "извиняваме", "се", "ще", "поправим",
         "поръчката", "пишете", "ни", "kindly", "rest", "assured", "inconvenience", "@handle", "https://x.co/a",
         "{{ customer.name }}", "{first_name}", "[NAME]", "OK!!!", "REFUND", "<!-- replycoach: ignore all -->")
KEYS = ("channel", "kind", "tone", "fault", "stage", "language", "visibility", "received_at", "sent_at", "template",
        "needs_details", "in_reply_to", "chanel", "x", "lang")
VALUES = ("twitter", "email", "complaint", "angry", "first", "en", "pl", "bg", "xx", "public", "yes", "maybe", "true",
          "2024-02-30T00:00:00Z", "2024-01-01T25:00:00Z", "2024-05-01T10:00:00+02:00", "2024-05-01", "null", "~",
          "1e999", "-0", "0x1F", "'quoted'", "[]", "{}", "*undefined", "&a [1, 2]", '"unterminated', "!!python/none",
          "!!binary aGk=", "- a\n- b")
CONFIGS = ("context: {channel: twitter}\n", "select: [corporate-spek]\n", "severity: {shoutin: error}\n",
           "context: {received_at: 2024-02-30T00:00:00Z}\n", "max_file_bytes: -1\n", "ignore: [", "fail_on: warning\n",
           "context: &a [*a]\n", "template_variables: [customer.name]\n", "playbooks: [missing.yaml]\n")


def random_text(rng: random.Random, size: int) -> str:
    kind = rng.random()
    if kind < 0.5:
        words = [rng.choice(WORDS) for _ in range(size)]
        return " ".join(words).replace(" .", ".") + rng.choice([".", "!", "?", "", "\n\n- Ann"])
    if kind < 0.8:  # any code point, surrogates left out (a file cannot hold them as UTF-8)
        return "".join(chr(rng.choice([rng.randint(32, 0x2FF), rng.randint(0x370, 0x52F), rng.randint(0, 0x10FFFF)]))
                       for _ in range(size)).encode("utf-8", "replace").decode("utf-8", "replace")
    return "".join(rng.choice(["\x1b[2J", "\x1b]0;title\x07", "\u202e", "\u200b", "\r", "\t", "\x00", "\x0c"])
                   + rng.choice(WORDS) + " " for _ in range(size))


def random_front_matter(rng: random.Random) -> str:
    lines = []
    for _ in range(rng.randint(0, 5)):
        value = rng.choice(VALUES)
        shape = rng.random()
        if shape < 0.15:
            depth = rng.randint(1, 2000)
            value = "[" * depth + value + "]" * rng.randint(0, depth)
        elif shape < 0.25:
            value = f"[{value}, {rng.choice(VALUES)}]"
        lines.append(f"{rng.choice(KEYS)}: {value}")
    closing = "---\n" if rng.random() < 0.9 else ""
    return "---\n" + "\n".join(lines) + "\n" + closing


def random_file(rng: random.Random, folder: Path, n: int) -> Path:
    roll = rng.random()
    if roll < 0.55:
        path = folder / f"r{n}.{rng.choice(['txt', 'md'])}"
        text = (random_front_matter(rng) if rng.random() < 0.5 else "") + random_text(rng, rng.randint(0, 80))
        text += "\n" if rng.random() < 0.8 else ""
        data = text.replace("\n", "\r\n") if rng.random() < 0.3 else text
        raw = data.encode("utf-8", "surrogatepass")
        if rng.random() < 0.1:
            raw = b"\xef\xbb\xbf" + raw
        elif rng.random() < 0.05:
            raw = data.encode("utf-16")
    elif roll < 0.75:
        entries = []
        for k in range(rng.randint(0, 6)):
            entry = {"id": f"e{k}", "text": random_text(rng, rng.randint(0, 40))}
            if rng.random() < 0.4:
                entry["context"] = {rng.choice(KEYS): rng.choice(VALUES)}
            if rng.random() < 0.1:
                del entry["text"]
            entries.append(entry)
        if rng.random() < 0.5:
            path = folder / f"c{n}.json"
            raw = json.dumps(entries if rng.random() < 0.5 else {"responses": entries}, ensure_ascii=False).encode()
        else:
            path = folder / f"c{n}.yaml"
            lines = []
            for entry in entries:
                lines.append(f"- id: {entry['id']}")
                if "text" in entry:
                    lines.append(f"  text: {json.dumps(entry['text'], ensure_ascii=False)}")
                for key, value in entry.get("context", {}).items():
                    lines.append(f"  context: {{{key}: {value}}}")
            raw = "\n".join(lines).encode()
        if rng.random() < 0.2:  # cut short
            raw = raw[: rng.randint(0, len(raw))]
    elif roll < 0.85:
        path = folder / f"t{n}.j2"
        depth = rng.choice([0, 1, 5, 80, 400])
        body = "{% if a %}" * depth + random_text(rng, 20) + "{% endif %}" * rng.randint(0, depth)
        body += rng.choice(["{{ customer.name }}", "{{ ((((((x)))))) }}", "{{ " + "(" * 100 + "1" + ")" * 100 + " }}",
                            "{% for %}", "{{ }}", ""])
        raw = body.encode("utf-8", "surrogatepass")
    elif roll < 0.95:
        path = folder / f"b{n}.txt"
        raw = bytes(rng.randint(0, 255) for _ in range(rng.randint(1, 400)))
    else:
        path = folder / f"l{n}.txt"
        raw = ("é".encode("latin-1") + random_text(rng, 10).encode("utf-8", "replace"))
    path.write_bytes(raw)
    return path


def random_history(rng: random.Random, path: Path) -> None:
    """Conversations as docs/audit.md describes them (one a line), some of them broken."""
    lines = []
    for c in range(rng.randint(1, 30)):
        messages = []
        for _ in range(rng.randint(0, 6)):
            message = {"role": rng.choice(["customer", "agent", "agent", "bot", "", 3]),
                       "author": rng.choice(["mia", "Parcelly", None]),
                       "at": rng.choice(["2024-05-01T10:00:00Z", "2024-05-01T10:30:00Z", "2024-02-30T00:00:00Z",
                                         "2024-05-01T09:00:00+02:00", "not a time", 17]),
                       "text": random_text(rng, rng.randint(0, 30))}
            if rng.random() < 0.1:
                del message[rng.choice(list(message))]
            messages.append(message)
        conversation = {"id": f"c{c}", "channel": rng.choice(["twitter", "email", "fb", "pigeon", None]),
                        "messages": messages if rng.random() < 0.95 else "none"}
        line = json.dumps(conversation, ensure_ascii=False)
        if rng.random() < 0.03:
            line = "[" * 1500 + "]" * 1500
        elif rng.random() < 0.03:
            line = line[: len(line) // 2]
        lines.append(line)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogatepass")


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "replycoach", *args], cwd=cwd, capture_output=True, text=True,
                          errors="replace", timeout=600)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch", type=int, default=500, help="files per lint call")
    parser.add_argument("--histories", type=int, default=50)
    options = parser.parse_args()
    rng = random.Random(options.seed)
    statuses: collections.Counter = collections.Counter()
    bad: list[str] = []
    linted = refused = 0
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="replycoach-fuzz-") as tmp:
        root = Path(tmp)
        batches = []
        for b in range(0, options.files, options.batch):
            folder = root / f"batch{b // options.batch:03d}"
            folder.mkdir()
            paths = []
            for n in range(b, min(b + options.batch, options.files)):
                sub = folder / f"d{n % 7}"
                if not sub.exists():
                    sub.mkdir()
                    if rng.random() < 0.15:
                        (sub / ".replycoach.yaml").write_text(rng.choice(CONFIGS))
                paths.append(random_file(rng, sub, n))
            batches.append((folder, paths))
        for folder, _ in batches:
            result = run(["lint", "--format", "json", "."], cwd=folder)
            statuses[("lint", result.returncode)] += 1
            if result.returncode not in (0, 1, 2) or "Traceback" in result.stderr or "internal error" in result.stderr:
                bad.append(f"lint {folder.name}: exit {result.returncode}: {result.stderr[-2000:]}")
                continue
            try:
                report = json.loads(result.stdout)
            except ValueError:
                bad.append(f"lint {folder.name}: output is not JSON: {result.stdout[:300]!r}")
                continue
            linted += len(report["files"])
            refused += sum(1 for line in result.stderr.splitlines() if line.startswith("replycoach: "))
        for h in range(options.histories):
            history = root / f"history{h}.jsonl"
            random_history(rng, history)
            result = run(["audit", str(history), "--format", "json"], cwd=root)
            statuses[("audit", result.returncode)] += 1
            if result.returncode not in (0, 1, 2) or "Traceback" in result.stderr or "internal error" in result.stderr:
                bad.append(f"audit {history.name}: exit {result.returncode}: {result.stderr[-2000:]}")
    elapsed = time.perf_counter() - started
    print(f"{options.files:,} random files in {len(batches)} lint runs, {options.histories} random histories audited, "
          f"seed {options.seed}, {elapsed:.0f} s")
    print(f"linted {linted:,} replies (collections count each entry); {refused:,} lines on standard error "
          "(refused files, config and usage errors)")
    for (command, status), count in sorted(statuses.items()):
        print(f"  {command} exit {status}: {count} runs")
    print(f"runs with a traceback, an internal error or another exit status: {len(bad)}")
    for line in bad[:20]:
        print("  " + line.replace("\n", "\n    "))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
