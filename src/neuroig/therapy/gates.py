"""Diagnosis and history gates (decisions T14, T15, T16).

A gate is a :class:`~neuroig.therapy.model.Finding` on the regimen line: a ``block``
stops the plan unless it is overridden with a reason (``--override ID=REASON``), a
``warn`` says what is unconfirmed. Every immunotherapy neuroig plans (IVIg, SCIg,
prednisone, plasma exchange) is gated.

* T14 — the assessment points elsewhere: a raised flag with a gate in
  ``data/therapy.toml`` (positive exclusions and mimics block; red flags block when no
  criteria set is met, conditional or reachable, and warn otherwise); no set met,
  conditional or reachable and no IVIg trial suggested (Simon 2013) → block; a possible,
  conditional or only reachable category → warn naming it.
* T15 — EFNS/PNS 2010 MMN met (any category, or conditional/reachable) and no CIDP set
  met: corticosteroids and plasma exchange are a block (ineffective, may worsen).
* T16 — a recorded course of the same therapy that worsened, was stopped as ineffective
  or for an adverse event, or (immunoglobulin) was classified non-responder (decision M2)
  after an adequate trial (≥ 2 g/kg loading, ≥ 12 weeks) → block naming the course.

References
----------
1. Van den Bergh PYK, et al. EAN/PNS guideline on CIDP, second revision. Eur J Neurol
   2021;28:3556-83 (exclusions; nodopathy; IVIg trial judged at 12 weeks).
2. Joint Task Force of the EFNS and the PNS. MMN guideline, first revision. J Peripher
   Nerv Syst 2010;15:295-301 (corticosteroids not recommended; exclusion of MND).
3. Simon NG, Ayer G, Lomen-Hoerth C. Neurology 2013;81:2116-20.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from neuroig.case import Case
from neuroig.diagnosis import UNCONFIRMED_CATEGORIES, DiagnosisContext
from neuroig.monitoring.course_judgement import course_responses
from neuroig.record import Record
from neuroig.therapy.citations import EAN21, EFNS10, MMN_STEROIDS, SIMON13
from neuroig.therapy.model import Finding
from neuroig.therapy.params import flag_gates, param_value

if TYPE_CHECKING:
    pass

__all__ = [
    "THERAPY_CLASS",
    "FailedCourse",
    "diagnosis_gates",
    "failed_courses",
    "history_gates",
]


#: Regimen kind → the therapies of the case format that count as "the same therapy" (T16).
THERAPY_CLASS: dict[str, frozenset[str]] = {
    "ivig-induction": frozenset({"ivig", "scig"}),
    "ivig-maintenance": frozenset({"ivig", "scig"}),
    "scig": frozenset({"ivig", "scig"}),
    "prednisone": frozenset({"prednisone", "methylprednisolone", "dexamethasone"}),
    "plasma-exchange": frozenset({"plasma_exchange"}),
}
#: An adverse-event stop counts for the same route only (SCIg is the usual answer to an
#: IVIg reaction): regimen kind → therapies (local decision in T16).
_SAME_ROUTE: dict[str, frozenset[str]] = {
    "ivig-induction": frozenset({"ivig"}),
    "ivig-maintenance": frozenset({"ivig"}),
    "scig": frozenset({"scig"}),
    "prednisone": THERAPY_CLASS["prednisone"],
    "plasma-exchange": THERAPY_CLASS["plasma-exchange"],
}
_NAME = {
    "ivig-induction": "immunoglobulin",
    "ivig-maintenance": "immunoglobulin",
    "scig": "immunoglobulin",
    "prednisone": "corticosteroids",
    "plasma-exchange": "plasma exchange",
}
_HX_ID = {
    "ivig-induction": "GATE-HX-IG",
    "ivig-maintenance": "GATE-HX-IG",
    "scig": "GATE-HX-IG",
    "prednisone": "GATE-HX-STEROIDS",
    "plasma-exchange": "GATE-HX-PLEX",
}
_IG = ("ivig-induction", "ivig-maintenance", "scig")


def _block(fid: str, text: str, source: str, *, verified: bool = True) -> Finding:
    return Finding(fid, "block", text, source, verified=verified, applies_to="regimen")


def _warn(fid: str, text: str, source: str, *, verified: bool = True) -> Finding:
    return Finding(fid, "warn", text, source, verified=verified, applies_to="regimen")


def _describe(ctx: DiagnosisContext) -> str:
    met = [f"{s.id} {s.category}" for s in ctx.met_sets]
    open_ = [
        f"{s.id} "
        + (
            f"conditionally {s.conditional_category}"
            if s.conditional_category not in (None, "not_fulfilled")
            else f"reachable {s.reachable}"
        )
        for s in ctx.open_sets
    ]
    return "; ".join(met + open_) or "no criteria set met, conditional or reachable"


def _lmn_trial_suggested(ctx: DiagnosisContext) -> bool:
    return ctx.lmn_without_block is True and ctx.lmn_mmn_like_triad is True


def diagnosis_gates(
    ctx: DiagnosisContext, *, kind: str, trial_failed: str | None = None
) -> list[Finding]:
    """T14 and T15 gates of the regimen ``kind`` for the assessment ``ctx``.

    ``trial_failed`` names a failed adequate IVIg trial (T16): it answers the LMN trial
    question, so a suggested trial no longer supports immunoglobulin.
    """
    out: list[Finding] = []
    supported = bool(ctx.met_sets or ctx.open_sets)
    therapy = _NAME[kind]
    gates = flag_gates()
    by_id: dict[str, list[tuple[str, bool, str, str, bool]]] = {}
    for flag in ctx.flags:
        g = gates.get(flag)
        if g is None:
            continue
        by_id.setdefault(g.id, []).append((flag, g.confirmed, g.text, g.source, g.verified))
    for gid, hits in by_id.items():
        block = any(confirmed for _, confirmed, _, _, _ in hits) or not supported
        what = "; ".join(f"{text} ({flag})" for flag, _, text, _, _ in hits)
        source = "; ".join(dict.fromkeys(src for _, _, _, src, _ in hits)) + "; decision T14"
        verified = all(v for *_, v in hits)
        if block:
            out.append(
                _block(
                    gid,
                    f"{therapy} is not indicated: the assessment points elsewhere - {what}",
                    source,
                    verified=verified,
                )
            )
        else:
            out.append(
                _warn(
                    gid,
                    f"{what}: confirm or exclude it before continuing {therapy} ({_describe(ctx)})",
                    source,
                    verified=verified,
                )
            )
    blocked = any(f.severity == "block" for f in out)
    if not supported and not blocked:
        trial = _lmn_trial_suggested(ctx) and kind in _IG and trial_failed is None
        if not trial:
            why = "no criteria set is met, conditional or reachable"
            if ctx.lmn_without_block is True:
                why += " and the IVIg trial of a lower motor neuron syndrome without block is " + (
                    f"answered: trial done, no response ({trial_failed})"
                    if trial_failed
                    else "not suggested"
                    if ctx.lmn_mmn_like_triad is False
                    else "not decided (the MMN-like triad is incomplete)"
                    if ctx.lmn_mmn_like_triad is None
                    else "an IVIg trial only, not this regimen"
                )
            out.append(
                _block(
                    "GATE-DX-NONE",
                    f"{therapy} is not indicated: {why}",
                    f"{EAN21}; {EFNS10}; {SIMON13}; decision T14",
                )
            )
            blocked = True
    if kind in ("prednisone", "plasma-exchange"):
        mmn = next((s for s in ctx.sets if s.id == "mmn_efns_pns_2010"), None)
        if mmn is not None:
            mmn_any = mmn.met or mmn.open
            mmn_text = mmn.category if mmn.met else _describe(DiagnosisContext(sets=(mmn,)))
        else:
            mmn_any = ctx.mmn is not False and ctx.mmn_category is not None
            mmn_text = str(ctx.mmn_category)
        if mmn_any and not ctx.cidp_met:
            fid = "GATE-MMN-STEROIDS" if kind == "prednisone" else "GATE-MMN-PLEX"
            out.append(
                _block(
                    fid,
                    f"MMN ({mmn_text}) and no CIDP set met: {therapy} - ineffective in MMN and "
                    "may worsen it",
                    f"{EFNS10} good practice points; {MMN_STEROIDS}; decision T15",
                )
            )
            blocked = True
    if not blocked and supported:
        strong = [s for s in ctx.met_sets if s.category in ("definite", "probable", "cidp")]
        if not strong:
            out.append(
                _warn(
                    "GATE-DX-UNCONFIRMED",
                    f"the diagnosis is not confirmed ({_describe(ctx)}): {therapy} is planned on "
                    "a possible, conditional or only reachable category - complete the missing "
                    "data",
                    f"{EAN21}; {EFNS10}; decision T14",
                )
            )
        elif (ean := next((x for x in ctx.sets if x.id == "cidp_ean_pns_2021"), None)) and (
            not ean.met
            and ean.conditional_category is not None
            and ean.conditional_category not in UNCONFIRMED_CATEGORIES
        ):
            # Another (older) set is met, but the current guideline is only conditional:
            # an exclusion it requires is not recorded (e.g. IgM paraprotein with anti-MAG
            # for the distal phenotype, C19). Say so beside the plan (T14).
            out.append(
                _warn(
                    "GATE-DX-UNCONFIRMED",
                    f"EAN/PNS 2021 CIDP is only conditionally {ean.conditional_category}: an "
                    f"exclusion it requires is not recorded ({_describe(ctx)}) - record it "
                    f"before continuing {therapy}",
                    f"{EAN21}; decision T14",
                )
            )
    return out


class FailedCourse(Record, frozen=True):
    """A recorded course that answers "has this therapy failed?" (T16)."""

    key: str
    therapy: str
    start: date
    end: date | None
    reasons: tuple[str, ...]
    adequate_ivig_trial: bool

    def describe(self) -> str:
        span = f"{self.start} to {self.end}" if self.end else f"from {self.start}"
        return f"{self.key} {self.therapy} {span}: {'; '.join(self.reasons)}"


def _loading_g_per_kg(case: Case, first: date, end: date, kg: float) -> float:
    grams = sum(
        i.dose_g for i in case.infusions or () if i.route == "iv" and first <= i.date <= end
    )
    return grams / kg


def failed_courses(
    case: Case,
    *,
    kind: str,
    before: date,
    dosing_kg: float | None,
    mmn: bool | None,
) -> list[FailedCourse]:
    """Courses of the same therapy as ``kind`` that worsened, were stopped as ineffective
    or for an adverse event, or (Ig) were classified non-responder after an adequate trial.

    ``dosing_kg`` is the dosing weight the IVIg loading is judged on (2 g/kg, within the
    2.5 g of Ontario's rounding — local decision in T16); None skips the classification.
    """
    same = THERAPY_CLASS[kind]
    route = _SAME_ROUTE[kind]
    found: dict[str, FailedCourse] = {}
    for i, t in enumerate(case.treatments or ()):
        if t.start >= before or t.therapy not in same:
            continue
        reasons = []
        if t.response == "worsened":
            reasons.append("recorded as worsened" + (" (objective)" if t.objective else ""))
        if t.stopped_because == "ineffective":
            reasons.append("stopped as ineffective")
        if t.stopped_because == "adverse_event" and t.therapy in route:
            reasons.append("stopped for an adverse event")
        if reasons:
            key = f"treatments[{i}]"
            found[key] = FailedCourse(key, t.therapy, t.start, t.end, tuple(reasons), False)
    if kind in _IG and dosing_kg:
        loading = param_value("IVIG-TRIAL-LOADING")
        weeks = param_value("IVIG-TRIAL-WEEKS")
        for r in course_responses(case, mmn=mmn):
            if r.therapy != "ivig" or r.response != "non_responder" or r.first_dose >= before:
                continue
            last = r.follow_up_date or r.end or r.first_dose
            g_kg = _loading_g_per_kg(case, r.first_dose, r.induction_end, dosing_kg)
            enough_dose = g_kg * dosing_kg >= loading * dosing_kg - 2.5
            enough_time = last - r.first_dose >= timedelta(weeks=weeks)
            if not (enough_dose and enough_time):
                continue
            key = r.course
            text = (
                f"classified non-responder after an adequate trial ({g_kg:.2f} g/kg loading on "
                f"{dosing_kg:g} kg, judged {(last - r.first_dose).days // 7} weeks after the first "
                f"dose; decision M2: {r.reason})"
            )
            prior = found.get(key)
            if prior is None:
                found[key] = FailedCourse(key, r.therapy, r.start, r.end, (text,), True)
            else:
                found[key] = FailedCourse(
                    key, prior.therapy, prior.start, prior.end, (*prior.reasons, text), True
                )
        for key, f in list(found.items()):
            # A course recorded as ineffective or worsened over ≥ 12 weeks is a trial done.
            recorded = any("ineffective" in r or "worsened" in r for r in f.reasons)
            if f.therapy == "ivig" and not f.adequate_ivig_trial and recorded:
                found[key] = FailedCourse(
                    f.key,
                    f.therapy,
                    f.start,
                    f.end,
                    f.reasons,
                    f.end is not None and f.end - f.start >= timedelta(weeks=weeks),
                )
    return list(found.values())


def history_gates(failed: list[FailedCourse], *, kind: str) -> list[Finding]:
    """T16: one block naming every failed course of the same therapy."""
    if not failed:
        return []
    return [
        _block(
            _HX_ID[kind],
            f"{_NAME[kind]} has failed before: " + " | ".join(f.describe() for f in failed),
            f"{EAN21}; decisions T16, M2",
        )
    ]
