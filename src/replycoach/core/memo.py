"""The one memo every cache of a run uses: values made on first use of a key, up to a limit.

A run meets the same few things again and again (the words of a batch, the contexts its
files share, the selection a folder's config makes), so most steps remember what they
worked out. Every such memory is a `Memo`, with one policy: it holds at most `limit` keys,
and when it is full it starts over. Starting over, rather than evicting the least recently
used key, keeps a hit a plain dict lookup done in C, which matters where a memo is asked
once per word of every reply; a batch refills the few keys it really uses at once.

Keys are values, hashed and compared by equality, never `id()`s: an object's id can be
reused by another object once the first is gone, and a memo keyed by it then answers for
the wrong one. Each memo says at its definition what it is keyed by and why that key
decides the value.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any


class Memo(dict):
    """`memo[key]` is `make(key)`, made on the first ask and kept (see the module's policy)."""

    __slots__ = ("limit", "make")

    def __init__(self, make: Callable[[Any], Any], limit: int) -> None:
        super().__init__()
        self.make = make
        self.limit = limit

    def __missing__(self, key: Hashable):
        if len(self) >= self.limit:
            self.clear()
        value = self[key] = self.make(key)
        return value

    def __reduce__(self):  # pickled empty: a memo is worked out again wherever it is used
        return (Memo, (self.make, self.limit))
