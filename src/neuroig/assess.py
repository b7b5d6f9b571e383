"""``evaluate(case) -> Assessment``: the electrodiagnosis, every criteria set, the flags
and the IVIg-trial question for one case. Pure: no I/O; the same function serves the CLI,
a batch job, tests and any future API.
"""

from __future__ import annotations

import hashlib
from typing import Any, cast

import orjson

from neuroig._version import __version__
from neuroig.case import Case, case_to_data, case_warnings
from neuroig.criteria import cidp_ean_pns_2021, cidp_efns_pns_2010, mmn_aaem_2003, mmn_efns_pns_2010
from neuroig.criteria.categories import NOT_EVALUABLE
from neuroig.criteria.cidp_ean_pns_2021 import CriteriaOptions
from neuroig.criteria.context import CaseContext
from neuroig.criteria.lmn import LmnTrial, lmn_trial
from neuroig.criteria.mimics import Flag, flags
from neuroig.criteria.verdict import CriteriaSetResult
from neuroig.diagnosis import CidpCategory, CidpPhenotype, DiagnosisContext, MmnCategory
from neuroig.electro import ElectroOptions, ElectroResult, analyse
from neuroig.electro.export import electro_to_dict
from neuroig.record import Record

__all__ = [
    "ASSESSMENT_FORMAT",
    "Assessment",
    "EvaluateOptions",
    "InputDigest",
    "evaluate",
    "input_sha256",
]

ASSESSMENT_FORMAT = "neuroig-assessment/1"
SET_ORDER = ("mmn_efns_pns_2010", "mmn_aaem_2003", "cidp_ean_pns_2021", "cidp_efns_pns_2010")


class EvaluateOptions(Record, frozen=True):
    """Options of an evaluation (all off by default)."""

    amplitude_surrogate: bool = False
    include_unconfirmed: bool = False


class InputDigest:
    """The input hash of one case (:func:`input_sha256`), computed the first time it is read.

    Dumping the case for its hash costs a typical evaluation about a sixth of its time;
    every rendered result reads the hash (each document is stamped with it), while a
    caller that reads only the decisions (``plan`` and ``review`` read the diagnosis)
    never needs it. The case is immutable, so the hash is the same whenever it is read.
    Two digests are equal when their hashes are.
    """

    __slots__ = ("_case", "_value")

    def __init__(self, case: Case) -> None:
        self._case: Case | None = case
        self._value = ""

    @property
    def value(self) -> str:
        """The SHA-256 of the case's canonical JSON (64 hexadecimal digits)."""
        case = self._case  # read once: another thread may read the hash at the same time
        if case is not None:
            self._value = input_sha256(case)
            self._case = None  # the hash is all that is kept (set after the value)
        return self._value

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, InputDigest):
            return NotImplemented
        return self.value == other.value

    def __hash__(self) -> int:
        return hash(self.value)

    def __repr__(self) -> str:
        return f"InputDigest({self.value!r})"


class Assessment(Record, frozen=True):
    """Everything neuroig concludes about one case, with the basis of each conclusion."""

    case_id: str
    digest: InputDigest
    neuroig_version: str
    sets: dict[str, CriteriaSetResult]
    electro: ElectroResult | None
    flags: tuple[Flag, ...]
    lmn_trial: LmnTrial
    warnings: tuple[str, ...]
    options: EvaluateOptions

    @property
    def input_sha256(self) -> str:
        """SHA-256 of the case's canonical JSON (:func:`input_sha256`), computed when first
        read."""
        return self.digest.value

    @property
    def diagnosis(self) -> DiagnosisContext:
        """The summary that the therapy planner and the review read."""
        mmn = self.sets["mmn_efns_pns_2010"]
        cidp = self.sets["cidp_ean_pns_2021"]
        cond = mmn.conditional_category["category"] if mmn.conditional_category else None
        return DiagnosisContext(
            # the sets produce exactly these literals (tested in tests/unit/criteria);
            # not_evaluable (insufficient data) is "not evaluated": None, never "no"
            mmn_category=None if mmn.category == NOT_EVALUABLE else cast(MmnCategory, mmn.category),
            mmn_conditional_category=cast("MmnCategory | None", cond),
            cidp_category=None
            if cidp.category == NOT_EVALUABLE
            else cast(CidpCategory, cidp.category),
            cidp_phenotype=cast("CidpPhenotype | None", cidp.phenotype),
            lmn_without_block=None
            if self.lmn_trial.applies == "unknown"
            else self.lmn_trial.applies == "met",
            lmn_mmn_like_triad=(
                None
                if any(v is None for v in self.lmn_trial.features.values())
                else all(self.lmn_trial.features.values())
            ),
            flags=tuple(f.id for f in self.flags),
        )

    def to_dict(self) -> dict[str, Any]:
        """The ``neuroig-assessment/1`` data without the stamp's rules and tables; the
        public document (stamped, validated, emitted) is
        :func:`neuroig.schemas.assessment.assessment_document`."""
        return {
            "format": ASSESSMENT_FORMAT,
            "neuroig_version": self.neuroig_version,
            "case_id": self.case_id,
            "input_sha256": self.input_sha256,
            "options": {
                "amplitude_surrogate": self.options.amplitude_surrogate,
                "include_unconfirmed": self.options.include_unconfirmed,
            },
            "criteria": {k: self.sets[k].to_dict() for k in SET_ORDER},
            "electro": electro_to_dict(self.electro) if self.electro else None,
            "flags": [f.to_dict() for f in self.flags],
            "lmn_ivig_trial": None
            if self.lmn_trial.applies == "not_met"
            else self.lmn_trial.to_dict(),
            "warnings": list(self.warnings),
        }


def input_sha256(case: Case) -> str:
    """SHA-256 of the case's canonical JSON (sorted keys, no spaces): the same case gives
    the same hash whether it was read from JSON or YAML."""
    return hashlib.sha256(orjson.dumps(case_to_data(case), option=orjson.OPT_SORT_KEYS)).hexdigest()


def evaluate(case: Case, options: EvaluateOptions | None = None) -> Assessment:
    """Evaluate one case: electrodiagnosis, every criteria set, flags and the IVIg trial."""
    opts = options or EvaluateOptions()
    electro = analyse(case, ElectroOptions(amplitude_surrogate=opts.amplitude_surrogate))
    ctx = CaseContext(case, electro)
    sets = {
        "mmn_efns_pns_2010": mmn_efns_pns_2010.evaluate(ctx),
        "mmn_aaem_2003": mmn_aaem_2003.evaluate(ctx),
        "cidp_ean_pns_2021": cidp_ean_pns_2021.evaluate(
            ctx, CriteriaOptions(include_unconfirmed=opts.include_unconfirmed)
        ),
        "cidp_efns_pns_2010": cidp_efns_pns_2010.evaluate(ctx),
    }
    trial = lmn_trial(ctx)
    raised = tuple(flags(ctx, sets, trial))
    warnings = tuple(str(w) for w in case_warnings(case)) + (electro.warnings if electro else ())
    if electro is None:
        warnings += ("no nerve conduction study: electrodiagnostic criteria are unknown",)
    return Assessment(
        case_id=case.case_id,
        digest=InputDigest(case),
        neuroig_version=__version__,
        sets=sets,
        electro=electro,
        flags=raised,
        lmn_trial=trial,
        warnings=warnings,
        options=opts,
    )
