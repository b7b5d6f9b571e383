"""Progressive lower-motor-neuron syndrome without conduction block and the IVIg trial.

Simon, Ayer & Lomen-Hoerth (2013) treated 31 consecutive patients with progressive,
focal-onset, asymmetric, pure LMN weakness and no conduction block with IVIg (2 g/kg,
≥ 3 months): 3/31 responded. All three had distal upper-limb onset, EMG abnormality
confined to clinically weak muscles and a normal CK; that triad was also present in
31 % of the non-responders with distal upper-limb onset. Decision T6: an IVIg trial is
suggested only when the triad is present, with the expected response shown.

References
----------
1. Simon NG, Ayer G, Lomen-Hoerth C. Is IVIg therapy warranted in progressive lower motor
   neuron syndromes without conduction block? Neurology 2013;81(24):2116-2120.
   doi:10.1212/01.wnl.0000437301.28441.7e
"""

from __future__ import annotations

from typing import Any

from neuroig.criteria.context import CaseContext
from neuroig.record import Record
from neuroig.reference.sources import short_cite
from neuroig.tristate import MET, NOT_MET, UNKNOWN, Status, all_of, any_of, from_bool, negate

__all__ = ["CITE", "EXPECTED_RESPONSE", "LmnTrial", "emg_confined_to_weak", "lmn_trial"]

CITE = short_cite("simon2013")
EXPECTED_RESPONSE = (
    "In Simon et al. 2013, 3 of 31 patients (10 %) with a progressive lower-motor-neuron "
    "syndrome without conduction block responded to IVIg (2 g/kg, at least 3 months). All 3 "
    "responders had distal upper-limb onset, EMG abnormality confined to weak muscles and a "
    "normal CK; the same triad was present in 31 % of the non-responders with distal upper-limb "
    "onset, so it is necessary but far from sufficient. Of the non-responders, 43 % later "
    "developed UMN signs, 32 % bulbar symptoms and 25 % were diagnosed with progressive "
    "muscular atrophy."
)


class LmnTrial(Record, frozen=True):
    """Whether the Simon population applies, its triad, and whether to suggest IVIg."""

    applies: Status
    applies_reason: str
    features: dict[str, bool | None]
    suggested: bool | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "applies": self.applies,
            "applies_reason": self.applies_reason,
            "suggested": self.suggested,
            "features": dict(self.features),
            "expected_response": EXPECTED_RESPONSE,
            "cite": CITE,
        }


def _denervated(e: Any) -> bool | None:
    values = [e.fibrillations, e.positive_sharp_waves, e.neurogenic_mup]
    if any(v for v in values):
        return True
    if all(v is not None for v in values):
        return False
    return None


def emg_confined_to_weak(ctx: CaseContext) -> tuple[bool | None, str]:
    """EMG abnormality confined to clinically weak muscles.

    True when every muscle with denervation or neurogenic MUPs is graded below MRC 5 on
    that side and at least one clinically strong muscle was sampled and normal; False
    when a muscle graded 5, or a muscle not graded (e.g. paraspinals), is abnormal;
    None when there is no EMG or it cannot be judged.
    """
    emg = ctx.case.emg or []
    if not emg:
        return None, "no needle EMG recorded"
    grades = ctx.grades or {}
    beyond: list[str] = []
    strong_normal = 0
    undecided = 0
    for e in emg:
        abnormal = _denervated(e)
        grade = grades.get((e.muscle, e.side)) if e.side else None
        if abnormal is None:
            undecided += 1
        elif abnormal and (grade is None or grade >= 5):
            beyond.append(f"{e.side or ''} {e.muscle}".strip())
        elif not abnormal and grade is not None and grade >= 5:
            strong_normal += 1
    if beyond:
        return False, "denervation beyond weak muscles: " + ", ".join(beyond)
    if undecided:
        return None, f"{undecided} EMG muscle(s) incompletely recorded"
    if strong_normal == 0:
        return None, "no clinically strong muscle sampled"
    return True, f"abnormal only in weak muscles; {strong_normal} strong muscle(s) normal"


def lmn_trial(ctx: CaseContext) -> LmnTrial:
    """Decide whether the case is a progressive pure-LMN syndrome without block and
    whether an IVIg trial is suggested (decision T6, Simon 2013)."""
    case = ctx.case
    exam = case.exam
    course = ctx.course
    progressive: Status = (
        UNKNOWN if course is None else from_bool(course in {"progressive", "stepwise_progressive"})
    )
    asym, _ = ctx.asymmetry
    umn = exam.umn_signs if exam else None
    no_umn: Status = UNKNOWN if umn is None else from_bool(not umn.present)
    loss = ctx.sensory_loss
    no_sensory: Status = (
        UNKNOWN if loss is None else from_bool(loss in {"none", "minor_vibration_lower_limbs"})
    )
    bulbar = exam.bulbar if exam else None
    no_bulbar: Status = UNKNOWN if bulbar is None else from_bool(bulbar == "none")
    resp = exam.respiratory if exam else None
    no_resp: Status = UNKNOWN if resp is None else from_bool(not resp)
    weak: Status = UNKNOWN if ctx.limb_grades is None else from_bool(bool(ctx.weak))
    electro = ctx.electro
    nerves = electro.motor if electro else ()
    stimulated = [m for m in nerves if m.segments]
    if not stimulated:
        no_block: Status = UNKNOWN
    else:
        blocks = [
            any_of([m.finding("EFNS-MMN-BLOCK-PROB").status, m.finding("CIDP21-MOT-e").status])
            for m in stimulated
        ]
        no_block = negate(any_of(blocks))
    parts = {
        "progressive": progressive,
        "asymmetric": asym,
        "no UMN signs": no_umn,
        "no sensory loss": no_sensory,
        "no bulbar involvement": no_bulbar,
        "no respiratory involvement": no_resp,
        "weakness": weak,
        "no conduction block (EFNS/PNS 2010 or EAN/PNS 2021)": no_block,
    }
    applies = all_of(list(parts.values()))
    failing = [k for k, v in parts.items() if v == NOT_MET]
    unknown = [k for k, v in parts.items() if v == UNKNOWN]
    reason = (
        "progressive asymmetric pure LMN syndrome without conduction block"
        if applies == MET
        else ("not met: " + ", ".join(failing))
        if failing
        else ("undecided: " + ", ".join(unknown))
    )
    region = case.history.onset_region if case.history else None
    distal_upper: bool | None = (
        None
        if region is None or region.limb is None or region.part is None
        else region.limb == "upper" and region.part == "distal"
    )
    confined, _ = emg_confined_to_weak(ctx)
    labs = case.labs
    ck = labs.value("ck_u_l") if labs else None
    ck_uln = labs.value("ck_uln_u_l") if labs else None
    normal_ck = None if ck is None or ck_uln is None else ck <= ck_uln
    features = {
        "distal_upper_limb_onset": distal_upper,
        "emg_confined_to_weak_muscles": confined,
        "normal_ck": normal_ck,
    }
    triad = all_of([from_bool(v) for v in features.values()])
    if applies == NOT_MET:
        suggested: bool | None = None
    elif applies == MET and triad != UNKNOWN:
        suggested = triad == MET
    else:
        suggested = None
    return LmnTrial(applies, reason, features, suggested)
