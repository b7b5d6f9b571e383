"""Case entry by form: the vocabulary a form offers (nerves with their sites distal
first, muscles, the closed value lists) and the save of the entered case, which is
validated like any case and stored as a new registry version."""

from __future__ import annotations

from functools import cache
from typing import Any, get_args

from sqlalchemy import Engine

from neuroig import vocab
from neuroig.case import Case
from neuroig.record import Record
from neuroig.reference.muscles import muscles
from neuroig.reference.nerves import motor_nerves
from neuroig.reference.products import products
from neuroig.services import registry
from neuroig.store.permissions import Actor

__all__ = ["Vocabulary", "field_types", "save_entry", "vocabulary"]


class Vocabulary(Record, frozen=True):
    """What the entry form offers; every list is the case format's own."""

    motor_sites: dict[str, list[str]]  # nerve -> its sites, distal first
    sensory_nerves: list[str]
    muscles: list[tuple[str, str]]  # id, name
    sexes: list[str]
    courses: list[str]
    sensory_loss: list[str]
    anti_gm1: list[str]
    blood_groups: list[str]
    reflexes: list[str]
    bulbar: list[str]
    sensory_methods: list[str]
    sensory_sites: list[str]
    routes: list[str]
    products: list[tuple[str, str]]  # id, name
    adverse_events: list[str]
    severities: list[str]
    timings: list[str]
    grip_units: list[str]
    grip_devices: list[str]
    therapies: list[str]
    responses: list[str]
    stop_reasons: list[str]


def vocabulary() -> Vocabulary:
    nerves = {
        nerve: [site for site, _ in sorted(info.site_ranks.items(), key=lambda kv: kv[1])]
        for nerve, info in motor_nerves().items()
    }
    return Vocabulary(
        motor_sites=nerves,
        sensory_nerves=list(get_args(vocab.SensoryNerve)),
        muscles=[(m.id, m.name) for m in muscles().values()],
        sexes=list(get_args(vocab.Sex)),
        courses=list(get_args(vocab.Course)),
        sensory_loss=list(get_args(vocab.SensoryLoss)),
        anti_gm1=list(get_args(vocab.AntiGm1)),
        blood_groups=list(get_args(vocab.BloodGroup)),
        reflexes=list(get_args(vocab.Reflex)),
        bulbar=list(get_args(vocab.Bulbar)),
        sensory_methods=list(get_args(vocab.SensoryMethod)),
        sensory_sites=list(get_args(vocab.SensorySite)),
        routes=list(get_args(vocab.Route)),
        products=sorted(((p.id, p.name) for p in products().values()), key=lambda p: p[1]),
        adverse_events=list(get_args(vocab.AdverseEvent)),
        severities=list(get_args(vocab.Severity)),
        timings=list(get_args(vocab.Timing)),
        grip_units=list(get_args(vocab.GripUnit)),
        grip_devices=list(get_args(vocab.GripDevice)),
        therapies=list(get_args(vocab.Therapy)),
        responses=list(get_args(vocab.TreatmentResponse)),
        stop_reasons=list(get_args(vocab.StoppedBecause)),
    )


def save_entry(
    engine: Engine,
    actor: Actor,
    document: dict[str, Any],
    *,
    site: str | None,
    base_version: int | None,
) -> registry.SaveResult:
    """Save an entered case: a new patient (``base_version`` None or 0), or a new version
    of the patient based on ``base_version`` (refused when another save came first).

    Raises:
        CaseValidationError: the entered case is invalid (each problem with its path).
    """
    return registry.save_case(
        engine,
        actor,
        document,
        site=site,
        base_version=base_version,
        reason="entered on the web page",
        kind="edit",
    )


@cache
def _case_schema() -> dict[str, Any]:
    return Case.model_json_schema()


def _alternatives(node: Any, defs: dict[str, Any]) -> list[dict[str, Any]]:
    """The concrete schemas a schema node stands for ($ref and anyOf/oneOf/allOf followed)."""
    if not isinstance(node, dict):
        return []
    if "$ref" in node:
        return _alternatives(defs.get(str(node["$ref"]).rsplit("/", 1)[-1]), defs)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in node:
            return [alt for sub in node[key] for alt in _alternatives(sub, defs)]
    return [node]


def field_types(path: tuple[str | int, ...]) -> frozenset[str]:
    """The JSON types the case format allows at a path (``("ncs", "motor", 0, "sites", 1,
    "amplitude_mv")`` -> number, null); empty when the path is not in the format."""
    schema = _case_schema()
    defs = schema.get("$defs", {})
    nodes = _alternatives(schema, defs)
    for token in path:
        following: list[dict[str, Any]] = []
        for node in nodes:
            if isinstance(token, int):
                following += _alternatives(node.get("items"), defs)
            elif token in node.get("properties", {}):
                following += _alternatives(node["properties"][token], defs)
            elif isinstance(node.get("additionalProperties"), dict):
                following += _alternatives(node["additionalProperties"], defs)
        nodes = following
    return frozenset(str(n["type"]) for n in nodes if isinstance(n.get("type"), str))
