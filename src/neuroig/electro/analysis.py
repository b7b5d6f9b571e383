"""Analyse a case's nerve conduction study: motor nerves, sensory nerves, E8 helpers."""

from __future__ import annotations

from neuroig.case import Case, Ncs, age_at
from neuroig.electro.nerve import Finding, MotorNerveResult, analyse_motor_nerve
from neuroig.electro.segments import ElectroOptions
from neuroig.electro.sensory import SensoryNerveResult, analyse_sensory, sural_sparing
from neuroig.record import Record, field
from neuroig.reference import sensory_nerve_for
from neuroig.tristate import MET, NOT_MET, UNKNOWN, Status

__all__ = ["ElectroResult", "analyse", "analyse_ncs"]


class ElectroResult(Record, frozen=True):
    """Everything the criteria layer and the reports need from one study."""

    motor: tuple[MotorNerveResult, ...]
    sensory: tuple[SensoryNerveResult, ...]
    sural_sparing: Finding
    age_years: float | None
    warnings: tuple[str, ...] = ()
    options: ElectroOptions = field(default_factory=ElectroOptions)

    def motor_nerve(self, nerve: str, side: str) -> MotorNerveResult | None:
        for m in self.motor:
            if m.nerve == nerve and m.side == side:
                return m
        return None

    def sensory_nerve(self, nerve: str, side: str) -> SensoryNerveResult | None:
        for s in self.sensory:
            if s.nerve == nerve and s.side == side:
                return s
        return None

    def sensory_across(self, nerve: str, side: str) -> tuple[Status, str]:
        """Decision E8/E14: is sensory conduction normal for this motor nerve-side?

        Met when the paired sensory nerve on the same side has ≥ 1 entry and all are
        normal; not met when any is abnormal; unknown when none was studied, an entry
        is unknown, or the nerve has no sensory pair (tibial).
        """
        pair = sensory_nerve_for(nerve)
        if pair is None:
            return UNKNOWN, f"the {nerve} nerve has no sensory counterpart (E14)"
        result = self.sensory_nerve(pair, side)
        if result is None:
            return UNKNOWN, f"{side} {pair} sensory conduction not studied"
        if result.abnormal is True:
            return NOT_MET, f"{side} {pair} sensory conduction abnormal: {result.reason}"
        if result.abnormal is False:
            return MET, f"{side} {pair} sensory conduction normal"
        return UNKNOWN, f"{side} {pair} sensory conduction not evaluable: {result.reason}"


def analyse_ncs(
    ncs: Ncs, *, age_years: float | None, options: ElectroOptions | None = None
) -> ElectroResult:
    """Analyse one nerve-conduction study (pure)."""
    opts = options or ElectroOptions()
    motor = tuple(
        analyse_motor_nerve(ncs, m, age_years=age_years, options=opts) for m in ncs.motor or ()
    )
    sensory = analyse_sensory(ncs, age_years=age_years)
    warnings = tuple(
        f"{m.side} {m.nerve}: {m.temperature_warning}" for m in motor if m.temperature_warning
    )
    return ElectroResult(motor, sensory, sural_sparing(sensory), age_years, warnings, opts)


def analyse(case: Case, options: ElectroOptions | None = None) -> ElectroResult | None:
    """Analyse the case's presentation study; None when the case has no NCS."""
    if case.ncs is None:
        return None
    return analyse_ncs(case.ncs, age_years=age_at(case, case.ncs.date), options=options)
