"""Decision T6: diagnosis-aware advice, tested with constructed DiagnosisContexts."""

from __future__ import annotations

import pytest
from tests.unit.therapy.helpers import make_case, opts

from neuroig.diagnosis import DiagnosisContext
from neuroig.therapy.advice import NO_DIAGNOSIS_NOTE, advise
from neuroig.therapy.model import Advice
from neuroig.therapy.plan import plan


def by_id(advice: list[Advice]) -> dict[str, Advice]:
    return {a.id: a for a in advice}


def test_no_diagnosis_gives_an_explicit_note_and_no_diagnosis_advice() -> None:
    advice, notes = advise(None, regimen="ivig-induction")
    assert notes == [NO_DIAGNOSIS_NOTE]
    assert NO_DIAGNOSIS_NOTE == "diagnosis not evaluated — diagnosis-aware advice not applied"
    # T14: second-line options only for a diagnosis that supports them - none unevaluated
    assert advice == []


def test_the_plan_carries_the_note_when_no_diagnosis_is_given() -> None:
    p = plan(make_case(), opts(product="privigen"))
    assert NO_DIAGNOSIS_NOTE in p.notes


@pytest.mark.parametrize("category", ["definite", "probable", "possible"])
def test_mmn_marks_steroids_and_plasma_exchange_not_recommended(category: str) -> None:
    ctx = DiagnosisContext(mmn_category=category)
    advice = by_id(advise(ctx, regimen="ivig-induction")[0])
    assert advice["ADVICE-MMN-STEROIDS"].status == "not_recommended"
    assert advice["ADVICE-MMN-PLEX"].status == "not_recommended"
    assert advice["ADVICE-MMN-IVIG"].status == "preferred"
    assert advice["ADVICE-MMN-IVIG"].applies_to_plan
    assert not advice["ADVICE-MMN-STEROIDS"].applies_to_plan
    assert "EFNS/PNS MMN guideline 2010" in advice["ADVICE-MMN-STEROIDS"].cite
    # second-line evidence is the MMN statement only
    assert "no agent has been shown beneficial" in advice["ADVICE-SECOND-LINE-RITUXIMAB"].evidence


def test_prednisone_plan_in_mmn_is_flagged() -> None:
    ctx = DiagnosisContext(mmn_category="definite")
    p = plan(make_case(), opts(regimen="prednisone"), diagnosis=ctx)
    steroids = by_id(list(p.advice))["ADVICE-MMN-STEROIDS"]
    assert steroids.applies_to_plan
    assert any(w.startswith("ADVICE-MMN-STEROIDS: MMN (definite)") for w in p.warnings)
    assert NO_DIAGNOSIS_NOTE not in p.notes


def test_plasma_exchange_plan_in_mmn_is_flagged() -> None:
    ctx = DiagnosisContext(mmn_category="probable")
    p = plan(make_case(), opts(regimen="plasma-exchange"), diagnosis=ctx)
    assert any(w.startswith("ADVICE-MMN-PLEX") for w in p.warnings)


def test_mmn_only_conditionally_met_is_a_caution_not_a_verdict() -> None:
    ctx = DiagnosisContext(mmn_category="not_fulfilled", mmn_conditional_category="probable")
    assert ctx.mmn is None
    advice = by_id(advise(ctx, regimen="plasma-exchange")[0])
    assert "ADVICE-MMN-STEROIDS" not in advice
    possible = advice["ADVICE-MMN-POSSIBLE"]
    assert possible.status == "caution"
    assert possible.applies_to_plan
    assert "probable MMN would be met" in possible.text


def test_mmn_not_fulfilled_gives_no_mmn_advice() -> None:
    ctx = DiagnosisContext(mmn_category="not_fulfilled")
    assert not any(a.id.startswith("ADVICE-MMN") for a in advise(ctx, regimen="prednisone")[0])


def test_pure_motor_cidp_prefers_ivig() -> None:
    ctx = DiagnosisContext(cidp_category="cidp", cidp_phenotype="motor")
    advice = by_id(advise(ctx, regimen="prednisone")[0])
    assert advice["ADVICE-CIDP-MOTOR-IVIG"].status == "preferred"
    steroids = advice["ADVICE-CIDP-MOTOR-STEROIDS"]
    assert steroids.status == "caution" and steroids.applies_to_plan
    assert "ADVICE-CIDP-FIRST-LINE" not in advice


def test_typical_cidp_lists_ivig_or_steroids_and_plasma_exchange() -> None:
    ctx = DiagnosisContext(cidp_category="possible_cidp", cidp_phenotype="typical")
    advice = by_id(advise(ctx, regimen="ivig-induction")[0])
    assert advice["ADVICE-CIDP-FIRST-LINE"].status == "option"
    assert advice["ADVICE-CIDP-PLEX"].evidence == "Strong recommendation"
    assert "ADVICE-CIDP-MOTOR-IVIG" not in advice
    assert (
        "consider adding an immunosuppressant" in advice["ADVICE-SECOND-LINE-AZATHIOPRINE"].evidence
    )


def test_motor_phenotype_without_a_cidp_category_is_not_motor_cidp() -> None:
    ctx = DiagnosisContext(cidp_category="not_fulfilled", cidp_phenotype="motor")
    assert not any(a.id.startswith("ADVICE-CIDP") for a in advise(ctx, regimen="scig")[0])


@pytest.mark.parametrize(
    ("triad", "status"),
    [(True, "suggested"), (False, "not_suggested"), (None, "unknown")],
)
def test_lmn_without_block_ivig_trial_follows_the_simon_triad(
    triad: bool | None, status: str
) -> None:
    ctx = DiagnosisContext(lmn_without_block=True, lmn_mmn_like_triad=triad)
    (trial,) = [a for a in advise(ctx, regimen="ivig-induction")[0] if "LMN" in a.id]
    assert trial.status == status
    assert "Simon" in trial.cite
    if triad is not None:
        assert "3 of 31 (10 %)" in trial.text  # the expected response is shown


def test_no_lmn_advice_unless_the_syndrome_is_present() -> None:
    for value in (False, None):
        ctx = DiagnosisContext(lmn_without_block=value, lmn_mmn_like_triad=True)
        assert not any("LMN" in a.id for a in advise(ctx, regimen="ivig-induction")[0])


def test_not_suggested_trial_warns_on_an_ivig_plan() -> None:
    ctx = DiagnosisContext(lmn_without_block=True, lmn_mmn_like_triad=False)
    p = plan(make_case(), opts(product="privigen"), diagnosis=ctx)
    assert any(w.startswith("ADVICE-LMN-IVIG-TRIAL") for w in p.warnings)


def test_flags_are_noted() -> None:
    ctx = DiagnosisContext(flags=("LMN-FLAG-UMN",))
    assert "diagnostic flags raised: LMN-FLAG-UMN" in advise(ctx, regimen="scig")[1]


def test_off_label_note_uses_the_diagnosis() -> None:
    ctx = DiagnosisContext(mmn_category="definite")
    p = plan(make_case(), opts(product="panzyga"), diagnosis=ctx)
    assert "Panzyga has no MMN label on file: use would be off-label" in p.notes
    q = plan(make_case(), opts(product="gammagard_liquid"), diagnosis=ctx)
    assert not any("off-label" in n for n in q.notes)
