"""Routing table: (profession, place or abroad) -> authority, counselling, steps."""

import dataclasses

import pytest

from bot.knowledge.loader import knowledge
from bot.knowledge.schema import FEDERAL_STATES, RuleType
from bot.places.districts import DISTRICTS
from bot.places.gazetteer import load_gazetteer
from bot.roadmap import roadmap_steps
from bot.routing import FAR_OFFICE_KM, route


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


def test_without_a_known_body_the_single_point_of_contact_is_named_as_such():
    kb = knowledge()
    result = route("engineer_civil", place("Frankfurt am Main"))
    assert "DE-HE" not in kb.categories["engineer"].state_authorities
    assert result.authority.id == kb.single_points["DE-HE"]
    assert result.authority.single_point and not result.authority.generic
    assert not route("engineer_civil", place("Leipzig")).authority.single_point


def test_the_roadmap_says_the_single_point_of_contact_passes_the_application_on():
    keys = [step.key for step in roadmap_steps(route("engineer_civil", place("Frankfurt am Main")))]
    assert "roadmap_apply_single_point" in keys and "roadmap_apply" not in keys
    keys = [step.key for step in roadmap_steps(route("engineer_civil", place("Leipzig")))]
    assert "roadmap_apply" in keys and "roadmap_apply_single_point" not in keys


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


def test_abroad_with_an_intended_place_names_that_states_body_and_the_zsba_advises():
    result = route("nurse", place("München"), abroad=True)
    assert result.authority.id == "lfp_bayern"
    assert result.counselling.abroad_only  # the ZSBA, for people abroad
    assert result.steps == ("step_zsba", "step_documents", "step_apply")
    assert "step_funding" not in result.steps  # the grant needs residence in Germany


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


def test_far_from_every_office_the_answer_adds_phone_and_online_counselling():
    result = route("nurse", place("94078"))  # Freyung, Bavarian Forest
    assert result.counselling_km > FAR_OFFICE_KM
    assert result.remote
    assert all(office.online and not office.abroad_only for office in result.remote)
    assert any(office.state is None for office in result.remote)  # a nationwide service
    assert result.counselling not in result.remote


def test_near_an_office_and_abroad_there_are_no_extra_options():
    near = route("nurse", place("Leipzig"))
    assert near.counselling_km < FAR_OFFICE_KM and near.remote == ()
    abroad = route("nurse", None, abroad=True)
    assert abroad.counselling_km is None and abroad.remote == ()


@pytest.mark.parametrize("where", ["17373", "18055", "83471", "96450", "24103", "10115", "66111", "99084"])
def test_remote_options_exactly_when_the_nearest_office_is_far(where):
    result = route("nurse", place(where))
    assert bool(result.remote) == (result.counselling_km > FAR_OFFICE_KM)
    assert all(o.state in (None, result.place.state) for o in result.remote)


@pytest.mark.parametrize(
    ("where", "authority"),
    [("40213", "bezreg_duesseldorf"), ("Essen", "bezreg_duesseldorf"), ("Köln", "bezreg_koeln_ingenieur"),
     ("52062", "bezreg_koeln_ingenieur"), ("48143", "bezreg_muenster_ingenieur"),
     ("Gelsenkirchen", "bezreg_muenster_ingenieur"), ("Bielefeld", "bezreg_detmold_ingenieur"),
     ("33098", "bezreg_detmold_ingenieur"), ("Dortmund", "bezreg_arnsberg_ingenieur"),
     ("57072", "bezreg_arnsberg_ingenieur")],
)  # fmt: skip
def test_nrw_engineers_go_to_the_bezirksregierung_of_their_district(where, authority):
    for profession in ("engineer_mechanical", "engineer_civil"):
        assert route(profession, place(where)).authority.id == authority


def test_nrw_engineer_without_a_known_district_falls_back_to_the_state_body():
    nrw = dataclasses.replace(place("Köln"), district=None)
    assert route("engineer_mechanical", nrw).authority.id == "bezreg_duesseldorf"


def test_every_nrw_district_has_its_engineering_body():
    bodies = knowledge().categories["engineer"].district_authorities["DE-NW"]
    assert sorted(bodies) == sorted(DISTRICTS["DE-NW"])
    assert all(knowledge().authorities[body].state == "DE-NW" for body in bodies.values())


def test_roadmap_steps_carry_the_caveats_the_chat_gives():
    saarbruecken = roadmap_steps(route("engineer_civil", place("Saarbrücken")))
    assert saarbruecken[0].caveat == "counselling_unverified" and saarbruecken[0].name
    teacher = roadmap_steps(route("teacher_primary", place("Saarbrücken")))  # only the single point is known
    apply = next(step for step in teacher if step.key.startswith("roadmap_apply"))
    assert apply.key == "roadmap_apply_single_point"
    saarland = knowledge().authorities[knowledge().single_points["DE-SL"]]
    assert apply.caveat == (None if saarland.verified else "authority_unverified")
    engineer = roadmap_steps(route("engineer_civil", place("Frankfurt am Main")))  # Hesse's is verified
    assert next(step for step in engineer if step.key == "roadmap_apply_single_point").caveat is None
    baker = roadmap_steps(route("baker", place("Köln")))  # generic: the local Handwerkskammer
    assert next(step for step in baker if step.key == "roadmap_apply").caveat == "authority_unverified"
    leipzig = roadmap_steps(route("nurse", place("Leipzig")))
    assert all(step.caveat is None for step in leipzig)
