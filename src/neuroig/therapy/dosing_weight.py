"""Dosing weight for immunoglobulin (decision T1).

Policies
--------
``actual``
    The patient's actual body weight.
``bloodstar-2026`` (default)
    Australia's BloodSTAR rule from 1 July 2026: adjusted body weight
    ``IBW + 0.4 × (actual − IBW)`` with IBW by Devine; actual weight when the
    patient is under 18, shorter than 152 cm, pregnant, or when the actual weight
    is below the adjusted weight.
``ontario-igum-5``
    Ontario IGUM v5.0: the same adjusted weight when height ≥ 152.4 cm and
    weight > 50 kg (male) / > 45.5 kg (female); otherwise actual weight. In
    pregnancy the pre-pregnancy weight is used (it must be given).

References
----------
1. National Blood Authority (AU). Adjusting immunoglobulin dose for ideal body
   weight (BloodSTAR calculator); Lifeblood notice "Coming 1 July 2026: adjusted
   body weight Ig dosing in BloodSTAR" (2026).
2. Ontario Ministry of Health. InfoBulletin 250407: IGUM guidelines v5.0 (2024).
3. Devine BJ. Gentamicin therapy. Drug Intell Clin Pharm 1974;8:650-655 (IBW).
"""

from __future__ import annotations

from typing import Literal

from neuroig.errors import InputError
from neuroig.record import Record
from neuroig.therapy.params import param_list, param_value

__all__ = ["POLICIES", "DosingWeight", "WeightPolicy", "dosing_weight", "ideal_body_weight_kg"]

WeightPolicy = Literal["actual", "bloodstar-2026", "ontario-igum-5"]
POLICIES: tuple[WeightPolicy, ...] = ("actual", "bloodstar-2026", "ontario-igum-5")

#: NBA converts centimetres to inches with this factor (BloodSTAR calculator).
CM_TO_IN = 0.393701
# The policies' numbers (adjustment factor 0.4, BloodSTAR's age and height, Ontario's
# height and weights) are rows of data/therapy.toml (DOSING-*, BLOODSTAR-*, ONTARIO-*).


class DosingWeight(Record, frozen=True):
    """The weight a dose is calculated on, with how and why it was chosen."""

    kg: float
    policy: WeightPolicy
    actual_kg: float
    ibw_kg: float | None
    adjusted_kg: float | None
    reason: str


def ideal_body_weight_kg(*, height_cm: float, sex: str) -> float:
    """Ideal body weight by Devine: 50 kg (male) / 45.5 kg (female) + 2.3 kg per inch over 60.

    Raises
    ------
    InputError
        When ``sex`` is not ``male`` or ``female`` (the formula has no other form).
    """
    if sex not in ("male", "female"):
        raise InputError(
            "patient.sex",
            sex,
            "must be male or female for the Devine ideal body weight",
            "use --weight-policy actual",
        )
    base = 50.0 if sex == "male" else 45.5
    return base + 2.3 * (height_cm * CM_TO_IN - 60.0)


def dosing_weight(
    *,
    weight_kg: float,
    height_cm: float | None,
    sex: str | None,
    age_years: float | None,
    pregnant: bool = False,
    policy: WeightPolicy = "bloodstar-2026",
    pre_pregnancy_weight_kg: float | None = None,
) -> DosingWeight:
    """Return the dosing weight under ``policy`` (decision T1), rounded to 0.01 kg.

    Never above the actual weight, under every policy (decision T22): a policy weight
    above it (Ontario's adjusted weight of a thin, tall patient; a pre-pregnancy weight
    above the current one) is replaced by the actual weight and the reason says so.

    Raises
    ------
    InputError
        Unknown policy, or a policy that needs height, sex or age that is missing.
    """
    dw = _policy_weight(
        weight_kg=weight_kg,
        height_cm=height_cm,
        sex=sex,
        age_years=age_years,
        pregnant=pregnant,
        policy=policy,
        pre_pregnancy_weight_kg=pre_pregnancy_weight_kg,
    )
    if dw.kg > round(weight_kg, 2):
        return DosingWeight(
            round(weight_kg, 2),
            dw.policy,
            weight_kg,
            dw.ibw_kg,
            dw.adjusted_kg,
            f"actual weight: the {policy} weight {dw.kg:.2f} kg ({dw.reason}) would exceed the "
            f"actual weight {weight_kg:g} kg - a dosing weight never exceeds it (decision T22)",
        )
    return dw


def _policy_weight(
    *,
    weight_kg: float,
    height_cm: float | None,
    sex: str | None,
    age_years: float | None,
    pregnant: bool,
    policy: WeightPolicy,
    pre_pregnancy_weight_kg: float | None,
) -> DosingWeight:
    if policy not in POLICIES:
        raise InputError("weight_policy", policy, f"must be one of: {', '.join(POLICIES)}")
    if policy == "actual":
        return DosingWeight(
            round(weight_kg, 2), policy, weight_kg, None, None, "actual body weight"
        )
    if height_cm is None:
        raise InputError(
            "patient.height_cm",
            None,
            f"is required by the {policy} policy",
            "record the height or use --weight-policy actual",
        )
    if sex is None:
        raise InputError(
            "patient.sex",
            None,
            f"is required by the {policy} policy",
            "record the sex or use --weight-policy actual",
        )
    if age_years is None and policy == "bloodstar-2026":
        raise InputError(
            "patient.age_years",
            None,
            "is required by the bloodstar-2026 policy (age < 18 rule)",
            "record birth_date or age_years",
        )
    factor = param_value("DOSING-ADJUSTMENT-FACTOR")
    ibw = ideal_body_weight_kg(height_cm=height_cm, sex=sex)
    adjusted = ibw + factor * (weight_kg - ibw)
    ibw_r, adj_r = round(ibw, 2), round(adjusted, 2)

    def actual(reason: str) -> DosingWeight:
        return DosingWeight(round(weight_kg, 2), policy, weight_kg, ibw_r, adj_r, reason)

    if policy == "bloodstar-2026":
        min_age = param_value("BLOODSTAR-MIN-AGE-YEARS")
        min_height = param_value("BLOODSTAR-MIN-HEIGHT-CM")
        if age_years is not None and age_years < min_age:
            return actual(f"actual weight: age under {min_age:g} (BloodSTAR exclusion)")
        if height_cm < min_height:
            return actual(f"actual weight: height under {min_height:g} cm (BloodSTAR exclusion)")
        if pregnant:
            return actual("actual weight: pregnancy (BloodSTAR exclusion)")
        if weight_kg < adjusted:
            return actual(
                "actual weight: actual is below the adjusted weight (BloodSTAR exclusion)"
            )
        return DosingWeight(
            adj_r,
            policy,
            weight_kg,
            ibw_r,
            adj_r,
            f"adjusted weight = IBW {ibw_r:.2f} + {factor:g} × ({weight_kg:g} − {ibw_r:.2f}) "
            "(BloodSTAR 2026)",
        )
    # ontario-igum-5
    base_weight = weight_kg
    note = ""
    if pregnant:
        if pre_pregnancy_weight_kg is None:
            raise InputError(
                "pre_pregnancy_weight_kg",
                None,
                "is required by ontario-igum-5 in pregnancy",
                "Ontario doses on the pre-pregnancy weight",
            )
        base_weight = pre_pregnancy_weight_kg
        adjusted = ibw + factor * (base_weight - ibw)
        adj_r = round(adjusted, 2)
        note = " on the pre-pregnancy weight"
    male_kg, female_kg = param_list("ONTARIO-MIN-WEIGHT-KG")
    threshold = male_kg if sex == "male" else female_kg
    min_height = param_value("ONTARIO-MIN-HEIGHT-CM")
    if height_cm < min_height or base_weight <= threshold:
        return DosingWeight(
            round(base_weight, 2),
            policy,
            weight_kg,
            ibw_r,
            adj_r,
            f"actual weight{note}: below the Ontario calculator's height ({min_height:g} cm) or "
            f"weight ({threshold:g} kg) threshold",
        )
    return DosingWeight(
        adj_r,
        policy,
        weight_kg,
        ibw_r,
        adj_r,
        f"adjusted weight{note} = IBW {ibw_r:.2f} + {factor:g} × ({base_weight:g} − {ibw_r:.2f}) "
        "(Ontario IGUM v5)",
    )
