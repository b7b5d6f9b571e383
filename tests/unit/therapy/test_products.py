"""The product catalogue (docs/methods/therapy.md) as data: values, units, sources, flags."""

from __future__ import annotations

from typing import Any

import pytest

from neuroig.errors import InputError
from neuroig.reference import lint as lint_module
from neuroig.reference._load import raw_table
from neuroig.reference.lint import lint_tables
from neuroig.reference.products import product, product_ids, product_routes, products


def test_every_product_of_the_case_format_is_catalogued() -> None:
    assert set(product_ids()) == {
        "privigen",
        "gamunex_c",
        "gammagard_liquid",
        "kiovig",
        "panzyga",
        "octagam_10",
        "octagam_5",
        "flebogamma_dif_5",
        "flebogamma_dif_10",
        "intratect_10",
        "intratect_5",
        "gammagard_sd",
        "hizentra",
        "hyqvia",
        "cuvitru",
        "xembify",
        "cutaquig",
    }
    assert product_routes("gamunex_c") == ("iv", "sc")


def test_rates_are_converted_to_ml_per_kg_per_min() -> None:
    # Privigen 0.005 mL/kg/min as printed
    p = product("privigen")
    assert p.iv_rate_initial_ml_kg_min is not None
    assert p.iv_rate_initial_ml_kg_min.value == 0.005
    # Gamunex-C 2 mg/kg/min at 100 mg/mL = 0.02 mL/kg/min; 8 mg/kg/min = 0.08
    g = product("gamunex_c")
    assert g.iv_rate_initial_ml_kg_min is not None and g.iv_rate_max_ml_kg_min is not None
    assert g.iv_rate_initial_ml_kg_min.value == pytest.approx(0.02)
    assert g.iv_rate_max_ml_kg_min.value == pytest.approx(0.08)
    assert g.iv_rate_initial_ml_kg_min.label == "2 mg/kg/min"
    # Gammagard 0.5 mL/kg/h = 0.00833 mL/kg/min; 5.4 mL/kg/h = 0.09 mL/kg/min
    gg = product("gammagard_liquid")
    assert gg.iv_rate_initial_ml_kg_min is not None and gg.iv_rate_max_ml_kg_min is not None
    assert gg.iv_rate_initial_ml_kg_min.value == pytest.approx(0.5 / 60)
    assert gg.iv_rate_max_ml_kg_min.value == pytest.approx(0.09)
    # Panzyga at-risk 3.3 mg/kg/min = 0.033 mL/kg/min
    pz = product("panzyga")
    assert pz.iv_rate_max_at_risk_ml_kg_min is not None
    assert pz.iv_rate_max_at_risk_ml_kg_min.value == pytest.approx(0.033)


def test_ml_packs_are_converted_to_grams() -> None:
    # Cutaquig 6-48 mL at 16.5 % = 0.99-7.92 g (48 mL = 7.92 g as in the research)
    c = product("cutaquig")
    assert c.packs_g is not None
    assert c.packs_g.value == (0.99, 1.65, 1.98, 3.3, 3.96, 7.92)
    assert c.packs_g.label == "6, 10, 12, 20, 24, 48 mL"
    h = product("hizentra")
    assert h.packs_g is not None and h.packs_g.value == (1.0, 2.0, 4.0, 10.0)


@pytest.mark.parametrize(
    ("product_id", "verified"),
    [("privigen", False), ("panzyga", True), ("octagam_10", True)],
)
def test_pack_size_verification_follows_the_research_tags(product_id: str, verified: bool) -> None:
    # Privigen packs are tagged [R]; Panzyga and Octagam 10 % packs [V]
    packs = product(product_id).packs_g
    assert packs is not None and packs.verified is verified
    assert packs.source


def test_values_the_research_does_not_give_are_absent() -> None:
    intratect = product("intratect_10")
    assert intratect.iv_rate_initial_ml_kg_min is None  # "[R] check SmPC"
    assert intratect.iv_rate_max_ml_kg_min is None
    sd = product("gammagard_sd")  # 5-10 % lyophilised: 5 % assumed, unverified (T19)
    assert sd.concentration_pct is not None and sd.concentration_pct.verified is False
    assert sd.packs_g is None and sd.iv_rate_initial_ml_kg_min is None
    assert product("intratect_5").packs_g is None
    assert product("kiovig").iv_rate_max_ml_kg_min is None  # EU SmPC not retrieved
    assert product("cutaquig").iga_ug_ml is None
    assert product("gamunex_c").sodium is None


def test_recalled_values_are_unverified() -> None:
    octagam = product("octagam_10")
    assert octagam.iv_rate_max_ml_kg_min is not None
    assert octagam.iv_rate_max_ml_kg_min.verified is False  # [R]
    assert octagam.iga_ug_ml is not None and octagam.iga_ug_ml.verified is True  # [V]
    assert octagam.iga_ug_ml.kind == "max"


def test_excipients_drive_the_safety_rules() -> None:
    assert product("privigen").has_excipient("proline") is True
    assert product("flebogamma_dif_5").has_excipient("sorbitol") is True
    assert product("octagam_10").has_excipient("maltose") is True
    assert product("cutaquig").has_excipient("maltose") is True
    assert product("hyqvia").has_excipient("albumin") is True
    assert product("panzyga").has_excipient("maltose") is False


def test_sodium_load() -> None:
    # Octagam 10 %: 69 mg / 100 mL = 0.69 mg/mL; Privigen ≤ 1 mmol/L = 0.02299 mg/mL
    assert product("octagam_10").sodium_mg_per_ml() == pytest.approx(0.69)
    assert product("privigen").sodium_mg_per_ml() == pytest.approx(0.02299)


def test_labels_by_region() -> None:
    gg = product("gammagard_liquid")
    assert {(lab.region, lab.indication) for lab in gg.labelled("mmn")} == {
        ("US", "mmn"),
        ("EU", "mmn"),
    }
    assert product("cuvitru").labels == ()  # PI only


def test_sc_limits() -> None:
    hq = product("hyqvia").sc
    assert hq is not None
    assert (hq.site_volume_ml_max and hq.site_volume_ml_max.value) == 600
    assert (hq.day_volume_ml_max_under_40kg and hq.day_volume_ml_max_under_40kg.value) == 600
    assert hq.interval_weeks is not None and hq.interval_weeks.value == (2, 3, 4)


def test_unknown_product_is_an_input_error() -> None:
    with pytest.raises(InputError) as info:
        product("nope", field_name="--product")
    assert info.value.field == "--product"


def test_lint_reports_every_problem_of_a_broken_product_table(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = raw_table

    def broken(name: str) -> dict[str, Any]:
        doc = dict(real(name))
        if name == "products":
            doc["products"] = [
                {
                    "id": "Bad",
                    "name": "x",
                    "maker": "y",
                    "routes": ["iv"],
                    "concentration_pct": {"value": 10, "source": "nope", "verified": "yes"},
                    "packs_g": {"value": [], "source": "privigen", "verified": True},
                    "iv_rate_initial": {
                        "value": 1,
                        "unit": "drops/min",
                        "source": "privigen",
                        "verified": True,
                    },
                    "excipients": {"value": ["sugar"], "source": "privigen", "verified": True},
                    "sc": {
                        "site_volume_ml_max": {"value": 20, "source": "privigen", "verified": True}
                    },
                    "labels": [{"region": "XX", "indication": "als", "source": "privigen"}],
                    "colour": "red",
                }
            ]
        return doc

    monkeypatch.setattr(lint_module, "raw_table", broken)
    problems = lint_tables()
    for fragment in [
        "id must be lower snake case",
        "concentration_pct: source key 'nope' is not in the bibliography",
        "concentration_pct: verified must be true or false",
        "packs_g: value must be a non-empty list of numbers > 0",
        "iv_rate_initial: unit must be one of",
        "excipients: 'sugar' not one of",
        "sc: SC limits on a product without the sc route",
        "region 'XX' not one of",
        "indication 'als' not one of",
        "labels[0]: verified must be true or false",
        "unknown key 'colour'",
    ]:
        assert any(fragment in p for p in problems), fragment


def test_catalogue_loads_every_product() -> None:
    assert len(products()) == len(product_ids())
