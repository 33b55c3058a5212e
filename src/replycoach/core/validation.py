"""Validation errors as a user reads them: the key path, the line in their file, what is wrong.

Used wherever a user's YAML or TOML is validated with pydantic (playbooks, configs), so every
such error names the file, the key and the line the same way.
"""

from __future__ import annotations

import re


def describe_validation_error(exc, text: str, tags: frozenset[str] = frozenset()) -> str:
    """First few pydantic errors as `key.path (line N): message`, in a user's terms.

    `tags` are the discriminator values of the model's unions (a rule's `kind`): pydantic puts
    them in an error's location, where the user's file has no such key.
    """
    lines = []
    for error in exc.errors()[:3]:
        loc = [p for p in error["loc"] if not (isinstance(p, str) and (p in tags or _VALIDATOR.match(p)))]
        dotted = ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in loc).replace(".[", "[")
        line = locate_line(text, loc)
        at = f" (line {line})" if line else ""
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "extra_forbidden":
            message = "unknown key"
        lines.append(f"{dotted or 'top level'}{at}: {message}")
    more = len(exc.errors()) - 3
    return "; ".join(lines) + (f"; and {more} more" if more > 0 else "")


_VALIDATOR = re.compile(r"function-(?:before|after|wrap|plain)\[")  # a validator's step in a location


def locate_line(text: str, loc: list) -> int | None:
    """Line number of the YAML node at `loc`, as far down the path as the file goes."""
    import yaml

    try:
        node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return None
    found = node
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if k.value == str(part)), None)
            if match is None:
                key_node = next((k for k, _ in node.value if k.value == str(part)), None)
                found = key_node or found
                break
            node = found = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = found = node.value[part]
        else:
            continue
    return found.start_mark.line + 1 if found is not None else None
