"""Language identification on text nobody here wrote: ../shared/data/langid/langid_test.jsonl.

Prints, on the same lines, accuracy per language and length for Lotse's
detector, langdetect alone and lingua alone (restricted to the same 13
languages Lotse's lingua vote uses), and the detector's time per message.
Dari (prs) counts as Persian (fa). The file is a blind test set: nothing is
tuned on it.

    .venv/bin/python bench/langid.py [--limit N]
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from pathlib import Path
from typing import Callable, Dict, List, Optional, Tuple

from langdetect import DetectorFactory, LangDetectException, detect
from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

from bot.nlp.instances import language_identifier
from bot.nlp.language import FULL_LANGUAGES

TEST_FILE = Path(__file__).resolve().parents[2] / "shared" / "data" / "langid" / "langid_test.jsonl"
SAME_AS = {"prs": "fa"}
TARGETS = {"tatoeba 1-3 words": 0.97, "tatoeba >3 words": 0.99, "flores200": 0.97}


def bucket(record: dict) -> str:
    if record["source"] == "flores200":
        return "flores200"
    return "tatoeba 1-3 words" if len(record["text"].split()) <= 3 else "tatoeba >3 words"


def lingua_alone() -> Callable[[str], Optional[str]]:
    codes = [*FULL_LANGUAGES, "so"]
    detector = LanguageDetectorBuilder.from_languages(
        *[Language.from_iso_code_639_1(getattr(IsoCode639_1, c.upper())) for c in codes]
    ).build()

    def guess(text: str) -> Optional[str]:
        language = detector.detect_language_of(text)
        return language.iso_code_639_1.name.lower() if language else None

    return guess


def langdetect_alone(text: str) -> Optional[str]:
    try:
        return detect(text)
    except LangDetectException:
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=0, help="only the first N lines per language and source")
    args = parser.parse_args()
    DetectorFactory.seed = 0
    records: List[dict] = []
    seen: Dict[Tuple[str, str], int] = defaultdict(int)
    with TEST_FILE.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            key = (record["source"], record["lang"])
            seen[key] += 1
            if not args.limit or seen[key] <= args.limit:
                records.append(record)
    ours = language_identifier()
    systems = {
        "lotse": lambda t: ours.identify(t).guess,
        "langdetect": langdetect_alone,
        "lingua": lingua_alone(),
    }
    correct: Dict[Tuple[str, str, str], int] = defaultdict(int)
    total: Dict[Tuple[str, str], int] = defaultdict(int)
    seconds = 0.0
    for record in records:
        expected = SAME_AS.get(record["lang"], record["lang"])
        group = (bucket(record), record["lang"])
        total[group] += 1
        for name, system in systems.items():
            started = time.perf_counter()
            guess = system(record["text"])
            if name == "lotse":
                seconds += time.perf_counter() - started
            correct[(name, *group)] += guess == expected
    print(f"{len(records)} lines from {TEST_FILE.name}; accuracy in %, lotse / langdetect / lingua\n")
    for section in TARGETS:
        languages = sorted(lang for sec, lang in total if sec == section)
        print(f"{section} (target for Lotse: {TARGETS[section]:.0%})")
        print("| language | lines | lotse | langdetect | lingua |")
        print("|---|---|---|---|---|")
        for lang in languages:
            n = total[(section, lang)]
            cells = [f"{100 * correct[(s, section, lang)] / n:.1f}" for s in systems]
            print(f"| {lang} | {n} | " + " | ".join(cells) + " |")
        print()
    print(f"Lotse detector: {1000 * seconds / len(records):.2f} ms per message on average")


if __name__ == "__main__":
    main()
