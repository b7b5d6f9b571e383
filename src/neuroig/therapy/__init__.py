"""Therapy planning: dosing weight, products, regimens, schedules, safety screen, cost."""

from neuroig.therapy.dosing_weight import (
    POLICIES,
    DosingWeight,
    WeightPolicy,
    dosing_weight,
    ideal_body_weight_kg,
)

__all__ = ["POLICIES", "DosingWeight", "WeightPolicy", "dosing_weight", "ideal_body_weight_kg"]
