"""Finding signals in text: a signal's lexicon as one regex, tried where its entries can start.

Phrases are the friendly way to write a lexicon entry: words match case-insensitively on
word boundaries, any run of white space matches any other, straight and curly apostrophes
match each other, and a trailing `*` on a word means "any ending", which is how the Polish
and Bulgarian packs cover inflection (`przeprasz*` is przepraszam, przepraszamy,
przepraszające ...). Patterns are plain regexes for what phrases can't say.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from replycoach.matching import analysis as triggers
from replycoach.matching import regexcache

WORD_EDGE_LEFT = r"(?<![\w@#])"
WORD_EDGE_RIGHT = r"(?!\w)"
_SPACE = regexcache.compile(r"\s+")
_APOSTROPHE = regexcache.compile("['’]")
WORD = regexcache.compile(r"\w+")
WORD_ASCII = regexcache.compile(r"\w+", re.ASCII)  # the same words on ASCII text, from faster tables


class Hit(NamedTuple):
    signal: str
    start: int
    end: int
    text: str
    replacement: str | None = None


_new_hit = tuple.__new__  # Hit(...) without the Python frame of a NamedTuple's __new__ (a reply makes dozens)


class Matcher:
    """One signal's lexicon, tried only at the words where its entries can start.

    `entries` are longest first (the most specific entry of a signal wins at a position);
    regex group `e{i}` is `entries[i]`. `keys[i]` says where entry i can start (see
    `triggers.entry_keys`): folded words or word prefixes, None for anywhere (those entries
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
        # per entry: triggers.analyse(its regex)
        self.analysis = analysis if analysis and len(analysis) == len(entries) else [entry_analysis(e) for e in entries]
        # per entry: its place among the alternatives of the signal's regex
        self.rank = tuple((_branch(e), i) for i, e in enumerate(entries))
        self._regexes: dict = {}
        self._singles: dict = {}
        self._orders: dict = {}
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
            (i, tuple(n for n in needs if n != triggers.DIGIT) or None if needs else None,
             bool(needs) and triggers.DIGIT in needs, self.analysis[i][2] if len(self.analysis[i]) > 2 else None)
            for i in self.rest for needs in (self.analysis[i][1],))
        self._gates: dict[int, re.Pattern] = {}

    def _scanned(self, text: str, low: str | None) -> tuple[int, ...]:
        """The scanned-for entries that can occur in a text (folded: `low`) at all.

        An entry needs one of its strings in the text, and then its gate (`triggers.entry_gate`)
        to match: an "@" is in every tweet, an "@" after a word character (an address) is not.
        """
        if low is None:
            return self.rest
        kept = []
        for i, needs, digit, gate in self.needs:
            if needs is not None:
                for need in needs:
                    if need in low:
                        break
                else:
                    if not (digit and _has_digit(low)):
                        continue
            elif digit and not _has_digit(low):
                continue
            if gate is not None and (self._gates.get(i) or self._gate(i, gate)).search(text) is None:
                continue
            kept.append(i)
        return tuple(kept)

    def _gate(self, i: int, source: str) -> re.Pattern:
        regex = self._gates[i] = regexcache.compile(source, re.I | re.M, self.regex_group)
        return regex

    @property
    def regex(self) -> re.Pattern:
        """All entries in one regex (what `find` is equivalent to scanning with)."""
        # kept apart from the small regexes a lint reads: the whole signals' are big and rarely used
        return self._compiled(tuple(range(len(self.entries))), self.regex_group + "-whole")

    def _compiled(self, indices: tuple[int, ...], regex_group: str | None = None) -> re.Pattern:
        regex = self._regexes.get(indices)
        if regex is None:
            regex = self._regexes[indices] = _assemble(self.signal, self.entries, indices,
                                                       regex_group or self.regex_group)
        return regex

    def _order(self, indices: tuple[int, ...], scanned: tuple[int, ...]) -> tuple[int, ...]:
        """Entries to try at one position, in the order the whole signal's regex tries them."""
        key = (indices, scanned)
        order = self._orders.get(key)
        if order is None:
            order = self._orders[key] = tuple(sorted({*indices, *scanned}, key=self.rank.__getitem__))
        return order

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
        self._singles[i] = regex
        return regex

    def find(self, text: str, candidates: list[tuple[int, tuple[int, ...]]] | None = None,
             low: str | None = None) -> list[Hit]:
        """Hits in `text`, exactly those of `self.regex.finditer(text)`.

        `candidates`: (word start, entries that can start there) in text order, as
        `Matchers.candidates` works them out, and `low` the folded text; None for either
        when the caller has not (then every position is tried).
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
                return self._entry_hits([(m, i) for m in (singles.get(i) or self._single(i)).finditer(text)])
        rest = _Scan(text, [singles.get(i) or self._single(i) for i in scanned], scanned) if scanned else None
        matches = []  # (match, entry index)
        pos = 0
        upcoming = rest.next(0) if rest is not None else None  # leftmost scanned (match, entry) >= pos
        for start, indices in candidates:  # indices come in `rank` order (Matchers._select)
            if start < pos:
                continue
            while upcoming is not None and upcoming[0].start() < start:
                if upcoming[0].start() >= pos:
                    matches.append(upcoming)
                    pos = upcoming[0].end()
                upcoming = rest.next(pos)
            if start < pos:
                continue
            if upcoming is not None and upcoming[0].start() == start:
                indices = self._order(indices, scanned)
            for i in indices:
                m = (singles.get(i) or self._single(i)).match(text, start)
                if m is not None:
                    matches.append((m, i))
                    pos = m.end()
                    break
        while upcoming is not None:
            if upcoming[0].start() >= pos:
                matches.append(upcoming)
                pos = upcoming[0].end()
            upcoming = rest.next(pos)
        return self._entry_hits(matches)

    def _hits(self, matches) -> list[Hit]:
        """Hits of the signal's whole regex, whose named group `e{i}` tells the entry."""
        return self._entry_hits([(m, int(m.lastgroup[1:]) if m.lastgroup else -1) for m in matches])

    def _entry_hits(self, matches: list[tuple[re.Match, int]]) -> list[Hit]:
        if not matches:
            return []
        hits = []
        entries, validators = self.entries, self.validators
        for m, i in matches:
            entry = entries[i] if i >= 0 else {}
            check = validators.get(f"e{i}") if validators else None
            if check is not None and not VALIDATORS[check](m.group(0)):
                continue
            hits.append(_new_hit(Hit, (self.signal, m.start(), m.end(), m.group(0), entry.get("replace"))))
        return hits


_DIGIT = regexcache.compile(r"\d")
_digits_seen: list = [None, False]  # the last text asked about, and whether it has a digit


def _has_digit(low: str) -> bool:
    """Whether a text has a digit, worked out once per text (the phone and card entries both ask)."""
    if _digits_seen[0] is not low:
        _digits_seen[0], _digits_seen[1] = low, _DIGIT.search(low) is not None
    return _digits_seen[1]


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


class Matchers(dict):
    """A language's matchers by signal name, plus the table of which entries can start at which word.

    `candidates` makes one pass over a reply's words and hands every signal the word starts
    where one of its entries can match, with those entries. What each distinct word selects
    is remembered (up to `WORD_CACHE` words), so a batch pays for a word once.

    Nearly every word that selects entries matches none of them (about 97 of 100 tries on
    the twitter-care replies: "we" starts dozens of phrases across signals, "we are sorry"
    among them, but most replies say "we" otherwise). So each distinct selection also gets
    one regex of all its entries, of every signal, tried once at the word: where it fails,
    no entry can match and no signal is handed the word. It can only accept more than the
    entries together, so the hits are unchanged; what it saves is a Python call per signal
    and a failing match per entry. The screen is in two parts: the entries' folded forms
    (`triggers.entry_screen`), tried on the folded text without IGNORECASE, which `re` runs
    several times faster, and the entries that are case-sensitive throughout, on the text.
    """

    WORD_CACHE = 100_000

    def __init__(self, matchers: dict[str, Matcher]) -> None:
        super().__init__(matchers)
        table: dict[str, list[tuple[str, tuple[int, ...]]]] = {}
        for name, matcher in matchers.items():
            if not matcher.scan_all:
                for key, indices in matcher.by_key.items():
                    table.setdefault(key, []).append((name, indices))
        self.table = table
        self.prefix_lengths = sorted({len(k) - 1 for k in table if k.endswith(triggers.PREFIX)})
        # word -> (selection, its screen on the folded text, its screen on the text), or ()
        # when it selects nothing; a screen is None when no entry of the selection is in it
        self._words: dict[str, tuple] = {}
        self._screens: dict[tuple, tuple] = {}  # selection -> its two screens

    def warm(self) -> None:
        """Read the stored regex code these matchers use (see `regexcache`), ahead of use."""
        for group in {matcher.regex_group for matcher in self.values()}:
            regexcache.preload(group)

    def candidates(self, text: str) -> tuple[dict[str, list[tuple[int, tuple[int, ...]]]] | None, str]:
        """Per signal, (word start, entries that can start there), and the folded text.

        None instead of the dict when the text has a character that folding can't vouch for
        (then every signal is tried everywhere).
        """
        if triggers.ODD is not None and triggers.ODD.search(text):
            return None, text
        found: dict[str, list] = {}
        low = triggers.fold(text)
        if not self.table:
            return found, low
        words = self._words
        for m in (WORD_ASCII if low.isascii() else WORD).finditer(low):
            word = m.group()
            selected = words.get(word)
            if selected is None:
                if len(words) >= self.WORD_CACHE:
                    words.clear()
                selection = self._select(word)
                selected = words[word] = (selection, *self._screen(selection)) if selection else ()
            if selected:
                start = m.start()
                selection, folded, exact = selected
                if (folded is None or folded.match(low, start) is None) and (
                        exact is None or exact.match(text, start) is None):
                    continue  # no entry that can start at this word matches here
                for name, indices in selection:
                    spots = found.get(name)
                    if spots is None:
                        found[name] = [(start, indices)]
                    else:
                        spots.append((start, indices))
        return found, low

    def _screen(self, selection: tuple) -> tuple:
        """(folded, exact): regexes that between them match at a position if any entry of a
        selection does; the folded one on the folded text, the exact one on the text."""
        screens = self._screens.get(selection)
        if screens is None:
            folded, exact = [], []
            for name, indices in selection:
                matcher = self[name]
                for i in indices:
                    analysis = matcher.analysis[i]
                    screen = analysis[3] if len(analysis) > 3 else None
                    if screen is None:
                        exact.append(entry_regex(matcher.entries[i]))
                    else:
                        folded.append(screen)
            group = next(iter(self.values())).regex_group
            screens = self._screens[selection] = (_screen_regex(folded, re.M, group),
                                                  _screen_regex(exact, re.I | re.M, group))
        return screens

    def _select(self, word: str) -> tuple[tuple[str, tuple[int, ...]], ...]:
        chosen: dict[str, set[int]] = {}
        keys = [word] + [word[:n] + triggers.PREFIX for n in self.prefix_lengths if n <= len(word)]
        for key in keys:
            for name, indices in self.table.get(key, ()):
                chosen.setdefault(name, set()).update(indices)
        return tuple((name, tuple(sorted(indices, key=self[name].rank.__getitem__)))
                     for name, indices in sorted(chosen.items()))


def _screen_regex(sources: list[str], flags: int, group: str) -> re.Pattern | None:
    if not sources:
        return None
    try:
        return regexcache.compile("|".join(sources), flags, group)
    except re.error:  # entries that only compile apart (two define one group name): no screen
        return _ANYWHERE


_ANYWHERE = regexcache.compile("")
_WORD_START = regexcache.compile(r"\w")
_WORD_END = regexcache.compile(r"[\w*]$")


def phrase_to_regex(phrase: str) -> str:
    parts = []
    for word in _SPACE.split(phrase.strip()):
        stem = word.endswith("*") and len(word) > 1
        core = word[:-1] if stem else word
        escaped = _APOSTROPHE.sub("['’]", re.escape(core))
        parts.append(escaped + (r"\w*" if stem else ""))
    body = r"\s+".join(parts)
    left = WORD_EDGE_LEFT if _WORD_START.match(phrase.strip()) else ""
    right = WORD_EDGE_RIGHT if _WORD_END.search(phrase.strip()) else ""
    return f"{left}{body}{right}"


def entry_analysis(entry: dict) -> list:
    """`triggers.analyse` of an entry, read straight off a phrase when it can be (no regex parse).

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
        key = triggers.fold(run) + (triggers.PREFIX if stem and run == core else "")
        # a phrase's folded form is its own regex, folded, without the left edge: the word
        # index only tries it at a word start, and an alternative that starts with a letter
        # is one `re` can pass over on that letter
        screen = None if entry.get("case_sensitive") else phrase_to_regex(triggers.fold(phrase))
        if screen is not None and screen.startswith(WORD_EDGE_LEFT):
            screen = screen[len(WORD_EDGE_LEFT):]
        return [[key], None, None, screen]
    return triggers.analyse(entry_regex(entry))


_WORD_RUN = regexcache.compile(r"\w+")


def entry_regex(entry: dict) -> str:
    source = phrase_to_regex(entry["phrase"]) if entry.get("phrase") else entry["pattern"]
    return f"(?-i:{source})" if entry.get("case_sensitive") else f"(?:{source})"


def compile_lexicon(lexicon: dict[str, list[dict]], definitions: dict[str, dict],
                    analysis: dict[str, list] | None = None, regex_group: str = "lexicon") -> Matchers:
    """A matcher per signal; regexes are compiled on first use, so a run pays only for what it meets.

    `analysis` (per signal, `triggers.analyse` of each entry in lexicon order) comes from the
    playbook cache; without it the entries are analysed here. `check()` compiles everything.
    """
    matchers = {}
    for signal, entries in lexicon.items():
        if not entries:
            continue
        # longest first, so the most specific phrase of a signal wins at a given position
        order = sorted(range(len(entries)), key=lambda i: -len(entries[i].get("phrase") or entries[i]["pattern"]))
        ordered = [entries[i] for i in order]
        given = (analysis or {}).get(signal)
        known = [given[i] for i in order] if given and len(given) == len(entries) else []
        validators = {f"e{i}": e["validate"] for i, e in enumerate(ordered) if e.get("validate")}
        definition = definitions.get(signal, {})
        matchers[signal] = Matcher(signal, ordered, validators, definition.get("match_opaque", False), regex_group,
                                   known)
    return Matchers(matchers)


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


_AT_WORD, _AT_BOUNDARY, _OTHER = 0, 1, 2


def _branch(entry: dict) -> int:
    """Which branch of `_assemble`'s regex an entry goes in (the branches are tried in this order).

    Read off the entry as `entry_regex` would write it: a phrase that starts with a word
    character gets the shared left edge, a pattern that starts with `\\b` the shared `\\b`,
    unless the entry is case-sensitive.
    """
    if entry.get("case_sensitive"):
        return _OTHER
    phrase = entry.get("phrase")
    if phrase:
        return _AT_WORD if _WORD_RUN.match(phrase.strip()) else _OTHER
    return _AT_BOUNDARY if entry["pattern"].startswith("\\b") else _OTHER


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


def luhn(text: str) -> bool:
    digits = [int(c) for c in text if c.isdigit()]
    if not 13 <= len(digits) <= 19:
        return False
    total = 0
    for i, digit in enumerate(reversed(digits)):
        if i % 2:
            digit *= 2
            digit -= 9 if digit > 9 else 0
        total += digit
    return total % 10 == 0


def phone(text: str) -> bool:
    """9 to 15 digits, and not something that merely looks numeric (a date, a year range)."""
    digits = sum(c.isdigit() for c in text)
    if not 9 <= digits <= 15:
        return False
    return not re.fullmatch(r"\d{4}[-./]\d{1,2}[-./]\d{1,2}.*|\d{1,2}[-./]\d{1,2}[-./]\d{2,4}.*", text.strip())


VALIDATORS = {"luhn": luhn, "phone": phone}
OPAQUE = regexcache.compile(
    r"https?://\S+|www\.\S+|@(?<![\w.]@)\w+|\b[\w.-]+\.(?:com|net|org|io|pl|bg|eu|co|uk)/\S*", re.I)


# OPAQUE in two parts that `re` can skip through (~4 instead of ~20 us a tweet; `opaque_spans`
# merges them as OPAQUE's alternation would): the first three alternatives, spelled without
# re.I (the letters with every character IGNORECASE equates them with, ſ for s) so they share
# a leading class, and the bare-domain one, only ever run from just before a ".com/"-like mark.
_OPAQUE_HEAD = regexcache.compile(r"[Hh][Tt][Tt][Pp][Ssſ]?://\S+|[Ww][Ww][Ww]\.\S+|@(?<![\w.]@)\w+")
_TLD = r"\.(?:com|net|org|io|pl|bg|eu|co|uk)/"
_DOMAIN = regexcache.compile(r"\b[\w.-]+" + _TLD + r"\S*", re.I)
_DOMAIN_MARK = regexcache.compile(_TLD, re.I)


def opaque_spans(text: str) -> list[tuple[int, int]]:
    """Where the URLs and @handles are: the spans of `OPAQUE.finditer` (each needs a "/", an
    "@" or "www", so most replies skip the scan)."""
    if not ("/" in text or "@" in text or "www" in text):
        return []
    spans = []
    head = _OPAQUE_HEAD.search(text)
    domain = _domain_from(text, 0)
    while head is not None or domain is not None:
        # the leftmost match wins, the head's on a tie: its alternatives come first in OPAQUE
        m = head if domain is None or (head is not None and head.start() <= domain.start()) else domain
        pos = m.end()
        spans.append((m.start(), pos))
        if head is not None and head.start() < pos:
            head = _OPAQUE_HEAD.search(text, pos)
        if domain is not None and domain.start() < pos:
            domain = _domain_from(text, pos)
    return spans


def _domain_from(text: str, pos: int) -> re.Match | None:
    """`_DOMAIN.search(text, pos)`, scanning only from where such a match can begin.

    A bare-domain match is a run of word characters, dots and hyphens, then its mark: it
    begins after the last space or "/" before the first mark past `pos` (a later mark's run
    begins after this mark's "/"). In a tweet the mark is nearly always inside a link
    (t.co/...), so the scan starts right there instead of at every word of the tweet.
    """
    mark = _DOMAIN_MARK.search(text, pos + 1)
    if mark is None:
        return None
    at = mark.start()
    return _DOMAIN.search(text, max(pos, text.rfind(" ", pos, at) + 1, text.rfind("/", pos, at) + 1))


def find_signals(text: str, matchers: dict[str, Matcher], definitions: dict[str, dict],
                 skip_spans: list[tuple[int, int]] = (), only: frozenset[str] | None = None,
                 opaque: list[tuple[int, int]] | None = None) -> dict[str, list[Hit]]:
    """All hits of every signal (or of those in `only`), with URL/@handle hits and suppressed hits removed.

    A signal without hits has no key (rules and the checklist test presence with set operations).

    `only` must hold every signal that can suppress one of its signals (see
    `engine._signals_needed`), so the hits kept are those a full match would keep.
    """
    if opaque is None:
        opaque = opaque_spans(text)
    found: dict[str, list[Hit]] = {}
    candidates, low = matchers.candidates(text) if isinstance(matchers, Matchers) else (None, None)
    for name, matcher in matchers.items():
        if only is not None and name not in only:
            continue
        if candidates is not None and name not in candidates and not matcher.rest and not matcher.scan_all:
            continue  # no entry of this signal can start anywhere in this text
        hits = matcher.find(text, candidates.get(name, ()) if candidates is not None else None, low)
        if hits and opaque and not matcher.match_opaque:
            hits = [h for h in hits if not _inside(h, opaque)]
        if hits and skip_spans:
            hits = [h for h in hits if not _overlaps(h, skip_spans)]
        if hits:
            found[name] = hits
    for name, hits in list(found.items()):
        suppressors = [h for other in definitions.get(name, {}).get("suppressed_by", ()) for h in found.get(other, ())]
        if suppressors:
            kept = [h for h in hits if not any(h.start < s.end and s.start < h.end for s in suppressors)]
            if kept:
                found[name] = kept
            else:
                del found[name]
    return found


def _inside(hit: Hit, spans) -> bool:
    return any(s <= hit.start and hit.end <= e for s, e in spans)


def _overlaps(hit: Hit, spans) -> bool:
    return any(hit.start < e and s < hit.end for s, e in spans)
