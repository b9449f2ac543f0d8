import csv
from collections import defaultdict
from pathlib import Path

import pytest

from bot.places.build import _single_states
from bot.places.gazetteer import distance_km, load_gazetteer, nearest_known

ORACLE = Path(__file__).resolve().parents[2] / "shared" / "data" / "places" / "de_postcodes_geonames.csv"
GEONAMES_STATES = {
    "01": "DE-BW", "02": "DE-BY", "03": "DE-HB", "04": "DE-HH", "05": "DE-HE", "06": "DE-NI",
    "07": "DE-NW", "08": "DE-RP", "09": "DE-SL", "10": "DE-SH", "11": "DE-BB", "12": "DE-MV",
    "13": "DE-SN", "14": "DE-ST", "15": "DE-TH", "16": "DE-BE",
}  # fmt: skip


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer()


@pytest.mark.parametrize(
    ("postcode", "state"),
    [("04109", "DE-SN"), ("10115", "DE-BE"), ("80331", "DE-BY"), ("20095", "DE-HH"), ("50667", "DE-NW"),
     ("99084", "DE-TH"), ("24103", "DE-SH"), ("66111", "DE-SL"), ("55116", "DE-RP"), ("28195", "DE-HB")],
)  # fmt: skip
def test_postcodes_resolve_to_their_state(gazetteer, postcode, state):
    place = gazetteer.postcode(postcode)
    assert place.state == state
    assert 47 < place.lat < 55.1 and 5.8 < place.lon < 15.1


@pytest.mark.parametrize("bad", ["00000", "1234", "123456", "abcde", "99999"])
def test_impossible_postcodes_are_rejected(gazetteer, bad):
    assert gazetteer.postcode(bad) is None


def test_cities_of_20000_inhabitants_are_known(gazetteer):
    assert len(gazetteer.cities) >= 600
    assert all(c["population"] >= 20000 for c in gazetteer.cities)
    assert gazetteer.city("Leipzig").state == "DE-SN"
    assert gazetteer.city("Frankfurt am Main").state == "DE-HE"


def test_nearest_known_prefers_the_same_region():
    assert nearest_known(["01067", "04109", "04299"], "04200") == "04299"


def test_a_postcode_across_a_state_border_takes_its_neighbours_state():
    candidates = {"15566": ["DE-BB"], "15569": ["DE-BE", "DE-BB"], "15711": ["DE-BB"], "12589": ["DE-BE"]}
    assert _single_states(candidates)["15569"] == "DE-BB"
    assert _single_states({"15569": ["DE-BE", "DE-BB"]})["15569"] == "DE-BE"  # no neighbours: first


def test_distance():
    assert 140 < distance_km(51.34, 12.37, 52.52, 13.40) < 160  # Leipzig - Berlin


@pytest.mark.skipif(not ORACLE.exists(), reason="../shared/data is not beside the checkout")
def test_agreement_with_geonames_oracle(gazetteer):
    """Every postcode whose oracle rows all name one state (large-customer codes included)."""
    states = defaultdict(set)
    with ORACLE.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            code = GEONAMES_STATES.get(row["state_code"], "DE-" + row["state_code"])
            if row["state_code"]:
                states[row["zipcode"]].add(code)
    single = {code: next(iter(s)) for code, s in states.items() if len(s) == 1}
    agree = sum(1 for code, state in single.items() if gazetteer.postcode(code).state == state)
    share = agree / len(single)
    print(f"postcode agreement: {agree}/{len(single)} = {share:.4%}")
    assert share >= 0.995


@pytest.mark.parametrize(
    ("where", "district"),
    [("40213", "051"), ("Essen", "051"), ("50667", "053"), ("Aachen", "053"), ("48143", "055"),
     ("Gelsenkirchen", "055"), ("33602", "057"), ("Paderborn", "057"), ("44135", "059"), ("Siegen", "059")],
)  # fmt: skip
def test_nrw_places_know_their_regierungsbezirk(gazetteer, where, district):
    assert gazetteer.resolve(where).district == district


def test_places_outside_split_states_have_no_district(gazetteer):
    assert gazetteer.resolve("04109").district is None
    assert gazetteer.resolve("München").district is None


@pytest.mark.skipif(not ORACLE.exists(), reason="../shared/data is not beside the checkout")
def test_nrw_districts_agree_with_geonames_oracle(gazetteer):
    """NRW postcodes whose oracle rows all name one Regierungsbezirk (province code 051-059)."""
    districts = defaultdict(set)
    with ORACLE.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["state_code"] in ("07", "NW"):
                districts[row["zipcode"]].add(row["province_code"])
    single = {code: next(iter(d)) for code, d in districts.items() if len(d) == 1}
    places = {code: gazetteer.postcode(code) for code in single}
    in_nrw = {code: d for code, d in single.items() if places[code].state == "DE-NW"}
    agree = sum(1 for code, district in in_nrw.items() if places[code].district == district)
    share = agree / len(in_nrw)
    print(f"district agreement: {agree}/{len(in_nrw)} = {share:.4%}")
    assert share >= 0.99  # the misses are large-customer codes missing from the sources
