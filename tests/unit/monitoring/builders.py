"""Small builders of treated cases for the monitoring tests (plain data → validated Case)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from neuroig import parse_case
from neuroig.case import Case

Data = dict[str, Any]


def day(text: str) -> date:
    return date.fromisoformat(text)


def shift(text: str, days: int) -> str:
    return (day(text) + timedelta(days=days)).isoformat()


def grip(left: float | None, right: float | None, device: str = "vigorimeter") -> Data:
    g: Data = {"unit": "kpa" if device == "vigorimeter" else "kg", "device": device}
    if left is not None:
        g["left"] = left
    if right is not None:
        g["right"] = right
    return g


def visit(when: str, **measures: Any) -> Data:
    """An assessment: ``visit("2025-01-01", grip=grip(40, 42), incat=(1, 2), timing="peak")``."""
    out: Data = {"date": when}
    for key, value in measures.items():
        if key == "incat":
            out["incat"] = {"arm": value[0], "leg": value[1]}
        elif key == "irods":
            out["irods"] = {"centile": value}
        elif key == "mrc":
            out["mrc_sum_score"] = value if isinstance(value, dict) else {"score": value, "max": 60}
        else:
            out[key] = value
    return out


def doses(start: str, interval_days: int, n: int, grams: float, **extra: Any) -> list[Data]:
    """``n`` IV infusions of ``grams`` every ``interval_days`` from ``start``."""
    first = day(start)
    out = []
    for k in range(n):
        inf: Data = {
            "date": (first + timedelta(days=interval_days * k)).isoformat(),
            "route": extra.get("route", "iv"),
            "product": extra.get(
                "product", "privigen" if extra.get("route", "iv") == "iv" else "hizentra"
            ),
            "dose_g": grams,
        }
        if "weight_kg" in extra:
            inf["weight_kg"] = extra["weight_kg"]
        out.append(inf)
    return out


def induction(start: str, days: int, grams_per_day: float, **extra: Any) -> list[Data]:
    return doses(start, 1, days, grams_per_day, **extra)


def case(
    *,
    assessments: list[Data] | None = None,
    infusions: list[Data] | None = None,
    treatments: list[Data] | None = None,
    patient: Data | None = None,
    ncs: Data | None = None,
    history: Data | None = None,
) -> Case:
    data: Data = {"format": "neuroig-case/1", "case_id": "t"}
    data["patient"] = patient or {
        "sex": "female",
        "age_years": 55,
        "height_cm": 165,
        "weight_kg": 72,
    }
    if history:
        data["history"] = history
    if ncs:
        data["ncs"] = ncs
    if treatments is not None:
        data["treatments"] = treatments
    if infusions is not None:
        data["infusions"] = infusions
    if assessments is not None:
        data["assessments"] = assessments
    return parse_case(json.dumps(data))


def ivig(start: str, end: str | None = None, **extra: Any) -> Data:
    t: Data = {"therapy": "ivig", "start": start}
    if end:
        t["end"] = end
    t.update(extra)
    return t
