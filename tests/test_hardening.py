"""Bad input gets one clear line, the other files go on, and nothing reaches the terminal raw.

Each test here reproduces a defect found by trying replycoach as a new user would (issue 18)."""

from __future__ import annotations

import json
import os

import pytest

from tests.helpers import run_cli

REPLY = "@sam Sorry the parcel is late! I'll send a new one today. DM us your order number. - Ann\n"


def _files(result) -> list[str]:
    return [f["path"] for f in json.loads(result.stdout)["files"]]


def _one_clear_line(result, *words):
    assert "Traceback" not in result.stderr and "Error:" not in result.stderr.replace("error:", "")
    assert any(all(w in line for w in words) for line in result.stderr.splitlines()), result.stderr


@pytest.mark.parametrize("value", ["2024-02-30T00:00:00Z", "2024-01-01T25:00:00Z", '"2024-02-30T00:00:00Z"'])
def test_an_impossible_date_is_a_bad_input_and_the_other_files_go_on(tmp_path, value):
    (tmp_path / "bad.txt").write_text(f"---\nreceived_at: {value}\n---\n{REPLY}")
    (tmp_path / "good.txt").write_text(REPLY)
    result = run_cli("lint", "--format", "json", str(tmp_path / "bad.txt"), str(tmp_path / "good.txt"))
    assert result.returncode == 2
    assert _files(result) == [str(tmp_path / "good.txt")]
    _one_clear_line(result, "bad.txt", "received_at")


def test_an_impossible_date_in_a_config_or_a_collection_entry(tmp_path):
    (tmp_path / ".replycoach.yaml").write_text("context: {received_at: 2024-02-30T00:00:00Z}\n")
    (tmp_path / "r.txt").write_text(REPLY)
    result = run_cli("lint", str(tmp_path / "r.txt"))
    assert result.returncode == 2
    _one_clear_line(result, ".replycoach.yaml")
    other = tmp_path / "other"
    other.mkdir()
    (other / ".replycoach.yaml").write_text("context: {channel: twitter}\n")
    (other / "canned.yaml").write_text(
        f"- id: a\n  text: {REPLY.strip()!r}\n  context: {{sent_at: 2024-13-01T00:00:00Z}}\n"
        f"- id: b\n  text: {REPLY.strip()!r}\n"
    )
    (other / "r.txt").write_text(REPLY)
    result = run_cli("lint", "--format", "json", str(other / "canned.yaml"), str(other / "r.txt"))
    assert result.returncode == 2
    assert _files(result) == [str(other / "r.txt")]
    _one_clear_line(result, "canned.yaml", "sent_at", "2024-13-01")


def test_a_yaml_alias_bomb_is_refused_quickly_and_not_printed(tmp_path):
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{i}: &a{i} [*a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}]"
               for i in range(1, 9)]
    bomb = "\n".join(f"# {line}" for line in levels)  # keeps the file readable below
    (tmp_path / "r.txt").write_text("---\n" + "\n".join(
        [f"x{i}: &a{i} " + ("[x, x, x, x, x, x, x, x, x]" if i == 0 else f"[*a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, "
                                                                         f"*a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}]")
         for i in range(9)]) + "\nchannel: *a8\n---\n" + REPLY)
    assert bomb
    import time

    started = time.monotonic()
    result = run_cli("lint", str(tmp_path / "r.txt"))
    assert time.monotonic() - started < 10
    assert result.returncode == 2
    assert len(result.stderr) < 500
    _one_clear_line(result, "r.txt")


def test_a_broken_config_in_one_folder_does_not_stop_the_others(tmp_path):
    for folder in ("good", "broken", "typo"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "r.txt").write_text(REPLY)
    (tmp_path / "broken" / ".replycoach.yaml").write_text("select: [unclosed\n")
    (tmp_path / "typo" / ".replycoach.yaml").write_text("severity: {shoutin: error}\n")
    result = run_cli("lint", "--format", "json", str(tmp_path / "good"), str(tmp_path / "broken"),
                     str(tmp_path / "typo"))
    assert result.returncode == 2
    assert _files(result) == [str(tmp_path / "good" / "r.txt")]
    _one_clear_line(result, "broken", ".replycoach.yaml")
    _one_clear_line(result, "typo", "'shoutin'", "did you mean 'shouting'")
    _one_clear_line(result, os.path.join("broken", "r.txt"), "not linted")


@pytest.mark.parametrize(("flag", "name", "hint"), [
    ("--select", "no-such-rule", None), ("--ignore", "corporat-speak", "corporate-speak"),
    ("--select", "RC10", None),
])
def test_a_typo_in_a_rule_name_is_a_usage_error(tmp_path, flag, name, hint):
    (tmp_path / "r.txt").write_text(REPLY)
    result = run_cli("lint", flag, name, str(tmp_path / "r.txt"))
    assert result.returncode == 2 and result.stdout == ""
    _one_clear_line(result, repr(name), *([f"did you mean {hint!r}"] if hint else []))


def test_known_names_codes_and_families_are_accepted(tmp_path):
    (tmp_path / "r.txt").write_text(REPLY)
    for name in ("corporate-speak", "RC601", "voice", "all"):
        assert run_cli("lint", "--select", name, str(tmp_path / "r.txt")).returncode in (0, 1)


def test_nesting_thousands_deep_is_a_bad_input_not_a_crash(tmp_path):
    (tmp_path / "deep.j2").write_text("{{ " + "(" * 100 + "1" + ")" * 100 + " }}\n")
    (tmp_path / "blocks.j2").write_text("{% if a %}" * 400 + "x" + "{% endif %}" * 400 + "\n")
    (tmp_path / "good.txt").write_text(REPLY)
    result = run_cli("lint", "--format", "json", str(tmp_path))
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert len(_files(result)) == 3
    history = tmp_path / "history.jsonl"
    history.write_text('{"id": "x", "channel": "twitter", "messages": ' + "[" * 5000 + "]" * 5000 + "}\n" +
                       json.dumps({"id": "ok", "channel": "twitter", "messages": [
                           {"role": "customer", "author": "a", "at": "2024-01-01T10:00:00Z", "text": "late parcel"},
                           {"role": "agent", "author": "b", "at": "2024-01-01T10:10:00Z", "text": REPLY}]}) + "\n")
    audit = run_cli("audit", "--format", "json", str(history))
    assert audit.returncode == 0 and "Traceback" not in audit.stderr
    assert [s["reason"] for s in json.loads(audit.stdout)["skipped"]] == ["bad-json"]
    lint = run_cli("lint", "--format", "json", str(history))
    assert lint.returncode == 2 and len(_files(lint)) == 1
    _one_clear_line(lint, "history.jsonl", "line 1")


def test_terminal_escapes_in_a_reply_are_shown_escaped(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text("Sorry \x1b[2J\x1b]0;pwned\x07 about that \u202e here\n")
    result = run_cli("lint", str(path))
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout and "\u202e" not in result.stdout
    assert "\\x1b[2J" in result.stdout and "\\u202e" in result.stdout
    weird = tmp_path / "name\x1b[31m.txt"
    weird.write_text("\x00binary")
    assert "\x1b" not in run_cli("lint", str(weird)).stderr


def test_smaller_ones(tmp_path):
    assert run_cli("rules", "docs", "-o", str(tmp_path / "missing" / "x.md")).returncode == 2
    cases = {
        "maybe.txt": ("---\ntemplate: maybe\n---\n" + REPLY, "template must be true or false"),
        "open.txt": ("---\nchannel: twitter\n" + REPLY, "never closed"),
        "order.txt": ("---\nreceived_at: 2024-05-02T10:00:00Z\nsent_at: 2024-05-01T10:00:00Z\n---\n" + REPLY,
                      "before received_at"),
    }
    for name, (text, words) in cases.items():
        (tmp_path / name).write_text(text)
        result = run_cli("lint", str(tmp_path / name))
        assert result.returncode == 2, name
        _one_clear_line(result, name, words)
    many = [str(tmp_path / n) for n in cases]
    result = run_cli("lint", "--lang", "xx", *many)
    assert result.returncode == 2 and result.stderr.count("'xx'") == 1 and result.stdout == ""
    csv_path = tmp_path / "history.csv"
    csv_path.write_text("conversation_id,role,text\n1,customer,hi\n")
    for command in ("audit", "lint"):
        _one_clear_line(run_cli(command, str(csv_path)), "history.csv", "lacks column")


def test_a_folder_that_cannot_be_listed_is_reported(tmp_path, monkeypatch):
    import replycoach.lint.inputs as inputs

    (tmp_path / "r.txt").write_text(REPLY)
    real_walk = os.walk

    def walk(root, onerror=None, **kwargs):
        if onerror is not None:
            error = PermissionError(13, "Permission denied")
            error.filename = str(tmp_path / "locked")
            onerror(error)
        yield from real_walk(root, onerror=onerror, **kwargs)

    monkeypatch.setattr(inputs.os, "walk", walk)
    result = run_cli("lint", "--format", "json", str(tmp_path))
    assert result.returncode == 2 and len(_files(result)) == 1
    _one_clear_line(result, "locked", "cannot read this folder")


def _peak_rss_mib(*args: str, cwd) -> float:
    """The peak resident memory of one `replycoach` run, measured in a process of its own (a
    process's RUSAGE_CHILDREN holds the largest child it ever waited for)."""
    import subprocess
    import sys

    script = ("import resource, subprocess, sys; subprocess.run([sys.executable, '-m', 'replycoach', *sys.argv[1:]], "
              "stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode in (0, 1) or sys.exit('lint failed'); "
              "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", script, *args], cwd=cwd, capture_output=True, text=True, check=True)
    return int(out.stdout) / 1024


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="ru_maxrss is POSIX")
@pytest.mark.parametrize("shape", ["lines", "one line"])
def test_a_big_file_is_linted_in_a_small_multiple_of_its_size(tmp_path, shape):
    """With max_file_bytes raised, a 4 MB file dense in lexicon words took 20x its size above
    a small reply's run, and 32x as a single line (the detector's features of one 4 MB
    "sentence"); now about 9x either way. (A file where every line is a finding also keeps
    its findings and their report, several times the file: not what this bounds.)"""
    words = ("sorry", "for", "the", "trouble", "we", "will", "fix", "your", "order", "please", "DM", "us", "the",
             "number", "thanks", "Anna")
    sentence = " ".join(words[(i * 7) % len(words)] for i in range(30))
    body = (sentence + ".\n") * (4_000_000 // (len(sentence) + 2)) if shape == "lines" else \
        (sentence + " ") * (4_000_000 // (len(sentence) + 1)) + "\n"
    (tmp_path / ".replycoach.yaml").write_text("max_file_bytes: 10000000\n")
    (tmp_path / "big.txt").write_text(body)
    (tmp_path / "small.txt").write_text(REPLY)
    _peak_rss_mib("lint", "small.txt", cwd=tmp_path)  # the first run may build the playbook cache
    baseline = _peak_rss_mib("lint", "small.txt", cwd=tmp_path)
    peak = _peak_rss_mib("lint", "big.txt", cwd=tmp_path)
    assert peak - baseline < 12 * len(body) / 2**20, (peak, baseline)
