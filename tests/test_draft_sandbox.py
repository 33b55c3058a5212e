"""User templates run in a sandbox with limits: what gets stopped, and how it is reported."""

from __future__ import annotations

import threading
import time

import pytest

from replycoach.draft.sandbox import TemplateProblem, limited_environment, render


def env_with(tmp_path, **templates):
    for name, source in templates.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
    return limited_environment([tmp_path])


def problem(tmp_path, source: str, timeout: float = 2.0, **variables) -> TemplateProblem:
    env = env_with(tmp_path, **{"t.j2": source})
    with pytest.raises(TemplateProblem) as info:
        render(env, "t.j2", variables, timeout=timeout)
    return info.value


@pytest.mark.parametrize(("source", "expected"), [
    ("{{ ''.__class__.__mro__ }}", "stopped by the sandbox: access to attribute '__class__'"),
    ("{{ cycler.__init__.__globals__ }}", "stopped by the sandbox"),
    ("{{ 'x' * 10**9 }}", "stopped by the sandbox"),
    ("{{ range(5000)|list|length }}", "stopped by the sandbox: range() of more than"),
    ("{{ '%0999999999d'|format(1) }}", "stopped by the sandbox: a format width"),
    ("{{ 'x'.ljust(10**9) }}", "stopped by the sandbox: a number larger than"),
    ("{{ 'x'|center(10**9) }}", "stopped by the sandbox: a number larger than"),
    ("{{ nobody }}", "uses an undefined variable: 'nobody' is undefined"),
    ("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "recurses without end"),
    ("{% for i in range(1000) %}{{ 'x' * 1000 }}{% endfor %}", "the output passed"),
    ("{% if %}", "does not parse"),
])
def test_dangerous_or_broken_templates_are_stopped_with_one_clear_message(tmp_path, source, expected):
    found = problem(tmp_path, source)
    assert expected in found.message
    assert found.where.startswith(str(tmp_path / "t.j2"))
    assert "\n" not in str(found)


def test_a_template_that_loops_forever_is_stopped_by_the_clock(tmp_path):
    source = ("{% for a in range(1000) %}{% for b in range(1000) %}{% for c in range(1000) %}"
              "{% endfor %}{% endfor %}{% endfor %}")
    started = time.monotonic()
    found = problem(tmp_path, source, timeout=0.3)
    assert "stopped after 0.3 s" in found.message
    assert time.monotonic() - started < 5


def test_the_clock_also_works_outside_the_main_thread(tmp_path):
    env = env_with(tmp_path, **{"t.j2": "{% for a in range(1000) %}{% for b in range(1000) %}"
                                        "{% for c in range(1000) %}{% endfor %}{% endfor %}{% endfor %}"})
    caught = []

    def work():
        try:
            render(env, "t.j2", {}, timeout=0.3)
        except TemplateProblem as exc:
            caught.append(exc)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(10)
    assert not thread.is_alive() and caught and "stopped after" in caught[0].message


@pytest.mark.parametrize("name", ["/etc/passwd", "../secret.txt", "sub/../../secret.txt"])
def test_templates_cannot_read_files_outside_their_folder(tmp_path, name):
    (tmp_path / "secret.txt").write_text("TOP SECRET")
    folder = tmp_path / "templates"
    folder.mkdir()
    env = env_with(folder, **{"t.j2": "{% include '" + name + "' %}"})
    with pytest.raises(TemplateProblem) as info:
        render(env, "t.j2", {})
    assert "outside the template folder" in info.value.message
    assert "TOP SECRET" not in str(info.value)


def test_a_symlink_out_of_the_folder_is_refused(tmp_path):
    (tmp_path / "secret.txt").write_text("TOP SECRET")
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "innocent.j2").symlink_to(tmp_path / "secret.txt")
    env = env_with(folder, **{"t.j2": "{% include 'innocent.j2' %}"})
    with pytest.raises(TemplateProblem, match="outside the template folder"):
        render(env, "t.j2", {})


def test_later_folders_fill_in_what_the_first_lacks(tmp_path):
    user, builtin = tmp_path / "user", tmp_path / "builtin"
    env_with(builtin, **{"parts.j2": "{% macro hi() %}hello{% endmacro %}", "t.j2": "built-in"})
    env_with(user, **{"t.j2": "{% import 'parts.j2' as p %}{{ p.hi() }} from the user"})
    env = limited_environment([user, builtin])
    assert render(env, "t.j2", {}) == "hello from the user"


def test_ordinary_templates_render_normally(tmp_path):
    env = env_with(tmp_path, **{"t.j2": "{% for n in names %}{{ n|upper }} {% endfor %}{{ 2 ** 10 }}"})
    assert render(env, "t.j2", {"names": ["a", "b"]}) == "A B 1024"


def test_compiled_templates_are_cached_only_in_a_folder_nobody_else_can_write(tmp_path, monkeypatch):
    from replycoach.draft.sandbox import _bytecode_cache

    private = tmp_path / "private"
    monkeypatch.setenv("REPLYCOACH_CACHE_DIR", str(private))
    assert _bytecode_cache() is not None
    assert (private / "templates").stat().st_mode & 0o077 == 0
    shared = tmp_path / "shared"
    (shared / "templates").mkdir(parents=True)
    (shared / "templates").chmod(0o777)
    monkeypatch.setenv("REPLYCOACH_CACHE_DIR", str(shared))
    assert _bytecode_cache() is None
    monkeypatch.setenv("REPLYCOACH_NO_CACHE", "1")
    assert _bytecode_cache() is None


def test_a_broken_cache_does_not_stop_a_render(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("REPLYCOACH_CACHE_DIR", str(cache))
    env = env_with(tmp_path / "t", **{"t.j2": "{% macro m() %}ok{% endmacro %}{{ m() }}"})
    (cache / "templates").rmdir()
    (cache / "templates").write_text("not a folder")  # neither readable nor writable as a cache now
    assert render(env, "t.j2", {}) == "ok"
