"""Loading and checking the knowledge files."""

import shutil

import pytest

from bot.knowledge.loader import KnowledgeError, load_knowledge
from bot.knowledge.report import report
from bot.knowledge.schema import FEDERAL_STATES, PROFESSION_LANGUAGES
from bot.paths import KNOWLEDGE_DIR


@pytest.fixture(scope="module")
def kb():
    return load_knowledge()


def test_at_least_40_professions_named_in_every_language(kb):
    assert len(kb.professions) >= 40
    for profession in kb.professions.values():
        assert set(PROFESSION_LANGUAGES) <= set(profession.names)


def test_every_primer_category_is_covered(kb):
    categories = {p.category for p in kb.professions.values()}
    expected = {"ihk", "craft", "agriculture", "mfa", "approbation", "health", "teacher", "educator"}
    assert expected | {"engineer", "architect", "lawyer", "academic"} <= categories


def test_national_bodies_exist_with_sources(kb):
    for body in ("ihk_fosa", "zab", "lwk_niedersachsen", "aekwl", "zsba"):
        assert str(kb.authorities[body].source).startswith("http")


def test_every_state_has_a_counselling_office(kb):
    assert {o.state for o in kb.offices.values()} >= set(FEDERAL_STATES)


def test_offices_for_people_abroad_only_are_national(kb):
    abroad_only = [o for o in kb.offices.values() if o.abroad_only]
    assert [o.id for o in abroad_only] == ["de_zsba_abroad"]
    assert all(o.state is None for o in abroad_only)


def test_a_nationwide_service_for_residents_is_online(kb):
    national = [o for o in kb.offices.values() if o.state is None and not o.abroad_only]
    assert national and all(o.online for o in national)


@pytest.fixture
def broken_dir(tmp_path):
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, target)
    return target


def test_schema_errors_name_file_and_line(broken_dir):
    path = broken_dir / "professions.yml"
    text = path.read_text(encoding="utf-8").replace("  regulated: true", "  regulated: maybe", 1)
    path.write_text(text, encoding="utf-8")
    line = 1 + text[: text.index("regulated: maybe")].count("\n")
    with pytest.raises(KnowledgeError) as error:
        load_knowledge(broken_dir)
    assert any(p.startswith(f"{path}:{line}:") and "regulated" in p for p in error.value.problems)


def test_unknown_ids_are_reported(broken_dir):
    path = broken_dir / "authorities.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("DE-NW: bezreg_muenster", "DE-NW: nowhere", 1))
    with pytest.raises(KnowledgeError) as error:
        load_knowledge(broken_dir)
    assert any("unknown authority 'nowhere'" in p for p in error.value.problems)


def test_closest_professions_must_be_german_ones(broken_dir):
    path = broken_dir / "professions.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("closest: [paramedic, nurse, doctor]", "closest: [paramedic, feldsher, nobody]", 1)
    )
    with pytest.raises(KnowledgeError) as error:
        load_knowledge(broken_dir)
    assert sum("'feldsher': closest" in p for p in error.value.problems) == 2  # itself, and an unknown id


def test_group_hints_must_name_a_candidate(broken_dir):
    path = broken_dir / "professions.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("    teacher_special_needs:\n      de:", "    nurse:\n      de:", 1), encoding="utf-8"
    )
    with pytest.raises(KnowledgeError) as error:
        load_knowledge(broken_dir)
    assert any("group 'teacher': hints for 'nurse'" in p for p in error.value.problems)


def test_invalid_yaml_is_reported_with_its_line(broken_dir):
    path = broken_dir / "counselling.yml"
    path.write_text("offices:\n  - id: [unclosed\n", encoding="utf-8")
    with pytest.raises(KnowledgeError) as error:
        load_knowledge(broken_dir)
    assert error.value.problems[0].startswith(f"{path}:")
    assert "not valid YAML" in error.value.problems[0]


def test_every_state_is_covered_for_every_state_regulated_category(broken_dir):
    path = broken_dir / "authorities.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("  DE-NI: eap_niedersachsen\n", "", 1).replace(
            "DE-NI: ingenieurkammer_niedersachsen", "", 1
        )
    )
    with pytest.raises(KnowledgeError) as error:
        load_knowledge(broken_dir)
    assert any(
        "engineer: no body and no single point of contact for DE-NI" in p for p in error.value.problems
    )


def test_report_covers_full_and_recognised_only_languages(kb):
    text = report(kb)
    assert f"| de | {len(kb.professions)} |" in text
    assert "| ps (recognised only) |" in text
    assert "Responsible bodies by state" in text


def test_office_labels_name_the_city_once_and_nationwide_services_without_a_city():
    for office in load_knowledge().offices.values():
        if office.state is None:
            assert office.label == office.name  # their city is only a stand-in
        else:
            assert office.label.count(office.city) == max(1, office.name.count(office.city)), office.id
