"""The model's fingerprint covers what shapes the intent classifier's features."""

import pytest

from bot import model_files


@pytest.fixture
def project(tmp_path, monkeypatch):
    for name in model_files.TRAINING_INPUTS:
        path = tmp_path / name
        if name.endswith((".yml", ".yaml")):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("x: 1\n", encoding="utf-8")
        else:
            path.mkdir(parents=True, exist_ok=True)
            (path / "a.yml").write_text("x: 1\n", encoding="utf-8")
    monkeypatch.setattr(model_files, "PROJECT_DIR", tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    "changed",
    ["data/nlu/a.yml", "data/knowledge/signals/a.yml", "data/knowledge/professions.yml", "bot/nlp/a.yml"],
)
def test_a_change_to_a_feature_source_needs_a_new_model(project, changed):
    before = model_files.training_fingerprint()
    (project / changed).write_text("x: 2\n", encoding="utf-8")
    assert model_files.training_fingerprint() != before


def test_authorities_do_not_shape_the_model(project):
    before = model_files.training_fingerprint()
    (project / "data/knowledge/authorities.yml").write_text("x: 2\n", encoding="utf-8")
    assert model_files.training_fingerprint() == before
