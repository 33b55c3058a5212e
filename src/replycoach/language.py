"""Telling English, Polish and Bulgarian apart, cheaply and without a model.

Replies are short, so this leans on what is unmistakable: Cyrillic script means Bulgarian
(the only Cyrillic language we ship), Polish diacritics or very common Polish function
words mean Polish, and everything else is English.
"""

from __future__ import annotations

import re

from replycoach import regexcache

CYRILLIC = regexcache.compile(r"[\u0400-\u04FF]")
LATIN = regexcache.compile(r"[A-Za-z]")
POLISH_LETTERS = regexcache.compile(r"[ąćęłńóśźżĄĆĘŁŃÓŚŹŻ]")
POLISH_WORDS = regexcache.compile(
    r"\b(?:się|nie|jest|są|że|dla|przez|oraz|jak|ale|czy|już|bardzo|Pan|Pani|Państwa|dziękujemy|"
    r"przepraszamy|prosimy|zamówienie|wiadomość|naszym|nas|pozdrawiam|dzień|dobry|witam|mamy|tym)\b",
    re.I,  # a reply often starts with one of them ("Nie", "Jak", "Czy")
)
ENGLISH_WORDS = regexcache.compile(r"\b(?:the|and|you|your|we|our|to|is|are|for|this|with|please|sorry|thanks)\b", re.I)


def detect(text: str, available: list[str] | tuple[str, ...] = ("en", "pl", "bg")) -> str:
    sample = text[:4000]
    cyrillic = len(CYRILLIC.findall(sample))
    latin = len(LATIN.findall(sample))
    if "bg" in available and cyrillic and cyrillic >= latin * 0.5:
        return "bg"
    if "pl" in available:
        polish = len(POLISH_LETTERS.findall(sample)) * 2 + len(POLISH_WORDS.findall(sample)) * 3
        english = len(ENGLISH_WORDS.findall(sample)) * 3
        if polish > english:
            return "pl"
    return "en" if "en" in available else available[0]
