"""Size limits for reply templates: what keeps a sandboxed render from taking the machine's memory.

Jinja's sandbox keeps a template from Python's internals, not from memory: `"{0:3000000000}".format(1)`
takes 3 GB in one C call, a list doubled forty times through a `namespace` as much in a few steps,
and the render's clock cannot stop either (a signal handler runs between bytecodes, after the call).
So sizes are checked *before* the call that would make something large:

- every value a template makes (an operator, a call, a filter, `~`, a block or macro's output, a
  literal list, tuple or dict) or prints weighs at most MAX_VALUE: the characters of its text plus
  one per item, a shared item counted each time it appears (what printing or comparing it costs),
  and all one render makes at most MAX_BUILT;
- a call that can make far more than its inputs (`str.replace`, `join`, `translate`, `expandtabs`,
  the `join`, `replace`, `indent`, `wordwrap` and `format` filters, `*`, `**`, `%`) is estimated first;
- format widths and precisions stop at MAX_WIDTH, and `str.format` counts the text it makes.
"""

from __future__ import annotations

import functools
import inspect
import re
import threading
from collections import abc

MAX_VALUE = 100_000  # weight of any value a template makes: a reply is a few hundred characters
MAX_BUILT = 2_000_000  # weight of all the values one render makes together (a built-in draft: ~10,000)
MAX_WIDTH = 1_000  # a format width or precision
MAX_INT_BITS = 10_000  # a number a template computes (about 3,000 digits)
MAX_RANGE = 1_000  # items in range(); reply templates loop over a handful of things
MAX_NUMBER = 100_000  # numeric argument to a call or filter (widths, repeats, counts)
_TEXT = (str, bytes, bytearray)
_SEQUENCES = (str, bytes, bytearray, list, tuple)
_PERCENT_SPEC = re.compile(r"[#0 +-]*(\*|\d*)(?:\.(\*|\d*))?[hlL]?(.?)", re.S)


def security(what: str):
    from jinja2.exceptions import SecurityError

    return SecurityError(f"{what} is not allowed in a reply template")


def _too_big():
    return security(f"a value of more than {MAX_VALUE:,} characters or items")


@functools.cache
def _namespace_class():
    from jinja2.runtime import Namespace

    return Namespace


def weight(value, budget: int = MAX_VALUE) -> int:
    """What printing `value` costs, roughly in characters; counting stops once past `budget`."""
    total, stack = 0, [value]
    namespace = _namespace_class()
    while stack:
        item = stack.pop()
        if isinstance(item, _TEXT):
            total += len(item)
        elif isinstance(item, int):
            total += item.bit_length() // 3 + 1
        elif isinstance(item, list | tuple | set | frozenset | abc.KeysView | abc.ValuesView):
            total += 1 + len(item)
            if total <= budget:
                stack.extend(item)
        elif isinstance(item, dict | abc.ItemsView):
            total += 1 + len(item)
            if total <= budget:
                stack.extend(item.items() if isinstance(item, dict) else item)
        elif isinstance(item, namespace):
            stack.append(object.__getattribute__(item, "_Namespace__attrs"))
        else:
            total += 1  # a number, None, a macro, a loop, a generator: printed short
        if total > budget:
            return total
    return total


_built = threading.local()  # what the render running in this thread has made so far


def start_render() -> None:
    _built.total = 0


def _spend(amount: int) -> None:
    """Count what a render makes: many values under MAX_VALUE each could still fill the memory."""
    _built.total = getattr(_built, "total", 0) + amount
    if _built.total > MAX_BUILT:
        raise security(f"making more than {MAX_BUILT:,} characters or items in one render")


def bounded(value):
    """`value`, unless it weighs more than MAX_VALUE (Jinja's `finalize`: every printed value)."""
    if weight(value) > MAX_VALUE:
        raise _too_big()
    return value


def checked(value):
    """A value the template just made: bounded, and counted towards MAX_BUILT."""
    size = weight(value)
    if size > MAX_VALUE:
        raise _too_big()
    _spend(size)
    return value


def materialized(values):
    """An iterator's items as a list, refused as soon as together they weigh too much."""
    if not isinstance(values, abc.Iterator):
        return bounded(values)
    items, total = [], 0
    for item in values:
        total += weight(item, MAX_VALUE - total) + 1
        if total > MAX_VALUE:
            raise _too_big()
        items.append(item)
    _spend(total)
    return items


def sized_join(pieces: tuple, join):
    """`a ~ b ~ c`: each piece checked before anything is joined, then the whole."""
    total = 0
    for piece in pieces:
        total += weight(piece, MAX_VALUE - total)
        if total > MAX_VALUE:
            raise _too_big()
    return checked(join(pieces))


def sized_concat(parts) -> str:
    """The output of a block, a macro or `{% set %}...{% endset %}`, before it is joined."""
    parts = parts if isinstance(parts, list) else list(parts)
    total = sum(map(len, parts))
    if total > MAX_VALUE:
        raise _too_big()
    _spend(total)
    return "".join(parts)


def small_range(*args):
    check_arguments(args, {})
    values = range(*args)
    if len(values) > MAX_RANGE:
        raise security(f"range() of more than {MAX_RANGE} items")
    return values


def check_arguments(args, kwargs) -> None:
    for value in (*args, *kwargs.values()):
        if isinstance(value, int | float) and not isinstance(value, bool) and abs(value) > MAX_NUMBER:
            raise security(f"a number larger than {MAX_NUMBER} as an argument")


# --- operators ---------------------------------------------------------------------------------


def check_binop(operator: str, left, right) -> None:
    """Refuse `*`, `**`, `+` and `%` whose result would be too large, before computing it."""
    if operator == "*":
        for seq, times in ((left, right), (right, left)):
            if isinstance(seq, _SEQUENCES) and isinstance(times, int) and times > 1 \
                    and weight(seq, MAX_VALUE // times + 1) * times > MAX_VALUE:
                raise security(f"repeating text or a list past {MAX_VALUE:,} characters")
        if isinstance(left, int) and isinstance(right, int) and left.bit_length() + right.bit_length() > MAX_INT_BITS:
            raise security(f"a number of more than {MAX_INT_BITS:,} bits")
    elif operator == "**":
        if isinstance(right, int | float) and abs(right) > 64:
            raise security("a power above 64")
        if isinstance(left, int) and isinstance(right, int) and left.bit_length() * right > MAX_INT_BITS:
            raise security(f"a number of more than {MAX_INT_BITS:,} bits")
    elif operator == "+":
        if isinstance(left, _SEQUENCES) and isinstance(right, _SEQUENCES) and weight(left) + weight(right) > MAX_VALUE:
            raise _too_big()
    elif operator == "%" and isinstance(left, _TEXT):
        check_percent(left, right)


def check_percent(text, values) -> None:
    """`text % values` (and the `format` filter): widths, precisions and the size of the result."""
    if not isinstance(text, str):
        text = bytes(text).decode("latin-1")
    fields, widest = 0, 0
    start = text.find("%")
    while start != -1:
        end = start + 1
        if text.startswith("(", end):  # a %(key)s: the key may hold parentheses of its own
            depth, end = 1, end + 1
            while end < len(text) and depth:
                depth += {"(": 1, ")": -1}.get(text[end], 0)
                end += 1
        spec = _PERCENT_SPEC.match(text, end)
        width, precision, conversion = spec.groups()
        if conversion != "%":
            fields += 1
            for number in (width, precision):
                if number == "*":
                    raise security("a `*` width or precision in %-formatting")
                widest = max(widest, _width(number))
        start = text.find("%", spec.end())
    if fields and len(text) + fields * max(weight(values), widest) > MAX_VALUE:
        raise security(f"formatting text past {MAX_VALUE:,} characters")


def _width(number: str | None) -> int:
    if number and (len(number) > 4 or int(number) > MAX_WIDTH):
        raise security(f"a format width or precision over {MAX_WIDTH:,}")
    return int(number or 0)


# --- calls and filters ---------------------------------------------------------------------------


def before_call(function, args: tuple, kwargs: dict) -> tuple:
    """Estimate what a text method that can grow its input will make; returns the arguments to use."""
    receiver, name = getattr(function, "__self__", None), getattr(function, "__name__", "")
    if not isinstance(receiver, _TEXT) or name not in ("replace", "join", "translate", "expandtabs"):
        return args
    try:
        if name == "join":
            items = materialized(args[0] if args else kwargs.get("iterable"))
            estimate = weight(items) + len(receiver) * max(len(items) - 1, 0)
            args = (items, *args[1:]) if args else args
        elif name == "replace":
            estimate = _replaced(receiver, *args, **kwargs)
        elif name == "expandtabs":
            size = args[0] if args else kwargs.get("tabsize", 8)
            estimate = len(receiver) + receiver.count(b"\t" if isinstance(receiver, bytes | bytearray) else "\t") * size
        else:
            table = args[0] if args else kwargs.get("table")
            values = table.values() if isinstance(table, dict) else table if isinstance(table, list | tuple) else ()
            estimate = len(receiver) * max([1] + [len(v) for v in values if isinstance(v, _TEXT)])
    except (TypeError, ValueError, IndexError, KeyError):
        return args  # a wrong argument: the call itself says what is wrong
    if estimate > MAX_VALUE:
        raise security(f"{name}() making text past {MAX_VALUE:,} characters")
    return args


def _replaced(text, old, new, count=-1) -> int:
    found = text.count(old) if old else len(text) + 1
    if count is not None and count >= 0:
        found = min(found, count)
    return len(text) + found * max(len(new) - len(old), 0)


def _filter_estimate(name: str, arguments: dict) -> int:
    if name == "join":
        value, separator = arguments.get("value", ()), arguments.get("d", "")
        count = len(value) if isinstance(value, abc.Sized) else 0
        return weight(value) + len(str(separator)) * max(count - 1, 0)
    if name == "replace":
        text = str(arguments.get("s", ""))
        return _replaced(text, str(arguments.get("old")), str(arguments.get("new")), arguments.get("count"))
    text = str(arguments.get("s", ""))
    if name == "indent":
        width = arguments.get("width", 4)
        return len(text) + (text.count("\n") + 1) * (len(width) if isinstance(width, str) else int(width))
    if name == "wordwrap":
        lines = len(text) // max(int(arguments.get("width", 79)), 1) + text.count("\n") + 1
        return len(text) + lines * len(str(arguments.get("wrapstring") or "\n"))
    check_percent(str(arguments.get("value", "")), arguments.get("kwargs") or arguments.get("args"))  # format
    return 0


_ESTIMATED_FILTERS = frozenset({"join", "replace", "indent", "wordwrap", "format"})


_signature = functools.cache(inspect.signature)  # of a filter: to read its arguments by name


def capped_filter(name: str, function):
    """Wrap a filter: capped numeric arguments, a bounded input, an estimate where it can grow."""
    offset = 1 if getattr(function, "jinja_pass_arg", None) else 0  # the context Jinja passes first

    @functools.wraps(function)  # keeps Jinja's pass_context/pass_environment marks
    def wrapper(*args, **kwargs):
        check_arguments(args[offset + 1:], kwargs)
        if len(args) > offset:
            args = (*args[:offset], materialized(args[offset]), *args[offset + 1:])
        if name in _ESTIMATED_FILTERS:
            try:
                arguments = _signature(function).bind(*args, **kwargs).arguments
                estimate = _filter_estimate(name, arguments)
            except (TypeError, ValueError):
                estimate = 0  # a wrong argument: the filter itself says what is wrong
            if estimate > MAX_VALUE:
                raise security(f"the {name} filter making text past {MAX_VALUE:,} characters")
        return checked(function(*args, **kwargs))

    return wrapper


# --- str.format and the code Jinja compiles -------------------------------------------------------


@functools.cache
def _formatters():
    from jinja2.sandbox import SandboxedEscapeFormatter, SandboxedFormatter

    class Counting:
        """Checks each field's spec and value, and counts the text made, before it is joined."""

        def vformat(self, format_string, args, kwargs):
            self.room = MAX_VALUE - len(format_string)
            return super().vformat(format_string, args, kwargs)

        def convert_field(self, value, conversion):
            return super().convert_field(bounded(value), conversion)

        def format_field(self, value, format_spec):
            for number in re.findall(r"\d+", format_spec):  # `>30`, `.2f`, `08,`: widths and precisions
                _width(number)
            text = super().format_field(bounded(value), format_spec)
            self.room -= len(text)
            if self.room < 0:
                raise security(f"formatting text past {MAX_VALUE:,} characters")
            return text

    class Plain(Counting, SandboxedFormatter):
        pass

    class Escaping(Counting, SandboxedEscapeFormatter):
        pass

    return Plain, Escaping


def capped_str_format(env, value):
    """Jinja's `wrap_str_format` with counting formatters: `str.format`/`format_map` as sandboxed calls."""
    import types

    text = getattr(value, "__self__", None)
    if not isinstance(value, types.MethodType | types.BuiltinMethodType) or not isinstance(text, str) \
            or value.__name__ not in ("format", "format_map"):
        return None
    from markupsafe import Markup

    plain, escaping = _formatters()
    formatter = escaping(env, escape=text.escape) if isinstance(text, Markup) else plain(env)
    is_map = value.__name__ == "format_map"

    def wrapper(*args, **kwargs):
        if is_map:
            if kwargs or len(args) != 1:
                raise TypeError("format_map() takes exactly one argument and no keywords")
            args, kwargs = (), args[0]
        return type(text)(formatter.vformat(text, args, kwargs))

    return functools.update_wrapper(wrapper, value)


@functools.cache
def code_generator():
    """Jinja's code generator, with literal lists, tuples, dicts and `~` passed through the size check."""
    from jinja2.compiler import CodeGenerator

    class SizedCodeGenerator(CodeGenerator):
        def _sized(self, visit, node, frame) -> None:
            self.write("environment.sized(")
            visit(node, frame)
            self.write(")")

        def visit_List(self, node, frame) -> None:
            self._sized(super().visit_List, node, frame)

        def visit_Dict(self, node, frame) -> None:
            self._sized(super().visit_Dict, node, frame)

        def visit_Tuple(self, node, frame) -> None:
            if node.ctx != "load":  # `{% for a, b in pairs %}`: a target, not a value
                super().visit_Tuple(node, frame)
            else:
                self._sized(super().visit_Tuple, node, frame)

        def visit_Concat(self, node, frame) -> None:
            self.write("environment.sized_join((")
            for piece in node.nodes:
                self.visit(piece, frame)
                self.write(", ")
            if frame.eval_ctx.volatile:
                self.write("), (markup_join if context.eval_ctx.volatile else str_join))")
            else:
                self.write("), markup_join)" if frame.eval_ctx.autoescape else "), str_join)")

    return SizedCodeGenerator
