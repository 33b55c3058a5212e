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


def _doubling(step: str, start: str) -> str:
    """A value doubled 40 times through a namespace: 2**40 times its start, unless something stops it."""
    return ("{% set ns = namespace(v=" + start + ") %}{% for i in range(40) %}{% set ns.v = " + step
            + " %}{% endfor %}{{ ns.v|length }}")


TWENTY_K = '{% set s = "x" * 20000 %}'


def _nested(name: str, levels: int = 45) -> str:
    """`name`0 to `name`45, each a list of two of the one before: 2**45 items, built in 45 steps."""
    return "".join(f"{{% set {name}{i + 1} = [{name}{i}, {name}{i}] %}}" for i in range(levels))


# Without a size cap each of these takes hundreds of megabytes to gigabytes in a C call the clock cannot
# interrupt (or hangs there): a signal handler only runs once the call returns.
MEMORY_BOMBS = {
    "format width": '{{ "{0:3000000000}".format(1) }}',
    "format width from an argument": '{{ "{0:{1}}".format(1, "3000000000") }}',
    "format precision": '{{ "{:.3000000000f}".format(1.5) }}',
    "format_map width": '{{ "{x:3000000000}".format_map({"x": 1}) }}',
    "format fields over a long value": TWENTY_K + '{{ ("{0}" * 5000).format(s)|length }}',
    "%-format * width": '{{ "%*d" % (3000000000, 1) }}',
    "%-format keyed width": '{{ "%(a)3000000000d" % {"a": 1} }}',
    "%-format filter keyed width": '{{ "%(a)3000000000d"|format(a=1) }}',
    "%-format fields over a long value": TWENTY_K + '{{ ("%(s)s" * 3000) % {"s": s} }}',
    "list doubled with +": _doubling("ns.v + ns.v", "['a']"),
    "text doubled with +": _doubling("ns.v + ns.v", "'ab'"),
    "text doubled with ~": _doubling("ns.v ~ ns.v", "'ab'"),
    "text doubled by a macro": "{% macro twice(s) %}{{ s }}{{ s }}{% endmacro %}" + _doubling("twice(ns.v)", "'ab'"),
    "text doubled in a block": "{% set ns = namespace(v='ab') %}{% for i in range(40) %}"
                               "{% set t %}{{ ns.v }}{{ ns.v }}{% endset %}{% set ns.v = t %}{% endfor %}",
    "number squared": "{% set ns = namespace(n=10) %}{% for i in range(40) %}{% set ns.n = ns.n * ns.n %}"
                      "{% endfor %}{{ ns.n > 0 }}",
    "number raised to a power": "{% set ns = namespace(n=10) %}{% for i in range(10) %}{% set ns.n = ns.n ** 64 %}"
                                "{% endfor %}{{ ns.n > 0 }}",
    "lists nested in a namespace, printed": _doubling("[ns.v, ns.v]", "[1]").replace("ns.v|length", "ns.v"),
    "lists nested by set, printed": "{% set a0 = [1] %}" + _nested("a") + "{{ a45 }}",
    "lists nested by set, compared": "{% set a0 = [1] %}{% set b0 = [1] %}" + _nested("a") + _nested("b")
                                     + "{{ a45 == b45 }}",
    "many long texts kept": TWENTY_K + "{% set t = s ~ s ~ s ~ s %}"
                            + "".join(f"{{% set a{i} = t ~ {i} %}}" for i in range(3000)) + "{{ a1|length }}",
    "a batch padded with long text, printed": TWENTY_K + "{% for b in range(2)|batch(100000, s) %}{{ b }}{% endfor %}",
    "a list of long texts": TWENTY_K + "{{ [s] * 20000 }}",
    "str.replace": TWENTY_K + '{{ s.replace("", s)|length }}',
    "replace filter": TWENTY_K + '{{ s|replace("", s)|length }}',
    "str.expandtabs": '{{ ("\t" * 20000).expandtabs(100000)|length }}',
    "str.join": TWENTY_K + "{{ s.join(s)|length }}",
    "join filter": TWENTY_K + "{{ s|join(s)|length }}",
    "join filter over a generator": '{{ range(1000)|map("center", 100000)|join|length }}',
    "list filter over a generator": '{{ range(1000)|map("center", 100000)|list|length }}',
    "str.translate": TWENTY_K + "{{ s.translate({120: s})|length }}",
    "indent filter": '{{ ("x\n" * 10000)|indent(100000)|length }}',
    "wordwrap filter": TWENTY_K + "{{ s|wordwrap(1, wrapstring=s)|length }}",
    "sum filter": TWENTY_K + '{{ range(1000)|map("center", 20000)|sum(start="")|length }}',
    "bytes.replace": TWENTY_K + '{{ s.encode().replace("".encode(), s.encode())|length }}',
}


@pytest.mark.parametrize("source", list(MEMORY_BOMBS.values()), ids=list(MEMORY_BOMBS))
def test_templates_that_would_eat_memory_are_stopped_before_they_do(tmp_path, source):
    started = time.monotonic()
    found = problem(tmp_path, source, timeout=5.0)
    elapsed = time.monotonic() - started
    assert found.message.startswith("stopped by the sandbox:"), found.message
    assert found.where.startswith(str(tmp_path / "t.j2"))
    assert "\n" not in str(found)
    assert elapsed < 1.5, f"{elapsed:.1f} s: the cap should stop it at once, not the clock"


@pytest.mark.parametrize(("source", "expected"), [
    ('{{ "{0:>8}|{1:.2f}|{2:,}".format("ok", 3.14159, 12345) }}', "      ok|3.14|12,345"),
    ('{{ "{a:^7}".format_map({"a": "mid"}) }}', "  mid  "),
    ('{{ "%-5s|%03d|%.1f" % ("ab", 7, 2.5) }}', "ab   |007|2.5"),
    ('{{ "%(name)s!"|format(name="Maya") }} {{ "%02d"|format(5) }}', "Maya! 05"),
    ("{{ ([1, 2] + [3]) ~ ('a' ~ 'b') ~ ('x' * 3) ~ (2 ** 10) ~ (12 * 12) }}", "[1, 2, 3]abxxx1024144"),
    ("{{ 'a-b-c'.replace('-', ', ') }} {{ ', '.join(['x', 'y']) }} {{ ['p', 'q']|join('/') }}", "a, b, c x, y p/q"),
    ("{{ 'line\none'|indent(2) }}|{{ 'a b c'|wordwrap(3) }}", "line\n  one|a b\nc"),
    ("{{ [[1], [2]]|sum(start=[]) }} {{ range(3)|map('string')|join }}", "[1, 2] 012"),
    ("{% set t = [('a', 1), ('b', 2)] %}{% for k, v in t %}{{ k }}{{ v }}{% endfor %} {{ {'k': [1, (2, 3)]} }}",
     "a1b2 {'k': [1, (2, 3)]}"),
])
def test_ordinary_formatting_and_building_still_work(tmp_path, source, expected):
    env = env_with(tmp_path, **{"t.j2": source})
    assert render(env, "t.j2", {}) == expected
