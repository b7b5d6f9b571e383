"""The assess use case: a case → its ``neuroig-assessment/1`` document (full or summary)."""

from __future__ import annotations

from typing import Literal

from neuroig.assess import Assessment, EvaluateOptions, evaluate
from neuroig.case import Case
from neuroig.record import Record
from neuroig.schemas.assessment import (
    AssessmentDocument,
    AssessmentSummary,
    assessment_document,
    assessment_summary,
)
from neuroig.services.source import CaseSource, load_source

__all__ = ["Assessed", "Detail", "assess", "assessment_model"]

Detail = Literal["full", "summary"]


class Assessed(Record, frozen=True):
    """An assessment and its public document (the text report reads the first)."""

    case: Case
    assessment: Assessment
    document: AssessmentDocument | AssessmentSummary


def assessment_model(
    assessment: Assessment,
    detail: Detail = "full",
    *,
    source: str | None = None,
    line: int | None = None,
) -> AssessmentDocument | AssessmentSummary:
    """The document of an assessment at the asked detail."""
    if detail == "summary":
        return assessment_summary(assessment, source=source, line=line)
    return assessment_document(assessment, source=source, line=line)


def assess(
    source: CaseSource, options: EvaluateOptions | None = None, *, detail: Detail = "full"
) -> Assessed:
    """Evaluate a case by every criteria set and stamp the document at once."""
    case = load_source(source)
    assessment = evaluate(case, options)
    return Assessed(case, assessment, assessment_model(assessment, detail))
