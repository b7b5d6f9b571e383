"""Three-valued logic: ``met`` / ``not_met`` / ``unknown`` (Kleene's strong logic).

``unknown`` means a required input is missing or not evaluable; it is never treated
as ``not_met``. Combinators:

* AND: not_met if any operand is not_met; else unknown if any is unknown; else met.
* OR: met if any operand is met; else unknown if any is unknown; else not_met.
* at least N of K: met if count(met) ≥ N; not_met if count(met) + count(unknown) < N;
  else unknown.

:func:`decide` evaluates a boolean rule under every truth value of its unknown
conditions ("case splitting"): the rule is met (not met) only if it is met (not met)
in every case.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from itertools import product
from typing import Literal, cast

__all__ = [
    "MET",
    "NOT_MET",
    "UNKNOWN",
    "Status",
    "all_of",
    "and_bools",
    "any_of",
    "at_least",
    "decide",
    "from_bool",
    "negate",
    "to_bool",
]

Status = Literal["met", "not_met", "unknown"]
MET: Status = "met"
NOT_MET: Status = "not_met"
UNKNOWN: Status = "unknown"


def from_bool(value: bool | None) -> Status:
    """``True`` → met, ``False`` → not_met, ``None`` → unknown."""
    if value is None:
        return UNKNOWN
    return MET if value else NOT_MET


def to_bool(status: Status) -> bool | None:
    """met → True, not_met → False, unknown → None."""
    if status == UNKNOWN:
        return None
    return status == MET


def negate(status: Status) -> Status:
    """Three-valued NOT (e.g. "exclusion absent")."""
    if status == MET:
        return NOT_MET
    if status == NOT_MET:
        return MET
    return UNKNOWN


def and_bools(*values: bool | None) -> Status:
    """Three-valued AND of booleans where None is unknown (the fast form of :func:`decide`
    for a plain conjunction)."""
    if False in values:
        return NOT_MET
    if None in values:
        return UNKNOWN
    return MET


def all_of(statuses: Iterable[Status]) -> Status:
    """Three-valued AND (an empty AND is met)."""
    items = statuses if isinstance(statuses, list | tuple) else list(statuses)
    if NOT_MET in items:
        return NOT_MET
    return UNKNOWN if UNKNOWN in items else MET


def any_of(statuses: Iterable[Status]) -> Status:
    """Three-valued OR (an empty OR is not met)."""
    items = statuses if isinstance(statuses, list | tuple) else list(statuses)
    if MET in items:
        return MET
    return UNKNOWN if UNKNOWN in items else NOT_MET


def at_least(n: int, statuses: Iterable[Status]) -> Status:
    """Three-valued "at least ``n`` of these are met"."""
    items = statuses if isinstance(statuses, list | tuple) else list(statuses)
    met = items.count(MET)
    if met >= n:
        return MET
    if met + items.count(UNKNOWN) < n:
        return NOT_MET
    return UNKNOWN


def decide(
    rule: Callable[[Mapping[str, bool]], bool],
    conditions: Mapping[str, bool | None],
    *,
    possible: Callable[[Mapping[str, bool]], bool] | None = None,
) -> Status:
    """Evaluate ``rule`` over every assignment of the unknown (None) ``conditions``.

    ``possible`` filters out assignments that cannot happen (e.g. "drop ≥ 50 %" true
    while "drop ≥ 30 %" false). Returns met if the rule holds in every possible
    assignment, not_met if in none, unknown otherwise.
    """
    free = [k for k, v in conditions.items() if v is None]
    if not free:  # fast path: nothing unknown
        return MET if rule(cast("Mapping[str, bool]", conditions)) else NOT_MET
    known = {k: v for k, v in conditions.items() if v is not None}
    outcomes: set[bool] = set()
    for values in product((True, False), repeat=len(free)):
        world = dict(known)
        world.update(zip(free, values, strict=True))
        if possible is not None and not possible(world):
            continue
        outcomes.add(rule(world))
        if len(outcomes) == 2:
            return UNKNOWN
    if not outcomes:
        return UNKNOWN
    return MET if outcomes == {True} else NOT_MET
