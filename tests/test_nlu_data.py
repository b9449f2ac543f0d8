"""The NLU training data never contains a message of the held-out evaluation set."""

import re
import unicodedata
from pathlib import Path

import yaml

PROJECT_DIR = Path(__file__).resolve().parent.parent


def _normal(text: str) -> str:
    """Case, punctuation and spacing do not make a message new."""
    text = re.sub(r"[^\w\s]", " ", unicodedata.normalize("NFKC", text).casefold())
    return " ".join(text.split())


def _training_examples():
    for path in sorted((PROJECT_DIR / "data" / "nlu").glob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            for line in block.get("examples", "").splitlines():
                if line.strip().startswith("- "):
                    yield path.stem, block["intent"], line.strip()[2:].strip()


def test_no_evaluation_message_is_trained_on():
    evaluation = yaml.safe_load((PROJECT_DIR / "tests" / "eval" / "messages.yml").read_text(encoding="utf-8"))
    held_out = {_normal(m["text"]) for m in evaluation["messages"]}
    leaked = [row for row in _training_examples() if _normal(row[2]) in held_out]
    assert not leaked, f"evaluation messages in data/nlu: {leaked[:10]}"


def test_no_example_under_two_intents():
    """One model learns all languages: the same text under two intents, even in two languages, is a clash."""
    seen = {}
    clashes = []
    for lang, intent, text in _training_examples():
        key = _normal(text)
        if seen.setdefault(key, intent) != intent:
            clashes.append((lang, text, seen[key], intent))
    assert not clashes, f"examples under two intents: {clashes[:10]}"
