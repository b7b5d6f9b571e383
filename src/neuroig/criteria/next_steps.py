"""What would change a category, ordered by cost: bedside first (decision C18).

Each missing input names the case field (or the study) that would decide an unknown
criterion. :func:`cost_tier` places it on a ladder from the bedside examination and the
history (free, at the next visit) through blood tests and nerve conduction studies to
imaging, lumbar puncture and biopsy; reference-data gaps come last because no test of
the patient settles them. The order within a tier is the order the rules produced.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Final

from neuroig.criteria.verdict import Missing

__all__ = ["TIER_NAMES", "by_cost", "cost_tier"]

#: Tier → what it costs the patient, cheapest first.
TIER_NAMES: Final[dict[int, str]] = {
    0: "bedside examination or history",
    1: "blood test",
    2: "nerve conduction study or EMG",
    3: "treatment trial",
    4: "imaging (MRI, ultrasound)",
    5: "lumbar puncture",
    6: "nerve biopsy",
    7: "reference data (no patient test)",
}

# (prefix, tier): the first prefix that matches wins, so more specific prefixes first.
_PREFIXES: Final[tuple[tuple[str, int], ...]] = (
    ("exam.", 0),
    ("history.", 0),
    ("patient.", 0),
    ("labs.csf", 5),
    ("labs.", 1),
    ("ncs", 2),
    ("emg", 2),
    ("study ", 2),
    ("stimulate ", 2),
    ("treatments", 3),
    ("assessments", 3),
    ("imaging.", 4),
    ("biopsy", 6),
    ("reference ", 7),
)


@lru_cache(maxsize=4096)
def cost_tier(item: str) -> int:
    """The cost tier of one missing input (see :data:`TIER_NAMES`); unknown inputs go
    just before reference data."""
    text = item.strip()
    for prefix, tier in _PREFIXES:
        if text.startswith(prefix):
            return tier
    # "CRITERION-ID: reason" fallbacks name no field: after every patient test
    return 6


def by_cost(missing: Iterable[Missing]) -> tuple[Missing, ...]:
    """The missing inputs, cheapest first (stable within a tier)."""
    return tuple(sorted(missing, key=lambda m: cost_tier(m.input)))
