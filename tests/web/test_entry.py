"""Case entry by form: the form's field names are JSON paths (hand-built documents), the
page saves a valid case as a new patient, shows each validation problem at its field with
the CLI's own message, escapes every case string, and takes the hostile-input corpus
(flattened into form fields) without a 500."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient
from tests.fuzz.generators import FUZZ, Fuzz, build

from neuroig.api import create_app
from neuroig.case.load import case_from_data
from neuroig.errors import CaseValidationError
from neuroig.services import registry
from neuroig.settings import load_settings
from neuroig.store.migrate import upgrade
from neuroig.web.forms import document_from_form, form_path, pasted_sites

ROOT = Path(__file__).parents[2]
PASSWORD = "correct horse battery"


def test_field_names_are_json_paths_and_empty_means_unknown() -> None:
    document, remap = document_from_form(
        [
            ("csrf", "x"),
            ("site", "north"),
            ("case_id", "c1"),
            ("patient.weight_kg", "70.5"),
            ("patient.age_years", "52"),
            ("patient.sex", "female"),
            ("history.early_diffuse_symmetric_weakness", "false"),
            ("exam.umn_signs.present", "true"),
            ("labs.ck_u_l", ""),  # empty: left out, never a default
            ("~exam.strength[0].muscle", "deltoid"),
            ("~exam.strength[0].side", "left"),
            ("exam.strength[0].mrc", ""),  # an empty grid row: dropped with its defaults
            ("~exam.strength[1].muscle", "deltoid"),
            ("~exam.strength[1].side", "right"),
            ("exam.strength[1].mrc", "4"),
            ("ncs.motor[2].nerve", "ulnar"),
            ("ncs.motor[2].sites[0].site", "wrist"),
            ("ncs.motor[2].sites[0].amplitude_mv", "8.0"),
            ("ncs.motor[2].sites[0].latency_ms", "3,0"),  # not a number: kept as text
        ]
    )
    assert document == {
        "case_id": "c1",
        "patient": {"weight_kg": 70.5, "age_years": 52, "sex": "female"},
        "history": {"early_diffuse_symmetric_weakness": False},
        "exam": {
            "umn_signs": {"present": True},
            "strength": [{"mrc": 4, "muscle": "deltoid", "side": "right"}],
        },
        "ncs": {
            "motor": [
                {
                    "nerve": "ulnar",
                    "sites": [{"site": "wrist", "amplitude_mv": 8.0, "latency_ms": "3,0"}],
                }
            ]
        },
    }
    # the kept rows are renumbered; a problem's path goes back to the form's numbering
    assert remap["exam.strength[0]"] == "exam.strength[1]"
    assert remap["ncs.motor[0]"] == "ncs.motor[2]"
    assert form_path("exam.strength[0].mrc", remap) == "exam.strength[1].mrc"
    assert form_path("ncs.motor[0].sites[0].latency_ms", remap) == (
        "ncs.motor[2].sites[0].latency_ms"
    )


def test_a_pasted_block_fills_the_nerve_sites() -> None:
    block = (
        "Site\tLat\tAmp\tArea\tDur\tDist\n"
        "wrist\t3.0\t8.0\t24.0\t6.0\t80\n"
        "\n"
        "below_elbow\t7.4\t2.9\t\t6.5\t230\n"
    )
    assert pasted_sites(block) == [
        {
            "site": "wrist",
            "latency_ms": 3.0,
            "amplitude_mv": 8.0,
            "area_mvms": 24.0,
            "duration_ms": 6.0,
            "distance_mm": 80,
        },
        {
            "site": "below_elbow",
            "latency_ms": 7.4,
            "amplitude_mv": 2.9,
            "duration_ms": 6.5,
            "distance_mm": 230,
        },
    ]
    document, _ = document_from_form(
        [("ncs.motor[0].nerve", "ulnar"), ("paste:ncs.motor[0]", block)]
    )
    assert [s["site"] for s in document["ncs"]["motor"][0]["sites"]] == ["wrist", "below_elbow"]


def form_fields(node: Any, path: str = "") -> list[tuple[str, str]]:
    """A case document as the entry form sends it (the inverse of document_from_form)."""
    if isinstance(node, dict):
        out: list[tuple[str, str]] = []
        for key, value in node.items():
            out += form_fields(value, f"{path}.{key}" if path else str(key))
        return out
    if isinstance(node, list):
        return [f for i, v in enumerate(node) for f in form_fields(v, f"{path}[{i}]")]
    if isinstance(node, bool):
        return [(path, "true" if node else "false")]
    return [(path, "" if node is None else str(node))]


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    url = f"sqlite:///{tmp_path_factory.mktemp('entry') / 'registry.db'}"
    upgrade(url)
    engine = registry.open_registry(url)
    registry.add_user(engine, None, "ann", "admin", ["north"], PASSWORD)
    app = create_app(load_settings(database_url=url), engine=engine)
    with TestClient(app, raise_server_exceptions=False) as c:
        page = c.get("/login").text
        csrf = re.search(r'name="csrf" value="([^"]+)"', page)
        assert csrf is not None
        r = c.post("/login", data={"username": "ann", "password": PASSWORD, "csrf": csrf.group(1)})
        assert r.status_code == 200 and "/patients" in str(r.url)
        yield c
    engine.dispose()


def _csrf(client: TestClient) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', client.get("/patients/new").text)
    assert found is not None
    return found.group(1)


def _example_fields(name: str = "mmn-definite") -> list[tuple[str, str]]:
    data = json.loads((ROOT / "examples" / f"{name}.json").read_text("utf-8"))
    return form_fields(data)


def test_an_entered_case_is_saved_as_a_new_patient(client: TestClient) -> None:
    fields = [("csrf", _csrf(client)), ("site", "north"), *_example_fields()]
    fields = [(k, "entered-mmn" if k == "case_id" else v) for k, v in fields]
    r = client.post("/patients/new", data=dict(fields), follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/patients/entered-mmn"
    page = client.get("/patients/entered-mmn").text
    assert "definite block" in page
    again = client.post("/patients/new", data=dict(fields), follow_redirects=False)
    assert again.status_code == 409  # the id is taken: nothing is overwritten
    assert "a patient with this case id exists" in again.text


def test_problems_are_shown_at_their_field_with_the_cli_message(client: TestClient) -> None:
    data = json.loads((ROOT / "examples" / "mmn-definite.json").read_text("utf-8"))
    data["case_id"] = "bad-entry"
    data["patient"]["weight_kg"] = 900
    data["exam"]["strength"][3]["mrc"] = 7
    with pytest.raises(CaseValidationError) as cli:
        case_from_data(data)
    expected = {(p.path, p.message) for p in cli.value.problems}
    assert {path for path, _ in expected} == {"patient.weight_kg", "exam.strength[3].mrc"}
    fields = [("csrf", _csrf(client)), ("site", "north"), *form_fields(data)]
    r = client.post("/patients/new", data=dict(fields))
    assert r.status_code == 422
    for path, message in expected:
        assert f'<a href="#{path}">{path}</a>: {html.escape(message)}' in r.text
        assert f'id="{path}"' in r.text and f'aria-describedby="err-{path}"' in r.text
    assert client.get("/patients/bad-entry").status_code == 404  # nothing half-stored


def test_a_script_in_a_case_field_is_shown_as_text(client: TestClient) -> None:
    script = "<script>alert(1)</script>"
    fields = [("csrf", _csrf(client)), ("site", "north"), *_example_fields()]
    fields = [(k, script if k in ("case_id", "patient.sex") else v) for k, v in fields]
    r = client.post("/patients/new", data=dict(fields))
    assert r.status_code == 422
    assert script not in r.text
    assert html.escape(script) in r.text


def test_a_form_without_its_csrf_token_is_refused(client: TestClient) -> None:
    r = client.post("/patients/new", data=dict(_example_fields()))
    assert r.status_code == 403


def test_an_oversized_or_non_form_body_is_refused(client: TestClient) -> None:
    big = {"csrf": _csrf(client), "case_id": "x" * 3_000_000}
    assert client.post("/patients/new", data=big).status_code == 413
    many = "&".join(f"f{i}=1" for i in range(3000))
    r = client.post(
        "/patients/new",
        content=many,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert r.status_code == 413
    r = client.post("/patients/new", json={"case_id": "x"})
    assert r.status_code == 415


@pytest.mark.parametrize("fuzz", FUZZ, ids=lambda f: f.name)
def test_the_hostile_corpus_through_the_form_never_gives_a_500(
    client: TestClient, fuzz: Fuzz
) -> None:
    raw = build(fuzz)
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):  # not JSON: its text goes into a form field
        data = {"case_id": raw.decode("utf-8", errors="replace")[:10_000]}
    if not isinstance(data, dict):
        data = {"case_id": json.dumps(data)[:10_000]}
    fields = [("csrf", _csrf(client)), ("site", "north"), *form_fields(data)]
    r = client.post(
        "/patients/new",
        content=urlencode(fields),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        follow_redirects=False,
    )
    assert r.status_code in (303, 409, 413, 422), (fuzz.name, r.status_code, r.text[:300])
    if r.status_code == 422:
        assert "The case was not saved" in r.text or "Too large" in r.text
