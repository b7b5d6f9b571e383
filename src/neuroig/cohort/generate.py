"""A synthetic cohort: case documents with diagnoses, treatment and outcomes (issue 17).

Pure (no I/O beyond reading the packaged templates, no clock): the same ``patients``,
``seed`` and ``until`` give the same documents. Every patient is marked synthetic (case id
``synthetic-<seed>-<n>`` and an ``x_synthetic`` key with the generator's known truth).
The proportions, responder rates and regimens are listed with their sources, or marked
as assumptions, in ``docs/cohort.md`` and :data:`DEFAULTS`.

Design, per patient:

- a diagnosis group (CIDP, MMN, or a mimic) and a template of it: the nerve studies,
  examination, laboratory values and history of the worked example of that diagnosis,
  every date moved by one offset (so their order is kept) and the birth date moved earlier
  by up to 10 years;
- demographics (sex, height, weight) drawn within the case format's bounds;
- for CIDP and MMN, immunoglobulin: induction 2 g/kg over 5 days, then 1 g/kg every 21
  (CIDP) or 28 (MMN) days, doses rounded to 5 g, with an outcome assessment on the first
  dose day and every 6 weeks; a *responder* improves every measure by at least its MCID
  from the first follow-up on (INCAT −1 arm and −1 leg, I-RODS +10 centiles, grip
  +10 kPa, MRC sum +4) and keeps it; a *non-responder* stays at baseline;
- mimics receive no immunoglobulin.
"""

from __future__ import annotations

import copy
import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import resources
from typing import Any, Final

__all__ = ["DEFAULTS", "CohortSpec", "generate"]

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

#: group → (share of the cohort, templates with their share within the group)
GROUPS: Final[dict[str, tuple[float, dict[str, float]]]] = {
    # Keh 2020 (UK immunoglobulin maintenance cohort): 72 % CIDP, 28 % MMN of the treated;
    # the 15 % of mimics among them is an assumption
    "cidp": (0.85 * 0.72, {"cidp_typical": 0.7, "cidp_multifocal": 0.3}),
    "mmn": (0.85 * 0.28, {"mmn_definite": 0.7, "mmn_probable": 0.3}),
    "mimic": (0.15, {"mnd_mimic": 0.4, "anti_mag_distal": 0.3, "lmn_no_block": 0.3}),
}


@dataclass(frozen=True, slots=True)
class CohortSpec:
    """What to generate. Responder rates: ICE trial (Hughes 2008, CIDP, 54 %) and Léger
    2008 (MMN, 70 % of treatment-naive patients)."""

    patients: int
    seed: int = 1
    until: date = date(2026, 6, 30)
    responder_rate: dict[str, float] = field(default_factory=lambda: {"cidp": 0.54, "mmn": 0.70})
    groups: dict[str, tuple[float, dict[str, float]]] = field(default_factory=lambda: dict(GROUPS))


DEFAULTS: Final = CohortSpec(patients=0)

#: every dosing interval in days and the maintenance dose (decision T16 regimens)
_INTERVAL_DAYS: Final = {"cidp": 21, "mmn": 28}
_PRODUCTS: Final = ("privigen", "kiovig", "gamunex_c", "panzyga")


def _template(name: str) -> dict[str, Any]:
    text = resources.files("neuroig.cohort").joinpath(f"templates/{name}.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def _shift_dates(value: Any, days: int) -> Any:
    if isinstance(value, dict):
        return {k: _shift_dates(v, days) for k, v in value.items()}
    if isinstance(value, list):
        return [_shift_dates(v, days) for v in value]
    if isinstance(value, str) and _DATE.match(value):
        return (date.fromisoformat(value) + timedelta(days=days)).isoformat()
    return value


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    names = sorted(weights)
    return rng.choices(names, weights=[weights[n] for n in names])[0]


def _round5(grams: float) -> float:
    return float(max(5, round(grams / 5) * 5))


def generate(spec: CohortSpec) -> Iterator[dict[str, Any]]:
    """The cohort's case documents, one by one (memory does not grow with ``patients``)."""
    rng = random.Random(spec.seed)
    shares = {g: share for g, (share, _) in spec.groups.items()}
    cache: dict[str, dict[str, Any]] = {}
    for n in range(1, spec.patients + 1):
        group = _pick(rng, shares)
        name = _pick(rng, spec.groups[group][1])
        if name not in cache:
            cache[name] = _template(name)
        yield _patient(rng, spec, n, group, name, copy.deepcopy(cache[name]))


def _patient(
    rng: random.Random, spec: CohortSpec, n: int, group: str, name: str, doc: dict[str, Any]
) -> dict[str, Any]:
    treated = group in _INTERVAL_DAYS
    cycles = rng.randint(4, 30) if treated else 0
    interval = _INTERVAL_DAYS.get(group, 0)
    span = 30 + 5 + cycles * interval + 14  # study → first dose → last follow-up
    ncs_date = date.fromisoformat(doc["ncs"]["date"])
    latest = spec.until - timedelta(days=span)
    earliest = latest - timedelta(days=6 * 365)
    target = earliest + timedelta(days=rng.randint(0, (latest - earliest).days))
    doc = _shift_dates(doc, (target - ncs_date).days)
    patient = doc["patient"]
    if "birth_date" in patient:
        born = date.fromisoformat(patient["birth_date"]) - timedelta(days=rng.randint(0, 3650))
        patient["birth_date"] = born.isoformat()
    patient["height_cm"] = rng.randint(155, 192)
    patient["weight_kg"] = float(rng.randint(52, 110))
    responder = treated and rng.random() < spec.responder_rate[group]
    doc["case_id"] = f"synthetic-{spec.seed}-{n:06d}"
    truth: dict[str, Any] = {"group": group, "template": name, "treated": treated}
    if treated:
        first = target + timedelta(days=30)
        product = rng.choice(_PRODUCTS)
        doc["treatments"], doc["infusions"] = _ivig(
            first, patient["weight_kg"], product, interval, cycles
        )
        doc["assessments"] = _assessments(rng, first, cycles * interval + 14, responder)
        truth |= {"responder": responder, "product": product, "cycles": cycles}
    doc["x_synthetic"] = {
        "generator": "neuroig cohort generate",
        "seed": spec.seed,
        "truth": truth,
    }
    return doc


def _ivig(
    first: date, weight_kg: float, product: str, interval: int, cycles: int
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    treatment = {
        "therapy": "ivig",
        "start": first.isoformat(),
        "regimen": {
            "induction_g_per_kg": 2.0,
            "days": 5,
            "dose_g_per_kg": 1.0,
            "interval_days": interval,
            "product": product,
        },
    }
    infusions = []
    daily = _round5(weight_kg * 2.0 / 5)
    for day in range(5):
        infusions.append(_infusion(first + timedelta(days=day), daily, product, weight_kg))
    maintenance = _round5(weight_kg * 1.0)
    for cycle in range(1, cycles + 1):
        when = first + timedelta(days=cycle * interval)
        infusions.append(_infusion(when, maintenance, product, weight_kg))
    return [treatment], infusions


def _infusion(when: date, grams: float, product: str, weight_kg: float) -> dict[str, Any]:
    return {
        "date": when.isoformat(),
        "route": "iv",
        "product": product,
        "dose_g": grams,
        "weight_kg": weight_kg,
    }


def _assessments(
    rng: random.Random, first: date, days: int, responder: bool
) -> list[dict[str, Any]]:
    arm, leg = rng.randint(1, 4), rng.randint(1, 4)
    centile, grip, mrc = rng.randint(20, 60), rng.randint(20, 60), rng.randint(38, 52)
    out = []
    for k, offset in enumerate(range(0, days + 1, 42)):
        better = responder and k > 0
        out.append(
            {
                "date": (first + timedelta(days=offset)).isoformat(),
                "incat": {"arm": arm - better, "leg": leg - better},
                "irods": {"centile": centile + 10 * better},
                "grip": {
                    "left": grip + 10 * better,
                    "right": grip + 2 + 10 * better,
                    "unit": "kpa",
                    "device": "vigorimeter",
                },
                "mrc_sum_score": {"score": mrc + 4 * better, "max": 60, "variant": "kleyweg"},
            }
        )
    return out
