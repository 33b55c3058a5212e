"""Safe YAML loading, with the C loader when the machine has it.

Only `safe_load` semantics are ever used: playbooks, configs, cases and front matter come
from users and must not be able to construct Python objects.
"""

from __future__ import annotations

from replycoach.core.errors import UserError


def load_yaml(text: str, where: str):
    import sys

    if "yaml" not in sys.modules:  # its import compiles ~10 ms of regexes: from the cache instead
        from replycoach.core import regexcache

        with regexcache.for_imports("imports-yaml"):
            import yaml
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(text, Loader=loader)  # a safe loader, C or Python
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        at = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        raise UserError(f"invalid YAML{at}: {problem}", where) from None
