"""`replycoach lint` as a user runs it: exit codes, output formats, inputs, context."""

from __future__ import annotations

import json
import os
import threading

import pytest

from tests.helpers import FIXTURES, run_cli

GOOD = FIXTURES / "good_reply_en.txt"
BAD = FIXTURES / "bad_reply_en.txt"


def test_clean_reply_exits_zero_and_shows_full_checklist():
    result = run_cli("lint", str(GOOD))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 errors" in result.stdout
    assert "✓ apology" in result.stdout and "✓ private channel" in result.stdout
    assert "\x1b[" not in result.stdout  # not a terminal: no colour codes


def test_flawed_reply_exits_one_and_names_rules_with_positions():
    result = run_cli("lint", str(BAD))
    assert result.returncode == 1
    out = result.stdout
    assert "non-apology" in out and "blames-customer" in out and "asks-private-data-publicly" in out
    assert "1:1" in out  # the non-apology opens the reply
    assert "2:8" in out  # "reply with your order number" starts at line 2, column 8


def test_json_output_matches_documented_shape():
    result = run_cli("lint", str(BAD), "--format", "json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["summary"]["files"] == 1
    assert report["summary"]["errors"] >= 2
    (entry,) = report["files"]
    assert entry["language"] == "en"
    assert set(entry["checklist"]) == {"apology", "fix", "private_channel", "compensation", "prevention",
                                       "next_update", "signature", "personal_address"}
    assert entry["checklist"]["apology"] is False  # a non-apology is not an apology
    diag = next(d for d in entry["diagnostics"] if d["rule"] == "non-apology")
    assert diag["code"] == "RC102" and diag["severity"] == "error"
    assert (diag["line"], diag["column"]) == (1, 7)  # "sorry" after "We're "
    assert diag["match"].lower().startswith("sorry you feel")
    assert {"message", "end_line", "end_column", "suggestion"} <= set(diag)
    assert entry["context"]["assumed"]  # nothing said the channel/kind: the output says what it assumed
    # no error rests on an assumption: a rule that applies only because the kind was assumed warns, and says so
    missing = next(d for d in entry["diagnostics"] if d["rule"] == "missing-apology")
    assert missing["severity"] == "warning" and "assumed kind=complaint" in missing["message"]


def test_a_rule_that_applies_for_certain_keeps_its_error(tmp_path):
    reply = tmp_path / "reply.txt"
    reply.write_text("---\nkind: complaint\nstage: first\n---\nYour order is on its way. ^AK\n", encoding="utf-8")
    report = json.loads(run_cli("lint", str(reply), "--format", "json").stdout)
    missing = next(d for d in report["files"][0]["diagnostics"] if d["rule"] == "missing-apology")
    assert missing["severity"] == "error" and "assumed" not in missing["message"]


def test_stdin_is_linted():
    result = run_cli("lint", "-", "--format", "json", input="Sorry, but that's not true. You're wrong.")
    report = json.loads(result.stdout)
    rules = {d["rule"] for d in report["files"][0]["diagnostics"]}
    assert {"non-apology", "argues-publicly"} <= rules
    assert report["files"][0]["path"] == "<stdin>"


def test_flags_override_front_matter(tmp_path):
    reply = tmp_path / "r.txt"
    reply.write_text("---\nchannel: twitter\n---\nSorry about that! Send us your order number. - Ann\n")
    public = json.loads(run_cli("lint", str(reply), "--format", "json").stdout)
    private = json.loads(run_cli("lint", str(reply), "--format", "json", "--channel", "email").stdout)
    assert "asks-private-data-publicly" in {d["rule"] for d in public["files"][0]["diagnostics"]}
    assert "asks-private-data-publicly" not in {d["rule"] for d in private["files"][0]["diagnostics"]}
    assert private["files"][0]["context"]["visibility"] == "private"


def test_front_matter_lines_keep_their_numbers(tmp_path):
    reply = tmp_path / "r.txt"
    reply.write_text("---\nchannel: email\n---\nHi Ann,\nwe are VERY sorry. - Tom\n")
    report = json.loads(run_cli("lint", str(reply), "--format", "json").stdout)
    shout = next(d for d in report["files"][0]["diagnostics"] if d["rule"] == "shouting")
    assert (shout["line"], shout["column"], shout["match"]) == (5, 8, "VERY")


def test_select_and_ignore(tmp_path):
    only = json.loads(run_cli("lint", str(BAD), "--format", "json", "--select", "non-apology").stdout)
    assert {d["rule"] for d in only["files"][0]["diagnostics"]} == {"non-apology"}
    without = json.loads(run_cli("lint", str(BAD), "--format", "json", "--ignore", "RC102,blames-customer").stdout)
    rules = {d["rule"] for d in without["files"][0]["diagnostics"]}
    assert "non-apology" not in rules and "blames-customer" not in rules and rules


def test_inline_suppression(tmp_path):
    reply = tmp_path / "r.txt"
    reply.write_text("<!-- replycoach: ignore corporate-speak -->\nKindly DM us. - Ann\n")
    report = json.loads(run_cli("lint", str(reply), "--format", "json").stdout)
    rules = {d["rule"] for d in report["files"][0]["diagnostics"]}
    assert "corporate-speak" not in rules
    reply.write_text("Kindly DM us. - Ann\n")
    report = json.loads(run_cli("lint", str(reply), "--format", "json").stdout)
    assert "corporate-speak" in {d["rule"] for d in report["files"][0]["diagnostics"]}


def test_directory_is_walked_and_bad_files_do_not_stop_the_run(tmp_path):
    (tmp_path / "a.txt").write_text("Sorry you feel that way.")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text("I'm sorry your parcel is late! DM us and I'll chase it today. - Ann")
    (tmp_path / "c.txt").write_bytes(b"\xff\xfe\xfa broken \xc3\x28")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    result = run_cli("lint", str(tmp_path), "--format", "json")
    report = json.loads(result.stdout)
    linted = sorted(f["path"].replace(str(tmp_path), "") for f in report["files"])
    assert linted == ["/a.txt", "/sub/b.md"]
    assert result.returncode == 2  # an unreadable input outranks findings
    assert "c.txt" in result.stderr and "UTF-8" in result.stderr


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "empty file"),
        (b"   \n\n", "empty file"),
        (b"abc\x00\x01\x02binary", "binary file"),
        (b"Sorry \xe9 about that", "not valid UTF-8"),
    ],
)
def test_bad_files_get_one_clear_line(tmp_path, content, expected):
    bad = tmp_path / "reply.txt"
    bad.write_bytes(content)
    good = tmp_path / "ok.txt"
    good.write_text(GOOD.read_text())
    result = run_cli("lint", str(bad), str(good))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(errors) == 1 and expected in errors[0] and "reply.txt" in errors[0]
    assert "ok.txt" in result.stdout  # the other file was still linted


def test_missing_file_and_empty_directory(tmp_path):
    result = run_cli("lint", str(tmp_path / "nope.txt"))
    assert result.returncode == 2 and "no such file" in result.stderr and "Traceback" not in result.stderr
    (tmp_path / "empty").mkdir()
    result = run_cli("lint", str(tmp_path / "empty"))
    assert result.returncode == 2 and "no reply files" in result.stderr


def test_oversized_file_is_refused_clearly(tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(b"sorry about that " * 400_000)  # 6.8 MB
    result = run_cli("lint", str(big))
    assert result.returncode == 2
    assert "over the 5.0 MB limit" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--lang", "klingon"], "invalid language code"),
        (["--lang", "de"], "has no 'de' language pack"),
        (["--channel", "pigeon"], "unknown channel"),
        (["--kind", "rant"], "unknown kind"),
        (["--format", "xml"], "xml"),
    ],
)
def test_bad_flags_exit_two_without_traceback(args, expected):
    result = run_cli("lint", str(GOOD), *args)
    assert result.returncode == 2, result.stdout
    assert expected in result.stderr + result.stdout
    assert "Traceback" not in result.stderr


def test_language_is_detected_and_reported():
    result = run_cli("lint", "-", "--format", "json", input="Przepraszamy za opóźnienie, napisz do nas na priv.")
    entry = json.loads(result.stdout)["files"][0]
    assert entry["language"] == "pl"
    assert "language" in entry["context"]["assumed"]


def test_no_color_and_force_color():
    forced = run_cli("lint", str(BAD), env={"FORCE_COLOR": "1"})
    assert "\x1b[" in forced.stdout
    plain = run_cli("lint", str(BAD), env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert "\x1b[" not in plain.stdout


def test_help_on_every_command():
    for args in (["--help"], ["lint", "--help"], ["rules", "--help"], ["rules", "explain", "--help"]):
        result = run_cli(*args)
        assert result.returncode == 0 and "Usage" in result.stdout, args


def test_rules_list_and_explain():
    listing = run_cli("rules", "--format", "json")
    rows = json.loads(listing.stdout)
    names = {r["name"] for r in rows}
    assert {"missing-apology", "non-apology", "no-private-channel", "corporate-speak"} <= names
    explained = run_cli("rules", "explain", "non-apology")
    assert explained.returncode == 0
    assert "seed 000" in explained.stdout and "✗" in explained.stdout and "✓" in explained.stdout
    typo = run_cli("rules", "explain", "non-apolgy")
    assert typo.returncode == 2 and "did you mean non-apology" in typo.stderr


def test_output_is_complete_and_a_closed_pipe_is_quiet(tmp_path):
    """The process ends without Python's shutdown (see cli._exit): the report must still be
    written in full, and a reader that stops early (`| head`) must not cause a traceback."""
    import subprocess
    import sys

    folder = tmp_path / "replies"
    folder.mkdir()
    for i in range(300):  # enough output to fill a pipe's buffer many times over
        (folder / f"r{i:03d}.txt").write_text("We're sorry you feel that way. We apologize for any inconvenience.\n",
                                              encoding="utf-8")
    full = run_cli("lint", "--format", "json", str(folder))
    assert json.loads(full.stdout)["summary"]["files"] == 300 and full.returncode == 1
    process = subprocess.Popen([sys.executable, "-m", "replycoach", "lint", str(folder)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.read(200)
    process.stdout.close()  # the reader goes away
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=120) == 1
    assert "Traceback" not in stderr


def test_an_install_without_its_playbooks_says_so_instead_of_a_traceback(tmp_path):
    """A package copied without its data folders (a broken install) exits 2 with what to do."""
    import os
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    import replycoach

    shutil.copytree(Path(replycoach.__file__).parent, tmp_path / "replycoach",
                    ignore=shutil.ignore_patterns("playbooks", "templates", "__pycache__"))
    env = {**os.environ, "PYTHONPATH": str(tmp_path), "REPLYCOACH_NO_CACHE": "1"}
    done = subprocess.run([sys.executable, "-m", "replycoach", "lint", str(FIXTURES / "good_reply_en.txt")],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "playbooks/ folder is missing: reinstall replycoach" in done.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_is_read_to_its_end(tmp_path):
    """A pipe reports a size of 0: the reader must not trust the size and stop early."""
    pipe = tmp_path / "reply.txt"
    os.mkfifo(pipe)
    reply = "We're sorry your parcel is late, Anna. DM us your order number and I'll chase it today.\n" * 40
    reply += "THIS IS VERY URGENT FOR US TOO!!\n"  # only the last line shouts

    def write():
        with open(pipe, "w", encoding="utf-8") as fh:
            for line in reply.splitlines(keepends=True):
                fh.write(line)
                fh.flush()

    writer = threading.Thread(target=write)
    writer.start()
    result = run_cli("lint", "--format", "json", str(pipe))
    writer.join(timeout=30)
    report = json.loads(result.stdout)
    assert report["files"][0]["path"] == str(pipe) and report["summary"]["problems"] == 0
    assert 41 in {d["line"] for d in report["files"][0]["diagnostics"]}, "the end of the pipe was not read"


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_an_endless_device_is_refused_at_the_size_limit():
    result = run_cli("lint", "/dev/zero")
    assert result.returncode == 2
    assert "over the" in result.stderr and "limit" in result.stderr
