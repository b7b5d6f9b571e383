"""Log in and out, the patient list, the patient page and its printable report.

Security: a signed session cookie (``HttpOnly``, ``SameSite=Strict``, ``Secure`` in
production) holds the user's API token; every form carries a CSRF token bound to the
session; every page is sent with a strict Content-Security-Policy (no inline script or
style, images from this site or embedded); every case string is escaped by Jinja2's
autoescape. Each page calls the services, which check the role and site and audit the
access, as for the API.
"""

from __future__ import annotations

import base64
import hmac
import re
import secrets
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Annotated, Any, Literal, cast, get_args
from urllib.parse import parse_qsl, quote, urlencode

import msgspec
import orjson
from fastapi import APIRouter, Depends, FastAPI, Form, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader, StrictUndefined
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from neuroig.criteria import (
    cidp_ean_pns_2021,
    cidp_efns_pns_2010,
    mmn_aaem_2003,
    mmn_efns_pns_2010,
)
from neuroig.criteria.deciding import category_words
from neuroig.errors import AuthError, CaseValidationError, NeuroigError, UnknownPatientError
from neuroig.record import Record
from neuroig.report.charts import review_chart
from neuroig.report.cohort_chart import cohort_chart
from neuroig.report.heatmap import ncs_heatmap
from neuroig.report.printable import render_pdf
from neuroig.services import registry
from neuroig.services.auth import actor_for_token, log_in, revoke_token
from neuroig.services.cohort import CohortReport, cohort_report
from neuroig.services.drafts import (
    DraftInfo,
    delete_draft,
    list_drafts,
    load_draft,
    save_draft,
)
from neuroig.services.entry import save_entry, vocabulary
from neuroig.services.plan import product_choices, regimen_choices, weight_policy_choices
from neuroig.services.report import MAX_BLOCKED_SCAN, patient_report_data, plan_blocks
from neuroig.settings import Settings
from neuroig.store.permissions import Actor, PermissionDeniedError
from neuroig.store.repository import ConflictError
from neuroig.therapy.export import plan_to_ics
from neuroig.therapy.options import Override
from neuroig.web.forms import document_from_form, form_path

__all__ = ["install_web"]

CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
_ENV = Environment(
    loader=PackageLoader("neuroig.web", "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_ENV.filters["words"] = lambda value: category_words(str(value)) if value else "—"
TITLES = {
    m.SET_ID: m.TITLE
    for m in (mmn_efns_pns_2010, mmn_aaem_2003, cidp_ean_pns_2021, cidp_efns_pns_2010)
}

router = APIRouter(include_in_schema=False)


def _csrf(request: Request) -> str:
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


def _check_csrf(request: Request, sent: str) -> None:
    expected = request.session.get("csrf")
    if not isinstance(expected, str) or not hmac.compare_digest(expected, sent):
        raise _PageError(403, "the form has expired or did not come from this site; reload it")


def _page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    html = _ENV.get_template(name).render(csrf=_csrf(request), **context)
    return HTMLResponse(html, status_code=status)


async def _user(request: Request) -> Actor | None:
    token = request.session.get("token")
    if not isinstance(token, str):
        return None
    try:
        actor: Actor = await run_in_threadpool(actor_for_token, request.app.state.engine, token)
    except AuthError:
        request.session.pop("token", None)
        return None
    return actor


async def _call(request: Request, fn: Callable[[], Any]) -> Any:
    """Run a service call; a refusal, an unknown patient or bad input becomes a page."""
    try:
        return await run_in_threadpool(fn)
    except PermissionDeniedError as exc:
        raise _PageError(403, str(exc)) from None
    except UnknownPatientError as exc:
        raise _PageError(404, str(exc)) from None
    except NeuroigError as exc:
        raise _PageError(422, str(exc)) from None


class _PageError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _login_redirect() -> RedirectResponse:
    return RedirectResponse("/login", status_code=303)


@router.get("/")
async def home(request: Request) -> Response:
    return RedirectResponse("/patients" if await _user(request) else "/login", status_code=303)


@router.get("/login")
async def login_form(request: Request) -> Response:
    return _page(request, "login.html.j2", user=None, error=None, username="")


@router.post("/login")
async def login(
    request: Request,
    username: Annotated[str, Form(max_length=100)],
    password: Annotated[str, Form(max_length=1000)],
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    _check_csrf(request, csrf)
    settings: Settings = request.app.state.settings
    try:
        issued = await run_in_threadpool(
            lambda: log_in(request.app.state.engine, username, password, settings=settings)
        )
    except AuthError as exc:
        return _page(request, "login.html.j2", 401, user=None, error=str(exc), username=username)
    request.session.clear()
    request.session["token"] = issued.token
    return RedirectResponse("/patients", status_code=303)


@router.post("/logout")
async def logout(request: Request, csrf: Annotated[str, Form(max_length=200)] = "") -> Response:
    _check_csrf(request, csrf)
    token = request.session.get("token")
    user = await _user(request)
    if user is not None and isinstance(token, str):
        await run_in_threadpool(revoke_token, request.app.state.engine, user, token)
    request.session.clear()
    return _login_redirect()


@router.get("/patients")
async def patients(
    request: Request,
    search: Annotated[str, Query(max_length=200)] = "",
    review_due: Annotated[bool, Query()] = False,
    site: Annotated[str, Query(max_length=64)] = "",
    diagnosis: Annotated[str, Query(pattern="^(|mmn|cidp)$")] = "",
    blocked: Annotated[bool, Query()] = False,
) -> Response:
    """The patients of the user's sites, what needs attention first: overdue reviews,
    then due ones, then by date; unknown calendars last (decision G11)."""
    user = await _user(request)
    if user is None:
        return _login_redirect()
    rows = await _call(
        request,
        lambda: registry.list_patients(
            request.app.state.engine,
            user,
            search=search or None,
            review_due=review_due,
            site=site or None,
            diagnosis=diagnosis or None,
        ),
    )
    rows.sort(key=registry.attention)
    blocks: dict[str, tuple[str, ...] | None] = {}
    notice = None
    if blocked:
        live = [r for r in rows if not r.deleted]
        if len(live) > MAX_BLOCKED_SCAN:
            notice = (
                f"{len(live):,} patients: the blocked-plan filter plans each one; narrow the "
                f"list to {MAX_BLOCKED_SCAN:,} or fewer first (case id, diagnosis, site)"
            )
        else:
            engine = request.app.state.engine
            for r in live:
                blocks[r.case_id] = await _call(
                    request, partial(plan_blocks, engine, user, r.case_id)
                )
            # blocked first; a patient no plan can be made for is unknown, not "not
            # blocked": listed last (as G11, G13)
            rows = [r for r in live if blocks[r.case_id]] + [
                r for r in live if blocks[r.case_id] is None
            ]
    return _page(
        request,
        "patients.html.j2",
        user=user,
        rows=rows,
        search=search,
        review_due=review_due,
        site=site,
        diagnosis=diagnosis,
        blocked=blocked,
        blocks=blocks,
        notice=notice,
        titles=TITLES,
    )


def _png_uri(draw: Callable[[Path], object]) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "chart.png"
        draw(path)
        return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


async def _cohort(request: Request) -> tuple[Actor, CohortReport] | Response:
    user = await _user(request)
    if user is None:
        return _login_redirect()
    engine = request.app.state.engine
    today = datetime.now(UTC).date()
    report = await _call(request, lambda: cohort_report(engine, user, today=today))
    return user, report


@router.get("/cohort")
async def cohort(request: Request) -> Response:
    """The cohort dashboard of the user's sites (decision G14): figures, chart, CSV."""
    found = await _cohort(request)
    if isinstance(found, Response):
        return found
    user, report = found
    chart = _png_uri(partial(cohort_chart, report)) if report.by_diagnosis else None
    return _page(request, "cohort.html.j2", user=user, report=report, chart=chart, titles=TITLES)


@router.get("/cohort.csv")
async def cohort_csv(request: Request) -> Response:
    """The dashboard's figures as CSV rows: figure, group, class, value."""
    found = await _cohort(request)
    if isinstance(found, Response):
        return found
    _user_row, report = found
    return Response(
        report.csv_text(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="cohort.csv"'},
    )


def _heatmap_uri(data: Any) -> str | None:
    if data.electro is None or not data.electro.motor:
        return None
    return _png_uri(partial(ncs_heatmap, data.electro, data.case.case_id))


def _review_chart_uri(data: Any) -> str | None:
    if data.review is None:
        return None
    return _png_uri(partial(review_chart, data.review))


MAX_FORM_FIELDS = 2000


async def _bounded_form(request: Request) -> list[tuple[str, str]]:
    """The fields of a URL-encoded form, read no further than the body limit (413), of
    no more than MAX_FORM_FIELDS fields (413); any other body is a 415."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/x-www-form-urlencoded":
        raise _PageError(415, "this page takes a form (application/x-www-form-urlencoded)")
    limit = request.app.state.settings.api_max_body_bytes
    size, chunks = 0, []
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _PageError(413, f"the form is larger than {limit:,} bytes")
        chunks.append(chunk)
    text = b"".join(chunks).decode("utf-8", errors="replace")
    try:
        return parse_qsl(text, keep_blank_values=True, max_num_fields=MAX_FORM_FIELDS)
    except ValueError:
        raise _PageError(413, f"the form has more than {MAX_FORM_FIELDS:,} fields") from None


GRID_MUSCLES = (
    "deltoid",
    "biceps",
    "triceps",
    "wrist_extensors",
    "finger_extensors",
    "first_dorsal_interosseous",
    "abductor_digiti_minimi",
    "abductor_pollicis_brevis",
    "iliopsoas",
    "quadriceps",
    "tibialis_anterior",
    "gastrocnemius",
)
MOTOR_SLOTS, SITE_ROWS, SENSORY_SLOTS = 4, 4, 4


def _grid_context() -> dict[str, Any]:
    """What the entry grids offer: the vocabulary, the MRC grid's muscles, every motor
    site, and the number of nerve and site rows."""
    words = vocabulary()
    names = dict(words.muscles)
    all_sites: list[str] = []
    for sites in words.motor_sites.values():
        all_sites += [s for s in sites if s not in all_sites]
    return {
        "vocab": words,
        "grid_muscles": [(m, names[m]) for m in GRID_MUSCLES],
        "all_sites": all_sites,
        "motor_slots": MOTOR_SLOTS,
        "site_rows": SITE_ROWS,
        "sensory_slots": SENSORY_SLOTS,
    }


def _entry_page(
    request: Request,
    user: Actor,
    *,
    values: dict[str, str],
    site: str,
    problems: list[tuple[str, str]],
    status: int = 200,
    draft: DraftInfo | None = None,
    drafts: list[DraftInfo] | None = None,
) -> HTMLResponse:
    return _page(
        request,
        "entry.html.j2",
        status,
        user=user,
        **_grid_context(),
        values=values,
        site=site,
        problems=problems,
        errors=dict(problems),
        draft=draft,
        drafts=drafts or [],
    )


@router.get("/patients/new")
async def new_patient_form(
    request: Request, draft: Annotated[int | None, Query(ge=1, lt=2**31)] = None
) -> Response:
    """The entry form, empty or filled from one of the user's drafts; the user's drafts
    are listed to resume or discard."""
    user = await _user(request)
    if user is None:
        return _login_redirect()
    engine = request.app.state.engine
    mine = await _call(request, lambda: list_drafts(engine, user))
    if draft is None:
        return _entry_page(request, user, values={}, site="", problems=[], drafts=mine)
    info, fields = await _call(request, lambda: load_draft(engine, user, draft))
    values = dict(fields)
    return _entry_page(
        request,
        user,
        values=values,
        site=values.get("site", ""),
        problems=[],
        draft=info,
        drafts=mine,
    )


def _draft_id(values: dict[str, str]) -> int | None:
    text = values.get("draft_id", "")
    return int(text) if text.isdigit() and 0 < int(text) < 2**31 else None


@router.post("/drafts")
async def save_draft_route(request: Request) -> Response:
    """Keep the entry form as a draft: htmx autosave answers the status line (and the
    draft's number for the form), a plain form post goes back to the form."""
    user = await _user(request)
    if user is None:
        return _login_redirect()
    fields = await _bounded_form(request)
    values = dict(fields)
    _check_csrf(request, values.get("csrf", ""))
    engine = request.app.state.engine
    kept = [(k, v) for k, v in fields if k != "draft_id"]
    info = await _call(request, lambda: save_draft(engine, user, kept, draft_id=_draft_id(values)))
    if request.headers.get("hx-request") == "true":
        return _page(request, "draft_status.html.j2", user=user, draft=info)
    return RedirectResponse(f"/patients/new?draft={info.id}", status_code=303)


@router.post("/drafts/{draft_id}/delete")
async def delete_draft_route(
    request: Request, draft_id: int, csrf: Annotated[str, Form(max_length=200)] = ""
) -> Response:
    _check_csrf(request, csrf)
    user = await _user(request)
    if user is None:
        return _login_redirect()
    engine = request.app.state.engine
    await _call(request, lambda: delete_draft(engine, user, draft_id))
    return RedirectResponse("/patients/new", status_code=303)


@router.post("/patients/new")
async def new_patient(request: Request) -> Response:
    user = await _user(request)
    if user is None:
        return _login_redirect()
    fields = await _bounded_form(request)
    values = dict(fields)
    _check_csrf(request, values.get("csrf", ""))
    site = values.get("site", "").strip()
    document, remap = document_from_form(fields)
    try:
        saved = await run_in_threadpool(
            lambda: save_entry(
                request.app.state.engine, user, document, site=site or None, base_version=0
            )
        )
    except CaseValidationError as exc:
        problems = [(form_path(p.path, remap), p.message) for p in exc.problems]
        kept = await _keep_draft(request, user, fields, values)
        return _entry_page(
            request, user, values=values, site=site, problems=problems, status=422, draft=kept
        )
    except ConflictError:
        problem = ("case_id", "a patient with this case id exists; choose another id")
        kept = await _keep_draft(request, user, fields, values)
        return _entry_page(
            request, user, values=values, site=site, problems=[problem], status=409, draft=kept
        )
    except PermissionDeniedError as exc:
        raise _PageError(403, str(exc)) from None
    except NeuroigError as exc:
        problems = [("site" if "site" in str(exc).lower() else "case_id", str(exc))]
        return _entry_page(request, user, values=values, site=site, problems=problems, status=422)
    used = _draft_id(values)
    if used is not None:  # the draft became the case
        await _call(request, lambda: delete_draft(request.app.state.engine, user, used))
    return RedirectResponse(f"/patients/{quote(saved.case_id, safe='')}", status_code=303)


async def _keep_draft(
    request: Request, user: Actor, fields: list[tuple[str, str]], values: dict[str, str]
) -> DraftInfo | None:
    """A refused entry is kept as a draft (never lost); None when the user keeps none."""
    engine = request.app.state.engine
    kept = [(k, v) for k, v in fields if k != "draft_id"]
    try:
        return await run_in_threadpool(
            partial(save_draft, engine, user, kept, draft_id=_draft_id(values))
        )
    except (NeuroigError, PermissionDeniedError):
        return None


class ImportLine(Record, frozen=True):
    """One case of an uploaded file and what became of it."""

    label: str
    case_id: str | None
    status: str  # new | version | unchanged | refused
    version: int | None
    problems: list[tuple[str, str]]


def _import_page(
    request: Request,
    user: Actor,
    *,
    site: str,
    reason: str,
    lines: list[ImportLine],
    error: str | None,
    status: int = 200,
) -> HTMLResponse:
    return _page(
        request,
        "import.html.j2",
        status,
        user=user,
        site=site,
        reason=reason,
        lines=lines,
        error=error,
        max_bytes=request.app.state.settings.api_max_body_bytes,
    )


@router.get("/patients/import")
async def import_form(request: Request) -> Response:
    user = await _user(request)
    if user is None:
        return _login_redirect()
    return _import_page(request, user, site="", reason="", lines=[], error=None)


@router.post("/patients/import")
async def import_file(request: Request) -> Response:
    """Import an uploaded case file (JSON, YAML, JSON lines) or NCS spreadsheet (CSV):
    each case is validated and saved as a new patient or a new version, or refused with
    its problems; nothing is overwritten."""
    user = await _user(request)
    if user is None:
        return _login_redirect()
    limit = request.app.state.settings.api_max_body_bytes
    declared = request.headers.get("content-length", "")
    if not declared.isdigit() or int(declared) > limit + 10_000:
        raise _PageError(413, f"the upload is larger than {limit:,} bytes (or of unknown size)")
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "multipart/form-data":
        raise _PageError(415, "this page takes a file upload (multipart/form-data)")
    async with request.form(max_files=1, max_fields=10, max_part_size=limit) as form:
        csrf, site, reason = (str(form.get(k) or "") for k in ("csrf", "site", "reason"))
        _check_csrf(request, csrf)
        upload = form.get("file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            return _import_page(
                request, user, site=site, reason=reason, lines=[], error="choose a file", status=422
            )
        content = await upload.read(limit + 1)
        name = Path(upload.filename).name[:200]
    if len(content) > limit:
        raise _PageError(413, f"the file is larger than {limit:,} bytes")
    engine = request.app.state.engine
    why = reason.strip()[:500] or f"imported on the web page from {name}"
    try:
        documents = await run_in_threadpool(registry.upload_documents, engine, name, content)
    except NeuroigError as exc:
        return _import_page(
            request, user, site=site, reason=reason, lines=[], error=str(exc), status=422
        )
    lines: list[ImportLine] = []
    for label, data in documents:
        case_id = data.get("case_id") if isinstance(data, dict) else None
        try:
            saved = await run_in_threadpool(
                partial(
                    registry.save_case,
                    engine,
                    user,
                    data,
                    site=site or None,
                    reason=why,
                    source=label,
                )
            )
        except CaseValidationError as exc:
            problems = [(p.path, p.message) for p in exc.problems]
            lines.append(ImportLine(label, _text_or_none(case_id), "refused", None, problems))
        except (NeuroigError, PermissionDeniedError, ConflictError) as exc:
            lines.append(
                ImportLine(label, _text_or_none(case_id), "refused", None, [("", str(exc))])
            )
        else:
            lines.append(ImportLine(label, saved.case_id, saved.status, saved.version, []))
    refused = any(line.status == "refused" for line in lines)
    return _import_page(
        request,
        user,
        site=site,
        reason=reason,
        lines=lines,
        error=None,
        status=422 if refused else 200,
    )


def _text_or_none(value: Any) -> str | None:
    return value[:200] if isinstance(value, str) else None


def _edit_page(
    request: Request,
    user: Actor,
    case_id: str,
    base_version: int,
    *,
    document: str,
    reason: str,
    problems: list[tuple[str, str]],
    status: int = 200,
) -> HTMLResponse:
    return _page(
        request,
        "edit.html.j2",
        status,
        user=user,
        case_id=case_id,
        base_version=base_version,
        document=document,
        reason=reason,
        problems=problems,
    )


@router.get("/patients/{case_id}/edit")
async def edit_form(request: Request, case_id: str) -> Response:
    """The latest version's whole document to edit (every field, nothing left out)."""
    user = await _user(request)
    if user is None:
        return _login_redirect()
    engine = request.app.state.engine
    stored = await _call(request, lambda: registry.read_case(engine, user, case_id))
    if stored.deleted:
        raise _PageError(409, f"patient {case_id!r} is deleted; its versions stay readable")
    text = orjson.dumps(orjson.loads(stored.document), option=orjson.OPT_INDENT_2).decode()
    return _edit_page(request, user, case_id, stored.version, document=text, reason="", problems=[])


@router.post("/patients/{case_id}/edit")
async def edit_save(request: Request, case_id: str) -> Response:
    """Save the edited document as a new version based on the version opened (G4)."""
    user = await _user(request)
    if user is None:
        return _login_redirect()
    fields = await _bounded_form(request)
    values = dict(fields)
    _check_csrf(request, values.get("csrf", ""))
    base = values.get("base_version", "")
    if not base.isdigit():
        raise _PageError(422, "the form lost its base version; open it again from the patient")
    text, reason = values.get("document", ""), values.get("reason", "").strip()[:500]

    def again(problems: list[tuple[str, str]], status: int) -> HTMLResponse:
        return _edit_page(
            request,
            user,
            case_id,
            int(base),
            document=text,
            reason=reason,
            problems=problems,
            status=status,
        )

    if not reason:
        return again([("reason", "why the case is changed (recorded with the version)")], 422)
    engine = request.app.state.engine
    try:
        documents = await run_in_threadpool(
            registry.upload_documents, engine, "document.json", text.encode("utf-8")
        )
    except NeuroigError as exc:
        return again([("document", str(exc))], 422)
    data = documents[0][1] if len(documents) == 1 else None
    if not isinstance(data, dict) or data.get("case_id") != case_id:
        return again([("case_id", f"one document whose case_id stays {case_id!r}")], 422)
    try:
        await run_in_threadpool(
            partial(
                registry.save_case,
                engine,
                user,
                data,
                base_version=int(base),
                reason=reason,
                kind="edit",
            )
        )
    except CaseValidationError as exc:
        return again([(p.path, p.message) for p in exc.problems], 422)
    except ConflictError as exc:
        return again([("", f"{exc} Your text is below: copy it, then reopen the editor.")], 409)
    except PermissionDeniedError as exc:
        raise _PageError(403, str(exc)) from None
    except NeuroigError as exc:
        return again([("", str(exc))], 422)
    return RedirectResponse(f"/patients/{quote(case_id, safe='')}", status_code=303)


RECORD_TITLES = {
    "infusion": "Record an infusion",
    "assessment": "Record an outcome assessment",
    "treatment": "Record a treatment course",
    "study": "Record a nerve conduction study",
}
RecordKind = Literal["infusion", "assessment", "treatment", "study"]


def _record_page(
    request: Request,
    user: Actor,
    case_id: str,
    kind: str,
    base_version: int,
    *,
    values: dict[str, str],
    problems: list[tuple[str, str]],
    status: int = 200,
) -> HTMLResponse:
    return _page(
        request,
        "record.html.j2",
        status,
        user=user,
        case_id=case_id,
        kind=kind,
        title=RECORD_TITLES[kind],
        base_version=base_version,
        values=values,
        problems=problems,
        errors=dict(problems),
        **_grid_context(),
    )


def _record_kind(kind: str) -> RecordKind:
    for known in get_args(RecordKind):
        if kind == known:
            return cast(RecordKind, known)
    raise _PageError(404, f"no record of kind {kind!r}: " + ", ".join(get_args(RecordKind)))


@router.get("/patients/{case_id}/record/{kind}")
async def record_form(request: Request, case_id: str, kind: str) -> Response:
    user = await _user(request)
    if user is None:
        return _login_redirect()
    _record_kind(kind)
    engine = request.app.state.engine
    stored = await _call(request, lambda: registry.read_case(engine, user, case_id))
    return _record_page(request, user, case_id, kind, stored.latest_version, values={}, problems=[])


@router.post("/patients/{case_id}/record/{kind}")
async def record_save(request: Request, case_id: str, kind: str) -> Response:
    """Append an infusion or an outcome assessment as a new version based on the version
    the form was opened on (a save in between is a conflict: nothing is saved)."""
    user = await _user(request)
    if user is None:
        return _login_redirect()
    which = _record_kind(kind)
    fields = await _bounded_form(request)
    values = dict(fields)
    _check_csrf(request, values.get("csrf", ""))
    base = values.get("base_version", "")
    if not base.isdigit():
        raise _PageError(422, "the form lost its base version; open it again from the patient")
    prefixes = ("ncs.", "paste:ncs.") if which == "study" else (f"{which}s[0].",)
    document, remap = document_from_form([(k, v) for k, v in fields if k.startswith(prefixes)])
    items = [document.get("ncs") or {}] if which == "study" else document.get(f"{which}s") or [{}]
    reason = values.get("reason", "").strip()[:500] or f"{which} recorded on the web page"
    engine = request.app.state.engine
    try:
        await run_in_threadpool(
            partial(
                registry.append_record,
                engine,
                user,
                case_id,
                which,
                items[0],
                base_version=int(base),
                reason=reason,
            )
        )
    except CaseValidationError as exc:

        def at(path: str) -> str:
            return form_path(path, remap) if which == "study" else _first_item(path, f"{which}s")

        problems = [(at(p.path), p.message) for p in exc.problems]
        return _record_page(
            request, user, case_id, kind, int(base), values=values, problems=problems, status=422
        )
    except ConflictError as exc:
        problem = ("", f"{exc} Open the form again from the patient page.")
        return _record_page(
            request, user, case_id, kind, int(base), values=values, problems=[problem], status=409
        )
    except PermissionDeniedError as exc:
        raise _PageError(403, str(exc)) from None
    except UnknownPatientError as exc:
        raise _PageError(404, str(exc)) from None
    except NeuroigError as exc:
        return _record_page(
            request,
            user,
            case_id,
            kind,
            int(base),
            values=values,
            problems=[("", str(exc))],
            status=422,
        )
    return RedirectResponse(f"/patients/{quote(case_id, safe='')}", status_code=303)


def _first_item(path: str, section: str) -> str:
    """``infusions[7].dose_g`` -> ``infusions[0].dose_g`` (the form's one item)."""
    return re.sub(rf"^{section}\[\d+\]", f"{section}[0]", path)


class PlanChoice(Record, frozen=True):
    """The plan the page shows: product, regimen and dosing-weight policy ("" = the
    planner's own choice), carried in the query string of every link of the plan."""

    product: str = ""
    regimen: str = ""
    weight_policy: str = ""

    @property
    def query(self) -> str:
        given = {k: v for k, v in msgspec.structs.asdict(self).items() if v}
        return ("?" + urlencode(given)) if given else ""

    def report(
        self, engine: Any, user: Actor, case_id: str, overrides: tuple[Override, ...] = ()
    ) -> Any:
        return patient_report_data(
            engine,
            user,
            case_id,
            product=self.product or None,
            regimen=self.regimen or None,
            weight_policy=self.weight_policy or None,
            overrides=overrides,
        )


_CHOICE = r"^[a-z0-9_-]{0,60}$"


def _plan_choice(
    product: Annotated[str, Query(pattern=_CHOICE)] = "",
    regimen: Annotated[str, Query(pattern=_CHOICE)] = "",
    weight_policy: Annotated[str, Query(pattern=_CHOICE)] = "",
) -> PlanChoice:
    return PlanChoice(product, regimen, weight_policy)


PlanChoiceDep = Annotated[PlanChoice, Depends(_plan_choice)]


@router.get("/patients/{case_id}")
async def patient(request: Request, case_id: str, choice: PlanChoiceDep) -> Response:
    user = await _user(request)
    if user is None:
        return _login_redirect()
    return await _patient_page(request, user, case_id, choice)


async def _patient_page(
    request: Request,
    user: Actor,
    case_id: str,
    choice: PlanChoice,
    overrides: tuple[Override, ...] = (),
) -> Response:
    engine = request.app.state.engine
    data = await _call(request, lambda: choice.report(engine, user, case_id, overrides))
    history = await _call(request, lambda: registry.history(engine, user, case_id))
    return _page(
        request,
        "patient.html.j2",
        user=user,
        d=data,
        a=data.assessment,
        plan=data.plan,
        review_doc=data.review_document,
        version=data.version,
        history=history,
        heatmap=await run_in_threadpool(_heatmap_uri, data),
        review_chart=await run_in_threadpool(_review_chart_uri, data),
        products=product_choices(),
        regimens=regimen_choices(),
        weight_policies=weight_policy_choices(),
        choice=choice,
        product=choice.product,
    )


@router.post("/patients/{case_id}/override")
async def override(
    request: Request,
    case_id: str,
    rule: Annotated[str, Form(max_length=60, pattern=r"^[A-Z][A-Z0-9-]*$")],
    reason: Annotated[str, Form(max_length=500)] = "",
    product: Annotated[str, Form(pattern=_CHOICE)] = "",
    regimen: Annotated[str, Form(pattern=_CHOICE)] = "",
    weight_policy: Annotated[str, Form(pattern=_CHOICE)] = "",
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Override a plan's block with a reason: recorded in the audit chain, then the plan
    is made again with the override (the block becomes a recorded, visible decision)."""
    _check_csrf(request, csrf)
    user = await _user(request)
    if user is None:
        return _login_redirect()
    engine = request.app.state.engine
    await _call(
        request,
        lambda: registry.record_override(engine, user, case_id, rule_id=rule, reason=reason),
    )
    choice = PlanChoice(product, regimen, weight_policy)
    return await _patient_page(
        request, user, case_id, choice, overrides=(Override(rule, reason.strip()),)
    )


@router.get("/patients/{case_id}/report.pdf")
async def patient_pdf(request: Request, case_id: str, choice: PlanChoiceDep) -> Response:
    user = await _user(request)
    if user is None:
        return _login_redirect()
    engine = request.app.state.engine
    data = await _call(request, lambda: choice.report(engine, user, case_id))
    pdf = await run_in_threadpool(render_pdf, data)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="neuroig-{_file_name(case_id)}.pdf"'
        },
    )


async def _plan_data(request: Request, case_id: str, choice: PlanChoice) -> Any:
    """The latest version's report data with a plan that may be handed on (not blocked)."""
    user = await _user(request)
    if user is None:
        return None
    engine = request.app.state.engine
    data = await _call(request, lambda: choice.report(engine, user, case_id))
    if data.plan_result is None:
        raise _PageError(409, f"no plan: {data.plan_problem}")
    if data.plan_result.status != "ok":
        blocked = ", ".join(data.plan_result.blocked_by)
        raise _PageError(409, f"the plan is blocked by {blocked}: override it first")
    return data


def _file_name(case_id: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in case_id)[:80]


@router.get("/patients/{case_id}/plan.ics")
async def patient_ics(request: Request, case_id: str, choice: PlanChoiceDep) -> Response:
    """The plan's sessions as an iCalendar file (with the overrides recorded for it)."""
    data = await _plan_data(request, case_id, choice)
    if data is None:
        return _login_redirect()
    body = plan_to_ics(data.plan_result, stamp=data.generated_at)
    return Response(
        body,
        media_type="text/calendar",
        headers={
            "Content-Disposition": f'attachment; filename="neuroig-{_file_name(case_id)}.ics"'
        },
    )


@router.get("/patients/{case_id}/pharmacy")
async def pharmacy_sheet(request: Request, case_id: str, choice: PlanChoiceDep) -> Response:
    """The pharmacist's sheet: what to dispense and how fast to run it, session by session,
    with the findings that shaped it and lines to sign."""
    data = await _plan_data(request, case_id, choice)
    if data is None:
        return _login_redirect()
    user = await _user(request)
    return _page(
        request,
        "pharmacy.html.j2",
        user=user,
        d=data,
        plan=data.plan,
        version=data.version,
        choice=choice,
    )


def install_web(app: FastAPI, settings: Settings) -> None:
    """Add the pages, their static files, the session and the security headers to ``app``."""
    app.include_router(router)

    async def page_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, _PageError)
        return _error_page(request, exc.status, exc.message)

    app.add_exception_handler(_PageError, page_error)
    app.mount("/static", StaticFiles(packages=[("neuroig.web", "static")]), name="static")

    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.session_secret,
        session_cookie="neuroig_session",
        same_site="strict",
        https_only=settings.environment == "production",
        max_age=settings.api_token_minutes * 60,
    )


SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode("ascii")),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]


class SecurityHeadersMiddleware:
    """The pages' security headers (CSP, nosniff, no referrer, no framing) on every answer
    outside the API (plain ASGI)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or str(scope.get("path", "")).startswith("/api/"):
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name for name, _ in SECURITY_HEADERS}
                kept = [(n, v) for n, v in message.get("headers", []) if n.lower() not in names]
                message = {**message, "headers": kept + SECURITY_HEADERS}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _error_page(request: Request, status: int, message: str) -> HTMLResponse:
    titles = {
        403: "Not allowed",
        404: "Not found",
        409: "Not possible yet",
        413: "Too large",
        415: "Not a form",
        422: "Cannot show this",
    }
    html = _ENV.get_template("error.html.j2").render(
        csrf=request.session.get("csrf", ""), user=None, title=titles[status], message=message
    )
    return HTMLResponse(html, status_code=status)
