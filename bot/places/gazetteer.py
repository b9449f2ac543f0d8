"""German postcodes, cities and foreign countries, loaded from ``data/knowledge/places/``.

The files are built by :mod:`bot.places.build` from registry packages and
committed. Lookups are pure functions of that data; nothing here touches the
network.
"""

from __future__ import annotations

import bisect
import csv
import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, List, Optional, Sequence, Tuple

from bot.paths import KNOWLEDGE_DIR

PLACES_DIR = KNOWLEDGE_DIR / "places"

POSTCODE_PATTERN = re.compile(r"(?<!\d)(\d{5})(?!\d)")


@dataclass(frozen=True)
class Place:
    """A resolved place in Germany."""

    name: str
    state: str
    lat: float
    lon: float
    postcode: Optional[str] = None
    #: The Regierungsbezirk (first 3 digits of the municipality key) in states split into them.
    district: Optional[str] = None


def nearest_known(sorted_codes: Sequence[str], code: str) -> str:
    """The known postcode numerically closest to ``code``, preferring the same 3- then 2-digit region.

    German postcodes are assigned by region, so an unlisted code (a PO box or a
    large customer) almost always lies in the state of its numeric neighbours.
    """
    index = bisect.bisect_left(sorted_codes, code)
    neighbours = [sorted_codes[i] for i in (index - 1, index) if 0 <= i < len(sorted_codes)]
    for prefix_length in (3, 2, 0):
        same_region = [c for c in neighbours if c[:prefix_length] == code[:prefix_length]]
        if same_region:
            return min(same_region, key=lambda c: abs(int(c) - int(code)))
    raise ValueError("no postcodes known")


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


class Gazetteer:
    """Postcode, city and country data with lookups."""

    def __init__(
        self,
        postcodes: Dict[str, Tuple[str, float, float, Optional[str]]],
        cities: List[dict],
        countries: Dict[str, List[str]],
    ) -> None:
        self.postcodes = postcodes
        self.sorted_postcodes = sorted(postcodes)
        self.cities = cities
        self.cities_by_name = {}
        for city in cities:  # largest first, so a shared name keeps the largest city
            self.cities_by_name.setdefault(city["name"], city)
        self.countries = countries

    def postcode(self, code: str) -> Optional[Place]:
        """Resolve a 5-digit German postcode; unlisted codes take their nearest neighbour's state."""
        if not (len(code) == 5 and code.isdigit()) or not "01001" <= code <= "99998":
            return None
        known = code if code in self.postcodes else nearest_known(self.sorted_postcodes, code)
        state, lat, lon, district = self.postcodes[known]
        return Place(name=code, state=state, lat=lat, lon=lon, postcode=code, district=district)

    def city(self, name: str) -> Optional[Place]:
        """Resolve a city by its canonical (GeoNames) name."""
        city = self.cities_by_name.get(name)
        if city is None:
            return None
        return Place(
            name=city["name"],
            state=city["state"],
            lat=city["lat"],
            lon=city["lon"],
            district=city.get("district"),
        )

    def resolve(self, value: str) -> Optional[Place]:
        """Resolve a ``place`` entity value: a postcode or a canonical city name."""
        return self.postcode(value) if value.isdigit() else self.city(value)


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """Load the committed place files once per process."""
    with (PLACES_DIR / "postcodes.tsv").open(encoding="utf-8") as handle:
        postcodes = {
            row["postcode"]: (row["state"], float(row["lat"]), float(row["lon"]), row.get("district") or None)
            for row in csv.DictReader(handle, delimiter="\t")
        }
    cities = json.loads((PLACES_DIR / "cities.json").read_text(encoding="utf-8"))
    countries = json.loads((PLACES_DIR / "countries.json").read_text(encoding="utf-8"))
    return Gazetteer(postcodes, cities, countries)
