"""``lotse data report``: coverage of the knowledge base as Markdown tables."""

from __future__ import annotations

from collections import Counter
from typing import Iterable, List

from bot.knowledge.loader import Knowledge
from bot.knowledge.schema import FEDERAL_STATES, PROFESSION_LANGUAGES, RuleType


def _table(header: List[str], rows: Iterable[List[object]]) -> List[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return lines


def _professions_by_language(kb: Knowledge) -> List[str]:
    rows = []
    others = sorted({code for p in kb.professions.values() for code in p.names} - set(PROFESSION_LANGUAGES))
    for language in (*PROFESSION_LANGUAGES, *others):
        named = sum(1 for p in kb.professions.values() if p.names.get(language))
        names = sum(len(p.names.get(language, [])) for p in kb.professions.values())
        label = language if language in PROFESSION_LANGUAGES else f"{language} (recognised only)"
        rows.append([label, named, names])
    verified = sum(1 for p in kb.professions.values() if p.verified)
    title = (
        f"Professions: {len(kb.professions)} ({verified} verified), ambiguous names: {len(kb.groups)} groups"
    )
    return [title, "", *_table(["language", "professions named", "names"], rows)]


def _authorities_by_state(kb: Knowledge) -> List[str]:
    """Per category and state: which kind of body the assistant names."""
    rows = []
    for category in kb.categories.values():
        if category.rule.type == RuleType.state:
            cells = []
            for state in FEDERAL_STATES:
                body = category.state_authorities.get(state)
                if body:
                    cells.append("V" if kb.authorities[body].verified else "u")
                elif state in kb.single_points:
                    cells.append("e")
                else:
                    cells.append("x" if state in category.uncovered else "-")
            counts = Counter(cells)
            rows.append([category.id, *cells, counts["V"], counts["u"]])
        else:
            rule = category.rule.authority or category.rule.type.value
            rows.append([category.id, *["·"] * len(FEDERAL_STATES), f"({rule})", ""])
    header = ["category", *[s[3:] for s in FEDERAL_STATES], "verified", "unverified"]
    legend = (
        "V verified body, u unverified body, e single point of contact only,"
        " x no body (reason in the data; the Finder is linked), · national or other rule"
    )
    return ["Responsible bodies by state", "", legend, "", *_table(header, rows)]


def _offices_by_state(kb: Knowledge) -> List[str]:
    rows = []
    for state in [*FEDERAL_STATES, None]:
        offices = [o for o in kb.offices.values() if o.state == state]
        verified = sum(1 for o in offices if o.verified)
        online = sum(1 for o in offices if o.online)
        rows.append([state or "national/abroad", len(offices), verified, online])
    title = f"IQ counselling: {len(kb.offices)} offices in {len(kb.networks)} networks"
    return [title, "", *_table(["state", "offices", "verified", "online or phone"], rows)]


def report(kb: Knowledge) -> str:
    """All coverage tables, separated by blank lines."""
    sections = [_professions_by_language(kb), _authorities_by_state(kb), _offices_by_state(kb)]
    return "\n\n".join("\n".join(section) for section in sections)
