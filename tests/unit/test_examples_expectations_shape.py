"""Every worked example carries a well-formed, hand-computed ``x_expected``.

The example cases in ``examples/`` are the product's conformance vectors: each holds
a prose ``x_note`` (the arithmetic, written out) and a machine-readable
``x_expected`` that the engines' tests assert against. This module checks only the
*shape* and the internal consistency of those expectations (the values themselves
are asserted by the electrodiagnostic and criteria engines' tests):

``x_expected`` keys (all optional except ``categories``):

- ``categories``: the four criteria-set results, ``mmn_efns_pns_2010``,
  ``mmn_aaem_2003``, ``cidp_ean_pns_2021``, ``cidp_efns_pns_2010``, plus
  ``cidp_ean_pns_2021_phenotype`` (a phenotype name or null, decision C13).
- ``blocks_efns_pns_2010``: every segment (adjacent sites) and every cumulative span
  (most distal site to a proximal site, decision E1) whose EFNS/PNS 2010 grade is
  definite or probable. A cumulative span that covers a single segment is the segment
  itself and is listed once, as ``segmental``. Segments graded none or unknown are not
  listed.
- ``no_block_efns_pns_2010``: true when no studied segment or span has a definite,
  probable or unknown grade.
- ``flags``: flag ids that must be raised (a subset of what the engine raises).
- ``flags_absent``: flag ids that must not be raised.
- ``lmn_ivig_trial_suggested``: decision T6 for a progressive LMN syndrome.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import EXAMPLES

from neuroig.reference import entrapment_zone, motor_nerve_info
from neuroig.vocab import MotorNerve, Side, values

CATEGORY_VALUES: dict[str, frozenset[str]] = {
    "mmn_efns_pns_2010": frozenset({"definite", "probable", "possible", "not_fulfilled"}),
    "mmn_aaem_2003": frozenset({"definite", "probable", "not_fulfilled", "unknown"}),
    "cidp_ean_pns_2021": frozenset({"cidp", "possible_cidp", "not_fulfilled"}),
    "cidp_efns_pns_2010": frozenset({"definite", "probable", "possible", "not_fulfilled"}),
}
PHENOTYPE_KEY = "cidp_ean_pns_2021_phenotype"
PHENOTYPES = frozenset({"typical", "distal", "multifocal", "focal", "motor", "sensory"})
EXPECTED_KEYS = frozenset(
    {
        "categories",
        "blocks_efns_pns_2010",
        "no_block_efns_pns_2010",
        "flags",
        "flags_absent",
        "lmn_ivig_trial_suggested",
    }
)
BLOCK_KEYS = frozenset({"nerve", "side", "from", "to", "kind", "grade"})
# Decision E7: nerves whose blocks count for each EFNS/PNS 2010 grade.
DEFINITE_BLOCK_NERVES = frozenset({"median", "ulnar", "fibular"})
PROBABLE_BLOCK_NERVES = frozenset({"median", "ulnar", "radial", "musculocutaneous", "fibular"})
FLAG_ID = re.compile(r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$")

# The worked cases the case-format spec asks for (decision record: case-format.md).
REQUIRED_EXAMPLES = (
    "mmn-definite",
    "mmn-probable",
    "mmn-no-block",
    "cidp-typical",
    "cidp-multifocal",
    "anti-mag-distal",
    "mnd-mimic",
    "lmn-no-block",
    "mmn-declining-response",
)

# The nine core examples must carry x_expected; the longitudinal monitoring examples may
# (their conclusions are asserted in tests/unit/monitoring), and are checked when they do.
EXAMPLE_FILES = sorted(
    p
    for p in EXAMPLES.glob("*.json")
    if p.stem in REQUIRED_EXAMPLES or "x_expected" in json.loads(p.read_text(encoding="utf-8"))
)


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _expected(path: Path) -> dict[str, Any]:
    expected = _load(path).get("x_expected")
    assert isinstance(expected, dict), f"{path.name}: x_expected missing or not an object"
    return expected


def _motor_sites(case: dict[str, Any], nerve: str, side: str) -> list[str]:
    for study in case.get("ncs", {}).get("motor", []):
        if study["nerve"] == nerve and study["side"] == side:
            return [s["site"] for s in study["sites"]]
    return []


def test_every_required_example_exists() -> None:
    names = {p.stem for p in EXAMPLE_FILES}
    missing = [n for n in REQUIRED_EXAMPLES if n not in names]
    assert not missing, f"missing worked examples: {missing}"


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_expected_has_only_known_keys_and_a_note(path: Path) -> None:
    case = _load(path)
    expected = _expected(path)
    assert set(expected) <= EXPECTED_KEYS, sorted(set(expected) - EXPECTED_KEYS)
    note = case.get("x_note")
    assert isinstance(note, str) and len(note) >= 200, f"{path.name}: x_note too short"


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_categories_name_the_four_criteria_sets_with_allowed_values(path: Path) -> None:
    categories = _expected(path).get("categories")
    assert isinstance(categories, dict)
    assert set(CATEGORY_VALUES) <= set(categories), sorted(set(CATEGORY_VALUES) - set(categories))
    unknown = set(categories) - set(CATEGORY_VALUES) - {PHENOTYPE_KEY}
    assert not unknown, f"unknown category keys: {sorted(unknown)}"
    for key, allowed in CATEGORY_VALUES.items():
        assert categories[key] in allowed, f"{key}: {categories[key]!r} not in {sorted(allowed)}"
    phenotype = categories.get(PHENOTYPE_KEY)
    assert phenotype is None or phenotype in PHENOTYPES, phenotype
    # C13: a met CIDP category implies a matched clinical criterion, hence a phenotype.
    if categories["cidp_ean_pns_2021"] != "not_fulfilled":
        assert phenotype is not None


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_blocks_refer_to_studied_sites_and_respect_e1_e4_e7(path: Path) -> None:
    case = _load(path)
    expected = _expected(path)
    blocks = expected.get("blocks_efns_pns_2010", [])
    assert isinstance(blocks, list)
    seen: set[tuple[str, str, str, str]] = set()
    for block in blocks:
        assert set(block) == BLOCK_KEYS, block
        nerve, side, distal, proximal = block["nerve"], block["side"], block["from"], block["to"]
        assert nerve in values(MotorNerve) and side in values(Side), block
        assert block["kind"] in {"segmental", "cumulative"}, block
        assert block["grade"] in {"definite", "probable"}, block
        key = (nerve, side, distal, proximal)
        assert key not in seen, f"listed twice: {key}"
        seen.add(key)
        sites = _motor_sites(case, nerve, side)
        assert distal in sites and proximal in sites, f"{key}: sites not in the motor study"
        i, j = sites.index(distal), sites.index(proximal)
        assert i < j, f"{key}: 'from' must be distal to 'to'"
        if block["kind"] == "segmental":
            assert j == i + 1, f"{key}: a segmental block joins adjacent sites"
        else:
            assert i == 0 and j >= 2, f"{key}: a cumulative span starts at the most distal site"
        ranks = motor_nerve_info(nerve).site_ranks
        assert ranks[distal] < ranks[proximal]
        # E1/E4: no listed block (or span) crosses an entrapment zone.
        for a, b in zip(sites[i:j], sites[i + 1 : j + 1], strict=True):
            assert entrapment_zone(nerve, a, b) is None, f"{key}: crosses {a}->{b} (E4)"
        # E7: which nerves may carry each grade.
        allowed = DEFINITE_BLOCK_NERVES if block["grade"] == "definite" else PROBABLE_BLOCK_NERVES
        assert nerve in allowed, f"{key}: {nerve} cannot carry a {block['grade']} block (E7)"


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_block_expectations_agree_with_the_mmn_category(path: Path) -> None:
    expected = _expected(path)
    blocks = expected.get("blocks_efns_pns_2010")
    no_block = expected.get("no_block_efns_pns_2010")
    assert no_block in (None, True, False)
    mmn = expected["categories"]["mmn_efns_pns_2010"]
    if no_block:
        assert not blocks, "no_block_efns_pns_2010 is true but blocks are listed"
        assert mmn not in {"definite", "probable"}, "definite/probable MMN needs a block"
    if blocks is not None and mmn == "definite":
        assert any(b["grade"] == "definite" for b in blocks)


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_flags_are_ids_and_never_both_required_and_absent(path: Path) -> None:
    expected = _expected(path)
    required = expected.get("flags", [])
    absent = expected.get("flags_absent", [])
    for flag in [*required, *absent]:
        assert isinstance(flag, str) and FLAG_ID.match(flag), flag
    assert len(set(required)) == len(required) and len(set(absent)) == len(absent)
    assert not set(required) & set(absent), sorted(set(required) & set(absent))
    trial = expected.get("lmn_ivig_trial_suggested")
    assert trial is None or isinstance(trial, bool)
