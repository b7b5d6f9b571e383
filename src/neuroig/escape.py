"""Make a string that came from a case safe for the place it is shown.

Every string a user typed (case id, names, notes, scale names, product lots …) passes
through one of these before it reaches a terminal, a chart, a calendar file or (later)
an HTML page. None of them imports a third-party library, so the core may use
:func:`plain_text` too.

- :func:`plain_text` removes control characters (C0, DEL, C1) and the Unicode
  bidirectional overrides; newlines and tabs become spaces.
- :func:`terminal` is :func:`plain_text` plus escaping of Rich console markup
  (``[bold]``, ``[link=…]``), for text printed through a Rich console with markup on.
- :func:`mathtext` is :func:`plain_text` plus escaping of every ``$``, so matplotlib
  never enters math mode and shows the text (backslashes included) as typed; for chart
  titles, labels and legends.
- :func:`calendar` is :func:`plain_text`, for iCalendar property values (the
  iCalendar library escapes ``,;\\`` itself).
- :func:`html` is :func:`plain_text` plus escaping of ``& < > " '``, for HTML text and
  attribute values of the coming pages.
"""

from __future__ import annotations

import html as _html
import re

__all__ = ["calendar", "html", "markdown", "mathtext", "plain_text", "terminal"]

# C0 controls except none kept, DEL, C1 controls, and bidi embedding/override/isolate marks.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# A Rich tag (as rich.markup matches it), or any other "[" preceded by backslashes.
_RICH_TAG = re.compile(r"(\\*)(\[[a-z#/@][^\[]*?\])|(\\+)\[")


def plain_text(value: object) -> str:
    """Return ``str(value)`` with control characters replaced by a space or removed.

    Tabs, newlines and carriage returns become single spaces; every other control
    character (including ESC, which starts ANSI/OSC terminal sequences) is removed.
    """
    text = str(value)
    if text.isprintable():
        return text
    text = text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ").replace("\t", " ")
    return _CONTROL.sub("", text)


def terminal(value: object) -> str:
    """Return text safe to print through a Rich console with markup enabled.

    Rich reads ``[tag]`` as markup and ``\\[`` as an escaped bracket, so a tag-like
    bracket gets an escaping backslash (and the backslashes before it are doubled, as
    ``rich.markup.escape`` does), and a backslash run before any other bracket gets one
    more backslash, which Rich removes again. Printed alone, the result shows the text
    exactly as :func:`plain_text` gives it.
    """
    text = plain_text(value)
    if "[" not in text:
        return text

    def _escape(match: re.Match[str]) -> str:
        if match.group(2) is not None:
            slashes = match.group(1)
            return f"{slashes}{slashes}\\{match.group(2)}"
        return match.group(3) + "\\["

    return _RICH_TAG.sub(_escape, text)


def mathtext(value: object) -> str:
    """Return text that matplotlib shows literally (no mathtext, no escapes)."""
    return plain_text(value).replace("$", r"\$")


def calendar(value: object) -> str:
    """Return text safe as an iCalendar property value (no control characters)."""
    return plain_text(value)


def html(value: object) -> str:
    """Return text safe inside an HTML element or a quoted attribute value."""
    return _html.escape(plain_text(value), quote=True)


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#|<>~&])")


def markdown(value: object) -> str:
    """Return text that Markdown (CommonMark, as CDS Hooks card details are) shows
    literally inside a line neuroig starts: emphasis, code, link, heading, table and
    HTML characters are backslash-escaped, control characters removed."""
    return _MARKDOWN.sub(r"\\\1", plain_text(value))
