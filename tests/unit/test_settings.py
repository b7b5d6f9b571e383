"""neuroig.settings: defaults from the reference data, NEUROIG_* variables, a settings file."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from neuroig.case import boundary
from neuroig.errors import InputError
from neuroig.settings import (
    SETTINGS_FILE_ENV,
    Settings,
    default_database_url,
    get_settings,
    load_settings,
    settings_markdown,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in list(os.environ):
        if name.startswith("NEUROIG_"):
            monkeypatch.delenv(name)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_defaults_come_from_the_therapy_table_and_the_input_boundary() -> None:
    s = load_settings()
    assert s.environment == "development"
    assert s.currency == "GBP"  # DEFAULT-CURRENCY of therapy.toml (decision T8)
    assert s.at_risk_rate_mg_kg_min == 3.3  # RATE-AT-RISK-DEFAULT (decision T18)
    assert s.weight_policy == "bloodstar-2026"
    assert s.price_table is None
    assert s.max_case_bytes == boundary.MAX_CASE_BYTES == 2_000_000
    assert s.max_depth == boundary.MAX_DEPTH == 32
    assert s.max_yaml_aliases == boundary.MAX_YAML_ALIASES
    assert s.max_values == boundary.MAX_VALUES
    assert s.max_integer_digits == boundary.MAX_INTEGER_DIGITS
    assert s.max_problems == boundary.MAX_PROBLEMS
    assert s.echo_chars == boundary.ECHO_CHARS


def test_the_database_is_a_sqlite_file_in_the_user_data_dir_and_is_not_created(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_database_url() == f"sqlite:///{tmp_path}/neuroig/neuroig.db"
    assert load_settings().database_url == f"sqlite:///{tmp_path}/neuroig/neuroig.db"
    assert not (tmp_path / "neuroig").exists()
    monkeypatch.delenv("XDG_DATA_HOME")
    assert default_database_url() == f"sqlite:///{Path.home()}/.local/share/neuroig/neuroig.db"


def test_environment_variables_override_the_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEUROIG_CURRENCY", "eur")
    monkeypatch.setenv("NEUROIG_AT_RISK_RATE_MG_KG_MIN", "2.5")
    monkeypatch.setenv("NEUROIG_WEIGHT_POLICY", "actual")
    monkeypatch.setenv("NEUROIG_PRICE_TABLE", "/site/prices.toml")
    monkeypatch.setenv("NEUROIG_ENVIRONMENT", "production")
    monkeypatch.setenv("NEUROIG_SESSION_SECRET", "a long random value for this site only")
    s = load_settings()
    assert (s.currency, s.at_risk_rate_mg_kg_min, s.weight_policy) == ("EUR", 2.5, "actual")
    assert s.price_table == Path("/site/prices.toml")
    assert s.environment == "production"


def test_production_refuses_the_development_session_secret(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NEUROIG_ENVIRONMENT", "production")
    with pytest.raises(InputError, match="session_secret: a development-only value"):
        load_settings()
    monkeypatch.setenv("NEUROIG_SESSION_SECRET", "a long random value for this site only")
    assert load_settings().environment == "production"


def test_a_settings_file_is_read_and_the_environment_wins_over_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    f = tmp_path / "neuroig.toml"
    f.write_text('currency = "USD"\nmax_problems = 10\n', encoding="utf-8")
    monkeypatch.setenv(SETTINGS_FILE_ENV, str(f))
    s = load_settings()
    assert (s.currency, s.max_problems) == ("USD", 10)
    monkeypatch.setenv("NEUROIG_CURRENCY", "EUR")
    assert load_settings().currency == "EUR"


@pytest.mark.parametrize(
    ("variable", "value", "allowed"),
    [
        ("NEUROIG_CURRENCY", "pounds", "3-letter ISO 4217 code"),
        ("NEUROIG_AT_RISK_RATE_MG_KG_MIN", "0", "greater than 0"),
        ("NEUROIG_AT_RISK_RATE_MG_KG_MIN", "25", "less than or equal to 20"),
        ("NEUROIG_WEIGHT_POLICY", "ideal", "'actual', 'bloodstar-2026' or 'ontario-igum-5'"),
        ("NEUROIG_ENVIRONMENT", "staging", "'development' or 'production'"),
        ("NEUROIG_PRICE_TABLE", "prices.csv", "must be a .toml file"),
        ("NEUROIG_MAX_DEPTH", "-1", "greater than 0"),
    ],
)
def test_a_bad_value_names_its_variable_the_value_and_what_is_allowed(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, allowed: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(InputError) as err:
        load_settings()
    assert err.value.field == variable
    assert err.value.received == value
    assert allowed in err.value.allowed


def test_a_missing_or_broken_settings_file_is_an_input_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(SETTINGS_FILE_ENV, str(tmp_path / "absent.toml"))
    with pytest.raises(InputError) as err:
        load_settings()
    assert err.value.field == SETTINGS_FILE_ENV
    broken = tmp_path / "broken.toml"
    broken.write_text("currency = \n", encoding="utf-8")
    monkeypatch.setenv(SETTINGS_FILE_ENV, str(broken))
    with pytest.raises(InputError) as err:
        load_settings()
    assert err.value.field == SETTINGS_FILE_ENV and "valid TOML" in err.value.allowed


def test_an_unknown_key_in_the_file_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    f = tmp_path / "neuroig.toml"
    f.write_text('colour = "blue"\n', encoding="utf-8")
    monkeypatch.setenv(SETTINGS_FILE_ENV, str(f))
    with pytest.raises(InputError) as err:
        load_settings()
    assert err.value.field == "colour"


def test_get_settings_reads_once(monkeypatch: pytest.MonkeyPatch) -> None:
    first = get_settings()
    monkeypatch.setenv("NEUROIG_CURRENCY", "EUR")
    assert get_settings() is first and first.currency == "GBP"
    get_settings.cache_clear()
    assert get_settings().currency == "EUR"


def test_settings_are_immutable() -> None:
    s = load_settings()
    with pytest.raises(ValueError, match="frozen"):
        s.currency = "EUR"


def test_docs_settings_md_documents_every_key() -> None:
    text = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    assert text == settings_markdown(), "regenerate docs/settings.md from settings_markdown()"
    for name in Settings.model_fields:
        assert f"`NEUROIG_{name.upper()}`" in text
