"""The word index in front of the signal regexes must never change what a signal finds.

`Matcher.find` with candidates (the fast path lint uses) is compared with a plain
`regex.finditer` over the signal's whole lexicon (what the index is an optimisation of), on
every built-in example and on generated text made of lexicon words, odd capitalisation and
the characters case-insensitive matching treats specially.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from replycoach.matching import Matchers, compile_lexicon, entry_regex, find_signals
from replycoach.matching.analysis import entry_keys, entry_needs
from replycoach.matching.entries import PREFIX
from replycoach.matching.find import find_plain
from replycoach.matching.fold import ODD, fold
from replycoach.matching.screens import entry_gate, entry_screen
from replycoach.playbook.loader import load_playbook

BOOK = load_playbook()
LANGUAGES = BOOK.languages


def plain(matcher, text):
    return [(h.start, h.end, h.text) for h in matcher._hits(matcher.regex.finditer(text))]


def indexed(matchers: Matchers, text):
    candidates, low = matchers.candidates(text)
    return {
        name: [(h.start, h.end, h.text) for h in m.find(text, None if candidates is None else
                                                       candidates.get(name, ()), low)]
        for name, m in matchers.items()
    }


def assert_same(matchers, text):
    fast = indexed(matchers, text)
    for name, matcher in matchers.items():
        assert fast[name] == plain(matcher, text), (name, text)


def examples(lang):
    for sets in (BOOK.examples.get(lang, {}),):
        for example in sets.values():
            for key in ("bad", "good"):
                for item in example.get(key) or ():
                    yield item if isinstance(item, str) else str(item)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_index_finds_exactly_what_the_plain_regex_finds_on_every_example(lang):
    matchers = BOOK.matchers(lang)
    texts = list(examples(lang))
    assert texts
    for text in texts:
        assert_same(matchers, text)
        assert_same(matchers, text.upper())


def _words(lang):
    words = set()
    for entries in [*BOOK.lexicon.get(lang, {}).values(), *BOOK.lexicon.get("*", {}).values()]:
        for entry in entries:
            if entry.get("phrase"):
                words.update(entry["phrase"].replace("*", "ing").split())
    return sorted(words)


TRICKY = ["İ", "ı", "ſ", "K", "ς", "Σ", "ͅ", "’", "'", "@", "#", "-", "\n", "  ", "1234 5678 9012 3456", "a@b.co",
          "https://x.io/contact", "{{ name }}", "^JK", "\n- Anna"]


@pytest.mark.parametrize("lang", LANGUAGES)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_index_agrees_with_the_plain_regex_on_generated_text(lang, data):
    pieces = st.one_of(st.sampled_from(_words(lang)), st.sampled_from(TRICKY), st.text(max_size=3))
    parts = data.draw(st.lists(pieces, max_size=25))
    text = data.draw(st.sampled_from([" ", "", "\n", ", "])).join(parts)
    if data.draw(st.booleans()):
        text = text.upper()
    assert_same(BOOK.matchers(lang), text)


def test_find_signals_uses_the_index_and_still_reports_every_hit():
    matchers = BOOK.matchers("en")
    text = "We're so sorry about this! DM us your order number and we'll sort it out. ^JK"
    found = find_signals(text, matchers, BOOK.signals)
    assert "apology" in found and "private-channel" in found and "signature" in found
    plain = find_plain(text, matchers, BOOK.signals)
    assert {k: [(h.start, h.end) for h in v] for k, v in found.items()} == \
        {k: [(h.start, h.end) for h in v] for k, v in plain.items()}


def test_keys_name_the_first_word_and_say_when_it_may_go_on():
    assert entry_keys(r"\bwe (?:never|did not) said\b") == ["we"]
    assert entry_keys(r"(?<![\w@#])przeprasz\w*(?!\w)") == ["przeprasz", "przeprasz*"]
    assert entry_keys(r"\b(?:I|we)(?:'|’)ll\b") == ["i", "we"]
    assert entry_keys(r"\bapologi[sz]e\b") == ["apologise", "apologize"]
    assert entry_keys(r"\bhere") == ["here*"]  # no right edge: "heresy" matches too


@pytest.mark.parametrize("pattern", [
    r"https?://\S+",  # no word start: may start inside a word
    r"(?<![\w.])@\w{2,}",  # starts with a non-word character
    r"\b\w+ing\b",  # first letters unknown
    r"(a)\1",  # backreference
])
def test_entries_that_cannot_be_keyed_are_scanned(pattern):
    assert entry_keys(pattern) is None


def test_entries_that_may_match_nothing_make_their_signal_scan_plainly():
    assert entry_keys(r"\b(?:x)?") is False
    matchers = compile_lexicon({"s": [{"pattern": r"\bsorry|(?:y)?"}]}, {})
    assert matchers["s"].scan_all


def test_needs_are_what_every_match_must_contain():
    assert entry_needs(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+") == ["@"]
    assert set(entry_needs(r"(?:^|\s)[-~^]\s?[A-Z]")) == {"-", "~", "^"}
    assert set(entry_needs(r"(?:^|\s)[-~^](?:Team|Support)")) == {"team", "support"}  # the longer need wins
    assert entry_needs(r"\w+") is None


def test_a_gate_is_the_entrys_literal_with_the_classes_around_it():
    email = r"(?:(?<![\w.+-])(?=[\w.+-]+@)(?!(?:support|help)@)[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
    gate = re.compile(entry_gate(email), re.I | re.M)
    assert gate.search("write to anna.k@example.com today")
    assert not gate.search("@AskAmex hi @anna, we're on it")  # handles only: the scan is skipped
    assert entry_gate(r"@(?<![\w.]@)\w{2,}") is None  # starts with its literal: re skips to it already
    assert entry_gate(r"(?a:\w+@\w)") is None  # ASCII classes are narrower than the gate's
    assert entry_gate(r"\w+") is None


def _gated_entries():
    found = []
    for lang in LANGUAGES:
        for name, matcher in BOOK.matchers(lang).items():
            for i, _, _, gate in matcher.needs:
                if gate is not None:
                    found.append((name, entry_regex(matcher.entries[i]), gate))
    return sorted(set(found))


GATED = _gated_entries()


def test_the_built_in_playbooks_have_gated_entries():
    assert any(name == "email-address" for name, _, _ in GATED)


@pytest.mark.parametrize(("name", "source", "gate"), GATED, ids=[g[0] for g in GATED])
@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_a_gate_matches_every_text_its_entry_matches_in(name, source, gate, data):
    """The gate may only skip texts the entry cannot match in: texts drawn to hold a match
    of the entry (anywhere in them, any characters around it) must all pass the gate."""
    entry = re.compile(source, re.I | re.M)
    text = data.draw(st.from_regex(entry))
    if data.draw(st.booleans()):
        text = text.upper()
    if entry.search(text):
        assert re.search(gate, text, re.I | re.M), (name, text)


def _screened_entries(lang):
    found = []
    for name, matcher in BOOK.matchers(lang).items():
        for i, analysis in enumerate(matcher.analysis):
            if len(analysis) > 3 and analysis[3] is not None:
                found.append((name, entry_regex(matcher.entries[i]), analysis[3]))
    return found


def test_screens_are_folded_plain_regexes_that_only_widen():
    assert entry_screen(r"(?:\bwe (?:guarantee|promise) (?:that )?(?:this|it))") == \
        r"we\ (?:guarantee|promise)\ (?:that\ ){0,1}(?:this|it)"
    assert entry_screen(r"(?:(?-i:\b(?:Hi|Hey)\s+[A-Z][a-z]+))") is None  # capitals: kept on the text as is
    assert entry_screen(r"(?:\bx(a)\1)") == "x(?:a)"  # a back-reference ends the screen
    assert all(_screened_entries(lang) for lang in LANGUAGES)


@pytest.mark.parametrize("lang", LANGUAGES)
@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_screen_matches_on_the_folded_text_wherever_its_entry_matches(lang, data):
    """The screen may only turn a word away where none of its entries can match: texts drawn
    to hold matches of an entry (any case) must pass that entry's screen at every match."""
    name, source, screen = data.draw(st.sampled_from(_screened_entries(lang)))
    entry = re.compile(source, re.I | re.M)
    text = data.draw(st.from_regex(entry))
    if data.draw(st.booleans()):
        text = text.upper()
    if ODD is not None and ODD.search(text):
        return  # such texts are matched without the index (see Matchers.candidates)
    folded = re.compile(screen, re.M)
    for m in entry.finditer(text):
        assert folded.match(fold(text), m.start()), (name, source, text)


def test_fold_keeps_length_and_equates_what_ignorecase_equates():
    text = "İSTANBUL ſtraße Kelvin ΟΔΟΣ"
    assert len(fold(text)) == len(text)
    for a, b in [("ſ", "s"), ("ı", "i"), ("K", "k"), ("ς", "σ")]:
        assert re.fullmatch(a, b, re.I) and fold(a) == fold(b)
    assert PREFIX == "*"
    # fold skips the table for ASCII text: that is only right while the table moves no ASCII letter
    from replycoach.matching.fold import FOLD

    assert all(FOLD[code] == code for code in FOLD if code < 128)
    assert fold("We'll SEND it; thanks, Ann") == "we'll send it; thanks, ann"


def test_a_word_character_folds_to_a_word_character():
    """Greek capital iota folded to U+0345 (which IGNORECASE equates with it but which is no
    word character), so a Bulgarian phrase with "\\w+" in it went unfound by the index
    (found by hypothesis: "колЕТа ви е Ι забавен")."""
    word = re.compile(r"\w")
    for code in range(0x110000):
        c = chr(code)
        if word.match(c) and len(c.lower()) == 1:
            assert word.match(fold(c)), hex(code)
    matchers = BOOK.matchers("bg")
    assert_same(matchers, "колЕТа\x85ви\x85е\x85Ι\x85забавен")
    assert_same(matchers, "Колетът ви е Ι забавен.")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_matching_only_the_signals_the_rules_need_keeps_their_hits_exactly(lang):
    """The engine matches only what the rules in play read (plus their suppressors); a rule
    must see exactly the hits a full match would give it, suppression included."""
    from replycoach.lint.plan import signals_read

    rules = [r for r in BOOK.rules if r["kind"] in ("forbid", "require")][:8]
    needed = signals_read(BOOK, rules)
    assert needed < set(BOOK.signals)  # a real subset, or this test proves nothing
    matchers = BOOK.matchers(lang)
    for text in examples(lang):
        full = find_signals(text, matchers, BOOK.signals)
        some = find_signals(text, matchers, BOOK.signals, only=needed)
        assert set(some) <= needed
        assert {k: v for k, v in full.items() if k in needed} == some, text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_skipping_rules_whose_signals_are_absent_changes_no_finding(lang, monkeypatch):
    """The engine skips a forbid, position or cooccur rule when none of its signals was found;
    every worked example lints to the same findings as when every rule is called."""
    from replycoach import kinds
    from replycoach.lint.engine import lint_text
    from replycoach.lint.plan import Planner

    texts = list(examples(lang))
    gated = [lint_text(text, BOOK, {"language": lang}).diagnostics for text in texts]
    every_kind_called = {name: kind._replace(fires_on_signals=False) for name, kind in kinds.KINDS.items()}
    monkeypatch.setattr(kinds, "KINDS", every_kind_called)
    monkeypatch.setitem(BOOK._derived, "planner", Planner(BOOK))  # plans made with the patched kinds
    called = [lint_text(text, BOOK, {"language": lang}).diagnostics for text in texts]
    assert all(planned.fires_on is None for plan in BOOK._derived["planner"]._plans.values() for planned in plan.rules)
    assert gated == called
    assert sum(map(len, gated)) > len(texts) // 2  # the examples do have findings to compare


def test_scanned_entries_that_match_at_one_place_resolve_as_the_signals_regex_does():
    """Two entries no word can key, both matching at the same place: the one the signal's
    regex tries first wins (a `\\b` entry before a plain one), whatever their lengths."""
    from replycoach.matching import Matchers, compile_lexicon

    lexicon = {"numbers": [{"pattern": r"\b\d{3}"}, {"pattern": r"(?:#)?\d{5}"}]}
    matchers = compile_lexicon(lexicon, {"numbers": {}}, regex_group="test-scan-ties")
    assert isinstance(matchers, Matchers)
    matcher = matchers["numbers"]
    assert len(matcher.rest) == 2  # both scanned, neither keyed
    for text in ["ref 12345 ok", "#12345 and 678", "12345"]:
        candidates, low = matchers.candidates(text)
        found = [(h.start, h.end, h.text) for h in matcher.find(text, candidates.get("numbers", ()), low)]
        assert found == plain(matcher, text), text
    assert plain(matcher, "12345") == [(0, 3, "123")]
