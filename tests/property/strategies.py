"""Hypothesis strategies that build valid ``neuroig-case/1`` documents as plain JSON data."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st

from neuroig.reference import motor_nerves, muscle_ids, product_ids, product_routes
from neuroig.vocab import (
    AntiGm1,
    BloodGroup,
    Condition,
    Course,
    Reflex,
    SensoryLoss,
    SensoryNerve,
    SensorySite,
    Sex,
    Side,
    values,
)

Data = dict[str, Any]


def finite(lo: float, hi: float, *, exclude_lo: bool = False) -> st.SearchStrategy[float]:
    return st.floats(lo, hi, exclude_min=exclude_lo, allow_nan=False, allow_infinity=False)


def iso_dates(lo: date = date(1990, 1, 1), hi: date | None = None) -> st.SearchStrategy[str]:
    # not after the day of the run (decision P11)
    return st.dates(lo, min(hi or date.today(), date.today())).map(date.isoformat)


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """A value or a missing key (represented by the sentinel ``...``)."""
    return st.one_of(st.just(...), strategy)


def drop_missing(d: dict[str, Any]) -> Data:
    return {k: v for k, v in d.items() if v is not ...}


@st.composite
def motor_studies(draw: st.DrawFn) -> list[Data]:
    out: list[Data] = []
    used: set[tuple[str, str]] = set()
    for _ in range(draw(st.integers(0, 6))):
        nerve = draw(st.sampled_from(sorted(motor_nerves())))
        side = draw(st.sampled_from(values(Side)))
        if (nerve, side) in used:
            continue
        used.add((nerve, side))
        ranks = motor_nerves()[nerve].site_ranks
        by_rank: dict[int, list[str]] = {}
        for site, rank in ranks.items():
            by_rank.setdefault(rank, []).append(site)
        chosen_ranks = sorted(draw(st.sets(st.sampled_from(sorted(by_rank)), min_size=1)))
        latency = draw(finite(0.5, 10))
        sites: list[Data] = []
        for i, rank in enumerate(chosen_ranks):
            site = draw(st.sampled_from(by_rank[rank]))
            # distance = velocity x latency step, so computed velocities stay 6-140 m/s (P10)
            distance = draw(finite(1, 1500))
            if i > 0:
                step = min(draw(finite(0.5, 8)), 99.0 - latency)
                latency = min(latency + step, 99.0)
                distance = max(1.0, draw(finite(6, 140)) * round(step, 2))
            no_resp = draw(st.booleans()) if i > 0 and latency < 99.0 else False
            if no_resp:
                sites.append({"site": site, "no_response": True})
                continue
            sites.append(
                drop_missing(
                    {
                        "site": site,
                        "latency_ms": round(latency, 2) if latency < 99.0 else ...,
                        "amplitude_mv": draw(maybe(st.one_of(st.just(0.0), finite(0.01, 50)))),
                        "area_mvms": draw(maybe(finite(0, 500))),
                        "duration_ms": draw(maybe(finite(0.1, 100))),
                        "distance_mm": draw(maybe(st.just(distance))),
                    }
                )
            )
        study = drop_missing(
            {
                "nerve": nerve,
                "side": side,
                "temperature_c": draw(maybe(finite(20, 42))),
                "sites": sites,
                "f_wave": draw(
                    maybe(
                        st.one_of(
                            st.just({"absent": True}),
                            st.fixed_dictionaries(
                                {
                                    "min_latency_ms": finite(10.01, 150),
                                    "persistence_pct": finite(1, 100),
                                }
                            ),
                        )
                    )
                ),
            }
        )
        out.append(study)
    return out


@st.composite
def sensory_studies(draw: st.DrawFn) -> list[Data]:
    out: list[Data] = []
    used: set[tuple[str, str]] = set()
    for _ in range(draw(st.integers(0, 5))):
        nerve = draw(st.sampled_from(values(SensoryNerve)))
        side = draw(st.sampled_from(values(Side)))
        if (nerve, side) in used:
            continue
        used.add((nerve, side))
        a, b = draw(
            st.lists(st.sampled_from(values(SensorySite)), min_size=2, max_size=2, unique=True)
        )
        out.append(
            drop_missing(
                {
                    "nerve": nerve,
                    "side": side,
                    "method": draw(maybe(st.sampled_from(["antidromic", "orthodromic"]))),
                    "from_site": a,
                    "to_site": b,
                    "amplitude_uv": draw(maybe(st.one_of(st.just(0.0), finite(0.1, 500)))),
                    "velocity_m_s": draw(maybe(finite(5, 150))),
                    "peak_latency_ms": draw(maybe(finite(0.1, 100))),
                    "distance_mm": draw(maybe(finite(1, 1500))),
                }
            )
        )
    return out


@st.composite
def strength_lists(draw: st.DrawFn) -> list[Data]:
    keys = draw(
        st.lists(
            st.tuples(st.sampled_from(muscle_ids()), st.sampled_from(values(Side))),
            unique=True,
            max_size=12,
        )
    )
    grade = st.one_of(st.integers(0, 5), st.sampled_from(["4-", "4+", "3+", "2-"]))
    return [{"muscle": m, "side": s, "mrc": draw(grade)} for m, s in keys]


@st.composite
def infusions(draw: st.DrawFn) -> list[Data]:
    out: list[Data] = []
    for _ in range(draw(st.integers(0, 4))):
        product = draw(st.sampled_from(product_ids()))
        route = draw(st.sampled_from(product_routes(product)))
        out.append(
            drop_missing(
                {
                    "date": draw(iso_dates(date(2024, 1, 1))),
                    "route": route,
                    "product": product,
                    "dose_g": draw(finite(0.5, 500)),
                    "weight_kg": draw(maybe(finite(20, 350))),
                    "lot": draw(maybe(st.text("ABC0123456789", min_size=1, max_size=8))),
                }
            )
        )
    return out


@st.composite
def assessments(draw: st.DrawFn) -> list[Data]:
    out: list[Data] = []
    for _ in range(draw(st.integers(0, 4))):
        device = draw(st.sampled_from(["vigorimeter", "jamar"]))
        out.append(
            drop_missing(
                {
                    "date": draw(iso_dates(date(2024, 1, 1))),
                    "mrc_sum_score": draw(
                        maybe(st.integers(0, 60).map(lambda s: {"score": s, "max": 60}))
                    ),
                    "incat": draw(
                        maybe(
                            st.fixed_dictionaries(
                                {"arm": st.integers(0, 5), "leg": st.integers(0, 5)}
                            )
                        )
                    ),
                    "irods": draw(
                        maybe(
                            st.one_of(
                                st.integers(0, 48).map(lambda r: {"raw": r}),
                                finite(0, 100).map(lambda c: {"centile": c}),
                            )
                        )
                    ),
                    "grip": draw(
                        maybe(
                            st.fixed_dictionaries(
                                {
                                    "left": finite(0, 200),
                                    "right": finite(0, 200),
                                    "unit": st.just("kpa" if device == "vigorimeter" else "kg"),
                                    "device": st.just(device),
                                }
                            )
                        )
                    ),
                    "rankin": draw(maybe(st.integers(0, 6))),
                    "timing": draw(maybe(st.sampled_from(["trough", "peak", "unspecified"]))),
                }
            )
        )
    return out


@st.composite
def cases(draw: st.DrawFn) -> Data:
    """A valid case document with a random subset of sections."""
    patient = drop_missing(
        {
            "sex": draw(maybe(st.sampled_from(values(Sex)))),
            "age_years": draw(maybe(finite(0, 120))),
            "height_cm": draw(maybe(finite(80, 250))),
            "weight_kg": draw(maybe(finite(20, 350))),
            "blood_group": draw(maybe(st.sampled_from(values(BloodGroup)))),
        }
    )
    history = drop_missing(
        {
            # not above the age (decision P11)
            "onset_age_years": draw(maybe(finite(0, patient.get("age_years", 120)))),
            "course": draw(maybe(st.sampled_from(values(Course)))),
            "early_diffuse_symmetric_weakness": draw(maybe(st.booleans())),
            "conditions": draw(
                maybe(st.lists(st.sampled_from(values(Condition)), unique=True, max_size=4))
            ),
        }
    )
    exam = drop_missing(
        {
            "strength": draw(maybe(strength_lists())),
            "sensory": draw(
                maybe(
                    st.fixed_dictionaries({"objective_loss": st.sampled_from(values(SensoryLoss))})
                )
            ),
            "reflexes": draw(
                maybe(st.fixed_dictionaries({"left_upper": st.sampled_from(values(Reflex))}))
            ),
            "umn_signs": draw(maybe(st.fixed_dictionaries({"present": st.just(False)}))),
            "bulbar": draw(maybe(st.sampled_from(["none", "mild", "marked"]))),
        }
    )
    labs = drop_missing(
        {
            "ck_u_l": draw(
                maybe(
                    st.one_of(
                        finite(0, 200_000),
                        finite(0, 5000).map(lambda v: {"value": v, "date": "2025-01-02"}),
                    )
                )
            ),
            "anti_gm1_igm": draw(maybe(st.sampled_from(values(AntiGm1)))),
            "csf": draw(
                maybe(
                    st.fixed_dictionaries(
                        {"protein_g_l": finite(0, 50), "wbc_per_ul": finite(0, 1000)}
                    )
                )
            ),
            "egfr_ml_min": draw(maybe(finite(0, 250))),
        }
    )
    ncs = drop_missing(
        {
            "date": draw(maybe(iso_dates(date(2024, 1, 1)))),
            "temperature_c": draw(maybe(finite(20, 42))),
            "low_frequency_filter_hz": draw(maybe(st.sampled_from([2, 5, 10, 20]))),
            "motor": draw(maybe(motor_studies())),
            "sensory": draw(maybe(sensory_studies())),
        }
    )
    doc = drop_missing(
        {
            "format": "neuroig-case/1",
            "case_id": draw(st.from_regex(r"[a-z][a-z0-9-]{0,20}", fullmatch=True)),
            "patient": draw(maybe(st.just(patient))),
            "history": draw(maybe(st.just(history))),
            "exam": draw(maybe(st.just(exam))),
            "labs": draw(maybe(st.just(labs))),
            "ncs": draw(maybe(st.just(ncs))),
            "infusions": draw(maybe(infusions())),
            "assessments": draw(maybe(assessments())),
            "x_note": draw(maybe(st.text(max_size=20))),
        }
    )
    return doc


def days_after(iso: str, days: int) -> str:
    return (date.fromisoformat(iso) + timedelta(days=days)).isoformat()
