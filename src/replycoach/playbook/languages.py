"""Telling English, Polish and Bulgarian apart, cheaply and without a model.

Replies are short, so this leans on what is unmistakable: Cyrillic script means Bulgarian
(the only Cyrillic language we ship), Polish diacritics or very common Polish function
words mean Polish, and everything else is English.
"""

from __future__ import annotations

import re

from replycoach.core import regexcache

CYRILLIC = regexcache.compile(r"[\u0400-\u04FF]")
LATIN = regexcache.compile(r"[A-Za-z]")
POLISH_LETTERS = regexcache.compile(r"[ąćęłńóśźżĄĆĘŁŃÓŚŹŻ]")
# compared in lower case, word by word (a reply often starts with one: "Nie", "Jak", "Czy")
POLISH_WORDS = frozenset({
    "się", "nie", "jest", "są", "że", "dla", "przez", "oraz", "jak", "ale", "czy", "już", "bardzo", "pan", "pani",
    "państwa", "dziękujemy", "przepraszamy", "prosimy", "zamówienie", "wiadomość", "naszym", "nas", "pozdrawiam",
    "dzień", "dobry", "witam", "mamy", "tym",
})
ENGLISH_WORDS = frozenset({
    "the", "and", "you", "your", "we", "our", "to", "is", "are", "for", "this", "with", "please", "sorry", "thanks",
})
WORD = regexcache.compile(r"\w+")
# on ASCII text \w is [A-Za-z0-9_] either way; re's ASCII tables are ~25% faster than Unicode's
WORD_ASCII = regexcache.compile(r"\w+", re.ASCII)


def detect(text: str, available: list[str] | tuple[str, ...] = ("en", "pl", "bg")) -> str:
    """Bulgarian when Cyrillic letters are at least half as many as Latin ones, Polish when its
    letters (x2) and function words (x3) outscore English function words (x3), else English.

    Set lookups over the words, counted in C (`map`): word-list regexes with IGNORECASE cost ~90 us
    a reply, more than matching the reply's whole lexicon.
    """
    sample = text[:4000]
    ascii_only = sample.isascii()  # most replies: no Cyrillic and no Polish letters to count
    cyrillic = "bg" in available and not ascii_only and CYRILLIC.search(sample) is not None
    if cyrillic and len(CYRILLIC.findall(sample)) >= len(LATIN.findall(sample)) * 0.5:
        return "bg"
    if "pl" in available:
        low = sample.lower()
        words = (WORD_ASCII if ascii_only else WORD).findall(low)
        # the two word sets share no word, so each word scores for one side at most
        letters = 0 if ascii_only else len(POLISH_LETTERS.findall(sample))
        polish = letters * 2 + sum(map(POLISH_WORDS.__contains__, words)) * 3
        english = sum(map(ENGLISH_WORDS.__contains__, words)) * 3
        if polish > english:
            return "pl"
    return "en" if "en" in available else available[0]
