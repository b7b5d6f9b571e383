"""Diagnosis-aware treatment advice (decision T6) and the second-line options.

The advice reads a :class:`~neuroig.diagnosis.DiagnosisContext`. ``None`` (diagnosis not
evaluated) gives one explicit note and no diagnosis-dependent statement; a field that
is None inside the context is unknown and is said so, never read as "no".

References
----------
1. Van den Bergh PYK, et al. EAN/PNS guideline on CIDP, second revision. Eur J Neurol
   2021;28:3556-83. doi:10.1111/ene.14959 (abstract: IVIg or corticosteroids strongly
   recommended as initial treatment; plasma exchange strongly recommended if IVIg and
   corticosteroids are ineffective; IVIg first-line in motor CIDP (GPP); with a high
   maintenance dose consider combination or adding an immunosuppressant (GPP)).
2. Joint Task Force of the EFNS and the PNS. Guideline on management of MMN, first
   revision. J Peripher Nerv Syst 2010;15:295-301 (IVIg first line, level A;
   corticosteroids not recommended, GPP; if IVIg is not sufficiently effective,
   immunosuppressive treatment may be considered, but no agent has been shown
   beneficial in a trial, GPP; cyclophosphamide's toxicity makes it less desirable).
   The 2006 version lists azathioprine and rituximab among the possible agents.
3. Simon NG, Ayer G, Lomen-Hoerth C. Neurology 2013;81:2116-20 (3/31 IVIg responders
   in progressive LMN syndromes without block; all had the MMN-like triad).
4. docs/decisions.md T6.
"""

from __future__ import annotations

from neuroig.diagnosis import DiagnosisContext
from neuroig.therapy.citations import EAN21, EFNS06, EFNS10, SIMON13
from neuroig.therapy.model import Advice

__all__ = ["NO_DIAGNOSIS_NOTE", "advise"]

NO_DIAGNOSIS_NOTE = "diagnosis not evaluated — diagnosis-aware advice not applied"


#: Regimen kind → the therapy name the advice uses.
_THERAPY = {
    "ivig-induction": "ivig",
    "ivig-maintenance": "ivig",
    "scig": "scig",
    "prednisone": "prednisone",
    "plasma-exchange": "plasma_exchange",
}


def _mmn(ctx: DiagnosisContext) -> list[Advice]:
    if ctx.mmn is True:
        cat = ctx.mmn_category
        return [
            Advice(
                "ADVICE-MMN-IVIG",
                "ivig",
                "preferred",
                f"MMN ({cat}): IVIg 2 g/kg over 2-5 days is the first-line treatment; "
                "maintenance 1 g/kg every 2-4 weeks or 2 g/kg every 1-2 months, guided by response",
                "Level A (first line); maintenance level C / GPP",
                EFNS10,
            ),
            Advice(
                "ADVICE-MMN-STEROIDS",
                "prednisone",
                "not_recommended",
                f"MMN ({cat}): corticosteroids are not recommended (ineffective, may worsen)",
                "Good practice point",
                f"{EFNS10}; T6",
            ),
            Advice(
                "ADVICE-MMN-PLEX",
                "plasma_exchange",
                "not_recommended",
                f"MMN ({cat}): plasma exchange is not recommended (ineffective, may worsen)",
                "Good practice point [R]",
                f"{EFNS10}; T6",
                verified=False,
            ),
        ]
    if ctx.mmn is None and ctx.mmn_category is not None:
        pending = ctx.mmn_conditional_category
        return [
            Advice(
                "ADVICE-MMN-POSSIBLE",
                "prednisone",
                "caution",
                f"MMN not excluded: {pending} MMN would be met if the unknown exclusions are "
                "absent. Corticosteroids and plasma exchange are not recommended in MMN - resolve "
                "the exclusions before choosing them",
                "Good practice point",
                f"{EFNS10}; T6; C9",
            )
        ]
    return []


def _cidp(ctx: DiagnosisContext) -> list[Advice]:
    if ctx.cidp_category not in ("cidp", "possible_cidp"):
        return []
    cat = ctx.cidp_category.replace("_", " ")
    out = []
    if ctx.pure_motor_cidp:
        out += [
            Advice(
                "ADVICE-CIDP-MOTOR-IVIG",
                "ivig",
                "preferred",
                f"motor CIDP ({cat}): IVIg is preferred as first-line treatment",
                "Good practice point",
                EAN21,
            ),
            Advice(
                "ADVICE-CIDP-MOTOR-STEROIDS",
                "prednisone",
                "caution",
                f"motor CIDP ({cat}): IVIg is preferred over corticosteroids, which may worsen "
                "motor CIDP [R]",
                "Good practice point",
                f"{EAN21}; T6",
                verified=False,
            ),
        ]
    else:
        out.append(
            Advice(
                "ADVICE-CIDP-FIRST-LINE",
                "ivig",
                "option",
                f"CIDP ({cat}, phenotype {ctx.cidp_phenotype or 'not known'}): IVIg or "
                "corticosteroids as initial treatment; maintenance with IVIg, SCIg or "
                "corticosteroids",
                "Strong recommendation",
                EAN21,
            )
        )
    out.append(
        Advice(
            "ADVICE-CIDP-PLEX",
            "plasma_exchange",
            "option",
            f"CIDP ({cat}): plasma exchange if IVIg and corticosteroids are ineffective",
            "Strong recommendation",
            EAN21,
        )
    )
    return out


def _lmn(ctx: DiagnosisContext) -> list[Advice]:
    if ctx.lmn_without_block is not True:
        return []
    expected = (
        "3 of 31 (10 %) responded in Simon 2013; all 3 had the triad, which was also present in "
        "31 % of distal-onset non-responders"
    )
    if ctx.lmn_mmn_like_triad is True:
        return [
            Advice(
                "ADVICE-LMN-IVIG-TRIAL",
                "ivig",
                "suggested",
                "progressive LMN syndrome without conduction block, with the MMN-like triad "
                "(distal upper-limb onset, EMG confined to weak muscles, normal CK): an IVIg "
                "trial (2 g/kg, judged over ≥ 3 months) may be offered. "
                f"Expected response: {expected}",
                "Class IV (single prospective cohort)",
                f"{SIMON13}; T6",
            )
        ]
    if ctx.lmn_mmn_like_triad is False:
        return [
            Advice(
                "ADVICE-LMN-IVIG-TRIAL",
                "ivig",
                "not_suggested",
                "progressive LMN syndrome without conduction block and without the MMN-like "
                f"triad: an empiric IVIg trial is not suggested ({expected})",
                "Class IV (single prospective cohort)",
                f"{SIMON13}; T6",
            )
        ]
    return [
        Advice(
            "ADVICE-LMN-IVIG-TRIAL",
            "ivig",
            "unknown",
            "progressive LMN syndrome without conduction block: the MMN-like triad is not fully "
            "recorded (onset site, EMG extent, CK) - complete it before deciding on an IVIg trial",
            "Class IV (single prospective cohort)",
            f"{SIMON13}; T6",
        )
    ]


_CIDP_2ND = (
    "CIDP",
    "Good practice point: consider adding an immunosuppressant or immunomodulatory drug when "
    "the maintenance dose is high; low-certainty evidence",
    EAN21,
)
_MMN_2ND = (
    "MMN",
    "Good practice point: may be considered if IVIg is not sufficiently effective; no agent has "
    "been shown beneficial in a trial",
    f"{EFNS10}; {EFNS06}",
)


def _second_line(ctx: DiagnosisContext | None) -> list[Advice]:
    """Azathioprine and rituximab only for a diagnosis that supports them (T14): MMN or
    CIDP met; never when the diagnosis is not evaluated or points elsewhere."""
    if ctx is None:
        return []
    contexts = []
    if ctx.mmn is True:
        contexts.append(_MMN_2ND)
    if ctx.cidp_met:
        contexts.append(_CIDP_2ND)
    if not contexts:
        return []
    where = " / ".join(c[0] for c in contexts)
    evidence = " | ".join(f"{c[0]}: {c[1]}" for c in contexts)
    cite = "; ".join(c[2] for c in contexts)
    return [
        Advice(
            "ADVICE-SECOND-LINE-AZATHIOPRINE",
            "azathioprine",
            "option",
            f"{where}: azathioprine as a second-line, steroid- or Ig-sparing option",
            evidence,
            cite,
        ),
        Advice(
            "ADVICE-SECOND-LINE-RITUXIMAB",
            "rituximab",
            "option",
            f"{where}: rituximab as a second-line option in refractory disease",
            evidence,
            cite,
        ),
    ]


def advise(diagnosis: DiagnosisContext | None, *, regimen: str) -> tuple[list[Advice], list[str]]:
    """Advice for the case's diagnosis; the second list is notes (e.g. not evaluated).

    Advice about the therapy of ``regimen`` is marked ``applies_to_plan``.
    """
    notes: list[str] = []
    if diagnosis is None:
        notes.append(NO_DIAGNOSIS_NOTE)
        found = _second_line(None)
    else:
        found = _mmn(diagnosis) + _cidp(diagnosis) + _lmn(diagnosis) + _second_line(diagnosis)
        if diagnosis.flags:
            notes.append(f"diagnostic flags raised: {', '.join(diagnosis.flags)}")
    therapy = _THERAPY.get(regimen)
    marked = []
    for a in found:
        applies = (
            a.therapy == therapy
            or (a.id == "ADVICE-MMN-POSSIBLE" and therapy == "plasma_exchange")
            or (a.id == "ADVICE-LMN-IVIG-TRIAL" and therapy == "scig")
        )
        marked.append(
            Advice(
                a.id,
                a.therapy,
                a.status,
                a.text,
                a.evidence,
                a.cite,
                a.verified,
                applies,
            )
        )
    return marked, notes
