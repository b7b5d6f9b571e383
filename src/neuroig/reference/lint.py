"""Lint the shipped reference tables, reporting every problem at once.

Run by the test suite (``tests/meta``): every row sourced, every ``verified`` flag a
boolean, every value in range, every name drawn from the format's vocabulary.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

from neuroig.errors import ReferenceDataError
from neuroig.reference._load import raw_table
from neuroig.reference.limits import MOTOR_MEASURES, SENSORY_MEASURES
from neuroig.reference.outcomes import MCID_KINDS
from neuroig.reference.products import (
    _SC_FIELDS,
    EXCIPIENTS,
    INDICATIONS,
    RATE_UNITS,
    REGIONS,
    SODIUM_UNITS,
    products,
)
from neuroig.reference.sources import KINDS, row_keys
from neuroig.vocab import MotorNerve, MotorSite, Route, SensoryNerve, values

__all__ = ["lint_tables"]

_ROOT = re.compile(r"^(C[1-8]|T(1[0-2]|[1-9])|L[1-5]|S[1-5])$")


def _sourced(row: dict[str, Any], table: dict[str, Any]) -> bool:
    return bool(row_keys(row) or row_keys(table))


def _verified_flag(row: dict[str, Any], table: dict[str, Any]) -> bool:
    flag = row.get("verified", table.get("verified"))
    return isinstance(flag, bool)


def _lint_muscles(problems: list[str]) -> None:
    doc = raw_table("muscles")
    table = doc["table"]
    seen: set[str] = set()
    for i, row in enumerate(doc["muscles"]):
        where = f"muscles[{i}] ({row.get('id')})"
        if row.get("id") in seen:
            problems.append(f"{where}: duplicate id")
        seen.add(row.get("id", ""))
        if not re.fullmatch(r"[a-z][a-z0-9_]*", row.get("id", "")):
            problems.append(f"{where}: id must be lower snake case")
        for key in ("name", "main_nerve", "limb", "part", "region"):
            if not row.get(key):
                problems.append(f"{where}: missing {key}")
        if row.get("limb") not in {"upper", "lower", "axial", "cranial"}:
            problems.append(f"{where}: limb {row.get('limb')!r} not upper/lower/axial/cranial")
        if row.get("part") not in {"proximal", "distal", "axial"}:
            problems.append(f"{where}: part {row.get('part')!r} not proximal/distal/axial")
        if row.get("region") not in {"bulbar", "cervical", "thoracic", "lumbosacral"}:
            problems.append(f"{where}: region {row.get('region')!r} unknown")
        if row.get("limb") in {"upper", "lower"} and row.get("part") == "axial":
            problems.append(f"{where}: a limb muscle must be proximal or distal")
        for root in row.get("roots", []):
            if not _ROOT.match(root):
                problems.append(f"{where}: root {root!r} is not a spinal root name")
        if not _sourced(row, table):
            problems.append(f"{where}: no source")
        if not _verified_flag(row, table):
            problems.append(f"{where}: verified must be true or false")


def _lint_nerves(problems: list[str]) -> None:
    doc = raw_table("nerves")
    sites = set(values(MotorSite))
    motor_ids = set(values(MotorNerve))
    sensory_ids = set(values(SensoryNerve))
    ranks: dict[str, dict[str, int]] = {}
    for i, row in enumerate(doc["motor"]):
        where = f"nerves.motor[{i}] ({row.get('id')})"
        if row.get("id") not in motor_ids:
            problems.append(f"{where}: not a motor nerve of the case format")
        r: dict[str, int] = {}
        last = 0
        for s in row.get("sites", []):
            if s["site"] not in sites:
                problems.append(f"{where}: site {s['site']!r} is not a case-format site")
            if s["rank"] < last:
                problems.append(f"{where}: site {s['site']!r} listed out of rank order")
            last = s["rank"]
            r[s["site"]] = s["rank"]
        ranks[row.get("id", "")] = r
        sens = row.get("sensory_nerve")
        if sens is not None and sens not in sensory_ids:
            problems.append(f"{where}: sensory_nerve {sens!r} unknown")
    for nerve in motor_ids - set(ranks):
        problems.append(f"nerves.motor: case-format nerve {nerve!r} has no row")
    for i, row in enumerate(doc["sensory"]):
        if row.get("id") not in sensory_ids:
            problems.append(f"nerves.sensory[{i}]: {row.get('id')!r} not a case-format nerve")
    for i, row in enumerate(doc["entrapment"]):
        where = f"nerves.entrapment[{i}]"
        r = ranks.get(row.get("nerve", ""), {})
        if not r:
            problems.append(f"{where}: unknown nerve {row.get('nerve')!r}")
            continue
        a, b = r.get(row.get("from_site", "")), r.get(row.get("to_site", ""))
        if a is None or b is None:
            problems.append(f"{where}: site not on nerve {row['nerve']}")
        elif a >= b:
            problems.append(f"{where}: from_site must be distal to to_site")
        if not row_keys(row):
            problems.append(f"{where}: no source")
        if not isinstance(row.get("verified"), bool):
            problems.append(f"{where}: verified must be true or false")


def _lint_limits(problems: list[str]) -> None:
    doc = raw_table("limits")
    allowed = {"motor": set(MOTOR_MEASURES), "sensory": set(SENSORY_MEASURES)}
    nerves = {"motor": set(values(MotorNerve)), "sensory": set(values(SensoryNerve))}
    bands: dict[tuple[str, str, str, str], list[tuple[float, float]]] = {}
    for kind in ("motor", "sensory"):
        for i, row in enumerate(doc.get(kind, [])):
            where = f"limits.{kind}[{i}] ({row.get('nerve')} {row.get('measure')})"
            if row.get("nerve") not in nerves[kind]:
                problems.append(f"{where}: unknown nerve")
            if row.get("measure") not in allowed[kind]:
                problems.append(f"{where}: unknown measure (allowed: {sorted(allowed[kind])})")
            value = row.get("value")
            if not isinstance(value, int | float) or value < 0:
                problems.append(f"{where}: value must be a number >= 0")
            if not row_keys(row):
                problems.append(f"{where}: no source")
            if not isinstance(row.get("verified"), bool):
                problems.append(f"{where}: verified must be true or false")
            lo = float(row.get("age_min", 0.0))
            hi = float(row.get("age_max", 200.0))
            if lo >= hi:
                problems.append(f"{where}: age_min must be below age_max")
            key = (kind, row.get("nerve", ""), row.get("measure", ""), row.get("recording", ""))
            for a, b in bands.get(key, []):
                if lo < b and hi > a:
                    problems.append(f"{where}: age band overlaps another row")
            bands.setdefault(key, []).append((lo, hi))
    seen: set[tuple[str, str, float]] = set()
    for i, row in enumerate(doc.get("distal_duration", [])):
        where = f"limits.distal_duration[{i}]"
        if row.get("criteria") not in {"cidp_ean_pns_2021", "cidp_efns_pns_2010"}:
            problems.append(f"{where}: unknown criteria set {row.get('criteria')!r}")
        if row.get("nerve") not in nerves["motor"]:
            problems.append(f"{where}: unknown nerve")
        if row.get("comparator") not in {">", ">="}:
            problems.append(f"{where}: comparator must be > or >=")
        if not isinstance(row.get("value_ms"), int | float) or row["value_ms"] <= 0:
            problems.append(f"{where}: value_ms must be a number > 0")
        if not row_keys(row):
            problems.append(f"{where}: no source")
        if not isinstance(row.get("verified"), bool):
            problems.append(f"{where}: verified must be true or false")
        dkey = (row.get("criteria", ""), row.get("nerve", ""), float(row.get("lff_hz", -1)))
        if dkey in seen:
            problems.append(f"{where}: duplicate cut-off for {dkey}")
        seen.add(dkey)


_PRODUCT_NUMBERS: dict[str, tuple[float, float]] = {
    # key: (lowest, highest) plausible value
    "concentration_pct": (1.0, 30.0),
    "iga_ug_ml": (0.0, 5000.0),
    "iv_initial_hold_min": (0.0, 120.0),
}
_PRODUCT_KEYS = {
    "id",
    "name",
    "maker",
    "routes",
    "concentration_pct",
    "excipients",
    "iga_ug_ml",
    "sodium",
    "packs_g",
    "packs_ml",
    "iv_rate_initial",
    "iv_rate_max",
    "iv_rate_max_at_risk",
    "iv_initial_hold_min",
    "sc",
    "labels",
    "notes",
}


def _lint_value(problems: list[str], where: str, raw: Any, kind: str = "number") -> None:
    """One catalogue value: an inline table with value, a known source and a verified flag."""
    if not isinstance(raw, dict) or "value" not in raw:
        problems.append(f"{where}: must be an inline table with a value")
        return
    if not row_keys(raw):
        problems.append(f"{where}: no source")
    if not isinstance(raw.get("verified"), bool):
        problems.append(f"{where}: verified must be true or false")
    value = raw["value"]
    if kind == "number" and (isinstance(value, bool) or not isinstance(value, int | float)):
        problems.append(f"{where}: value must be a number")
    elif kind == "number" and value < 0:
        problems.append(f"{where}: value must be >= 0")
    elif kind == "list" and (
        not isinstance(value, list)
        or not value
        or not all(isinstance(v, int | float) and not isinstance(v, bool) and v > 0 for v in value)
    ):
        problems.append(f"{where}: value must be a non-empty list of numbers > 0")


def _lint_products(problems: list[str]) -> None:
    doc = raw_table("products")
    routes = set(values(Route))
    seen: set[str] = set()
    for i, row in enumerate(doc["products"]):
        where = f"products[{i}] ({row.get('id')})"
        if row.get("id") in seen:
            problems.append(f"{where}: duplicate id")
        seen.add(row.get("id", ""))
        if not re.fullmatch(r"[a-z][a-z0-9_]*", row.get("id", "")):
            problems.append(f"{where}: id must be lower snake case")
        if not row.get("routes") or not set(row["routes"]) <= routes:
            problems.append(f"{where}: routes must be a non-empty subset of {sorted(routes)}")
        for key in set(row) - _PRODUCT_KEYS:
            problems.append(f"{where}: unknown key {key!r}")
        for key, (lo, hi) in _PRODUCT_NUMBERS.items():
            if key in row:
                _lint_value(problems, f"{where}.{key}", row[key])
                v = row[key].get("value") if isinstance(row[key], dict) else None
                if isinstance(v, int | float) and not lo <= v <= hi:
                    problems.append(f"{where}.{key}: {v} outside {lo:g}-{hi:g}")
        if "iga_ug_ml" in row and row["iga_ug_ml"].get("kind") not in ("max", "mean"):
            problems.append(f"{where}.iga_ug_ml: kind must be max or mean")
        if "sodium" in row:
            _lint_value(problems, f"{where}.sodium", row["sodium"])
            if row["sodium"].get("unit") not in SODIUM_UNITS:
                problems.append(f"{where}.sodium: unit must be one of {SODIUM_UNITS}")
        if "packs_g" in row and "packs_ml" in row:
            problems.append(f"{where}: give packs_g or packs_ml, not both")
        for key in ("packs_g", "packs_ml"):
            if key in row:
                _lint_value(problems, f"{where}.{key}", row[key], "list")
        if "packs_ml" in row and "concentration_pct" not in row:
            problems.append(f"{where}: packs_ml needs concentration_pct")
        for key in ("iv_rate_initial", "iv_rate_max", "iv_rate_max_at_risk"):
            if key not in row:
                continue
            _lint_value(problems, f"{where}.{key}", row[key])
            if row[key].get("unit") not in RATE_UNITS:
                problems.append(f"{where}.{key}: unit must be one of {RATE_UNITS}")
            if "iv" not in row.get("routes", []):
                problems.append(f"{where}.{key}: an IV rate on a product without the iv route")
        if "iv_rate_max" in row and "iv_rate_initial" not in row:
            problems.append(f"{where}: iv_rate_max without iv_rate_initial")
        if "excipients" in row:
            _lint_value(problems, f"{where}.excipients", row["excipients"], "names")
            for e in row["excipients"].get("value", []):
                if e not in EXCIPIENTS:
                    problems.append(f"{where}.excipients: {e!r} not one of {EXCIPIENTS}")
        sc = row.get("sc")
        if sc is not None:
            if "sc" not in row.get("routes", []):
                problems.append(f"{where}.sc: SC limits on a product without the sc route")
            for key, raw in sc.items():
                if key not in _SC_FIELDS:
                    problems.append(f"{where}.sc: unknown key {key!r}")
                    continue
                kind = {float: "number", int: "number", tuple: "list"}.get(_SC_FIELDS[key], "")
                _lint_value(problems, f"{where}.sc.{key}", raw, kind)
        for j, lab in enumerate(row.get("labels", [])):
            lw = f"{where}.labels[{j}]"
            if lab.get("region") not in REGIONS:
                problems.append(f"{lw}: region {lab.get('region')!r} not one of {REGIONS}")
            if lab.get("indication") not in INDICATIONS:
                problems.append(
                    f"{lw}: indication {lab.get('indication')!r} not one of {INDICATIONS}"
                )
            if not row_keys(lab):
                problems.append(f"{lw}: no source")
            if not isinstance(lab.get("verified"), bool):
                problems.append(f"{lw}: verified must be true or false")
    if not any(p.startswith("products") for p in problems):
        try:
            products.__wrapped__()  # the loader's own checks, uncached
        except ReferenceDataError as exc:
            problems.append(f"products: {exc}")


def _lint_thresholds(problems: list[str]) -> None:
    doc = raw_table("thresholds")
    seen: set[str] = set()
    for i, row in enumerate(doc.get("thresholds", [])):
        where = f"thresholds[{i}] ({row.get('id')})"
        if row.get("id") in seen:
            problems.append(f"{where}: duplicate id")
        seen.add(row.get("id", ""))
        if row.get("comparator") not in {">=", ">", "<=", "<"}:
            problems.append(f"{where}: comparator must be one of >=, >, <=, <")
        if not isinstance(row.get("value"), int | float):
            problems.append(f"{where}: value must be a number")
        if not row.get("unit"):
            problems.append(f"{where}: no unit")
        if not row.get("statement"):
            problems.append(f"{where}: no statement")
        if not row_keys(row):
            problems.append(f"{where}: no source")
        if not isinstance(row.get("verified"), bool):
            problems.append(f"{where}: verified must be true or false")


def _lint_aaem(problems: list[str]) -> None:
    doc = raw_table("aaem_block")
    table = doc.get("table", {})
    if not row_keys(table):
        problems.append("aaem_block: no source")
    if table.get("enabled"):
        problems.append(
            "aaem_block: enabled, but this neuroig version grades AAEM blocks only as unknown; "
            "wire the grading (criteria/mmn_aaem_2003.py) before enabling the table"
        )
    if doc.get("rows") and not table.get("verified"):
        problems.append("aaem_block: rows present but verified is false")


def _lint_outcome_rows(problems: list[str], doc: dict[str, Any]) -> None:
    table = doc.get("table", {})
    seen: set[str] = set()
    for i, row in enumerate(doc.get("measures", [])):
        where = f"outcome_measures.measures[{i}] ({row.get('id')})"
        mid = row.get("id", "")
        if mid in seen:
            problems.append(f"{where}: duplicate id")
        seen.add(mid)
        if not re.fullmatch(r"[a-z][a-z0-9_]*", mid):
            problems.append(f"{where}: id must be lower snake case")
        for key in ("name", "unit"):
            if not row.get(key):
                problems.append(f"{where}: missing {key}")
        kind = row.get("mcid_kind")
        if kind not in MCID_KINDS:
            problems.append(f"{where}: mcid_kind {kind!r} not one of {list(MCID_KINDS)}")
        mcid = row.get("mcid")
        if kind == "declared":
            if mcid is not None:
                problems.append(f"{where}: a declared MCID must not ship a value")
        elif not isinstance(mcid, int | float) or isinstance(mcid, bool) or mcid <= 0:
            problems.append(f"{where}: mcid must be a number > 0")
        hib = row.get("higher_is_better")
        if kind != "declared" and not isinstance(hib, bool):
            problems.append(f"{where}: higher_is_better must be true or false")
        lo, hi = row.get("scale_min", 0), row.get("scale_max")
        if hi is not None and not lo < hi:
            problems.append(f"{where}: scale_min must be below scale_max")
        if not isinstance(row.get("in_m1"), bool):
            problems.append(f"{where}: in_m1 must be true or false")
        if row.get("applies_to", "all") not in {"all", "mmn", "cidp"}:
            problems.append(f"{where}: applies_to must be all, mmn or cidp")
        if not _sourced(row, table):
            problems.append(f"{where}: no source")
        if not _verified_flag(row, table):
            problems.append(f"{where}: verified must be true or false")
    rule_ids: set[str] = set()
    for i, row in enumerate(doc.get("rules", [])):
        where = f"outcome_measures.rules[{i}] ({row.get('id')})"
        if row.get("id") in rule_ids:
            problems.append(f"{where}: duplicate id")
        rule_ids.add(row.get("id", ""))
        value = row.get("value")
        values_ = value if isinstance(value, list) else [value]
        if not values_ or not all(
            isinstance(v, int | float) and not isinstance(v, bool) and v >= 0 for v in values_
        ):
            problems.append(f"{where}: value must be a number >= 0 or a list of them")
        if not row.get("unit"):
            problems.append(f"{where}: missing unit")
        if not row_keys(row):
            problems.append(f"{where}: no source")
        if not isinstance(row.get("verified"), bool):
            problems.append(f"{where}: verified must be true or false")
    classes = sorted(int(r.get("class", 0)) for r in doc.get("cdas", []))
    if classes != [1, 2, 3, 4, 5]:
        problems.append(f"outcome_measures.cdas: classes must be 1-5 once each, got {classes}")
    for i, row in enumerate(doc.get("cdas", [])):
        if not row_keys(row) or not isinstance(row.get("verified"), bool):
            problems.append(f"outcome_measures.cdas[{i}]: needs a source and a verified flag")
    muscle_ids = {m.get("id") for m in raw_table("muscles")["muscles"]}
    for i, row in enumerate(doc.get("mrc_variants", [])):
        where = f"outcome_measures.mrc_variants[{i}] ({row.get('id')})"
        unknown = [m for m in row.get("muscles", []) if m not in muscle_ids]
        if unknown:
            problems.append(f"{where}: muscles not in the muscle table: {unknown}")
        if row.get("max") != 10 * len(row.get("muscles", [])):
            problems.append(f"{where}: max must be 10 x the number of muscle pairs")
        if not row_keys(row) or not isinstance(row.get("verified"), bool):
            problems.append(f"{where}: needs a source and a verified flag")
    simon = doc.get("simon_2013", {})
    if not row_keys(simon) or not isinstance(simon.get("verified"), bool):
        problems.append("outcome_measures.simon_2013: needs a source and a verified flag")
    if not isinstance(simon.get("response_definition_verified"), bool):
        problems.append("outcome_measures.simon_2013: response_definition_verified must be a bool")


def _lint_outcomes(problems: list[str]) -> None:
    _lint_outcome_rows(problems, raw_table("outcome_measures"))


def _lint_therapy(problems: list[str]) -> None:
    """The planner's parameters and gates (``therapy.toml``, decisions T14-T23)."""
    doc = raw_table("therapy")
    for section in ("params", "gates"):
        for i, row in enumerate(doc.get(section, [])):
            where = f"therapy.{section}[{i}] ({row.get('id') or row.get('flag')})"
            if not row_keys(row):
                problems.append(f"{where}: no source")
            if not isinstance(row.get("verified"), bool):
                problems.append(f"{where}: verified must be true or false")
            value = row.get("value")
            if section == "params" and isinstance(value, str):
                if not re.fullmatch(r"[A-Z]{3}", value):
                    problems.append(f"{where}: a text value must be a 3-letter ISO 4217 code")
                continue
            if section == "params" and not (
                isinstance(value, int | float) and not isinstance(value, bool) and value > 0
            ):
                ok = isinstance(value, list) and all(
                    isinstance(v, int | float) and not isinstance(v, bool) and v >= 0 for v in value
                )
                if not ok:
                    problems.append(f"{where}: value must be a positive number or a list of them")


#: The shipped tables whose rows cite the bibliography.
TABLES = (
    "aaem_block",
    "limits",
    "muscles",
    "nerves",
    "outcome_measures",
    "prices",
    "products",
    "therapy",
    "thresholds",
)
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")


def _walk_citations(node: Any, path: str, found: list[tuple[str, str]]) -> None:
    """Collect (path, key) for every ``source``/``sources`` key under ``node``."""
    if isinstance(node, dict):
        for key in row_keys(node):
            found.append((path, key))
        for name, child in node.items():
            if name not in ("source", "sources"):
                _walk_citations(child, f"{path}.{name}", found)
    elif isinstance(node, list):
        for i, child in enumerate(node):
            _walk_citations(child, f"{path}[{i}]", found)


def cited_keys() -> dict[str, list[str]]:
    """Bibliography key → the table paths that cite it (every shipped table)."""
    found: list[tuple[str, str]] = []
    for name in TABLES:
        _walk_citations(raw_table(name), name, found)
    out: dict[str, list[str]] = {}
    for path, key in found:
        out.setdefault(key, []).append(path)
    return out


def _lint_bibliography(problems: list[str], code_keys: Collection[str]) -> None:
    """Every entry well formed; every key cited exists; every entry cited somewhere."""
    entries: dict[str, Any] = raw_table("sources").get("bibliography", {})
    for key, raw in entries.items():
        where = f"sources.{key}"
        if not re.fullmatch(r"[a-z][A-Za-z0-9]*", key):
            problems.append(f"{where}: key must be lower camel case (author + year)")
        if raw.get("kind") not in KINDS:
            problems.append(f"{where}: kind {raw.get('kind')!r} not one of {KINDS}")
        if not raw.get("title"):
            problems.append(f"{where}: no title")
        doi = raw.get("doi")
        if doi is not None and not (isinstance(doi, str) and _DOI.match(doi)):
            problems.append(f"{where}: doi {doi!r} is not of the form 10.NNNN/...")
        if doi is not None and raw.get("doi_verified") is not True:
            problems.append(f"{where}: a DOI ships only when doi_verified = true")
    cited = cited_keys()
    for key, paths in sorted(cited.items()):
        if key not in entries:
            for path in paths:
                problems.append(f"{path}: source key {key!r} is not in the bibliography")
    for key in sorted(set(code_keys) - set(entries)):
        problems.append(f"code: citation key {key!r} is not in the bibliography")
    for key in sorted(set(entries) - set(cited) - set(code_keys)):
        problems.append(f"sources.{key}: cited by no table and no rule (remove it)")


def lint_tables(code_keys: Collection[str] | None = None) -> list[str]:
    """Return every problem found in the shipped tables (empty when all are clean).

    ``code_keys`` are the bibliography keys cited by the rules' code (the criteria
    modules' citations); given, an entry cited by neither a table nor the code is a
    problem, and so is a code key missing from the bibliography.
    """
    problems: list[str] = []
    _lint_bibliography(problems, code_keys if code_keys is not None else ())
    if code_keys is None:
        problems[:] = [p for p in problems if "cited by no table" not in p]
    _lint_muscles(problems)
    _lint_nerves(problems)
    _lint_limits(problems)
    _lint_products(problems)
    _lint_thresholds(problems)
    _lint_aaem(problems)
    _lint_outcomes(problems)
    _lint_therapy(problems)
    return problems
