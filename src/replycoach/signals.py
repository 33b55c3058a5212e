"""Finding signals in text: a signal's lexicon compiled to one regex, run once per reply.

Phrases are the friendly way to write a lexicon entry: words match case-insensitively on
word boundaries, any run of white space matches any other, straight and curly apostrophes
match each other, and a trailing `*` on a word means "any ending", which is how the Polish
and Bulgarian packs cover inflection (`przeprasz*` is przepraszam, przepraszamy,
przepraszające ...). Patterns are plain regexes for what phrases can't say.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

WORD_EDGE_LEFT = r"(?<![\w@#])"
WORD_EDGE_RIGHT = r"(?!\w)"
_SPACE = re.compile(r"\s+")
_APOSTROPHE = re.compile("['’]")


@dataclass(frozen=True, slots=True)
class Hit:
    signal: str
    start: int
    end: int
    text: str
    replacement: str | None = None


@dataclass(slots=True)
class Matcher:
    signal: str
    regex: re.Pattern
    entries: list[dict]
    validators: dict[str, str]
    match_opaque: bool

    def find(self, text: str) -> list[Hit]:
        hits = []
        for m in self.regex.finditer(text):
            group = m.lastgroup
            entry = self.entries[int(group[1:])] if group else {}
            if group in self.validators and not VALIDATORS[self.validators[group]](m.group(0)):
                continue
            hits.append(Hit(self.signal, m.start(), m.end(), m.group(0), entry.get("replace")))
        return hits


def phrase_to_regex(phrase: str) -> str:
    parts = []
    for word in _SPACE.split(phrase.strip()):
        stem = word.endswith("*") and len(word) > 1
        core = word[:-1] if stem else word
        escaped = _APOSTROPHE.sub("['’]", re.escape(core))
        parts.append(escaped + (r"\w*" if stem else ""))
    body = r"\s+".join(parts)
    left = WORD_EDGE_LEFT if re.match(r"\w", phrase.strip()) else ""
    right = WORD_EDGE_RIGHT if re.search(r"[\w*]$", phrase.strip()) else ""
    return f"{left}{body}{right}"


def entry_regex(entry: dict) -> str:
    source = phrase_to_regex(entry["phrase"]) if entry.get("phrase") else entry["pattern"]
    return f"(?-i:{source})" if entry.get("case_sensitive") else f"(?:{source})"


def compile_lexicon(lexicon: dict[str, list[dict]], definitions: dict[str, dict]) -> dict[str, Matcher]:
    """One regex per signal, shaped for Python's backtracking engine.

    Phrases that start at a word share a single left-boundary check, and patterns that start
    with `\\b` share one `\\b`: most positions in a text are inside a word, and failing there
    once, before trying any alternative, is what makes dozens of phrases cheap (about 8x
    faster than checking the boundary in every alternative, measured on the corpus).
    """
    matchers = {}
    for signal, entries in lexicon.items():
        if not entries:
            continue
        # longest first, so the most specific phrase of a signal wins at a given position
        order = sorted(range(len(entries)), key=lambda i: -len(entries[i].get("phrase") or entries[i]["pattern"]))
        ordered = [entries[i] for i in order]
        at_word, at_boundary, other = [], [], []
        for i, entry in enumerate(ordered):
            source = entry_regex(entry)
            if entry.get("phrase") and source.startswith("(?:" + WORD_EDGE_LEFT):
                at_word.append(f"(?P<e{i}>{source[3 + len(WORD_EDGE_LEFT):-1]})")
            elif not entry.get("phrase") and source.startswith("(?:\\b") and not entry.get("case_sensitive"):
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
            regex = re.compile("|".join(branches), re.I | re.M)
        except re.error as exc:
            bad = next((e for e in ordered if not _compiles(entry_regex(e))), None)
            shown = (bad or {}).get("phrase") or (bad or {}).get("pattern")
            raise ValueError(f"signal {signal!r}: entry {shown!r} does not compile: {exc}") from None
        validators = {f"e{i}": e["validate"] for i, e in enumerate(ordered) if e.get("validate")}
        definition = definitions.get(signal, {})
        matchers[signal] = Matcher(signal, regex, ordered, validators, definition.get("match_opaque", False))
    return matchers


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
OPAQUE = re.compile(r"https?://\S+|www\.\S+|(?<![\w.])@\w+|\b[\w.-]+\.(?:com|net|org|io|pl|bg|eu|co|uk)/\S*", re.I)


def find_signals(text: str, matchers: dict[str, Matcher], definitions: dict[str, dict],
                 skip_spans: list[tuple[int, int]] = ()) -> dict[str, list[Hit]]:
    """All hits of every signal, with URL/@handle hits and suppressed hits removed."""
    opaque = [(m.start(), m.end()) for m in OPAQUE.finditer(text)] if ("/" in text or "@" in text or "www" in text) else []
    found: dict[str, list[Hit]] = {}
    for name, matcher in matchers.items():
        hits = matcher.find(text)
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
