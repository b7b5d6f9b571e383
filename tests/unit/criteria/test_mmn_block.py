"""The EFNS/PNS 2010 MMN block grade in its one home (issue 12): ``grade_segment`` and
``nerve_block`` of ``neuroig.criteria.mmn_block``, from measurements only; statuses are
decided first and the reason and evidence built when first read."""

from __future__ import annotations

from typing import Any

from neuroig.criteria.mmn_block import (
    DEFINITE_ID,
    PROBABLE_ID,
    BlockMeasures,
    EfnsBlock,
    grade_segment,
    nerve_block,
)
from neuroig.evidence import Evidence
from neuroig.tristate import MET, NOT_MET, UNKNOWN


def measures(**overrides: Any) -> BlockMeasures:
    base: dict[str, Any] = {
        "nerve": "median",
        "side": "left",
        "segment": "wrist-elbow",
        "upper_limb": True,
        "entrapment": None,
        "distal_amplitude_mv": 5.0,
        "amplitude_lln": 4.0,
        "amplitude_lln_source": "test lab",
        "amplitude_lln_verified": True,
        "area_drop_pct": 60.0,
        "amplitude_drop_pct": 58.0,
        "duration_increase_pct": 10.0,
        "long_segment": True,
        "proximal_erb_or_root": False,
    }
    base.update(overrides)
    return BlockMeasures(**base)


def test_definite_block_with_its_evidence() -> None:
    # distal 5 mV > 1 mV and 5 / 4 = 125 % of LLN > 20 %; area drop 60 % >= 50 %,
    # duration +10 % <= 30 %, median nerve: definite (and so probable)
    b = grade_segment(measures())
    assert (b.grade, b.definite, b.probable) == ("definite", MET, MET)
    assert b.reason == "area drop 60.0 %, duration +10.0 %: definite block"
    assert [(e.measure, e.value, e.threshold, e.comparator) for e in b.evidence] == [
        ("distal_amplitude_mv", 5.0, 1, ">"),
        ("distal_amplitude_pct_lln", 125.0, 20, ">"),
        ("area_drop_pct", 60.0, 50, ">="),
        ("duration_increase_pct", 10.0, 30, "<="),
    ]
    assert b.evidence[1].limit == 4.0 and b.evidence[1].limit_source == "test lab"


def test_radial_nerve_carries_only_probable_block() -> None:
    # radial (E7): area drop 55 % >= 30 % over a long upper-limb segment with duration
    # +10 % <= 30 % is probable (a); definite is not met, never unknown
    b = grade_segment(measures(nerve="radial", area_drop_pct=55.0))
    assert (b.grade, b.definite, b.probable) == ("probable", NOT_MET, MET)
    assert b.reason.endswith("probable block; the radial nerve can carry only probable block (E7)")


def test_missing_duration_still_gives_probable() -> None:
    # area drop 62 %, duration unknown: <= 30 % -> definite, > 30 % -> probable (b)
    # (62 >= 50); either way at least probable, definite undecided
    b = grade_segment(measures(area_drop_pct=62.0, duration_increase_pct=None))
    assert (b.grade, b.definite, b.probable) == ("probable", UNKNOWN, MET)
    assert b.reason == (
        "area drop 62.0 %, duration missing: probable block; "
        "definite if the duration increase is ≤ 30 %"
    )


def test_distal_floor_not_met_is_not_evaluable() -> None:
    # 0.8 mV is not above 1 mV (E3, E12): unknown, never "no block"
    b = grade_segment(measures(distal_amplitude_mv=0.8))
    assert (b.grade, b.definite, b.probable) == ("unknown", UNKNOWN, UNKNOWN)
    assert "not above 1 mV" in b.reason
    assert [e.measure for e in b.evidence] == ["distal_amplitude_mv"]


def test_amplitude_surrogate_only_when_asked() -> None:
    # no area: unknown (E2) unless the amplitude drop (58 % >= 50 %) stands in
    plain = grade_segment(measures(area_drop_pct=None))
    assert (plain.grade, plain.probable) == ("unknown", UNKNOWN)
    surrogate = grade_segment(measures(area_drop_pct=None), amplitude_surrogate=True)
    assert surrogate.grade == "definite"
    assert [e.surrogate for e in surrogate.evidence if e.measure == "amplitude_drop_pct"] == [True]


def test_status_first_explanation_on_demand() -> None:
    calls: list[int] = []

    def explain() -> tuple[str, tuple[Evidence, ...]]:
        calls.append(1)
        return "why", (Evidence("area_drop_pct", 60.0),)

    b = EfnsBlock.lazy("definite", MET, MET, explain)
    assert (b.grade, b.definite, b.probable) == ("definite", MET, MET)
    assert calls == []  # statuses read: nothing built
    assert b.reason == "why" and b.evidence == (Evidence("area_drop_pct", 60.0),)
    assert calls == [1]  # built once, on the first read
    assert b == EfnsBlock("definite", MET, MET, "why", (Evidence("area_drop_pct", 60.0),))


def test_nerve_block_is_any_segment() -> None:
    none = grade_segment(measures(area_drop_pct=10.0))  # 10 % < 30 %: no block
    probable = grade_segment(measures(nerve="radial", area_drop_pct=55.0))
    undecided = grade_segment(measures(distal_amplitude_mv=None))
    assert nerve_block([none, probable], "probable") == MET
    assert nerve_block([none, probable], "definite") == NOT_MET
    assert nerve_block([none, undecided], "probable") == UNKNOWN
    assert nerve_block([], "definite") == UNKNOWN  # no proximal stimulation
    assert (DEFINITE_ID, PROBABLE_ID) == ("EFNS-MMN-BLOCK-DEF", "EFNS-MMN-BLOCK-PROB")
