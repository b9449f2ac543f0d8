"""Cross-validated intent macro F1 per language, with the project's own NLU pipeline.

Splits every data/nlu/<language>.yml into K stratified folds (by intent), trains
an NLU-only model on K-1 folds of all languages together (as the assistant is
trained) and parses the held-out fold. Repeats this with R different splits and
prints each language's macro F1 averaged over the repeats, with the lowest and
highest repeat. Each (language, intent) group is shuffled by its own seed, so
adding examples to one language leaves every other language's folds as they were
and two commits are compared on the same splits. Each fold trains a model: expect
about four minutes each, K x R of them.

    .venv/bin/python bench/intent_cv.py [--folds 3] [--repeats 2] [--confusion 5] [--config config.yml]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path
from typing import Dict, List, Tuple

import yaml
from sklearn.metrics import f1_score

PROJECT_DIR = Path(__file__).resolve().parent.parent
NLU_DIR = PROJECT_DIR / "data" / "nlu"
SEED = 42
if str(PROJECT_DIR) not in sys.path:
    sys.path.insert(0, str(PROJECT_DIR))  # bench.evaluate, when run as bench/intent_cv.py


def examples(folder: Path = NLU_DIR) -> List[Tuple[str, str, str]]:
    """(language, intent, text) for every training example."""
    rows = []
    for path in sorted(folder.glob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            for line in block["examples"].splitlines():
                text = line.strip()[2:].strip() if line.strip().startswith("- ") else ""
                if text:
                    rows.append((path.stem, block["intent"], text))
    return rows


def folds(rows: List[Tuple[str, str, str]], k: int, repeat: int = 0) -> List[int]:
    """A fold number per row, stratified by (language, intent); each group has its own seed."""
    groups: Dict[Tuple[str, str], List[int]] = defaultdict(list)
    for index, (language, intent, _) in enumerate(rows):
        groups[(language, intent)].append(index)
    assignment = [0] * len(rows)
    for (language, intent), members in groups.items():
        random.Random(f"{SEED}:{repeat}:{language}:{intent}").shuffle(members)
        for position, index in enumerate(members):
            assignment[index] = position % k
    return assignment


def write_nlu(rows: List[Tuple[str, str, str]], path: Path) -> None:
    by_intent: Dict[str, List[str]] = defaultdict(list)
    for _, intent, text in rows:
        by_intent[intent].append(text)
    nlu = [{"intent": i, "examples": "".join(f"- {t}\n" for t in texts)} for i, texts in by_intent.items()]
    path.write_text(yaml.safe_dump({"version": "3.1", "nlu": nlu}, allow_unicode=True), encoding="utf-8")


def predict(model: Path, texts: List[str]) -> List[str]:
    from rasa.core.agent import Agent

    from bench.evaluate import classified_intent
    from bot.analyse import quiet_logs

    quiet_logs()
    agent = Agent.load(str(model))

    async def parse_all() -> List[str]:
        return [classified_intent(await agent.parse_message(t)) for t in texts]

    return asyncio.run(parse_all())


def cross_validate(
    rows: List[Tuple[str, str, str]], k: int, repeat: int, config: str
) -> Tuple[Dict[str, List[str]], Dict[str, List[str]]]:
    """Gold and predicted intents per language over the K held-out folds of one split."""
    assignment = folds(rows, k, repeat)
    gold: Dict[str, List[str]] = defaultdict(list)
    found: Dict[str, List[str]] = defaultdict(list)
    for fold in range(k):
        with tempfile.TemporaryDirectory() as folder:
            train = [r for r, f in zip(rows, assignment, strict=True) if f != fold]
            test = [r for r, f in zip(rows, assignment, strict=True) if f == fold]
            write_nlu(train, Path(folder) / "nlu.yml")
            print(
                f"split {repeat + 1}, fold {fold + 1}/{k}: training on {len(train)}, testing {len(test)} ...",
                flush=True,
            )
            rasa = str(Path(sys.executable).parent / "rasa")
            nlu = str(Path(folder) / "nlu.yml")
            command = [rasa, "train", "nlu", "--config", config, "--nlu", nlu, "--out", folder]
            quiet = subprocess.DEVNULL
            subprocess.run(
                [*command, "--fixed-model-name", "fold"],
                cwd=PROJECT_DIR,
                check=True,
                stdout=quiet,
                stderr=quiet,
            )
            predictions = predict(Path(folder) / "fold.tar.gz", [text for _, _, text in test])
            for (language, intent, _), predicted in zip(test, predictions, strict=True):
                gold[language].append(intent)
                found[language].append(predicted)
    return gold, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=2, help="different splits to average over")
    parser.add_argument("--config", default=str(PROJECT_DIR / "config.yml"), help="pipeline to measure")
    parser.add_argument("--data", type=Path, default=NLU_DIR, help="folder of <language>.yml training files")
    parser.add_argument(
        "--confusion", type=int, default=0, metavar="N", help="also print the N commonest errors per language"
    )
    args = parser.parse_args()
    rows = examples(args.data)
    scores: Dict[str, List[float]] = defaultdict(list)
    errors: Dict[str, Counter] = defaultdict(Counter)
    for repeat in range(args.repeats):
        gold, found = cross_validate(rows, args.folds, repeat, args.config)
        for language in gold:
            expected, predicted = gold[language], found[language]
            scores[language].append(f1_score(expected, predicted, average="macro", zero_division=0))
            errors[language].update((g, f) for g, f in zip(expected, predicted, strict=True) if g != f)
    print(
        f"\n{args.folds}-fold cross-validated intent macro F1, mean of {args.repeats} splits "
        "(target >= 0.93 per language)\n"
    )
    print("| language | examples | macro F1 | lowest split | highest split |")
    print("|---|---|---|---|---|")
    for language in sorted(scores):
        values = scores[language]
        count = sum(1 for r in rows if r[0] == language)
        mean = sum(values) / len(values)
        print(f"| {language} | {count} | {mean:.3f} | {min(values):.3f} | {max(values):.3f} |")
    if args.confusion:
        print(
            f"\nMost frequent errors per language, all {args.repeats} splits (expected -> predicted: count)\n"
        )
        for language in sorted(errors):
            common = errors[language].most_common(args.confusion)
            listed = ", ".join(f"{g} -> {f}: {n}" for (g, f), n in common)
            print(f"{language}: {listed or 'none'}")


if __name__ == "__main__":
    main()
