"""`lint --fix` and `--diff`: the playbook's plain-words substitutions, applied safely.

What a user relies on: the fix lands where the finding was, nothing else in the file moves
(encoding, byte-order mark, line endings, permissions), a file with nothing to fix is not
touched, a read-only file is reported and left alone, and --diff writes nothing.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import run_cli

CORPORATE = ("--select", "corporate-speak", "--lang", "en")
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "canned-repo"


def test_fix_rewrites_phrases_keeps_case_and_reports_what_remains(tmp_path):
    reply = tmp_path / "reply.txt"
    reply.write_text("Hi Anna,\nKindly note the parcel is late. Please note that the box was damaged.\n"
                     "We hereby confirm a refund.\n- Ann\n", encoding="utf-8")
    result = run_cli("lint", "reply.txt", "--fix", *CORPORATE, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert reply.read_text(encoding="utf-8") == (
        "Hi Anna,\nPlease note the parcel is late. The box was damaged.\nWe confirm a refund.\n- Ann\n")
    assert "fixed 3 findings in 1 file" in result.stderr
    assert "corporate-speak" not in result.stdout  # the report is of the fixed file


def test_fix_keeps_bom_crlf_and_mixed_line_endings_and_permissions(tmp_path):
    reply = tmp_path / "reply.md"
    original = b"\xef\xbb\xbfHi Anna,\r\nKindly wait.\nWe value your feedback.\r\n- Ann"
    reply.write_bytes(original)
    reply.chmod(0o640)
    result = run_cli("lint", str(reply), "--fix", *CORPORATE)
    assert result.returncode == 0, result.stderr
    assert reply.read_bytes() == b"\xef\xbb\xbfHi Anna,\r\nPlease wait.\nThanks for telling us.\r\n- Ann"
    assert stat.S_IMODE(reply.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["reply.md"]  # no temporary file left behind


def test_fix_keeps_utf16(tmp_path):
    reply = tmp_path / "reply.txt"
    reply.write_bytes("Hi Żaneta, kindly wait.\r\n".encode("utf-16"))
    result = run_cli("lint", str(reply), "--fix", *CORPORATE)
    assert result.returncode == 0, result.stderr
    assert reply.read_bytes() == "Hi Żaneta, please wait.\r\n".encode("utf-16")


def test_a_file_with_nothing_to_fix_is_not_touched(tmp_path):
    clean = tmp_path / "clean.txt"
    clean.write_text("Hi Anna, sorry, I've sent a new one today. - Ann\n", encoding="utf-8")
    dirty = tmp_path / "dirty.txt"
    dirty.write_text("Hi Anna, kindly wait.\n", encoding="utf-8")
    os.utime(clean, (1_000_000_000, 1_000_000_000))
    before = clean.stat()
    result = run_cli("lint", str(clean), str(dirty), "--fix", *CORPORATE)
    assert result.returncode == 0, result.stderr
    after = clean.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert dirty.read_text(encoding="utf-8") == "Hi Anna, please wait.\n"


def test_a_read_only_file_is_reported_and_left_unchanged(tmp_path):
    locked = tmp_path / "locked.txt"
    locked.write_text("Hi Anna, kindly wait.\n", encoding="utf-8")
    locked.chmod(0o444)
    other = tmp_path / "other.txt"
    other.write_text("Hi Bob, kindly wait.\n", encoding="utf-8")
    result = run_cli("lint", str(locked), str(other), "--fix", *CORPORATE)
    assert result.returncode == 2
    assert f"{locked}: read-only file: not fixed" in result.stderr
    assert locked.read_text(encoding="utf-8") == "Hi Anna, kindly wait.\n"
    assert other.read_text(encoding="utf-8") == "Hi Bob, please wait.\n"


def test_diff_shows_the_fix_and_writes_nothing(tmp_path):
    reply = tmp_path / "reply.txt"
    reply.write_text("Hi Anna,\nkindly wait.\n", encoding="utf-8")
    result = run_cli("lint", "reply.txt", "--diff", *CORPORATE, cwd=tmp_path)
    assert result.returncode == 1  # there is something to fix
    assert result.stdout == ("--- a/reply.txt\n+++ b/reply.txt\n@@ -1,2 +1,2 @@\n Hi Anna,\n"
                             "-kindly wait.\n+please wait.\n")
    assert reply.read_text(encoding="utf-8") == "Hi Anna,\nkindly wait.\n"
    clean = run_cli("lint", "-", "--diff", *CORPORATE, input="Hi Anna, sorry.\n")
    assert (clean.returncode, clean.stdout) == (0, "")


def test_fix_and_diff_together_is_a_usage_error(tmp_path):
    reply = tmp_path / "reply.txt"
    reply.write_text("Hi Anna, kindly wait.\n", encoding="utf-8")
    result = run_cli("lint", str(reply), "--fix", "--diff")
    assert result.returncode == 2 and "--fix and --diff" in result.stderr
    assert reply.read_text(encoding="utf-8") == "Hi Anna, kindly wait.\n"


COLLECTION = """\
# saved replies (comments and layout must survive --fix)
responses:
  - id: block
    text: |
      Hi {{ customer.name }},
      kindly DM us and I'll check today.
      We apologise for any inconvenience this may have caused. - Ann
  - id: single
    text: 'Hi {{ customer.name }}, kindly DM us. We apologise for any inconvenience this may have caused.'
  - id: double
    text: "Hi {{ customer.name }},\\nkindly DM us. \\u00e9"
  - id: plain
    text: Hi {{ customer.name }}, kindly DM us.
"""


def test_fix_inside_a_yaml_collection_keeps_its_layout_and_quoting(tmp_path):
    path = tmp_path / "replies.yaml"
    path.write_text(COLLECTION, encoding="utf-8")
    result = run_cli("lint", str(path), "--fix", *CORPORATE)
    assert result.returncode == 0, result.stdout + result.stderr
    fixed = path.read_text(encoding="utf-8")
    assert fixed.startswith("# saved replies (comments and layout must survive --fix)\n")
    texts = {r["id"]: r["text"] for r in yaml.safe_load(fixed)["responses"]}
    assert texts == {
        "block": "Hi {{ customer.name }},\nplease DM us and I'll check today.\nI'm sorry about this. - Ann\n",
        "single": "Hi {{ customer.name }}, please DM us. I'm sorry about this.",
        "double": "Hi {{ customer.name }},\nplease DM us. é",
        "plain": "Hi {{ customer.name }}, please DM us.",
    }
    assert "'Hi {{ customer.name }}, please DM us. I''m sorry about this.'" in fixed  # quoting kept
    assert '"Hi {{ customer.name }},\\nplease DM us. \\u00e9"' in fixed  # escapes kept


def test_fix_inside_a_json_collection(tmp_path):
    path = tmp_path / "replies.json"
    path.write_text('[\n  {"id": "a", "text": "Hi {{ customer.name }}, kindly DM us.\\nWe apologise for any '
                    'inconvenience this may have caused."}\n]\n', encoding="utf-8")
    result = run_cli("lint", str(path), "--fix", *CORPORATE)
    assert result.returncode == 0, result.stdout + result.stderr
    assert path.read_text(encoding="utf-8") == (
        '[\n  {"id": "a", "text": "Hi {{ customer.name }}, please DM us.\\nI\'m sorry about this."}\n]\n')


def test_fix_skips_what_cannot_be_rewritten_exactly_and_says_so(tmp_path):
    path = tmp_path / "replies.json"
    original = '[{"id": "a", "text": "Hi {{ customer.name }}, \\u006bindly DM us."}]\n'  # an escaped "k"
    path.write_text(original, encoding="utf-8")
    result = run_cli("lint", str(path), "--fix", *CORPORATE)
    assert result.returncode == 0  # a warning remains; nothing failed
    assert path.read_text(encoding="utf-8") == original
    assert "corporate-speak: not fixed" in result.stderr
    assert "corporate-speak" in result.stdout  # still reported after the attempt


def test_fix_on_the_example_repository_removes_every_fixable_finding(tmp_path):
    repo = tmp_path / "canned-repo"
    shutil.copytree(EXAMPLE, repo)
    before = run_cli("lint", "responses", "--format", "json", cwd=repo)
    fixable = [d for f in _files(before) for d in f["diagnostics"] if "replacement" in d]
    assert fixable, "the example repository should have something to fix"
    result = run_cli("lint", "responses", "--fix", "--format", "json", cwd=repo)
    assert f"fixed {len(fixable)} findings" in result.stderr, result.stderr
    after = [d for f in _files(result) for d in f["diagnostics"] if "replacement" in d]
    assert after == []
    assert not list(repo.rglob("*.replycoach-fix"))


def _files(result):
    return json.loads(result.stdout)["files"]


@pytest.mark.skipif(os.name != "posix", reason="symlinks")
def test_fix_writes_through_a_symlink_and_keeps_the_link(tmp_path):
    real = tmp_path / "real.txt"
    real.write_text("Hi Anna, kindly wait.\n", encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    result = run_cli("lint", str(link), "--fix", *CORPORATE)
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "Hi Anna, please wait.\n"


TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")), max_size=30)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=TEXT, after=TEXT, style=st.sampled_from([None, "'", '"', "|", ">", "json", "json-ascii"]))
def test_a_fixed_collection_always_reads_back_as_the_fixed_text(tmp_path, before, after, style):
    """Whatever the text and quoting: --fix yields exactly the intended response, or no change."""
    from replycoach.lint.fixer import plan_fixes
    from replycoach.lint.runner import LintOptions, run_lint

    body = f"{before} kindly DM us {after}"
    if style in ("json", "json-ascii"):
        path = tmp_path / "r.json"
        path.write_text(json.dumps([{"id": "x", "text": body}], ensure_ascii=style == "json-ascii"), encoding="utf-8")
    else:
        path = tmp_path / "r.yaml"
        path.write_text(yaml.safe_dump([{"id": "x", "text": body}], default_style=style, allow_unicode=True,
                                       width=25), encoding="utf-8")
    if yaml.safe_load(path.read_text(encoding="utf-8"))[0]["text"] != body:
        return  # PyYAML itself does not round-trip this text
    run = run_lint([str(path)], LintOptions(select=frozenset({"corporate-speak"}),
                                            context={"language": "en", "template": True}))
    plans, notes = plan_fixes(run)
    kindly = [d for r in run.results for d in r.diagnostics if d.match == "kindly"]
    if not plans:
        assert notes or not kindly
        return
    (plan,) = plans
    loaded = yaml.safe_load(plan.new_text) if style not in ("json", "json-ascii") else json.loads(plan.new_text)
    fixed = loaded[0]["text"]
    if body.count("kindly") == 1:
        assert fixed == body.replace("kindly", "please")
    else:
        assert fixed.count("please") == body.count("please") + len(plan.edits)


def test_a_phrase_folded_over_two_lines_of_a_collection_is_fixed(tmp_path):
    path = tmp_path / "replies.yaml"
    path.write_bytes(b"- id: a\r\n  text: 'Hi {{ customer.name }}, sorry. We apologize for\r\n"
                     b"    any inconvenience this may have caused. Kindly DM us.'\r\n")
    result = run_cli("lint", str(path), "--fix", *CORPORATE)
    assert result.returncode == 0, result.stdout + result.stderr
    assert path.read_bytes() == (b"- id: a\r\n  text: 'Hi {{ customer.name }}, sorry. I''m sorry about this. "
                                 b"Please DM us.'\r\n")


# --- files --fix cannot write ---------------------------------------------------------------

KINDLY = "Hi {}, kindly wait.\n"
PLEASE = "Hi {}, please wait.\n"


def _three_replies(tmp_path):
    """Three replies to fix, the middle one in its own folder: `first`, `locked/middle`, `last`."""
    (tmp_path / "locked").mkdir()
    paths = [tmp_path / "first.txt", tmp_path / "locked" / "middle.txt", tmp_path / "last.txt"]
    for path, name in zip(paths, ("Ann", "Bob", "Cy"), strict=True):
        path.write_text(KINDLY.format(name), encoding="utf-8")
    return paths


def _deny_writes_in(folder: Path, monkeypatch) -> None:
    """Make `folder` behave as a read-only folder does for a user: creating, renaming or
    deleting a file in it fails with EACCES (for root the folder's mode is not enforced)."""
    import errno

    def check(path) -> None:
        if isinstance(path, str | bytes | os.PathLike) and Path(os.fsdecode(path)).resolve().parent == folder:
            raise PermissionError(errno.EACCES, "Permission denied", os.fsdecode(path))

    real = {name: getattr(os, name) for name in ("open", "replace", "rename", "unlink", "remove")}

    def open_(path, flags, *args, **kwargs):
        if flags & os.O_CREAT:  # reading stays allowed
            check(path)
        return real["open"](path, flags, *args, **kwargs)

    def moving(name):
        def call(src, dst, *args, **kwargs):
            check(src)
            check(dst)
            return real[name](src, dst, *args, **kwargs)
        return call

    def removing(name):
        def call(path, *args, **kwargs):
            check(path)
            return real[name](path, *args, **kwargs)
        return call

    monkeypatch.setattr(os, "open", open_)
    for name in ("replace", "rename"):
        monkeypatch.setattr(os, name, moving(name))
    for name in ("unlink", "remove"):
        monkeypatch.setattr(os, name, removing(name))


def _assert_middle_reported_others_fixed(result, paths):
    first, middle, last = paths
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"replycoach: {middle}: cannot write: Permission denied\n" in result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert first.read_text(encoding="utf-8") == PLEASE.format("Ann")
    assert middle.read_text(encoding="utf-8") == KINDLY.format("Bob")
    assert last.read_text(encoding="utf-8") == PLEASE.format("Cy")  # the file after it is fixed too
    assert "fixed 2 findings in 2 files" in result.stderr
    assert "1 file could not be written" in result.stderr
    assert not list(middle.parent.parent.rglob("*.replycoach-fix"))


def test_a_file_in_a_read_only_folder_is_reported_and_the_others_are_fixed(tmp_path, monkeypatch):
    paths = _three_replies(tmp_path)
    locked = paths[1].parent
    locked.chmod(0o555)
    try:
        if os.access(locked, os.W_OK):  # root: the mode is not enforced, so make it so
            _deny_writes_in(locked.resolve(), monkeypatch)
        result = run_cli("lint", *map(str, paths), "--fix", *CORPORATE)
    finally:
        locked.chmod(0o755)
    _assert_middle_reported_others_fixed(result, paths)


def test_a_file_that_cannot_be_replaced_is_reported_and_the_others_are_fixed(tmp_path, monkeypatch):
    """The write fails at the last step (an immutable file, a folder that turned read-only)."""
    import errno

    paths = _three_replies(tmp_path)
    real_replace = os.replace

    def replace(src, dst, *args, **kwargs):
        if Path(dst) == paths[1].resolve():
            raise PermissionError(errno.EACCES, "Permission denied", str(dst))
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    result = run_cli("lint", *map(str, paths), "--fix", *CORPORATE)
    _assert_middle_reported_others_fixed(result, paths)


def test_a_read_only_file_among_others_is_reported_and_the_rest_are_fixed(tmp_path):
    first, middle, last = _three_replies(tmp_path)
    middle.chmod(0o444)
    result = run_cli("lint", str(first), str(middle), str(last), "--fix", *CORPORATE)
    assert result.returncode == 2
    assert f"replycoach: {middle}: read-only file: not fixed" in result.stderr
    assert "Traceback" not in result.stderr
    assert middle.read_text(encoding="utf-8") == KINDLY.format("Bob")
    assert [first.read_text(encoding="utf-8"), last.read_text(encoding="utf-8")] == [
        PLEASE.format("Ann"), PLEASE.format("Cy")]
    assert not list(tmp_path.rglob("*.replycoach-fix"))


@pytest.mark.parametrize("step", ["fsync", "replace"])
def test_ctrl_c_while_fixing_leaves_no_temporary_file(tmp_path, monkeypatch, step):
    """Ctrl-C once the temporary file is written (fsync), or just before it replaces the reply."""
    first, middle, last = _three_replies(tmp_path)
    real = getattr(os, step)
    calls = []

    def interrupted(*args, **kwargs):
        calls.append(args)
        # the second file fixed is the middle one; os.replace is also used by the caches
        if (step == "fsync" and len(calls) == 2) or (step == "replace" and Path(args[1]) == middle.resolve()):
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(os, step, interrupted)
    result = run_cli("lint", str(first), str(middle), str(last), "--fix", *CORPORATE)
    assert result.returncode == 130, result.stderr
    assert "Traceback" not in result.stderr
    assert not list(tmp_path.rglob("*.replycoach-fix"))
    assert first.read_text(encoding="utf-8") == PLEASE.format("Ann")
    assert middle.read_text(encoding="utf-8") == KINDLY.format("Bob")  # untouched, not half-written
