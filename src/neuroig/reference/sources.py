"""The bibliography (``data/sources.toml``): citation key → the work, rendered for output.

Tables and rules name their sources by key; the printed citation is rendered here, so a
citation is typed once. The bibliography is read once and is immutable.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from types import MappingProxyType
from typing import Any, Literal

from neuroig.errors import ReferenceDataError
from neuroig.record import Record
from neuroig.reference._load import raw_table

__all__ = [
    "KINDS",
    "Source",
    "Style",
    "author_year",
    "bibliography",
    "cite",
    "cite_or_text",
    "cite_row",
    "row_keys",
    "short_cite",
    "source",
]

KINDS = ("article", "guideline", "book", "label", "report", "listing", "decisions")


def _join(parts: Sequence[str]) -> str:
    """Join citation parts with ". ", without doubling a closing full stop."""
    out = ""
    for part in parts:
        if not part:
            continue
        if out:
            out += " " if out.endswith((".", "?", "!")) else ". "
        out += part
    return out


class Source(Record, frozen=True):
    """One work of the bibliography."""

    key: str
    kind: str
    title: str
    authors: tuple[str, ...] = ()
    et_al: bool = False
    group: str = ""
    container: str = ""
    year: int | None = None
    volume: str = ""
    issue: str = ""
    pages: str = ""
    publisher: str = ""
    doi: str = ""
    doi_verified: bool = False
    locator: str = ""
    label: str = ""
    pmid: str = ""

    def _who(self, *, short: bool) -> str:
        names = self.authors
        et_al = self.et_al
        if short and len(names) > 3:
            names, et_al = names[:1], True
        who = ", ".join(names) + (" et al." if et_al and names else "")
        if self.group:
            return f"{self.group} ({who})" if who and not short else (who or self.group)
        return who

    def _where_published(self, *, issue: bool) -> str:
        if not self.container:
            pub = ", ".join(p for p in (self.publisher, str(self.year or "")) if p)
            return f"({pub})" if pub else ""
        out = self.container
        if self.year is not None:
            out += f" {self.year}"
        if self.volume:
            out += f";{self.volume}"
            if issue and self.issue:
                out += f"({self.issue})"
        if self.pages:
            out += f":{self.pages}"
        return out

    def short(self) -> str:
        """Authors and journal reference: ``Simon NG, Ayer G, Lomen-Hoerth C. Neurology 2013;…``."""
        if self.kind in ("label", "report", "listing", "decisions"):
            return self.label or self.title
        return _join([self._who(short=True), self._where_published(issue=False)]) or self.title

    def full(self) -> str:
        """The full citation: authors, title, journal reference and DOI (or locator)."""
        if self.kind == "decisions":
            return f"{self.title}, {self.locator}" if self.locator else self.title
        if self.kind in ("label", "report", "listing"):
            return self.title + (f": {self.locator}" if self.locator else "")
        published = self._where_published(issue=True)
        if self.kind == "book" and published.startswith("("):
            return f"{self.title} {published}"
        tail = f"doi:{self.doi}" if self.doi else (f"PMID {self.pmid}" if self.pmid else "")
        locator = self.locator
        return _join([self._who(short=False), self.title, published, locator, tail])

    def labelled(self) -> str:
        """A name and short reference: ``EAN/PNS CIDP guideline 2021 (Van den Bergh PYK …)``."""
        if self.label and self.kind not in ("label", "report", "listing", "decisions"):
            return f"{self.label} ({self.short()})"
        return self.short()


def short_cite(key: str, detail: str = "") -> str:
    """A rule's citation: the work's short reference, with ``detail`` in parentheses."""
    short = source(key).short()
    return f"{short} ({detail})" if detail else short


def author_year(*keys: str) -> str:
    """``Simon 2013; Strigl-Pill 2006``: first author's surname and year of each work."""
    out = []
    for key in keys:
        s = source(key)
        surname = s.authors[0].rsplit(" ", 1)[0] if s.authors else s.title
        out.append(f"{surname} {s.year}" if s.year else surname)
    return "; ".join(out)


def _text(raw: Mapping[str, Any], name: str, where: str) -> str:
    value = raw.get(name, "")
    if not isinstance(value, str):
        raise ReferenceDataError(f"sources.toml {where}: {name} must be a string")
    return value


def _entry(key: str, raw: Mapping[str, Any]) -> Source:
    where = f"bibliography.{key}"
    kind = raw.get("kind")
    if kind not in KINDS:
        raise ReferenceDataError(f"sources.toml {where}: kind {kind!r} not one of {KINDS}")
    if not raw.get("title"):
        raise ReferenceDataError(f"sources.toml {where}: no title")
    authors = raw.get("authors", [])
    if not isinstance(authors, list) or not all(isinstance(a, str) for a in authors):
        raise ReferenceDataError(f"sources.toml {where}: authors must be a list of names")
    year = raw.get("year")
    if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
        raise ReferenceDataError(f"sources.toml {where}: year must be a whole number")
    return Source(
        key=key,
        kind=str(kind),
        title=_text(raw, "title", where),
        authors=tuple(authors),
        et_al=bool(raw.get("et_al", False)),
        group=_text(raw, "group", where),
        container=_text(raw, "container", where),
        year=year,
        volume=_text(raw, "volume", where),
        issue=_text(raw, "issue", where),
        pages=_text(raw, "pages", where),
        publisher=_text(raw, "publisher", where),
        doi=_text(raw, "doi", where),
        doi_verified=bool(raw.get("doi_verified", False)),
        locator=_text(raw, "locator", where),
        label=_text(raw, "label", where),
        pmid=_text(raw, "pmid", where),
    )


@cache
def bibliography() -> Mapping[str, Source]:
    """Every bibliography entry keyed by citation key (read-only)."""
    doc = raw_table("sources")
    entries = doc.get("bibliography", {})
    return MappingProxyType({key: _entry(key, raw) for key, raw in entries.items()})


def source(key: str) -> Source:
    """One entry; raise :class:`ReferenceDataError` naming the key if it is not cited."""
    try:
        return bibliography()[key]
    except KeyError:
        raise ReferenceDataError(f"citation key {key!r} is not in sources.toml") from None


def row_keys(row: Mapping[str, Any]) -> tuple[str, ...]:
    """The citation keys of a table row (``source = "key"`` or ``sources = [...]``)."""
    keys: list[str] = []
    one = row.get("source")
    if isinstance(one, str) and one:
        keys.append(one)
    many = row.get("sources")
    if isinstance(many, list):
        keys += [k for k in many if isinstance(k, str)]
    return tuple(keys)


Style = Literal["full", "labelled"]


def cite(
    keys: str | Sequence[str], where: str = "", decision: str = "", style: Style = "full"
) -> str:
    """The printed citation of one or more keys, with the row's detail and decision.

    ``full``: each work's full citation, the detail in parentheses
    (``… doi:10.1111/j.1529-8027.2010.00290.x (Table 2)``); ``labelled``: each work's
    name and short reference, the detail after a colon
    (``EFNS/PNS MMN guideline 2010 (van Schaik IN et al. J Peripher …): exclusion …``).
    """
    ks = (keys,) if isinstance(keys, str) else tuple(keys)
    works = [source(k) for k in ks]
    text = "; ".join(w.full() if style == "full" else w.labelled() for w in works)
    if where:
        text = f"{text} ({where})" if style == "full" else f"{text}: {where}"
    if decision:
        text = f"{text}; decision {decision}"
    return text


def cite_row(row: Mapping[str, Any], default: Sequence[str] = (), style: Style = "full") -> str:
    """The printed citation of a table row: its keys (else ``default``), ``where``, ``decision``."""
    keys = row_keys(row) or tuple(default)
    return cite(keys, str(row.get("where", "")), str(row.get("decision", "")), style)


def cite_or_text(row: Mapping[str, Any]) -> str:
    """A row's citation when it names bibliography keys, else its free-text ``source``.

    Shipped tables always cite keys (the lint checks it); a site's own table (prices)
    may give its source as text.
    """
    keys = row_keys(row)
    if keys and all(k in bibliography() for k in keys):
        return cite_row(row)
    return str(row.get("source", ""))
