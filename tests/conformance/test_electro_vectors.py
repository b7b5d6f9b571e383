"""Conformance: the hand-computed vectors of ``electro_vectors.yaml`` (issue 3).

Each vector is one motor nerve-side with its sites, limits and options; only the keys
a vector gives under ``expect`` are checked (numbers within 0.05).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from neuroig.case import Ncs
from neuroig.electro import ElectroOptions, ElectroResult, analyse_ncs

VECTORS: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "electro_vectors.yaml").read_text(encoding="utf-8")
)
SEGMENT_KEYS = {
    "distance_mm": "distance_mm",
    "velocity_m_s": "velocity_m_s",
    "amplitude_drop_pct": "amplitude_drop_pct",
    "area_drop_pct": "area_drop_pct",
    "duration_increase_pct": "duration_increase_pct",
}


def run(v: dict[str, Any]) -> ElectroResult:
    study: dict[str, Any] = {
        "nerve": v["nerve"],
        "side": v.get("side", "left"),
        "sites": v["sites"],
    }
    for key in ("recording", "f_wave", "temperature_c"):
        if key in v and key != "temperature_c":
            study[key] = v[key]
    if "limits" in v:
        study["lab_reference"] = v["limits"]
    ncs: dict[str, Any] = {"motor": [study]}
    if "temperature_c" in v:
        ncs["temperature_c"] = v["temperature_c"]
    if "low_frequency_filter_hz" in v:
        ncs["low_frequency_filter_hz"] = v["low_frequency_filter_hz"]
    options = ElectroOptions(**v.get("options", {}))
    return analyse_ncs(Ncs.model_validate(ncs), age_years=v.get("age_years"), options=options)


def test_there_are_at_least_forty_vectors() -> None:
    assert len(VECTORS) >= 40
    assert len({v["id"] for v in VECTORS}) == len(VECTORS)


@pytest.mark.parametrize("vector", VECTORS, ids=lambda v: v["id"])
def test_vector(vector: dict[str, Any]) -> None:
    result = run(vector)
    nerve = result.motor[0]
    expect = vector["expect"]
    segments = {(s.from_site, s.to_site, s.kind): s for s in nerve.segments}
    for want in expect.get("segments", []):
        key = (want["from"], want["to"], want.get("kind", "segmental"))
        assert key in segments, f"segment {key} not produced; have {sorted(segments)}"
        seg = segments[key]
        for field, attr in SEGMENT_KEYS.items():
            if field in want:
                got = getattr(seg, attr)
                if want[field] is None:
                    assert got is None, (field, got)
                else:
                    assert got is not None, (field, got)
                    assert got == pytest.approx(want[field], abs=0.05), field
        checks = {
            "entrapment_site": seg.entrapment_site,
            "long_segment": seg.long_segment,
            "block_efns_pns_2010": seg.efns.grade,
            "efns_definite": seg.efns.definite,
            "efns_probable": seg.efns.probable,
            "block_ean_pns_2021": seg.ean_block,
            "dispersion_ean_pns_2021": seg.ean_dispersion,
        }
        for field, got in checks.items():
            if field in want:
                assert got == want[field], (key, field, got, seg.efns.reason)
        if "reason_contains" in want:
            assert want["reason_contains"].lower() in seg.efns.reason.lower(), seg.efns.reason
    for fid, status in expect.get("findings", {}).items():
        finding = nerve.finding(fid)
        assert finding.status == status, (fid, finding.reason)
    if "temperature_warning" in expect:
        assert (nerve.temperature_warning is not None) is expect["temperature_warning"]
