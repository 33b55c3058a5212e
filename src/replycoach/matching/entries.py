"""A lexicon entry as regex source, and what a match of one is.

Phrases are the friendly way to write a lexicon entry: words match case-insensitively on
word boundaries, any run of white space matches any other, straight and curly apostrophes
match each other, and a trailing `*` on a word means "any ending", which is how the Polish
and Bulgarian packs cover inflection (`przeprasz*` is przepraszam, przepraszamy,
przepraszające ...). Patterns are plain regexes for what phrases can't say. This module is
the meaning of an entry; everything else in `matching` only finds the same matches faster.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from replycoach.core import regexcache
from replycoach.matching.analysis import PREFIX, EntryAnalysis, analyse
from replycoach.matching.fold import fold

WORD_EDGE_LEFT = r"(?<![\w@#])"
WORD_EDGE_RIGHT = r"(?!\w)"
_SPACE = regexcache.compile(r"\s+")
_APOSTROPHE = regexcache.compile("['’]")


class Hit(NamedTuple):
    signal: str
    start: int
    end: int
    text: str
    replacement: str | None = None


_new_hit = tuple.__new__  # Hit(...) without the Python frame of a NamedTuple's __new__ (a reply makes dozens)


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


_WORD_RUN = regexcache.compile(r"\w+")


def entry_regex(entry: dict) -> str:
    source = phrase_to_regex(entry["phrase"]) if entry.get("phrase") else entry["pattern"]
    return f"(?-i:{source})" if entry.get("case_sensitive") else f"(?:{source})"


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
