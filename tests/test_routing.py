"""Routing table: (profession, place or abroad) -> authority, counselling, steps."""

import pytest

from bot.knowledge.loader import knowledge
from bot.knowledge.schema import FEDERAL_STATES, RuleType
from bot.places.gazetteer import load_gazetteer
from bot.routing import route


def place(value):
    return load_gazetteer().resolve(value)


@pytest.mark.parametrize(
    ("profession", "where", "authority", "generic"),
    [
        ("nurse", "Leipzig", "ksv_sachsen", False),
        ("nurse", "80331", "lfp_bayern", False),
        ("doctor", "48143", "bezreg_muenster", False),
        ("doctor", "Berlin", "lageso_berlin", False),
        ("dentist", "Erfurt", "tlvwa_thueringen", False),
        ("cook", "Hamburg", "ihk_fosa", False),
        ("it_specialist", None, "ihk_fosa", False),
        ("farmer", "München", "lwk_niedersachsen", False),
        ("medical_assistant", "Dresden", "aekwl", False),
        ("economist", "Bremen", "zab", False),
        ("baker", "Köln", None, True),  # the local Handwerkskammer
        ("veterinarian", "Köln", None, True),  # BR Münster does not decide on vets
        ("engineer_civil", "Leipzig", "ingenieurkammer_sachsen", False),
    ],
)
def test_authority(profession, where, authority, generic):
    result = route(profession, place(where) if where else None, language="en")
    assert result.authority.generic is generic
    assert result.authority.id == authority
    assert result.authority.url.startswith(("https://", "http://"))


def test_generic_answer_asks_for_the_place_when_it_depends_on_it():
    result = route("nurse", None, language="en")
    assert result.authority.generic and result.needs_place
    assert result.authority.name == "the responsible authority of your federal state"
    assert result.counselling is None


def test_lawyers_are_sent_to_counselling():
    result = route("lawyer", place("Berlin"))
    assert result.authority is None
    assert result.counselling is not None


def test_abroad_goes_to_the_zsba_for_state_professions_but_national_bodies_stay():
    assert route("nurse", None, abroad=True).authority.id == "zsba"
    assert route("cook", None, abroad=True).authority.id == "ihk_fosa"
    result = route("doctor", None, abroad=True)
    assert result.steps == ("step_zsba", "step_documents", "step_apply")


@pytest.mark.parametrize(("where", "city"), [("04109", "Leipzig"), ("Hamburg", "Hamburg"), ("Kiel", "Kiel")])
def test_nearest_counselling_office(where, city):
    assert route("nurse", place(where)).counselling.city == city


def test_steps_in_germany_start_with_counselling_and_funding_before_the_application():
    assert route("nurse", place("Leipzig")).steps == ("step_counselling", "step_funding", "step_documents")


def test_every_state_routes_every_profession():
    kb = knowledge()
    capitals = {
        state: next(c for c in load_gazetteer().cities if c["state"] == state) for state in FEDERAL_STATES
    }
    for profession in kb.professions:
        for state, city in capitals.items():
            result = route(profession, place(city["name"]))
            rule = kb.categories[kb.professions[profession].category].rule.type
            assert (result.authority is None) == (rule == RuleType.counselling), (profession, state)
            assert result.counselling is not None
