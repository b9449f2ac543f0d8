"""``lotse analyse``: batch analysis of messages with the trained model's NLU and the routing code.

Reads one message a line (plain text, or a JSON object with a ``text`` string)
and writes one JSON object a line with exactly the keys of :data:`OUTPUT_KEYS`.
Each message is looked at on its own; no server is needed.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from pathlib import Path
from typing import Any, Dict, Iterable, Optional, TextIO

from bot.conversation_language import LANGUAGE_KEY
from bot.knowledge.loader import Knowledge, knowledge
from bot.places.gazetteer import Place, load_gazetteer
from bot.routing import nearest_office, route

OUTPUT_KEYS = (
    "text",
    "language",
    "intent",
    "profession",
    "federal_state",
    "abroad",
    "authority",
    "counselling",
)


def message_text(line: str) -> str:
    """The message in one input line: the ``text`` of a JSON object, else the line itself."""
    stripped = line.strip()
    if stripped.startswith("{"):
        try:
            data = json.loads(stripped)
        except json.JSONDecodeError:
            return stripped
        if isinstance(data, dict) and isinstance(data.get("text"), str):
            return data["text"]
    return stripped


def _entity(parse: Dict[str, Any], name: str) -> Optional[Dict[str, Any]]:
    return next((e for e in parse.get("entities", []) if e.get("entity") == name), None)


def describe(text: str, parse: Dict[str, Any], kb: Knowledge) -> Dict[str, Any]:
    """The output record for one message, from its NLU parse."""
    language = (parse.get(LANGUAGE_KEY) or {}).get("guess")
    profession_entity = _entity(parse, "profession")
    place_entity = _entity(parse, "place")
    abroad = _entity(parse, "abroad") is not None  # with a place: where the person wants to work
    place: Optional[Place] = load_gazetteer().resolve(place_entity["value"]) if place_entity else None
    profession = kb.professions.get(profession_entity["value"]) if profession_entity else None
    authority = counselling = None
    regulated = profession.regulated if profession else None
    if profession is not None:
        routing = route(profession.id, place, abroad, language or "de", kb)
        authority = routing.authority
        counselling = routing.counselling
        regulated = routing.regulated
    elif place is not None:
        counselling = nearest_office(place, kb)
    return {
        "text": text,
        "language": language,
        "intent": (parse.get("intent") or {}).get("name"),
        "profession": {
            "id": profession.id,
            "name_de": profession.name_de.female,
            "regulated": regulated,
        }
        if profession
        else None,
        "federal_state": place.state if place else None,
        "abroad": abroad,
        "authority": {
            "id": authority.id,
            "name": authority.name,
            "url": authority.url,
            "generic": authority.generic,
        }
        if authority
        else None,
        "counselling": {"id": counselling.id, "name": counselling.name, "city": counselling.city}
        if counselling
        else None,
    }


def quiet_logs() -> None:
    """Keep standard output for results: Rasa's logs go to standard error, warnings only."""
    import structlog

    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    structlog.configure(
        wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING),
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
    )


async def _analyse(lines: Iterable[str], model: Path, out: TextIO) -> int:
    from rasa.core.agent import Agent  # heavy import, only when analysing

    quiet_logs()
    agent = Agent.load(str(model))
    kb = knowledge()
    count = 0
    for line in lines:
        text = message_text(line)
        parse = await agent.parse_message(text) if text else {}
        out.write(json.dumps(describe(text, parse, kb), ensure_ascii=False) + "\n")
        out.flush()
        count += 1
    return count


def analyse(lines: Iterable[str], model: Path, out: TextIO) -> int:
    """Analyse ``lines`` with ``model``, writing one JSON line each to ``out``; returns the count."""
    return asyncio.run(_analyse(lines, model, out))
