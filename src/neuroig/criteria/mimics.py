"""Mimic flags and red flags (EAN/PNS 2021 red flags; decisions C10, C20).

Flags are derived, not published criteria, unless their text says otherwise. Each has
an id, a severity (``info``, ``warn``, ``block`` = a positive exclusion), a text and the
citation behind it.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from typing import Any, Literal

from neuroig.criteria.categories import NOT_EVALUABLE, NOT_FULFILLED
from neuroig.criteria.common import treatment_response
from neuroig.criteria.context import CaseContext
from neuroig.criteria.lmn import CITE as SIMON
from neuroig.criteria.lmn import LmnTrial
from neuroig.criteria.verdict import CriteriaSetResult
from neuroig.record import Record
from neuroig.reference import muscle
from neuroig.reference.sources import author_year, short_cite
from neuroig.reference.thresholds import threshold
from neuroig.tristate import MET, NOT_MET

__all__ = ["Flag", "flags"]

#: Category values that mean "no category assigned".
NO_CATEGORY = frozenset({NOT_FULFILLED, NOT_EVALUABLE})

Severity = Literal["info", "warn", "block"]
DERIVED = "derived flag (decisions C10, C20), not a published criterion"
RF_LIST = short_cite("vandenBergh2021", "EAN/PNS CIDP red flags and differential diagnosis")
LMN_SOURCES = author_year("vandenBergVos2000", "striglPill2006", "simon2013")


class Flag(Record, frozen=True):
    """One raised flag."""

    id: str
    severity: Severity
    text: str
    cite: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "severity": self.severity, "text": self.text, "cite": self.cite}


def _emg_widespread(ctx: CaseContext) -> str | None:
    """LMN-FLAG-EMG-WIDESPREAD: denervation in clinically strong muscles or in ≥ 2 regions
    without clinical weakness (thoracic paraspinals included)."""
    emg = ctx.case.emg or []
    grades = ctx.grades or {}
    weak_regions = {muscle(m).region for m, _, _ in ctx.weak}
    strong_hits: list[str] = []
    regions: set[str] = set()
    for e in emg:
        if not (e.fibrillations or e.positive_sharp_waves or e.neurogenic_mup):
            continue
        grade = grades.get((e.muscle, e.side)) if e.side else None
        region = muscle(e.muscle).region
        if grade is not None and grade >= 5:
            strong_hits.append(f"{e.side} {e.muscle}")
        if region not in weak_regions:
            regions.add(region)
    if strong_hits or len(regions) >= 2:
        parts = []
        if strong_hits:
            parts.append("in clinically strong muscles: " + ", ".join(strong_hits))
        if regions:
            parts.append("in regions without weakness: " + ", ".join(sorted(regions)))
        return "; ".join(parts)
    return None


def flags(
    ctx: CaseContext,
    sets: dict[str, CriteriaSetResult],
    trial: LmnTrial,
) -> list[Flag]:
    """Every flag raised for the case, most severe first."""
    case = ctx.case
    exam = case.exam
    labs = case.labs
    history = case.history
    conds = set(history.conditions or ()) if history else set()
    out: list[Flag] = []

    def add(fid: str, severity: Severity, text: str, cite: str = DERIVED) -> None:
        out.append(Flag(fid, severity, text, cite))

    # ---- MMN versus ALS / other LMN syndromes
    umn = _umn_signs(ctx)
    if umn:
        add(
            "LMN-FLAG-UMN",
            "warn",
            "upper motor neuron signs ("
            + "; ".join(umn)
            + ") strongly argue against MMN and for motor neuron disease (C20)",
        )
    sbma = _sbma(ctx)
    if sbma:
        add("LMN-FLAG-SBMA", "warn", sbma)
    hirayama = _hirayama(ctx)
    if hirayama:
        add("LMN-FLAG-HIRAYAMA", "warn", hirayama)
    bulbar = exam.bulbar if exam else None
    if (bulbar in {"mild", "marked"}) or (exam and exam.respiratory):
        what = [f"bulbar {bulbar}"] if bulbar in {"mild", "marked"} else []
        if exam and exam.respiratory:
            what.append("respiratory involvement")
        add("LMN-FLAG-BULB-RESP", "warn", ", ".join(what) + ": against MMN")
    wide = _emg_widespread(ctx)
    if wide:
        add("LMN-FLAG-EMG-WIDESPREAD", "warn", f"active or chronic denervation {wide}: against MMN")
    ck = labs.value("ck_u_l") if labs else None
    ck_uln = labs.value("ck_uln_u_l") if labs else None
    if ck is not None and ck_uln is not None and ck > ck_uln:
        add(
            "LMN-FLAG-CK",
            "warn",
            f"CK {ck:g} U/L above the lab ULN {ck_uln:g}: commoner in IVIg non-responders and in "
            "MND",
            LMN_SOURCES,
        )
    # the triad answers the LMN-without-block question only (not, e.g., definite MMN)
    if trial.applies != NOT_MET and all(v is True for v in trial.features.values()):
        add(
            "LMN-FLAG-SIMON-TRIAD",
            "info",
            "distal upper-limb onset, EMG confined to weak muscles and normal CK: the triad of all "
            "IVIg responders in Simon 2013 (necessary, not sufficient)",
            SIMON,
        )
    gm1 = labs.value("anti_gm1_igm") if labs else None
    if gm1 in {"positive", "high_titer"}:
        add(
            "LMN-FLAG-GM1",
            "info",
            f"IgM anti-GM1 {gm1.replace('_', ' ')}: favours MMN and IVIg response",
            "Strigl-Pill 2006; Van den Berg-Vos 2000",
        )

    # ---- CIDP exclusions (C11) and red flags
    cidp = sets.get("cidp_ean_pns_2021")
    if cidp is not None:
        for c in cidp.criteria:
            if c.kind == "exclusion" and c.status == MET:
                add(c.id, "block", f"{c.statement}: {c.reason} — excluded from CIDP (C11)", c.cite)
    pp = labs.paraprotein if labs else None
    if pp and pp.present:
        if pp.isotype == "igm" and (labs is None or labs.value("anti_mag") is None):
            add(
                "RF-IGM-NO-MAG-TEST",
                "warn",
                "IgM paraprotein without an anti-MAG result: test anti-MAG antibodies (C11)",
                RF_LIST,
            )
        if pp.light_chain == "lambda" and (labs is None or labs.value("vegf_elevated") is None):
            add(
                "RF-LAMBDA-NO-VEGF",
                "warn",
                "lambda paraprotein without a VEGF result: measure VEGF to exclude POEMS (C11)",
                RF_LIST,
            )
        add(
            "RF-PARAPROTEIN",
            "info",
            f"paraprotein ({pp.isotype or 'isotype ?'} {pp.light_chain or ''}".strip()
            + "): IgG/IgA MGUS do not exclude CIDP; consider hyperviscosity before IVIg",
            RF_LIST,
        )
    poems = sorted(
        conds & {"weight_loss", "organomegaly", "oedema", "skin_changes", "sclerotic_bone_lesions"}
    )
    if poems or (labs and labs.value("vegf_elevated") is True):
        add(
            "RF-POEMS-FEATURES",
            "warn",
            "POEMS features ("
            + ", ".join(poems + (["raised VEGF"] if labs and labs.value("vegf_elevated") else []))
            + "): check lambda light chain, VEGF and bone survey",
            RF_LIST,
        )
    cmt = _cmt(ctx, conds)
    if cmt is not None:
        add("RF-CMT", cmt[0], cmt[1], RF_LIST)
    entrapment = _focal_entrapment(ctx)
    if entrapment:
        add("RF-FOCAL-ENTRAPMENT", "warn", entrapment)
    dlrpn = _dlrpn(ctx, conds)
    if dlrpn:
        add("RF-DLRPN", "warn", dlrpn, RF_LIST)
    if "diabetes" in conds or "insulin_treated_diabetes" in conds:
        add(
            "RF-DIABETES",
            "warn",
            "diabetes: diabetic neuropathy alone can produce borderline demyelinating values; "
            "apply the thresholds strictly",
            RF_LIST,
        )
    csf = labs.csf if labs else None
    if csf and csf.wbc_per_ul is not None and csf.wbc_per_ul >= 10:
        add(
            "RF-CSF-PLEOCYTOSIS",
            "warn",
            f"CSF {csf.wbc_per_ul:g} leukocytes/µL: consider infection (Lyme, HIV), lymphoma or "
            "sarcoidosis",
            RF_LIST,
        )
    if csf and csf.protein_g_l is not None and csf.protein_g_l >= 1.0:
        add(
            "RF-CSF-PROTEIN-1G",
            "info",
            f"CSF protein {csf.protein_g_l:g} g/L (≥ 1 g/L) favours CIDP or another cause over MMN",
            "EFNS/PNS 2010 MMN guideline, Table 3",
        )
    nodal = labs.value("nodal_paranodal_antibodies") if labs else None
    tremor_ataxia = bool(exam and (exam.tremor or (exam.sensory and exam.sensory.ataxia)))
    if nodal is None and tremor_ataxia and cidp is not None and cidp.phenotype is not None:
        add(
            "RF-NODOPATHY",
            "warn",
            "tremor or sensory ataxia with a CIDP phenotype: test nodal/paranodal antibodies (C11)",
            RF_LIST,
        )
    for cond, fid, text in (
        ("neurotoxic_drugs", "RF-NEUROTOXIC", "neurotoxic drug exposure may cause the neuropathy"),
        ("lyme_disease", "RF-LYME", "Borrelia infection must be excluded"),
        (
            "sphincter_disturbance",
            "RF-SPHINCTER",
            "prominent sphincter disturbance is against CIDP",
        ),
        (
            "prominent_pain",
            "RF-PAIN",
            "prominent pain: consider vasculitis, diabetic radiculoplexus neuropathy, amyloid",
        ),
        (
            "autonomic_involvement",
            "RF-AUTONOMIC",
            "prominent autonomic involvement: consider amyloidosis",
        ),
        ("hiv", "RF-HIV", "HIV infection can cause a demyelinating neuropathy"),
        (
            "malignancy",
            "RF-MALIGNANCY",
            "malignancy: consider paraneoplastic neuropathy or lymphomatous infiltration",
        ),
    ):
        if cond in conds:
            add(fid, "warn", text, RF_LIST)
    nadir = history.time_to_nadir_weeks if history else None
    if nadir is not None and nadir <= 4:
        add(
            "RF-RAPID-ONSET",
            "warn",
            f"nadir within {nadir:g} weeks: consider GBS (or acute-onset CIDP, C12)",
            RF_LIST,
        )
    if exam and (exam.respiratory or exam.cranial_nerves) and cidp is not None and cidp.phenotype:
        add(
            "RF-CRANIAL-RESP",
            "warn",
            "respiratory or cranial nerve involvement with a CIDP phenotype: consider nodopathy "
            "or GBS",
            RF_LIST,
        )
    if ctx.electro is not None:
        for w in ctx.electro.warnings:
            add("RF-TEMPERATURE", "warn", w, "decision E11")
        for m in ctx.electro.motor:
            if m.nerve == "median" and m.finding("CIDP21-MOT-a").status == MET:
                add(
                    "RF-MEDIAN-CTS",
                    "info",
                    f"{m.side} median distal latency prolonged: exclude carpal tunnel syndrome "
                    "before "
                    "counting it (EAN/PNS 2021 criterion a)",
                    RF_LIST,
                )

    # ---- overlap (decision C10)
    mmn = sets.get("mmn_efns_pns_2010")
    if (
        mmn is not None
        and cidp is not None
        and mmn.category not in NO_CATEGORY
        and cidp.category not in NO_CATEGORY
    ):
        add(
            "OVERLAP-MMN-CIDP",
            "warn",
            f"both MMN ({mmn.category}) and CIDP ({cidp.category.replace('_', ' ')}) criteria are "
            "met: "
            "sensory signs and sensory conduction across the blocked segments separate them",
            "decision C10",
        )
    order = {"block": 0, "warn": 1, "info": 2}
    return sorted(out, key=lambda f: order[f.severity])


def _uniform_slowing(ctx: CaseContext) -> str | None:
    """Uniform slowing (derived): ≥ 3 motor nerves each with CV ≤ 70 % of LLN and no block
    or dispersion in any of them — suggests a hereditary neuropathy."""
    electro = ctx.electro
    if electro is None or len(electro.motor) < 3:
        return None
    slowed = [m for m in electro.motor if m.finding("CIDP21-MOT-b").status == MET]
    focal = [
        m
        for m in electro.motor
        if m.finding("CIDP21-MOT-e").status == MET or m.finding("CIDP21-MOT-f").status == MET
    ]
    if len(slowed) == len(electro.motor) and not focal:
        return f"uniform slowing in all {len(slowed)} motor nerves without block or dispersion"
    return None


_IMMUNE = frozenset(
    {"ivig", "scig", "prednisone", "methylprednisolone", "dexamethasone", "plasma_exchange"}
)


def _umn_signs(ctx: CaseContext) -> list[str]:
    """UMN signs in any limb (C20): recorded signs, or brisk reflexes — a brisk reflex in a
    weak, wasted limb (e.g. a flail arm) is an upper motor neuron sign."""
    exam = ctx.case.exam
    out: list[str] = []
    if exam and exam.umn_signs and exam.umn_signs.present:
        out.append(", ".join(exam.umn_signs.signs or ["unspecified"]))
    weak = ctx.weak_limbs or set()
    for limb in ("left_upper", "right_upper", "left_lower", "right_lower"):
        if ctx.reflex(limb) == "brisk":
            where = limb.replace("_", " ") + " limb"
            out.append(f"brisk reflexes in the {where}" + (" (weak)" if limb in weak else ""))
    return out


def _low_snaps(ctx: CaseContext) -> tuple[list[str], bool]:
    """Sensory nerves with an abnormal study, and whether any sensory nerve was studied."""
    electro = ctx.electro
    if electro is None or not electro.sensory:
        return [], False
    return [f"{s.side} {s.nerve}" for s in electro.sensory if s.abnormal is True], True


def _sbma(ctx: CaseContext) -> str | None:
    """LMN-FLAG-SBMA (C20): a man with bulbar LMN signs and low or unstudied SNAPs.

    Gynaecomastia and the androgen-receptor CAG repeat are not fields of the case
    format: the flag says they are unknown and asks for them.
    """
    case = ctx.case
    exam = case.exam
    if case.patient is None or case.patient.sex != "male" or exam is None:
        return None
    if exam.bulbar not in {"mild", "marked"}:
        return None
    low, studied = _low_snaps(ctx)
    if studied and not low:
        return None
    snaps = (
        "low sensory potentials in " + ", ".join(low) if low else "sensory potentials not studied"
    )
    return (
        f"man with {exam.bulbar} bulbar involvement and {snaps}: consider spinal-bulbar "
        "muscular atrophy (Kennedy disease); gynaecomastia and the androgen-receptor CAG "
        "repeat are not recorded — examine and test"
    )


def _hirayama(ctx: CaseContext) -> str | None:
    """LMN-FLAG-HIRAYAMA (C20): onset before 25 years with asymmetric weakness confined
    to the distal upper limbs. The flexion cervical MRI is not a case field: named as
    the test to do."""
    onset = ctx.onset_age_years
    t = threshold("c20.hirayama.onset_age_years")
    if onset is None or not t.holds(onset):
        return None
    parts = ctx.weak_parts
    if not parts or parts != {("upper", "distal")}:
        return None
    if ctx.asymmetry[0] != MET and len(ctx.weak_limbs or set()) != 1:
        return None
    if ctx.sensory_loss not in (None, "none"):
        return None
    return (
        f"onset at {onset:.0f} years with asymmetric distal upper-limb weakness: consider "
        "Hirayama disease (juvenile monomelic amyotrophy); cervical MRI in flexion is not "
        "recorded — request it"
    )


def _cmt(ctx: CaseContext, conds: AbstractSet[str]) -> tuple[Severity, str] | None:
    """RF-CMT weighing the course (C20): a relapsing course or an objective response to
    immunotherapy argues against a hereditary neuropathy. With such evidence, uniform
    slowing or pes cavus alone no longer raise the flag; a family history still does,
    as information that names the evidence against it."""
    hered = sorted(conds & {"family_history_neuropathy", "pes_cavus"})
    uniform = _uniform_slowing(ctx)
    if not hered and not uniform:
        return None
    against: list[str] = []
    if ctx.course == "relapsing_remitting":
        against.append("relapsing course")
    response, _, _ = treatment_response(ctx, therapies=_IMMUNE)
    if response == MET:
        against.append("objective response to immunotherapy")
    pattern = ", ".join(x.replace("_", " ") for x in hered) + (
        ("; " if hered else "") + uniform if uniform else ""
    )
    if not against:
        return "warn", f"hereditary neuropathy pattern ({pattern})"
    if "family_history_neuropathy" not in hered:
        return None
    return (
        "info",
        f"hereditary neuropathy pattern ({pattern}); against it: {', '.join(against)}",
    )


def _focal_entrapment(ctx: CaseContext) -> str | None:
    """RF-FOCAL-ENTRAPMENT (C20): the only abnormal motor segment crosses an entrapment
    site (slowing below the LLN or a block grade there) and the weakness, if recorded,
    lies in that nerve's territory alone — a focal entrapment neuropathy (e.g. ulnar
    neuropathy at the elbow), not MMN or CIDP."""
    electro = ctx.electro
    if electro is None:
        return None
    focal: list[tuple[str, str, str]] = []
    elsewhere = False
    for m in electro.motor:
        for seg in m.segments:
            slow = seg.velocity_pct_lln is not None and seg.velocity_pct_lln < 100
            drop = seg.efns.grade in {"definite", "probable"} or seg.ean_block is True
            if seg.entrapment is not None and (slow or drop):
                focal.append((m.side, m.nerve, seg.entrapment))
            elif drop or (slow and seg.kind == "segmental"):
                elsewhere = True
    nerves = {(side, nerve) for side, nerve, _ in focal}
    if len(nerves) != 1 or elsewhere:
        return None
    side, nerve = next(iter(nerves))
    terr = ctx.territories
    if terr is not None and terr - {(nerve, side)}:
        return None
    zone = focal[0][2]
    return (
        f"single focal neuropathy: {side} {nerve} abnormal only across the {zone}, an "
        "entrapment site — consider entrapment neuropathy rather than MMN or CIDP"
    )


def _dlrpn(ctx: CaseContext, conds: AbstractSet[str]) -> str | None:
    """RF-DLRPN (C20): diabetes with asymmetric proximal leg weakness; pain and weight
    loss (recorded as conditions) complete the picture."""
    if not conds & {"diabetes", "insulin_treated_diabetes"}:
        return None
    parts = ctx.weak_parts
    if not parts or ("lower", "proximal") not in parts:
        return None
    if ctx.asymmetry[0] != MET:
        return None
    features = [
        name
        for cond, name in (("prominent_pain", "pain"), ("weight_loss", "weight loss"))
        if cond in conds
    ]
    absent = [
        name
        for cond, name in (("prominent_pain", "pain"), ("weight_loss", "weight loss"))
        if cond not in conds
    ]
    return (
        "diabetes with asymmetric proximal leg weakness"
        + (f", {' and '.join(features)}" if features else "")
        + ": consider diabetic lumbosacral radiculoplexus neuropathy"
        + (f" ({' and '.join(absent)} not recorded)" if absent else "")
    )
