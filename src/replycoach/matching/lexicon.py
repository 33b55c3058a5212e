"""One signal's lexicon as a matcher: its entries tried only where they can start.

`Matcher.find` returns exactly the matches of `Matcher.regex.finditer` (all entries of the
signal in one alternation, longest entry first); what it saves is the positions where no
entry can start. Entries that cannot be tied to a word are scanned for with their own
regex, behind a need (a string every match contains) and a gate (`screens.entry_gate`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import partial

from replycoach.core import regexcache
from replycoach.core.memo import Memo
from replycoach.matching.entries import (
    _AT_BOUNDARY,
    _AT_WORD,
    DIGIT,
    VALIDATORS,
    WORD_EDGE_LEFT,
    EntryAnalysis,
    Hit,
    _branch,
    _new_hit,
    entry_regex,
)


class Matcher:
    """One signal's lexicon, tried only at the words where its entries can start.

    `entries` are longest first (the most specific entry of a signal wins at a position);
    regex group `e{i}` is `entries[i]`. `keys[i]` says where entry i can start (see
    `analysis.entry_keys`): folded words or word prefixes, None for anywhere (those entries
    are scanned for with a regex of their own), False for "may match empty" (then the whole
    signal is scanned with `finditer`, as a plain regex would be). `find` returns exactly
    the matches `regex.finditer` would; it only skips the positions where no entry can start.
    """

    __slots__ = ("signal", "entries", "validators", "match_opaque", "regex_group", "analysis", "by_key", "rest",
                 "needs", "scan_all", "rank", "_regexes", "_singles", "_orders", "_gates")

    def __init__(self, signal: str, entries: list[dict], validators: dict[str, str], match_opaque: bool,
                 regex_group: str = "lexicon", analysis: list | None = None) -> None:
        self.signal = signal
        self.entries = entries
        self.validators = validators
        self.match_opaque = match_opaque
        self.regex_group = regex_group  # where `regexcache` keeps this signal's compiled regexes
        # per entry: analysis.analyse(its regex)
        if analysis and len(analysis) == len(entries):
            # as stored (JSON lists): made NamedTuples without a Python frame each (a language has hundreds)
            self.analysis = [a if type(a) is EntryAnalysis else _new_analysis(a) for a in analysis]
        else:  # no stored analysis (a playbook being built, a test): worked out here, once
            from replycoach.matching.analysis import entry_analysis  # start-up: a cached playbook has it

            self.analysis = [entry_analysis(e) for e in entries]
        # per entry: its place among the alternatives of the signal's regex
        self.rank = tuple((_branch(e), i) for i, e in enumerate(entries))
        # keyed by entry indices (and the regex group): which entries a regex joins decides it
        self._regexes = Memo(lambda key: _assemble(self.signal, self.entries, key[0], key[1]), limit=1000)
        # keyed by entry index: one regex per entry, so at most as many as the lexicon has
        self._singles = Memo(self._single, limit=len(entries) + 1)
        # keyed by (entries keyed at a word, entries scanned for): their union, in the signal's order
        self._orders = Memo(lambda key: tuple(sorted({*key[0], *key[1]}, key=self.rank.__getitem__)), limit=10_000)
        self.scan_all = any(keys is False for keys, *_ in self.analysis)
        by_key: dict[str, list[int]] = {}
        for i, (keys, *_) in enumerate(self.analysis):
            for key in keys or ():
                by_key.setdefault(key, []).append(i)
        self.by_key = {k: tuple(v) for k, v in by_key.items()}
        # in `rank` order, so that `_Scan` breaks a tie as the signal's alternation would
        self.rest = tuple(sorted((i for i, (keys, *_) in enumerate(self.analysis) if keys is None),
                                 key=self.rank.__getitem__))
        # per scanned entry: (index, strings one of which a text must contain (or a digit, when
        # the third item says so), its gate's source); None and False for no such need
        self.needs = tuple(
            (i, tuple(n for n in needs if n != DIGIT) or None if needs else None,
             bool(needs) and DIGIT in needs, self.analysis[i].gate)
            for i in self.rest for needs in (self.analysis[i].needs,))
        # keyed by entry index: the entry's gate source is fixed
        self._gates = Memo(lambda i: regexcache.compile(self.analysis[i].gate, re.I | re.M, self.regex_group),
                           limit=len(entries) + 1)

    def _scanned(self, text: str, low: str | None) -> tuple[int, ...]:
        """The scanned-for entries that can occur in a text (folded: `low`) at all.

        An entry needs one of its strings in the text, and then its gate (`screens.entry_gate`)
        to match: an "@" is in every tweet, an "@" after a word character (an address) is not.
        """
        if low is None:
            return self.rest
        kept = []
        digit_in_text = None  # worked out once, if an entry asks (the phone and card entries do)
        for i, needs, digit, gate in self.needs:
            if needs is not None:
                for need in needs:
                    if need in low:
                        break
                else:
                    if not digit:
                        continue
                    if digit_in_text is None:
                        digit_in_text = _DIGIT.search(low) is not None
                    if not digit_in_text:
                        continue
            elif digit:
                if digit_in_text is None:
                    digit_in_text = _DIGIT.search(low) is not None
                if not digit_in_text:
                    continue
            if gate is not None and self._gates[i].search(text) is None:
                continue
            kept.append(i)
        return tuple(kept)

    @property
    def regex(self) -> re.Pattern:
        """All entries in one regex (what `find` is equivalent to scanning with)."""
        # kept apart from the small regexes a lint reads: the whole signals' are big and rarely used
        return self._compiled(tuple(range(len(self.entries))), self.regex_group + "-whole")

    def _compiled(self, indices: tuple[int, ...], regex_group: str | None = None) -> re.Pattern:
        return self._regexes[(indices, regex_group or self.regex_group)]

    def _single(self, i: int) -> re.Pattern:
        """Entry i's own regex.

        At a candidate word, the entries that can start there are tried one by one, in the
        order the signal's regex would try them (`rank`), and the first that matches is the
        match that regex makes there. One small regex per entry, not one per combination of
        entries: a batch meets thousands of combinations but only as many entries as the
        lexicon has, so that is all it compiles (and `regexcache` keeps).

        It is the entry's regex as it stands, without the named group that tells entries
        apart in the signal's regex (the caller knows which entry it tried): a group around
        it would hide its first element from `re`, which then could not skip ahead to where
        a leading character class matches, nor give up after the first position of an
        entry anchored at `\\A`.
        """
        try:
            regex = regexcache.compile(entry_regex(self.entries[i]), re.I | re.M, self.regex_group)
        except re.error:
            regex = _assemble(self.signal, self.entries, (i,), self.regex_group)  # reports the entry
        return regex

    def find(self, text: str, candidates: list | None = None,
             low: str | None = None) -> list[Hit]:
        """Hits in `text`, exactly those of `self.regex.finditer(text)`.

        `candidates`: word starts and the entries that can start there, flat and in text
        order (`[start, entries, start, entries, ...]`), as `Matchers.candidates` works them
        out, and `low` the folded text; None for either when the caller has not (then every
        position is tried).
        """
        if self.scan_all or candidates is None:
            return self._hits(self.regex.finditer(text))
        scanned = self._scanned(text, low) if self.rest else ()
        singles = self._singles
        if not candidates:
            if not scanned:
                return []
            if len(scanned) == 1:  # one regex: its own finditer is the leftmost-first scan
                i = scanned[0]
                return self._entry_hits((m, i) for m in (singles[i]).finditer(text))
        return self._entry_hits(self._matches(text, candidates, scanned))

    def _matches(self, text: str, candidates: list, scanned: tuple[int, ...]) -> Iterator[tuple[re.Match, int]]:
        """(match, entry index) in text order, each turned into a hit as it comes: held in a
        list, the matches of one signal on a 10 MB text cost ~25 MB more at the peak."""
        singles = self._singles
        rest = _Scan(text, [singles[i] for i in scanned], scanned) if scanned else None
        pos = 0
        upcoming = rest.next(0) if rest is not None else None  # leftmost scanned (match, entry) >= pos
        pairs = iter(candidates)
        for start in pairs:  # indices come in `rank` order (Matchers._select)
            indices = next(pairs)
            if start < pos:
                continue
            while upcoming is not None and upcoming[0].start() < start:
                if upcoming[0].start() >= pos:
                    yield upcoming
                    pos = upcoming[0].end()
                upcoming = rest.next(pos)
            if start < pos:
                continue
            if upcoming is not None and upcoming[0].start() == start:
                indices = self._orders[(indices, scanned)]  # in the order the signal's regex tries them
            for i in indices:
                m = (singles[i]).match(text, start)
                if m is not None:
                    yield m, i
                    pos = m.end()
                    break
        while upcoming is not None:
            if upcoming[0].start() >= pos:
                yield upcoming
                pos = upcoming[0].end()
            upcoming = rest.next(pos)

    def plain_hits(self, text: str) -> list[Hit]:
        """Hits of the signal's whole regex, found by `re` alone (what `find` must equal)."""
        return self._hits(self.regex.finditer(text))

    def _hits(self, matches) -> list[Hit]:
        """Hits of the signal's whole regex, whose named group `e{i}` tells the entry."""
        return self._entry_hits((m, int(m.lastgroup[1:]) if m.lastgroup else -1) for m in matches)

    def _entry_hits(self, matches: Iterable[tuple[re.Match, int]]) -> list[Hit]:
        hits = []
        entries, validators = self.entries, self.validators
        for m, i in matches:
            entry = entries[i] if i >= 0 else {}
            check = validators.get(f"e{i}") if validators else None
            if check is not None and not VALIDATORS[check](m.group(0)):
                continue
            hits.append(_new_hit(Hit, (self.signal, m.start(), m.end(), m.group(0), entry.get("replace"), None)))
        return hits


_DIGIT = regexcache.compile(r"\d")
_new_analysis = partial(tuple.__new__, EntryAnalysis)


class _Scan:
    """The scanned-for entries' matches in text order: what one regex of them all would find.

    Each entry is searched for with its own regex (`scanned` come in `rank` order), and the
    leftmost match wins, the earlier entry on a tie, as an alternation of them would choose.
    Apart, each regex keeps the fast scan `re` gives a pattern that starts with a literal
    or a character class (an "@", a digit): joined into one alternation of named groups,
    every one of them was tried at every position of the text.
    """

    __slots__ = ("text", "regexes", "entries", "ahead")

    def __init__(self, text: str, regexes: list[re.Pattern], entries: tuple[int, ...]) -> None:
        self.text = text
        self.regexes = regexes
        self.entries = entries  # the entry each regex is
        self.ahead: list[re.Match | None] = [regex.search(text) for regex in regexes]

    def next(self, pos: int) -> tuple[re.Match, int] | None:
        """The leftmost match that starts at `pos` or later, with its entry."""
        best = None
        chosen = 0
        ahead = self.ahead
        for k, m in enumerate(ahead):
            if m is not None and m.start() < pos:
                m = ahead[k] = self.regexes[k].search(self.text, pos)
            if m is not None and (best is None or m.start() < best.start()):
                best, chosen = m, k
        return (best, self.entries[chosen]) if best is not None else None


def _assemble(signal: str, ordered: list[dict], indices: tuple[int, ...], regex_group: str) -> re.Pattern:
    """One regex over some of a signal's entries, shaped for Python's backtracking engine.

    Phrases that start at a word share a single left-boundary check, and patterns that start
    with `\\b` share one `\\b`: most positions in a text are inside a word, and failing there
    once, before trying any alternative, is what makes dozens of phrases cheap (about 8x
    faster than checking the boundary in every alternative, measured on the corpus). Any
    subset of the entries keeps their order, so at a given position it picks the same entry
    the whole signal's regex would.
    """
    at_word, at_boundary, other = [], [], []
    for i in indices:
        entry = ordered[i]
        source = entry_regex(entry)
        branch = _branch(entry)
        if branch == _AT_WORD:
            at_word.append(f"(?P<e{i}>{source[3 + len(WORD_EDGE_LEFT):-1]})")
        elif branch == _AT_BOUNDARY:
            at_boundary.append(f"(?P<e{i}>{source[5:-1]})")
        else:
            other.append(f"(?P<e{i}>{source})")
    branches = []
    if at_word:
        branches.append(WORD_EDGE_LEFT + "(?:" + "|".join(at_word) + ")")
    if at_boundary:
        branches.append("\\b(?:" + "|".join(at_boundary) + ")")
    branches += other
    try:
        return regexcache.compile("|".join(branches), re.I | re.M, regex_group)
    except re.error as exc:
        chosen = [ordered[i] for i in indices]
        bad = next((e for e in chosen if not _compiles(entry_regex(e))), None)
        shown = (bad or {}).get("phrase") or (bad or {}).get("pattern")
        raise ValueError(f"signal {signal!r}: entry {shown!r} does not compile: {exc}") from None


def _assemble(signal: str, ordered: list[dict], indices: tuple[int, ...], regex_group: str) -> re.Pattern:
    """One regex over some of a signal's entries, shaped for Python's backtracking engine.

    Phrases that start at a word share a single left-boundary check, and patterns that start
    with `\\b` share one `\\b`: most positions in a text are inside a word, and failing there
    once, before trying any alternative, is what makes dozens of phrases cheap (about 8x
    faster than checking the boundary in every alternative, measured on the corpus). Any
    subset of the entries keeps their order, so at a given position it picks the same entry
    the whole signal's regex would.
    """
    at_word, at_boundary, other = [], [], []
    for i in indices:
        entry = ordered[i]
        source = entry_regex(entry)
        branch = _branch(entry)
        if branch == _AT_WORD:
            at_word.append(f"(?P<e{i}>{source[3 + len(WORD_EDGE_LEFT):-1]})")
        elif branch == _AT_BOUNDARY:
            at_boundary.append(f"(?P<e{i}>{source[5:-1]})")
        else:
            other.append(f"(?P<e{i}>{source})")
    branches = []
    if at_word:
        branches.append(WORD_EDGE_LEFT + "(?:" + "|".join(at_word) + ")")
    if at_boundary:
        branches.append("\\b(?:" + "|".join(at_boundary) + ")")
    branches += other
    try:
        return regexcache.compile("|".join(branches), re.I | re.M, regex_group)
    except re.error as exc:
        chosen = [ordered[i] for i in indices]
        bad = next((e for e in chosen if not _compiles(entry_regex(e))), None)
        shown = (bad or {}).get("phrase") or (bad or {}).get("pattern")
        raise ValueError(f"signal {signal!r}: entry {shown!r} does not compile: {exc}") from None


def check(matchers: dict[str, Matcher]) -> None:
    """Compile every signal's regex now, so a bad pattern is reported when a playbook loads."""
    for matcher in matchers.values():
        matcher.regex  # noqa: B018 - compiling is the point


def _compiles(source: str) -> bool:
    try:
        re.compile(source)
        return True
    except re.error:
        return False
