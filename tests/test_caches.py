"""The on-disk caches that make a warm run fast must never change what a run reports.

Each cache is tested for what a user would notice: the same findings with it as without,
recovery from a damaged or foreign cache file, and nothing written when caching is off.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from replycoach.core import regexcache

PATTERNS = [
    (r"(?<![\w@#])(?:(?P<e0>sorry(?!\w))|(?P<e1>apologi[sz]e\w*))", re.I | re.M),
    (r"(?-i:\n[ \t]*[A-Z][a-z]{1,20}\s*\Z)", re.I | re.M),
    (r"\{\{\s*[A-Za-z_][\w.]*\s*\}\}", 0),
    (r"(?<!\d)(?:\d[ -]?){12,18}\d(?!\d)", 0),
]


def _fresh(monkeypatch):
    monkeypatch.setattr(regexcache, "_groups", {})
    monkeypatch.setattr(regexcache, "_compiled", {})
    monkeypatch.setattr(regexcache, "_added", {})


@settings(max_examples=60, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("sorry apologise SORRY {} Ann\n 1234-5678 x.")), max_size=60))
def test_a_cached_regex_matches_exactly_as_re_compile_does(text):
    for source, flags in PATTERNS:
        cached = regexcache.compile(source, flags, "test-group")  # in the per-test cache (conftest)
        plain = re.compile(source, flags)
        assert [(m.span(), m.lastgroup) for m in cached.finditer(text)] == \
               [(m.span(), m.lastgroup) for m in plain.finditer(text)]


def _no_compiler(monkeypatch):
    """From here on, a pattern can only come from the cache file: re's own cache is emptied and
    its parser refuses to work."""

    def refuse(*args, **kwargs):
        raise AssertionError("compiled afresh instead of read from the cache")

    re.purge()
    monkeypatch.setattr(regexcache._parser, "parse", refuse)


def _group_file(directory: Path, group: str, header: dict, blob: bytes = b"") -> None:
    folder = directory / f"regex-{regexcache._TAG}"
    folder.mkdir(exist_ok=True)
    raw = json.dumps(header).encode()
    (folder / f"{group}.bin").write_bytes(regexcache.MAGIC + len(raw).to_bytes(8, "little") + raw + blob)


def test_regex_code_is_read_back_from_the_cache_file_in_a_new_run(tmp_path, monkeypatch):
    monkeypatch.setenv("REPLYCOACH_CACHE_DIR", str(tmp_path))
    _fresh(monkeypatch)
    for source, flags in PATTERNS:
        regexcache.compile(source, flags, "g")
    regexcache.save()
    (stored,) = list(tmp_path.glob("regex-*/g.bin"))
    assert stored.read_bytes().startswith(regexcache.MAGIC)
    _fresh(monkeypatch)  # a new run: nothing in memory
    _no_compiler(monkeypatch)
    assert regexcache.compile(*PATTERNS[0], "g").match("Sorry").lastgroup == "e0"
    assert regexcache.compile(*PATTERNS[3], "g").search("card 4111 1111 1111 1111 ok")
    assert regexcache.compile(*PATTERNS[1], "g").search("Thanks!\n  Anna")


def test_regexes_libraries_compile_on_import_come_from_the_cache_in_the_next_run(tmp_path, monkeypatch):
    """What pydantic, Jinja or YAML compile with `re` inside `for_imports` is stored, and the
    next run's `re.compile` of it is answered from the file, with the same matches."""
    monkeypatch.setenv("REPLYCOACH_CACHE_DIR", str(tmp_path))
    _fresh(monkeypatch)
    source = r"(?P<year>\d{4})-(?P<month>\d\d)  # as a library writes it, verbose"
    re.purge()
    with regexcache.for_imports("libraries"):
        first = re.compile(source, re.X)
    regexcache.save()
    _fresh(monkeypatch)  # a new run
    _no_compiler(monkeypatch)
    with regexcache.for_imports("libraries"):
        again = re.compile(source, re.X)  # the compiler refuses to run: this comes from the file
    assert again.match("2024-05-01").groupdict() == first.match("2024-05-01").groupdict() == \
        {"year": "2024", "month": "05"}
    re.purge()


@pytest.mark.parametrize("damage", ["not a cache file", "foreign tag", "code out of bounds", "code that is not code"])
def test_a_damaged_or_foreign_regex_cache_falls_back_to_compiling(tmp_path, monkeypatch, damage):
    monkeypatch.setenv("REPLYCOACH_CACHE_DIR", str(tmp_path))
    _fresh(monkeypatch)
    source, flags = PATTERNS[2]
    key = f"{int(flags)}:{source}"
    if damage == "not a cache file":
        (tmp_path / f"regex-{regexcache._TAG}").mkdir()
        (tmp_path / f"regex-{regexcache._TAG}" / "g.bin").write_text("not json")
    elif damage == "foreign tag":
        _group_file(tmp_path, "g", {"tag": "other", "patterns": {key: [32, [0, 3], 0, {}, [None]]}}, b"\0" * 12)
    elif damage == "code out of bounds":
        _group_file(tmp_path, "g", {"tag": regexcache._TAG, "patterns": {key: [32, [5, 900], 0, {}, [None]]}})
    else:  # well-formed words that _sre refuses
        _group_file(tmp_path, "g", {"tag": regexcache._TAG, "patterns": {key: [32, [0, 3], 0, {}, [None]]}},
                    b"\x07\x00\x00\x00" * 3)
    regex = regexcache.compile(source, flags, "g")  # the bad record is refused: compiled afresh
    assert regex.fullmatch("{{ customer.name }}") and not regex.fullmatch("{{ x | y }}")
    regexcache.save()  # and the file is rewritten with a good record
    _fresh(monkeypatch)
    _no_compiler(monkeypatch)
    assert regexcache.compile(source, flags, "g").fullmatch("{{ name }}")


def test_patterns_are_saved_where_the_cache_was_when_they_were_compiled(tmp_path, monkeypatch):
    """A setting changed before the process ends (a test, an embedding tool) must not send
    the patterns to another cache folder."""
    monkeypatch.setenv("REPLYCOACH_CACHE_DIR", str(tmp_path / "first"))
    _fresh(monkeypatch)
    regexcache.compile(r"\bfirst-folder\b", 0, "g")
    monkeypatch.setenv("REPLYCOACH_CACHE_DIR", str(tmp_path / "second"))
    regexcache.save()
    assert list((tmp_path / "first").rglob("g.bin")) and not (tmp_path / "second").exists()


def test_no_regex_cache_is_written_when_caching_is_off(tmp_path, monkeypatch):
    monkeypatch.delenv("REPLYCOACH_CACHE_DIR")
    monkeypatch.setenv("REPLYCOACH_NO_CACHE", "1")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("HOME", str(tmp_path))
    _fresh(monkeypatch)
    regexcache.compile(r"\bnever-seen-before\b", 0, "g")
    regexcache.save()
    assert not list(tmp_path.rglob("*.*"))


def _lint_json(*args: str, cwd: Path | None = None) -> dict:
    out = subprocess.run([sys.executable, "-m", "replycoach", "lint", "--format", "json", *args],
                         capture_output=True, text=True, cwd=cwd)
    assert out.returncode in (0, 1), out.stderr
    return json.loads(out.stdout)


def _findings(report: dict) -> list:
    return [(f["path"], d["rule"], d["line"], d["column"], d["message"])
            for f in report["files"] for d in f["diagnostics"]]


def test_warm_runs_and_a_damaged_cache_report_what_a_cold_run_reports(tmp_path, monkeypatch):
    """Cold run, warm run, then every cache file truncated: the same findings each time."""
    monkeypatch.setenv("REPLYCOACH_CACHE_DIR", str(tmp_path / "cache"))
    replies = tmp_path / "replies"
    replies.mkdir()
    (replies / "en.txt").write_text("We apologise for any inconvenience caused. Please DM us your email.\n")
    (replies / "pl.txt").write_text("Przepraszamy za utrudnienia. Napisz do nas na priv. - Ania\n")
    (replies / "bg.txt").write_text("Съжаляваме за неудобството. Пишете ни на лично. - Ани\n")
    (replies / "bad.j2").write_text("Hi {{ customer.name }}, {% if x %}sorry\n")
    cold = _findings(_lint_json(str(replies)))
    assert any(rule == "template-error" for _, rule, *_ in cold)
    assert _findings(_lint_json(str(replies))) == cold
    damaged = list((tmp_path / "cache").rglob("*.json"))
    damaged += list((tmp_path / "cache").rglob("*.bin"))
    assert any(p.suffix == ".bin" for p in damaged) and any(".lexicon-" in p.name for p in damaged)
    for path in damaged:
        path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])
    assert _findings(_lint_json(str(replies))) == cold
    assert _findings(_lint_json(str(replies))) == cold  # and the rewritten cache is good again


def test_a_playbook_part_from_another_build_is_not_mixed_in(tmp_path, monkeypatch):
    from replycoach.core.cache import cached

    monkeypatch.setenv("REPLYCOACH_CACHE_DIR", str(tmp_path))
    source = tmp_path / "source.txt"
    source.write_text("v1")
    builds = []

    def build():
        builds.append(1)
        return {"name": "x", "by_lang": {"en": [source.read_text()], "pl": ["p"]}}, [str(source)]

    assert cached("t", "k", build, split=("by_lang",))["by_lang"]["en"] == ["v1"]
    warm = cached("t", "k", build, split=("by_lang",))
    assert sorted(warm["by_lang"]) == ["en", "pl"] and len(builds) == 1
    assert warm["by_lang"]["en"] == ["v1"] and len(builds) == 1  # read from its part file
    part = next(p for p in tmp_path.glob("t-*.by_lang-*.json") if '"v1"' in p.read_text())
    part.write_text(json.dumps({"token": "someone-else", "data": ["stale"]}))
    again = cached("t", "k", build, split=("by_lang",))
    assert again["by_lang"]["en"] == ["v1"] and len(builds) == 2  # rebuilt, not the stale part


def test_a_group_file_grows_by_what_is_added_not_by_what_it_holds(tmp_path, monkeypatch):
    monkeypatch.setenv("REPLYCOACH_CACHE_DIR", str(tmp_path))
    sizes = []
    for n in range(4):
        _fresh(monkeypatch)
        regexcache.compile(PATTERNS[0][0], PATTERNS[0][1], "g")  # read back from the file after the first run
        regexcache.compile(rf"\bword{n}\b", re.I, "g")  # one new pattern per run
        regexcache.save()
        sizes.append(next(tmp_path.rglob("g.bin")).stat().st_size)
    growth = [b - a for a, b in pairwise(sizes)]
    assert max(growth) - min(growth) < 64, sizes  # each run adds one small pattern's worth


def test_editing_the_code_that_shapes_cached_data_rebuilds_it(tmp_path, monkeypatch):
    """An upgrade that keeps the version number (or a development install) must not serve
    data validated by the old code: the schema's defaults are part of what is cached."""
    from replycoach.core import cache

    monkeypatch.setenv("REPLYCOACH_CACHE_DIR", str(tmp_path / "cache"))
    source, code = tmp_path / "source.yaml", tmp_path / "schema.py"
    source.write_text("data")
    code.write_text("DEFAULT = 1\n")
    monkeypatch.setattr(cache, "CODE", (str(code),))
    builds = []

    def build():
        builds.append(code.read_text())
        return {"default": code.read_text()}, [str(source)]

    assert cache.cached("test", "k", build) == cache.cached("test", "k", build) == {"default": "DEFAULT = 1\n"}
    assert len(builds) == 1  # the second call was served from the cache
    code.write_text("DEFAULT = 22\n")
    assert cache.cached("test", "k", build) == {"default": "DEFAULT = 22\n"}
    assert len(builds) == 2
