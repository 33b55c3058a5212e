"""Kinds that judge canned-response templates: leftover slots, unknown variables, broken syntax."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from replycoach.core import regexcache
from replycoach.kinds.finding import Finding, Hits
from replycoach.reply.context import Context
from replycoach.reply.document import Document


def placeholder(rule: dict, doc: Document, hits: Hits, ctx: Context) -> Iterator[Finding]:
    for slot in doc.placeholders:
        if slot.style in rule["styles"]:
            yield Finding(slot.start, slot.end)


class Declared(NamedTuple):
    """The template variables a helpdesk fills in, as `variables` checks them (once per playbook)."""

    names: frozenset[str]  # customer.name, agent.name ...
    roots: frozenset[str]  # customer, agent ...: a bare root stands for its whole record


def prepare_variables(rule: dict, playbook) -> Declared:
    declared = frozenset(playbook.settings.get("template_variables", ()))
    return Declared(declared, frozenset(d.split(".")[0] for d in declared))


def variables(declared: Declared, doc: Document, hits: Hits, ctx: Context) -> Iterator[Finding]:
    if not declared.names:
        return
    for slot in doc.placeholders:
        if slot.style not in ("jinja", "brace"):
            continue
        name = slot.name
        if name in declared.names or (name in declared.roots and "." not in name) or name.startswith("loop."):
            continue
        if any(name.startswith(d + ".") for d in declared.names):
            continue
        yield Finding(slot.start, slot.end, detail=f"`{name}` is not a declared variable")


def template_syntax(rule: dict, doc: Document, hits: Hits, ctx: Context) -> Iterator[Finding]:
    if not ctx.template or not any(mark in doc.text for mark in ("{{", "{%", "{#")):
        return
    if _only_simple_slots(doc.analysed):
        return  # nothing but `{{ name.path }}` slots: parsing with Jinja could not fail
    from replycoach.kinds.jinja_syntax import syntax_error

    error = syntax_error(doc.analysed)
    if error is not None:
        line, message = error
        start = doc.line_start(line) if line else doc.body_start
        end = doc.text.find("\n", start)
        yield Finding(start, end if end >= 0 else len(doc.text), detail=message)


_SIMPLE_SLOT = regexcache.compile(r"\{\{\s*[A-Za-z_][\w.]*\s*\}\}")


def _only_simple_slots(text: str) -> bool:
    """True when every template mark is a plain `{{ variable }}` (most canned responses).

    Importing and running Jinja's parser costs more than linting the reply, so it is kept for
    templates with tags, filters or anything unbalanced.
    """
    rest = _SIMPLE_SLOT.sub("", text)
    return not any(mark in rest for mark in ("{{", "}}", "{%", "%}", "{#", "#}"))
