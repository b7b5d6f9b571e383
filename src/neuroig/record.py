"""``Record``: the base of the engine's immutable result records.

A record is a frozen ``msgspec.Struct``: typed fields, slots, equality, hashing and a
dataclass-like ``repr``, built by a C extension. Defining one costs a few microseconds
where a frozen slotted dataclass costs about 0.8 ms (Python 3.11 compiles its methods
when the class is made), and a command line defines dozens at start-up; building an
instance is about three times faster too (docs/performance.md). Change one with
:func:`replace`.
"""

from __future__ import annotations

import msgspec
from msgspec.structs import replace

__all__ = ["Record", "field", "replace"]

field = msgspec.field


class Record(msgspec.Struct, frozen=True):
    """An immutable record: subclasses declare typed fields as a dataclass does."""
