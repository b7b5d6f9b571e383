"""docs/case-format.md agrees with the case models, and its examples validate."""

from __future__ import annotations

import json
import re
from types import ModuleType
from typing import Any

import pytest
from tests.conftest import ROOT, script_module

from neuroig import case_json_schema, parse_case

DOC = ROOT / "docs" / "case-format.md"


def _generator() -> ModuleType:
    return script_module("scripts/gen_case_format.py")


gen = _generator()


def test_field_reference_is_up_to_date() -> None:
    doc = DOC.read_text(encoding="utf-8")
    assert gen.splice(doc, gen.generate()) == doc, (
        "docs/case-format.md disagrees with the case models: run scripts/gen-case-format-doc"
    )


def _objects(schema: dict[str, Any]) -> dict[str, dict[str, Any]]:
    objects = {"Case": schema}
    objects.update({k: v for k, v in schema["$defs"].items() if not k.startswith("Dated")})
    return objects


def test_every_field_of_every_object_has_a_row_with_a_meaning() -> None:
    doc = DOC.read_text(encoding="utf-8")
    rows = re.findall(r"^\| `(\w+)` \|(.*)\|$", doc, flags=re.MULTILINE)
    expected = sum(len(o.get("properties", {})) for o in _objects(case_json_schema()).values())
    # one row per field of each object (an object used in two places is listed once)
    assert len(rows) == expected
    for field, rest in rows:
        meaning = rest.rsplit("|", 1)[-1].strip()
        assert meaning, field


def test_every_allowed_value_is_listed() -> None:
    doc = DOC.read_text(encoding="utf-8")
    text = json.dumps(case_json_schema())
    for values in re.findall(r'"enum": (\[[^\]]*\])', text):
        for value in json.loads(values):
            assert f"`{value}`" in doc, value


def test_a_field_without_a_meaning_stops_the_generator(monkeypatch: pytest.MonkeyPatch) -> None:
    meanings = dict(gen.MEANINGS)
    del meanings["Patient.height_cm"]
    monkeypatch.setattr(gen, "MEANINGS", meanings)
    with pytest.raises(SystemExit, match=r"no meaning written for Patient\.height_cm"):
        gen.generate()


def test_units_come_from_the_field_names() -> None:
    # a lab limit's unit is the unit of the measure it limits
    assert gen.Reference.unit("distal_latency_ms_uln") == "ms"
    assert gen.Reference.unit("amplitude_uv_lln") == "µV"
    assert gen.Reference.unit("velocity_m_s") == "m/s"
    assert gen.Reference.unit("area_mvms") == "mV·ms"
    assert gen.Reference.unit("ck_uln_u_l") == "U/L"
    assert gen.Reference.unit("dose_g_per_kg") == "g/kg"
    assert gen.Reference.unit("dose_g") == "g"
    assert gen.Reference.unit("walk_10m_s") == "s"
    assert gen.Reference.unit("muscle") == ""


def test_the_json_snippets_of_the_page_validate() -> None:
    doc = DOC.read_text(encoding="utf-8")
    blocks = re.findall(r"```json\n(.*?)```", doc, flags=re.DOTALL)
    assert len(blocks) == 2
    labs = json.loads("{" + blocks[0] + "}")
    motor = json.loads(blocks[1])
    case = parse_case(
        json.dumps(
            {"format": "neuroig-case/1", "case_id": "doc", **labs, "ncs": {"motor": [motor]}}
        ),
        source="case-format.md",
    )
    assert case.ncs is not None and case.ncs.motor is not None
    assert case.ncs.motor[0].sites[1].site == "below_elbow"


def test_the_page_ends_with_the_field_reference() -> None:
    # the "Input limits" section is appended after the reference by its owners
    doc = DOC.read_text(encoding="utf-8")
    assert doc.index(gen.END) > doc.index("## Field reference")
