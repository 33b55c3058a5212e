"""What a playbook knows about each language: how to recognise it and how it writes.

Everything language-specific lives in the language packs (`languages:` in a playbook):

    languages:
      pl:
        name: Polish
        words: [się, nie, jest, ...]   # common function words, for telling languages apart
        letters: ąćęłńóśźż             # letters that mark the language among the others
        capitals: ĄĆĘŁŃÓŚŹŻ            # capitals beyond A-Z (shouting, [PLACEHOLDER] markers)
        abbreviations: [tel, ul, np]   # a full stop after these does not end a sentence
        script: latin                  # or cyrillic, greek ...
        fillers: Х                     # letters a hand-typed "XXX" slot may be written with

A user playbook that brings `languages: {de: {...}}` and `lexicon: {de: {...}}` can lint German
with no code change: it is detected by its words, its capitals count as shouting, its
abbreviations keep sentences whole.

Detection is cheap and model-free, because replies are short and the cues are strong:
a reply mostly in a non-Latin script is in a language of that script; otherwise each Latin
language scores its distinctive letters (x2) and its function words (x3), and the default
language keeps the reply unless another one scores higher. A pack with no lexicon (Russian,
Spanish ...) is a language recognised but not linted: it is named when it clearly outscores
the language the reply would be linted as. Set lookups over the words are
counted in C (`map`): word-list regexes with IGNORECASE cost ~90 us a reply, more than
matching the reply's whole lexicon.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from replycoach.core import regexcache

# Unicode scripts a pack can name: these are facts about alphabets, not about a language
SCRIPTS = {"latin": "A-Za-z", "cyrillic": "\u0400-\u04FF", "greek": "\u0370-\u03FF"}
LATIN_CAPITALS = "A-ZÀ-ÖØ-Þ"  # capitals every Latin-script language shares
SAMPLE = 4000  # characters of a reply that detection reads
# A language with no rules is named only this far ahead of the one the reply would be linted
# as (two more of its words, or three more of its letters): a Spanish street name in an
# English reply must not stop the reply being linted
OTHER_MARGIN = 6
WORD = regexcache.compile(r"\w+")
# on ASCII text \w is [A-Za-z0-9_] either way; re's ASCII tables are ~25% faster than Unicode's
WORD_ASCII = regexcache.compile(r"\w+", re.ASCII)


class LanguagePack(NamedTuple):
    code: str
    name: str
    words: frozenset[str] = frozenset()
    letters: str = ""
    capitals: str = ""
    abbreviations: tuple[str, ...] = ()
    script: str = "latin"
    fillers: str = ""


def packs_from(data: dict[str, dict]) -> dict[str, LanguagePack]:
    """The validated `languages:` data as packs (words folded to lower case)."""
    return {code: LanguagePack(code, info.get("name") or code, frozenset(w.lower() for w in info.get("words") or ()),
                               info.get("letters") or "", info.get("capitals") or "",
                               tuple(info.get("abbreviations") or ()), info.get("script") or "latin",
                               info.get("fillers") or "")
            for code, info in data.items()}


class Detector:
    """Tells a playbook's languages apart from their packs' cues."""

    def __init__(self, packs: dict[str, LanguagePack], default: str | None) -> None:
        self.packs = packs
        self.default = default
        self._latin = regexcache.compile(f"[{SCRIPTS['latin']}]")
        self._scripts = {script: regexcache.compile(f"[{SCRIPTS[script]}]")
                         for script in sorted({p.script for p in packs.values()} - {"latin"})}
        self._letters = {code: regexcache.compile(f"[{_letter_class(p.letters)}]")
                         for code, p in packs.items() if p.letters}

    def detect(self, text: str, available: list[str] | tuple[str, ...], others: tuple[str, ...] = ()) -> str:
        """The language of `text`, among `available` (a playbook's lexicon languages), or one
        of `others` (recognised, not lintable) that clearly outscores the one it would be."""
        chosen = self._detect(text, available)
        if not others or chosen not in self.packs:
            return chosen
        script = self.packs[chosen].script
        rivals = [code for code in others if code in self.packs and self.packs[code].script == script]
        if not rivals:
            return chosen
        sample = text[:SAMPLE]
        scores = self._scores(sample, [chosen, *rivals], sample.isascii())
        best = max(rivals, key=scores.__getitem__)
        return best if scores[best] >= scores[chosen] + OTHER_MARGIN else chosen

    def _detect(self, text: str, available: list[str] | tuple[str, ...]) -> str:
        sample = text[:SAMPLE]
        ascii_only = sample.isascii()  # most replies: no other script and no accented letters to count
        packs = self.packs
        if not ascii_only:
            latin = None
            for script, letter in self._scripts.items():
                candidates = [c for c in available if c in packs and packs[c].script == script]
                if not candidates or letter.search(sample) is None:
                    continue
                if latin is None:
                    latin = len(self._latin.findall(sample))
                if len(letter.findall(sample)) >= latin * 0.5:
                    return candidates[0] if len(candidates) == 1 else self._best(sample, candidates, False)
        default = self.default if self.default in available else available[0]
        latin_languages = [c for c in available if c in packs and packs[c].script == "latin"]
        if len(latin_languages) < 2:
            return default
        return self._best(sample, latin_languages, ascii_only, default)

    def _best(self, sample: str, candidates: list[str], ascii_only: bool, default: str | None = None) -> str:
        """The candidate whose letters (x2) and words (x3) score highest; the default keeps a tie."""
        scores = self._scores(sample, candidates, ascii_only)
        best, best_score = default, -1
        if default is not None and default in scores:
            best_score = scores[default]
        for code in candidates:
            if scores[code] > best_score:
                best, best_score = code, scores[code]
        return best if best is not None else candidates[0]


    def _scores(self, sample: str, candidates: list[str], ascii_only: bool) -> dict[str, int]:
        words = (WORD_ASCII if ascii_only else WORD).findall(sample.lower())
        scores = {}
        for code in candidates:
            pack = self.packs[code]
            letters = 0 if ascii_only or code not in self._letters else len(self._letters[code].findall(sample))
            scores[code] = letters * 2 + sum(map(pack.words.__contains__, words)) * 3
        return scores


def _letter_class(letters: str) -> str:
    """A pack's letters in both cases, for a character class."""
    both = letters + "".join(c.upper() for c in letters if len(c.upper()) == 1)  # not ß -> "SS"
    return "".join(dict.fromkeys(both)).replace("\\", "\\\\").replace("]", "\\]").replace("^", "\\^")


class TextConventions(NamedTuple):
    """How the playbook's languages write, as the document and the kinds need it.

    A reply's language is known only after it is parsed, so these cover every language of
    the playbook at once.
    """

    capitals: str  # a character class of capital letters (shouting)
    placeholder: re.Pattern  # template slots and hand-typed markers
    placeholder_start: re.Pattern  # what every placeholder starts with
    abbreviation: re.Pattern  # a word before "." that does not end a sentence


def conventions_of(packs: dict[str, LanguagePack]) -> TextConventions:
    extra_capitals = "".join(p.capitals for p in packs.values())
    upper = "A-Z" + extra_capitals
    lower = "a-z" + extra_capitals.lower()
    fillers = "X" + "".join(p.fillers for p in packs.values())
    placeholder = regexcache.compile(
        r"\{\{[^{}\n]{0,200}?\}\}"
        r"|\{%[^{}\n]{0,200}?%\}"
        r"|\{[ \t]*[^\W\d][\w.]{0,80}[ \t]*\}"
        rf"|\[[{upper}][{upper}0-9 _#.-]{{2,40}}\]"
        rf"|<[{lower}]+(?:[ _][{lower}]+){{1,5}}>"
        # XXX written so that every alternative starts with a literal character: then re scans
        # for those few characters instead of trying the pattern at every position (4x faster)
        + "".join(rf"|{f}(?<!\w{f})[{fillers}]{{2,}}\b" for f in fillers)
        + r"|%[A-Z][A-Z_]{2,40}%"
    )
    abbreviations = sorted({re.escape(a.lower()) for p in packs.values() for a in p.abbreviations})
    abbreviation = regexcache.compile(rf"(?<![\w.])(?:{'|'.join(abbreviations) or '(?!)'})$", re.I)
    return TextConventions(f"[{LATIN_CAPITALS}{extra_capitals}]", placeholder,
                           regexcache.compile(f"[{{\\[<%{fillers}]"), abbreviation)
