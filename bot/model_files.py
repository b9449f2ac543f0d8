"""Where the trained model lives and whether it is up to date.

A model is named after a fingerprint of everything that shapes it, so "train
only when something changed" is a file-exists check. That is the config, the
domain and the training data, and also what the intent classifier's features
are computed from: the signal words, the profession names and cues, the places
and the code that finds them (``bot/nlp``, ``bot/components``). The other
knowledge files (authorities, counselling, facts) are read by the actions and
need no training.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Iterable, Optional

from bot.paths import PROJECT_DIR

MODELS_DIR = PROJECT_DIR / "models"

#: Files and folders whose content shapes the model.
TRAINING_INPUTS = (
    "config.yml",
    "domain.yml",
    "data/nlu",
    "data/rules",
    "data/stories",
    "data/knowledge/signals",
    "data/knowledge/professions.yml",
    "data/knowledge/cues.yml",
    "data/knowledge/places",
    "bot/nlp",
    "bot/components",
)


def _files(inputs: Iterable[str]) -> Iterable[Path]:
    for name in inputs:
        path = PROJECT_DIR / name
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        elif path.exists():
            yield path


def training_fingerprint() -> str:
    """A short hash over the paths and contents of the training inputs."""
    digest = hashlib.sha256()
    for path in _files(TRAINING_INPUTS):
        digest.update(str(path.relative_to(PROJECT_DIR)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def model_name() -> str:
    """The file name (without .tar.gz) of the model for the current inputs."""
    return f"lotse-{training_fingerprint()}"


def current_model() -> Optional[Path]:
    """The trained model for the current inputs, if it exists."""
    path = MODELS_DIR / f"{model_name()}.tar.gz"
    return path if path.exists() else None
