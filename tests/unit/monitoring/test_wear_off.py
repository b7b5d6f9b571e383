"""Decision M3: end-of-dose wear-off over consecutive cycles."""

from __future__ import annotations

from tests.unit.monitoring.builders import case, doses, grip, ivig, shift, visit

from neuroig.monitoring.review import review

# Doses every 28 days: 01-06, 02-03, 03-03, 03-31, 04-28, 05-26 → cycles 1..5.
DOSES = ["2025-01-06", "2025-02-03", "2025-03-03", "2025-03-31", "2025-04-28", "2025-05-26"]
INFUSIONS = doses(DOSES[0], 28, 6, 60)


def cycle_visits(
    cycle: int, peak: float, trough: float, *, labels: bool = True
) -> list[dict[str, object]]:
    """Peak 10 days after dose ``cycle``; trough on the next dose day (before it)."""
    start, end = DOSES[cycle - 1], DOSES[cycle]
    return [
        visit(shift(start, 10), grip=grip(peak, None), **({"timing": "peak"} if labels else {})),
        visit(end, grip=grip(trough, None), **({"timing": "trough"} if labels else {})),
    ]


def run(*visits: dict[str, object]) -> tuple[bool | None, dict[int, str], str]:
    rv = review(case(treatments=[ivig(DOSES[0])], infusions=INFUSIONS, assessments=list(visits)))
    wo = rv.wear_off
    return wo.detected, {c.number: c.status for c in wo.cycles}, wo.reason


def test_two_consecutive_cycles_with_recovering_drops_are_wear_off() -> None:
    # cycle 2: 70 → 60 (−10 ≥ 8), cycle 3 peak 70 (+10 recovery); cycle 3: 70 → 61; cycle 4 peak 69
    visits = cycle_visits(2, 70, 60) + cycle_visits(3, 70, 61) + cycle_visits(4, 69, 68)
    detected, status, reason = run(*visits)
    assert detected is True
    assert status == {2: "met", 3: "met", 4: "not_met"}
    assert "2, 3" in reason


def test_a_drop_one_below_the_mcid_is_not_wear_off() -> None:
    # −7 kPa < 8 in every cycle
    visits = cycle_visits(2, 70, 63) + cycle_visits(3, 70, 63) + cycle_visits(4, 70, 63)
    detected, status, _ = run(*visits)
    assert detected is False
    assert set(status.values()) == {"not_met"}


def test_missing_timing_labels_make_wear_off_unknown() -> None:
    visits = (
        cycle_visits(2, 70, 60, labels=False)
        + cycle_visits(3, 70, 60, labels=False)
        + cycle_visits(4, 70, 60, labels=False)
    )
    detected, status, reason = run(*visits)
    assert detected is None
    assert status == {}
    assert "no assessment is labelled peak or trough" in reason


def test_one_unlabelled_cycle_next_to_a_met_cycle_leaves_wear_off_unknown() -> None:
    visits = (
        cycle_visits(2, 70, 60)
        + cycle_visits(3, 70, 60, labels=False)
        + [visit(shift(DOSES[3], 10), grip=grip(70, None), timing="peak")]
    )
    detected, status, _ = run(*visits)
    assert detected is None
    assert status[3] == "unknown"


def test_recovery_not_observed_is_unknown_not_met() -> None:
    # cycle 4 drops, but no peak in cycle 5 to show recovery
    visits = cycle_visits(3, 70, 60) + cycle_visits(4, 70, 60)
    detected, status, _ = run(*visits)
    assert status == {3: "met", 4: "unknown"}
    assert detected is None


def test_a_drop_that_does_not_recover_is_progression_not_wear_off() -> None:
    visits = cycle_visits(2, 70, 60) + cycle_visits(3, 62, 52) + cycle_visits(4, 54, 53)
    detected, status, _ = run(*visits)
    # next peaks 62 and 54 are only +2 above the troughs 60 and 52
    assert status == {2: "not_met", 3: "not_met", 4: "not_met"}
    assert detected is False


def test_the_trough_on_the_day_of_the_next_dose_belongs_to_the_cycle_before() -> None:
    rv = review(
        case(
            treatments=[ivig(DOSES[0])],
            infusions=INFUSIONS,
            assessments=cycle_visits(2, 70, 60) + cycle_visits(3, 70, 60) + cycle_visits(4, 70, 69),
        )
    )
    cycle2 = next(c for c in rv.wear_off.cycles if c.number == 2)
    assert (str(cycle2.trough_date), str(cycle2.end)) == (DOSES[2], DOSES[2])


def test_a_single_met_cycle_between_not_met_cycles_is_not_wear_off() -> None:
    # cycle 3 drops 10 and recovers; cycles 2 and 4 stay within the MCID
    visits = cycle_visits(2, 70, 66) + cycle_visits(3, 70, 60) + cycle_visits(4, 70, 66)
    detected, status, _ = run(*visits)
    assert status == {2: "not_met", 3: "met", 4: "not_met"}
    assert detected is False
