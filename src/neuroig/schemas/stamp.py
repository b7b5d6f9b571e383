"""The stamp every output carries: versions and the input hash, taken at compute time.

``rules`` names the version of each rule family that produced the result: each criteria
set's ``RULES_VERSION`` and the therapy and monitoring rule versions below.
``reference_tables`` maps each shipped TOML table (``neuroig/reference/data``) to the
SHA-256 of its bytes, so a result can be traced to the exact numbers it used.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import resources

from neuroig._version import __version__
from neuroig.criteria import (
    cidp_ean_pns_2021,
    cidp_efns_pns_2010,
    mmn_aaem_2003,
    mmn_efns_pns_2010,
)

__all__ = [
    "MONITORING_RULES_VERSION",
    "THERAPY_RULES_VERSION",
    "StampValues",
    "reference_tables",
    "rules_versions",
    "stamp",
]

#: Version of the therapy planner's rules (dosing, safety findings, gates T1-T24).
THERAPY_RULES_VERSION = "2026.12.02"
#: Version of the monitoring rules (response, wear-off, intensity, review M1-M9).
MONITORING_RULES_VERSION = "2026.12.02"

StampValues = dict[str, object]


@cache
def rules_versions() -> dict[str, str]:
    """Version of each rule family: the four criteria sets, therapy and monitoring."""
    return {
        mmn_efns_pns_2010.SET_ID: mmn_efns_pns_2010.RULES_VERSION,
        mmn_aaem_2003.SET_ID: mmn_aaem_2003.RULES_VERSION,
        cidp_ean_pns_2021.SET_ID: cidp_ean_pns_2021.RULES_VERSION,
        cidp_efns_pns_2010.SET_ID: cidp_efns_pns_2010.RULES_VERSION,
        "therapy": THERAPY_RULES_VERSION,
        "monitoring": MONITORING_RULES_VERSION,
    }


@cache
def reference_tables() -> dict[str, str]:
    """Name of each shipped reference table → ``sha256:`` of its bytes, sorted by name."""
    data = resources.files("neuroig.reference").joinpath("data")
    out: dict[str, str] = {}
    for entry in sorted(data.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            digest = hashlib.sha256(entry.read_bytes()).hexdigest()
            out[entry.name.removesuffix(".toml")] = f"sha256:{digest}"
    return out


def stamp(input_sha256: str) -> StampValues:
    """The stamp fields of a document computed now from a case with this input hash."""
    return {
        "neuroig_version": __version__,
        "input_sha256": input_sha256,
        "rules": dict(rules_versions()),
        "reference_tables": dict(reference_tables()),
    }
