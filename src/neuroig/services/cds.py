"""CDS Hooks use cases: the discovery answer and the cards of each hook (decisions H1-H6).

The EHR's patient is matched to a registry patient by an identifier of the prefetched
Patient (decision H2); the case is read through :func:`registry.read_case`, so every
call that reaches patient data is audited under the acting user and refused outside its
role and sites. The cards come from the same results every other face shows: the stored
summary (categories, flags, review calendar) for ``patient-view``; the plan (diagnosis
and history gates, safety screen, dose) for ``order-select`` and ``order-sign``.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any, Final

import orjson
from sqlalchemy import Engine, delete

from neuroig._version import __version__
from neuroig.errors import InputError, UnknownPatientError
from neuroig.escape import markdown, plain_text
from neuroig.interop.codes import PRODUCT_SYSTEM, UCUM
from neuroig.interop.fhir_orders import DraftOrder, draft_orders, patient_identifiers
from neuroig.record import Record
from neuroig.schemas.cds import (
    Action,
    Card,
    CdsRequest,
    CdsResponse,
    CdsService,
    Discovery,
    Indicator,
    Source,
    Suggestion,
)
from neuroig.services import registry
from neuroig.services.plan import plan
from neuroig.store.models import CdsTokenId
from neuroig.store.permissions import Actor
from neuroig.store.repository import ConflictError, write_session
from neuroig.therapy.model import Finding, Plan
from neuroig.therapy.options import Override

__all__ = ["RULE_SYSTEM", "SERVICES", "HookCall", "call_hook", "discovery", "use_token_id"]

#: the system of the rule ids a card's ``source.topic`` names
RULE_SYSTEM: Final = "urn:neuroig:codesystem:rule"
_PREFETCH: Final = {"patient": "Patient/{{context.patientId}}"}

SERVICES: Final[tuple[CdsService, ...]] = (
    CdsService(
        hook="patient-view",
        id="neuroig-patient-view",
        title="neuroig: diagnosis criteria and immunoglobulin review",
        description=(
            "The patient's criteria categories (EFNS/PNS 2010 and AAEM 2003 MMN, EAN/PNS "
            "2021 and EFNS/PNS 2010 CIDP), raised mimic and red flags, and whether the "
            "outcome review of immunoglobulin therapy is due or overdue."
        ),
        prefetch=_PREFETCH,
    ),
    CdsService(
        hook="order-select",
        id="neuroig-order-select",
        title="neuroig: immunoglobulin and corticosteroid order check",
        description=(
            "Checks a selected immunoglobulin or corticosteroid order against the "
            "diagnosis and history gates, the safety screen and the dose the plan "
            "authorises under the site's dosing-weight policy."
        ),
        prefetch=_PREFETCH,
    ),
    CdsService(
        hook="order-sign",
        id="neuroig-order-sign",
        title="neuroig: immunoglobulin and corticosteroid order check at signing",
        description=(
            "The order-select checks on every immunoglobulin or corticosteroid order "
            "about to be signed."
        ),
        prefetch=_PREFETCH,
    ),
)


def use_token_id(engine: Engine, jti: str, expires_at: datetime, now: datetime) -> bool:
    """Record the id of a hook call's token; False when it was used before (a replay).

    Kept in the registry until a minute after the token expires, so every server process
    refuses a replay (decision H1)."""
    try:
        with write_session(engine) as s:
            s.execute(delete(CdsTokenId).where(CdsTokenId.expires_at < now - timedelta(minutes=1)))
            s.add(CdsTokenId(jti=jti[:200], expires_at=expires_at))
    except ConflictError:
        return False
    return True


def discovery() -> Discovery:
    """``GET /cds-services``."""
    return Discovery(services=list(SERVICES))


class HookCall(Record, frozen=True):
    """What a hook needs besides the request: the registry, who acts, the site's
    identifier system and the day."""

    engine: Engine
    actor: Actor
    identifier_system: str
    today: date


def call_hook(call: HookCall, service_id: str, request: CdsRequest) -> CdsResponse:
    """The cards of one hook call.

    Raises:
        UnknownPatientError: no service has this id.
        InputError: the request does not fit the service (hook, context, prefetch, FHIR).
        PermissionDeniedError: the acting user may not read the patient (audited).
    """
    service = next((s for s in SERVICES if s.id == service_id), None)
    if service is None:
        raise UnknownPatientError("service", service_id, "a service of GET /cds-services")
    if request.hook != service.hook:
        raise InputError("hook", request.hook, f"{service.hook!r} (the hook of {service.id})")
    patient_id = request.context.get("patientId")
    if not isinstance(patient_id, str) or not patient_id:
        raise InputError("context.patientId", patient_id, "the EHR's id of the patient")
    prefetch = request.prefetch or {}
    if "patient" not in prefetch:
        raise InputError(
            "prefetch.patient", None, "the Patient of the prefetch template (Patient/{id})"
        )
    case_id = _case_id(patient_identifiers(prefetch["patient"], patient_id), call)
    if case_id is None:
        return CdsResponse(cards=[])  # not followed in this registry (H2)
    try:
        stored = registry.read_case(call.engine, call.actor, case_id)
    except UnknownPatientError:
        return CdsResponse(cards=[])
    document = orjson.loads(stored.document)
    if service.hook == "patient-view":
        return CdsResponse(cards=_patient_view(document, call.today))
    orders = draft_orders(request.context.get("draftOrders"), patient_id)
    if service.hook == "order-select":
        selected = request.context.get("selections")
        if not isinstance(selected, list) or not all(isinstance(s, str) for s in selected):
            raise InputError("context.selections", selected, "a list of order references")
        orders = [o for o in orders if o.reference in selected]
    overrides = tuple(
        Override(rule, reason)
        for rule, reason in registry.recorded_overrides(call.engine, call.actor, case_id)
    )
    cards: list[Card] = []
    for order in orders:
        cards += _order_cards(document, order, overrides, call.today)
    return CdsResponse(cards=cards)


def _case_id(identifiers: Iterable[tuple[str, str]], call: HookCall) -> str | None:
    values = {value for system, value in identifiers if system == call.identifier_system}
    if len(values) > 1:
        raise InputError(
            "prefetch.patient.identifier",
            ", ".join(sorted(values)),
            f"one identifier of system {call.identifier_system}",
        )
    return next(iter(values), None)


def _summary(text: str) -> str:
    flat = plain_text(text)
    return flat if len(flat) <= 139 else flat[:138] + "…"


def _source(rule: str | None, label: str = "") -> Source:
    name = f"neuroig {__version__}" + (f": {label}" if label else "")
    topic = {"system": RULE_SYSTEM, "code": rule} if rule else None
    return Source(label=_summary(name), topic=topic)


# ------------------------------------------------------------------ patient-view

_SETS: Final = (
    ("mmn_efns_pns_2010", "MMN, EFNS/PNS 2010"),
    ("mmn_aaem_2003", "MMN, AAEM 2003"),
    ("cidp_ean_pns_2021", "CIDP, EAN/PNS 2021"),
    ("cidp_efns_pns_2010", "CIDP, EFNS/PNS 2010"),
)


def _words(category: str | None) -> str:
    return (category or "unknown").replace("possible_cidp", "possible CIDP").replace("_", " ")


def _patient_view(document: dict[str, Any], today: date) -> list[Card]:
    summary = registry.summarise(document)
    categories = summary.get("categories", {})
    lines = []
    short = []
    for key, label in _SETS:
        entry = categories.get(key) or {}
        words = _words(entry.get("category"))
        extra = ""
        if entry.get("conditional_category"):
            would = _words(entry["conditional_category"])
            extra = f" (would be {would} once its conditions are answered)"
        elif entry.get("reachable"):
            extra = f" (could reach {_words(entry['reachable'])} with the missing inputs)"
        lines.append(f"- {label}: **{markdown(words)}**{markdown(extra)}")
        if entry.get("category") not in (None, "not_fulfilled", "not_evaluable"):
            short.append(f"{label.split(',')[0]} {words}")
    cards = [
        Card(
            uuid=str(uuid.uuid4()),
            summary=_summary("Criteria: " + ("; ".join(short) if short else "no set fulfilled")),
            detail="\n".join(lines)
            + "\n\nA category that cannot be evaluated says so; unknown is never shown as not met.",
            indicator="info",
            source=_source(None, "criteria categories"),
        )
    ]
    for flag in summary.get("flags") or ():
        cards.append(
            Card(
                uuid=str(uuid.uuid4()),
                summary=_summary(f"{flag.get('id')}: {flag.get('text')}"),
                detail=markdown(flag.get("text", ""))
                + f"\n\nSource: {markdown(flag.get('cite', ''))}",
                indicator="warning",
                source=_source(str(flag.get("id")), str(flag.get("id"))),
            )
        )
    calendar = registry.review_calendar(
        summary.get("review"), today=today, within_days=registry.REVIEW_DUE_WITHIN_DAYS
    )
    if calendar.status == "overdue" and calendar.due is not None:
        cards.append(
            Card(
                uuid=str(uuid.uuid4()),
                summary=_summary(
                    f"Immunoglobulin outcome review overdue since {calendar.due.isoformat()}"
                ),
                detail=(
                    "No outcome assessment is recorded on or after the review date "
                    f"{calendar.due.isoformat()} (review 6 months after the start of "
                    "immunoglobulin, then yearly; EAN/PNS 2021)."
                ),
                indicator="warning",
                source=_source("M9", "review calendar"),
            )
        )
    elif calendar.status == "due" and calendar.due is not None:
        cards.append(
            Card(
                uuid=str(uuid.uuid4()),
                summary=_summary(
                    f"Immunoglobulin outcome review due on {calendar.due.isoformat()}"
                ),
                indicator="info",
                source=_source("M5", "review calendar"),
            )
        )
    return cards


# ------------------------------------------------------------------ order checks

_INDICATOR: Final[dict[str, Indicator]] = {"block": "critical", "warn": "warning"}


def _finding_card(order: DraftOrder, finding: Finding) -> Card:
    indicator = _INDICATOR[finding.severity]
    verb = "blocks" if finding.severity == "block" else "cautions"
    return Card(
        uuid=str(uuid.uuid4()),
        summary=_summary(f"{finding.id} {verb} {order.label}: {finding.text}"),
        detail=(
            f"**{markdown(finding.id)}** ({markdown(order.reference)}): {markdown(finding.text)}"
            f"\n\nSource: {markdown(finding.source)}"
            + ("" if finding.verified else "\n\nThe value behind this finding is unverified.")
        ),
        indicator=indicator,
        source=_source(finding.id, finding.id),
    )


def _order_cards(
    document: dict[str, Any], order: DraftOrder, overrides: tuple[Override, ...], today: date
) -> list[Card]:
    options: dict[str, Any] = {"overrides": overrides}
    if order.kind == "corticosteroid":
        options["regimen"] = "prednisone"
    else:
        options["product"] = order.product
    try:
        made = plan(document, start=today, **options).plan
    except InputError as exc:
        return [
            Card(
                uuid=str(uuid.uuid4()),
                summary=_summary(f"neuroig could not check {order.label}"),
                detail=markdown(str(exc)),
                indicator="info",
                source=_source(None, "order check"),
            )
        ]
    unidentified = order.kind == "immunoglobulin" and order.product is None
    cards = [
        _finding_card(order, f)
        for f in made.safety
        if f.severity in _INDICATOR
        and f.overridden_by is None
        # without the ordered product only the diagnosis and history gates apply
        and not (unidentified and not f.id.startswith("GATE-"))
    ]
    if unidentified:
        cards.append(
            Card(
                uuid=str(uuid.uuid4()),
                summary=_summary(f"neuroig could not identify the product of {order.label}"),
                detail=(
                    "The diagnosis and history gates were checked; the product's own checks "
                    "(IgA content, rates, dose against the plan) were not. Code the product "
                    f"in {markdown(PRODUCT_SYSTEM)} or name one catalogue product."
                ),
                indicator="info",
                source=_source(None, "order check"),
            )
        )
    elif order.kind == "immunoglobulin" and made.status == "ok":
        cards += _dose_cards(order, made)
    return cards


def _planned_dose_g(made: Plan) -> float | None:
    doses = [s.dose_g for s in made.regimen.sessions if s.dose_g is not None]
    return max(doses) if doses else None


def _dose_cards(order: DraftOrder, made: Plan) -> list[Card]:
    planned = _planned_dose_g(made)
    if order.dose_problem or order.dose_g is None:
        return [
            Card(
                uuid=str(uuid.uuid4()),
                summary=_summary(f"neuroig could not check the dose of {order.label}"),
                detail=markdown(order.dose_problem or "no dose"),
                indicator="info",
                source=_source("CDS-DOSE", "dose check"),
            )
        ]
    if planned is None:
        return []
    tolerance = made.regimen.tolerance_g or 0.0
    if order.dose_g <= planned + tolerance + 1e-9:
        return []
    weight = made.dosing_weight
    basis = (
        f"{made.regimen.kind} {made.regimen.dose_g_per_kg:g} g/kg on a dosing weight of "
        f"{weight.kg:g} kg ({weight.policy})"
        if weight is not None and made.regimen.dose_g_per_kg is not None
        else made.regimen.kind
    )
    corrected = _with_dose(order.resource, planned)
    return [
        Card(
            uuid=str(uuid.uuid4()),
            summary=_summary(
                f"{order.label}: {order.dose_g:g} g is above the {planned:g} g the plan authorises"
            ),
            detail=(
                f"The order gives {order.dose_g:g} g per administration; the plan authorises "
                f"{planned:g} g per infusion day ({markdown(basis)}), within the product's "
                "authorised maximum."
            ),
            indicator="warning",
            source=_source("CDS-DOSE", "dose check"),
            suggestions=[
                Suggestion(
                    label=_summary(f"Change the dose to {planned:g} g"),
                    uuid=str(uuid.uuid4()),
                    is_recommended=True,
                    actions=[
                        Action(
                            type="update",
                            description=f"Set the dose of {order.reference} to {planned:g} g",
                            resource=corrected,
                        )
                    ],
                )
            ],
            selection_behavior="at-most-one",
        )
    ]


def _with_dose(resource: dict[str, Any], grams: float) -> dict[str, Any]:
    """The order with its first dose quantity set to ``grams`` (UCUM g)."""
    changed = copy.deepcopy(resource)
    for dosage in changed.get("dosageInstruction") or ():
        for dose_rate in dosage.get("doseAndRate") or ():
            if "doseQuantity" in dose_rate:
                dose_rate["doseQuantity"] = {
                    "value": grams,
                    "unit": "g",
                    "system": UCUM,
                    "code": "g",
                }
                return changed
    return changed
