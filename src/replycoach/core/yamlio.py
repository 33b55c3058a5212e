"""Safe YAML loading, with the C loader when the machine has it.

Only `safe_load` semantics are ever used: playbooks, configs, cases and front matter come
from users and must not be able to construct Python objects.

A scalar YAML reads as a timestamp or a number that is not a real one (`2024-02-30`, hour 25,
`0b_`, an integer of 5,000 digits) makes the safe loader raise a bare ValueError; here it
becomes the user's error, naming the key, the value and the line.
"""

from __future__ import annotations

import contextlib
import functools

from replycoach.core.errors import UserError

_CHECKED_TAGS = {"timestamp": "a real date and time", "int": "a number", "float": "a number", "bool": "true or false"}


def load_yaml(text: str, where: str):
    yaml = _yaml()
    loader = _loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # a safe loader, C or Python
    with _as_user_errors(text, where, loader):
        data = yaml.load(text, Loader=loader)
    if "*" in text:  # aliases: what the data expands to when walked, measured without walking it
        _check_expansion(data, where)
    return data


MAX_EXPANDED = 1_000_000  # values a document may expand to through its aliases


def _check_expansion(data, where: str) -> None:
    """Refuse a document whose aliases expand it past MAX_EXPANDED values (a "billion laughs"):
    loading shares the repeated parts, but anything that walks, validates or prints the data
    pays for every copy. Each shared part is measured once."""
    sizes: dict[int, int] = {}

    def size(value) -> int:
        if not isinstance(value, list | dict):
            return 1
        known = sizes.get(id(value))
        if known is None:
            children = value.values() if isinstance(value, dict) else value
            sizes[id(value)] = 0  # a list that holds itself counts once
            known = sizes[id(value)] = 1 + sum(size(child) for child in children)
            if known > MAX_EXPANDED:
                raise UserError(f"the YAML expands to more than {MAX_EXPANDED:,} values through its aliases "
                                "(&anchor / *alias); write the values out", where)
        return known

    try:
        size(data)
    except RecursionError:
        raise UserError("invalid YAML: nested too deeply to read", where) from None


def load_yaml_nodes(text: str, where: str):
    """(the node tree, the data) of one document: for callers that need positions (collections)."""
    yaml = _yaml()
    loader_class = _loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    loader = loader_class(text)
    try:
        with _as_user_errors(text, where, loader_class):
            node = loader.get_single_node()
            return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


def _yaml():
    import sys

    if "yaml" not in sys.modules:  # its import compiles ~10 ms of regexes: from the cache instead
        from replycoach.core import regexcache

        with regexcache.for_imports("imports-yaml"):
            import yaml
    import yaml

    return yaml


@contextlib.contextmanager
def _as_user_errors(text: str, where: str, loader):
    """What loading can raise, as the user's error naming the place."""
    yaml = _yaml()
    try:
        yield
    except _NotAValue as exc:
        mark = exc.mark
        key = _key_at(text, mark, loader)
        raise UserError(f"{key + ': ' if key else ''}{exc.problem} (line {mark.line + 1}, column {mark.column + 1})",
                        where) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        at = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        raise UserError(f"invalid YAML{at}: {problem}", where) from None
    except RecursionError:
        raise UserError("invalid YAML: nested too deeply to read", where) from None
    except (ValueError, OverflowError) as exc:  # a constructor of a tag not checked below
        raise UserError(f"invalid YAML: {exc}", where) from None


class _NotAValue(Exception):
    """A scalar its tag cannot build (`2024-02-30` as a timestamp), with where it starts."""

    def __init__(self, problem: str, mark) -> None:
        super().__init__(problem)
        self.problem = problem
        self.mark = mark


@functools.cache
def _loader(base):
    """`base` with the constructors of the checked tags raising `_NotAValue` instead of a bare ValueError."""

    class Loader(base):
        pass

    for tag, what in _CHECKED_TAGS.items():
        full_tag = f"tag:yaml.org,2002:{tag}"
        Loader.add_constructor(full_tag, _checked(base.yaml_constructors[full_tag], what))
    return Loader


def _checked(construct, what: str):
    def checked(loader, node):
        try:
            return construct(loader, node)
        except (ValueError, OverflowError, TypeError, AttributeError, KeyError) as exc:
            value = str(node.value)
            expected = "a real date" if what == "a real date and time" and len(value.strip()) <= 10 else what
            reason = str(exc).split(";")[0] if isinstance(exc, ValueError | OverflowError) else ""
            shown = repr(value if len(value) <= 40 else value[:37] + "...")
            raise _NotAValue(f"{shown} is not {expected}" + (f": {reason}" if reason else ""), node.start_mark) \
                from None

    return checked


def _key_at(text: str, mark, loader) -> str:
    """The key path (`complaint.received_at`) of the node that starts at `mark`, or ""."""
    import yaml

    try:
        root = yaml.compose(text, Loader=loader)
    except (yaml.YAMLError, RecursionError):
        return ""
    stack = [(root, [])]
    while stack:
        node, path = stack.pop()
        if node is None:
            continue
        if node.start_mark.index == mark.index and isinstance(node, yaml.ScalarNode):
            return ".".join(path)
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                name = str(key.value) if isinstance(key, yaml.ScalarNode) else "?"
                stack += [(value, [*path, name]), (key, [*path, name])]
        elif isinstance(node, yaml.SequenceNode):
            stack += [(item, [*path, str(index)]) for index, item in enumerate(node.value)]
    return ""
