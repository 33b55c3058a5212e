"""No built-in pattern backtracks catastrophically, and oversized input is refused, not choked on.

Every signal's regex (all entries of all languages, as the engine runs them) meets inputs
built to provoke exponential backtracking: long runs of one word, of one letter, of digits,
of punctuation, near-misses of e-mail addresses and card numbers. `signal.alarm` turns a
hang into a failure; these are hang guards, not speed assertions.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from contextlib import contextmanager

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from replycoach.matching import OPAQUE, find_signals, opaque_spans
from replycoach.playbook.loader import load_playbook
from replycoach.playbook.schema import ShoutingRule
from replycoach.reply.document import SENTENCE_END, Document

BOOK = load_playbook()
SIZE = 50_000

# Patterns known to take time quadratic in a run of white space (each start position scans
# the rest of the run): tracked here so the rest of the suite stays a hang guard for every
# other pattern, and strict-xfailed below so fixing one makes this list fail until updated.
# A fix that keeps the meaning: bound the run, e.g. `\s*` -> `[ \t]{0,10}` / `\s{0,10}`.
KNOWN_QUADRATIC: set[tuple[str, str, str]] = set()  # none left; add (lang, signal, input) only with a note

PATHOLOGICAL = {
    "one word repeated": "sorry " * (SIZE // 6),
    "one word, no spaces": "przepraszamy" * (SIZE // 12),
    "one letter": "a" * SIZE,
    "a and a space": "a " * (SIZE // 2),
    "capitals": "A" * SIZE,
    "cyrillic": "съжаляваме" * (SIZE // 10),
    "digits": "1" * SIZE,
    "digits and spaces": "1 " * (SIZE // 2),
    "digits and dashes": "12-" * (SIZE // 3),
    "punctuation": "!?.,;:-–—~^*/" * (SIZE // 13),
    "at signs": "@" * SIZE,
    "almost e-mails": "a.b+c-d" * (SIZE // 7) + "@",
    "at handles": "@ab " * (SIZE // 4),
    "hashes": "#" * SIZE,
    "braces": "{{ " * (SIZE // 3),
    "brackets": "[A" * (SIZE // 2),
    "newlines": "\n" * SIZE,
    "newline names": "\nAnna" * (SIZE // 5),
    "dash names": " - Anna" * (SIZE // 7),
    "long url": "https://example.com/" + "a/" * (SIZE // 2),
    "spaces": " " * SIZE,
    "apostrophes": "we'" * (SIZE // 3),
    "question without end": "what " * (SIZE // 5),
}


@contextmanager
def hang_guard(seconds: int, what: str):
    def on_alarm(signum, frame):
        raise TimeoutError(f"{what} still running after {seconds} s: catastrophic backtracking?")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize("lang", [*BOOK.languages, "*"])
def test_every_signal_regex_finishes_on_pathological_input(lang):
    matchers = BOOK.matchers(lang)
    assert matchers
    for name, text in PATHOLOGICAL.items():
        for signal_name, matcher in matchers.items():
            if (lang, signal_name, name) in KNOWN_QUADRATIC:
                continue
            with hang_guard(30, f"{lang}/{signal_name} on {name!r}"):
                for _ in matcher.regex.finditer(text):
                    pass


@pytest.mark.parametrize("lang", BOOK.languages)
def test_the_engine_path_finishes_on_pathological_input(lang):
    slow = {name for lang_, _, name in KNOWN_QUADRATIC if lang_ == lang}
    for name, text in PATHOLOGICAL.items():
        if name in slow:
            continue
        with hang_guard(60, f"find_signals ({lang}) on {name!r}"):
            doc = Document.parse(text, BOOK.conventions, front_matter=False)
            find_signals(doc.analysed, BOOK.matchers(lang), BOOK.signals)


def run_cli(*args, timeout=300):
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "replycoach", "lint", *args], capture_output=True, text=True,
                          env=env, timeout=timeout)


@pytest.mark.parametrize("megabytes", [10, 50])
def test_files_over_the_size_limit_are_refused_in_one_line(tmp_path, megabytes):
    big = tmp_path / f"big{megabytes}.txt"
    with open(big, "w", encoding="utf-8") as fh:
        line = "We are so sorry about this, please DM us your order number. " * 1000
        while fh.tell() < megabytes * 1_000_000:
            fh.write(line if megabytes == 10 else line + "\n")  # 10 MB: one single line
    result = run_cli(str(big), timeout=120)
    assert result.returncode == 2
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(errors) == 1 and str(big) in errors[0] and "MB" in errors[0], result.stderr
    assert "Traceback" not in result.stderr


def test_a_big_single_line_file_under_the_limit_is_linted(tmp_path):
    # one 4 MB line of plausible reply text, repeated: linted through the CLI, not hung on
    text = ("Hi Anna, we're so sorry!!! Please DM us your order number #123456 or email care@example.com "
            "and we'll SORT IT OUT within 24 hours. ") * 30_000
    reply = tmp_path / "long.txt"
    reply.write_text(text[:4_000_000], encoding="utf-8")
    result = run_cli(str(reply), "--format", "json", timeout=600)
    assert result.returncode in (0, 1), result.stderr
    assert '"path":' in result.stdout


# Regexes rewritten to start with one character class (so that `re` skips to it) must find
# exactly what their plain form finds: the plain form is the specification.
REWRITTEN = [
    (r"[!?]*\?![!?]*|!{2,}", ShoutingRule.model_fields["punctuation"].default[0], 0),
    (r"[.!?…]+[\"')\]]*(?=\s|$)|\n", SENTENCE_END.pattern, 0),
    (r"https?://\S+|www\.\S+|(?<![\w.])@\w+|\b[\w.-]+\.(?:com|net|org|io|pl|bg|eu|co|uk)/\S*", OPAQUE.pattern, re.I),
]


@pytest.mark.parametrize("plain, rewritten, flags", REWRITTEN, ids=["punctuation", "sentence-end", "opaque"])
@settings(max_examples=400, deadline=None)
@given(text=st.lists(st.sampled_from(["!", "?", ".", "…", "\n", " ", "a", "B", ")", '"', "@", "x.com/", "http://",
                                      "www.", "-", "\t"]), max_size=14).map("".join))
def test_rewritten_regexes_find_what_their_plain_form_finds(plain, rewritten, flags, text):
    spans = [m.span() for m in re.finditer(plain, text, flags)]
    assert [m.span() for m in re.finditer(rewritten, text, flags)] == spans


@settings(max_examples=600, deadline=None)
@given(text=st.lists(st.sampled_from(["@", "@a", "a@b", "x.com/", "t.co/x", ".co/", ".CO/", "uK/", ".uk/", "/", ".",
                                      "-", "http://", "HTTPS://", "httpſ://", "www.", "WWW.", "Www.", "ab", "_1", "é",
                                      " ", "\n", ":"]), max_size=12).map("".join))
def test_url_and_handle_spans_are_those_of_the_plain_regex(text):
    """`opaque_spans` runs OPAQUE in parts that re can skip through; it must find what
    OPAQUE's own scan finds, in every order and overlap of links, domains and handles."""
    expected = [m.span() for m in OPAQUE.finditer(text)] if ("/" in text or "@" in text or "www" in text) else []
    assert opaque_spans(text) == expected
