"""Which words a lexicon entry can start with, read off its regex once.

Python's `re` tries a pattern at every position of a text, and a signal of dozens of phrases
pays for every alternative at every word: on short replies that was most of the lint time.
But nearly every entry (every phrase, every `\\b...` pattern) can only match at the start of
a word, and only of certain words: "sorry to hear" at the word "sorry", `\\bwe (?:never|...)`
at "we", `przeprasz*` at words beginning "przeprasz". This module works that out once per
entry, from the parsed regex, so the matcher need only try an entry at those words.

A key is a case-folded word: `we` means "the word is exactly we" (a non-word character or
the end follows), `przeprasz*` means "the word begins with przeprasz". The analysis is
conservative: an entry gets keys only when it is proven to start at a word start
(`(?<![\\w...])`, `\\b`, `^`, `\\A` or a lookbehind ending in a non-word character, before a
first character that is a word character) and its first letters can be listed; anything else
(a leading `\\w` or `.`, a class like `[^x]`, a backreference, a syntax this module does not
know) gets no keys, and the matcher scans the text for it as before. Folding is the one
`re.IGNORECASE` uses (`fold`), so keys can only accept more than the regex does.
"""

from __future__ import annotations

import re

from replycoach.core import regexcache
from replycoach.matching.entries import (
    _SPACE,
    _WORD_RUN,
    DIGIT,
    PREFIX,
    WORD_EDGE_LEFT,
    EntryAnalysis,
    entry_regex,
    phrase_to_regex,
)
from replycoach.matching.fold import fold
from replycoach.matching.reparse import DIGIT_CATEGORIES as _DIGIT_CATEGORIES
from replycoach.matching.reparse import NON_WORD_CATEGORIES as _NON_WORD_CATEGORIES
from replycoach.matching.reparse import REPEATS as _REPEATS
from replycoach.matching.reparse import C as _c
from replycoach.matching.reparse import P as _p
from replycoach.matching.screens import entry_gate, entry_screen

MAX_WORD = 12  # longer known beginnings are cut to a prefix key
MAX_KEYS = 256  # an entry whose first word has more spellings than this is keyed by a shorter prefix
_WORD = regexcache.compile(r"\w")


class _Unknown(Exception):
    pass


def entry_keys(source: str) -> list[str] | bool | None:
    """Keys of every word a match of `source` can start with, or None/False.

    None means: this entry can start elsewhere than at a word start, or with words that
    cannot be listed; the matcher scans the whole text for it. False means it may match the
    empty string, which only a plain `finditer` over the whole signal handles exactly (so its
    signal is matched the old way).
    """
    if _p is None:
        return False
    try:
        parsed = _p.parse(source, re.I | re.M)
        if parsed.getwidth()[0] == 0:
            return False
        paths: set[tuple[tuple, bool]] = set()
        _Walker(paths).walk(list(parsed.data), False, ())
    except (_Unknown, re.error, RecursionError, TypeError, ValueError, AttributeError, OverflowError):
        return None
    keys: set[str] = set()
    for sets, exact in paths:
        while _count(sets) > MAX_KEYS:
            sets, exact = sets[:-1], False
        words = [""]
        for chars in sets:
            words = [w + c for w in words for c in sorted(chars)]
        keys.update(w if exact else w + PREFIX for w in words)
    return sorted(keys) if keys else None


def _count(sets: tuple) -> int:
    n = 1
    for chars in sets:
        n *= len(chars)
    return n


class _Walker:
    """Every way a regex can begin: the letters of its first word, and whether that word ends there.

    Paths are (tuple of folded char sets, exact); a path is only recorded once the walk has
    proven it starts at a word start, otherwise the whole entry is `_Unknown`.
    """

    def __init__(self, out: set, budget: int = 50000) -> None:
        self.out = out
        self.budget = budget

    def walk(self, items: list, bounded: bool, acc: tuple) -> None:
        self.budget -= 1
        if self.budget < 0:
            raise _Unknown
        if not items:  # the match may end here, inside a word: a prefix
            self._end(acc, False)
            return
        if len(acc) >= MAX_WORD:
            self._end(acc, False)
            return
        (op, av), rest = items[0], items[1:]
        c = _c
        if op is c.LITERAL or op is c.IN:
            chars, ends = _charset([(op, av)] if op is c.LITERAL else av)
            self._consume(rest, bounded, acc, chars, ends)
        elif op is c.NOT_LITERAL or op is c.ANY:
            self._consume(rest, bounded, acc, None, {"?"})
        elif op is c.AT:
            if not acc:
                starts = av in (c.AT_BEGINNING, c.AT_BEGINNING_STRING, c.AT_BOUNDARY, c.AT_UNI_BOUNDARY,
                                c.AT_BEGINNING_LINE)
                self.walk(rest, bounded or starts, acc)
            elif av in (c.AT_BOUNDARY, c.AT_UNI_BOUNDARY, c.AT_END, c.AT_END_STRING, c.AT_END_LINE):
                self._end(acc, True)  # after a word character, these mean the word ends here
            else:
                self._end(acc, False)
        elif op is c.ASSERT_NOT:
            direction, body = av
            if not acc:
                self.walk(rest, bounded or (direction < 0 and _is_word_class(body)), acc)
            elif direction > 0 and _is_word_class(body):
                self._end(acc, True)  # (?!\w) after a word character: the word ends here
            else:
                self.walk(rest, bounded, acc)
        elif op is c.ASSERT:
            direction, body = av
            self.walk(rest, bounded or (not acc and direction < 0 and _ends_with_non_word(body)), acc)
        elif op is c.BRANCH:
            for alternative in av[1]:
                self.walk(list(alternative.data) + rest, bounded, acc)
        elif op is c.SUBPATTERN:
            self.walk(list(av[-1].data) + rest, bounded, acc)
        elif op is c.ATOMIC_GROUP:
            self.walk(list(av.data) + rest, bounded, acc)
        elif op in _REPEATS:
            low, high, body = av
            if low == 0:
                self.walk(rest, bounded, acc)
            if high != 0:
                again = [] if high == 1 else [(op, (max(low - 1, 0), high if high == c.MAXREPEAT else high - 1, body))]
                self.walk(list(body.data) + again + rest, bounded, acc)
        else:  # backreferences, conditionals, anything new: give up on this entry
            raise _Unknown

    def _consume(self, rest: list, bounded: bool, acc: tuple, chars, ends: set) -> None:
        """One character: `chars` (word characters it can be; None: unknown) or one of `ends`."""
        if not acc:
            if not bounded or chars is None or ends:  # must be a word character at a word start
                raise _Unknown
            self.walk(rest, bounded, (chars,))
            return
        if ends:  # a non-word character ends the word; an unknown one might not
            self._end(acc, ends <= {" "})
        if chars:
            self.walk(rest, bounded, (*acc, chars))

    def _end(self, acc: tuple, exact: bool) -> None:
        if not acc:
            raise _Unknown
        self.out.add((acc, exact))




def _charset(items) -> tuple[frozenset[str] | None, set[str]]:
    """A class as (the word characters it can be, or None if unknown; markers of what else).

    The second part holds " " when the class can be a non-word character and "?" when it
    can be something unknown (a negated class, \\w, \\d, a large range).
    """
    chars: set[str] = set()
    ends: set[str] = set()
    for op, av in items:
        if op is _c.LITERAL:
            ch = chr(av)
            if _WORD.match(ch):
                chars.add(fold(ch))
            else:
                ends.add(" ")
        elif op is _c.RANGE and av[1] - av[0] <= 200:
            for code in range(av[0], av[1] + 1):
                ch = chr(code)
                if _WORD.match(ch):
                    chars.add(fold(ch))
                else:
                    ends.add(" ")
        elif op is _c.CATEGORY and av in _NON_WORD_CATEGORIES:
            ends.add(" ")
        else:  # NEGATE, \w, \d, big ranges
            return None, {"?"}
    return frozenset(chars), ends


def _is_word_class(body) -> bool:
    """True for a lookaround body like `[\\w@#]` or `\\w`: one character, \\w among its options."""
    data = list(body.data)
    if len(data) != 1:
        return False
    op, av = data[0]
    if op is not _c.IN:
        return False
    categories = {a for o, a in av if o is _c.CATEGORY}
    negated = any(o is _c.NEGATE for o, _ in av)
    return not negated and bool(categories & {_c.CATEGORY_WORD, _c.CATEGORY_UNI_WORD})


def _ends_with_non_word(body) -> bool:
    """True for a lookbehind like `(?<=\\s)` or `(?<=[.!?]\\s)`: its last character is never \\w."""
    data = list(body.data)
    if not data:
        return False
    op, av = data[-1]
    if op is _c.LITERAL:
        return not _WORD.match(chr(av))
    if op is not _c.IN:
        return False
    for o, a in av:
        if o is _c.LITERAL and not _WORD.match(chr(a)):
            continue
        if o is _c.CATEGORY and a in _NON_WORD_CATEGORIES:
            continue
        return False
    return True




def entry_needs(source: str) -> list[str] | None:
    """Strings of which every match of `source` contains at least one (folded), or None.

    For the entries that must be scanned for anywhere (no keys): a reply that contains none
    of an entry's needs cannot match it, so the scan leaves that entry out. `DIGIT` stands
    for any digit. None when nothing is certain.
    """
    if _p is None:
        return None
    try:
        best = _best(_needs(list(_p.parse(source, re.I | re.M).data)))
    except (re.error, RecursionError, TypeError, ValueError, AttributeError, OverflowError):
        return None
    return sorted(best) if best else None


def _best(options: list[frozenset[str]]) -> frozenset[str] | None:
    options = [o for o in options if o and all(o)]
    if not options:
        return None
    return max(options, key=lambda o: (min(0 if s == DIGIT else len(s) for s in o), -len(o)))


def _needs(items: list) -> list[frozenset[str]]:
    """Requirements of a sequence: each a set of strings, one of which every match contains."""
    found: list[frozenset[str]] = []
    run = ""
    for op, av in items:
        if op is _c.LITERAL:
            run += fold(chr(av))
            continue
        if run:
            found.append(frozenset({run}))
            run = ""
        if op is _c.IN:
            if any(o is _c.NEGATE for o, _ in av):
                continue
            if all(o is _c.LITERAL for o, _ in av) and len(av) <= 12:
                found.append(frozenset(fold(chr(a)) for _, a in av))
            elif all(o is _c.CATEGORY and a in _DIGIT_CATEGORIES for o, a in av):
                found.append(frozenset({DIGIT}))
        elif op is _c.SUBPATTERN:
            found += _needs(list(av[-1].data))
        elif op is _c.ATOMIC_GROUP:
            found += _needs(list(av.data))
        elif op in _REPEATS:
            if av[0] >= 1:
                found += _needs(list(av[2].data))
        elif op is _c.BRANCH:
            alternatives = [_best(_needs(list(alt.data))) for alt in av[1]]
            if all(alternatives):
                found.append(frozenset().union(*alternatives))
    if run:
        found.append(frozenset({run}))
    return found


def analyse(source: str) -> EntryAnalysis:
    """What the matcher needs to know of one entry's regex (see `EntryAnalysis`)."""
    keys = entry_keys(source)
    if keys is not None:
        return EntryAnalysis(keys, None, None, entry_screen(source))
    return EntryAnalysis(keys, entry_needs(source), entry_gate(source), None)


def entry_analysis(entry: dict) -> EntryAnalysis:
    """`analysis.analyse` of an entry, read straight off a phrase when it can be (no regex parse).

    A phrase that starts with a word character starts at a word start (its left edge), and
    its first word is its first run of word characters: exactly that word when something
    follows it (a space, an apostrophe, the right edge), any word beginning with it when
    it carries the `*` of a stem.
    """
    phrase = (entry.get("phrase") or "").strip()
    if phrase and _WORD_RUN.match(phrase):
        first = _SPACE.split(phrase)[0]
        stem = first.endswith("*") and len(first) > 1
        core = first[:-1] if stem else first
        run = _WORD_RUN.match(core).group()
        key = fold(run) + (PREFIX if stem and run == core else "")
        # a phrase's folded form is its own regex, folded, without the left edge: the word
        # index only tries it at a word start, and an alternative that starts with a letter
        # is one `re` can pass over on that letter
        screen = None if entry.get("case_sensitive") else phrase_to_regex(fold(phrase))
        if screen is not None and screen.startswith(WORD_EDGE_LEFT):
            screen = screen[len(WORD_EDGE_LEFT):]
        return EntryAnalysis([key], None, None, screen)
    return analyse(entry_regex(entry))
