"""The guideline citations of the planner's advice and gates, rendered from the bibliography.

One home for the works the therapy rules cite in code (``data/sources.toml`` keys); the
table rows cite theirs in ``data/therapy.toml``.
"""

from __future__ import annotations

from neuroig.reference.sources import author_year, short_cite, source

__all__ = ["EAN21", "EFNS06", "EFNS10", "MMN_STEROIDS", "SIMON13"]

#: EAN/PNS CIDP guideline 2021 (Van den Bergh PYK et al. Eur J Neurol 2021;28:3556-3583).
EAN21 = source("vandenBergh2021").labelled()
#: EFNS/PNS MMN guideline 2010 (van Schaik IN et al. J Peripher Nerv Syst 2010;15:295-301).
EFNS10 = source("vanSchaik2010").labelled()
#: EFNS/PNS MMN guideline 2006 (van Schaik IN et al. Eur J Neurol 2006;13:802-808).
EFNS06 = source("vanSchaik2006").labelled()
#: Simon NG, Ayer G, Lomen-Hoerth C. Neurology 2013;81:2116-2120.
SIMON13 = short_cite("simon2013")
#: Steroids and plasma exchange are ineffective in MMN and may worsen it.
MMN_STEROIDS = author_year("meuth2010", "leger2005")
