"""Lemma templates: a lexicon entry that stands for every inflected form of its words.

Polish and Bulgarian inflect where English does not: "we'll send" is wyślemy, wyślę,
prześlemy, wysłaliśmy ...; ще изпратим, изпратихме, ще ви изпратя ... A pack writes such an
entry once, as a template: `{template: "{wysłać} (now*)"}`, and `{wysłać}` stands for every
form of the lemma. The forms come from a morphological dictionary, at build time only
(`data/scripts/expand_forms.py`: Morfeusz 2 for Polish, the hunspell dictionary for
Bulgarian), and are committed beside the pack as data (`pl.forms.yaml`); here a template
becomes an ordinary regex when the playbook is built. No morphology library runs at lint
time.

Syntax: `{lemma}` or `{lemma|other}` (every form of either); the words around follow the
phrase rules (case-insensitive, any white space between words, a trailing `*` for any
ending).
"""

from __future__ import annotations

import re

from replycoach.core.errors import UserError
from replycoach.matching import phrase_to_regex

SLOT = re.compile(r"\{([^{}]+)\}")
_EDGE_LEFT = r"(?<![\w@#])"
_EDGE_RIGHT = r"(?!\w)"


def lemmas_in(template: str) -> list[str]:
    return [lemma.strip() for slot in SLOT.findall(template) for lemma in slot.split("|")]


def expand(template: str, forms: dict[str, list[str]], where: str) -> str:
    """The regex a template stands for, with its lemmas' forms from `forms`."""
    parts = []
    for word in template.split():
        pieces = SLOT.split(word)  # literal, lemmas, literal, lemmas, ..., literal
        out = []
        for i, piece in enumerate(pieces):
            if i % 2:
                out.append(_alternatives(piece, forms, template, where))
            elif piece:
                out.append(_literal(piece))
        parts.append("".join(out))
    body = r"\s+".join(parts)
    first, last = template.strip()[0], template.strip()[-1]
    left = _EDGE_LEFT if first == "{" or re.match(r"\w", first) else ""
    right = _EDGE_RIGHT if last in "}*" or re.match(r"\w", last) else ""
    return f"{left}{body}{right}"


def _alternatives(slot: str, forms: dict[str, list[str]], template: str, where: str) -> str:
    found: set[str] = set()
    for lemma in slot.split("|"):
        lemma = lemma.strip()
        if lemma not in forms:
            raise UserError(f"template {template!r} uses {{{lemma}}}, which has no forms: "
                            "run data/scripts/expand_forms.py", where)
        found.update(forms[lemma])
    return "(?:" + "|".join(re.escape(f) for f in sorted(found, key=lambda f: (-len(f), f))) + ")"


def _literal(piece: str) -> str:
    """A piece of a word next to a lemma, as phrase_to_regex writes words (no word edges)."""
    source = phrase_to_regex(piece)
    return source.removeprefix(_EDGE_LEFT).removesuffix(_EDGE_RIGHT)
