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

WORD_EDGE_LEFT = r"(?<![\w@#])"
WORD_EDGE_RIGHT = r"(?!\w)"
PREFIX = "*"  # a word index key ending in it stands for every word beginning so
DIGIT = "\\d"  # a need that stands for "some digit" (\\d), not a literal string
_SPACE = regexcache.compile(r"\s+")
_APOSTROPHE = regexcache.compile("['’]")


class Hit(NamedTuple):
    """Where a signal was found: by the lexicon (`score` None) or by the detector (its probability)."""

    signal: str
    start: int
    end: int
    text: str
    replacement: str | None = None
    score: float | None = None


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


class EntryAnalysis(NamedTuple):
    """What the matcher knows of one lexicon entry before it meets any text (kept in the playbook cache).

    `keys`: the folded words (or `word*` prefixes) a match can start with; None when it can
    start elsewhere (the entry is scanned for), False when it may match the empty string
    (its signal is matched plainly). For a scanned entry, `needs`: strings one of which
    every match contains (`DIGIT` for any digit), and `gate`: a fast regex every text it
    matches in also matches. For a keyed entry, `screen`: a regex for the folded text that
    matches wherever the entry does.
    """

    keys: list[str] | bool | None
    needs: list[str] | None = None
    gate: str | None = None
    screen: str | None = None
