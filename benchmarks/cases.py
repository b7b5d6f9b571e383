"""A 12-nerve case for the benchmarks: bilateral median, ulnar, radial, fibular, tibial, MC."""

from __future__ import annotations

import copy
from typing import Any

_SITES: dict[str, list[str]] = {
    "median": ["wrist", "elbow", "axilla", "erb"],
    "ulnar": ["wrist", "below_elbow", "above_elbow", "axilla", "erb"],
    "radial": ["forearm", "elbow", "spiral_groove", "axilla"],
    "fibular": ["ankle", "below_fibular_head", "popliteal_fossa"],
    "tibial": ["ankle", "popliteal_fossa"],
    "musculocutaneous": ["axilla", "erb"],
}


def twelve_nerve_case() -> dict[str, Any]:
    motor = []
    for nerve, sites in _SITES.items():
        for side in ("left", "right"):
            rows = []
            for i, site in enumerate(sites):
                rows.append(
                    {
                        "site": site,
                        "latency_ms": 3.0 + 3.1 * i,
                        "amplitude_mv": 9.0 - 0.4 * i,
                        "area_mvms": 28.0 - 1.1 * i,
                        "duration_ms": 6.0 + 0.2 * i,
                        "distance_mm": 70 if i == 0 else 180,
                    }
                )
            motor.append(
                {
                    "nerve": nerve,
                    "side": side,
                    "sites": rows,
                    "f_wave": {"min_latency_ms": 28.0, "persistence_pct": 70},
                }
            )
    sensory = [
        {
            "nerve": n,
            "side": s,
            "method": "antidromic",
            "from_site": a,
            "to_site": b,
            "amplitude_uv": 20,
            "velocity_m_s": 52,
            "distance_mm": 140,
        }
        for n, a, b in [
            ("median", "wrist", "digit2"),
            ("ulnar", "wrist", "digit5"),
            ("radial", "forearm", "digit1"),
            ("sural", "calf", "ankle"),
        ]
        for s in ("left", "right")
    ]
    return copy.deepcopy(
        {
            "format": "neuroig-case/1",
            "case_id": "bench-12-nerve",
            "patient": {"sex": "female", "age_years": 52, "height_cm": 165, "weight_kg": 70},
            "history": {"onset_age_years": 50, "course": "progressive", "conditions": []},
            "exam": {
                "strength": [
                    {"muscle": m, "side": s, "mrc": 4}
                    for m in (
                        "deltoid",
                        "biceps",
                        "wrist_extensors",
                        "iliopsoas",
                        "quadriceps",
                        "tibialis_anterior",
                    )
                    for s in ("left", "right")
                ],
                "sensory": {"objective_loss": "present", "symptoms": True},
                "reflexes": {
                    "left_upper": "reduced",
                    "right_upper": "reduced",
                    "left_lower": "absent",
                    "right_lower": "absent",
                },
                "umn_signs": {"present": False},
                "bulbar": "none",
            },
            "labs": {
                "ck_u_l": 120,
                "ck_uln_u_l": 190,
                "csf": {"protein_g_l": 0.9, "wbc_per_ul": 3},
            },
            "ncs": {
                "date": "2026-10-01",
                "temperature_c": 33,
                "low_frequency_filter_hz": 20,
                "motor": motor,
                "sensory": sensory,
            },
        }
    )
