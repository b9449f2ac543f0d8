"""Load and check the knowledge files; errors name the file and line.

:func:`load_knowledge` returns a :class:`Knowledge` or raises
:class:`KnowledgeError` listing every problem found, each as
``path:line: message``. Beyond the schema it checks that ids are unique and
that every id a record refers to exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, Iterable, List, Sequence, Tuple, Type, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from bot.knowledge.schema import (
    FEDERAL_STATES,
    PROFESSION_LANGUAGES,
    AuthoritiesFile,
    Authority,
    Category,
    CounsellingFile,
    CounsellingOffice,
    CuesFile,
    Fact,
    FactsFile,
    Network,
    Profession,
    ProfessionGroup,
    ProfessionsFile,
    RuleType,
    SignalsFile,
)
from bot.paths import KNOWLEDGE_DIR
from bot.places.districts import DISTRICTS

Model = TypeVar("Model", bound=BaseModel)


class KnowledgeError(Exception):
    """The knowledge files are invalid; ``problems`` holds ``path:line: message`` strings."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = list(problems)


def _line_of(node: yaml.Node, location: Tuple) -> int:
    """The 1-based line of the YAML node at ``location`` (or of its nearest existing parent)."""
    for step in location:
        if isinstance(node, yaml.MappingNode):
            child = next((v for k, v in node.value if k.value == step), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            child = node.value[step]
        else:
            child = None
        if child is None:
            break
        node = child
    return node.start_mark.line + 1


def _parse(path: Path, model: Type[Model], problems: List[str]) -> Tuple[Model, yaml.Node]:
    """Parse one file into ``model``; on failure add problems and return (None, node)."""
    text = path.read_text(encoding="utf-8")
    try:
        node = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        problems.append(f"{path}:{line}: not valid YAML: {getattr(error, 'problem', error)}")
        return None, None
    if isinstance(node, yaml.MappingNode):
        unnamed = [key for key, _ in node.value if key.tag != "tag:yaml.org,2002:str"]
        for key in unnamed:
            line = key.start_mark.line + 1
            problems.append(
                f"{path}:{line}: key {key.value!r} is read as a value, not a name: write it in quotes"
            )
        if unnamed:
            return None, node
    try:
        return model.parse_obj(data), node
    except ValidationError as error:
        for issue in error.errors():
            line = _line_of(node, issue["loc"]) if node is not None else 1
            where = ".".join(str(step) for step in issue["loc"])
            problems.append(f"{path}:{line}: {where}: {issue['msg']}")
        return None, node


def _unique(
    records: Iterable, path: Path, node: yaml.Node, key: str, problems: List[str]
) -> Dict[str, object]:
    result: Dict[str, object] = {}
    for index, record in enumerate(records):
        if record.id in result:
            line = _line_of(node, (key, index))
            problems.append(f"{path}:{line}: duplicate id {record.id!r}")
        result[record.id] = record
    return result


@dataclass(frozen=True)
class Knowledge:
    """Everything Lotse knows, indexed by id."""

    professions: Dict[str, Profession]
    groups: Dict[str, ProfessionGroup]
    categories: Dict[str, Category]
    authorities: Dict[str, Authority]
    offices: Dict[str, CounsellingOffice]
    networks: Dict[str, Network]
    single_points: Dict[str, str]
    facts: Dict[str, Fact]
    cues: CuesFile


def load_knowledge(directory: Path = KNOWLEDGE_DIR) -> Knowledge:
    """Load and cross-check the knowledge files in ``directory``."""
    problems: List[str] = []
    paths = {
        name: directory / f"{name}.yml"
        for name in ("professions", "authorities", "counselling", "facts", "cues")
    }
    professions, p_node = _parse(paths["professions"], ProfessionsFile, problems)
    authorities, a_node = _parse(paths["authorities"], AuthoritiesFile, problems)
    counselling, c_node = _parse(paths["counselling"], CounsellingFile, problems)
    facts, f_node = _parse(paths["facts"], FactsFile, problems)
    cues, _ = _parse(paths["cues"], CuesFile, problems)
    if problems:
        raise KnowledgeError(problems)

    categories = _unique(authorities.categories, paths["authorities"], a_node, "categories", problems)
    bodies = _unique(authorities.authorities, paths["authorities"], a_node, "authorities", problems)
    path = paths["professions"]
    by_id = _unique(professions.professions, path, p_node, "professions", problems)
    groups = _unique(professions.groups, path, p_node, "groups", problems)
    offices = _unique(counselling.offices, paths["counselling"], c_node, "offices", problems)
    fact_ids = _unique(facts.facts, paths["facts"], f_node, "facts", problems)

    for index, profession in enumerate(professions.professions):
        if profession.category not in categories:
            line = _line_of(p_node, ("professions", index, "category"))
            problems.append(f"{path}:{line}: unknown category {profession.category!r}")
        for state, authority in profession.state_authorities.items():
            line = _line_of(p_node, ("professions", index, "state_authorities", state))
            if state not in FEDERAL_STATES:
                problems.append(f"{path}:{line}: unknown federal state {state!r}")
            if authority is not None and authority not in bodies:
                problems.append(f"{path}:{line}: unknown authority {authority!r}")
        for candidate in profession.closest:
            if candidate not in by_id or by_id[candidate].closest:
                line = _line_of(p_node, ("professions", index, "closest"))
                problem = f"closest {candidate!r} is not a German profession"
                problems.append(f"{path}:{line}: {profession.id!r}: {problem}")
    for index, group in enumerate(professions.groups):
        for candidate in group.candidates:
            if candidate not in by_id:
                line = _line_of(p_node, ("groups", index, "candidates"))
                problems.append(f"{path}:{line}: group {group.id!r}: unknown profession {candidate!r}")
        for candidate in group.hints:
            if candidate not in group.candidates:
                line = _line_of(p_node, ("groups", index, "hints", candidate))
                problems.append(f"{path}:{line}: group {group.id!r}: hints for {candidate!r}, no candidate")
    path = paths["authorities"]
    for index, category in enumerate(authorities.categories):
        if category.rule.type == RuleType.national and category.rule.authority not in bodies:
            line = _line_of(a_node, ("categories", index, "rule"))
            problems.append(f"{path}:{line}: unknown authority {category.rule.authority!r}")
        for state, authority in category.state_authorities.items():
            if authority not in bodies:
                line = _line_of(a_node, ("categories", index, "state_authorities", state))
                problems.append(f"{path}:{line}: unknown authority {authority!r}")
        for state, districts in category.district_authorities.items():
            for district, authority in districts.items():
                line = _line_of(a_node, ("categories", index, "district_authorities", state, district))
                if district not in DISTRICTS.get(state, {}):
                    problems.append(f"{path}:{line}: {state} has no district {district!r}")
                if authority not in bodies:
                    problems.append(f"{path}:{line}: unknown authority {authority!r}")
        if category.rule.type == RuleType.state:
            for state in FEDERAL_STATES:
                covered = state in category.state_authorities or state in authorities.single_points
                if not covered and state not in category.uncovered:
                    line = _line_of(a_node, ("categories", index, "state_authorities"))
                    problems.append(
                        f"{path}:{line}: {category.id}: no body and no single point of contact for {state}"
                        " (add one, or say why under `uncovered`)"
                    )
        if category.state_authorities and category.rule.type != RuleType.state:
            line = _line_of(a_node, ("categories", index, "state_authorities"))
            problems.append(f"{path}:{line}: state_authorities need a rule of type state")
    for state, authority in authorities.single_points.items():
        line = _line_of(a_node, ("single_points", state))
        if state not in FEDERAL_STATES:
            problems.append(f"{paths['authorities']}:{line}: unknown federal state {state!r}")
        if authority not in bodies:
            problems.append(f"{paths['authorities']}:{line}: unknown authority {authority!r}")
    path = paths["counselling"]
    networks = _unique(counselling.networks, path, c_node, "networks", problems)
    for index, office in enumerate(counselling.offices):
        if networks and office.state is not None and office.network not in networks:
            line = _line_of(c_node, ("offices", index, "network"))
            problems.append(f"{path}:{line}: unknown network {office.network!r}")
    states_with_office = {office.state for office in counselling.offices}
    missing = [state for state in FEDERAL_STATES if state not in states_with_office]
    if missing:
        problems.append(f"{path}:1: no counselling office in {', '.join(missing)}")
    for required in ("finder", "costs", "documents", "duration", "funding", "recognition"):
        if required not in fact_ids:
            problems.append(f"{paths['facts']}:1: missing fact {required!r}")
    if problems:
        raise KnowledgeError(problems)
    return Knowledge(
        by_id, groups, categories, bodies, offices, networks, authorities.single_points, fact_ids, cues
    )


@lru_cache(maxsize=1)
def knowledge() -> Knowledge:
    """The project's knowledge, loaded once per process."""
    return load_knowledge()


def load_signals(directory: Path = KNOWLEDGE_DIR / "signals") -> Dict[str, SignalsFile]:
    """Every language's signal lexicon, by language code; raises KnowledgeError listing all problems."""
    problems: List[str] = []
    lexicons = {path.stem: _parse(path, SignalsFile, problems)[0] for path in sorted(directory.glob("*.yml"))}
    missing = sorted(set(PROFESSION_LANGUAGES) - set(lexicons))
    problems += [f"{directory}: no signal lexicon for {code!r} ({code}.yml)" for code in missing]
    if problems:
        raise KnowledgeError(problems)
    return lexicons
