"""``Record``: the base of every immutable record of neuroig (results, reference rows, values).

A record is a frozen ``msgspec.Struct``: typed fields, slots, equality, hashing and a
dataclass-like ``repr``, built by a C extension. Defining one costs a few microseconds
where a frozen slotted dataclass costs about 0.8 ms (Python 3.11 compiles its methods
when the class is made), and a command line defines over a hundred at start-up; building an
instance is about three times faster too (docs/performance.md). Change one with
:func:`replace`.

Records are not tracked by the cyclic garbage collector (``gc=False``): an evaluation
makes thousands of them, and tracking them made the collector run several times per
case. Reference counting frees a record as soon as nothing refers to it; the rule that
keeps this safe is that a record never takes part in a reference cycle (nothing a record
holds refers back to it; records are immutable, so only a value built before the record
could). ``tests/meta/test_records.py`` checks that memory stays flat over repeated
evaluations, plans and reviews.
"""

from __future__ import annotations

import msgspec
from msgspec.structs import replace

__all__ = ["LazyRecord", "Record", "field", "replace"]

field = msgspec.field


class Record(msgspec.Struct, frozen=True, gc=False):
    """An immutable record: subclasses declare typed fields as a dataclass does (and
    ``frozen=True``, which the type checker reads)."""


class LazyRecord(msgspec.Struct, gc=False):
    """A result whose status is decided when it is built and whose explanation (reason,
    evidence) is filled in once, the first time it is read (``neuroig.evidence.Explained``
    comes before this base in the class's bases). Untracked by the collector as a
    :class:`Record` is, under the same rule: what it holds (the explanation's inputs)
    never refers back to it."""
