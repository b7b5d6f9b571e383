"""Registry commands: each one resolves the acting user and calls one registry service.

``--db`` defaults to ``NEUROIG_DATABASE_URL``, else the SQLite file in the user's data
folder; ``--as`` names the acting registry user, else the OS user (decision G7).
"""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Callable
from datetime import date
from functools import wraps
from importlib import import_module
from pathlib import Path
from typing import Annotated, Any, Literal, ParamSpec, TypeVar

import orjson
import typer
from sqlalchemy import Engine

from neuroig.cli.console import err_console, out_console, print_problems
from neuroig.criteria import (
    cidp_ean_pns_2021,
    cidp_efns_pns_2010,
    mmn_aaem_2003,
    mmn_efns_pns_2010,
)
from neuroig.criteria.deciding import category_words
from neuroig.errors import CaseValidationError, InputError, NeuroigError, RegistryError
from neuroig.escape import plain_text
from neuroig.services import registry
from neuroig.store.engine import default_url
from neuroig.store.migrate import upgrade
from neuroig.store.permissions import Actor, authorize

__all__ = [
    "REGISTRY_COMMANDS",
    "audit_app",
    "backup_cmd",
    "db_app",
    "export_cmd",
    "history_cmd",
    "import_cmd",
    "patients_cmd",
    "reassess_cmd",
    "register",
    "restore_cmd",
    "user_app",
]

EXIT_REGISTRY = 2

P = ParamSpec("P")
R = TypeVar("R")

DbOpt = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Database URL (default: NEUROIG_DATABASE_URL, else the SQLite file "
        "~/.local/share/neuroig/registry.db).",
    ),
]
AsOpt = Annotated[
    str | None,
    typer.Option("--as", help="The acting registry user (default: the OS user)."),
]

db_app = typer.Typer(help="The registry database.", no_args_is_help=True)
user_app = typer.Typer(help="Registry users.", no_args_is_help=True)
audit_app = typer.Typer(help="The registry's audit log.", no_args_is_help=True)


def _errors(fn: Callable[P, R]) -> Callable[P, R]:
    """Registry failures, refusals and bad input: one clear line, exit 2, no traceback."""

    @wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except CaseValidationError as exc:
            print_problems(exc)
            raise typer.Exit(EXIT_REGISTRY) from None
        except NeuroigError as exc:
            err_console.print(f"error: {plain_text(str(exc))}", markup=False)
            raise typer.Exit(EXIT_REGISTRY) from None
        finally:
            while _ENGINES:
                _ENGINES.pop().dispose()

    return wrapper


_ENGINES: list[Engine] = []


def _open(db: str | None) -> Engine:
    engine = registry.open_registry(db or default_url())
    _ENGINES.append(engine)
    return engine


def _password(who: str) -> str:
    """The password of ``--as NAME``: ``NEUROIG_PASSWORD``, else asked at the terminal."""
    password = os.environ.get("NEUROIG_PASSWORD")
    if password is not None:
        return password
    if sys.stdin.isatty():
        return getpass.getpass(f"password of {who}: ")
    raise InputError(
        "--as",
        who,
        "a registry user whose password is in NEUROIG_PASSWORD or typed at the prompt",
    )


def acting_user(engine: Engine, who: str | None) -> Actor:
    """The acting user (decision G7): ``--as NAME`` proves the user's password; without
    ``--as`` the OS user acts (a registry user of that name, or the single-user owner)."""
    if who is not None and registry.has_users(engine):
        return registry.authenticate(engine, who, _password(who))
    return registry.resolve_actor(engine, who)


def _print(line: str) -> None:
    out_console.print(plain_text(line), markup=False)


@db_app.command("upgrade")
@_errors
def db_upgrade(db: DbOpt = None) -> None:
    """Create or upgrade the registry's tables (Alembic migrations)."""
    url = db or default_url()
    try:
        upgrade(url)
    except NeuroigError:
        raise
    except Exception as exc:
        raise RegistryError(f"cannot upgrade the registry database: {exc}") from None
    _print("registry database is at the newest schema")


@user_app.command("add")
@_errors
def user_add(
    name: Annotated[str, typer.Argument(help="User name.")],
    role: Annotated[str, typer.Option("--role", help="admin, clinician, pharmacist, …")],
    site: Annotated[list[str], typer.Option("--site", help="Site code (repeatable).")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
    db: DbOpt = None,
    who: AsOpt = None,
) -> None:
    """Add a user (the first user of a registry must be an admin)."""
    if not password_stdin:
        raise InputError("--password-stdin", "(missing)", "the password on stdin")
    password = sys.stdin.readline().rstrip("\r\n")
    engine = _open(db)
    actor = acting_user(engine, who) if registry.has_users(engine) else None
    registry.add_user(engine, actor, name, role, site, password)
    _print(f"user {name} added ({role}; sites {', '.join(site)})")


@_errors
def import_cmd(
    source: Annotated[str, typer.Argument(help="FILE, DIR, .jsonl file, or - for stdin.")],
    csv: Annotated[
        bool, typer.Option("--csv", help="SOURCE is a CSV of motor NCS values (docs).")
    ] = False,
    site: Annotated[str | None, typer.Option("--site", help="Site code of new patients.")] = None,
    reason: Annotated[str, typer.Option("--reason", help="Why (recorded).")] = "import",
    as_json: Annotated[bool, typer.Option("--json", help="Print the ids as JSON.")] = False,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            min=1,
            max=64,
            help="Processes that evaluate the cases ahead of the saves (the saves stay in "
            "order, one at a time).",
        ),
    ] = 1,
    db: DbOpt = None,
    who: AsOpt = None,
) -> None:
    """Import cases: new patients, or new versions of known ones (unchanged: skipped)."""
    engine = _open(db)
    actor = acting_user(engine, who)
    documents = (
        registry.csv_documents(Path(source), lambda cid: registry.current_document(engine, cid))
        if csv
        else registry.case_documents(source)
    )
    results: list[dict[str, Any]] = []
    failed = 0
    for label, outcome in registry.import_documents(
        engine, actor, documents, site=site, reason=reason, workers=workers
    ):
        if isinstance(outcome, Exception):
            failed += 1
            if isinstance(outcome, CaseValidationError):
                print_problems(outcome)
            else:
                err_console.print(f"{plain_text(label)}: {plain_text(str(outcome))}", markup=False)
            continue
        results.append(
            {
                "source": label,
                "case_id": outcome.case_id,
                "patient_id": outcome.patient_id,
                "version": outcome.version,
                "status": outcome.status,
            }
        )
        if not as_json:
            _print(f"{label}: {outcome.case_id} version {outcome.version} ({outcome.status})")
    if as_json:
        sys.stdout.write(orjson.dumps(results, option=orjson.OPT_INDENT_2).decode() + "\n")
    if failed:
        err_console.print(f"{failed} case(s) not imported", markup=False)
        raise typer.Exit(EXIT_REGISTRY)


BasedOnOpt = Annotated[
    int | None,
    typer.Option(
        "--based-on",
        help="The version this change is based on; refused (conflict) if another save came "
        "first (default: the latest version).",
    ),
]


def _saved(result: registry.SaveResult, as_json: bool) -> None:
    if as_json:
        sys.stdout.write(
            orjson.dumps(
                {
                    "case_id": result.case_id,
                    "patient_id": result.patient_id,
                    "version": result.version,
                    "status": result.status,
                }
            ).decode()
            + "\n"
        )
    else:
        _print(f"{result.case_id}: version {result.version} saved")


def _record_command(
    kind: Literal["infusion", "assessment", "study", "treatment"], what: str
) -> Any:
    @_errors
    def command(
        patient: Annotated[str, typer.Argument(help="The patient's case id.")],
        source: Annotated[str, typer.Argument(help="The record: a JSON/YAML file, or - (stdin).")],
        based_on: BasedOnOpt = None,
        reason: Annotated[str, typer.Option("--reason", help="Why (recorded).")] = kind,
        as_json: Annotated[bool, typer.Option("--json", help="Print the ids as JSON.")] = False,
        db: DbOpt = None,
        who: AsOpt = None,
    ) -> None:
        engine = _open(db)
        actor = acting_user(engine, who)
        record = registry.record_document(source)
        result = registry.append_record(
            engine, actor, patient, kind, record, base_version=based_on, reason=reason
        )
        _saved(result, as_json)

    command.__doc__ = f"Append {what.lower()} to a patient as a new version (docs/case-format.md)."
    command.__name__ = f"{kind}_cmd"
    return command


infusion_cmd = _record_command("infusion", "one infusion (an `infusions` item)")
assessment_cmd = _record_command("assessment", "one outcome assessment (an `assessments` item)")
study_cmd = _record_command("study", "a nerve study (the `ncs` object; it replaces the last one)")
treatment_cmd = _record_command("treatment", "one treatment course (a `treatments` item)")


@_errors
def delete_cmd(
    patient: Annotated[str, typer.Argument(help="The patient's case id.")],
    reason: Annotated[str, typer.Option("--reason", help="Why (required, recorded).")],
    based_on: BasedOnOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the ids as JSON.")] = False,
    db: DbOpt = None,
    who: AsOpt = None,
) -> None:
    """Delete a patient softly: a tombstone version; every version stays retrievable."""
    engine = _open(db)
    result = registry.delete_case(
        engine, acting_user(engine, who), patient, base_version=based_on, reason=reason
    )
    _saved(result, as_json)


@_errors
def export_cmd(
    patient: Annotated[str, typer.Argument(help="The patient's case id.")],
    version: Annotated[
        int | None, typer.Option("--version", help="Version (default latest).")
    ] = None,
    pseudonymise: Annotated[
        bool,
        typer.Option("--pseudonymise", help="Keyed hash for the case id, no birth date."),
    ] = False,
    db: DbOpt = None,
    who: AsOpt = None,
) -> None:
    """Print a stored version as the canonical case document."""
    engine = _open(db)
    data = registry.export_case(
        engine, acting_user(engine, who), patient, version=version, pseudonymise=pseudonymise
    )
    sys.stdout.buffer.write(data + b"\n")
    sys.stdout.flush()


@_errors
def patients_cmd(
    search: Annotated[str | None, typer.Option("--search", help="Part of a case id.")] = None,
    review: Annotated[
        bool,
        typer.Option(
            "--review-due",
            help="Only patients whose review is overdue or due soon (see --within), overdue first.",
        ),
    ] = False,
    within: Annotated[
        int,
        typer.Option("--within", help="Days ahead a review counts as due (0-366)."),
    ] = registry.REVIEW_DUE_WITHIN_DAYS,
    today: Annotated[
        str | None,
        typer.Option("--today", help="The day to list for, YYYY-MM-DD (default: today, UTC)."),
    ] = None,
    deleted: Annotated[bool, typer.Option("--deleted", help="Include deleted.")] = False,
    site: Annotated[str | None, typer.Option("--site", help="Only this site (its code).")] = None,
    diagnosis: Annotated[
        str | None,
        typer.Option(
            "--diagnosis",
            help="mmn | cidp: only patients fulfilling a category of that disease's sets "
            "(no result yet: listed last).",
        ),
    ] = None,
    db: DbOpt = None,
    who: AsOpt = None,
) -> None:
    """List the patients of your sites (latest version, categories, review calendar)."""
    day = _day(today)
    engine = _open(db)
    rows = registry.list_patients(
        engine,
        acting_user(engine, who),
        search=search,
        include_deleted=deleted,
        review_due=review,
        today=day,
        within_days=within,
        site=site,
        diagnosis=diagnosis,
    )
    for r in rows:
        cats = _categories_text((r.summary or {}).get("categories") or {})
        gone = " DELETED" if r.deleted else ""
        review_text = "" if r.deleted else f"  {_review_text(r.review)}"
        _print(
            f"{r.case_id}  site {r.site}  v{r.version}  {r.updated_at}{gone}  {cats}{review_text}"
        )
    _print(f"{len(rows)} patient(s)")


def _day(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError("--today", text, "a date as YYYY-MM-DD") from None


def _review_text(calendar: registry.ReviewCalendar | None) -> str:
    if calendar is None:
        return "review: unknown (no result under the installed rules; run `neuroig reassess`)"
    if calendar.status == "overdue":
        return f"review: OVERDUE since {calendar.due} (no outcome assessment since)"
    if calendar.status == "due":
        return f"review: due {calendar.due}"
    if calendar.due is not None:
        return f"review: next {calendar.due}"
    return "review: none (no ongoing immunoglobulin)"


def _categories_text(categories: dict[str, Any]) -> str:
    """Each stored set's category in words, as the report prints it."""
    titles = {
        m.SET_ID: m.TITLE
        for m in (mmn_efns_pns_2010, mmn_aaem_2003, cidp_ean_pns_2021, cidp_efns_pns_2010)
    }
    parts = []
    for key, value in categories.items():
        cat = value.get("category") if isinstance(value, dict) else value
        text = f"{titles.get(key, key)}: {category_words(str(cat))}"
        if isinstance(value, dict) and value.get("conditional_category"):
            text += f" (conditionally {category_words(str(value['conditional_category']))})"
        parts.append(plain_text(text))
    return "; ".join(parts)


@_errors
def history_cmd(
    patient: Annotated[str, typer.Argument(help="The patient's case id.")],
    db: DbOpt = None,
    who: AsOpt = None,
) -> None:
    """Every version of a patient with what changed."""
    engine = _open(db)
    for h in registry.history(engine, acting_user(engine, who), patient):
        parent = f" (from v{h.parent_version})" if h.parent_version else ""
        gone = " DELETED" if h.deleted else ""
        _print(f"v{h.version}{parent} {h.kind} by {h.author} at {h.created_at}{gone}: {h.reason}")
        for line in h.diff:
            _print(f"    {line}")


@audit_app.command("verify")
@_errors
def audit_verify_cmd(db: DbOpt = None, who: AsOpt = None) -> None:
    """Check the audit chain; exit 2 when any entry was changed, deleted or reordered."""
    engine = _open(db)
    report = registry.audit_verify(engine, acting_user(engine, who))
    for problem in report.problems:
        err_console.print(problem, markup=False)
    if not report.ok:
        err_console.print(
            f"audit chain BROKEN: {len(report.problems)} problem(s) in {report.entries} entries",
            markup=False,
        )
        raise typer.Exit(EXIT_REGISTRY)
    _print(f"audit chain intact: {report.entries} entries, head {report.head}")


@audit_app.command("list")
@_errors
def audit_list_cmd(
    limit: Annotated[int, typer.Option("--limit", min=1, help="Newest N entries.")] = 50,
    obj: Annotated[str | None, typer.Option("--object", help="Only this object id.")] = None,
    db: DbOpt = None,
    who: AsOpt = None,
) -> None:
    """The newest audit entries."""
    engine = _open(db)
    for e in registry.audit_list(engine, acting_user(engine, who), limit=limit, object_id=obj):
        version = f" v{e['version']}" if e["version"] is not None else ""
        refused = " REFUSED" if (e["detail"] or {}).get("outcome") == "refused" else ""
        _print(
            f"{e['seq']:>6} {e['at']} {e['actor']} {e['action']} "
            f"{e['object_type']}:{e['object_id']}{version}{refused}"
        )


@audit_app.command("export")
@_errors
def audit_export_cmd(db: DbOpt = None, who: AsOpt = None) -> None:
    """The whole audit log as JSON lines (auditors)."""
    engine = _open(db)
    for line in registry.audit_export(engine, acting_user(engine, who)):
        sys.stdout.buffer.write(line)
    sys.stdout.flush()


@_errors
def backup_cmd(
    file: Annotated[Path, typer.Argument(help="The backup file to write (must not exist).")],
    db: DbOpt = None,
    who: AsOpt = None,
) -> None:
    """A consistent copy of the registry, while it is in use."""
    engine = _open(db)
    registry.backup(engine, acting_user(engine, who), file)
    _print(f"backup written to {file}")


@_errors
def restore_cmd(
    file: Annotated[Path, typer.Argument(help="A file made by `neuroig backup`.")],
    db: DbOpt = None,
    who: AsOpt = None,
) -> None:
    """Restore a backup into an empty registry, then verify its audit chain."""
    url = db or default_url()
    upgrade(url)
    engine = _open(url)
    actor = acting_user(engine, who) if registry.has_users(engine) else None
    if actor is not None:
        authorize(actor, "db.restore")
    report = registry.restore(engine, actor, file)
    if not report.ok:
        err_console.print("restored, but the audit chain is BROKEN:", markup=False)
        for problem in report.problems:
            err_console.print(problem, markup=False)
        raise typer.Exit(EXIT_REGISTRY)
    _print(f"restored from {file}; audit chain intact ({report.entries} entries)")


@_errors
def reassess_cmd(
    workers: Annotated[int, typer.Option("--workers", min=1, help="Processes.")] = 1,
    part: Annotated[
        str | None,
        typer.Option(
            "--part",
            metavar="K/N",
            help="Only the K-th of N parts of the patients (patient number modulo N), so "
            "that N machines reassess one registry between them.",
        ),
    ] = None,
    db: DbOpt = None,
    who: AsOpt = None,
) -> None:
    """Re-evaluate every stored case under the installed rules and report what changed."""
    split = _part(part) if part is not None else None
    engine = _open(db)

    def progress(done: int, total: int) -> None:
        err_console.print(f"reassess: {done}/{total}", markup=False)

    report = registry.reassess(
        engine, acting_user(engine, who), workers=workers, progress=progress, part=split
    )
    for change in report.changed:
        _print(f"patient {change['patient_id']} v{change['version']}:")
        for line in change["why"]:
            _print(f"    {line}")
    _print(
        f"rules {report.rules_version}: {report.evaluated} evaluated, "
        f"{report.skipped} already done, {len(report.changed)} changed"
    )


def _part(text: str) -> tuple[int, int]:
    k, sep, n = text.partition("/")
    if not (sep and k.isdigit() and n.isdigit() and 1 <= int(k) <= int(n) <= 1000):
        raise typer.BadParameter(
            f"got {text!r}; K/N with 1 <= K <= N <= 1000 (e.g. 2/4)", param_hint="--part"
        )
    return int(k), int(n)


#: command name -> a Typer group or a command function, in the order --help lists them
REGISTRY_COMMANDS: dict[str, typer.Typer | Callable[..., None]] = {
    "db": db_app,
    "user": user_app,
    "import": import_cmd,
    "export": export_cmd,
    "infusion": infusion_cmd,
    "assessment": assessment_cmd,
    "study": study_cmd,
    "treatment": treatment_cmd,
    "delete": delete_cmd,
    "patients": patients_cmd,
    "history": history_cmd,
    "audit": audit_app,
    "backup": backup_cmd,
    "restore": restore_cmd,
    "reassess": reassess_cmd,
}


def register(application: typer.Typer, only: str | None = None) -> None:
    """Add the registry's commands (or the one command ``only``) to ``application``."""
    if only in (None, "fhir"):  # its module imports this one: looked up when registered
        fhir_app = import_module("neuroig.cli.fhir_cmds").fhir_app
        application.add_typer(fhir_app, name="fhir")
    if only in (None, "cohort"):
        cohort_app = import_module("neuroig.cli.cohort_cmd").cohort_app
        application.add_typer(cohort_app, name="cohort")
    for name, target in REGISTRY_COMMANDS.items():
        if only is not None and name != only:
            continue
        if isinstance(target, typer.Typer):
            application.add_typer(target, name=name)
        else:
            application.command(name)(target)
