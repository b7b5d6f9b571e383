"""Every destination of a case string gets text it shows literally (issue 10, injection)."""

from __future__ import annotations

import html as html_lib
import re

from hypothesis import given
from hypothesis import strategies as st

from neuroig.escape import calendar, html, plain_text

CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
HOSTILE = st.one_of(
    st.text(),
    st.sampled_from(
        [
            "ID [/] x",
            "[link=https://example.org]y[/link]",
            "x\x1b]0;owned\x07\x1b[2J",
            "<script>alert(1)</script>",
            "\"onmouseover='x'",
            "a\r\nb\tc",
            "\u202eevil",
        ]
    ),
)


@given(HOSTILE)
def test_no_control_character_reaches_any_destination(raw: str) -> None:
    for out in (plain_text(raw), calendar(raw), html(raw)):
        assert CONTROL.search(out) is None


@given(HOSTILE)
def test_html_has_no_markup_and_reads_back_as_the_plain_text(raw: str) -> None:
    out = html(raw)
    assert not set("<>\"'") & set(out)
    assert html_lib.unescape(out) == plain_text(raw)


def test_html_of_a_script_tag() -> None:
    assert html('<b a="1">x & y</b>') == "&lt;b a=&quot;1&quot;&gt;x &amp; y&lt;/b&gt;"
