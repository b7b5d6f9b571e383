"""Decision T8: the price table is dated, currency-tagged and overridable by a site."""

from __future__ import annotations

from datetime import date

import pytest

from neuroig.errors import ReferenceDataError
from neuroig.reference import PriceTable, builtin_price_table


def test_builtin_gbp_price_applies_to_any_product() -> None:
    row = builtin_price_table().lookup(
        product="privigen", route="iv", currency="gbp", on=date(2026, 1, 1)
    )
    assert row is not None
    assert row.price_per_g == 34.0
    assert "MDSAS" in row.source


def test_product_row_wins_over_generic_and_dates_are_respected() -> None:
    table = PriceTable.from_toml(
        """
[[prices]]
region = "X"
currency = "EUR"
product = "*"
price_per_g = 30
effective = 2020-01-01
source = "site"
[[prices]]
region = "X"
currency = "EUR"
product = "kiovig"
price_per_g = 40
effective = 2022-01-01
source = "site"
[[prices]]
region = "X"
currency = "EUR"
product = "kiovig"
price_per_g = 45
effective = 2025-01-01
source = "site"
"""
    )
    assert (
        table.lookup(product="kiovig", route="iv", currency="EUR", on=date(2021, 6, 1)).price_per_g
        == 30
    )
    assert (
        table.lookup(product="kiovig", route="iv", currency="EUR", on=date(2024, 6, 1)).price_per_g
        == 40
    )
    assert (
        table.lookup(product="kiovig", route="iv", currency="EUR", on=date(2025, 6, 1)).price_per_g
        == 45
    )
    assert table.lookup(product="kiovig", route="iv", currency="EUR", on=date(2019, 6, 1)) is None
    assert table.lookup(product="kiovig", route="iv", currency="USD", on=date(2025, 6, 1)) is None


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("prices = 1", "at least one"),
        (
            '[[prices]]\nregion="X"\ncurrency="EUR"\nprice_per_g=0\neffective=2020-01-01\nsource="s"',
            "must be > 0",
        ),
        ('[[prices]]\nregion="X"\ncurrency="EUR"\nprice_per_g=3\nsource="s"', "malformed"),
        ("not toml [", "not valid TOML"),
    ],
)
def test_bad_site_table_is_a_clear_error(text: str, fragment: str) -> None:
    with pytest.raises(ReferenceDataError, match=fragment):
        PriceTable.from_toml(text)
