"""Locations of the project's files, independent of the working directory."""

from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
KNOWLEDGE_DIR = PROJECT_DIR / "data" / "knowledge"
TEXTS_DIR = Path(__file__).resolve().parent / "texts"
