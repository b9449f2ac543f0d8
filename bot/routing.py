"""Who decides and who advises: (profession, place or abroad) -> authority, counselling, next steps.

Plain Python over :mod:`bot.knowledge`; the Rasa actions and ``lotse analyse``
both call :func:`route`, so they cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Tuple

from bot.knowledge.loader import Knowledge, knowledge
from bot.knowledge.schema import CounsellingOffice, Profession, RuleType
from bot.places.gazetteer import Place, distance_km
from bot.texts import text

#: The national service for people who live abroad.
ABROAD_AUTHORITY = "zsba"


@dataclass(frozen=True)
class AuthorityAnswer:
    """The body to apply to. ``generic`` answers name a kind of body, not a specific one."""

    id: Optional[str]
    name: str
    url: str
    generic: bool
    verified: bool
    source: str


@dataclass(frozen=True)
class Routing:
    """The answer for one person."""

    profession: Profession
    #: Regulated where the person lives (or in general, if the place is unknown).
    regulated: bool
    place: Optional[Place]
    abroad: bool
    #: None when no authority can be named (the person is sent to counselling).
    authority: Optional[AuthorityAnswer]
    #: The authority depends on a place the person has not given yet.
    needs_place: bool
    counselling: Optional[CounsellingOffice]
    #: Keys of the step texts, in order.
    steps: Tuple[str, ...]


def _known_authority(kb: Knowledge, authority_id: str) -> AuthorityAnswer:
    body = kb.authorities[authority_id]
    return AuthorityAnswer(body.id, body.name, str(body.url), False, body.verified, str(body.source))


def _generic_authority(kb: Knowledge, text_key: str, language: str) -> AuthorityAnswer:
    finder = kb.facts["finder"]
    return AuthorityAnswer(
        None, text(language, text_key), str(finder.url), True, finder.verified, str(finder.source)
    )


def nearest_office(place: Place, kb: Optional[Knowledge] = None) -> CounsellingOffice:
    """The counselling office closest to ``place`` (offices with a state, i.e. in-person ones)."""
    kb = kb or knowledge()
    local = [office for office in kb.offices.values() if office.state is not None]
    return min(local, key=lambda o: distance_km(place.lat, place.lon, o.lat, o.lon))


def online_office(kb: Optional[Knowledge] = None) -> Optional[CounsellingOffice]:
    """A nationwide online counselling service, if the data has one."""
    kb = kb or knowledge()
    return next((o for o in kb.offices.values() if o.state is None and o.online), None)


def _authority(
    kb: Knowledge, profession: Profession, place: Optional[Place], abroad: bool, language: str
) -> Tuple[Optional[AuthorityAnswer], bool]:
    rule = kb.categories[profession.category].rule
    category = kb.categories[profession.category]
    if rule.type == RuleType.counselling:
        return None, False
    if rule.type == RuleType.national:
        return _known_authority(kb, rule.authority), False
    if abroad:
        return _known_authority(kb, ABROAD_AUTHORITY), False
    if rule.type == RuleType.local_chamber:
        return _generic_authority(kb, "generic_authority_chamber", language), place is None
    bodies = {**category.state_authorities, **profession.state_authorities}
    if place is not None and bodies.get(place.state):
        return _known_authority(kb, bodies[place.state]), False
    if (
        place is not None
        and place.state not in profession.state_authorities
        and place.state in kb.single_points
    ):
        # No body known for this category here: the state's single point of contact forwards it.
        return _known_authority(kb, kb.single_points[place.state]), False
    return _generic_authority(kb, "generic_authority_state", language), place is None


def route(
    profession_id: str,
    place: Optional[Place] = None,
    abroad: bool = False,
    language: str = "de",
    kb: Optional[Knowledge] = None,
) -> Routing:
    """Route one person. Raises KeyError for an unknown profession id."""
    kb = kb or knowledge()
    profession = kb.professions[profession_id]
    authority, needs_place = _authority(kb, profession, place, abroad, language)
    regulated = is_regulated(profession, place)
    if abroad:
        counselling = online_office(kb)
        steps = ("step_zsba", "step_documents", "step_apply")
    else:
        counselling = nearest_office(place, kb) if place is not None else None
        steps = ("step_counselling", "step_funding", "step_documents")
    return Routing(profession, regulated, place, abroad, authority, needs_place, counselling, steps)


def is_regulated(profession: Profession, place: Optional[Place]) -> bool:
    """Whether the profession is regulated where the person lives (some only in some states)."""
    if profession.regulated_states is None or place is None:
        return profession.regulated
    return place.state in profession.regulated_states
