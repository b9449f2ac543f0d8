"""Human handoff settings (``data/handoff.yml``): office hours and the cases that need a person.

Plain Python: the actions ask :func:`needs_person`, the gateway asks
:meth:`OfficeHours.is_open` and :meth:`OfficeHours.next_opening` when it opens a case.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from typing import FrozenSet, List, Optional
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from bot.paths import PROJECT_DIR

HANDOFF_FILE = PROJECT_DIR / "data" / "handoff.yml"


class HandoffConfigError(Exception):
    """``data/handoff.yml`` is invalid; ``problems`` lists what is wrong."""

    def __init__(self, problems: List[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class OfficeHours:
    """Weekly hours in one time zone, e.g. Monday to Friday 9:00 to 17:00 in Europe/Berlin."""

    timezone: str = "Europe/Berlin"
    #: ISO weekdays: 1 = Monday ... 7 = Sunday.
    days: FrozenSet[int] = frozenset({1, 2, 3, 4, 5})
    start: time = time(9, 0)
    end: time = time(17, 0)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def is_open(self, now: Optional[datetime] = None) -> bool:
        """Whether counsellors are at work at ``now`` (an aware datetime; default: the current time)."""
        local = (now or datetime.now(timezone.utc)).astimezone(self.zone)
        return local.isoweekday() in self.days and self.start <= local.time() < self.end

    def next_opening(self, now: Optional[datetime] = None) -> datetime:
        """The next time (local, aware) the office opens after ``now``; ``now`` itself if it is open."""
        local = (now or datetime.now(timezone.utc)).astimezone(self.zone)
        if self.is_open(local):
            return local
        for offset in range(8):
            day = local.date() + timedelta(days=offset)
            opening = datetime.combine(day, self.start, tzinfo=self.zone)
            if day.isoweekday() in self.days and opening > local:
                return opening
        raise ValueError("office hours have no open day")  # excluded by load_handoff_config


@dataclass(frozen=True)
class HandoffConfig:
    office_hours: OfficeHours
    #: Profession categories and profession ids for which Lotse offers a counsellor by itself.
    categories: FrozenSet[str]
    professions: FrozenSet[str]


def _time(value: object, where: str, problems: List[str]) -> time:
    try:
        return time.fromisoformat(str(value))
    except ValueError:
        problems.append(f'{where}: {value!r} is not a time like "09:00"')
        return time(0, 0)


def parse_handoff_config(data: object, source: str = "data/handoff.yml") -> HandoffConfig:
    """Check and convert the parsed YAML; raise HandoffConfigError naming every problem."""
    problems: List[str] = []
    data = data if isinstance(data, dict) else {}
    hours = data.get("office_hours") or {}
    zone = str(hours.get("timezone", "Europe/Berlin"))
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(f"{source}: office_hours.timezone {zone!r} is not a known time zone")
        zone = "Europe/Berlin"
    days = hours.get("days", [1, 2, 3, 4, 5])
    if not isinstance(days, list) or not days or not all(isinstance(d, int) and 1 <= d <= 7 for d in days):
        problems.append(f"{source}: office_hours.days must list weekdays 1 (Monday) to 7 (Sunday)")
        days = [1, 2, 3, 4, 5]
    before = len(problems)
    start = _time(hours.get("start", "09:00"), f"{source}: office_hours.start", problems)
    end = _time(hours.get("end", "17:00"), f"{source}: office_hours.end", problems)
    if len(problems) == before and start >= end:
        problems.append(f"{source}: office_hours.start must be before office_hours.end")
    needs = data.get("needs_person") or {}
    lists = {}
    for key in ("categories", "professions"):
        value = needs.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            problems.append(f"{source}: needs_person.{key} must be a list of ids")
            value = []
        lists[key] = frozenset(value)
    if problems:
        raise HandoffConfigError(problems)
    return HandoffConfig(
        OfficeHours(zone, frozenset(days), start, end), lists["categories"], lists["professions"]
    )


@lru_cache(maxsize=1)
def handoff_config(path: Path = HANDOFF_FILE) -> HandoffConfig:
    """The handoff settings; defaults (Mon-Fri 9-17 Europe/Berlin) when the file is missing."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
    return parse_handoff_config(data, str(path.relative_to(PROJECT_DIR)) if path.exists() else str(path))


def check_handoff_config(path: Path = HANDOFF_FILE) -> List[str]:
    """Problems in ``data/handoff.yml``, including ids that are not in the knowledge files."""
    from bot.knowledge.loader import KnowledgeError, knowledge

    try:
        config = parse_handoff_config(yaml.safe_load(path.read_text(encoding="utf-8")))
    except HandoffConfigError as error:
        return error.problems
    except (OSError, yaml.YAMLError) as error:
        return [f"data/handoff.yml: {error}"]
    try:
        kb = knowledge()
    except KnowledgeError:
        return []  # reported by the knowledge check
    problems = [
        f"data/handoff.yml: needs_person.categories: unknown category {c!r}"
        for c in sorted(config.categories - set(kb.categories))
    ]
    problems += [
        f"data/handoff.yml: needs_person.professions: unknown profession {p!r}"
        for p in sorted(config.professions - set(kb.professions))
    ]
    return problems


def needs_person(profession_id: Optional[str]) -> bool:
    """Whether the profession's case should go to a counsellor (see ``needs_person`` in the file)."""
    if not profession_id:
        return False
    from bot.knowledge.loader import knowledge

    config = handoff_config()
    profession = knowledge().professions.get(profession_id)
    return profession_id in config.professions or (
        profession is not None and profession.category in config.categories
    )
