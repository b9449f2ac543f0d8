"""Texts the user sees, one YAML file per language in this folder (``en.yml``, ``de.yml``, ...).

Every file has the same keys with the same ``{placeholders}``;
:func:`check_texts` proves it and ``lotse data check`` runs it.
"""

from __future__ import annotations

from functools import lru_cache
from string import Formatter
from typing import Dict, FrozenSet, List

import yaml

from bot.paths import TEXTS_DIR

#: The language every other file is compared with.
REFERENCE_LANGUAGE = "en"
#: Used when a conversation's language is unknown or has no texts.
DEFAULT_LANGUAGE = "de"
#: Right-to-left scripts.
RTL_LANGUAGES = frozenset({"ar", "fa", "ps", "ckb"})
#: The keys of a language Lotse recognises but cannot fully answer in yet (``limited/<code>.yml``).
LIMITED_KEYS = ("language_name", "limited_intro", "limited_choose", "button_human")


@lru_cache(maxsize=1)
def all_texts() -> Dict[str, Dict[str, str]]:
    """Language code -> key -> text, for every file in the texts folder."""
    return {
        path.stem: yaml.safe_load(path.read_text(encoding="utf-8"))
        for path in sorted(TEXTS_DIR.glob("*.yml"))
    }


@lru_cache(maxsize=1)
def limited_texts() -> Dict[str, Dict[str, str]]:
    """Language code -> key -> text, for the short files in ``limited/``."""
    return {
        path.stem: yaml.safe_load(path.read_text(encoding="utf-8"))
        for path in sorted((TEXTS_DIR / "limited").glob("*.yml"))
    }


def supported_languages() -> List[str]:
    """Languages Lotse can answer in, reference language first."""
    languages = sorted(all_texts())
    languages.remove(REFERENCE_LANGUAGE)
    return [REFERENCE_LANGUAGE, *languages]


def answer_language(language: str | None) -> str:
    """The language to answer in: ``language`` if it has texts, else the default."""
    return language if language in all_texts() else DEFAULT_LANGUAGE


def text(language: str, key: str, **values: object) -> str:
    """The text ``key`` in ``language`` (or the default language), placeholders filled."""
    return all_texts()[answer_language(language)][key].format(**values)


def placeholders(template: str) -> FrozenSet[str]:
    """The names of the ``{placeholders}`` in a text."""
    return frozenset(name for _, name, _, _ in Formatter().parse(template) if name)


def check_texts(
    texts: Dict[str, Dict[str, str]] | None = None, limited: Dict[str, Dict[str, str]] | None = None
) -> List[str]:
    """Problems: keys missing or extra in a language, or placeholders that differ from English."""
    texts = all_texts() if texts is None else texts
    limited = limited_texts() if limited is None else limited
    reference = texts[REFERENCE_LANGUAGE]
    problems = []
    for language, entries in sorted(texts.items()):
        for key in sorted(set(reference) - set(entries)):
            problems.append(f"{language}.yml: missing text {key!r}")
        for key in sorted(set(entries) - set(reference)):
            problems.append(f"{language}.yml: text {key!r} is not in {REFERENCE_LANGUAGE}.yml")
        for key in sorted(set(reference) & set(entries)):
            if not isinstance(entries[key], str) or not entries[key].strip():
                problems.append(f"{language}.yml: text {key!r} is empty")
            elif placeholders(entries[key]) != placeholders(reference[key]):
                problems.append(
                    f"{language}.yml: text {key!r} has placeholders "
                    f"{sorted(placeholders(entries[key]))}, expected {sorted(placeholders(reference[key]))}"
                )
    for language, entries in sorted(limited.items()):
        if set(entries) != set(LIMITED_KEYS) or not all(str(v).strip() for v in entries.values()):
            problems.append(
                f"limited/{language}.yml: needs exactly the non-empty texts {', '.join(LIMITED_KEYS)}"
            )
    return problems
