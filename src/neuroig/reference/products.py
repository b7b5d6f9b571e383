"""Immunoglobulin product catalogue: identities, routes and the planner's parameters.

Each parameter is a :class:`Sourced` value that carries its source and a ``verified``
flag (``false`` for values recalled rather than seen in a retrieved label, [R]). A
parameter no cited label gives is ``None``: callers must report it as missing, never
assume a value. Sources are bibliography keys (``data/sources.toml``).
Rates are converted to mL/kg/min and mL packs to grams with the product's concentration;
the value as printed on the label is kept in ``Sourced.label``.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from types import MappingProxyType
from typing import Any, Generic, TypeVar

from neuroig.errors import InputError, ReferenceDataError
from neuroig.record import Record, field
from neuroig.reference._load import raw_table
from neuroig.reference.sources import bibliography, cite_row

__all__ = [
    "EXCIPIENTS",
    "INDICATIONS",
    "RATE_UNITS",
    "REGIONS",
    "Label",
    "Product",
    "ProductId",
    "ScLimits",
    "Sourced",
    "product",
    "product_ids",
    "product_routes",
    "products",
]

T = TypeVar("T")

EXCIPIENTS = (
    "proline",
    "glycine",
    "maltose",
    "sorbitol",
    "glucose",
    "polysorbate_80",
    "albumin",
    "hyaluronidase",
)
INDICATIONS = ("cidp", "mmn")
REGIONS = ("US", "EU", "AU", "GB", "CA")
RATE_UNITS = ("mL/kg/min", "mL/kg/h", "mg/kg/min")
SODIUM_UNITS = ("mmol/L", "mg/100mL")


class ProductId(Record, frozen=True):
    """A product's identity: id, brand name, maker and the routes it may be given by."""

    id: str
    name: str
    maker: str
    routes: tuple[str, ...]


class Sourced(Record, Generic[T], frozen=True):
    """A catalogue value with its provenance.

    ``label`` is the value as printed on the label when it was converted (e.g.
    ``"0.5 mL/kg/h"``); ``kind`` says whether a number is a specification maximum or a mean.
    """

    value: T
    source: str
    verified: bool
    unit: str = ""
    kind: str = ""
    note: str = ""
    label: str = ""


class Label(Record, frozen=True):
    """A labelled neurology indication of a product in one region."""

    region: str
    indication: str
    source: str
    verified: bool
    note: str = ""


class ScLimits(Record, frozen=True):
    """Subcutaneous limits per infusion site and per day (None where not on file)."""

    site_volume_ml_max: Sourced[float] | None = None
    site_volume_ml_max_initial: Sourced[float] | None = None
    site_volume_ml_max_at_3_sites: Sourced[float] | None = None
    site_rate_ml_h_initial: Sourced[float] | None = None
    site_rate_ml_h_max: Sourced[float] | None = None
    initial_infusions: Sourced[int] | None = None
    sites_max: Sourced[int] | None = None
    total_rate_ml_h_initial: Sourced[float] | None = None
    total_rate_ml_h_max: Sourced[float] | None = None
    day_volume_ml_max: Sourced[float] | None = None
    day_volume_ml_max_under_40kg: Sourced[float] | None = None
    weekly_g_per_kg_min: Sourced[float] | None = None
    weekly_g_per_kg_max: Sourced[float] | None = None
    sessions_per_week_max: Sourced[int] | None = None
    min_weight_kg: Sourced[float] | None = None
    ramp_in_session: Sourced[bool] | None = None
    interval_weeks: Sourced[tuple[int, ...]] | None = None


class Product(Record, frozen=True):
    """An immunoglobulin product with every parameter the planner reads."""

    id: str
    name: str
    maker: str
    routes: tuple[str, ...]
    concentration_pct: Sourced[float] | None = None
    excipients: Sourced[tuple[str, ...]] | None = None
    iga_ug_ml: Sourced[float] | None = None
    sodium: Sourced[float] | None = None
    packs_g: Sourced[tuple[float, ...]] | None = None
    iv_rate_initial_ml_kg_min: Sourced[float] | None = None
    iv_rate_max_ml_kg_min: Sourced[float] | None = None
    iv_rate_max_at_risk_ml_kg_min: Sourced[float] | None = None
    iv_initial_hold_min: Sourced[float] | None = None
    sc: ScLimits | None = None
    labels: tuple[Label, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)

    def has_excipient(self, name: str) -> bool | None:
        """True/False when the excipients are on file, None when they are not."""
        if self.excipients is None:
            return None
        return name in self.excipients.value

    def labelled(self, indication: str) -> tuple[Label, ...]:
        """The labels on file for ``indication`` (any region)."""
        return tuple(lab for lab in self.labels if lab.indication == indication)

    def sodium_mg_per_ml(self) -> float | None:
        """Sodium content in mg/mL (from mmol/L × 22.99 mg/mmol, or mg/100 mL)."""
        if self.sodium is None:
            return None
        if self.sodium.unit == "mmol/L":
            return self.sodium.value * 22.99 / 1000.0
        return self.sodium.value / 100.0


# ------------------------------------------------------------------- loading


def _sourced(raw: Any, where: str, kind: type) -> Sourced[Any]:
    if not isinstance(raw, dict) or "value" not in raw:
        raise ReferenceDataError(f"{where}: must be an inline table with a value")
    key = raw.get("source", "")
    if key not in bibliography():
        raise ReferenceDataError(f"{where}: source key {key!r} not in the bibliography")
    value = raw["value"]
    if kind is tuple:
        value = tuple(value)
    elif kind is float:
        value = float(value)
    return Sourced(
        value=value,
        source=cite_row(raw),
        verified=bool(raw.get("verified", False)),
        unit=str(raw.get("unit", "")),
        kind=str(raw.get("kind", "")),
        note=str(raw.get("note", "")),
    )


def _rate(raw: Any, where: str, conc: Sourced[float] | None) -> Sourced[float] | None:
    if raw is None:
        return None
    s = _sourced(raw, where, float)
    label = f"{s.value:g} {s.unit}"
    if s.unit == "mL/kg/min":
        value = s.value
    elif s.unit == "mL/kg/h":
        value = s.value / 60.0
    elif s.unit == "mg/kg/min":
        if conc is None:
            raise ReferenceDataError(f"{where}: mg/kg/min needs the product's concentration")
        value = s.value / (conc.value * 10.0)  # mg/mL = % × 10
    else:
        raise ReferenceDataError(f"{where}: unit must be one of {RATE_UNITS}, got {s.unit!r}")
    return Sourced(value, s.source, s.verified, "mL/kg/min", s.kind, s.note, label)


_SC_FIELDS: dict[str, type] = {
    "site_volume_ml_max": float,
    "site_volume_ml_max_initial": float,
    "site_volume_ml_max_at_3_sites": float,
    "site_rate_ml_h_initial": float,
    "site_rate_ml_h_max": float,
    "initial_infusions": int,
    "sites_max": int,
    "total_rate_ml_h_initial": float,
    "total_rate_ml_h_max": float,
    "day_volume_ml_max": float,
    "day_volume_ml_max_under_40kg": float,
    "weekly_g_per_kg_min": float,
    "weekly_g_per_kg_max": float,
    "sessions_per_week_max": int,
    "min_weight_kg": float,
    "ramp_in_session": bool,
    "interval_weeks": tuple,
}


def _sc(raw: Any, where: str) -> ScLimits | None:
    if raw is None:
        return None
    unknown = set(raw) - set(_SC_FIELDS)
    if unknown:
        raise ReferenceDataError(f"{where}: unknown keys {sorted(unknown)}")
    values = {k: _sourced(v, f"{where}.{k}", _SC_FIELDS[k]) for k, v in raw.items()}
    return ScLimits(**values)


def _packs(row: dict[str, Any], where: str, conc: Sourced[float] | None) -> Any:
    if "packs_g" in row:
        return _sourced(row["packs_g"], f"{where}.packs_g", tuple)
    if "packs_ml" in row:
        s = _sourced(row["packs_ml"], f"{where}.packs_ml", tuple)
        if conc is None:
            raise ReferenceDataError(f"{where}: packs_ml needs the product's concentration")
        grams = tuple(round(ml * conc.value / 100.0, 2) for ml in s.value)
        label = ", ".join(f"{ml:g}" for ml in s.value) + " mL"
        return Sourced(grams, s.source, s.verified, "g", "", s.note, label)
    return None


def _product(row: dict[str, Any], index: int) -> Product:
    where = f"products[{index}] ({row.get('id')})"

    def opt(key: str, kind: type) -> Any:
        return _sourced(row[key], f"{where}.{key}", kind) if key in row else None

    conc = opt("concentration_pct", float)
    labels = []
    for j, lab in enumerate(row.get("labels", [])):
        key = lab.get("source", "")
        if key not in bibliography():
            raise ReferenceDataError(
                f"{where}.labels[{j}]: source key {key!r} not in the bibliography"
            )
        labels.append(
            Label(
                region=lab["region"],
                indication=lab["indication"],
                source=cite_row(lab),
                verified=bool(lab.get("verified", False)),
                note=str(lab.get("note", "")),
            )
        )
    return Product(
        id=row["id"],
        name=row["name"],
        maker=row["maker"],
        routes=tuple(row["routes"]),
        concentration_pct=conc,
        excipients=opt("excipients", tuple),
        iga_ug_ml=opt("iga_ug_ml", float),
        sodium=opt("sodium", float),
        packs_g=_packs(row, where, conc),
        iv_rate_initial_ml_kg_min=_rate(
            row.get("iv_rate_initial"), f"{where}.iv_rate_initial", conc
        ),
        iv_rate_max_ml_kg_min=_rate(row.get("iv_rate_max"), f"{where}.iv_rate_max", conc),
        iv_rate_max_at_risk_ml_kg_min=_rate(
            row.get("iv_rate_max_at_risk"), f"{where}.iv_rate_max_at_risk", conc
        ),
        iv_initial_hold_min=opt("iv_initial_hold_min", float),
        sc=_sc(row.get("sc"), f"{where}.sc"),
        labels=tuple(labels),
        notes=tuple(row.get("notes", ())),
    )


@cache
def products() -> Mapping[str, Product]:
    """Every catalogued product with its parameters, by id (read-only)."""
    rows = raw_table("products")["products"]
    return MappingProxyType({row["id"]: _product(row, i) for i, row in enumerate(rows)})


@cache
def _ids() -> Mapping[str, ProductId]:
    return MappingProxyType(
        {
            row["id"]: ProductId(
                id=row["id"], name=row["name"], maker=row["maker"], routes=tuple(row["routes"])
            )
            for row in raw_table("products")["products"]
        }
    )


@cache
def product_ids() -> tuple[str, ...]:
    """Return every catalogued product id."""
    return tuple(_ids())


def product_routes(product_id: str) -> tuple[str, ...]:
    """Return the routes (``iv``/``sc``) a product may be given by."""
    try:
        return _ids()[product_id].routes
    except KeyError:
        raise ReferenceDataError(f"product {product_id!r} is not in the catalogue") from None


def product(product_id: str, *, field_name: str = "product") -> Product:
    """Return the catalogued product ``product_id``.

    Raises
    ------
    InputError
        When the id is not in the catalogue (names ``field_name`` and lists the ids).
    """
    try:
        return products()[product_id]
    except KeyError:
        raise InputError(
            field_name, product_id, f"must be one of: {', '.join(product_ids())}"
        ) from None
