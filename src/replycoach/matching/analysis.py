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

from replycoach.matching import regexcache

try:  # the parser behind re.compile; its shape is stable across 3.11+, but guard all the same
    from re import _constants as _c
    from re import _parser as _p
except ImportError:  # pragma: no cover - a Python without them just scans every entry
    _p = _c = None

MAX_WORD = 12  # longer known beginnings are cut to a prefix key
MAX_KEYS = 256  # an entry whose first word has more spellings than this is keyed by a shorter prefix
PREFIX = "*"
_WORD = regexcache.compile(r"\w")


def _fold_table() -> dict[int, int]:
    """Characters that IGNORECASE treats as equal beyond lower() (ſ and s, ı and i, ς and σ ...)."""
    try:
        from re._compiler import _EXTRA_CASES as extra
    except ImportError:  # pragma: no cover
        return {}
    table = {}
    for lo, others in extra.items():
        group = (lo, *others)
        for code in group:
            table[code] = min(group)
    return table


FOLD = _fold_table()
# characters IGNORECASE equates with a word character while not being one themselves (only
# U+0345 today): a text with one is matched the slow, plain way
_ODD_CHARS = "".join(sorted(chr(c) for c in FOLD if not _WORD.match(chr(c))))
ODD = re.compile(f"[{re.escape(_ODD_CHARS)}]") if _ODD_CHARS else None


def fold(text: str) -> str:
    """`text` lower-cased so that characters IGNORECASE equates become one character.

    Same length as `text` (U+0130, whose lower() is two characters, folds to "i").
    """
    low = text.lower()
    if low.isascii():  # FOLD maps no ASCII character to another (i and s only to themselves)
        return low
    if len(low) != len(text):
        low = "".join(c.lower() if len(c.lower()) == 1 else "i" for c in text)
    return low.translate(FOLD) if FOLD else low


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


_REPEATS = () if _c is None else tuple(
    getattr(_c, name) for name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") if hasattr(_c, name)
)
_NON_WORD_CATEGORIES = set() if _c is None else {
    _c.CATEGORY_SPACE, _c.CATEGORY_UNI_SPACE, _c.CATEGORY_NOT_WORD, _c.CATEGORY_UNI_NOT_WORD,
    _c.CATEGORY_LINEBREAK, _c.CATEGORY_UNI_LINEBREAK,
}


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


DIGIT = "\\d"  # a requirement that stands for "some digit" (\d), not a literal string
_DIGIT_CATEGORIES = set() if _c is None else {_c.CATEGORY_DIGIT, _c.CATEGORY_UNI_DIGIT}


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


def entry_gate(source: str) -> str | None:
    """A regex every text that `source` matches in also matches, and that `re` finds fast; or None.

    For the scanned entries whose need is in nearly every reply: an e-mail address needs an
    "@", and every tweet has one, in a handle. `re` tries such a pattern at every position
    (its first element is a look-behind or a class of nearly every character), ~18 us a
    reply; but the "@" of an address has a word character before it, and a handle's has not.
    The gate is a literal the entry must match, with the character classes the entry puts
    right before and after it: `@(?<=[\\w.+-]@)[\\w-]`. It starts with the literal, so `re`
    skips from one to the next (~1 us), and it can only accept more than the entry: the
    classes are the entry's own, read off its parsed regex, compiled with the same flags
    and without any case-sensitive group's narrowing. None when the entry starts with its
    literal itself (nothing to gain) or no literal has a class beside it.
    """
    if _p is None:
        return None
    try:
        parsed = _p.parse(source, re.I | re.M)
        if parsed.state.flags & (re.ASCII | re.LOCALE):  # narrower \W, \S, \D than the gate's: no gate
            return None
        items = list(parsed.data)
        while len(items) == 1 and items[0][0] is _c.SUBPATTERN:
            if items[0][1][1] & (re.ASCII | re.LOCALE):  # (?a:...) scoped the same way
                return None
            items = list(items[0][1][-1].data)
        steps = [(op, av) for op, av in items if op not in (_c.AT, _c.ASSERT, _c.ASSERT_NOT)]  # zero-width
        best = None
        k = 0
        while k < len(steps):
            if steps[k][0] is not _c.LITERAL:
                k += 1
                continue
            end = k
            while end < len(steps) and steps[end][0] is _c.LITERAL:
                end += 1
            literal = re.escape("".join(chr(av) for _, av in steps[k:end]))
            before = _class_source(steps[k - 1], last=True) if k > 0 else None
            after = _class_source(steps[end], last=False) if end < len(steps) else None
            if k > 0 and (before or after):
                gate = literal + (f"(?<={before}{literal})" if before else "") + (after or "")
                rank = (before is not None) + (after is not None)
                if best is None or rank > best[0]:
                    best = (rank, gate)
            k = end
        if best is None:
            return None
        re.compile(best[1], re.I | re.M)  # a look-behind of fixed width, by construction; make sure
        return best[1]
    except (re.error, RecursionError, TypeError, ValueError, AttributeError, OverflowError, IndexError):
        return None


_CATEGORY_SOURCE = {} if _c is None else {
    _c.CATEGORY_DIGIT: r"\d", _c.CATEGORY_NOT_DIGIT: r"\D", _c.CATEGORY_SPACE: r"\s", _c.CATEGORY_NOT_SPACE: r"\S",
    _c.CATEGORY_WORD: r"\w", _c.CATEGORY_NOT_WORD: r"\W",
}


def _class_source(step, last: bool) -> str | None:
    """The class one character of `step` is drawn from, as regex source; None if not one class.

    `step` is a single character (a literal or a class), or a repeat of one with at least
    one repetition: its `last` (or first) character is then from that class too.
    """
    op, av = step
    if op in _REPEATS:
        low, _, body = av
        body = list(body.data)
        if low < 1 or len(body) != 1:
            return None
        op, av = body[0]
    if op is _c.LITERAL:
        return re.escape(chr(av))
    if op is not _c.IN:
        return None
    negate, parts = "", []
    for o, a in av:
        if o is _c.NEGATE:
            negate = "^"
        elif o is _c.LITERAL:
            parts.append(_escape_in_class(chr(a)))
        elif o is _c.RANGE:
            parts.append(f"{_escape_in_class(chr(a[0]))}-{_escape_in_class(chr(a[1]))}")
        elif o is _c.CATEGORY and a in _CATEGORY_SOURCE:
            parts.append(_CATEGORY_SOURCE[a])
        else:
            return None
    return f"[{negate}{''.join(parts)}]" if parts else None


def _escape_in_class(ch: str) -> str:
    return "\\" + ch if ch in "\\]^-[" else ch


def entry_screen(source: str) -> str | None:
    """A regex for folded text (`fold`, matched without IGNORECASE) that matches at every
    position where `source` matches (with IGNORECASE) in the original text; None for an
    entry that is case-sensitive as a whole.

    The matcher screens a word by trying every entry that can start there in one regex.
    With IGNORECASE, `re` compares every letter through its case tables and cannot skip an
    alternative by its first letter, so a word that starts dozens of entries ("we") cost
    ~10 us a try. On the folded text the same letters are plain literals: `re` skips an
    alternative on its first one, and alternatives that begin alike share their beginning.

    Literals and classes are folded (as IGNORECASE equates characters, `fold` makes them one);
    look-arounds and anchors are left out; a construct that can't be written this way (a
    back-reference, `.`, a negated class of letters) ends the screen there, and what comes
    before it is still a true prefix of every match. So the screen can only accept more
    than the entry. A whole entry under `(?-i:...)` looks for capitals, which folding
    loses: it keeps its own regex on the original text (None).
    """
    if _p is None:
        return ""
    try:
        items = list(_p.parse(source, re.I | re.M).data)
        while len(items) == 1 and items[0][0] is _c.SUBPATTERN:
            if items[0][1][2] & re.I:  # (?-i:...) around the whole entry
                return None
            items = list(items[0][1][-1].data)
        return _screen_sequence(items)[0]
    except (re.error, RecursionError, TypeError, ValueError, AttributeError, OverflowError):
        return ""  # a screen that accepts everything: the entry itself decides


class _Stop(Exception):
    """A construct the folded screen cannot carry: the screen ends before it."""


def _screen_sequence(items: list) -> tuple[str, bool]:
    """(source, complete): the folded form of a sequence, or of its longest prefix that has one."""
    out: list[str] = []
    for op, av in items:
        if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
            continue  # zero width: leaving it out only accepts more
        try:
            if op in (_c.LITERAL, _c.NOT_LITERAL, _c.IN):
                out.append(_screen_char(op, av))
                continue
            if op is _c.SUBPATTERN:
                inner, complete = _screen_sequence(list(av[-1].data))
                out.append(f"(?:{inner})")
            elif op is _c.BRANCH:
                alternatives = [_screen_sequence(list(alternative.data)) for alternative in av[1]]
                out.append("(?:" + "|".join(source for source, _ in alternatives) + ")")
                complete = all(done for _, done in alternatives)
            elif op in _REPEATS:
                low, high, body = av
                inner, complete = _screen_sequence(list(body.data))
                if not complete:  # the first repetition's prefix is all that is certain
                    if low:
                        out.append(f"(?:{inner})")
                    return "".join(out), False
                out.append(f"(?:{inner}){{{low},{'' if high == _c.MAXREPEAT else high}}}")  # lazy or not: same places
            else:
                raise _Stop
        except _Stop:
            return "".join(out), False
        if not complete:
            return "".join(out), False
    return "".join(out), True


# the categories a folded character keeps: a digit, a space, a non-space or a word character
# folds to one of the same kind (\W and \D are left out: the screen carries no negation of letters)
_SCREEN_CATEGORIES = {} if _c is None else {
    category: _CATEGORY_SOURCE[category]
    for category in (_c.CATEGORY_DIGIT, _c.CATEGORY_SPACE, _c.CATEGORY_NOT_SPACE, _c.CATEGORY_WORD)
}
MAX_SCREEN_RANGE = 256  # characters a class range may span to be folded one by one


def _screen_char(op, av) -> str:
    """One character's folded class. A negated one only of ASCII punctuation, digits and space,
    which no other character folds to."""
    if op is _c.LITERAL:
        return re.escape(fold(chr(av)))
    if op is _c.NOT_LITERAL:
        return "[^" + _plain_excluded(chr(av)) + "]"
    negated = any(o is _c.NEGATE for o, _ in av)
    parts: list[str] = []
    for o, a in av:
        if o is _c.NEGATE:
            continue
        if o is _c.LITERAL:
            parts.append(_plain_excluded(chr(a)) if negated else _escape_in_class(fold(chr(a))))
        elif negated:
            raise _Stop
        elif o is _c.RANGE and a[1] - a[0] <= MAX_SCREEN_RANGE:
            parts += sorted({_escape_in_class(fold(chr(code))) for code in range(a[0], a[1] + 1)})
        elif o is _c.CATEGORY and a in _SCREEN_CATEGORIES:
            parts.append(_SCREEN_CATEGORIES[a])
        else:
            raise _Stop
    if not parts:
        raise _Stop
    return "[" + ("^" if negated else "") + "".join(parts) + "]"


def _plain_excluded(ch: str) -> str:
    if not (ch.isascii() and not ch.isalpha()):
        raise _Stop
    return _escape_in_class(ch)


def analyse(source: str) -> list:
    """[keys, needs, gate, screen] of one entry's regex, as the playbook cache stores them."""
    keys = entry_keys(source)
    if keys is not None:
        return [keys, None, None, entry_screen(source)]
    return [keys, entry_needs(source), entry_gate(source), None]
