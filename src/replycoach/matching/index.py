"""The word index: one pass over a reply's words hands every signal the places worth trying.

Most entries can only start at certain words ("sorry to hear" at "sorry", `przeprasz*` at
words beginning "przeprasz"); `analysis.entry_keys` lists them once per entry. Here a
reply's words are looked up in a table of those keys, and each distinct word's selection of
entries is remembered for the batch.
"""

from __future__ import annotations

import re

from replycoach.core import regexcache
from replycoach.core.memo import Memo
from replycoach.matching.entries import PREFIX, entry_regex
from replycoach.matching.fold import ODD, fold
from replycoach.matching.lexicon import Matcher

WORD = regexcache.compile(r"\w+")
WORD_ASCII = regexcache.compile(r"\w+", re.ASCII)  # the same words on ASCII text, from faster tables
_ANYWHERE = regexcache.compile("")


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
    (`screens.entry_screen`), tried on the folded text without IGNORECASE, which `re` runs
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
        self.prefix_lengths = sorted({len(k) - 1 for k in table if k.endswith(PREFIX)})
        # word -> (selection, its screen on the folded text, its screen on the text), or ()
        # when it selects nothing; a screen is None when no entry of the selection is in it
        # keyed by a folded word: the index table decides what it selects
        self._words = Memo(self._word, limit=self.WORD_CACHE)
        # keyed by a selection of entries: its screens are made of those entries alone
        self._screens = Memo(self._screen, limit=10_000)

    def warm(self) -> None:
        """Read the stored regex code these matchers use (see `regexcache`), ahead of use."""
        for group in {matcher.regex_group for matcher in self.values()}:
            regexcache.preload(group)

    def candidates(self, text: str) -> tuple[dict[str, list] | None, str]:
        """Per signal, its word starts and the entries that can start there, and the folded text.

        A signal's list is flat, `[start, entries, start, entries, ...]`: a pair tuple per word
        cost 64 bytes, four times the list slots, and on a 10 MB text of lexicon words these
        lists were the largest thing alive (82 of 197 MB at the peak, measured with
        tracemalloc). None instead of the dict when the text has a character that folding
        can't vouch for (then every signal is tried everywhere).
        """
        if ODD is not None and ODD.search(text):
            return None, text
        found: dict[str, list] = {}
        low = fold(text)
        if not self.table:
            return found, low
        words = self._words
        for m in (WORD_ASCII if low.isascii() else WORD).finditer(low):
            selected = words[m.group()]
            if selected:
                start = m.start()
                selection, folded, exact = selected
                if (folded is None or folded.match(low, start) is None) and (
                        exact is None or exact.match(text, start) is None):
                    continue  # no entry that can start at this word matches here
                for name, indices in selection:
                    spots = found.get(name)
                    if spots is None:
                        found[name] = [start, indices]
                    else:
                        spots.append(start)
                        spots.append(indices)
        return found, low

    def _word(self, word: str) -> tuple:
        """(selection, its screen on the folded text, its screen on the text), or () when the
        word selects no entry; a screen is None when no entry of the selection is in it."""
        selection = self._select(word)
        return (selection, *self._screens[selection]) if selection else ()

    def _screen(self, selection: tuple) -> tuple:
        """(folded, exact): regexes that between them match at a position if any entry of a
        selection does; the folded one on the folded text, the exact one on the text."""
        folded, exact = [], []
        for name, indices in selection:
            matcher = self[name]
            for i in indices:
                screen = matcher.analysis[i].screen
                if screen is None:
                    exact.append(entry_regex(matcher.entries[i]))
                else:
                    folded.append(screen)
        group = next(iter(self.values())).regex_group
        return _screen_regex(folded, re.M, group), _screen_regex(exact, re.I | re.M, group)

    def _select(self, word: str) -> tuple[tuple[str, tuple[int, ...]], ...]:
        chosen: dict[str, set[int]] = {}
        keys = [word] + [word[:n] + PREFIX for n in self.prefix_lengths if n <= len(word)]
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


def compile_lexicon(lexicon: dict[str, list[dict]], definitions: dict[str, dict],
                    analysis: dict[str, list] | None = None, regex_group: str = "lexicon") -> Matchers:
    """A matcher per signal; regexes are compiled on first use, so a run pays only for what it meets.

    `analysis` (per signal, `analysis.analyse` of each entry in lexicon order) comes from the
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
