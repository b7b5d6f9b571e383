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
  from the first, second or third follow-up on (INCAT −1 arm and −1 leg, I-RODS +10
  centiles, grip +10 kPa, MRC sum +4) and keeps it; a *non-responder* stays at baseline
  and stops after 4-6 cycles as ineffective;
- a responder follows one course pattern (:data:`PATTERNS`): stable maintenance; a
  taper to 75 % of the dose; a withdrawal with relapse and restart (immunoglobulin
  dependence); wear-off before each dose (labelled peak and trough assessments); a
  declining response (the interval shortened by 30 % with no further gain); a switch of
  IVIg product; or (CIDP) a switch to weekly SCIg;
- mimics receive no immunoglobulin.
"""

from __future__ import annotations

import copy
import json
import random
import re
from collections.abc import Iterator
from datetime import date, timedelta
from importlib import resources
from typing import Any, Final

from neuroig.record import Record, field

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


class CohortSpec(Record, frozen=True):
    """What to generate. Responder rates: ICE trial (Hughes 2008, CIDP, 54 %) and Léger
    2008 (MMN, 70 % of treatment-naive patients)."""

    patients: int
    seed: int = 1
    until: date = date(2026, 6, 30)
    responder_rate: dict[str, float] = field(default_factory=lambda: {"cidp": 0.54, "mmn": 0.70})
    groups: dict[str, tuple[float, dict[str, float]]] = field(default_factory=lambda: dict(GROUPS))
    patterns: dict[str, dict[str, float]] = field(default_factory=lambda: dict(PATTERNS))


#: group → a responder's course pattern → its share (all an assumption, docs/cohort.md);
#: SCIg is licensed for CIDP maintenance, not for MMN, so MMN patients never switch to it
PATTERNS: Final[dict[str, dict[str, float]]] = {
    "cidp": {
        "stable": 0.40,
        "taper": 0.15,
        "dependent": 0.15,
        "wear_off": 0.10,
        "declining": 0.10,
        "switch_product": 0.05,
        "switch_scig": 0.05,
    },
    "mmn": {
        "stable": 0.45,
        "taper": 0.15,
        "dependent": 0.15,
        "wear_off": 0.10,
        "declining": 0.10,
        "switch_product": 0.05,
    },
}

DEFAULTS: Final = CohortSpec(patients=0)

#: every dosing interval in days and the maintenance dose (decision T16 regimens)
_INTERVAL_DAYS: Final = {"cidp": 21, "mmn": 28}
_PRODUCTS: Final = ("privigen", "kiovig", "gamunex_c", "panzyga")
#: the SCIg maintenance: 0.2 g/kg weekly of Hizentra, the lower dose of the PATH trial
#: (van Schaik IN et al., Lancet Neurol 2018;17:35-46)
_SCIG: Final = ("hizentra", 0.2, 7)
#: days between outcome assessments; a responder's improvement by measure (MCID or more)
_EVERY: Final = 42


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
    interval = _INTERVAL_DAYS.get(group, 0)
    responder = treated and rng.random() < spec.responder_rate[group]
    pattern = (
        _pick(rng, spec.patterns[group])
        if responder
        else "non_responder"
        if treated
        else "untreated"
    )
    course = _Course(rng, interval, pattern) if treated else None
    span = 30 + (course.last_day + 14 if course else 0)  # study → first dose → last record
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
    doc["case_id"] = f"synthetic-{spec.seed}-{n:06d}"
    truth: dict[str, Any] = {"group": group, "template": name, "treated": treated}
    if course is not None:
        first = target + timedelta(days=30)
        product = rng.choice(_PRODUCTS)
        other = rng.choice([p for p in _PRODUCTS if p != product])
        doc["treatments"], doc["infusions"] = course.records(
            first, patient["weight_kg"], product, other
        )
        doc["assessments"] = course.assessments(rng, first)
        truth |= {
            "responder": responder,
            "pattern": pattern,
            "product": product,
            "cycles": course.cycles,
            "days_to_response": course.days_to_response,
        }
    doc["x_synthetic"] = {
        "generator": "neuroig cohort generate",
        "seed": spec.seed,
        "truth": truth,
    }
    return doc


class _Course:
    """The immunoglobulin of one treated patient, in days from the first dose."""

    def __init__(self, rng: random.Random, interval: int, pattern: str) -> None:
        self.interval = interval
        self.pattern = pattern
        #: the follow-up (1st, 2nd or 3rd, every 6 weeks) from which a responder is better
        self.onset = rng.randint(1, 3)
        #: maintenance doses: (day, fraction of 1 g/kg, IVIg product index or "sc")
        self.doses: list[tuple[int, float, str]] = []
        self.stop_day: int | None = None  # the first course's last dose (dependent)
        self.restart: int | None = None  # the first dose of the restarted course
        self.switch: int | None = None  # the first dose of the second product or route
        low = {"stable": 6, "non_responder": 4, "wear_off": 10, "switch_product": 11}
        high = {"non_responder": 6}
        if pattern in ("taper", "declining"):
            cycles = rng.randint(20, 30) if interval == 21 else rng.randint(16, 24)
        elif pattern == "dependent":
            cycles = rng.randint(10, 20)
        elif pattern == "switch_scig":
            cycles = rng.randint(7, 20)
        else:
            cycles = rng.randint(low.get(pattern, 6), high.get(pattern, 30))
        self.cycles = cycles
        days = [c * interval for c in range(1, cycles + 1)]
        if pattern == "taper":
            taper_from = cycles - rng.randint(4, 8)
            self.doses = [(d, 0.75 if c > taper_from else 1.0, "a") for c, d in enumerate(days, 1)]
        elif pattern == "declining":
            steady = cycles - 8
            shorter = round(interval * 0.7)
            self.doses = [(d, 1.0, "a") for d in days[:steady]]
            self.doses += [(days[steady - 1] + k * shorter, 1.0, "a") for k in range(1, 9)]
        elif pattern == "switch_product":
            self.switch = rng.randint(7, cycles - 4) * interval
            self.doses = [(d, 1.0, "a" if d < self.switch else "b") for d in days]
        elif pattern == "switch_scig":
            self.switch = days[-1] + interval
            weeks = rng.randint(12, 52)
            self.doses = [(d, 1.0, "a") for d in days]
            self.doses += [(self.switch + 7 * k, _SCIG[1], "sc") for k in range(weeks)]
        elif pattern == "dependent":
            self.stop_day = days[-1]
            self.restart = self.stop_day + interval + 42  # a break of more than 8 weeks
            again = rng.randint(4, 10)
            self.doses = [(d, 1.0, "a") for d in days]
            self.doses += [(self.restart + c * interval, 1.0, "a") for c in range(1, again + 1)]
        else:
            self.doses = [(d, 1.0, "a") for d in days]
        #: the last record: the last dose, wear-off's last peak, or (a non-responder)
        #: the follow-up after the stop
        self.last_day = self.doses[-1][0] + {"wear_off": 7, "non_responder": interval}.get(
            pattern, 0
        )

    @property
    def days_to_response(self) -> int | None:
        """Days from the judged course's first dose to its first improved assessment."""
        if self.pattern == "non_responder":
            return None
        return _EVERY if self.pattern == "dependent" else _EVERY * self.onset

    def records(
        self, first: date, weight_kg: float, product: str, other: str
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """The treatments and infusions."""

        def day(offset: int) -> str:
            return (first + timedelta(days=offset)).isoformat()

        def ivig(start: int, name: str, loading: bool) -> dict[str, Any]:
            regimen: dict[str, Any] = {"dose_g_per_kg": 1.0, "interval_days": self.interval}
            if loading:
                regimen = {"induction_g_per_kg": 2.0, "days": 5} | regimen
            return {"therapy": "ivig", "start": day(start), "regimen": regimen | {"product": name}}

        treatments = [ivig(0, product, True)]
        infusions = [
            _infusion(first + timedelta(days=d), _round5(weight_kg * 0.4), product, weight_kg)
            for d in range(5)
        ]
        if self.pattern == "non_responder":
            treatments[0] |= {"end": day(self.doses[-1][0]), "stopped_because": "ineffective"}
        if self.stop_day is not None and self.restart is not None:
            treatments[0]["end"] = day(self.stop_day)
            treatments.append(ivig(self.restart, product, True))
            infusions += [
                _infusion(
                    first + timedelta(days=self.restart + d),
                    _round5(weight_kg * 0.4),
                    product,
                    weight_kg,
                )
                for d in range(5)
            ]
        if self.switch is not None:
            treatments[0]["end"] = day(self.switch - 1)
            if self.pattern == "switch_scig":
                sc_product, g_per_kg, every = _SCIG
                regimen = {"dose_g_per_kg": g_per_kg, "interval_days": every, "product": sc_product}
                treatments.append(
                    {"therapy": "scig", "start": day(self.switch), "regimen": regimen}
                )
            else:
                treatments.append(ivig(self.switch, other, False))
        for offset, fraction, which in self.doses:
            when = first + timedelta(days=offset)
            if which == "sc":
                grams = float(max(1, round(weight_kg * fraction)))
                infusions.append(_infusion(when, grams, _SCIG[0], weight_kg, route="sc"))
            else:
                name = product if which == "a" else other
                infusions.append(_infusion(when, _round5(weight_kg * fraction), name, weight_kg))
        infusions.sort(key=lambda i: str(i["date"]))
        return treatments, infusions

    def assessments(self, rng: random.Random, first: date) -> list[dict[str, Any]]:
        """Outcome assessments every 6 weeks (and, for wear-off, at peak and trough)."""
        arm, leg = rng.randint(1, 4), rng.randint(1, 4)
        base = (arm, leg, rng.randint(20, 60), rng.randint(20, 60), rng.randint(38, 52))
        better_from = _EVERY * self.onset
        planned: list[tuple[int, bool, str | None]] = []
        end = self.last_day + (0 if self.pattern == "wear_off" else 14)
        labelled_from = end + 1
        if self.pattern == "non_responder":
            end = self.doses[-1][0] + 14
            planned.append((self.last_day + 14, False, None))  # off treatment, no better
        if self.pattern == "wear_off":
            maint = [d for d, _, _ in self.doses]
            labelled_from = maint[-4]
            for a, b in zip(maint[-4:-1], maint[-3:], strict=True):
                planned += [(a + 7, True, "peak"), (b, False, "trough")]
            planned.append((maint[-1] + 7, True, "peak"))
        if self.stop_day is not None:
            end = self.stop_day + self.interval  # the first course's on-treatment readings
        for offset in range(0, min(end, labelled_from - 1) + 1, _EVERY):
            planned.append(
                (offset, self.pattern != "non_responder" and offset >= better_from, None)
            )
        if self.restart is not None and self.stop_day is not None:
            planned.append((self.stop_day + self.interval + 28, False, None))  # the relapse
            for offset in range(self.restart, self.last_day + 15, _EVERY):
                planned.append((offset, offset > self.restart, None))
        planned.sort()
        return [_assessment(first + timedelta(days=d), base, better, t) for d, better, t in planned]


def _infusion(
    when: date, grams: float, product: str, weight_kg: float, *, route: str = "iv"
) -> dict[str, Any]:
    return {
        "date": when.isoformat(),
        "route": route,
        "product": product,
        "dose_g": grams,
        "weight_kg": weight_kg,
    }


def _assessment(
    when: date, base: tuple[int, int, int, int, int], better: bool, timing: str | None
) -> dict[str, Any]:
    arm, leg, centile, grip, mrc = base
    out: dict[str, Any] = {
        "date": when.isoformat(),
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
    if timing is not None:
        out["timing"] = timing
    return out
