"""The personal roadmap ("Fahrplan"): ordered steps from counselling to after the decision.

Built from a :class:`~bot.routing.Routing`; each step has a text key, values for
its placeholders and a link. The chat shows it one step at a time
(``action_roadmap``), the gateway renders all of it as a printable page
(``/roadmap?...``), both from :func:`roadmap_steps`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional
from urllib.parse import urlencode

from bot.knowledge.loader import Knowledge, knowledge
from bot.routing import Routing
from bot.texts import text


@dataclass(frozen=True)
class RoadmapStep:
    """One step: the text ``key`` (with ``values``), the body it names and the page to act on.

    ``name`` is shown as it is (a proper name, not translated); ``caveat`` is the key of a
    text that must follow the step, e.g. that its contact has not been checked.
    """

    key: str
    link: Optional[str]
    values: Dict[str, str] = field(default_factory=dict)
    name: Optional[str] = None
    caveat: Optional[str] = None

    def lines(self, language: str) -> List[str]:
        """The step as lines of text in ``language``: text, name, link, caveat (those present)."""
        optional = (self.name, self.link, self.caveat and text(language, self.caveat))
        return [text(language, self.key, **self.values), *(line for line in optional if line)]


def roadmap_steps(result: Routing, kb: Optional[Knowledge] = None) -> List[RoadmapStep]:
    """The person's steps, in order."""
    kb = kb or knowledge()
    facts = kb.facts
    office = result.counselling
    steps = [
        RoadmapStep(
            "step_zsba" if result.abroad else "roadmap_counselling",
            str(office.url) if office else None,
            name=office.label if office and not result.abroad else None,
            caveat="counselling_unverified" if office and not office.verified else None,
        )
    ]
    if not result.abroad:
        steps.append(RoadmapStep("step_funding", str(facts["funding"].url)))
    steps.append(RoadmapStep("documents", str(facts["documents"].url)))
    steps.append(RoadmapStep("documents_translation", str(facts["documents"].url)))
    authority = result.authority
    if authority is not None:
        key = "roadmap_apply_single_point" if authority.single_point else "roadmap_apply"
        caveat = "authority_unverified" if authority.generic or not authority.verified else None
        steps.append(RoadmapStep(key, authority.url, {"authority": authority.name}, caveat=caveat))
    if result.regulated:
        steps.append(RoadmapStep("roadmap_partial", str(facts["recognition"].url)))
    return steps


def roadmap_query(profession: str, place: Optional[str], abroad: bool, language: str) -> str:
    """The query string of the printable roadmap page for one person."""
    parameters = {"profession": profession, "language": language}
    if place:
        parameters["place"] = place
    if abroad:
        parameters["abroad"] = "1"
    return urlencode(parameters)
