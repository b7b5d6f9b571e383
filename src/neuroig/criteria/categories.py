"""Category assignment shared by the criteria sets (tri-state logic; decisions C9, C17, C18).

A category is assigned only when its rule is met. ``reachable`` is the highest
category above it whose rule is unknown. When unknown exclusions are all that stand in
the way, ``conditional_category`` names the category that would be met if they were
absent (C9). ``missing`` lists the inputs of the unknown criteria that could lift the
category, bedside findings first and the costliest tests last (decision C18).

A set whose criteria are all unknown (nothing recorded that it reads) is
``not_evaluable`` ("insufficient data"), never ``not_fulfilled``: unknown is never shown
as not met.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from neuroig.criteria.next_steps import by_cost
from neuroig.criteria.verdict import CriteriaSetResult, CriterionResult, LazyMissing, Missing
from neuroig.record import Record
from neuroig.tristate import MET, NOT_MET, UNKNOWN, Status

__all__ = ["NOT_EVALUABLE", "NOT_FULFILLED", "CategoryRule", "SetInfo", "assign", "evaluate_set"]

#: No category met and at least one is still reachable or ruled out.
NOT_FULFILLED = "not_fulfilled"
#: Nothing the set reads could be evaluated, or the set's data are disabled (C17).
NOT_EVALUABLE = "not_evaluable"


class CategoryRule(Record, frozen=True):
    """A category and a rule that evaluates it from criterion statuses.

    ``rule`` receives a mapping criterion-id → status and returns a status;
    ``uses`` lists the criterion ids the rule reads (for the missing-input list).
    """

    name: str
    rule: Callable[[Mapping[str, Status]], Status]
    uses: tuple[str, ...]


def assign(
    rules: Sequence[CategoryRule],
    results: Sequence[CriterionResult],
    *,
    exclusions: Sequence[str] = (),
    none: str = "not_fulfilled",
) -> tuple[
    str, dict[str, Any] | None, str | None, Callable[[], tuple[Missing, ...]], dict[str, Status]
]:
    """Evaluate ``rules`` (highest first) and return (category, conditional_category,
    reachable, the missing inputs (a function that lists them), status per category).

    The missing inputs read the ``needs`` of unknown criteria, whose explanation may
    cover every nerve: they are listed when a full result is rendered.
    """
    statuses = {r.id: r.status for r in results}
    per_category = {rule.name: rule.rule(statuses) for rule in rules}
    category = next((rule.name for rule in rules if per_category[rule.name] == MET), none)
    rank = [rule.name for rule in rules]
    above = rank[: rank.index(category)] if category in rank else rank

    reachable = next((name for name in above if per_category[name] == UNKNOWN), None)

    conditional: dict[str, Any] | None = None
    unknown_excl = [e for e in exclusions if statuses.get(e) == UNKNOWN]
    if unknown_excl:
        assumed = dict(statuses)
        for e in unknown_excl:
            assumed[e] = NOT_MET
        cond = next((rule.name for rule in rules if rule.rule(assumed) == MET), None)
        if cond is not None and cond in above:
            conditional = {"category": cond, "if_absent": unknown_excl}

    def missing() -> tuple[Missing, ...]:
        by_id = {r.id: r for r in results}
        out: list[Missing] = []
        seen: set[str] = set()
        for rule in rules:
            if rule.name not in above or per_category[rule.name] != UNKNOWN:
                continue
            for cid in rule.uses:
                crit = by_id.get(cid)
                if crit is None or crit.status != UNKNOWN:
                    continue
                for need in crit.needs or (f"{cid}: {crit.reason}",):
                    if need not in seen:
                        seen.add(need)
                        out.append(Missing(need, rule.name))
        return by_cost(out)

    return category, conditional, reachable, missing, per_category


def status_of(statuses: Mapping[str, Status], cid: str) -> Status:
    """Status of a criterion id; unknown when it was not evaluated."""
    return statuses.get(cid, UNKNOWN)


class SetInfo(Record, frozen=True):
    """Identity of a criteria set: id, title, rules version and citation."""

    id: str
    title: str
    version: str
    cite: str


def evaluate_set(
    info: SetInfo,
    rules: Sequence[CategoryRule],
    results: Sequence[CriterionResult],
    *,
    exclusions: Sequence[str] = (),
    extra_missing: Callable[[str, Mapping[str, Status]], Sequence[Missing]] | None = None,
    phenotype: str | None = None,
    notes: Sequence[str] = (),
) -> CriteriaSetResult:
    """Assign the category and build the set's result (one place for every set).

    ``extra_missing(category, status per category)`` may add further inputs (e.g. studies
    not yet done); it must name only categories whose rule is not ``not_met`` (C18).
    When every criterion is unknown (exclusions aside: an unrecorded exclusion counts as
    absent, C11) the category is ``not_evaluable`` (insufficient data).
    """
    category, conditional, reachable, listed, per_cat = assign(
        rules, results, exclusions=exclusions
    )
    assigned = category

    def missing() -> tuple[Missing, ...]:
        if extra_missing is None:
            return listed()
        return by_cost(listed() + tuple(extra_missing(assigned, per_cat)))

    notes = tuple(notes)
    if category == NOT_FULFILLED and all(
        r.status == UNKNOWN for r in results if r.kind not in ("composite", "exclusion")
    ):
        category = NOT_EVALUABLE
        notes = ("insufficient data: none of the criteria could be evaluated", *notes)
    return CriteriaSetResult(
        info.id,
        info.title,
        info.version,
        info.cite,
        category,
        conditional,
        reachable,
        tuple(results),
        LazyMissing(missing),
        per_cat,
        phenotype,
        notes,
    )
