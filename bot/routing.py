"""Who decides and who advises: (profession, place or abroad) -> authority, counselling, next steps.

Plain Python over :mod:`bot.knowledge`; the Rasa actions and ``lotse analyse``
both call :func:`route`, so they cannot disagree.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Optional, Tuple

from bot.knowledge.loader import Knowledge, knowledge
from bot.knowledge.schema import Category, CounsellingOffice, Profession, RuleType
from bot.places.gazetteer import Place, distance_km
from bot.texts import text

#: The national service for people who live abroad.
ABROAD_AUTHORITY = "zsba"

#: Beyond this distance (km, straight line) to the nearest office the answer also names the
#: counselling by phone, video or e-mail: about an hour by regional transport each way.
FAR_OFFICE_KM = 50.0

#: At most this many offices of the person's own state that also counsel remotely are named.
REMOTE_STATE_OFFICES = 2


@dataclass(frozen=True)
class AuthorityAnswer:
    """The body to apply to. ``generic`` answers name a kind of body, not a specific one.

    ``single_point`` marks the state's single point of contact, named because no deciding
    body is known for this category there: it takes the application and passes it on.
    """

    id: Optional[str]
    name: str
    url: str
    generic: bool
    verified: bool
    source: str
    single_point: bool = False


@dataclass(frozen=True)
class Routing:
    """The answer for one person."""

    profession: Profession
    #: Regulated where the person lives (or in general, if the place is unknown).
    regulated: bool
    #: Where the person lives, or (abroad) where they intend to work; None if not known.
    place: Optional[Place]
    #: The person lives abroad: the ZSBA advises them.
    abroad: bool
    #: None when no authority can be named (the person is sent to counselling).
    authority: Optional[AuthorityAnswer]
    #: The authority depends on a place the person has not given yet.
    needs_place: bool
    counselling: Optional[CounsellingOffice]
    #: Keys of the step texts, in order.
    steps: Tuple[str, ...]
    #: Straight-line distance from the place to ``counselling`` (None abroad or without a place).
    counselling_km: Optional[float] = None
    #: Counselling by phone, video or e-mail, named when ``counselling_km`` > FAR_OFFICE_KM.
    remote: Tuple[CounsellingOffice, ...] = ()


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
    """A nationwide online counselling service (for people abroad first), if the data has one."""
    kb = kb or knowledge()
    nationwide = [o for o in kb.offices.values() if o.state is None and o.online]
    return min(nationwide, key=lambda o: not o.abroad_only, default=None)


def remote_offices(
    place: Place, kb: Optional[Knowledge] = None, named: Optional[CounsellingOffice] = None
) -> Tuple[CounsellingOffice, ...]:
    """Counselling by phone, video or e-mail for someone living at ``place`` in Germany.

    The nearest REMOTE_STATE_OFFICES offices of the person's state that also counsel
    remotely (other than ``named``, the office already given), then the nationwide
    services that serve people in Germany (not the abroad-only ZSBA).
    """
    kb = kb or knowledge()
    in_state = sorted(
        (o for o in kb.offices.values() if o.online and o.state == place.state and o != named),
        key=lambda o: distance_km(place.lat, place.lon, o.lat, o.lon),
    )[:REMOTE_STATE_OFFICES]
    nationwide = [o for o in kb.offices.values() if o.online and o.state is None and not o.abroad_only]
    return (*in_state, *nationwide)


def remote_if_far(
    place: Place, office: CounsellingOffice, kb: Optional[Knowledge] = None
) -> Tuple[float, Tuple[CounsellingOffice, ...]]:
    """The distance in km from ``place`` to ``office``, and the remote options if it is over FAR_OFFICE_KM."""
    km = distance_km(place.lat, place.lon, office.lat, office.lon)
    return km, remote_offices(place, kb, office) if km > FAR_OFFICE_KM else ()


def _district_authority(category: Category, profession: Profession, place: Optional[Place]) -> Optional[str]:
    """The body of the person's district (Regierungsbezirk), where the category decides by district.

    None when the state is not split for this category, the district of the place is not
    known, or the profession names its own body for the state (that wins).
    """
    if place is None or place.district is None or place.state in profession.state_authorities:
        return None
    return category.district_authorities.get(place.state, {}).get(place.district)


def _authority(
    kb: Knowledge, profession: Profession, place: Optional[Place], abroad: bool, language: str
) -> Tuple[Optional[AuthorityAnswer], bool]:
    rule = kb.categories[profession.category].rule
    category = kb.categories[profession.category]
    if rule.type == RuleType.counselling:
        return None, False
    if rule.type == RuleType.national:
        return _known_authority(kb, rule.authority), False
    if abroad and place is None:
        return _known_authority(kb, ABROAD_AUTHORITY), False
    if rule.type == RuleType.local_chamber:
        return _generic_authority(kb, "generic_authority_chamber", language), place is None
    bodies = {**category.state_authorities, **profession.state_authorities}
    district_body = _district_authority(category, profession, place)
    if district_body is not None:
        return _known_authority(kb, district_body), False
    if place is not None and bodies.get(place.state):
        return _known_authority(kb, bodies[place.state]), False
    if (
        place is not None
        and place.state not in profession.state_authorities
        and place.state in kb.single_points
    ):
        # No body known for this category here: the state's single point of contact forwards it.
        return dataclasses.replace(
            _known_authority(kb, kb.single_points[place.state]), single_point=True
        ), False
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
    counselling_km: Optional[float] = None
    remote: Tuple[CounsellingOffice, ...] = ()
    if abroad:
        counselling = online_office(kb)
        steps = ("step_zsba", "step_documents", "step_apply")
    else:
        counselling = nearest_office(place, kb) if place is not None else None
        steps = ("step_counselling", "step_funding", "step_documents")
        if place is not None and counselling is not None:
            counselling_km, remote = remote_if_far(place, counselling, kb)
    return Routing(
        profession,
        regulated,
        place,
        abroad,
        authority,
        needs_place,
        counselling,
        steps,
        counselling_km=counselling_km,
        remote=remote,
    )


def is_regulated(profession: Profession, place: Optional[Place]) -> bool:
    """Whether the profession is regulated where the person lives (some only in some states)."""
    if profession.regulated_states is None or place is None:
        return profession.regulated
    return place.state in profession.regulated_states
