"""Small builders for therapy tests: a case around one patient, and plan options."""

from __future__ import annotations

from datetime import date
from typing import Any

from neuroig.case import Case, case_from_data
from neuroig.therapy.model import Plan
from neuroig.therapy.options import PlanOptions
from neuroig.therapy.plan import plan

START = date(2026, 12, 1)


def make_case(
    *,
    sex: str = "male",
    height_cm: float | None = 175,
    weight_kg: float | None = 100,
    age_years: float | None = 50,
    blood_group: str | None = "A",
    conditions: list[str] | None = None,
    labs: dict[str, Any] | None = None,
    infusions: list[dict[str, Any]] | None = None,
    treatments: list[dict[str, Any]] | None = None,
) -> Case:
    """A valid case. Defaults: male, 175 cm, 100 kg, 50 y (dosing weight 82.28 kg),
    group A, eGFR 90, Hb 140, IgA 2.0 g/L, no conditions, no infusions."""
    patient: dict[str, Any] = {"sex": sex}
    for key, value in (
        ("height_cm", height_cm),
        ("weight_kg", weight_kg),
        ("age_years", age_years),
        ("blood_group", blood_group),
    ):
        if value is not None:
            patient[key] = value
    data: dict[str, Any] = {
        "format": "neuroig-case/1",
        "case_id": "t-case",
        "patient": patient,
        "history": {"conditions": conditions or []},
        "labs": {"egfr_ml_min": 90, "hemoglobin_g_l": 140, "iga_g_l": 2.0}
        if labs is None
        else labs,
    }
    if infusions is not None:
        data["infusions"] = infusions
    if treatments is not None:
        data["treatments"] = treatments
    return case_from_data(data)


def opts(**kw: Any) -> PlanOptions:
    """Plan options starting on 2026-12-01 unless ``start`` is given."""
    kw.setdefault("start", START)
    return PlanOptions(**kw)


def run(case: Case | None = None, **kw: Any) -> Plan:
    """Plan ``case`` (default :func:`make_case`) with :func:`opts` ``kw``."""
    return plan(case or make_case(), opts(**kw))


def infusion(day: str, product: str, *, route: str = "iv", **kw: Any) -> dict[str, Any]:
    """An infusion record of 80 g."""
    return {"date": day, "route": route, "product": product, "dose_g": 80, **kw}
