"""Nerve-conduction analysis: limits, segments, conduction block, dispersion, slowing.

``analyse(case)`` returns an :class:`ElectroResult` whose findings carry their
evidence; rules are in ``docs/methods/electro.md``.
"""

from neuroig.electro.analysis import ElectroResult, analyse, analyse_ncs
from neuroig.electro.limits import Limit, motor_limit, sensory_limit
from neuroig.electro.nerve import Finding, MotorNerveResult
from neuroig.electro.segments import EfnsBlock, ElectroOptions, Segment
from neuroig.electro.sensory import SensoryEntryResult, SensoryNerveResult

__all__ = [
    "EfnsBlock",
    "ElectroOptions",
    "ElectroResult",
    "Finding",
    "Limit",
    "MotorNerveResult",
    "Segment",
    "SensoryEntryResult",
    "SensoryNerveResult",
    "analyse",
    "analyse_ncs",
    "motor_limit",
    "sensory_limit",
]
