"""CDS Hooks 2.0 documents: the discovery answer, a hook request, a hook response.

The shapes follow the CDS Hooks 2.0 specification (HL7, https://cds-hooks.hl7.org/2.0/):
a service descriptor (``hook``, ``id``, ``description``, ``prefetch``); a request
(``hook``, ``hookInstance``, ``context``, ``prefetch``, optional ``fhirServer`` and
``fhirAuthorization``); a response of ``cards``, each with ``summary`` (under 140
characters), ``indicator`` (``info``, ``warning``, ``critical``), ``source`` and optional
``suggestions`` of ``create``/``update``/``delete`` actions. Requests are read leniently
(the specification lets an EHR add fields); what neuroig answers is strict. The FHIR
resources inside (``context.draftOrders``, ``prefetch``) are checked by
:mod:`neuroig.interop.fhir_orders`. ``docs/cds-hooks.md`` describes the services.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from neuroig.schemas._base import JsonObject

__all__ = [
    "Action",
    "Card",
    "CdsRequest",
    "CdsResponse",
    "CdsService",
    "Discovery",
    "FhirAuthorization",
    "Indicator",
    "Link",
    "Source",
    "Suggestion",
]

Indicator = Literal["info", "warning", "critical"]


class Model(BaseModel):
    """A CDS Hooks answer: immutable, strict, field names in the specification's camelCase."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        alias_generator=to_camel,
        populate_by_name=True,
        serialize_by_alias=True,
    )


class CdsService(Model):
    """One service of the discovery answer."""

    hook: str
    id: str = Field(pattern=r"^[A-Za-z0-9\-_.]+$")
    title: str | None = None
    description: str
    prefetch: dict[str, str] | None = None
    usage_requirements: str | None = None


class Discovery(Model):
    """``GET /cds-services``."""

    services: list[CdsService]


class FhirAuthorization(BaseModel):
    """The EHR's access token for its FHIR server (neuroig does not call the server)."""

    model_config = ConfigDict(frozen=True, extra="allow")

    access_token: str
    token_type: Literal["Bearer"]
    expires_in: int
    scope: str
    subject: str
    patient: str | None = None


class CdsRequest(BaseModel):
    """``POST /cds-services/{id}``: what the EHR sends (other keys are allowed and kept)."""

    model_config = ConfigDict(
        frozen=True, extra="allow", alias_generator=to_camel, populate_by_name=True
    )

    hook: str = Field(min_length=1)
    hook_instance: str = Field(min_length=1)
    fhir_server: str | None = None
    fhir_authorization: FhirAuthorization | None = None
    context: JsonObject
    prefetch: dict[str, Any] | None = None


class Source(Model):
    """Who says it: neuroig with the rule and its primary source."""

    label: str
    url: str | None = None
    topic: JsonObject | None = None


class Action(Model):
    """A change the EHR may apply: ``update`` carries the corrected resource."""

    type: Literal["create", "update", "delete"]
    description: str
    resource: JsonObject | None = None
    resource_id: list[str] | None = None


class Suggestion(Model):
    label: str
    uuid: str | None = None
    is_recommended: bool | None = None
    actions: list[Action] | None = None


class Link(Model):
    label: str
    url: str
    type: Literal["absolute", "smart"]
    app_context: str | None = None


class Card(Model):
    """One card: ``critical`` for a block, ``warning`` for a caution, ``info`` otherwise."""

    uuid: str | None = None
    summary: str = Field(max_length=139)
    detail: str | None = None
    indicator: Indicator
    source: Source
    suggestions: list[Suggestion] | None = None
    selection_behavior: Literal["at-most-one", "any"] | None = None
    override_reasons: list[JsonObject] | None = None
    links: list[Link] | None = None


class CdsResponse(Model):
    """The answer to a hook call."""

    cards: list[Card]
    system_actions: list[Action] | None = None
