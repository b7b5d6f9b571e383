"""Nerve-conduction analysis: limits, segments, conduction block, dispersion, slowing."""

from neuroig.electro.limits import Limit, motor_limit, sensory_limit

__all__ = ["Limit", "motor_limit", "sensory_limit"]
