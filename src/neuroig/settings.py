"""Site and deployment settings: environment variables ``NEUROIG_*`` and an optional file.

Every key has a default, so neuroig runs with no configuration. A value is read, from
the highest precedence down, from: the arguments of :func:`load_settings`, the
environment (``NEUROIG_CURRENCY=EUR``), the TOML file named by ``NEUROIG_SETTINGS_FILE``
(keys without the prefix: ``currency = "EUR"``), then the default. Clinical defaults
(currency, at-risk rate cap) come from ``reference/data/therapy.toml``; the input
limits default to the constants of :mod:`neuroig.case.boundary`.

Nothing here is read at import: :func:`get_settings` reads once and caches. The core
(case, reference, electro, criteria, therapy, monitoring, assess) never reads settings;
the command line and the services pass the values they need as arguments.
``docs/settings.md`` is generated from this model (:func:`settings_markdown`) and a
test keeps the two equal.
"""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from neuroig.case import boundary
from neuroig.errors import InputError
from neuroig.therapy.dosing_weight import WeightPolicy
from neuroig.therapy.params import param_text, param_value

__all__ = [
    "ENV_PREFIX",
    "SETTINGS_FILE_ENV",
    "Settings",
    "default_database_url",
    "get_settings",
    "load_settings",
    "settings_markdown",
]

ENV_PREFIX = "NEUROIG_"
#: The environment variable naming an optional TOML settings file.
SETTINGS_FILE_ENV = "NEUROIG_SETTINGS_FILE"
#: Values that only a development deployment may use: a CORS wildcard lets any web page
#: call the API with a user's token (decision A4).
DEVELOPMENT_ONLY: dict[str, tuple[str, ...]] = {
    "cors_origins": ("*",),
    "session_secret": ("development only: set NEUROIG_SESSION_SECRET",),
}


def _data_dir() -> Path:
    """The user data directory: ``$XDG_DATA_HOME/neuroig``, else ``~/.local/share/neuroig``."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "neuroig"


def default_database_url() -> str:
    """``sqlite:///<user data dir>/neuroig.db`` (computed, never created here)."""
    return f"sqlite:///{_data_dir() / 'neuroig.db'}"


class Settings(BaseSettings):
    """neuroig's settings; each field is documented in ``docs/settings.md``."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        extra="forbid",
        frozen=True,
        validate_default=True,
    )

    environment: Literal["development", "production"] = Field(
        default="development",
        description=(
            "Deployment kind. `production` refuses values meant for development only "
            "(a `*` in `cors_origins`, the default `session_secret`)."
        ),
    )
    database_url: str = Field(
        default_factory=default_database_url,
        description=(
            "Database URL for stored cases and results. Default: a SQLite file in the user "
            "data directory (`$XDG_DATA_HOME/neuroig/neuroig.db`, else "
            "`~/.local/share/neuroig/neuroig.db`); computed, never created by reading it."
        ),
    )
    currency: str = Field(
        default_factory=lambda: param_text("DEFAULT-CURRENCY"),
        description=(
            "ISO 4217 currency of costs when a command is not given one. Default: "
            "`DEFAULT-CURRENCY` of `reference/data/therapy.toml` (GBP, decision T8)."
        ),
    )
    weight_policy: WeightPolicy = Field(
        default="bloodstar-2026",
        description=(
            "Dosing-weight policy of plans and reviews: `actual`, `bloodstar-2026` or "
            "`ontario-igum-5` (decision T1)."
        ),
    )
    price_table: Path | None = Field(
        default=None,
        description=(
            "A site price table (TOML of the shape of `reference/data/prices.toml`) used "
            "instead of the shipped one. Default: none, the shipped table."
        ),
    )
    at_risk_rate_mg_kg_min: float = Field(
        default_factory=lambda: param_value("RATE-AT-RISK-DEFAULT"),
        gt=0,
        le=20,
        description=(
            "The site's IV rate cap in mg/kg/min for patients with thrombosis or renal risk "
            "factors, where the product's label gives no at-risk maximum (decision T18). "
            "Default: `RATE-AT-RISK-DEFAULT` of `reference/data/therapy.toml` (3.3)."
        ),
    )
    max_case_bytes: int = Field(
        default=boundary.MAX_CASE_BYTES,
        gt=0,
        description="Largest case document in bytes (the input boundary, decision P13).",
    )
    max_depth: int = Field(
        default=boundary.MAX_DEPTH,
        gt=0,
        description="Deepest nesting of objects and lists in a case document.",
    )
    max_yaml_aliases: int = Field(
        default=boundary.MAX_YAML_ALIASES,
        ge=0,
        description="Most YAML aliases (`*name`) in one case document.",
    )
    max_values: int = Field(
        default=boundary.MAX_VALUES,
        gt=0,
        description="Most values in one case document once YAML aliases are expanded.",
    )
    max_integer_digits: int = Field(
        default=boundary.MAX_INTEGER_DIGITS,
        gt=0,
        le=18,
        description="Most digits in an integer of a case document.",
    )
    max_problems: int = Field(
        default=boundary.MAX_PROBLEMS,
        gt=0,
        description="Most problems reported for one case; the rest are counted.",
    )
    echo_chars: int = Field(
        default=boundary.ECHO_CHARS,
        gt=0,
        description="Longest echo of a received value in an error message.",
    )

    api_token_minutes: int = Field(
        default=60,
        ge=1,
        le=24 * 60,
        description="Lifetime of a bearer token from `POST /api/v1/auth/token`, in minutes.",
    )
    api_personal_token_days: int = Field(
        default=90,
        ge=1,
        le=366,
        description="Lifetime of a personal API token (service accounts), in days.",
    )
    login_max_failures: int = Field(
        default=5,
        ge=1,
        le=100,
        description="Failed log-ins in a row after which a user is locked out.",
    )
    login_lockout_minutes: int = Field(
        default=15,
        ge=1,
        le=24 * 60,
        description="How long a locked-out user cannot log in, in minutes.",
    )
    api_max_body_bytes: int = Field(
        default=boundary.MAX_CASE_BYTES,
        gt=0,
        le=boundary.MAX_CASE_BYTES,
        description="Largest request body the API reads; larger bodies get 413.",
    )
    api_request_seconds: float = Field(
        default=30.0,
        gt=0,
        le=600,
        description="Longest time the API spends on one request before it answers 503.",
    )
    session_secret: str = Field(
        default="development only: set NEUROIG_SESSION_SECRET",
        min_length=16,
        description="Key that signs the web pages' session cookie. Production refuses the "
        "default: set a long random value, kept out of the repository.",
    )
    cors_origins: list[str] = Field(
        default_factory=list,
        description="Web origins allowed to call the API from a browser (CORS). Default: "
        "none (CORS off).",
    )

    cds_user: str | None = Field(
        default=None,
        description="The registry user CDS Hooks calls act as (its role and sites limit "
        "what the hooks read; every read is audited under its name). Default: none, "
        "CDS Hooks off (`/cds-services` answers 404). See docs/cds-hooks.md.",
    )
    cds_jwks_file: Path | None = Field(
        default=None,
        description="JSON Web Key Set (a JSON file) of the public keys the EHR signs its "
        "CDS Hooks calls with (ES384 or RS384); calls signed otherwise are refused.",
    )
    cds_issuers: list[str] = Field(
        default_factory=list,
        description="The `iss` values of the EHRs allowed to call the hooks. Default: none.",
    )
    cds_identifier_system: str = Field(
        default="urn:neuroig:case-id",
        min_length=1,
        description="Identifier system of the EHR's Patient whose value is the registry's "
        "case id: how a hook finds the patient (decision H2).",
    )
    cds_base_url: str | None = Field(
        default=None,
        description="The public base URL of the server (`https://host/prefix`) that a hook "
        "token's `aud` must name; default: the URL the request arrived at.",
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Arguments, then the environment, then ``NEUROIG_SETTINGS_FILE`` (TOML)."""
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        path = os.environ.get(SETTINGS_FILE_ENV)
        if path:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=Path(path)))
        return tuple(sources)

    @field_validator("currency")
    @classmethod
    def _currency_code(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Za-z]{3}", value):
            raise ValueError("must be a 3-letter ISO 4217 code")
        return value.upper()

    @field_validator("price_table")
    @classmethod
    def _price_table_file(cls, value: Path | None) -> Path | None:
        if value is not None and value.suffix.lower() != ".toml":
            raise ValueError("must be a .toml file")
        return value

    @model_validator(mode="after")
    def _production_guard(self) -> Settings:
        """Production refuses any value listed in ``DEVELOPMENT_ONLY`` for its field."""
        if self.environment == "production":
            for name, values in DEVELOPMENT_ONLY.items():
                value = getattr(self, name)
                given = value if isinstance(value, list) else [value]
                if any(v in values for v in given):
                    raise ValueError(f"{name}: a development-only value in production")
        return self


def load_settings(**overrides: Any) -> Settings:
    """Read the settings now; a bad value raises :class:`InputError` naming its variable.

    Raises
    ------
    InputError
        ``field`` is the environment variable (``NEUROIG_CURRENCY``), ``received`` the
        value, ``allowed`` what the setting accepts.
    """
    path = os.environ.get(SETTINGS_FILE_ENV)
    if path and not Path(path).is_file():
        raise InputError(SETTINGS_FILE_ENV, path, "must name an existing TOML file")
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = err.get("loc") or ()
        name = str(loc[0]) if loc else "settings"
        field = f"{ENV_PREFIX}{name.upper()}" if name in Settings.model_fields else name
        raise InputError(
            field,
            err.get("input"),
            str(err.get("msg", "invalid")),
            f"see docs/settings.md ({len(exc.errors())} problem(s))",
        ) from None
    except ValueError as exc:  # a malformed settings file
        raise InputError(SETTINGS_FILE_ENV, path, f"must be valid TOML: {exc}") from None


@cache
def get_settings() -> Settings:
    """The settings, read once per process (``get_settings.cache_clear()`` re-reads)."""
    return load_settings()


def settings_markdown() -> str:
    """The text of ``docs/settings.md``: every key, its variable, default and meaning."""
    lines = [
        "# Settings",
        "",
        "<!-- Generated from src/neuroig/settings.py (settings_markdown); "
        "tests/unit/test_settings.py keeps it equal. -->",
        "",
        "neuroig runs with no configuration. A site sets a key with an environment variable",
        f"(`{ENV_PREFIX}<KEY>`, e.g. `{ENV_PREFIX}CURRENCY=EUR`) or in a TOML file named by",
        f'`{SETTINGS_FILE_ENV}` (keys without the prefix, e.g. `currency = "EUR"`); the',
        "environment wins over the file. A bad value stops with an error naming the variable,",
        "the value received and what is allowed. The clinical core never reads settings: the",
        "command line and the services read them (`neuroig.settings.get_settings()`) and pass",
        "the values on.",
        "",
        "| Key | Variable | Default | Meaning |",
        "| --- | --- | --- | --- |",
    ]
    for name, info in Settings.model_fields.items():
        if info.default_factory is not None:
            default = "computed (see meaning)"
        else:
            default = "none" if info.default is None else f"`{info.default}`"
        meaning = (info.description or "").replace("|", "\\|")
        lines.append(f"| `{name}` | `{ENV_PREFIX}{name.upper()}` | {default} | {meaning} |")
    return "\n".join(lines) + "\n"
