"""Understanding on the labelled evaluation set (tests/eval/messages.yml), per language.

Prints three tables: language identification accuracy, profession extraction
(precision and recall; a profession named for someone else must give nothing)
and intent macro F1 with the trained model. The set is never trained on.

    .venv/bin/python bench/evaluate.py [--no-intents]
"""

from __future__ import annotations

import argparse
import asyncio
from collections import defaultdict
from pathlib import Path
from typing import Dict, List, Optional

import yaml
from sklearn.metrics import f1_score

from bot.knowledge.loader import knowledge
from bot.nlp.instances import language_identifier
from bot.nlp.professions import ProfessionFinder

EVAL_FILE = Path(__file__).resolve().parent.parent / "tests" / "eval" / "messages.yml"
SAME_AS = {"prs": "fa"}


def load() -> List[dict]:
    return yaml.safe_load(EVAL_FILE.read_text(encoding="utf-8"))["messages"]


def profession_label(finder: ProfessionFinder, text: str) -> Optional[str]:
    mention = finder.first(text)
    if mention is None:
        return None
    return f"group:{mention.id}" if mention.is_group else mention.id


def classified_intent(parse: dict) -> Optional[str]:
    """The classifier's best intent; the FallbackClassifier's nlu_fallback (low confidence) is left out."""
    ranking = [r["name"] for r in parse.get("intent_ranking", []) if r["name"] != "nlu_fallback"]
    return ranking[0] if ranking else parse["intent"]["name"]


def intents(messages: List[dict]) -> List[Optional[str]]:
    from rasa.core.agent import Agent

    from bot.analyse import quiet_logs
    from bot.model_files import current_model

    model = current_model()
    if model is None:
        raise SystemExit("No trained model: run `make train` first, or pass --no-intents.")
    quiet_logs()
    agent = Agent.load(str(model))

    async def parse_all() -> List[Optional[str]]:
        return [classified_intent(await agent.parse_message(m["text"])) for m in messages]

    return asyncio.run(parse_all())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-intents", action="store_true", help="skip the intents (needs no model)")
    args = parser.parse_args()
    messages = load()
    identifier = language_identifier()
    finder = ProfessionFinder(knowledge())
    by_language: Dict[str, List[int]] = defaultdict(list)
    for index, message in enumerate(messages):
        by_language[message["language"]].append(index)
    guesses = [identifier.identify(m["text"]).guess for m in messages]
    professions = [profession_label(finder, m["text"]) for m in messages]
    predicted_intents = None if args.no_intents else intents(messages)

    print(f"{len(messages)} labelled messages from {EVAL_FILE.relative_to(EVAL_FILE.parents[2])}\n")
    print("| language | messages | language id % | profession precision % | recall % | intent macro F1 |")
    print("|---|---|---|---|---|---|")
    totals = defaultdict(int)
    for language in sorted(by_language):
        rows = by_language[language]
        expected = SAME_AS.get(language, language)
        language_ok = sum(guesses[i] == expected for i in rows)
        tp = sum(1 for i in rows if professions[i] and professions[i] == messages[i]["profession"])
        fp = sum(1 for i in rows if professions[i] and professions[i] != messages[i]["profession"])
        fn = sum(1 for i in rows if messages[i]["profession"] and professions[i] != messages[i]["profession"])
        for key, value in (("n", len(rows)), ("lang", language_ok), ("tp", tp), ("fp", fp), ("fn", fn)):
            totals[key] += value
        precision = f"{100 * tp / (tp + fp):.1f}" if tp + fp else "-"
        recall = f"{100 * tp / (tp + fn):.1f}" if tp + fn else "-"
        f1 = "-"
        if predicted_intents is not None:
            gold = [messages[i]["intent"] for i in rows]
            found = [predicted_intents[i] for i in rows]
            f1 = f"{f1_score(gold, found, average='macro', zero_division=0):.3f}"
        share = 100 * language_ok / len(rows)
        print(f"| {language} | {len(rows)} | {share:.1f} | {precision} | {recall} | {f1} |")
    tp, fp, fn = totals["tp"], totals["fp"], totals["fn"]
    overall_f1 = "-"
    if predicted_intents is not None:
        gold = [m["intent"] for m in messages]
        overall_f1 = f"{f1_score(gold, predicted_intents, average='macro', zero_division=0):.3f}"
    print(
        f"| all | {totals['n']} | {100 * totals['lang'] / totals['n']:.1f} | {100 * tp / (tp + fp):.1f}"
        f" | {100 * tp / (tp + fn):.1f} | {overall_f1} |"
    )
    print("\nTargets: profession precision >= 97%, recall >= 92%; intent macro F1 >= 0.93 per full language.")
    misses = [
        (m["language"], m["text"], m["profession"], p)
        for m, p in zip(messages, professions, strict=True)
        if p != m["profession"]
    ]
    print(f"\nProfession mistakes ({len(misses)}): language | text | expected | found")
    for row in misses:
        print(" | ".join(str(cell) for cell in row))


if __name__ == "__main__":
    main()
