"""Schema of the knowledge files in ``data/knowledge/``.

Every record that states a fact to a user (an authority, a counselling office,
a profession's legal status) carries ``source`` (the address of the page the
fact was read from) and ``verified`` (whether a person checked it against that
page). The models are pydantic v1 (pinned by Rasa 3.6).
"""

from __future__ import annotations

from enum import Enum
from typing import Dict, List, Optional

from pydantic import BaseModel, Extra, Field, HttpUrl, root_validator, validator

#: Languages in which every profession must be named.
PROFESSION_LANGUAGES = ("de", "en", "uk", "ru", "ar", "fa", "tr", "fr", "es", "pl", "ro", "it")


#: ISO 3166-2 codes of the 16 federal states and their names, as people in Germany write them.
STATE_NAMES = {
    "DE-BW": "Baden-Württemberg",
    "DE-BY": "Bayern",
    "DE-BE": "Berlin",
    "DE-BB": "Brandenburg",
    "DE-HB": "Bremen",
    "DE-HH": "Hamburg",
    "DE-HE": "Hessen",
    "DE-MV": "Mecklenburg-Vorpommern",
    "DE-NI": "Niedersachsen",
    "DE-NW": "Nordrhein-Westfalen",
    "DE-RP": "Rheinland-Pfalz",
    "DE-SL": "Saarland",
    "DE-SN": "Sachsen",
    "DE-ST": "Sachsen-Anhalt",
    "DE-SH": "Schleswig-Holstein",
    "DE-TH": "Thüringen",
}
FEDERAL_STATES = tuple(STATE_NAMES)


class Strict(BaseModel):
    """Base model: unknown keys are errors, values are immutable."""

    class Config:
        extra = Extra.forbid
        allow_mutation = False


class Sourced(Strict):
    """A record with the page it was read from and whether it was checked."""

    source: HttpUrl
    verified: bool


class RuleType(str, Enum):
    """How the responsible authority is picked.

    - ``national``: one body for all of Germany (``authority`` names it).
    - ``state``: a body per federal state (``state_authorities`` of the
      category); unknown state or unknown body -> generic answer.
    - ``local_chamber``: the chamber of the place of residence (crafts);
      always a generic answer naming the kind of chamber.
    - ``counselling``: no authority can be named (e.g. non-EU lawyers);
      the person is sent to counselling.
    """

    national = "national"
    state = "state"
    local_chamber = "local_chamber"
    counselling = "counselling"


class AuthorityRule(Strict):
    """The rule that picks the responsible authority of a category."""

    type: RuleType
    authority: Optional[str] = None

    @root_validator(skip_on_failure=True)
    def _national_needs_authority(cls, values: dict) -> dict:
        if values["type"] == RuleType.national and not values.get("authority"):
            raise ValueError("a national rule names its authority")
        if values["type"] != RuleType.national and values.get("authority"):
            raise ValueError("only a national rule names an authority")
        return values


class Category(Sourced):
    """A regulated or non-regulated group of professions, as in the primer's routing table."""

    id: str
    rule: AuthorityRule
    #: Federal state -> authority id, for ``state`` rules.
    state_authorities: Dict[str, str] = Field(default_factory=dict)
    #: Federal state -> why no body could be named there (the assistant then links the Finder).
    uncovered: Dict[str, str] = Field(default_factory=dict)
    #: Federal state -> district (Regierungsbezirk code, see bot.places.districts) -> authority id,
    #: where the body of the district of residence decides; ``state_authorities`` is the fallback.
    district_authorities: Dict[str, Dict[str, str]] = Field(default_factory=dict)
    note: Optional[str] = None

    @validator("state_authorities", "uncovered", "district_authorities")
    def _known_states(cls, value: Dict[str, str]) -> Dict[str, str]:
        unknown = sorted(set(value) - set(FEDERAL_STATES))
        if unknown:
            raise ValueError(f"unknown federal state codes: {', '.join(unknown)}")
        return value


class GermanName(Strict):
    """The official German name of a reference profession in both forms."""

    female: str
    male: str


class Profession(Sourced):
    """A German reference profession ("Referenzberuf")."""

    id: str
    name_de: GermanName
    kldb: Optional[str] = None
    category: str
    regulated: bool
    #: Where regulation differs by state (e.g. educators): the states where it is regulated.
    regulated_states: Optional[List[str]] = None
    legal_basis: Optional[str] = None
    #: Names people use, per language: official, gender forms, colloquial.
    names: Dict[str, List[str]]
    #: Where this profession's body differs from its category's: state -> authority id,
    #: or null where the category's body is known not to decide on it (-> generic answer).
    state_authorities: Dict[str, Optional[str]] = Field(default_factory=dict)
    #: For a foreign profession without a German counterpart (e.g. the feldsher): the German
    #: reference professions it may be compared with. Lotse asks which fits the person's work
    #: and offers a counsellor, instead of naming this entry as the reference profession.
    closest: List[str] = Field(default_factory=list)

    @validator("names")
    def _every_language(cls, value: Dict[str, List[str]]) -> Dict[str, List[str]]:
        missing = [lang for lang in PROFESSION_LANGUAGES if not value.get(lang)]
        if missing:
            raise ValueError(f"no names in: {', '.join(missing)}")
        return value


class ProfessionGroup(Strict):
    """An ambiguous name ("engineer", "teacher") that needs a clarifying question."""

    id: str
    names: Dict[str, List[str]]
    candidates: List[str]
    #: Candidate id -> language -> words that, in the same message, say which candidate is
    #: meant ("ilkokulda" with "öğretmenim": a primary school teacher). Used only when the
    #: words point to exactly one candidate.
    hints: Dict[str, Dict[str, List[str]]] = Field(default_factory=dict)


class Authority(Sourced):
    """A body that decides on recognition."""

    id: str
    name: str
    url: HttpUrl
    city: Optional[str] = None
    state: Optional[str] = None


class Network(Sourced):
    """An IQ regional integration network ("Regionales Integrationsnetzwerk")."""

    id: str
    name: str
    states: List[str]
    url: HttpUrl


class CounsellingOffice(Sourced):
    """An IQ recognition counselling office (or online service)."""

    id: str
    name: str
    #: Id of its network in ``networks`` (or the name of a national service).
    network: str
    state: Optional[str]
    city: str
    lat: float
    lon: float
    url: HttpUrl
    languages: List[str] = Field(default_factory=list)
    #: Counselling also (or only) by phone, video or e-mail, so distance does not matter.
    online: bool = False
    #: Serves only people who still live abroad (e.g. the ZSBA); never offered to residents.
    abroad_only: bool = False

    @property
    def label(self) -> str:
        """The name to show: with " – city" unless the name says the city.

        Nationwide services (no state) keep their name alone: their city is only a stand-in.
        """
        if self.state is None or self.city in self.name:
            return self.name
        return f"{self.name} – {self.city}"

    @root_validator(skip_on_failure=True)
    def _abroad_only_is_national(cls, values: dict) -> dict:
        if values["abroad_only"] and values["state"] is not None:
            raise ValueError("an office for people abroad has no federal state")
        return values


class ProfessionsFile(Strict):
    """``data/knowledge/professions.yml``."""

    professions: List[Profession]
    groups: List[ProfessionGroup] = Field(default_factory=list)


class AuthoritiesFile(Strict):
    """``data/knowledge/authorities.yml``."""

    categories: List[Category]
    authorities: List[Authority]
    #: Federal state -> its "Einheitlicher Ansprechpartner" (accepts and forwards applications).
    single_points: Dict[str, str] = Field(default_factory=dict)


class CounsellingFile(Strict):
    """``data/knowledge/counselling.yml``."""

    offices: List[CounsellingOffice]
    networks: List[Network] = Field(default_factory=list)


class Fact(Sourced):
    """A general fact (costs, documents, ...) with the page a user can read more on."""

    id: str
    url: HttpUrl


class FactsFile(Strict):
    """``data/knowledge/facts.yml``."""

    facts: List[Fact]


class CuesFile(Strict):
    """``data/knowledge/cues.yml``: cue phrases per language."""

    other_person: Dict[str, List[str]]
    other_person_after: Dict[str, List[str]] = Field(default_factory=dict)
    residence: Dict[str, List[str]]
    #: Words that say where someone lives now, anywhere in a clause ("I live abroad", "hala").
    residence_words: Dict[str, List[str]] = Field(default_factory=dict)
    abroad: Dict[str, List[str]]


#: Entries of a signal lexicon are short: a word or a phrase of at most this many words.
MAX_SIGNAL_WORDS = 4


class SignalsFile(Strict):
    """``data/knowledge/signals/<language>.yml``: words that signal what a message is about.

    The signal names are shared by all languages, so an intent classifier that
    sees them as features carries what it learns from one language over to the others.
    """

    hello: List[str]
    bye: List[str]
    thanks: List[str]
    yes: List[str]
    no: List[str]
    cost: List[str]
    funding: List[str]
    duration: List[str]
    documents: List[str]
    recognition: List[str]
    human: List[str]
    talk: List[str]
    bot: List[str]
    identity_question: List[str]
    language: List[str]
    delete: List[str]
    roadmap: List[str]
    self: List[str]
    offtopic: List[str]

    @validator("*", each_item=True)
    def _short_lower_case(cls, entry: str) -> str:
        if not entry.strip() or entry != entry.lower() or len(entry.split()) > MAX_SIGNAL_WORDS:
            raise ValueError(f"{entry!r}: an entry is lower case and at most {MAX_SIGNAL_WORDS} words")
        return entry

    @root_validator(skip_on_failure=True)
    def _one_signal_per_entry(cls, values: Dict[str, List[str]]) -> Dict[str, List[str]]:
        seen: Dict[str, str] = {}
        for signal, entries in values.items():
            for entry in entries:
                if seen.setdefault(entry, signal) != signal:
                    raise ValueError(f"{entry!r} is listed under both {seen[entry]} and {signal}")
        return values
