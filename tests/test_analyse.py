"""`lotse analyse` with the trained model, as a user runs it."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.analyse import OUTPUT_KEYS, describe, message_text
from bot.knowledge.loader import knowledge

PROJECT_DIR = Path(__file__).resolve().parent.parent


def test_input_lines_are_plain_text_or_json():
    assert message_text('{"text": "hallo"}\n') == "hallo"
    assert message_text("hallo\n") == "hallo"
    assert message_text("{broken json") == "{broken json"
    assert message_text('{"other": 1}') == '{"other": 1}'


@pytest.mark.model
def test_analyse_writes_one_object_per_line_with_exactly_the_keys():
    lines = [
        "Я медсестра з Харкова, живу в Лейпцигу",
        json.dumps({"text": "I am a civil engineer and still live in Egypt"}),
        "I need a doctor",
        "Wie viel kostet die Anerkennung?",
        "",
    ]
    result = subprocess.run(
        [str(Path(sys.executable).parent / "lotse"), "analyse"],
        input="\n".join(lines) + "\n", capture_output=True, text=True, cwd=PROJECT_DIR, check=True,
    )  # fmt: skip
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == len(lines)
    assert all(tuple(record) == OUTPUT_KEYS for record in records)
    nurse, engineer, doctor, costs, empty = records
    assert nurse["language"] == "uk" and nurse["intent"] == "inform"
    assert nurse["profession"] == {"id": "nurse", "name_de": "Pflegefachfrau", "regulated": True}
    assert nurse["federal_state"] == "DE-SN" and nurse["abroad"] is False
    assert nurse["authority"]["url"].startswith("https://")
    assert nurse["counselling"]["city"]
    assert engineer["abroad"] is True and engineer["federal_state"] is None
    assert engineer["authority"]["id"] == "zsba"
    assert doctor["profession"] is None
    assert costs["intent"] == "ask_costs" and costs["language"] == "de"
    assert empty["text"] == "" and empty["intent"] is None


def test_abroad_with_a_place_of_work_is_described_like_the_chat_answers_it():
    parse = {
        "entities": [
            {"entity": "profession", "value": "nurse"},
            {"entity": "place", "value": "München"},
            {"entity": "abroad", "value": "EG"},
        ],
        "lotse_language": {"guess": "en", "confident": True, "requested": None},
    }
    record = describe("I still live in Egypt and want to work in Munich", parse, knowledge())
    assert record["abroad"] is True and record["federal_state"] == "DE-BY"
    assert record["authority"]["id"] == "lfp_bayern"
    assert record["counselling"]["id"] == "de_zsba_abroad"
