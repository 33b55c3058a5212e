"""Text from users' files shown safely on a terminal.

A reply, a file name or a customer's message can hold terminal control sequences (ESC[2J
clears the screen, OSC 0 sets the window title) or bidirectional overrides that make the
text read differently from what it is. Shown raw they act on the reader's terminal; here they
are written out as escapes (`\\x1b`, `\\u202e`), as ruff shows them. Tabs stay tabs.
"""

from __future__ import annotations

_CONTROLS = [c for c in range(0x20) if c not in (0x09, 0x0A)] + [0x7F, *range(0x80, 0xA0)]
_BIDI = [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C]
_TABLE = {c: f"\\x{c:02x}" for c in _CONTROLS} | {c: f"\\u{c:04x}" for c in _BIDI}


def printable(text: str) -> str:
    """`text` with control characters and direction overrides escaped (newlines kept)."""
    return text.translate(_TABLE) if not text.isprintable() else text
