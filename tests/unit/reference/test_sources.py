"""The bibliography renders each citation once, from its fields."""

from __future__ import annotations

import pytest

from neuroig.errors import ReferenceDataError
from neuroig.reference.sources import author_year, cite, short_cite, source


def test_a_journal_article_renders_short_and_full() -> None:
    s = source("olney2003")
    # four authors: the short form keeps the first and adds et al.; the full form all four
    assert s.short() == "Olney RK et al. Muscle Nerve 2003;27:117-121"
    assert s.full() == (
        "Olney RK, Lewis RA, Putnam TD, Campellone JV Jr. Consensus criteria for the "
        "diagnosis of multifocal motor neuropathy. Muscle Nerve 2003;27(1):117-121. "
        "doi:10.1002/mus.10317"
    )


def test_a_title_ending_in_a_question_mark_takes_no_full_stop() -> None:
    assert source("simon2013").full() == (
        "Simon NG, Ayer G, Lomen-Hoerth C. Is IVIg therapy warranted in progressive lower "
        "motor neuron syndromes without conduction block? Neurology 2013;81(24):2116-2120. "
        "doi:10.1212/01.wnl.0000437301.28441.7e"
    )


def test_labels_render_their_title_and_where_they_were_read() -> None:
    assert source("cutaquigLabel").full() == "Cutaquig (Octapharma): cutaquigus.com/hcp/usage"
    assert source("neuroigDecisions").full() == "neuroig product decisions, docs/decisions.md"


def test_a_row_citation_joins_its_works_detail_and_decision() -> None:
    assert cite(["neuroigDecisions"], decision="E5") == (
        "neuroig product decisions, docs/decisions.md; decision E5"
    )
    assert cite("panzygaLabel", "at-risk maximum", "T18", style="labelled") == (
        "Panzyga (Octapharma/Pfizer) US prescribing information: at-risk maximum; decision T18"
    )
    assert cite(["vanSchaik2010"], "Table 2", style="labelled") == (
        "EFNS/PNS MMN guideline 2010 (van Schaik IN et al. J Peripher Nerv Syst "
        "2010;15:295-301): Table 2"
    )


def test_rule_citations_and_author_year_lists() -> None:
    assert short_cite("vandenBergh2010", "EFNS/PNS CIDP, first revision") == (
        "Van den Bergh PYK et al. Eur J Neurol 2010;17:356-363 (EFNS/PNS CIDP, first revision)"
    )
    assert author_year("vandenBergVos2000", "striglPill2006", "simon2013") == (
        "Van den Berg-Vos 2000; Strigl-Pill 2006; Simon 2013"
    )


def test_an_unknown_key_names_itself() -> None:
    with pytest.raises(ReferenceDataError, match=r"'nobody1999' is not in sources\.toml"):
        source("nobody1999")
